"""The native transport loop: advection-dispersion, then every cell's chemistry, per step.

:func:`simulate` returns a :class:`TransportRun`: the cell states at every step end
and the bookkeeping of what came in and went out, from which the engine
(:mod:`ccus.engines.native.transport`) builds the :class:`ccus.result.result.Result`
and the tests check the mass balance.
"""

from __future__ import annotations

import sys
import time as _time
from dataclasses import dataclass, field

import numpy as np

from ccus.transport.advection import advect, mix, mixing_steps
from ccus.transport.coupling import CellChemistry
from ccus.transport.grid import Grid
from ccus.transport.schedule import intervals, steps

#: tolerances of the kinetics in every cell (error per step on moles of mineral reacted per kg nominal water).
#: Looser than the batch engine (1e-6, 1e-10 mol): on the 8-cell test case of
#: tests/unit/transport they change pH by < 1e-3 and calcite by < 1e-3 relative, with 5x fewer steps.
#: rtol 3e-4 was tried (2026-11-25): 16% fewer cell-kinetic steps on CarbFix1 and the PHREEQC panel
#: within 0.13 of its tolerances, but the CarbFix2 cells then stopped on a non-finite Jacobian in the
#: compiled kernels (LinAlgError; 1e-4 runs); 1e-3 left Ca 1.5x outside the panel's 2%.
RTOL = 1e-4
ATOL = 1e-8  # mol per kg nominal water
#: time step [s] as a fraction of the duration while no water flows (radial, between injections)
IDLE_FRACTION = 1.0 / 100.0


def tracer_names(exp) -> list[str]:
    names: list[str] = []
    for ph in exp.injection.phases:
        for t in ph.tracers:
            if t not in names:
                names.append(t)
    return names


@dataclass
class TransportRun:
    """Cell states at time zero and at every step end (per nominal kg of pore water unless stated)."""

    grid: Grid
    chem: CellChemistry
    tracers: list[str]
    time: list = field(default_factory=list)  # [s]
    pH: list = field(default_factory=list)  # (n,) per output
    water: list = field(default_factory=list)  # (n,) kg per nominal kg
    molal: list = field(default_factory=list)  # (n, nc) mol/kg water
    dic: list = field(default_factory=list)  # (n,) mol/kg water
    tracer_molal: list = field(default_factory=list)  # (n, ntr) mol/kg water
    minerals: list = field(default_factory=list)  # (n, nk) mol per nominal kg
    phases: list = field(default_factory=list)  # (n, neq) mol per nominal kg
    carbon_injected: list = field(default_factory=list)  # cumulative [mol]
    inflow: np.ndarray | None = None  # cumulative [mol] per transported quantity (nc + 3 + ntr)
    outflow: np.ndarray | None = None
    content0: np.ndarray | None = None  # dissolved content of all cells at time zero [mol]
    tracer_injectate: dict = field(default_factory=dict)  # tracer -> highest injectate concentration [mol/kg]
    wall_time: float = 0.0
    n_steps: int = 0

    def total_dissolved(self) -> np.ndarray:
        """Dissolved content of all cells now [mol] (nc + 3 quantities, then tracers)."""
        u = self.chem.dissolved()
        w = self.grid.water[:, None]
        return np.concatenate([(w * u).sum(axis=0), (w * self._u_tr).sum(axis=0)])

    def balance(self) -> dict[str, dict[str, float]]:
        """Mass balance of every transported quantity over the run [mol].

        For each element total (and charge ``Z``, oxidising equivalents ``Q``, oxygen ``O``)
        and tracer: ``inflow``, ``outflow``, ``storage`` (dissolved content now minus at
        time zero), ``reaction`` (released by the kinetic minerals minus taken up by the
        equilibrium phases) and ``residual = inflow - outflow - storage + reaction``, with
        ``relative = |residual| / max(|inflow|, |outflow|, |content0|, |reaction|)``.
        """
        chem, w = self.chem, self.grid.water
        cs, net = chem.cs, chem.net
        names = list(cs.element_of_component) + ["Z", "Q", "O"] + list(self.tracers)
        dissolved_mineral = ((chem.m0 - chem.m) * w[:, None]).sum(axis=0)  # mol of each kinetic mineral
        npk = (chem.phase_amounts() * w[:, None]).sum(axis=0)
        nq = chem.n_content
        reaction = np.zeros(nq + len(self.tracers))
        reaction[:cs.nc] = dissolved_mineral @ net.C - (npk @ cs.P if cs.neq else 0.0)
        reaction[cs.nc + 1] = dissolved_mineral @ net.q_min - (npk @ cs.p_q if cs.neq else 0.0)
        reaction[cs.nc + 2] = dissolved_mineral @ net.o_min - (npk @ cs.p_o if cs.neq else 0.0)
        storage = self.total_dissolved() - self.content0
        out = {}
        for k, name in enumerate(names):
            res = self.inflow[k] - self.outflow[k] - storage[k] + reaction[k]
            scale = max(abs(self.inflow[k]), abs(self.outflow[k]), abs(self.content0[k]), abs(reaction[k]), 1e-300)
            out[name] = {"inflow": float(self.inflow[k]), "outflow": float(self.outflow[k]), "storage": float(storage[k]),
                         "reaction": float(reaction[k]), "residual": float(res), "relative": float(abs(res) / scale)}
        return out

    def _snapshot(self, t: float, injected: float):
        st = self.chem.state()
        self.time.append(t)
        self.pH.append(st["pH"])
        self.water.append(st["water"])
        self.molal.append(st["molal"])
        self.dic.append(st["DIC"])
        self.tracer_molal.append(self._u_tr / st["water"][:, None])
        self.minerals.append(self.chem.mineral_amounts())
        self.phases.append(self.chem.phase_amounts())
        self.carbon_injected.append(injected)


def simulate(exp, *, rtol: float = RTOL, atol: float = ATOL, progress: bool = False) -> TransportRun:
    """Run the native transport of a ``kind = "linear"`` or ``"radial"`` experiment."""
    t_wall = _time.perf_counter()
    tr = exp.transport
    grid = Grid.from_transport(tr)
    chem = CellChemistry(exp, grid.n, rtol, atol)
    prerun = getattr(exp, "formation_prerun", None)
    if prerun is not None:
        chem.prerun(float(prerun.to("s").magnitude))
    names = tracer_names(exp)
    run = TransportRun(grid=grid, chem=chem, tracers=names)
    run._u_tr = np.zeros((grid.n, len(names)))
    nq = chem.n_content
    inlets = {None: np.concatenate([chem.ambient, np.zeros(len(names))])}
    co2 = {None: 0.0}
    for i, ph in enumerate(exp.injection.phases):
        gases = ph.moles_per_kg_water()
        trc = np.array([_molal(ph.tracers[t]) if t in ph.tracers else 0.0 for t in names])
        inlets[i] = np.concatenate([chem.inlet_content(gases), trc])
        co2[i] = gases.get("CO2", 0.0)
        for t, conc in ph.tracers.items():
            run.tracer_injectate[t] = max(run.tracer_injectate.get(t, 0.0), _molal(conc))
    run.content0 = run.total_dissolved()
    run.inflow = np.zeros(nq + len(names))
    run.outflow = np.zeros(nq + len(names))
    injected = 0.0
    run._snapshot(0.0, injected)
    schedule = intervals(exp, grid)
    idle = IDLE_FRACTION * exp.duration.to("s").magnitude
    plan = []  # (interval, step length, time at the step's end)
    for iv in schedule:
        dts = steps(iv, grid, tr.courant, idle)
        ends = iv.start + np.cumsum(dts)
        ends[-1] = iv.end
        plan += [(iv, float(dt), float(te)) for dt, te in zip(dts, ends, strict=True)]
    t = 0.0
    last_print = 0.0
    tty = progress and getattr(sys.stderr, "isatty", lambda: False)()
    next_pct = 10.0
    per_mix = tr.reaction_split == "per_mix"
    first = np.array([0])
    for iv, dt, t_end in plan:
        G = grid.conductances(iv.flux)
        n_mix = mixing_steps(grid.water, G, dt)
        # operator splitting (PHREEQC TRANSPORT's scheme): react after the shift and after every
        # dispersion sub-step, dt / (1 + n_mix) each; the first cell's resident water reacts half of
        # that before it moves on and the water entering it the other half (it arrives during the step)
        dt_r = dt / (1 + n_mix) if per_mix else dt
        half_first = iv.flux > 0 and grid.n > 1
        if half_first:
            chem.react(0.5 * dt_r, t, rows=first)
        u = np.hstack([chem.dissolved(), run._u_tr])
        new, infl, outf = advect(u, inlets[iv.phase], grid.water, iv.flux, dt)
        run.inflow += infl
        run.outflow += outf
        injected += iv.flux * dt * co2[iv.phase]
        t_r = t
        for k in range(n_mix + 1):
            if k > 0:
                new = mix(np.hstack([chem.dissolved(), run._u_tr]), grid.water, G * dt / n_mix)
            chem.set_dissolved(new[:, :nq])
            run._u_tr = new[:, nq:]
            if per_mix or k == n_mix:
                dts = np.full(grid.n, dt_r)
                if k == 0 and half_first:
                    dts[0] = 0.5 * dt_r
                chem.react(dts, t_r)
                t_r += dt_r
        t = t_end
        run._snapshot(t, injected)
        if progress:
            pct = 100 * t / exp.duration.to('s').magnitude
            line = f"native transport: {exp.name}, {grid.n} cells, {pct:.0f}%"
            if tty and _time.monotonic() - last_print > 0.5:
                last_print = _time.monotonic()
                sys.stderr.write("\r" + line)
                sys.stderr.flush()
            elif not tty and pct >= next_pct:  # a log file gets one line per 10 %, not a run-on line
                next_pct = 10 * (pct // 10) + 10
                sys.stderr.write(line + "\n")
    if progress and tty:
        sys.stderr.write("\n")
    run.n_steps = len(plan)
    run.wall_time = _time.perf_counter() - t_wall
    return run


def _molal(conc) -> float:
    from ccus.units import Q_

    return float(Q_(conc).to("mol/kg").magnitude)
