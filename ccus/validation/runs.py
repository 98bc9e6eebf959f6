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

    def provenance(self) -> dict:
        p = self.result.provenance
        return {"experiment": str(self.experiment.relative_to(ROOT)) if self.experiment.is_relative_to(ROOT)
                else str(self.experiment), "store": str(self.store), "engine": p.get("engine"),
                "config_sha256": p.get("config_sha256"), "wall time [s]": round(self.seconds, 1),
                "reused stored result": self.reused}


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


def run_experiment(path: str | Path, store_dir: str | Path, reuse: bool = False) -> Run:
    """Run an experiment file and save its store as ``<store_dir>/<stem>.h5``.

    With ``reuse``, a store already there whose config matches the file (same
    hash, or the same TOML data: comments do not change a run) is loaded
    instead of running again (its wall time is then the stored run's, from its
    provenance, else 0).
    """
    import ccus
    from ccus.errors import StoreError

    path = Path(path)
    store = Path(store_dir) / f"{path.stem}.h5"
    exp = ccus.load_experiment(path)
    if reuse and store.exists():
        try:
            old = ccus.load_result(store)
        except StoreError:
            old = None
        if old is not None and _same_config(old.provenance, exp.sha256, path):
            return Run(path, old, store, _stored_seconds(old.provenance), True)
    t0 = time.perf_counter()
    result = ccus.run(exp)
    seconds = time.perf_counter() - t0
    store.parent.mkdir(parents=True, exist_ok=True)
    result.save(store)
    return Run(path, result, store, seconds, False)
