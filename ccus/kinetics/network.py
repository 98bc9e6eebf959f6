"""The minerals of N batch reactors as arrays: budgets, equilibrium, rates and their Jacobian.

State of a reactor: ``xi`` (nk,), the moles of each kinetic mineral dissolved since
time zero (negative: precipitated); the mineral holds ``m = m0 - xi`` [mol]. The
conserved budget (:class:`ccus.kinetics.closed_system.Budget`) is linear in ``xi``::

    T = T0 + xi @ C,   O = O0 + xi @ o_min,   Q = Q0 + xi @ q_min,   Z = Z0

so every element, charge, oxygen and the redox state are conserved by
construction; the equilibrium (aqueous speciation, water mass, equilibrium
phases) is solved from the budget at every evaluation, warm-started.

Rates (per mineral j, PHREEQC's sign: > 0 dissolves) follow
:mod:`ccus.kinetics.tst`, :mod:`ccus.kinetics.glass`, :mod:`ccus.kinetics.surface`.
Their Jacobian d r / d xi combines d r / d x (finite differences of the cheap rate
functions in the equilibrium unknowns ``x``) with d x / d xi from the implicit function
theorem at the converged equilibrium (one batched linear solve): no extra equilibrium
solves.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ccus.config.rates import MineralRate
from ccus.kinetics import closed_system as csm
from ccus.kinetics.surface import surface_area
from ccus.kinetics.tst import apply_flags, carbonate_inhibition

LN10 = np.log(10.0)


@dataclass
class Reactors:
    """Per-reactor data of N reactors sharing one mineral list (plain SI floats)."""

    tk: np.ndarray  # (N,) reaction temperature [K]
    p_atm: np.ndarray  # (N,) pressure [atm]
    m0: np.ndarray  # (N, nk) initial moles of kinetic minerals [mol]
    mode: np.ndarray  # (N, nk) surface mode (ccus.kinetics.surface)
    area: np.ndarray  # (N, nk) m^2/g (modes 0, 2) or m^2/kg water (mode 1)
    direction: np.ndarray  # (N, nk) 0 both, 1 precipitate only, 2 dissolve only
    budget0: csm.Budget  # time-zero budget


@dataclass
class _Law:
    kind: str  # "tst" | "glass"
    mechs: list = field(default_factory=list)  # (A, Ea, kind, species index or gas phase index, order, kc)
    sigma: float = 1.0
    R: float = 8.314462618
    aff_phases: list = field(default_factory=list)  # (phase index, weight)
    al: int = -1
    h: int = -1


class Network:
    """Kinetic minerals ``rates`` and equilibrium phases ``eq_phases`` over a reduced system."""

    def __init__(self, system, rates: list[MineralRate], eq_phases: list[str]):
        self.cs = csm.ClosedSystem.build(system, eq_phases)
        self.rates = list(rates)
        self.names = [r.name for r in rates]
        sysm = system
        sp = {s: i for i, s in enumerate(sysm.species)}
        ph = {p: i for i, p in enumerate(sysm.phases)}
        nk, nc = len(rates), self.cs.nc
        self.C = np.zeros((nk, nc))
        self.o_min = np.zeros(nk)
        self.q_min = np.zeros(nk)
        a = sysm.arrays()
        self.molar_mass_g = np.array([r.molar_mass * 1000.0 for r in rates])
        self.laws: list[_Law] = []
        for j, r in enumerate(rates):
            if r.phase is not None and r.name in ph:  # PHREEQC takes a named phase's formula from PHASES
                p = ph[r.name]
                self.C[j] = a["p_stoich"][p]
                self.o_min[j] = a["p_stoich"][p] @ self.cs.comp_o + a["p_nu_w"][p]
                self.q_min[j] = -a["p_nu_e"][p]
            else:
                self.C[j], self.o_min[j], self.q_min[j] = self.cs.formula_vector(r.elements)
            law = _Law(kind="glass" if r.law == "gislason_oelkers2003" else "tst", sigma=r.sigma, R=r.gas_constant)
            if r.affinity_product:
                law.aff_phases = [(ph[p], w) for p, w in r.affinity_product]
            else:
                law.aff_phases = [(ph[r.affinity_phase or r.phase], None)]
            law.h = sp["H+"]
            if law.kind == "glass":
                law.al = sp["Al+3"]
            for m in r.mechanisms:
                if m.kind == "carbonate_inhibition":
                    law.mechs.append((m.A, m.Ea, "carb", (sp["HCO3-"], sp["CO3-2"]), 0.0, m.kc))
                elif m.species and m.species.endswith("(g)"):
                    law.mechs.append((m.A, m.Ea, "gas", ph[m.species], m.order, 0.0))
                elif m.species:
                    law.mechs.append((m.A, m.Ea, "species", sp[m.species], m.order, 0.0))
                else:
                    law.mechs.append((m.A, m.Ea, "neutral", -1, 0.0, 0.0))
            self.laws.append(law)
        self.sp_idx = sorted({i for law in self.laws for i in _species_of(law)})
        self.ph_idx = sorted({p for law in self.laws for p in _phases_of(law)})
        self._sp_pos = {s: k for k, s in enumerate(self.sp_idx)}
        self._ph_pos = {p: k for k, p in enumerate(self.ph_idx)}

    @property
    def nk(self) -> int:
        return len(self.rates)

    # -- budget and equilibrium -------------------------------------------------------------
    def budget(self, b0: csm.Budget, xi: np.ndarray) -> csm.Budget:
        return csm.Budget(b0.T + xi @ self.C, b0.Z.copy(), b0.Q + xi @ self.q_min, b0.O + xi @ self.o_min)

    def equilibrate(self, cond: csm.Conditions, b0: csm.Budget, xi: np.ndarray, x0: np.ndarray, active0: np.ndarray,
                    max_iterations: int = 60) -> csm.ClosedResult:
        return csm.solve_closed(self.cs, cond, self.budget(b0, xi), x0, active0, max_iterations=max_iterations)

    # -- rates -----------------------------------------------------------------------------
    def _logs(self, cond: csm.Conditions, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """log10 activities of the rate species and log10 SR of the rate phases, from ``x``."""
        cs, nc = self.cs, self.cs.nc
        a = cs.system.arrays()
        i = self.sp_idx
        la = cond.lgk[:, i] + x[:, :nc] @ cs.S[i].T + np.outer(x[:, nc], cs.nu_h[i]) + np.outer(x[:, nc + 1], cs.nu_e[i])
        la += np.outer(x[:, nc + 3], cs.nu_w[i])
        p = self.ph_idx
        si = (x[:, :nc] @ a["p_stoich"][p].T + np.outer(x[:, nc], a["p_nu_h"][p]) + np.outer(x[:, nc + 1], a["p_nu_e"][p])
              + np.outer(x[:, nc + 3], a["p_nu_w"][p]) - cond.plgk[:, p])
        return la, si

    def _compile(self):
        """Flatten the mechanisms of all minerals into matrices (done once)."""
        if getattr(self, "_compiled", None) is not None:
            return self._compiled
        nsp, nph, nk = len(self.sp_idx), len(self.ph_idx), self.nk
        mechs = []  # (mineral j, A, Ea, R, kind)
        G = []  # log10 g = L @ g_col, L = [la (nsp) | lsi (nph)]
        carb = []
        for j, law in enumerate(self.laws):
            for A, Ea, kind, ref, order, kc in law.mechs:
                col = np.zeros(nsp + nph)
                if law.kind == "glass":
                    col[self._sp_pos[law.h]] = 1.0
                    col[self._sp_pos[law.al]] = -1.0 / 3.0
                elif kind == "species":
                    col[self._sp_pos[ref]] = order
                elif kind == "gas":
                    col[nsp + self._ph_pos[ref]] = order
                elif kind == "carb":
                    carb.append((len(mechs), self._sp_pos[ref[0]], self._sp_pos[ref[1]], kc))
                mechs.append((j, A, Ea, law.R))
                G.append(col)
        M = len(mechs)
        to_min = np.zeros((M, nk))
        for i, (j, *_rest) in enumerate(mechs):
            to_min[i, j] = 1.0
        aff = np.zeros((nph, nk))
        aff_off = np.zeros(nk)
        for j, law in enumerate(self.laws):
            for p, w in law.aff_phases:
                aff[self._ph_pos[p], j] += 1.0
                if w is not None:
                    aff_off[j] += np.log10(w)
        al_cols = [self._sp_pos[law.al] for law in self.laws if law.kind == "glass"]
        self._compiled = {
            "G": np.array(G).T.reshape(nsp + nph, M), "A": np.array([m[1] for m in mechs]),
            "Ea_R": np.array([m[2] / m[3] for m in mechs]), "to_min": to_min, "carb": carb,
            "aff": aff, "aff_off": aff_off, "sigma": np.array([law.sigma for law in self.laws]),
            "al_cols": sorted(set(al_cols)),
        }
        return self._compiled

    def rates_at(self, cond: csm.Conditions, reactors: Reactors, rows: np.ndarray, x: np.ndarray, xi: np.ndarray) -> np.ndarray:
        """Rates [mol/s] (N_rows, nk), > 0 dissolution, exactly the PHREEQC RATES of rates_basic.

        ``rows`` index the reactors (they may repeat: finite-difference copies).
        """
        cp = self._compile()
        la, lsi = self._logs(cond, x)
        if cp["al_cols"]:
            la[:, cp["al_cols"]] = np.maximum(la[:, cp["al_cols"]], -300.0)  # glass law floor (ccus.kinetics.glass)
        L = np.concatenate([la, lsi], axis=1)
        W = np.exp(x[:, self.cs.nc + 4])
        k = cp["A"][None, :] * np.exp(-cp["Ea_R"][None, :] / cond.tk[:, None])  # ccus.kinetics.tst.arrhenius
        g = 10.0 ** (L @ cp["G"])  # power, gas and glass terms
        for i, ih, ic, kc in cp["carb"]:
            g[:, i] = carbonate_inhibition(10.0 ** la[:, ih] + 10.0 ** la[:, ic], kc)
        rplus = (k * g) @ cp["to_min"]
        log_omega = lsi @ cp["aff"] + cp["aff_off"][None, :]
        omega = 10.0 ** log_omega
        m = reactors.m0[rows] - xi
        area = surface_area(reactors.mode[rows], reactors.area[rows], self.molar_mass_g[None, :], reactors.m0[rows], m,
                            W[:, None])
        with np.errstate(over="ignore", invalid="ignore"):
            r = area * rplus * (1.0 - omega ** (1.0 / cp["sigma"][None, :]))
        return apply_flags(r, area, omega, m, reactors.direction[rows])

    def log_omega_at(self, cond: csm.Conditions, x: np.ndarray) -> np.ndarray:
        """log10 of each kinetic mineral's saturation ratio (N_rows, nk) at the equilibrium states ``x``."""
        cp = self._compile()
        _, lsi = self._logs(cond, x)
        return lsi @ cp["aff"] + cp["aff_off"][None, :]

    def kernel_pack(self, cond: csm.Conditions, reactors: Reactors) -> dict:
        """Contiguous arrays of ``cond``, ``reactors`` and the rate laws for :mod:`ccus.kinetics.kernels`.

        Cached for the last (cond, reactors) pair (identity), so a batched integration packs once.
        """
        kp = getattr(self, "_kp", None)
        if kp is not None and kp[0] is cond and kp[1] is reactors:
            return kp[2]
        cp = self._compile()
        cs = self.cs
        a = cs.system.arrays()
        N = cond.tk.shape[0]
        f = np.ascontiguousarray
        b0 = reactors.budget0
        nsp = len(self.sp_idx)
        mech_min = np.argmax(cp["to_min"], axis=1).astype(np.int64)
        carb = cp["carb"]
        al_floor = np.zeros(nsp, np.bool_)
        al_floor[cp["al_cols"]] = True
        px = np.zeros((len(self.ph_idx), cs.nc + 4))
        px[:, :cs.nc] = a["p_stoich"][self.ph_idx]
        px[:, cs.nc] = a["p_nu_h"][self.ph_idx]
        px[:, cs.nc + 1] = a["p_nu_e"][self.ph_idx]
        px[:, cs.nc + 3] = a["p_nu_w"][self.ph_idx]
        plgk_eq = f(cond.plgk[:, cs.p_idx]) if cs.neq else np.zeros((N, 0))

        def vec(v):
            return f(np.broadcast_to(np.asarray(v, float), (N,)))

        out = {
            "cond": (f(cond.lgk, dtype=float), plgk_eq, f(cond.plgk[:, self.ph_idx], dtype=float), vec(cond.a_dh),
                     vec(cond.b_dh), vec(cond.bdot), vec(cond.tk), f(b0.T, dtype=float), vec(b0.Z), vec(b0.Q), vec(b0.O)),
            "net": (f(self.C, dtype=float), f(self.q_min, dtype=float), f(self.o_min, dtype=float)),
            "reactors": (f(reactors.m0, dtype=float), f(reactors.mode, dtype=np.int64), f(reactors.area, dtype=float),
                         f(reactors.direction, dtype=np.int64)),
            "laws": (np.array(self.sp_idx, np.int64), px, f(cp["G"], dtype=float), f(cp["A"], dtype=float),
                     f(cp["Ea_R"], dtype=float), mech_min, np.array([c[0] for c in carb], np.int64),
                     np.array([c[1] for c in carb], np.int64), np.array([c[2] for c in carb], np.int64),
                     np.array([c[3] for c in carb], float), f(cp["aff"], dtype=float), f(cp["aff_off"], dtype=float),
                     f(cp["sigma"], dtype=float), al_floor, f(self.molar_mass_g, dtype=float)),
        }
        self._kp = (cond, reactors, out)
        return out

    def evaluate(self, cond: csm.Conditions, reactors: Reactors, rows: np.ndarray, y: np.ndarray, aux: dict,
                 want_jac: bool, max_iterations: int = 60) -> dict:
        """Equilibrium + rates [mol/s] + analytic d rates / d xi of reactors ``rows`` (compiled, one call).

        ``cond`` and ``reactors`` hold all N reactors; ``y`` (k, nk) is xi of the rows and
        ``aux`` their carried state {"x", "active", "y", "dxdy"} (last equilibrium, its xi and
        sensitivities d x / d xi, used as a first-order predictor). See
        :func:`ccus.kinetics.kernels.evaluate_rows` for what is returned. The Jacobian is
        (d r / d x)(d x / d xi) + d r / d xi|x, both factors analytic (no finite differences).
        """
        from ccus.kinetics.kernels import evaluate_rows

        return evaluate_rows(self, cond, reactors, rows, y, aux, want_jac, max_iterations=max_iterations)

    # -- Jacobian ----------------------------------------------------------------------------
    def rate_jacobian(self, cond: csm.Conditions, reactors: Reactors, rows: np.ndarray, x: np.ndarray, xi: np.ndarray,
                      active: np.ndarray, r0: np.ndarray) -> np.ndarray:
        """d r / d xi (N_rows, nk, nk) and d x / d xi (N_rows, n, nk) at a converged equilibrium ``x``."""
        cs = self.cs
        nc, n = cs.nc, cs.n_unknowns
        nr, nk = len(rows), self.nk
        b = self.budget(reactors.budget0.take(rows), xi)
        fixed = np.zeros((nr, 3), bool)
        R, ev, si, J = csm.residual_jacobian(cs, cond, b, x, active, fixed)
        # d R / d xi: mass balances (log form), redox and oxygen rows
        target = b.T - x[:, nc + 5:] @ cs.P
        tg = np.maximum(target, csm.ZERO_TOTAL)
        dRdxi = np.zeros((nr, n, nk))
        dRdxi[:, :nc, :] = np.where((target > csm.ZERO_TOTAL)[:, :, None], -self.C.T[None] / (LN10 * tg[:, :, None]), 0.0)
        qm = ev.m * cs.q
        dq = ev.W * np.abs(qm).sum(axis=1) + np.abs(b.Q) + np.abs(x[:, nc + 5:]) @ np.abs(cs.p_q) + 1e-300
        dRdxi[:, nc + 1, :] = -self.q_min[None, :] / dq[:, None]
        dRdxi[:, nc + 4, :] = -self.o_min[None, :] / b.O[:, None]
        try:
            dx = -np.linalg.solve(J, dRdxi)
        except np.linalg.LinAlgError:
            dx = np.stack([-np.linalg.lstsq(J[k], dRdxi[k], rcond=None)[0] for k in range(nr)])
        # d r / d x by forward differences on the cheap rate function (log-unit steps), and the
        # direct dependence on xi (surface area, exhausted minerals): all copies in one call
        cols = list(range(nc)) + [nc, nc + 1, nc + 3, nc + 4]
        nx = len(cols)
        eps = 1e-7
        xp = np.repeat(x[None], nx + nk, axis=0)  # (nx + nk, nr, n)
        xip = np.repeat(xi[None], nx + nk, axis=0)
        for a_, c in enumerate(cols):
            xp[a_, :, c] += eps
        hxi = 1e-8 * np.maximum(np.abs(reactors.m0[rows] - xi), 1e-6)  # (nr, nk)
        for j in range(nk):
            xip[nx + j, :, j] -= hxi[:, j]  # towards more mineral: stays inside m >= 0
        tot = (nx + nk) * nr
        rows_rep = np.tile(rows, nx + nk)
        cond_rep = cond.take(np.tile(np.arange(nr), nx + nk))
        rp = self.rates_at(cond_rep, reactors, rows_rep, xp.reshape(tot, n), xip.reshape(tot, nk)).reshape(nx + nk, nr, nk)
        drdx = np.zeros((nr, nk, n))
        drdx[:, :, cols] = np.transpose((rp[:nx] - r0[None]) / eps, (1, 2, 0))
        jac = np.einsum("nkc,ncj->nkj", drdx, dx)
        jac += np.transpose((r0[None] - rp[nx:]) / hxi.T[:, :, None], (1, 2, 0))
        jac[~np.isfinite(jac)] = 0.0
        dx[~np.isfinite(dx)] = 0.0
        return jac, dx


def _species_of(law: _Law):
    out = [law.h]
    if law.al >= 0:
        out.append(law.al)
    for _, _, kind, ref, _, _ in law.mechs:
        if kind == "species":
            out.append(ref)
        elif kind == "carb":
            out.extend(ref)
    return out


def _phases_of(law: _Law):
    out = [p for p, _ in law.aff_phases]
    out += [ref for _, _, kind, ref, _, _ in law.mechs if kind == "gas"]
    return out
