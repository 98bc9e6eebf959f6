"""Reader of PHREEQC-format databases."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose

from ccus.errors import ConfigError
from ccus.thermo.database import (
    R_KJ,
    analytic_from_vant_hoff,
    normalise_species_name,
    parse_equation,
    parse_side,
    read_database,
)
from ccus.thermo.logk import log_k
from ccus.thermo.system import database_path, reduce_database


@pytest.fixture(scope="module")
def kinec():
    return read_database(database_path("Kinec_v3.dat"))


def test_species_names_are_normalised():
    assert normalise_species_name("Mg++") == "Mg+2"
    assert normalise_species_name("Al+++") == "Al+3"
    assert normalise_species_name("Cu+1") == "Cu+"
    assert normalise_species_name("SO4--") == "SO4-2"
    assert normalise_species_name("e-") == "e-"
    assert normalise_species_name("CO2") == "CO2"


def test_equation_terms_with_charges_coefficients_and_leading_plus():
    lhs, rhs = parse_equation(
        "K0.6Mg0.25Al1.8Al0.5Si3.5O10(OH)2 +8.0000 H+  =  + 0.2500 Mg++ + 0.6000 K+ + 2.3000 Al+++ + 5 H2O"
    )
    assert lhs == [(1.0, "K0.6Mg0.25Al1.8Al0.5Si3.5O10(OH)2"), (8.0, "H+")]
    assert rhs == [(0.25, "Mg+2"), (0.6, "K+"), (2.3, "Al+3"), (5.0, "H2O")]
    assert parse_side("2H2O") == [(2.0, "H2O")]
    assert parse_side(".5 O2 + 2 HS-") == [(0.5, "O2"), (2.0, "HS-")]
    assert parse_side("O2 + 4H+ + 4e-") == [(1.0, "O2"), (4.0, "H+"), (4.0, "e-")]


def test_kinec_blocks_are_read(kinec):
    assert len(kinec.species) > 300
    assert len(kinec.phases) > 400
    assert kinec.skipped_blocks == []
    ll = kinec.llnl
    assert ll.temperatures[0] == 0.01 and ll.temperatures[-1] == 300
    assert ll.co2_coefs == [-1.0312, 0.0012806, 255.9, 0.4445, -0.001606]
    assert kinec.species["CO2"].gamma == "co2"
    assert kinec.species["HCO3-"].gamma == "llnl" and kinec.species["HCO3-"].ion_size == 4.0
    assert kinec.species["HS-"].reaction == {"SO4-2": 1.0, "H+": 1.0, "O2": -2.0}
    assert kinec.phases["Calcite"].vm == 36.934
    assert kinec.phases["CO2(g)"].t_c == 304.25


def test_analytic_expression_is_used_when_given(kinec):
    # Calcite: -analytic -1.4978e2 -4.8370e-2 4.8974e3 6.0458e1 7.6464e1 (Kinec_v3.dat)
    a = [-1.4978e2, -4.8370e-2, 4.8974e3, 6.0458e1, 7.6464e1]
    t = 298.15
    expected = a[0] + a[1] * t + a[2] / t + a[3] * math.log10(t) + a[4] / t**2
    got = log_k(kinec.phases["Calcite"].logk, np.array([t]))[0, 0]
    assert_allclose(got, expected, rtol=0, atol=1e-12)  # same formula, rounding only
    # the database's own log_k at 25 C is 1.8487; PHREEQC ignores it when -analytic is given and
    # the fit gives 1.8247 (documented in docs/speciation.md): 0.03 covers that fit residual
    assert_allclose(got, 1.8487, atol=0.03)


def test_vant_hoff_matches_phreeqc_formula():
    coeffs = analytic_from_vant_hoff(-9.5, 55.0)
    for t in (273.15, 298.15, 373.15, 523.15):
        phreeqc = -9.5 - 55.0 * (298.15 - t) / (math.log(10) * R_KJ * t * 298.15)
        assert_allclose(log_k(coeffs, np.array([t]))[0, 0], phreeqc, rtol=0, atol=1e-12)  # algebraically equal


def _tiny_db(tmp_path, extra_species_option="", extra_block=""):
    text = f"""
LLNL_AQUEOUS_MODEL_PARAMETERS
-temperatures
   0.01 25 60 100
-dh_a
   0.4939 0.5114 0.5465 0.5995
-dh_b
   0.3253 0.3288 0.3346 0.3421
-bdot
   0.0374 0.0410 0.0438 0.0460
-co2_coefs
   -1.0312 0.0012806
   255.9 0.4445
   -0.001606
SOLUTION_MASTER_SPECIES
H   H+  -1  H  1.008
H(0) H2 0 H
O   H2O  0  O  16.0
O(0) O2 0 O
E   e-  0  0  0
Na  Na+  0  Na  22.99
Cl  Cl-  0  Cl  35.45
SOLUTION_SPECIES
H+ = H+
   -llnl_gamma 9
e- = e-
H2O = H2O
   -llnl_gamma 3
Na+ = Na+
   -llnl_gamma 4
   -dw 1.33e-9
Cl- = Cl-
   -llnl_gamma 3
H2O = OH- + H+
   -llnl_gamma 3.5
   log_k -14
   -delta_h 55.81 kJ/mol
2H2O = O2 + 4H+ + 4e-
   -co2_llnl_gamma
   log_k -86
H2O = H2 + 0.5 O2
   -co2_llnl_gamma
   log_k -46.1
Na+ + Cl- = NaCl
   -llnl_gamma 3
   log_k -0.5
   {extra_species_option}
PHASES
Halite
   NaCl = Na+ + Cl-
   log_k 1.57
   -delta_h 3.84 kcal/mol
{extra_block}
"""
    p = tmp_path / "tiny.dat"
    p.write_text(text)
    return p


def test_unsupported_option_is_reported_by_name_only_when_in_use(tmp_path):
    db = read_database(_tiny_db(tmp_path, extra_species_option="-some_new_option 1 2"))
    assert db.species["NaCl"].unsupported == ["-some_new_option"]
    assert db.species["Na+"].unsupported == []  # -dw is ignored explicitly
    with pytest.raises(ConfigError, match="-some_new_option"):
        reduce_database(db, ["Na", "Cl"])
    reduce_database(db, ["Na"])  # NaCl is not in a Na-only system: no complaint


def test_kcal_delta_h_is_converted(tmp_path):
    db = read_database(_tiny_db(tmp_path))
    expected = analytic_from_vant_hoff(1.57, 3.84 * 4.184)
    assert_allclose(db.phases["Halite"].logk, expected, rtol=1e-12)  # exact unit conversion


def test_unknown_keyword_block_is_warned_by_name(tmp_path):
    db = read_database(_tiny_db(tmp_path, extra_block="EXCHANGE_MASTER_SPECIES\nX X-\n"))
    assert db.skipped_blocks == ["EXCHANGE_MASTER_SPECIES"]
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        reduce_database(db, ["Na", "Cl"])
    assert any("EXCHANGE_MASTER_SPECIES" in str(r.message) for r in rec)


def test_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read database"):
        read_database(tmp_path / "nope.dat")


def test_semicolon_separated_statements_and_dashless_options(tmp_path):
    p = _tiny_db(tmp_path)
    text = p.read_text().replace("   log_k -0.5\n", "   log_k -0.5;  delta_h 2.0 kJ\n   Vm 12.0\n")
    p.write_text(text)
    db = read_database(p)
    assert_allclose(db.species["NaCl"].logk, analytic_from_vant_hoff(-0.5, 2.0), rtol=1e-12)  # both statements read
    assert db.species["NaCl"].vm == [12.0]


def test_non_llnl_database_is_refused_by_name():
    db = read_database(database_path("phreeqc.dat"))
    with pytest.raises(ConfigError, match="llnl-type databases only"):
        reduce_database(db, ["Ca"])
