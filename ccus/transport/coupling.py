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
around the unchanged minerals, and the kinetics of all cells are integrated over
``dt`` by one call of :func:`ccus.kinetics.reactor.integrate` (one batched
equilibrium and rate evaluation for all cells per stage). Because the budget is
linear in the extents ``xi`` (:mod:`ccus.kinetics.network`), every element,
charge, oxygen and the redox state are conserved exactly by the reaction step.
"""

from __future__ import annotations

import numpy as np

from ccus.config.database_names import phase_formula
from ccus.engines.phreeqc.inputs import kinetic_minerals
from ccus.errors import ConvergenceError
from ccus.formula import element_counts
from ccus.kinetics import closed_system as csm
from ccus.kinetics.network import Network, Reactors
from ccus.kinetics.reactor import Evaluation, integrate

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

    Attributes (plain SI floats)
    ----------------------------
    xi
        (n, nk) moles of each kinetic mineral dissolved since time zero (< 0: precipitated).
    x, active
        Equilibrium unknowns of every cell (see :mod:`ccus.kinetics.closed_system`).
    b0
        Budget at ``xi = 0`` (rebuilt at every transport step).
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
        p_atm = np.array([exp.pressure.to("Pa").magnitude / ATM])
        cond_w = csm.conditions(cs, np.array([exp.site.water.temperature.to("K").magnitude]), p_atm)
        x = csm.initial_guess(cs, b_init, np.array([exp.site.water.pH]), np.array([DEFAULT_PE]))
        x[:, nc + 4] = 0.0
        r = csm.solve_closed(cs, cond_w, b_init, x, fixed=np.ones((1, 3), bool), phases=False)
        self._check(r, "speciation of the formation water")
        _, ev, _ = csm.residual_jacobian(cs, cond_w, b_init, r.x, r.active, np.ones((1, 3), bool), want_jac=False)
        Z = ev.W * (ev.m * cs.z).sum(axis=1)
        Qr = ev.W * (ev.m * cs.q).sum(axis=1)
        Ox = ev.W * (csm.MOL_WATER_PER_KG + (ev.m * cs.o).sum(axis=1))
        #: dissolved content of 1 kg of formation water: [T (nc), Z, Q, O]
        self.ambient = np.concatenate([T[0], Z, Qr, Ox])
        # the same water at the reaction temperature and pressure, no minerals: the cells at time zero
        tk = exp.temperature.to("K").magnitude
        self.cond1 = csm.conditions(cs, np.array([tk]), p_atm)
        b_amb = self._budget_rows(self.ambient[None, :])
        r0 = csm.solve_closed(cs, self.cond1, b_amb, r.x, phases=False, max_iterations=200)
        self._check(r0, "formation water at the reaction temperature and pressure")
        self.cond = self.cond1.take(np.zeros(n, int))
        self.x = np.repeat(r0.x, n, axis=0)
        self.active = np.zeros((n, cs.neq), bool)
        self.xi = np.zeros((n, nk))
        self.dxdy = np.zeros((n, cs.n_unknowns, nk))
        self.b0 = self._budget_rows(np.repeat(self.ambient[None, :], n, axis=0))
        self.reactors = Reactors(
            tk=self.cond.tk, p_atm=np.full(n, p_atm[0]),
            m0=np.tile([k.m0 for k in self.kin], (n, 1)).reshape(n, nk),
            mode=np.tile([k.surface_mode for k in self.kin], (n, 1)).reshape(n, nk),
            area=np.tile([k.area for k in self.kin], (n, 1)).reshape(n, nk),
            direction=np.tile([k.direction for k in self.kin], (n, 1)).reshape(n, nk),
            budget0=self.b0,
        )
        self.steps = 0
        self.rejected = 0
        self.evaluations = 0

    # -- content <-> budget ---------------------------------------------------------------------
    @property
    def n_content(self) -> int:
        """Number of transported quantities per cell: nc element totals, Z, Q, O."""
        return self.cs.nc + 3

    def inlet_content(self, gases: dict[str, float]) -> np.ndarray:
        """Dissolved content of 1 kg formation water with ``gases`` [mol per kg water] added."""
        u = self.ambient.copy()
        nc = self.cs.nc
        for gas, n in gases.items():
            c, o, q = self.cs.formula_vector(element_counts(gas))
            u[:nc] += c * n
            u[nc + 1] += q * n
            u[nc + 2] += o * n
        return u

    def _budget_rows(self, u: np.ndarray) -> csm.Budget:
        nc = self.cs.nc
        return csm.Budget(u[:, :nc].copy(), u[:, nc].copy(), u[:, nc + 1].copy(), u[:, nc + 2].copy())

    def phase_amounts(self) -> np.ndarray:
        """(n, neq) moles of the equilibrium phases in each cell (per nominal kg)."""
        return self.x[:, self.cs.nc + 5:].copy()

    def dissolved(self) -> np.ndarray:
        """(n, nc + 3) dissolved content of each cell: the budget minus the minerals and phases."""
        cs, nc = self.cs, self.cs.nc
        b = self.net.budget(self.b0, self.xi)
        npk = self.phase_amounts()
        return np.column_stack([b.T - npk @ cs.P, b.Z, b.Q - npk @ cs.p_q, b.O - npk @ cs.p_o])

    def set_dissolved(self, u: np.ndarray) -> None:
        """Give every cell the dissolved content ``u`` (after transport), minerals unchanged."""
        cs, nc, net = self.cs, self.cs.nc, self.net
        npk = self.phase_amounts()
        T = u[:, :nc] + npk @ cs.P - self.xi @ net.C
        Q = u[:, nc + 1] + npk @ cs.p_q - self.xi @ net.q_min
        O = u[:, nc + 2] + npk @ cs.p_o - self.xi @ net.o_min
        self.b0 = csm.Budget(T, u[:, nc].copy(), Q, O)
        self.reactors.budget0 = self.b0

    # -- reaction ------------------------------------------------------------------------------
    def react(self, dt: float, t_now: float) -> None:
        """Integrate the kinetics of all cells over ``dt`` [s] (one batch)."""
        net, cs, nk = self.net, self.cs, self.net.nk
        nc = cs.nc
        cond, reactors, b0 = self.cond, self.reactors, self.b0

        def evaluate(rows, y, aux, want_jac):
            c = cond.take(rows)
            x0 = aux["x"] + np.einsum("nij,nj->ni", aux["dxdy"], y - aux["y"])
            x0[:, nc + 5:] = np.maximum(x0[:, nc + 5:], 0.0)
            res = net.equilibrate(c, b0.take(rows), y, x0, aux["active"])
            if not res.converged.all():  # retry from the last converged state without the predictor
                bad = np.flatnonzero(~res.converged)
                res2 = net.equilibrate(c.take(bad), b0.take(rows[bad]), y[bad], aux["x"][bad], aux["active"][bad])
                for f in ("x", "active", "converged", "residual"):
                    getattr(res, f)[bad] = getattr(res2, f)
            F = np.zeros((len(rows), nk))
            ok = res.converged.copy()
            if ok.any():
                k = np.flatnonzero(ok)
                with np.errstate(all="ignore"):
                    F[k] = net.rates_at(c.take(k), reactors, rows[k], res.x[k], y[k])
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
            return Evaluation(F=np.where(ok[:, None], F, 0.0), aux=new_aux, ok=ok, why=why, J=J)

        def record(rows, y, aux):
            return [(y[k].copy(), aux["x"][k].copy(), aux["active"][k].copy(), aux["dxdy"][k].copy())
                    for k in range(len(rows))]

        aux0 = {"x": self.x, "active": self.active, "y": self.xi.copy(), "dxdy": self.dxdy}
        t_out = [np.array([dt])] * self.n
        integ = integrate(evaluate, record, self.xi, aux0, t_out, reactors.m0, rtol=self.rtol, atol=self.atol)
        if integ.failures:
            f = integ.failures[0]
            raise ConvergenceError(f"{self.exp.name}: native transport, cell {f.reactor + 1} failed at "
                                   f"t = {(t_now + f.time) / 86400:.5g} d: {f.reason}")
        for i, recs in enumerate(integ.outputs):
            self.xi[i], self.x[i], self.active[i], self.dxdy[i] = recs[-1]
        self.steps += int(integ.steps.sum())
        self.rejected += int(integ.rejected.sum())
        self.evaluations += integ.evaluations

    # -- what the cells hold ----------------------------------------------------------------------
    def state(self) -> dict[str, np.ndarray]:
        """pH, water [kg per nominal kg], molalities of the element totals and DIC of every cell."""
        cs, nc = self.cs, self.cs.nc
        b = self.net.budget(self.b0, self.xi)
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
        return self.reactors.m0 - self.xi

    def _check(self, res: csm.ClosedResult, what: str):
        if not res.converged.all():
            raise ConvergenceError(f"{self.exp.name}: {what} did not converge (max residual {res.residual.max():.3g})")
