"""Outputs of interest: the numbers a study keeps from each run.

An output is named by a short phrase, parsed once:

- ``"fraction mineralised at 1 yr"``: mineralised fraction at a time [-]
  (NaN when the time is after the end of the run);
- ``"fraction mineralised (end)"``: at the end of the run [-];
- ``"t90"`` (any ``tNN``): time to NN % mineralised [d] (NaN if not reached);
- ``"final <series>"``, ``"min <series>"``, ``"max <series>"``: the last,
  smallest or largest value of a result series (``"final pH"``,
  ``"max Calcite amount"``) in the series' unit;
- ``"series <series>"``: the whole series over time (``"series fraction
  mineralised"``), stored per scenario for uncertainty bands
  (:meth:`ccus.study.Study.band`); not a scalar column of the frame.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from ccus.errors import ConfigError
from ccus.units import Q_

DEFAULT_OUTPUTS = ("fraction mineralised at 1 yr", "fraction mineralised (end)", "t90", "final pH")
_AT = re.compile(r"^fraction mineralised at (.+)$")
_T = re.compile(r"^t(\d{1,2}(?:\.\d+)?)$")
_STAT = re.compile(r"^(final|min|max|series) (.+)$")


@dataclass(frozen=True)
class Output:
    """A parsed output of interest: ``name``, ``kind`` and its argument."""

    name: str
    kind: str
    arg: float | str | None = None

    @classmethod
    def parse(cls, name: str, *, file: str | None = None, key: str | None = None) -> Output:
        if not isinstance(name, str):
            raise ConfigError(f"expected an output name such as 't90', found {name!r}", file=file, key=key)
        text = " ".join(name.split())
        if text in ("fraction mineralised (end)", "final fraction mineralised"):
            return cls(text, "final", "fraction mineralised")
        m = _AT.match(text)
        if m:
            try:
                t = Q_(m.group(1)).to("s").magnitude
            except Exception:
                raise ConfigError(f"output {name!r}: cannot read the time {m.group(1)!r} (expected e.g. '1 yr')",
                                  file=file, key=key) from None
            return cls(text, "fraction_at", float(t))
        m = _T.match(text)
        if m:
            frac = float(m.group(1)) / 100.0
            if not 0 < frac <= 1:
                raise ConfigError(f"output {name!r}: the fraction must be in (0, 100] %", file=file, key=key)
            return cls(text, "time_to_fraction", frac)
        m = _STAT.match(text)
        if m:
            return cls(text, m.group(1), m.group(2))
        raise ConfigError(
            f"unknown output {name!r}; expected 'fraction mineralised at <time>', 'fraction mineralised (end)', "
            "'t<NN>' (e.g. 't90'), 'final|min|max <series>' (e.g. 'final pH') or 'series <series>'",
            file=file, key=key,
        )

    @property
    def is_series(self) -> bool:
        return self.kind == "series"

    def _series(self, result):
        if self.arg not in result.series:
            raise ConfigError(f"output {self.name!r}: the result has no series {self.arg!r}; "
                              f"series: {', '.join(result.series)}")
        return result.series[self.arg]

    def evaluate_series(self, result) -> dict:
        """``{"t": times [d], "v": values, "unit": unit}`` of a ``series`` output (plain lists)."""
        q = self._series(result)
        return {"t": [float(x) for x in result.time.to("day").magnitude],
                "v": [float(x) for x in np.asarray(q.magnitude, dtype=float)], "unit": f"{q.units:~P}" or "-"}

    def evaluate(self, result) -> tuple[float, str]:
        """(value, unit) of this (scalar) output for a :class:`~ccus.result.Result`."""
        if self.kind == "fraction_at":
            f = result.fraction_at(Q_(self.arg, "s"))
            return (math.nan if f is None else float(f.magnitude)), "-"
        if self.kind == "time_to_fraction":
            t = result.time_to_fraction(self.arg)
            return (math.nan if t is None else float(t.to("day").magnitude)), "d"
        q = self._series(result)
        unit = f"{q.units:~P}" or "-"
        mag = np.asarray(q.magnitude, dtype=float)
        value = {"final": mag[-1], "min": np.nanmin(mag), "max": np.nanmax(mag)}[self.kind]
        return float(value), unit
