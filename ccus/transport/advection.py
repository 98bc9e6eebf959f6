"""One transport step of the dissolved content: explicit upwind advection, implicit dispersion.

The content ``u`` (n_cells, n_quantities) is per nominal kg of pore water; cell ``i``
holds ``water[i]`` kg. Over a step ``dt`` at water flux ``F`` [kg/s]:

1. advection (explicit upwind, Courant number ``c_i = F dt / water[i] <= 1``)::

       u_i <- u_i + c_i (u_{i-1} - u_i),   u_0 = inlet

   At ``c = 1`` on equal cells this is PHREEQC's shift (the water of each cell moves
   one cell on, no numerical dispersion); for ``c < 1`` upwinding adds a numerical
   dispersivity ``dx (1 - c) / 2`` (docs/transport.md).
2. dispersion (backward Euler, unconditionally stable and positive)::

       water_i u_i^new - dt sum_f G_f (u_j^new - u_i^new) = water_i u_i

   with the face conductances ``G_f`` of :meth:`ccus.transport.grid.Grid.conductances`
   (no dispersive flux through the inlet and outlet faces).

Both parts conserve content exactly (to round-off): what the cells gain is what
came in minus what left, returned as ``inflow`` and ``outflow`` [mol per quantity].
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import solve_banded


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


def disperse(u: np.ndarray, water: np.ndarray, conductance: np.ndarray, dt: float) -> np.ndarray:
    """Implicit (backward Euler) dispersion over ``dt`` with face conductances [kg/s]."""
    n = len(water)
    if n < 2 or dt <= 0 or not np.any(conductance > 0):
        return u.copy()
    g = conductance * dt
    diag = water.copy()
    diag[:-1] += g
    diag[1:] += g
    ab = np.zeros((3, n))
    ab[0, 1:] = -g  # super-diagonal
    ab[1] = diag
    ab[2, :-1] = -g  # sub-diagonal
    return solve_banded((1, 1), ab, water[:, None] * u)


def transport_step(u: np.ndarray, inlet: np.ndarray, water: np.ndarray, flux: float, conductance: np.ndarray,
                   dt: float):
    """Advection then dispersion over ``dt``; returns (new u, inflow, outflow)."""
    adv, inflow, outflow = advect(u, inlet, water, flux, dt)
    return disperse(adv, water, conductance, dt), inflow, outflow
