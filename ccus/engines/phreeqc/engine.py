"""Run a batch :class:`Experiment` through PHREEQC and return a :class:`Result`."""

from __future__ import annotations

import hashlib

import numpy as np

from ccus.config.experiment import Experiment
from ccus.engines.common import mineral_series
from ccus.engines.phreeqc.inputs import ELEMENTS_OUT, build_input
from ccus.engines.phreeqc.runner import phreeqc_version, run_phreeqc
from ccus.errors import EngineError
from ccus.provenance import base_provenance, utc_now
from ccus.result.context import experiment_context
from ccus.result.result import Result
from ccus.units import Q_

SERIES_OF_ELEMENT = {"C(4)": "DIC", "C": "C"}


def run_batch(exp: Experiment, *, progress: bool = False) -> Result:
    """Run ``exp`` (kind ``batch``) with PHREEQC.

    ``progress`` prints a spinner line to stderr while PHREEQC runs (one
    call, no per-step callback is available from IPhreeqc).
    """
    started = utc_now()
    text, kin, equi = build_input(exp)
    if progress:
        from ccus.progress import Spinner

        with Spinner(f"PHREEQC: {exp.name}"):
            out = run_phreeqc(text, exp.database_path)
    else:
        out = run_phreeqc(text, exp.database_path)
    sim = np.asarray(out["sim"], dtype=float)
    # row order: sim 1 initial solution, sim 1 after the charge (time zero), sim 2 kinetic steps
    rows1 = np.nonzero(sim == 1)[0]
    rows2 = np.nonzero(sim == 2)[0]
    n_steps = len(exp.output_times)
    if len(rows1) < 2 or len(rows2) != n_steps:
        raise EngineError(f"PHREEQC returned {len(rows1)} + {len(rows2)} output rows; expected 2 + {n_steps}")
    rows = np.concatenate([[rows1[1]], rows2])

    def col(name):
        return np.asarray(out[name], dtype=float)[rows]

    time = col("time")
    check_ph(col("pH"), time, exp.name)
    series = {"pH": Q_(col("pH"), "dimensionless")}
    for e in ELEMENTS_OUT:
        series[SERIES_OF_ELEMENT.get(e, e)] = Q_(col(f"tot_{e}"), "mol/kg")
    water = col("water")
    series["water mass"] = Q_(water, "kg")
    kinetic = []
    for k in kin:
        amount = col(f"kin_{k.rate.name}")
        amount[0] = k.m0  # KINETICS is defined in simulation 2 only
        kinetic.append((k, amount, k.m0))
    equilibrium = []
    for p in equi:
        amount = col(f"equ_{p}")
        amount[0] = 0.0
        equilibrium.append((p, amount))
    injected = exp.carbon_injected
    mseries, minerals = mineral_series(kinetic, equilibrium, exp.database_path, injected)
    series.update(mseries)
    prov = base_provenance(exp, "phreeqc", phreeqc_version(), started)
    prov["finished_utc"] = utc_now()
    prov["phreeqc_input_sha256"] = hashlib.sha256(text.encode()).hexdigest()
    return Result(name=exp.name, time=Q_(time, "s"), series=series, carbon_injected=injected,
                  minerals=minerals, provenance=prov, context=experiment_context(exp))


def check_ph(ph: np.ndarray, time_s: np.ndarray, name: str) -> None:
    """Refuse a PHREEQC result whose pH leaves 0-14: the integration went astray.

    Seen in studies with very high reactive surface and rock mass (pH up to 19.7 returned
    without an error): such numbers are not chemistry, so the run fails instead.
    """
    bad = np.nonzero(~np.isfinite(ph) | (ph < 0) | (ph > 14))[0]
    if len(bad):
        i = bad[0]
        raise EngineError(
            f"{name}: PHREEQC returned pH {ph[i]:.3g} at {time_s[i] / 86400:.4g} d, outside 0-14: the kinetic "
            "integration is not trustworthy (try [solver] method = \"cvode\", a smaller rtol, or less reactive surface)"
        )
