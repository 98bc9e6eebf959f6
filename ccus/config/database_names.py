"""A light index of the names a PHREEQC database defines (elements, species, phases).

Used to validate names in configs before they reach PHREEQC input, and to
find the database files shipped in the ``phreeqc`` wheel. The full parser of
the native engine lives in :mod:`ccus.thermo`; this index only reads names.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ccus.errors import ConfigError, did_you_mean

_KEYWORDS = {
    "SOLUTION_MASTER_SPECIES", "SOLUTION_SPECIES", "PHASES", "EXCHANGE_MASTER_SPECIES",
    "EXCHANGE_SPECIES", "SURFACE_MASTER_SPECIES", "SURFACE_SPECIES", "RATES",
    "LLNL_AQUEOUS_MODEL_PARAMETERS", "NAMED_EXPRESSIONS", "CALCULATE_VALUES", "END",
    "ISOTOPES", "ISOTOPE_RATIOS", "ISOTOPE_ALPHAS", "SOLID_SOLUTIONS", "PITZER", "SIT",
    "GAS_BINARY_PARAMETERS", "MEAN_GAMMAS",
}
_NAME = re.compile(r"^[A-Za-z0-9_()+\-.:,]+$")
NON_NAME_TOKENS = {"log_k", "logk", "delta_h", "deltah", "-log_k", "-delta_h"}


def bundled_database_dir() -> Path:
    """Folder of the databases shipped with the ``phreeqc`` wheel."""
    import importlib.util

    spec = importlib.util.find_spec("phreeqc")
    if spec is None or spec.origin is None:
        raise ConfigError("the 'phreeqc' package is not installed (pip install phreeqc)")
    return Path(spec.origin).parent / "databases"


def database_path(name: str, *, file: str | None = None, key: str = "database") -> Path:
    """Resolve a database name (``Kinec_v3.dat``) or a path to an existing file."""
    p = Path(name)
    if p.is_file():
        return p
    folder = bundled_database_dir()
    cand = folder / name
    if cand.is_file():
        return cand
    names = sorted(x.name for x in folder.glob("*.dat"))
    raise ConfigError(f"unknown database {name!r}{did_you_mean(name, names)}; bundled: {', '.join(names)}", file=file, key=key)


@dataclass(frozen=True)
class DatabaseNames:
    path: str
    sha256: str
    elements: frozenset  # SOLUTION_MASTER_SPECIES names, e.g. "Ca", "C(4)", "Fe(2)"
    species: frozenset
    phases: frozenset


def is_safe_name(name: str) -> bool:
    """True if ``name`` can go into PHREEQC input (no spaces, newlines, ';' or '#')."""
    return bool(name) and bool(_NAME.match(name))


@lru_cache(maxsize=8)
def database_names(path: str) -> DatabaseNames:
    """Scan a database file for its element, species and phase names (cached)."""
    raw = Path(path).read_bytes()
    text = raw.decode("utf-8", errors="replace")
    elements, species, phases = set(), set(), set()
    block = None
    lines = [ln.split("#", 1)[0].rstrip() for ln in text.splitlines()]
    for i, line in enumerate(lines):
        s = line.strip()
        if not s:
            continue
        if s.split()[0] in _KEYWORDS and not line.startswith((" ", "\t")):
            block = s
            continue
        if block == "SOLUTION_MASTER_SPECIES":
            tok = s.split()
            if tok and not tok[0].startswith("-"):
                elements.add(tok[0])
        elif block == "SOLUTION_SPECIES":
            if "=" in s and not s.startswith("-"):
                rhs = s.split("=", 1)[1].split()
                rhs = [t for t in rhs if t != "+"]
                if rhs:
                    tok = rhs[0]
                    tok = re.sub(r"^[0-9.]+", "", tok) or (rhs[1] if len(rhs) > 1 else tok)
                    species.add(tok)
        elif block == "PHASES":
            if "=" in s or s.startswith("-"):
                continue
            first = s.split()[0]
            if first.lower() in NON_NAME_TOKENS:
                continue
            nxt = next((ln.strip() for ln in lines[i + 1:] if ln.strip()), "")
            if "=" in nxt:
                phases.add(first)
    return DatabaseNames(
        path=str(path),
        sha256=hashlib.sha256(raw).hexdigest(),
        elements=frozenset(elements),
        species=frozenset(species),
        phases=frozenset(phases),
    )


@lru_cache(maxsize=256)
def phase_formula(path: str, phase: str) -> str | None:
    """Formula of a PHASES entry: the first term of its reaction line (None if absent)."""
    lines = [ln.split("#", 1)[0].strip() for ln in Path(path).read_text(encoding="utf-8", errors="replace").splitlines()]
    in_phases = False
    for i, s in enumerate(lines):
        if s in _KEYWORDS:
            in_phases = s == "PHASES"
            continue
        if in_phases and s and s.split()[0] == phase and "=" not in s:
            rx = next((ln for ln in lines[i + 1:] if ln), "")
            if "=" in rx:
                lhs = rx.split("=", 1)[0].split("+")[0].strip().split()
                return re.sub(r"^[0-9.]+", "", lhs[-1]) if lhs else None
    return None
