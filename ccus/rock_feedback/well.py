"""Near-well permeability change as a skin factor, and the injection pressure over time.

**Skin.** For steady radial flow through annuli r_i..r_(i+1) of permeability k_i
around a well of radius r_w in rock of permeability k0, the extra pressure drop
over that of uniform rock, in units of q mu / (2 pi k0 h), is::

    s = sum_i (k0/k_i - 1) ln(r_(i+1) / r_i)

For a single damaged zone r_w..r_d this is Hawkins' (1956, Trans. AIME 207:356)
skin s = (k0/k_d - 1) ln(r_d/r_w); the sum is the same formula for a layered
(harmonically averaged) zone. Cells of a transport model become the annuli
(radial symmetry around the well is assumed for a linear streamline too), out
to ``damaged_zone_radius`` (default: the whole model). A cell with k = 0 gives
s = inf: the well is clogged.

**Pressure.** The build-up at the well face for a piecewise-constant injection
rate is Theis' solution superposed in time (e.g. Dake 1978, sect. 7.7), with
the skin term of the rate flowing at that moment::

    dP(t) = mu/(4 pi k0 h) sum_j q_j [W(u(t - a_j)) - W(u(t - b_j))] + q(t) mu/(2 pi k0 h) s(t)

(phase j injects q_j from a_j to b_j; a W term counts only once its time is
positive). The skin is taken quasi-steady (it changes slowly compared with the
time the pressure needs to settle across the near-well cells).
"""

from __future__ import annotations

import numpy as np

from ccus.injection.hydraulics import theis_pressure_buildup


def cell_edges(centres, well_radius: float, edges=None) -> np.ndarray:
    """Annulus edges [m] (n_cells + 1) from cell centres [m] measured from the well axis.

    The first edge is the well radius; inner edges lie midway between centres; the
    last edge mirrors the last centre. Given ``edges`` are checked and returned.
    """
    c = np.asarray(centres, dtype=float)
    if edges is not None:
        e = np.asarray(edges, dtype=float)
        if e.shape != (len(c) + 1,) or np.any(np.diff(e) <= 0):
            raise ValueError("edges must be increasing with one more entry than the cells")
        return e
    if len(c) == 0 or np.any(np.diff(c) <= 0):
        raise ValueError("cell centres must be increasing")
    if c[0] <= well_radius:
        raise ValueError(f"the first cell centre ({c[0]:g} m) must lie outside the well radius ({well_radius:g} m)")
    e = np.empty(len(c) + 1)
    e[0] = well_radius
    e[1:-1] = 0.5 * (c[:-1] + c[1:])
    e[-1] = 2.0 * c[-1] - e[-2]
    return e


def radial_skin(k_ratio, edges, damaged_zone_radius: float | None = None) -> np.ndarray:
    """Skin factor [-] of annuli with permeability ratios ``k_ratio`` (..., n_cells) between ``edges``.

    Annuli beyond ``damaged_zone_radius`` [m] are left out (an annulus cut by it
    counts up to that radius). Returns an array of shape ``k_ratio.shape[:-1]``.
    """
    e = np.asarray(edges, dtype=float)
    if damaged_zone_radius is not None:
        e = np.minimum(e, max(float(damaged_zone_radius), e[0]))
    logs = np.log(e[1:] / e[:-1])
    k = np.asarray(k_ratio, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        term = np.where(logs > 0, (1.0 / k - 1.0) * logs, 0.0)
    return term.sum(axis=-1)


def stepped_rate_buildup(times, phases, *, permeability: float, thickness: float, viscosity: float,
                         porosity: float, total_compressibility: float, well_radius: float,
                         skin=0.0) -> np.ndarray:
    """Pressure build-up [Pa] at the well face at ``times`` [s] (see the module doc).

    Parameters
    ----------
    times
        Output times [s] since the start of injection.
    phases
        ``(start [s], end [s], volume rate [m^3/s])`` per injection phase.
    permeability, thickness, viscosity, porosity, total_compressibility, well_radius
        Formation k0 [m^2], h [m], mu [Pa s], phi [-], c_t [1/Pa] and r_w [m].
    skin
        Skin factor [-], a scalar or one value per time (may be inf: then so is dP
        while injecting).
    """
    t = np.asarray(times, dtype=float)
    s = np.broadcast_to(np.asarray(skin, dtype=float), t.shape)
    args = dict(radius=well_radius, permeability=permeability, thickness=thickness, viscosity=viscosity,
                porosity=porosity, total_compressibility=total_compressibility)
    dp = np.zeros_like(t)
    q_now = np.zeros_like(t)
    for start, end, q in phases:
        for t0, sign in ((start, 1.0), (end, -1.0)):
            on = t > t0
            if np.any(on) and q > 0:
                w = theis_pressure_buildup(q, t[on] - t0, **args).to("Pa").magnitude
                dp[on] += sign * np.asarray(w, dtype=float)
        q_now[(t > start) & (t <= end)] += q
    coef = viscosity / (2.0 * np.pi * permeability * thickness)
    with np.errstate(invalid="ignore"):
        skin_term = np.where(q_now > 0, q_now * coef * s, 0.0)
    return dp + skin_term
