"""Permeability ratio k/k0 from the porosity change.

- **Kozeny-Carman** (Kozeny 1927; Carman 1937, Trans. Inst. Chem. Eng. 15:150),
  ratio form for an unchanged grain size, as used in reactive-transport codes
  (e.g. TOUGHREACT, Xu et al. 2006, Comput. Geosci. 32:145)::

      k/k0 = (phi/phi0)^n ((1 - phi0)/(1 - phi))^2,   n = 3

  ``exponent`` n may be set (the classical value is 3).
- **Verma & Pruess** (1988, J. Geophys. Res. 93(B2):1159): the permeability
  vanishes at a critical porosity phi_c > 0 before the pores are full, as when
  precipitates block pore throats::

      k/k0 = ((phi - phi_c)/(phi0 - phi_c))^n,   phi > phi_c;   0 otherwise

  with n = 2 as in Verma & Pruess (a power of 2-3 is common).

Both give 1 at phi = phi0 and fall monotonically as phi falls. Guards: phi <= 0
(or <= phi_c) gives exactly 0; phi -> 1 is capped by the porosity module.
"""

from __future__ import annotations

import numpy as np

MODELS = ("kozeny-carman", "verma-pruess")
DEFAULT_EXPONENT = {"kozeny-carman": 3.0, "verma-pruess": 2.0}


def kozeny_carman(phi, porosity0: float, exponent: float = 3.0) -> np.ndarray:
    """k/k0 [-] by Kozeny-Carman for porosity ``phi`` [-] (array) from ``porosity0``."""
    if not 0.0 < porosity0 < 1.0:
        raise ValueError(f"porosity0 must lie in (0, 1), found {porosity0}")
    phi = np.clip(np.asarray(phi, dtype=float), 0.0, None)
    if np.any(phi >= 1.0):
        raise ValueError("porosity must stay below 1")
    return (phi / porosity0) ** exponent * ((1.0 - porosity0) / (1.0 - phi)) ** 2


def verma_pruess(phi, porosity0: float, critical_porosity: float, exponent: float = 2.0) -> np.ndarray:
    """k/k0 [-] by Verma & Pruess (1988) with critical porosity ``critical_porosity`` [-]."""
    if not 0.0 <= critical_porosity < porosity0 < 1.0:
        raise ValueError(f"need 0 <= critical porosity < porosity0 < 1, found {critical_porosity}, {porosity0}")
    phi = np.asarray(phi, dtype=float)
    x = np.clip((phi - critical_porosity) / (porosity0 - critical_porosity), 0.0, None)
    return x ** exponent


def permeability_ratio(phi, porosity0: float, model: str = "kozeny-carman", exponent: float | None = None,
                       critical_porosity: float = 0.0) -> np.ndarray:
    """k/k0 [-] by ``model`` (one of :data:`MODELS`)."""
    if model not in MODELS:
        raise ValueError(f"unknown permeability model {model!r}; choose from {', '.join(MODELS)}")
    n = DEFAULT_EXPONENT[model] if exponent is None else float(exponent)
    if model == "kozeny-carman":
        return kozeny_carman(phi, porosity0, n)
    return verma_pruess(phi, porosity0, critical_porosity, n)
