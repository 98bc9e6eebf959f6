"""A tiny PHREEQC linear transport run carries the rock feedback (dispatch, store round trip)."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

import ccus
from ccus.result.store import load_result
from ccus.units import Q_

TINY = """
[experiment]
name = "tiny"
kind = "linear"
site = "carbfix1"
engine = "phreeqc"
duration = "30 d"

[injection]
dissolution_pressure = "30 bar"
water_temperature = "20 degC"
well_radius = "0.1 m"
[[injection.phases]]
name = "I"
start = "0 d"
duration = "20 d"
gas_rate = "1 kg/s"
water_gas_ratio = 25

[transport]
length = "40 m"
cells = 4
velocity = "1 m/d"
dispersivity = "0.1 m"

[secondary.calcite]
mineral = "Calcite"
rate_set = "oelkers_addassi2024"
surface_area = "1 m^2/kg"

[solver]
method = "cvode"
"""


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tiny")
    p = folder / "tiny.toml"
    p.write_text(TINY)
    result = ccus.run(p)
    path = folder / "tiny.h5"
    result.save(path)
    return result, load_result(path)


def test_transport_result_carries_feedback(tiny):
    r, _ = tiny
    n_t, n_c = len(r.time), len(r.cells)
    for k in ("porosity", "permeability ratio"):
        assert np.shape(r.profiles[k].magnitude) == (n_t, n_c)
    for k in ("minimum porosity", "minimum permeability ratio", "well skin", "well pressure build-up",
              "well pressure margin", "well pressure margin (unaltered rock)"):
        assert len(r.series[k]) == n_t
    # units at the boundary: pressures in bar (convertible), ratios dimensionless
    assert r.series["well pressure margin"].check("[pressure]") and r.series["well pressure build-up"].check("[pressure]")
    assert r.profiles["porosity"].dimensionless and r.series["well skin"].dimensionless
    # porosity by hand from the mineral profiles: Kinec_v3 -Vm for calcite and forsterite (cm3/mol),
    # molar mass / table density for the others (from the stored sources)
    ctx = r.context["rock_feedback"]
    phi0 = 0.085  # models/sites/carbfix1.toml
    v_cell = r.profiles["pore water"].to("kg").magnitude[0] / 1000.0 / phi0
    dv = sum((r.profiles[f"{m} amount"].magnitude - r.profiles[f"{m} amount"].magnitude[0])
             * Q_(ctx["molar_volumes"][m]["value"]).to("m^3/mol").magnitude for m in ctx["molar_volumes"])
    assert_allclose(r.profiles["porosity"].magnitude, phi0 - dv / v_cell, rtol=1e-4)  # molar volumes stored to 5 digits
    assert ctx["molar_volumes"]["Calcite"]["value"] == "36.934 cm^3/mol"


def test_unaltered_margin_matches_the_injection_plan(tiny):
    r, _ = tiny
    # the plan's margin is Theis at the end of the phase (20 d), the feedback's unaltered margin the same
    # superposed Theis evaluated there (context, 4 significant figures both)
    assert r.context["rock_feedback"]["minimum_margin_unaltered"] == r.context["injection"]["pressure_margin"]


def test_store_round_trip_keeps_feedback(tiny):
    r, loaded = tiny
    assert loaded.context["rock_feedback"] == r.context["rock_feedback"]
    assert_allclose(loaded.profiles["permeability ratio"].magnitude, r.profiles["permeability ratio"].magnitude,
                    rtol=0)  # HDF5 float64 round trip: exact
    assert_allclose(loaded.series["well pressure margin"].to("bar").magnitude,
                    r.series["well pressure margin"].to("bar").magnitude, rtol=0)


RADIAL = """
[experiment]
name = "tiny_radial"
kind = "radial"
site = "carbfix1"
engine = "native"
duration = "30 d"

[injection]
dissolution_pressure = "30 bar"
water_temperature = "20 degC"
well_radius = "0.1 m"
[[injection.phases]]
name = "I"
start = "0 d"
duration = "20 d"
gas_rate = "1 kg/s"
water_gas_ratio = 25

[transport]
length = "20 m"
cells = 5
dispersivity = "0.1 m"
thickness = "10 m"

[transport.feedback]
damaged_zone_radius = "9 m"

[secondary.calcite]
mineral = "Calcite"
rate_set = "oelkers_addassi2024"
surface_area = "1 m^2/kg"
"""


def test_native_radial_result_uses_the_ring_edges(write_config):
    from ccus.config.experiment import load_experiment
    from ccus.rock_feedback.well import radial_skin

    exp = load_experiment(write_config(RADIAL, "radial.toml"))
    r = ccus.run(exp)
    edges = exp.transport.edges()  # equal-volume rings from the well radius (0.1 m) to 20 m
    kr = r.profiles["permeability ratio"].magnitude
    # rings cut at the damaged-zone radius 9 m; the configured skin is 0
    assert_allclose(r.series["well skin"].magnitude, radial_skin(kr, edges, 9.0), rtol=1e-12)  # same function
    assert r.context["rock_feedback"]["damaged_zone_radius"] == "9 m"
    # a ring's bulk volume is its pore water / (1000 kg/m3 x porosity) = pi (r2^2 - r1^2) h
    v1 = np.pi * (edges[1] ** 2 - edges[0] ** 2) * 10.0
    assert Q_(r.context["rock_feedback"]["bulk_volume_first_cell"]).to("m^3").magnitude == pytest.approx(v1, rel=1e-3)  # 4 digits stored
