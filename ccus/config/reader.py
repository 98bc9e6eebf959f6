"""Reading TOML config/data files with key paths, unit checks and clear errors.

:class:`Section` wraps one table of a TOML document and knows its file and
key path, so that every error it raises names both. Values in ``models/``
files may be inline tables ``{ value = ..., source = "...", assumed = true }``;
:meth:`Section.quantity` accepts both that form and a bare value.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pint

from ccus.errors import ConfigError, did_you_mean
from ccus.units import parse_quantity


def read_toml(path: str | Path) -> tuple[dict, str]:
    """Read a TOML file; return (document, text). Syntax errors name the line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("file not found", file=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read file ({exc})", file=str(path)) from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"TOML syntax error: {exc}", file=str(path)) from None


@dataclass(frozen=True)
class Sourced:
    """A value from a data file with its citation."""

    value: Any
    source: str | None = None
    assumed: bool = False


class Section:
    """One table of a TOML document, with the file and key path it came from."""

    def __init__(self, data: Any, file: str | None, key: str = ""):
        if not isinstance(data, dict):
            raise ConfigError(f"expected a table, found {type(data).__name__} {data!r}", file=file, key=key or None)
        self.data = data
        self.file = file
        self.key = key
        self._used: set[str] = set()

    # -- navigation -------------------------------------------------------
    def path(self, name: str) -> str:
        return f"{self.key}.{name}" if self.key else name

    def error(self, name: str | None, message: str) -> ConfigError:
        return ConfigError(message, file=self.file, key=self.path(name) if name else (self.key or None))

    def has(self, name: str) -> bool:
        return name in self.data

    def raw(self, name: str, default: Any = ..., required: bool = True) -> Any:
        self._used.add(name)
        if name in self.data:
            return self.data[name]
        if default is not ...:
            return default
        raise self.error(name, "required key is missing")

    def section(self, name: str, required: bool = True) -> Section | None:
        self._used.add(name)
        if name not in self.data:
            if required:
                raise self.error(name, "required table is missing")
            return None
        return Section(self.data[name], self.file, self.path(name))

    def items(self):
        """Iterate (name, Section) over the sub-tables of this table."""
        for name in self.data:
            self._used.add(name)
            yield name, Section(self.data[name], self.file, self.path(name))

    def check_keys(self, allowed: set[str] | list[str]) -> None:
        """Refuse keys not in ``allowed``, with did-you-mean suggestions."""
        allowed = set(allowed)
        for name in self.data:
            if name not in allowed:
                raise self.error(
                    name,
                    f"unknown key {name!r}{did_you_mean(name, allowed)}; allowed keys: {', '.join(sorted(allowed))}",
                )

    # -- typed getters -----------------------------------------------------
    def _unwrap(self, name: str, value: Any, sourced: bool) -> tuple[Any, str | None, bool]:
        if isinstance(value, dict):
            if "value" not in value:
                raise self.error(name, f"expected a value or a table with 'value', found keys {sorted(value)}")
            extra = set(value) - {"value", "source", "assumed", "note"}
            if extra:
                bad = sorted(extra)[0]
                raise self.error(
                    f"{name}.{bad}",
                    f"unknown key {bad!r}{did_you_mean(bad, ['value', 'source', 'assumed', 'note'])}",
                )
            src = value.get("source")
            if src is not None and not isinstance(src, str):
                raise self.error(f"{name}.source", f"expected a citation string, found {src!r}")
            assumed = value.get("assumed", False)
            if not isinstance(assumed, bool):
                raise self.error(f"{name}.assumed", f"expected true or false, found {assumed!r}")
            return value["value"], src, assumed
        return value, None, False

    def string(self, name: str, default: Any = ..., choices: list[str] | None = None) -> str:
        value = self.raw(name, default)
        if value is None:
            return value
        if not isinstance(value, str):
            raise self.error(name, f"expected a string, found {type(value).__name__} {value!r}")
        if choices is not None and value not in choices:
            raise self.error(name, f"expected one of {', '.join(map(repr, choices))}, found {value!r}{did_you_mean(value, choices)}")
        return value

    def boolean(self, name: str, default: Any = ...) -> bool:
        value = self.raw(name, default)
        if not isinstance(value, bool):
            raise self.error(name, f"expected true or false, found {value!r}")
        return value

    def integer(self, name: str, default: Any = ..., minimum: int | None = None, maximum: int | None = None) -> int:
        value = self.raw(name, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(name, f"expected an integer, found {value!r}")
        if minimum is not None and value < minimum:
            raise self.error(name, f"expected an integer >= {minimum}, found {value}")
        if maximum is not None and value > maximum:
            raise self.error(name, f"expected an integer <= {maximum}, found {value}")
        return value

    def number(
        self,
        name: str,
        default: Any = ...,
        *,
        minimum: float | None = None,
        maximum: float | None = None,
        exclusive: bool = False,
        sourced: bool = False,
    ) -> Any:
        """A dimensionless number (optionally from a sourced inline table)."""
        value, src, assumed = self._unwrap(name, self.raw(name, default), sourced)
        if isinstance(value, str):
            q = parse_quantity(value, "dimensionless", key=self.path(name), file=self.file)
            value = float(q.to("dimensionless").magnitude)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.error(name, f"expected a number, found {value!r}")
        value = float(value)
        self._check_range(name, value, minimum, maximum, exclusive, "")
        return Sourced(value, src, assumed) if sourced else value

    def quantity(
        self,
        name: str,
        dimension: str,
        default: Any = ...,
        *,
        minimum: pint.Quantity | str | None = None,
        maximum: pint.Quantity | str | None = None,
        exclusive: bool = False,
        sourced: bool = False,
    ) -> Any:
        """A quantity of a named dimension, range-checked; ``Sourced`` if ``sourced``."""
        raw = self.raw(name, default)
        if raw is None:
            return None
        value, src, assumed = self._unwrap(name, raw, sourced)
        q = parse_quantity(value, dimension, key=self.path(name), file=self.file)
        if not math.isfinite(float(q.magnitude)):
            raise self.error(name, f"expected a finite {dimension}, found {value!r}")
        lo = parse_quantity(minimum, dimension) if minimum is not None else None
        hi = parse_quantity(maximum, dimension) if maximum is not None else None
        mag = q.to(lo.units if lo is not None else (hi.units if hi is not None else q.units)).magnitude
        self._check_range(
            name,
            mag,
            None if lo is None else lo.magnitude,
            None if hi is None else hi.magnitude,
            exclusive,
            f" {(lo if lo is not None else hi).units:~P}" if (lo is not None or hi is not None) else "",
            shown=f"{q:~P}",
        )
        return Sourced(q, src, assumed) if sourced else q

    def _check_range(self, name, value, lo, hi, exclusive, unit, shown=None):
        shown = shown if shown is not None else f"{value:g}"
        if lo is not None and (value <= lo if exclusive else value < lo):
            word = "above" if exclusive else "at least"
            raise self.error(name, f"expected a value {word} {lo:g}{unit}, found {shown}")
        if hi is not None and (value >= hi if exclusive else value > hi):
            word = "below" if exclusive else "at most"
            raise self.error(name, f"expected a value {word} {hi:g}{unit}, found {shown}")


def apply_overrides(doc: dict, overrides: dict[str, Any], *, file: str | None, prefix: str = "") -> dict:
    """Return a copy of ``doc`` with values replaced at dotted key paths.

    ``overrides`` maps paths inside ``doc`` (``"minerals.glass.specific_surface_area"``)
    to new values; an array of tables is indexed by number (``"phases.0.water_gas_ratio"``). Where the old value is a sourced inline table, only its
    ``value`` is replaced and its ``source`` says it was overridden. The parent
    table must exist (unknown names get did-you-mean); the leaf may be new, and
    the normal validation then checks it. ``prefix`` is prepended in messages.
    """
    import copy

    out = copy.deepcopy(doc)
    for path, value in overrides.items():
        parts = path.split(".")
        node = out
        for i, part in enumerate(parts[:-1]):
            where = ".".join(parts[:i]) or "(top level)"
            if isinstance(node, list):  # an array of tables: the next part is an index
                if not part.isdigit() or int(part) >= len(node):
                    raise ConfigError(f"override path: {where} has {len(node)} entries; expected an index 0-{len(node) - 1}, "
                                      f"found {part!r}", file=file, key=prefix + path)
                node = node[int(part)]
                continue
            if not isinstance(node, dict) or part not in node:
                choices = list(node) if isinstance(node, dict) else []
                raise ConfigError(
                    f"override path: no table {part!r} under {where}{did_you_mean(part, choices)}",
                    file=file, key=prefix + path,
                )
            node = node[part]
        leaf = parts[-1]
        if not isinstance(node, dict):
            raise ConfigError("override path does not lead to a table", file=file, key=prefix + path)
        old = node.get(leaf)
        if isinstance(old, dict) and "value" in old and not isinstance(value, dict):
            node[leaf] = {**old, "value": value, "source": f"override (was {old['value']!r}: {old.get('source', '')})"}
        else:
            node[leaf] = value
    return out


def split_overrides(overrides: dict[str, Any] | None, heads: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """Split ``{"rock.minerals.x.y": v, "experiment.duration": w}`` by their first component."""
    groups: dict[str, dict[str, Any]] = {h: {} for h in heads}
    for path, value in (overrides or {}).items():
        head, _, rest = path.partition(".")
        if head not in groups or not rest:
            raise ConfigError(
                f"override path must start with one of {', '.join(h + '.' for h in heads)}{did_you_mean(head, heads)}",
                key=path,
            )
        groups[head][rest] = value
    return groups
