"""Public speciation API: pint quantities in, pint quantities out.

>>> from ccus.chemistry.api import speciate
>>> r = speciate({"Ca": "1 mmol/kg", "C(4)": "2 mmol/kg", "Na": "0.5 mmol/kg"}, temperature="20 degC")
>>> r.pH, r.molality("HCO3-"), r.saturation_index("Calcite")

Every value of ``solution`` (and ``temperature``, ``pressure``, ``pe``) may be an
array (or a quantity with an array magnitude); then all results are arrays of the
broadcast shape (batched form, one Newton solve for all waters).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pint

from ccus.errors import ConfigError, did_you_mean
from ccus.units import Q_, parse_quantity, ureg

_ONE_ATM_PA = 101325.0


def _as_array(value: Any, dimension: str, unit: str, key: str) -> np.ndarray:
    """Quantity / string / list of strings / array of quantities -> float array in ``unit``."""
    if isinstance(value, pint.Quantity):
        q = value if value._REGISTRY is ureg else Q_(value.magnitude, str(value.units))
        try:
            return np.asarray(q.to(unit).magnitude, dtype=float)
        except pint.DimensionalityError:
            raise ConfigError(f"expected a {dimension}, found {q.units}", key=key) from None
    if isinstance(value, (list, tuple, np.ndarray)) and not isinstance(value, str):
        arr = np.asarray(value, dtype=object)
        flat = [_as_array(v, dimension, unit, key) for v in arr.ravel()]
        return np.asarray(flat, dtype=float).reshape(arr.shape)
    return np.asarray(parse_quantity(value, dimension, key=key).to(unit).magnitude, dtype=float)


def _as_plain(value: Any, key: str) -> np.ndarray:
    if isinstance(value, pint.Quantity):
        return np.asarray(value.to("dimensionless").magnitude, dtype=float)
    if isinstance(value, str):
        try:
            return np.asarray(float(value))
        except ValueError:
            raise ConfigError(f"expected a number, found {value!r}", key=key) from None
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ConfigError(f"expected a number or array of numbers, found {value!r}", key=key) from None


class Speciation:
    """Result of :func:`speciate`. Values are pint quantities (arrays in the batched form)."""

    def __init__(self, arrays, shape: tuple[int, ...], pressure_pa: np.ndarray):
        self._a = arrays
        self._shape = shape
        self._sp = {s: i for i, s in enumerate(arrays.system.species)}
        self._ph = {p: i for i, p in enumerate(arrays.system.phases)}
        self._pressure = pressure_pa

    def _out(self, values: np.ndarray, unit: str):
        v = np.asarray(values).reshape(self._shape) if self._shape else float(np.asarray(values).ravel()[0])
        return Q_(v, unit)

    # -- scalars per water
    @property
    def pH(self) -> pint.Quantity:
        """pH = -log10 a(H+) [dimensionless]."""
        return self._out(-self._a.la_h, "dimensionless")

    @property
    def pe(self) -> pint.Quantity:
        return self._out(self._a.pe, "dimensionless")

    @property
    def ionic_strength(self) -> pint.Quantity:
        """Ionic strength 0.5 sum z^2 m [mol/kg water]."""
        return self._out(self._a.ionic_strength, "mol/kg")

    @property
    def water_activity(self) -> pint.Quantity:
        return self._out(10.0**self._a.la_w, "dimensionless")

    @property
    def water_mass(self) -> pint.Quantity:
        """Mass of water [kg]: 1 kg, changed by equilibrium-phase reactions (O balance)."""
        return self._out(self._a.water_mass_kg, "kg")

    @property
    def temperature(self) -> pint.Quantity:
        return self._out(self._a.temperature_k, "K")

    @property
    def iterations(self) -> np.ndarray:
        return self._a.iterations.reshape(self._shape)

    @property
    def species(self) -> list[str]:
        """Names of all aqueous species in the model."""
        return list(self._a.system.species)

    @property
    def phases(self) -> list[str]:
        """Names of all phases whose saturation index is defined."""
        return list(self._a.system.phases)

    def _species_index(self, name: str) -> int:
        from ccus.thermo.database import normalise_species_name

        key = normalise_species_name(name)
        if key not in self._sp:
            raise ConfigError(f"unknown species {name!r} in this system" + did_you_mean(name, self._sp))
        return self._sp[key]

    def molality(self, species: str) -> pint.Quantity:
        """Molality of an aqueous species [mol/kg water]."""
        i = self._species_index(species)
        return self._out(10.0 ** self._a.log_molality[:, i], "mol/kg")

    def activity(self, species: str) -> pint.Quantity:
        """Activity gamma * m / (1 mol/kg) [dimensionless]."""
        i = self._species_index(species)
        return self._out(10.0 ** (self._a.log_molality[:, i] + self._a.log_gamma[:, i]), "dimensionless")

    def activity_coefficient(self, species: str) -> pint.Quantity:
        i = self._species_index(species)
        return self._out(10.0 ** self._a.log_gamma[:, i], "dimensionless")

    def saturation_index(self, phase: str) -> pint.Quantity:
        """Saturation index log10(IAP/K) of a phase [dimensionless]."""
        if phase not in self._ph:
            raise ConfigError(f"unknown phase {phase!r} in this system" + did_you_mean(phase, self._ph))
        return self._out(self._a.saturation_index[:, self._ph[phase]], "dimensionless")

    def total(self, state: str) -> pint.Quantity:
        """Total molality of an entered state after equilibrium-phase reactions [mol/kg water]."""
        states = self._a.system.states
        from ccus.thermo.database import parse_master_key

        try:
            el, val = parse_master_key(state)
        except ValueError:
            el, val = state, None
        for k, s in enumerate(states):
            e2, v2 = parse_master_key(s)
            if e2 == el and v2 == val:
                return self._out(self._a.totals[:, k], "mol/kg")
        raise ConfigError(f"unknown state {state!r}" + did_you_mean(state, states))

    def __repr__(self) -> str:
        if self._shape:
            return f"<Speciation of {int(np.prod(self._shape))} waters>"
        return f"<Speciation pH={float(-self._a.la_h[0]):.4f} I={float(self._a.ionic_strength[0]):.4g} mol/kg>"


def speciate(
    solution: Mapping[str, Any],
    temperature: Any = "25 degC",
    pressure: Any = "1 atm",
    database: str = "Kinec_v3.dat",
    charge_balance: bool = True,
    pe: Any = 4.0,
    equilibrium_phases: Mapping[str, tuple[Any, Any]] | None = None,
    co2_partial_pressure: Any = None,
) -> Speciation:
    """Equilibrium speciation of a water (or of arrays of waters) by the native engine.

    Parameters
    ----------
    solution
        Element totals by PHREEQC state name (``"Ca"``, ``"C(4)"``, ``"Fe(2)"``,
        ``"S(6)"``, ``"Na"``, ``"Cl"``, ``"Si"``, ...) as molality quantities or
        strings (``"1.2 mmol/kg"``; per kg of water, PHREEQC's ``mmol/kgw``), and
        optionally ``"pH"``. Water mass is 1 kg (changed by equilibrium-phase
        reactions, as in PHREEQC; see ``.water_mass``).
    temperature
        [degC or K]; 0.01-300 degC (range of the LLNL activity table).
    pressure
        [Pa-compatible]. As PHREEQC does for llnl-type databases, pressure shifts
        log K of solids with a molar volume by Vm (P - 1 atm) / (ln 10 RT) (P > 1 atm)
        and leaves aqueous species alone (docs/speciation.md).
    database
        A database file path or the name of one in the ``phreeqc`` package.
    charge_balance
        True: the pH is adjusted to electroneutrality (a given pH is the starting
        value only, like PHREEQC ``pH 7 charge``). False: the given pH is fixed.
    pe
        Fixed pe [dimensionless] (PHREEQC's default 4); matters only for states entered as
        element totals (``"Fe"``, ``"S"``) and for O(0)/H(0).
    equilibrium_phases
        ``{phase: (target SI, available amount [mol per kg water])}``, like PHREEQC
        EQUILIBRIUM_PHASES: the phase dissolves or precipitates to reach the target
        SI unless all of it dissolves first.
    co2_partial_pressure
        Fixed CO2 partial pressure (adds ``CO2(g)`` with SI = log10(p / 1 atm) and
        10 mol available); needs ``"C(4)"`` or ``"C"`` in ``solution``.

    Returns
    -------
    Speciation
        ``.pH``, ``.ionic_strength``, ``.molality(sp)``, ``.activity(sp)``,
        ``.saturation_index(phase)`` as pint quantities.

    Raises
    ------
    ConfigError
        Unknown element, species, phase or database names (with did-you-mean),
        wrong units, non-finite or negative totals.
    ccus.errors.ConvergenceError
        When Newton's method does not converge (names the water and the residual).
    """
    from ccus.chemistry.speciation import solve
    from ccus.thermo.system import reduced_system

    if not isinstance(solution, Mapping) or not solution:
        raise ConfigError("solution must be a non-empty mapping of element names to molalities")
    states: list[str] = []
    values: list[np.ndarray] = []
    ph_value = None
    for key, val in solution.items():
        if key.strip().lower() == "ph":
            ph_value = _as_plain(val, key="solution.pH")
            continue
        states.append(key.strip())
        values.append(_as_array(val, "molality", "mol/kg", key=f"solution.{key}"))
    if not states:
        raise ConfigError("solution holds no element totals")
    tk = _as_array(temperature, "temperature", "K", key="temperature")
    p_pa = _as_array(pressure, "pressure", "Pa", key="pressure")
    pe_arr = _as_plain(pe, key="pe")
    eq_names: list[str] = []
    eq_si: list[np.ndarray] = []
    eq_amt: list[np.ndarray] = []
    for name, spec in (equilibrium_phases or {}).items():
        try:
            si, amount = spec
        except (TypeError, ValueError):
            raise ConfigError(
                "expected (target SI, amount) for the equilibrium phase", key=f"equilibrium_phases.{name}"
            ) from None
        eq_names.append(name)
        eq_si.append(_as_plain(si, key=f"equilibrium_phases.{name}"))
        eq_amt.append(_as_array(amount, "amount", "mol", key=f"equilibrium_phases.{name}"))
    if co2_partial_pressure is not None:
        pco2 = _as_array(co2_partial_pressure, "pressure", "Pa", key="co2_partial_pressure")
        if np.any(pco2 <= 0):
            raise ConfigError("must be positive", key="co2_partial_pressure")
        if "CO2(g)" in eq_names:
            raise ConfigError("CO2(g) given both in equilibrium_phases and as co2_partial_pressure")
        eq_names.append("CO2(g)")
        eq_si.append(np.log10(pco2 / _ONE_ATM_PA))
        eq_amt.append(np.asarray(10.0))

    arrays = values + [tk, p_pa, pe_arr] + ([ph_value] if ph_value is not None else []) + eq_si + eq_amt
    try:
        shape = np.broadcast_shapes(*[a.shape for a in arrays])
    except ValueError:
        raise ConfigError("array inputs have shapes that do not broadcast: " + str([a.shape for a in arrays])) from None
    n = int(np.prod(shape)) if shape else 1

    def flat(a):
        return np.broadcast_to(a, shape).reshape(n)

    totals = np.stack([flat(v) for v in values], axis=1)
    for k, s in enumerate(states):
        col = totals[:, k]
        if not np.all(np.isfinite(col)) or np.any(col < 0):
            raise ConfigError("molality must be finite and >= 0", key=f"solution.{s}")
    if not charge_balance and ph_value is None:
        raise ConfigError("pH must be given in solution when charge_balance=False")
    tkf = flat(tk)
    if np.any(tkf <= 0):
        raise ConfigError("temperature must be above absolute zero", key="temperature")
    if np.any(flat(p_pa) <= 0):
        raise ConfigError("pressure must be positive", key="pressure")

    system = reduced_system(database, states)
    for name in eq_names:
        if name not in system.phases:
            raise ConfigError(
                f"phase {name!r} is not defined for the elements {states}" + did_you_mean(name, system.phases),
                key=f"equilibrium_phases.{name}",
            )
    result = solve(
        system,
        totals,
        tkf,
        ph=None if ph_value is None else flat(ph_value),
        charge_balance=bool(charge_balance),
        pe=flat(pe_arr),
        eq_phases=eq_names,
        eq_targets=np.stack([flat(a) for a in eq_si], axis=1) if eq_names else None,
        eq_amounts=np.stack([flat(a) for a in eq_amt], axis=1) if eq_names else None,
        pressure_atm=flat(p_pa) / _ONE_ATM_PA,
    )
    return Speciation(result, shape, flat(p_pa))


__all__ = ["Speciation", "speciate"]
