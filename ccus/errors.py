"""Exception hierarchy of ccus.

Every error a user can trigger with bad input derives from :class:`CcusError`;
the CLI turns them into one line ``error: <file>: <key.path>: <message>`` and
exit code 2.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class CcusError(Exception):
    """Base class of all ccus errors."""


class ConfigError(CcusError, ValueError):
    """A config or data file is malformed or holds a value that makes no sense.

    Parameters
    ----------
    message
        What is wrong: what was expected and what was found.
    file
        The file the value came from, if any.
    key
        Dotted key path inside the file (``site.temperature``), if any.
    """

    def __init__(self, message: str, *, file: str | None = None, key: str | None = None):
        self.message = message
        self.file = str(file) if file is not None else None
        self.key = key
        super().__init__(self.__str__())

    def __str__(self) -> str:
        parts = [p for p in (self.file, self.key) if p]
        parts.append(self.message)
        return ": ".join(parts)

    def located(self, *, file: str | None = None, key_prefix: str | None = None) -> ConfigError:
        """Return a copy with the file set (if unset) and the key path prefixed."""
        key = self.key
        if key_prefix:
            key = f"{key_prefix}.{key}" if key else key_prefix
        return ConfigError(self.message, file=self.file or file, key=key)


class EngineError(CcusError, RuntimeError):
    """A chemistry engine failed (PHREEQC's own message is kept in the text)."""


class ConvergenceError(EngineError):
    """A numerical solver did not converge."""


class StoreError(CcusError, OSError):
    """A result store cannot be read or written."""


def did_you_mean(name: str, choices: Iterable[str], n: int = 3) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest choices, or ``""``."""
    choices = list(choices)
    close = difflib.get_close_matches(name, choices, n=n, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in choices}
        close = [lowered[c] for c in difflib.get_close_matches(name.lower(), list(lowered), n=n, cutoff=0.6)]
    if not close:
        return ""
    return " (did you mean " + " or ".join(repr(c) for c in close) + "?)"
