"""Water demand for full dissolution and minimum dissolution pressure."""

from __future__ import annotations

import pytest
from numpy.testing import assert_allclose

from ccus.errors import ConfigError
from ccus.injection.dissolution import free_gas_remains, min_dissolution_pressure, water_demand
from ccus.injection.solubility import co2_solubility

PURE = {"CO2": 1.0}
# CarbFix1 phase II gas, mole fractions (Snaebjornsdottir et al. 2017, IJGGC 58:87)
PHASE2 = {"CO2": 0.75, "H2S": 0.24, "H2": 0.01}


def test_carbfix1_water_demand_vs_matter_2016():
    # Matter et al. (2016) Science 352:1312: CO2 dissolved at ~25 bar, ~25 t water per t CO2.
    # Injection water temperature ~20-25 C (brief/site description).
    w20 = water_demand("1 t/hr", PURE, "25 bar", "20 degC").water_per_co2.magnitude
    w25 = water_demand("1 t/hr", PURE, "25 bar", "25 degC").water_per_co2.magnitude
    # Duan & Sun give 28.2 t/t at 20 C and 31.8 t/t at 25 C: equilibrium solubility is
    # 11-21% lower than the ~0.9 mol/kg implied by 25 t/t. 30%: the published figure is
    # a rounded operational ratio at a loosely stated temperature/pressure.
    assert_allclose(w20, 25.0, rtol=0.30)
    assert_allclose(w25, 25.0, rtol=0.30)
    assert w20 < w25  # colder water dissolves more CO2


def test_carbfix1_dic_consistent():
    # Injected water DIC ~0.8 mol/kg at CarbFix1 (DOMAIN.md; Matter et al. 2016 / Sigfusson
    # et al. 2015). 5%: measured D&S 0.806 mol/kg at 25 bar, 20 C.
    d = water_demand("1 kg/s", PURE, "25 bar", "20 degC")
    assert_allclose(d.dissolved_molality["CO2"].magnitude, 0.8, rtol=0.05)


def test_pure_co2_demand_is_inverse_solubility():
    m = co2_solubility("30 degC", "40 bar", "0.5 mol/kg").magnitude
    d = water_demand("2 kg/s", PURE, "40 bar", "30 degC", "0.5 mol/kg")
    # exact identity W = n / m_sat: float rounding only
    assert_allclose(d.water_per_gas.magnitude, 1.0 / (m * 44.0095e-3), rtol=1e-10)
    assert_allclose(d.water_rate.to("kg/s").magnitude, 2.0 / (m * 44.0095e-3), rtol=1e-10)


@pytest.mark.parametrize("gas", [PURE, PHASE2])
def test_min_pressure_round_trip(gas):
    d = water_demand("1 kg/s", gas, "25 bar", "20 degC")
    p = min_dissolution_pressure(d.water_per_gas, gas, "20 degC")
    # root finder tolerance 1e-8 bar
    assert_allclose(p.to("bar").magnitude, 25.0, rtol=1e-6)


def test_mixture_parts_add_up_and_h2_is_costly():
    d = water_demand("1 kg/s", PHASE2, "25 bar", "20 degC")
    parts = sum(v.to("kg/s").magnitude for v in d.component_water_rate.values())
    assert_allclose(parts, d.water_rate.to("kg/s").magnitude, rtol=1e-12)  # exact sum
    # at the minimum water rate the dissolved gases are exactly at their bubble point
    from ccus.injection.h2s import h2s_activity_ratio

    m = {g: v.magnitude for g, v in d.dissolved_molality.items()}
    sat = {g: v.magnitude for g, v in d.saturation_molality.items()}
    bubble = m["CO2"] / sat["CO2"] + m["H2"] / sat["H2"] + float(h2s_activity_ratio(293.15, m["H2S"], sat["H2S"]))
    assert_allclose(bubble, 1.0, rtol=1e-9)  # root-finder tolerance
    # 1 mol% H2, ~40x less soluble than CO2, needs about half as much water as the CO2.
    assert d.component_water_rate["H2"].magnitude > 0.4 * d.component_water_rate["CO2"].magnitude


def test_co2_h2s_in_brine():
    gas = {"CO2": 0.76, "H2S": 0.24}
    fresh = water_demand("1 kg/s", gas, "25 bar", "20 degC").water_per_gas.magnitude
    brine = water_demand("1 kg/s", gas, "25 bar", "20 degC", "0.5 mol/kg").water_per_gas.magnitude
    assert brine > fresh  # salting-out of both gases
    d = water_demand("1 kg/s", gas, "25 bar", "20 degC", "0.5 mol/kg")
    p = min_dissolution_pressure(d.water_per_gas, gas, "20 degC", "0.5 mol/kg")
    # root finder tolerance
    assert_allclose(p.to("bar").magnitude, 25.0, rtol=1e-6)


def test_free_gas_remains():
    need = water_demand("1 kg/s", PURE, "25 bar", "20 degC").water_rate.to("kg/s").magnitude
    assert free_gas_remains(0.9 * need, "1 kg/s", PURE, "25 bar", "20 degC")
    assert not free_gas_remains(1.1 * need, "1 kg/s", PURE, "25 bar", "20 degC")


def test_min_pressure_impossible_raises():
    with pytest.raises(ConfigError, match="cannot dissolve"):
        min_dissolution_pressure(2.0, PHASE2, "20 degC")


@pytest.mark.parametrize(
    "kwargs, word",
    [
        (dict(composition={"C02": 1.0}), "did you mean 'CO2'"),
        (dict(composition={"CO2": 0.5, "H2S": 0.2}), "sum to 1"),
        (dict(composition=PHASE2, salinity="0.5 mol/kg"), "pure water only"),
        (dict(composition={"CO2": 0.76, "H2S": 0.24}, salinity="5 mol/kg"), "4.3"),
        (dict(temperature="300 degC"), "temperature"),
        (dict(pressure="2500 bar"), "pressure"),
    ],
)
def test_errors(kwargs, word):
    args = dict(gas_mass_rate="1 kg/s", composition=PURE, pressure="25 bar", temperature="20 degC")
    args.update(kwargs)
    with pytest.raises(ConfigError, match=word):
        water_demand(**args)
