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


def base_provenance(experiment, engine: str, engine_version: str, started: str) -> dict:
    """Provenance common to every engine for a run of ``experiment``."""
    import ccus

    return {
        "ccus_version": ccus.__version__,
        "git_revision": git_revision(),
        "python": platform.python_version(),
        "experiment_name": experiment.name,
        "experiment_path": experiment.path,
        "config_text": experiment.text,
        "config_sha256": experiment.sha256,
        "overrides": {k: str(v) for k, v in experiment.overrides.items()},
        "site_path": experiment.site.path,
        "site_sha256": file_sha256(experiment.site.path),
        "rock_path": experiment.rock.path,
        "rock_sha256": file_sha256(experiment.rock.path),
        "database": experiment.database,
        "database_sha256": file_sha256(experiment.database_path),
        "engine": engine,
        "engine_version": engine_version,
        "solver": {"rtol": experiment.solver.rtol, "method": experiment.solver.method,
                   "max_substeps": experiment.solver.max_substeps},
        "started_utc": started,
    }
