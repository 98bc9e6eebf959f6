"""Agreement of the native transport with PHREEQC's TRANSPORT on one small linear case.

The case (:data:`CASE`): the CarbFix1 site water and rock, a 6-cell streamline of
10 m cells, pore velocity 1 m/d (10-day shifts), dispersivity 2 m, CO2-charged
injectate with an SF6 tracer for the first 20 days, then formation water; calcite
kinetic and kaolinite at equilibrium. Both engines run the same
:class:`~ccus.config.experiment.Experiment` (native at Courant number 1, i.e. the same
shifts) and are compared at every shift end and in every cell (the profiles), time
zero included. ``quick`` runs the first 30 days (3 shifts), the full panel 60 days.

Radial flow is not compared here: on equal-volume rings at Courant 1 the native
radial model moves the water exactly as the linear one (tests/unit/transport checks
that ring i equals cell i), and PHREEQC's TRANSPORT has no radial geometry.

Tolerances and their reasons
----------------------------
The native transport follows PHREEQC's TRANSPORT scheme step for step (shift, then
explicit dispersive mixing in ``1 + floor(1.5 * 2 alpha / dx)`` sub-steps, reaction
after the shift and after every mix over ``dt / (1 + n_mix)``, half of that for the
first cell's resident and entering water), so what remains is the cell chemistry:

- tracer mixing fraction: 1e-5 absolute. Same mixing arithmetic; PHREEQC mixes
  solutions by their water mass, which reactions change by ~0.1 %, the native
  transport by nominal kg, so the fractions differ by < 1e-6 (measured 7e-7).
- pH: 0.01, the batch panel's target (native kinetics vs PHREEQC); measured 8e-5.
- element totals (DIC, Ca, Mg, Si, Fe, Al, every cell): 2 % of the PHREEQC value or
  1e-8 mol/kg, as the batch panel (totals inherit the mineral amounts' 1 % plus the
  pH dependence of what an equilibrium phase holds); measured 0.22 % (Ca).
- mineral amounts summed over the cells and carbon in carbonates: 1 % or 1e-8 mol (the
  batch panel's target); measured 0.12 % (calcite at day 10).
- fraction mineralised: 0.005 (the batch panel's target).
- carbon injected: 1e-9 relative (the same injectate and shifts: equal to round-off).

Measured values are in the frame (``max_diff``, ``diff_over_tol``); the generated
docs/validation.md shows them.
"""

from __future__ import annotations

import tempfile
import time as _time
from pathlib import Path

import numpy as np

from ccus.validation.panel import panel_frame

CASE = """
[experiment]
name = "transport_panel"
description = "native transport vs PHREEQC TRANSPORT: 6 cells of 10 m, 10-day shifts"
kind = "linear"
site = "carbfix1"
duration = "{duration}"

[injection]
dissolution_pressure = "30 bar"
water_temperature = "20 degC"
[[injection.phases]]
name = "I"
start = "0 d"
duration = "20 d"
gas_rate = "0.01 kg/s"
water_gas_ratio = 25
tracers = {{ SF6 = "1e-9 mol/kg" }}

[transport]
length = "60 m"
cells = 6
velocity = "1 m/d"
dispersivity = "2 m"
monitoring = {{ near = "20 m", far = "60 m" }}

[secondary.calcite]
mineral = "Calcite"
rate_set = "oelkers_addassi2024"
surface_area = "1 m^2/kg"

[secondary.kaolinite]
mineral = "Kaolinite"
mode = "equilibrium"

[solver]
method = "cvode"
"""
QUICK_DURATION, FULL_DURATION = "30 d", "60 d"

MIX_TOL = 1e-5
PH_TOL = 0.01
TOTAL_RTOL, TOTAL_ATOL = 0.02, 1e-8  # -, mol/kg water
MINERAL_RTOL, MINERAL_ATOL = 0.01, 1e-8  # -, mol
FRACTION_TOL = 0.005
TOTALS = ("DIC", "Ca", "Mg", "Si", "Fe", "Al")
COLUMNS = ["quantity", "unit", "max_diff", "time_d", "cell", "phreeqc", "native", "tolerance", "diff_over_tol",
           "within_tolerance", "note"]


def _row(quantity, unit, diff, tol, t_d, cell, a, b, note=""):
    ratio = float(np.max(diff / tol)) if np.size(diff) else 0.0
    return {"quantity": quantity, "unit": unit, "max_diff": float(np.max(diff)) if np.size(diff) else 0.0,
            "time_d": t_d, "cell": cell, "phreeqc": a, "native": b, "tolerance": float(np.ravel(tol)[0]) if np.size(tol) == 1 else None,
            "diff_over_tol": ratio, "within_tolerance": bool(ratio <= 1.0), "note": note}


def _worst(quantity, unit, p, n, tol, t_d, note=""):
    """Row for arrays p (PHREEQC), n (native) of shape (time, cell) or (time,) with tolerance array ``tol``."""
    diff = np.abs(n - p)
    tol = np.broadcast_to(tol, diff.shape)
    k = np.unravel_index(int(np.argmax(diff / tol)), diff.shape)
    cell = int(k[1]) + 1 if len(k) > 1 else None
    row = _row(quantity, unit, diff[k], tol[k], float(t_d[k[0]]), cell, float(p[k]), float(n[k]), note)
    row["diff_over_tol"] = float(diff[k] / tol[k])
    row["within_tolerance"] = bool(diff[k] <= tol[k])
    row["tolerance"] = float(tol[k])
    return row


def compare_transport(rp, rn) -> list[dict]:
    """Rows comparing the PHREEQC Result ``rp`` with the native Result ``rn`` of the same case."""
    t_d = rp.time.to("day").magnitude
    if not np.allclose(t_d, rn.time.to("day").magnitude, rtol=1e-9):
        return [_row("output times", "d", np.array([np.inf]), np.array([1.0]), float(t_d[-1]), None, None, None,
                     "the engines reported different output times")]
    rows = []
    mix_p = {k: v.magnitude for k, v in rp.series.items() if k.endswith("mixing fraction")}
    for k, v in mix_p.items():
        rows.append(_worst(k, "-", v, rn[k].magnitude, np.array(MIX_TOL), t_d))
    p, n = rp.profiles["SF6 mixing fraction"].magnitude, rn.profiles["SF6 mixing fraction"].magnitude
    rows.append(_worst("SF6 mixing fraction (every cell)", "-", p, n, np.array(MIX_TOL), t_d))
    rows.append(_worst("pH (every cell)", "-", rp.profiles["pH"].magnitude, rn.profiles["pH"].magnitude,
                       np.array(PH_TOL), t_d))
    for el in TOTALS:
        key = el if el == "DIC" else f"{el} total"
        p, n = rp.profiles[key].magnitude, rn.profiles[key].magnitude
        rows.append(_worst(f"{key} (every cell)", "mol/kg", p, n, np.maximum(TOTAL_RTOL * np.abs(p), TOTAL_ATOL), t_d))
    for key in ("Calcite amount", "Kaolinite amount", "carbon in carbonates"):
        p, n = rp[key].magnitude, rn[key].magnitude
        rows.append(_worst(f"{key} (all cells)", "mol", p, n, np.maximum(MINERAL_RTOL * np.abs(p), MINERAL_ATOL), t_d))
    p, n = rp["fraction mineralised"].magnitude, rn["fraction mineralised"].magnitude
    rows.append(_worst("fraction mineralised", "-", p, n, np.array(FRACTION_TOL), t_d))
    p, n = rp["carbon injected"].magnitude, rn["carbon injected"].magnitude
    rows.append(_worst("carbon injected", "mol", p, n, np.maximum(1e-9 * np.abs(p), 1e-12), t_d,
                       note="the same injectate and shifts: equal to round-off"))
    return rows


def run_transport_panel(quick: bool = False):
    """Agreement table native transport vs PHREEQC TRANSPORT on :data:`CASE`.

    Returns
    -------
    (pandas.DataFrame, bool)
        One row per quantity (columns :data:`COLUMNS`): the largest difference native -
        PHREEQC relative to its tolerance (at ``time_d`` [d] and ``cell``, both values
        there), or a row naming a failed run; and True if every row is within tolerance.
        ``frame.attrs["runs"]`` holds the duration and the wall time of each engine [s].
    """

    import ccus
    from ccus.config.experiment import load_experiment
    from ccus.errors import CcusError

    duration = QUICK_DURATION if quick else FULL_DURATION
    info = {"case": "transport_panel (6 cells, linear)", "duration": duration}
    rows, results = [], {}
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "transport_panel.toml"
        path.write_text(CASE.format(duration=duration))
        exp = load_experiment(path)
        for engine in ("phreeqc", "native"):
            t0 = _time.perf_counter()
            try:
                results[engine] = ccus.run(exp, engine=engine)
            except CcusError as exc:
                rows.append(_row(f"{engine} run", "", np.array([np.inf]), np.array([1.0]), None, None, None, None,
                                 f"{engine} engine failed: {type(exc).__name__}: {exc}"))
            info[f"{engine}_s"] = _time.perf_counter() - t0
    if not rows:
        rows = compare_transport(results["phreeqc"], results["native"])
    return panel_frame(rows, COLUMNS, [info], quick)


if __name__ == "__main__":  # pragma: no cover - manual run
    import sys

    from ccus.validation.panel import main

    main(run_transport_panel, sys.argv)
