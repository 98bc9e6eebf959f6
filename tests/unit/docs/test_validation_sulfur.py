"""The sulfur fraction of the validation page (ccus.validation.sulfur) and the fast-path depth rule."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from ccus.result.result import Result
from ccus.units import Q_
from ccus.validation.carbfix1_case import depth_verdict
from ccus.validation.sulfur import sulfide_minerals, sulfur_fraction, sulfur_injected


def _phase(start_d, dur_d, co2, h2s):
    return SimpleNamespace(start=Q_(start_d, "day"), duration=Q_(dur_d, "day"),
                           moles_per_kg_water=lambda: {"CO2": co2, "H2S": h2s})


def _experiment(*phases, site_s=1e-3):
    water = SimpleNamespace(composition={"S(-2)": Q_(site_s, "mol/kg"), "C(4)": Q_(1e-3, "mol/kg")})
    return SimpleNamespace(injection=SimpleNamespace(phases=phases), site=SimpleNamespace(water=water))


def _result(c_injected, pyrite, anhydrite=None):
    t = np.arange(len(c_injected)) * 5.0  # days 0, 5, 10, ...
    series = {"carbon injected": Q_(c_injected, "mol"), "Pyrite amount": Q_(pyrite, "mol"),
              "carbon in carbonates": Q_(np.zeros(len(t)), "mol")}
    minerals = {"Pyrite": {"carbon": 0.0, "elements": {"Fe": 1.0, "S": 2.0}}}
    if anhydrite is not None:
        series["Anhydrite amount"] = Q_(anhydrite, "mol")
        minerals["Anhydrite"] = {"carbon": 0.0, "elements": {"Ca": 1.0, "S": 1.0, "O": 4.0}}
    return Result(name="x", time=Q_(t, "day"), series=series, carbon_injected=Q_(c_injected[-1], "mol"),
                  minerals=minerals)


def test_sulfur_injected_follows_each_phase_ratio():
    # phase 1 (days 0-10): CO2 only; phase 2 (days 10-20): H2S / CO2 = 0.5; 1 mol C per 5 days throughout
    c = np.array([0.0, 1.0, 2.0, 3.0, 4.0])
    exp = _experiment(_phase(0, 10, 0.4, 0.0), _phase(10, 10, 0.4, 0.2))
    np.testing.assert_allclose(sulfur_injected(_result(c, np.zeros(5)), exp), [0.0, 0.0, 0.0, 0.5, 1.0])


def test_sulfur_fraction_counts_sulfides_only():
    c = np.array([0.0, 1.0, 2.0, 3.0, 4.0])
    exp = _experiment(_phase(0, 20, 0.5, 0.25))  # 0.5 mol S per mol C
    pyrite = np.array([0.1, 0.1, 0.3, 0.5, 0.6])  # 0.1 mol at time zero is not newly formed
    r = _result(c, pyrite, anhydrite=np.array([0.0, 1.0, 1.0, 1.0, 1.0]))
    assert sulfide_minerals(r) == {"Pyrite": 2.0}  # anhydrite holds O: a sulfate, not mineralised H2S
    sf = sulfur_fraction(r, exp)
    # day 20: S injected 2 mol, S in new pyrite 2 x 0.5 = 1 mol
    assert sf.at(20.0) == pytest.approx(0.5, rel=1e-12)
    assert np.isnan(sf.fraction[0]) and sf.fraction[2] == pytest.approx(2 * 0.2 / 1.0)
    assert sf.at(25.0) is None  # after the run's end
    assert sf.site_to_injectate == pytest.approx(1e-3 / 0.25)


def test_no_sulfur_injected_gives_none():
    c = np.array([0.0, 1.0, 2.0])
    assert sulfur_fraction(_result(c, np.zeros(3)), _experiment(_phase(0, 10, 0.5, 0.0))) is None
    # an H2S-only phase cannot be read from the carbon injected
    assert sulfur_injected(_result(c, np.zeros(3)), _experiment(_phase(0, 10, 0.0, 0.3))) is None


def test_fast_path_depth_rule():
    assert depth_verdict(5.53, 6.57) == "consistent"  # undiluted fast-path water is more acid than the mixture
    assert depth_verdict(6.57, 6.57) == "consistent"
    assert depth_verdict(7.2, 6.57) == "disagrees"
    assert depth_verdict(None, 6.57) == "not evaluated"
