"""The PHREEQC reference runner of the validation panels: one SOLUTION number reused for every water."""

from __future__ import annotations

import numpy as np

from ccus.validation.phreeqc_reference import Water, phreeqc_input, run_phreeqc

WATERS = [
    Water({"Na": 0.01, "Cl": 0.01, "C(4)": 0.02, "Ca": 1e-3}, temperature_c=25.0, ph=5.0, charge_balance=False),
    Water({"Na": 0.02, "Cl": 0.015, "C(4)": 0.3, "Ca": 2e-3, "Si": 5e-4}, temperature_c=40.0, ph=4.0,
          charge_balance=True, pressure_atm=25.0),
    Water({"Na": 0.01, "Cl": 0.01, "C(4)": 0.02, "Ca": 3e-3}, temperature_c=30.0, ph=8.0, charge_balance=False,
          eq_phases={"Calcite": (0.0, 0.01)}),
    Water({"Na": 0.01, "Cl": 0.01, "C(4)": 0.005}, temperature_c=20.0, ph=7.0, charge_balance=False),
]
SPECIES, PHASES = ["CO2", "HCO3-", "Ca+2"], ["Calcite", "Chalcedony"]


def test_every_water_is_solution_1():
    text = phreeqc_input(WATERS, SPECIES, PHASES)
    assert text.count("SOLUTION 1\n") == len(WATERS) and "SOLUTION 2" not in text
    assert text.count("EQUILIBRIUM_PHASES 1\n") == 1 and text.count("END\n") == len(WATERS)
    assert "  pressure 25.0" in text
    numbered = phreeqc_input(WATERS, SPECIES, PHASES, numbered=True)
    assert "SOLUTION 4\n" in numbered and "EQUILIBRIUM_PHASES 3\n" in numbered


def test_reused_number_gives_the_numbered_results():
    # the same PHREEQC on the same waters: only the solution numbers differ, so the results must be
    # identical (bit for bit); the equilibrium-phase water after it (a later water) must not react
    # with the earlier simulation's EQUILIBRIUM_PHASES 1
    a = run_phreeqc(WATERS, SPECIES, PHASES)
    b = run_phreeqc(WATERS, SPECIES, PHASES, numbered=True)
    assert set(a) == set(b)
    for k in a:
        np.testing.assert_array_equal(a[k], b[k], err_msg=k)
    # the calcite water is brought to SI 0 by its equilibrium phase; the next water is not
    assert abs(a["si_Calcite"][2]) < 1e-6  # PHREEQC converges SI targets to ~1e-8 or better
    assert a["pH"][3] == 7.0  # pH given, no reaction: PHREEQC reports it unchanged
