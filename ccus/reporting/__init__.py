"""Pilot-feasibility reports and site comparisons, built from result stores (never re-running a model).

- :func:`report` (result or store path) -> the path of an HTML or PDF report
- :func:`compare` (results or store paths, weights) -> pandas DataFrame, sites as columns
- :mod:`ccus.reporting.criteria`: the feasibility criteria, thresholds and cost model
- :mod:`ccus.reporting.figures`: the figures as matplotlib Figures or PNG files

See ``docs/reports.md`` for how to read a report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["report", "compare"]

FORMATS = ("html", "pdf")


def default_output(result_or_path, format: str = "html") -> Path:
    """``<store stem>_report.<format>`` next to the store, or ``<result name>_report.<format>`` here."""
    if isinstance(result_or_path, (str, Path)):
        p = Path(result_or_path)
        return p.with_name(f"{p.stem}_report.{format}")
    return Path(f"{result_or_path.name}_report.{format}")


def report(result_or_path, output=None, format: str = "html", figures=None, criteria: Any = None,
           study: Any = None) -> Path:
    """Write the pilot-feasibility report of a stored result; return the report's path.

    Parameters
    ----------
    result_or_path
        A :class:`~ccus.result.result.Result` or the path of its HDF5 store.
    output
        Report file; default ``<store stem>_report.html`` (or ``.pdf``) next to the store.
    format
        ``"html"`` (one self-contained file, figures embedded) or ``"pdf"``.
    figures
        Optional folder: also write every figure there as PNG.
    criteria
        Thresholds: None (defaults), a dict, or a TOML file with a ``[criteria]`` table.
    study
        Optional parameter study for P10/P50/P90 bands: a pandas DataFrame of
        per-scenario fraction curves (index time [d], one column per scenario,
        fraction mineralised [-]), a :class:`ccus.study.Study` or a study file that
        kept the output ``"series fraction mineralised"``.
    """
    from ccus.errors import ConfigError
    from ccus.reporting import _data as D

    if format not in FORMATS:
        raise ConfigError(f"unknown report format {format!r}; choose one of {', '.join(FORMATS)}")
    source = str(result_or_path) if isinstance(result_or_path, (str, Path)) else None
    result = D.as_result(result_or_path)
    from ccus.reporting.figures import study_curves

    study = study_curves(study)
    output = Path(output) if output is not None else default_output(result_or_path, format)
    if format == "pdf":
        from ccus.reporting.pdf import write_pdf

        write_pdf(result, output, criteria=criteria, study=study, source=source)
    else:
        from ccus.reporting.html import render_html

        text = render_html(result, criteria=criteria, study=study, source=source)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    if figures is not None:
        from ccus.reporting.figures import save_figures

        save_figures(result, figures, study=study)
    return output


def compare(results, weights: Any = None, criteria: Any = None):
    """Compare sites (see :func:`ccus.reporting.comparison.compare`); returns a pandas DataFrame."""
    from ccus.reporting.comparison import compare as _compare

    return _compare(results, weights=weights, criteria=criteria)
