"""``ccus validate``: panels printed, panel and experiment selection, exit codes.

The panels themselves are replaced by fixed frames here (their numbers are tested in
tests/validation/); what is tested is the command around them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ccus.cli.main import main
from ccus.validation import batch_panel, speciation_panel, transport_panel

ROOT = Path(__file__).resolve().parents[3]


def _batch_frame(ok: bool, note: str = ""):
    row = {c: None for c in batch_panel.COLUMNS}
    row.update(experiment="exp_a", quantity="pH", unit="-", max_diff=0.002 if ok else 0.03, time_d=7.3,
               phreeqc=6.0, native=6.002, tolerance="0.01", diff_over_tol=0.2 if ok else 3.0,
               within_tolerance=ok, note=note)
    frame = pd.DataFrame([row], columns=batch_panel.COLUMNS)
    frame.attrs["runs"] = [{"experiment": "exp_a", "duration_d": 30.0, "output_times": 4, "phreeqc_s": 1.0,
                            "native_s": 2.0, "phreeqc_tol_mol": 1e-8, "native_rtol": 1e-6}]
    return frame, ok


def _transport_frame(ok: bool):
    row = {c: None for c in transport_panel.COLUMNS}
    row.update(quantity="pH (every cell)", unit="-", max_diff=0.001 if ok else 0.05, time_d=10.0, cell=2,
               phreeqc=6.0, native=6.001, tolerance=0.01, diff_over_tol=0.1 if ok else 5.0,
               within_tolerance=ok, note="")
    frame = pd.DataFrame([row], columns=transport_panel.COLUMNS)
    frame.attrs["runs"] = [{"case": "t", "duration": "30 d", "phreeqc_s": 1.0, "native_s": 0.5}]
    return frame, ok


@pytest.fixture
def panels(monkeypatch):
    calls = {}

    def set_(spec_ok=True, batch_ok=True, note="", transport_ok=True):
        def spec(quick=False):
            calls["speciation"] = {"quick": quick}
            return pd.DataFrame([{"water": "w1", "pH_diff": 0.001, "within_tolerance": spec_ok}]), spec_ok

        def batch(quick=False, experiments=None):
            calls["batch"] = {"quick": quick, "experiments": experiments}
            return _batch_frame(batch_ok, note)

        monkeypatch.setattr(speciation_panel, "run_speciation_panel", spec)
        def transport(quick=False):
            calls["transport"] = {"quick": quick}
            return _transport_frame(transport_ok)

        monkeypatch.setattr(batch_panel, "run_batch_panel", batch)
        monkeypatch.setattr(transport_panel, "run_transport_panel", transport)
        return calls

    return set_


def test_every_panel_printed_exit_0(panels, capsys):
    calls = panels()
    assert main(["validate", "--quick"]) == 0
    out = capsys.readouterr().out
    assert "speciation panel" in out and "batch panel" in out and "first 30 d" in out and "exp_a" in out
    assert "transport panel" in out and "pH (every cell)" in out
    assert calls == {"speciation": {"quick": True}, "batch": {"quick": True, "experiments": None},
                     "transport": {"quick": True}}


def test_transport_out_of_tolerance_exit_1(panels, capsys):
    panels(transport_ok=False)
    assert main(["validate", "--only", "transport"]) == 1
    out = capsys.readouterr().out
    assert "transport panel" in out and "batch panel" not in out and "OUT OF TOLERANCE" in out


@pytest.mark.parametrize("spec_ok,batch_ok", [(False, True), (True, False)])
def test_out_of_tolerance_exit_1(panels, capsys, spec_ok, batch_ok):
    panels(spec_ok, batch_ok)
    assert main(["validate"]) == 1
    assert "OUT OF TOLERANCE" in capsys.readouterr().out


def test_only_one_panel(panels, capsys):
    calls = panels(spec_ok=False)
    assert main(["validate", "--only", "batch"]) == 0  # the failing speciation panel is not run
    assert set(calls) == {"batch"} and "speciation panel" not in capsys.readouterr().out


def test_failed_run_note_is_printed(panels, capsys):
    panels(batch_ok=False, note="native engine failed: ConvergenceError: did not converge")
    assert main(["validate", "--only", "batch"]) == 1
    assert "exp_a: pH: native engine failed: ConvergenceError: did not converge" in capsys.readouterr().out


def test_experiments_are_checked_and_passed_on(panels, small_config):
    calls = panels()
    assert main(["validate", "--only", "batch", "--experiment", str(small_config)]) == 0
    assert [p.name for p in calls["batch"]["experiments"]] == ["small.toml"]


def test_bad_experiments_exit_2(panels, tmp_path, small_config, capsys):
    calls = panels()
    assert main(["validate", "--experiment", str(tmp_path / "none.toml")]) == 2
    assert "none.toml: file not found" in capsys.readouterr().err
    linear = ROOT / "experiments" / "carbfix1.toml"  # a transport (kind "linear") experiment
    assert main(["validate", "--experiment", str(linear)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "carbfix1.toml: experiment.kind" in err and "'linear'" in err
    assert main(["validate", "--only", "speciation", "--experiment", str(small_config)]) == 2
    assert "--only speciation" in capsys.readouterr().err
    assert calls == {}  # nothing was run
