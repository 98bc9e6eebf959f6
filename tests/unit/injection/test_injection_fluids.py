"""Water / CO2 density and phase (Cantera) and water viscosity (IAPWS 2008)."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from ccus.injection.fluids import (
    co2_density,
    co2_phase,
    water_density,
    water_phase,
    water_viscosity,
    water_viscosity_iapws2008_raw,
)

pytest.importorskip("cantera")


def test_water_density_iapws95():
    # IAPWS-95 (Wagner & Pruss 2002): 997.047 kg/m3 at 298.15 K, 0.1 MPa.
    # 2e-4: Cantera's Water() is a different (Reynolds) fit; measured +7e-5.
    assert_allclose(water_density("25 degC", "1 bar").magnitude, 997.047, rtol=2e-4)


def test_co2_density_span_wagner():
    # Span & Wagner (1996), NIST Webbook: 712.8 kg/m3 at 308.15 K, 10 MPa (supercritical).
    # 1.5%: Cantera's CO2 is a Reynolds-type EOS, not Span-Wagner; measured -0.3%.
    assert_allclose(co2_density("35 degC", "100 bar").magnitude, 712.8, rtol=0.015)


def test_co2_saturation_span_wagner():
    import cantera as ct

    # Span & Wagner (1996) saturation table at 293.15 K: p_sat = 5.7291 MPa,
    # liquid 773.39 kg/m3, vapour 194.20 kg/m3.
    co2 = ct.CarbonDioxide()
    co2.TQ = 293.15, 0.0
    # 1%: Reynolds-type EOS in Cantera; measured -0.08% (p_sat), +0.35% (liquid), -0.7% (vapour)
    assert_allclose(co2.P, 5.7291e6, rtol=0.01)
    assert_allclose(co2.density, 773.39, rtol=0.01)
    co2.TQ = 293.15, 1.0
    assert_allclose(co2.density, 194.20, rtol=0.01)


def test_co2_density_vs_coolprop():
    CP = pytest.importorskip("CoolProp.CoolProp")  # optional cross-check (Span-Wagner)
    for T, P in ((293.15, 25e5), (308.15, 100e5), (323.15, 200e5), (400.0, 300e5)):
        ref = CP.PropsSI("D", "T", T, "P", P, "CO2")
        # 1.5%: Reynolds-type EOS (Cantera) vs Span-Wagner away from the critical point
        assert_allclose(co2_density(T, P).magnitude, ref, rtol=0.015)


def test_phases():
    assert co2_phase("20 degC", "25 bar") == "gas"
    assert co2_phase("40 degC", "100 bar") == "supercritical"
    assert water_phase("25 degC", "25 bar") == "liquid"
    out = co2_phase(np.array([293.15, 313.15]), 100e5)
    assert list(out) == ["supercritical", "supercritical"]  # Cantera labels P > Pc supercritical


@pytest.mark.parametrize(
    "T, rho, mu_upas",
    [
        # IAPWS R12-08 (2008), Table 4, check values for mu2 = 1 [uPa s]
        (298.15, 998.0, 889.735100),
        (298.15, 1200.0, 1437.649467),
        (373.15, 1000.0, 307.883622),
        (433.15, 1.0, 14.538324),
        (433.15, 1000.0, 217.685358),
        (873.15, 1.0, 32.619287),
        (873.15, 100.0, 35.802262),
        (873.15, 600.0, 77.430195),
        (1173.15, 1.0, 44.217245),
        (1173.15, 100.0, 47.640433),
        (1173.15, 400.0, 64.154608),
    ],
)
def test_iapws2008_check_values(T, rho, mu_upas):
    # 1e-7: check values are given to 9-10 digits; measured < 4e-8.
    assert_allclose(water_viscosity_iapws2008_raw(T, rho) * 1e6, mu_upas, rtol=1e-7)


def test_water_viscosity_vs_cantera_transport():
    import cantera as ct

    w = ct.Water()
    for T in (283.15, 298.15, 323.15, 373.15):
        w.TP = T, 10e5
        # 1e-3: Cantera's water transport implements the IAPWS formulation as well;
        # both use Cantera's density.
        assert_allclose(water_viscosity(T, 10e5).magnitude, w.viscosity, rtol=1e-3)
