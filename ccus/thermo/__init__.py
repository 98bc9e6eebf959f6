"""Thermodynamic data: PHREEQC-format database reader, log K(T), LLNL activity model.

Modules (imported on use, so that ``import ccus`` stays fast):

- :mod:`ccus.thermo.database` -- reader of PHREEQC-format databases,
- :mod:`ccus.thermo.logk` -- log10 K(T) from analytic coefficients,
- :mod:`ccus.thermo.activity` -- LLNL B-dot activity coefficients, water activity,
- :mod:`ccus.thermo.system` -- reduction to the species of a set of elements, JSON cache.
"""
