"""Chemistry of every cell as one batch per transport step (operator splitting).

Each cell is a closed batch reactor of 1 kg nominal pore water (PHREEQC's cell) with
the rock minerals (kinetic) and the secondary minerals (kinetic or at equilibrium),
solved by the native kinetics (:mod:`ccus.kinetics`). Its conserved budget
(:class:`ccus.kinetics.closed_system.Budget`: element totals ``T``, charge ``Z``,
oxidising equivalents ``Q`` and oxygen ``O``, water included) splits into

- the *dissolved* part (``T - n_p P``, ``Z``, ``Q - n_p q_p``, ``O - n_p o_p``; n_p the
  moles of the equilibrium phases), which moves with the water, and
- what stays: the kinetic minerals (``m = m0 - xi``) and the equilibrium phases.

A step: the transport gives each cell a new dissolved part; the budget is rebuilt
around the unchanged minerals and phases, and the kinetics of all cells are
integrated over ``dt`` from that state as one batch (:mod:`ccus.kinetics.reactor`).
Each step restarts the reactors at ``xi = 0`` with ``m0`` = the minerals now
present; the geometric surface ``a M m0 (m / m0)^(2/3)`` keeps its reference to the
original amount through ``a' = a (m0_orig / m0)^(1/3)``, so the restart changes
nothing in the rates. Because the budget is linear in the extents ``xi``
(:mod:`ccus.kinetics.network`), every element, charge, oxygen and the redox state
are conserved exactly by the reaction step.
"""

from __future__ import annotations

import numpy as np

from ccus.config.database_names import phase_formula
from ccus.engines.native.engine import redox_states_kept
from ccus.engines.phreeqc.inputs import kinetic_minerals
from ccus.errors import ConvergenceError
from ccus.formula import element_counts
from ccus.kinetics import closed_system as csm
from ccus.kinetics.network import Network, Reactors
from ccus.kinetics.reactor import integrate, network_evaluator
from ccus.kinetics.surface import GEOMETRIC

ATM = 101325.0  # Pa
DEFAULT_PE = 4.0  # pe of the formation water (as the native batch engine and PHREEQC's default)
ELEMENT_ORDER = ["C", "Ca", "Mg", "Fe", "Si", "Al", "Na", "K", "Cl", "S", "Ti", "Mn", "P", "N"]


def system_elements(exp) -> list[str]:
    """Elements (components) of the cells: formation water, minerals, gases, equilibrium phases."""
    els = {k.split("(")[0] for k in exp.site.water.composition}
    for k in kinetic_minerals(exp):
        els |= set(k.rate.elements)
    for ph in exp.injection.phases:
        for gas in ph.moles_per_kg_water():
            els |= set(element_counts(gas))
    for s in exp.secondary:
        if s.mode == "equilibrium":
            f = phase_formula(exp.database_path, s.phase)
            if f:
                els |= set(element_counts(f))
    els -= {"O", "H"}
    return [e for e in ELEMENT_ORDER if e in els] + sorted(els - set(ELEMENT_ORDER))


class CellChemistry:
    """``n`` cells of 1 kg nominal pore water, their minerals and their equilibrium states.

    Attributes (plain SI floats, per nominal kg of pore water)
    ---------------------------------------------------------
    u
        (n, nc + 3) dissolved content: element totals, charge Z, oxidising equivalents Q, oxygen O.
    m
        (n, nk) moles of each kinetic mineral.
    x, active
        Equilibrium unknowns of every cell (see :mod:`ccus.kinetics.closed_system`); the
        equilibrium phases' moles are ``x[:, nc + 5:]``.
    """

    def __init__(self, exp, n: int, rtol: float, atol: float):
        from ccus.thermo.system import reduced_system

        self.exp = exp
        self.n = n
        self.rtol, self.atol = rtol, atol
        self.kin = kinetic_minerals(exp)
        self.eq = [s.phase for s in exp.secondary if s.mode == "equilibrium"]
        self.elements = system_elements(exp)
        system = reduced_system(exp.database_path, self.elements)
        self.net = Network(system, [k.rate for k in self.kin], self.eq)
        cs = self.cs = self.net.cs
        nc, nk = cs.nc, self.net.nk
        comp = {e: k for k, e in enumerate(self.elements)}
        # formation water: 1 kg at its own temperature, pH and pe fixed (charge imbalance kept)
        T = np.zeros((1, nc))
        for key, q in exp.site.water.composition.items():
            T[0, comp[key.split("(")[0]]] += q.to("mol/kg").magnitude
        b_init = csm.Budget(T, np.zeros(1), np.zeros(1), np.array([csm.MOL_WATER_PER_KG]))
        p_atm = exp.pressure.to("Pa").magnitude / ATM
        cond_w = csm.conditions(cs, np.array([exp.site.water.temperature.to("K").magnitude]), np.array([p_atm]))
        x = csm.initial_guess(cs, b_init, np.array([exp.site.water.pH]), np.array([DEFAULT_PE]))
        x[:, nc + 4] = 0.0
        # mass-balance sweeps first: "totals as activities" diverges where a master species is a minor
        # form of its component (Al+3 above ~240 C: the CarbFix2 water; as the native batch engine)
        x = csm.refine_guess(cs, cond_w, b_init, x)
        r = csm.solve_closed(cs, cond_w, b_init, x, fixed=np.ones((1, 3), bool), phases=False)
        self._check(r, "speciation of the formation water")
        _, ev, _ = csm.residual_jacobian(cs, cond_w, b_init, r.x, r.active, np.ones((1, 3), bool), want_jac=False)
        Z = ev.W * (ev.m * cs.z).sum(axis=1)
        Qr = ev.W * (ev.m * cs.q).sum(axis=1)
        Ox = ev.W * (csm.MOL_WATER_PER_KG + (ev.m * cs.o).sum(axis=1))
        # a water given by redox state (S(-2), S(6), ...) keeps those states in its charge, redox and
        # oxygen budgets, as PHREEQC's SOLUTION and the native batch engine keep them
        redox_states_kept([exp], cs, np.ones(1), np.array([p_atm]), Z, Qr, Ox)
        #: dissolved content of 1 kg of formation water: [T (nc), Z, Q, O]; the injectates are made of it
        self.site_water = np.concatenate([T[0], Z, Qr, Ox])
        #: dissolved content of 1 kg of the ambient water (the cells at time zero and the inflow between
        #: injections): the site water, or the site water after a pre-run with the rock (:meth:`prerun`)
        self.ambient = self.site_water.copy()
        # the same water at the reaction temperature and pressure, no minerals: the cells at time zero
        tk = exp.temperature.to("K").magnitude
        cond1 = csm.conditions(cs, np.array([tk]), np.array([p_atm]))
        r0 = csm.solve_closed(cs, cond1, self._budget(self.ambient[None, :]), r.x, phases=False, max_iterations=200)
        self._check(r0, "formation water at the reaction temperature and pressure")
        self.cond = cond1.take(np.zeros(n, int))
        self.p_atm = np.full(n, p_atm)
        self.u = np.repeat(self.ambient[None, :], n, axis=0)
        #: the dissolved content that the equilibrium state ``x`` belongs to (``u`` before transport)
        self.u_eq = self.u.copy()
        self.x = np.repeat(r0.x, n, axis=0)
        self.active = np.zeros((n, cs.neq), bool)
        self.m0 = np.tile(np.array([k.m0 for k in self.kin], float), (n, 1)).reshape(n, nk)
        self.m = self.m0.copy()
        self.mode = np.tile(np.array([k.surface_mode for k in self.kin]), (n, 1)).reshape(n, nk)
        self.area = np.tile(np.array([k.area for k in self.kin], float), (n, 1)).reshape(n, nk)
        self.direction = np.tile(np.array([k.direction for k in self.kin]), (n, 1)).reshape(n, nk)
        #: starting step [s] of each cell's next reaction (0: the integrator estimates it)
        self.h_start = np.zeros(n)
        #: accepted steps of each cell's last reaction: its expected cost in the next (thread balancing)
        self.cost = np.ones(n)
        self.steps = 0
        self.rejected = 0
        self.evaluations = 0

    def prerun(self, seconds: float) -> None:
        """React the site water with one cell's rock and secondary minerals for ``seconds``; the
        resulting water (without the phases formed) becomes the ambient water of every cell and of
        the inflow between injections. The cells' minerals start fresh (as the PHREEQC transport's
        ``[formation_water] prerun``)."""
        one = CellChemistry(self.exp, 1, self.rtol, self.atol)
        one.react(seconds, -seconds)
        nc = self.cs.nc
        self.ambient = one.u[0].copy()
        self.u = np.repeat(self.ambient[None, :], self.n, axis=0)
        x = one.x.copy()
        x[:, nc + 5:] = 0.0
        self.x = np.repeat(x, self.n, axis=0)
        self.u_eq = self.u.copy()
        self.active = np.zeros_like(self.active)

    # -- content <-> budget ---------------------------------------------------------------------
    @property
    def n_content(self) -> int:
        """Number of transported quantities per cell: nc element totals, Z, Q, O."""
        return self.cs.nc + 3

    def inlet_content(self, gases: dict[str, float]) -> np.ndarray:
        """Dissolved content of 1 kg formation water with ``gases`` [mol per kg water] added."""
        u = self.site_water.copy()
        nc = self.cs.nc
        for gas, n in gases.items():
            c, o, q = self.cs.formula_vector(element_counts(gas))
            u[:nc] += c * n
            u[nc + 1] += q * n
            u[nc + 2] += o * n
        return u

    def _budget(self, u: np.ndarray, npk: np.ndarray | None = None) -> csm.Budget:
        """Budget of dissolved content ``u`` plus equilibrium phases ``npk`` (no kinetic minerals)."""
        cs, nc = self.cs, self.cs.nc
        T, Q, ox = u[:, :nc].copy(), u[:, nc + 1].copy(), u[:, nc + 2].copy()
        if npk is not None and cs.neq:
            T += npk @ cs.P
            Q += npk @ cs.p_q
            ox += npk @ cs.p_o
        return csm.Budget(T, u[:, nc].copy(), Q, ox)

    def phase_amounts(self) -> np.ndarray:
        """(n, neq) moles of the equilibrium phases in each cell."""
        return self.x[:, self.cs.nc + 5:].copy()

    def dissolved(self) -> np.ndarray:
        """(n, nc + 3) dissolved content of each cell."""
        return self.u.copy()

    def set_dissolved(self, u: np.ndarray) -> None:
        """Give every cell the dissolved content ``u`` (after transport); minerals and phases stay."""
        self.u = np.array(u, float, copy=True)

    # -- reaction ------------------------------------------------------------------------------
    def react(self, dt, t_now: float, rows: np.ndarray | None = None) -> None:
        """Integrate the kinetics of the cells ``rows`` (default all) over ``dt`` [s] (scalar or per row), one batch."""
        net, cs = self.net, self.cs
        nc = cs.nc
        rows = np.arange(self.n) if rows is None else np.asarray(rows)
        dts = np.broadcast_to(np.asarray(dt, float), rows.shape)
        cond = self.cond.take(rows)
        npk = self.x[rows, nc + 5:]
        b0 = self._budget(self.u[rows], npk)
        m, m0, mode = self.m[rows], self.m0[rows], self.mode[rows]
        # restart at xi = 0 with m0 = the minerals present; geometric areas keep the original m0
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where((mode == GEOMETRIC) & (m > 0) & (m0 > 0), np.cbrt(m0 / np.where(m > 0, m, 1.0)), 1.0)
        reactors = Reactors(tk=cond.tk, p_atm=self.p_atm[rows], m0=m.copy(), mode=mode, area=self.area[rows] * scale,
                            direction=self.direction[rows], budget0=b0)
        # equilibrium of the new water with the phases present (warm start from the last state)
        r = self._equilibrate(cond, b0, rows)
        if not r.converged.all():
            i = int(np.flatnonzero(~r.converged)[0])
            raise ConvergenceError(f"{self.exp.name}: native transport, cell {rows[i] + 1}: equilibrium after transport "
                                   f"did not converge at t = {t_now / 86400:.5g} d (max residual {r.residual[i]:.3g})")
        # cells in the same state (the untouched formation ahead of the plume: bit-identical water,
        # minerals and step) are integrated once; the integration is deterministic, so this is exact
        key = np.column_stack([self.u[rows], m, self.m0[rows], self.area[rows], r.x, r.active, dts, self.h_start[rows]])
        _, rep, inv = np.unique(key, axis=0, return_index=True, return_inverse=True)
        if len(rep) < len(rows):
            inv = inv.reshape(-1)
            y, x, active = self._integrate(cond.take(rep), _take_reactors(reactors, rep), b0.take(rep), r.x[rep],
                                           r.active[rep], dts[rep], t_now, rows[rep])
            y, x, active = y[inv], x[inv], active[inv]
            self.h_start[rows] = self.h_start[rows[rep]][inv]
        else:
            y, x, active = self._integrate(cond, reactors, b0, r.x, r.active, dts, t_now, rows)
        self.m[rows] = m - y
        self.x[rows], self.active[rows] = x, active
        b = net.budget(b0, y)
        npk = x[:, nc + 5:]
        self.u[rows] = np.column_stack([b.T - npk @ cs.P, b.Z, b.Q - npk @ cs.p_q, b.O - npk @ cs.p_o]) if cs.neq else \
            np.column_stack([b.T, b.Z, b.Q, b.O])
        self.u_eq[rows] = self.u[rows]

    def _equilibrate(self, cond, b0, rows) -> csm.ClosedResult:
        """Equilibrium of the cells' new water with their phases: warm start from each cell's last
        state; cells where that does not converge (a sharp front arriving in one shift) retry from
        the state of the cell upstream and downstream (where the water came from), then from
        mass-balance sweeps (:func:`ccus.kinetics.closed_system.refine_guess`) on their last state
        and on "totals as activities" at their last pH. Each start keeps the cell's own phase amounts."""
        cs, nc = self.cs, self.cs.nc
        r = csm.solve_closed(cs, cond, b0, self.x[rows], self.active[rows], max_iterations=200)
        if r.converged.all():
            return r
        own_ph = self.x[rows, nc + 5:]

        def start(kind, k):
            if kind < 2:  # the cell upstream / downstream
                x0 = self.x[np.clip(rows[k] + (2 * kind - 1), 0, self.n - 1)].copy()
                x0[:, nc + 5:] = own_ph[k]
                return x0
            if kind == 2:
                return csm.refine_guess(cs, cond.take(k), b0.take(k), self.x[rows[k]])
            x0 = csm.initial_guess(cs, b0.take(k), -self.x[rows[k], nc], -self.x[rows[k], nc + 1])
            x0[:, nc + 4:] = self.x[rows[k], nc + 4:]
            return csm.refine_guess(cs, cond.take(k), b0.take(k), x0)

        for kind in range(5):
            bad = np.flatnonzero(~r.converged)
            if not len(bad):
                break
            if kind == 4:
                self._continuation(cond, rows, bad, r)
                break
            r2 = csm.solve_closed(cs, cond.take(bad), b0.take(bad), start(kind, bad), self.active[rows[bad]],
                                  max_iterations=200)
            ok = bad[r2.converged]
            r.x[ok], r.active[ok], r.converged[ok] = r2.x[r2.converged], r2.active[r2.converged], True
            r.residual[ok] = r2.residual[r2.converged]
        return r

    def _continuation(self, cond, rows, bad, r, h_min: float = 1.0 / 1024) -> None:
        """Equilibrium of cells ``rows[bad]`` by continuation from the water their last state belongs
        to (``u_eq``) to their new water: solve for ``u_eq + lam (u - u_eq)``, ``lam`` from 0 to 1,
        each solve warm-started from the last, the increment doubled after a success and quartered
        after a failure (a redox front: sulfide and H2 water arriving in a cell, where pe jumps by
        several units and Newton's method from the old state does not converge). Writes the rows
        that reach ``lam = 1`` into ``r``; only the start changes, the equations solved are the same."""
        cs, nc = self.cs, self.cs.nc
        k = rows[bad]
        ua, ub, npk = self.u_eq[k], self.u[k], self.x[k, nc + 5:]
        xk, actk = self.x[k].copy(), self.active[k].copy()
        lam, h = np.zeros(len(k)), np.full(len(k), 0.25)
        while True:
            live = np.flatnonzero((lam < 1.0) & (h >= h_min))
            if not len(live):
                break
            target = np.minimum(lam[live] + h[live], 1.0)
            b = self._budget(ua[live] + target[:, None] * (ub[live] - ua[live]), npk[live])
            rr = csm.solve_closed(cs, cond.take(bad[live]), b, xk[live], actk[live], max_iterations=200)
            ok, no = live[rr.converged], live[~rr.converged]
            xk[ok], actk[ok], lam[ok] = rr.x[rr.converged], rr.active[rr.converged], target[rr.converged]
            h[ok] *= 2.0
            h[no] *= 0.25
        done = lam >= 1.0
        j = bad[done]
        r.x[j], r.active[j], r.converged[j] = xk[done], actk[done], True
        r.residual[j] = 0.0

    def _integrate(self, cond, reactors, b0, x0, active0, dts, t_now, rows):
        compiled = _compiled_integrator()
        t_out = [np.array([d]) for d in dts]
        if compiled is not None:
            return self._integrate_compiled(compiled, cond, reactors, x0, active0, dts, t_now, rows)
        return self._integrate_python(cond, reactors, b0, x0, active0, t_out, t_now, rows)

    def _integrate_compiled(self, compiled, cond, reactors, x0, active0, dts, t_now, rows):
        """The compiled integrator, each cell starting with the step size it ended its last reaction with.

        The compiled integrator takes one starting step ``h0`` per call and does not return the
        last accepted step, so each cell's next start is estimated as its mean accepted step of
        the last call, ``dt / steps`` (an underestimate while the integrator was still growing
        its steps: it rises call by call), and the cells are integrated in groups of starting
        steps within a factor 2 (each group starts at its smallest ``h0``). Cells without an
        estimate (first call, or after a failure-free call of zero steps) start with the
        integrator's own estimate from the initial rates. Only the accuracy-controlled step
        sequence changes; the error control (``rtol``, ``atol``) is the same.
        """
        n, nk, neq, nu = len(rows), self.net.nk, self.cs.neq, self.cs.n_unknowns
        y, x, active = np.zeros((n, nk)), np.zeros((n, nu)), np.zeros((n, neq), bool)
        h_prev = self.h_start[rows]
        known = (h_prev > 0) & START_FROM_LAST_STEP
        key = np.where(known, np.floor(np.log2(np.where(known, np.minimum(h_prev, dts) / dts, 1.0))), 1.0)
        steps = np.zeros(n)
        chunks = []  # (rows of this call, starting step): each chunk is one serial compiled call
        for g in np.unique(key):
            k = np.flatnonzero(key == g)
            h0 = float(np.min(np.minimum(h_prev[k], dts[k]))) if g <= 0 else None
            chunks += [(c, h0) for c in _balanced_chunks(k, self.cost[rows[k]], _threads())]

        def run(chunk):
            k, h0 = chunk
            sub = reactors if len(k) == n else _take_reactors(reactors, k)
            return compiled(self.net, cond if len(k) == n else cond.take(k), sub, x0[k], active0[k],
                            [np.array([dts[j]]) for j in k], sub.m0, rtol=self.rtol, atol=self.atol, h0=h0)

        # the most expensive chunks first (by the cells' step counts of their last reaction), over threads:
        # the compiled loop releases the GIL, and each chunk is small enough to run serially inside
        chunks.sort(key=lambda c: -float(self.cost[rows[c[0]]].sum()))
        results = list(_pool().map(run, chunks)) if len(chunks) > 1 and _threads() > 1 else [run(c) for c in chunks]
        for (k, _), integ in zip(chunks, results, strict=True):
            self._raise_failure(integ, t_now, rows[k])
            recs = [o[-1] for o in integ.outputs]
            y[k] = np.array([r["y"] for r in recs])
            x[k] = np.array([r["x"] for r in recs])
            active[k] = np.array([r["active"] for r in recs]).reshape(len(k), neq)
            steps[k] = integ.steps
            self.steps += int(integ.steps.sum())
            self.rejected += int(integ.rejected.sum())
            self.evaluations += integ.evaluations
        self.h_start[rows] = np.where(steps > 0, START_GROWTH * dts / np.maximum(steps, 1), 0.0)
        self.cost[rows] = np.maximum(steps, 1.0)
        return y, x, active

    def _raise_failure(self, integ, t_now, rows):
        if integ.failures:
            f = integ.failures[0]
            raise ConvergenceError(f"{self.exp.name}: native transport, cell {rows[f.reactor] + 1} failed at "
                                   f"t = {(t_now + f.time) / 86400:.5g} d: {f.reason}")

    def _integrate_python(self, cond, reactors, b0, x0, active0, t_out, t_now, rows):
        net, cs, nk = self.net, self.cs, self.net.nk
        n = len(rows)

        evaluate = network_evaluator(net, cond, reactors, b0)

        def record(rows, y, aux):
            return [(y[k].copy(), aux["x"][k].copy(), aux["active"][k].copy()) for k in range(len(rows))]

        y0 = np.zeros((n, nk))
        aux0 = {"x": x0, "active": active0, "y": y0.copy(), "dxdy": np.zeros((n, cs.n_unknowns, nk))}
        integ = integrate(evaluate, record, y0, aux0, t_out, reactors.m0, rtol=self.rtol, atol=self.atol)
        self._raise_failure(integ, t_now, rows)
        y = np.array([recs[-1][0] for recs in integ.outputs])
        x = np.array([recs[-1][1] for recs in integ.outputs])
        active = np.array([recs[-1][2] for recs in integ.outputs]).reshape(n, cs.neq)
        self.steps += int(integ.steps.sum())
        self.rejected += int(integ.rejected.sum())
        self.evaluations += integ.evaluations
        return y, x, active

    # -- what the cells hold ----------------------------------------------------------------------
    def state(self) -> dict[str, np.ndarray]:
        """pH, water [kg per nominal kg], molalities of the element totals and DIC of every cell."""
        cs, nc = self.cs, self.cs.nc
        b = self._budget(self.u, self.phase_amounts())
        _, ev, _ = csm.residual_jacobian(cs, self.cond, b, self.x, self.active, np.zeros((self.n, 3), bool),
                                         want_jac=False)
        molal = ev.m @ cs.S
        dic = np.zeros(self.n)
        if "C" in cs.element_of_component:
            ci = cs.element_of_component.index("C")
            c4 = (cs.S[:, ci] > 0) & (cs.nu_e == 0)
            dic = (ev.m[:, c4] * cs.S[c4, ci]).sum(axis=1)
        return {"pH": -self.x[:, nc], "water": np.asarray(ev.W, float).reshape(self.n), "molal": molal, "DIC": dic}

    def mineral_amounts(self) -> np.ndarray:
        """(n, nk) moles of each kinetic mineral per nominal kg."""
        return self.m.copy()

    def _check(self, res: csm.ClosedResult, what: str):
        if not res.converged.all():
            raise ConvergenceError(f"{self.exp.name}: {what} did not converge (max residual {res.residual.max():.3g})")


def _take_reactors(reactors: Reactors, k: np.ndarray) -> Reactors:
    """The reactors ``k`` of ``reactors``."""
    return Reactors(tk=reactors.tk[k], p_atm=reactors.p_atm[k], m0=reactors.m0[k], mode=reactors.mode[k],
                    area=reactors.area[k], direction=reactors.direction[k], budget0=reactors.budget0.take(k))


def _threads() -> int:
    from ccus.kinetics.kernels import threads

    return threads()


def _serial_rows() -> int:
    """Most rows per compiled call that the kernels still run on one thread (they split larger calls)."""
    from ccus.kinetics.kernels import PARALLEL_ROWS

    return 2 * PARALLEL_ROWS - 1


def _balanced_chunks(k: np.ndarray, cost: np.ndarray, nthreads: int) -> list[np.ndarray]:
    """Split the rows ``k`` into chunks of about equal ``cost`` (greedy, costliest row first into the
    cheapest chunk): at least ``nthreads`` chunks when there are enough rows, and at most
    :func:`_serial_rows` rows each (the kernels would split a larger call into contiguous halves,
    whose costs can differ several-fold: the cells at the plume take most of the steps)."""
    # small groups stay whole (a call costs ~1 ms of Python set-up); they run beside the other chunks
    n_chunks = max(nthreads if len(k) >= MIN_SPLIT_ROWS else 1, -(-len(k) // _serial_rows()))
    if n_chunks <= 1:
        return [k]
    bins: list[list[int]] = [[] for _ in range(n_chunks)]
    load = np.zeros(n_chunks)
    for j in np.argsort(-cost, kind="stable"):
        open_ = [b for b in range(n_chunks) if len(bins[b]) < _serial_rows()]
        b = min(open_, key=lambda i: load[i])
        bins[b].append(int(k[j]))
        load[b] += cost[j]
    return [np.array(sorted(b), int) for b in bins if b]


#: groups of fewer cells than this are not split over threads
MIN_SPLIT_ROWS = 8
_POOL: list = []


def _pool():
    """A thread pool of :func:`_threads` workers for this process (a pool inherited through fork has no threads)."""
    import os
    from concurrent.futures import ThreadPoolExecutor

    if not _POOL or _POOL[1] != os.getpid() or _POOL[0]._max_workers != _threads():
        _POOL[:] = [ThreadPoolExecutor(max_workers=_threads()), os.getpid()]
    return _POOL[0]


def _compiled_integrator():
    """The compiled per-reactor integrator of :mod:`ccus.kinetics.reactor` when this install has it, else None.

    Set ``ccus.transport.coupling.USE_COMPILED = False`` to force the batched numpy integrator.
    """
    if not USE_COMPILED:
        return None
    from ccus.kinetics import reactor

    return getattr(reactor, "integrate_network", None)


#: use the compiled integrator when available (the numpy one is the reference)
USE_COMPILED = True
#: start each cell's reaction with the step size it ended its last one with (compiled integrator only)
START_FROM_LAST_STEP = True
#: the next start is this times the last call's mean step (the last accepted step is longer than the
#: mean while the integrator is growing its steps; with 1, a cell that took 2 steps would start at
#: dt / 2 and take 2 steps forever)
START_GROWTH = 2.0
