"""Rate laws of ccus.kinetics against hand calculations (the equations of rates_basic.py)."""

from __future__ import annotations

import math

import numpy as np
from numpy.testing import assert_allclose

from ccus.kinetics.glass import gislason_oelkers_term, glass_rplus
from ccus.kinetics.surface import GEOMETRIC, LINEAR, PER_WATER, surface_area
from ccus.kinetics.tst import (
    affinity,
    apply_flags,
    arrhenius,
    carbonate_inhibition,
    power_term,
    tst_rate,
)


def test_arrhenius_forsterite_acid_at_35C():
    # Hermanska 2022 forsterite acid: A = 1.48e5 mol/m2/s, Ea = 70.4 kJ/mol; by hand at 308.15 K
    k = arrhenius(1.48e5, 70.4e3, 8.314462618, 308.15)
    hand = 1.48e5 * math.exp(-70400.0 / (8.314462618 * 308.15))
    assert_allclose(k, hand, rtol=1e-14)  # same expression: only rounding
    assert_allclose(k, 1.7257e-7, rtol=1e-4)  # by hand: ln k = ln 1.48e5 - 70400 / 2562.1 = -15.572


def test_power_and_gas_terms():
    assert_allclose(power_term(np.array([-4.0]), 0.44), 10 ** (-1.76), rtol=1e-14)  # a(H+)^0.44 at pH 4
    assert_allclose(power_term(np.array([-9.0]), -0.35), 10 ** 3.15, rtol=1e-14)  # base mechanism, n < 0
    assert power_term(np.array([-3.0]), 0.0)[0] == 1.0  # neutral: no activity dependence


def test_carbonate_inhibition_by_hand():
    # kc = 100, a_c = 0.01: 1 - 1/(1 + 1) = 0.5
    assert_allclose(carbonate_inhibition(np.array([0.01]), 100.0), 0.5, rtol=1e-15)  # exact arithmetic
    assert_allclose(carbonate_inhibition(np.array([0.0]), 100.0), 1.0)


def test_affinity_and_tst_rate_signs():
    assert_allclose(affinity(np.array([0.25]), 2.0), 0.5, rtol=1e-15)  # 1 - 0.25^(1/2)
    r = tst_rate(np.array([2.0, 2.0]), np.array([1e-10, 1e-10]), np.array([0.5, 3.0]), 1.0)
    assert_allclose(r, [1e-10, -4e-10], rtol=1e-14)  # > 0 dissolves, < 0 precipitates


def test_glass_law_by_hand():
    # (a_H^3 / a_Al)^(1/3) with a_H = 1e-4, a_Al = 1e-6: (1e-12 / 1e-6)^(1/3) = 1e-2
    assert_allclose(gislason_oelkers_term(np.array([-4.0]), np.array([-6.0])), 1e-2, rtol=1e-13)
    r = glass_rplus(1.08e-4, 21.5e3, 8.3144, np.array([298.15]), np.array([-4.0]), np.array([-6.0]))
    hand = 1.08e-4 * math.exp(-21500 / (8.3144 * 298.15)) * 1e-2
    assert_allclose(r, hand, rtol=1e-13)  # rounding only
    # no Al at all: finite (floored at log a = -300), very fast
    r0 = glass_rplus(1.08e-4, 21.5e3, 8.3144, np.array([298.15]), np.array([-4.0]), np.array([-np.inf]))
    assert np.isfinite(r0).all() and r0[0] > 1e80


def test_surface_models():
    # geometric: a_sp M m0 (m/m0)^(2/3); 0.005 m2/g, 122.566 g/mol, 126 mol, half left
    s = surface_area(np.array([GEOMETRIC]), 0.005, 122.566, 126.0, 63.0, 1.0)
    assert_allclose(s, 0.005 * 122.566 * 126.0 * 0.5 ** (2 / 3), rtol=1e-14)
    assert_allclose(surface_area(np.array([PER_WATER]), 1.0, 60.0, 0.0, 0.0, 0.98), 0.98)  # 1 m2/kgw x 0.98 kg
    assert_allclose(surface_area(np.array([LINEAR]), 0.01, 100.0, 5.0, 2.0, 1.0), 2.0)  # 0.01 x 100 x 2
    assert surface_area(np.array([GEOMETRIC]), 0.005, 122.566, 126.0, 0.0, 1.0)[0] == 0.0  # exhausted


def test_flags_as_phreeqc_rates():
    rate = np.array([1.0, 1.0, -1.0, 1.0, -1.0])
    area = np.array([1.0, 0.0, 1.0, 1.0, 1.0])
    omega = np.array([0.5, 0.5, 2.0, 0.5, 2.0])
    moles = np.array([1.0, 1.0, 0.0, 0.0, 1.0])
    direction = np.array([0, 0, 2, 0, 1])
    out = apply_flags(rate, area, omega, moles, direction)
    # no area -> 0; dissolve-only while supersaturated -> 0; nothing left and undersaturated -> 0
    assert_allclose(out, [1.0, 0.0, 0.0, 0.0, -1.0])
