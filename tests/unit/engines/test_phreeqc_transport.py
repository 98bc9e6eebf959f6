"""Linear transport with PHREEQC TRANSPORT: schedule, tracer and carbon mass balance."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import ccus
from ccus.config.experiment import load_experiment
from ccus.engines.phreeqc.runner import run_phreeqc
from ccus.engines.phreeqc.transport import build_transport_input, schedule

LINEAR = """
[experiment]
name = "lin"
kind = "linear"
site = "carbfix1"
duration = "40 d"

[injection]
dissolution_pressure = "30 bar"
water_temperature = "20 degC"
[[injection.phases]]
name = "I"
start = "0 d"
duration = "20 d"
gas_rate = "1 kg/s"
water_gas_ratio = 25
tracers = { SF6 = "1e-9 mol/kg" }

[transport]
length = "80 m"
cells = 8
velocity = "1 m/d"
dispersivity = "0.1 m"
monitoring = { near = "20 m", far = "80 m" }

[secondary.calcite]
mineral = "Calcite"
rate_set = "oelkers_addassi2024"
surface_area = "1 m^2/kg"

[solver]
method = "cvode"
"""


@pytest.fixture(scope="module")
def linear_path(tmp_path_factory):
    p = tmp_path_factory.mktemp("lin") / "lin.toml"
    p.write_text(LINEAR)
    return p


def test_schedule(linear_path):
    exp = load_experiment(linear_path)
    assert exp.transport.time_step.to("day").magnitude == pytest.approx(10.0)
    assert schedule(exp) == [(0, 2), (None, 2)]
    # rock per kg pore water from porosity 0.085 and grain density 2.9 g/cm3
    assert_allclose(exp.rock_mass.to("kg").magnitude, (1 - 0.085) / 0.085 * 2.9, rtol=1e-12)


@pytest.fixture(scope="module")
def raw(linear_path):
    exp = load_experiment(linear_path)
    text, kin, equi, tracers, segs = build_transport_input(exp)
    out = pd.DataFrame(run_phreeqc(text, exp.database_path))
    last_sim = out["sim"].max()
    end = out[(out["sim"] == last_sim) & (out["step"] == out[out["sim"] == last_sim]["step"].max()) & (out["cell"] <= 8)]
    return exp, kin, end, out


def test_tracer_mass_balance(raw):
    """The plume is inside the domain at the end: all tracer injected is in the cells."""
    exp, _, end, _ = raw
    injected = 2 * 1e-9  # 2 shifts of 1 kg injectate at 1e-9 mol/kg
    in_cells = float((end["trc_SF6"] * end["water"]).sum())
    # dispersion lets ~nothing out at 0.1 m dispersivity over 40 m of travel in 80 m: 1e-6 relative
    assert_allclose(in_cells, injected, rtol=1e-6)


def test_carbon_balance(raw):
    """inflow - outflow - storage - reaction = 0 for carbon over the 8 cells."""
    exp, kin, end, out = raw
    co2 = exp.injection.phases[0].moles_per_kg_water()["CO2"]
    initial = 8 * 1.5e-3  # formation water DIC in 8 cells of 1 kg
    inflow = 2 * (co2 + 1.5e-3) + 2 * 1.5e-3  # 2 shifts of injectate, then 2 of formation water
    # what leaves in shift k: the last cell's water at the end of shift k-1 (shift 0: initial water)
    rows = out[(out["cell"] == 8) & (out["sim"] >= 5) & (out["step"] >= 1)].sort_values(["sim", "step"])
    c8 = [1.5e-3] + list((rows["tot_C"] * rows["water"]).values[:3])
    outflow = sum(c8[:4])
    dissolved = float((end["tot_C"] * end["water"]).sum())
    carbonate = float(end["kin_Calcite"].sum())
    # PHREEQC conserves mass to its solver tolerances (1e-8 kinetics, ~1e-12 speciation)
    assert_allclose(dissolved + carbonate, initial + inflow - outflow, rtol=1e-6)


def test_result_series(linear_path):
    r = ccus.run(linear_path)
    t = r.time.to("day").magnitude
    assert_allclose(t, [0, 10, 20, 30, 40])
    mix = r["near SF6 mixing fraction"].magnitude
    assert np.all(mix >= -1e-12) and np.all(mix <= 1 + 1e-6)
    assert mix[2] > 0.9 and r["far SF6 mixing fraction"].magnitude[-1] < 1e-3  # plume at 20 m on day 20, not at 80 m
    assert_allclose(r["carbon injected"].magnitude[-1], 2 * (1 / 25 / 44.0095e-3), rtol=1e-12)
    assert "injection" in r.context and "transport" in r.context
    # profiles (time x cell) agree with the series built from the same grids
    assert r.profiles["pH"].shape == (5, 8)
    assert_allclose(r.cells.to("m").magnitude, np.arange(8) * 10 + 5)
    assert_allclose(r.profiles["pH"].magnitude[:, 1], r["near pH"].magnitude, rtol=0)  # "near" at 20 m is cell 2
    assert_allclose(r.profiles["Calcite amount"].magnitude.sum(axis=1), r["Calcite amount"].magnitude, rtol=1e-12)
    assert_allclose(r.profiles["pore water"].magnitude.sum(axis=1), r["water mass"].magnitude, rtol=1e-12)
    assert_allclose(r.profiles["DIC"].magnitude[:, 7], r["far DIC"].magnitude, rtol=0)
    assert {"C total", "Ca total", "Mg total", "Fe total", "Si total"} <= set(r.profiles)
