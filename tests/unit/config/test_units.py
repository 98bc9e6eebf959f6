"""Quantity parsing and dimension errors (ccus.units)."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from ccus.errors import ConfigError
from ccus.units import Q_, as_quantity, parse_quantity, ureg


@pytest.mark.parametrize(
    ("text", "dim", "unit", "expected"),
    [
        ("35 degC", "temperature", "K", 308.15),
        ("25 bar", "pressure", "Pa", 25e5),
        ("0.07 kg/s", "mass rate", "kg/s", 0.07),
        ("2 yr", "time", "s", 2 * 365.25 * 86400),
        ("0.02 m^2/g", "specific surface area", "m^2/kg", 20.0),
        ("1.2 mmol/kg", "molality", "mol/kg", 1.2e-3),
        ("1.2 mmol/kgw", "molality", "mol/kg", 1.2e-3),
        ("5e-11 m^2", "permeability", "m^2", 5e-11),
        ("0.17 bar/m", "pressure gradient", "Pa/m", 1.7e4),
    ],
)
def test_parse_quantity_values(text, dim, unit, expected):
    # exact unit conversions: only float rounding is allowed
    assert_allclose(parse_quantity(text, dim).to(unit).magnitude, expected, rtol=1e-12)


def test_one_registry():
    assert parse_quantity("1 m", "length")._REGISTRY is ureg
    assert Q_(1, "m")._REGISTRY is ureg


@pytest.mark.parametrize(
    ("value", "dim", "fragment"),
    [
        ("3 m", "pressure", "expected a pressure"),
        ("25", "pressure", "expected a pressure"),
        (25, "pressure", "bare number"),
        ("", "time", "empty string"),
        ("3 furlongs per fortnight x", "velocity", "cannot read"),
        ([1, 2], "time", "found list"),
        (True, "time", "boolean"),
    ],
)
def test_parse_quantity_errors_name_key(value, dim, fragment):
    with pytest.raises(ConfigError) as err:
        parse_quantity(value, dim, key="site.x", file="f.toml")
    msg = str(err.value)
    assert msg.startswith("f.toml: site.x: ")
    assert fragment in msg


def test_as_quantity_accepts_numbers_strings_quantities():
    assert as_quantity(300.0, "K").magnitude == 300.0
    assert_allclose(as_quantity("35 degC", "K").magnitude, 308.15)
    assert_allclose(as_quantity(Q_(2.0, "bar"), "Pa").magnitude, 2e5)


def test_magnitude_arrays():
    q = Q_(np.array([1.0, 2.0]), "day")
    assert_allclose(q.to("s").magnitude, [86400.0, 172800.0])


def test_override_into_array_of_tables():
    from ccus.config.experiment import load_experiment
    from ccus.config.paths import models_dir

    path = models_dir().parent / "experiments" / "carbfix1_batch.toml"
    exp = load_experiment(path, overrides={"injection.phases.0.water_gas_ratio": 30})
    assert exp.charge.water_gas_ratio == pytest.approx(30.0)
    with pytest.raises(ConfigError, match=r"injection.phases.5.water_gas_ratio: .*expected an index 0-1"):
        load_experiment(path, overrides={"injection.phases.5.water_gas_ratio": 30})
