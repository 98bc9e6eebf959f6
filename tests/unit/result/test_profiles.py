"""Result profiles (n_time x n_cells) with the cells axis: validation, store round trip, equals."""

import dataclasses

import h5py
import numpy as np
import pytest

import ccus
from ccus.result.result import Result
from ccus.result.store import save_result
from ccus.units import Q_


def _result(n=4, nc=3, profiles=True):
    t = np.linspace(0, 1e6, n)
    kw = {}
    if profiles:
        kw = dict(
            cells=Q_(np.array([0.5, 1.5, 2.5])[:nc], "m"),
            profiles={
                "Calcite amount": Q_(np.arange(n * nc, dtype=float).reshape(n, nc), "mol"),
                "pH": Q_(np.full((n, nc), 7.0), "dimensionless"),
                "pore water": Q_(np.full((n, nc), 0.1), "kg"),
                "Ca total": Q_(np.full((n, nc), 1e-3), "mol/kg"),
            },
        )
    return Result(name="p", time=Q_(t, "s"), series={"pH": Q_(np.full(n, 7.0), "dimensionless")},
                  carbon_injected=Q_(1.0, "mol"), **kw)


def test_profiles_round_trip(tmp_path):
    r = _result()
    save_result(r, tmp_path / "p.h5")
    back = ccus.load_result(tmp_path / "p.h5")
    assert back.equals(r)  # exact: same floats and units
    assert list(back.profiles) == list(r.profiles)
    assert back.profiles["Calcite amount"].shape == (4, 3)
    assert back.cells.units == Q_(1, "m").units


def test_store_without_profiles_still_loads(tmp_path):
    r = _result(profiles=False)
    save_result(r, tmp_path / "old.h5")
    with h5py.File(tmp_path / "old.h5", "r") as fh:  # the layout older ccus wrote: no cells, no profiles
        assert "cells" not in fh and "profiles" not in fh
    back = ccus.load_result(tmp_path / "old.h5")
    assert back.profiles == {} and back.cells is None
    assert back.equals(r)


def test_equals_sees_profile_differences():
    a = _result()
    b = _result()
    assert a.equals(b)
    b.profiles["pH"] = Q_(np.full((4, 3), 7.1), "dimensionless")
    assert not a.equals(b)
    c = _result()
    del c.profiles["pH"]
    assert not a.equals(c)
    assert not a.equals(_result(profiles=False))
    d = dataclasses.replace(_result(), cells=Q_(np.array([0.5, 1.5, 3.0]), "m"))
    assert not a.equals(d)


def test_profile_shape_checked():
    with pytest.raises(ValueError, match="shape"):
        _result(nc=2).__class__(name="x", time=Q_(np.zeros(4), "s"), series={}, carbon_injected=Q_(0, "mol"),
                                cells=Q_(np.zeros(3), "m"), profiles={"pH": Q_(np.zeros((4, 2)), "")})
    with pytest.raises(ValueError, match="cells"):
        Result(name="x", time=Q_(np.zeros(4), "s"), series={}, carbon_injected=Q_(0, "mol"),
               profiles={"pH": Q_(np.zeros((4, 2)), "")})
