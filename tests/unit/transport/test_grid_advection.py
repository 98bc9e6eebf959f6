"""Transport grids (linear, radial) and the advection-dispersion step: geometry, Courant, conservation, moments."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from ccus.config.reader import Section
from ccus.config.transport import parse_transport
from ccus.errors import ConfigError
from ccus.transport.advection import advect, disperse, transport_step
from ccus.transport.grid import Grid
from ccus.units import Q_


class _Site:
    thickness = Q_(20.0, "m")
    porosity = 0.1


class _Inj:
    well_radius = Q_(0.1, "m")


def _radial(**kw):
    data = {"length": "50 m", "cells": 10, "dispersivity": "2 m", "monitoring": {"obs": "20 m"}, **kw}
    return parse_transport(Section(data, "x.toml", "transport"), None, kind="radial", site=_Site, injection=_Inj)


def test_radial_equal_volume_grid():
    tr = _radial()
    g = Grid.from_transport(tr)
    assert_allclose(g.edges[[0, -1]], [0.1, 50.0])
    # equal pore volume per ring: phi rho pi (r2^2 - r1^2) h, the same for all rings
    vol = 0.1 * 1000.0 * np.pi * np.diff(g.edges**2) * 20.0
    assert_allclose(g.water, vol, rtol=1e-12)
    assert_allclose(g.water, g.water[0], rtol=1e-12)
    assert_allclose(g.water.sum(), 0.1 * 1000 * np.pi * (50**2 - 0.1**2) * 20, rtol=1e-12)
    # centre halves the ring's volume
    assert_allclose(g.centres**2 - g.edges[:-1] ** 2, g.edges[1:] ** 2 - g.centres**2, rtol=1e-12)
    # velocity falls as 1/r: v = Q / (2 pi r h phi) at the ring's mid radius
    F = 2.0  # kg/s
    v = g.pore_velocity(F)
    r_mid = 0.5 * (g.edges[1:] + g.edges[:-1])
    assert_allclose(v, F / 1000.0 / (2 * np.pi * r_mid * 20.0 * 0.1), rtol=1e-12)
    # dispersive conductance rho Q alpha / (distance between centres)
    assert_allclose(g.conductances(F), F * 2.0 / np.diff(g.centres), rtol=1e-12)
    # the monitoring point at 20 m lies in the ring whose edges bracket it
    i = tr.cell_of("obs") - 1
    assert g.edges[i] < 20.0 <= g.edges[i + 1]


def test_radial_uniform_spacing():
    g = Grid.from_transport(_radial(spacing="uniform"))
    assert_allclose(np.diff(g.edges), (50 - 0.1) / 10, rtol=1e-12)
    assert g.water[-1] > 10 * g.water[0]  # outer rings hold more water


@pytest.mark.parametrize("kw, key, words", [
    ({"velocity": "1 m/d"}, "transport.velocity", "takes no velocity"),
    ({"courant": 1.5}, "transport.courant", "(0, 1]"),
    ({"courant": 0}, "transport.courant", "above 0"),
    ({"spacing": "log"}, "transport.spacing", "equal_volume"),
    ({"monitoring": {"w": "0.05 m"}}, "transport.monitoring.w", "inside the well"),
    ({"length": "0.05 m", "monitoring": {}}, "transport.length", "must exceed the well radius"),
])
def test_radial_config_errors(kw, key, words):
    with pytest.raises(ConfigError) as e:
        _radial(**kw)
    assert key in str(e.value) and words in str(e.value)


def test_linear_refuses_radial_keys():
    data = {"length": "50 m", "cells": 5, "velocity": "1 m/d", "thickness": "10 m"}
    with pytest.raises(ConfigError, match="thickness.*radial"):
        parse_transport(Section(data, "x.toml", "transport"), None)


def test_courant_one_is_a_shift():
    u = np.arange(12, dtype=float).reshape(6, 2)
    water = np.ones(6)
    new, inflow, outflow = advect(u, np.array([100.0, 200.0]), water, flux=0.5, dt=2.0)
    assert_allclose(new, np.vstack([[100.0, 200.0], u[:-1]]), rtol=0, atol=0)  # exact: PHREEQC's shift
    assert_allclose(inflow, [100.0, 200.0])
    assert_allclose(outflow, u[-1])
    with pytest.raises(ValueError, match="Courant"):
        advect(u, u[0], water, flux=1.0, dt=2.0)


def test_step_conserves_content():
    rng = np.random.default_rng(1)
    u = rng.random((9, 3))
    water = rng.random(9) + 0.5
    inlet = rng.random(3)
    G = rng.random(8) * 5
    new, inflow, outflow = transport_step(u, inlet, water, 0.2, G, 2.0)
    # content after = before + in - out, to round-off (1e-14 relative)
    assert_allclose((water[:, None] * new).sum(axis=0), (water[:, None] * u).sum(axis=0) + inflow - outflow, rtol=1e-14)
    assert np.all(new >= 0)


def test_dispersion_spreads_as_2Dt():
    """Variance of a pulse grows by 2 D t (D = alpha v): exact for the explicit scheme away from the ends."""
    n, dx, v, alpha, dt = 401, 1.0, 1.0, 5.0, 0.5
    water = np.ones(n)
    flux = v / dx  # kg/s with 1 kg per cell
    G = np.full(n - 1, flux * alpha / dx)
    u = np.zeros((n, 1))
    u[n // 2] = 1.0
    x = np.arange(n) * dx
    for _ in range(20):
        u = disperse(u, water, G, dt)
    mean = (x * u[:, 0]).sum()
    var = ((x - mean) ** 2 * u[:, 0]).sum()
    assert_allclose(u.sum(), 1.0, rtol=1e-13)
    assert_allclose(var, 2 * alpha * v * 20 * dt, rtol=1e-6)  # the pulse stays far from the ends: exact up to round-off
