"""Stiff, adaptive, linearly implicit integrator for N batch reactors at once.

Method: the Rosenbrock pair of Shampine & Reichelt (1997, SIAM J. Sci. Comput.
18:1; MATLAB's ``ode23s``): L-stable, order 2 with an order-3 error estimate,
three rate evaluations and one Jacobian per step, no Newton iteration on the
rates. Every reactor has its own time and step size; one call of the problem
evaluates all reactors that are still running (batched equilibrium and rates),
so N reactors cost about as many Python-level operations as one.

Per reactor and step (d = 1 / (2 + sqrt 2), e32 = 6 + sqrt 2, W = I - h d J)::

    k1 = W^-1 F(y)
    k2 = W^-1 (F(y + h k1 / 2) - k1) + k1
    y+ = y + h k2
    k3 = W^-1 (F(y+) - e32 (k2 - F(y + h k1 / 2)) - 2 (k1 - F(y)))
    err = h / 6 (k1 - 2 k2 + k3)

accepted when max_j |err_j| / (atol + rtol min(max(|y_j|, |y+_j|), upper_j - min(y_j, y+_j))) <= 1
(error relative to the amount reacted or, when smaller, to the amount left of a mineral); the next
step is h * clip(0.8 err^(-1/3), 0.2, 5). Steps are cut to land on the output
times. ``y`` is bounded above (``y <= upper``: a mineral cannot dissolve more than
it holds): a step past the bound is clipped to it, a component at its bound has no
further increase (dy/dt > 0 is set to 0 there, as PHREEQC's rates stop once M <= 0), and
its error estimate is not used (its value is exact).

A reactor whose evaluation fails (equilibrium not converged, non-finite rates)
has its step cut by 4; after ``max_failures`` failures in a row, or a step below
``h_min``, it stops, and :class:`Failure` records which reactor, when and why,
while the others go on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

D = 1.0 / (2.0 + np.sqrt(2.0))
E32 = 6.0 + np.sqrt(2.0)
#: a component within NEAR_BOUND tolerances of its bound at both ends of a step is left out of the
#: error norm (a mineral at the point of running out: its amount is known to 10 atol, 1e-9 mol)
NEAR_BOUND = 10.0


@dataclass
class Failure:
    reactor: int
    time: float  # [s]
    reason: str


@dataclass
class Evaluation:
    """What a problem returns for the reactors ``rows``: rates and the carried equilibrium state."""

    F: np.ndarray  # (k, nk) dy/dt
    aux: dict  # arrays (k, ...) carried to the next evaluation (warm start)
    ok: np.ndarray  # (k,) bool
    why: list  # reason per row where not ok
    J: np.ndarray | None = None  # (k, nk, nk)
    log_omega: np.ndarray | None = None  # (k, nk) log10 saturation ratio of each kinetic mineral (events)


@dataclass
class IntegrationResult:
    outputs: list  # per reactor: list of records (one per output time reached)
    failures: list[Failure]
    steps: np.ndarray  # accepted steps per reactor
    rejected: np.ndarray
    evaluations: int  # batched evaluations
    status: np.ndarray = field(default_factory=lambda: np.zeros(0, int))  # 0 done, 1 failed


def integrate(
    evaluate: Callable[[np.ndarray, np.ndarray, dict, bool], Evaluation],
    record: Callable[[np.ndarray, np.ndarray, dict], list],
    y0: np.ndarray,
    aux0: dict,
    t_out: list[np.ndarray],
    upper: np.ndarray,
    rtol: float | np.ndarray = 1e-6,
    atol: float | np.ndarray = 1e-10,
    h0: float | None = None,
    h_min: float = 1e-14,
    max_steps: int = 200000,
    max_failures: int = 25,
    progress: Callable[[np.ndarray], None] | None = None,
    trace: list | None = None,
    events: bool = False,
) -> IntegrationResult:
    """Integrate dy/dt = F(y) for N reactors from t = 0 to their output times.

    Parameters
    ----------
    evaluate
        ``evaluate(rows, y, aux_rows, want_jac) -> Evaluation`` for the reactors ``rows``.
    record
        ``record(rows, y, aux_rows) -> list`` of one output record per row.
    y0, aux0
        Initial state (N, nk) and carried arrays (dict of arrays with first axis N).
    t_out
        Output times [s] of each reactor (increasing, > 0).
    upper
        (N, nk) upper bounds of y.
    rtol, atol
        Error tolerances (rtol [-], atol [units of y]; scalars or (nk,), one per component).
    trace
        If a list, (reactor, t, h, error ratio, component with the largest error, accepted)
        is appended for every attempted step (diagnostics).
    events
        Land steps on the saturation crossings where a kinetic mineral's rate switches on or off
        (:data:`ccus.kinetics.kernels.EVENT_LATE`); needs ``Evaluation.log_omega``.
    """
    N, nk = y0.shape
    y = y0.astype(float).copy()
    aux = {k: np.array(v, copy=True) for k, v in aux0.items()}
    atol = np.broadcast_to(np.asarray(atol, float), (nk,))
    rtol = np.broadcast_to(np.asarray(rtol, float), (nk,))
    t = np.zeros(N)
    nxt = np.zeros(N, int)
    status = np.full(N, -1)  # -1 running, 0 done, 1 failed
    outputs: list[list] = [[] for _ in range(N)]
    failures: list[Failure] = []
    steps = np.zeros(N, int)
    rejected = np.zeros(N, int)
    fails = np.zeros(N, int)
    t_end = np.array([tt[-1] for tt in t_out])
    n_eval = 0

    rows = np.arange(N)
    ev = evaluate(rows, y, aux, True)
    n_eval += 1
    F = np.zeros((N, nk))
    Jac = np.zeros((N, nk, nk))
    for k in ev.aux:
        aux[k][rows] = ev.aux[k]
    bad = ~ev.ok
    for i in np.flatnonzero(bad):
        status[i] = 1
        failures.append(Failure(int(i), 0.0, f"time zero: {ev.why[i]}"))
    F[rows] = ev.F
    Jac[rows] = ev.J
    events = events and ev.log_omega is not None
    if events:  # one definition for both integrators (the compiled one takes the same steps)
        from ccus.kinetics.kernels import EVENT_EARLY, EVENT_LATE, EVENT_PAST
    lom = np.zeros((N, nk))  # log10 Omega at the accepted state (events)
    if events:
        lom[rows] = ev.log_omega
    scale0 = atol[None, :] + rtol[None, :] * np.abs(y)
    with np.errstate(divide="ignore"):
        h_est = 0.01 * np.min(np.where(np.abs(F) > 0, scale0 / np.abs(F), np.inf), axis=1)
    first = np.array([tt[0] for tt in t_out])
    h = np.minimum(np.where(np.isfinite(h_est), h_est, first), first) if h0 is None else np.full(N, h0)
    h = np.maximum(h, h_min * 10)

    while True:
        run = np.flatnonzero(status < 0)
        if run.size == 0:
            break
        if progress is not None:
            progress(t / t_end)
        # step sizes cut to the next output time
        t_next = np.array([t_out[i][nxt[i]] for i in run])
        hr = h[run]
        hit = t[run] + hr >= t_next * (1 - 1e-12)
        hs = np.where(hit, t_next - t[run], hr)
        yr, Fr, Jr = y[run], F[run], Jac[run]
        aux_r = {k: v[run] for k, v in aux.items()}
        Wm = np.eye(nk)[None] - (hs * D)[:, None, None] * Jr
        ok = np.isfinite(Wm).all(axis=(1, 2))
        Wm[~ok] = np.eye(nk)
        k1 = _solve(Wm, Fr)
        y1 = np.minimum(yr + 0.5 * hs[:, None] * k1, upper[run])
        e1 = evaluate(run, y1, aux_r, False)
        n_eval += 1
        F1 = np.where(e1.ok[:, None] & ~((y1 >= upper[run]) & (e1.F > 0)), e1.F, 0.0)
        k2 = _solve(Wm, F1 - k1) + k1
        ynew_raw = yr + hs[:, None] * k2
        ynew = np.minimum(ynew_raw, upper[run])
        # error relative to the amount reacted (y) or to the amount left (upper - y), whichever is smaller: a
        # mineral near exhaustion (CarbFix2: 11 mol of glass, ~1e-6 mol left) is then followed to rtol of what
        # is left, not of 11 mol (1.1e-5 mol, which swallowed the remainder)
        tol_new = atol[None, :] + rtol[None, :] * np.minimum(np.maximum(np.abs(yr), np.abs(ynew_raw)),
                                                    upper[run] - np.minimum(yr, ynew))
        aux1 = {k: np.where(_bcast(e1.ok, v), v, aux_r[k]) for k, v in e1.aux.items()}
        e2 = evaluate(run, ynew, aux1, True)
        n_eval += 1
        F2 = np.where(e2.ok[:, None] & ~((ynew >= upper[run]) & (e2.F > 0)), e2.F, 0.0)
        k3 = _solve(Wm, F2 - E32 * (k2 - F1) - 2.0 * (k1 - Fr))
        err = hs[:, None] / 6.0 * (k1 - 2.0 * k2 + k3)
        # a mineral that ran out within the step (clipped at its bound) has an exact value there; its
        # rate is discontinuous (PHREEQC: no dissolution once M <= 0), so its error estimate is void
        err = np.where(ynew_raw >= upper[run], 0.0, err)
        # a component that stays within 10 tolerances of the bound over the step (a mineral that is
        # absent, flickering between a trace of precipitate and none) is known to that accuracy
        near = (upper[run] - yr <= NEAR_BOUND * tol_new) & (upper[run] - ynew <= NEAR_BOUND * tol_new)
        err = np.where(near, 0.0, err)
        ratio = np.max(np.abs(err) / tol_new, axis=1)
        good = ok & e1.ok & e2.ok & np.isfinite(ratio)
        accept = good & (ratio <= 1.0)
        cut = np.zeros(len(run), bool)
        if events:
            la, lb = lom[run], e2.log_omega
            switched = ((Fr == 0.0) != (F2 == 0.0)) & ((la < 0.0) != (lb < 0.0))
            with np.errstate(divide="ignore", invalid="ignore"):
                theta = np.where(switched, la / np.where(switched, la - lb, 1.0), 1.0).min(axis=1)
            cut = (accept & (theta >= EVENT_EARLY) & (theta < EVENT_LATE)
                   & (theta * hs > h_min * np.maximum(t[run], 1.0) * 10.0))
            accept &= ~cut
        if trace is not None:
            worst = np.argmax(np.abs(err) / tol_new, axis=1)
            trace.extend(zip(run.tolist(), t[run].tolist(), hs.tolist(), ratio.tolist(), worst.tolist(), accept.tolist(),
                             strict=True))
        # step size control
        fac = np.clip(0.8 * np.maximum(ratio, 1e-10) ** (-1.0 / 3.0), 0.2, 5.0)
        # a step cut short to land on an output time (hs < hr) and accepted resumes with the step size that
        # was due (hr) or more: growing hr by the error of the short step overshot (a rejected step after
        # nearly every output time, ~8 % of the steps)
        grown = np.where(hit & (hs < hr), np.maximum(hr, hs * fac), np.maximum(hr, hs) * fac)
        h_new = np.where(accept, grown, hs * np.minimum(fac, 0.5))
        h_new = np.where(good, h_new, hs * 0.25)
        if events:
            h_new = np.where(cut, theta * hs * EVENT_PAST, h_new)
        h[run] = h_new
        # failures
        fails[run] = np.where(good, 0, fails[run] + 1)
        rejected[run] += ~accept
        for loc in np.flatnonzero(~accept):
            i = run[loc]
            if fails[i] >= max_failures or h[i] < h_min * max(t[i], 1.0):
                why = e1.why[loc] if not e1.ok[loc] else (e2.why[loc] if not e2.ok[loc] else "step size underflow")
                status[i] = 1
                failures.append(Failure(int(i), float(t[i]), why))
        acc = run[accept]
        if acc.size:
            la = np.flatnonzero(accept)
            t[acc] += hs[la]
            y[acc] = ynew[la]
            F[acc] = F2[la]
            Jac[acc] = e2.J[la]
            if events:
                lom[acc] = e2.log_omega[la]
            for k in aux:
                aux[k][acc] = e2.aux[k][la]
            steps[acc] += 1
            # a mineral within 10 tolerances of running out and still dissolving is finished at once
            # (the tolerance is relative to the amount left there: at most ~10 atol of it, 1e-9 mol): otherwise
            # its rate's switch-off at M = 0 limits the steps of the other minerals, which approach that kink
            # geometrically without crossing it
            tol_acc = atol[None, :] + rtol[None, :] * np.minimum(np.abs(y[acc]), upper[acc] - y[acc])
            snap = (upper[acc] - y[acc] <= NEAR_BOUND * tol_acc) & (upper[acc] > y[acc]) & (F[acc] > 0)
            srow = snap.any(axis=1)
            if srow.any():
                rs = acc[srow]
                y[rs] = np.where(snap[srow], upper[rs], y[rs])
                es = evaluate(rs, y[rs], {k: v[rs] for k, v in aux.items()}, True)
                n_eval += 1
                okr = rs[es.ok]
                F[okr] = es.F[es.ok]
                Jac[okr] = es.J[es.ok]
                if events:
                    lom[okr] = es.log_omega[es.ok]
                for k in aux:
                    aux[k][okr] = es.aux[k][es.ok]
            landed = hit[la]
            if landed.any():
                rows_l = acc[landed]
                t[rows_l] = np.array([t_out[i][nxt[i]] for i in rows_l])
                recs = record(rows_l, y[rows_l], {k: v[rows_l] for k, v in aux.items()})
                for i, rec in zip(rows_l, recs, strict=True):
                    outputs[i].append(rec)
                    nxt[i] += 1
                    if nxt[i] >= len(t_out[i]):
                        status[i] = 0
            over_budget = acc[steps[acc] >= max_steps]
            for i in over_budget:
                if status[i] < 0:
                    status[i] = 1
                    failures.append(Failure(int(i), float(t[i]), f"more than {max_steps} steps"))
    return IntegrationResult(outputs=outputs, failures=failures, steps=steps, rejected=rejected, evaluations=n_eval,
                             status=status)


def _solve(W: np.ndarray, b: np.ndarray) -> np.ndarray:
    try:
        return np.linalg.solve(W, b[:, :, None])[:, :, 0]
    except np.linalg.LinAlgError:
        return np.stack([np.linalg.lstsq(W[k], b[k], rcond=None)[0] for k in range(len(b))])


def _bcast(ok: np.ndarray, v: np.ndarray) -> np.ndarray:
    return ok.reshape((-1,) + (1,) * (v.ndim - 1))


def network_evaluator(net, cond, reactors, b0) -> Callable:
    """The ``evaluate(rows, y, aux, want_jac)`` of :func:`integrate` for a :class:`~ccus.kinetics.network.Network`
    on the numpy path (the compiled path is :func:`integrate_network`).

    ``aux`` holds the last equilibrium (``x``, ``active``), the ``y`` it was solved at and
    ``dxdy`` (d x / d xi from the last Jacobian). Each call re-solves the equilibrium from a
    first-order predictor, retrying non-converged rows from the last state without it, then
    evaluates the rates (and their Jacobian when asked). A row whose equilibrium fails or
    whose rate is not finite is ``ok = False`` with the reason.
    """
    nc, nk = net.cs.nc, net.nk

    def evaluate(rows, y, aux, want_jac):
        c = cond.take(rows)
        # first-order predictor from the sensitivities d x / d xi of the last Jacobian
        x0 = aux["x"] + np.einsum("nij,nj->ni", aux["dxdy"], y - aux["y"])
        x0[:, nc + 5:] = np.maximum(x0[:, nc + 5:], 0.0)
        res = net.equilibrate(c, b0.take(rows), y, x0, aux["active"])
        if not res.converged.all():  # retry from the last converged state without the predictor
            bad = np.flatnonzero(~res.converged)
            res2 = net.equilibrate(c.take(bad), b0.take(rows[bad]), y[bad], aux["x"][bad], aux["active"][bad])
            for f in ("x", "active", "converged", "residual"):
                getattr(res, f)[bad] = getattr(res2, f)
        F = np.zeros((len(rows), nk))
        lom = np.zeros((len(rows), nk))
        ok = res.converged.copy()
        if ok.any():
            k = np.flatnonzero(ok)
            with np.errstate(all="ignore"):
                F[k] = net.rates_at(c.take(k), reactors, rows[k], res.x[k], y[k])
                lom[k] = net.log_omega_at(c.take(k), res.x[k])
            ok &= np.isfinite(F).all(axis=1)
        J = np.zeros((len(rows), nk, nk)) if want_jac else None
        dxdy = aux["dxdy"].copy()
        if want_jac and ok.any():
            k = np.flatnonzero(ok)
            with np.errstate(all="ignore"):
                J[k], dxdy[k] = net.rate_jacobian(c.take(k), reactors, rows[k], res.x[k], y[k], res.active[k], F[k])
        why = ["" if ok[j] else (f"equilibrium did not converge (max residual {res.residual[j]:.3g})"
                                 if not res.converged[j] else "non-finite rate") for j in range(len(rows))]
        new_aux = {"x": res.x, "active": res.active, "y": y.copy(), "dxdy": dxdy}
        return Evaluation(F=np.where(ok[:, None], F, 0.0), aux=new_aux, ok=ok, why=why, J=J, log_omega=lom)

    return evaluate


def integrate_network(net, cond, reactors, x0: np.ndarray, active0: np.ndarray, t_out: list[np.ndarray],
                      upper: np.ndarray, rtol: float | np.ndarray = 1e-6, atol: float | np.ndarray = 1e-10,
                      h0: float | None = None,
                      h_min: float = 1e-14, max_steps: int = 200000, max_failures: int = 25,
                      progress: Callable[[np.ndarray], None] | None = None, events: bool = False,
                      prune: bool = True) -> IntegrationResult:
    """:func:`integrate` for a :class:`ccus.kinetics.network.Network`, compiled (same method and step control).

    Each reactor is integrated by its own compiled loop (:func:`ccus.kinetics.kernels.integrate_rows`:
    equilibrium, rates and their analytic Jacobian per stage, no Python per step); many reactors
    are split over threads. ``x0``, ``active0`` (N, n), (N, neq): the time-zero equilibrium of each
    reactor (``y = xi = 0``). Returns the same :class:`IntegrationResult` as :func:`integrate`, with
    records ``{"y", "x", "active"}`` at the output times; ``evaluations`` is the total number of
    per-reactor evaluations (there is no batched evaluation here). ``progress`` receives the
    fraction done per reactor (1 for the reactors finished so far) as groups of reactors finish.
    ``prune``: leave out the species negligible in every balance (:func:`ccus.kinetics.kernels._prune`).
    """
    from ccus.kinetics.kernels import (
        FAIL_EQUILIBRIUM,
        FAIL_RATE,
        FAIL_STEPS,
        FAIL_UNDERFLOW,
        integrate_rows,
    )

    N = len(t_out)
    done = np.zeros(N)

    def chunk_done(k):
        done[:k] = 1.0
        if progress is not None:
            progress(done)

    out_y, out_x, out_act, info = integrate_rows(net, cond, reactors, t_out, upper, x0, active0, rtol, atol, h0=h0,
                                                 h_min=h_min, max_steps=max_steps, max_failures=max_failures,
                                                 chunk_done=chunk_done, events=events, prune=prune)
    outputs, failures = [], []
    for i in range(N):
        reached = int(info[i, 7])
        outputs.append([{"y": out_y[i, k], "x": out_x[i, k], "active": out_act[i, k]} for k in range(reached)])
        if info[i, 0] == 1.0:
            code, t_fail, res = int(info[i, 1]), float(info[i, 2]), info[i, 3]
            why = {FAIL_EQUILIBRIUM: f"equilibrium did not converge (max residual {res:.3g})",
                   FAIL_RATE: "non-finite rate", FAIL_UNDERFLOW: "step size underflow",
                   FAIL_STEPS: f"more than {max_steps} steps"}[code]
            if reached == 0 and t_fail == 0.0 and info[i, 4] == 0:
                why = f"time zero: {why}"
            failures.append(Failure(i, t_fail, why))
    return IntegrationResult(outputs=outputs, failures=failures, steps=info[:, 4].astype(int),
                             rejected=info[:, 5].astype(int), evaluations=int(info[:, 6].sum()),
                             status=info[:, 0].astype(int))
