"""Pure-fluid properties of water and CO2 at injection conditions.

- Density and phase of pure water and pure CO2 from Cantera's pure-fluid
  equations of state (``cantera.Water()``, ``cantera.CarbonDioxide()``; Cantera
  3, Goodwin et al., https://cantera.org). Cantera's CO2 is a Reynolds (1979)
  style equation, not Span & Wagner (1996): expect ~1% agreement with Span-Wagner
  away from the critical point and several % near it.
- Water viscosity by the IAPWS 2008 formulation (IAPWS R12-08, Huber et al.
  2009, J. Phys. Chem. Ref. Data 38:101), eqs. 10-12, mu = mu0 * mu1 with the
  critical enhancement mu2 = 1 (recommended by the release for industrial use
  outside a small region around the critical point), at the density from
  Cantera's water.

Cantera is imported on first use.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
import pint

from ccus.errors import ConfigError
from ccus.injection._inputs import as_output, to_array

__all__ = [
    "water_density",
    "co2_density",
    "co2_phase",
    "water_phase",
    "water_viscosity",
    "water_viscosity_iapws2008_raw",
]

_local = threading.local()


def _fluid(name: str):
    cache = getattr(_local, "fluids", None)
    if cache is None:
        cache = _local.fluids = {}
    if name not in cache:
        import cantera as ct

        cache[name] = ct.Water() if name == "water" else ct.CarbonDioxide()
    return cache[name]


def _state(name: str, T: float, P: float):
    f = _fluid(name)
    try:
        f.TP = T, P
    except Exception as exc:  # CanteraError outside the EOS range
        raise ConfigError(
            f"{name} state T = {T:g} K, P = {P:g} Pa is outside Cantera's equation of state ({exc})"
        ) from None
    return f


def _map(name: str, temperature, pressure, getter):
    T = to_array(temperature, "K", "temperature")
    P = to_array(pressure, "Pa", "pressure")
    T, P = np.broadcast_arrays(T, P)
    out = [getter(_state(name, float(t), float(p))) for t, p in zip(T.ravel(), P.ravel(), strict=True)]
    return T.shape, out


def water_density(temperature: Any, pressure: Any) -> pint.Quantity:
    """Density of pure water [kg/m^3] (Cantera ``Water()``); T [K], P [Pa] if floats."""
    shape, out = _map("water", temperature, pressure, lambda f: f.density)
    return as_output(np.reshape(out, shape), "kg/m^3")


def co2_density(temperature: Any, pressure: Any) -> pint.Quantity:
    """Density of pure CO2 [kg/m^3] (Cantera ``CarbonDioxide()``); T [K], P [Pa] if floats."""
    shape, out = _map("co2", temperature, pressure, lambda f: f.density)
    return as_output(np.reshape(out, shape), "kg/m^3")


def _phase(f) -> str:
    return str(f.phase_of_matter)


def co2_phase(temperature: Any, pressure: Any) -> str | np.ndarray:
    """Phase of pure CO2: ``"gas"``, ``"liquid"``, ``"supercritical"``, ... (Cantera).

    Returns a string for scalar input, an array of strings otherwise.
    """
    shape, out = _map("co2", temperature, pressure, _phase)
    return out[0] if shape == () else np.reshape(np.array(out, dtype=object), shape)


def water_phase(temperature: Any, pressure: Any) -> str | np.ndarray:
    """Phase of pure water (Cantera ``Water()``), as :func:`co2_phase`."""
    shape, out = _map("water", temperature, pressure, _phase)
    return out[0] if shape == () else np.reshape(np.array(out, dtype=object), shape)


# IAPWS R12-08 (2008), Table 1 and Table 2.
_H0 = np.array([1.67752, 2.20462, 0.6366564, -0.241605])
_H1 = np.zeros((6, 7))
for (_i, _j), _v in {
    (0, 0): 5.20094e-1, (1, 0): 8.50895e-2, (2, 0): -1.08374, (3, 0): -2.89555e-1,
    (0, 1): 2.22531e-1, (1, 1): 9.99115e-1, (2, 1): 1.88797, (3, 1): 1.26613,
    (5, 1): 1.20573e-1, (0, 2): -2.81378e-1, (1, 2): -9.06851e-1, (2, 2): -7.72479e-1,
    (3, 2): -4.89837e-1, (4, 2): -2.57040e-1, (0, 3): 1.61913e-1, (1, 3): 2.57399e-1,
    (0, 4): -3.25372e-2, (3, 4): 6.98452e-2, (4, 5): 8.72102e-3, (3, 6): -4.35673e-3,
    (5, 6): -5.93264e-4,
}.items():
    _H1[_i, _j] = _v
_T_STAR, _RHO_STAR, _MU_STAR = 647.096, 322.0, 1.0e-6


def water_viscosity_iapws2008_raw(T: Any, rho: Any) -> np.ndarray:
    """IAPWS 2008 viscosity [Pa s] of water at T [K] and density rho [kg/m^3], mu2 = 1."""
    Tb = np.asarray(T, dtype=float) / _T_STAR
    rb = np.asarray(rho, dtype=float) / _RHO_STAR
    mu0 = 100.0 * np.sqrt(Tb) / sum(_H0[i] / Tb**i for i in range(4))
    x = 1.0 / Tb - 1.0
    y = rb - 1.0
    s = sum(_H1[i, j] * x**i * y**j for i in range(6) for j in range(7) if _H1[i, j] != 0.0)
    mu1 = np.exp(rb * s)
    return mu0 * mu1 * _MU_STAR


def water_viscosity(temperature: Any, pressure: Any = "1 bar") -> pint.Quantity:
    """Dynamic viscosity of pure water [Pa s] by IAPWS 2008 (density from Cantera).

    Parameters
    ----------
    temperature
        Quantity, string or float / array [K].
    pressure
        Quantity, string or float / array [Pa]; default 1 bar.
    """
    T = to_array(temperature, "K", "temperature")
    rho = water_density(temperature, pressure).to("kg/m^3").magnitude
    T = np.broadcast_to(T, np.shape(rho))
    return as_output(water_viscosity_iapws2008_raw(T, rho), "Pa*s")
