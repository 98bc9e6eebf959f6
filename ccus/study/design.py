"""Uncertain parameters and study designs (grid, Latin hypercube, Monte Carlo, Morris, Sobol).

A :class:`Parameter` names an experiment value by its key path
(``"rock.minerals.glass.specific_surface_area"``), its unit and its
distribution. A design turns a list of parameters into a matrix of scenarios:
one row per scenario, one column per parameter, values in the parameter's
unit. Sampling designs first draw points in the unit hypercube (with SALib's
samplers, seeded) and map them through each parameter's inverse CDF; those
unit-space points are kept, because the Morris and Sobol analyzers work on
them (elementary effects are then per fraction of the range, comparable
across parameters).

Distributions
-------------
``uniform(low, high)``, ``loguniform(low, high)`` (uniform in log10),
``normal(mean, sd)`` (truncated at the 0.1 and 99.9 percentiles, so that
Morris levels and quasi-random points at 0 or 1 stay finite) and
``triangular(low, mode, high)`` and ``discrete(values)`` (equally likely
values; what a grid sweep over explicit values uses).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ccus.errors import ConfigError, did_you_mean
from ccus.units import Q_

DISTRIBUTIONS = ("uniform", "loguniform", "normal", "triangular", "discrete")
NORMAL_TAIL = 1e-3  # quantile at which a normal distribution is truncated (each side)


def _magnitude(value: Any, unit: str | None, what: str) -> tuple[float, str | None]:
    """Split a quantity / string with unit / number into (magnitude in ``unit``, unit)."""
    import pint

    if isinstance(value, str):
        value = Q_(value)
    if isinstance(value, pint.Quantity):
        if unit is None:
            unit = f"{value.units:~C}" if not value.dimensionless else None
            if value.dimensionless:
                return float(value.to("dimensionless").magnitude), None
        try:
            return float(value.to(unit or "dimensionless").magnitude), unit
        except pint.DimensionalityError:
            raise ConfigError(f"{what}: {value:~P} cannot be expressed in {unit!r}") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(f"{what}: expected a number or a quantity, found {value!r}")
    return float(value), unit


@dataclass(frozen=True)
class Parameter:
    """One uncertain input of a study.

    Parameters
    ----------
    path
        Key path of the value in the experiment (``"experiment.temperature"``) or
        the name of an argument of a generic scenario function.
    distribution
        One of ``uniform``, ``loguniform``, ``normal``, ``triangular``.
    low, high
        Range [``unit``] (uniform, loguniform, triangular).
    mean, sd
        Normal distribution [``unit``].
    mode
        Most likely value of a triangular distribution [``unit``].
    unit
        Unit of the values (``"degC"``, ``"m^2/g"``); None for a pure number.
    """

    path: str
    distribution: str = "uniform"
    low: float | None = None
    high: float | None = None
    mean: float | None = None
    sd: float | None = None
    mode: float | None = None
    unit: str | None = None
    values: tuple[float, ...] | None = None

    def __post_init__(self):
        where = f"parameter {self.path!r}"
        if self.distribution == "discrete":
            if not self.values:
                raise ConfigError(f"{where}: a discrete parameter needs a non-empty list of 'values'")
            object.__setattr__(self, "values", tuple(float(v) for v in self.values))
            return
        if self.distribution not in DISTRIBUTIONS:
            raise ConfigError(f"{where}: unknown distribution {self.distribution!r}"
                              f"{did_you_mean(self.distribution, DISTRIBUTIONS)}; choose from {', '.join(DISTRIBUTIONS)}")
        if self.distribution == "normal":
            if self.mean is None or self.sd is None:
                raise ConfigError(f"{where}: a normal distribution needs 'mean' and 'sd'")
            if not self.sd > 0:
                raise ConfigError(f"{where}: 'sd' must be above 0, found {self.sd:g}")
            return
        if self.low is None or self.high is None:
            raise ConfigError(f"{where}: a {self.distribution} distribution needs 'low' and 'high'")
        if not self.high > self.low:
            raise ConfigError(f"{where}: 'high' ({self.high:g}) must be above 'low' ({self.low:g})")
        if self.distribution == "loguniform" and not self.low > 0:
            raise ConfigError(f"{where}: a loguniform range must be positive, found low = {self.low:g}")
        if self.distribution == "triangular":
            if self.mode is None or not self.low <= self.mode <= self.high:
                raise ConfigError(f"{where}: a triangular distribution needs 'mode' between 'low' and 'high'")

    # -- constructors -------------------------------------------------------
    @classmethod
    def uniform(cls, path: str, low, high, unit: str | None = None) -> Parameter:
        """Uniform between ``low`` and ``high`` (quantities, strings with units or numbers)."""
        lo, unit = _magnitude(low, unit, f"parameter {path!r} low")
        hi, unit = _magnitude(high, unit, f"parameter {path!r} high")
        return cls(path, "uniform", low=lo, high=hi, unit=unit)

    @classmethod
    def loguniform(cls, path: str, low, high, unit: str | None = None) -> Parameter:
        """Uniform in log10 between ``low`` and ``high`` (both > 0)."""
        lo, unit = _magnitude(low, unit, f"parameter {path!r} low")
        hi, unit = _magnitude(high, unit, f"parameter {path!r} high")
        return cls(path, "loguniform", low=lo, high=hi, unit=unit)

    @classmethod
    def normal(cls, path: str, mean, sd, unit: str | None = None) -> Parameter:
        """Normal with ``mean`` and standard deviation ``sd`` (truncated at the 0.1/99.9 percentiles)."""
        mu, unit = _magnitude(mean, unit, f"parameter {path!r} mean")
        s, _ = _magnitude(sd, unit, f"parameter {path!r} sd")  # same unit as the mean (a difference)
        return cls(path, "normal", mean=mu, sd=s, unit=unit)

    @classmethod
    def triangular(cls, path: str, low, mode, high, unit: str | None = None) -> Parameter:
        """Triangular between ``low`` and ``high`` peaking at ``mode``."""
        lo, unit = _magnitude(low, unit, f"parameter {path!r} low")
        mo, unit = _magnitude(mode, unit, f"parameter {path!r} mode")
        hi, unit = _magnitude(high, unit, f"parameter {path!r} high")
        return cls(path, "triangular", low=lo, high=hi, mode=mo, unit=unit)

    @classmethod
    def discrete(cls, path: str, values, unit: str | None = None) -> Parameter:
        """Equally likely ``values`` (quantities, strings with units or numbers)."""
        mags = []
        for v in values:
            m, unit = _magnitude(v, unit, f"parameter {path!r} value")
            mags.append(m)
        return cls(path, "discrete", values=tuple(mags), unit=unit)

    # -- mapping ------------------------------------------------------------
    def from_unit(self, u) -> np.ndarray:
        """Map points ``u`` in [0, 1] to values [``unit``] by the inverse CDF."""
        u = np.clip(np.asarray(u, dtype=float), 0.0, 1.0)
        d = self.distribution
        if d == "discrete":
            idx = np.minimum((u * len(self.values)).astype(int), len(self.values) - 1)
            return np.asarray(self.values, dtype=float)[idx]
        if d == "uniform":
            return self.low + u * (self.high - self.low)
        if d == "loguniform":
            lo, hi = math.log10(self.low), math.log10(self.high)
            return 10.0 ** (lo + u * (hi - lo))
        if d == "normal":
            from scipy.stats import norm

            return norm.ppf(NORMAL_TAIL + u * (1 - 2 * NORMAL_TAIL), loc=self.mean, scale=self.sd)
        from scipy.stats import triang

        c = (self.mode - self.low) / (self.high - self.low)
        return triang.ppf(u, c, loc=self.low, scale=self.high - self.low)

    def levels(self, n: int) -> np.ndarray:
        """``n`` evenly spaced values in unit space (both ends included) [``unit``]; all values if discrete."""
        if self.distribution == "discrete":
            return np.asarray(self.values, dtype=float)
        return self.from_unit(np.linspace(0.0, 1.0, n)) if n > 1 else self.from_unit([0.5])

    @property
    def column(self) -> str:
        """Column name ``"path [unit]"`` used in study frames."""
        return f"{self.path} [{self.unit or '-'}]"

    def override_value(self, x: float):
        """The value an experiment file would hold: ``"50.0 degC"`` or a plain number."""
        return f"{float(x)!r} {self.unit}" if self.unit else float(x)

    def to_dict(self) -> dict:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items() if v is not None}


def _problem(params: list[Parameter]) -> dict:
    """SALib problem in the unit hypercube (we apply the distributions ourselves)."""
    return {"num_vars": len(params), "names": [p.path for p in params], "bounds": [[0.0, 1.0]] * len(params)}


@dataclass(frozen=True)
class Design:
    """A design: how many scenarios and where. Subclasses set ``kind``."""

    kind = "design"

    def unit_points(self, params: list[Parameter]) -> np.ndarray | None:  # pragma: no cover - abstract
        raise NotImplementedError

    def matrix(self, params: list[Parameter]) -> tuple[np.ndarray, np.ndarray | None]:
        """(values [n, k] in parameter units, unit-space points [n, k] or None)."""
        if not params:
            raise ConfigError("a study needs at least one parameter")
        paths = [p.path for p in params]
        dupes = {p for p in paths if paths.count(p) > 1}
        if dupes:
            raise ConfigError(f"parameter {sorted(dupes)[0]!r} is given twice")
        u = self.unit_points(params)
        values = np.column_stack([p.from_unit(u[:, j]) for j, p in enumerate(params)])
        return values, u

    def settings(self) -> dict:
        return {"kind": self.kind, **{k: v for k, v in self.__dict__.items()}}


@dataclass(frozen=True)
class Grid(Design):
    """Full factorial grid.

    ``values`` gives explicit values per path (in the parameter's unit);
    parameters without explicit values get ``levels`` evenly spaced values in
    unit space (both ends of the range included).
    """

    levels: int = 3
    values: dict[str, list[float]] = field(default_factory=dict)
    kind = "grid"

    def matrix(self, params):
        axes = []
        for p in params:
            if p.path in self.values:
                axes.append(np.asarray(self.values[p.path], dtype=float))
            else:
                axes.append(p.levels(self.levels))
        values = np.array(list(itertools.product(*axes)), dtype=float).reshape(-1, len(params))
        return values, None


@dataclass(frozen=True)
class LatinHypercube(Design):
    """Latin hypercube sample of ``n`` scenarios (SALib ``sample.latin``)."""

    n: int = 100
    seed: int = 0
    kind = "lhs"

    def unit_points(self, params):
        from SALib.sample import latin

        return latin.sample(_problem(params), self.n, seed=self.seed)


@dataclass(frozen=True)
class MonteCarlo(Design):
    """Plain Monte Carlo sample of ``n`` scenarios (numpy ``default_rng(seed)``)."""

    n: int = 100
    seed: int = 0
    kind = "montecarlo"

    def unit_points(self, params):
        return np.random.default_rng(self.seed).random((self.n, len(params)))


@dataclass(frozen=True)
class Morris(Design):
    """Morris elementary-effects screening: ``trajectories`` x (k + 1) scenarios (SALib)."""

    trajectories: int = 10
    num_levels: int = 4
    seed: int = 0
    kind = "morris"

    def unit_points(self, params):
        from SALib.sample import morris

        return morris.sample(_problem(params), self.trajectories, num_levels=self.num_levels, seed=self.seed)


@dataclass(frozen=True)
class Sobol(Design):
    """Saltelli/Sobol sample: ``n`` x (k + 2) scenarios, or ``n`` x (2k + 2) with ``second_order``.

    ``n`` should be a power of 2 (Sobol sequence balance properties).
    """

    n: int = 256
    second_order: bool = False
    seed: int = 0
    kind = "sobol"

    def __post_init__(self):
        if self.n < 2 or self.n & (self.n - 1):
            raise ConfigError(f"Sobol design: n must be a power of 2, found {self.n}")

    def unit_points(self, params):
        import warnings

        from SALib.sample import sobol

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return sobol.sample(_problem(params), self.n, calc_second_order=self.second_order, seed=self.seed)


DESIGNS = {"grid": Grid, "lhs": LatinHypercube, "montecarlo": MonteCarlo, "morris": Morris, "sobol": Sobol}


def design_from_settings(settings: dict) -> Design:
    """Rebuild a design from :meth:`Design.settings` (as stored in a study file)."""
    s = dict(settings)
    kind = s.pop("kind")
    return DESIGNS[kind](**s)
