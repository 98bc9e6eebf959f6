"""Closed-system equilibrium against PHREEQC numbers, and its charge / redox / oxygen balances."""

from __future__ import annotations

import numpy as np
from numpy.testing import assert_allclose

from ccus.kinetics import closed_system as csm
from ccus.thermo.system import reduced_system

STATES = ["C", "Ca", "Mg", "Fe", "Si", "Al", "Na", "K", "Cl", "S", "Ti"]
# the CarbFix1 ambient water (models/sites/carbfix1.toml) [mol/kg]
WATER = dict(C=1.5e-3, Ca=1e-4, Mg=2e-5, Fe=5e-7, Si=4e-4, Al=2e-6, Na=1.7e-3, K=5e-5, Cl=3e-4, S=5e-5, Ti=0.0)


def _setup():
    cs = csm.ClosedSystem.build(reduced_system("Kinec_v3.dat", STATES), ["Kaolinite"])
    T = np.array([[WATER[s] for s in STATES]])
    b = csm.Budget(T, np.zeros(1), np.zeros(1), np.full(1, csm.MOL_WATER_PER_KG))
    cond = csm.conditions(cs, np.array([293.15]), np.array([52e5 / 101325]))
    x0 = csm.initial_guess(cs, b, np.array([9.43]), np.array([4.0]))
    r = csm.solve_closed(cs, cond, b, x0, fixed=np.ones((1, 3), bool), phases=False)
    return cs, cond, b, r


def test_initial_solution_matches_phreeqc():
    cs, cond, b, r = _setup()
    assert r.converged.all()
    _, ev, _ = csm.residual_jacobian(cs, cond, b, r.x, r.active, np.ones((1, 3), bool), want_jac=False)
    # PHREEQC 3 (Kinec_v3.dat), SOLUTION at 20 C, pH 9.43, pe 4: I = 0.002355, charge balance -2.08e-4 eq
    assert_allclose(np.exp(r.x[0, cs.nc + 2]), 0.002355, rtol=1e-3)  # PHREEQC prints 4 digits
    assert_allclose(ev.W[0] * (ev.m[0] * cs.z).sum(), -2.08e-4, rtol=5e-3)  # 3 digits printed


def test_co2_charge_time_zero_matches_phreeqc_and_balances():
    cs, cond, b, r = _setup()
    _, ev, _ = csm.residual_jacobian(cs, cond, b, r.x, r.active, np.ones((1, 3), bool), want_jac=False)
    Z = ev.W * (ev.m * cs.z).sum(axis=1)
    Q = ev.W * (ev.m * cs.q).sum(axis=1)
    Ox = ev.W * (csm.MOL_WATER_PER_KG + (ev.m * cs.o).sum(axis=1))
    n = 1.0 / 25 / 0.0440095  # CO2 of the small config [mol]
    c, o, q = cs.formula_vector({"C": 1.0, "O": 2.0})
    assert q == 0.0 and o == 2.0  # CO2 brings no redox change
    b2 = csm.Budget(b.T + n * c, Z, Q, Ox + n * o)
    cond2 = csm.conditions(cs, np.array([308.15]), np.array([52e5 / 101325]))
    r2 = csm.solve_closed(cs, cond2, b2, r.x, phases=False, max_iterations=200)
    assert r2.converged.all()
    x = r2.x[0]
    # PHREEQC after REACTION + REACTION_TEMPERATURE 35 C: pH 3.652343, pe 14.497437, water 0.999992 kg
    assert abs(-x[cs.nc] - 3.652343) < 1e-5  # PHREEQC prints 6 decimals; same equations
    assert abs(-x[cs.nc + 1] - 14.497437) < 1e-3  # pe: set by ~5e-7 mol Fe(3), less well conditioned
    assert_allclose(np.exp(x[cs.nc + 4]), 0.999992, atol=2e-6)
    _, ev2, _ = csm.residual_jacobian(cs, cond2, b2, r2.x, r2.active, np.zeros((1, 3), bool), want_jac=False)
    W = ev2.W[0]
    assert_allclose(W * (ev2.m[0] @ cs.S), b2.T[0], rtol=1e-10, atol=1e-28)  # every element
    assert abs(W * (ev2.m[0] * cs.z).sum() - Z[0]) < 1e-10 * abs(Z[0])  # charge (imbalance kept)
    assert abs(W * (ev2.m[0] * cs.q).sum() - Q[0]) < 1e-9 * abs(Q[0])  # oxidising equivalents
    assert_allclose(W * (csm.MOL_WATER_PER_KG + (ev2.m[0] * cs.o).sum()), b2.O[0], rtol=1e-12)  # oxygen


def test_glass_formula_oxidises():
    cs, *_ = _setup()
    c, o, q = cs.formula_vector({"Si": 1, "Ti": 0.02, "Al": 0.36, "Fe": 0.19, "Mg": 0.28, "Ca": 0.26, "Na": 0.08,
                                 "K": 0.008, "O": 3.364})
    # 2 x 3.364 - (4 + 0.08 + 1.08 + 0.38 + 0.56 + 0.52 + 0.08 + 0.008) = 0.02 eq per mol glass
    assert_allclose(q, 0.02, atol=1e-12)
    assert o == 3.364
