"""Pressure build-up at an injection well and the fracture-pressure margin.

Single-phase radial flow of (carbonated) water in a homogeneous, isotropic,
confined aquifer of thickness h, fully penetrating well, constant rate q at
reservoir conditions (the CarbFix method injects a single liquid phase).

- Theis (1935, Trans. AGU 16:519), transient, line source::

      dP(r, t) = q mu / (4 pi k h) * [E1(u) + 2 s],   u = r^2 phi mu c_t / (4 k t)

  E1 = scipy.special.exp1 (the "well function" W(u)); the skin term s (van
  Everdingen 1953) applies at the well face only (r = r_w).
- Thiem (1906), steady state with a constant-pressure boundary at the radius
  of influence r_e::

      dP = q mu / (2 pi k h) * [ln(r_e / r_w) + s]

- Fracture pressure P_frac = depth * fracture gradient; margin =
  P_frac - (P_initial + dP). Injection is acceptable when the margin is > 0
  (plus whatever safety factor the operator requires).

Public functions take pint quantities (or strings) at the boundary and return
quantities; inside they use SI floats. Reference: Dake (1978), Fundamentals of
Reservoir Engineering, ch. 7 (Elsevier), and Freeze & Cherry (1979),
Groundwater, sect. 8.3 (Prentice-Hall), for these standard solutions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pint
from scipy.special import exp1

from ccus.errors import ConfigError
from ccus.injection._inputs import as_output, to_array

__all__ = [
    "theis_pressure_buildup",
    "thiem_pressure_buildup",
    "radius_of_investigation",
    "fracture_pressure",
    "InjectionMargin",
    "injection_margin",
]


def _pos(value: Any, unit: str, name: str, allow_zero: bool = False) -> np.ndarray:
    a = to_array(value, unit, name)
    bad = (a < 0) if allow_zero else (a <= 0)
    if np.any(bad):
        raise ConfigError(
            f"{name} must be {'non-negative' if allow_zero else 'positive'}, found "
            f"{float(a[bad].flat[0]):g} {unit}"
        )
    return a


def theis_pressure_buildup(
    rate: Any,
    time: Any,
    radius: Any,
    permeability: Any,
    thickness: Any,
    viscosity: Any,
    porosity: Any,
    total_compressibility: Any,
    skin: float = 0.0,
) -> pint.Quantity:
    """Transient pressure rise [Pa] by Theis (1935) at ``radius`` after ``time``.

    Parameters
    ----------
    rate
        Volumetric injection rate at reservoir conditions [m^3/s].
    time
        Time since injection started [s] (> 0).
    radius
        Distance from the well axis [m]; use the well radius for the bottomhole
        pressure (the skin term is added there, i.e. wherever ``skin`` != 0).
    permeability
        Horizontal permeability [m^2].
    thickness
        Aquifer thickness [m].
    viscosity
        Water viscosity at reservoir temperature [Pa s].
    porosity
        Porosity [-] (0-1).
    total_compressibility
        Rock + fluid compressibility [1/Pa].
    skin
        Dimensionless skin factor (positive = damaged well).

    Returns
    -------
    pint.Quantity
        Pressure build-up [Pa], broadcast over array inputs.
    """
    q = _pos(rate, "m^3/s", "rate", allow_zero=True)
    t = _pos(time, "s", "time")
    r = _pos(radius, "m", "radius")
    k = _pos(permeability, "m^2", "permeability")
    h = _pos(thickness, "m", "thickness")
    mu = _pos(viscosity, "Pa*s", "viscosity")
    phi = _pos(porosity, "dimensionless", "porosity")
    if np.any(phi > 1):
        raise ConfigError(f"porosity must be between 0 and 1, found {float(np.max(phi)):g}")
    ct = _pos(total_compressibility, "1/Pa", "total_compressibility")
    u = r * r * phi * mu * ct / (4.0 * k * t)
    dp = q * mu / (4.0 * np.pi * k * h) * (exp1(u) + 2.0 * float(skin))
    return as_output(dp, "Pa")


def thiem_pressure_buildup(
    rate: Any,
    permeability: Any,
    thickness: Any,
    viscosity: Any,
    well_radius: Any,
    radius_of_influence: Any,
    skin: float = 0.0,
) -> pint.Quantity:
    """Steady-state pressure rise [Pa] at the well by Thiem (1906) with skin.

    Parameters as in :func:`theis_pressure_buildup`; ``well_radius`` r_w [m] and
    ``radius_of_influence`` r_e [m] (> r_w), the radius of constant pressure.
    """
    q = _pos(rate, "m^3/s", "rate", allow_zero=True)
    k = _pos(permeability, "m^2", "permeability")
    h = _pos(thickness, "m", "thickness")
    mu = _pos(viscosity, "Pa*s", "viscosity")
    rw = _pos(well_radius, "m", "well_radius")
    re = _pos(radius_of_influence, "m", "radius_of_influence")
    if np.any(re <= rw):
        raise ConfigError(
            f"radius_of_influence ({float(np.min(re)):g} m) must exceed well_radius ({float(np.max(rw)):g} m)"
        )
    dp = q * mu / (2.0 * np.pi * k * h) * (np.log(re / rw) + float(skin))
    return as_output(dp, "Pa")


def radius_of_investigation(
    time: Any, permeability: Any, viscosity: Any, porosity: Any, total_compressibility: Any
) -> pint.Quantity:
    """r_e = sqrt(2.25 k t / (phi mu c_t)) [m] (Cooper & Jacob 1946).

    With this r_e, Thiem's steady solution equals the Cooper-Jacob logarithmic
    approximation of Theis at the well, ln(2.25 D t / r_w^2) / 2 = ln(r_e / r_w).
    """
    t = _pos(time, "s", "time")
    k = _pos(permeability, "m^2", "permeability")
    mu = _pos(viscosity, "Pa*s", "viscosity")
    phi = _pos(porosity, "dimensionless", "porosity")
    ct = _pos(total_compressibility, "1/Pa", "total_compressibility")
    return as_output(np.sqrt(2.25 * k * t / (phi * mu * ct)), "m")


def fracture_pressure(depth: Any, fracture_gradient: Any) -> pint.Quantity:
    """Fracture pressure [Pa] = depth [m] x fracture gradient [Pa/m]."""
    d = _pos(depth, "m", "depth")
    g = _pos(fracture_gradient, "Pa/m", "fracture_gradient")
    return as_output(d * g, "Pa")


@dataclass(frozen=True)
class InjectionMargin:
    """Bottomhole pressure against fracture pressure (all pint quantities [Pa])."""

    initial_pressure: pint.Quantity
    buildup: pint.Quantity
    bottomhole_pressure: pint.Quantity
    fracture_pressure: pint.Quantity
    margin: pint.Quantity

    @property
    def acceptable(self) -> bool:
        """True where the bottomhole pressure stays below the fracture pressure."""
        return bool(np.all(np.asarray(self.margin.to("Pa").magnitude) > 0.0))


def injection_margin(
    initial_pressure: Any, buildup: Any, depth: Any, fracture_gradient: Any
) -> InjectionMargin:
    """Margin [Pa] between fracture pressure and the bottomhole injection pressure.

    Parameters
    ----------
    initial_pressure
        Initial (hydrostatic) reservoir pressure at the well [Pa].
    buildup
        Pressure build-up at the well face, e.g. from Theis or Thiem [Pa].
    depth
        Depth of the injection interval [m].
    fracture_gradient
        Fracture gradient [Pa/m] (e.g. ``"0.16 bar/m"``).
    """
    p0 = to_array(initial_pressure, "Pa", "initial_pressure")
    dp = to_array(buildup, "Pa", "buildup")
    pf = fracture_pressure(depth, fracture_gradient).to("Pa").magnitude
    bhp = p0 + dp
    return InjectionMargin(
        initial_pressure=as_output(p0, "Pa"),
        buildup=as_output(dp, "Pa"),
        bottomhole_pressure=as_output(bhp, "Pa"),
        fracture_pressure=as_output(pf, "Pa"),
        margin=as_output(pf - bhp, "Pa"),
    )
