"""Parameter tables for the validation report, read from the files themselves.

Model files (``models/**/*.toml``) hold every value as ``{ value, source, assumed,
note }``; experiment files hold plain values with the citation in a comment on
the same line or in the comment block just above. Each value gets a status:

- ``calibrated``: its source, note or comment says "calibrated" (a value chosen to
  fit a field observation; the literature range must be in the same text);
- ``assumed``: ``assumed = true``, or the comment says "assumed";
- ``cited``: a source without either flag;
- ``setting``: a numerical or run setting (solver and output tables, duration,
  grid), not a physical parameter;
- ``no citation``: nothing (reported, so it can be fixed).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_KEY_LINE = re.compile(r'^\s*("[^"]+"|[A-Za-z0-9_\-]+)\s*=\s*(.*)$')
SETTING_TABLES = {"solver", "output", "study", "design"}
SETTING_KEYS = {"experiment.duration", "transport.cells", "transport.length", "transport.monitoring", "batch.water_mass",
                "injection.allow_free_gas"}
_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")


def _status(text: str, assumed: bool = False) -> str:
    low = text.lower()
    if "calibrat" in low:
        return "calibrated"
    if assumed or re.search(r"\bassum", low):
        return "assumed"
    return "cited" if text.strip() else "no citation"


def _split_comment(line: str) -> tuple[str, str]:
    """``value  # comment`` -> (value, comment); a ``#`` inside a string is kept."""
    quote = None
    for i, c in enumerate(line):
        if quote:
            if c == quote:
                quote = None
        elif c in "\"'":
            quote = c
        elif c == "#":
            return line[:i].strip(), line[i + 1:].strip()
    return line.strip(), ""


def model_rows(path: str | Path) -> list[dict]:
    """Every ``{value, source}`` leaf of a model file: key path, value, source, status."""
    path = Path(path)
    doc = tomllib.loads(path.read_text())
    rows: list[dict] = []

    def walk(d: dict, prefix: str) -> None:
        for k, v in d.items():
            p = f"{prefix}.{k}" if prefix else k
            if isinstance(v, dict) and "value" in v:
                text = " ".join(str(v.get(x, "")) for x in ("source", "note"))
                rows.append({"file": _rel(path), "key": p, "value": str(v["value"]),
                             "source": str(v.get("source", "")) + (f" ({v['note']})" if v.get("note") else ""),
                             "status": _status(text, bool(v.get("assumed", False)))})
            elif isinstance(v, dict):
                walk(v, p)

    walk(doc, "")
    return rows


def experiment_rows(path: str | Path) -> list[dict]:
    """Every ``key = value`` line of an experiment file with its comment as the source."""
    path = Path(path)
    rows: list[dict] = []
    table, counts, block = "", {}, []
    for line in path.read_text().splitlines():
        s = line.strip()
        if not s:
            block = []
            continue
        if s.startswith("#"):
            block.append(s.lstrip("#").strip())
            continue
        h = _HEADER.match(line)
        if h and not _KEY_LINE.match(line):
            name = h.group(2)
            if h.group(1) == "[[":
                counts[name] = counts.get(name, -1) + 1
                name = f"{name}.{counts[name]}"
            table, block = name, []
            continue
        m = _KEY_LINE.match(line)
        if not m:
            continue
        value, comment = _split_comment(m.group(2))
        source = comment or " ".join(block)
        key = m.group(1).strip('"')
        if key in ("name", "description", "kind", "site", "rock", "engine", "database", "mineral", "rate_set",
                   "mode", "method"):
            block = []
            continue  # names, not parameter values
        status = "setting" if table in SETTING_TABLES or f"{table}.{key}" in SETTING_KEYS else _status(source)
        rows.append({"file": _rel(path), "key": f"{table}.{key}" if table else key, "value": value,
                     "source": source, "status": status})
        block = []
    return rows


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def experiment_parameter_rows(experiment_path: str | Path) -> list[dict]:
    """The experiment file's values, then its site's and rock's, then one row per rate set used."""
    path = Path(experiment_path)
    doc = tomllib.loads(path.read_text())
    exp = doc.get("experiment", {})
    rows = experiment_rows(path)
    models = ROOT / "models"
    site = exp.get("site")
    rock = exp.get("rock")
    if site and (models / "sites" / f"{site}.toml").exists():
        sdoc = tomllib.loads((models / "sites" / f"{site}.toml").read_text())
        rock = rock or sdoc.get("site", {}).get("default_rock")
        rows += model_rows(models / "sites" / f"{site}.toml")
    rate_sets = {v.get("rate_set") for v in doc.get("secondary", {}).values() if isinstance(v, dict)}
    if rock and (models / "rocks" / f"{rock}.toml").exists():
        rdoc = tomllib.loads((models / "rocks" / f"{rock}.toml").read_text())
        rate_sets |= {m.get("rate_set") for m in rdoc.get("rock", {}).get("minerals", {}).values()}
        rows += model_rows(models / "rocks" / f"{rock}.toml")
    for rs in sorted(r for r in rate_sets if r):
        f = models / "rates" / f"{rs}.toml"
        if f.exists():
            meta = tomllib.loads(f.read_text()).get("meta", {})
            rows.append({"file": _rel(f), "key": "(rate set)", "value": rs, "source": meta.get("source", ""),
                         "status": _status(meta.get("source", ""))})
    return rows


def flagged_values(root: Path = ROOT) -> list[dict]:
    """Every value in ``models/**/*.toml`` and ``experiments/*.toml`` flagged calibrated or assumed, or uncited."""
    rows: list[dict] = []
    for f in sorted((root / "models").rglob("*.toml")):
        rows += model_rows(f)
    for f in sorted((root / "experiments").glob("*.toml")):
        doc = tomllib.loads(f.read_text())
        if "experiment" in doc:
            rows += experiment_rows(f)
    return [r for r in rows if r["status"] not in ("cited", "setting")]
