"""Transition-state-theory rate laws as vectorised numpy functions.

The equations are those :mod:`ccus.engines.phreeqc.rates_basic` writes as PHREEQC
BASIC (one mineral)::

    r = S * sum_i k_i(T) g_i * (1 - Omega^(1/sigma))                        [mol/s]
    k_i(T) = A_i exp(-Ea_i / (R T))                                         [mol/m^2/s]

with ``g = a(species)^n`` (power mechanism: acid ``a(H+)^n``, neutral ``g = 1``,
base ``a(H+)^n`` with n < 0 or ``a(OH-)^n``), ``g = (p_gas/atm)^n`` for a gas
(PHREEQC's ``SR("CO2(g)")``, the partial pressure in atm) and
``g = 1 - kc a_c / (1 + kc a_c)``, ``a_c = a(HCO3-) + a(CO3-2)`` (carbonate
inhibition). ``r > 0`` is dissolution (PHREEQC's sign convention for KINETICS).
"""

from __future__ import annotations

import numpy as np


def arrhenius(A: float, Ea: float, R: float, tk: np.ndarray) -> np.ndarray:
    """Rate constant A exp(-Ea / (R T)) [mol/m^2/s]; ``A`` [mol/m^2/s], ``Ea`` [J/mol], ``R`` [J/mol/K], ``tk`` [K]."""
    return A * np.exp(-Ea / (R * np.asarray(tk, float)))


def power_term(log10_activity: np.ndarray, order: float) -> np.ndarray:
    """a^n [-] from log10 a (order 0: 1, the neutral mechanism)."""
    if order == 0.0:
        return np.ones_like(np.asarray(log10_activity, float))
    return 10.0 ** (order * np.asarray(log10_activity, float))


def gas_term(log10_partial_pressure: np.ndarray, order: float) -> np.ndarray:
    """(p/atm)^n [-] from log10 of the partial pressure [atm] (PHREEQC ``SR("CO2(g)")^n``)."""
    return power_term(log10_partial_pressure, order)


def carbonate_inhibition(a_carbonate: np.ndarray, kc: float) -> np.ndarray:
    """1 - kc a_c / (1 + kc a_c) [-], ``a_c = a(HCO3-) + a(CO3-2)`` [-], ``kc`` [-]."""
    a = np.asarray(a_carbonate, float)
    return 1.0 - kc * a / (1.0 + kc * a)


def affinity(omega: np.ndarray, sigma: float) -> np.ndarray:
    """Affinity term 1 - Omega^(1/sigma) [-] (Omega: saturation ratio IAP/K)."""
    return 1.0 - np.asarray(omega, float) ** (1.0 / sigma)


def tst_rate(area: np.ndarray, rplus: np.ndarray, omega: np.ndarray, sigma: float) -> np.ndarray:
    """Net rate S r+ (1 - Omega^(1/sigma)) [mol/s]; ``area`` [m^2], ``rplus`` [mol/m^2/s]."""
    return np.asarray(area, float) * np.asarray(rplus, float) * affinity(omega, sigma)


def apply_flags(rate: np.ndarray, area: np.ndarray, omega: np.ndarray, moles: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """PHREEQC RATES guards: no area, direction (1 precipitate only, 2 dissolve only), no mineral left.

    Returns ``rate`` [mol/s] with zeros where the BASIC program jumps to ``SAVE 0``.
    """
    omega = np.asarray(omega, float)
    zero = (area <= 0) | ((direction == 1) & (omega < 1)) | ((direction == 2) & (omega > 1)) | ((moles <= 0) & (omega < 1))
    return np.where(zero, 0.0, rate)
