"""The fast bookkeeping of the native batch engine gives the Results of the plain pint/numpy path.

run_many builds its Results with parsed units kept (ccus.units.unit), remembered scalar conversions
(ccus.units.magnitude), context strings without pint's formatter (ccus.units.quantity_text) and the
output states of all reactors evaluated together. These tests rebuild every series, mineral entry
and context string the way the engine did before (one residual evaluation per reactor, unit strings
parsed by pint, f"{q:~}") from the same integration and compare: strings exactly, numbers to 1e-12.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

import ccus.engines.native.engine as eng
import ccus.result.context as context_module
from ccus.config.database_names import phase_formula
from ccus.config.experiment import load_experiment
from ccus.engines.phreeqc.inputs import ELEMENTS_OUT
from ccus.formula import element_counts
from ccus.kinetics import closed_system as csm
from ccus.result.context import experiment_context
from ccus.study.testing import batch_variants
from ccus.units import DIMENSIONS, Q_, magnitude, quantity_text, unit

ROOT = Path(__file__).resolve().parents[3]
EXPERIMENTS = sorted((ROOT / "experiments").glob("*.toml"))
RTOL = 1e-12

UNITS = sorted(set(DIMENSIONS.values()) | {
    "degC", "K", "degF", "bar", "Pa", "atm", "day", "d", "yr", "s", "m", "km", "m^2", "m^2/g", "m^2/kg", "kg", "g", "t",
    "kgw", "mol", "mmol", "mol/kg", "mmol/kg", "molal", "bar/m", "1/kg", "1/bar", "kJ/mol", "mol/m^2/s", "kg/s",
    "m^3/s", "percent", "dimensionless", "cP", "mD",
})
MAGNITUDES = [0, 1, 3, 35, -2, 530, 10**20, 0.0, -0.0, 1.0, 0.1, 35.0, -2.5, 0.005, 1e-11, 5e-11, 0.17, 12345.678,
              1e20, 2.5e-300, 1 / 3, float("inf"), float("-inf"), float("nan"), np.float64(0.07), np.float64(25)]


def pint_text(q, unit_name=None) -> str:
    """What experiment_context stored before: pint's formatter, after a conversion by unit string."""
    return f"{(q if unit_name is None else q.to(unit_name)):~}"


def test_quantity_text_is_pints_formatter():
    for u in UNITS:
        for m in MAGNITUDES:
            q = Q_(m, u)
            assert quantity_text(q) == f"{q:~}", (m, u)
    conversions = [("degC", "K"), ("K", "degC"), ("degF", "degC"), ("Pa", "bar"), ("atm", "bar"), ("yr", "day"),
                   ("s", "day"), ("km", "m"), ("m^2/kg", "m^2/g"), ("mmol/kg", "mol/kg"), ("g", "kg")]
    for src, dst in conversions:
        for m in MAGNITUDES:
            q = Q_(m, src)
            assert quantity_text(q, dst) == pint_text(q, dst), (m, src, dst)
    arr = Q_(np.array([1.0, 2.5]), "m^2/g")
    assert quantity_text(arr) == f"{arr:~}"


def same_number(a, b) -> bool:
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    return a == b and type(a) is type(b) and math.copysign(1.0, a) == math.copysign(1.0, b)


def test_magnitude_is_pints_conversion():
    pairs = [("degC", "K"), ("K", "degC"), ("mol/kg", "mol/kg"), ("mmol/kg", "mol/kg"), ("kg", "kg"), ("g", "kg"),
             ("bar", "Pa"), ("yr", "s"), ("m^2/kg", "m^2/g"), ("dimensionless", "dimensionless")]
    for src, dst in pairs:
        for m in MAGNITUDES:
            q = Q_(m, src)
            ref = q.to(dst).magnitude
            for _ in range(2):  # the second call is answered from the memory of conversions
                got = magnitude(q, dst)
                assert same_number(got, ref), (m, src, dst, got, ref)
    # 35 and 35.0 (and 0.0 and -0.0) are different keys: the number's type and sign are kept
    assert type(magnitude(Q_(35, "kg"), "kg")) is int
    assert type(magnitude(Q_(35.0, "kg"), "kg")) is float
    assert math.copysign(1.0, magnitude(Q_(-0.0, "g"), "kg")) == -1.0
    arr = Q_(np.array([20.0, 35.0]), "degC")
    np.testing.assert_array_equal(magnitude(arr, "K"), arr.to("K").magnitude)
    assert unit("m^2/g") is unit("m^2/g") and unit("m^2/g") == Q_(1, "m^2/g").units


def load_all_experiments():
    out = []
    for path in EXPERIMENTS:
        try:
            out.append(load_experiment(path))
        except Exception:  # study and comparison files are not experiments
            continue
    return out


def test_context_strings_of_every_experiment(monkeypatch):
    exps = load_all_experiments() + scenarios(3)
    assert len(exps) >= 8
    fast = [experiment_context(e) for e in exps]
    monkeypatch.setattr(context_module, "quantity_text", pint_text)
    slow = [experiment_context(e) for e in exps]
    assert fast == slow
    for f, s in zip(fast, slow, strict=True):  # the same types too (== takes 1 for 1.0)
        assert repr(f) == repr(s)


def scenarios(n: int, seed: int = 3):
    """Variants of the CarbFix1 batch as bench/bench_native_batch.py makes them, cut to 60 days and 12 outputs."""
    base = load_experiment(ROOT / "experiments" / "carbfix1_batch.toml",
                           overrides={"experiment.duration": "60 d", "output.steps": 12})
    return batch_variants(base, n, seed)


def reference_series(e, i, kin, net, cond, b0, r0, integ) -> tuple[dict, dict]:
    """Series and minerals of reactor ``i`` as the engine built them before (one evaluation per reactor)."""
    cs = net.cs
    nc = cs.nc
    recs = integ.outputs[i]
    xs = np.vstack([r0.x[i][None, :]] + [rec["x"][None, :] for rec in recs])
    ys = np.vstack([np.zeros((1, net.nk))] + [rec["y"][None, :] for rec in recs])
    acts = np.vstack([np.zeros((1, cs.neq), bool)] + [rec["active"][None, :] for rec in recs])
    n_t = xs.shape[0]
    rows = np.zeros(n_t, int)
    c = cond.take(np.array([i])).take(rows)
    b = net.budget(b0.take(np.array([i])).take(rows), ys)
    _, ev, _ = csm.residual_jacobian(cs, c, b, xs, acts, np.zeros((n_t, 3), bool), want_jac=False)
    molal = ev.m @ cs.S
    c_idx = cs.element_of_component.index("C")
    c4 = (cs.S[:, c_idx] > 0) & (cs.nu_e == 0)
    dic = (ev.m[:, c4] * cs.S[c4, c_idx]).sum(axis=1)
    time = np.concatenate([[0.0], e.output_times.to("s").magnitude])
    series = {"pH": Q_(-xs[:, nc], "dimensionless")}
    for el in ELEMENTS_OUT:
        name = {"C(4)": "DIC"}.get(el, el)
        if el == "C(4)":
            series[name] = Q_(dic, "mol/kg")
        elif el in cs.element_of_component:
            series[name] = Q_(molal[:, cs.element_of_component.index(el)], "mol/kg")
        else:
            series[name] = Q_(np.zeros_like(time), "mol/kg")
    series["water mass"] = Q_(ev.W, "kg")
    minerals = {}
    carbonate = 0.0
    for j, k in enumerate(kin):
        amount = k.m0 - ys[:, j]
        series[f"{k.rate.name} amount"] = Q_(amount, "mol")
        nC = k.rate.elements.get("C", 0.0)
        minerals[k.rate.name] = {"role": "primary" if k.primary else "secondary", "carbon": nC,
                                 "elements": k.rate.elements, "formula": k.rate.formula, "m0": k.m0}
        carbonate = carbonate + nC * (amount - k.m0)
    for p_i, p in enumerate(cs.eq_phases):
        amount = xs[:, nc + 5 + p_i].copy()
        amount[0] = 0.0
        series[f"{p} amount"] = Q_(amount, "mol")
        formula = phase_formula(e.database_path, p)
        els = element_counts(formula) if formula else {}
        minerals[p] = {"role": "equilibrium", "carbon": els.get("C", 0.0), "elements": els, "formula": formula, "m0": 0.0}
        carbonate = carbonate + els.get("C", 0.0) * amount
    series["carbon in carbonates"] = Q_(carbonate, "mol")
    injected = (Q_(e.charge.moles_per_kgw.get("CO2", 0.0), "mol/kg") * e.water_mass).to("mol").magnitude
    series["fraction mineralised"] = Q_(carbonate / injected if injected > 0 else 0.0 * carbonate, "dimensionless")
    return series, minerals


@pytest.fixture(scope="module")
def batch_runs():
    exps = scenarios(4) + [
        load_experiment(ROOT / "experiments" / name, overrides={"experiment.duration": "30 d", "output.steps": 6})
        for name in ("carbfix2_batch.toml", "leizhou_batch.toml")]
    captured = []
    prepare, integrate = eng._prepare, eng.integrate_network

    def keep_prepare(g):
        pr = prepare(g)
        captured.append({"group": g, "prepared": pr})
        return pr

    def keep_integration(*args, **kwargs):
        integ = integrate(*args, **kwargs)
        captured[-1]["integ"] = integ
        return integ

    mp = pytest.MonkeyPatch()
    mp.setattr(eng, "_prepare", keep_prepare)
    mp.setattr(eng, "integrate_network", keep_integration)
    try:
        results = eng.run_many(exps)
    finally:
        mp.undo()
    return exps, results, captured


def test_run_many_results_match_the_per_reactor_path(batch_runs, monkeypatch):
    exps, results, captured = batch_runs
    assert len(captured) >= 2  # the scenarios and the other sites are separate groups
    checked = 0
    for cap in captured:
        g, pr, integ = cap["group"], cap["prepared"], cap["integ"]
        for i, (e, kin) in enumerate(zip(g.experiments, g.kin, strict=True)):
            r = results[g.index[i]]
            assert r.name == e.name
            series, minerals = reference_series(e, i, kin, pr.net, pr.cond, pr.b0, pr.r0, integ)
            assert list(r.series) == list(series)
            for name, ref in series.items():
                got = r.series[name]
                assert got.units == ref.units and f"{got.units:~}" == f"{ref.units:~}", name
                np.testing.assert_allclose(got.magnitude, ref.magnitude, rtol=RTOL, atol=0, err_msg=name)
            assert r.minerals == minerals
            time = Q_(np.concatenate([[0.0], e.output_times.to("s").magnitude]), "s")
            assert r.time.units == time.units
            np.testing.assert_array_equal(r.time.magnitude, time.magnitude)
            ref_injected = (Q_(e.charge.moles_per_kgw.get("CO2", 0.0), "mol/kg") * e.water_mass).to("mol")
            assert r.carbon_injected.units == ref_injected.units
            assert same_number(r.carbon_injected.magnitude, ref_injected.magnitude)
            checked += 1
    assert checked == len(exps)
    with monkeypatch.context() as m:
        m.setattr(context_module, "quantity_text", pint_text)
        contexts = [experiment_context(e) for e in exps]
    assert [r.context for r in results] == contexts
    assert [repr(r.context) for r in results] == [repr(c) for c in contexts]


def test_batched_states_do_not_depend_on_the_chunks(batch_runs, monkeypatch):
    """Evaluating the output states one reactor at a time gives the same numbers as in chunks."""
    _, _, captured = batch_runs
    cap = captured[0]
    pr, integ = cap["prepared"], cap["integ"]
    rows = list(range(len(cap["group"].experiments)))
    together = eng._group_states(pr.net, pr.cond, pr.r0, integ, rows)
    monkeypatch.setattr(eng, "STATES_PER_EVALUATION", 1)
    alone = eng._group_states(pr.net, pr.cond, pr.r0, integ, rows)
    for i in rows:
        for a, b in zip(together[i], alone[i], strict=True):
            np.testing.assert_allclose(a, b, rtol=RTOL, atol=0)
