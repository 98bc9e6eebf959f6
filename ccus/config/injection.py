"""The injection plan of an experiment (``[injection]`` and ``[[injection.phases]]``).

CarbFix dissolves the gas in water inside the well; a plan says at what
pressure and water temperature that happens, and, per phase, when, how much
gas of which composition, with how much water, and which tracers go with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pint

from ccus.config.reader import Section
from ccus.errors import did_you_mean
from ccus.units import Q_

GASES = {"CO2": 44.0095e-3, "H2S": 34.0809e-3, "H2": 2.01588e-3}  # molar mass [kg/mol] (IUPAC atomic weights)
INJECTION_KEYS = {
    "dissolution_pressure", "water_temperature", "salinity", "depth", "well_radius", "skin",
    "total_compressibility", "allow_free_gas", "phases", "note",
}
PHASE_KEYS = {
    "name", "start", "duration", "gas_rate", "gas_mass", "composition", "basis",
    "water_gas_ratio", "water_rate", "tracers", "note",
}


@dataclass(frozen=True)
class InjectionPhase:
    """One injection phase. Rates [kg/s] and times [s] as quantities."""

    name: str
    start: pint.Quantity
    duration: pint.Quantity
    gas_rate: pint.Quantity
    composition: dict[str, float]  # mole fractions
    water_rate: pint.Quantity
    tracers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        if self.duration.magnitude <= 0 or self.gas_rate.magnitude < 0 or self.water_rate.magnitude < 0:
            raise ValueError(f"phase {self.name}: duration must be positive and rates non-negative")

    @property
    def water_gas_ratio(self) -> float:
        """Water mass per gas mass [kg/kg]."""
        return (self.water_rate / self.gas_rate).to("dimensionless").magnitude

    @property
    def gas_mass(self) -> pint.Quantity:
        return (self.gas_rate * self.duration).to("t")

    def moles_per_kg_water(self) -> dict[str, float]:
        """Gas dissolved per kg of injection water [mol/kg] by gas."""
        m_mix = sum(x * GASES[g] for g, x in self.composition.items())
        n_gas = 1.0 / self.water_gas_ratio / m_mix
        return {g: x * n_gas for g, x in self.composition.items()}


@dataclass(frozen=True)
class InjectionConfig:
    dissolution_pressure: pint.Quantity
    water_temperature: pint.Quantity
    salinity: pint.Quantity
    depth: pint.Quantity | None
    well_radius: pint.Quantity
    skin: float
    total_compressibility: pint.Quantity
    allow_free_gas: bool
    phases: tuple[InjectionPhase, ...]


def parse_composition(sec: Section, name: str = "composition", basis_key: str = "basis") -> dict[str, float]:
    """A gas composition table (CO2/H2S/H2 fractions summing to 1) as mole fractions."""
    comp = sec.raw(name, {"CO2": 1.0})
    if not isinstance(comp, dict) or not comp:
        raise sec.error(name, f"expected a table of gas = fraction, e.g. {{ CO2 = 1.0 }}, found {comp!r}")
    csec = Section(comp, sec.file, sec.path(name))
    fr = {}
    for g in comp:
        if g not in GASES:
            raise csec.error(g, f"unknown gas {g!r}{did_you_mean(g, GASES)}; supported: {', '.join(GASES)}")
        fr[g] = csec.number(g, minimum=0.0, maximum=1.0)
    total = sum(fr.values())
    if abs(total - 1) > 1e-6:
        raise sec.error(name, f"gas fractions must sum to 1, found {total:.6g}")
    if sec.string(basis_key, "mole", choices=["mole", "mass"]) == "mass":
        moles = {g: f / GASES[g] for g, f in fr.items()}
        n = sum(moles.values())
        return {g: m / n for g, m in moles.items()}
    return fr


def _phase(sec: Section, index: int) -> InjectionPhase:
    sec.check_keys(PHASE_KEYS)
    name = sec.string("name", f"phase {index + 1}")
    start = sec.quantity("start", "time", "0 s", minimum="0 s")
    duration = sec.quantity("duration", "time", minimum="0 s", exclusive=True)
    if sec.has("gas_rate") == sec.has("gas_mass"):
        raise sec.error(None, "give exactly one of 'gas_rate' (e.g. '70 g/s') or 'gas_mass' (total, e.g. '175 t')")
    if sec.has("gas_rate"):
        rate = sec.quantity("gas_rate", "mass rate", minimum="0 kg/s", exclusive=True).to("kg/s")
    else:
        rate = (sec.quantity("gas_mass", "mass", minimum="0 kg", exclusive=True) / duration).to("kg/s")
    comp = parse_composition(sec)
    if sec.has("water_gas_ratio") == sec.has("water_rate"):
        raise sec.error(None, "give exactly one of 'water_gas_ratio' (kg water per kg gas) or 'water_rate' (e.g. '2 kg/s')")
    if sec.has("water_gas_ratio"):
        water = rate * sec.number("water_gas_ratio", minimum=0.0, exclusive=True)
    else:
        water = sec.quantity("water_rate", "mass rate", minimum="0 kg/s", exclusive=True).to("kg/s")
    tracers_raw = sec.raw("tracers", {})
    if not isinstance(tracers_raw, dict) or not all(isinstance(v, (str, int, float)) for v in tracers_raw.values()):
        raise sec.error("tracers", f"expected a table tracer = concentration, found {tracers_raw!r}")
    tracers = {k: str(v) for k, v in tracers_raw.items()}
    return InjectionPhase(name=name, start=start.to("s"), duration=duration.to("s"), gas_rate=rate,
                          composition=comp, water_rate=water.to("kg/s"), tracers=tracers)


def parse_injection(sec: Section) -> InjectionConfig:
    sec.check_keys(INJECTION_KEYS)
    raw_phases = sec.raw("phases")
    if not isinstance(raw_phases, list) or not raw_phases:
        raise sec.error("phases", "expected at least one [[injection.phases]] table")
    phases = tuple(_phase(Section(p, sec.file, f"{sec.path('phases')}[{i}]"), i) for i, p in enumerate(raw_phases))
    ends = [(p.start + p.duration).to("s").magnitude for p in phases]
    for i in range(1, len(phases)):
        if phases[i].start.to("s").magnitude < ends[i - 1]:
            raise sec.error(f"phases[{i}].start", f"phase {phases[i].name!r} starts before the previous phase ends")
    return InjectionConfig(
        dissolution_pressure=sec.quantity("dissolution_pressure", "pressure", minimum="0 bar", exclusive=True, maximum="2000 bar"),
        water_temperature=sec.quantity("water_temperature", "temperature", minimum="0 degC", maximum="260 degC"),
        salinity=sec.quantity("salinity", "molality", "0 mol/kg", minimum="0 mol/kg", maximum="4.3 mol/kg"),
        depth=sec.quantity("depth", "length", None, minimum="0 m", exclusive=True),
        well_radius=sec.quantity("well_radius", "length", "0.1 m", minimum="0 m", exclusive=True),
        skin=sec.number("skin", 0.0, minimum=-5.0, maximum=100.0),
        total_compressibility=sec.quantity("total_compressibility", "compressibility", "1e-9 1/Pa", minimum="0 1/Pa", exclusive=True),
        allow_free_gas=sec.boolean("allow_free_gas", False),
        phases=phases,
    )


def charge_from_phase(phase: InjectionPhase):
    """The batch gas charge equivalent to one injection phase's injectate."""
    from ccus.config.experiment import Charge

    return Charge(composition=dict(phase.composition), moles_per_kgw=phase.moles_per_kg_water(),
                  water_gas_ratio=phase.water_gas_ratio)


__all__ = ["InjectionConfig", "InjectionPhase", "parse_injection", "parse_composition", "charge_from_phase", "Q_"]
