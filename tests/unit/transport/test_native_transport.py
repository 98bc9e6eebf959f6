"""Native transport runs: mass balance of every element and tracer, Result schema and store, radial = linear."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

import ccus
from ccus.config.experiment import load_experiment
from ccus.engines.native.transport import build_result
from ccus.errors import ConfigError
from ccus.provenance import utc_now
from ccus.transport.run import simulate

BASE = """
[experiment]
name = "{name}"
kind = "{kind}"
site = "carbfix1"
engine = "native"
duration = "{duration}"

[injection]
dissolution_pressure = "30 bar"
water_temperature = "20 degC"
[[injection.phases]]
name = "I"
start = "0 d"
duration = "{phase}"
gas_rate = "0.01 kg/s"
water_gas_ratio = 25
tracers = {{ SF6 = "1e-9 mol/kg" }}

[transport]
{transport}

[secondary.calcite]
mineral = "Calcite"
rate_set = "oelkers_addassi2024"
surface_area = "1 m^2/kg"

[secondary.kaolinite]
mineral = "Kaolinite"
mode = "equilibrium"
"""


def _write(tmp_path, name, kind, transport, duration="40 d", phase="20 d"):
    p = tmp_path / f"{name}.toml"
    p.write_text(BASE.format(name=name, kind=kind, transport=transport, duration=duration, phase=phase))
    return p


@pytest.fixture(scope="module")
def linear_run(tmp_path_factory):
    p = _write(tmp_path_factory.mktemp("lin"), "lin", "linear",
               'length = "50 m"\ncells = 5\nvelocity = "1 m/d"\ndispersivity = "5 m"\nmonitoring = { near = "10 m", far = "50 m" }')
    exp = load_experiment(p)
    return exp, simulate(exp)


def test_mass_balance_every_element_and_tracer(linear_run):
    """inflow - outflow - storage + reaction = 0 for every element, charge, redox, oxygen and tracer."""
    exp, run = linear_run
    bal = run.balance()
    assert {"C", "Ca", "Mg", "Fe", "Si", "Al", "Na", "K", "O", "Z", "Q", "SF6"} <= set(bal)
    for name, b in bal.items():
        # 1e-8 relative (the target): transport and the reaction budget are exact linear algebra,
        # round-off is ~1e-12 of the largest term
        assert b["relative"] < 1e-8, (name, b)
    # the test means something: carbon came in and some of it left the cells as calcite or outflow
    assert bal["C"]["inflow"] > 0 and bal["C"]["reaction"] < 0 and bal["SF6"]["outflow"] > 0
    assert bal["Al"]["reaction"] != 0  # kaolinite took up Al (an equilibrium phase in the balance)


def test_result_schema_profiles_and_store(linear_run, tmp_path):
    exp, run = linear_run
    r = build_result(exp, run, utc_now())
    n_t = len(r.time)
    assert_allclose(r.time.to("day").magnitude, np.arange(n_t) * 10.0, rtol=1e-12)  # 10 d steps at Courant 1
    for key in ["near pH", "near DIC", "near Ca", "near SF6", "near SF6 mixing fraction", "far pH", "Calcite amount",
                "Kaolinite amount", "carbon injected", "carbon in carbonates", "fraction mineralised", "water mass", "pH"]:
        assert key in r.series, key
    assert r.profiles["pH"].shape == (n_t, 5) and r.cells.to("m").magnitude.tolist() == [5, 15, 25, 35, 45]
    assert_allclose(r.profiles["Calcite amount"].magnitude.sum(axis=1), r["Calcite amount"].magnitude, rtol=1e-12)
    assert_allclose(r.profiles["pore water"].magnitude.sum(axis=1), r["water mass"].magnitude, rtol=1e-12)
    assert {"C total", "Ca total", "Mg total", "Fe total", "Si total", "DIC"} <= set(r.profiles)
    # carbon injected: 2 steps of 1 kg injectate while the phase runs
    co2 = exp.injection.phases[0].moles_per_kg_water()["CO2"]
    assert_allclose(r["carbon injected"].magnitude[-1], 2 * co2, rtol=1e-12)
    mix = r["near SF6 mixing fraction"].magnitude
    assert mix.max() > 0.5 and np.all(mix >= -1e-12) and np.all(mix <= 1 + 1e-9)
    assert r.provenance["transport"]["mass_balance_max_relative_residual"] < 1e-8
    r.save(tmp_path / "n.h5")
    assert ccus.load_result(tmp_path / "n.h5").equals(r)


def test_radial_equal_volume_is_the_linear_problem(tmp_path):
    """Equal-volume rings at Courant 1 without dispersion move the water one ring per step, as the linear
    model with the same step: the per-kg chemistry of ring i equals that of cell i."""
    cells, step_days, R, rw, phi = 4, 10.0, 20.0, 0.1, 0.085
    water_rate = 0.01 * 25  # kg/s
    h = water_rate * step_days * 86400 * cells / (phi * 1000 * math.pi * (R**2 - rw**2))
    pr = _write(tmp_path, "rad", "radial", f'length = "{R} m"\ncells = {cells}\ndispersivity = "0 m"\n'
                f'thickness = "{h!r} m"\nwell_radius = "{rw} m"\nmonitoring = {{ obs = "8 m" }}',
                duration="30 d", phase="30 d")
    pl = _write(tmp_path, "lin", "linear", f'length = "{cells} m"\ncells = {cells}\nvelocity = "0.1 m/d"\n'
                f'dispersivity = "0 m"\nmonitoring = {{ obs = "1 m" }}', duration="30 d", phase="30 d")
    rr, rl = ccus.run(pr), ccus.run(pl)
    assert_allclose(rr.time.magnitude, rl.time.magnitude, rtol=1e-12)
    M = rr.profiles["pore water"].magnitude[0] / rl.profiles["pore water"].magnitude[0]  # kg of ring per kg of cell
    assert_allclose(M, M[0], rtol=1e-9)  # equal volumes
    # same per-kg states: 1e-9 (the Courant number is 1 only to round-off in the radial grid)
    assert_allclose(rr.profiles["pH"].magnitude, rl.profiles["pH"].magnitude, rtol=1e-9)
    assert_allclose(rr.profiles["Calcite amount"].magnitude / M, rl.profiles["Calcite amount"].magnitude, rtol=1e-7,
                    atol=1e-15)
    # carbon injected is the real injection: water rate x time x CO2 per kg
    co2 = load_experiment(pr).injection.phases[0].moles_per_kg_water()["CO2"]
    assert_allclose(rr["carbon injected"].magnitude[-1], water_rate * 30 * 86400 * co2, rtol=1e-12)
    assert rr.context["transport"]["kind"] == "radial"


def test_phreeqc_engine_refuses_radial(tmp_path):
    p = _write(tmp_path, "rad", "radial", 'length = "20 m"\ncells = 4\nthickness = "1 m"')
    with pytest.raises(ConfigError, match="native"):
        ccus.run(p, engine="phreeqc")


def test_formation_water_prerun(tmp_path):
    """[formation_water] prerun: the cells and the ambient inflow start from the site water reacted with one
    cell's rock; the injectate is still made from the site water as given; the balance still closes."""
    import dataclasses

    from ccus.units import Q_

    p = _write(tmp_path, "pre", "linear", 'length = "20 m"\ncells = 2\nvelocity = "1 m/d"\ndispersivity = "0 m"',
               duration="20 d", phase="10 d")
    exp = load_experiment(p)
    plain = simulate(exp)
    pre = simulate(dataclasses.replace(exp, formation_prerun=Q_(30.0, "d")))
    assert abs(pre.pH[0][0] - plain.pH[0][0]) > 0.1  # the rock raised the ambient pH before the run
    assert np.allclose(pre.chem.site_water, plain.chem.site_water, rtol=0)
    assert not np.allclose(pre.chem.ambient, plain.chem.ambient)
    assert max(b["relative"] for b in pre.balance().values()) < 1e-8  # 1e-8 relative, as the mass balance test
