"""H2S (and H2) solubility in pure water: IAPWS G7-04 Henry's constants.

What is implemented
-------------------
Henry's law on the mole-fraction scale with the Henry's constant of

    IAPWS (2004). Guideline on the Henry's Constant and Vapor-Liquid
    Distribution Constant for Gases in H2O and D2O at High Temperatures
    (IAPWS G7-04), based on Fernandez-Prini, Alvarez & Harvey (2003),
    J. Phys. Chem. Ref. Data 32:903.

    ln(k_H / p1*) = A / Tr + B tau^0.355 / Tr + C Tr^-0.41 exp(tau),
    Tr = T / 647.096 K, tau = 1 - Tr,

with p1* the vapour pressure of water (Wagner & Pruss 1993, J. Phys. Chem.
Ref. Data 22:783, the IAPWS saturation-pressure equation) and (A, B, C) from
the guideline's Table 2:

    H2S: A = -4.51499, B = 5.23538, C = 4.42126, valid 273.15-533.09 K
    H2:  A = -4.73284, B = 6.08954, C = 6.06066, valid 273.15-636.09 K

k_H is the constant at the water saturation pressure; it is carried to the
total pressure P by the Poynting factor exp(V2_inf (P - p1*) / RT) with a
constant partial molar volume at infinite dilution V2_inf (H2S: 35 cm3/mol,
Barbero et al. 1982, Can. J. Chem. 60:1872; H2: 26 cm3/mol, approximate
literature value for H2(aq) at 25 C). The gas fugacity is
f = y phi P, y = (P - p1*) / P, with phi from the Peng & Robinson (1976,
Ind. Eng. Chem. Fundam. 15:59) equation of state (critical constants:
H2S Tc = 373.1 K, Pc = 90.0 bar, omega = 0.1005, Lemmon & Span 2006;
H2 Tc = 33.145 K, Pc = 12.964 bar, omega = -0.219, Leachman et al. 2009).

Why not Duan, Sun, Liu & Zhu (2007, Energy & Fuels 21:2056; 273-500 K,
0-200 bar, 0-6 m NaCl): its parameter tables could not be retrieved for this
work, so the salting-out of H2S in brine is NOT modelled here; salinity > 0
raises :class:`ConfigError`. Henry's law + Poynting is a dilute-solution
model: this module is limited to total pressures up to 200 bar and, for the
public function, to conditions where the pure gas is not condensed.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pint

from ccus.errors import ConfigError
from ccus.injection._inputs import as_output, check_range, to_array

__all__ = [
    "GASES",
    "h2s_solubility",
    "h2_solubility",
    "henry_constant_raw",
    "gas_solubility_molal",
    "peng_robinson_ln_phi",
    "water_saturation_pressure_raw",
]

R = 8.314462618  # J/(mol K)
M_WATER = 18.015268e-3  # kg/mol
P_MAX_BAR = 200.0
MODEL = "IAPWS G7-04 Henry's law + Peng-Robinson"

# name: (A, B, C, Tmin K, Tmax K, V_inf m3/mol, Tc K, Pc Pa, omega)
GASES: dict[str, tuple[float, ...]] = {
    "H2S": (-4.51499, 5.23538, 4.42126, 273.15, 533.09, 35e-6, 373.1, 90.0e5, 0.1005),
    "H2": (-4.73284, 6.08954, 6.06066, 273.15, 636.09, 26e-6, 33.145, 12.964e5, -0.219),
}

_TC_W = 647.096  # K
_PC_W = 22.064e6  # Pa
_WP = (-7.85951783, 1.84408259, -11.7866497, 22.6807411, -15.9618719, 1.80122502)


def water_saturation_pressure_raw(T: Any) -> np.ndarray:
    """Vapour pressure of water [Pa] at T [K] (Wagner & Pruss 1993), T < 647.096 K."""
    T = np.asarray(T, dtype=float)
    tau = 1.0 - T / _TC_W
    a1, a2, a3, a4, a5, a6 = _WP
    s = a1 * tau + a2 * tau**1.5 + a3 * tau**3 + a4 * tau**3.5 + a5 * tau**4 + a6 * tau**7.5
    return _PC_W * np.exp(_TC_W / T * s)


def henry_constant_raw(gas: str, T: Any) -> np.ndarray:
    """IAPWS G7-04 Henry's constant k_H = lim f/x [Pa] at T [K], water saturation pressure."""
    A, B, C = GASES[gas][:3]
    T = np.asarray(T, dtype=float)
    Tr = T / _TC_W
    tau = 1.0 - Tr
    return water_saturation_pressure_raw(T) * np.exp(
        A / Tr + B * tau**0.355 / Tr + C * Tr**-0.41 * np.exp(tau)
    )


def peng_robinson_ln_phi(gas: str, T: Any, P: Any, root: str = "stable"):
    """ln fugacity coefficient and Z of a pure gas by Peng-Robinson (1976).

    T [K], P [Pa]. ``root``: ``"vapour"`` (largest Z), or ``"stable"`` (the
    lower-fugacity root). Returns ``(ln_phi, Z, is_vapour)`` arrays.
    """
    Tc, Pc, w = GASES[gas][6:9]
    T, P = np.broadcast_arrays(np.asarray(T, dtype=float), np.asarray(P, dtype=float))
    kappa = 0.37464 + 1.54226 * w - 0.26992 * w * w
    alpha = (1.0 + kappa * (1.0 - np.sqrt(T / Tc))) ** 2
    a = 0.45724 * R**2 * Tc**2 / Pc * alpha
    b = 0.07780 * R * Tc / Pc
    A = a * P / (R * T) ** 2
    Bb = b * P / (R * T)
    lnphi = np.empty(T.shape)
    Zout = np.empty(T.shape)
    vap = np.empty(T.shape, dtype=bool)
    s2 = np.sqrt(2.0)
    for i in np.ndindex(T.shape):
        Ai, Bi = A[i], Bb[i]
        coeffs = [1.0, -(1.0 - Bi), Ai - 3.0 * Bi**2 - 2.0 * Bi, -(Ai * Bi - Bi**2 - Bi**3)]
        r = np.roots(coeffs)
        zs = np.sort(r[(np.abs(r.imag) < 1e-10) & (r.real > Bi)].real)
        lps = zs - 1.0 - np.log(zs - Bi) - Ai / (2.0 * s2 * Bi) * np.log(
            (zs + (1.0 + s2) * Bi) / (zs + (1.0 - s2) * Bi)
        )
        k = len(zs) - 1 if root == "vapour" else int(np.argmin(lps))
        lnphi[i], Zout[i] = lps[k], zs[k]
        vap[i] = k == len(zs) - 1
    return lnphi, Zout, vap


def gas_solubility_molal(gas: str, T: Any, P: Any, root: str = "vapour") -> np.ndarray:
    """Solubility [mol/kg water] of a pure gas at T [K], total pressure P [bar], pure water.

    The gas phase is the gas plus water vapour, y_gas = (P - p1*) / P. No range
    check; ``root`` as in :func:`peng_robinson_ln_phi` (``"vapour"`` gives the
    hypothetical-vapour fugacity used by the Lewis rule for gas mixtures).
    """
    T, P = np.broadcast_arrays(np.asarray(T, dtype=float), np.asarray(P, dtype=float))
    p_pa = P * 1e5
    pw = water_saturation_pressure_raw(T)
    y = np.clip((p_pa - pw) / p_pa, 0.0, 1.0)
    lnphi, _, _ = peng_robinson_ln_phi(gas, T, p_pa, root=root)
    f = y * np.exp(lnphi) * p_pa
    v_inf = GASES[gas][5]
    kh = henry_constant_raw(gas, T) * np.exp(v_inf * (p_pa - pw) / (R * T))
    x = f / kh
    x = np.minimum(x, 0.5)
    return x / ((1.0 - x) * M_WATER)


def _public(gas: str, temperature, pressure, salinity) -> pint.Quantity:
    Tmin, Tmax = GASES[gas][3:5]
    T = to_array(temperature, "K", "temperature")
    P = to_array(pressure, "bar", "pressure")
    m = to_array(salinity, "mol/kg", "salinity")
    check_range(T, Tmin, Tmax, "K", "temperature", f"{MODEL} for {gas}")
    check_range(P, 0.0, P_MAX_BAR, "bar", "pressure", f"{MODEL} for {gas}")
    if np.any(m != 0.0):
        raise ConfigError(
            f"salinity = {float(np.max(m)):g} mol/kg: {gas} solubility is implemented for pure "
            "water only (no salting-out model); pass salinity=0"
        )
    T, P = np.broadcast_arrays(T, P)
    pw = water_saturation_pressure_raw(T) / 1e5
    if np.any(P <= pw):
        i = np.flatnonzero((P <= pw).ravel())[0]
        raise ConfigError(
            f"pressure = {P.ravel()[i]:g} bar is not above the water vapour pressure "
            f"({pw.ravel()[i]:g} bar): no {gas} gas phase can exist"
        )
    _, _, vap = peng_robinson_ln_phi(gas, T, P * 1e5, root="stable")
    if not np.all(vap):
        i = np.flatnonzero(~vap.ravel())[0]
        raise ConfigError(
            f"pressure = {P.ravel()[i]:g} bar at {T.ravel()[i]:g} K: pure {gas} would be a "
            "liquid (above its vapour pressure); Henry's law for a gas does not apply"
        )
    return as_output(gas_solubility_molal(gas, T, P, root="vapour"), "mol/kg")


def h2s_solubility(temperature: Any, pressure: Any, salinity: Any = 0.0) -> pint.Quantity:
    """H2S solubility [mol/kg water] in pure water under a pure H2S (+ water vapour) gas.

    Parameters
    ----------
    temperature
        Quantity, string or float / array [K]; valid 273.15-533.09 K (IAPWS G7-04
        fit range for H2S).
    pressure
        Total gas pressure: quantity, string or float / array [bar]; above the
        water vapour pressure, at most 200 bar, and below the H2S condensation
        pressure (about 18 bar at 20 C by Peng-Robinson).
    salinity
        Must be 0 (pure water only; see the module docstring).

    Returns
    -------
    pint.Quantity
        Dissolved H2S (molecular H2S(aq), mol/kg water).
    """
    return _public("H2S", temperature, pressure, salinity)


def h2_solubility(temperature: Any, pressure: Any, salinity: Any = 0.0) -> pint.Quantity:
    """H2 solubility [mol/kg water] in pure water; as :func:`h2s_solubility` (273.15-636.09 K)."""
    return _public("H2", temperature, pressure, salinity)
