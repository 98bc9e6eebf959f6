"""Compiled (numba) per-reactor kernels of the closed-system Newton solve.

The equations are exactly those of :func:`ccus.kinetics.closed_system.residual_jacobian`
(residuals, Jacobian) and :func:`ccus.kinetics.closed_system.solve_closed` (damped Newton,
active set of the equilibrium phases, step limits), written as loops over one reactor
so that a Newton iteration costs a few microseconds instead of ~50 numpy calls. Rows
are independent: the kernels release the GIL and the Python wrappers split many rows
over threads (``os.cpu_count()``, or the environment variable ``CCUS_THREADS``).

Everything here takes plain float64 / bool arrays; :func:`pack` gathers the constant
arrays of a :class:`~ccus.kinetics.closed_system.ClosedSystem` once (the species
stoichiometry also as sparse rows: a species involves 1-4 of the ~15 unknowns).

Also here: the rates of :class:`~ccus.kinetics.network.Network` with their analytic
derivatives (:func:`_rates`), one evaluation of a reactor (equilibrium + rates +
d rates / d xi by the implicit-function theorem, :func:`_evaluate_row`) and the whole
Rosenbrock integration of one reactor (:func:`_integrate_row`, the algorithm of
:func:`ccus.kinetics.reactor.integrate`).

The leaf kernels that allocate nothing (``_species``, ``_residual``, ``_jacobian``, the LU helpers, ``_limit``,
``_copy_factors``) are compiled without numba's reference counting (``_nrt=False``): with it, every call
incremented and decremented the count of each of its ~25 array arguments with atomic instructions, which took
a quarter of the integration's CPU time (perf, 2026-12-06); the arithmetic is unchanged (bit-identical results).

The kernels are compiled on first use (~1-5 min, once) and cached on disk
(``cache=True``, in ``__pycache__``). They are kept in this one file on purpose: numba
invalidates a cached function when *its own* file changes, not when a function it calls
from another file does, so splitting them would leave stale compiled code after an edit.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from numba import njit

LN10 = float(np.log(10.0))
AH2O = 0.017
MOL_WATER_PER_KG = 1000.0 / 18.0153
ZERO_TOTAL = 1e-30
#: a Newton step with reused Jacobian factors must cut the residual at least this much, else they are refreshed
CHORD_RATE = 0.1
#: "no factors" for the chord iterations of _newton_row
NO_LU = np.zeros((0, 0))
NO_PIV = np.full(1, -1, np.int64)
NO_ACT = np.zeros(0, np.bool_)
#: species pruning (:func:`_prune`; compiled batch integration): a species whose part in every balance it enters is
#: below PRUNE_SHARE of that balance's scale is left out of the next evaluations of its reactor; an evaluation
#: whose left-out species have grown to PRUNE_RECHECK of a balance is solved again with every species. The
#: left-out species (~50 at CarbFix1 states) then change each balance by less than ~50 x PRUNE_RECHECK
#: (relative), far below the Newton tolerance (1e-11)
PRUNE_SHARE = 1e-16
PRUNE_RECHECK = 1e-14
#: rows per thread at least (below: one thread); threads: os.cpu_count() or CCUS_THREADS
PARALLEL_ROWS = 16
#: reactors per work item of the threads in integrate_rows (taken one after another by whichever thread is free)
INTEGRATE_CHUNK = 4


def pack(cs) -> tuple:
    """Constant arrays of a ClosedSystem for the kernels (cached on the instance)."""
    p = getattr(cs, "_kernel_pack", None)
    if p is not None:
        return p
    a = cs.system.arrays()
    nc = cs.nc
    ns = cs.S.shape[0]
    D = np.zeros((ns, nc + 4))  # d la_s / d (la_k, la_h, la_e, ln I (gamma part added per row), la_w)
    D[:, :nc] = cs.S
    D[:, nc] = cs.nu_h
    D[:, nc + 1] = cs.nu_e
    D[:, nc + 3] = cs.nu_w
    kind = np.asarray(a["kind"], np.int64)
    z = np.asarray(cs.z, float)
    # gamma kind codes of ccus.thermo.activity: 1 LLNL, 2 CO2 (Drummond), 3 WATEQ
    dh = ((kind == 1) | (kind == 3)) & (z != 0)
    slope_llnl = (dh & (kind == 1)).astype(float)  # multiplies bdot
    slope_b = np.where(dh & (kind == 3), np.asarray(a["wateq_b"], float), 0.0)
    co2 = (kind == 2).astype(np.int64)
    co2c = np.asarray(cs.system.llnl_co2, float)
    if co2c.size != 5:
        co2c = np.zeros(5)
        co2[:] = 0
    neq = cs.neq
    PX = np.zeros((neq, nc + 4))
    if neq:
        PX[:, :nc] = cs.P
        PX[:, nc] = cs.p_nu_h
        PX[:, nc + 1] = cs.p_nu_e
        PX[:, nc + 3] = cs.p_nu_w
    # D row by row without its zeros (CSR): species s has columns nzc[nzp[s]:nzp[s + 1]]
    nzp = np.zeros(ns + 1, np.int64)
    nzc_l, nzv_l = [], []
    for s in range(ns):
        cols = np.flatnonzero(D[s])
        nzc_l.extend(cols.tolist())
        nzv_l.extend(D[s, cols].tolist())
        nzp[s + 1] = len(nzc_l)
    nzc = np.array(nzc_l, np.int64)
    nzv = np.array(nzv_l, float)
    p = (np.ascontiguousarray(D), z.copy(), np.asarray(cs.q, float).copy(), np.asarray(cs.o, float).copy(),
         dh.astype(np.int64), np.asarray(a["ion_size"], float).copy(), slope_llnl, slope_b, co2, co2c,
         np.ascontiguousarray(PX), np.asarray(cs.p_q, float).reshape(neq).copy(),
         np.asarray(cs.p_o, float).reshape(neq).copy(), nzp, nzc, nzv)
    cs._kernel_pack = p
    return p


@njit(cache=True, fastmath=False, _nrt=False)
def _species(x, lgk, adh, bdh, bdot, tk, D, nzp, nzc, nzv, z, dh, ion, sl, sb, co2, co2c, m, dl, live):
    """Molalities m (ns) and d log10 gamma / d ln I (dl) at x, 0 for the species not ``live``; returns (mu, W)."""
    ns = D.shape[0]
    nc4 = D.shape[1]
    nc = nc4 - 4
    mu = np.exp(x[nc + 2])
    mug = max(mu, 1e-10)
    sq = np.sqrt(mug)
    p1 = co2c[0] + co2c[1] * tk + co2c[2] / tk
    p2 = co2c[3] + co2c[4] * tk
    for s in range(ns):
        if not live[s]:
            m[s] = 0.0
            dl[s] = 0.0
            continue
        la = lgk[s]
        for t in range(nzp[s], nzp[s + 1]):
            la += nzv[t] * x[nzc[t]]
        if dh[s] == 1:
            az = adh * z[s] * z[s]
            inv = 1.0 / (1.0 + bdh * sq * ion[s])
            slope = bdot * sl[s] + sb[s]
            lg = slope * mug - az * sq * inv
            dg = slope - 0.5 * az * inv * inv / sq
        elif co2[s] == 1:
            lg = (p1 * mug - p2 * mug / (mug + 1.0)) / LN10
            dg = (p1 - p2 / (mug + 1.0) ** 2) / LN10
        else:
            lg = 0.0
            dg = 0.0
        lm = la - lg
        if lm < -320.0:
            lm = -320.0
        elif lm > 5.0:
            lm = 5.0
        m[s] = np.exp(lm * LN10)
        dl[s] = dg * mu
    return mu, np.exp(x[nc + 4])


@njit(cache=True, _nrt=False)
def _residual(x, lgk, plgk, adh, bdh, bdot, tk, T, Z, Q, O, active, fixed, use_phases,
              D, z, q, o, dh, ion, sl, sb, co2, co2c, PX, pq, po, nzp, nzc, nzv, m, dl, tc, target, R, merr, si, live):
    """Residuals R (n), mass-balance error measure merr (nc), SI of eq phases si (neq) at x (``live`` species)."""
    ns, nc4 = D.shape
    nc = nc4 - 4
    neq = PX.shape[0]
    ih, ie, ii, iw, iW, ix = nc, nc + 1, nc + 2, nc + 3, nc + 4, nc + 5
    mu, W = _species(x, lgk, adh, bdh, bdot, tk, D, nzp, nzc, nzv, z, dh, ion, sl, sb, co2, co2c, m, dl, live)
    for k in range(nc):
        tc[k] = 0.0
    szm = 0.0
    sazm = 0.0
    sqm = 0.0
    saqm = 0.0
    som = 0.0
    sz2m = 0.0
    sm = 0.0
    for s in range(ns):
        if not live[s]:
            continue
        ms = m[s]
        for t in range(nzp[s], nzp[s + 1]):
            k = nzc[t]
            if k < nc:
                tc[k] += ms * nzv[t]
        zm = ms * z[s]
        szm += zm
        sazm += abs(zm)
        qm = ms * q[s]
        sqm += qm
        saqm += abs(qm)
        som += ms * o[s]
        sz2m += zm * z[s]
        sm += ms
    for k in range(nc):
        t = T[k]
        for p in range(neq):
            t -= x[ix + p] * PX[p, k]
        target[k] = t
        tg = max(t, ZERO_TOTAL)
        R[k] = np.log10(max(tc[k], 1e-300) * W) - np.log10(tg)
        merr[k] = min(abs(R[k]), abs(W * tc[k] - t) / max(abs(T[k]), ZERO_TOTAL))
    dz = W * sazm + abs(Z) + 1e-300
    npq = 0.0
    anpq = 0.0
    npo = 0.0
    for p in range(neq):
        npq += x[ix + p] * pq[p]
        anpq += abs(x[ix + p]) * abs(pq[p])
        npo += x[ix + p] * po[p]
    dq = W * saqm + abs(Q) + anpq + 1e-300
    R[ih] = 0.0 if fixed[0] else (W * szm - Z) / dz
    R[ie] = 0.0 if fixed[1] else (W * sqm + npq - Q) / dq
    ic = 0.5 * sz2m
    R[ii] = np.log(max(ic, 1e-300)) - x[ii]
    R[iw] = 10.0 ** x[iw] - 1.0 + AH2O * sm
    o_aq = W * (MOL_WATER_PER_KG + som)
    R[iW] = 0.0 if fixed[2] else (o_aq + npo - O) / O
    for p in range(neq):
        v = -plgk[p]
        for c in range(nc4):
            v += PX[p, c] * x[c]
        si[p] = v
        R[ix + p] = v if active[p] else x[ix + p]
    return W, dz, dq, ic, o_aq, szm, sqm


@njit(cache=True, _nrt=False)
def _jacobian(x, T, Z, Q, O, active, fixed, D, z, q, o, PX, pq, po, nzp, nzc, nzv, m, dl, tc, target, W, dz, dq, ic, o_aq, szm, sqm,
              J, lin):
    """Jacobian (n, n) at x, from the species of the last :func:`_residual` call (m, dl, tc, target)."""
    ns, nc4 = D.shape
    nc = nc4 - 4
    neq = PX.shape[0]
    n = J.shape[0]
    ih, ie, ii, iw, iW, ix = nc, nc + 1, nc + 2, nc + 3, nc + 4, nc + 5
    for r in range(n):
        for c in range(n):
            J[r, c] = 0.0
    # lin rows: 0..nc-1 mass balances (weighted by S_sk), nc charge, nc+1 redox, nc+2 ionic strength,
    # nc+3 water activity, nc+4 oxygen; columns d log10 m_s / d (la, la_h, la_e, ln I, la_w)
    for r in range(nc + 5):
        for c in range(nc4):
            lin[r, c] = 0.0
    for s in range(ns):
        ms = m[s]
        if ms == 0.0:  # a left-out species (or an underflow): no part in any row
            continue
        zs = z[s]
        w_z = ms * zs
        w_q = ms * q[s]
        w_z2 = w_z * zs
        w_o = ms * o[s]
        a0 = nzp[s]
        a1 = nzp[s + 1]
        for t in range(a0, a1 + 1):
            # the structural non-zeros of d log10 m_s / d x, then the ionic-strength column
            if t < a1:
                c = nzc[t]
                dsc = nzv[t]
            else:
                c = ii
                dsc = -dl[s]
                if dsc == 0.0:
                    continue
            for u in range(a0, a1):
                k = nzc[u]
                if k < nc:
                    lin[k, c] += ms * nzv[u] * dsc
            lin[nc, c] += w_z * dsc
            lin[nc + 1, c] += w_q * dsc
            lin[nc + 2, c] += w_z2 * dsc
            lin[nc + 3, c] += ms * dsc
            lin[nc + 4, c] += w_o * dsc
    for k in range(nc):
        inv = 1.0 / max(tc[k], 1e-300)
        for c in range(nc4):
            J[k, c] = lin[k, c] * inv
        J[k, iW] = 1.0 / LN10
        if target[k] > ZERO_TOTAL:
            for p in range(neq):
                J[k, ix + p] = PX[p, k] / (LN10 * target[k])
    for c in range(nc4):
        J[ih, c] = LN10 * W * lin[nc, c] / dz
        J[ie, c] = LN10 * W * lin[nc + 1, c] / dq
        J[ii, c] = LN10 * lin[nc + 2, c] / max(2.0 * ic, 1e-300)
        J[iw, c] = AH2O * LN10 * lin[nc + 3, c]
        J[iW, c] = LN10 * W * lin[nc + 4, c] / O
    J[ih, iW] = W * szm / dz
    J[ie, iW] = W * sqm / dq
    J[ii, ii] -= 1.0
    J[iw, iw] += LN10 * 10.0 ** x[iw]
    J[iW, iW] = o_aq / O
    for p in range(neq):
        J[ie, ix + p] = pq[p] / dq
        J[iW, ix + p] = po[p] / O
    for col in range(3):
        if fixed[col]:
            k = ih if col == 0 else (ie if col == 1 else iW)
            for c in range(n):
                J[k, c] = 0.0
            J[k, k] = 1.0
    for p in range(neq):
        for c in range(n):
            J[ix + p, c] = 0.0
        if active[p]:
            for c in range(nc4):
                if c != ii:
                    J[ix + p, c] = PX[p, c]
        else:
            J[ix + p, ix + p] = 1.0


@njit(cache=True)
def lstsq_into(A, b, out):
    """Least-squares solution of A x = b into ``out``; NaN when A or b is not finite.

    numba's lstsq raises LinAlgError on a non-finite matrix, which would abort every reactor of
    the batch; a NaN answer instead makes the caller reject the step or count the solve as failed.
    """
    finite = True
    for i in range(A.shape[0]):
        if not np.isfinite(b[i]):
            finite = False
        for j in range(A.shape[1]):
            if not np.isfinite(A[i, j]):
                finite = False
    if not finite:
        for i in range(out.shape[0]):
            out[i] = np.nan
        return
    sol = np.linalg.lstsq(A, b)[0]
    for i in range(out.shape[0]):
        out[i] = sol[i]


@njit(cache=True)
def lu_solve(A, b, out):
    """Solve A out = b by Gaussian elimination with partial pivoting (A, b copied); False if singular."""
    n = A.shape[0]
    M = A.copy()
    v = b.copy()
    for k in range(n):
        piv = k
        best = abs(M[k, k])
        for r in range(k + 1, n):
            if abs(M[r, k]) > best:
                best = abs(M[r, k])
                piv = r
        if best == 0.0 or not np.isfinite(best):
            return False
        if piv != k:
            for c in range(n):
                t = M[k, c]
                M[k, c] = M[piv, c]
                M[piv, c] = t
            t = v[k]
            v[k] = v[piv]
            v[piv] = t
        inv = 1.0 / M[k, k]
        for r in range(k + 1, n):
            f = M[r, k] * inv
            if f != 0.0:
                for c in range(k + 1, n):
                    M[r, c] -= f * M[k, c]
                v[r] -= f * v[k]
    for k in range(n - 1, -1, -1):
        s = v[k]
        for c in range(k + 1, n):
            s -= M[k, c] * out[c]
        out[k] = s / M[k, k]
    return True


@njit(cache=True, _nrt=False)
def lu_factor(A, M, piv):
    """LU factors of A (partial pivoting) into M, piv; False if singular or not finite."""
    n = A.shape[0]
    for r in range(n):
        for c in range(n):
            M[r, c] = A[r, c]
    for k in range(n):
        p = k
        best = abs(M[k, k])
        for r in range(k + 1, n):
            if abs(M[r, k]) > best:
                best = abs(M[r, k])
                p = r
        if best == 0.0 or not np.isfinite(best):
            return False
        piv[k] = p
        if p != k:
            for c in range(n):
                t = M[k, c]
                M[k, c] = M[p, c]
                M[p, c] = t
        inv = 1.0 / M[k, k]
        for r in range(k + 1, n):
            f = M[r, k] * inv
            M[r, k] = f
            if f != 0.0:
                for c in range(k + 1, n):
                    M[r, c] -= f * M[k, c]
    return True


@njit(cache=True, _nrt=False)
def lu_apply(M, piv, b, out):
    """Solve with the factors of :func:`lu_factor`: out = A^-1 b."""
    n = M.shape[0]
    for i in range(n):
        out[i] = b[i]
    for k in range(n):
        p = piv[k]
        if p != k:
            t = out[k]
            out[k] = out[p]
            out[p] = t
    for r in range(n):
        v = out[r]
        for c in range(r):
            v -= M[r, c] * out[c]
        out[r] = v
    for r in range(n - 1, -1, -1):
        v = out[r]
        for c in range(r + 1, n):
            v -= M[r, c] * out[c]
        out[r] = v / M[r, r]


@njit(cache=True, _nrt=False)
def _limit(x, d, T, active, PX, nc, neq):
    """Scale the Newton step d in place (closed_system._limit_step)."""
    ih, ie, ii, iw, iW, ix = nc, nc + 1, nc + 2, nc + 3, nc + 4, nc + 5
    d[ii] = min(max(d[ii], -1.0), 1.0)
    d[iw] = min(max(d[iw], -0.05), 0.05)
    scale = 1.0
    scale = min(scale, 1.0 / max(abs(d[ih]), 1e-300))
    scale = min(scale, 2.0 / max(abs(d[ie]), 1e-300))
    scale = min(scale, 0.2 / max(abs(d[iW]), 1e-300))
    if nc:
        dm = 0.0
        for k in range(nc):
            dm = max(dm, abs(d[k]))
        scale = min(scale, 2.0 / max(dm, 1e-300))
    if neq:
        frac = np.inf
        for k in range(nc):
            old = T[k]
            dt = 0.0
            for p in range(neq):
                old -= x[ix + p] * PX[p, k]
                dt += d[ix + p] * PX[p, k]
            if dt > 0:
                f = 0.99 * max(old, 0.0) / dt
                if f < frac:
                    frac = f
        scale = min(scale, min(max(frac, 1e-3), 1.0))
    for i in range(d.shape[0]):
        d[i] *= scale


@njit(cache=True)
def _newton_row(x, active, lgk, plgk, adh, bdh, bdot, tk, T, Z, Q, O, fixed, use_phases, tol, max_it, accept, want_jac,
                D, z, q, o, dh, ion, sl, sb, co2, co2c, PX, pq, po, nzp, nzc, nzv, Jout, tgt, lu0, piv0, act0, reuse,
                live, m):
    """One reactor's damped Newton solve, in place on x and active; returns (converged, iterations, residual).

    At convergence ``tgt`` (nc + 1) receives the aqueous targets of the mass balances and the redox scale dq
    (what d R / d xi needs), and ``Jout`` the Jacobian if ``want_jac``.

    Jacobian reuse (``reuse``; chord / Shamanskii iterations; without it: plain Newton, the iterates of
    :func:`ccus.kinetics.closed_system.solve_closed_numpy`): a step is taken with LU factors of the Jacobian at an earlier
    iterate, or, when ``piv0[0] >= 0``, with ``lu0``/``piv0``, the factors at a nearby state (the integrator's last
    accepted step) of the same active set ``act0``. The factors are refreshed at the current iterate (a Newton
    step) whenever the active set changed or the last step cut the residual by less than ``CHORD_RATE``. A step
    with kept factors costs a residual and two triangular solves (~4 us for 105 species x 18 unknowns); a Newton
    step also assembles and factors the Jacobian (~13 us). The converged state meets the same test (``tol``).
    """
    ns, nc4 = D.shape
    nc = nc4 - 4
    neq = PX.shape[0]
    n = x.shape[0]
    ix = nc + 5
    dl = np.empty(ns)
    tc = np.empty(nc)
    target = np.empty(nc)
    R = np.empty(n)
    merr = np.empty(nc)
    si = np.empty(neq)
    J = np.empty((n, n))
    lin = np.empty((nc + 5, nc4))
    d = np.empty(n)
    rhs = np.empty(n)
    conv = False
    its = 0
    res = np.inf
    W, dz, dq, ic, o_aq, szm, sqm = 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0
    # factors used for the steps: the given ones (if any, same active set), else refreshed at the current iterate
    LUc = np.empty((n, n))
    pivc = np.empty(n, np.int64)
    have = piv0.shape[0] == n and piv0[0] >= 0
    if have:
        for p in range(neq):
            if active[p] != act0[p]:
                have = False
    if have:
        for i in range(n):
            pivc[i] = piv0[i]
            for c in range(n):
                LUc[i, c] = lu0[i, c]
    prev = np.inf
    for it in range(max_it + 1):
        W, dz, dq, ic, o_aq, szm, sqm = _residual(x, lgk, plgk, adh, bdh, bdot, tk, T, Z, Q, O, active, fixed, use_phases,
                                                  D, z, q, o, dh, ion, sl, sb, co2, co2c, PX, pq, po, nzp, nzc, nzv, m, dl, tc, target,
                                                  R, merr, si, live)
        changed = False
        if neq:
            # active set: phases with n < 0 leave, supersaturated absent phases enter (at SI > 1e-9)
            for p in range(neq):
                leave = active[p] and x[ix + p] < 0
                enter = (not active[p]) and si[p] > 1e-9 and use_phases and not leave
                if leave:
                    x[ix + p] = 0.0
                    active[p] = False
                    changed = True
                elif enter:
                    active[p] = True
                    changed = True
            if changed:
                W, dz, dq, ic, o_aq, szm, sqm = _residual(x, lgk, plgk, adh, bdh, bdot, tk, T, Z, Q, O, active, fixed,
                                                          use_phases, D, z, q, o, dh, ion, sl, sb, co2, co2c, PX, pq,
                                                          po, nzp, nzc, nzv, m, dl, tc, target, R, merr, si, live)
        rmax = 0.0
        finite = True
        for i in range(n):
            v = merr[i] if i < nc else abs(R[i])
            if not np.isfinite(v):
                finite = False
            elif v > rmax:
                rmax = v
        if not finite:
            rmax = np.inf
        res = rmax
        if rmax < tol and not changed:
            conv = True
            its = it
            for k in range(nc):
                tgt[k] = target[k]
            tgt[nc] = dq
            if want_jac:
                _jacobian(x, T, Z, Q, O, active, fixed, D, z, q, o, PX, pq, po, nzp, nzc, nzv, m, dl, tc, target, W, dz, dq, ic,
                          o_aq, szm, sqm, Jout, lin)
            break
        if it == max_it:
            break
        if changed or rmax > CHORD_RATE * prev or not reuse:
            have = False  # active set changed or the last step did not contract enough: refresh the factors here
        prev = rmax
        for i in range(n):
            rhs[i] = -R[i]
        if not have:
            _jacobian(x, T, Z, Q, O, active, fixed, D, z, q, o, PX, pq, po, nzp, nzc, nzv, m, dl, tc, target, W, dz, dq, ic,
                      o_aq, szm, sqm, J, lin)
            have = lu_factor(J, LUc, pivc)
        if have:
            lu_apply(LUc, pivc, rhs, d)
        else:
            lstsq_into(J, rhs, d)
        for i in range(n):
            if not np.isfinite(d[i]):
                d[i] = 0.0
        _limit(x, d, T, active, PX, nc, neq)
        for i in range(n):
            x[i] += d[i]
    if (not conv) and res < accept:
        conv = True
        its = max_it
        for k in range(nc):
            tgt[k] = target[k]
        tgt[nc] = dq
        if want_jac:
            _jacobian(x, T, Z, Q, O, active, fixed, D, z, q, o, PX, pq, po, nzp, nzc, nzv, m, dl, tc, target, W, dz, dq,
                      ic, o_aq, szm, sqm, Jout, lin)
    return conv, its, res


@njit(cache=True, nogil=True)
def _rows_serial(X, A, LGK, PLGK, ADH, BDH, BDOT, TK, T, Z, Q, O, FIX, use_phases, tol, max_it, accept, want_jac,
                 D, z, q, o, dh, ion, sl, sb, co2, co2c, PX, pq, po, nzp, nzc, nzv, CONV, ITS, RES, JOUT):
    every = np.ones(D.shape[0], np.bool_)  # no pruning here
    m = np.empty(D.shape[0])
    tgt = np.empty(D.shape[1] - 3)
    for r in range(X.shape[0]):
        c, i, e = _newton_row(X[r], A[r], LGK[r], PLGK[r], ADH[r], BDH[r], BDOT[r], TK[r], T[r], Z[r], Q[r], O[r], FIX[r],
                              use_phases, tol, max_it, accept, want_jac, D, z, q, o, dh, ion, sl, sb, co2, co2c, PX, pq,
                              po, nzp, nzc, nzv, JOUT[r], tgt, NO_LU, NO_PIV, NO_ACT, False, every, m)
        CONV[r] = c
        ITS[r] = i
        RES[r] = e


def newton_rows(cs, cond, b, x0, active0, fixed, tol, max_iterations, accept, want_jac, phases):
    """Batched Newton solve of :func:`ccus.kinetics.closed_system.solve_closed` (same arguments and results).

    Returns (x, active, converged, iterations, residual, J or None).
    """
    pk = pack(cs)
    N, n = x0.shape
    neq = cs.neq
    X = np.array(x0, dtype=float, order="C", copy=True)
    A = np.zeros((N, neq), dtype=np.bool_) if active0 is None else np.array(active0, dtype=np.bool_, copy=True)
    if neq:
        A |= X[:, cs.nc + 5:] > 0
    FIX = np.zeros((N, 3), dtype=np.bool_) if fixed is None else np.ascontiguousarray(fixed, dtype=np.bool_)
    CONV = np.zeros(N, dtype=np.bool_)
    ITS = np.zeros(N, dtype=np.int64)
    RES = np.full(N, np.inf)
    JOUT = np.zeros((N, n, n)) if want_jac else np.zeros((N, 0, 0))
    plgk = np.ascontiguousarray(cond.plgk[:, cs.p_idx]) if neq else np.zeros((N, 0))
    _threaded(_rows_serial, N, (X, A, np.ascontiguousarray(cond.lgk, dtype=float), plgk, _f(cond.a_dh, N), _f(cond.b_dh, N), _f(cond.bdot, N),
      _f(cond.tk, N), np.ascontiguousarray(b.T, dtype=float), _f(b.Z, N), _f(b.Q, N), _f(b.O, N), FIX, bool(phases),
      float(tol), int(max_iterations), float(accept), bool(want_jac), *pk, CONV, ITS, RES, JOUT),
              row_args=(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12), out_args=(-4, -3, -2, -1))
    return X, A, CONV, ITS, RES, (JOUT if want_jac else None)


def _f(v, N) -> np.ndarray:
    return np.ascontiguousarray(np.broadcast_to(np.asarray(v, dtype=float), (N,)))


# -- rates, their Jacobian and the whole evaluation of one reactor --------------------------------------------------


@njit(cache=True)
def _rates(x, tk, plgk_r, xi, m0, mode, area_sp, direction, D, sp, PXr, G, Akin, EaR, mech_min, carb_mech, carb_ih,
           carb_ic, carb_kc, aff, aff_off, sigma, al_floor, mg, lgk, want_d, F, dFdx, dFdxi, lom):
    """Rates F (nk) [mol/s] (> 0 dissolves) as :meth:`ccus.kinetics.network.Network.rates_at`.

    With ``want_d``: dF/dx (nk, n) and the direct dF/dxi (nk, diagonal: surface area) analytically.
    """
    nc4 = D.shape[1]
    nc = nc4 - 4
    iW = nc + 4
    nsp = sp.shape[0]
    nph = PXr.shape[0]
    nL = nsp + nph
    M = Akin.shape[0]
    nk = F.shape[0]
    n = x.shape[0]
    L = np.empty(nL)
    live = np.ones(nL, dtype=np.bool_)  # d L / d x is not cut by the Al floor
    for i in range(nsp):
        s = sp[i]
        v = lgk[s]
        for c in range(nc4):
            v += D[s, c] * x[c]
        if al_floor[i] and v < -300.0:
            v = -300.0
            live[i] = False
        L[i] = v
    for p in range(nph):
        v = -plgk_r[p]
        for c in range(nc4):
            v += PXr[p, c] * x[c]
        L[nsp + p] = v
    W = np.exp(x[iW])
    g = np.empty(M)
    kk = np.empty(M)
    for i in range(M):
        v = 0.0
        for l in range(nL):
            v += L[l] * G[l, i]
        g[i] = 10.0 ** v
        kk[i] = Akin[i] * np.exp(-EaR[i] / tk)
    ncarb = carb_mech.shape[0]
    for c in range(ncarb):
        ac = 10.0 ** L[carb_ih[c]] + 10.0 ** L[carb_ic[c]]
        g[carb_mech[c]] = 1.0 - carb_kc[c] * ac / (1.0 + carb_kc[c] * ac)
    rplus = np.zeros(nk)
    for i in range(M):
        rplus[mech_min[i]] += kk[i] * g[i]
    for j in range(nk):
        lo = aff_off[j]
        for p in range(nph):
            lo += L[nsp + p] * aff[p, j]
        omega = 10.0 ** lo
        lom[j] = lo
        m = m0[j] - xi[j]
        if mode[j] == 0:
            if m > 0 and m0[j] > 0:
                ratio = m / m0[j]
                cb = np.cbrt(ratio)
                area = area_sp[j] * mg[j] * m0[j] * cb * cb
                darea_dm = area_sp[j] * mg[j] * m0[j] * (2.0 / 3.0) / (cb * m0[j])
            else:
                area = 0.0
                darea_dm = 0.0
        elif mode[j] == 1:
            area = area_sp[j] * W
            darea_dm = 0.0
        else:
            area = area_sp[j] * mg[j] * m if m > 0 else 0.0
            darea_dm = area_sp[j] * mg[j] if m > 0 else 0.0
        om_s = omega ** (1.0 / sigma[j])
        affterm = 1.0 - om_s
        zero = (area <= 0) or (direction[j] == 1 and omega < 1) or (direction[j] == 2 and omega > 1) or (m <= 0 and omega < 1)
        F[j] = 0.0 if zero else area * rplus[j] * affterm
        if not want_d:
            continue
        for c in range(n):
            dFdx[j, c] = 0.0
        for l in range(nk):
            dFdxi[j, l] = 0.0
        if zero:
            continue
        # d rplus / d x
        for i in range(M):
            if mech_min[i] != j:
                continue
            is_carb = -1
            for c in range(ncarb):
                if carb_mech[c] == i:
                    is_carb = c
            if is_carb >= 0:
                c = is_carb
                a1 = 10.0 ** L[carb_ih[c]]
                a2 = 10.0 ** L[carb_ic[c]]
                ac = a1 + a2
                dg_dac = -carb_kc[c] / (1.0 + carb_kc[c] * ac) ** 2
                w1 = kk[i] * dg_dac * LN10 * a1 * area * affterm
                w2 = kk[i] * dg_dac * LN10 * a2 * area * affterm
                s1 = sp[carb_ih[c]]
                s2 = sp[carb_ic[c]]
                if live[carb_ih[c]]:
                    for cc in range(nc4):
                        dFdx[j, cc] += w1 * D[s1, cc]
                if live[carb_ic[c]]:
                    for cc in range(nc4):
                        dFdx[j, cc] += w2 * D[s2, cc]
            else:
                w = kk[i] * g[i] * LN10 * area * affterm
                if w == 0.0:
                    continue
                for l in range(nL):
                    gl = G[l, i]
                    if gl == 0.0:
                        continue
                    if l < nsp:
                        if live[l]:
                            s = sp[l]
                            for cc in range(nc4):
                                dFdx[j, cc] += w * gl * D[s, cc]
                    else:
                        for cc in range(nc4):
                            dFdx[j, cc] += w * gl * PXr[l - nsp, cc]
        # affinity: d (1 - omega^(1/sigma)) = -omega^(1/sigma) ln10 / sigma d log10 omega
        wa = -area * rplus[j] * om_s * LN10 / sigma[j]
        if wa != 0.0:
            for p in range(nph):
                if aff[p, j] != 0.0:
                    for cc in range(nc4):
                        dFdx[j, cc] += wa * aff[p, j] * PXr[p, cc]
        if mode[j] == 1:
            dFdx[j, iW] += F[j]  # area = a W, d W / d ln W = W
        dFdxi[j, j] = -darea_dm * rplus[j] * affterm  # m = m0 - xi


@njit(cache=True, _nrt=False)
def _copy_factors(lu, piv, act, lu_o, piv_o, act_o):
    """Copy LU factors, their pivots and the active set they were made for into the output buffers."""
    for i in range(piv.shape[0]):
        piv_o[i] = piv[i]
        for c in range(piv.shape[0]):
            lu_o[i, c] = lu[i, c]
    for p in range(act.shape[0]):
        act_o[p] = act[p]


@njit(cache=True)
def _prune(x, lgk, adh, bdh, bdot, tk, D, nzp, nzc, nzv, z, q, o, dh, ion, sl, sb, co2, co2c, m_live, live_l, live_o,
           choose):
    """Species pruning at the equilibrium x, whose molalities of the species ``live_l`` are ``m_live``.

    Returns whether a species not in ``live_l`` has a part of PRUNE_RECHECK or more in some balance (a component
    total, charge, redox, oxygen, ionic strength, the sum of molalities: that of the water activity), relative
    to the balance's scale (the sum of the absolute parts of every species): x then needs solving with it. With
    ``choose``, ``live_o`` (ns) receives the species whose part in some balance is at least PRUNE_SHARE.
    """
    ns, nc4 = D.shape
    nc = nc4 - 4
    m = np.empty(ns)
    dl = np.empty(ns)
    out = np.empty(ns, np.bool_)
    for s in range(ns):
        out[s] = not live_l[s]
    _species(x, lgk, adh, bdh, bdot, tk, D, nzp, nzc, nzv, z, dh, ion, sl, sb, co2, co2c, m, dl, out)  # left out only
    for s in range(ns):
        if live_l[s]:
            m[s] = m_live[s]
    tc = np.zeros(nc)
    sz = 0.0
    sq = 0.0
    so = 0.0
    sz2 = 0.0
    sm = 0.0
    for s in range(ns):
        ms = m[s]
        for t in range(nzp[s], nzp[s + 1]):
            k = nzc[t]
            if k < nc:
                tc[k] += ms * abs(nzv[t])
        sz += abs(z[s]) * ms
        sq += abs(q[s]) * ms
        so += abs(o[s]) * ms
        sz2 += z[s] * z[s] * ms
        sm += ms
    # reciprocal scales (0: an empty balance, where no species has a part)
    for k in range(nc):
        tc[k] = 1.0 / tc[k] if tc[k] > 0.0 else 0.0
    rz = 1.0 / sz if sz > 0.0 else 0.0
    rq = 1.0 / sq if sq > 0.0 else 0.0
    ro = 1.0 / so if so > 0.0 else 0.0
    rz2 = 1.0 / sz2 if sz2 > 0.0 else 0.0
    rm = 1.0 / sm if sm > 0.0 else 0.0
    grown = False
    for s in range(ns):
        if not (choose or out[s]):
            continue
        ms = m[s]
        share = ms * max(abs(z[s]) * rz, abs(q[s]) * rq, abs(o[s]) * ro, z[s] * z[s] * rz2, rm)
        for t in range(nzp[s], nzp[s + 1]):
            k = nzc[t]
            if k < nc:
                share = max(share, ms * abs(nzv[t]) * tc[k])
        if choose:
            live_o[s] = share >= PRUNE_SHARE
        if out[s] and share >= PRUNE_RECHECK:
            grown = True
    return grown


@njit(cache=True)
def _evaluate_row(x_last, a_last, y_last, dxdy_last, y, want_jac, lgk, plgk_eq, plgk_r, adh, bdh, bdot, tk, T0, Z, Q0, O0,
                  tol, max_it, accept, D, z, q, o, dh, ion, sl, sb, co2, co2c, PX, pq, po, nzp, nzc, nzv,
                  C, qmin, omin, m0, mode, area_sp, direction, sp, PXr, G, Akin, EaR, mech_min, carb_mech, carb_ih,
                  carb_ic, carb_kc, aff, aff_off, sigma, al_floor, mg,
                  x, act, F, JR, dxdy, lu_l, piv_l, lua_l, lu_o, piv_o, lua_o, lom, live_l, live_o, prune):
    """Equilibrium (predictor, then the last state if that fails), rates and d rates / d xi of one reactor.

    ``lu_l``, ``piv_l``, ``lua_l``: LU factors of the equilibrium Jacobian at the last accepted state and its
    active set (``piv_l[0] = -1``: none), for the chord iterations of :func:`_newton_row`. With ``want_jac``
    the factors at the new equilibrium go to ``lu_o``, ``piv_o``, ``lua_o``; otherwise those receive the
    input factors unchanged. Returns (ok, converged, residual, resolved).

    ``live_l``: the species kept at the last accepted state (all, without pruning). With ``prune``, if species
    left out have grown to PRUNE_RECHECK, the equilibrium is solved again with every species (``resolved``);
    with ``want_jac`` as well, ``live_o`` receives the species to keep from this state on (:func:`_prune`).
    Otherwise ``live_o`` = ``live_l``.
    """
    n = x.shape[0]
    nk = y.shape[0]
    nc = D.shape[1] - 4
    neq = PX.shape[0]
    ix = nc + 5
    T = T0.copy()
    Q = Q0
    O = O0
    for j in range(nk):
        for k in range(nc):
            T[k] += y[j] * C[j, k]
        Q += y[j] * qmin[j]
        O += y[j] * omin[j]
    # first-order predictor from the sensitivities of the last Jacobian
    for i in range(n):
        v = x_last[i]
        for j in range(nk):
            v += dxdy_last[i, j] * (y[j] - y_last[j])
        x[i] = v
    for p in range(neq):
        if x[ix + p] < 0.0:
            x[ix + p] = 0.0
        act[p] = a_last[p]
    fixed = np.zeros(3, dtype=np.bool_)
    J = np.empty((n, n))
    tgt = np.empty(nc + 1)
    m = np.empty(D.shape[0])  # molalities at the equilibrium found (the species of live_l)
    resolved = False
    if piv_l.shape[0] == n:
        _copy_factors(lu_l, piv_l, lua_l, lu_o, piv_o, lua_o)
    else:
        piv_o[0] = -1
    conv, its, res = _newton_row(x, act, lgk, plgk_eq, adh, bdh, bdot, tk, T, Z, Q, O, fixed, True, tol, max_it, accept,
                                 want_jac, D, z, q, o, dh, ion, sl, sb, co2, co2c, PX, pq, po, nzp, nzc, nzv, J, tgt,
                                 lu_l, piv_l, lua_l, True, live_l, m)
    if not conv:  # retry from the last converged state without the predictor (full Newton)
        for i in range(n):
            x[i] = x_last[i]
        for p in range(neq):
            act[p] = a_last[p]
        conv, its, res = _newton_row(x, act, lgk, plgk_eq, adh, bdh, bdot, tk, T, Z, Q, O, fixed, True, tol, max_it,
                                     accept, want_jac, D, z, q, o, dh, ion, sl, sb, co2, co2c, PX, pq, po, nzp, nzc, nzv, J,
                                     tgt, NO_LU, NO_PIV, NO_ACT, True, live_l, m)
    for s in range(live_l.shape[0]):
        live_o[s] = live_l[s]
    if conv and prune:
        # the species left out must still be negligible here; with want_jac (a state that may be accepted) the
        # species to keep from here on are chosen anew
        if _prune(x, lgk, adh, bdh, bdot, tk, D, nzp, nzc, nzv, z, q, o, dh, ion, sl, sb, co2, co2c, m, live_l, live_o,
                  want_jac):
            resolved = True
            every = np.ones(live_l.shape[0], np.bool_)
            conv, its, res = _newton_row(x, act, lgk, plgk_eq, adh, bdh, bdot, tk, T, Z, Q, O, fixed, True, tol, max_it,
                                         accept, want_jac, D, z, q, o, dh, ion, sl, sb, co2, co2c, PX, pq, po, nzp, nzc,
                                         nzv, J, tgt, NO_LU, NO_PIV, NO_ACT, True, every, m)
            live_o[:] = True
            if conv and want_jac:
                _prune(x, lgk, adh, bdh, bdot, tk, D, nzp, nzc, nzv, z, q, o, dh, ion, sl, sb, co2, co2c, m, every, live_o,
                       True)
    for i in range(n):
        for j in range(nk):
            dxdy[i, j] = dxdy_last[i, j]
    for j in range(nk):
        F[j] = 0.0
        for l in range(nk):
            JR[j, l] = 0.0
    if not conv:
        return False, False, res, resolved
    dFdx = np.zeros((nk, n))
    dFdxi = np.zeros((nk, nk))
    _rates(x, tk, plgk_r, y, m0, mode, area_sp, direction, D, sp, PXr, G, Akin, EaR, mech_min, carb_mech, carb_ih,
           carb_ic, carb_kc, aff, aff_off, sigma, al_floor, mg, lgk, want_jac, F, dFdx, dFdxi, lom)
    for j in range(nk):
        if not np.isfinite(F[j]):
            for l in range(nk):
                F[l] = 0.0
            return False, True, res, resolved
    if not want_jac:
        return True, True, res, resolved
    # d x / d xi = -J^-1 d R / d xi at the converged equilibrium (implicit-function theorem)
    dq = tgt[nc]
    rhs = np.empty(n)
    col = np.empty(n)
    LU = np.empty((n, n))
    piv = np.empty(n, dtype=np.int64)
    factored = lu_factor(J, LU, piv)
    if factored:
        _copy_factors(LU, piv, act, lu_o, piv_o, lua_o)
    for j in range(nk):
        for i in range(n):
            rhs[i] = 0.0
        for k in range(nc):
            if tgt[k] > ZERO_TOTAL:
                rhs[k] = -C[j, k] / (LN10 * tgt[k])
        rhs[nc + 1] = -qmin[j] / dq
        rhs[nc + 4] = -omin[j] / O
        for i in range(n):
            rhs[i] = -rhs[i]
        if factored:
            lu_apply(LU, piv, rhs, col)
        else:
            lstsq_into(J, rhs, col)
        for i in range(n):
            dxdy[i, j] = col[i] if np.isfinite(col[i]) else 0.0
    for j in range(nk):
        for l in range(nk):
            v = dFdxi[j, l]
            for i in range(n):
                v += dFdx[j, i] * dxdy[i, l]
            JR[j, l] = v if np.isfinite(v) else 0.0
    return True, True, res, resolved


@njit(cache=True, nogil=True)
def _evaluate_serial(rows, XL, AL, YL, DXL, Y, want_jac, LGK, PLGK, PLGKR, ADH, BDH, BDOT, TK, T0, Z, Q0, O0, tol, max_it,
                     accept, D, z, q, o, dh, ion, sl, sb, co2, co2c, PX, pq, po, nzp, nzc, nzv, C, qmin, omin, M0, MODE, AREA, DIR,
                     sp, PXr, G, Akin, EaR, mech_min, carb_mech, carb_ih, carb_ic, carb_kc, aff, aff_off, sigma,
                     al_floor, mg, X, ACT, F, JR, DXDY, OK, CONV, RES, LUL, PIVL, LUAL, LUO, PIVO, LUAO, LOM):
    keep_all = np.ones(D.shape[0], np.bool_)  # no pruning here: every species, and the (unused) species kept
    kept = np.ones(D.shape[0], np.bool_)
    for r in range(rows.shape[0]):
        i = rows[r]
        a, c, e, _ = _evaluate_row(XL[r], AL[r], YL[r], DXL[r], Y[r], want_jac, LGK[i], PLGK[i], PLGKR[i], ADH[i], BDH[i],
                                BDOT[i], TK[i], T0[i], Z[i], Q0[i], O0[i], tol, max_it, accept, D, z, q, o, dh, ion, sl,
                                sb, co2, co2c, PX, pq, po, nzp, nzc, nzv, C, qmin, omin, M0[i], MODE[i], AREA[i], DIR[i], sp, PXr, G,
                                Akin, EaR, mech_min, carb_mech, carb_ih, carb_ic, carb_kc, aff, aff_off, sigma,
                                al_floor, mg, X[r], ACT[r], F[r], JR[r], DXDY[r], LUL[r], PIVL[r], LUAL[r], LUO[r],
                                PIVO[r], LUAO[r], LOM[r], keep_all, kept, False)
        OK[r] = a
        CONV[r] = c
        RES[r] = e


def evaluate_rows(net, cond, reactors, rows, y, aux, want_jac, tol=1e-11, max_iterations=60, accept=1e-9):
    """Equilibrium, rates and (``want_jac``) rate Jacobian of the reactors ``rows`` in one compiled call.

    Without ``want_jac`` (a Rosenbrock stage whose only use is its rates) the Newton tolerance is
    ``max(tol, STAGE_TOL)``.

    ``cond``, ``reactors`` (and their budget) hold all N reactors; ``y`` (k, nk) and the
    carried state ``aux`` ({"x", "active", "y", "dxdy"} with first axis k, optionally the equilibrium
    Jacobian's LU factors "lu" (k, n, n), "piv" (k, n) (-1: none) and their active set "lua" (k, neq),
    for chord iterations) belong to ``rows``. Returns a dict: x, active, F (k, nk) [mol/s], J (k, nk, nk)
    [1/s] or None, dxdy (k, n, nk), lu, piv, lua (the factors at the new state with ``want_jac``, else the
    input ones), ok, converged (k,) bool, residual (k,) and log_omega (k, nk): log10 of each kinetic
    mineral's saturation ratio (where ``ok``).
    """
    cs = net.cs
    pk = pack(cs)
    rp = net.kernel_pack(cond, reactors)
    rows = np.ascontiguousarray(rows, dtype=np.int64)
    k = rows.shape[0]
    n, nk = cs.n_unknowns, net.nk
    X = np.empty((k, n))
    ACT = np.empty((k, cs.neq), dtype=np.bool_)
    F = np.empty((k, nk))
    JR = np.empty((k, nk, nk))
    DXDY = np.empty((k, n, nk))
    OK = np.zeros(k, dtype=np.bool_)
    CONV = np.zeros(k, dtype=np.bool_)
    RES = np.zeros(k)
    if "lu" in aux:
        LUL, PIVL, LUAL = _c(aux["lu"]), np.ascontiguousarray(aux["piv"], np.int64), np.ascontiguousarray(aux["lua"], np.bool_)
    else:
        LUL, PIVL, LUAL = no_factors(k, n, cs.neq)
    LUO, PIVO, LUAO = np.empty_like(LUL), np.empty_like(PIVL), np.empty_like(LUAL)
    LOM = np.zeros((k, nk))
    _threaded(_evaluate_serial, k, (rows, _c(aux["x"]), np.ascontiguousarray(aux["active"], dtype=np.bool_), _c(aux["y"]), _c(aux["dxdy"]), _c(y),
      bool(want_jac), *rp["cond"], float(tol if want_jac else max(tol, STAGE_TOL)), int(max_iterations), float(accept), *pk, *rp["net"], *rp["reactors"],
      *rp["laws"], X, ACT, F, JR, DXDY, OK, CONV, RES, LUL, PIVL, LUAL, LUO, PIVO, LUAO, LOM),
              row_args=(0, 1, 2, 3, 4, 5), out_args=tuple(range(-15, 0)))
    return {"x": X, "active": ACT, "F": F, "J": JR if want_jac else None, "dxdy": DXDY, "ok": OK, "converged": CONV,
            "residual": RES, "lu": LUO, "piv": PIVO, "lua": LUAO, "log_omega": LOM}


def no_factors(k: int, n: int, neq: int) -> tuple:
    """Carried LU factors meaning "none yet" for k rows (see :func:`evaluate_rows`)."""
    return np.zeros((k, n, n)), np.full((k, n), -1, np.int64), np.zeros((k, neq), np.bool_)


def _c(v) -> np.ndarray:
    return np.ascontiguousarray(v, dtype=float)


_POOL: list = []


def threads() -> int:
    """Threads used for many reactors: ``CCUS_THREADS`` or the number of CPUs."""
    env = os.environ.get("CCUS_THREADS", "")
    return max(1, int(env)) if env.strip().isdigit() else max(1, os.cpu_count() or 1)


def _threaded(f, k: int, args: tuple, row_args: tuple, out_args: tuple, chunk: int = 0) -> None:
    """Call the row kernel ``f`` on chunks of the k rows in threads (the kernels release the GIL).

    ``chunk`` = 0: one contiguous chunk per thread (rows of about equal cost). ``chunk`` > 0: chunks of that many
    rows, each thread taking the next one as it finishes its last (rows of unequal cost, such as whole
    integrations: no thread idles while another still has a long queue).
    """
    nt = min(threads(), k // PARALLEL_ROWS)
    if nt <= 1:
        f(*args)
        return
    sliced = set(row_args) | {len(args) + i for i in out_args}
    bounds = np.linspace(0, k, nt + 1).astype(int) if chunk <= 0 else np.append(np.arange(0, k, chunk), k)
    # a pool inherited through fork() has no threads in the child: make a new one per process
    if not _POOL or _POOL[1] != os.getpid() or _POOL[0]._max_workers < nt:
        _POOL[:] = [ThreadPoolExecutor(max_workers=nt), os.getpid()]
    queue = iter(range(len(bounds) - 1))
    lock = threading.Lock()

    def run():
        while True:
            with lock:
                c = next(queue, None)
            if c is None:
                return
            a, b = bounds[c], bounds[c + 1]
            f(*[v[a:b] if i in sliced else v for i, v in enumerate(args)])

    for fut in [_POOL[0].submit(run) for _ in range(nt)]:
        fut.result()


# -- the Rosenbrock integrator of one reactor (ccus.kinetics.reactor.integrate, compiled) ----------------------------

#: Newton tolerance of the first Rosenbrock stage (only its rates are used: an error of 1e-9 in log
#: activities changes a rate by ~2e-9 relative, far below rtol; the accepted states use ``tol``)
STAGE_TOL = 1e-9
RD = 1.0 / (2.0 + np.sqrt(2.0))
RE32 = 6.0 + np.sqrt(2.0)
NEAR_BOUND = 10.0
#: failure codes of :func:`_integrate_row`
FAIL_EQUILIBRIUM, FAIL_RATE, FAIL_UNDERFLOW, FAIL_STEPS = 1, 2, 3, 4
#: event location (``events``, here and in ccus.kinetics.reactor.integrate): a step in which a kinetic
#: mineral's rate switched on or off (its saturation ratio crossed 1 where the rate law has a kink:
#: precipitation starting from none, a one-way rate stopping) is redone to end EVENT_PAST of the way to the
#: crossing (linear in log10 Omega), unless the crossing already lies in its last 1 - EVENT_LATE or its first
#: EVENT_EARLY (a rate sitting at its switch, Omega ~ 1, would otherwise cut the steps ever shorter). Without
#: it the kink sits anywhere inside a step, where the error estimate does not measure the error: the Leizhou
#: calcite amount at day 65.7, just after its onset, came out 0.1-9 % off at rtol 1e-7..3e-6 with no trend in
#: the tolerance; with events, within 0.05 % of the converged value at rtol 1e-6 and tighter, 0.3 % at 1e-5
#: (measured 2026-12-06, docs/kinetics.md)
EVENT_EARLY = 0.01
EVENT_LATE = 0.9
EVENT_PAST = 1.02


@njit(cache=True)
def _wsolve(Wm, LU, piv, factored, b, out):
    if factored:
        lu_apply(LU, piv, b, out)
    else:
        lstsq_into(Wm, b, out)


@njit(cache=True)
def _integrate_row(t_out, n_out, upper, x0, act0, rtol, atol, h0, h_min, max_steps, max_failures, events, prune,
                   lgk, plgk_eq, plgk_r, adh, bdh, bdot, tk, T0, Z, Q0, O0, tol, max_it, accept, D, z, q, o, dh, ion, sl, sb, co2, co2c, PX, pq, po, nzp, nzc, nzv, C, qmin, omin, m0, mode, area_sp, direction, sp, PXr, G, Akin, EaR, mech_min, carb_mech, carb_ih, carb_ic, carb_kc, aff, aff_off, sigma, al_floor, mg,
                   out_y, out_x, out_act, info):
    """Integrate one reactor from t = 0 through its ``n_out`` output times (same steps as reactor.integrate).

    ``events``: land steps on the saturation crossings where a kinetic mineral's rate switches on or off.
    ``prune``: leave out the species that are negligible in every balance (:func:`_prune`), carried from each
    accepted state to the next step.

    Writes the records at output times into out_y (n_out, nk), out_x (n_out, n), out_act (n_out, neq);
    info = [status (0 done, 1 failed), failure code, failure time [s], residual, accepted steps,
    rejected steps, evaluations, outputs reached].
    """
    nk = upper.shape[0]
    n = x0.shape[0]
    neq = act0.shape[0]
    y = np.zeros(nk)
    x = x0.copy()
    act = act0.copy()
    ylast = np.zeros(nk)
    dxdy = np.zeros((n, nk))
    F = np.zeros(nk)
    Jac = np.zeros((nk, nk))
    # stage buffers
    x1 = np.empty(n)
    act1 = np.empty(neq, dtype=np.bool_)
    dx1 = np.empty((n, nk))
    F1r = np.empty(nk)
    J1 = np.empty((nk, nk))
    x2 = np.empty(n)
    act2 = np.empty(neq, dtype=np.bool_)
    dx2 = np.empty((n, nk))
    F2r = np.empty(nk)
    J2 = np.empty((nk, nk))
    Wm = np.empty((nk, nk))
    WLU = np.empty((nk, nk))
    wpiv = np.empty(nk, dtype=np.int64)
    k1 = np.empty(nk)
    k2 = np.empty(nk)
    k3 = np.empty(nk)
    F1 = np.empty(nk)
    F2 = np.empty(nk)
    y1 = np.empty(nk)
    yraw = np.empty(nk)
    ynew = np.empty(nk)
    tolv = np.empty(nk)
    rhs = np.empty(nk)
    lom1 = np.zeros(nk)
    lom2 = np.zeros(nk)
    lomA = np.zeros(nk)
    # species kept (pruning) at the accepted state (A) and from the evaluations of stages 1, 2
    liveA = np.ones(D.shape[0], np.bool_)
    live1 = np.ones(D.shape[0], np.bool_)
    live2 = np.ones(D.shape[0], np.bool_)
    # LU factors of the equilibrium Jacobian (chord iterations): at the accepted state (A), from stages 1, 2
    luA = np.zeros((n, n))
    pivA = np.full(n, -1, np.int64)
    luaA = np.zeros(neq, dtype=np.bool_)
    lu1 = np.zeros((n, n))
    piv1 = np.full(n, -1, np.int64)
    lua1 = np.zeros(neq, dtype=np.bool_)
    lu2 = np.zeros((n, n))
    piv2 = np.full(n, -1, np.int64)
    lua2 = np.zeros(neq, dtype=np.bool_)
    steps = 0
    rejected = 0
    n_eval = 1
    for i in range(info.shape[0]):
        info[i] = 0.0
    ok, conv, res, _ = _evaluate_row(x0, act0, ylast, dxdy, y, True, lgk, plgk_eq, plgk_r, adh, bdh, bdot, tk, T0, Z, Q0, O0, tol, max_it, accept, D, z, q, o, dh, ion, sl, sb, co2, co2c, PX, pq, po, nzp, nzc, nzv, C, qmin, omin, m0, mode, area_sp, direction, sp, PXr, G, Akin, EaR, mech_min, carb_mech, carb_ih, carb_ic, carb_kc, aff, aff_off, sigma, al_floor, mg,
                           x2, act2, F2r, J2, dx2, luA, pivA, luaA, lu2, piv2, lua2, lom2, liveA, live2, prune)
    if not ok:
        info[0] = 1.0
        info[1] = FAIL_EQUILIBRIUM if not conv else FAIL_RATE
        info[3] = res
        info[6] = n_eval
        return
    x[:] = x2
    act[:] = act2
    dxdy[:, :] = dx2
    lomA[:] = lom2
    liveA[:] = live2
    F[:] = F2r
    Jac[:, :] = J2
    luA[:, :] = lu2
    pivA[:] = piv2
    luaA[:] = lua2
    if h0 > 0:
        h = h0
    else:
        h_est = np.inf
        for j in range(nk):
            if F[j] != 0.0:
                v = (atol[j] + rtol[j] * abs(y[j])) / abs(F[j])
                if v < h_est:
                    h_est = v
        h_est *= 0.01
        h = min(h_est, t_out[0]) if np.isfinite(h_est) else t_out[0]
    h = max(h, h_min * 10.0)
    t = 0.0
    nxt = 0
    fails = 0
    while True:
        t_next = t_out[nxt]
        hit = t + h >= t_next * (1.0 - 1e-12)
        hs = t_next - t if hit else h
        okw = True
        for a in range(nk):
            for b in range(nk):
                v = (1.0 if a == b else 0.0) - hs * RD * Jac[a, b]
                Wm[a, b] = v
                if not np.isfinite(v):
                    okw = False
        if not okw:
            for a in range(nk):
                for b in range(nk):
                    Wm[a, b] = 1.0 if a == b else 0.0
        wfac = lu_factor(Wm, WLU, wpiv)
        _wsolve(Wm, WLU, wpiv, wfac, F, k1)
        for j in range(nk):
            y1[j] = min(y[j] + 0.5 * hs * k1[j], upper[j])
        ok1, conv1, res1, _ = _evaluate_row(x, act, ylast, dxdy, y1, False, lgk, plgk_eq, plgk_r, adh, bdh, bdot, tk, T0, Z, Q0, O0, max(tol, STAGE_TOL), max_it, accept, D, z, q, o, dh, ion, sl, sb, co2, co2c, PX, pq, po, nzp, nzc, nzv, C, qmin, omin, m0, mode, area_sp, direction, sp, PXr, G, Akin, EaR, mech_min, carb_mech, carb_ih, carb_ic, carb_kc, aff, aff_off, sigma, al_floor, mg,
                               x1, act1, F1r, J1, dx1, luA, pivA, luaA, lu1, piv1, lua1, lom1, liveA, live1, False)
        n_eval += 1
        for j in range(nk):
            F1[j] = F1r[j] if ok1 and not (y1[j] >= upper[j] and F1r[j] > 0) else 0.0
            rhs[j] = F1[j] - k1[j]
        _wsolve(Wm, WLU, wpiv, wfac, rhs, k2)
        for j in range(nk):
            k2[j] += k1[j]
            yraw[j] = y[j] + hs * k2[j]
            ynew[j] = min(yraw[j], upper[j])
            # relative to the amount reacted or to the amount left, whichever is smaller (reactor.integrate)
            tolv[j] = atol[j] + rtol[j] * min(max(abs(y[j]), abs(yraw[j])), upper[j] - min(y[j], ynew[j]))
        if ok1:
            ok2, conv2, res2, resolved2 = _evaluate_row(x1, act1, y1, dx1, ynew, True, lgk, plgk_eq, plgk_r, adh, bdh, bdot, tk, T0, Z, Q0, O0, tol, max_it, accept, D, z, q, o, dh, ion, sl, sb, co2, co2c, PX, pq, po, nzp, nzc, nzv, C, qmin, omin, m0, mode, area_sp, direction, sp, PXr, G, Akin, EaR, mech_min, carb_mech, carb_ih, carb_ic, carb_kc, aff, aff_off, sigma, al_floor, mg,
                                   x2, act2, F2r, J2, dx2, luA, pivA, luaA, lu2, piv2, lua2, lom2, liveA, live2, prune)
        else:
            ok2, conv2, res2, resolved2 = _evaluate_row(x, act, ylast, dxdy, ynew, True, lgk, plgk_eq, plgk_r, adh, bdh, bdot, tk, T0, Z, Q0, O0, tol, max_it, accept, D, z, q, o, dh, ion, sl, sb, co2, co2c, PX, pq, po, nzp, nzc, nzv, C, qmin, omin, m0, mode, area_sp, direction, sp, PXr, G, Akin, EaR, mech_min, carb_mech, carb_ih, carb_ic, carb_kc, aff, aff_off, sigma, al_floor, mg,
                                   x2, act2, F2r, J2, dx2, luA, pivA, luaA, lu2, piv2, lua2, lom2, liveA, live2, prune)
        n_eval += 1
        if ok2 and resolved2:
            # a species left out at the last accepted state has grown within the step: the stage-1 evaluation (not
            # checked) may have missed it too, so the step is taken again, same size, with every species
            liveA[:] = True
            rejected += 1
            continue
        for j in range(nk):
            F2[j] = F2r[j] if ok2 and not (ynew[j] >= upper[j] and F2r[j] > 0) else 0.0
            rhs[j] = F2[j] - RE32 * (k2[j] - F1[j]) - 2.0 * (k1[j] - F[j])
        _wsolve(Wm, WLU, wpiv, wfac, rhs, k3)
        ratio = 0.0
        finite = True
        for j in range(nk):
            e = hs / 6.0 * (k1[j] - 2.0 * k2[j] + k3[j])
            if yraw[j] >= upper[j]:
                e = 0.0
            if upper[j] - y[j] <= NEAR_BOUND * tolv[j] and upper[j] - ynew[j] <= NEAR_BOUND * tolv[j]:
                e = 0.0
            v = abs(e) / tolv[j]
            if not np.isfinite(v):
                finite = False
            elif v > ratio:
                ratio = v
        good = okw and ok1 and ok2 and finite
        accept = good and ratio <= 1.0
        if accept and events:
            # a kinetic mineral's rate switched on or off (saturation crossed where its rate law has a kink:
            # precipitation starting from none, a one-way rate stopping): land the step just past the crossing
            theta = 1.0
            for j in range(nk):
                if ((F[j] == 0.0) != (F2[j] == 0.0)) and ((lomA[j] < 0.0) != (lom2[j] < 0.0)):
                    th = lomA[j] / (lomA[j] - lom2[j])
                    if th < theta:
                        theta = th
            if EVENT_EARLY <= theta < EVENT_LATE and theta * hs > h_min * max(t, 1.0) * 10.0:
                rejected += 1
                fails = 0
                h = theta * hs * EVENT_PAST
                continue
        fac = min(max(0.8 * max(ratio, 1e-10) ** (-1.0 / 3.0), 0.2), 5.0)
        if not good:
            h_new = hs * 0.25
        elif accept:
            # a step cut short to land on an output time says little about the step size that was due:
            # resume with that one (reactor.integrate)
            h_new = max(h, hs * fac) if (hit and hs < h) else max(h, hs) * fac
        else:
            h_new = hs * min(fac, 0.5)
        fails = 0 if good else fails + 1
        if not accept:
            rejected += 1
            if fails >= max_failures or h_new < h_min * max(t, 1.0):
                info[0] = 1.0
                if not ok1:
                    info[1] = FAIL_EQUILIBRIUM if not conv1 else FAIL_RATE
                    info[3] = res1
                elif not ok2:
                    info[1] = FAIL_EQUILIBRIUM if not conv2 else FAIL_RATE
                    info[3] = res2
                else:
                    info[1] = FAIL_UNDERFLOW
                info[2] = t
                break
            h = h_new
            continue
        h = h_new
        t += hs
        y[:] = ynew
        F[:] = F2
        Jac[:, :] = J2
        x[:] = x2
        act[:] = act2
        dxdy[:, :] = dx2
        lomA[:] = lom2
        liveA[:] = live2
        ylast[:] = ynew
        luA[:, :] = lu2
        pivA[:] = piv2
        luaA[:] = lua2
        steps += 1
        # a mineral within 10 tolerances (~10 atol: the tolerance is relative to the amount left) of running out
        # and still dissolving is finished at once
        snap = False
        for j in range(nk):
            tj = atol[j] + rtol[j] * min(abs(y[j]), upper[j] - y[j])
            if upper[j] - y[j] <= NEAR_BOUND * tj and upper[j] > y[j] and F[j] > 0:
                y[j] = upper[j]
                snap = True
        if snap:
            oks, convs, ress, _ = _evaluate_row(x, act, ylast, dxdy, y, True, lgk, plgk_eq, plgk_r, adh, bdh, bdot, tk, T0, Z, Q0, O0, tol, max_it, accept, D, z, q, o, dh, ion, sl, sb, co2, co2c, PX, pq, po, nzp, nzc, nzv, C, qmin, omin, m0, mode, area_sp, direction, sp, PXr, G, Akin, EaR, mech_min, carb_mech, carb_ih, carb_ic, carb_kc, aff, aff_off, sigma, al_floor, mg,
                                       x2, act2, F2r, J2, dx2, luA, pivA, luaA, lu2, piv2, lua2, lom2, liveA, live2, prune)
            n_eval += 1
            if oks:
                lomA[:] = lom2
                liveA[:] = live2
                F[:] = F2r
                Jac[:, :] = J2
                x[:] = x2
                act[:] = act2
                dxdy[:, :] = dx2
                ylast[:] = y
                luA[:, :] = lu2
                pivA[:] = piv2
                luaA[:] = lua2
        if hit:
            t = t_next
            out_y[nxt, :] = y
            out_x[nxt, :] = x
            out_act[nxt, :] = act
            nxt += 1
            if nxt >= n_out:
                break
        if steps >= max_steps:
            info[0] = 1.0
            info[1] = FAIL_STEPS
            info[2] = t
            break
    info[4] = steps
    info[5] = rejected
    info[6] = n_eval
    info[7] = nxt


@njit(cache=True, nogil=True)
def _integrate_serial(T_OUT, N_OUT, UPPER, X0, ACT0, rtol, atol, h0, h_min, max_steps, max_failures, events, prune,
                      LGK, PLGK, PLGKR, ADH, BDH, BDOT, TK, T0, Z, Q0, O0, tol, max_it, accept, D, z, q, o, dh, ion, sl,
                      sb, co2, co2c, PX, pq, po, nzp, nzc, nzv, C, qmin, omin, M0, MODE, AREA, DIR, sp, PXr, G, Akin, EaR, mech_min,
                      carb_mech, carb_ih, carb_ic, carb_kc, aff, aff_off, sigma, al_floor, mg, OUT_Y, OUT_X, OUT_ACT, INFO):
    for r in range(T_OUT.shape[0]):
        _integrate_row(T_OUT[r], N_OUT[r], UPPER[r], X0[r], ACT0[r], rtol, atol, h0, h_min, max_steps, max_failures, events, prune,
                       LGK[r], PLGK[r], PLGKR[r], ADH[r], BDH[r], BDOT[r], TK[r], T0[r], Z[r], Q0[r], O0[r], tol, max_it,
                       accept, D, z, q, o, dh, ion, sl, sb, co2, co2c, PX, pq, po, nzp, nzc, nzv, C, qmin, omin, M0[r], MODE[r], AREA[r],
                       DIR[r], sp, PXr, G, Akin, EaR, mech_min, carb_mech, carb_ih, carb_ic, carb_kc, aff, aff_off, sigma,
                       al_floor, mg, OUT_Y[r], OUT_X[r], OUT_ACT[r], INFO[r])


def integrate_rows(net, cond, reactors, t_out, upper, x0, active0, rtol, atol, h0=None, h_min=1e-14, max_steps=200000,
                   max_failures=25, tol=1e-11, max_iterations=60, accept=1e-9, chunk_done=None, events=False, prune=True):
    """Integrate every reactor of ``reactors`` (compiled Rosenbrock, one reactor per call, threads over reactors).

    Returns (out_y (N, n_out_max, nk), out_x (N, n_out_max, n), out_act (N, n_out_max, neq), info (N, 8)); see
    :func:`_integrate_row` for ``info``. ``chunk_done(k)`` is called as groups of reactors finish. ``events``:
    locate where a kinetic mineral's rate switches on or off (:func:`ccus.kinetics.reactor.integrate`).
    ``prune``: leave out the species negligible in every balance (:func:`_prune`; the Python integrator does not).
    """
    cs = net.cs
    pk = pack(cs)
    rp = net.kernel_pack(cond, reactors)
    N, nk, n, neq = len(t_out), net.nk, cs.n_unknowns, cs.neq
    n_out = np.array([len(tt) for tt in t_out], np.int64)
    T_OUT = np.full((N, int(n_out.max())), np.inf)
    for i, tt in enumerate(t_out):
        T_OUT[i, :len(tt)] = tt
    atol_v = np.ascontiguousarray(np.broadcast_to(np.asarray(atol, float), (nk,)))
    OUT_Y = np.zeros((N, T_OUT.shape[1], nk))
    OUT_X = np.zeros((N, T_OUT.shape[1], n))
    OUT_ACT = np.zeros((N, T_OUT.shape[1], neq), np.bool_)
    INFO = np.zeros((N, 8))
    rtol_v = np.ascontiguousarray(np.broadcast_to(np.asarray(rtol, float), (nk,)))
    args = (T_OUT, n_out, _c(upper), _c(x0), np.ascontiguousarray(active0, dtype=np.bool_), rtol_v, atol_v,
            float(h0) if h0 else 0.0, float(h_min), int(max_steps), int(max_failures), bool(events), bool(prune), *rp["cond"], float(tol),
            int(max_iterations), float(accept), *pk, *rp["net"], *rp["reactors"], *rp["laws"], OUT_Y, OUT_X, OUT_ACT, INFO)
    c0 = 13  # first of the per-reactor conditions (rp["cond"]) in args; then tol, max_it, accept, pk, rp["net"]
    r0 = c0 + len(rp["cond"]) + 3 + len(pk) + len(rp["net"])  # first of the per-reactor rp["reactors"]
    per_row = (0, 1, 2, 3, 4) + tuple(range(c0, c0 + len(rp["cond"]))) + tuple(range(r0, r0 + len(rp["reactors"])))
    # reactors in groups (so that progress can be shown), each group split over threads; every group ends with
    # threads idle while the last chunks finish: groups of 256 (not 64) made 1,000 bench scenarios ~5 % faster
    group = max(PARALLEL_ROWS * threads(), 256)
    for a in range(0, N, group):
        b = min(N, a + group)
        sub = tuple(v[a:b] if i in per_row or i >= len(args) - 4 else v for i, v in enumerate(args))
        _threaded(_integrate_serial, b - a, sub, row_args=per_row, out_args=(-4, -3, -2, -1), chunk=INTEGRATE_CHUNK)
        if chunk_done is not None:
            chunk_done(b)
    return OUT_Y, OUT_X, OUT_ACT, INFO
