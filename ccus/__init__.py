"""ccus: CarbFix-style CO2 mineralisation in basalt.

Public API (imports of the heavy parts happen on first use, so that
``import ccus`` stays fast):

- :func:`load_experiment` (path) -> :class:`ccus.config.Experiment`
- :func:`run` (experiment or path, engine=...) -> :class:`ccus.result.Result`
- :func:`load_result` (path) -> :class:`ccus.result.Result`
- :func:`report` (result or path, ...) -> path of the HTML/PDF report
- :func:`compare` ([results or paths], weights=...) -> pandas DataFrame
- :func:`speciate`, :func:`co2_solubility`
"""

from __future__ import annotations

from ccus.errors import CcusError, ConfigError, EngineError, StoreError

__version__ = "0.1.0"

__all__ = [
    "CcusError",
    "ConfigError",
    "EngineError",
    "StoreError",
    "__version__",
    "load_experiment",
    "load_result",
    "run",
    "speciate",
    "co2_solubility",
    "report",
    "compare",
]


def load_experiment(path, *, engine: str | None = None, overrides: dict | None = None):
    """Load and validate an experiment config (TOML) into an ``Experiment``.

    ``engine`` overrides the file's engine; ``overrides`` maps key paths to values
    (``{"experiment.temperature": "40 degC"}``), see :func:`ccus.config.experiment.load_experiment`.
    """
    from ccus.config.experiment import load_experiment as _load

    return _load(path, engine=engine, overrides=overrides)


def run(experiment, engine: str | None = None, progress: bool = False):
    """Run an experiment (object or path to its TOML) and return a ``Result``."""
    from ccus.engines import run as _run

    return _run(experiment, engine=engine, progress=progress)


def load_result(path):
    """Load a ``Result`` written by ``Result.save``."""
    from ccus.result.store import load_result as _load

    return _load(path)


def speciate(solution, **kwargs):
    """Native speciation of a water (see :func:`ccus.chemistry.speciation.speciate`)."""
    from ccus.chemistry.api import speciate as _speciate

    return _speciate(solution, **kwargs)


def co2_solubility(temperature, pressure, salinity=0.0):
    """CO2 solubility in water / NaCl brine by Duan & Sun (2003) [mol/kg]."""
    from ccus.injection.solubility import co2_solubility as _sol

    return _sol(temperature, pressure, salinity=salinity)


def report(result_or_path, output=None, format="html", figures=None, criteria=None, study=None):
    """Write a pilot-feasibility report (HTML or PDF) from a Result or store; return its path.

    See :func:`ccus.reporting.report`.
    """
    from ccus.reporting import report as _report

    return _report(result_or_path, output=output, format=format, figures=figures, criteria=criteria, study=study)


def compare(results, weights=None, criteria=None):
    """Compare sites from Results or stores: a DataFrame with sites as columns, criteria as rows.

    See :func:`ccus.reporting.comparison.compare`.
    """
    from ccus.reporting.comparison import compare as _compare

    return _compare(results, weights=weights, criteria=criteria)
