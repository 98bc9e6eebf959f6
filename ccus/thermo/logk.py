"""log10 K(T) of reactions from PHREEQC analytic coefficients.

PHREEQC (``k_calc``) evaluates

    log10 K = A1 + A2 T + A3 / T + A4 log10(T) + A5 / T^2 + A6 T^2      (T in K)

when any ``A_i`` is non-zero, otherwise the van 't Hoff form
``log10 K(T) = log10 K(298.15) - dH (298.15 - T) / (ln 10 R T 298.15)`` with
R = 8.31470e-3 kJ/(mol K). :mod:`ccus.thermo.database` converts the van 't Hoff
form into analytic coefficients exactly, so one function covers both.

For the llnl-type databases used here PHREEQC applies no pressure correction to
log K (checked numerically: PHREEQC gives identical results at 1 and 30 atm
at 200 degC with Kinec_v3.dat); see docs/speciation.md.
"""

from __future__ import annotations

import numpy as np

T0_K = 273.15


def analytic_basis(temperature_k: np.ndarray) -> np.ndarray:
    """Basis functions [1, T, 1/T, log10 T, 1/T^2, T^2], shape (..., 6)."""
    t = np.asarray(temperature_k, dtype=float)
    return np.stack([np.ones_like(t), t, 1.0 / t, np.log10(t), 1.0 / t**2, t**2], axis=-1)


def log_k(coefficients: np.ndarray, temperature_k: np.ndarray) -> np.ndarray:
    """log10 K for reactions with analytic ``coefficients`` (n, 6) at temperatures (N,) [K].

    Returns an array of shape (N, n).
    """
    coefficients = np.atleast_2d(np.asarray(coefficients, dtype=float))
    return analytic_basis(np.atleast_1d(temperature_k)) @ coefficients.T
