"""apply_feedback on a hand-made transport Result (no engine run): profiles, series, context."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from ccus.config.experiment import load_experiment
from ccus.config.paths import models_dir
from ccus.injection import fluids
from ccus.injection.hydraulics import theis_pressure_buildup
from ccus.result.result import Result
from ccus.rock_feedback import apply_feedback
from ccus.rock_feedback.permeability import kozeny_carman
from ccus.units import Q_

EXP = models_dir().parent / "experiments" / "carbfix1.toml"
DAY = 86400.0
VM_CALCITE = 36.934e-6  # Kinec_v3.dat -Vm [m3/mol]


@pytest.fixture(scope="module")
def exp():
    return load_experiment(EXP)


def _result(calcite_cell1, times_d=(0.0, 10.0, 30.0, 50.0)):
    """Three 5 m cells; calcite grows in cell 1 by ``calcite_cell1`` [mol] at each time."""
    t = np.asarray(times_d) * DAY
    nt = len(t)
    cal = np.zeros((nt, 3))
    cal[:, 0] = calcite_cell1
    profiles = {"Calcite amount": Q_(cal, "mol"), "pore water": Q_(np.ones((nt, 3)), "kg"),
                "pH": Q_(np.full((nt, 3), 7.0), "dimensionless")}
    series = {"pH": Q_(np.full(nt, 7.0), "dimensionless"), "fraction mineralised": Q_(np.zeros(nt), "dimensionless")}
    return Result(name="synthetic", time=Q_(t, "s"), series=series, carbon_injected=Q_(1.0, "mol"),
                  minerals={"Calcite": {"role": "secondary", "carbon": 1.0, "formula": "CaCO3", "m0": 0.0}},
                  profiles=profiles, cells=Q_([2.5, 7.5, 12.5], "m"))


def test_porosity_and_permeability_profiles(exp):
    phi0 = exp.site.porosity  # 0.085 (models/sites/carbfix1.toml)
    r = apply_feedback(_result(np.array([0.0, 1.0, 2.0, 3.0])), exp)
    v_cell = 1e-3 / phi0  # 1 kg pore water at 1000 kg/m3 over porosity
    expected = phi0 - np.array([0.0, 1.0, 2.0, 3.0]) * VM_CALCITE / v_cell
    phi = r.profiles["porosity"].to("dimensionless").magnitude
    assert_allclose(phi[:, 0], expected, rtol=1e-12)  # same arithmetic, rounding only
    assert_allclose(phi[:, 1:], phi0, rtol=0)  # nothing happened there
    assert_allclose(r.profiles["permeability ratio"].magnitude[:, 0], kozeny_carman(expected, phi0), rtol=1e-12)
    assert_allclose(r.series["minimum porosity"].magnitude, expected, rtol=1e-12)
    ctx = r.context["rock_feedback"]
    assert ctx["clogging"]["clogged"] is False
    assert ctx["molar_volumes"]["Calcite"]["value"] == "36.934 cm^3/mol"


def test_margin_without_damage_is_the_theis_margin(exp):
    r = apply_feedback(_result(np.zeros(4)), exp)
    site, ph = exp.site, exp.injection.phases[0]
    rho = fluids.water_density(site.temperature, site.pressure)
    mu = fluids.water_viscosity(site.temperature, site.pressure)
    q = ((ph.water_rate + ph.gas_rate) / rho).to("m^3/s")
    t = r.time[1:]  # 10, 30, 50 d: all inside phase I (0-60 d)
    dp = theis_pressure_buildup(q, t, exp.injection.well_radius, site.permeability, site.thickness, mu,
                                site.porosity, exp.injection.total_compressibility, skin=exp.injection.skin)
    p_frac = (exp.site.depth * site.fracture_gradient).to("bar")
    expected = (p_frac - site.pressure - dp).to("bar").magnitude
    assert_allclose(r.series["well pressure margin"].magnitude[1:], expected, rtol=1e-12)  # same formula
    assert_allclose(r.series["well pressure margin"].magnitude, r.series["well pressure margin (unaltered rock)"].magnitude,
                    rtol=1e-15)  # no damage: identical
    assert r.series["well skin"].magnitude[-1] == exp.injection.skin


def test_clogging_raises_skin_and_cuts_margin(exp):
    # cell 1 (0.1-5 m around the well): 0, 5, 15, 20 mol calcite in 11.8 L of rock (1 kg water at phi 0.085)
    cal = np.array([0.0, 5.0, 15.0, 20.0])
    r = apply_feedback(_result(cal), exp)
    kr = r.profiles["permeability ratio"].magnitude[:, 0]
    assert np.all(np.diff(kr) < 0)
    ctx = r.context["rock_feedback"]
    first = int(np.nonzero(kr < 0.1)[0][0])
    assert ctx["clogging"]["clogged"] is True
    assert ctx["clogging"]["first_time"] == f"{r.time[first].to('d').magnitude:.4g} d"
    assert ctx["clogging"]["first_position"] == "2.5 m"
    # Hawkins for the first annulus 0.1 .. 5 m (cells 2, 3 untouched)
    s = (1.0 / kr - 1.0) * np.log(5.0 / 0.1)
    assert_allclose(r.series["well skin"].magnitude, exp.injection.skin + s, rtol=1e-12)
    m = r.series["well pressure margin"].magnitude
    m0 = r.series["well pressure margin (unaltered rock)"].magnitude
    assert np.all(m[1:] < m0[1:])


def test_disabled_feedback_and_batch_results_are_unchanged(exp):
    import dataclasses

    from ccus.config.feedback import Feedback

    off = dataclasses.replace(exp, transport=dataclasses.replace(exp.transport, feedback=Feedback(enabled=False)))
    r = apply_feedback(_result(np.zeros(4)), off)
    assert "porosity" not in r.profiles and r.context["rock_feedback"] == {"enabled": False}
    batch = _result(np.zeros(4))
    batch.profiles, batch.cells = {}, None
    assert "rock_feedback" not in apply_feedback(batch, exp).context


def test_every_feedback_key_documented():
    import re

    from ccus.config.feedback import FEEDBACK_KEYS

    guide = (models_dir().parent / "docs" / "user-guide.md").read_text()
    documented = {w for span in re.findall(r"`([^`]+)`", guide) for w in re.findall(r"[A-Za-z_0-9]+", span)}
    assert not sorted(FEEDBACK_KEYS - documented)
