"""log K(T) and the LLNL B-dot activity model."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from ccus.errors import ConfigError
from ccus.thermo.activity import (
    KIND_CO2,
    KIND_LLNL,
    gamma_plan,
    llnl_parameters_at,
    log_gamma,
    log_gamma_table,
    log_water_activity,
)
from ccus.thermo.logk import log_k

TEMPS = [0.01, 25, 60, 100, 150, 200, 250, 300]
DH_A = [0.4939, 0.5114, 0.5465, 0.5995, 0.6855, 0.7994, 0.9593, 1.2180]
DH_B = [0.3253, 0.3288, 0.3346, 0.3421, 0.3525, 0.3639, 0.3766, 0.3925]
BDOT = [0.0374, 0.0410, 0.0438, 0.0460, 0.0470, 0.0470, 0.0340, 0.0]
CO2 = np.array([-1.0312, 0.0012806, 255.9, 0.4445, -0.001606])


def test_log_k_analytic_form_including_t_squared():
    c = np.array([[1.0, 2e-3, -300.0, 0.5, 1e4, 3e-6]])
    t = np.array([280.0, 400.0])
    expected = 1.0 + 2e-3 * t - 300.0 / t + 0.5 * np.log10(t) + 1e4 / t**2 + 3e-6 * t**2
    assert_allclose(log_k(c, t)[:, 0], expected, rtol=1e-14)  # same expression, rounding only


def test_llnl_parameters_interpolate_linearly_between_table_rows():
    a, b, bd = llnl_parameters_at(TEMPS, DH_A, DH_B, BDOT, np.array([25.0, 42.5, 250.0]))
    assert_allclose(a, [0.5114, 0.5 * (0.5114 + 0.5465), 0.9593], rtol=1e-14)  # table values / midpoint
    assert_allclose(bd, [0.0410, 0.5 * (0.0410 + 0.0438), 0.0340], rtol=1e-14)


def test_temperature_outside_table_is_refused():
    with pytest.raises(ConfigError, match="outside the range"):
        llnl_parameters_at(TEMPS, DH_A, DH_B, BDOT, np.array([350.0]))


def _gamma(mu, charge, size, kind, tk=298.15):
    a, b, bd = llnl_parameters_at(TEMPS, DH_A, DH_B, BDOT, np.array([tk - 273.15]))
    return log_gamma(np.array([mu]), np.array(charge, float), np.array(size, float), np.array(kind),
                     np.zeros(len(charge)), a, b, bd, CO2, np.array([tk]))  # fmt: skip


def test_bdot_equation_and_neutral_species():
    mu = 0.5
    lg, _ = _gamma(mu, [2.0, -1.0, 0.0], [6.0, 4.0, 3.0], [KIND_LLNL] * 3)
    expected_ca = -0.5114 * 4 * np.sqrt(mu) / (1 + 6.0 * 0.3288 * np.sqrt(mu)) + 0.0410 * mu
    assert_allclose(lg[0, 0], expected_ca, rtol=1e-14)  # B-dot equation as in PHREEQC calc_gammas
    assert lg[0, 2] == 0.0  # neutral species with -llnl_gamma: gamma = 1


def test_co2_gamma_drummond():
    mu, tk = 1.0, 323.15
    lg, _ = _gamma(mu, [0.0], [0.0], [KIND_CO2], tk)
    ln_g = (CO2[0] + CO2[1] * tk + CO2[2] / tk) * mu - (CO2[3] + CO2[4] * tk) * mu / (mu + 1)
    assert_allclose(lg[0, 0], ln_g / np.log(10), rtol=1e-14)  # PHREEQC's -co2_llnl_gamma expression


def test_derivative_matches_finite_difference():
    charge, size, kind = [2.0, -1.0, 0.0], [6.0, 4.0, 0.0], [KIND_LLNL, KIND_LLNL, KIND_CO2]
    mu, h = 0.3, 1e-6
    _, d = _gamma(mu, charge, size, kind)
    lp, _ = _gamma(mu + h, charge, size, kind)
    lm, _ = _gamma(mu - h, charge, size, kind)
    assert_allclose(d[0], (lp - lm)[0] / (2 * h), rtol=1e-6)  # central difference, O(h^2) error


def test_water_activity():
    assert_allclose(log_water_activity(np.array([2.0])), np.log10(1 - 0.034), rtol=1e-14)  # 1 - 0.017 sum m


def test_gamma_table_columns_gathered_by_the_plan_give_log_gamma():
    # species sharing charge and ion size share a column; the solver folds `tab @ select`
    # into its mass-action product, so both forms must agree (same arithmetic: exact)
    charge = np.array([2.0, 2.0, -1.0, 0.0, 0.0, 1.0])
    size = np.array([6.0, 6.0, 4.0, 3.0, 0.0, 4.0])
    kind = np.array([KIND_LLNL, KIND_LLNL, KIND_LLNL, KIND_LLNL, KIND_CO2, KIND_LLNL])
    mu = np.array([1e-4, 0.1, 1.0])
    a, b, bd = llnl_parameters_at(TEMPS, DH_A, DH_B, BDOT, np.array([25.0, 80.0, 200.0]))
    tk = np.array([298.15, 353.15, 473.15])
    plan = gamma_plan(charge, size, kind, np.zeros(6))
    assert plan["ncol"] == 1 + 2 + 1  # gamma 1, (z^2, a) = (4, 6) and (1, 4) (+1 and -1 share it), CO2
    tab, dtab = log_gamma_table(mu, plan, a, b, bd, CO2, tk)
    lg, dlg = log_gamma(mu, charge, size, kind, np.zeros(6), a, b, bd, CO2, tk)
    assert_allclose(tab @ plan["select"], lg, rtol=0, atol=0)  # a 0/1 gather: exact
    assert_allclose(dtab @ plan["select"], dlg, rtol=0, atol=0)
