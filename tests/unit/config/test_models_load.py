"""Every rate set, rock and site in models/ loads; every value has a unit and a citation."""

import math
import tomllib

import pytest

from ccus.config.database_names import database_names, database_path
from ccus.config.paths import available, models_dir
from ccus.config.rates import load_rate_set
from ccus.config.rock import load_rock
from ccus.config.site import load_site

KINEC = database_names(str(database_path("Kinec_v3.dat")))


@pytest.mark.parametrize("name", available("rates"))
def test_rate_sets_load(name):
    rs = load_rate_set(name)
    assert rs.minerals, f"{name} has no minerals"
    for m in rs.minerals.values():
        assert m.source, f"{name}/{m.name}: no citation"
        assert m.molar_mass > 0 and m.sigma > 0
        for mech in m.mechanisms:
            assert mech.A > 0 and math.isfinite(mech.A) and mech.Ea >= 0
        for ph in m.saturation_phases:
            if ph != "CO2(g)":
                assert ph in KINEC.phases, f"{name}/{m.name}: phase {ph} not in Kinec_v3.dat"


@pytest.mark.parametrize("name", available("rocks"))
def test_rocks_load(name):
    rock = load_rock(name)
    assert 0 < sum(m.mass_fraction for m in rock.minerals) <= 1


@pytest.mark.parametrize("name", available("sites"))
def test_sites_load(name):
    site = load_site(name, elements=KINEC.elements)
    assert 0 < site.porosity < 1
    assert 0 <= site.temperature.to("degC").magnitude <= 300
    if site.default_rock:
        load_rock(site.default_rock)


def _leaves(d, path=""):
    for k, v in d.items():
        p = f"{path}.{k}" if path else k
        if isinstance(v, dict) and "value" in v:
            yield p, v
        elif isinstance(v, dict):
            yield from _leaves(v, p)


@pytest.mark.parametrize("kind", ["sites", "rocks"])
def test_every_value_has_a_citation(kind):
    """Site and rock values are inline tables {value, source}: no bare numbers."""
    for name in available(kind):
        doc = tomllib.loads((models_dir() / kind / f"{name}.toml").read_text())
        leaves = list(_leaves(doc))
        assert leaves, f"{kind}/{name}: no sourced values"
        for p, v in leaves:
            assert isinstance(v.get("source"), str) and v["source"].strip(), f"{kind}/{name}: {p} has no source"


def test_rate_values_have_units_and_citations():
    for name in available("rates"):
        doc = tomllib.loads((models_dir() / "rates" / f"{name}.toml").read_text())
        assert doc["meta"]["source"].strip()
        for mname, m in doc["minerals"].items():
            assert m.get("source"), f"{name}/{mname}: no citation"
            for mech_name, mech in m["mechanisms"].items():
                for key in ("A", "k25", "Ea"):
                    if key in mech:
                        raw = mech[key]["value"] if isinstance(mech[key], dict) else mech[key]
                        assert isinstance(raw, str) and any(c.isalpha() for c in raw), f"{name}/{mname}/{mech_name}.{key} has no unit"
