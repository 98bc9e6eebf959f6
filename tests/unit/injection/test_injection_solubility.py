"""Duan & Sun (2003) CO2 solubility: published reference values, inputs, ranges."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from ccus.errors import ConfigError
from ccus.injection import solubility as ds
from ccus.injection.solubility import co2_fugacity_coefficient, co2_solubility
from ccus.units import Q_

ATM = 1.01325  # bar


def weiss_1974_k0(t_k):
    """Weiss (1974) Mar. Chem. 2:203, eq. 12 with the mol kg-1 atm-1 constants of
    his Table I (A1 = -60.2409, A2 = 93.4517, A3 = 23.3585), salinity 0:
    K0 = m_CO2 / f_CO2, measured solubility data 0-40 C at 1 atm."""
    return np.exp(-60.2409 + 93.4517 * (100.0 / t_k) + 23.3585 * np.log(t_k / 100.0))


@pytest.mark.parametrize("t_c", [5.0, 10.0, 15.0, 20.0, 25.0, 30.0, 35.0, 40.0])
def test_low_pressure_matches_weiss_1974(t_c):
    t = t_c + 273.15
    fugacity_atm = (ATM - ds.water_vapour_pressure_raw(t)) / ATM * ds.co2_fugacity_coefficient_raw(t, ATM)
    expected = weiss_1974_k0(t) * fugacity_atm
    got = co2_solubility(t, ATM).to("mol/kg").magnitude
    # 6.5%: Duan & Sun (2003) claim ~7% accuracy against data; measured deviation from
    # Weiss (1974) runs from -6.0% at 5 C through +0.4% at 25 C to +2.6% at 40 C.
    assert_allclose(got, expected, rtol=0.065)


def test_low_pressure_at_0C_documented_deviation():
    t = 273.15
    fugacity_atm = (ATM - ds.water_vapour_pressure_raw(t)) / ATM * ds.co2_fugacity_coefficient_raw(t, ATM)
    expected = weiss_1974_k0(t) * fugacity_atm
    got = co2_solubility(t, ATM).magnitude
    # Duan & Sun (2003) is 8.3% below Weiss (1974) at 0 C (the model's edge, 273 K);
    # reported in docs/solubility.md. 10% pins that known deviation.
    assert_allclose(got, expected, rtol=0.10)
    assert got < expected


def test_25C_1atm_plummer_busenberg():
    # Plummer & Busenberg (1982) GCA 46:1011: K_H(CO2) = 10^-1.468 mol/kg/atm at 25 C
    # (the log_k of CO2(g) in phreeqc.dat), i.e. ~0.034 mol/kg per atm of CO2.
    t = 298.15
    f_atm = (ATM - ds.water_vapour_pressure_raw(t)) / ATM * ds.co2_fugacity_coefficient_raw(t, ATM)
    # 2%: Plummer & Busenberg's and Weiss's fits agree to ~1% at 25 C; D&S is within 0.5%.
    assert_allclose(co2_solubility("25 degC", "1 atm").magnitude, 10**-1.468 * f_atm, rtol=0.02)


def test_parameter_tables_transcribed():
    # Spot values of eq. 7 computed by hand from Table 2 at T = 300 K, P = 100 bar:
    # mu/RT = c1 + c2 T + c3/T + c4 T^2 + c5/(630-T) + c6 P + c7 P lnT + c8 P/T
    #         + c9 P/(630-T) + c10 P^2/(630-T)^2
    T, P = 300.0, 100.0
    c = [28.9447706, -0.0354581768, -4770.67077, 1.02782768e-5, 33.8126098, 9.04037140e-3,
         -1.14934031e-3, -0.307405726, -0.0907301486, 9.32713393e-4]
    hand = (c[0] + c[1] * T + c[2] / T + c[3] * T**2 + c[4] / (630 - T) + c[5] * P
            + c[6] * P * np.log(T) + c[7] * P / T + c[8] * P / (630 - T) + c[9] * P**2 / (630 - T) ** 2)
    # exact arithmetic identity: only float rounding
    assert_allclose(ds._par(ds._C_MU, np.array(T), np.array(P)), hand, rtol=1e-12)


def test_inputs_quantity_string_float_array_agree():
    a = co2_solubility("50 degC", "100 bar", "1 mol/kg").magnitude
    b = co2_solubility(Q_(50, "degC"), Q_(10, "MPa"), Q_(1.0, "molal")).magnitude
    c = co2_solubility(323.15, 100.0, 1.0).magnitude
    arr = co2_solubility(np.array([323.15, 323.15]), np.array([100.0, 100.0]), 1.0)
    # identical inputs after unit conversion: float rounding only
    assert_allclose([a, b, arr.magnitude[0], arr.magnitude[1]], c, rtol=1e-12)
    assert arr.units == Q_(1, "mol/kg").units
    assert arr.magnitude.shape == (2,)


def test_broadcasting_grid_shape():
    T = np.linspace(280.0, 500.0, 5)[:, None]
    P = np.array([50.0, 100.0, 500.0])[None, :]
    out = co2_solubility(T, P).magnitude
    assert out.shape == (5, 3)
    assert np.all(np.diff(out, axis=1) > 0)  # more soluble at higher pressure (to 500 bar)


def test_salting_out_monotonic():
    m = np.array([0.0, 0.5, 1.0, 2.0, 4.0])
    s = co2_solubility(323.15, 100.0, m).magnitude
    assert np.all(np.diff(s) < 0)
    # Salting-out at 4 m NaCl, 50 C, 100 bar: D&S 0.543 / 1.132 = 0.48 of pure water
    # (the often-quoted "about half" at 4 m, e.g. Rumpf et al. 1994): loose 15%.
    assert_allclose(s[-1] / s[0], 0.5, rtol=0.15)


def test_eos_density_vs_cantera_away_from_critical_point():
    ct = pytest.importorskip("cantera")
    co2 = ct.CarbonDioxide()
    worst = 0.0
    for T in (280.0, 300.0, 350.0, 400.0, 500.0):
        for P in (5.0, 25.0, 200.0, 500.0, 1000.0):
            if 295 < T < 320 and 60 < P < 120:
                continue  # near-critical: both EOS are steep there
            co2.TP = T, P * 1e5
            rho = ds.M_CO2 / ds.co2_molar_volume_raw(T, P) * 1000.0
            worst = max(worst, abs(rho / co2.density - 1.0))
    # 2%: Duan et al. (1992) EOS vs Cantera's Reynolds-type CO2 EOS, two independent
    # fits to PVT data; measured max 0.7% on this grid (350 K, 200 bar).
    assert worst < 0.02


def test_fugacity_coefficient_ideal_limit():
    # phi -> 1 as P -> 0 (thermodynamic limit); 0.1% at 0.01 bar
    assert_allclose(co2_fugacity_coefficient(400.0, 0.01).magnitude, 1.0, rtol=1e-3)


@pytest.mark.parametrize(
    "kwargs, words",
    [
        (dict(temperature="-5 degC", pressure="25 bar"), ["temperature", "273", "533", "268.15"]),
        (dict(temperature="300 degC", pressure="250 bar"), ["temperature", "533", "573.15"]),
        (dict(temperature="50 degC", pressure="2500 bar"), ["pressure", "2000", "2500"]),
        (dict(temperature="50 degC", pressure="100 bar", salinity="5 mol/kg"), ["salinity", "4.3", "5"]),
        (dict(temperature="50 degC", pressure="100 bar", salinity=-0.1), ["salinity", "-0.1"]),
        (dict(temperature="150 degC", pressure="3 bar"), ["pressure", "vapour pressure"]),
        (dict(temperature="50 degC", pressure="25 m"), ["pressure"]),
        (dict(temperature="hot", pressure="25 bar"), ["temperature", "hot"]),
    ],
)
def test_out_of_range_raises_config_error(kwargs, words):
    with pytest.raises(ConfigError) as info:
        co2_solubility(**kwargs)
    msg = str(info.value)
    for w in words:
        assert w in msg, (w, msg)


def test_array_with_one_bad_value_raises():
    with pytest.raises(ConfigError, match="outside the validity range"):
        co2_solubility(np.array([300.0, 600.0]), 100.0)
