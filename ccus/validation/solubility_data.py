"""Measured CO2 solubilities in water and NaCl brine (reference data for Duan & Sun 2003).

Data as compiled in the IUPAC-NIST Solubility Database (NIST Standard Reference
Database 106, IUPAC Solubility Data Series vol. 62, ed. P. Scharlin), pages
https://srdata.nist.gov/solubility/sol_detail.aspx?sysID=62_NN with NN given
per set. Mole fractions x are the compilers'; :func:`datasets` converts them to
molality m = 55.508 x / (1 - x). Duan & Sun (2003) list these sets (Wiebe & Gaddy
1939, 1940; Takenouchi & Kennedy 1965; Rumpf et al. 1994) among their data and
claim agreement "within or close to experimental uncertainty, about 7%".

Used by ``tests/unit/injection/test_injection_solubility_data.py`` and the
validation report (:mod:`ccus.validation.solubility_panel`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MW = 55.508  # mol H2O per kg
CO2_MOLAR_MASS = 44.0095e-3  # kg/mol

# Wiebe & Gaddy (1939) JACS 61:315; NIST SRD 106 sysID 62_30. (t/C, P/bar, x_CO2)
# The 100 C / 101.3 bar entry (x printed as 0.410e-2, a typo) is left out.
WIEBE_GADDY_1939 = [
    (50, 25.33, 7.797e-3), (50, 50.66, 1.377e-2), (50, 75.99, 1.791e-2), (50, 101.325, 2.032e-2),
    (50, 126.66, 2.120e-2), (50, 152.0, 2.188e-2), (50, 202.6, 2.304e-2), (50, 304.0, 2.474e-2),
    (50, 405.3, 2.623e-2), (50, 608.9, 2.887e-2), (50, 709.3, 3.009e-2),
    (75, 25.33, 5.485e-3), (75, 50.66, 1.009e-2), (75, 75.99, 1.361e-2), (75, 101.325, 1.640e-2),
    (75, 152.0, 1.950e-2), (75, 202.6, 2.112e-2), (75, 304.0, 2.332e-2), (75, 405.4, 2.515e-2),
    (75, 709.3, 2.952e-2),
    (100, 25.33, 4.323e-3), (100, 50.66, 8.170e-3), (100, 75.99, 1.143e-2), (100, 152.0, 1.806e-2),
    (100, 202.6, 2.037e-2), (100, 304.0, 2.334e-2), (100, 405.3, 2.554e-2), (100, 709.3, 3.022e-2),
]
# Wiebe & Gaddy (1940) JACS 62:815; NIST SRD 106 sysID 62_32 (gas-liquid points only).
WIEBE_GADDY_1940 = [
    (18, 25.33, 1.554e-2), (18, 50.66, 2.527e-2), (25, 50.66, 2.156e-2), (31.04, 25.33, 1.134e-2),
    (31.04, 50.66, 1.917e-2), (35, 25.33, 1.037e-2), (35, 50.66, 1.766e-2), (35, 75.99, 2.203e-2),
    (35, 101.33, 2.303e-2), (35, 152.0, 2.410e-2), (35, 202.6, 2.511e-2), (35, 405.3, 2.810e-2),
    (35, 506.6, 2.983e-2), (40, 25.33, 0.9316e-2), (40, 50.66, 1.620e-2), (40, 75.99, 2.046e-2),
    (40, 101.33, 2.201e-2), (40, 126.7, 2.271e-2), (40, 152.0, 2.323e-2), (40, 202.6, 2.504e-2),
    (40, 405.3, 2.744e-2), (40, 506.6, 2.887e-2),
]
# Kritschewsky, Shaworonkoff & Aepelbaum (1935) Z. phys. Chem. A175:232; sysID 62_25, 20 C set
# (the CarbFix1 dissolution conditions: ~20 C, ~25 bar).
KRITSCHEWSKY_1935_20C = [
    (20, 4.903, 0.3208e-2), (20, 9.807, 0.6289e-2), (20, 14.71, 0.9231e-2), (20, 19.61, 1.1846e-2),
    (20, 29.42, 1.641e-2),
]
# Takenouchi & Kennedy (1965) Am. J. Sci. 263:445; sysID 62_47. (t/C, P/bar, mass % CO2), <= 250 C.
TAKENOUCHI_KENNEDY_1965 = [
    (150, 100, 3.1), (150, 200, 5.1), (150, 300, 6.1), (150, 400, 6.9), (150, 500, 7.5),
    (150, 600, 8.0), (200, 100, 3.2), (200, 200, 6.1), (200, 300, 7.9), (200, 400, 9.5),
    (200, 500, 10.8), (200, 600, 11.8), (200, 800, 13.2), (200, 1000, 14.2), (200, 1200, 15.0),
    (200, 1400, 15.6), (250, 100, 2.8), (250, 200, 6.0), (250, 300, 9.6), (250, 400, 12.1),
    (250, 500, 14.3), (250, 600, 16.4), (250, 800, 20.4), (250, 1000, 24.2), (250, 1200, 27.2),
    (250, 1400, 28.8),
]
# Rumpf, Nicolaisen, Ocal & Maurer (1994) J. Solution Chem. 23:431; sysID 62_172.
# (T/K, P/MPa, m_CO2 mol/kg, m_NaCl mol/kg)
RUMPF_1994 = [
    (323.17, 1.059, 0.196, 0.0), (323.16, 1.247, 0.230, 0.0), (323.17, 1.432, 0.259, 0.0),
    (323.17, 1.660, 0.299, 0.0), (323.17, 1.809, 0.323, 0.0), (323.17, 3.480, 0.581, 0.0),
    (323.18, 5.798, 0.871, 0.0),
    (313.16, 0.467, 0.0497, 3.997), (313.14, 0.911, 0.0995, 3.997), (313.14, 1.900, 0.1996, 3.997),
    (313.19, 3.147, 0.3098, 3.997), (313.19, 5.123, 0.4529, 3.997), (313.19, 6.917, 0.5497, 3.997),
    (333.13, 0.625, 0.0509, 3.997), (333.16, 1.141, 0.0909, 3.997), (333.16, 1.328, 0.1073, 3.997),
    (333.15, 2.514, 0.1922, 3.997), (333.16, 2.871, 0.2184, 3.997), (333.14, 3.521, 0.2570, 3.997),
    (333.17, 4.737, 0.3305, 3.997), (333.15, 7.303, 0.4472, 3.997), (333.16, 9.642, 0.5272, 3.997),
    (353.12, 0.817, 0.0505, 4.001), (353.12, 1.642, 0.1014, 4.001), (353.10, 3.387, 0.2032, 4.001),
    (353.10, 5.592, 0.3084, 4.001), (353.12, 6.940, 0.3594, 4.001), (353.11, 8.337, 0.4116, 4.001),
    (353.11, 9.637, 0.4613, 4.001),
    (393.07, 1.204, 0.0518, 4.001), (393.19, 2.331, 0.1035, 4.003), (393.10, 4.742, 0.2084, 4.001),
    (393.19, 7.650, 0.3135, 4.003), (393.12, 9.328, 0.3657, 4.003),
]



@dataclass(frozen=True)
class SolubilitySet:
    """One measured data set as arrays: T [degC], P [bar], m_NaCl [mol/kg], m_CO2 [mol/kg]."""

    name: str
    citation: str
    t_c: np.ndarray
    p_bar: np.ndarray
    m_nacl: np.ndarray
    m_co2: np.ndarray


def _x_to_molality(x):
    x = np.asarray(x, dtype=float)
    return MW * x / (1 - x)


def datasets() -> list[SolubilitySet]:
    """Every set above converted to molality, in the order of the module."""
    out = []
    for name, cite, data in (
        ("Wiebe & Gaddy 1939", "Wiebe & Gaddy (1939) JACS 61:315; NIST SRD 106 sysID 62_30", WIEBE_GADDY_1939),
        ("Wiebe & Gaddy 1940", "Wiebe & Gaddy (1940) JACS 62:815; NIST SRD 106 sysID 62_32", WIEBE_GADDY_1940),
        ("Kritschewsky et al. 1935 (20 C)", "Kritschewsky, Shaworonkoff & Aepelbaum (1935) Z. phys. Chem. A175:232; "
         "NIST SRD 106 sysID 62_25", KRITSCHEWSKY_1935_20C),
    ):
        t, p, x = np.array(data, dtype=float).T
        out.append(SolubilitySet(name, cite, t, p, np.zeros_like(t), _x_to_molality(x)))
    t, p, w = np.array(TAKENOUCHI_KENNEDY_1965, dtype=float).T
    out.append(SolubilitySet("Takenouchi & Kennedy 1965", "Takenouchi & Kennedy (1965) Am. J. Sci. 263:445; "
                             "NIST SRD 106 sysID 62_47", t, p, np.zeros_like(t), w / (100 - w) / CO2_MOLAR_MASS))
    tk, p_mpa, m, s = np.array(RUMPF_1994, dtype=float).T
    out.append(SolubilitySet("Rumpf et al. 1994", "Rumpf, Nicolaisen, Ocal & Maurer (1994) J. Solution Chem. "
                             "23:431; NIST SRD 106 sysID 62_172", tk - 273.15, p_mpa * 10.0, s, m))
    return out
