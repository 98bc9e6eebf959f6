"""[transport.feedback]: defaults, accepted values, one clear error per mistake."""

import pytest

from ccus.config.experiment import load_experiment
from ccus.config.paths import models_dir
from ccus.errors import ConfigError

BASE = (models_dir().parent / "experiments" / "carbfix1.toml").read_text()


def _load(write_config, extra: str):
    return load_experiment(write_config(BASE.replace('[secondary.calcite]', extra + '\n[secondary.calcite]'), "fb.toml"))


def test_defaults_without_table():
    fb = load_experiment(models_dir().parent / "experiments" / "carbfix1.toml").transport.feedback
    assert (fb.enabled, fb.permeability_model, fb.exponent, fb.clogging_ratio, fb.damaged_zone_radius) == \
        (True, "kozeny-carman", None, 0.1, None)


def test_values_read(write_config, tmp_path):
    # carbfix1.toml refers to models by name, so the copy in tmp_path loads the same site and rock
    fb = _load(write_config, '[transport.feedback]\npermeability_model = "verma-pruess"\ncritical_porosity = 0.02\n'
                             'exponent = 2.5\nclogging_ratio = 0.05\ndamaged_zone_radius = "10 m"').transport.feedback
    assert (fb.permeability_model, fb.critical_porosity, fb.exponent, fb.clogging_ratio) == ("verma-pruess", 0.02, 2.5, 0.05)
    assert fb.damaged_zone_radius.to("m").magnitude == 10.0


@pytest.mark.parametrize("body,key,text", [
    ('permeability_model = "kozeny"', "transport.feedback.permeability_model", "did you mean 'kozeny-carman'"),
    ('critical_porosity = 0.2', "transport.feedback.critical_porosity", "below the site porosity 0.085"),
    ('clogging_ratio = 1.5', "transport.feedback.clogging_ratio", "below 1"),
    ('damaged_zone_radius = "3 s"', "transport.feedback.damaged_zone_radius", "length"),
    ('clogging_ration = 0.1', "transport.feedback.clogging_ration", "did you mean 'clogging_ratio'"),
])
def test_mistakes_are_one_clear_error(write_config, body, key, text):
    with pytest.raises(ConfigError) as info:
        _load(write_config, "[transport.feedback]\n" + body)
    msg = str(info.value)
    assert key in msg and text in msg and "fb.toml" in msg


def test_mineral_without_molar_volume_stops_before_the_run(write_config, monkeypatch):
    import ccus
    from ccus.rock_feedback import molar_volume as mv

    # an empty density table: the glass and the solid solutions (no PHASES -Vm in Kinec_v3) have no volume
    table = write_config("[densities]\n", "densities.toml")
    monkeypatch.setattr(mv, "densities_path", lambda: table)
    exp = load_experiment(models_dir().parent / "experiments" / "carbfix1.toml")

    def no_run(*a, **k):
        raise AssertionError("the engine must not start")

    monkeypatch.setattr("ccus.engines.phreeqc.transport.run_linear", no_run)
    with pytest.raises(ConfigError) as info:
        ccus.run(exp)
    msg = str(info.value)
    assert "no molar volume for mineral 'Glass_Basalt'" in msg and "transport.feedback" in msg and "carbfix1.toml" in msg
