"""Benchmark: native batched speciation of 10,000 waters vs PHREEQC on the same waters.

Both engines run in this process, one after the other, on identical inputs (10
elements, CarbFix-range compositions, 5-95 degC, Kinec_v3.dat), twice: with the pH from
the charge balance, and with the pH given (the charge-balanced pH, held fixed).

Fairness (what each engine is asked for and how it is run):

- **One core each.** PHREEQC (IPhreeqc from the ``phreeqc`` wheel) is single-threaded; the
  native engine runs with ``threads=1`` and a single-threaded BLAS (set below, before numpy
  is imported). Times are CPU seconds of this process (``time.process_time``), which the
  other processes of a shared machine disturb far less than wall time; wall times are
  printed too.
- **Same outputs** (the headline ratio): what a user typically asks for, pH, ionic strength,
  the molalities of :data:`SPECIES` and the saturation indices of :data:`PHASES`. PHREEQC
  gets ONE input holding all SOLUTION blocks, each numbered 1 (``PRINT -reset false``, a
  SELECTED_OUTPUT with exactly these columns; the fastest way through the bindings we found,
  see docs/speciation.md),
  and its time includes fetching the selected output. The native engine always computes
  every species and every saturation index (its time includes them), then the same columns
  are taken from its arrays.
- **Full output**: PHREEQC also punches every species (75) and every saturation index (196)
  of the system, which is what the native engine returns anyway.
- The PHREEQC input text is built before its clock starts; the native clock covers
  :func:`ccus.chemistry.speciation.solve` (and the column extraction) only, after one
  warm-up call on 10 waters; of :data:`NATIVE_REPEATS` timed native calls the median is
  kept (PHREEQC runs once: ~15 s). The reduced system is loaded from its cache before both.

A calibration line times PHREEQC on 1,000 simple waters (Ca, Na, Cl, C(4) at 25 degC), with
``phreeqc.dat`` and with ``Kinec_v3.dat``: PHREEQC's speed depends strongly on the database
and on the number of elements, which is why it is far below the ~5,000 waters/s it reaches
on simple waters.

Run: ``.venv/bin/python bench/bench_speciation.py [n] [--same-only]`` (not part of the test
run). :func:`main` returns the numbers as a dict.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # one core for the native engine too (before numpy is imported)

import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

STATES = ["Na", "K", "Ca", "Mg", "Fe(2)", "Al", "Si", "Cl", "S(6)", "C(4)"]
#: outputs a user asks for (the "same outputs" comparison), besides pH and ionic strength
SPECIES = ["CO2", "HCO3-", "CO3-2", "Ca+2", "Mg+2", "Fe+2", "Al(OH)4-", "SiO2"]
PHASES = ["Calcite", "Magnesite", "Siderite", "Dolomite", "Ankerite", "Chalcedony", "Kaolinite", "CO2(g)"]
DATABASE = "Kinec_v3.dat"
#: the native call is timed this many times and the median run kept (it takes ~1 s; PHREEQC's
#: single run takes ~15 s, long enough that its own start-up is amortised)
NATIVE_REPEATS = 3


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


def phreeqc_text(tot, t_c, ph, charge_balance: bool, species, phases) -> str:
    """One PHREEQC input: every water a ``SOLUTION 1`` block, nothing printed, one SELECTED_OUTPUT.

    Every block reuses number 1: PHREEQC keeps each numbered solution, and with 10,000
    distinct numbers it runs about half as fast (measured: 346 vs 722 waters/s).
    """
    head = [
        "PRINT",
        "  -reset false",
        "SELECTED_OUTPUT 1",
        "  -reset false",
        "  -pH true",
        "  -ionic_strength true",
        "  -molalities " + " ".join(species),
        "  -saturation_indices " + " ".join(phases),
    ]
    charge = " charge" if charge_balance else ""
    blocks = []
    for k in range(tot.shape[0]):
        lines = ["SOLUTION 1", f"  temp {float(t_c[k])!r}", "  units mol/kgw",
                 f"  pH {float(ph[k])!r}{charge}", "  pe 4", "  -water 1"]  # fmt: skip
        lines += [f"  {s} {float(v)!r}" for s, v in zip(STATES, tot[k], strict=True)]
        lines.append("END")
        blocks.append("\n".join(lines))
    return "\n".join(head) + "\n" + "\n".join(blocks) + "\n"


def run_phreeqc(text: str, database: str, n_rows: int) -> tuple[float, float, dict]:
    """(cpu s, wall s, selected output) of one RunString + GetSelectedOutput."""
    from phreeqc import Phreeqc

    from ccus.thermo.system import database_path

    p = Phreeqc()
    p.LoadDatabase(str(database_path(database)))
    c0, t0 = time.process_time(), time.perf_counter()
    nerr = p.RunString(text)
    out = p.GetSelectedOutput()
    cpu, wall = time.process_time() - c0, time.perf_counter() - t0
    if nerr:
        raise SystemExit(f"PHREEQC failed: {p.GetErrorString()}")
    if len(out["pH"]) != n_rows:
        raise SystemExit(f"PHREEQC returned {len(out['pH'])} rows for {n_rows} waters")
    return cpu, wall, out


def calibration(n: int = 1000) -> dict[str, float]:
    """PHREEQC waters per CPU second on simple waters (Ca, Na, Cl, C(4); 25 degC), two databases."""
    text = "PRINT\n  -reset false\nSELECTED_OUTPUT 1\n  -reset false\n  -pH true\n" + "".join(
        "SOLUTION 1\n  temp 25\n  units mmol/kgw\n  pH 7 charge\n  Ca 1\n  Na 2\n  Cl 2\n  C(4) 2\nEND\n"
        for k in range(n)
    )
    return {db: n / run_phreeqc(text, db, n)[0] for db in ("phreeqc.dat", DATABASE)}


def main(n: int = 10_000, full: bool = True) -> dict:
    """Run the benchmark, print it, and return its numbers (per case: seconds, waters/s, ratios)."""
    from ccus.chemistry.speciation import solve
    from ccus.thermo.system import reduced_system

    tot, t_c = waters(n)
    system = reduced_system(DATABASE, STATES)  # parse + reduce (cached as JSON)
    solve(system, tot[:10], t_c[:10] + 273.15, threads=1)  # warm-up (imports, first allocation)
    i_sp = [system.species.index(s) for s in SPECIES]
    i_ph = [system.phases.index(p) for p in PHASES]
    print(f"waters: {n}, elements: {len(STATES)}, species: {len(system.species)}, phases: {len(system.phases)}, "
          f"{DATABASE}; one core each, CPU seconds (wall in parentheses)")  # fmt: skip
    cal = calibration()
    print("PHREEQC on 1,000 simple waters (Ca, Na, Cl, C(4), 25 degC): "
          + ", ".join(f"{db} {v:,.0f} waters/s" for db, v in cal.items()))  # fmt: skip
    results: dict = {"waters": n, "calibration_waters_per_s": cal}
    ph_cb = None
    for label, charge_balance in (("pH from charge balance", True), ("pH given (fixed)", False)):
        ph = np.full(n, 7.0) if charge_balance else ph_cb
        runs = []
        for _ in range(NATIVE_REPEATS):
            c0, t0 = time.process_time(), time.perf_counter()
            res = solve(system, tot, t_c + 273.15, ph=ph, charge_balance=charge_balance, threads=1)
            native = {"pH": res.pH, "mu": res.ionic_strength, "m": 10.0 ** res.log_molality[:, i_sp],
                      "si": res.saturation_index[:, i_ph]}  # fmt: skip
            runs.append((time.process_time() - c0, time.perf_counter() - t0))
        c_nat, t_nat = sorted(runs)[len(runs) // 2]  # the median run (the first one pays page faults)
        if charge_balance:
            ph_cb = res.pH.copy()
        text = phreeqc_text(tot, t_c, ph, charge_balance, SPECIES, PHASES)
        c_phq, t_phq, out = run_phreeqc(text, DATABASE, n)
        d_ph = np.abs(np.asarray(out["pH"]) - native["pH"]).max()
        d_si = max(np.nanmax(np.abs(np.asarray(out["si_" + p]) - native["si"][:, j])) for j, p in enumerate(PHASES))
        d_m = max(
            np.nanmax(np.abs(np.asarray(out[f"m_{s}(mol/kgw)"]) / native["m"][:, j] - 1.0)[native["m"][:, j] > 1e-12])
            for j, s in enumerate(SPECIES)
        )
        case = {
            "native_cpu_s": c_nat, "native_wall_s": t_nat, "phreeqc_cpu_s": c_phq, "phreeqc_wall_s": t_phq,
            "native_waters_per_s": n / c_nat, "phreeqc_waters_per_s": n / c_phq, "ratio_same_outputs": c_phq / c_nat,
            "ratio_same_outputs_wall": t_phq / t_nat, "newton_iterations_median": float(np.median(res.iterations)),
            "max_abs_ph_diff": float(d_ph), "max_abs_si_diff": float(d_si), "max_rel_molality_diff": float(d_m),
        }  # fmt: skip
        print(f"[{label}]")
        print(f"  native, one batched call : {c_nat:7.3f} s ({t_nat:7.3f} s)  {n / c_nat:8,.0f} waters/s  "
              f"(Newton iterations median {np.median(res.iterations):.0f}, max {res.iterations.max()}; "
              f"all {len(system.species)} species and {len(system.phases)} SIs computed)")  # fmt: skip
        print(f"  PHREEQC, same outputs    : {c_phq:7.3f} s ({t_phq:7.3f} s)  {n / c_phq:8,.0f} waters/s  "
              f"(pH, I, {len(SPECIES)} molalities, {len(PHASES)} SIs)")  # fmt: skip
        print(f"  ratio PHREEQC / native, same outputs: {c_phq / c_nat:5.1f}x  (wall {t_phq / t_nat:.1f}x; "
              f"max |pH diff| {d_ph:.1e}, |SI diff| {d_si:.1e}, rel. molality diff {d_m:.1e})")  # fmt: skip
        if full:
            text = phreeqc_text(tot, t_c, ph, charge_balance, system.species, system.phases)
            c_full, t_full, _ = run_phreeqc(text, DATABASE, n)
            case.update(phreeqc_full_cpu_s=c_full, phreeqc_full_wall_s=t_full, ratio_full_output=c_full / c_nat)
            print(f"  PHREEQC, full output     : {c_full:7.3f} s ({t_full:7.3f} s)  {n / c_full:8,.0f} waters/s  "
                  f"(all {len(system.species)} molalities and {len(system.phases)} SIs)")  # fmt: skip
            print(f"  ratio PHREEQC / native, full output: {c_full / c_nat:5.1f}x  (wall {t_full / t_nat:.1f}x)")
        results[label] = case
    return results


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(args[0]) if args else 10_000, full="--same-only" not in sys.argv)
