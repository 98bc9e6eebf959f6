"""Reduction of a database to the species of the elements in use, and the JSON cache."""

from __future__ import annotations

import json

import pytest

from ccus.errors import ConfigError
from ccus.thermo import system as sysmod
from ccus.thermo.system import reduced_system


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CCUS_CACHE_DIR", str(tmp_path / "cache"))
    sysmod._MEMO.clear()


def test_valence_state_only_keeps_its_species():
    s = reduced_system("Kinec_v3.dat", ["Ca", "C(4)"])
    assert "CO2" in s.species and "CaHCO3+" in s.species
    assert "CH4" not in s.species and "CO" not in s.species  # C(-4), C(+2) not entered
    assert s.states == ["Ca", "C(+4)"]


def test_element_total_reaches_all_redox_states_through_pe():
    s = reduced_system("Kinec_v3.dat", ["C"])
    assert "CH4" in s.species
    i = s.species.index("CH4")
    assert s.species_nu_e[i] == 8.0  # HCO3- + 9H+ + 8e- = CH4 + 3H2O


def test_fe2_alone_leaves_fe3_out_and_both_states_work():
    s = reduced_system("Kinec_v3.dat", ["Fe(2)"])
    assert "Fe+2" in s.species and "Fe+3" not in s.species
    s2 = reduced_system("Kinec_v3.dat", ["Fe(2)", "Fe(3)"])
    assert "Fe+3" in s2.species and "FeOH+2" in s2.species
    assert s2.states == ["Fe(+2)", "Fe(+3)"]


def test_sulfide_and_sulfate_are_separate_mass_balances():
    s = reduced_system("Kinec_v3.dat", ["S(6)", "S(-2)"])
    i = s.species.index("S2-2")
    assert s.species_stoich[i] == [0.0, 2.0]  # -mass_balance S(-2)2


def test_total_and_valence_of_one_element_conflict():
    with pytest.raises(ConfigError, match="both the total"):
        reduced_system("Kinec_v3.dat", ["Fe", "Fe(2)"])


def test_unknown_element_has_a_suggestion():
    with pytest.raises(ConfigError, match="did you mean 'C'"):
        reduced_system("Kinec_v3.dat", ["Cx"])


def test_unknown_database_has_a_suggestion():
    with pytest.raises(ConfigError, match="Kinec_v3.dat"):
        reduced_system("Kinec_v3.da", ["Ca"])


def test_cache_is_json_keyed_by_database_hash_and_states(tmp_path):
    s = reduced_system("Kinec_v3.dat", ["Na", "Cl"])
    files = list((tmp_path / "cache").glob("reduced-*.json"))
    assert len(files) == 1
    data = json.loads(files[0].read_text())
    assert data["db_sha256"] == s.db_sha256 and data["user_states"] == ["Na", "Cl"]
    sysmod._MEMO.clear()
    s2 = reduced_system("Kinec_v3.dat", ["Na", "Cl"])  # from the cache file
    assert s2.species == s.species and s2.species_logk == s.species_logk


def test_corrupt_cache_is_rebuilt(tmp_path):
    reduced_system("Kinec_v3.dat", ["Na"])
    f = next((tmp_path / "cache").glob("reduced-*.json"))
    f.write_text("{not json")
    sysmod._MEMO.clear()
    assert "Na+" in reduced_system("Kinec_v3.dat", ["Na"]).species
