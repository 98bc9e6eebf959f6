"""Run a batch :class:`Experiment` through PHREEQC and return a :class:`Result`."""

from __future__ import annotations

import hashlib

import numpy as np

from ccus.config.experiment import Experiment
from ccus.engines.phreeqc.inputs import ELEMENTS_OUT, build_input
from ccus.engines.phreeqc.runner import phreeqc_version, run_phreeqc
from ccus.errors import EngineError
from ccus.formula import element_counts
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
    minerals: dict[str, dict] = {}
    carbonate = np.zeros_like(time)
    for k in kin:
        amount = col(f"kin_{k.rate.name}")
        amount[0] = k.m0  # KINETICS is defined in simulation 2 only
        series[f"{k.rate.name} amount"] = Q_(amount, "mol")
        nC = k.rate.carbon()
        minerals[k.rate.name] = {"role": "primary" if k.primary else "secondary", "carbon": nC,
                                 "elements": k.rate.elements, "formula": k.rate.formula, "m0": k.m0}
        if nC > 0:
            carbonate += nC * (amount - k.m0)
    for p in equi:
        amount = col(f"equ_{p}")
        amount[0] = 0.0
        series[f"{p} amount"] = Q_(amount, "mol")
        formula = _phase_formula(exp, p)
        els = element_counts(formula) if formula else {}
        minerals[p] = {"role": "equilibrium", "carbon": els.get("C", 0.0), "elements": els, "formula": formula, "m0": 0.0}
        if els.get("C", 0.0) > 0:
            carbonate += els["C"] * amount
    series["carbon in carbonates"] = Q_(carbonate, "mol")
    injected = exp.carbon_injected
    series["fraction mineralised"] = Q_(carbonate / injected.to("mol").magnitude, "dimensionless")
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


def _phase_formula(exp: Experiment, phase: str) -> str | None:
    """Formula of a database phase (first species of its reaction), e.g. Kaolinite -> Al2Si2O5(OH)4."""
    from ccus.config.database_names import phase_formula

    return phase_formula(exp.database_path, phase)
