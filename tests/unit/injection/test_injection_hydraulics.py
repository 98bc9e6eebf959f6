"""Theis / Thiem pressure build-up, fracture pressure and margin."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from ccus.errors import ConfigError
from ccus.injection.hydraulics import (
    fracture_pressure,
    injection_margin,
    radius_of_investigation,
    theis_pressure_buildup,
    thiem_pressure_buildup,
)
from ccus.units import Q_

# A CarbFix1-like case: permeability ~5e-11 m2 (Callow et al. 2018), 2 L/s of water.
CASE = dict(
    rate="2 L/s",
    permeability="5e-11 m^2",
    thickness="100 m",
    viscosity="1e-3 Pa*s",
    porosity=0.08,
    total_compressibility="1e-9 1/Pa",
)


@pytest.mark.parametrize(
    "u, w",
    [
        # Theis well function W(u) = E1(u), tabulated by Wenzel (1942, USGS WSP 887),
        # reproduced in Freeze & Cherry (1979) Groundwater, Appendix VI / Table 8.1.
        (1e-4, 8.6332),
        (1e-3, 6.3315),
        (1e-2, 4.0379),
        (1e-1, 1.8229),
        (5e-1, 0.5598),
        (1.0, 0.2194),
        (5.0, 0.001148),
    ],
)
def test_theis_reproduces_well_function_table(u, w):
    # choose parameters so that q mu / (4 pi k h) = 1 Pa and r^2 phi mu ct / (4 k t) = u
    k, h, mu, phi, ct, t = 1e-12, 1.0, 1e-3, 0.1, 1e-9, 1000.0
    q = 4 * np.pi * k * h / mu
    r = np.sqrt(u * 4 * k * t / (phi * mu * ct))
    dp = theis_pressure_buildup(q, t, r, k, h, mu, phi, ct).to("Pa").magnitude
    # tabulated to 4 significant figures (half a unit in the last digit: <= 5e-4)
    assert_allclose(dp, w, rtol=5e-4)


def test_theis_long_time_equals_thiem_with_cooper_jacob_radius():
    # Cooper & Jacob (1946): for u < 0.01, E1(u) ~ -0.5772 - ln u, which is Thiem's
    # ln(r_e/r_w) with r_e = sqrt(2.25 k t / (phi mu ct)). Textbook identity
    # (e.g. Freeze & Cherry 1979, sect. 8.3).
    t = Q_(30, "day")
    re = radius_of_investigation(t, CASE["permeability"], CASE["viscosity"], CASE["porosity"], CASE["total_compressibility"])
    theis = theis_pressure_buildup(CASE["rate"], t, "0.1 m", CASE["permeability"], CASE["thickness"],
                                   CASE["viscosity"], CASE["porosity"], CASE["total_compressibility"], skin=2.0)
    thiem = thiem_pressure_buildup(CASE["rate"], CASE["permeability"], CASE["thickness"], CASE["viscosity"],
                                   "0.1 m", re, skin=2.0)
    # 1e-4: the truncation error of the log approximation at u ~ 1e-9 here
    assert_allclose(theis.to("Pa").magnitude, thiem.to("Pa").magnitude, rtol=1e-4)


def test_thiem_hand_calculation():
    # dP = q mu / (2 pi k h) (ln(re/rw) + s)
    #    = 2e-3 * 1e-3 / (2 pi * 5e-11 * 100) * (ln(500/0.1) + 0) = 63.662 * 8.5172 = 542.2 Pa
    dp = thiem_pressure_buildup(CASE["rate"], CASE["permeability"], CASE["thickness"], CASE["viscosity"],
                                "0.1 m", "500 m")
    # hand arithmetic to 4 figures
    assert_allclose(dp.to("Pa").magnitude, 542.2, rtol=1e-3)


def test_theis_array_over_time_increases():
    t = Q_(np.array([1.0, 10.0, 100.0]), "day")
    dp = theis_pressure_buildup(CASE["rate"], t, "0.1 m", CASE["permeability"], CASE["thickness"],
                                CASE["viscosity"], CASE["porosity"], CASE["total_compressibility"])
    assert dp.magnitude.shape == (3,)
    assert np.all(np.diff(dp.magnitude) > 0)


def test_fracture_pressure_and_margin():
    # 530 m (CarbFix1 main aquifer, Alfredsson et al. 2013) x 0.16 bar/m = 84.8 bar
    assert_allclose(fracture_pressure("530 m", "0.16 bar/m").to("bar").magnitude, 84.8, rtol=1e-12)
    m = injection_margin("52 bar", "3 bar", "530 m", "0.16 bar/m")
    assert_allclose(m.margin.to("bar").magnitude, 84.8 - 55.0, rtol=1e-12)
    assert m.acceptable
    assert not injection_margin("80 bar", "10 bar", "530 m", "0.16 bar/m").acceptable


@pytest.mark.parametrize(
    "kwargs, word",
    [
        (dict(permeability="-1e-12 m^2"), "permeability"),
        (dict(porosity=1.5), "porosity"),
        (dict(viscosity="1 m"), "viscosity"),
    ],
)
def test_theis_bad_inputs(kwargs, word):
    args = dict(CASE, time="1 day", radius="0.1 m")
    args.update(kwargs)
    with pytest.raises(ConfigError, match=word):
        theis_pressure_buildup(**args)


def test_thiem_radius_order():
    with pytest.raises(ConfigError, match="radius_of_influence"):
        thiem_pressure_buildup(CASE["rate"], CASE["permeability"], CASE["thickness"], CASE["viscosity"], "1 m", "0.5 m")
