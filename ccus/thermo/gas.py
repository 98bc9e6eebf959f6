"""Peng-Robinson fugacity coefficient of a pure gas and the pressure term of solids.

PHREEQC holds a gas of an EQUILIBRIUM_PHASES assemblage (``CO2(g) log10(p)``) at
the partial pressure p [atm] and, when the phase has ``-T_c``/``-P_c``, at the
fugacity f = phi p with phi from the Peng-Robinson equation of state of the pure
gas (Peng & Robinson 1976, Ind. Eng. Chem. Fund. 15:59):

    Z^3 - (1 - B) Z^2 + (A - 3B^2 - 2B) Z - (AB - B^2 - B^3) = 0,
    A = a alpha p / (RT)^2, B = b p / (RT),
    a = 0.45724 R^2 Tc^2 / Pc, b = 0.07780 R Tc / Pc,
    alpha = (1 + kappa (1 - sqrt(T/Tc)))^2, kappa = 0.37464 + 1.54226 w - 0.26992 w^2,
    ln phi = Z - 1 - ln(Z - B) - A / (2 sqrt(2) B) ln((Z + (1 + sqrt 2) B) / (Z + (1 - sqrt 2) B)),

taking the largest real root Z (vapour).

Solids: for llnl-type databases PHREEQC shifts log K of a phase with a molar
volume (``-Vm`` [cm3/mol]) by Vm (P - 1 atm) / (ln 10 R T) for P > 1 atm and leaves
aqueous species unchanged (found numerically, see docs/speciation.md).
"""

from __future__ import annotations

import numpy as np

R_CM3_ATM = 82.0597  # cm3 atm / (K mol)
LN10 = np.log(10.0)


def pr_log10_phi(p_atm: np.ndarray, t_k: np.ndarray, tc: float, pc: float, omega: float) -> np.ndarray:
    """log10 of the Peng-Robinson fugacity coefficient of a pure gas at p [atm], T [K]."""
    p = np.atleast_1d(np.asarray(p_atm, dtype=float))
    t = np.broadcast_to(np.asarray(t_k, dtype=float), p.shape)
    r = R_CM3_ATM / 1000.0  # L atm / (K mol)
    kappa = 0.37464 + 1.54226 * omega - 0.26992 * omega**2
    alpha = (1.0 + kappa * (1.0 - np.sqrt(t / tc))) ** 2
    a = 0.45724 * r**2 * tc**2 / pc * alpha
    b = 0.07780 * r * tc / pc
    A = a * p / (r * t) ** 2
    B = b * p / (r * t)
    out = np.empty_like(p)
    for i in range(p.size):
        roots = np.roots([1.0, -(1.0 - B[i]), A[i] - 3 * B[i] ** 2 - 2 * B[i], -(A[i] * B[i] - B[i] ** 2 - B[i] ** 3)])
        real = roots[np.abs(roots.imag) < 1e-10].real
        z = real[real > B[i]].max()
        s2 = np.sqrt(2.0)
        ln_phi = z - 1 - np.log(z - B[i]) - A[i] / (2 * s2 * B[i]) * np.log((z + (1 + s2) * B[i]) / (z + (1 - s2) * B[i]))
        out[i] = ln_phi / LN10
    return out


def solid_pressure_shift(vm_cm3: np.ndarray, p_atm: np.ndarray, t_k: np.ndarray) -> np.ndarray:
    """Shift of log10 K of solids: Vm max(P - 1 atm, 0) / (ln 10 R T); shapes broadcast."""
    dp = np.maximum(np.asarray(p_atm, dtype=float) - 1.0, 0.0)
    return np.asarray(vm_cm3, dtype=float) * dp / (LN10 * R_CM3_ATM * np.asarray(t_k, dtype=float))
