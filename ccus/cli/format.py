"""Plain-text tables for the CLI."""

from __future__ import annotations

from typing import Any

import pint


def fmt_value(v: Any) -> str:
    if isinstance(v, pint.Quantity):
        mag = v.magnitude
        unit = f"{v.units:~P}"
        if unit in ("", "dimensionless"):
            return f"{mag:.4g}"
        return f"{mag:.4g} {unit}"
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)


def table(rows: list[tuple[str, Any]], title: str | None = None) -> str:
    w = max((len(k) for k, _ in rows), default=0)
    out = [title, "-" * max(len(title), 20)] if title else []
    out += [f"{k.ljust(w)}  {fmt_value(v)}" for k, v in rows]
    return "\n".join(out)
