"""The ``context`` of a Result: what was modelled, as JSON-ready strings with units."""

from __future__ import annotations

from typing import Any

from ccus.units import quantity_text


def _q(q, unit: str | None = None) -> str | None:
    return None if q is None else quantity_text(q, unit)


def experiment_context(exp) -> dict[str, Any]:
    """Summarise an Experiment (site, rock, charge, batch) for the store and reports."""
    site = exp.site
    return {
        "experiment": {
            "name": exp.name,
            "description": exp.description,
            "kind": exp.kind,
            "duration": _q(exp.duration, "day"),
            "temperature": _q(exp.temperature, "degC"),
            "pressure": _q(exp.pressure, "bar"),
            "water_mass": _q(exp.water_mass),
            "rock_mass": _q(exp.rock_mass),
        },
        "site": {
            "name": site.name,
            "location": site.location,
            "description": site.description,
            "source": site.source,
            "depth": _q(site.depth),
            "depth_top": _q(site.depth_top),
            "depth_bottom": _q(site.depth_bottom),
            "temperature": _q(site.temperature, "degC"),
            "pressure": _q(site.pressure, "bar"),
            "porosity": site.porosity,
            "permeability": _q(site.permeability),
            "thickness": _q(site.thickness),
            "fracture_gradient": _q(site.fracture_gradient),
            "monitoring_distance": _q(site.monitoring_distance),
            "assumed": site.assumptions,
        },
        "rock": {
            "name": exp.rock.name,
            "source": exp.rock.source,
            "minerals": [
                {"key": m.key, "mineral": m.rate.name, "rate_set": m.rate_set, "mass_fraction": m.mass_fraction,
                 "specific_surface_area": _q(m.specific_surface_area)}
                for m in exp.rock.minerals
            ],
        },
        "charge": {
            "composition": dict(exp.charge.composition),
            "water_gas_ratio": exp.charge.water_gas_ratio,
            "gas_per_kg_water": {g: f"{n:.6g} mol/kg" for g, n in exp.charge.moles_per_kgw.items()},
        },
        "secondary": [
            {"key": s.key, "mineral": s.name, "mode": s.mode, "surface_area": _q(s.surface_area)} for s in exp.secondary
        ],
    }
