"""Basaltic glass dissolution (Gislason & Oelkers 2003, GCA 67:3817), as Kinec_v3.dat codes it.

Far-from-equilibrium rate per area::

    r+ = A exp(-Ea / (R T)) (a(H+)^3 / a(Al+3))^(1/3)                       [mol/m^2/s]

(Kinec_v3: A = 1.08e-4 mol/m^2/s, Ea = 21.5 kJ/mol, R = 8.3144 J/mol/K); the net
rate is S r+ (1 - Omega) with Omega the saturation ratio of
``Glass_Basalt_leached_layer``. The law is singular where a(Al+3) -> 0: the rate
grows without bound, which releases Al at once; the reactor's adaptive step
follows that transient (log10 a(Al+3) is floored at -300 to stay finite).
"""

from __future__ import annotations

import numpy as np

from ccus.kinetics.tst import arrhenius


def gislason_oelkers_term(log10_a_h: np.ndarray, log10_a_al: np.ndarray) -> np.ndarray:
    """(a(H+)^3 / a(Al+3))^(1/3) [-] from log10 activities."""
    la_al = np.maximum(np.asarray(log10_a_al, float), -300.0)
    return 10.0 ** ((3.0 * np.asarray(log10_a_h, float) - la_al) / 3.0)


def glass_rplus(A: float, Ea: float, R: float, tk: np.ndarray, log10_a_h: np.ndarray, log10_a_al: np.ndarray) -> np.ndarray:
    """Far-from-equilibrium glass rate r+ [mol/m^2/s]; ``A`` [mol/m^2/s], ``Ea`` [J/mol], ``R`` [J/mol/K], ``tk`` [K]."""
    return arrhenius(A, Ea, R, tk) * gislason_oelkers_term(log10_a_h, log10_a_al)
