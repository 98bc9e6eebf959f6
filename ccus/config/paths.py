"""Where the data live: the ``models/`` folder and name lookup with did-you-mean."""

from __future__ import annotations

import os
from pathlib import Path

from ccus.errors import ConfigError, did_you_mean


def models_dir() -> Path:
    """The ``models/`` folder: ``$CCUS_MODELS`` or the one beside the package."""
    env = os.environ.get("CCUS_MODELS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "models"


def available(kind: str) -> list[str]:
    """Names of the data files of a kind (``rates``, ``rocks``, ``sites``)."""
    folder = models_dir() / kind
    return sorted(p.stem for p in folder.glob("*.toml"))


def resolve(kind: str, ref: str, *, file: str | None, key: str, base: Path | None = None) -> Path:
    """Find a data file by name (``carbfix1``) or by path (``my_site.toml``).

    A reference that ends in ``.toml`` is a path, relative to ``base`` (the
    folder of the file that refers to it); otherwise a name in ``models/<kind>``.
    """
    if ref.endswith(".toml") or "/" in ref:
        path = Path(ref)
        if not path.is_absolute() and base is not None:
            path = base / path
        if not path.exists():
            raise ConfigError(f"{kind[:-1]} file {ref!r} not found (looked at {path})", file=file, key=key)
        return path
    path = models_dir() / kind / f"{ref}.toml"
    if not path.exists():
        names = available(kind)
        raise ConfigError(
            f"unknown {kind[:-1]} {ref!r}{did_you_mean(ref, names)}; available: {', '.join(names) or 'none'}",
            file=file,
            key=key,
        )
    return path
