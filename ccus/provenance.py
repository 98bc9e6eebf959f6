"""Provenance of a run: versions, git revision, config and database hashes, timestamps."""

from __future__ import annotations

import hashlib
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def git_revision() -> str | None:
    """The git revision of the ccus source tree, with '-dirty' if modified; None outside git."""
    root = Path(__file__).resolve().parents[1]
    try:
        rev = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5)
        if rev.returncode != 0:
            return None
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=5)
        return rev.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return None


def file_sha256(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def base_provenance(experiment, engine: str, engine_version: str, started: str, memo: dict | None = None) -> dict:
    """Provenance common to every engine for a run of ``experiment``.

    ``memo``: a dict shared by the calls of one batched run (e.g. 1,000 scenarios), so that the git
    revision (two subprocesses, ~14 ms) and each file's hash are computed once per run, not per result.
    """
    import ccus

    if memo is None:
        memo = {}

    def rev():
        if "git" not in memo:
            memo["git"] = git_revision()
        return memo["git"]

    def sha(path):
        key = ("sha", str(path))
        if key not in memo:
            memo[key] = file_sha256(path)
        return memo[key]

    return {
        "ccus_version": ccus.__version__,
        "git_revision": rev(),
        "python": platform.python_version(),
        "experiment_name": experiment.name,
        "experiment_path": experiment.path,
        "config_text": experiment.text,
        "config_sha256": experiment.sha256,
        "overrides": {k: str(v) for k, v in experiment.overrides.items()},
        "site_path": experiment.site.path,
        "site_sha256": sha(experiment.site.path),
        "rock_path": experiment.rock.path,
        "rock_sha256": sha(experiment.rock.path),
        "database": experiment.database,
        "database_sha256": sha(experiment.database_path),
        "engine": engine,
        "engine_version": engine_version,
        "solver": {"rtol": experiment.solver.rtol, "method": experiment.solver.method,
                   "max_substeps": experiment.solver.max_substeps},
        "started_utc": started,
    }
