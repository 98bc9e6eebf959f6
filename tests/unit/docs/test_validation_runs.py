"""Which stored runs the validation page reuses (ccus.validation.runs.run_experiment)."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import numpy as np
import pytest

import ccus
from ccus.result.result import Result
from ccus.units import Q_
from ccus.validation import runs
from ccus.validation.timing import STARTED_ENV

EXPERIMENT = runs.ROOT / "experiments" / "carbfix1_batch.toml"


@pytest.fixture
def fake_run(monkeypatch):
    """ccus.run replaced by a counter that returns a tiny Result with the provenance a real run records."""
    calls = []

    def run(exp):
        calls.append(exp.engine)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        return Result(name=exp.name, time=Q_(np.array([0.0, 1.0]), "day"),
                      series={"carbon in carbonates": Q_([0.0, 0.1], "mol"), "carbon injected": Q_([1.0, 1.0], "mol"),
                              "fraction mineralised": Q_([0.0, 0.1], "dimensionless")},
                      carbon_injected=Q_(1.0, "mol"),
                      provenance={"engine": exp.engine, "config_sha256": exp.sha256, "config_text": exp.text,
                                  "started_utc": now, "finished_utc": now})

    monkeypatch.setattr(ccus, "run", run)
    return calls


def test_reuse_only_a_matching_store(tmp_path, fake_run):
    a = runs.run_experiment(EXPERIMENT, tmp_path)
    assert not a.reused and a.store.name == "carbfix1_batch.h5"
    b = runs.run_experiment(EXPERIMENT, tmp_path, reuse=True)
    assert b.reused and len(fake_run) == 1
    # another engine: its own store, never the other engine's run
    c = runs.run_experiment(EXPERIMENT, tmp_path, reuse=True, engine="native")
    assert not c.reused and c.store.name == "carbfix1_batch.native.h5" and fake_run == ["phreeqc", "native"]
    assert runs.run_experiment(EXPERIMENT, tmp_path, reuse=True, engine="native").reused


def test_since_reuses_only_runs_of_this_make_validate(tmp_path, fake_run):
    runs.run_experiment(EXPERIMENT, tmp_path)
    # a store from before the start of this make validate is run again ...
    assert not runs.run_experiment(EXPERIMENT, tmp_path, since=time.time() + 3600).reused
    # ... one written after it is reused (started_utc has whole seconds: start a second earlier)
    assert runs.run_experiment(EXPERIMENT, tmp_path, since=time.time() - 1).reused
    assert len(fake_run) == 2


def test_override_with_the_files_own_engine_shares_its_store(tmp_path, fake_run):
    # the slow field-case tests run PHREEQC explicitly; when the file names PHREEQC too, the page reuses that run
    a = runs.run_experiment(EXPERIMENT, tmp_path, engine="phreeqc")
    assert a.store.name == "carbfix1_batch.h5"
    assert runs.run_experiment(EXPERIMENT, tmp_path, since=time.time() - 1).reused


def test_same_run_since_reads_the_makefile_start(monkeypatch):
    monkeypatch.delenv(STARTED_ENV, raising=False)
    assert runs.same_run_since() is None
    monkeypatch.setenv(STARTED_ENV, "1795600000")
    assert runs.same_run_since() == 1795600000.0


def test_cross_check_with_the_other_engine_uses_only_stored_runs(tmp_path, fake_run, monkeypatch):
    from ccus.validation.field_cases import other_engine_block
    from ccus.validation.markdown import Section

    monkeypatch.delenv(STARTED_ENV, raising=False)
    main = runs.run_experiment(EXPERIMENT, tmp_path)  # the file's engine: phreeqc
    s = Section("x")
    other_engine_block(s, EXPERIMENT, main, tmp_path, reuse=True)
    assert s.numbers["other engine"] == {"engine": "native", "available": False} and not s.blocks
    runs.run_experiment(EXPERIMENT, tmp_path, engine="native")
    n = len(fake_run)
    other_engine_block(s, EXPERIMENT, main, tmp_path, reuse=True)
    assert len(fake_run) == n  # compared from the store, nothing run
    rows = s.numbers["other engine"]["rows"]
    assert [r["quantity"] for r in rows] == ["fraction mineralised at day 0.250", "fraction mineralised at day 0.500",
                                             "fraction mineralised at day 1.00"]
    assert rows[-1]["phreeqc"] == rows[-1]["native"] == pytest.approx(0.1) and rows[-1]["difference"] == 0.0
    assert "| quantity | phreeqc | native | difference |" in s.blocks[-1]
