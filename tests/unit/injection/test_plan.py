"""The injection plan of an experiment (ccus.injection.plan) and `ccus plan`."""

import pytest
from numpy.testing import assert_allclose

from ccus.cli.main import main
from ccus.config.experiment import load_experiment
from ccus.config.paths import models_dir
from ccus.errors import ConfigError
from ccus.injection.dissolution import water_demand
from ccus.injection.plan import plan

CF1 = models_dir().parent / "experiments" / "carbfix1_batch.toml"

INJ = """
[injection]
dissolution_pressure = "25 bar"
water_temperature = "20 degC"
well_radius = "0.1 m"

[[injection.phases]]
name = "I"
duration = "60 d"
gas_mass = "175 t"
composition = { CO2 = 1.0 }
water_gas_ratio = 30
"""


def _exp(write_config, small_config, inj=INJ):
    text = small_config.read_text()
    start = text.index("[charge]")
    end = text.index("[batch]")
    return write_config(text[:start] + inj + "\n" + text[end:], "inj.toml")


def test_carbfix1_plan_numbers():
    p = plan(CF1)
    ph1, ph2 = p.phases
    # the same Duan & Sun water demand as the dissolution module (the plan adds no physics of its own)
    direct = water_demand(ph1.gas_rate, {"CO2": 1.0}, "25 bar", "20 degC")
    assert_allclose(ph1.min_water_per_co2.magnitude, direct.water_per_co2.magnitude, rtol=1e-12)
    # published ~25 t/t (Matter et al. 2016); Duan & Sun at 25 bar, 20 C needs 28.2 t/t: within 15%
    assert 25 <= ph1.min_water_per_co2.magnitude <= 25 * 1.15
    assert ph1.free_gas and not ph2.free_gas  # phase I at the published 25 t/t is flagged (allowed in the file)
    assert any("free gas" in w for w in p.warnings)
    # injectate: pH ~3.7 and DIC ~0.9 mol/kg (DOMAIN: pH 3.5-4, DIC ~0.8 mol/kg)
    assert 3.4 < ph1.injectate_pH < 4.1
    assert_allclose(ph1.injectate_DIC.to("mol/kg").magnitude, 1 / 25 / 44.0095e-3 + 1.5e-3, rtol=1e-3)
    assert ph2.injectate_sulfide.magnitude > 0
    # fracture pressure = 530 m x 0.17 bar/m; the margin is positive
    assert_allclose(ph1.fracture_pressure.to("bar").magnitude, 530 * 0.17, rtol=1e-12)
    assert ph1.margin_ok
    assert "water per gas [t/t]" in " ".join(p.frame.index)


def test_free_gas_is_an_error_by_default(write_config, small_config):
    path = _exp(write_config, small_config, INJ.replace("water_gas_ratio = 30", "water_gas_ratio = 20"))
    with pytest.raises(ConfigError, match=r"injection\.phases\[0\]: a free gas phase would remain"):
        plan(path)


def test_batch_charge_comes_from_first_phase(write_config, small_config):
    exp = load_experiment(_exp(write_config, small_config))
    assert_allclose(exp.charge.co2_per_kgw.magnitude, 1 / 30 / 44.0095e-3, rtol=1e-12)


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ('gas_mass = "175 t"', 'gas_mass = "175 t"\ngas_rate = "1 kg/s"', "exactly one of 'gas_rate'"),
        ("composition = { CO2 = 1.0 }", "composition = { C02 = 1.0 }", "did you mean 'CO2'"),
        ('duration = "60 d"', 'duration = "-60 d"', "above 0"),
        ('dissolution_pressure = "25 bar"', 'dissolution_pressure = "25 m"', "expected a pressure"),
        ("water_gas_ratio = 30", "water_gas_ratio = 30\nwater_rate = \"1 kg/s\"", "exactly one of 'water_gas_ratio'"),
        ('name = "I"', 'name = "I"\nstrat = "1 d"', "did you mean 'start'"),
    ],
)
def test_bad_injection_configs(write_config, small_config, old, new, fragment):
    path = _exp(write_config, small_config, INJ.replace(old, new))
    with pytest.raises(ConfigError, match="injection") as err:
        load_experiment(path)
    assert fragment in str(err.value)


def test_overlapping_phases_refused(write_config, small_config):
    two = INJ + '\n[[injection.phases]]\nname = "II"\nstart = "30 d"\nduration = "10 d"\ngas_mass = "1 t"\nwater_gas_ratio = 40\n'
    with pytest.raises(ConfigError, match=r"phases\[1\]\.start.*starts before"):
        load_experiment(_exp(write_config, small_config, two))


def test_cli_plan(capsys):
    assert main(["plan", str(CF1)]) == 0
    out = capsys.readouterr().out
    assert "min water per co2 [t/t]" in out and "pressure margin [bar]" in out and "warning:" in out


def test_cli_plan_without_injection(small_config, capsys):
    assert main(["plan", str(small_config)]) == 2
    assert "no [injection] table" in capsys.readouterr().err
