"""Linear reactive transport (``kind = "linear"``) with PHREEQC TRANSPORT.

Cells 1..N hold the formation water at reservoir temperature and pressure,
1 kg of pore water each, with the rock (KINETICS) and the secondary minerals.
The inlet solution (cell 0) is the injectate of each injection phase while it
runs and the formation water otherwise; each switch is a new TRANSPORT
simulation continuing the previous one. Non-reactive tracers are extra
elements defined in the input (``Xa``, ``Xb``, ...; one per tracer name) so
that PHREEQC carries them like any solute. One shift moves the water one cell
and lasts ``cell_length / velocity``.

With ``[formation_water] prerun`` the formation water first reacts with one
cell's rock and secondary minerals at reservoir conditions for that time
(simulation 3); the result fills the cells and is the ambient inflow, while
the injectates are still made from the site water as given.
"""

from __future__ import annotations

import hashlib
import string

import numpy as np

from ccus.config.experiment import Experiment
from ccus.engines.common import mineral_series
from ccus.engines.phreeqc.engine import check_ph
from ccus.engines.phreeqc.inputs import (
    ATM_PER_PA,
    ELEMENTS_OUT,
    _n,
    kinetic_minerals,
    kinetics_entries,
    punch_block,
    solution_block,
)
from ccus.engines.phreeqc.rates_basic import rates_section
from ccus.engines.phreeqc.runner import phreeqc_version, run_phreeqc
from ccus.errors import ConfigError, EngineError
from ccus.provenance import base_provenance, utc_now
from ccus.result.context import experiment_context
from ccus.result.result import Result
from ccus.units import Q_

AMBIENT, FIRST_INJECTATE, PRERUN = 9000, 9100, 9050
#: a formation-water pre-run is integrated in this many output steps (only the last one is used)
PRERUN_STEPS = 10
# monitoring-series label -> profile name: "<El> total" for element totals, "DIC" for C(4)
ELEMENT_LABELS = {("DIC" if e == "C(4)" else e): ("DIC" if e == "C(4)" else f"{e} total") for e in ELEMENTS_OUT}


def tracer_elements(exp: Experiment) -> dict[str, str]:
    """Tracer name -> PHREEQC element name (Xa, Xb, ...), in order of first use."""
    names: list[str] = []
    for ph in exp.injection.phases:
        for t in ph.tracers:
            if t not in names:
                names.append(t)
    if len(names) > 26:
        raise ConfigError("at most 26 tracers", file=exp.path, key="injection.phases")
    return {t: "X" + string.ascii_lowercase[i] for i, t in enumerate(names)}


def schedule(exp: Experiment) -> list[tuple[int | None, int]]:
    """Inlet segments as (phase index or None for formation water, number of shifts)."""
    dt = exp.transport.time_step.to("s").magnitude
    total = int(round(exp.duration.to("s").magnitude / dt))
    if total < 1:
        raise ConfigError(f"the duration is shorter than one cell's travel time ({dt / 86400:.3g} d)", file=exp.path,
                          key="experiment.duration")
    segs, pos = [], 0
    for i, ph in enumerate(exp.injection.phases):
        a = int(round(ph.start.to("s").magnitude / dt))
        b = max(a + 1, int(round((ph.start + ph.duration).to("s").magnitude / dt)))
        a, b = min(a, total), min(b, total)
        if a > pos:
            segs.append((None, a - pos))
        if b > a:
            segs.append((i, b - a))
        pos = max(pos, b)
    if total > pos:
        segs.append((None, total - pos))
    return segs


def build_transport_input(exp: Experiment) -> tuple[str, list, list, dict, list]:
    tr = exp.transport
    N = tr.cells
    kin = kinetic_minerals(exp)
    equi = [s.phase for s in exp.secondary if s.mode == "equilibrium"]
    tracers = tracer_elements(exp)
    T_c = exp.temperature.to("degC").magnitude
    p_atm = exp.pressure.to("Pa").magnitude * ATM_PER_PA
    lines = [rates_section([k.rate for k in kin])]
    if tracers:
        lines.append("SOLUTION_MASTER_SPECIES")
        lines += [f"    {el} {el} 0 {el} 1" for el in tracers.values()]
        lines.append("SOLUTION_SPECIES")
        for el in tracers.values():
            lines += [f"    {el} = {el}", "    log_k 0"]
    lines += punch_block(kin, equi, position="CELL_NO", tracers=tracers)
    # formation water at reservoir conditions -> cells 1..N and the ambient inlet
    lines += solution_block(exp, AMBIENT)
    # reactant blocks are numbered >= 9000: TRANSPORT applies REACTION n, REACTION_TEMPERATURE n,
    # ... to cell n, so numbers 1..N would act on the cells at every shift.
    lines += [f"REACTION_TEMPERATURE {AMBIENT}", f"    {_n(T_c)}", f"REACTION_PRESSURE {AMBIENT}", f"    {_n(p_atm)}",
              f"USE solution {AMBIENT}", f"USE reaction_temperature {AMBIENT}", f"USE reaction_pressure {AMBIENT}",
              f"SAVE solution 1-{N}", "END",
              f"USE solution {AMBIENT}", f"USE reaction_temperature {AMBIENT}", f"USE reaction_pressure {AMBIENT}",
              f"SAVE solution {AMBIENT}", "END"]
    if exp.formation_prerun is not None:
        # [formation_water] prerun: the site water reacts with one cell's rock and secondary minerals at reservoir
        # conditions; the result fills cells 1..N and is the ambient inflow. The cells' rock starts fresh.
        lines.append(f"KINETICS {PRERUN}")
        lines += kinetics_entries(exp, kin)
        lines.append(f"    -steps {_n(exp.formation_prerun.to('s').magnitude)} in {PRERUN_STEPS} steps")
        if equi:
            lines.append(f"EQUILIBRIUM_PHASES {PRERUN}")
            lines += [f"    {p} 0 0" for p in equi]
        lines += [f"USE solution {AMBIENT}", f"USE kinetics {PRERUN}"]
        lines += [f"USE equilibrium_phases {PRERUN}"] if equi else []
        lines += [f"USE reaction_temperature {AMBIENT}", f"USE reaction_pressure {AMBIENT}",
                  f"SAVE solution {AMBIENT}", f"SAVE solution 1-{N}", "END"]
    # injectates
    for i, ph in enumerate(exp.injection.phases):
        lines += solution_block(exp, FIRST_INJECTATE + i)
        lines.append(f"REACTION {FIRST_INJECTATE + i}")
        for g, n in ph.moles_per_kg_water().items():
            if n > 0:
                lines.append(f"    {g} {_n(n)}")
        for t, conc in ph.tracers.items():
            q = Q_(conc)
            lines.append(f"    {tracers[t]} {_n(q.to('mol/kg').magnitude)}")
        lines += ["    1 moles in 1 steps", f"USE solution {FIRST_INJECTATE + i}", f"USE reaction {FIRST_INJECTATE + i}",
                  f"USE reaction_temperature {AMBIENT}", f"USE reaction_pressure {AMBIENT}",
                  f"SAVE solution {FIRST_INJECTATE + i}", "END"]
    # minerals in every cell
    lines.append(f"KINETICS 1-{N}")
    lines += kinetics_entries(exp, kin)
    if equi:
        lines.append(f"EQUILIBRIUM_PHASES 1-{N}")
        lines += [f"    {p} 0 0" for p in equi]
    segs = schedule(exp)
    dt = tr.time_step.to("s").magnitude
    for j, (phase, shifts) in enumerate(segs):
        src = AMBIENT if phase is None else FIRST_INJECTATE + phase
        lines += [f"COPY solution {src} 0", "END", "TRANSPORT", f"    -shifts {shifts}"]
        if j == 0:
            lines += [f"    -cells {N}", f"    -lengths {_n(tr.cell_length.magnitude)}", f"    -time_step {_n(dt)}",
                      "    -flow_direction forward", "    -boundary_conditions flux flux",
                      f"    -dispersivities {_n(tr.dispersivity.magnitude)}", "    -diffusion_coefficient 0",
                      f"    -punch_cells 1-{N}", "    -punch_frequency 1", "    -print_frequency 100000"]
        lines.append("END")
    return "\n".join(lines) + "\n", kin, equi, tracers, segs


def run_linear(exp: Experiment, *, progress: bool = False) -> Result:
    """Run a ``kind = "linear"`` experiment through PHREEQC TRANSPORT and return a Result.

    Series: for every monitoring point ``P``: ``"P pH"``, ``"P DIC"``, ``"P Ca"`` ...,
    ``"P <tracer>"`` [mol/kg] and ``"P <tracer> mixing fraction"`` [-]; for the whole
    streamline: ``"<Mineral> amount"`` [mol, sum over cells], ``"carbon in
    carbonates"``, ``"carbon injected"``, ``"fraction mineralised"``.
    """
    started = utc_now()
    text, kin, equi, tracers, segs = build_transport_input(exp)
    if progress:
        from ccus.progress import Spinner

        with Spinner(f"PHREEQC TRANSPORT: {exp.name} ({exp.transport.cells} cells)"):
            out = run_phreeqc(text, exp.database_path)
    else:
        out = run_phreeqc(text, exp.database_path)
    tr = exp.transport
    N = tr.cells
    prerun = exp.formation_prerun is not None
    # simulations before the first COPY + TRANSPORT pair: cells, ambient, [pre-run], one per injectate
    n_setup = 2 + int(prerun) + len(exp.injection.phases)
    sim = np.asarray(out["sim"], dtype=float).astype(int)
    step = np.asarray(out["step"], dtype=float).astype(int)
    cell = np.asarray(out["cell"], dtype=float).astype(int)
    # every TRANSPORT simulation is preceded by a COPY simulation: sims n_setup+2, n_setup+4, ...
    transport_sims = [n_setup + 2 * (j + 1) for j in range(len(segs))]
    keep = np.isin(sim, transport_sims) & (cell >= 1) & (cell <= N) & (step >= 1)
    seg_index = {s: j for j, s in enumerate(transport_sims)}
    offsets = np.cumsum([0] + [n for _, n in segs])
    shift = np.array([offsets[seg_index[s]] + st if k else -1 for s, st, k in zip(sim, step, keep, strict=True)])
    n_shift = int(offsets[-1])
    dt = tr.time_step.to("s").magnitude

    def grid(col):
        g = np.full((n_shift + 1, N), np.nan)
        v = np.asarray(out[col], dtype=float)
        g[shift[keep], cell[keep] - 1] = v[keep]
        return g

    missing = n_shift * N - int(keep.sum())
    if missing:
        raise EngineError(f"PHREEQC TRANSPORT returned {int(keep.sum())} cell rows, expected {n_shift * N}")
    # time zero: formation water everywhere, minerals at m0
    setup0 = np.nonzero(sim == (3 if prerun else 1))[0][-1]
    series: dict = {}
    # cell grids (shift x cell) of what the monitoring points report; row 0 = formation water
    grids = {"pH": ("pH", "dimensionless")}
    grids.update({("DIC" if e == "C(4)" else e): (f"tot_{e}", "mol/kg") for e in ELEMENTS_OUT})
    cell_values = {}
    for label, (col, unit) in grids.items():
        g = grid(col)
        g[0, :] = float(out[col][setup0])
        cell_values[label] = (g, unit)
    ph_all = cell_values["pH"][0]
    check_ph(ph_all.min(axis=1), np.arange(n_shift + 1) * dt, exp.name)
    check_ph(ph_all.max(axis=1), np.arange(n_shift + 1) * dt, exp.name)
    for t in tracers:
        g = grid(f"trc_{t}")
        g[0, :] = 0.0
        cell_values[t] = (g, "mol/kg")
    tracer_profiles = {}
    for name in tr.monitoring:
        i = tr.cell_of(name) - 1
        for label, (g, unit) in cell_values.items():
            series[f"{name} {label}"] = Q_(g[:, i], unit)
        for t in tracers:
            inj = max(Q_(ph.tracers[t]).to("mol/kg").magnitude for ph in exp.injection.phases if t in ph.tracers)
            series[f"{name} {t} mixing fraction"] = Q_(cell_values[t][0][:, i] / inj, "dimensionless")
    for t in tracers:
        inj = max(Q_(ph.tracers[t]).to("mol/kg").magnitude for ph in exp.injection.phases if t in ph.tracers)
        tracer_profiles[f"{t} total"] = Q_(cell_values[t][0], "mol/kg")
        tracer_profiles[f"{t} mixing fraction"] = Q_(cell_values[t][0] / inj, "dimensionless")
    water = grid("water")
    water[0, :] = float(out["water"][setup0])
    series["water mass"] = Q_(water.sum(axis=1), "kg")
    # profiles (shift x cell): what the porosity feedback and the reports read
    profiles = {"pH": Q_(ph_all, "dimensionless"), "pore water": Q_(water, "kg"), **tracer_profiles}
    for label, (g, unit) in cell_values.items():
        if label in ELEMENT_LABELS:
            profiles[ELEMENT_LABELS[label]] = Q_(g, unit)
    kinetic = []
    for k in kin:
        g = grid(f"kin_{k.rate.name}")
        g[0, :] = k.m0
        kinetic.append((k, g.sum(axis=1), k.m0 * N))
        profiles[f"{k.rate.name} amount"] = Q_(g, "mol")
    equilibrium = []
    for p in equi:
        g = grid(f"equ_{p}")
        g[0, :] = 0.0
        equilibrium.append((p, g.sum(axis=1)))
        profiles[f"{p} amount"] = Q_(g, "mol")
    # carbon injected: one cell's water (1 kg) enters per shift
    injected = np.zeros(n_shift + 1)
    pos = 0
    for phase, n in segs:
        c = 0.0 if phase is None else exp.injection.phases[phase].moles_per_kg_water().get("CO2", 0.0)
        injected[pos + 1: pos + n + 1] = c
        pos += n
    injected = np.cumsum(injected) * exp.water_mass.to("kg").magnitude
    mseries, minerals = mineral_series(kinetic, equilibrium, exp.database_path, Q_(injected, "mol"))
    series.update(mseries)
    series["carbon injected"] = Q_(injected, "mol")
    series["pH"] = series[f"{next(iter(tr.monitoring))} pH"]
    prov = base_provenance(exp, "phreeqc", phreeqc_version(), started)
    prov["finished_utc"] = utc_now()
    prov["phreeqc_input_sha256"] = hashlib.sha256(text.encode()).hexdigest()
    prov["transport"] = {"cells": N, "cell_length_m": tr.cell_length.magnitude, "time_step_s": dt,
                         "dispersivity_m": tr.dispersivity.magnitude, "velocity_m_per_s": tr.velocity.magnitude}
    ctx = experiment_context(exp)
    ctx["transport"] = {"length": f"{tr.length:~P}", "cells": N, "velocity": f"{tr.velocity.to('m/d'):~P}",
                        "dispersivity": f"{tr.dispersivity:~P}",
                        "monitoring": {k: f"{v:~P}" for k, v in tr.monitoring.items()}}
    cells = (np.arange(N) + 0.5) * tr.cell_length.to("m").magnitude
    return Result(name=exp.name, time=Q_(np.arange(n_shift + 1) * dt, "s"), series=series,
                  carbon_injected=Q_(float(injected[-1]), "mol"), minerals=minerals, provenance=prov, context=ctx,
                  profiles=profiles, cells=Q_(cells, "m"))
