"""PHREEQC Peng-Robinson CO2 solubility (phreeqc.dat), a reference for the tests.

The PHREEQC input lives in :func:`ccus.validation.solubility_panel.phreeqc_co2_molality`
(shared with the validation report); this module only adds the pytest skip.
"""

from __future__ import annotations

import os

from ccus.validation.solubility_panel import phreeqc_co2_molality

__all__ = ["make_phreeqc", "phreeqc_co2_molality"]


def make_phreeqc():
    """IPhreeqc instance with phreeqc.dat loaded (skips the test if unavailable)."""
    import pytest

    phreeqc = pytest.importorskip("phreeqc")
    db = os.path.join(os.path.dirname(phreeqc.__file__), "databases", "phreeqc.dat")
    if not os.path.exists(db):
        pytest.skip("phreeqc.dat not shipped with the phreeqc package")
    p = phreeqc.Phreeqc()
    if p.LoadDatabase(db) != 0:
        pytest.skip("cannot load phreeqc.dat")
    return p
