"""Turn an :class:`~ccus.config.experiment.Experiment` into PHREEQC input.

Simulation 1 makes the formation water (SOLUTION at its sampling temperature),
dissolves the gas charge (REACTION) and brings it to reservoir temperature and
pressure (REACTION_TEMPERATURE / REACTION_PRESSURE); the result is time zero.
Simulation 2 reacts it with the rock (KINETICS, with the RATES written from
``models/rates``) and the secondary minerals (KINETICS or EQUILIBRIUM_PHASES),
step by step to the output times (INCREMENTAL_REACTIONS).

Only validated names reach the input: element, phase and species names were
checked against the database when the experiment was loaded, and
:func:`ccus.engines.phreeqc.rates_basic._q` refuses anything with spaces,
quotes or line breaks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ccus.config.database_names import is_safe_name
from ccus.config.experiment import Experiment
from ccus.config.rates import MineralRate
from ccus.engines.phreeqc.rates_basic import rates_section
from ccus.errors import ConfigError
from ccus.units import magnitude

ELEMENTS_OUT = ("C", "C(4)", "Ca", "Mg", "Fe", "Si", "Al", "Na", "K", "S", "Cl")
DIRECTIONS = {"both": 0, "precipitate": 1, "dissolve": 2}
ATM_PER_PA = 1.0 / 101325.0


@dataclass(frozen=True)
class KineticMineral:
    """One KINETICS entry: rate, initial moles, PARMs."""

    key: str
    rate: MineralRate
    m0: float  # mol
    surface_mode: int
    area: float  # m2/g or m2/kgw
    direction: int
    primary: bool


def kinetic_minerals(exp: Experiment) -> list[KineticMineral]:
    out = []
    rock_kg = magnitude(exp.rock_mass, "kg")
    for m in exp.rock.minerals:
        moles = rock_kg * m.mass_fraction / m.rate.molar_mass
        mode = 0 if m.surface_model == "geometric" else 2
        out.append(KineticMineral(m.key, m.rate, moles, mode, magnitude(m.specific_surface_area, "m^2/g"),
                                  DIRECTIONS["dissolve"], True))
    for s in exp.secondary:
        if s.mode == "kinetic":
            out.append(KineticMineral(s.key, s.rate, 0.0, 1, magnitude(s.surface_area, "m^2/kg"),
                                      DIRECTIONS[s.direction], False))
    names = [k.rate.name for k in out]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise ConfigError(f"mineral(s) {', '.join(sorted(dup))} appear twice among rock and secondary minerals", file=exp.path)
    return out


def _n(x: float) -> str:
    return repr(float(x))


def solution_block(exp: Experiment, number: int = 1) -> list[str]:
    w = exp.site.water
    lines = [
        f"SOLUTION {number}",
        "    units mol/kgw",
        f"    temp {_n(w.temperature.to('degC').magnitude)}",
        f"    pressure {_n(exp.pressure.to('Pa').magnitude * ATM_PER_PA)}",
        f"    pH {_n(w.pH)}",
        f"    -water {_n(exp.water_mass.to('kg').magnitude)}",
    ]
    for el, q in w.composition.items():
        if not is_safe_name(el):
            raise ConfigError(f"element name {el!r} cannot be used in PHREEQC input", file=exp.site.path)
        lines.append(f"    {el} {_n(q.to('mol/kg').magnitude)}")
    return lines


def punch_block(kin: list[KineticMineral], equi: list[str], *, position: str = "TOTAL_TIME",
                tracers: dict[str, str] | None = None) -> list[str]:
    """SELECTED_OUTPUT + USER_PUNCH: sim, step, ``position`` (time or cell), pH, water,
    element totals, tracer totals (``{name: element}``), kinetic and equilibrium amounts."""
    tracers = tracers or {}
    cols = ["sim", "step", "time" if position == "TOTAL_TIME" else "cell", "pH", "water"]
    cols += [f"tot_{e}" for e in ELEMENTS_OUT] + [f"trc_{t}" for t in tracers]
    cols += [f"kin_{k.rate.name}" for k in kin] + [f"equ_{p}" for p in equi]
    exprs = [f'TOT("{e}")' for e in ELEMENTS_OUT] + [f'TOT("{el}")' for el in tracers.values()]
    exprs += [f'KIN("{k.rate.name}")' for k in kin] + [f'EQUI("{p}")' for p in equi]
    lines = [
        "SELECTED_OUTPUT 1",
        "    -reset false",
        "    -high_precision true",
        "USER_PUNCH 1",
        "    -headings " + " ".join(cols),
        f'10 PUNCH SIM_NO, STEP_NO, {position}, -LA("H+"), TOT("water")',
    ]
    lines += [f"{20 + n} PUNCH {e}" for n, e in enumerate(exprs)]
    return lines


def kinetics_entries(exp: Experiment, kin: list[KineticMineral], *, own_rates: bool = True) -> list[str]:
    """The mineral entries of a KINETICS block (after its ``KINETICS n`` line)."""
    lines = []
    for k in kin:
        lines.append(k.rate.name)
        if k.rate.phase is None:
            lines.append(f"    -formula {k.rate.formula} 1")
        lines.append(f"    -m0 {_n(k.m0)}")
        lines.append(f"    -m {_n(k.m0)}")
        if own_rates:
            lines.append(f"    -parms {k.surface_mode} {_n(k.area)} {k.direction}")
        else:  # Kinec_v3.dat's own RATES: area mode, area, surface model, direction
            kinec_mode = 1 if k.surface_mode == 1 else 0
            kinec_geom = 1 if k.surface_mode == 0 else 0
            lines.append(f"    -parms {kinec_mode} {_n(k.area)} {kinec_geom} {k.direction}")
        lines.append(f"    -tol {_n(exp.solver.rtol)}")
    if exp.solver.method == "cvode":
        lines.append("    -cvode true")
    if exp.solver.max_substeps:
        lines.append(f"    -bad_step_max {exp.solver.max_substeps}")
    return lines


def build_input(exp: Experiment, *, own_rates: bool = True) -> tuple[str, list[KineticMineral], list[str]]:
    """PHREEQC input text for a batch experiment.

    ``own_rates=False`` leaves out the RATES block so that the database's own
    RATES (Kinec_v3.dat) are used; the KINETICS -parms are then Kinec_v3's
    four parameters (area mode, area, surface model, direction).
    """
    kin = kinetic_minerals(exp)
    equi = [s.phase for s in exp.secondary if s.mode == "equilibrium"]
    lines: list[str] = []
    if own_rates:
        lines.append(rates_section([k.rate for k in kin]))
    lines += solution_block(exp, 1)
    gases = {g: n * exp.water_mass.to("kg").magnitude for g, n in exp.charge.moles_per_kgw.items() if n > 0}
    lines.append("REACTION 1")
    for g, n in gases.items():
        lines.append(f"    {g} {_n(n)}")
    lines.append("    1 moles in 1 steps")
    lines += [
        "REACTION_TEMPERATURE 1",
        f"    {_n(exp.temperature.to('degC').magnitude)}",
        "REACTION_PRESSURE 1",
        f"    {_n(exp.pressure.to('Pa').magnitude * ATM_PER_PA)}",
        "SAVE solution 2",
    ]
    lines += punch_block(kin, equi)
    lines.append("END")
    # -- simulation 2: kinetics ------------------------------------------------
    t = exp.output_times.to("s").magnitude
    dt = np.diff(np.concatenate([[0.0], t]))
    lines += ["USE solution 2", "INCREMENTAL_REACTIONS true", "KINETICS 1"]
    lines += kinetics_entries(exp, kin, own_rates=own_rates)
    lines.append("    -steps " + " ".join(_n(x) for x in dt))
    if equi:
        lines.append("EQUILIBRIUM_PHASES 1")
        for p in equi:
            lines.append(f"    {p} 0 0")
    lines.append("END")
    return "\n".join(lines) + "\n", kin, equi
