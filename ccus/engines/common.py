"""Bookkeeping shared by the engines: mineral series, carbon in carbonates, fraction mineralised."""

from __future__ import annotations

import numpy as np

from ccus.config.database_names import phase_formula
from ccus.formula import element_counts
from ccus.units import Q_, unit


def mineral_series(kinetic, equilibrium, database_path: str, carbon_injected) -> tuple[dict, dict]:
    """Series and ``minerals`` metadata of a Result from mineral amounts.

    Parameters
    ----------
    kinetic
        ``(mineral, amount [mol] array, m0 [mol])`` for each kinetic mineral; ``mineral``
        has ``.rate`` (a MineralRate) and ``.primary``.
    equilibrium
        ``(phase name, amount [mol] array)`` for each equilibrium phase (none at the start).
    database_path
        The database, for the formulas of equilibrium phases.
    carbon_injected
        Carbon injected [mol] as a quantity (scalar) or array over time.

    Returns
    -------
    series, minerals
        ``"<Mineral> amount"``, ``"carbon in carbonates"`` and ``"fraction mineralised"``
        series, and the ``minerals`` dict of the Result.
    """
    series: dict = {}
    minerals: dict = {}
    carbonate = None
    for k, amount, m0 in kinetic:
        series[f"{k.rate.name} amount"] = Q_(amount, unit("mol"))
        nC = k.rate.carbon()
        minerals[k.rate.name] = {"role": "primary" if k.primary else "secondary", "carbon": nC,
                                 "elements": k.rate.elements, "formula": k.rate.formula, "m0": m0}
        carbonate = (0.0 if carbonate is None else carbonate) + nC * (np.asarray(amount) - m0)
    for p, amount in equilibrium:
        series[f"{p} amount"] = Q_(amount, unit("mol"))
        formula = phase_formula(database_path, p)
        els = element_counts(formula) if formula else {}
        minerals[p] = {"role": "equilibrium", "carbon": els.get("C", 0.0), "elements": els, "formula": formula, "m0": 0.0}
        carbonate = (0.0 if carbonate is None else carbonate) + els.get("C", 0.0) * np.asarray(amount)
    carbonate = np.asarray(carbonate, dtype=float)
    series["carbon in carbonates"] = Q_(carbonate, unit("mol"))
    injected = np.asarray(carbon_injected.to(unit("mol")).magnitude, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(injected > 0, carbonate / np.where(injected > 0, injected, 1.0), 0.0)
    series["fraction mineralised"] = Q_(frac, unit("dimensionless"))
    return series, minerals
