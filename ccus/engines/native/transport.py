"""Native reactive transport (``kind = "linear"`` or ``"radial"``, engine ``native``) -> Result.

The same Result schema as the PHREEQC transport (:mod:`ccus.engines.phreeqc.transport`):
per monitoring point ``P`` the series ``"P pH"``, ``"P DIC"``, ``"P Ca"``, ...,
``"P <tracer>"`` [mol/kg] and ``"P <tracer> mixing fraction"`` [-]; for the whole
model ``"<Mineral> amount"`` [mol, sum over cells], ``"water mass"``, ``"carbon
injected"``, ``"carbon in carbonates"``, ``"fraction mineralised"``; and the
profiles (time x cell) ``"pH"``, ``"pore water"`` [kg per cell], ``"DIC"``,
``"<El> total"`` [mol/kg water], ``"<Mineral> amount"`` [mol per cell] and for each
tracer ``"<tracer> total"`` [mol/kg water] and ``"<tracer> mixing fraction"`` [-].
Output times are the ends of the transport steps.
"""

from __future__ import annotations

import numpy as np

from ccus.engines.common import mineral_series
from ccus.engines.phreeqc.inputs import ELEMENTS_OUT
from ccus.provenance import base_provenance, utc_now
from ccus.result.context import experiment_context
from ccus.result.result import Result
from ccus.transport.run import ATOL, RTOL, TransportRun, simulate
from ccus.units import Q_


def engine_version() -> str:
    import ccus

    return f"ccus-native {ccus.__version__} (transport: upwind advection, implicit dispersion, batched cell kinetics)"


def run_transport(exp, progress: bool = False, rtol: float = RTOL, atol: float = ATOL) -> Result:
    """Run a linear or radial experiment with the native transport and return its Result."""
    started = utc_now()
    run = simulate(exp, rtol=rtol, atol=atol, progress=progress)
    return build_result(exp, run, started)


def build_result(exp, run: TransportRun, started: str) -> Result:
    tr = exp.transport
    grid, chem = run.grid, run.chem
    M = grid.water  # nominal pore water per cell [kg]
    time = np.array(run.time)
    pH = np.array(run.pH)
    water = np.array(run.water) * M[None, :]
    molal = np.array(run.molal)
    dic = np.array(run.dic)
    trc = np.array(run.tracer_molal).reshape(len(time), grid.n, len(run.tracers))
    comps = chem.cs.element_of_component
    cell_values = {"pH": (pH, "dimensionless")}
    profiles = {"pH": Q_(pH, "dimensionless"), "pore water": Q_(water, "kg"), "DIC": Q_(dic, "mol/kg")}
    for el in ELEMENTS_OUT:
        if el == "C(4)":
            cell_values["DIC"] = (dic, "mol/kg")
            continue
        g = molal[:, :, comps.index(el)] if el in comps else np.zeros((len(time), grid.n))
        cell_values[el] = (g, "mol/kg")
        profiles[f"{el} total"] = Q_(g, "mol/kg")
    for j, t in enumerate(run.tracers):
        cell_values[t] = (trc[:, :, j], "mol/kg")
        profiles[f"{t} total"] = Q_(trc[:, :, j], "mol/kg")
        profiles[f"{t} mixing fraction"] = Q_(trc[:, :, j] / run.tracer_injectate[t], "dimensionless")
    series: dict = {}
    for name in tr.monitoring:
        i = tr.cell_of(name) - 1
        for label, (g, unit) in cell_values.items():
            series[f"{name} {label}"] = Q_(g[:, i], unit)
        for j, t in enumerate(run.tracers):
            series[f"{name} {t} mixing fraction"] = Q_(trc[:, i, j] / run.tracer_injectate[t], "dimensionless")
    series["water mass"] = Q_(water.sum(axis=1), "kg")
    mins = np.array(run.minerals) * M[None, :, None]
    kinetic = []
    for j, k in enumerate(chem.kin):
        kinetic.append((k, mins[:, :, j].sum(axis=1), k.m0 * M.sum()))
        profiles[f"{k.rate.name} amount"] = Q_(mins[:, :, j], "mol")
    phs = np.array(run.phases).reshape(len(time), grid.n, len(chem.eq)) * M[None, :, None]
    equilibrium = []
    for j, p in enumerate(chem.eq):
        equilibrium.append((p, phs[:, :, j].sum(axis=1)))
        profiles[f"{p} amount"] = Q_(phs[:, :, j], "mol")
    injected = np.array(run.carbon_injected)
    mseries, minerals = mineral_series(kinetic, equilibrium, exp.database_path, Q_(injected, "mol"))
    series.update(mseries)
    series["carbon injected"] = Q_(injected, "mol")
    series["pH"] = series[f"{next(iter(tr.monitoring))} pH"]
    prov = base_provenance(exp, "native", engine_version(), started)
    prov["finished_utc"] = utc_now()
    prov["transport"] = {"kind": tr.kind, "cells": grid.n, "courant": tr.courant, "steps": run.n_steps,
                         "dispersivity_m": grid.dispersivity, "wall_time_s": run.wall_time,
                         "kinetic_steps": chem.steps, "rejected_steps": chem.rejected,
                         "batched_evaluations": chem.evaluations, "rtol": chem.rtol, "atol_mol_per_kg": chem.atol}
    if grid.velocity is not None:
        prov["transport"]["velocity_m_per_s"] = grid.velocity
    bal = run.balance()
    prov["transport"]["mass_balance_max_relative_residual"] = max(b["relative"] for b in bal.values())
    ctx = experiment_context(exp)
    ctx["transport"] = {"kind": tr.kind, "length": f"{tr.length:~P}", "cells": grid.n,
                        "dispersivity": f"{tr.dispersivity:~P}", "courant": tr.courant,
                        "monitoring": {k: f"{v:~P}" for k, v in tr.monitoring.items()}}
    if tr.velocity is not None:
        ctx["transport"]["velocity"] = f"{tr.velocity.to('m/d'):~P}"
    else:
        ctx["transport"].update({"thickness": f"{tr.thickness:~P}", "well_radius": f"{tr.well_radius:~P}",
                                 "spacing": tr.spacing, "porosity": tr.porosity})
    return Result(name=exp.name, time=Q_(time, "s"), series=series, carbon_injected=Q_(float(injected[-1]), "mol"),
                  minerals=minerals, provenance=prov, context=ctx, profiles=profiles,
                  cells=Q_(grid.centres, "m"))
