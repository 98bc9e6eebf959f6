"""Porosity of each cell over time from the volume of the minerals that dissolve and precipitate.

Each transport cell holds ``m_w`` kg of pore water at the start (1 kg in the
PHREEQC and native transport models) and the rock that goes with it at the
site's porosity phi0 (``ccus.config.experiment``: rock mass = (1 - phi0) / phi0 x
grain density / 1000 kg m^-3 x m_w). The cell's bulk volume is therefore::

    V_cell = m_w / (rho_w phi0),    rho_w = 1000 kg/m^3

(the same reference water density the rock mass was computed with). The
porosity follows from the change of the solid volume, minerals m with molar
volume Vm_m [m^3/mol] and amount n_m [mol per cell]::

    phi(t) = phi0 - sum_m (n_m(t) - n_m(0)) Vm_m / V_cell

The bulk volume is fixed (no compaction, no swelling of the frame), the water
mass change by hydration reactions does not enter (the pore volume is what the
solids leave free), and molar volumes are those at 25 C and 1 bar.
Arrays are plain SI floats.
"""

from __future__ import annotations

import numpy as np

#: Reference water density [kg/m^3] the cells' rock mass was built with (ccus.config.experiment).
WATER_DENSITY = 1000.0
#: Largest porosity returned: a cell whose solids have all dissolved has no frame left.
PHI_MAX = 1.0 - 1e-9


def bulk_volume(pore_water, porosity0: float, water_density: float = WATER_DENSITY) -> np.ndarray:
    """Bulk volume [m^3] of cells holding ``pore_water`` [kg] at porosity ``porosity0`` [-]."""
    if not 0.0 < porosity0 < 1.0:
        raise ValueError(f"porosity0 must lie in (0, 1), found {porosity0}")
    w = np.asarray(pore_water, dtype=float)
    if np.any(w <= 0):
        raise ValueError("pore water mass must be positive in every cell")
    return w / (water_density * porosity0)


def solid_volume_change(amounts: dict[str, np.ndarray], molar_volumes: dict[str, float]) -> np.ndarray:
    """Change of solid volume [m^3] since time zero, shape (n_time, n_cells).

    Parameters
    ----------
    amounts
        ``mineral -> amount [mol per cell]``, each (n_time, n_cells); row 0 is time zero.
    molar_volumes
        ``mineral -> Vm [m^3/mol]``.
    """
    total = None
    for name, n in amounts.items():
        n = np.asarray(n, dtype=float)
        dv = (n - n[:1]) * float(molar_volumes[name])
        total = dv if total is None else total + dv
    if total is None:
        raise ValueError("no mineral amounts given")
    return total


def porosity(porosity0: float, solid_change, bulk) -> np.ndarray:
    """phi = phi0 - dV_solid / V_cell, kept within [0, PHI_MAX].

    Parameters
    ----------
    porosity0
        Initial porosity [-].
    solid_change
        Solid volume change [m^3] (n_time, n_cells) (positive = precipitation).
    bulk
        Bulk volume of each cell [m^3] (n_cells,).

    A cell whose precipitates would exceed its pore volume gets porosity 0 (it is
    clogged: the permeability models give k = 0 there).
    """
    phi = porosity0 - np.asarray(solid_change, dtype=float) / np.asarray(bulk, dtype=float)
    return np.clip(phi, 0.0, PHI_MAX)
