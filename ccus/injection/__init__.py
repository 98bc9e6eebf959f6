"""Gas dissolution at depth and well hydraulics for CarbFix-style injection.

Modules (import them directly; this package imports nothing heavy):

- :mod:`ccus.injection.solubility` -- CO2 solubility in water and NaCl brine,
  Duan & Sun (2003), :func:`~ccus.injection.solubility.co2_solubility`.
- :mod:`ccus.injection.h2s` -- H2S (water or NaCl brine) and H2 (water)
  solubility: IAPWS G7-04 Henry's constants, Peng-Robinson fugacity, H2S
  activity by Akinfiev et al. (2016).
- :mod:`ccus.injection.fluids` -- water and CO2 density / phase (Cantera) and
  water viscosity (IAPWS 2008).
- :mod:`ccus.injection.hydraulics` -- Theis and Thiem pressure build-up at an
  injection well, fracture pressure and the margin.
- :mod:`ccus.injection.dissolution` -- water demand for full dissolution of a
  CO2 / H2S / H2 gas stream and the minimum dissolution pressure.
"""

__all__ = ["dissolution", "fluids", "h2s", "hydraulics", "solubility"]
