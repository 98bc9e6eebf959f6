"""H2S (and H2) solubility in water: IAPWS G7-04 Henry's constants.

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
f = y phi P, y = (P - p1*) / P (pure-water vapour pressure, as Duan & Sun 2003
do for CO2), with phi from the Peng & Robinson (1976, Ind. Eng. Chem. Fundam.
15:59) equation of state (critical constants: H2S Tc = 373.1 K, Pc = 90.0 bar,
omega = 0.1005, Lemmon & Span 2006; H2 Tc = 33.145 K, Pc = 12.964 bar,
omega = -0.219, Leachman et al. 2009).

H2S(aq) activity coefficient (molality scale, Henry's-law reference state) from
the Pitzer model of Akinfiev, Majer & Shvarov (2016), Chem. Geol. 424:1-11
(283-573 K, 0.1-40 MPa, 0-6 mol/kg NaCl), eqs. 16, 18, 20::

    ln gamma = 2 m lambda_ss + 3 m^2 tau_sss + 2 m_NaCl B_se
               + 3 m_NaCl^2 C_see + 6 m m_NaCl C_sse
    lambda_ss = -0.19515 + 0.102822 (100/(T-228)) - 0.033726 (T/(T-760))
    B_se = 0.03568 (100/(T-228)) - 0.02354 (T/(T-760))
    tau_sss = 0.0049, C_see = 0, C_sse = 0.002558

so that m gamma(m) = m_ideal, the Henry's-law molality. The parameters were
read from a public code's transcription of the paper; they reproduce the
paper's Table 3/4 salting-out ratios (as transcribed there) to within 3% in
ln m at 323-523 K, 1-6 m NaCl. They were fitted with another Henry's constant
(Majer et al. 2008) and H2S EOS (Lemmon & Span 2006); combining them with IAPWS
G7-04 and Peng-Robinson is our choice (documented in docs/solubility.md).
H2 has no activity model: pure water only.

Why not Duan, Sun, Liu & Zhu (2007, Energy & Fuels 21:2056; 273-500 K,
0-200 bar, 0-6 m NaCl): its parameter tables could not be retrieved for this
work. This module is limited to total pressures up to 200 bar and, for the
public functions, to conditions where the pure gas is not condensed.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pint

from ccus.errors import ConfigError
from ccus.injection._inputs import as_output, check_range, to_array

__all__ = [
    "GASES",
    "M_NACL_MAX_H2S",
    "T_MIN_BRINE_H2S",
    "h2s_activity_ratio",
    "h2s_ln_gamma",
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
MODEL = "IAPWS G7-04 Henry's law + Peng-Robinson (+ Akinfiev et al. 2016 for H2S)"
M_NACL_MAX_H2S = 6.0  # mol/kg, Akinfiev et al. (2016)
T_MIN_BRINE_H2S = 283.0  # K, Akinfiev et al. (2016) lower limit (used for brine)

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


# Akinfiev, Majer & Shvarov (2016), eqs. 18 and 20 and their parameters.
_AK_LAMBDA = (-0.19515, 0.102822, -0.033726)
_AK_B = (0.03568, -0.02354)
_AK_TAU_SSS = 0.0049
_AK_C_SEE = 0.0
_AK_C_SSE = 0.002558


def h2s_ln_gamma(T: Any, m_h2s: Any, m_nacl: Any = 0.0) -> np.ndarray:
    """ln of the H2S(aq) activity coefficient, Akinfiev et al. (2016) eq. 16.

    T [K], H2S molality and NaCl molality [mol/kg]; Henry's-law reference state.
    """
    T = np.asarray(T, dtype=float)
    m = np.asarray(m_h2s, dtype=float)
    me = np.asarray(m_nacl, dtype=float)
    x1 = 100.0 / (T - 228.0)
    x2 = T / (T - 760.0)
    lam = _AK_LAMBDA[0] + _AK_LAMBDA[1] * x1 + _AK_LAMBDA[2] * x2
    b_se = _AK_B[0] * x1 + _AK_B[1] * x2
    return (
        2.0 * m * lam
        + 3.0 * m * m * _AK_TAU_SSS
        + 2.0 * me * b_se
        + 3.0 * me * me * _AK_C_SEE
        + 6.0 * m * me * _AK_C_SSE
    )


def _apply_activity(T: np.ndarray, m_ideal: np.ndarray, m_nacl: np.ndarray) -> np.ndarray:
    """Solve ln m + ln gamma(m) = ln m_ideal for m (vectorised bisection in ln m)."""
    target = np.log(np.maximum(m_ideal, 1e-300))
    lo = target - 3.0
    hi = target + 3.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        g = mid + h2s_ln_gamma(T, np.exp(mid), m_nacl) - target
        up = g > 0.0
        hi = np.where(up, mid, hi)
        lo = np.where(up, lo, mid)
    return np.where(m_ideal > 0.0, np.exp(0.5 * (lo + hi)), 0.0)


def gas_solubility_molal(
    gas: str, T: Any, P: Any, root: str = "vapour", m_nacl: Any = 0.0
) -> np.ndarray:
    """Solubility [mol/kg water] of a pure gas at T [K], total pressure P [bar].

    The gas phase is the gas plus water vapour, y_gas = (P - p1*) / P. No range
    check; ``root`` as in :func:`peng_robinson_ln_phi` (``"vapour"`` gives the
    hypothetical-vapour fugacity used by the Lewis rule for gas mixtures).
    ``m_nacl`` [mol/kg] enters through the H2S activity coefficient; for H2 it
    must be 0 (no salting-out model; NaN is returned otherwise).
    """
    T, P, me = np.broadcast_arrays(
        np.asarray(T, dtype=float), np.asarray(P, dtype=float), np.asarray(m_nacl, dtype=float)
    )
    p_pa = P * 1e5
    pw = water_saturation_pressure_raw(T)
    y = np.clip((p_pa - pw) / p_pa, 0.0, 1.0)
    lnphi, _, _ = peng_robinson_ln_phi(gas, T, p_pa, root=root)
    f = y * np.exp(lnphi) * p_pa
    v_inf = GASES[gas][5]
    kh = henry_constant_raw(gas, T) * np.exp(v_inf * (p_pa - pw) / (R * T))
    x = np.minimum(f / kh, 0.5)
    m_ideal = x / ((1.0 - x) * M_WATER)
    if gas == "H2S":
        return _apply_activity(T, m_ideal, me)
    return np.where(me == 0.0, m_ideal, np.nan)


def h2s_activity_ratio(T: Any, m_h2s: Any, m_sat: Any, m_nacl: Any = 0.0) -> np.ndarray:
    """(m gamma(m)) / (m_sat gamma(m_sat)) for H2S: the fraction of the saturation
    fugacity that dissolved H2S at molality ``m_h2s`` needs (bubble-point sums)."""
    ln_num = np.log(np.maximum(m_h2s, 1e-300)) + h2s_ln_gamma(T, m_h2s, m_nacl)
    ln_den = np.log(np.maximum(m_sat, 1e-300)) + h2s_ln_gamma(T, m_sat, m_nacl)
    return np.where(np.asarray(m_h2s) > 0, np.exp(ln_num - ln_den), 0.0)


def _public(gas: str, temperature, pressure, salinity) -> pint.Quantity:
    Tmin, Tmax = GASES[gas][3:5]
    T = to_array(temperature, "K", "temperature")
    P = to_array(pressure, "bar", "pressure")
    m = to_array(salinity, "mol/kg", "salinity")
    check_range(T, Tmin, Tmax, "K", "temperature", f"{MODEL} for {gas}")
    check_range(P, 0.0, P_MAX_BAR, "bar", "pressure", f"{MODEL} for {gas}")
    if gas == "H2S":
        check_range(m, 0.0, M_NACL_MAX_H2S, "mol/kg", "salinity (NaCl molality)", "Akinfiev et al. (2016)")
        if np.any(m > 0.0):
            check_range(T, T_MIN_BRINE_H2S, Tmax, "K", "temperature (NaCl brine)", "Akinfiev et al. (2016)")
    elif np.any(m != 0.0):
        raise ConfigError(
            f"salinity = {float(np.max(m)):g} mol/kg: {gas} solubility is implemented for pure "
            "water only (no salting-out model); pass salinity=0"
        )
    T, P, m = np.broadcast_arrays(T, P, m)
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
    return as_output(gas_solubility_molal(gas, T, P, root="vapour", m_nacl=m), "mol/kg")


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
        NaCl molality: quantity, string or float / array [mol/kg]; 0-6 mol/kg,
        and T >= 283 K when > 0 (Akinfiev et al. 2016).

    Returns
    -------
    pint.Quantity
        Dissolved H2S (molecular H2S(aq), mol/kg water).
    """
    return _public("H2S", temperature, pressure, salinity)


def h2_solubility(temperature: Any, pressure: Any, salinity: Any = 0.0) -> pint.Quantity:
    """H2 solubility [mol/kg water] in pure water (salinity must be 0); otherwise as
    :func:`h2s_solubility`, valid 273.15-636.09 K, up to 200 bar."""
    return _public("H2", temperature, pressure, salinity)
