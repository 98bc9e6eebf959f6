"""Small Markdown helpers for the generated validation report (tables, numbers, sections)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

NOT_AVAILABLE = "not available in this build"


def fmt(x: Any, digits: int = 3) -> str:
    """A number with ``digits`` significant digits; other values as text; NaN as an en dash."""
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, str):
        return x  # text (including values copied verbatim from a file) is never reformatted
    if hasattr(x, "magnitude") and hasattr(x, "units"):
        u = f"{x.units:~P}"
        return f"{fmt(x.magnitude, digits)} {u}".strip()
    if isinstance(x, (int,)) and not isinstance(x, bool):
        return str(x)
    try:
        v = float(x)
    except (TypeError, ValueError):
        return str(x)
    if math.isnan(v):
        return "–"
    if v == 0:
        return "0"
    if 1e-3 <= abs(v) < 1e5:
        return f"{v:#.{digits}g}".rstrip(".")
    return f"{v:.{max(digits - 1, 1)}e}"


def _cell(x: Any, digits: int) -> str:
    return fmt(x, digits).replace("|", "\\|").replace("\n", " ")


def table(rows: list[dict] | Any, columns: list[str] | None = None, digits: int = 3) -> str:
    """A Markdown table from a list of dicts or a DataFrame (``columns``: which, in order)."""
    if hasattr(rows, "to_dict"):
        rows = rows.to_dict("records")
    rows = list(rows)
    if not rows:
        return "(no rows)"
    cols = columns or list(rows[0])
    out = ["| " + " | ".join(_cell(c, digits) for c in cols) + " |", "|" + "---|" * len(cols)]
    for r in rows:
        out.append("| " + " | ".join(_cell(r.get(c, ""), digits) for c in cols) + " |")
    return "\n".join(out)


def not_available(reason: str) -> str:
    """The one line a section shows when its computation cannot run in this build."""
    return f"*{NOT_AVAILABLE}: {reason}*"


@dataclass
class Section:
    """A part of the report: Markdown blocks, the numbers it quotes and its field verdicts."""

    title: str
    blocks: list[str] = field(default_factory=list)
    numbers: dict[str, Any] = field(default_factory=dict)
    verdicts: list[dict] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, *blocks: str) -> None:
        self.blocks.extend(b for b in blocks if b)

    def markdown(self, level: int = 2) -> str:
        return "\n\n".join(["#" * level + " " + self.title, *self.blocks])
