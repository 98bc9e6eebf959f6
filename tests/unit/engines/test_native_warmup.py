"""The post-install warm-up (run by `make` after pip install) keeps working: if it broke, installing would fail."""

from ccus.config.experiment import load_experiment
from ccus.config.paths import models_dir
from ccus.engines.native import warmup


def test_warmup_cases_are_short_native_runs_of_both_kinds():
    kinds = set()
    for name, overrides in warmup.CASES.items():
        exp = load_experiment(models_dir().parent / "experiments" / name, engine="native", overrides=overrides)
        assert exp.duration.to("d").magnitude <= 10.0
        kinds.add(exp.kind)
    assert kinds == {"batch", "linear"}  # the batch reactor and the transport kernels both get compiled


def test_warmup_runs_both_cases():
    assert warmup.warm_up() > 0.0
