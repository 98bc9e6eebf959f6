"""Closed-system equilibrium of N batch reactors: water mass and redox state free, warm-started.

The native speciation (:mod:`ccus.chemistry.speciation`) solves an *initial*
solution: 1 kg water and a fixed pe. A batch reactor needs what PHREEQC solves
in a reaction step: given the moles of every element, the charge imbalance,
the oxidation state and the oxygen in the system, find the water mass, pH and
pe, and the amounts of the equilibrium phases. This module builds that on the
same reduced system (:mod:`ccus.thermo.system`) and activity model
(:mod:`ccus.thermo.activity`); it is kept here, not in ``ccus.chemistry``,
because that package was being changed when the kinetics were written.

Unknowns of each reactor (``x``, shape (N, nc + 5 + neq))::

    la_k (nc)   log10 activity of the master species of component k
    la_h        log10 a(H+)
    la_e        log10 a(e-) = -pe
    ln I        ionic strength [mol/kg]
    la_w        log10 a(H2O)
    ln W        water mass [kg]
    n_p (neq)   moles of equilibrium phase p in the reactor (>= 0)

Conserved quantities (moles in the reactor) and their equations::

    T_k = W sum_s S_sk m_s + sum_p P_pk n_p                     (each component)
    Z   = W sum_s z_s m_s                                       (charge, PHREEQC keeps the
                                                                 initial solution's imbalance)
    Q   = W sum_s q_s m_s + sum_p q_p n_p,   q = -nu_e          (oxidising equivalents
                                                                 relative to the master species)
    O   = W (55.5084 + sum_s O_s m_s) + sum_p O_p n_p           (oxygen; fixes W)

plus ln I = ln(0.5 sum z^2 m), a_w = 1 - 0.017 sum m, and SI_p = 0 for a phase
present (n_p > 0) or n_p = 0 with SI_p <= 0. Hydrogen is then conserved too: for
every species z = H - 2 O + (valence of the other atoms), so H follows from Z, O
and Q. This is PHREEQC's reaction-step model (its unknowns: mass of water from the
O balance, pe from the H balance, pH from the charge balance) in other variables.

A component's total may be exactly zero (e.g. no Al in the water); its mass
balance then uses 1e-30 mol so that the log form stays finite.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ccus.formula import element_counts
from ccus.thermo.activity import AH2O_FACTOR, LN10, llnl_parameters_at, log_gamma
from ccus.thermo.database import split_charge
from ccus.thermo.gas import solid_pressure_shift
from ccus.thermo.logk import log_k
from ccus.thermo.system import ReducedSystem

#: moles of water per kg (M(H2O) = 18.0153 g/mol, PHREEQC's gfw of water)
MOL_WATER_PER_KG = 1000.0 / 18.0153
ZERO_TOTAL = 1e-30


def species_composition(name: str) -> dict[str, float]:
    """Element counts of a species name such as ``HCO3-`` or ``Ti(OH)4``."""
    body, _ = split_charge(name)
    return element_counts(body)


@dataclass
class ClosedSystem:
    """Arrays of a reduced system needed by :func:`solve_closed` (built once per system)."""

    system: ReducedSystem
    eq_phases: list[str]
    S: np.ndarray  # (ns, nc) species stoichiometry in components
    z: np.ndarray  # (ns,) charge
    q: np.ndarray  # (ns,) oxidising equivalents = -nu_e
    o: np.ndarray  # (ns,) oxygen atoms
    nu_h: np.ndarray
    nu_e: np.ndarray
    nu_w: np.ndarray
    comp_o: np.ndarray  # (nc,) O in the master species
    comp_tv: np.ndarray  # (nc,) z - H + 2 O of the master species ("total valence" of the other atoms)
    P: np.ndarray  # (neq, nc)
    p_nu_h: np.ndarray
    p_nu_e: np.ndarray
    p_nu_w: np.ndarray
    p_o: np.ndarray  # (neq,)
    p_q: np.ndarray  # (neq,)
    p_idx: list[int]
    element_of_component: list[str]

    @classmethod
    def build(cls, system: ReducedSystem, eq_phases: list[str]) -> ClosedSystem:
        a = system.arrays()
        comp = [species_composition(s) for s in system.component_species]
        comp_o = np.array([c.get("O", 0.0) for c in comp])
        comp_h = np.array([c.get("H", 0.0) for c in comp])
        comp_z = np.array([_charge(system, s) for s in system.component_species])
        S = a["stoich"]
        o = S @ comp_o + a["nu_w"]
        idx = [system.phases.index(p) for p in eq_phases]
        P = a["p_stoich"][idx].reshape(len(idx), len(system.states))
        return cls(
            system=system, eq_phases=list(eq_phases), S=S, z=a["charge"], q=-a["nu_e"], o=o,
            nu_h=a["nu_h"], nu_e=a["nu_e"], nu_w=a["nu_w"], comp_o=comp_o,
            comp_tv=comp_z - comp_h + 2.0 * comp_o, P=P,
            p_nu_h=a["p_nu_h"][idx], p_nu_e=a["p_nu_e"][idx], p_nu_w=a["p_nu_w"][idx],
            p_o=P @ comp_o + a["p_nu_w"][idx], p_q=-a["p_nu_e"][idx], p_idx=idx,
            element_of_component=[s.split("(")[0] for s in system.states],
        )

    @property
    def nc(self) -> int:
        return self.S.shape[1]

    @property
    def neq(self) -> int:
        return len(self.eq_phases)

    @property
    def n_unknowns(self) -> int:
        return self.nc + 5 + self.neq

    def formula_vector(self, elements: dict[str, float]) -> tuple[np.ndarray, float, float]:
        """Component moles, O moles and oxidising equivalents added with 1 mol of a neutral formula.

        ``Q = (2 O - H) - sum_k c_k TV_k``: the valence the formula brings beyond what its
        elements carry as master species (e.g. +0.02 per mol of Kinec_v3 basaltic glass,
        whose O3.364 slightly exceeds its cations' charge: it oxidises Fe(2)).
        """
        c = np.zeros(self.nc)
        for el, n in elements.items():
            if el in ("O", "H"):
                continue
            if el not in self.element_of_component:
                raise KeyError(el)
            c[self.element_of_component.index(el)] += n
        o_f, h_f = elements.get("O", 0.0), elements.get("H", 0.0)
        q = (2.0 * o_f - h_f) - float(c @ self.comp_tv)
        return c, o_f, q


def _charge(system: ReducedSystem, name: str) -> float:
    try:
        return system.charge[system.species.index(name)]
    except ValueError:
        return split_charge(name)[1]


@dataclass
class Conditions:
    """Temperature-dependent constants of N reactors."""

    tk: np.ndarray  # (N,)
    lgk: np.ndarray  # (N, ns)
    plgk: np.ndarray  # (N, nphases) with the solid pressure shift
    a_dh: np.ndarray
    b_dh: np.ndarray
    bdot: np.ndarray

    def take(self, rows: np.ndarray) -> Conditions:
        return Conditions(self.tk[rows], self.lgk[rows], self.plgk[rows], self.a_dh[rows], self.b_dh[rows], self.bdot[rows])


def conditions(cs: ClosedSystem, tk: np.ndarray, p_atm: np.ndarray) -> Conditions:
    """log K at temperature ``tk`` [K]; log K of solids shifted to pressure ``p_atm`` [atm]."""
    sysm = cs.system
    a = sysm.arrays()
    tk = np.atleast_1d(np.asarray(tk, float))
    p_atm = np.broadcast_to(np.asarray(p_atm, float), tk.shape)
    lgk = log_k(a["logk"], tk)
    plgk = log_k(a["p_logk"], tk)
    vm = np.array([v if v is not None else 0.0 for v in sysm.phase_vm], float)
    if vm.size:
        plgk = plgk + solid_pressure_shift(vm[None, :], p_atm[:, None], tk[:, None])
    A, B, bd = llnl_parameters_at(sysm.llnl_temperatures, sysm.llnl_a, sysm.llnl_b, sysm.llnl_bdot, tk - 273.15)
    return Conditions(tk, lgk, plgk, np.atleast_1d(A), np.atleast_1d(B), np.atleast_1d(bd))


@dataclass
class Budget:
    """Conserved moles of N reactors: components T (N, nc), charge Z, oxidising equivalents Q, oxygen O."""

    T: np.ndarray
    Z: np.ndarray
    Q: np.ndarray
    O: np.ndarray  # noqa: E741 (oxygen, as in the equations)

    def take(self, rows) -> Budget:
        return Budget(self.T[rows], self.Z[rows], self.Q[rows], self.O[rows])


class _Eval:
    """Species and residuals of rows of reactors at an iterate ``x``."""

    def __init__(self, cs: ClosedSystem, cond: Conditions, x: np.ndarray):
        nc = cs.nc
        self.cs, self.x = cs, x
        mu = np.exp(x[:, nc + 2])
        lg, dlg = log_gamma(mu, cs.z, _sys_arr(cs, "ion_size"), _sys_arr(cs, "kind"), _sys_arr(cs, "wateq_b"),
                            cond.a_dh, cond.b_dh, cond.bdot, np.asarray(cs.system.llnl_co2, float), cond.tk)
        # log activity of every species (no gamma): linear in x
        la_s = cond.lgk + x[:, :nc] @ cs.S.T + np.outer(x[:, nc], cs.nu_h) + np.outer(x[:, nc + 1], cs.nu_e)
        la_s += np.outer(x[:, nc + 3], cs.nu_w)
        self.la_s = la_s
        logm = np.clip(la_s - lg, -320.0, 5.0)
        self.m = np.exp(logm * LN10)
        self.dlg_dlnI = dlg * mu[:, None]  # d log10 gamma / d ln I
        self.W = np.exp(x[:, nc + 4])


def species_molalities(cs: ClosedSystem, cond: Conditions, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Molalities of every species (N, ns) [mol/kg] and water mass (N,) [kg] at states ``x``.

    The species of :func:`residual_jacobian` at ``x`` (its ``ev.m``, ``ev.W``) without the residuals.
    """
    ev = _Eval(cs, cond, x)
    return ev.m, ev.W


def _sys_arr(cs: ClosedSystem, key: str) -> np.ndarray:
    return cs.system.arrays()[key]


def phase_si(cs: ClosedSystem, cond: Conditions, x: np.ndarray, idx=None) -> np.ndarray:
    """Saturation indices log10(IAP/K) (N, nphases) or of the phases ``idx``."""
    a = cs.system.arrays()
    nc = cs.nc
    Pst, nh, ne, nw = a["p_stoich"], a["p_nu_h"], a["p_nu_e"], a["p_nu_w"]
    plgk = cond.plgk
    if idx is not None:
        Pst, nh, ne, nw, plgk = Pst[idx], nh[idx], ne[idx], nw[idx], plgk[:, idx]
    return (x[:, :nc] @ Pst.T + np.outer(x[:, nc], nh) + np.outer(x[:, nc + 1], ne)
            + np.outer(x[:, nc + 3], nw) - plgk)


def residual_jacobian(cs: ClosedSystem, cond: Conditions, b: Budget, x: np.ndarray, active: np.ndarray,
                      fixed: np.ndarray, want_jac: bool = True):
    """Residuals (N, n) and Jacobian (N, n, n) at ``x``.

    ``fixed`` (N, 3) bools hold la_h, la_e, ln W at their values in ``x`` (initial-solution mode:
    given pH, pe, 1 kg water) instead of solving the charge, redox and oxygen balances.
    """
    nc, neq = cs.nc, cs.neq
    ih, ie, ii, iw, iW, ix = nc, nc + 1, nc + 2, nc + 3, nc + 4, nc + 5
    ev = _Eval(cs, cond, x)
    m, W = ev.m, ev.W
    N, n = x.shape
    npk = x[:, ix:]
    S = cs.S
    tc = m @ S  # (N, nc) molalities
    target = b.T - npk @ cs.P
    tg = np.maximum(target, ZERO_TOTAL)
    R = np.zeros((N, n))
    R[:, :nc] = np.log10(np.maximum(tc, 1e-300) * W[:, None]) - np.log10(tg)
    # convergence measure of the mass balances: the log residual, or the mismatch relative to
    # the component's total in the reactor when a phase holds nearly all of it (the aqueous
    # amount is then a difference of two large numbers and its log cannot get below ~1e-9)
    ev.mass_error = np.minimum(np.abs(R[:, :nc]), np.abs(W[:, None] * tc - target) / np.maximum(np.abs(b.T), ZERO_TOTAL))
    zm = m * cs.z
    dz = W * np.abs(zm).sum(axis=1) + np.abs(b.Z) + 1e-300
    qm = m * cs.q
    dq = W * np.abs(qm).sum(axis=1) + np.abs(b.Q) + np.abs(npk) @ np.abs(cs.p_q) + 1e-300
    om = m * cs.o
    R[:, ih] = np.where(fixed[:, 0], 0.0, (W * zm.sum(axis=1) - b.Z) / dz)
    R[:, ie] = np.where(fixed[:, 1], 0.0, (W * qm.sum(axis=1) + npk @ cs.p_q - b.Q) / dq)
    z2m = m * cs.z**2
    ic = 0.5 * z2m.sum(axis=1)
    R[:, ii] = np.log(np.maximum(ic, 1e-300)) - x[:, ii]
    R[:, iw] = 10.0 ** x[:, iw] - 1.0 + AH2O_FACTOR * m.sum(axis=1)
    o_aq = W * (MOL_WATER_PER_KG + om.sum(axis=1))
    R[:, iW] = np.where(fixed[:, 2], 0.0, (o_aq + npk @ cs.p_o - b.O) / b.O)
    si = phase_si(cs, cond, x, cs.p_idx) if neq else np.zeros((N, 0))
    if neq:
        R[:, ix:] = np.where(active, si, npk)
    if not want_jac:
        return R, ev, si
    J = np.zeros((N, n, n))
    dl = ev.dlg_dlnI  # (N, ns)

    def lin(wm: np.ndarray) -> np.ndarray:
        """sum_s wm_s d log10 m_s / d (la, la_h, la_e, ln I, la_w) -> (N, nc + 4)."""
        out = np.empty((N, nc + 4))
        out[:, :nc] = wm @ S
        out[:, ih] = wm @ cs.nu_h
        out[:, ie] = wm @ cs.nu_e
        out[:, ii] = -(wm * dl).sum(axis=1)
        out[:, iw] = wm @ cs.nu_w
        return out

    SS = (S[:, :, None] * S[:, None, :]).reshape(S.shape[0], nc * nc)
    inv_tc = 1.0 / np.maximum(tc, 1e-300)
    J[:, :nc, :nc] = (m @ SS).reshape(N, nc, nc) * inv_tc[:, :, None]
    J[:, :nc, ih] = ((m * cs.nu_h) @ S) * inv_tc
    J[:, :nc, ie] = ((m * cs.nu_e) @ S) * inv_tc
    J[:, :nc, ii] = -((m * dl) @ S) * inv_tc
    J[:, :nc, iw] = ((m * cs.nu_w) @ S) * inv_tc
    J[:, :nc, iW] = 1.0 / LN10
    if neq:
        J[:, :nc, ix:] = np.where((target > ZERO_TOTAL)[:, :, None], cs.P.T[None, :, :] / (LN10 * tg[:, :, None]), 0.0)
    rc = LN10 * W[:, None] * lin(zm) / dz[:, None]
    J[:, ih, : nc + 4] = rc
    J[:, ih, iW] = W * zm.sum(axis=1) / dz
    rq = LN10 * W[:, None] * lin(qm) / dq[:, None]
    J[:, ie, : nc + 4] = rq
    J[:, ie, iW] = W * qm.sum(axis=1) / dq
    if neq:
        J[:, ie, ix:] = cs.p_q[None, :] / dq[:, None]
    J[:, ii, : nc + 4] = LN10 * lin(z2m) / np.maximum(2.0 * ic, 1e-300)[:, None]
    J[:, ii, ii] -= 1.0
    J[:, iw, : nc + 4] = AH2O_FACTOR * LN10 * lin(m)
    J[:, iw, iw] += LN10 * 10.0 ** x[:, iw]
    J[:, iW, : nc + 4] = LN10 * W[:, None] * lin(om) / b.O[:, None]
    J[:, iW, iW] = o_aq / b.O
    if neq:
        J[:, iW, ix:] = cs.p_o[None, :] / b.O[:, None]
    for col, k in ((0, ih), (1, ie), (2, iW)):
        rows = fixed[:, col]
        if rows.any():
            J[rows, k, :] = 0.0
            J[rows, k, k] = 1.0
    if neq:
        jp = np.zeros((N, neq, n))
        jp[:, :, :nc] = cs.P[None, :, :]
        jp[:, :, ih] = cs.p_nu_h[None, :]
        jp[:, :, ie] = cs.p_nu_e[None, :]
        jp[:, :, iw] = cs.p_nu_w[None, :]
        ident = np.zeros((neq, n))
        ident[np.arange(neq), ix + np.arange(neq)] = 1.0
        J[:, ix:, :] = np.where(active[:, :, None], jp, ident[None, :, :])
    return R, ev, si, J


@dataclass
class ClosedResult:
    x: np.ndarray
    active: np.ndarray
    converged: np.ndarray  # (N,) bool
    iterations: np.ndarray
    residual: np.ndarray  # (N,) max |R|
    J: np.ndarray | None = None  # Jacobian at the solution (converged rows)


def initial_guess(cs: ClosedSystem, b: Budget, ph: np.ndarray, pe: np.ndarray) -> np.ndarray:
    """Starting iterate: totals as activities, the given pH and pe, 1 kg water, no phases."""
    N = b.T.shape[0]
    x = np.zeros((N, cs.n_unknowns))
    x[:, : cs.nc] = np.log10(np.maximum(b.T, ZERO_TOTAL))
    x[:, cs.nc] = -np.asarray(ph, float)
    x[:, cs.nc + 1] = -np.asarray(pe, float)
    comp_z = cs.comp_tv - 2 * cs.comp_o  # not the charge in general; only a scale for I
    x[:, cs.nc + 2] = np.log(np.maximum(0.5 * (np.maximum(b.T, 0) * np.maximum(np.abs(comp_z), 1.0) ** 2).sum(axis=1), 1e-7))
    return x


def refine_guess(cs: ClosedSystem, cond: Conditions, b: Budget, x0: np.ndarray, sweeps: int = 60,
                 tol: float = 0.01) -> np.ndarray:
    """Mass-balance sweeps on a starting iterate at its pH, pe and water mass (kept as in ``x0``).

    "Totals as activities" (:func:`initial_guess`) is a poor start where a master species is a
    minor form of its component: Al+3 at 260 C and pH 6.5 is ~1e-10 of dissolved Al (the rest
    is Al(OH)4- and Al(OH)3), so that guess puts ~1e5 mol/kg in the hydroxy complexes and
    Newton's method on the coupled system diverges (issue #4, the CarbFix2 formation water). Each sweep
    moves every ``la_k`` by a diagonal Newton step on its own mass balance,
    ``log10(T_k / W) - log10(sum_s S_sk m_s)`` divided by the mean stoichiometry of k in its
    species (``sum S^2 m / sum S m``), at most 4 log units; ln I and la_w follow the
    molalities. PHREEQC revises its starting guesses the same way before its Newton
    iteration (``revise_guesses`` in model.cpp). Stops when no ``la_k`` moves more than ``tol``.
    """
    nc = cs.nc
    x = x0.copy()
    arr = cs.system.arrays()
    W = np.exp(x[:, nc + 4])
    logt = np.log10(np.maximum(b.T, ZERO_TOTAL) / W[:, None])
    for _ in range(sweeps):
        mu = np.exp(x[:, nc + 2])
        lg, _dlg = log_gamma(mu, cs.z, arr["ion_size"], arr["kind"], arr["wateq_b"], cond.a_dh, cond.b_dh,
                             cond.bdot, np.asarray(cs.system.llnl_co2, float), cond.tk)
        la_s = (cond.lgk + x[:, :nc] @ cs.S.T + np.outer(x[:, nc], cs.nu_h) + np.outer(x[:, nc + 1], cs.nu_e)
                + np.outer(x[:, nc + 3], cs.nu_w))
        # unclipped molalities, scaled per reactor to avoid overflow: the ratios are what counts
        logm = la_s - lg
        shift = np.maximum(logm.max(axis=1, keepdims=True), 0.0)
        ms = 10.0 ** np.maximum(logm - shift, -300.0)
        tc = ms @ cs.S
        tc2 = ms @ (cs.S ** 2)
        ltc = np.log10(np.maximum(tc, 1e-300)) + shift
        slope = np.where(tc > 0, tc2 / np.maximum(tc, 1e-300), 1.0)
        d = np.clip((logt - ltc) / np.maximum(slope, 1e-3), -4.0, 4.0)
        d[tc <= 0] = 0.0
        x[:, :nc] += d
        done = np.abs(d).max(axis=1) < tol
        # ionic strength and water activity of the molalities before this step (plausible scale)
        m = 10.0 ** np.clip(logm, -300.0, 3.0)
        x[:, nc + 2] = np.log(np.clip(0.5 * (m * cs.z ** 2).sum(axis=1), 1e-10, 20.0))
        x[:, nc + 3] = np.log10(np.clip(1.0 - AH2O_FACTOR * m.sum(axis=1), 0.5, 1.0))
        if done.all():
            break
    return x


def solve_closed(cs: ClosedSystem, cond: Conditions, b: Budget, x0: np.ndarray, active0: np.ndarray | None = None,
                 fixed: np.ndarray | None = None, tol: float = 1e-11, max_iterations: int = 100,
                 want_jac: bool = False, phases: bool = True, accept: float = 1e-9) -> ClosedResult:
    """Newton's method (batched, damped, warm-started from ``x0``) for N reactors.

    Rows that do not converge are flagged in ``converged`` (never raised here): the
    reactor integrator reports them and carries on with the others. ``phases=False``
    keeps every equilibrium phase out (initial solutions).

    The iteration runs in the compiled per-reactor kernels of :mod:`ccus.kinetics.kernels`
    (threads over reactors when there are many); ``solve_closed_numpy`` is the same
    algorithm in batched numpy (reference, and fallback when numba is not importable).
    """
    try:
        from ccus.kinetics.kernels import newton_rows
    except ImportError:  # pragma: no cover - numba is a dependency; kept for a broken install
        newton_rows = None
    if newton_rows is not None:
        x, active, conv, its, res, J = newton_rows(cs, cond, b, x0, active0, fixed, tol, max_iterations, accept,
                                                   want_jac, phases)
        return ClosedResult(x=x, active=active, converged=conv, iterations=its, residual=res, J=J)
    return solve_closed_numpy(cs, cond, b, x0, active0, fixed, tol, max_iterations, want_jac, phases, accept)


def solve_closed_numpy(cs: ClosedSystem, cond: Conditions, b: Budget, x0: np.ndarray, active0: np.ndarray | None = None,
                       fixed: np.ndarray | None = None, tol: float = 1e-11, max_iterations: int = 100,
                       want_jac: bool = False, phases: bool = True, accept: float = 1e-9) -> ClosedResult:
    """:func:`solve_closed` in batched numpy (the same iteration; reference for the compiled kernels)."""
    N, n = x0.shape
    nc, neq = cs.nc, cs.neq
    ix = nc + 5
    x = x0.copy()
    active = np.zeros((N, neq), bool) if active0 is None else active0.copy()
    if neq:
        active |= x[:, ix:] > 0
    fixed = np.zeros((N, 3), bool) if fixed is None else fixed
    conv = np.zeros(N, bool)
    its = np.zeros(N, int)
    res = np.full(N, np.inf)
    Jout = np.zeros((N, n, n)) if want_jac else None
    todo = np.arange(N)
    for it in range(max_iterations + 1):
        if todo.size == 0:
            break
        full = todo.size == N
        c_r, b_r = (cond, b) if full else (cond.take(todo), b.take(todo))
        xt, at, ft = x[todo], active[todo], fixed[todo]
        R, ev, si = residual_jacobian(cs, c_r, b_r, xt, at, ft, want_jac=False)
        # active set: phases with n < 0 leave, supersaturated absent phases enter
        if neq:
            npk = xt[:, ix:]
            leave = at & (npk < 0)
            # hysteresis against cycling at the onset of precipitation: enter at SI > 1e-9
            enter = (~at) & (si > 1e-9) & phases & ~leave
            changed = (leave | enter).any(axis=1)
            if changed.any():
                xt[:, ix:] = np.where(leave, 0.0, npk)
                at = (at & ~leave) | enter
                active[todo] = at
                x[todo] = xt
                R, ev, si = residual_jacobian(cs, c_r, b_r, xt, at, ft, want_jac=False)
        else:
            changed = np.zeros(todo.size, bool)
        Rc = np.abs(R)
        Rc[:, :nc] = ev.mass_error
        rmax = Rc.max(axis=1)
        rmax[~np.isfinite(rmax)] = np.inf
        ok = (rmax < tol) & ~changed
        res[todo] = rmax
        if want_jac and ok.any():
            _, _, _, J_ok = residual_jacobian(cs, c_r.take(np.flatnonzero(ok)), b_r.take(ok), xt[ok], at[ok], ft[ok])
            Jout[todo[ok]] = J_ok
        if ok.any():
            conv[todo[ok]] = True
            its[todo[ok]] = it
        keep = ~ok
        if it == max_iterations or not keep.any():
            break
        todo, xt, R, at = todo[keep], xt[keep], R[keep], at[keep]
        # the Jacobian only for the rows that need a Newton step
        _, _, _, J = residual_jacobian(cs, c_r.take(np.flatnonzero(keep)), b_r.take(keep), xt, at, ft[keep])
        try:
            d = np.linalg.solve(J, -R[:, :, None])[:, :, 0]
        except np.linalg.LinAlgError:
            d = np.zeros_like(R)
            for k in range(len(todo)):
                d[k] = np.linalg.lstsq(J[k], -R[k], rcond=None)[0]
        d[~np.isfinite(d)] = 0.0
        d = _limit_step(cs, xt, d, b.take(todo), at)
        x[todo] = xt + d
    # rounding floor: a row stalled just above ``tol`` but below ``accept`` is converged
    late = (~conv) & (res < accept)
    conv |= late
    its[late] = max_iterations
    return ClosedResult(x=x, active=active, converged=conv, iterations=its, residual=res, J=Jout)


def _limit_step(cs: ClosedSystem, x: np.ndarray, d: np.ndarray, b: Budget, active: np.ndarray) -> np.ndarray:
    """Scale the whole Newton step (one factor per reactor) so that no unknown moves too far."""
    nc, neq = cs.nc, cs.neq
    ih, ie, ii, iw, iW, ix = nc, nc + 1, nc + 2, nc + 3, nc + 4, nc + 5
    d[:, ii] = np.clip(d[:, ii], -1.0, 1.0)
    d[:, iw] = np.clip(d[:, iw], -0.05, 0.05)
    limits = {ih: 1.0, ie: 2.0, iW: 0.2}
    scale = np.ones(len(d))
    for k, lim in limits.items():
        scale = np.minimum(scale, lim / np.maximum(np.abs(d[:, k]), 1e-300))
    if nc:
        scale = np.minimum(scale, 2.0 / np.maximum(np.abs(d[:, :nc]).max(axis=1), 1e-300))
    if neq:
        # a phase may not take more of a component than is there
        old = b.T - x[:, ix:] @ cs.P
        dt = d[:, ix:] @ cs.P
        with np.errstate(divide="ignore", invalid="ignore"):
            frac = np.where(dt > 0, 0.99 * np.maximum(old, 0.0) / dt, np.inf).min(axis=1)
        scale = np.minimum(scale, np.clip(frac, 1e-3, 1.0))
    return d * scale[:, None]
