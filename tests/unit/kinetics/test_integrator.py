"""The batched Rosenbrock integrator on problems with known solutions."""

from __future__ import annotations

import numpy as np
from numpy.testing import assert_allclose

from ccus.kinetics.reactor import Evaluation, integrate


def _linear_problem(k: np.ndarray, c: np.ndarray, fail_after: dict | None = None):
    """dy/dt = -k (y - c), one component per reactor; k spans stiff and slow reactors."""
    fail_after = fail_after or {}

    def evaluate(rows, y, aux, want_jac):
        F = -k[rows, None] * (y - c[rows, None])
        ok = np.array([not (r in fail_after and aux["t"][i] > fail_after[r]) for i, r in enumerate(rows)])
        why = ["test failure" if not o else "" for o in ok]
        J = -k[rows, None, None] * np.ones((len(rows), 1, 1)) if want_jac else None
        return Evaluation(F=F, aux={"t": aux["t"]}, ok=ok, why=why, J=J)

    return evaluate


def test_stiff_linear_decay_many_reactors():
    k = np.array([1e-6, 1e-3, 1.0, 1e4])  # [1/s], time scales 1e6 s ... 1e-4 s
    c = np.array([1.0, 2.0, 3.0, 4.0])
    t_out = [np.linspace(100.0, 1000.0, 10)] * 4
    res = integrate(_linear_problem(k, c), lambda rows, y, aux: [float(v) for v in y[:, 0]],
                    np.zeros((4, 1)), {"t": np.zeros(4)}, t_out, upper=np.full((4, 1), np.inf), rtol=1e-6, atol=1e-10)
    assert not res.failures
    for i in range(4):
        exact = c[i] * (1 - np.exp(-k[i] * t_out[i]))
        # order-2 method with local error control at rtol 1e-6: global error stays well below 1e-4 relative
        assert_allclose(res.outputs[i], exact, rtol=1e-4, atol=1e-9)


def test_upper_bound_is_respected():
    # y would go to 3 but is bounded at 1 (a mineral cannot dissolve more than it holds)
    k, c = np.array([1.0]), np.array([3.0])
    res = integrate(_linear_problem(k, c), lambda rows, y, aux: [float(y[0, 0])], np.zeros((1, 1)), {"t": np.zeros(1)},
                    [np.array([10.0, 20.0])], upper=np.ones((1, 1)))
    assert not res.failures
    assert res.outputs[0] == [1.0, 1.0]


def test_failing_reactor_is_reported_and_others_finish():
    k = np.array([1e-3, 1e-3, 1e-3])
    c = np.ones(3)
    state = {"t": np.zeros(3)}

    def evaluate(rows, y, aux, want_jac):
        # reactor 1 fails once its state passes 0.05 (stands for a speciation failure)
        F = -k[rows, None] * (y - c[rows, None])
        ok = ~((rows == 1) & (y[:, 0] > 0.05))
        why = ["speciation failed" if not o else "" for o in ok]
        J = -k[rows, None, None] * np.ones((len(rows), 1, 1)) if want_jac else None
        return Evaluation(F=F, aux=state.copy(), ok=ok, why=why, J=J)

    res = integrate(evaluate, lambda rows, y, aux: [float(v) for v in y[:, 0]], np.zeros((3, 1)), state,
                    [np.linspace(10, 1000, 5)] * 3, upper=np.full((3, 1), np.inf))
    assert [f.reactor for f in res.failures] == [1]
    f = res.failures[0]
    assert f.reason == "speciation failed" and 40.0 < f.time < 60.0  # y = 0.05 is reached at t ~ 51 s
    assert len(res.outputs[0]) == len(res.outputs[2]) == 5
    assert_allclose(res.outputs[0][-1], 1 - np.exp(-1.0), rtol=1e-4)  # the others are unaffected
