"""The report as a reader sees it: headless-Chromium screenshot (slow; skipped without chromium)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "report_screenshot.sh"


@pytest.mark.slow
@pytest.mark.skipif(not os.access("/usr/bin/chromium", os.X_OK), reason="needs /usr/bin/chromium")
def test_screenshot(small_store, tmp_path):
    out = tmp_path / "shot.png"
    proc = subprocess.run(["sh", str(SCRIPT), str(small_store), str(out)], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000  # a rendered page, not a blank one
