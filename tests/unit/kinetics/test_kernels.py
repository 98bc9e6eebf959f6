"""The compiled kernels (ccus.kinetics.kernels) against the batched numpy reference they replace."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from ccus.config.experiment import load_experiment
from ccus.engines.native import engine
from ccus.kinetics import closed_system as csm
from ccus.kinetics.reactor import integrate_network


@pytest.fixture(scope="module")
def small_path(tmp_path_factory):
    from configs_small import SMALL

    p = tmp_path_factory.mktemp("cfg") / "small.toml"
    p.write_text(SMALL)
    return p


@pytest.fixture(scope="module")
def prepared(small_path):
    exp = load_experiment(small_path)
    return exp, engine.prepare([exp, exp])


@pytest.fixture(scope="module")
def states(prepared):
    """Equilibrium states of the small config at every output time (compiled integrator)."""
    _, p = prepared
    upper = p.reactors.m0.copy()
    res = integrate_network(p.net, p.cond, p.reactors, p.r0.x, p.r0.active, p.t_out, upper, rtol=1e-6, atol=1e-10)
    assert not res.failures
    return res


def test_newton_matches_numpy_reference(prepared, states):
    # the compiled Newton iteration is the numpy one written per reactor: same iterates up to rounding
    _, p = prepared
    cs = p.net.cs
    recs = states.outputs[0]
    y = np.array([r["y"] for r in recs])
    x = np.array([r["x"] for r in recs])
    act = np.array([r["active"] for r in recs])
    n_t = len(recs)
    cond = p.cond.take(np.zeros(n_t, int))
    b = p.net.budget(p.b0.take(np.zeros(n_t, int)), y)
    # start from a perturbed state so that several iterations (and active-set changes) are needed
    x0 = x + 0.05 * np.sin(np.arange(x.shape[1]))[None, :]
    x0[:, cs.nc + 5:] = 0.0
    a = csm.solve_closed(cs, cond, b, x0, np.zeros_like(act), want_jac=True)
    r = csm.solve_closed_numpy(cs, cond, b, x0, np.zeros_like(act), want_jac=True)
    assert (a.converged == r.converged).all() and a.converged.sum() >= n_t - 2  # the same rows converge
    c = a.converged
    assert_allclose(a.iterations[c], r.iterations[c], atol=1)  # rounding may move the stop by one iteration
    assert_allclose(a.x[c], r.x[c], rtol=0, atol=1e-9)  # both converged to 1e-11 in log units
    assert (a.active[c] == r.active[c]).all()
    assert (a.active[c] == act[c]).all()
    assert_allclose(a.J[c], r.J[c], rtol=1e-6, atol=1e-6 * np.abs(r.J).max())  # same Jacobian at the same solution


def test_rates_and_analytic_jacobian_match_finite_differences(prepared, states):
    # d r / d xi: analytic in the kernels, forward differences (eps 1e-7 log units) in Network.rate_jacobian
    _, p = prepared
    recs = states.outputs[0]
    for rec in recs[:: max(1, len(recs) // 6)]:
        y, x, act = rec["y"][None], rec["x"][None], rec["active"][None]
        aux = {"x": x, "active": act, "y": y, "dxdy": np.zeros((1, x.shape[1], y.shape[1]))}
        out = p.net.evaluate(p.cond, p.reactors, np.array([0]), y, aux, True)
        assert out["ok"].all()
        F = p.net.rates_at(p.cond.take(np.array([0])), p.reactors, np.array([0]), out["x"], y)
        assert_allclose(out["F"], F, rtol=1e-10, atol=1e-30)  # the same rate expressions
        J_fd, dx_fd = p.net.rate_jacobian(p.cond.take(np.array([0])), p.reactors, np.array([0]), out["x"], y,
                                          out["active"], F)
        # the same linear solve (LU here, numpy.linalg.solve there) at the same state: rounding amplified by the
        # equilibrium Jacobian's condition number; measured up to 1.2e-7 relative on one entry (a wrong column: O(1))
        assert_allclose(out["dxdy"], dx_fd, rtol=1e-6, atol=1e-8 * np.abs(dx_fd).max())
        # rows of minerals with nothing left (m <= 0) are left out: their rate is held at 0 by PHREEQC's guard
        # and a difference towards more mineral steps across that kink (analytic: 0)
        live = (p.reactors.m0[0] - y[0]) > 0
        assert live.sum() >= 3
        scale = np.abs(J_fd).max(axis=2, keepdims=True) + 1e-300
        # Network.rate_jacobian differences r in x (eps 1e-7) and multiplies by d x / d xi: an entry is a sum of
        # terms that cancel, so it carries that truncation error (measured up to 0.35 of the row's largest entry,
        # on d r_glass / d xi_calcite just before the calcite onset). The reference is therefore the derivative
        # of the whole evaluation (equilibrium re-solved) by central differences in xi, h = 1e-9 mol (amounts
        # 1e-4..0.1 mol: truncation O(h^2) negligible, rounding ~1e-16 * r / h)
        J_cd = np.empty_like(out["J"])
        for j in range(y.shape[1]):
            h = 1e-9
            ev = []
            for sgn in (1.0, -1.0):
                y2 = y.copy()
                y2[0, j] += sgn * h
                o2 = p.net.evaluate(p.cond, p.reactors, np.array([0]), y2,
                                    {"x": out["x"], "active": out["active"], "y": y, "dxdy": out["dxdy"]}, False)
                ev.append(o2["F"][0])
            J_cd[0, :, j] = (ev[0] - ev[1]) / (2 * h)
        err = (np.abs(out["J"] - J_cd) / scale)[0][live]
        assert np.all(err <= 1e-3), err.max()  # measured <= 3.9e-6 of the row's largest entry; a wrong term: O(1)


def test_compiled_integrator_takes_the_python_integrators_steps(small_config, monkeypatch):
    # integrate_network is reactor.integrate compiled: same method, same step control, same evaluations
    exp = load_experiment(small_config)
    a = engine.run_batch(exp)
    monkeypatch.setattr(engine, "INTEGRATOR", "python")
    b = engine.run_batch(exp)
    assert a.provenance["native"]["accepted_steps"] == b.provenance["native"]["accepted_steps"]
    assert_allclose(a["pH"].magnitude, b["pH"].magnitude, rtol=0, atol=1e-9)  # rounding only
    for name in a.minerals:
        x, y = a[f"{name} amount"].magnitude, b[f"{name} amount"].magnitude
        assert_allclose(x, y, rtol=1e-8, atol=1e-14)


def test_numpy_evaluator_agrees_with_the_compiled_path(small_config, monkeypatch):
    # INTEGRATOR = "numpy": reactor.network_evaluator (batched numpy equilibrium, finite-difference-free
    # analytic rate Jacobian) in the Python integrator; the same equations as the kernels, different
    # arithmetic order, so agreement to the integrator tolerance (rtol 1e-6 on moles reacted), not rounding
    exp = load_experiment(small_config)
    a = engine.run_batch(exp)
    monkeypatch.setattr(engine, "INTEGRATOR", "numpy")
    b = engine.run_batch(exp)
    assert_allclose(a["pH"].magnitude, b["pH"].magnitude, rtol=0, atol=1e-4)
    for name in a.minerals:
        x, y = a[f"{name} amount"].magnitude, b[f"{name} amount"].magnitude
        assert_allclose(x, y, rtol=1e-4, atol=1e-10)


def test_many_reactors_split_over_threads_give_the_same_answer(small_config, monkeypatch):
    # rows are independent; threads only split them (CCUS_THREADS=1: one thread)
    exp = load_experiment(small_config)
    exps = [exp] * 40
    monkeypatch.setenv("CCUS_THREADS", "2")
    many = engine.run_many(exps)
    monkeypatch.setenv("CCUS_THREADS", "1")
    one = engine.run_many(exps[:1])[0]
    for r in many:
        # the same arithmetic per reactor; the post-processing (numpy on stacked rows) may round differently
        assert_allclose(r["pH"].magnitude, one["pH"].magnitude, rtol=0, atol=1e-12)


def test_compiled_integrator_reports_a_failing_reactor_and_finishes_the_others(prepared):
    # reactor 0 must reach 30 days (measured: 425 steps), reactor 1 only 1 hour (59 steps); a budget of 150
    # steps stops reactor 0 alone
    _, p = prepared
    t_out = [np.array([86400.0, 30 * 86400.0]), np.array([3600.0])]
    res = integrate_network(p.net, p.cond, p.reactors, p.r0.x, p.r0.active, t_out, p.reactors.m0.copy(), max_steps=150)
    assert [f.reactor for f in res.failures] == [0]
    f = res.failures[0]
    assert f.reason == "more than 150 steps" and 0.0 < f.time < 30 * 86400.0
    assert list(res.status) == [1, 0]
    assert len(res.outputs[1]) == 1 and res.steps[1] < 150  # the other reactor reached its output time


def test_thread_pool_is_renewed_in_a_forked_child(monkeypatch):
    # a ThreadPoolExecutor inherited through fork() has no threads; the kernels' pool is per process
    import multiprocessing as mp

    monkeypatch.setenv("CCUS_THREADS", "2")  # two threads even on a one-CPU machine

    from ccus.kinetics import kernels

    calls = []

    def f(rows, out):
        calls.append(len(rows))
        out[:] = rows

    rows = np.arange(64.0)
    out = np.zeros(64)
    kernels._threaded(f, 64, (rows, out), row_args=(0,), out_args=(-1,))  # creates the pool in this process
    assert sorted(calls) == [32, 32] and (out == rows).all()  # two chunks of 32 rows
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    p = ctx.Process(target=_child_threaded, args=(q,))
    p.start()
    p.join(60)
    assert p.exitcode == 0 and q.get(timeout=5) == 64.0  # the child finished (no hang on a dead pool)


def _child_threaded(q):
    from ccus.kinetics import kernels

    rows = np.arange(64.0)
    out = np.zeros(64)
    kernels._threaded(lambda r, o: o.__setitem__(slice(None), r + 1), 64, (rows, out), row_args=(0,), out_args=(-1,))
    q.put(float(out.max()))


def test_least_squares_fallback_returns_nan_instead_of_raising_on_a_non_finite_matrix():
    # numba's lstsq raised LinAlgError on a NaN/inf matrix, which aborted every cell of a native
    # transport step (CarbFix2 cells at rtol 3e-4); a NaN answer makes the integrator reject the step.
    from ccus.kinetics.kernels import lstsq_into

    out = np.zeros(2)
    lstsq_into(np.array([[1.0, np.nan], [0.0, 1.0]]), np.array([1.0, 2.0]), out)
    assert np.isnan(out).all()
    lstsq_into(np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([1.0, np.inf]), out)
    assert np.isnan(out).all()
    # a finite, singular system still gets the minimum-norm least-squares answer
    lstsq_into(np.array([[1.0, 1.0], [1.0, 1.0]]), np.array([2.0, 2.0]), out)
    assert_allclose(out, [1.0, 1.0], rtol=1e-12)


def test_species_pruning_keeps_the_answer(prepared, states):
    # the compiled integrator leaves out the species below 1e-16 of every balance they enter; together they move
    # a balance by < ~1e-12 relative, under the Newton tolerance (1e-11), so the steps and numbers stay
    _, p = prepared
    full = integrate_network(p.net, p.cond, p.reactors, p.r0.x, p.r0.active, p.t_out, p.reactors.m0.copy(), rtol=1e-6,
                             atol=1e-10, prune=False)
    assert list(full.steps) == list(states.steps)
    for a, b in zip(states.outputs[0], full.outputs[0], strict=True):
        assert_allclose(a["y"], b["y"], rtol=1e-9, atol=1e-15)  # measured: 2e-12 relative (416 steps each)
        assert_allclose(a["x"][: p.net.cs.nc + 5], b["x"][: p.net.cs.nc + 5], rtol=0, atol=1e-9)  # log units; measured 2e-13


def test_prune_chooses_negligible_species_and_sees_one_grow(prepared, states):
    from ccus.kinetics import kernels as K

    _, p = prepared
    cs = p.net.cs
    pk = K.pack(cs)
    D, z, q, o, dh, ion, sl, sb, co2, co2c, PX, pq, po, nzp, nzc, nzv = pk
    lgk, _, _, adh, bdh, bdot, tk = (v[0] for v in p.net.kernel_pack(p.cond, p.reactors)["cond"][:7])
    x = states.outputs[0][-1]["x"]
    ns, nc = D.shape[0], cs.nc
    every = np.ones(ns, np.bool_)
    m, dl = np.empty(ns), np.empty(ns)
    K._species(x, lgk, adh, bdh, bdot, tk, D, nzp, nzc, nzv, z, dh, ion, sl, sb, co2, co2c, m, dl, every)
    live = np.ones(ns, np.bool_)
    grown = K._prune(x, lgk, adh, bdh, bdot, tk, D, nzp, nzc, nzv, z, q, o, dh, ion, sl, sb, co2, co2c, m, every, live,
                     True)
    assert not grown and 0 < live.sum() < ns  # some species are left out (measured: 55 of 105 kept)
    scale = np.abs(D[:, :nc]).T @ m  # sum of |nu| m per component
    part = np.abs(D[:, :nc]) * m[:, None] / np.where(scale > 0, scale, np.inf)[None, :]
    assert (part[~live] < K.PRUNE_SHARE).all()  # a left-out species is negligible in every component total
    # a species that matters, left out, is seen at once (the equilibrium is then solved with every species)
    big = int(np.argmax(m))
    less = live.copy()
    less[big] = False
    assert K._prune(x, lgk, adh, bdh, bdot, tk, D, nzp, nzc, nzv, z, q, o, dh, ion, sl, sb, co2, co2c, m, less, live,
                    False)


def test_threads_take_chunks_as_they_free_up(monkeypatch):
    from ccus.kinetics import kernels

    monkeypatch.setenv("CCUS_THREADS", "2")
    calls = []

    def f(rows, out):
        calls.append(len(rows))
        out[:] = rows * 2

    rows = np.arange(70.0)
    out = np.zeros(70)
    kernels._threaded(f, 70, (rows, out), row_args=(0,), out_args=(-1,), chunk=4)
    assert sorted(calls) == [2] + [4] * 17 and (out == rows * 2).all()
