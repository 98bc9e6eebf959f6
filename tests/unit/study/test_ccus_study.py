"""A small real ccus study (PHREEQC, 30-day batch), the study TOML and the `ccus sweep` CLI."""

import pytest
from numpy.testing import assert_allclose

import ccus
from ccus.cli.main import main
from ccus.config.experiment import load_experiment
from ccus.errors import ConfigError
from ccus.study import load, load_study, sweep
from ccus.study.outputs import Output
from ccus.units import Q_

STUDY = """
[study]
name = "small_sweep"
base = "small.toml"
outputs = ["fraction mineralised at 20 d", "fraction mineralised (end)", "t1", "final pH"]

[design]
kind = "grid"

[parameters."experiment.temperature"]
distribution = "discrete"
values = ["25 degC", "45 degC"]

[parameters."rock.minerals.glass.mass_fraction"]
distribution = "discrete"
values = [0.4, 0.8]     # 0.8 makes the rock's mass fractions sum above 1: an invalid combination
"""


@pytest.fixture
def study_file(write_config, small_config):
    return write_config(STUDY, "small_study.toml")


def test_real_sweep_matches_direct_runs_and_records_invalid(tmp_path, small_config):
    study = sweep(small_config, {"experiment.temperature": ["25 degC", "45 degC"],
                                 "rock.minerals.glass.mass_fraction": [0.4, 0.8]},
                  tmp_path / "s.h5", outputs=["fraction mineralised (end)", "final pH", "t1",
                                              "series fraction mineralised"], workers=2, progress=False)
    df = study.frame
    assert list(df["status"]) == ["done", "failed", "done", "failed"]
    assert df.loc[1, "message"].startswith("ConfigError:") and "mass fractions sum to" in df.loc[1, "message"]
    assert {"fraction mineralised (end) [-]", "final pH [-]", "t1 [d]"} <= set(df.columns)
    for sid, temp in ((0, "25 degC"), (2, "45 degC")):
        exp = load_experiment(small_config, overrides={"experiment.temperature": temp,
                                                       "rock.minerals.glass.mass_fraction": 0.4})
        r = ccus.run(exp)
        # same engine and input: equal to round-off (PHREEQC is deterministic) -> rtol 1e-12
        assert_allclose(df.loc[sid, "fraction mineralised (end) [-]"], r.mineralised_fraction.magnitude[-1], rtol=1e-12)
        assert_allclose(df.loc[sid, "final pH [-]"], r.series["pH"].magnitude[-1], rtol=1e-12)
        curve = study.series("fraction mineralised")[sid]
        assert_allclose(curve.to_numpy(), r.mineralised_fraction.magnitude, rtol=1e-12)
        assert_allclose(curve.index.to_numpy(), r.time.to("day").magnitude, rtol=1e-12)
        prov = study.provenance(sid)
        assert prov["engine"] == "phreeqc" and prov["overrides"]["rock.minerals.glass.mass_fraction"] == "0.4"
        assert "config_text" not in prov and study.meta["base_text"].startswith("\n[experiment]")
    band = study.band("fraction mineralised", (0.0, 1.0))
    assert band.shape == (11, 2) and (band["q0"] <= band["q100"]).all()
    assert "series fraction mineralised [-]" not in df.columns
    # warmer water dissolves glass faster: more carbon mineralised after 30 days
    assert df.loc[2, "fraction mineralised (end) [-]"] > df.loc[0, "fraction mineralised (end) [-]"] > 0


def test_cli_sweep_and_resume(tmp_path, study_file, capsys):
    out = tmp_path / "s.h5"
    assert main(["sweep", str(study_file), "-o", str(out), "--workers", "0", "-q"]) == 0
    text = capsys.readouterr()
    assert "4 scenarios, 2 done, 2 failed" in text.out and "q50" in text.out
    assert "2 failed scenarios, e.g. #1: ConfigError" in text.err
    before = load(out).frame
    assert main(["sweep", str(study_file), "-o", str(out), "--workers", "0", "-q"]) == 0  # resume: no work
    after = load(out).frame
    assert before.equals(after)


@pytest.mark.parametrize("edit, message", [
    (("[design]", "[desing]"), "unknown key 'desing' (did you mean 'design'?)"),
    (('kind = "grid"', 'kind = "morris"\nlevles = 4'), "design.levles: unknown key 'levles' (did you mean 'levels'?)"),
    (('kind = "grid"', 'kind = "sobl"'), "design.kind: expected one of"),
    (('distribution = "discrete"\nvalues = ["25 degC", "45 degC"]', 'distribution = "uniform"\nlow = "25 degC"'),
     "parameters.experiment.temperature.high: required key is missing"),
    (('distribution = "discrete"\nvalues = ["25 degC", "45 degC"]', 'distribution = "normal"\nmean = "25 degC"\nsd = "5 kg"'),
     "parameters.experiment.temperature.sd: '5 kg' cannot be expressed"),
    (('values = ["25 degC", "45 degC"]', 'values = ["25 m", "45 m"]'),
     "parameters.experiment.temperature: the base experiment accepts no value"),
    (('[parameters."experiment.temperature"]', '[parameters."experiment.temprature"]'),
     "did you mean 'temperature'"),
    (('"t1"', '"t900"'), "study.outputs[2]: unknown output 't900'"),
    (('base = "small.toml"', 'base = "nothere.toml"'), "study.base: base experiment 'nothere.toml' not found"),
])
def test_study_config_errors(write_config, small_config, edit, message):
    bad = write_config(STUDY.replace(*edit), "bad_study.toml")
    with pytest.raises(ConfigError) as info:
        load_study(bad)
    assert message in str(info.value)
    assert str(bad) in str(info.value) or "bad_study" in str(info.value)


def test_cli_bad_study_one_line_exit_2(write_config, small_config, capsys):
    bad = write_config(STUDY.replace('kind = "grid"', 'kind = "grd"'), "bad_study.toml")
    assert main(["sweep", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "design.kind" in err and "\n" not in err


def test_shipped_study_files_load():
    from pathlib import Path

    folder = Path(__file__).parents[3] / "experiments"
    spec = load_study(folder / "carbfix1_sensitivity.toml")
    values, unit = spec.design.matrix(list(spec.parameters))
    assert spec.design.kind == "morris" and values.shape == (6 * 5, 4)
    assert [p.path for p in spec.parameters][0] == "rock.minerals.glass.specific_surface_area"
    spec = load_study(folder / "carbfix1_uncertainty_study.toml")
    values, _ = spec.design.matrix(list(spec.parameters))
    assert values.shape == (40, 4) and 20 <= values[:, 1].min() and values[:, 1].max() <= 50


def test_outputs_parse():
    assert Output.parse("fraction mineralised at 2 yr").arg == pytest.approx(Q_(2, "yr").to("s").magnitude)
    assert Output.parse("t90") == Output("t90", "time_to_fraction", 0.9)
    assert Output.parse("max Calcite amount") == Output("max Calcite amount", "max", "Calcite amount")
    with pytest.raises(ConfigError, match="cannot read the time"):
        Output.parse("fraction mineralised at soon")



def test_engine_batching_hook(tmp_path, small_config, monkeypatch):
    """An engine with run_many gets whole chunks in one call (workers=0 so the patch applies)."""
    import ccus.study.scenario as scenario

    calls = []

    def fake_run_many(experiments):
        calls.append(len(experiments))
        return [ccus.run(e) if e.temperature.to("degC").magnitude < 40 else ccus.EngineError("no")
                for e in experiments]

    monkeypatch.setattr(scenario, "_engine_run_many", lambda engine: fake_run_many)
    study = sweep(small_config, {"experiment.temperature": ["25 degC", "35 degC", "45 degC"],
                                 "rock.minerals.glass.mass_fraction": [0.4, 0.8]},
                  tmp_path / "b.h5", outputs=["final pH"], workers=0, progress=False)
    assert calls == [3]  # one call with every valid experiment; the three invalid ones never reach it
    assert list(study.frame["status"]) == ["done", "failed", "done", "failed", "failed", "failed"]
    assert study.frame.loc[4, "message"] == "EngineError: no"


@pytest.mark.slow
def test_native_engine_run_many(tmp_path, small_config):
    """The native engine's run_many through a study (slow: the native kinetics is WIP)."""
    study = sweep(small_config, {"experiment.temperature": ["20 degC", "40 degC"]}, tmp_path / "n.h5",
                  engine="native", outputs=["fraction mineralised (end)", "final pH"], workers=0, progress=False)
    assert study.n_done == 2
