"""CO2 solubility in water and aqueous NaCl by Duan & Sun (2003).

Reference
---------
Duan, Z., Sun, R. (2003). An improved model calculating CO2 solubility in pure
water and aqueous NaCl solutions from 273 to 533 K and from 0 to 2000 bar.
Chemical Geology 193, 257-271. doi:10.1016/S0009-2541(02)00263-2

The model (paper equations in brackets)::

    ln m_CO2 = ln(y_CO2 * phi_CO2 * P) - mu_CO2^l(0)/RT
               - 2 lambda_CO2-Na m_NaCl - zeta_CO2-Na-Cl m_NaCl^2      (eq. 6)
    Par(T, P) = c1 + c2 T + c3/T + c4 T^2 + c5/(630 - T) + c6 P
                + c7 P ln T + c8 P/T + c9 P/(630 - T)
                + c10 P^2/(630 - T)^2 + c11 T ln P                        (eq. 7)
    y_CO2 = (P - P_H2O) / P                                              (eq. 4)

with T in K and P in bar; Par gives mu/RT, lambda and zeta from the c's of
Table 2. The fugacity coefficient phi_CO2 comes from the equation of state of
Duan, Moller & Weare (1992) with the parameters of the paper's Appendix A
(eqs. A1-A6, Table A1, Tc = 304.1282 K, Pc = 73.773 bar); the water vapour
pressure P_H2O from the paper's eq. B1 (Table B1).

Validity: 273-533 K, 0-2000 bar, 0-4.3 mol/kg NaCl (the paper's title and
abstract); accuracy "within or close to experimental uncertainty, about 7%".
Outside that range :func:`co2_solubility` raises :class:`ConfigError`.

Where the EOS has three volume roots (sub-critical CO2 near saturation) the root
with the lowest fugacity (the stable phase, liquid above the saturation
pressure) is taken.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pint

from ccus.errors import ConfigError
from ccus.injection._inputs import as_output, check_range, to_array

__all__ = [
    "T_RANGE_K",
    "P_MAX_BAR",
    "M_NACL_MAX",
    "co2_solubility",
    "co2_solubility_molal",
    "co2_fugacity_coefficient",
    "co2_fugacity_coefficient_raw",
    "co2_molar_volume_raw",
    "water_vapour_pressure_raw",
]

MODEL = "Duan & Sun (2003)"
T_RANGE_K = (273.0, 533.0)  # K, paper title
P_MAX_BAR = 2000.0  # bar, paper title
M_NACL_MAX = 4.3  # mol/kg, paper abstract

# Table 2 of Duan & Sun (2003): coefficients c1..c11 of eq. 7.
_C_MU = np.array([
    28.9447706, -0.0354581768, -4770.67077, 1.02782768e-5, 33.8126098, 9.04037140e-3,
    -1.14934031e-3, -0.307405726, -0.0907301486, 9.32713393e-4, 0.0,
])  # mu_CO2^l(0)/RT
_C_LAMBDA = np.array([
    -0.411370585, 6.07632013e-4, 97.5347708, 0.0, 0.0, 0.0,
    0.0, -0.0237622469, 0.0170656236, 0.0, 1.41335834e-5,
])  # lambda_CO2-Na
_C_ZETA = np.array([
    3.36389723e-4, -1.98298980e-5, 0.0, 0.0, 0.0, 0.0,
    0.0, 2.12220830e-3, -5.24873303e-3, 0.0, 0.0,
])  # zeta_CO2-Na-Cl

# Table A1 of Duan & Sun (2003): parameters a1..a15 of the CO2 EOS (Duan et al. 1992).
_A = np.array([
    8.99288497e-2, -4.94783127e-1, 4.77922245e-2, 1.03808883e-2, -2.82516861e-2,
    9.49887563e-2, 5.20600880e-4, -2.93540971e-4, -1.77265112e-3, -2.51101973e-5,
    8.93353441e-5, 7.88998563e-5, -1.66727022e-2, 1.398, 2.96e-2,
])
TC_CO2 = 304.1282  # K, Duan & Sun (2003) Appendix A
PC_CO2 = 73.773  # bar, Duan & Sun (2003) Appendix A
R_CM3_BAR = 83.14467  # cm3 bar / (mol K), gas constant used to define Vc = R Tc / Pc
M_CO2 = 44.0095  # g/mol

# Table B1 of Duan & Sun (2003): water vapour pressure, eq. B1.
_C_PW = (-38.640844, 5.8948420, 59.876516, 26.654627, 10.637097)
TC_H2O_B1 = 647.29  # K, eq. B1
PC_H2O_B1 = 220.85  # bar, eq. B1


def _par(c: np.ndarray, T: np.ndarray, P: np.ndarray) -> np.ndarray:
    """Eq. 7 of Duan & Sun (2003); T [K], P [bar]."""
    lnT = np.log(T)
    d = 630.0 - T
    out = c[0] + c[1] * T + c[2] / T + c[3] * T * T + c[4] / d
    out = out + c[5] * P + c[6] * P * lnT + c[7] * P / T + c[8] * P / d + c[9] * P * P / (d * d)
    if c[10] != 0.0:
        out = out + c[10] * T * np.log(P)
    return out


def water_vapour_pressure_raw(T: Any) -> np.ndarray:
    """Water vapour pressure [bar] at T [K], eq. B1 of Duan & Sun (2003)."""
    T = np.asarray(T, dtype=float)
    t = (T - TC_H2O_B1) / TC_H2O_B1
    c1, c2, c3, c4, c5 = _C_PW
    return (PC_H2O_B1 * T / TC_H2O_B1) * (
        1.0 + c1 * (-t) ** 1.9 + c2 * t + c3 * t**2 + c4 * t**3 + c5 * t**4
    )


def _eos_terms(Tr: np.ndarray):
    a = _A
    B = a[0] + a[1] / Tr**2 + a[2] / Tr**3
    C = a[3] + a[4] / Tr**2 + a[5] / Tr**3
    D = a[6] + a[7] / Tr**2 + a[8] / Tr**3
    E = a[9] + a[10] / Tr**2 + a[11] / Tr**3
    F = a[12] / Tr**3
    return B, C, D, E, F


def _z_eos(Vr, B, C, D, E, F):
    """Compressibility factor of the EOS (eq. A1) at reduced volume Vr."""
    g = _A[14] / Vr**2
    return 1.0 + B / Vr + C / Vr**2 + D / Vr**4 + E / Vr**5 + F / Vr**2 * (_A[13] + g) * np.exp(-g)


def _ln_phi(Vr, Z, B, C, D, E, F):
    """ln of the fugacity coefficient (eq. A6)."""
    a14, a15 = _A[13], _A[14]
    g = a15 / Vr**2
    return (
        Z - 1.0 - np.log(Z) + B / Vr + C / (2.0 * Vr**2) + D / (4.0 * Vr**4) + E / (5.0 * Vr**5)
        + F / (2.0 * a15) * (a14 + 1.0 - (a14 + 1.0 + g) * np.exp(-g))
    )


_N_GRID = 240
_N_BISECT = 64


def _solve_eos(T: np.ndarray, P: np.ndarray):
    """Stable reduced volume, Z and ln phi of CO2 at T [K], P [bar] (1-d arrays)."""
    Tr = T / TC_CO2
    Pr = P / PC_CO2
    B, C, D, E, F = (x[:, None] for x in _eos_terms(Tr))
    ideal = (Tr / Pr)[:, None]
    lo = np.full_like(ideal, 0.05)
    hi = np.maximum(6.0 * ideal, 0.2)
    s = np.linspace(0.0, 1.0, _N_GRID)[None, :]
    grid = lo * (hi / lo) ** s
    f = _z_eos(grid, B, C, D, E, F) - grid * (Pr / Tr)[:, None]
    change = np.signbit(f[:, :-1]) != np.signbit(f[:, 1:])
    has = change.any(axis=1)
    if not np.all(has):
        i = int(np.flatnonzero(~has)[0])
        raise ConfigError(
            f"CO2 equation of state of {MODEL} has no volume root at T = {T[i]:g} K, P = {P[i]:g} bar"
        )
    n = len(T)
    rows = np.arange(n)
    first = np.argmax(change, axis=1)
    last = _N_GRID - 2 - np.argmax(change[:, ::-1], axis=1)
    results = []
    for idx in (first, last):
        a = grid[rows, idx].copy()
        b = grid[rows, idx + 1].copy()
        fa = f[rows, idx].copy()
        b1, c1, d1, e1, f1 = B[:, 0], C[:, 0], D[:, 0], E[:, 0], F[:, 0]
        k = Pr / Tr
        for _ in range(_N_BISECT):
            m = 0.5 * (a + b)
            fm = _z_eos(m, b1, c1, d1, e1, f1) - m * k
            left = np.signbit(fm) == np.signbit(fa)
            a = np.where(left, m, a)
            fa = np.where(left, fm, fa)
            b = np.where(left, b, m)
        vr = 0.5 * (a + b)
        z = vr * k
        results.append((vr, z, _ln_phi(vr, z, b1, c1, d1, e1, f1)))
    (v1, z1, l1), (v2, z2, l2) = results
    use_first = l1 < l2
    return np.where(use_first, v1, v2), np.where(use_first, z1, z2), np.where(use_first, l1, l2)


def _broadcast(*arrays: np.ndarray):
    b = np.broadcast_arrays(*[np.asarray(x, dtype=float) for x in arrays])
    shape = b[0].shape
    return shape, [x.ravel() for x in b]


def co2_fugacity_coefficient_raw(T: Any, P: Any) -> np.ndarray:
    """Fugacity coefficient of pure CO2 [-] at T [K], P [bar]; no range check."""
    shape, (t, p) = _broadcast(T, P)
    _, _, lnphi = _solve_eos(t, p)
    return np.exp(lnphi).reshape(shape)


def co2_molar_volume_raw(T: Any, P: Any) -> np.ndarray:
    """Molar volume of pure CO2 [cm3/mol] from the Duan & Sun (2003) EOS; no range check."""
    shape, (t, p) = _broadcast(T, P)
    vr, _, _ = _solve_eos(t, p)
    vc = R_CM3_BAR * TC_CO2 / PC_CO2
    return (vr * vc).reshape(shape)


def co2_solubility_molal(T: Any, P: Any, m_nacl: Any = 0.0) -> np.ndarray:
    """Duan & Sun (2003) CO2 solubility [mol/kg water] from plain floats / arrays.

    T [K], P [bar] (total pressure, CO2 + water vapour), m_nacl [mol/kg]. No
    range check (use :func:`co2_solubility` at a public boundary); where
    ``P <= P_H2O(T)`` (no CO2 in the vapour) the result is 0.
    """
    shape, (t, p, m) = _broadcast(T, P, m_nacl)
    _, _, lnphi = _solve_eos(t, np.maximum(p, 1e-6))
    pw = water_vapour_pressure_raw(t)
    y = np.clip((p - pw) / p, 0.0, 1.0)
    ln_m = (
        np.log(np.maximum(y, 1e-300)) + lnphi + np.log(p) - _par(_C_MU, t, p)
        - 2.0 * _par(_C_LAMBDA, t, p) * m - _par(_C_ZETA, t, p) * m * m
    )
    out = np.where(y > 0.0, np.exp(ln_m), 0.0)
    return out.reshape(shape)


def _checked_inputs(temperature, pressure, salinity):
    T = to_array(temperature, "K", "temperature")
    P = to_array(pressure, "bar", "pressure")
    m = to_array(salinity, "mol/kg", "salinity")
    check_range(T, T_RANGE_K[0], T_RANGE_K[1], "K", "temperature", MODEL)
    check_range(P, 0.0, P_MAX_BAR, "bar", "pressure", MODEL)
    check_range(m, 0.0, M_NACL_MAX, "mol/kg", "salinity (NaCl molality)", MODEL)
    shape, (t, p, mm) = _broadcast(T, P, m)
    pw = water_vapour_pressure_raw(t)
    bad = p <= pw
    if np.any(bad):
        i = int(np.flatnonzero(bad)[0])
        raise ConfigError(
            f"pressure = {p[i]:g} bar is not above the water vapour pressure "
            f"({pw[i]:g} bar at {t[i]:g} K): no CO2 gas phase can exist, "
            f"{MODEL} needs P > P_H2O(T)"
        )
    return shape, t, p, mm


def co2_solubility(temperature: Any, pressure: Any, salinity: Any = 0.0) -> pint.Quantity:
    """CO2 solubility in water or NaCl brine in equilibrium with a CO2 gas phase.

    Duan & Sun (2003), Chem. Geol. 193:257 (see the module docstring).

    Parameters
    ----------
    temperature
        Temperature: quantity, string (``"35 degC"``) or float / array [K];
        valid 273-533 K.
    pressure
        Total pressure of the CO2(-H2O) gas phase: quantity, string
        (``"25 bar"``) or float / array [bar]; valid up to 2000 bar and above the
        water vapour pressure.
    salinity
        NaCl molality: quantity, string (``"0.5 mol/kg"``) or float / array
        [mol/kg water]; valid 0-4.3 mol/kg.

    Returns
    -------
    pint.Quantity
        Dissolved CO2 [mol/kg water] (float or array, broadcast over inputs).

    Raises
    ------
    ConfigError
        For unreadable input or values outside the validity range (message names
        the input, the range and the value).
    """
    shape, t, p, m = _checked_inputs(temperature, pressure, salinity)
    return as_output(co2_solubility_molal(t, p, m).reshape(shape), "mol/kg")


def co2_fugacity_coefficient(temperature: Any, pressure: Any) -> pint.Quantity:
    """Fugacity coefficient of pure CO2 [dimensionless] from the Duan & Sun (2003) EOS.

    Inputs as for :func:`co2_solubility` (temperature [K], pressure [bar]);
    the same validity range applies.
    """
    T = to_array(temperature, "K", "temperature")
    P = to_array(pressure, "bar", "pressure")
    check_range(T, T_RANGE_K[0], T_RANGE_K[1], "K", "temperature", MODEL)
    check_range(P, 1e-6, P_MAX_BAR, "bar", "pressure", MODEL)
    return as_output(co2_fugacity_coefficient_raw(T, P), "dimensionless")
