"""Input handling shared by the injection modules (quantities in, floats out).

Public functions of :mod:`ccus.injection` accept pint quantities, strings such
as ``"35 degC"`` or ``"25 bar"``, plain numbers (taken to be in the documented
unit) and numpy arrays (of numbers, in the documented unit). They convert once,
here, to plain float arrays and check them against the model's validity range.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pint

from ccus.errors import ConfigError
from ccus.units import Q_, ureg


def to_array(value: Any, unit: str, name: str) -> np.ndarray:
    """Return ``value`` as a float ndarray in ``unit``.

    Parameters
    ----------
    value
        A pint quantity (scalar or array), a string such as ``"35 degC"``, a
        number or a sequence / ndarray of numbers (taken to be in ``unit``).
    unit
        Target unit (``"K"``, ``"bar"``, ``"mol/kg"``, ...).
    name
        Name of the input, for error messages.

    Raises
    ------
    ConfigError
        When the value does not parse, has the wrong dimension or is not finite.
    """
    target = ureg.Unit(unit)
    try:
        if isinstance(value, bool):
            raise TypeError("boolean")
        if isinstance(value, pint.Quantity):
            q = value if value._REGISTRY is ureg else Q_(value.magnitude, str(value.units))
            arr = np.asarray(q.to(target).magnitude, dtype=float)
        elif isinstance(value, str):
            text = value.strip()
            q = Q_(text)
            if not isinstance(q, pint.Quantity):
                q = Q_(float(q), "dimensionless")
            arr = np.asarray(q.to(target).magnitude, dtype=float)
        else:
            arr = np.asarray(value, dtype=float)
    except pint.DimensionalityError:
        raise ConfigError(
            f"{name}: expected a quantity convertible to {unit!r}, found {value!r}"
        ) from None
    except Exception as exc:  # pint / numpy raise several types for bad input
        raise ConfigError(
            f"{name}: cannot read {value!r} as a quantity in {unit!r} ({type(exc).__name__}: {exc})"
        ) from None
    if not np.all(np.isfinite(arr)):
        raise ConfigError(f"{name}: expected finite numbers, found {value!r}")
    return arr


def check_range(arr: np.ndarray, lo: float, hi: float, unit: str, name: str, model: str) -> None:
    """Raise :class:`ConfigError` if any element of ``arr`` lies outside [lo, hi].

    The message names the input, the model's range and the offending value.
    """
    bad = (arr < lo) | (arr > hi)
    if np.any(bad):
        first = float(np.asarray(arr)[bad].flat[0])
        count = int(np.count_nonzero(bad))
        extra = f" ({count} values outside)" if count > 1 else ""
        raise ConfigError(
            f"{name} = {first:g} {unit} is outside the validity range of {model}: "
            f"{lo:g} to {hi:g} {unit}{extra}; no extrapolated value is returned"
        )


def as_output(arr: np.ndarray, unit: str) -> pint.Quantity:
    """Wrap a result array (0-d arrays become Python floats) as a quantity."""
    arr = np.asarray(arr, dtype=float)
    return Q_(float(arr) if arr.ndim == 0 else arr, unit)
