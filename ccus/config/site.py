"""Sites (``models/sites/*.toml``): reservoir properties and formation water."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pint

from ccus.config.paths import resolve
from ccus.config.reader import Section, Sourced, apply_overrides, read_toml

T_MIN, T_MAX = "0 degC", "300 degC"  # validity of the LLNL-type databases (0.01-300 C)


@dataclass(frozen=True)
class Water:
    """A water: temperature, pH and element totals [mol/kg water] as quantities."""

    temperature: pint.Quantity
    pH: float
    composition: dict[str, pint.Quantity]
    source: str = ""

    def __post_init__(self):
        if not 0 <= self.pH <= 14:
            raise ValueError(f"pH {self.pH} outside 0-14")
        for el, q in self.composition.items():
            if q.magnitude < 0:
                raise ValueError(f"negative concentration of {el}")


@dataclass(frozen=True)
class Site:
    """A storage site. All quantities are pint quantities; ``values`` keeps citations."""

    name: str
    path: str
    location: str
    description: str
    source: str
    depth: pint.Quantity
    temperature: pint.Quantity
    pressure: pint.Quantity
    porosity: float
    permeability: pint.Quantity
    thickness: pint.Quantity
    water: Water
    default_rock: str | None = None
    depth_top: pint.Quantity | None = None
    depth_bottom: pint.Quantity | None = None
    fracture_gradient: pint.Quantity | None = None
    monitoring_distance: pint.Quantity | None = None
    values: dict = field(default_factory=dict, compare=False)

    def __post_init__(self):
        if not 0 < self.porosity < 1:
            raise ValueError(f"porosity {self.porosity} outside (0, 1)")

    @property
    def assumptions(self) -> list[str]:
        """Keys whose values are ccus assumptions rather than sourced measurements."""
        return [k for k, v in self.values.items() if isinstance(v, Sourced) and v.assumed]


SITE_KEYS = {
    "name", "location", "description", "source", "default_rock", "depth", "depth_top", "depth_bottom",
    "temperature", "pressure", "porosity", "permeability", "thickness", "fracture_gradient",
    "monitoring_distance", "note",
}


WATER_KEYS = {"source", "temperature", "pH", "composition", "note"}


def parse_water(sec: Section, *, elements: frozenset | None = None) -> tuple[Water, dict]:
    """Parse a ``[water]`` table: temperature, pH and ``composition`` (element = molality)."""
    from ccus.errors import did_you_mean

    sec.check_keys(WATER_KEYS)
    values = {}
    t = sec.quantity("temperature", "temperature", minimum=T_MIN, maximum=T_MAX, sourced=True)
    ph = sec.number("pH", minimum=0.0, maximum=14.0, sourced=True)
    values["water.temperature"], values["water.pH"] = t, ph
    comp = {}
    csec = sec.section("composition")
    for el in list(csec.data):
        if elements is not None and el not in elements and re.sub(r"\((\d)", r"(+\1", el) not in elements:
            raise csec.error(el, f"unknown element {el!r}{did_you_mean(el, elements)} (names as in the database's SOLUTION_MASTER_SPECIES)")
        q = csec.quantity(el, "molality", minimum="0 mol/kg", sourced=True)
        values[f"water.composition.{el}"] = q
        comp[el] = q.value.to("mol/kg")
    return Water(temperature=t.value, pH=ph.value, composition=comp, source=sec.string("source", "")), values


def load_site(ref: str, *, file: str | None = None, key: str = "site", base: Path | None = None,
              elements: frozenset | None = None, overrides: dict | None = None) -> Site:
    """Load a site by name (``carbfix1``) or path; ``elements`` validates water element names.

    ``overrides`` maps key paths (``"porosity"``, ``"water.pH"``) to replacement
    values: paths inside ``[site]``, or inside ``[water]`` when they start with ``water.``.
    """
    path = resolve("sites", ref, file=file, key=key, base=base)
    doc, _ = read_toml(path)
    if overrides:
        water = {k[len("water."):]: v for k, v in overrides.items() if k.startswith("water.")}
        site = {k: v for k, v in overrides.items() if not k.startswith("water.")}
        doc = dict(doc)
        if site:
            doc["site"] = apply_overrides(doc.get("site", {}), site, file=str(path), prefix="site.")
        if water:
            doc["water"] = apply_overrides(doc.get("water", {}), water, file=str(path), prefix="site.water.")
    root = Section(doc, str(path))
    root.check_keys({"site", "water"})
    sec = root.section("site")
    sec.check_keys(SITE_KEYS)
    v: dict = {}

    def q(name, dim, default=..., **kw):
        r = sec.quantity(name, dim, default, sourced=True, **kw)
        if r is not None:
            v[name] = r
            return r.value
        return None

    depth = q("depth", "length", minimum="0 m", exclusive=True)
    temperature = q("temperature", "temperature", minimum=T_MIN, maximum=T_MAX)
    pressure = q("pressure", "pressure", minimum="0 bar", maximum="2000 bar", exclusive=True)
    por = sec.number("porosity", minimum=0.0, maximum=1.0, exclusive=True, sourced=True)
    v["porosity"] = por
    perm = q("permeability", "permeability", minimum="0 m^2", exclusive=True)
    thickness = q("thickness", "length", minimum="0 m", exclusive=True)
    water, wv = parse_water(root.section("water"), elements=elements)
    v.update(wv)
    return Site(
        name=sec.string("name"),
        path=str(path),
        location=sec.string("location", ""),
        description=sec.string("description", ""),
        source=sec.string("source"),
        depth=depth,
        temperature=temperature,
        pressure=pressure,
        porosity=por.value,
        permeability=perm,
        thickness=thickness,
        water=water,
        default_rock=sec.string("default_rock", None),
        depth_top=q("depth_top", "length", None, minimum="0 m"),
        depth_bottom=q("depth_bottom", "length", None, minimum="0 m"),
        fracture_gradient=q("fracture_gradient", "pressure gradient", None, minimum="0 bar/m", exclusive=True),
        monitoring_distance=q("monitoring_distance", "length", None, minimum="0 m", exclusive=True),
        values=v,
    )
