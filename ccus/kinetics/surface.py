"""Reactive surface area models [m^2], as the PHREEQC rates of :mod:`ccus.engines.phreeqc.rates_basic`.

Modes (PARM(1) of the generated RATES):

- 0 geometric: S = a_sp M m0 (m / m0)^(2/3) for m > 0, m0 > 0 (shrinking spheres),
- 1 per water: S = a_w W (constant area per kg water; secondary minerals),
- 2 linear:    S = a_sp M m for m > 0,

with ``a_sp`` [m^2/g], ``M`` [g/mol], ``m``, ``m0`` [mol], ``a_w`` [m^2/kg water], ``W`` [kg].
"""

from __future__ import annotations

import numpy as np

GEOMETRIC, PER_WATER, LINEAR = 0, 1, 2


def surface_area(mode: np.ndarray, area: np.ndarray, molar_mass_g: np.ndarray, m0: np.ndarray, m: np.ndarray,
                 water_kg: np.ndarray) -> np.ndarray:
    """Reactive surface [m^2]; arguments broadcast (``molar_mass_g`` in g/mol)."""
    mode, area, mg, m0, m, w = np.broadcast_arrays(*(np.asarray(v, float) for v in (mode, area, molar_mass_g, m0, m, water_kg)))
    pos = m > 0
    ratio = np.where(pos & (m0 > 0), np.maximum(m, 0.0) / np.where(m0 > 0, m0, 1.0), 0.0)
    geometric = np.where(pos & (m0 > 0), area * mg * m0 * np.cbrt(ratio) ** 2, 0.0)
    linear = np.where(pos, area * mg * m, 0.0)
    return np.where(mode == GEOMETRIC, geometric, np.where(mode == PER_WATER, area * w, linear))
