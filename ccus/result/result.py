"""The :class:`Result` of a run: time series with units and provenance.

One schema for every engine. Series are pint quantities on the ``time`` axis;
standard names: ``pH``, ``DIC``, element totals ``Ca`` ``Mg`` ``Fe`` ``Si``
``Al`` ``Na`` ``K`` ``S`` ``C`` [mol/kg water], ``water mass`` [kg],
``<mineral> amount`` [mol] for every kinetic or equilibrium mineral,
``carbon in carbonates`` [mol] (carbon held in carbonate minerals formed) and
``fraction mineralised`` [-] (carbon in carbonates / carbon injected).

Transport runs also carry ``profiles``: ``name -> quantity array`` of shape
``(n_time, n_cells)`` on the ``time`` axis and the ``cells`` axis (cell-centre
distance from the inlet or the well axis [m]). Standard profile names:
``<Mineral> amount`` [mol per cell], ``pH`` [-], ``pore water`` [kg per cell]
and element totals ``<El> total`` [mol/kg water].
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pint

from ccus.units import Q_

SUMMARY_FRACTIONS = (0.5, 0.9, 0.95)
SECONDS_PER_YEAR = 365.25 * 86400.0


@dataclass
class Result:
    """Output of one run.

    Attributes
    ----------
    name
        Experiment name.
    time
        Output times [s] as a quantity array (time zero first).
    series
        ``name -> quantity array`` of the same length as ``time``.
    carbon_injected
        Carbon added with the injected gas [mol].
    minerals
        ``mineral name -> {"role": "primary"|"secondary"|"equilibrium", "carbon": nC, "elements": {...}}``.
    provenance
        Metadata: ccus version, git revision, config text and sha256,
        database name and sha256, engine and versions, solver settings,
        UTC timestamps.
    context
        What was modelled, for reports built from the store alone: ``experiment``
        (kind, duration, temperature, pressure, water and rock mass), ``site``
        (name, location, depth, temperature, pressure, porosity, permeability,
        thickness, fracture gradient, assumed keys), ``rock`` (name, minerals
        with mass fraction and surface area), ``charge`` (gas composition,
        water:gas ratio, gas per kg water). Quantities are strings with units
        (``"530 m"``), readable with ``ccus.units.Q_``.
    profiles
        Transport runs only: ``name -> quantity array`` of shape
        ``(n_time, n_cells)``; ``<Mineral> amount`` [mol per cell], ``pH``
        [-], ``pore water`` [kg per cell], ``<El> total`` [mol/kg water].
    cells
        Transport runs only: cell-centre distance from the inlet (linear) or
        the well axis (radial) [m], shape ``(n_cells,)``; None otherwise.
    """

    name: str
    time: pint.Quantity
    series: dict[str, pint.Quantity]
    carbon_injected: pint.Quantity
    minerals: dict[str, dict[str, Any]] = field(default_factory=dict)
    provenance: dict[str, Any] = field(default_factory=dict)
    context: dict[str, Any] = field(default_factory=dict)
    profiles: dict[str, pint.Quantity] = field(default_factory=dict)
    cells: pint.Quantity | None = None

    def __post_init__(self):
        n = len(self.time)
        for k, v in self.series.items():
            if len(v) != n:
                raise ValueError(f"series {k!r} has {len(v)} values, time has {n}")
        if self.profiles and self.cells is None:
            raise ValueError("profiles need the cells axis (cell-centre distances [m])")
        if self.cells is not None:
            nc = len(self.cells)
            for k, v in self.profiles.items():
                shape = np.shape(v.magnitude)
                if shape != (n, nc):
                    raise ValueError(f"profile {k!r} has shape {shape}, expected (n_time, n_cells) = ({n}, {nc})")

    # -- access -----------------------------------------------------------
    def __getitem__(self, name: str) -> pint.Quantity:
        return self.series[name]

    @property
    def mineralised_fraction(self) -> pint.Quantity:
        """Carbon in carbonate minerals formed / carbon injected [-], over time."""
        return self.series["fraction mineralised"].to("dimensionless")

    @property
    def frame(self):
        """A pandas DataFrame indexed by time [d], columns ``"name [unit]"``."""
        import pandas as pd

        data = {"time [d]": self.time.to("day").magnitude}
        for k, v in self.series.items():
            unit = f"{v.units:~P}" or "-"
            data[f"{k} [{unit}]"] = np.asarray(v.magnitude)
        return pd.DataFrame(data).set_index("time [d]")

    def time_to_fraction(self, fraction: float) -> pint.Quantity | None:
        """First time [d] at which the mineralised fraction reaches ``fraction`` (linear interpolation)."""
        f = np.asarray(self.mineralised_fraction.magnitude)
        t = self.time.to("day").magnitude
        idx = np.nonzero(f >= fraction)[0]
        if len(idx) == 0:
            return None
        i = idx[0]
        if i == 0:
            return Q_(t[0], "day")
        t_cross = t[i - 1] + (fraction - f[i - 1]) * (t[i] - t[i - 1]) / (f[i] - f[i - 1])
        return Q_(t_cross, "day")

    def fraction_at(self, when: pint.Quantity) -> pint.Quantity | None:
        """Mineralised fraction at time ``when`` (linear interpolation), or None if out of range."""
        t = self.time.to("s").magnitude
        w = when.to("s").magnitude
        if w < t[0] or w > t[-1] * (1 + 1e-9):
            return None
        return Q_(float(np.interp(w, t, self.mineralised_fraction.magnitude)), "dimensionless")

    def summary(self) -> dict[str, Any]:
        """Headline numbers: final pH and fraction, fraction at 1 and 2 years, t50/t90/t95."""
        out: dict[str, Any] = {
            "duration": self.time[-1].to("day"),
            "final pH": Q_(float(self.series["pH"].magnitude[-1]), "dimensionless"),
            "fraction mineralised (end)": Q_(float(self.mineralised_fraction.magnitude[-1]), "dimensionless"),
            "carbon injected": self.carbon_injected.to("mol"),
        }
        for years in (1, 2, 5):
            f = self.fraction_at(Q_(years * SECONDS_PER_YEAR, "s"))
            if f is not None:
                out[f"fraction mineralised at {years} yr"] = f
        for frac in SUMMARY_FRACTIONS:
            t = self.time_to_fraction(frac)
            out[f"t{int(round(frac * 100))}"] = t if t is not None else "not reached"
        return out

    def save(self, path) -> None:
        """Write to HDF5 atomically (see :func:`ccus.result.store.save_result`)."""
        from ccus.result.store import save_result

        save_result(self, path)

    def equals(self, other: Result, rtol: float = 0.0) -> bool:
        """True if both hold the same series, units and metadata."""
        if self.name != other.name or set(self.series) != set(other.series):
            return False
        if set(self.profiles) != set(other.profiles) or (self.cells is None) != (other.cells is None):
            return False
        if self.provenance != other.provenance or self.minerals != other.minerals or self.context != other.context:
            return False
        pairs = [(self.time, other.time), (self.carbon_injected, other.carbon_injected)]
        pairs += [(self.series[k], other.series[k]) for k in self.series]
        pairs += [(self.profiles[k], other.profiles[k]) for k in self.profiles]
        if self.cells is not None:
            pairs.append((self.cells, other.cells))
        for a, b in pairs:
            if np.shape(a.magnitude) != np.shape(b.magnitude):
                return False
            if a.units != b.units or not np.allclose(a.magnitude, b.magnitude, rtol=rtol, atol=0):
                return False
        return True
