"""Linear and radial grids: cell sizes, pore water, water flux and dispersive conductances.

All arrays are plain SI floats. A cell's content is carried *per nominal kg of pore
water* (``u`` [mol per kg]); cell ``i`` holds ``water[i]`` kg of it, so its amount is
``water[i] * u[i]``.

Linear (a stream tube of 1 kg pore water per cell, as PHREEQC's TRANSPORT):
water flux ``F = water * v / dx`` [kg/s]; dispersive conductance of the face between
cells i and i+1: ``G = F * alpha / dx`` (``D = alpha v``).

Radial (rings around the injection well, thickness ``h``, porosity ``phi``): water
flux ``F = Q rho`` through every ring face (the injection water rate), pore
velocity ``v(r) = Q / (2 pi r h phi)``; the dispersive flux across the face at
``r_f``, ``phi rho 2 pi r_f h alpha v(r_f) dc/dr = rho Q alpha dc/dr``, gives
``G = F * alpha / (r_c[i+1] - r_c[i])`` -- the radius cancels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Grid:
    """Cells of a transport model.

    Attributes
    ----------
    kind
        ``"linear"`` or ``"radial"``.
    edges
        Cell boundaries [m] (n + 1): distance along the line or radius from the well axis.
    centres
        Cell centres [m] (n): mid-cell (linear) or the radius halving the ring volume (radial).
    water
        Nominal pore water per cell [kg] (n).
    dispersivity
        Longitudinal dispersivity [m].
    velocity
        Linear: pore-water velocity [m/s]; radial: None (it follows the injection rate).
    """

    kind: str
    edges: np.ndarray
    centres: np.ndarray
    water: np.ndarray
    dispersivity: float
    velocity: float | None = None

    @classmethod
    def from_transport(cls, tr) -> Grid:
        """The grid of a :class:`ccus.config.transport.Transport`."""
        v = None if tr.velocity is None else float(tr.velocity.to("m/s").magnitude)
        return cls(kind=tr.kind, edges=tr.edges(), centres=tr.centres(), water=tr.pore_water_mass(),
                   dispersivity=float(tr.dispersivity.to("m").magnitude), velocity=v)

    @property
    def n(self) -> int:
        return len(self.centres)

    def linear_flux(self) -> float:
        """Water flux of a linear model [kg/s]: one cell's pore water per cell travel time."""
        dx = self.edges[1] - self.edges[0]
        return float(self.water[0] * self.velocity / dx)

    def conductances(self, flux: float) -> np.ndarray:
        """Dispersive conductance of the n - 1 inner faces [kg/s] at water flux ``flux`` [kg/s].

        No dispersive flux crosses the inlet and outlet faces (PHREEQC's ``flux flux``
        boundary conditions): water enters and leaves by advection only.
        """
        if self.n < 2:
            return np.zeros(0)
        return flux * self.dispersivity / np.diff(self.centres)

    def pore_velocity(self, flux: float) -> np.ndarray:
        """Mean pore-water velocity in each cell [m/s] at water flux ``flux`` [kg/s].

        ``flux * width / water``: ``v`` (linear); ``Q / (2 pi r_mid h phi)`` at the ring's
        mid radius (radial).
        """
        return flux * np.diff(self.edges) / self.water

    def max_step(self, flux: float, courant: float) -> float:
        """Largest step [s] at which no cell loses more than ``courant`` of its pore water."""
        if flux <= 0:
            return np.inf
        return float(courant * self.water.min() / flux)
