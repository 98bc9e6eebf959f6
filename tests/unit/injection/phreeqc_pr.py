"""PHREEQC Peng-Robinson CO2 solubility (phreeqc.dat), a reference for the tests."""

from __future__ import annotations

import os

ATM_PER_BAR = 1.0 / 1.01325


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


def phreeqc_co2_molality(p, t_c: float, p_bar: float, m_nacl: float) -> float:
    """Dissolved C(4) [mol/kgw] under a fixed-pressure CO2 + H2O(g) gas phase.

    PHREEQC: GAS_PHASE -fixed_pressure with CO2(g) and H2O(g) (Peng-Robinson,
    phreeqc.dat critical constants), SOLUTION of pure water or NaCl.
    """
    p_atm = p_bar * ATM_PER_BAR
    # The gas phase must hold an excess of CO2 over what dissolves (the default 1 L at
    # 1 atm holds only ~0.04 mol): at least ~5 mol (ideal-gas estimate) or 1 L, the
    # latter at high pressure where larger volumes make PHREEQC fail to converge.
    volume_l = max(1.0, 5.0 * 0.082057 * (t_c + 273.15) / p_atm)
    salt = f"  Na {m_nacl}\n  Cl {m_nacl}\n" if m_nacl > 0 else ""
    text = f"""
SOLUTION 1
  temp {t_c}
  pressure {p_atm}
  units mol/kgw
{salt}GAS_PHASE 1
  -fixed_pressure
  -pressure {p_atm}
  -temperature {t_c}
  -volume {volume_l}
  CO2(g) {p_atm}
  H2O(g) 0
SELECTED_OUTPUT 1
  -reset false
  -totals C(4)
END
"""
    if p.RunString(text) != 0:
        raise RuntimeError(p.GetErrorString())
    n = p.GetSelectedOutputRowCount()
    return float(p.GetSelectedOutputValue(n - 1, 0))
