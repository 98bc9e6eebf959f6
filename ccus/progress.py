"""A small progress indicator on stderr for long single calls (no dependency)."""

from __future__ import annotations

import sys
import threading
import time


class Spinner:
    """Context manager printing ``label ... 12 s`` on stderr every second after a 2 s delay."""

    def __init__(self, label: str, delay: float = 2.0, stream=None):
        self.label, self.delay = label, delay
        self.stream = stream or sys.stderr
        self._stop = threading.Event()
        self._thread = None
        self._shown = False

    def _run(self):
        t0 = time.monotonic()
        if self._stop.wait(self.delay):
            return
        frames = "|/-\\"
        i = 0
        while not self._stop.wait(0.25):
            self._shown = True
            self.stream.write(f"\r{frames[i % 4]} {self.label} ... {time.monotonic() - t0:.0f} s")
            self.stream.flush()
            i += 1

    def __enter__(self):
        self._t0 = time.monotonic()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        if self._shown:
            self.stream.write(f"\r  {self.label}: done in {time.monotonic() - self._t0:.1f} s\n")
            self.stream.flush()
        return False
