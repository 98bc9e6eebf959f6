"""The one shared pint registry of ccus and helpers to parse quantities.

Every public function of ccus takes and returns quantities from this registry
(``ccus.units.ureg``). Config files hold quantities as strings such as
``"35 degC"``, ``"25 bar"``, ``"0.07 kg/s"``, ``"2 yr"`` or ``"0.02 m^2/g"``;
:func:`parse_quantity` turns them into quantities and checks their
dimensionality, raising :class:`ccus.errors.ConfigError` naming the key path.
Inside numerical code, convert once with :func:`magnitude` to plain SI floats.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import pint

from ccus.errors import ConfigError

ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
ureg.formatter.default_format = "~P" if hasattr(ureg, "formatter") else None  # type: ignore[union-attr]
# Chemistry units not in pint's default set. "kgw" is one kilogram of solvent water.
ureg.define("kilogram_water = kilogram = kgw")
ureg.define("molal = mole / kilogram = m_")
pint.set_application_registry(ureg)

Quantity = ureg.Quantity
Q_ = ureg.Quantity

# Named dimensions used in config validation: name -> a unit of that dimension.
DIMENSIONS: dict[str, str] = {
    "temperature": "kelvin",
    "pressure": "pascal",
    "length": "meter",
    "area": "meter**2",
    "time": "second",
    "mass": "kilogram",
    "amount": "mole",
    "molality": "mole / kilogram",
    "concentration": "mole / meter**3",
    "mass rate": "kilogram / second",
    "molar rate": "mole / second",
    "volume rate": "meter**3 / second",
    "specific surface area": "meter**2 / kilogram",
    "surface area per water": "meter**2 / kilogram",
    "permeability": "meter**2",
    "velocity": "meter / second",
    "density": "kilogram / meter**3",
    "viscosity": "pascal * second",
    "pressure gradient": "pascal / meter",
    "energy per amount": "joule / mole",
    "rate per area": "mole / meter**2 / second",
    "molar mass": "kilogram / mole",
    "molar volume": "meter**3 / mole",
    "dimensionless": "dimensionless",
    "volume": "meter**3",
    "cost per mass": "1 / kilogram",
    "compressibility": "1 / pascal",
}


def _describe(q: Any) -> str:
    if isinstance(q, pint.Quantity):
        dim = str(q.dimensionality)
        return f"{q:~P} (dimension {dim})"
    return repr(q)


def parse_quantity(
    value: Any,
    dimension: str,
    *,
    key: str | None = None,
    file: str | None = None,
    allow_number: bool = False,
) -> pint.Quantity:
    """Parse ``value`` into a quantity of the given named dimension.

    Parameters
    ----------
    value
        A string such as ``"35 degC"``, a pint quantity, or (with
        ``allow_number`` or for the ``"dimensionless"`` dimension) a number.
    dimension
        A key of :data:`DIMENSIONS` (``"temperature"``, ``"pressure"``, ...).
    key, file
        Where the value came from, for the error message.
    allow_number
        Accept a bare number as a quantity in the dimension's SI unit.

    Raises
    ------
    ConfigError
        When the string does not parse or has another dimensionality.
    """
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension name {dimension!r}")
    target = ureg.Unit(DIMENSIONS[dimension]) if dimension != "cost per mass" else None
    if isinstance(value, bool):
        raise ConfigError(f"expected a {dimension} quantity, found boolean {value!r}", file=file, key=key)
    if isinstance(value, (int, float)):
        if dimension == "dimensionless" or allow_number:
            return Q_(float(value), DIMENSIONS[dimension])
        raise ConfigError(
            f"expected a {dimension} with a unit (e.g. '{_example(dimension)}'), found the bare number {value!r}",
            file=file,
            key=key,
        )
    if isinstance(value, pint.Quantity):
        q = value if value._REGISTRY is ureg else Q_(value.magnitude, str(value.units))
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            raise ConfigError(f"expected a {dimension} quantity, found an empty string", file=file, key=key)
        try:
            q = Q_(text)
        except Exception as exc:  # pint raises several types for bad strings
            raise ConfigError(
                f"cannot read {value!r} as a {dimension} quantity ({type(exc).__name__}: {exc})",
                file=file,
                key=key,
            ) from None
        if not isinstance(q, pint.Quantity):
            q = Q_(float(q), "dimensionless")
    else:
        raise ConfigError(
            f"expected a {dimension} quantity such as '{_example(dimension)}', found {type(value).__name__} {value!r}",
            file=file,
            key=key,
        )
    if target is not None and q.dimensionality != target.dimensionality:
        raise ConfigError(
            f"expected a {dimension} (unit like {_example(dimension)!r}), found {_describe(q)}",
            file=file,
            key=key,
        )
    return q


_EXAMPLES = {
    "temperature": "35 degC",
    "pressure": "25 bar",
    "length": "530 m",
    "area": "1 m^2",
    "time": "2 yr",
    "mass": "175 t",
    "amount": "1 mol",
    "molality": "1.2 mmol/kg",
    "mass rate": "0.07 kg/s",
    "specific surface area": "0.02 m^2/g",
    "surface area per water": "10 m^2/kg",
    "permeability": "5e-11 m^2",
    "energy per amount": "21.5 kJ/mol",
    "rate per area": "1e-10 mol/m^2/s",
    "pressure gradient": "0.16 bar/m",
    "dimensionless": "0.1",
}


def _example(dimension: str) -> str:
    return _EXAMPLES.get(dimension, DIMENSIONS[dimension])


@lru_cache(maxsize=512)
def unit(name: str) -> pint.Unit:
    """The registry's unit for a unit string, parsed once (pint parses ``q.to("mol/kg")``'s string on
    every call, ~0.1 ms). Hot code converts with ``q.to(unit("mol/kg"))``; same numbers as ``q.to("mol/kg")``."""
    return ureg.Unit(name)


_unit = unit  # for the functions below, whose argument is called ``unit``


def magnitude(q: pint.Quantity, unit: str) -> float:
    """Return the magnitude of ``q`` in ``unit`` as a plain float (or array).

    The number ``q.to(unit).magnitude`` gives (pint's own conversion), without parsing ``unit`` again
    or building the converted quantity; conversions of single numbers are remembered.
    """
    m = q.magnitude
    if type(m) is float or type(m) is int:  # exact types: the key must tell 35 from 35.0 (and -0.0 from 0.0)
        return _number_in(m, type(m), math.copysign(1.0, m), q._units, unit)  # the units' container: no Unit built
    return ureg.convert(m, q._units, _unit(unit))


@lru_cache(maxsize=4096)
def _number_in(m: float, kind: type, sign: float, units: Any, unit: str) -> float:
    # scenarios of a study share most of their quantities (the site's water and temperature), and pint
    # takes ~30 us for a conversion with an offset unit (degC to K)
    return ureg.convert(m, units, _unit(unit))


@lru_cache(maxsize=512)
def _unit_suffix(units: Any) -> str:
    # f"{q:~}" of a scalar is the magnitude formatted with an empty spec followed by this text (pint's
    # join of magnitude and unit: "", " m ** 2 / g", " / kg"); read off a quantity of magnitude 1
    return f"{Q_(1, units):~}"[1:]


def quantity_text(q: pint.Quantity, unit: str | None = None) -> str:
    """``f"{q:~}"``, or ``f"{q.to(unit):~}"``, as stored in a Result's context: ``"35 °C"``, ``"0.02 m ** 2 / g"``.

    The same string as pint's formatter, which takes ~40 us per quantity; here the unit's part is
    formatted once per unit. Arrays, and a formatter with a locale, go through pint.
    """
    if unit is None:
        m, units = q.magnitude, q._units
    else:
        m, units = magnitude(q, unit), _unit(unit)._units
    if not isinstance(m, (int, float)) or ureg.formatter.locale is not None:
        return f"{Q_(m, units):~}"
    return format(m, "") + _unit_suffix(units)


def as_quantity(value: Any, unit: str) -> pint.Quantity:
    """Accept a quantity, a string or a number (taken to be in ``unit``) at an API boundary."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Q_(float(value), unit)
    dim_name = next((k for k, v in DIMENSIONS.items() if ureg.Unit(v).dimensionality == ureg.Unit(unit).dimensionality), None)
    if dim_name is None:
        q = Q_(value) if isinstance(value, str) else value
        return q.to(unit)
    return parse_quantity(value, dim_name, allow_number=True).to(unit)
