"""Benchmark: native batched speciation of 10,000 waters vs PHREEQC on the same waters.

Both engines run in this process, one after the other, on identical inputs (10
elements, CarbFix-range compositions, 5-95 degC, Kinec_v3.dat), twice: with the pH from
the charge balance, and with the pH given (the charge-balanced pH, held fixed).
PHREEQC gets ONE input holding all 10,000 SOLUTION blocks and a SELECTED_OUTPUT with pH,
ionic strength and the saturation indices of calcite, chalcedony and CO2(g)
(the native engine computes all ~75 species and all ~190 saturation indices).

Run: ``.venv/bin/python bench/bench_speciation.py [n]`` (not part of the test run).
"""

from __future__ import annotations

import sys
import time

import numpy as np

STATES = ["Na", "K", "Ca", "Mg", "Fe(2)", "Al", "Si", "Cl", "S(6)", "C(4)"]


def waters(n: int, seed: int = 2024):
    rng = np.random.default_rng(seed)
    tot = 10 ** rng.uniform(-5.0, -1.5, (n, len(STATES)))
    tot[:, 5] = 10 ** rng.uniform(-8.0, -5.5, n)  # Al
    tot[:, 6] = 10 ** rng.uniform(-4.5, -2.5, n)  # Si
    tot[:, 4] = 10 ** rng.uniform(-7.0, -3.5, n)  # Fe(2)
    cat = tot[:, 0] + tot[:, 1] + 2 * tot[:, 2] + 2 * tot[:, 3] + 2 * tot[:, 4]
    tot[:, 8] = np.minimum(tot[:, 8], 0.3 * cat / 2)
    excess = np.sign(rng.uniform(-1, 1, n)) * 10 ** rng.uniform(-5.0, -2.5, n)
    tot[:, 7] = np.maximum(cat - 2 * tot[:, 8] + excess, 1e-6)  # Cl: pH ~3-10 from the charge balance
    t_c = rng.uniform(5.0, 95.0, n)
    return tot, t_c


def _run_phreeqc(ws, database: str):
    from phreeqc import Phreeqc

    from ccus.thermo.system import database_path
    from ccus.validation.phreeqc_reference import phreeqc_input

    text = phreeqc_input(ws, ["H+"], ["Calcite", "Chalcedony", "CO2(g)"])
    p = Phreeqc()
    p.LoadDatabase(str(database_path(database)))
    t0 = time.perf_counter()
    nerr = p.RunString(text)
    out = p.GetSelectedOutput()
    elapsed = time.perf_counter() - t0
    if nerr:
        raise SystemExit(f"PHREEQC failed: {p.GetErrorString()}")
    return elapsed, np.asarray(out["pH"], float)


def main(n: int = 10_000) -> dict[str, float]:
    from ccus.chemistry.speciation import solve
    from ccus.thermo.system import reduced_system
    from ccus.validation.phreeqc_reference import Water

    tot, t_c = waters(n)
    system = reduced_system("Kinec_v3.dat", STATES)  # parse + reduce (cached as JSON)
    solve(system, tot[:10], t_c[:10] + 273.15)  # warm-up (imports, first allocation)
    print(f"waters: {n}, elements: {len(STATES)}, species: {len(system.species)}, phases: {len(system.phases)}")
    ratios = {}
    ph_cb = None
    for label, charge_balance in (("pH from charge balance", True), ("pH given (fixed)", False)):
        ph = np.full(n, 7.0) if charge_balance else ph_cb
        t0 = time.perf_counter()
        res = solve(system, tot, t_c + 273.15, ph=ph, charge_balance=charge_balance)
        t_native = time.perf_counter() - t0
        if charge_balance:
            ph_cb = res.pH.copy()
        ws = [Water(dict(zip(STATES, tot[k], strict=True)), t_c[k], float(ph[k]), charge_balance) for k in range(n)]
        t_phreeqc, ph_ref = _run_phreeqc(ws, "Kinec_v3.dat")
        dph = np.abs(ph_ref - res.pH).max()
        print(f"[{label}]")
        print(f"  native batched : {t_native:8.3f} s  ({n / t_native:8.0f} waters/s, "
              f"Newton iterations median {np.median(res.iterations):.0f}, max {res.iterations.max()})")
        print(f"  PHREEQC        : {t_phreeqc:8.3f} s  ({n / t_phreeqc:8.0f} waters/s, one input, {n} SOLUTIONs)")
        print(f"  ratio PHREEQC / native: {t_phreeqc / t_native:.1f}x   (max |pH difference| {dph:.2e})")
        ratios[label] = t_phreeqc / t_native
    return ratios


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
