"""Run batch :class:`Experiment` s natively (no PHREEQC): many reactors as one batched problem.

What is computed is what :mod:`ccus.engines.phreeqc.inputs` asks PHREEQC for:

1. the formation water at its own temperature, pH and pe 4 fixed, ``water_mass`` kg
   (its charge imbalance is kept, as PHREEQC keeps it);
2. the gas charge added, temperature and pressure changed to the reaction
   conditions, re-equilibrated (pH, pe and water mass free; no minerals) = time zero;
3. kinetics of the rock minerals and kinetic secondary minerals, with the
   equilibrium secondary minerals (SI 0, none at time zero) re-equilibrated at every
   evaluation, integrated to the output times by :mod:`ccus.kinetics.reactor`.

Experiments sharing a database, mineral list and equilibrium phases are solved
together (one batched equilibrium and rate evaluation for all reactors per stage);
temperature, pressure, charge, water, masses, areas and output times may differ.
"""

from __future__ import annotations

import gc
import sys
import time as _time
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from ccus.config.experiment import Experiment
from ccus.engines.common import mineral_series
from ccus.engines.phreeqc.inputs import ELEMENTS_OUT, KineticMineral, kinetic_minerals
from ccus.errors import ConvergenceError, EngineError
from ccus.formula import element_counts
from ccus.kinetics import closed_system as csm
from ccus.kinetics.network import Network, Reactors
from ccus.kinetics.reactor import Evaluation, integrate, integrate_network, network_evaluator
from ccus.provenance import base_provenance, utc_now
from ccus.result.context import experiment_context
from ccus.result.result import Result
from ccus.units import Q_, magnitude, unit

ATM = 101325.0
#: appended to the native engine's errors: native is the default for batch experiments, PHREEQC the way out
USE_PHREEQC = '; to run it with PHREEQC instead, set engine = "phreeqc" in [experiment] (or ccus run --engine phreeqc)'
#: integrator tolerances of the native engine (error per step on moles of mineral reacted)
RTOL = 1e-6
ATOL = 1e-8  # mol: PHREEQC's default KINETICS -tol, the error it allows per step on each kinetic reaction
#: rtol of a mineral that forms during the run (a kinetic secondary mineral, starting from none) relative to
#: that of the rock's minerals. What is compared for a formed mineral is the amount formed itself, so 1e-5 per
#: step keeps even 500 steps' errors of one sign under the 1 % target; what is compared for a rock mineral is
#: what is left of it, the difference of two large numbers (CarbFix2: 11 mol of glass, 1.8e-6 mol left at day
#: 70), which needs the tighter 1e-6 (docs/kinetics.md, Tolerances)
RTOL_FORMED_FACTOR = 10.0
#: PHREEQC's default KINETICS -tol [mol] (the [solver] rtol default); see tolerances()
PHREEQC_DEFAULT_TOL = 1e-8
SERIES_OF_ELEMENT = {"C(4)": "DIC", "C": "C"}
DEFAULT_PE = 4.0
#: "compiled" (default): ccus.kinetics.reactor.integrate_network, each reactor integrated by compiled
#: code; "python": ccus.kinetics.reactor.integrate (Python loop over steps, batched over reactors) with
#: the compiled evaluations; "numpy": the same loop with batched numpy evaluations and a finite-difference
#: rate Jacobian (the reference the tests compare with). TRACE forces "python" for "compiled".
INTEGRATOR = "compiled"
#: set to a list to collect the integrator's step trace (diagnostics, see ccus.kinetics.reactor.integrate;
#: runs the Python-level integrator with the compiled evaluations)
TRACE: list | None = None


@dataclass
class _Group:
    experiments: list[Experiment]
    index: list[int]
    kin: list[list[KineticMineral]]
    eq: list[str]


def engine_version() -> str:
    import ccus

    return f"ccus-native {ccus.__version__} (Rosenbrock ode23s, closed-system Newton, compiled with numba)"


def run_batch(experiment: Experiment, progress: bool = False) -> Result:
    """Run one batch experiment natively; the same :class:`Result` schema as the PHREEQC engine.

    Raises :class:`ccus.errors.ConvergenceError` naming the time and reason when the
    reactor fails.
    """
    res = run_many([experiment], progress=progress, raise_on_failure=True)
    return res[0]


def tolerances(experiment: Experiment) -> tuple[float, float]:
    """Native integrator tolerances (rtol [-], atol [mol]) for an experiment's ``[solver] rtol``.

    ``[solver] rtol`` is PHREEQC's KINETICS ``-tol``: an *absolute* tolerance on the moles of each
    kinetic reaction (PHREEQC's CVODE call uses relative tolerance 0 and this value as the absolute
    tolerance of every component; its RK scheme uses it as the allowed error per step). The native
    defaults (``RTOL`` 1e-6, ``ATOL`` 1e-8 mol: -tol itself as the absolute part) belong to PHREEQC's
    default -tol 1e-8 and are what the agreement tests validate; a tighter ``-tol`` tightens both in
    proportion, f = tol / 1e-8 (down to f = 1e-4). A looser -tol is not applied: native tolerances
    looser than the defaults would break the agreement targets (pH 0.01, minerals 1%). The rtol
    returned is that of the rock's minerals; minerals formed during the run get
    ``RTOL_FORMED_FACTOR`` times it.
    """
    f = min(1.0, max(1e-4, float(experiment.solver.rtol) / PHREEQC_DEFAULT_TOL))
    return RTOL * f, ATOL * f


def run_many(experiments: list[Experiment], progress: bool = False, raise_on_failure: bool = False,
             rtol: float | None = None, atol: float | None = None) -> list[Result | EngineError]:
    """Run several batch experiments as batched problems (one per group of compatible experiments).

    Returns one :class:`Result` per experiment, in order. A reactor that fails gives an
    :class:`ccus.errors.ConvergenceError` in its place (saying when and why) unless
    ``raise_on_failure``; the other reactors finish. ``rtol`` [-] and ``atol`` [mol] override the
    tolerances that :func:`tolerances` derives from each experiment's ``[solver]`` table.
    """
    with _cyclic_gc_paused():
        return _run_many(experiments, progress, raise_on_failure, rtol, atol)


@contextmanager
def _cyclic_gc_paused():
    """Pause Python's cyclic garbage collector (reference counting still frees everything).

    Setting up and bookkeeping 1,000 reactors allocates ~10^6 objects that stay alive (the outputs, the
    Results); the collector's full passes over them took ~0.1 s of such a run and find nothing to free.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _run_many(experiments, progress, raise_on_failure, rtol, atol) -> list:
    started = utc_now()
    groups: dict[tuple, _Group] = {}
    reprs: dict[int, str] = {}  # repr of each rate object (scenarios of a study share their rate objects)
    for i, exp in enumerate(experiments):
        if exp.kind != "batch":
            raise EngineError(f"{exp.name}: the native batch engine runs batch experiments only{USE_PHREEQC}")
        kin = kinetic_minerals(exp)
        eq = [s.phase for s in exp.secondary if s.mode == "equilibrium"]
        r_exp, a_exp = tolerances(exp)
        tol = (r_exp if rtol is None else float(rtol), a_exp if atol is None else float(atol))
        for k in kin:
            if id(k.rate) not in reprs:
                reprs[id(k.rate)] = repr(k.rate)
        # primary: rock mineral or formed during the run (their rtol differs, see RTOL_FORMED_FACTOR)
        key = (exp.database_path, tuple((k.rate.name, reprs[id(k.rate)], k.primary) for k in kin), tuple(eq), tol)
        g = groups.setdefault(key, _Group([], [], [], eq))
        g.experiments.append(exp)
        g.index.append(i)
        g.kin.append(kin)
    out: list = [None] * len(experiments)
    memo: dict = {}  # git revision and file hashes, once per run (base_provenance)
    for key, g in groups.items():
        rtol_g, atol_g = key[-1]
        for i, r in zip(g.index, _run_group(g, progress, rtol_g, atol_g, started, memo), strict=True):
            if isinstance(r, EngineError) and raise_on_failure:
                raise r
            out[i] = r
    return out


def _states(g: _Group) -> list[str]:
    els: set[str] = set()
    for exp, kin in zip(g.experiments, g.kin, strict=True):
        els |= {k.split("(")[0] for k in exp.site.water.composition}
        for k in kin:
            els |= set(k.rate.elements)
        for gas in exp.charge.moles_per_kgw:
            els |= set(element_counts(gas))
    for p in g.eq:
        from ccus.config.database_names import phase_formula

        f = phase_formula(g.experiments[0].database_path, p)
        if f:
            els |= set(element_counts(f))
    els -= {"O", "H"}
    order = ["C", "Ca", "Mg", "Fe", "Si", "Al", "Na", "K", "Cl", "S", "Ti", "Mn", "P", "N"]
    return [e for e in order if e in els] + sorted(els - set(order))


@dataclass
class Prepared:
    """A group of reactors at time zero: what the integrator needs (see :func:`prepare`)."""

    net: Network
    cond: csm.Conditions  # at the reaction temperature and pressure
    reactors: Reactors
    b0: csm.Budget  # conserved moles at time zero
    r0: csm.ClosedResult  # time-zero equilibrium (no minerals)
    t_out: list  # output times [s] per reactor


def prepare(experiments: list[Experiment]) -> Prepared:
    """Formation water, gas charge and time-zero equilibrium of compatible batch experiments (steps 1-2)."""
    kin = [kinetic_minerals(e) for e in experiments]
    eq = [s.phase for s in experiments[0].secondary if s.mode == "equilibrium"]
    return _prepare(_Group(list(experiments), list(range(len(experiments))), kin, eq))


def _prepare(g: _Group) -> Prepared:
    from ccus.thermo.system import reduced_system

    exps = g.experiments
    N = len(exps)
    states = _states(g)
    system = reduced_system(exps[0].database_path, states)
    rates = [k.rate for k in g.kin[0]]
    net = Network(system, rates, g.eq)
    cs = net.cs
    nc, nk = cs.nc, net.nk
    comp = {e: k for k, e in enumerate(states)}
    # 1. formation waters at their own temperature, pH and pe fixed
    W0 = np.array([magnitude(e.water_mass, "kg") for e in exps])
    T = np.zeros((N, nc))
    for i, e in enumerate(exps):
        for key, q in e.site.water.composition.items():
            T[i, comp[key.split("(")[0]]] += magnitude(q, "mol/kg") * W0[i]
    b_init = csm.Budget(T, np.zeros(N), np.zeros(N), W0 * csm.MOL_WATER_PER_KG)
    ph = np.array([e.site.water.pH for e in exps])
    pe = np.full(N, DEFAULT_PE)
    p_atm = np.array([magnitude(e.pressure, "Pa") / ATM for e in exps])
    cond_w = csm.conditions(cs, np.array([magnitude(e.site.water.temperature, "K") for e in exps]), p_atm)
    x = csm.initial_guess(cs, b_init, ph, pe)
    x[:, nc + 4] = np.log(W0)
    # mass-balance sweeps first: "totals as activities" diverges where a master species is a
    # minor form (Al+3 above ~240 C, issue #4)
    x = csm.refine_guess(cs, cond_w, b_init, x)
    r = csm.solve_closed(cs, cond_w, b_init, x, fixed=np.ones((N, 3), bool), phases=False)
    _check(r, exps, "speciation of the formation water")
    R, ev, _ = csm.residual_jacobian(cs, cond_w, b_init, r.x, r.active, np.ones((N, 3), bool), want_jac=False)
    Z = ev.W * (ev.m * cs.z).sum(axis=1)
    Qr = ev.W * (ev.m * cs.q).sum(axis=1)
    Ox = ev.W * (csm.MOL_WATER_PER_KG + (ev.m * cs.o).sum(axis=1))
    redox_states_kept(exps, cs, W0, p_atm, Z, Qr, Ox)
    # 2. gas charge, reaction temperature and pressure: time zero
    for i, e in enumerate(exps):
        for gas, n in e.charge.moles_per_kgw.items():
            c, o, q = cs.formula_vector(element_counts(gas))
            T[i] += c * n * W0[i]
            Ox[i] += o * n * W0[i]
            Qr[i] += q * n * W0[i]
    b0 = csm.Budget(T, Z, Qr, Ox)
    cond = csm.conditions(cs, np.array([magnitude(e.temperature, "K") for e in exps]), p_atm)
    r0 = csm.solve_closed(cs, cond, b0, r.x, phases=False, max_iterations=200)
    _check(r0, exps, "equilibrium after the gas charge (time zero)")
    # 3. kinetics
    reactors = Reactors(
        tk=cond.tk, p_atm=p_atm,
        m0=np.array([[k.m0 for k in kin] for kin in g.kin]).reshape(N, nk),
        mode=np.array([[k.surface_mode for k in kin] for kin in g.kin]).reshape(N, nk),
        area=np.array([[k.area for k in kin] for kin in g.kin]).reshape(N, nk),
        direction=np.array([[k.direction for k in kin] for kin in g.kin]).reshape(N, nk),
        budget0=b0,
    )
    t_out = [magnitude(e.output_times, "s") for e in exps]
    return Prepared(net=net, cond=cond, reactors=reactors, b0=b0, r0=r0, t_out=t_out)


def redox_states_kept(exps, cs: csm.ClosedSystem, W0, p_atm, Z, Qr, Ox) -> None:
    """Charge, oxidising equivalents and oxygen of formation waters given by redox state (in place).

    PHREEQC keeps the states a SOLUTION gives (``S(-2)``, ``S(6)``, ``C(4)``, ``Fe(2)``) as
    separate mass balances and uses pe only for elements given as totals; the closed system
    lumps each element and would redistribute e.g. 1 mmol/kg S(-2) to sulfate at pe 4 (changing
    the charge imbalance and the redox budget carried into the reaction: issue #4, CarbFix2).
    Waters with a state key are therefore speciated with their own states
    (:func:`ccus.chemistry.speciation.solve`, fixed pH and pe, no charge balance) and their
    budgets taken from that speciation; the element totals are the same either way.
    """
    from ccus.chemistry.speciation import solve
    from ccus.thermo.system import reduced_system

    groups: dict[tuple, list[int]] = {}
    for i, e in enumerate(exps):
        keys = tuple(e.site.water.composition)
        if any("(" in k for k in keys):
            groups.setdefault(keys, []).append(i)
    index = {s: j for j, s in enumerate(cs.system.species)}
    for keys, rows in groups.items():
        system = reduced_system(exps[0].database_path, list(keys))
        tot = np.array([[magnitude(exps[i].site.water.composition[k], "mol/kg") for k in keys] for i in rows])
        sp = solve(system, tot, np.array([magnitude(exps[i].site.water.temperature, "K") for i in rows]),
                   ph=np.array([exps[i].site.water.pH for i in rows]), charge_balance=False, pe=DEFAULT_PE,
                   pressure_atm=p_atm[rows])
        m = np.zeros((len(rows), len(cs.system.species)))
        for j, name in enumerate(system.species):
            if name not in index:  # a species of a given state is a species of its element
                raise EngineError(f"{exps[rows[0]].name}: species {name} of the formation water is missing "
                                  f"from the native closed system{USE_PHREEQC}")
            m[:, index[name]] = 10.0 ** sp.log_molality[:, j]
        W = W0[rows]
        Z[rows] = W * (m * cs.z).sum(axis=1)
        Qr[rows] = W * (m * cs.q).sum(axis=1)
        Ox[rows] = W * (csm.MOL_WATER_PER_KG + (m * cs.o).sum(axis=1))


def _run_group(g: _Group, progress: bool, rtol: float, atol: float, started: str, memo: dict) -> list:
    t_wall = _time.perf_counter()
    exps = g.experiments
    N = len(exps)
    pr = _prepare(g)
    net, cond, reactors, b0, r0, t_out = pr.net, pr.cond, pr.reactors, pr.b0, pr.r0, pr.t_out
    cs = net.cs
    nk = net.nk

    def evaluate(rows, y, aux, want_jac):
        if INTEGRATOR == "numpy":
            return evaluate_numpy(rows, y, aux, want_jac)
        out = net.evaluate(cond, reactors, rows, y, aux, want_jac)
        ok = out["ok"]
        why = [""] * len(rows)
        for j in np.flatnonzero(~ok):
            why[j] = (f"equilibrium did not converge (max residual {out['residual'][j]:.3g})" if not out["converged"][j]
                      else "non-finite rate")
        new_aux = {"x": out["x"], "active": out["active"], "y": y.copy(), "dxdy": out["dxdy"], "lu": out["lu"],
                   "piv": out["piv"], "lua": out["lua"]}
        return Evaluation(F=out["F"], aux=new_aux, ok=ok, why=why, J=out["J"], log_omega=out["log_omega"])

    evaluate_numpy = network_evaluator(net, cond, reactors, b0)

    def record(rows, y, aux):
        return [{"y": y[k].copy(), "x": aux["x"][k].copy(), "active": aux["active"][k].copy()} for k in range(len(rows))]

    upper = reactors.m0.copy()  # xi <= m0: a mineral cannot dissolve more than it holds
    rtol_v = np.array([rtol if k.primary else rtol * RTOL_FORMED_FACTOR for k in g.kin[0]])
    prog = _printer([e.name for e in exps]) if progress else None
    if INTEGRATOR == "compiled" and TRACE is None:
        integ = integrate_network(net, cond, reactors, r0.x, r0.active, t_out, upper, rtol=rtol_v, atol=atol, progress=prog,
                                  events=True)
    else:
        aux0 = {"x": r0.x, "active": r0.active, "y": np.zeros((N, nk)), "dxdy": np.zeros((N, cs.n_unknowns, nk))}
        if INTEGRATOR != "numpy":  # the compiled evaluations carry the equilibrium Jacobian's factors (chord)
            from ccus.kinetics.kernels import no_factors

            aux0.update(zip(("lu", "piv", "lua"), no_factors(N, cs.n_unknowns, cs.neq), strict=True))
        integ = integrate(evaluate, record, np.zeros((N, nk)), aux0, t_out, upper,
                          rtol=rtol_v, atol=atol, progress=prog, trace=TRACE, events=True)
    if progress:
        sys.stderr.write("\n")
    wall = _time.perf_counter() - t_wall
    failed = {f.reactor: f for f in integ.failures}
    done = [i for i in range(N) if i not in failed]
    states = _group_states(net, cond, r0, integ, done)
    results: list = []
    for i, e in enumerate(exps):
        if i in failed:
            f = failed[i]
            results.append(ConvergenceError(f"{e.name}: native batch reactor failed at t = {f.time:.6g} s "
                                            f"({f.time / 86400:.4g} d): {f.reason}{USE_PHREEQC}"))
            continue
        results.append(_result(e, i, net, states[i], integ, g.kin[i], wall, N, rtol, atol, started, memo))
    return results


def _check(res: csm.ClosedResult, exps, what: str):
    if not res.converged.all():
        i = int(np.flatnonzero(~res.converged)[0])
        raise ConvergenceError(f"{exps[i].name}: {what} did not converge (max residual {res.residual[i]:.3g})"
                               f"{USE_PHREEQC}")


def _printer(names):
    last = [0.0]

    def show(frac):
        now = _time.monotonic()
        if now - last[0] > 0.5:
            last[0] = now
            sys.stderr.write(f"\rnative: {len(names)} reactor(s), {100 * float(np.mean(frac)):.0f}% done")
            sys.stderr.flush()

    return show


def _states_series(cs: csm.ClosedSystem, cond: csm.Conditions, rows: np.ndarray, x: np.ndarray):
    """pH, water mass, aqueous totals (mol/kg) and DIC of equilibrium states ``x`` (n_s, n) of reactors ``rows`` (n_s,)."""
    nc = cs.nc
    n_s = x.shape[0]
    m, W = csm.species_molalities(cs, cond.take(rows), x)
    molal = m @ cs.S  # (n_s, nc)
    c_idx = cs.element_of_component.index("C") if "C" in cs.element_of_component else None
    dic = np.zeros(n_s)
    if c_idx is not None:
        c4 = (cs.S[:, c_idx] > 0) & (cs.nu_e == 0)
        dic = (m[:, c4] * cs.S[c4, c_idx]).sum(axis=1)
    return -x[:, nc], W, molal, dic


#: output states evaluated together by _group_states: a few hundred states per evaluation remove most of the
#: per-call overhead; larger chunks are no faster (arrays of ~1 kB per state leave the CPU cache, and OpenBLAS
#: starts threads for the products, which slows them down on a busy machine)
STATES_PER_EVALUATION = 256


def _group_states(net: Network, cond: csm.Conditions, r0, integ, reactors: list[int]) -> dict:
    """Output states of reactors: ``i -> (x, y, pH, water, molal, DIC)`` with time zero first.

    The states of all reactors are evaluated together, in chunks of about ``STATES_PER_EVALUATION``
    states, instead of one evaluation per reactor; every state is evaluated on its own row, so the
    numbers are those of an evaluation per reactor. Only the species are evaluated (no residuals).
    """
    cs = net.cs
    xs, ys = {}, {}
    for i in reactors:
        recs = integ.outputs[i]
        x = np.empty((len(recs) + 1, cs.n_unknowns))
        x[0] = r0.x[i]
        y = np.zeros((len(recs) + 1, net.nk))
        if recs:
            x[1:] = [rec["x"] for rec in recs]
            y[1:] = [rec["y"] for rec in recs]
        xs[i], ys[i] = x, y
    chunks: list[list[int]] = []
    size = 0
    for i in reactors:
        if chunks and size + len(xs[i]) <= STATES_PER_EVALUATION:
            chunks[-1].append(i)
            size += len(xs[i])
        else:
            chunks.append([i])
            size = len(xs[i])

    def evaluate(chunk: list[int]) -> tuple:
        rows = np.repeat(np.array(chunk), [len(xs[i]) for i in chunk])
        return _states_series(cs, cond, rows, np.concatenate([xs[i] for i in chunk]))

    out: dict = {}
    for chunk in chunks:
        ph, water, molal, dic = evaluate(chunk)
        start = 0
        for i in chunk:
            sl = slice(start, start + len(xs[i]))
            out[i] = (xs[i], ys[i], ph[sl], water[sl], molal[sl], dic[sl])
            start += len(xs[i])
    return out


def _pruning() -> dict | None:
    """The species-pruning thresholds of the compiled integrator (docs/kinetics.md), None where it does not prune."""
    if INTEGRATOR != "compiled" or TRACE is not None:
        return None
    from ccus.kinetics.kernels import PRUNE_RECHECK, PRUNE_SHARE

    return {"left_out_below_share": PRUNE_SHARE, "solved_again_at_share": PRUNE_RECHECK}


def _result(e, i, net, state, integ, kin, wall, n_group, rtol, atol, started, memo) -> Result:
    cs = net.cs
    nc = cs.nc
    xs, ys, ph, water, molal, dic = state
    time = np.concatenate([[0.0], magnitude(e.output_times, "s")])
    series = {"pH": Q_(ph, unit("dimensionless"))}
    for el in ELEMENTS_OUT:
        name = SERIES_OF_ELEMENT.get(el, el)
        if el == "C(4)":
            series[name] = Q_(dic, unit("mol/kg"))
        elif el in cs.element_of_component:
            series[name] = Q_(molal[:, cs.element_of_component.index(el)], unit("mol/kg"))
        else:
            series[name] = Q_(np.zeros_like(time), unit("mol/kg"))
    series["water mass"] = Q_(water, unit("kg"))
    kinetic = [(k, k.m0 - ys[:, j], k.m0) for j, k in enumerate(kin)]
    equilibrium = []
    for p_i, p in enumerate(cs.eq_phases):
        amount = xs[:, nc + 5 + p_i].copy()
        amount[0] = 0.0
        equilibrium.append((p, amount))
    injected = e.carbon_injected
    mseries, minerals = mineral_series(kinetic, equilibrium, e.database_path, injected)
    series.update(mseries)
    prov = base_provenance(e, "native", engine_version(), started, memo)
    prov["finished_utc"] = utc_now()
    prov["native"] = {"rtol": rtol, "rtol_formed_minerals": rtol * RTOL_FORMED_FACTOR, "atol_mol": atol, "accepted_steps": int(integ.steps[i]),
                      "rejected_steps": int(integ.rejected[i]), "batched_evaluations": int(integ.evaluations),
                      "reactors_in_batch": n_group, "wall_time_s_batch": wall, "pe_of_formation_water": DEFAULT_PE,
                      "integrator": INTEGRATOR if TRACE is None else "python",
                      "species_pruning": _pruning(),
                      "solver_tol_mol": e.solver.rtol,
                      "solver_not_applied": {"method": e.solver.method, "max_substeps": e.solver.max_substeps,
                                             "why": "PHREEQC integrator choice and its bad-step limit; the native "
                                                    "engine has one integrator (docs/kinetics.md)"}}
    return Result(name=e.name, time=Q_(time, unit("s")), series=series, carbon_injected=injected,
                  minerals=minerals, provenance=prov, context=experiment_context(e))
