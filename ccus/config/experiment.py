"""Experiments (``experiments/*.toml``): what to run, on which site and rock, how.

An experiment file has the tables ``[experiment]`` (name, kind, site, rock,
engine, database, duration, temperature), ``[charge]`` (the gas dissolved in
the formation water before it meets the rock), ``[batch]`` (water and rock
mass), ``[secondary.<key>]`` (minerals allowed to precipitate), ``[output]``
(output times) and ``[solver]``. See docs/user-guide.md for every key.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pint

from ccus.config.database_names import database_names, database_path, is_safe_name
from ccus.config.injection import (
    GASES,
    InjectionConfig,
    charge_from_phase,
    parse_composition,
    parse_injection,
)
from ccus.config.rates import MineralRate, load_rate_set
from ccus.config.reader import Section, apply_overrides, read_toml, split_overrides
from ccus.config.rock import Rock, load_rock
from ccus.config.site import T_MAX, T_MIN, Site, load_site
from ccus.config.transport import Transport, parse_transport
from ccus.errors import ConfigError, did_you_mean
from ccus.units import Q_, unit

KINDS = ("batch", "linear", "radial")
ENGINES = ("phreeqc", "native")
#: the engine of an experiment without ``[experiment] engine``, by kind: ``native`` where it meets the
#: agreement targets against PHREEQC (batch: issue #4, checked by ``ccus validate --only batch``) or is the only
#: engine (radial); ``phreeqc`` for linear transport, the reference there (the native transport agrees with it on
#: the ``ccus validate --only transport`` case and every field-case file names ``native``; the default is kept)
DEFAULT_ENGINE = {"batch": "native", "linear": "phreeqc", "radial": "native"}


@dataclass(frozen=True)
class Charge:
    """Gas dissolved in the water: ``moles`` [mol per kg water] of each gas."""

    composition: dict[str, float]  # mole fractions
    moles_per_kgw: dict[str, float]
    water_gas_ratio: float  # kg water per kg gas

    def __post_init__(self):
        if any(v < 0 for v in self.moles_per_kgw.values()):
            raise ValueError("negative gas charge")

    @property
    def co2_per_kgw(self) -> pint.Quantity:
        return Q_(self.moles_per_kgw.get("CO2", 0.0), unit("mol/kg"))


@dataclass(frozen=True)
class Secondary:
    """A mineral allowed to form: ``kinetic`` with ``surface_area`` [m^2/kg water] or ``equilibrium``."""

    key: str
    name: str
    mode: str
    rate: MineralRate | None
    rate_set: str | None
    surface_area: pint.Quantity | None
    direction: str = "both"
    phase: str | None = None

    def __post_init__(self):
        if self.mode not in ("kinetic", "equilibrium"):
            raise ValueError(f"unknown mode {self.mode}")


@dataclass(frozen=True)
class Solver:
    rtol: float = 1e-8
    method: str = "rk"
    max_substeps: int = 0


@dataclass(frozen=True)
class Experiment:
    """A validated experiment. Quantities are pint quantities (ccus.units)."""

    name: str
    description: str
    path: str
    text: str
    kind: str
    engine: str
    database: str
    database_path: str
    site: Site
    rock: Rock
    temperature: pint.Quantity
    pressure: pint.Quantity
    duration: pint.Quantity
    output_times: pint.Quantity
    charge: Charge
    water_mass: pint.Quantity
    rock_mass: pint.Quantity
    secondary: tuple[Secondary, ...]
    solver: Solver = field(default_factory=Solver)
    overrides: dict = field(default_factory=dict)
    injection: InjectionConfig | None = None
    transport: Transport | None = None
    formation_prerun: pint.Quantity | None = None  # [s]; [formation_water] prerun, None = the site water as given

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind}")
        if self.engine not in ENGINES:
            raise ValueError(f"unknown engine {self.engine}")
        t = self.output_times.to("s").magnitude
        if len(t) == 0 or np.any(np.diff(t) <= 0) or t[0] <= 0:
            raise ValueError("output times must be positive and increasing")

    @property
    def sha256(self) -> str:
        """sha256 of the config text (and of the overrides, when there are any)."""
        extra = "" if not self.overrides else "\n#overrides " + repr(sorted(self.overrides.items()))
        return hashlib.sha256((self.text + extra).encode()).hexdigest()

    @property
    def carbon_injected(self) -> pint.Quantity:
        """Moles of carbon added with the gas charge [mol]."""
        w = self.water_mass
        if w.units == unit("kg"):  # mol/kg x kg: pint's product, without its unit algebra (~0.1 ms)
            return Q_(self.charge.moles_per_kgw.get("CO2", 0.0) * w.magnitude, unit("mol"))
        return (self.charge.co2_per_kgw * w).to(unit("mol"))


TOP_KEYS = {"experiment", "charge", "injection", "batch", "transport", "formation_water", "secondary", "output", "solver"}
EXP_KEYS = {"name", "description", "kind", "site", "rock", "engine", "database", "duration", "temperature", "pressure", "note"}
CHARGE_KEYS = {"composition", "basis", "water_gas_ratio", "dissolved", "note"}
BATCH_KEYS = {"water_mass", "rock_mass", "note"}
SECONDARY_KEYS = {"mineral", "rate_set", "mode", "surface_area", "direction", "note"}
OUTPUT_KEYS = {"times", "steps", "spacing", "first", "note"}
SOLVER_KEYS = {"rtol", "method", "max_substeps", "note"}
FORMATION_WATER_KEYS = {"prerun", "note"}


def _formation_prerun(root: Section, kind: str):
    """``[formation_water] prerun``: react the site water with one cell's rock this long before a transport run."""
    sec = root.section("formation_water", required=False)
    if sec is None:
        return None
    if kind == "batch":
        raise root.error("formation_water", "a [formation_water] table needs kind = \"linear\" or \"radial\" (the ambient water of a transport run)")
    sec.check_keys(FORMATION_WATER_KEYS)
    prerun = sec.quantity("prerun", "time", "0 d", minimum="0 s")
    if prerun.to("yr").magnitude > 1e4:
        raise sec.error("prerun", f"expected at most 10000 yr, found {prerun:~P}")
    if prerun.magnitude == 0:
        return None
    return prerun.to("s")


def _charge(sec: Section) -> Charge:
    sec.check_keys(CHARGE_KEYS)
    x = parse_composition(sec)
    M_mix = sum(x[g] * GASES[g] for g in x)  # kg/mol of gas mixture
    if sec.has("water_gas_ratio") == sec.has("dissolved"):
        raise sec.error(None, "give exactly one of 'water_gas_ratio' (kg water per kg gas) or 'dissolved' (mol gas per kg water)")
    if sec.has("water_gas_ratio"):
        ratio = sec.number("water_gas_ratio", minimum=0.0, exclusive=True)
        n_gas = 1.0 / ratio / M_mix
    else:
        n_gas = sec.quantity("dissolved", "molality", minimum="0 mol/kg", exclusive=True).to("mol/kg").magnitude
        ratio = 1.0 / (n_gas * M_mix)
    if n_gas > 5.0:
        raise sec.error(
            "water_gas_ratio" if sec.has("water_gas_ratio") else "dissolved",
            f"{n_gas:.3g} mol gas per kg water is far above CO2 solubility at any reservoir condition (< ~2 mol/kg); check the ratio",
        )
    return Charge(composition=x, moles_per_kgw={g: x[g] * n_gas for g in x}, water_gas_ratio=ratio)


def _secondary(sec: Section, key: str, base: Path, phases: frozenset) -> Secondary:
    sec.check_keys(SECONDARY_KEYS)
    mode = sec.string("mode", "kinetic", choices=["kinetic", "equilibrium"])
    name = sec.string("mineral")
    direction = sec.string("direction", "both", choices=["both", "precipitate", "dissolve"])
    if mode == "equilibrium":
        if name not in phases:
            raise sec.error("mineral", f"unknown phase {name!r}{did_you_mean(name, phases)} in the database")
        if sec.has("rate_set") or sec.has("surface_area"):
            raise sec.error(None, "an equilibrium mineral takes no 'rate_set' or 'surface_area'")
        return Secondary(key=key, name=name, mode=mode, rate=None, rate_set=None, surface_area=None, direction=direction, phase=name)
    rs = load_rate_set(sec.string("rate_set"), file=sec.file, key=sec.path("rate_set"), base=base)
    if name not in rs.minerals:
        raise sec.error("mineral", f"mineral {name!r} is not in rate set {rs.name!r}{did_you_mean(name, rs.minerals)}")
    area = sec.quantity("surface_area", "surface area per water", minimum="0 m^2/kg", exclusive=True)
    return Secondary(key=key, name=name, mode=mode, rate=rs.minerals[name], rate_set=rs.name,
                     surface_area=area.to("m^2/kg"), direction=direction, phase=rs.minerals[name].phase)


def _output_times(sec: Section | None, duration: pint.Quantity) -> pint.Quantity:
    d = duration.to("s").magnitude
    if sec is None:
        return Q_(np.linspace(d / 100, d, 100), "s")
    sec.check_keys(OUTPUT_KEYS)
    if sec.has("times"):
        raw = sec.raw("times")
        if not isinstance(raw, list) or not raw:
            raise sec.error("times", f"expected a list of times such as ['1 d', '1 yr'], found {raw!r}")
        ts = [Section({"t": r}, sec.file, sec.path("times")).quantity("t", "time").to("s").magnitude for r in raw]
        t = np.array(ts, dtype=float)
        if np.any(t <= 0) or np.any(np.diff(t) <= 0):
            raise sec.error("times", "expected positive, strictly increasing times")
        if t[-1] > d * (1 + 1e-12):
            raise sec.error("times", f"the last output time {t[-1]:.4g} s is after the end of the experiment ({d:.4g} s)")
        return Q_(t, "s")
    n = sec.integer("steps", 100, minimum=1, maximum=100000)
    spacing = sec.string("spacing", "linear", choices=["linear", "log"])
    if spacing == "linear":
        return Q_(np.linspace(d / n, d, n), "s")
    first = sec.quantity("first", "time", "1 d", minimum="0 s", exclusive=True).to("s").magnitude
    if first >= d:
        raise sec.error("first", "the first output time must be before the end of the experiment")
    return Q_(np.geomspace(first, d, n), "s")


def load_experiment(path: str | Path, *, engine: str | None = None, overrides: dict | None = None) -> Experiment:
    """Load and validate an experiment file.

    Parameters
    ----------
    path
        The experiment TOML file.
    engine
        Overrides the file's ``experiment.engine``.
    overrides
        ``{key path: value}`` replacing values before validation, for studies
        and scripts. Paths start with a table of the experiment file
        (``"experiment.temperature"``, ``"charge.water_gas_ratio"``,
        ``"secondary.calcite.surface_area"``), with ``"site."`` for the site
        file (``"site.porosity"``, ``"site.water.pH"``) or ``"rock."`` for the
        rock file (``"rock.minerals.glass.specific_surface_area"``). Values are
        what the file would hold (``"50 degC"``, ``0.1``).
    """
    path = Path(path)
    doc, text = read_toml(path)
    f = str(path)
    groups = split_overrides(overrides, ("site", "rock", *sorted(TOP_KEYS)))
    exp_over = {f"{h}.{k}": v for h in TOP_KEYS for k, v in groups[h].items()}
    if exp_over:
        doc = apply_overrides(doc, exp_over, file=f)
    root = Section(doc, f)
    root.check_keys(TOP_KEYS)
    exp = root.section("experiment")
    exp.check_keys(EXP_KEYS)
    kind = exp.string("kind", "batch", choices=list(KINDS))
    eng = exp.string("engine", DEFAULT_ENGINE[kind], choices=list(ENGINES))
    if engine is not None:
        if engine not in ENGINES:
            raise ConfigError(f"unknown engine {engine!r}{did_you_mean(engine, ENGINES)}; choose from {', '.join(ENGINES)}")
        eng = engine
    db_name = exp.string("database", "Kinec_v3.dat")
    db_path = database_path(db_name, file=f, key="experiment.database")
    names = database_names(str(db_path))
    site = load_site(exp.string("site"), file=f, key="experiment.site", base=path.parent, elements=names.elements,
                     overrides=groups["site"])
    rock_ref = exp.string("rock", site.default_rock)
    if rock_ref is None:
        raise exp.error("rock", f"required key is missing (site {site.name!r} names no default_rock)")
    rock = load_rock(rock_ref, file=f, key="experiment.rock", base=path.parent, overrides=groups["rock"])
    temperature = exp.quantity("temperature", "temperature", site.temperature, minimum=T_MIN, maximum=T_MAX)
    pressure = exp.quantity("pressure", "pressure", site.pressure, minimum="0 bar", maximum="2000 bar", exclusive=True)
    duration = exp.quantity("duration", "time", minimum="0 s", exclusive=True)
    if duration.to("yr").magnitude > 1e4:
        raise exp.error("duration", f"expected at most 10000 yr, found {duration:~P}")
    inj_sec = root.section("injection", required=False)
    injection = parse_injection(inj_sec) if inj_sec is not None else None
    if root.has("charge") or injection is None:
        charge = _charge(root.section("charge"))
    else:  # the batch water is the first phase's injectate
        charge = charge_from_phase(injection.phases[0])
    transport = None
    if kind == "batch":
        for extra in ("transport",):
            if root.has(extra):
                raise root.error(extra, f"a [{extra}] table needs kind = \"linear\" or \"radial\"")
        batch = root.section("batch")
        batch.check_keys(BATCH_KEYS)
        water_mass = batch.quantity("water_mass", "mass", "1 kg", minimum="0 kg", exclusive=True).to("kg")
        rock_mass = batch.quantity("rock_mass", "mass", minimum="0 kg", exclusive=True).to("kg")
    else:
        if root.has("batch"):
            raise root.error("batch", f"kind = \"{kind}\" takes no [batch] table: each cell holds 1 kg of pore water and the rock around it")
        if injection is None:
            raise root.error("injection", f"kind = \"{kind}\" needs an [injection] table (what enters the model)")
        transport = parse_transport(root.section("transport"), site.monitoring_distance, kind=kind, site=site,
                                    injection=injection)
        if rock.grain_density is None:
            raise ConfigError(f"kind = \"{kind}\" needs the rock's grain_density to put rock in each cell", file=rock.path, key="rock.grain_density")
        water_mass = Q_(1.0, "kg")
        # rock per kg pore water at the site's porosity (pore water density taken as 1000 kg/m3)
        rock_mass = ((1 - site.porosity) / site.porosity * rock.grain_density / Q_(1000.0, "kg/m^3") * water_mass).to("kg")
    sec_sec = root.section("secondary", required=False)
    secondary = tuple(_secondary(s, k, path.parent, names.phases) for k, s in sec_sec.items()) if sec_sec else ()
    for m in [*rock.minerals, *[s for s in secondary if s.rate]]:
        rate = m.rate
        for ph in rate.saturation_phases:
            if ph not in names.phases:
                raise ConfigError(f"rate of {rate.name!r} needs phase {ph!r}, which {db_name} does not define{did_you_mean(ph, names.phases)}", file=f)
        for mech in rate.mechanisms:
            known = names.phases if (mech.species or "").endswith("(g)") else names.species
            if mech.species and mech.species not in known:
                raise ConfigError(f"rate of {rate.name!r} uses species {mech.species!r}, not in {db_name}{did_you_mean(mech.species, known)}", file=f)
        if not is_safe_name(rate.name):
            raise ConfigError(f"mineral name {rate.name!r} cannot be used in PHREEQC input", file=f)
    solver = root.section("solver", required=False)
    if solver is not None:
        solver.check_keys(SOLVER_KEYS)
        sv = Solver(
            rtol=solver.number("rtol", 1e-8, minimum=1e-14, maximum=1e-2),
            method=solver.string("method", "rk", choices=["rk", "cvode"]),
            max_substeps=solver.integer("max_substeps", 0, minimum=0),
        )
    else:
        sv = Solver()
    return Experiment(
        name=exp.string("name", path.stem),
        description=exp.string("description", ""),
        path=f,
        text=text,
        kind=kind,
        engine=eng,
        database=db_name,
        database_path=str(db_path),
        site=site,
        rock=rock,
        temperature=temperature,
        pressure=pressure,
        duration=duration.to("s"),
        output_times=_output_times(root.section("output", required=False), duration),
        charge=charge,
        water_mass=water_mass,
        rock_mass=rock_mass,
        secondary=secondary,
        solver=sv,
        overrides=dict(overrides or {}),
        injection=injection,
        transport=transport,
        formation_prerun=_formation_prerun(root, kind),
    )
