"""Public speciation API: units in and out, names, batching, errors."""

from __future__ import annotations

import numpy as np
import pint
import pytest
from numpy.testing import assert_allclose

import ccus
from ccus.chemistry.api import speciate
from ccus.errors import ConfigError
from ccus.units import Q_

WATER = {"Ca": "1 mmol/kg", "C(4)": "2.5 mmol/kg", "Na": "0.6 mmol/kg", "Cl": "0.1 mmol/kg", "Si": "0.4 mmol/kg"}


def test_scalar_result_is_quantities():
    r = speciate(WATER, temperature="20 degC")
    assert isinstance(r.pH, pint.Quantity) and r.pH.dimensionless
    assert r.ionic_strength.units == Q_(1, "mol/kg").units
    assert r.molality("HCO3-").check("[substance]/[mass]")
    assert r.activity("Ca+2").dimensionless
    assert r.saturation_index("Calcite").dimensionless
    assert 6.0 < r.pH.magnitude < 9.0
    assert isinstance(r.pH.magnitude, float)


def test_units_are_converted_at_the_boundary():
    a = speciate(WATER)
    b = speciate({k: Q_(float(v.split()[0]) * 1e-3, "mol/kg") for k, v in WATER.items()})
    assert_allclose(a.pH.magnitude, b.pH.magnitude, rtol=1e-12)  # same water in other units
    c = speciate(WATER, temperature=Q_(298.15, "K"))
    assert_allclose(a.pH.magnitude, c.pH.magnitude, rtol=1e-12)  # 25 degC == 298.15 K


def test_package_level_forwarder():
    r = ccus.speciate(WATER)
    assert r.molality("Ca+2").magnitude > 0


def test_given_ph_is_fixed_without_charge_balance():
    r = speciate({**WATER, "pH": 9.4}, charge_balance=False)
    assert_allclose(r.pH.magnitude, 9.4, atol=1e-14)  # held exactly


def test_batched_form_broadcasts_arrays():
    ca = Q_(np.array([0.5, 1.0, 2.0]), "mmol/kg")
    t = Q_(np.array([10.0, 25.0, 60.0]), "degC")
    r = speciate({**WATER, "Ca": ca}, temperature=t)
    assert r.pH.magnitude.shape == (3,)
    assert r.saturation_index("Calcite").magnitude.shape == (3,)
    single = speciate({**WATER, "Ca": "2 mmol/kg"}, temperature="60 degC")
    assert_allclose(r.pH.magnitude[2], single.pH.magnitude, rtol=1e-10)  # batch equals one-by-one
    r2 = speciate({**WATER, "Ca": ["0.5 mmol/kg", "1 mmol/kg"]})
    assert r2.pH.magnitude.shape == (2,)


def test_unknown_names_suggest_close_ones():
    with pytest.raises(ConfigError, match="did you mean 'Ca'"):
        speciate({"Caa": "1 mmol/kg"})
    r = speciate(WATER)
    with pytest.raises(ConfigError, match="did you mean 'HCO3-'"):
        r.molality("HCO3")
    with pytest.raises(ConfigError, match="did you mean 'Calcite'"):
        r.saturation_index("Calcit")
    with pytest.raises(ConfigError, match="did you mean"):
        speciate(WATER, equilibrium_phases={"Calcit": (0.0, "1 mol")})


def test_bad_inputs_are_config_errors():
    with pytest.raises(ConfigError, match="solution.Ca"):
        speciate({"Ca": "1 degC"})
    with pytest.raises(ConfigError, match="pH must be given"):
        speciate(WATER, charge_balance=False)
    with pytest.raises(ConfigError, match="finite and >= 0"):
        speciate({"Ca": Q_(-1.0, "mmol/kg")})
    with pytest.raises(ConfigError, match="outside the range"):
        speciate(WATER, temperature="320 degC")
    with pytest.raises(ConfigError, match="with a unit"):
        speciate({"Ca": 1.0})


def test_fixed_co2_partial_pressure_and_calcite():
    r = speciate(WATER, co2_partial_pressure="1 atm", equilibrium_phases={"Calcite": (0.0, "10 mol")})
    assert_allclose(r.saturation_index("Calcite").magnitude, 0.0, atol=1e-10)  # at equilibrium
    # SI of CO2(g) is log10 of the fugacity: log10(phi * 1 atm), phi(PR, CO2, 25 C, 1 atm) ~ 0.995
    assert -0.01 < r.saturation_index("CO2(g)").magnitude < 0.0
    assert r.total("Ca").magnitude > 1e-3  # calcite dissolved


def test_pressure_shifts_solids_only():
    a = speciate(WATER)
    b = speciate(WATER, pressure="500 atm")
    assert_allclose(a.molality("CO2").magnitude, b.molality("CO2").magnitude, rtol=1e-12)  # species unchanged
    # calcite Vm 36.934 cm3/mol: -Vm (P - 1 atm) / (ln10 R T) at 25 C
    shift = -36.934 * 499 / (np.log(10) * 82.0597 * 298.15)
    assert_allclose(b.saturation_index("Calcite").magnitude - a.saturation_index("Calcite").magnitude, shift, rtol=1e-12)
