"""The post-install warm-up (run by `make` after pip install) keeps working: if it broke, installing would fail."""

from ccus.config.experiment import load_experiment
from ccus.engines.native import warmup


def test_warmup_cases_are_valid_native_experiments(tmp_path):
    for text, kind in ((warmup.BATCH, "batch"), (warmup.LINEAR, "linear")):
        path = tmp_path / f"{kind}.toml"
        path.write_text(text)
        exp = load_experiment(path)
        assert (exp.kind, exp.engine) == (kind, "native")


def test_warmup_runs_both_cases():
    assert warmup.warm_up() > 0.0
