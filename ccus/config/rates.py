"""Mineral rate parameter sets (``models/rates/*.toml``).

Rate law of a mineral (TST form, per unit reactive surface area)::

    r = S * sum_i A_i exp(-Ea_i / (R T)) * g_i(a) * (1 - Omega^(1/sigma))   [mol/s]

with ``g_i = a(species)^order`` (acid, neutral with no species, base; a gas name
such as ``CO2(g)`` stands for its partial pressure in atm),
``g_i = 1 - kc a_c / (1 + kc a_c)`` with ``a_c = a(HCO3-) + a(CO3-2)``
(``kind = "carbonate_inhibition"``), and for ``law = "gislason_oelkers2003"``
(basaltic glass) ``g = (a(H+)^3 / a(Al+3))^(1/3)``. A mechanism may give the
Arrhenius pre-exponential factor ``A`` or the rate constant at 25 C ``k25``;
``A = k25 exp(Ea / (R 298.15 K))``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ccus.config.paths import resolve
from ccus.config.reader import Section, read_toml
from ccus.errors import ConfigError
from ccus.formula import element_counts
from ccus.units import Q_

LAWS = ("tst", "gislason_oelkers2003")
MECHANISM_KINDS = ("power", "carbonate_inhibition")
T_REF = 298.15


@dataclass(frozen=True)
class Mechanism:
    """One parallel mechanism; ``A`` [mol/m^2/s], ``Ea`` [J/mol]."""

    name: str
    A: float
    Ea: float
    kind: str = "power"
    species: str | None = None
    order: float = 0.0
    kc: float = 0.0

    def __post_init__(self):
        if not (self.A > 0 and math.isfinite(self.A)):
            raise ValueError(f"mechanism {self.name}: A must be positive, got {self.A}")
        if self.kind not in MECHANISM_KINDS:
            raise ValueError(f"mechanism {self.name}: unknown kind {self.kind}")


@dataclass(frozen=True)
class MineralRate:
    """Rate parameters of one mineral.

    Attributes
    ----------
    name
        Name of the mineral in the rate set (also its KINETICS name in PHREEQC).
    phase
        PHREEQC PHASES name when the mineral has one (``None`` for glasses and
        the Kinec_v3 solid solutions).
    formula, molar_mass
        Formula and molar mass [kg/mol].
    sigma
        Temkin coefficient of the affinity term.
    affinity_phase / affinity_product
        Which saturation ratio enters the affinity term.
    gas_constant
        R [J/mol/K] as used by the source.
    """

    name: str
    law: str
    formula: str
    molar_mass: float
    sigma: float
    mechanisms: tuple[Mechanism, ...]
    gas_constant: float
    source: str
    phase: str | None = None
    affinity_phase: str | None = None
    affinity_product: tuple[tuple[str, float], ...] = ()
    elements: dict = field(default_factory=dict, compare=False)

    def __post_init__(self):
        if self.law not in LAWS:
            raise ValueError(f"{self.name}: unknown law {self.law}")
        if not self.elements:
            object.__setattr__(self, "elements", element_counts(self.formula))

    @property
    def saturation_phases(self) -> tuple[str, ...]:
        """PHREEQC phases whose saturation ratio the affinity term uses."""
        if self.affinity_product:
            return tuple(p for p, _ in self.affinity_product)
        return (self.affinity_phase or self.phase,) if (self.affinity_phase or self.phase) else ()

    def carbon(self) -> float:
        """Moles of C per mole of mineral."""
        return self.elements.get("C", 0.0)


@dataclass(frozen=True)
class RateSet:
    name: str
    title: str
    source: str
    path: str
    minerals: dict[str, MineralRate]
    database: str | None = None


MINERAL_KEYS = {
    "phase", "formula", "molar_mass", "sigma", "law", "mechanisms", "source",
    "affinity_phase", "affinity_product", "gas_constant", "note",
}
META_KEYS = {"name", "title", "source", "database", "gas_constant", "note"}
MECH_KEYS = {"A", "k25", "Ea", "species", "order", "kind", "kc", "source", "note"}


def _mechanism(sec: Section, name: str, R: float) -> Mechanism:
    sec.check_keys(MECH_KEYS)
    kind = sec.string("kind", "power", choices=list(MECHANISM_KINDS))
    Ea = sec.quantity("Ea", "energy per amount", minimum="0 J/mol").to("J/mol").magnitude
    if sec.has("A") == sec.has("k25"):
        raise sec.error(None, "give exactly one of 'A' (pre-exponential factor) or 'k25' (rate constant at 25 C)")
    if sec.has("A"):
        A = sec.quantity("A", "rate per area", minimum="0 mol/m^2/s", exclusive=True).to("mol/m^2/s").magnitude
    else:
        k25 = sec.quantity("k25", "rate per area", minimum="0 mol/m^2/s", exclusive=True).to("mol/m^2/s").magnitude
        A = k25 * math.exp(Ea / (R * T_REF))
    species = sec.string("species", None)
    if species is not None and (not species or any(c.isspace() for c in species)):
        raise sec.error("species", f"expected a species name without spaces, found {species!r}")
    order = sec.number("order", 0.0)
    if kind == "power" and species is None and order != 0.0:
        raise sec.error("order", "a reaction order needs a 'species'")
    kc = sec.number("kc", 0.0, minimum=0.0)
    if kind == "carbonate_inhibition" and kc <= 0:
        raise sec.error("kc", "carbonate_inhibition needs kc > 0")
    return Mechanism(name=name, A=A, Ea=Ea, kind=kind, species=species, order=order, kc=kc)


def _mineral(sec: Section, name: str, R_default: float, set_source: str) -> MineralRate:
    sec.check_keys(MINERAL_KEYS)
    law = sec.string("law", "tst", choices=list(LAWS))
    formula = sec.string("formula")
    try:
        element_counts(formula)
    except ValueError as exc:
        raise sec.error("formula", str(exc)) from None
    M = sec.quantity("molar_mass", "molar mass", minimum="0 g/mol", exclusive=True, sourced=True)
    sigma = sec.number("sigma", 1.0, minimum=0.0, exclusive=True, sourced=True)
    R = R_default
    if sec.has("gas_constant"):
        R = _gas_constant(sec, sec.raw("gas_constant"))
    mechs_sec = sec.section("mechanisms")
    mechanisms = tuple(_mechanism(m, mname, R) for mname, m in mechs_sec.items())
    if not mechanisms:
        raise sec.error("mechanisms", "at least one mechanism is needed")
    product = sec.raw("affinity_product", {})
    if not isinstance(product, dict) or not all(isinstance(v, (int, float)) for v in product.values()):
        raise sec.error("affinity_product", f"expected a table phase = weight, found {product!r}")
    phase = sec.string("phase", None)
    aff = sec.string("affinity_phase", None)
    if not (phase or aff or product):
        raise sec.error(None, "needs 'phase', 'affinity_phase' or 'affinity_product' for the affinity term")
    if law == "gislason_oelkers2003" and len(mechanisms) != 1:
        raise sec.error("mechanisms", "the gislason_oelkers2003 law takes exactly one mechanism")
    return MineralRate(
        name=name,
        law=law,
        formula=formula,
        molar_mass=M.value.to("kg/mol").magnitude,
        sigma=sigma.value,
        mechanisms=mechanisms,
        gas_constant=R,
        source=sec.string("source", set_source),
        phase=phase,
        affinity_phase=aff,
        affinity_product=tuple((k, float(v)) for k, v in product.items()),
    )


def _gas_constant(sec: Section, raw) -> float:
    """R [J/mol/K] from a quantity string (or sourced table), checked to be ~8.314."""
    value = raw["value"] if isinstance(raw, dict) else raw
    try:
        q = Q_(value)
        R = q.to("J/mol/K").magnitude
    except Exception:
        raise sec.error("gas_constant", f"expected a gas constant such as '8.314 J/mol/K', found {value!r}") from None
    if not 8.2 < R < 8.4:
        raise sec.error("gas_constant", f"expected about 8.314 J/mol/K, found {value!r}")
    return R


@lru_cache(maxsize=32)
def _load_rate_set_path(path: str) -> RateSet:
    doc, _ = read_toml(path)
    root = Section(doc, path)
    root.check_keys({"meta", "minerals"})
    meta = root.section("meta")
    meta.check_keys(META_KEYS)
    R = _gas_constant(meta, meta.raw("gas_constant")) if meta.has("gas_constant") else 8.314462618
    source = meta.string("source")
    minerals = {name: _mineral(sec, name, R, source) for name, sec in root.section("minerals").items()}
    return RateSet(
        name=meta.string("name", Path(path).stem),
        title=meta.string("title", ""),
        source=source,
        path=path,
        minerals=minerals,
        database=meta.string("database", None),
    )


def load_rate_set(ref: str, *, file: str | None = None, key: str = "rate_set", base: Path | None = None) -> RateSet:
    """Load a rate set by name (``hermanska2022``) or path; cached."""
    path = resolve("rates", ref, file=file, key=key, base=base)
    try:
        return _load_rate_set_path(str(path))
    except ConfigError:
        raise
    except ValueError as exc:
        raise ConfigError(str(exc), file=str(path)) from None
