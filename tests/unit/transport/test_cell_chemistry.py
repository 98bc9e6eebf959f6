"""Cell chemistry of the native transport: identical cells integrated once, per-cell starting
steps, continuation for the equilibrium after transport."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from ccus.config.experiment import load_experiment
from ccus.kinetics import closed_system as csm
from ccus.transport import coupling
from ccus.transport.coupling import CellChemistry

from .test_native_transport import _write

DT = 86400.0  # one day per reaction call [s]


@pytest.fixture(scope="module")
def exp(tmp_path_factory):
    p = _write(tmp_path_factory.mktemp("cc"), "cc", "linear",
               'length = "50 m"\ncells = 5\nvelocity = "1 m/d"\ndispersivity = "5 m"\nmonitoring = { far = "50 m" }')
    return load_experiment(p)


def _inlet(chem, exp):
    return chem.inlet_content(exp.injection.phases[0].moles_per_kg_water())


def test_identical_cells_are_integrated_once_and_exactly(exp):
    four = CellChemistry(exp, 4, 1e-4, 1e-8)
    u = four.dissolved()
    u[0] = _inlet(four, exp)
    four.set_dissolved(u)
    four.react(DT, 0.0)
    amb = CellChemistry(exp, 1, 1e-4, 1e-8)
    amb.react(DT, 0.0)
    inl = CellChemistry(exp, 1, 1e-4, 1e-8)
    inl.set_dissolved(_inlet(inl, exp)[None, :])
    inl.react(DT, 0.0)
    # cells 1-3 are copies of one integration
    assert_array_equal(four.u[1:], np.repeat(four.u[1:2], 3, axis=0))
    # the same deterministic integration of the same state as a batch of one; only the budget's
    # matrix products (BLAS, batch-size dependent summation order) round differently: 1e-14 relative,
    # and 1e-18 mol/kg absolute for trace contents (Al ~2e-8 mol/kg), whose rounding follows the sums
    # they come from (water ~57 mol/kg of O: 1e-18 is ~1e-20 of that)
    for k in (1, 2, 3):
        assert_allclose(four.u[k], amb.u[0], rtol=1e-14, atol=1e-18)
        assert_allclose(four.m[k], amb.m[0], rtol=1e-14, atol=1e-18)
    assert_allclose(four.u[0], inl.u[0], rtol=1e-14, atol=1e-18)
    # the three ambient cells cost one integration
    assert four.steps == amb.steps + inl.steps


def test_starting_step_carried_between_calls(exp, monkeypatch):
    if coupling._compiled_integrator() is None:
        pytest.skip("the starting step is carried by the compiled integrator only")
    runs = {}
    for carry in (False, True):
        monkeypatch.setattr(coupling, "START_FROM_LAST_STEP", carry)
        chem = CellChemistry(exp, 2, 1e-4, 1e-8)
        chem.set_dissolved(np.repeat(_inlet(chem, exp)[None, :], 2, axis=0))
        chem.react(np.array([DT, 0.5 * DT]), 0.0)  # two starting steps: two groups later
        steps0 = chem.steps
        for i in range(1, 5):
            chem.react(np.array([DT, 0.5 * DT]), i * DT)
        runs[carry] = (chem.steps - steps0, chem.u.copy(), chem.m.copy())
    assert runs[True][0] < runs[False][0]
    # both are error-controlled solutions at rtol 1e-4 over 5 calls; the start only changes the
    # step sequence, so they agree to a few rtol (atol 1e-8 mol/kg for near-zero contents)
    assert_allclose(runs[True][1], runs[False][1], rtol=1e-3, atol=1e-8)
    assert_allclose(runs[True][2], runs[False][2], rtol=1e-3, atol=1e-8)


def test_continuation_solves_the_same_equilibrium(exp):
    chem = CellChemistry(exp, 1, 1e-4, 1e-8)
    chem.react(DT, 0.0)
    chem.set_dissolved(_inlet(chem, exp)[None, :])
    rows = np.array([0])
    cond = chem.cond.take(rows)
    b = chem._budget(chem.u, chem.phase_amounts())
    direct = csm.solve_closed(chem.cs, cond, b, chem.x, chem.active, max_iterations=200)
    assert direct.converged.all()
    r = csm.solve_closed(chem.cs, cond, b, chem.x, chem.active, max_iterations=200)
    r.converged[:] = False
    r.x[:] = np.nan
    chem._continuation(cond, rows, np.array([0]), r)
    assert r.converged.all()
    # the same equations solved to the Newton tolerance (1e-11 in the residual) from another start
    assert_allclose(r.x, direct.x, rtol=0, atol=1e-8)


def test_numpy_fallback_reacts_like_the_compiled_path(exp, monkeypatch):
    # without numba the cells are integrated by reactor.integrate with reactor.network_evaluator:
    # the same equations and step control, different arithmetic order -> the integrator's
    # tolerance (rtol 1e-4 here), not rounding
    if coupling._compiled_integrator() is None:
        pytest.skip("no compiled integrator to compare with")
    runs = {}
    for compiled in (True, False):
        if not compiled:
            monkeypatch.setattr(coupling, "_compiled_integrator", lambda: None)
        chem = CellChemistry(exp, 2, 1e-4, 1e-8)
        u = chem.dissolved()
        u[0] = _inlet(chem, exp)
        chem.set_dissolved(u)
        chem.react(DT, 0.0)
        runs[compiled] = (chem.u.copy(), chem.m.copy())
    assert_allclose(runs[False][0], runs[True][0], rtol=1e-3, atol=1e-12)
    assert_allclose(runs[False][1], runs[True][1], rtol=1e-3, atol=1e-12)


def test_cells_split_over_threads_react_as_in_one_call(exp, monkeypatch):
    # 40 cells in 40 states (inlet water mixed into the formation water in steps): with 2 threads
    # they go in cost-balanced chunks over a thread pool, with 1 in one call; each cell's
    # integration is its own (deterministic) loop, so only the budget's matrix products round
    # differently (batch-size dependent summation order): 1e-14 relative, 1e-18 mol/kg absolute
    if coupling._compiled_integrator() is None:
        pytest.skip("threads are used by the compiled integrator only")
    runs = {}
    for nt in (1, 2):
        monkeypatch.setattr(coupling, "_threads", lambda nt=nt: nt)
        chem = CellChemistry(exp, 40, 1e-4, 1e-8)
        f = np.linspace(0.0, 1.0, 40)[:, None]
        chem.set_dissolved((1 - f) * chem.dissolved() + f * _inlet(chem, exp)[None, :])
        for i in range(2):  # the second call has per-cell costs and starting steps from the first
            chem.react(DT, i * DT)
        runs[nt] = (chem.u.copy(), chem.m.copy(), chem.steps)
    assert runs[1][2] == runs[2][2]
    assert_allclose(runs[2][0], runs[1][0], rtol=1e-14, atol=1e-18)
    assert_allclose(runs[2][1], runs[1][1], rtol=1e-14, atol=1e-18)


def test_balanced_chunks_cover_every_row_once_and_balance_cost():
    k = np.arange(100, 170)
    cost = np.r_[np.full(10, 50.0), np.ones(60)]  # the plume cells cost most (first ten rows)
    chunks = coupling._balanced_chunks(k, cost, 2)
    assert sorted(np.concatenate(chunks).tolist()) == k.tolist()
    assert max(len(c) for c in chunks) <= coupling._serial_rows()
    loads = [cost[c - 100].sum() for c in chunks]
    # greedy largest-first: every chunk within one row's largest cost of the others
    assert max(loads) - min(loads) <= cost.max()
    assert len(coupling._balanced_chunks(k[:3], cost[:3], 2)) == 1  # small groups stay whole
