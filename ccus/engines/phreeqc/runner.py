"""Run PHREEQC input in memory through the ``phreeqc`` package (IPhreeqc)."""

from __future__ import annotations

from functools import lru_cache

from ccus.errors import EngineError


def phreeqc_version() -> str:
    """Version string of the ``phreeqc`` package / IPhreeqc library."""
    try:
        from importlib.metadata import version

        pkg = version("phreeqc")
    except Exception:  # pragma: no cover
        pkg = "unknown"
    try:
        from phreeqc import Phreeqc

        return f"phreeqc-py {pkg}; {Phreeqc().GetVersionString()}"
    except Exception:  # pragma: no cover
        return f"phreeqc-py {pkg}"


@lru_cache(maxsize=4)
def _database_text(path: str) -> str:
    with open(path, encoding="utf-8", errors="replace") as fh:
        return fh.read()


def run_phreeqc(input_text: str, database_path: str) -> dict[str, list]:
    """Run ``input_text`` with the database at ``database_path``.

    Returns the SELECTED_OUTPUT as a column dict. Raises :class:`EngineError`
    with PHREEQC's own messages when PHREEQC reports errors.
    """
    from phreeqc import Phreeqc

    p = Phreeqc()
    if p.LoadDatabaseString(_database_text(database_path)) != 0:
        raise EngineError(f"PHREEQC could not load database {database_path}:\n{p.GetErrorString().strip()}")
    p.SetOutputStringOn(False)
    p.SetErrorStringOn(True)
    try:
        n_err = p.RunString(input_text)
    except Exception as exc:  # the bindings raise on some failures
        raise EngineError(f"PHREEQC failed: {exc}\n{p.GetErrorString().strip()}") from None
    if n_err:
        raise EngineError(f"PHREEQC reported {n_err} error(s):\n{p.GetErrorString().strip()}")
    return p.GetSelectedOutput()
