"""Synthetic Results for the report tests (no model run): known curves, contexts and provenance."""

from __future__ import annotations

import numpy as np

from ccus.result.result import Result
from ccus.units import Q_

YEAR_D = 365.25


def synthetic(name="site_a", *, t90_days=200.0, years=5.0, water_gas_ratio=25.0, site_name=None, injection=None,
              engine="phreeqc", database="Kinec_v3.dat", calcite_mol=0.5, extra_series=None, context_extra=None,
              n=201):
    """A Result whose fraction mineralised is f(t) = 1 - exp(-k t) with f(t90_days) = 0.9 (no model run)."""
    t = np.linspace(0.0, years * YEAR_D, n)
    k = np.log(10.0) / t90_days
    f = 1.0 - np.exp(-k * t)
    n = len(t)
    series = {
        "pH": Q_(6.0 + 2.0 * f, "dimensionless"),
        "DIC": Q_(0.9 * (1 - f), "mol/kg"),
        "water mass": Q_(np.ones(n), "kg"),
        "Calcite amount": Q_(calcite_mol * f, "mol"),
        "Chalcedony amount": Q_(0.1 * f, "mol"),
        "Glass_Basalt amount": Q_(10.0 - f, "mol"),
        "carbon in carbonates": Q_(calcite_mol * f, "mol"),
        "fraction mineralised": Q_(f, "dimensionless"),
    }
    series.update(extra_series or {})
    minerals = {
        "Calcite": {"role": "secondary", "carbon": 1.0, "elements": {"Ca": 1.0, "C": 1.0, "O": 3.0}},
        "Chalcedony": {"role": "secondary", "carbon": 0.0, "elements": {"Si": 1.0, "O": 2.0}},
        "Glass_Basalt": {"role": "primary", "carbon": 0.0, "elements": {"Si": 1.0, "O": 3.364}},
    }
    context = {
        "experiment": {"name": name, "kind": "batch", "duration": f"{years * YEAR_D} d", "temperature": "35 °C",
                       "pressure": "52 bar", "water_mass": "1 kg", "rock_mass": "31 kg", "description": name},
        "site": {"name": site_name or name.upper(), "location": "somewhere", "depth": "530 m", "temperature": "35 °C",
                 "pressure": "52 bar", "porosity": 0.085, "permeability": "5e-11 m ** 2", "thickness": "400 m",
                 "fracture_gradient": "0.17 bar / m", "assumed": ["temperature"]},
        "rock": {"name": "test basalt", "minerals": [{"mineral": "Glass_Basalt", "mass_fraction": 1.0,
                                                      "specific_surface_area": "0.005 m ** 2 / g",
                                                      "rate_set": "hermanska2022"}]},
        "charge": {"composition": {"CO2": 1.0}, "water_gas_ratio": water_gas_ratio,
                   "gas_per_kg_water": {"CO2": "0.9 mol/kg"}},
        "secondary": [],
    }
    if injection is not None:
        context["injection"] = injection
    context.update(context_extra or {})
    provenance = {"ccus_version": "0.1.0", "engine": engine, "engine_version": "x", "database": database,
                  "database_sha256": "ab" * 32, "config_text": "[experiment]\nname = 'x'\n", "config_sha256": "cd" * 32,
                  "started_utc": "2026-01-01T00:00:00+00:00", "finished_utc": "2026-01-01T00:00:01+00:00"}
    return Result(name=name, time=Q_(t * 86400.0, "s"), series=series, carbon_injected=Q_(calcite_mol, "mol"),
                  minerals=minerals, provenance=provenance, context=context)


INJECTION = {
    "water_demand": "28.18 t/t", "water_per_gas_planned": "25 t/t", "dissolution_pressure": "25 bar",
    "min_dissolution_pressure": "29.01 bar", "injection_pressure": "52 bar", "fracture_pressure": "90.1 bar",
    "pressure_margin": "38.1 bar", "free_gas": True,
    "phases": [{"name": "Phase I", "gas_rate": "0.03376 kg/s", "gas_mass": "175 t", "composition": {"CO2": 1.0},
                "water_rate": "0.8439 kg/s", "min_water_per_gas": "28.18 t/t", "injectate_pH": 3.721,
                "injectate_DIC": "0.9104 mol/kg", "pressure_margin": "38.1 bar"}],
    "warnings": ["a free gas phase would remain in 'Phase I'"],
}
