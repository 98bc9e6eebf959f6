"""Malformed configs: each gives its own clear message naming file and key path."""

import pytest
from configs_small import SMALL

from ccus.config.experiment import load_experiment
from ccus.errors import ConfigError


def _replace(old, new):
    assert old in SMALL, old
    return SMALL.replace(old, new, 1)


ROCK_BAD_SSA = """
[rock]
name = "bad"
source = "test"
[rock.minerals.glass]
phase = "Glass_Basalt"
rate_set = "hermanska2022"
mass_fraction = 0.5
specific_surface_area = "-0.01 m^2/g"
"""

ROCK_UNKNOWN_MINERAL = ROCK_BAD_SSA.replace('"Glass_Basalt"', '"Forsterit"').replace("-0.01", "0.01")

SITE_BAD = open(__file__.replace("tests/unit/config/test_config_errors.py", "models/sites/carbfix1.toml")).read()

CASES = [
    # (id, experiment text or None, extra files {name: text}, key path fragment, message fragment)
    ("wrong unit", _replace('duration = "30 d"', 'duration = "30 m"'), {}, "experiment.duration", "expected a time"),
    ("bare number", _replace('duration = "30 d"', "duration = 30"), {}, "experiment.duration", "bare number"),
    ("unknown key", _replace('kind = "batch"', 'kind = "batch"\nduraton = "1 d"'), {}, "experiment.duraton", "did you mean 'duration'"),
    ("unknown site", _replace('site = "carbfix1"', 'site = "carbfx1"'), {}, "experiment.site", "did you mean 'carbfix1'"),
    ("unknown rock", _replace('rock = "carbfix1_glassy_tholeiite"', 'rock = "carbfix1_glassy"'), {}, "experiment.rock", "did you mean"),
    ("unknown secondary mineral", _replace('mineral = "Calcite"', 'mineral = "Calcit"'), {}, "secondary.calcite.mineral", "did you mean 'Calcite'"),
    ("unknown equilibrium phase", _replace('mineral = "Kaolinite"', 'mineral = "Kaolinit"'), {}, "secondary.kaolinite.mineral", "did you mean 'Kaolinite'"),
    ("negative surface area", _replace('surface_area = "1 m^2/kg"', 'surface_area = "-1 m^2/kg"'), {}, "secondary.calcite.surface_area", "above 0"),
    ("missing required key", _replace('rock_mass = "31 kg"', ""), {}, "batch.rock_mass", "required key is missing"),
    ("missing table", _replace("[charge]\ncomposition = { CO2 = 1.0 }\nwater_gas_ratio = 25", ""), {}, "charge", "required table is missing"),
    ("TOML syntax error", _replace('name = "small"', 'name = "small'), {}, "", "line"),
    ("temperature above 300 C", _replace('duration = "30 d"', 'duration = "30 d"\ntemperature = "350 degC"'), {}, "experiment.temperature", "at most 300"),
    ("negative rock mass", _replace('rock_mass = "31 kg"', 'rock_mass = "-31 kg"'), {}, "batch.rock_mass", "above 0"),
    ("gas fractions", _replace("composition = { CO2 = 1.0 }", "composition = { CO2 = 0.5, H2S = 0.2 }"), {}, "charge.composition", "sum to 1"),
    ("unknown gas", _replace("composition = { CO2 = 1.0 }", "composition = { CO3 = 1.0 }"), {}, "charge.composition.CO3", "did you mean 'CO2'"),
    ("unknown engine", _replace('engine = "phreeqc"', 'engine = "phreeq"'), {}, "experiment.engine", "did you mean 'phreeqc'"),
    ("unknown kind", _replace('kind = "batch"', 'kind = "bach"'), {}, "experiment.kind", "did you mean 'batch'"),
    ("unknown database", _replace('engine = "phreeqc"', 'engine = "phreeqc"\ndatabase = "Kinec_v4.dat"'), {}, "experiment.database", "did you mean 'Kinec_v3.dat'"),
    ("impossible gas charge", _replace("water_gas_ratio = 25", "water_gas_ratio = 0.1"), {}, "charge.water_gas_ratio", "solubility"),
    ("negative surface area in rock", _replace('rock = "carbfix1_glassy_tholeiite"', 'rock = "bad_rock.toml"'), {"bad_rock.toml": ROCK_BAD_SSA}, "rock.minerals.glass.specific_surface_area", "above 0"),
    ("unknown mineral in rock", _replace('rock = "carbfix1_glassy_tholeiite"', 'rock = "bad_rock.toml"'), {"bad_rock.toml": ROCK_UNKNOWN_MINERAL}, "rock.minerals.glass.phase", "did you mean 'Forsterite'"),
    ("porosity 1.5", _replace('site = "carbfix1"', 'site = "bad_site.toml"'), {"bad_site.toml": SITE_BAD.replace("value = 0.085", "value = 1.5")}, "porosity", "below 1"),
    ("unknown water element", _replace('site = "carbfix1"', 'site = "bad_site.toml"'), {"bad_site.toml": SITE_BAD.replace("Na = {", "Nq = {")}, "water.composition.Nq", "unknown element"),
    ("output after end", _replace("steps = 10", 'times = ["1 d", "40 d"]'), {}, "output.times", "after the end"),
    ("solver method", _replace('method = "cvode"', 'method = "cvod"'), {}, "solver.method", "did you mean 'cvode'"),
]


@pytest.mark.parametrize(("case", "text", "extra", "key", "fragment"), CASES, ids=[c[0] for c in CASES])
def test_malformed_config(write_config, case, text, extra, key, fragment):
    for name, body in extra.items():
        write_config(body, name)
    path = write_config(text, "exp.toml")
    with pytest.raises(ConfigError) as err:
        load_experiment(path)
    msg = str(err.value)
    assert key in msg, msg
    assert fragment in msg, msg
    assert ".toml" in msg, msg  # names the file
    assert "\n" not in msg  # one line


def test_messages_are_distinct():
    assert len({c[4] + c[3] for c in CASES}) == len(CASES)


def test_toml_syntax_error_has_line_number(write_config):
    path = write_config(_replace('name = "small"', 'name = "small'))
    with pytest.raises(ConfigError, match=r"line \d+"):
        load_experiment(path)


def test_valid_small_config_loads(small_config):
    exp = load_experiment(small_config)
    assert exp.kind == "batch" and exp.engine == "phreeqc"
    assert exp.carbon_injected.to("mol").magnitude == pytest.approx(1 / 25 / 44.0095e-3, rel=1e-12)
    assert len(exp.output_times) == 10
