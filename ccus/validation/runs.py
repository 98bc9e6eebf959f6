"""Model runs behind the validation report, saved as result stores next to its outputs."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Run:
    """One experiment run for the report: the Result, its store and how long it took [s]."""

    experiment: Path
    result: Any
    store: Path
    seconds: float
    reused: bool
    reuse_note: str = ""  # how a reused store came about, for the page

    def provenance(self) -> dict:
        p = self.result.provenance
        return {"experiment": str(self.experiment.relative_to(ROOT)) if self.experiment.is_relative_to(ROOT)
                else str(self.experiment), "store": str(self.store), "engine": p.get("engine"),
                "config_sha256": p.get("config_sha256"), "wall time [s]": round(self.seconds, 1),
                "reused stored result": self.reused, "reuse": self.reuse_note}


def _same_config(provenance: dict, sha256: str, path: Path) -> bool:
    """The stored run used this config: same hash, or the same TOML data (only comments or layout differ)."""
    if provenance.get("config_sha256") == sha256:
        return True
    import tomllib

    try:
        return tomllib.loads(provenance.get("config_text") or "") == tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError:
        return False


def _stored_seconds(provenance: dict) -> float:
    """Wall time of a stored run [s]: recorded, else its finished - started stamps, else 0."""
    if provenance.get("wall_time_s"):
        return float(provenance["wall_time_s"])
    from datetime import datetime

    try:
        a, b = (datetime.fromisoformat(str(provenance[k])) for k in ("started_utc", "finished_utc"))
    except (KeyError, ValueError):
        return 0.0
    return max((b - a).total_seconds(), 0.0)


def _started_epoch(provenance: dict) -> float | None:
    from datetime import datetime

    try:
        return datetime.fromisoformat(str(provenance["started_utc"])).timestamp()
    except (KeyError, ValueError):
        return None


def store_path(path: str | Path, store_dir: str | Path, engine: str | None = None) -> Path:
    """``<store_dir>/<stem>.h5``, or ``<stem>.<engine>.h5`` when ``engine`` is not the file's own engine."""
    path = Path(path)
    if engine is not None:
        import ccus

        if ccus.load_experiment(path).engine == engine:
            engine = None
    return Path(store_dir) / (f"{path.stem}.h5" if engine is None else f"{path.stem}.{engine}.h5")


def same_run_since() -> float | None:
    """Start of the ``make validate`` this process runs in [s since the epoch], from the Makefile; else None."""
    import os

    from ccus.validation.timing import STARTED_ENV

    try:
        return float(os.environ[STARTED_ENV])
    except (KeyError, ValueError):
        return None


def run_experiment(path: str | Path, store_dir: str | Path, reuse: bool = False, engine: str | None = None,
                   since: float | None = None) -> Run:
    """Run an experiment file and save its store in ``store_dir`` (:func:`store_path`).

    ``engine`` overrides the file's engine (the store then has the engine in its name).
    With ``reuse``, a store already there whose config matches the file (same
    hash, or the same TOML data: comments do not change a run) and whose engine is
    the one asked for is loaded instead of running again (its wall time is then the
    stored run's, from its provenance, else 0). With ``since`` [s since the epoch],
    such a store is reused only if its run started at or after ``since`` (a run made
    earlier in the same ``make validate``, e.g. by the slow tests).
    """
    import ccus

    path = Path(path)
    exp = ccus.load_experiment(path, engine=engine)
    old = stored_run(path, store_dir, engine, reuse, since)
    if old is not None:
        return old
    store = store_path(path, store_dir, engine)
    t0 = time.perf_counter()
    result = ccus.run(exp)
    seconds = time.perf_counter() - t0
    store.parent.mkdir(parents=True, exist_ok=True)
    result.save(store)
    return Run(path, result, store, seconds, False)


def stored_run(path: str | Path, store_dir: str | Path, engine: str | None = None, reuse: bool = False,
               since: float | None = None) -> Run | None:
    """The stored run :func:`run_experiment` would reuse (same rules), or None; never runs anything."""
    import ccus
    from ccus.errors import StoreError

    if not reuse and since is None:
        return None
    path = Path(path)
    store = store_path(path, store_dir, engine)
    if not store.exists():
        return None
    exp = ccus.load_experiment(path, engine=engine)
    try:
        old = ccus.load_result(store)
    except StoreError:
        return None
    if not (_same_config(old.provenance, exp.sha256, path) and old.provenance.get("engine") == exp.engine):
        return None
    if not reuse:
        t = _started_epoch(old.provenance)
        if t is None or t < since:
            return None
    note = ("run earlier in this make validate (by the slow tests) and reused" if not reuse
            else "stored result reused")
    return Run(path, old, store, _stored_seconds(old.provenance), True, note)
