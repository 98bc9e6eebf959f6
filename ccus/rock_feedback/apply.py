"""Rock feedback on a transport Result: porosity, permeability, clogging, well pressure.

:func:`apply_feedback` reads the mineral amounts and pore water per cell
(``Result.profiles``) and adds

- profiles ``"porosity"`` [-] and ``"permeability ratio"`` (k/k0) [-];
- series ``"minimum porosity"``, ``"minimum permeability ratio"``, ``"well skin"``
  (configured skin + rock skin) [-], ``"well pressure build-up"`` [bar] and, when the
  site has a fracture gradient, ``"well pressure margin"`` and ``"well pressure margin
  (unaltered rock)"`` [bar];
- ``context["rock_feedback"]``: settings, molar volumes with their sources, clogging
  (first time and position), extremes, and the minimum pressure margin with and without
  the feedback (also evaluated at the end of every injection phase).

Equations and assumptions: docs/rock-feedback.md. The feedback is diagnostic: the
flow field of the transport run is not changed by the porosity it computes.
"""

from __future__ import annotations

import numpy as np

from ccus.rock_feedback.clogging import find_clogging
from ccus.rock_feedback.molar_volume import molar_volumes
from ccus.rock_feedback.permeability import DEFAULT_EXPONENT, permeability_ratio
from ccus.rock_feedback.porosity import bulk_volume, porosity, solid_volume_change
from ccus.rock_feedback.well import cell_edges, radial_skin, stepped_rate_buildup
from ccus.units import Q_

PA_PER_BAR = 1e5


def feedback_settings(experiment):
    """The experiment's ``[transport.feedback]`` settings (defaults when absent)."""
    from ccus.config.feedback import Feedback

    tr = getattr(experiment, "transport", None)
    fb = getattr(tr, "feedback", None) if tr is not None else None
    return fb if fb is not None else Feedback()


def _interp_skin(t_new: np.ndarray, t: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Skin at ``t_new`` by linear interpolation between output times (inf if a neighbour is inf)."""
    finite = np.where(np.isfinite(s), s, 0.0)
    out = np.interp(t_new, t, finite)
    j = np.clip(np.searchsorted(t, t_new, side="left"), 0, len(t) - 1)
    i = np.clip(j - 1, 0, len(t) - 1)
    bad = ~np.isfinite(s[i]) | ~np.isfinite(s[j])
    return np.where(bad, np.inf, out)


def apply_feedback(result, experiment):
    """Add porosity, permeability, clogging and well-pressure figures to a transport ``result``.

    Returns the same Result object (modified). Results without profiles (batch runs)
    and experiments with ``[transport.feedback] enabled = false`` come back unchanged.
    """
    if not result.profiles or result.cells is None:
        return result
    fb = feedback_settings(experiment)
    if not fb.enabled:
        result.context["rock_feedback"] = {"enabled": False}
        return result
    site = experiment.site
    phi0 = float(site.porosity)
    t = np.asarray(result.time.to("s").magnitude, dtype=float)
    cells = np.asarray(result.cells.to("m").magnitude, dtype=float)

    # porosity from mineral volume changes
    amounts = {k[: -len(" amount")]: np.asarray(v.to("mol").magnitude, dtype=float)
               for k, v in result.profiles.items() if k.endswith(" amount")}
    formulas = {m: (result.minerals.get(m, {}) or {}).get("formula") for m in amounts}
    vms = molar_volumes(formulas, experiment.database_path)
    water0 = np.asarray(result.profiles["pore water"].to("kg").magnitude, dtype=float)[0]
    bulk = bulk_volume(water0, phi0)
    dvs = solid_volume_change(amounts, {m: v.value for m, v in vms.items()})
    phi = porosity(phi0, dvs, bulk)
    kr = permeability_ratio(phi, phi0, fb.permeability_model, fb.exponent, fb.critical_porosity)
    result.profiles["porosity"] = Q_(phi, "dimensionless")
    result.profiles["permeability ratio"] = Q_(kr, "dimensionless")
    result.series["minimum porosity"] = Q_(phi.min(axis=1), "dimensionless")
    result.series["minimum permeability ratio"] = Q_(kr.min(axis=1), "dimensionless")
    clog = find_clogging(kr, phi, t, cells, fb.clogging_ratio, fb.critical_porosity)

    ctx = {
        "enabled": True,
        "permeability_model": fb.permeability_model,
        "exponent": float(fb.exponent if fb.exponent is not None else DEFAULT_EXPONENT[fb.permeability_model]),
        "critical_porosity": fb.critical_porosity,
        "clogging_ratio": fb.clogging_ratio,
        "initial_porosity": phi0,
        "bulk_volume_first_cell": f"{float(bulk[0]):.4g} m^3",
        "molar_volumes": {m: {"value": f"{v.value * 1e6:.5g} cm^3/mol", "source": v.source} for m, v in vms.items()},
        "minimum_porosity": float(phi.min()),
        "maximum_porosity": float(phi.max()),
        "minimum_permeability_ratio": float(kr.min()),
        "final_minimum_permeability_ratio": float(kr[-1].min()),
        "clogging": clog.as_context(),
    }
    i_min = np.unravel_index(int(np.argmin(kr)), kr.shape)
    ctx["minimum_permeability_ratio_at"] = {"time": f"{t[i_min[0]] / 86400.0:.4g} d",
                                           "position": f"{cells[i_min[1]]:.4g} m"}

    inj = experiment.injection
    if inj is not None:
        ctx.update(_well_pressure(result, experiment, fb, kr, t, cells))
    result.context["rock_feedback"] = ctx
    return result


def _well_pressure(result, experiment, fb, kr, t, cells) -> dict:
    """Skin and pressure series; returns the context entries."""
    from ccus.injection import fluids
    from ccus.injection.hydraulics import fracture_pressure

    site, inj = experiment.site, experiment.injection
    rw = float(inj.well_radius.to("m").magnitude)
    radius = None if fb.damaged_zone_radius is None else float(fb.damaged_zone_radius.to("m").magnitude)
    edges = cell_edges(cells, rw, _grid_edges(experiment, cells, rw))
    s_rock = radial_skin(kr, edges, radius)
    skin = float(inj.skin) + s_rock
    rho = float(fluids.water_density(site.temperature, site.pressure).to("kg/m^3").magnitude)
    mu = float(fluids.water_viscosity(site.temperature, site.pressure).to("Pa*s").magnitude)
    phases = [(float(ph.start.to("s").magnitude), float((ph.start + ph.duration).to("s").magnitude),
               float(((ph.water_rate + ph.gas_rate).to("kg/s").magnitude) / rho)) for ph in inj.phases]
    hyd = dict(permeability=float(site.permeability.to("m^2").magnitude),
               thickness=float(site.thickness.to("m").magnitude), viscosity=mu, porosity=float(site.porosity),
               total_compressibility=float(inj.total_compressibility.to("1/Pa").magnitude), well_radius=rw)
    dp = stepped_rate_buildup(t, phases, skin=skin, **hyd)
    dp0 = stepped_rate_buildup(t, phases, skin=float(inj.skin), **hyd)
    result.series["well skin"] = Q_(skin, "dimensionless")
    result.series["well pressure build-up"] = Q_(dp / PA_PER_BAR, "bar")
    # extremes also at the end of every phase (the build-up peaks there, between output times)
    ends = np.array([e for _, e, _ in phases if t[0] < e <= t[-1]])
    t_all = np.union1d(t, ends)
    s_all = float(inj.skin) + _interp_skin(t_all, t, s_rock)
    dp_all = stepped_rate_buildup(t_all, phases, skin=s_all, **hyd)
    dp0_all = stepped_rate_buildup(t_all, phases, skin=float(inj.skin), **hyd)
    out = {"rock_skin_max": _num(np.max(s_rock)), "rock_skin_final": _num(s_rock[-1]),
           "damaged_zone_radius": f"{radius:.4g} m" if radius is not None else f"{edges[-1]:.4g} m (whole model)",
           "well_pressure_buildup_max": f"{np.max(dp_all) / PA_PER_BAR:.4g} bar",
           "well_pressure_buildup_max_unaltered": f"{np.max(dp0_all) / PA_PER_BAR:.4g} bar"}
    if site.fracture_gradient is not None:
        depth = inj.depth or site.depth
        p_frac = float(fracture_pressure(depth, site.fracture_gradient).to("Pa").magnitude)
        p0 = float(site.pressure.to("Pa").magnitude)
        result.series["well pressure margin"] = Q_((p_frac - p0 - dp) / PA_PER_BAR, "bar")
        result.series["well pressure margin (unaltered rock)"] = Q_((p_frac - p0 - dp0) / PA_PER_BAR, "bar")
        m_all = p_frac - p0 - dp_all
        m0_all = p_frac - p0 - dp0_all
        k = int(np.argmin(m_all))
        out.update({"fracture_pressure": f"{p_frac / PA_PER_BAR:.4g} bar",
                    "minimum_margin": f"{m_all[k] / PA_PER_BAR:.4g} bar",
                    "minimum_margin_time": f"{t_all[k] / 86400.0:.4g} d",
                    "minimum_margin_unaltered": f"{np.min(m0_all) / PA_PER_BAR:.4g} bar",
                    "margin_exceeded": bool(m_all[k] <= 0)})
    return out


def _grid_edges(experiment, cells, well_radius: float):
    """The transport grid's cell edges [m] with the first moved to the well radius, or None.

    Linear grids start at 0 (the well axis); their first annulus then starts at the well face.
    """
    tr = getattr(experiment, "transport", None)
    if tr is None or not hasattr(tr, "edges"):
        return None
    e = np.array(tr.edges(), dtype=float)
    if e.shape != (len(cells) + 1,):
        return None
    e[0] = max(e[0], well_radius)
    if e[1] <= e[0]:
        raise ValueError(f"the first cell ({e[1]:g} m) ends inside the well radius ({well_radius:g} m)")
    return e


def _num(x) -> float | str:
    x = float(x)
    return x if np.isfinite(x) else "inf"
