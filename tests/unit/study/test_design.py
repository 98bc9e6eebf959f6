"""Parameters, distributions and designs (SALib samplers, seeds)."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from ccus.errors import ConfigError
from ccus.study import Grid, LatinHypercube, MonteCarlo, Morris, Parameter, Sobol
from ccus.study.design import NORMAL_TAIL, design_from_settings
from ccus.units import Q_


def test_parameter_units_from_quantities():
    p = Parameter.uniform("experiment.temperature", "20 degC", "50 degC")
    assert (p.low, p.high) == (20.0, 50.0) and Q_(1, p.unit).units == Q_(1, "degC").units
    assert Q_(p.override_value(35.0)).to("K").magnitude == pytest.approx(308.15)
    q = Parameter.loguniform("rock.minerals.glass.specific_surface_area", Q_(1, "cm^2/g"), "0.1 m^2/g", unit="m^2/g")
    assert (q.low, q.high) == pytest.approx((1e-4, 0.1))
    n = Parameter.uniform("rock.minerals.glass.mass_fraction", 0.2, 0.5)
    assert n.unit is None and n.override_value(0.3) == 0.3 and n.column == "rock.minerals.glass.mass_fraction [-]"


def test_inverse_cdfs():
    u = np.array([0.0, 0.5, 1.0])
    assert_allclose(Parameter.uniform("a", 2, 4).from_unit(u), [2, 3, 4])
    assert_allclose(Parameter.loguniform("a", 1e-3, 1e-1).from_unit(u), [1e-3, 1e-2, 1e-1], rtol=1e-12)
    nrm = Parameter.normal("a", 10, 2).from_unit(u)  # truncated at the 0.1 / 99.9 percentiles: finite
    assert_allclose(nrm, [10 - 3.090232 * 2, 10, 10 + 3.090232 * 2], rtol=1e-6)
    assert NORMAL_TAIL == 1e-3
    tri = Parameter.triangular("a", 0, 1, 4)
    assert_allclose(tri.from_unit(u), [0, 4 - math.sqrt(0.5 * 4 * 3), 4])  # median of triang(0, 1, 4)
    d = Parameter.discrete("a", ["10 kg", "20 kg", "31 kg"])
    assert d.unit == "kg"
    assert_allclose(d.from_unit([0, 0.34, 0.99, 1.0]), [10, 20, 31, 31])


@pytest.mark.parametrize("make, message", [
    (lambda: Parameter("a", "unifrom", low=0, high=1), "did you mean"),
    (lambda: Parameter.uniform("a", 2, 1), "must be above 'low'"),
    (lambda: Parameter.loguniform("a", 0, 1), "must be positive"),
    (lambda: Parameter.normal("a", 1, 0), "'sd' must be above 0"),
    (lambda: Parameter.triangular("a", 0, 5, 4), "'mode' between"),
    (lambda: Parameter.uniform("a", "20 degC", "3 kg"), "cannot be expressed"),
    (lambda: Sobol(n=100), "power of 2"),
])
def test_bad_parameters(make, message):
    with pytest.raises(ConfigError, match=message):
        make()


PARAMS = [Parameter.uniform("a", 0, 1), Parameter.loguniform("b", 1, 100), Parameter.normal("c", 5, 1)]


@pytest.mark.parametrize("design, n", [
    (Grid(levels=3), 27), (LatinHypercube(n=20, seed=1), 20), (MonteCarlo(n=15, seed=1), 15),
    (Morris(trajectories=5, num_levels=4, seed=1), 5 * 4), (Sobol(n=16, seed=1), 16 * 5),
    (Sobol(n=16, second_order=True, seed=1), 16 * 8),
])
def test_design_sizes_seeds_and_ranges(design, n):
    values, unit = design.matrix(PARAMS)
    assert values.shape == (n, 3)
    again, _ = design_from_settings(design.settings()).matrix(PARAMS)
    assert_allclose(values, again)  # same seed, same design (also after a round trip through settings)
    assert np.all((values[:, 0] >= 0) & (values[:, 0] <= 1)) and np.all((values[:, 1] >= 1) & (values[:, 1] <= 100))
    assert np.all(np.isfinite(values))
    if unit is not None:
        assert_allclose(values[:, 1], PARAMS[1].from_unit(unit[:, 1]))


def test_different_seeds_differ_and_grid_values():
    a, _ = LatinHypercube(n=10, seed=1).matrix(PARAMS)
    b, _ = LatinHypercube(n=10, seed=2).matrix(PARAMS)
    assert not np.allclose(a, b)
    g, _ = Grid(values={"a": [0.1, 0.2]}, levels=2).matrix(PARAMS[:2])
    assert_allclose(g, [[0.1, 1], [0.1, 100], [0.2, 1], [0.2, 100]])
    with pytest.raises(ConfigError, match="given twice"):
        Morris().matrix([PARAMS[0], PARAMS[0]])
