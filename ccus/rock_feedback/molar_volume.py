"""Molar volumes of minerals [m^3/mol] for the porosity feedback.

Order of precedence for a mineral (a PHREEQC phase name):

1. the ``-Vm`` of its PHASES entry in the experiment's database (cm^3/mol, at
   25 C and 1 atm: PHREEQC applies no temperature or pressure correction to a
   solid's volume);
2. molar mass / density, with the density from ``models/minerals/densities.toml``
   (each value with its citation) and the molar mass from the mineral's formula
   and the database's element weights (SOLUTION_MASTER_SPECIES gfw).

A mineral found in neither raises a :class:`~ccus.errors.ConfigError` naming it
and the two places looked at.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ccus.config.paths import models_dir
from ccus.errors import ConfigError, did_you_mean
from ccus.formula import element_counts
from ccus.units import Q_

CM3 = 1e-6  # m^3 per cm^3


@dataclass(frozen=True)
class MolarVolume:
    """Molar volume of a mineral [m^3/mol] and where it came from."""

    mineral: str
    value: float  # m^3/mol
    source: str


def densities_path() -> Path:
    return models_dir() / "minerals" / "densities.toml"


@lru_cache(maxsize=4)
def _densities(path: str) -> dict[str, tuple[float, str]]:
    """``phase -> (density [kg/m^3], source)`` from the density table."""
    with open(path, "rb") as fh:
        doc = tomllib.load(fh)
    table = doc.get("densities")
    if not isinstance(table, dict):
        raise ConfigError("expected a [densities] table", file=path, key="densities")
    out = {}
    for name, entry in table.items():
        if not isinstance(entry, dict) or "value" not in entry or "source" not in entry:
            raise ConfigError("expected { value = \"<density>\", source = \"...\" }", file=path, key=f"densities.{name}")
        q = Q_(entry["value"])
        if not q.check("[mass] / [length] ** 3") or q.magnitude <= 0:
            raise ConfigError(f"expected a positive density (e.g. '2.7 g/cm^3'), found {entry['value']!r}", file=path,
                              key=f"densities.{name}")
        tag = " (assumed)" if entry.get("assumed") else ""
        out[name] = (float(q.to("kg/m^3").magnitude), f"{entry['source']}{tag}")
    return out


def molar_mass(formula: str, database) -> float:
    """Molar mass [kg/mol] of ``formula`` from the database's element weights (gfw)."""
    total = 0.0
    for el, n in element_counts(formula).items():
        master = database.masters.get(el)
        if master is None or master.gfw is None or master.gfw <= 0:
            raise ConfigError(f"no element weight for {el!r} (formula {formula!r}) in database {database.path}")
        total += n * master.gfw
    return total * 1e-3


def molar_volume(mineral: str, formula: str | None, database_path: str) -> MolarVolume:
    """Molar volume [m^3/mol] of ``mineral`` (phase name) with its source; see the module doc."""
    from ccus.thermo.system import load_database

    db = load_database(database_path)
    phase = db.phases.get(mineral)
    if phase is not None and phase.vm is not None and phase.vm > 0:
        return MolarVolume(mineral, phase.vm * CM3, f"{Path(db.path).name} PHASES -Vm {phase.vm:g} cm3/mol")
    table = _densities(str(densities_path()))
    if mineral in table:
        formula = formula or (phase.formula if phase is not None else None)
        if not formula:
            raise ConfigError(f"no formula for {mineral!r}: cannot turn its density into a molar volume")
        rho, src = table[mineral]
        M = molar_mass(formula, db)
        return MolarVolume(mineral, M / rho, f"molar mass {M * 1e3:.6g} g/mol / density {rho / 1e3:g} g/cm3 ({src})")
    raise ConfigError(
        f"no molar volume for mineral {mineral!r}: its database entry has no -Vm and "
        f"{densities_path()} has no density for it{did_you_mean(mineral, list(table))}; "
        f"add '{mineral} = {{ value = \"<density> g/cm^3\", source = \"...\" }}' to that table",
        file=str(densities_path()), key=f"densities.{mineral}",
    )


def molar_volumes(minerals: dict[str, str | None], database_path: str) -> dict[str, MolarVolume]:
    """``{mineral: MolarVolume}`` for ``{mineral: formula or None}``."""
    return {m: molar_volume(m, f, database_path) for m, f in minerals.items()}


def check_experiment(experiment) -> dict[str, MolarVolume]:
    """Molar volumes of every rock and secondary mineral of a transport experiment.

    Called before a transport run so that a mineral without a molar volume stops
    the run at once (naming the experiment file) instead of after it.
    """
    minerals: dict[str, str | None] = {m.rate.name: m.rate.formula for m in experiment.rock.minerals}
    for s in experiment.secondary:
        if s.mode == "kinetic" and s.rate is not None:
            minerals[s.rate.name] = s.rate.formula
        else:
            minerals[s.phase or s.name] = None
    try:
        return molar_volumes(minerals, experiment.database_path)
    except ConfigError as exc:
        raise ConfigError(f"{exc.message} (needed by the rock feedback; or set "
                          f"[transport.feedback] enabled = false)", file=experiment.path, key="transport.feedback") from None
