"""The top-level API (``ccus.*``) as the README's "Script it" step uses it."""

from __future__ import annotations

import importlib
from pathlib import Path

import ccus

ROOT = Path(__file__).resolve().parents[2]


def test_load_experiment_takes_overrides_and_engine():
    exp = ccus.load_experiment(ROOT / "experiments" / "carbfix1_batch.toml",
                               overrides={"experiment.temperature": "50 degC"}, engine="native")
    assert exp.temperature.to("degC").magnitude == 50.0
    assert exp.engine == "native"


def test_compare_stays_a_function_after_its_module_is_imported():
    # the comparison module once had the function's name, so importing it replaced
    # ccus.reporting.compare (the function) with the module
    importlib.import_module("ccus.reporting.comparison")
    import ccus.reporting

    assert callable(ccus.reporting.compare) and callable(ccus.compare)
    assert ccus.reporting.compare.__module__ == "ccus.reporting"
