"""Porosity, permeability, clogging, skin and stepped-rate pressure: hand-computed cases."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.special import exp1

from ccus.config.database_names import database_path
from ccus.errors import ConfigError
from ccus.injection.hydraulics import theis_pressure_buildup
from ccus.rock_feedback.clogging import find_clogging
from ccus.rock_feedback.molar_volume import molar_mass, molar_volume
from ccus.rock_feedback.permeability import kozeny_carman, permeability_ratio, verma_pruess
from ccus.rock_feedback.porosity import bulk_volume, porosity, solid_volume_change
from ccus.rock_feedback.well import cell_edges, radial_skin, stepped_rate_buildup

KINEC = str(database_path("Kinec_v3.dat"))
VM_CALCITE = 36.934e-6  # m3/mol, Kinec_v3.dat PHASES Calcite -Vm 36.934 cm3/mol


def test_molar_volume_from_database_vm():
    mv = molar_volume("Calcite", "CaCO3", KINEC)
    assert mv.value == pytest.approx(VM_CALCITE, rel=1e-12)  # read, not computed: exact
    assert "-Vm" in mv.source


def test_molar_volume_from_density_table():
    # Glass_Basalt has no PHASES entry: molar mass from the formula / 2.75 g/cm3 (models/minerals/densities.toml)
    formula = "SiTi0.02Al0.36Fe0.19Mg0.28Ca0.26Na0.08K0.008O3.364"
    from ccus.thermo.system import load_database

    M = molar_mass(formula, load_database(KINEC))
    # Kinec_v3's RATES header gives 122.566 g/mol for this formula; element weights differ in the 4th digit
    assert M * 1e3 == pytest.approx(122.566, rel=2e-4)
    mv = molar_volume("Glass_Basalt", formula, KINEC)
    assert mv.value == pytest.approx(M / 2750.0, rel=1e-12)  # same arithmetic as the module: exact
    assert "density" in mv.source


def test_molar_volume_unknown_mineral_is_a_config_error():
    with pytest.raises(ConfigError, match="no molar volume for mineral 'Unobtainium'.*densities.toml"):
        molar_volume("Unobtainium", "CaCO3", KINEC)


def test_calcite_precipitation_porosity_drop():
    # 1 kg pore water at phi0 = 0.1: V_cell = 1e-3 m3 / 0.1 = 0.01 m3. 10 mol calcite precipitated
    # fills 10 x 36.934 cm3 = 369.34 cm3 = 3.6934e-4 m3 -> phi = 0.1 - 0.036934 = 0.063066.
    bulk = bulk_volume([1.0, 1.0], 0.1)
    assert_allclose(bulk, [0.01, 0.01], rtol=1e-15)  # exact arithmetic
    amounts = {"Calcite": np.array([[0.0, 0.0], [10.0, 0.0]]),
               "Glass_Basalt": np.array([[5.0, 5.0], [5.0, 3.0]])}  # 2 mol glass dissolved in cell 2
    vms = {"Calcite": VM_CALCITE, "Glass_Basalt": 44.0e-6}
    phi = porosity(0.1, solid_volume_change(amounts, vms), bulk)
    # cell 2: 2 mol x 44 cm3 = 88 cm3 freed -> phi = 0.1 + 8.8e-5 / 0.01 = 0.1088
    assert_allclose(phi, [[0.1, 0.1], [0.063066, 0.1088]], rtol=1e-12)  # float rounding only


def test_porosity_cannot_go_negative():
    amounts = {"Calcite": np.array([[0.0], [1e3]])}  # 36.9 L of calcite in a 10 L cell
    phi = porosity(0.1, solid_volume_change(amounts, {"Calcite": VM_CALCITE}), bulk_volume([1.0], 0.1))
    assert phi[-1, 0] == 0.0
    assert kozeny_carman(phi, 0.1)[-1, 0] == 0.0


def test_kozeny_carman_values():
    # (0.05/0.1)^3 x (0.9/0.95)^2 = 0.125 x 0.8975069... = 0.1121883656
    assert_allclose(kozeny_carman([0.1, 0.05, 0.0], 0.1), [1.0, 0.1121883656, 0.0], rtol=1e-9)  # 10 digits typed
    # dissolution: (0.12/0.1)^3 x (0.9/0.88)^2 = 1.728 x 1.0459710 = 1.807438
    assert kozeny_carman(0.12, 0.1) == pytest.approx(1.728 * (0.9 / 0.88) ** 2, rel=1e-12)


def test_verma_pruess_values():
    # ((0.06 - 0.02) / (0.1 - 0.02))^2 = 0.25; at or below the critical porosity: 0
    assert_allclose(verma_pruess([0.1, 0.06, 0.02, 0.01], 0.1, 0.02), [1.0, 0.25, 0.0, 0.0], rtol=1e-12)
    assert_allclose(permeability_ratio(0.06, 0.1, "verma-pruess", 3.0, 0.02), 0.125, rtol=1e-12)
    with pytest.raises(ValueError, match="unknown permeability model"):
        permeability_ratio(0.06, 0.1, "kozeny")


@pytest.mark.parametrize("model,kw", [("kozeny-carman", {}), ("verma-pruess", {"critical_porosity": 0.03})])
def test_permeability_monotone_in_porosity(model, kw):
    phi = np.linspace(0.0, 0.3, 301)
    k = permeability_ratio(phi, 0.1, model, **kw)
    assert np.all(np.diff(k) >= 0)
    assert k[0] == 0.0
    assert k[100] == pytest.approx(1.0, rel=1e-12)  # phi = phi0


def test_clogging_first_time_and_position():
    k = np.ones((4, 3))
    k[2, 1] = 0.05  # cell 2 clogs at the third output time
    k[3, 0] = 0.01
    phi = np.full((4, 3), 0.1)
    c = find_clogging(k, phi, time=[0, 86400, 2 * 86400, 3 * 86400], cells=[1.0, 3.0, 5.0])
    assert (c.clogged, c.time, c.position, c.cell, c.cells_clogged_at_end) == (True, 2 * 86400.0, 3.0, 1, 1)
    assert not find_clogging(np.ones((2, 2)), np.full((2, 2), 0.1), [0, 1], [1, 2]).clogged
    # critical porosity alone also clogs
    c2 = find_clogging(np.ones((2, 2)), np.array([[0.1, 0.1], [0.1, 0.01]]), [0, 5], [1, 2], critical_porosity=0.02)
    assert (c2.time, c2.position) == (5.0, 2.0)


def test_cell_edges_of_a_linear_grid():
    dx = 5.0
    e = cell_edges((np.arange(4) + 0.5) * dx, well_radius=0.1)
    assert_allclose(e, [0.1, 5.0, 10.0, 15.0, 20.0], rtol=1e-15)  # exact midpoints
    with pytest.raises(ValueError, match="outside the well radius"):
        cell_edges([0.05, 1.0], well_radius=0.1)


def test_hawkins_skin_of_one_damaged_zone():
    # damaged zone r_w = 0.1 m .. r_d = 1 m at k = k0/4: s = (4 - 1) ln(10) (Hawkins 1956)
    s = radial_skin([0.25, 1.0], [0.1, 1.0, 10.0])
    assert s == pytest.approx(3.0 * np.log(10.0), rel=1e-12)
    # damaged_zone_radius cuts the sum: only 0.1 .. 0.5 m counts
    assert radial_skin([0.25, 1.0], [0.1, 1.0, 10.0], 0.5) == pytest.approx(3.0 * np.log(5.0), rel=1e-12)
    assert radial_skin([0.0, 1.0], [0.1, 1.0, 10.0]) == np.inf


def test_skin_equals_series_resistance_of_annuli():
    # steady radial flow through annuli in series: ln(re/rw)/k_eff = sum ln(r_i+1/r_i)/k_i,
    # and the skin is defined by sum ln(r_i+1/r_i)/k_i = (ln(re/rw) + s)/k0
    rng = np.random.default_rng(3)
    edges = np.cumsum(rng.uniform(0.5, 3.0, 12)) + 0.1
    edges = np.concatenate([[0.1], edges])
    kr = rng.uniform(0.05, 2.0, 12)
    s = radial_skin(kr, edges)
    resist = np.sum(np.log(edges[1:] / edges[:-1]) / kr)
    assert s == pytest.approx(resist - np.log(edges[-1] / edges[0]), rel=1e-12)  # identity, rounding only


HYD = dict(permeability=1e-13, thickness=20.0, viscosity=7e-4, porosity=0.1, total_compressibility=1e-9,
           well_radius=0.1)


def _theis(q, t, skin=0.0):
    return theis_pressure_buildup(q, t, HYD["well_radius"], HYD["permeability"], HYD["thickness"], HYD["viscosity"],
                                  HYD["porosity"], HYD["total_compressibility"], skin=skin).to("Pa").magnitude


def test_stepped_rate_one_phase_is_theis_with_skin():
    t = np.array([0.0, 3600.0, 86400.0, 10 * 86400.0])
    dp = stepped_rate_buildup(t, [(0.0, 20 * 86400.0, 0.01)], skin=2.5, **HYD)
    assert dp[0] == 0.0
    assert_allclose(dp[1:], _theis(0.01, t[1:], skin=2.5), rtol=1e-12)  # the same function underneath


def test_stepped_rate_superposition_after_shut_in():
    # injection 0..5 d at q, shut in: dP = q mu/(4 pi k h) [E1(u(t)) - E1(u(t - 5 d))], no skin term
    q, t_end, t = 0.01, 5 * 86400.0, 8 * 86400.0
    dp = stepped_rate_buildup([t], [(0.0, t_end, q)], skin=10.0, **HYD)
    D = HYD["porosity"] * HYD["viscosity"] * HYD["total_compressibility"] * HYD["well_radius"] ** 2 / (4 * HYD["permeability"])
    expected = q * HYD["viscosity"] / (4 * np.pi * HYD["permeability"] * HYD["thickness"]) * (exp1(D / t) - exp1(D / (t - t_end)))
    assert dp[0] == pytest.approx(expected, rel=1e-12)
    # two back-to-back phases at the same rate are one phase
    a = stepped_rate_buildup([3 * 86400.0, 9 * 86400.0], [(0.0, t_end, q), (t_end, 10 * 86400.0, q)], skin=1.0, **HYD)
    b = stepped_rate_buildup([3 * 86400.0, 9 * 86400.0], [(0.0, 10 * 86400.0, q)], skin=1.0, **HYD)
    assert_allclose(a, b, rtol=1e-10)  # W(t - 5 d) terms cancel to rounding


def test_pressure_rises_with_skin():
    t = np.linspace(86400.0, 5 * 86400.0, 5)
    dp0 = stepped_rate_buildup(t, [(0.0, 6 * 86400.0, 0.01)], skin=0.0, **HYD)
    s = np.array([0.0, 1.0, 5.0, 20.0, np.inf])
    dp = stepped_rate_buildup(t, [(0.0, 6 * 86400.0, 0.01)], skin=s, **HYD)
    extra = 0.01 * HYD["viscosity"] / (2 * np.pi * HYD["permeability"] * HYD["thickness"]) * s[:4]
    assert_allclose(dp[:4] - dp0[:4], extra, rtol=1e-12)  # q mu s / (2 pi k h), rounding only
    assert dp[4] == np.inf
