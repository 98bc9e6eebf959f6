"""Property-based checks of the Duan & Sun (2003) implementation over its whole range."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ccus.injection.solubility import co2_solubility_molal, water_vapour_pressure_raw

T_ = st.floats(min_value=273.0, max_value=533.0)
FRAC = st.floats(min_value=0.0, max_value=1.0)
M_ = st.floats(min_value=0.0, max_value=4.3)


def _pressure(T, frac):
    # log-uniform between 1.2 x water vapour pressure (>= 0.05 bar) and 2000 bar
    lo = max(1.2 * float(water_vapour_pressure_raw(T)), 0.05)
    return float(np.exp(np.log(lo) + frac * (np.log(2000.0) - np.log(lo))))


@settings(max_examples=60, deadline=None)
@given(T=T_, frac=FRAC, m=M_)
def test_finite_positive_and_salting_out(T, frac, m):
    P = _pressure(T, frac)
    s0, s1 = co2_solubility_molal(T, P, [0.0, m])
    assert np.isfinite(s0) and s0 > 0
    assert s1 <= s0 * (1 + 1e-12)  # NaCl never raises CO2 solubility (lambda, zeta > 0 here)


@settings(max_examples=60, deadline=None)
@given(T=T_, frac=FRAC, m=M_)
def test_increases_with_pressure(T, frac, m):
    P = _pressure(T, frac)
    lo, hi = co2_solubility_molal(T, [P, P * 1.05], m)
    assert hi > lo
