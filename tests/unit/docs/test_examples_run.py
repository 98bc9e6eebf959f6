"""Every script under docs/examples/ runs (fast variants through CCUS_EXAMPLES_FAST=1)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = sorted((ROOT / "docs" / "examples").glob("*.py"))

#: Arguments per script ("{tmp}" = a temporary folder, so that tests never write into the repository).
#: Scripts not listed run without arguments.
ARGS = {
    "geoscientist_experiment.py": ["--out", "{tmp}"],
    "planner_site_comparison.py": ["--out", "{tmp}"],
    "scripted_study.py": ["--out", "{tmp}"],
    "hn04_mass_balance.py": ["{tmp}/hn04_mass_balance.png"],
    "hn04_model_vs_field.py": ["--out", "{tmp}/hn04_model_vs_field.png"],
}
#: Files a script must leave in {tmp}.
WRITES = {
    "geoscientist_experiment.py": ["carbfix1_50C.h5", "carbfix1_50C.html"],
    "planner_site_comparison.py": ["sites.html", "carbfix1_batch.h5"],
    "scripted_study.py": ["carbfix1_sweep_fast.h5"],
    "hn04_mass_balance.py": ["hn04_mass_balance.png"],
}
#: Scripts too long for the default run (they run in `make validate`), with the reason.
SLOW = {
    "carbfix1_morris.py": "30 PHREEQC runs of 2 years (a few minutes on 2 cores)",
    "hn04_model_vs_field.py": "runs the two CarbFix1 transport experiments (PHREEQC TRANSPORT, several minutes)",
}


def _params():
    for p in EXAMPLES:
        marks = [pytest.mark.slow] if p.name in SLOW else []
        yield pytest.param(p, id=p.name, marks=marks)


def test_examples_found():
    names = {p.name for p in EXAMPLES}
    assert {"geoscientist_experiment.py", "planner_site_comparison.py", "scripted_study.py"} <= names


@pytest.mark.parametrize("script", list(_params()))
def test_example_runs(script: Path, tmp_path: Path):
    args = [a.replace("{tmp}", str(tmp_path)) for a in ARGS.get(script.name, [])]
    env = {**os.environ, "CCUS_EXAMPLES_FAST": "1", "MPLBACKEND": "Agg"}
    proc = subprocess.run([sys.executable, str(script), *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=1800)
    assert proc.returncode == 0, f"{script.name} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
    assert proc.stdout.strip(), f"{script.name} printed nothing"
    for name in WRITES.get(script.name, []):
        assert (tmp_path / name).stat().st_size > 0, f"{script.name} did not write {name}"

