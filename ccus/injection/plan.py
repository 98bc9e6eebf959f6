"""The injection plan of an experiment: water demand, dissolution pressure, injectate, well pressure.

For each phase of ``[[injection.phases]]``:

- **water demand**: the minimum water rate that dissolves the gas at the
  dissolution pressure and water temperature (:func:`ccus.injection.dissolution.water_demand`),
  in t water per t gas and per t CO2, against the planned water rate;
- **dissolution pressure**: the lowest pressure at which the planned
  water:gas ratio dissolves all the gas (:func:`~ccus.injection.dissolution.min_dissolution_pressure`);
- **free gas**: whether a free gas phase would remain (an error unless
  ``allow_free_gas = true``, then a warning);
- **injectate**: pH, DIC and dissolved sulfide of the site water charged with
  the gas (PHREEQC, the database of the experiment);
- **well pressure**: Theis build-up at the well face (with skin) after the
  phase's duration, for the water + dissolved gas volume rate at reservoir
  temperature and pressure (water density from Cantera, viscosity IAPWS 2008),
  against the fracture pressure (depth x the site's fracture gradient).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pint

from ccus.errors import ConfigError
from ccus.units import Q_


@dataclass(frozen=True)
class PhasePlan:
    """Figures of one injection phase (pint quantities)."""

    name: str
    gas_rate: pint.Quantity
    gas_mass: pint.Quantity
    composition: dict[str, float]
    water_rate: pint.Quantity
    water_per_gas: pint.Quantity
    min_water_rate: pint.Quantity
    min_water_per_gas: pint.Quantity
    min_water_per_co2: pint.Quantity
    dissolution_pressure: pint.Quantity
    min_dissolution_pressure: pint.Quantity | None
    free_gas: bool
    injectate_pH: float
    injectate_DIC: pint.Quantity
    injectate_sulfide: pint.Quantity
    volume_rate: pint.Quantity
    pressure_buildup: pint.Quantity
    bottomhole_pressure: pint.Quantity
    fracture_pressure: pint.Quantity | None
    pressure_margin: pint.Quantity | None

    @property
    def margin_ok(self) -> bool | None:
        return None if self.pressure_margin is None else bool(self.pressure_margin.magnitude > 0)


@dataclass(frozen=True)
class InjectionPlan:
    experiment: str
    site: str
    phases: tuple[PhasePlan, ...]
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def frame(self):
        """One column per phase, one row per figure (``"name [unit]"``)."""
        import pandas as pd

        rows = {}
        for p in self.phases:
            col = {}
            for key in ("gas_rate", "gas_mass", "water_rate", "water_per_gas", "min_water_rate", "min_water_per_gas",
                        "min_water_per_co2", "dissolution_pressure", "min_dissolution_pressure", "injectate_DIC",
                        "injectate_sulfide", "volume_rate", "pressure_buildup", "bottomhole_pressure",
                        "fracture_pressure", "pressure_margin"):
                q = getattr(p, key)
                unit = DISPLAY_UNITS[key]
                col[f"{key.replace('_', ' ')} [{unit}]"] = None if q is None else float(q.to(unit).magnitude)
            col["injectate pH [-]"] = p.injectate_pH
            col["free gas [-]"] = p.free_gas
            col["composition [mole fraction]"] = ", ".join(f"{g} {x:.3g}" for g, x in p.composition.items())
            rows[p.name] = col
        return pd.DataFrame(rows)

    def as_context(self) -> dict[str, Any]:
        """Strings with units for the result store and reports (worst case over phases)."""
        def s(q, unit):
            return None if q is None else f"{q.to(unit).magnitude:.4g} {unit}"

        worst = min((p for p in self.phases if p.pressure_margin is not None),
                    key=lambda p: p.pressure_margin.magnitude, default=None)
        first = self.phases[0]
        return {
            "water_demand": s(first.min_water_per_co2, "t/t") if first.composition.get("CO2") else s(first.min_water_per_gas, "t/t"),
            "water_per_gas_planned": s(first.water_per_gas, "t/t"),
            "dissolution_pressure": s(first.dissolution_pressure, "bar"),
            "min_dissolution_pressure": s(first.min_dissolution_pressure, "bar"),
            "injection_pressure": s(worst.bottomhole_pressure, "bar") if worst else None,
            "pressure_buildup": s(worst.pressure_buildup, "bar") if worst else None,
            "fracture_pressure": s(worst.fracture_pressure, "bar") if worst else None,
            "pressure_margin": s(worst.pressure_margin, "bar") if worst else None,
            "free_gas": any(p.free_gas for p in self.phases),
            "phases": [
                {"name": p.name, "gas_rate": s(p.gas_rate, "kg/s"), "gas_mass": s(p.gas_mass, "t"),
                 "composition": p.composition, "water_rate": s(p.water_rate, "kg/s"),
                 "min_water_per_gas": s(p.min_water_per_gas, "t/t"), "injectate_pH": round(p.injectate_pH, 3),
                 "injectate_DIC": s(p.injectate_DIC, "mol/kg"), "pressure_buildup": s(p.pressure_buildup, "bar"),
                 "pressure_margin": s(p.pressure_margin, "bar")}
                for p in self.phases
            ],
            "warnings": list(self.warnings),
        }


DISPLAY_UNITS = {
    "gas_rate": "kg/s", "gas_mass": "t", "water_rate": "kg/s", "water_per_gas": "t/t", "min_water_rate": "kg/s",
    "min_water_per_gas": "t/t", "min_water_per_co2": "t/t", "dissolution_pressure": "bar",
    "min_dissolution_pressure": "bar", "injectate_DIC": "mol/kg", "injectate_sulfide": "mol/kg",
    "volume_rate": "m^3/s", "pressure_buildup": "bar", "bottomhole_pressure": "bar", "fracture_pressure": "bar",
    "pressure_margin": "bar",
}


def plan(experiment) -> InjectionPlan:
    """Compute the injection plan of an experiment (object or path) with an ``[injection]`` table."""
    from ccus.config.experiment import Experiment, load_experiment
    from ccus.engines.phreeqc.injectate import injectate_chemistry
    from ccus.injection import dissolution, fluids, hydraulics

    exp = load_experiment(experiment) if not isinstance(experiment, Experiment) else experiment
    inj = exp.injection
    if inj is None:
        raise ConfigError("the experiment has no [injection] table to plan", file=exp.path, key="injection")
    site = exp.site
    depth = inj.depth or site.depth
    T_res, P_res = site.temperature, site.pressure
    rho = fluids.water_density(T_res, P_res)
    mu = fluids.water_viscosity(T_res, P_res)
    phases, warnings = [], []
    for i, ph in enumerate(inj.phases):
        key = f"injection.phases[{i}]"
        demand = dissolution.water_demand(ph.gas_rate, ph.composition, inj.dissolution_pressure,
                                          inj.water_temperature, inj.salinity)
        ratio = ph.water_gas_ratio
        free = ph.water_rate.to("kg/s").magnitude < demand.water_rate.to("kg/s").magnitude * (1 - 1e-12)
        try:
            p_min = dissolution.min_dissolution_pressure(ratio, ph.composition, inj.water_temperature, inj.salinity)
        except ConfigError as exc:
            p_min = None
            warnings.append(f"{ph.name}: {exc}")
        if free:
            msg = (f"a free gas phase would remain in {ph.name!r}: {ratio:.3g} t water per t gas is below the "
                   f"{demand.water_per_gas.magnitude:.3g} t/t needed at {inj.dissolution_pressure:~P} and "
                   f"{inj.water_temperature:~P}" + (f" (needs at least {p_min:.3g~P})" if p_min is not None else ""))
            if not inj.allow_free_gas:
                raise ConfigError(msg + "; raise the water rate or the dissolution pressure, or set allow_free_gas = true",
                                  file=exp.path, key=key)
            warnings.append(msg)
        chem = injectate_chemistry(site.water, ph.moles_per_kg_water(), inj.water_temperature.to("degC").magnitude,
                                   inj.dissolution_pressure.to("Pa").magnitude, exp.database_path)
        vol = ((ph.water_rate + ph.gas_rate) / rho).to("m^3/s")
        dp = hydraulics.theis_pressure_buildup(vol, ph.duration, inj.well_radius, site.permeability, site.thickness,
                                               mu, site.porosity, inj.total_compressibility, skin=inj.skin)
        bhp = (P_res + dp).to("bar")
        frac = margin = None
        if site.fracture_gradient is not None:
            m = hydraulics.injection_margin(P_res, dp, depth, site.fracture_gradient)
            frac, margin = m.fracture_pressure.to("bar"), m.margin.to("bar")
            if margin.magnitude <= 0:
                warnings.append(f"{ph.name}: bottomhole pressure {bhp:.4g~P} exceeds the fracture pressure {frac:.4g~P}")
        phases.append(PhasePlan(
            name=ph.name, gas_rate=ph.gas_rate, gas_mass=ph.gas_mass, composition=ph.composition,
            water_rate=ph.water_rate, water_per_gas=Q_(ratio, "t/t"), min_water_rate=demand.water_rate,
            min_water_per_gas=Q_(demand.water_per_gas.magnitude, "t/t"),
            min_water_per_co2=Q_(demand.water_per_co2.magnitude, "t/t"),
            dissolution_pressure=inj.dissolution_pressure.to("bar"), min_dissolution_pressure=p_min, free_gas=free,
            injectate_pH=chem["pH"], injectate_DIC=Q_(chem["DIC"], "mol/kg"), injectate_sulfide=Q_(chem["S2"], "mol/kg"),
            volume_rate=vol, pressure_buildup=dp.to("bar"), bottomhole_pressure=bhp, fracture_pressure=frac,
            pressure_margin=margin,
        ))
    return InjectionPlan(experiment=exp.name, site=site.name, phases=tuple(phases), warnings=tuple(warnings))
