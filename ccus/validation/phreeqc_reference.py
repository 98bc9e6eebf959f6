"""Run the same waters through PHREEQC (the ``phreeqc`` package, IPhreeqc) for comparison.

One PHREEQC input holds one simulation per water (``SOLUTION 1``, ``units mol/kgw``,
water mass 1 kg, pe 4), optionally followed by ``EQUILIBRIUM_PHASES 1``; results come
back through ``SELECTED_OUTPUT`` (pH, ionic strength, log a_w, molalities of all
species of the native reduced system and saturation indices of all its phases).

Every simulation reuses solution and phase-assemblage number 1 (each ends with
``END`` and its reactants are used only in that simulation). Numbering them 1..N
instead keeps N solutions in PHREEQC's memory, and the cost grows with N: measured
side by side (``python -m ccus.validation.phreeqc_reference N``, CPU time,
2026-11-25) 1.08x slower at 2,000 waters and 1.85x at 10,000.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ccus.errors import EngineError
from ccus.thermo.system import database_path


@dataclass
class Water:
    """One water for the comparison: totals [mol/kg water] by PHREEQC state key."""

    totals: dict[str, float]
    temperature_c: float = 25.0
    ph: float = 7.0
    charge_balance: bool = True
    pe: float = 4.0
    eq_phases: dict[str, tuple[float, float]] | None = None  # name -> (SI target, moles)
    pressure_atm: float = 1.0


def phreeqc_input(waters: Sequence[Water], species: Sequence[str], phases: Sequence[str],
                  numbered: bool = False) -> str:
    """PHREEQC input for ``waters``: one simulation each, all as ``SOLUTION 1`` (``numbered``: 1..N, slower)."""
    lines = [
        "SELECTED_OUTPUT 1",
        "  -reset false",
        "  -pH true",
        "  -ionic_strength true",
        "  -molalities " + " ".join(species),
        "  -saturation_indices " + " ".join(phases),
        "USER_PUNCH 1",
        "  -headings la_w",
        '  10 PUNCH LA("H2O")',
    ]
    for i, w in enumerate(waters, start=1):
        n = i if numbered else 1
        lines += [
            f"SOLUTION {n}",
            f"  temp {float(w.temperature_c)!r}",
            "  units mol/kgw",
            f"  pH {float(w.ph)!r}" + (" charge" if w.charge_balance else ""),
            f"  pe {float(w.pe)!r}",
            "  -water 1",
        ]
        if float(w.pressure_atm) != 1.0:
            lines.append(f"  pressure {float(w.pressure_atm)!r}")
        for k, v in w.totals.items():
            lines.append(f"  {k} {float(v)!r}")
        if w.eq_phases:
            lines.append(f"EQUILIBRIUM_PHASES {n}")
            for name, (si, moles) in w.eq_phases.items():
                lines.append(f"  {name} {float(si)!r} {float(moles)!r}")
        lines.append("END")
    return "\n".join(lines) + "\n"


def run_phreeqc(
    waters: Sequence[Water], species: Sequence[str], phases: Sequence[str], database: str = "Kinec_v3.dat",
    numbered: bool = False,
) -> dict[str, np.ndarray]:
    """Speciate ``waters`` with PHREEQC; returns columns as arrays (one row per water).

    Keys: ``pH``, ``mu``, ``la_w``, ``m_<species>``, ``si_<phase>`` (NaN where
    PHREEQC reports the phase as absent, -999.999). With equilibrium phases the row
    after the reaction is returned.
    """
    from phreeqc import Phreeqc

    p = Phreeqc()
    p.LoadDatabase(str(database_path(database)))
    text = phreeqc_input(waters, species, phases, numbered)
    nerr = p.RunString(text)
    if nerr:
        raise EngineError(f"PHREEQC failed: {p.GetErrorString().strip()}")
    out = p.GetSelectedOutput()
    ncol = len(out["pH"])
    # rows: one per SOLUTION, plus one per reaction step with EQUILIBRIUM_PHASES
    rows: list[int] = []
    r = 0
    for w in waters:
        rows.append(r + (1 if w.eq_phases else 0))
        r += 2 if w.eq_phases else 1
    if r != ncol:
        raise EngineError(f"PHREEQC returned {ncol} rows for {len(waters)} waters (expected {r})")
    res: dict[str, np.ndarray] = {
        "pH": np.array([out["pH"][i] for i in rows], float),
        "mu": np.array([out["mu"][i] for i in rows], float),
        "la_w": np.array([out["la_w"][i] for i in rows], float),
    }
    for s in species:
        res["m_" + s] = np.array([out["m_" + s + "(mol/kgw)"][i] for i in rows], float)
    for ph in phases:
        v = np.array([out["si_" + ph][i] for i in rows], float)
        res["si_" + ph] = np.where(v <= -999.0, math.nan, v)
    return res


def _bench_waters(n: int) -> list[Water]:
    """``n`` CarbFix-like waters (Ca-Mg-Na-HCO3-Cl, 10-50 C) for the numbering benchmark."""
    rng = np.random.default_rng(1)
    out = []
    for _ in range(n):
        c = rng.uniform(1e-3, 0.5)
        out.append(Water({"Na": rng.uniform(1e-3, 0.05), "Ca": rng.uniform(1e-4, 5e-3), "Mg": rng.uniform(1e-5, 2e-3),
                          "Cl": rng.uniform(1e-3, 0.05), "C(4)": c, "Si": rng.uniform(1e-4, 1e-3)},
                         temperature_c=rng.uniform(10, 50), ph=rng.uniform(4, 9), charge_balance=False))
    return out


def main(argv: list[str] | None = None) -> int:
    """Time PHREEQC on the same waters as SOLUTION 1 each time and as SOLUTION 1..N, side by side."""
    import argparse
    import time

    ap = argparse.ArgumentParser(prog="python -m ccus.validation.phreeqc_reference", description=main.__doc__)
    ap.add_argument("n", nargs="?", type=int, default=2000, help="number of waters (default 2000)")
    a = ap.parse_args(argv)
    waters = _bench_waters(a.n)
    species, phases = ["CO2", "HCO3-", "CO3-2", "Ca+2", "CaHCO3+"], ["Calcite", "Chalcedony", "Magnesite"]
    cpu: dict[bool, list[float]] = {False: [], True: []}
    results = {}
    for numbered in (False, True, False):  # reused twice: the first call also loads the database
        t0 = time.process_time()
        results[numbered] = run_phreeqc(waters, species, phases, numbered=numbered)
        cpu[numbered].append(time.process_time() - t0)
    if any(not np.array_equal(results[False][k], results[True][k], equal_nan=True) for k in results[False]):
        raise EngineError("PHREEQC gave different results for the same waters numbered 1..N")
    reused, numbered_t = min(cpu[False]), cpu[True][0]
    print(f"{a.n} waters, PHREEQC CPU time: SOLUTION 1 each time {reused:.2f} s ({a.n / reused:.0f} waters/s), "
          f"SOLUTION 1..N {numbered_t:.2f} s ({a.n / numbered_t:.0f} waters/s); ratio {numbered_t / reused:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
