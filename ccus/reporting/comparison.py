"""Side-by-side comparison of pilot sites from stored results, ranked by weighted criteria.

:func:`compare` returns a pandas DataFrame with one column per site and one row
per feasibility criterion (see :mod:`ccus.reporting.criteria`), plus the weighted
score and the rank. The numbers behind it are in ``frame.attrs``:
``weights`` (criterion -> weight), ``scores`` (criterion x site, [0, 1] or NaN
when not evaluated), ``status``, ``warnings`` (e.g. results from different
engines or databases, which are not like-for-like).

Ranking: a site's score is the weighted mean of its criterion scores over the
criteria that could be evaluated for it; rank 1 is best. A criterion that is
evaluated for some sites but not others is flagged in ``warnings``.

A comparison file (``experiments/sites.toml``) lists experiment configs and
weights; :func:`compare_file` runs the experiments whose stores are missing or
stale (config changed) and saves them next to that file.
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from typing import Any

from ccus.errors import ConfigError, did_you_mean
from ccus.reporting import _data as D
from ccus.reporting import criteria as C

DEFAULT_WEIGHTS = {k: 1.0 for k in C.ORDER}
SCORE_ROW, RANK_ROW = "weighted score [0-1]", "rank (1 = best)"


# -- weights ----------------------------------------------------------------------
def load_weights(source: Any = None, file: str | None = None) -> dict[str, float]:
    """Weights per criterion: defaults (1 each) updated from a dict or a TOML file's ``[weights]`` table."""
    w = dict(DEFAULT_WEIGHTS)
    if source is None:
        return w
    if isinstance(source, (str, Path)):
        file = str(source)
        data = _read_toml(source)
        if "weights" not in data:
            raise ConfigError("expected a [weights] table", file=file)
        source = data["weights"]
    if not isinstance(source, dict):
        raise ConfigError(f"expected a table of criterion = weight, found {source!r}", file=file, key="weights")
    for k, v in source.items():
        if k not in w:
            raise ConfigError(f"unknown criterion {k!r}{did_you_mean(k, w)}; known: {', '.join(w)}", file=file,
                              key="weights")
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0:
            raise ConfigError(f"expected a weight >= 0, found {v!r}", file=file, key=f"weights.{k}")
        w[k] = float(v)
    if sum(w.values()) <= 0:
        raise ConfigError("at least one weight must be > 0", file=file, key="weights")
    return w


def format_weights(weights: dict[str, float]) -> str:
    """One line per criterion: label, weight and share of the total."""
    total = sum(weights.values())
    width = max(len(C.LABELS[k]) for k in weights)
    lines = ["weights (criterion: weight, share)"]
    for k, v in weights.items():
        lines.append(f"  {C.LABELS[k].ljust(width)}  {v:g}  ({100 * v / total:.0f} %)")
    return "\n".join(lines)


def _read_toml(path) -> dict:
    try:
        return tomllib.loads(Path(path).read_text())
    except FileNotFoundError:
        raise ConfigError("file not found", file=str(path)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"TOML syntax error: {exc}", file=str(path)) from None


# -- the comparison ---------------------------------------------------------------
def _column_names(results) -> list[str]:
    names = [(r.context.get("site") or {}).get("name") or r.name for r in results]
    out = []
    for name, r in zip(names, results, strict=True):
        col = name if names.count(name) == 1 else f"{name} ({r.name})"
        while col in out:
            col += "'"
        out.append(col)
    return out


def provenance_warnings(results, columns) -> list[str]:
    """Flags for results that are not like-for-like: engines, databases or database contents differ."""
    warns = []
    for key, what in (("engine", "engines"), ("database", "databases"), ("database_sha256", "database files"),
                      ("ccus_version", "ccus versions")):
        vals = {c: str(r.provenance.get(key, "?")) for c, r in zip(columns, results, strict=True)}
        if len(set(vals.values())) > 1:
            detail = ", ".join(f"{c}: {v[:12] if key.endswith('sha256') else v}" for c, v in vals.items())
            warns.append(f"results come from different {what} ({detail}); differences between sites may come "
                         "from the model, not the site")
    kinds = {c: (r.context.get("experiment") or {}).get("kind", "?") for c, r in zip(columns, results, strict=True)}
    if len(set(kinds.values())) > 1:
        warns.append("results are of different kinds (" + ", ".join(f"{c}: {k}" for c, k in kinds.items()) + ")")
    return warns


def compare(results, weights: Any = None, criteria: Any = None):
    """Compare sites from stored results.

    Parameters
    ----------
    results
        Result objects and/or store paths (a single ``.toml`` path is read as a
        comparison file, see :func:`compare_file`).
    weights
        ``criterion -> weight`` (>= 0), or a TOML file with a ``[weights]`` table;
        default 1 for every criterion. Criteria: ``mineralisation_time``,
        ``water``, ``pressure_margin``, ``clogging``, ``storage_rate``, ``cost``.
    criteria
        Thresholds (see :func:`ccus.reporting.criteria.load_criteria`).

    Returns
    -------
    pandas.DataFrame
        Sites as columns; rows: simulated time, fraction mineralised at the end,
        one row per criterion (``"value [status]"``), weighted score, rank,
        engine and database. ``attrs`` hold ``weights``, ``scores``, ``status``,
        ``warnings`` and ``results`` (the loaded Results, by column).
    """
    if isinstance(results, (str, Path)) and str(results).endswith(".toml"):
        return compare_file(results, weights=weights, criteria=criteria)
    if isinstance(results, (str, Path)) or not hasattr(results, "__iter__"):
        results = [results]
    loaded = [D.as_result(r) for r in results]
    if not loaded:
        raise ConfigError("nothing to compare: give at least one result")
    import numpy as np
    import pandas as pd

    w = load_weights(weights)
    crit = C.load_criteria(criteria) if not C._is_loaded(criteria) else criteria
    cols = _column_names(loaded)
    verdicts = {c: {v.key: v for v in (C.EVALUATORS[k](r, crit) for k in C.ORDER)} for c, r in zip(cols, loaded, strict=True)}

    scores = pd.DataFrame({c: [verdicts[c][k].score if verdicts[c][k].score is not None else np.nan for k in C.ORDER]
                           for c in cols}, index=list(C.ORDER), dtype=float)
    status = pd.DataFrame({c: [verdicts[c][k].status for k in C.ORDER] for c in cols}, index=list(C.ORDER))
    wv = pd.Series(w).reindex(C.ORDER)
    weighted = {}
    for c in cols:
        ok = scores[c].notna() & (wv > 0)
        weighted[c] = float((scores[c][ok] * wv[ok]).sum() / wv[ok].sum()) if ok.any() else np.nan
    wseries = pd.Series(weighted)
    rank = wseries.rank(ascending=False, method="min")

    rows: dict[str, list[str]] = {}
    rows["simulated"] = [D.fmt_days(D.duration_days(r)) for r in loaded]
    rows["fraction mineralised at end"] = [D.fmt_pct(float(r.mineralised_fraction.magnitude[-1])) for r in loaded]
    for k in C.ORDER:
        label = verdicts[cols[0]][k].label if k == "mineralisation_time" else C.LABELS[k]
        rows[f"{label} (weight {w[k]:g})"] = [
            f"{verdicts[c][k].text} [{verdicts[c][k].status}]" if verdicts[c][k].status != C.NOT_EVALUATED
            else "not evaluated" for c in cols]
    rows[SCORE_ROW] = ["–" if math.isnan(weighted[c]) else f"{weighted[c]:.3f}" for c in cols]
    rows[RANK_ROW] = ["–" if math.isnan(rank[c]) else str(int(rank[c])) for c in cols]
    rows["engine"] = [str(r.provenance.get("engine", "?")) for r in loaded]
    rows["database"] = [str(r.provenance.get("database", "?")) for r in loaded]
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=cols)
    frame.index.name = "criterion"

    warns = provenance_warnings(loaded, cols)
    for k in C.ORDER:
        ev = status.loc[k] != C.NOT_EVALUATED
        if ev.any() and not ev.all():
            missing = ", ".join(c for c in cols if not ev[c])
            why = "; ".join(sorted({verdicts[c][k].note for c in cols if not ev[c]}))
            warns.append(f"{C.LABELS[k]} is not evaluated for {missing} ({why}): ranked without it")
    notes = {k: {c: verdicts[c][k].note for c in cols} for k in C.ORDER}
    frame.attrs.update(notes=notes, weights=w, scores=scores, weighted_score=wseries, rank=rank, status=status, warnings=warns,
                       results=dict(zip(cols, loaded, strict=True)))
    return frame


def ranking(frame) -> list[str]:
    """Site columns from best to worst."""
    return list(frame.attrs["weighted_score"].sort_values(ascending=False, kind="stable").index)


def format_frame(frame) -> str:
    """The comparison as plain text for the terminal: table, weights, ranking and warnings."""
    import pandas as pd

    with pd.option_context("display.width", 250, "display.max_columns", 50, "display.max_colwidth", 48):
        text = [frame.to_string(), "", format_weights(frame.attrs["weights"]), "",
                "ranking: " + " > ".join(ranking(frame))]
    for w in frame.attrs.get("warnings", []):
        text.append(f"warning: {w}")
    return "\n".join(text)


# -- comparison files ----------------------------------------------------------------
COMPARE_KEYS = {"title", "experiments", "results", "note"}


def compare_file(path, weights: Any = None, criteria: Any = None, run: bool = True, log=print):
    """Compare the experiments listed in a comparison file (TOML).

    Format::

        [compare]
        title = "..."
        experiments = ["carbfix1_batch.toml", ...]   # relative to this file
        results = "."                                 # folder of the stores (default: this file's folder)

        [weights]        # optional, see load_weights
        [criteria.*]     # optional thresholds, see ccus.reporting.criteria

    A store ``<results>/<experiment file stem>.h5`` is used when it exists and
    its config hash matches the experiment; otherwise the experiment is run
    with ``ccus.run`` and saved there (only when ``run`` is true). Explicit
    ``weights`` / ``criteria`` arguments override the file's tables.
    """
    import ccus
    from ccus.errors import StoreError

    path = Path(path)
    data = _read_toml(path)
    sec = data.get("compare")
    if not isinstance(sec, dict):
        raise ConfigError("expected a [compare] table with 'experiments'", file=str(path))
    unknown = set(sec) - COMPARE_KEYS
    if unknown:
        k = sorted(unknown)[0]
        raise ConfigError(f"unknown key {k!r}{did_you_mean(k, COMPARE_KEYS)}", file=str(path), key="compare")
    exps = sec.get("experiments")
    if not isinstance(exps, list) or not exps or not all(isinstance(e, str) for e in exps):
        raise ConfigError(f"expected a list of experiment files, found {exps!r}", file=str(path),
                          key="compare.experiments")
    extra = set(data) - {"compare", "weights", "criteria"}
    if extra:
        k = sorted(extra)[0]
        raise ConfigError(f"unknown table [{k}]{did_you_mean(k, ['compare', 'weights', 'criteria'])}",
                          file=str(path))
    base = path.parent
    folder = base / sec.get("results", ".")
    stores = []
    for i, e in enumerate(exps):
        exp_path = base / e
        if not exp_path.exists():
            raise ConfigError(f"experiment file {str(exp_path)!r} not found", file=str(path),
                              key=f"compare.experiments[{i}]")
        store = folder / f"{exp_path.stem}.h5"
        exp = ccus.load_experiment(exp_path)
        fresh = False
        if store.exists():
            try:
                fresh = ccus.load_result(store).provenance.get("config_sha256") == exp.sha256
            except StoreError:
                fresh = False
        if not fresh:
            if not run:
                raise ConfigError(f"no up-to-date result store {store} for {exp_path}", file=str(path))
            log(f"running {exp_path} -> {store}" + (" (config changed since the store was written)"
                                                    if store.exists() else ""))
            ccus.run(exp).save(store)
        stores.append(store)
    w = weights if weights is not None else data.get("weights")
    if weights is None and w is not None:
        w = load_weights(w, file=str(path))
    c = criteria if criteria is not None else ({"criteria": data["criteria"]} if "criteria" in data else None)
    frame = compare(stores, weights=w, criteria=c)
    frame.attrs["title"] = sec.get("title", path.stem)
    frame.attrs["stores"] = [str(s) for s in stores]
    return frame
