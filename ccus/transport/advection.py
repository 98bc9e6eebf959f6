"""One transport step of the dissolved content: explicit upwind advection, explicit dispersion.

The content ``u`` (n_cells, n_quantities) is per nominal kg of pore water; cell ``i``
holds ``water[i]`` kg. Over a step ``dt`` at water flux ``F`` [kg/s]:

1. advection (explicit upwind, Courant number ``c_i = F dt / water[i] <= 1``)::

       u_i <- u_i + c_i (u_{i-1} - u_i),   u_0 = inlet

   At ``c = 1`` on equal cells this is PHREEQC's shift (the water of each cell moves
   one cell on, no numerical dispersion); for ``c < 1`` upwinding adds a numerical
   dispersivity ``dx (1 - c) / 2`` (docs/transport.md).
2. dispersion, explicit in ``n_mix`` equal sub-steps (PHREEQC TRANSPORT's mixing)::

       water_i u_i <- water_i u_i + (dt / n_mix) sum_f G_f (u_j - u_i)

   with the face conductances ``G_f`` of :meth:`ccus.transport.grid.Grid.conductances`
   (no dispersive flux through the inlet and outlet faces) and
   ``n_mix = 1 + floor(1.5 max_i dt (G_left + G_right) / water_i)``, PHREEQC's rule
   (on equal cells at Courant 1, ``dt G / water = alpha / dx``, PHREEQC's mixing
   factor): every sub-step keeps at least 1/3 of each cell's own water, so the scheme
   stays positive and stable. Like any consistent linear scheme it spreads a pulse by
   exactly ``2 D dt`` in variance per step away from the ends.

Both parts conserve content exactly (to round-off): what the cells gain is what
came in minus what left, returned as ``inflow`` and ``outflow`` [mol per quantity].
"""

from __future__ import annotations

import numpy as np


def advect(u: np.ndarray, inlet: np.ndarray, water: np.ndarray, flux: float, dt: float):
    """Upwind advection over ``dt``; returns (new u, inflow, outflow) [content units x kg]."""
    if flux <= 0 or dt <= 0:
        return u.copy(), np.zeros(u.shape[1]), np.zeros(u.shape[1])
    c = flux * dt / water
    if np.any(c > 1.0 + 1e-12):
        raise ValueError(f"Courant number {c.max():.4g} > 1")
    up = np.vstack([inlet[None, :], u[:-1]])
    new = u + c[:, None] * (up - u)
    inflow = flux * dt * inlet
    outflow = flux * dt * u[-1]
    return new, inflow, outflow


def mixing_steps(water: np.ndarray, conductance: np.ndarray, dt: float) -> int:
    """Number of explicit dispersion sub-steps over ``dt`` (PHREEQC's ``1 + floor(1.5 max mix)``)."""
    if len(water) < 2 or dt <= 0 or not np.any(conductance > 0):
        return 0
    out = np.zeros(len(water))
    out[:-1] += conductance
    out[1:] += conductance
    return 1 + int(np.floor(1.5 * float(np.max(dt * out / water))))


def mix(u: np.ndarray, water: np.ndarray, g: np.ndarray) -> np.ndarray:
    """One explicit dispersion sub-step: ``g`` = conductance x sub-step [kg] per inner face."""
    g = g[:, None]
    w = water[:, None]
    flux = g * (u[1:] - u[:-1])  # from cell i+1 into cell i across face i [content x kg]
    amount = w * u
    amount[:-1] += flux
    amount[1:] -= flux
    return amount / w


def disperse(u: np.ndarray, water: np.ndarray, conductance: np.ndarray, dt: float) -> np.ndarray:
    """Explicit dispersion over ``dt`` in :func:`mixing_steps` sub-steps, face conductances [kg/s]."""
    n_mix = mixing_steps(water, conductance, dt)
    c = u.copy()
    for _ in range(n_mix):
        c = mix(c, water, conductance * dt / n_mix)
    return c


def transport_step(u: np.ndarray, inlet: np.ndarray, water: np.ndarray, flux: float, conductance: np.ndarray,
                   dt: float):
    """Advection then dispersion over ``dt``; returns (new u, inflow, outflow)."""
    adv, inflow, outflow = advect(u, inlet, water, flux, dt)
    return disperse(adv, water, conductance, dt), inflow, outflow
