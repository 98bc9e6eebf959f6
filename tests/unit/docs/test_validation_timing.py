"""Run-time bookkeeping of the validation page (ccus.validation.timing)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from ccus.validation.timing import STARTED_ENV, LoadMonitor, make_validate_times


def test_make_validate_parts_from_the_start_time():
    stamp = Path(sys.prefix) / ".installed"
    t_page = time.time()
    env = {STARTED_ENV: str(t_page - 600.0)}
    parts = make_validate_times(t_page, t_page + 120.0, env)
    assert parts["total [s]"] == 720.0 and parts["page [s]"] == 120.0
    if stamp.exists() and t_page - 600.0 <= stamp.stat().st_mtime <= t_page:
        assert parts["venv install [s]"] + parts["slow tests [s]"] == 600.0
    else:  # the venv was installed before this "run": all 600 s before the page were the slow tests
        assert "venv install [s]" not in parts and parts["slow tests [s]"] == 600.0


def test_no_or_bad_start_time_gives_none():
    t = time.time()
    assert make_validate_times(t, t + 1, {}) is None
    assert make_validate_times(t, t + 1, {STARTED_ENV: "yesterday"}) is None
    assert make_validate_times(t, t + 1, {STARTED_ENV: str(t + 10)}) is None  # starts after the page: not this run


def test_load_monitor_samples():
    m = LoadMonitor(interval=0.05).start()
    time.sleep(0.2)
    m.mark()
    m.stop()
    if hasattr(os, "getloadavg"):
        st = m.stats()
        assert st["samples"] >= 3 and st["max"] >= st["mean"] >= 0
    assert m.stats(time.time() + 100) == {}  # no sample in a window after the run
