"""Native batch engine vs the PHREEQC engine (same Experiment, same Result schema).

Targets (issue "Native kinetics and batch reactor"): pH within 0.01 at every output
time, mineral amounts within 1% or 1e-8 mol, fraction mineralised within 0.005.
Both engines solve the same equations (docs/kinetics.md); what remains is the
integration error of each (PHREEQC CVODE at -tol 1e-8, native Rosenbrock at rtol 1e-6).
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import numpy as np
import pytest

from ccus.config.experiment import load_experiment
from ccus.engines.native.engine import run_batch as run_native
from ccus.engines.native.engine import run_many
from ccus.engines.phreeqc.engine import run_batch as run_phreeqc

ROOT = Path(__file__).resolve().parents[2]


def _compare(a, b) -> dict:
    """Worst deviations of native ``b`` from PHREEQC ``a`` over all output times."""
    out = {"pH": float(np.max(np.abs(a["pH"].magnitude - b["pH"].magnitude))),
           "fraction": float(np.max(np.abs(a["fraction mineralised"].magnitude - b["fraction mineralised"].magnitude)))}
    worst = {}
    for name in a.minerals:
        x, y = a[f"{name} amount"].magnitude, b[f"{name} amount"].magnitude
        d = np.abs(x - y)
        # excess over the "1% or 1e-8 mol" band (<= 0: within target)
        worst[name] = float(np.max(d - np.maximum(0.01 * np.abs(x), 1e-8)))
    out["minerals"] = worst
    return out


def _assert_targets(a, b):
    assert set(a.series) == set(b.series)  # one schema
    assert b.provenance["engine"] == "native"
    np.testing.assert_allclose(b.time.magnitude, a.time.magnitude, rtol=1e-15)  # same output times
    c = _compare(a, b)
    assert c["pH"] <= 0.01, c  # target of the issue: pH within 0.01 at all output times
    for name, excess in c["minerals"].items():
        assert excess <= 0.0, (name, c)  # target: within 1% or 1e-8 mol at every output time
    assert c["fraction"] <= 0.005, c  # target: fraction mineralised within 0.005


def test_small_config_matches_phreeqc(small_config):
    exp = load_experiment(small_config)
    a, b = run_phreeqc(exp), run_native(exp)
    _assert_targets(a, b)
    # measured 2026-11-25: pH within 5e-6, minerals within 0.08%, fraction within 1.5e-6;
    # an order of magnitude tighter than the targets, so a regression shows up here first
    c = _compare(a, b)
    assert c["pH"] < 1e-4


def test_carbfix1_batch_matches_phreeqc():
    exp = load_experiment(ROOT / "experiments" / "carbfix1_batch.toml")
    a, b = run_phreeqc(exp), run_native(exp)
    _assert_targets(a, b)
    # also the water chemistry: element totals within 1% (or 1e-9 mol/kg for trace Al/Si)
    for el in ("DIC", "Ca", "Mg", "Fe", "Si", "Al", "Na", "K"):
        x, y = a[el].magnitude, b[el].magnitude
        assert np.all(np.abs(x - y) <= np.maximum(0.01 * np.abs(x), 1e-9)), el


def test_zero_aluminium_start_does_not_stall(small_config):
    # the glass law (a_H^3 / a_Al)^(1/3) is singular at a_Al = 0; PHREEQC needs ~240 s for such
    # waters (docs/kinetics.md); the native reactor takes the Al release transient in stride
    exp = load_experiment(small_config, overrides={"site.water.composition.Al": "0 mol/kg"})
    t0 = time.perf_counter()
    b = run_native(exp)
    assert time.perf_counter() - t0 < 60.0  # a few seconds measured; generous for loaded CI machines
    assert b["Al"].magnitude[1] > 0 and np.all(np.isfinite(b["pH"].magnitude))


@pytest.mark.slow
def test_zero_aluminium_start_matches_phreeqc(small_config):
    exp = load_experiment(small_config, overrides={"site.water.composition.Al": "0 mol/kg"})
    _assert_targets(run_phreeqc(exp), run_native(exp))


def _variants():
    base = load_experiment(ROOT / "experiments" / "carbfix1_batch.toml")
    return {
        "25C": load_experiment(ROOT / "experiments" / "carbfix1_batch.toml", overrides={"experiment.temperature": "25 degC"}),
        "50C": load_experiment(ROOT / "experiments" / "carbfix1_batch.toml", overrides={"experiment.temperature": "50 degC"}),
        "rock_x0.3": dataclasses.replace(base, rock_mass=base.rock_mass * 0.3),
        "water_x2": dataclasses.replace(base, water_mass=base.water_mass * 2.0),
    }


ONSET = (
    "measured 2026-11-25: magnesite at day 21 (first output after its onset): PHREEQC (-tol 1e-8, CVODE) "
    "3.678e-6 mol, native (rtol 1e-6) 3.584e-6 mol, 2.5% apart (target 1% or 1e-8 mol); the converged value is "
    "3.625e-6 mol (PHREEQC -tol 1e-10: 3.6247e-6, native rtol 1e-8: 3.6244e-6), so each engine's integration "
    "error at the precipitation onset is 1-1.5% at its default tolerance; pH 1.7e-5, fraction 4.5e-6 apart"
)


@pytest.mark.slow
@pytest.mark.parametrize("key", [
    "25C", "50C", pytest.param("rock_x0.3", marks=pytest.mark.xfail(reason=ONSET, strict=True)), "water_x2"])
def test_run_many_matches_phreeqc_for_varied_scenarios(key):
    exps = _variants()
    natives = run_many(list(exps.values()))  # all four batched together, as a study would
    b = natives[list(exps).index(key)]
    assert not isinstance(b, Exception), b
    _assert_targets(run_phreeqc(exps[key]), b)


@pytest.mark.slow
def test_onset_difference_is_integration_error():
    # the xfail above: with tight tolerances both engines agree on the magnesite onset to 0.1%
    e = _variants()["rock_x0.3"]
    a = run_phreeqc(dataclasses.replace(e, solver=dataclasses.replace(e.solver, rtol=1e-10)))
    b = run_many([e], rtol=1e-8, atol=1e-12)[0]
    x, y = a["Magnesite amount"].magnitude, b["Magnesite amount"].magnitude
    assert np.all(np.abs(x - y) <= np.maximum(1e-3 * np.abs(x), 1e-10))  # 0.1%: measured 1e-4
