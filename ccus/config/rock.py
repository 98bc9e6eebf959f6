"""Rocks (``models/rocks/*.toml``): mineral assemblages with surface areas and rate sets."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pint

from ccus.config.paths import resolve
from ccus.config.rates import MineralRate, load_rate_set
from ccus.config.reader import Section, Sourced, apply_overrides, read_toml
from ccus.errors import did_you_mean

SURFACE_MODELS = ("geometric", "linear")


@dataclass(frozen=True)
class RockMineral:
    """One primary mineral of a rock.

    ``mass_fraction`` [-] of the rock; ``specific_surface_area`` [m^2/g] as a
    quantity; ``surface_model``: ``geometric`` S = S0 (m/m0)^(2/3) or
    ``linear`` S proportional to m.
    """

    key: str
    rate: MineralRate
    rate_set: str
    mass_fraction: float
    specific_surface_area: pint.Quantity
    surface_model: str = "geometric"

    def __post_init__(self):
        if not 0 < self.mass_fraction <= 1:
            raise ValueError(f"{self.key}: mass fraction must be in (0, 1], got {self.mass_fraction}")
        if self.specific_surface_area.magnitude <= 0:
            raise ValueError(f"{self.key}: specific surface area must be positive")
        if self.surface_model not in SURFACE_MODELS:
            raise ValueError(f"{self.key}: unknown surface model {self.surface_model}")


@dataclass(frozen=True)
class Rock:
    name: str
    path: str
    description: str
    source: str
    minerals: tuple[RockMineral, ...]
    grain_density: pint.Quantity | None = None
    values: dict | None = None

    def __post_init__(self):
        total = sum(m.mass_fraction for m in self.minerals)
        if total > 1 + 1e-9:
            raise ValueError(f"mass fractions sum to {total:.4g} > 1")


ROCK_KEYS = {"name", "description", "source", "grain_density", "minerals", "note"}
MINERAL_KEYS = {"phase", "rate_set", "mass_fraction", "specific_surface_area", "surface_model", "source", "note"}


def parse_rock_mineral(sec: Section, key: str, base: Path | None) -> RockMineral:
    sec.check_keys(MINERAL_KEYS)
    rs_name = sec.string("rate_set")
    rate_set = load_rate_set(rs_name, file=sec.file, key=sec.path("rate_set"), base=base)
    phase = sec.string("phase")
    if phase not in rate_set.minerals:
        raise sec.error(
            "phase",
            f"mineral {phase!r} is not in rate set {rs_name!r}{did_you_mean(phase, rate_set.minerals)}; "
            f"it has: {', '.join(rate_set.minerals)}",
        )
    frac = sec.number("mass_fraction", minimum=0.0, maximum=1.0, exclusive=False, sourced=True)
    if frac.value <= 0:
        raise sec.error("mass_fraction", f"expected a mass fraction above 0, found {frac.value:g}")
    ssa = sec.quantity("specific_surface_area", "specific surface area", minimum="0 m^2/g", exclusive=True, sourced=True)
    model = sec.string("surface_model", "geometric", choices=list(SURFACE_MODELS))
    return RockMineral(
        key=key,
        rate=rate_set.minerals[phase],
        rate_set=rate_set.name,
        mass_fraction=frac.value,
        specific_surface_area=ssa.value.to("m^2/g"),
        surface_model=model,
    )


def load_rock(ref: str, *, file: str | None = None, key: str = "rock", base: Path | None = None,
              overrides: dict | None = None) -> Rock:
    """Load a rock by name (``carbfix1_glassy_tholeiite``) or path.

    ``overrides`` maps key paths inside the ``[rock]`` table
    (``"minerals.glass.specific_surface_area"``) to replacement values.
    """
    path = resolve("rocks", ref, file=file, key=key, base=base)
    doc, _ = read_toml(path)
    if overrides:
        doc = {**doc, "rock": apply_overrides(doc.get("rock", {}), overrides, file=str(path), prefix="rock.")}
    root = Section(doc, str(path))
    root.check_keys({"rock"})
    sec = root.section("rock")
    sec.check_keys(ROCK_KEYS)
    minerals = tuple(parse_rock_mineral(m, k, path.parent) for k, m in sec.section("minerals").items())
    if not minerals:
        raise sec.error("minerals", "a rock needs at least one mineral")
    total = sum(m.mass_fraction for m in minerals)
    if total > 1 + 1e-9:
        raise sec.error("minerals", f"mass fractions sum to {total:.4g}; expected at most 1")
    density = sec.quantity("grain_density", "density", None, minimum="0 kg/m^3", exclusive=True, sourced=True)
    return Rock(
        name=sec.string("name"),
        path=str(path),
        description=sec.string("description", ""),
        source=sec.string("source"),
        minerals=minerals,
        grain_density=None if density is None else density.value,
        values={"grain_density": density} if density is not None else {},
    )



__all__ = ["Rock", "RockMineral", "load_rock", "parse_rock_mineral", "Sourced"]
