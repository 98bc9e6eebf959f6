"""Run the same waters through PHREEQC (the ``phreeqc`` package, IPhreeqc) for comparison.

One PHREEQC input holds one ``SOLUTION`` block per water (``units mol/kgw``,
water mass 1 kg, pe 4), optionally followed by ``EQUILIBRIUM_PHASES``; results come
back through ``SELECTED_OUTPUT`` (pH, ionic strength, log a_w, molalities of all
species of the native reduced system and saturation indices of all its phases).
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


def phreeqc_input(waters: Sequence[Water], species: Sequence[str], phases: Sequence[str]) -> str:
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
        lines += [
            f"SOLUTION {i}",
            f"  temp {float(w.temperature_c)!r}",
            "  units mol/kgw",
            f"  pH {float(w.ph)!r}" + (" charge" if w.charge_balance else ""),
            f"  pe {float(w.pe)!r}",
            "  -water 1",
        ]
        for k, v in w.totals.items():
            lines.append(f"  {k} {float(v)!r}")
        if w.eq_phases:
            lines.append(f"EQUILIBRIUM_PHASES {i}")
            for name, (si, moles) in w.eq_phases.items():
                lines.append(f"  {name} {float(si)!r} {float(moles)!r}")
        lines.append("END")
    return "\n".join(lines) + "\n"


def run_phreeqc(
    waters: Sequence[Water], species: Sequence[str], phases: Sequence[str], database: str = "Kinec_v3.dat"
) -> dict[str, np.ndarray]:
    """Speciate ``waters`` with PHREEQC; returns columns as arrays (one row per water).

    Keys: ``pH``, ``mu``, ``la_w``, ``m_<species>``, ``si_<phase>`` (NaN where
    PHREEQC reports the phase as absent, -999.999). With equilibrium phases the row
    after the reaction is returned.
    """
    from phreeqc import Phreeqc

    p = Phreeqc()
    p.LoadDatabase(str(database_path(database)))
    text = phreeqc_input(waters, species, phases)
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
