"""The batch panel of ``ccus validate``: native vs PHREEQC engine on batch experiments.

Default run: the comparison logic on hand-made Results, discovery of batch experiments,
the quick cut, a failed run as a row, and one real panel on the small 30-day config.
Slow: the full panel over every batch experiment in ``experiments/``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ccus.errors import ConvergenceError
from ccus.result.result import Result
from ccus.units import Q_
from ccus.validation import batch_panel as bp

ROOT = Path(__file__).resolve().parents[2]


def _result(ph_shift=0.0, calcite_scale=1.0, fraction_shift=0.0, ca_scale=1.0, n=5):
    t = np.linspace(0.0, 30.0, n) * 86400.0
    f = np.linspace(0.0, 0.2, n)
    series = {
        "pH": Q_(5.0 + f + ph_shift, "dimensionless"),
        "Ca": Q_(np.full(n, 1e-3) * ca_scale, "mol/kg"),
        "Al": Q_(np.full(n, 1e-10), "mol/kg"),
        "Calcite amount": Q_(0.5 * f * calcite_scale, "mol"),
        "fraction mineralised": Q_(f + fraction_shift, "dimensionless"),
    }
    return Result(name="x", time=Q_(t, "s"), series=series, carbon_injected=Q_(0.5, "mol"),
                  minerals={"Calcite": {"role": "secondary", "carbon": 1.0}})


def _by_quantity(rows):
    return {r["quantity"]: r for r in rows}


def test_identical_results_agree():
    rows = _by_quantity(bp.compare_results(_result(), _result()))
    assert set(rows) == {"pH", "Ca total", "Al total", "Calcite amount", "fraction mineralised"}
    assert all(r["within_tolerance"] and r["max_diff"] == 0.0 for r in rows.values())


def test_each_tolerance_is_applied():
    a = _result()
    # pH 0.02 off everywhere: fails at twice its 0.01 tolerance
    r = _by_quantity(bp.compare_results(a, _result(ph_shift=0.02)))["pH"]
    assert not r["within_tolerance"] and r["diff_over_tol"] == pytest.approx(2.0)
    # pH 0.005 off: within
    assert _by_quantity(bp.compare_results(a, _result(ph_shift=0.005)))["pH"]["within_tolerance"]
    # calcite 1.5 % off: out (1 % target), at a time after 0 (at time 0 both hold none)
    r = _by_quantity(bp.compare_results(a, _result(calcite_scale=1.015)))["Calcite amount"]
    assert not r["within_tolerance"] and r["time_d"] > 0
    assert r["diff_over_tol"] == pytest.approx(1.5)
    # calcite 0.5 % off: within
    assert _by_quantity(bp.compare_results(a, _result(calcite_scale=1.005)))["Calcite amount"]["within_tolerance"]
    # fraction 0.006 off: out (0.005 target)
    r = _by_quantity(bp.compare_results(a, _result(fraction_shift=0.006)))["fraction mineralised"]
    assert not r["within_tolerance"] and r["max_diff"] == pytest.approx(0.006)
    # Ca total 3 % off: out (2 % tolerance); 1 % off: within
    assert not _by_quantity(bp.compare_results(a, _result(ca_scale=1.03)))["Ca total"]["within_tolerance"]
    assert _by_quantity(bp.compare_results(a, _result(ca_scale=1.01)))["Ca total"]["within_tolerance"]


def test_mineral_floor_and_non_finite_values():
    a = _result()
    b = _result()
    b.series["Calcite amount"] = Q_(a["Calcite amount"].magnitude + 5e-9, "mol")  # under the 1e-8 mol floor
    assert _by_quantity(bp.compare_results(a, b))["Calcite amount"]["within_tolerance"]
    b.series["pH"] = Q_(np.where(np.arange(5) == 3, np.nan, a["pH"].magnitude), "dimensionless")
    r = _by_quantity(bp.compare_results(a, b))["pH"]
    assert not r["within_tolerance"] and r["note"] == "non-finite value" and r["time_d"] == pytest.approx(22.5)


def test_different_output_times_is_a_failed_row():
    rows = bp.compare_results(_result(n=5), _result(n=6))
    assert len(rows) == 1 and not rows[0]["within_tolerance"] and "output times differ" in rows[0]["note"]


def test_discovery_reads_the_files(tmp_path):
    (tmp_path / "a.toml").write_text('[experiment]\nname = "a"\nkind = "batch"\n')
    (tmp_path / "b.toml").write_text('[experiment]\nname = "b"\n')  # kind defaults to batch, as in the loader
    (tmp_path / "c.toml").write_text('[experiment]\nname = "c"\nkind = "linear"\n')
    (tmp_path / "d.toml").write_text('[study]\nname = "d"\n')
    (tmp_path / "e.toml").write_text("[experiment\n")  # broken: kept, so the panel shows its load error
    assert [p.name for p in bp.batch_experiments(tmp_path)] == ["a.toml", "b.toml", "e.toml"]
    found = {p.name for p in bp.batch_experiments()}
    assert {"carbfix1_batch.toml", "carbfix2_batch.toml", "leizhou_batch.toml"} <= found
    assert "carbfix1.toml" not in found and "sites.toml" not in found


def test_quick_version_keeps_the_first_30_days():
    from ccus.config.experiment import load_experiment

    exp = load_experiment(ROOT / "experiments" / "carbfix1_batch.toml")
    q = bp.quick_version(exp)
    t = q.output_times.to("day").magnitude
    assert t[-1] <= 30.0 and len(t) == 4  # 100 linear outputs over 2 years: every 7.3 d
    np.testing.assert_array_equal(t, exp.output_times.to("day").magnitude[:4])  # the file's own times
    assert q.duration.to("day").magnitude == pytest.approx(t[-1])


def test_failed_native_run_is_a_row(small_config, monkeypatch):
    calls = []

    def fake_run(exp, engine):
        calls.append(engine)
        if engine == "native":
            raise ConvergenceError("small: native batch reactor failed at t = 3 s: step size underflow")
        return _result(), 0.1

    monkeypatch.setattr(bp, "_run", fake_run)
    frame, ok = bp.run_batch_panel(experiments=[small_config])
    assert not ok and calls == ["phreeqc", "native"]
    assert list(frame["quantity"]) == ["native run"]
    assert "ConvergenceError" in frame["note"][0] and "step size underflow" in frame["note"][0]


def test_engine_bug_is_a_row_for_each_engine(small_config, monkeypatch):
    def broken(exp, engine):
        raise IndexError(f"{engine}: index 7 is out of bounds")

    monkeypatch.setattr(bp, "_run", broken)
    frame, ok = bp.run_batch_panel(experiments=[small_config, small_config])  # the second one runs too
    assert not ok and list(frame["quantity"]) == ["phreeqc run", "native run"] * 2
    assert frame["note"][1] == "native engine failed: IndexError: native: index 7 is out of bounds"


def test_unloadable_experiment_is_a_row(write_config):
    bad = write_config('[experiment]\nname = "bad"\nkind = "batch"\nsite = "nowhere"\n', "bad.toml")
    frame, ok = bp.run_batch_panel(experiments=[bad])
    assert not ok and frame["quantity"][0] == "load" and "nowhere" in frame["note"][0]


def test_small_experiment_panel(small_config):
    # a real run of both engines on the 30-day small config (~1 s PHREEQC, a few s native)
    frame, ok = bp.run_batch_panel(experiments=[small_config])
    assert ok, frame[~frame["within_tolerance"]].to_string()
    q = set(frame["quantity"])
    assert {"pH", "Ca total", "Calcite amount", "Kaolinite amount", "fraction mineralised"} <= q
    run = frame.attrs["runs"][0]
    assert run["output_times"] == 10 and run["native_s"] > 0 and run["phreeqc_tol_mol"] == 1e-8
    assert 0 < run["native_rtol"] < 1e-3
    # measured 2026-11-25: pH within 5e-6 and calcite within 0.08 % (targets 0.01 and 1 %); a ratio
    # of a tenth of the tolerance leaves room for integrator noise and still flags a regression
    assert frame.set_index("quantity").loc["pH", "diff_over_tol"] < 0.1


# Experiments on which the native engine is known not to meet the targets (strict xfail, so a fix shows up
# as XPASS and this list must be updated). Empty since 2026-11-25: carbfix2_batch's Glass_Basalt at day 70.1
# (nearly used up: PHREEQC 1.808e-6 mol, native then 0) is within tolerance (native 1.825e-6 mol, 0.91 of the
# 1e-8 mol tolerance) since the native error control is relative to the amount left of a mineral near exhaustion.
KNOWN_FAILURES: dict[str, str] = {}


def _full_panel_params():
    out = []
    for p in bp.batch_experiments():
        marks = [pytest.mark.xfail(reason=KNOWN_FAILURES[p.stem], strict=True)] if p.stem in KNOWN_FAILURES else []
        out.append(pytest.param(p, id=p.stem, marks=marks))
    return out


@pytest.mark.slow
@pytest.mark.parametrize("path", _full_panel_params())
def test_full_panel(path):
    frame, ok = bp.run_batch_panel(experiments=[path])
    assert ok, frame[~frame["within_tolerance"]].to_string()


@pytest.mark.slow
def test_leizhou_onset_is_integration_error():
    # why experiments/leizhou_batch.toml sets [solver] rtol = 1e-10: at the 1e-8 default the native
    # engine (rtol 1e-6) found the calcite onset (day ~65.8) ~0.1 d late; with the tighter tolerance
    # of both engines the onset agrees with PHREEQC
    import dataclasses

    from ccus.config.experiment import load_experiment
    from ccus.engines.native.engine import run_many
    from ccus.engines.phreeqc.engine import run_batch

    e = load_experiment(ROOT / "experiments" / "leizhou_batch.toml")
    t = e.output_times.to("s").magnitude[:11]  # up to day 80, past the onset at day ~65.8
    e = dataclasses.replace(e, output_times=Q_(t, "s"), duration=Q_(t[-1], "s"))
    a = run_batch(dataclasses.replace(e, solver=dataclasses.replace(e.solver, rtol=1e-10)))
    b = run_many([e], rtol=1e-8, atol=1e-12)[0]
    rows = _by_quantity(bp.compare_results(a, b))
    # measured 2026-11-25: calcite at day 65.7: PHREEQC (-tol 1e-10) 9.820e-6 mol, native (rtol 1e-8)
    # 9.812e-6 mol, 0.08 % apart; the target (1 % or 1e-8 mol) holds with a 10x margin
    assert rows["Calcite amount"]["diff_over_tol"] < 0.5, rows["Calcite amount"]
    assert all(r["within_tolerance"] for r in rows.values()), rows
