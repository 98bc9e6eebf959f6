"""Fixtures for the report tests: one small stored result (PHREEQC, ~1 s)."""

from __future__ import annotations

import pytest
from configs_small import SMALL


@pytest.fixture(scope="package")
def small_store(tmp_path_factory):
    """The small 30-day batch experiment, run once and stored; returns the store path."""
    import ccus

    folder = tmp_path_factory.mktemp("report_store")
    cfg = folder / "small.toml"
    cfg.write_text(SMALL)
    path = folder / "small.h5"
    ccus.run(cfg).save(path)
    return path
