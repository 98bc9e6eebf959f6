"""How long the validation run took, and how busy the machine was meanwhile.

- :class:`LoadMonitor` samples the 1-minute load average in a background thread, so each
  section's wall time can be read next to the load it ran under (wall times on a shared
  machine scatter with the load; CPU times much less).
- :func:`make_validate_times` splits a ``make validate`` run into its parts when the Makefile
  passes its own start time in ``CCUS_VALIDATE_STARTED`` (seconds since the epoch): the venv
  install (up to the install stamp's time, if it was written during this run), the slow tests
  (up to the start of the page generator) and the page itself.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

#: Environment variable with the start of ``make validate`` [s since the epoch] (set by the Makefile).
STARTED_ENV = "CCUS_VALIDATE_STARTED"


class LoadMonitor:
    """Samples ``os.getloadavg()[0]`` every ``interval`` seconds until :meth:`stop`."""

    def __init__(self, interval: float = 10.0):
        self.interval = interval
        self.samples: list[tuple[float, float]] = []  # (time.time(), 1-min load average)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ccus-load-monitor", daemon=True)

    def mark(self) -> None:
        """Take a sample now (at a section boundary, so even a short section has one)."""
        self._sample()

    def _sample(self) -> None:
        try:
            self.samples.append((time.time(), os.getloadavg()[0]))
        except OSError:  # not available on this platform
            pass

    def _run(self) -> None:
        self._sample()
        while not self._stop.wait(self.interval):
            self._sample()

    def start(self) -> LoadMonitor:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2 * self.interval)
        self._sample()

    def stats(self, t0: float | None = None, t1: float | None = None) -> dict:
        """Mean and max of the samples taken between ``t0`` and ``t1`` (time.time()); empty if none."""
        v = [x for t, x in self.samples if (t0 is None or t >= t0) and (t1 is None or t <= t1)]
        if not v:
            return {}
        return {"mean": round(sum(v) / len(v), 2), "max": round(max(v), 2), "samples": len(v)}


def cpu_seconds() -> float:
    """CPU time of this process and its finished children [s] (user + system)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def make_validate_times(page_started: float, page_finished: float, environ=os.environ) -> dict | None:
    """The parts of a ``make validate`` run [s], or None when ``CCUS_VALIDATE_STARTED`` is not set.

    ``page_started`` / ``page_finished``: the page generator's start and end (time.time()).
    """
    raw = environ.get(STARTED_ENV)
    if not raw:
        return None
    try:
        started = float(raw)
    except ValueError:
        return None
    if not started <= page_started <= page_finished:
        return None
    out = {"total [s]": round(page_finished - started, 1), "page [s]": round(page_finished - page_started, 1)}
    stamp = Path(sys.prefix) / ".installed"
    before_tests = started
    if stamp.exists() and started <= stamp.stat().st_mtime <= page_started:
        out["venv install [s]"] = round(stamp.stat().st_mtime - started, 1)
        before_tests = stamp.stat().st_mtime
    out["slow tests [s]"] = round(page_started - before_tests, 1)
    return out
