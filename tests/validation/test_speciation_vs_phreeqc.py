"""Native speciation against PHREEQC (Kinec_v3.dat) on identical inputs.

Targets of the issue: pH within 0.01, saturation indices within 0.02, molalities above
1e-12 mol/kg within 0.5 %. The native engine implements the same equations as PHREEQC
for an initial solution, so the observed agreement is ~1e-8 or better; the tolerances
below are the issue's targets, not the observed agreement.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from ccus.chemistry.api import speciate
from ccus.chemistry.speciation import solve
from ccus.errors import EngineError
from ccus.thermo.logk import log_k
from ccus.thermo.system import reduced_system
from ccus.units import Q_
from ccus.validation.phreeqc_reference import Water, run_phreeqc

PH_TOL = 0.01  # issue target
SI_TOL = 0.02  # issue target
M_RTOL = 0.005  # issue target, species above 1e-12 mol/kg
FLOOR = 1e-12

POOL = ["Na", "K", "Ca", "Mg", "Fe(2)", "Al", "Si", "S(6)", "C(4)"]
CHARGE = {"Na": 1, "K": 1, "Ca": 2, "Mg": 2, "Fe(2)": 2, "Al": 3}


def _safe_pe(states, t_k: float, ph_range=(2.0, 12.0)) -> float:
    """A pe inside water's stability field over the pH range (O2, H2 below ~0.1 mol/kg).

    PHREEQC's default pe 4 is used where it fits; at high temperature and pH it would put
    O2 above 1 mol/kg and neither engine can represent that water.
    """
    s = reduced_system("Kinec_v3.dat", states)
    a = s.arrays()
    io, ih2 = s.species.index("O2"), s.species.index("H2")
    lk = log_k(a["logk"][[io, ih2]], np.array([t_k]))[0]
    pe_hi = (-1.0 - lk[0]) / 4.0 - ph_range[1]  # log O2 = logK + 4 pH + 4 pe
    pe_lo = (lk[1] + 1.0) / 2.0 - ph_range[0]  # log H2 = logK - 2 pH - 2 pe
    return float(np.clip(4.0, pe_lo, max(pe_hi, pe_lo)))


@st.composite
def waters(draw):
    chosen = draw(st.lists(st.sampled_from(POOL), min_size=1, max_size=len(POOL), unique=True))
    chosen = [s for s in POOL if s in chosen]  # stable order
    totals = {}
    for s in chosen:
        lo, hi = (-8.0, -5.0) if s == "Al" else (-6.0, -2.4) if s == "Si" else (-6.0, -0.5)
        totals[s] = 10.0 ** draw(st.floats(lo, hi))
    t_c = draw(st.floats(0.5, 250.0))
    fixed_ph = draw(st.booleans())
    cation_eq = sum(CHARGE.get(s, 0) * v for s, v in totals.items())
    if "S(6)" in totals:
        totals["S(6)"] = min(totals["S(6)"], 0.3 * max(cation_eq, 1e-6) / 2)
    # Cl balances the cations up to a drawn excess, so that charge-balanced waters span pH ~2-12
    excess = draw(st.sampled_from([-1.0, 1.0])) * 10.0 ** draw(st.floats(-6.0, -1.5))
    totals["Cl"] = max(cation_eq - 2 * totals.get("S(6)", 0.0) + excess, 1e-6)
    ph = draw(st.floats(2.0, 12.0))
    states = list(totals)
    pe = _safe_pe(states, t_c + 273.15)
    return Water(totals, t_c, ph, not fixed_ph, pe)


def _compare(w: Water, nat):
    ref = run_phreeqc([w], nat.species, nat.phases)
    assert_allclose(nat.pH.magnitude, ref["pH"][0], atol=PH_TOL)  # issue target for pH
    for p in nat.phases:
        r = ref["si_" + p][0]
        if not math.isnan(r):
            assert_allclose(nat.saturation_index(p).magnitude, r, atol=SI_TOL, err_msg=p)  # issue target for SI
    for s in nat.species:
        r = ref["m_" + s][0]
        if r > FLOOR:
            assert_allclose(nat.molality(s).magnitude, r, rtol=M_RTOL, err_msg=s)  # issue target, molality


def _native(w: Water):
    sol = {k: Q_(v, "mol/kg") for k, v in w.totals.items()}
    sol["pH"] = w.ph
    return speciate(sol, temperature=Q_(w.temperature_c, "degC"), charge_balance=w.charge_balance, pe=w.pe)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(waters())
def test_random_water_matches_phreeqc(w):
    try:
        run_phreeqc([w], ["H+"], ["Calcite"] if "Ca" in w.totals and "C(4)" in w.totals else [])
    except EngineError:
        assume(False)  # PHREEQC itself fails on a few extreme waters: nothing to compare with
    nat = _native(w)
    _compare(w, nat)


def test_quick_panel_is_within_tolerance():
    from ccus.validation.speciation_panel import run_speciation_panel

    table, ok = run_speciation_panel(quick=True)
    assert ok, table.to_string()
    assert (table["pH_diff"].abs() <= PH_TOL).all()


def test_equilibrium_phases_match_phreeqc_reaction_step():
    totals = {"Na": 0.42e-3, "Ca": 0.12e-3, "Si": 0.55e-3, "Cl": 0.15e-3, "C(4)": 0.6e-3}
    w = Water(totals, 25.0, 7.0, True, 4.0, {"CO2(g)": (math.log10(10.0), 10.0), "Calcite": (0.0, 10.0)})
    nat = speciate(
        {k: Q_(v, "mol/kg") for k, v in totals.items()},
        temperature="25 degC",
        co2_partial_pressure=Q_(10.0, "atm"),
        equilibrium_phases={"Calcite": (0.0, "10 mol")},
    )
    ref = run_phreeqc([w], ["CO2", "HCO3-", "Ca+2"], ["Calcite", "CO2(g)"])
    assert_allclose(nat.pH.magnitude, ref["pH"][0], atol=PH_TOL)  # issue target
    assert_allclose(nat.saturation_index("CO2(g)").magnitude, ref["si_CO2(g)"][0], atol=1e-6)  # PR fugacity, same equations
    for s in ("CO2", "HCO3-", "Ca+2"):
        # the water mass follows the O balance as in PHREEQC's reaction step: same equations
        assert_allclose(nat.molality(s).magnitude, ref["m_" + s][0], rtol=1e-5, err_msg=s)
    assert nat.water_mass.magnitude != 1.0


@pytest.mark.slow
def test_two_thousand_waters_batched_match_phreeqc():
    rng = np.random.default_rng(11)
    states = ["Na", "K", "Ca", "Mg", "Fe(2)", "Al", "Si", "Cl", "S(6)", "C(4)"]
    n = 2000
    tot = 10 ** rng.uniform(-6, -0.7, (n, len(states)))
    tot[:, 5] = 10 ** rng.uniform(-9, -5, n)
    tot[:, 6] = 10 ** rng.uniform(-6, -2.4, n)
    cat = tot[:, 0] + tot[:, 1] + 2 * tot[:, 2] + 2 * tot[:, 3] + 2 * tot[:, 4]
    tot[:, 8] = np.minimum(tot[:, 8], 0.3 * cat / 2)
    tot[:, 7] = np.maximum(cat - 2 * tot[:, 8] + np.sign(rng.uniform(-1, 1, n)) * 10 ** rng.uniform(-6, -1.5, n), 1e-6)
    t_c = rng.uniform(0.5, 250.0, n)
    pe = np.array([_safe_pe(states, t + 273.15) for t in t_c])
    system = reduced_system("Kinec_v3.dat", states)
    nat = solve(system, tot, t_c + 273.15, pe=pe)
    ws = [Water(dict(zip(states, tot[k], strict=True)), t_c[k], 7.0, True, pe[k]) for k in range(n)]
    ref = run_phreeqc(ws, system.species, system.phases)
    assert_allclose(nat.pH, ref["pH"], atol=PH_TOL)  # issue target
    si_ref = np.stack([ref["si_" + p] for p in system.phases], axis=1)
    ok = ~np.isnan(si_ref)
    assert_allclose(nat.saturation_index[ok], si_ref[ok], atol=SI_TOL)  # issue target
    m_ref = np.stack([ref["m_" + s] for s in system.species], axis=1)
    big = m_ref > FLOOR
    assert_allclose(10 ** nat.log_molality[big], m_ref[big], rtol=M_RTOL)  # issue target
