"""Reader of PHREEQC-format thermodynamic databases (llnl / Kinec_v3 style).

Supported keyword blocks: ``LLNL_AQUEOUS_MODEL_PARAMETERS``,
``SOLUTION_MASTER_SPECIES``, ``SOLUTION_SPECIES`` and ``PHASES``. ``RATES``
(BASIC kinetic rate programs) is skipped: it holds no equilibrium data. Any
other keyword block is recorded in :attr:`Database.skipped_blocks` by name;
the reduction step (:mod:`ccus.thermo.system`) refuses a database whose
skipped blocks would matter.

Per-species options read: ``log_k``, ``-delta_h`` (kJ/mol or kcal/mol),
``-analytical_expression`` / ``-analytic`` / ``-a_e``, ``-llnl_gamma``,
``-co2_llnl_gamma``, ``-gamma`` (WATEQ Debye-Hueckel a, b), ``-mass_balance``,
``-Vm`` (kept, see :attr:`Species.vm`). Ignored explicitly (they do not
change equilibrium speciation at the conditions we model): ``-dw``
(diffusion coefficient), ``-erm_ddl``, ``-no_check``. Phase ``-T_c``, ``-P_c``,
``-Omega`` are kept for the Peng-Robinson fugacity coefficient of a gas held at
a fixed partial pressure (:mod:`ccus.thermo.gas`). Any other option is recorded in
:attr:`Species.unsupported` / :attr:`Phase.unsupported`, and reported by name
when the species or phase is part of a reduced system.

log K is stored as six analytic coefficients ``A1..A6`` of
``log10 K = A1 + A2 T + A3/T + A4 log10 T + A5/T^2 + A6 T^2`` (T in K). A species
given with ``log_k`` and ``-delta_h`` only (van 't Hoff) is converted exactly
into this form; when any analytic coefficient is given, PHREEQC uses the
analytic expression alone, and so do we.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from ccus.errors import ConfigError

#: Gas constant PHREEQC uses in the van 't Hoff equation [kJ/(mol K)].
R_KJ = 8.31470e-3
LN10 = math.log(10.0)
T_REF = 298.15

IGNORED_SPECIES_OPTIONS = {"-dw", "-erm_ddl", "-no_check", "-range"}
IGNORED_PHASE_OPTIONS = {"-no_check", "-range"}
SKIPPED_BLOCKS_HARMLESS = {"RATES", "END"}


@dataclass
class Species:
    """An aqueous species as read from SOLUTION_SPECIES.

    ``reaction`` maps species names to coefficients ``c`` such that
    ``log10 a(self) = log10 K + sum c_j log10 a_j``.
    """

    name: str
    charge: float
    reaction: dict[str, float]
    logk: list[float]  # A1..A6
    gamma: str = "none"  # "llnl", "co2", "wateq", "none"
    ion_size: float = 0.0  # llnl / wateq a [Angstrom]
    wateq_b: float = 0.0
    mass_balance: str | None = None
    vm: list[float] | None = None
    unsupported: list[str] = field(default_factory=list)

    @property
    def is_identity(self) -> bool:
        return self.reaction == {self.name: 1.0} or not self.reaction


@dataclass
class Phase:
    """A phase from PHASES; ``log10 IAP = sum c_j log10 a_j``, SI = log IAP - log K."""

    name: str
    formula: str
    reaction: dict[str, float]
    logk: list[float]
    vm: float | None = None  # molar volume [cm3/mol] where given (-Vm)
    t_c: float | None = None  # critical temperature [K] (gases, Peng-Robinson)
    p_c: float | None = None  # critical pressure [atm]
    omega: float | None = None  # acentric factor
    unsupported: list[str] = field(default_factory=list)


@dataclass
class Master:
    """A SOLUTION_MASTER_SPECIES row."""

    key: str  # "Ca", "C", "C(+4)", "Fe(+3)" ...
    element: str
    valence: float | None
    species: str
    alkalinity: float
    gfw_formula: str
    gfw: float | None


@dataclass
class LlnlParameters:
    """LLNL_AQUEOUS_MODEL_PARAMETERS: Debye-Hueckel A, B, bdot tables [degC] and CO2 coefficients."""

    temperatures: list[float]
    dh_a: list[float]
    dh_b: list[float]
    bdot: list[float]
    co2_coefs: list[float]


@dataclass
class Database:
    path: str
    sha256: str
    masters: dict[str, Master]
    species: dict[str, Species]
    phases: dict[str, Phase]
    llnl: LlnlParameters | None
    skipped_blocks: list[str]

    @property
    def elements(self) -> list[str]:
        return sorted({m.element for m in self.masters.values()})


# ----------------------------------------------------------------------------------------------
# Names, charges, reactions
# ----------------------------------------------------------------------------------------------

_CHARGE_RE = re.compile(r"^(?P<body>.*?)(?P<charge>(\+|-)(\d+(\.\d+)?)?|\++|-+)$")


def split_charge(name: str) -> tuple[str, float]:
    """Split ``"Mg++"``/``"Mg+2"``/``"HCO3-"``/``"e-"`` into body and charge."""
    if name in ("e-",):
        return "e", -1.0
    m = _CHARGE_RE.match(name)
    if not m or not m.group("body"):
        return name, 0.0
    body, ch = m.group("body"), m.group("charge")
    if len(ch) > 1 and ch[1:].replace(".", "").isdigit():
        z = float(ch[1:])
        return body, z if ch[0] == "+" else -z
    n = len(ch)
    return body, float(n) if ch[0] == "+" else -float(n)


def normalise_species_name(name: str) -> str:
    """Canonical PHREEQC spelling: ``Mg++`` -> ``Mg+2``, ``Cu+1`` -> ``Cu+``."""
    name = name.strip()
    if name == "e-":
        return name
    body, z = split_charge(name)
    if z == 0:
        return body
    sign = "+" if z > 0 else "-"
    mag = abs(z)
    if mag == 1:
        return f"{body}{sign}"
    return f"{body}{sign}{int(mag) if mag == int(mag) else mag:g}"


_COEF_RE = re.compile(r"^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def parse_side(text: str) -> list[tuple[float, str]]:
    """Parse one side of a PHREEQC equation into (coefficient, species) terms."""
    terms: list[tuple[float, str]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace() or ch == "+":
            i += 1
            continue
        coef = 1.0
        m = _COEF_RE.match(text[i:])
        if m:
            j = i + m.end()
            while j < n and text[j].isspace():
                j += 1
            if j < n and (text[j].isalpha() or text[j] in "(["):
                coef = float(m.group(0))
                i = j
        start = i
        while i < n and not text[i].isspace() and text[i] not in "+-":
            i += 1
        body = text[start:i]
        charge = ""
        if i < n and text[i] in "+-":
            sign = text[i]
            k = i + 1
            while k < n and (text[k].isdigit() or text[k] == "."):
                k += 1
            if k > i + 1:
                charge = text[i:k]
                i = k
            else:
                while k < n and text[k] == sign:
                    k += 1
                charge = text[i:k]
                i = k
        if not body:
            raise ValueError(f"cannot read term at {text[start:]!r}")
        terms.append((coef, normalise_species_name(body + charge)))
    return terms


def parse_equation(line: str) -> tuple[list[tuple[float, str]], list[tuple[float, str]]]:
    if "=" not in line:
        raise ValueError("no '=' in equation")
    lhs, rhs = line.split("=", 1)
    return parse_side(lhs), parse_side(rhs)


def analytic_from_vant_hoff(log_k: float, delta_h_kj: float) -> list[float]:
    """Coefficients A1..A6 equal to PHREEQC's van 't Hoff expression."""
    a3 = -delta_h_kj / (LN10 * R_KJ)
    a1 = log_k + delta_h_kj / (LN10 * R_KJ * T_REF)
    return [a1, 0.0, a3, 0.0, 0.0, 0.0]


def _delta_h_kj(tokens: list[str], where: str) -> float:
    value = float(tokens[0])
    unit = tokens[1].lower() if len(tokens) > 1 else "kj/mol"
    if unit.startswith("kcal"):
        return value * 4.184
    if unit.startswith("cal"):
        return value * 4.184e-3
    if unit.startswith("kj"):
        return value
    if unit.startswith("j"):
        return value * 1e-3
    raise ConfigError(f"unknown delta_h unit {tokens[1]!r}", key=where)


# ----------------------------------------------------------------------------------------------
# Reader
# ----------------------------------------------------------------------------------------------

_BLOCK_RE = re.compile(r"^[A-Z][A-Z0-9_]+$")
KNOWN_BLOCKS = {
    "LLNL_AQUEOUS_MODEL_PARAMETERS",
    "SOLUTION_MASTER_SPECIES",
    "SOLUTION_SPECIES",
    "PHASES",
}


class _Entry:
    def __init__(self, header: str, lineno: int):
        self.header = header
        self.lineno = lineno
        self.options: list[tuple[str, list[str], int]] = []


def _strip_comment(line: str) -> str:
    return line.split("#", 1)[0].rstrip()


def read_database(path: str | Path) -> Database:
    """Read a PHREEQC-format database file.

    Raises
    ------
    ConfigError
        If the file does not exist or a line cannot be read (naming file and line).
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read database: {exc}", file=str(path)) from None
    sha = hashlib.sha256(raw).hexdigest()
    text = raw.decode("utf-8", errors="replace")
    lines = text.splitlines()

    blocks: dict[str, list[tuple[int, str]]] = {}
    order: list[str] = []
    current: str | None = None
    logical: list[tuple[int, str]] = []
    for lineno, line in enumerate(lines, start=1):
        text_line = _strip_comment(line)
        # PHREEQC allows several statements on one line separated by ';'
        parts = text_line.split(";")
        logical.append((lineno, parts[0]))
        logical.extend((lineno, "\t" + part.strip()) for part in parts[1:])
    for lineno, s in logical:
        if not s.strip():
            continue
        word = s.strip()
        first = word.split()[0]
        # a keyword is an all-caps word at column 0 naming a PHREEQC data block;
        # phase names like "B", "C", "K" are not keywords
        if s == s.lstrip() and _BLOCK_RE.match(first) and len(word.split()) <= 2 and (
            first in KNOWN_BLOCKS or (first.isupper() and len(first) > 3 and "_" in first) or first in ("RATES", "END")
        ):
            current = first
            if current not in blocks:
                blocks[current] = []
                order.append(current)
            continue
        if current is None:
            continue
        blocks[current].append((lineno, s))

    skipped = [b for b in order if b not in KNOWN_BLOCKS and b not in SKIPPED_BLOCKS_HARMLESS]
    try:
        return _build(path, sha, blocks, skipped)
    except (ValueError, IndexError) as exc:
        if isinstance(exc, ConfigError):
            raise
        raise ConfigError(f"cannot read the database ({type(exc).__name__}: {exc})", file=str(path)) from None


def _build(path: Path, sha: str, blocks: dict[str, list[tuple[int, str]]], skipped: list[str]) -> Database:
    db = Database(
        path=str(path),
        sha256=sha,
        masters=_read_masters(blocks.get("SOLUTION_MASTER_SPECIES", []), path),
        species=_read_species(blocks.get("SOLUTION_SPECIES", []), path),
        phases=_read_phases(blocks.get("PHASES", []), path),
        llnl=_read_llnl(blocks.get("LLNL_AQUEOUS_MODEL_PARAMETERS", []), path),
        skipped_blocks=skipped,
    )
    return db


def parse_master_key(key: str) -> tuple[str, float | None]:
    m = re.match(r"^([A-Z][a-z]?|[A-Z][A-Za-z_]*)(\(([+-]?\d+(\.\d+)?)\))?$", key)
    if not m:
        raise ValueError(key)
    valence = float(m.group(3)) if m.group(3) is not None else None
    return m.group(1), valence


def _read_masters(rows: list[tuple[int, str]], path: Path) -> dict[str, Master]:
    masters: dict[str, Master] = {}
    for lineno, line in rows:
        tok = line.split()
        if len(tok) < 3:
            raise ConfigError(f"line {lineno}: SOLUTION_MASTER_SPECIES row needs at least 3 fields", file=str(path))
        key = tok[0]
        try:
            element, valence = parse_master_key(key)
        except ValueError:
            raise ConfigError(f"line {lineno}: cannot read master key {key!r}", file=str(path)) from None
        gfw = None
        if len(tok) > 4:
            try:
                gfw = float(tok[4])
            except ValueError:
                gfw = None
        masters[key] = Master(
            key=key,
            element=element,
            valence=valence,
            species=normalise_species_name(tok[1]),
            alkalinity=float(tok[2]),
            gfw_formula=tok[3] if len(tok) > 3 else "",
            gfw=gfw,
        )
    return masters


# options PHREEQC also accepts without the leading '-'
_DASHLESS_OPTIONS = {
    "log_k", "logk", "delta_h", "analytical_expression", "analytic", "a_e", "llnl_gamma",
    "co2_llnl_gamma", "gamma", "dw", "vm", "t_c", "p_c", "omega", "mass_balance", "mole_balance",
    "no_check", "erm_ddl", "add_logk", "add_constant",
}  # fmt: skip


def _group_entries(rows: list[tuple[int, str]]) -> list[_Entry]:
    entries: list[_Entry] = []
    for lineno, line in rows:
        s = line.strip()
        first = s.split()[0].lower()
        is_option = s.startswith("-") or first in _DASHLESS_OPTIONS
        if not is_option:
            entries.append(_Entry(s, lineno))
        else:
            if not entries:
                continue
            tok = s.split()
            name = tok[0].lower()
            if not name.startswith("-"):
                name = "-" + name
            entries[-1].options.append((name, tok[1:], lineno))
    return entries


def _logk_from_options(entry: _Entry, where: str) -> tuple[list[float], list[tuple[str, list[str]]]]:
    log_k = 0.0
    dh = 0.0
    analytic: list[float] | None = None
    rest = []
    for name, args, _ in entry.options:
        if name in ("-log_k", "-logk"):
            log_k = float(args[0])
        elif name in ("-delta_h", "-delta_h"):
            dh = _delta_h_kj(args, where)
        elif name in ("-analytic", "-analytical_expression", "-analytical", "-a_e", "-analytic_expression"):
            vals = [float(a) for a in args[:6]]
            analytic = vals + [0.0] * (6 - len(vals))
        else:
            rest.append((name, args))
    if analytic is not None and any(a != 0.0 for a in analytic):
        return analytic, rest
    return analytic_from_vant_hoff(log_k, dh), rest


def _reaction(plus: list[tuple[float, str]], minus: list[tuple[float, str]], coef: float) -> dict[str, float]:
    """Stoichiometry per unit of the defined species/phase: ``plus`` terms positive, ``minus`` negative."""
    reaction: dict[str, float] = {}
    for c, sp in plus:
        reaction[sp] = reaction.get(sp, 0.0) + c / coef
    for c, sp in minus:
        reaction[sp] = reaction.get(sp, 0.0) - c / coef
    return {k: v for k, v in reaction.items() if v != 0.0}


def _read_species(rows: list[tuple[int, str]], path: Path) -> dict[str, Species]:
    out: dict[str, Species] = {}
    for entry in _group_entries(rows):
        try:
            lhs, rhs = parse_equation(entry.header)
        except ValueError as exc:
            raise ConfigError(f"line {entry.lineno}: cannot read reaction {entry.header!r} ({exc})", file=str(path)) from None
        coef_s, name = rhs[0]
        reaction = _reaction(lhs, rhs[1:], coef_s)
        where = f"SOLUTION_SPECIES {name}"
        logk, rest = _logk_from_options(entry, where)
        _, z = split_charge(name)
        sp = Species(name=name, charge=z, reaction=reaction, logk=logk)
        if name == "e-":
            sp.charge = -1.0
        for opt, args in rest:
            if opt == "-llnl_gamma":
                sp.gamma, sp.ion_size = "llnl", float(args[0])
            elif opt == "-co2_llnl_gamma":
                sp.gamma = "co2"
            elif opt == "-gamma":
                sp.gamma, sp.ion_size, sp.wateq_b = "wateq", float(args[0]), float(args[1])
            elif opt in ("-mass_balance", "-mole_balance"):
                sp.mass_balance = args[0]
            elif opt == "-vm":
                sp.vm = [float(a) for a in args if _is_float(a)]
            elif opt in IGNORED_SPECIES_OPTIONS:
                pass
            else:
                sp.unsupported.append(opt)
        if reaction == {name: 1.0}:
            sp.reaction = {}
        out[name] = sp
    return out


def _is_float(s: str) -> bool:
    try:
        float(s)
        return True
    except ValueError:
        return False


def _read_phases(rows: list[tuple[int, str]], path: Path) -> dict[str, Phase]:
    out: dict[str, Phase] = {}
    entries = _group_entries(rows)
    i = 0
    while i < len(entries):
        head = entries[i]
        if "=" in head.header:
            i += 1  # orphan equation (should not happen)
            continue
        name = head.header.split()[0]
        if i + 1 >= len(entries) or "=" not in entries[i + 1].header:
            raise ConfigError(f"line {head.lineno}: phase {name!r} has no reaction", file=str(path))
        eq = entries[i + 1]
        try:
            lhs, rhs = parse_equation(eq.header)
        except ValueError as exc:
            raise ConfigError(f"line {eq.lineno}: cannot read reaction of phase {name!r} ({exc})", file=str(path)) from None
        coef_p, formula = lhs[0]
        reaction = _reaction(rhs, lhs[1:], coef_p)
        merged = _Entry(eq.header, eq.lineno)
        merged.options = head.options + eq.options
        logk, rest = _logk_from_options(merged, f"PHASES {name}")
        ph = Phase(name=name, formula=formula, reaction=reaction, logk=logk)
        for opt, args in rest:
            if opt == "-vm":
                vals = [float(a) for a in args if _is_float(a)]
                ph.vm = vals[0] if vals else None
            elif opt in ("-t_c", "-p_c", "-omega"):
                setattr(ph, opt[1:], float(args[0]))
            elif opt in IGNORED_PHASE_OPTIONS:
                pass
            else:
                ph.unsupported.append(opt)
        out[name] = ph
        i += 2
    return out


def _read_llnl(rows: list[tuple[int, str]], path: Path) -> LlnlParameters | None:
    if not rows:
        return None
    data: dict[str, list[float]] = {}
    current = None
    for lineno, line in rows:
        tok = line.split()
        if tok[0].startswith("-") and not _is_float(tok[0]):
            current = tok[0].lower()
            data[current] = []
            tok = tok[1:]
        if current is None:
            raise ConfigError(f"line {lineno}: value before an option in LLNL_AQUEOUS_MODEL_PARAMETERS", file=str(path))
        data[current].extend(float(t) for t in tok)
    try:
        return LlnlParameters(
            temperatures=data["-temperatures"],
            dh_a=data["-dh_a"],
            dh_b=data["-dh_b"],
            bdot=data["-bdot"],
            co2_coefs=data.get("-co2_coefs", [0.0] * 5),
        )
    except KeyError as exc:
        raise ConfigError(f"LLNL_AQUEOUS_MODEL_PARAMETERS lacks {exc.args[0]}", file=str(path)) from None
