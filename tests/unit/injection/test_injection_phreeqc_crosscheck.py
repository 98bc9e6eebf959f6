"""Duan & Sun (2003) CO2 solubility against PHREEQC's Peng-Robinson gas phase.

PHREEQC (phreeqc.dat): GAS_PHASE -fixed_pressure with CO2(g) + H2O(g) over pure
water or NaCl solution, dissolved C(4) read back. The two are independent
models (D&S: Pitzer-type fit with the Duan 1992 EOS; PHREEQC: Peng-Robinson with
a fitted log K, molar volume and its own activity model), each claiming a few %
accuracy against data, so they are compared with model-to-model tolerances.
Points with P < 3 * p_H2O(T) are excluded: there the CO2 partial pressure is a
small difference of two numbers and the two models' water-vapour treatments
(ideal y_CO2 = (P - p_H2O)/P vs PR mixing with water activity) dominate.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from ccus.injection.solubility import co2_solubility_molal, water_vapour_pressure_raw

from .phreeqc_pr import make_phreeqc, phreeqc_co2_molality


@pytest.fixture(scope="module")
def iphreeqc():
    return make_phreeqc()


def _compare(p, t_c, p_bar, m):
    ref = phreeqc_co2_molality(p, t_c, p_bar, m)
    got = float(co2_solubility_molal(t_c + 273.15, p_bar, m))
    return got, ref


@pytest.mark.parametrize("t_c", [25.0, 50.0, 100.0])
@pytest.mark.parametrize("p_bar", [10.0, 25.0, 100.0, 300.0])
@pytest.mark.parametrize("m", [0.0, 1.0])
def test_default_subset(iphreeqc, t_c, p_bar, m):
    got, ref = _compare(iphreeqc, t_c, p_bar, m)
    # 10%: two independent models each ~5-7% from data; measured max 7.5% on this subset
    # (100 C, 300 bar, 1 m).
    assert_allclose(got, ref, rtol=0.10)


@pytest.mark.slow
def test_full_grid(iphreeqc):
    rows = []
    for t_c in (10, 25, 40, 50, 75, 100, 125, 150, 200, 250):
        for p_bar in (1, 5, 10, 25, 50, 75, 100, 150, 200, 300):
            if p_bar < 3.0 * water_vapour_pressure_raw(t_c + 273.15):
                continue
            for m in (0.0, 0.5, 1.0, 2.0, 4.0):
                got, ref = _compare(iphreeqc, t_c, p_bar, m)
                rows.append((t_c, p_bar, m, got / ref - 1.0))
    r = np.array(rows)
    pure_low = r[(r[:, 2] == 0) & (r[:, 0] <= 150)]
    brine_low = r[(r[:, 2] > 0) & (r[:, 0] <= 100)]
    hot = r[r[:, 0] > 150]
    # Pure water, 10-150 C: measured max 11.1% (150 C, 25 bar), rms 3.7%.
    assert np.max(np.abs(pure_low[:, 3])) < 0.12
    # NaCl 0.5-4 m, 10-100 C: D&S salts out more strongly than phreeqc.dat's
    # activity model; measured max -28% (10 C, 50 bar, 4 m), growing with m.
    assert np.max(np.abs(brine_low[:, 3])) < 0.30
    # 200-250 C: PR with H2O(g) mixing (k_ij 0.19) vs D&S; measured max +33% (pure water,
    # 250 C, 300 bar), rms 11.8%; Takenouchi & Kennedy's data side with D&S (13% max).
    assert np.max(np.abs(hot[:, 3])) < 0.35
    # Overall (410 points) rms: measured 7.9%.
    assert np.sqrt(np.mean(r[:, 3] ** 2)) < 0.10
