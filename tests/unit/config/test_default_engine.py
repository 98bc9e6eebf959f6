"""The engine of an experiment without ``[experiment] engine``: native for batch and radial, PHREEQC for linear."""

from __future__ import annotations

import pytest

from ccus.config.experiment import DEFAULT_ENGINE, load_experiment
from ccus.errors import EngineError

RADIAL = 'length = "20 m"\ncells = 4\nthickness = "1 m"'
TRANSPORT = 'length = "50 m"\ncells = 5\nvelocity = "1 m/d"\ndispersivity = "5 m"\nmonitoring = { near = "10 m", far = "50 m" }'


def _without_engine(text: str) -> str:
    lines = [ln for ln in text.splitlines() if not ln.strip().startswith("engine")]
    assert len(lines) == len(text.splitlines()) - 1  # exactly the engine line removed
    return "\n".join(lines) + "\n"


def test_batch_defaults_to_native(write_config):
    from configs_small import SMALL

    exp = load_experiment(write_config(_without_engine(SMALL), "small.toml"))
    assert exp.kind == "batch" and exp.engine == "native"
    # the file's key and the caller's override still win
    assert load_experiment(write_config(SMALL, "small2.toml")).engine == "phreeqc"
    assert load_experiment(write_config(_without_engine(SMALL), "s3.toml"), engine="phreeqc").engine == "phreeqc"


@pytest.mark.parametrize("kind", ["linear", "radial"])
def test_transport_defaults(write_config, kind):
    from unit.transport.test_native_transport import BASE

    text = BASE.format(name="t", kind=kind, transport=TRANSPORT if kind == "linear" else RADIAL, duration="40 d",
                       phase="20 d")
    exp = load_experiment(write_config(_without_engine(text), f"{kind}.toml"))
    assert exp.engine == DEFAULT_ENGINE[kind] == ("phreeqc" if kind == "linear" else "native")


def test_native_error_names_the_phreeqc_way_out(write_config):
    # what a user whose config now routes to native sees when native cannot run it
    from unit.transport.test_native_transport import BASE

    from ccus.engines.native.engine import run_many

    exp = load_experiment(write_config(BASE.format(name="t", kind="linear", transport=TRANSPORT, duration="40 d",
                                                   phase="20 d"), "lin.toml"))
    with pytest.raises(EngineError, match='engine = "phreeqc"'):
        run_many([exp])
