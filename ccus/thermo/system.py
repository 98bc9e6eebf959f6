"""Reduce a PHREEQC database to the species and phases reachable from a set of elements.

The reduction follows PHREEQC's treatment of redox states:

- A solution composition names *states*: an element total (``"Fe"``, ``"C"``,
  ``"S"``) or single valence states (``"Fe(2)"``, ``"C(4)"``, ``"S(-2)"``).
- Each entered state has one *component* (its master species, e.g. ``Fe+2``
  for ``Fe(+2)``, ``HS-`` for ``S(-2)``) with its own mass balance.
- A species is expressed in the components plus ``H+``, ``e-`` and ``H2O`` by
  substituting the reactions of the species it is written in. A secondary master
  species (``Fe+3``, ``CH4``, ``HS-``, ``O2``, ``H2``) whose state is not entered is
  substituted by its own reaction (so it enters through ``e-``, i.e. the fixed pe)
  only when the element total is entered; otherwise every species written in it is
  left out (PHREEQC: "Fe(2)" alone leaves all Fe(3) species out of the model).
  O(0) and H(0) (O2, H2) are always reachable, through water.

The result, :class:`ReducedSystem`, holds plain numbers only and is cached as JSON
(never pickle) under ``$CCUS_CACHE_DIR`` or ``~/.cache/ccus``, keyed by the
database file's sha256 and the entered states.
"""

from __future__ import annotations

import json
import os
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ccus.errors import ConfigError, did_you_mean
from ccus.thermo.activity import KIND_CO2, KIND_LLNL, KIND_NONE, KIND_WATEQ
from ccus.thermo.database import Database, parse_master_key, read_database

CACHE_VERSION = 2
_FIXED = ("H+", "e-", "H2O")
_ALWAYS_TOTAL = {"O", "H", "E"}


@dataclass
class ReducedSystem:
    """Species and phases of a database reachable from the entered states.

    Stoichiometry is given against ``components`` (entered states, in order),
    then ``H+``, ``e-``, ``H2O`` in separate vectors.
    """

    db_path: str
    db_sha256: str
    states: list[str]  # canonical state keys, e.g. ["Ca", "C(+4)"]
    component_species: list[str]  # master species of each state
    species: list[str]
    charge: list[float]
    gamma_kind: list[int]
    ion_size: list[float]
    wateq_b: list[float]
    species_logk: list[list[float]]
    species_stoich: list[list[float]]  # (ns, nc)
    species_nu_h: list[float]
    species_nu_e: list[float]
    species_nu_w: list[float]
    phases: list[str]
    phase_logk: list[list[float]]
    phase_stoich: list[list[float]]
    phase_nu_h: list[float]
    phase_nu_e: list[float]
    phase_nu_w: list[float]
    phase_vm: list[float | None]
    phase_tc: list[float | None]
    phase_pc: list[float | None]
    phase_omega: list[float | None]
    llnl_temperatures: list[float]
    llnl_a: list[float]
    llnl_b: list[float]
    llnl_bdot: list[float]
    llnl_co2: list[float]

    def arrays(self) -> dict[str, np.ndarray]:
        """The numeric content as numpy arrays (computed once, cached on the instance)."""
        cached = getattr(self, "_arrays", None)
        if cached is not None:
            return cached
        nc = len(self.states)
        arr = {
            "charge": np.array(self.charge, float),
            "kind": np.array(self.gamma_kind, int),
            "ion_size": np.array(self.ion_size, float),
            "wateq_b": np.array(self.wateq_b, float),
            "logk": np.array(self.species_logk, float).reshape(-1, 6),
            "stoich": np.array(self.species_stoich, float).reshape(-1, nc),
            "nu_h": np.array(self.species_nu_h, float),
            "nu_e": np.array(self.species_nu_e, float),
            "nu_w": np.array(self.species_nu_w, float),
            "p_logk": np.array(self.phase_logk, float).reshape(-1, 6),
            "p_stoich": np.array(self.phase_stoich, float).reshape(-1, nc),
            "p_nu_h": np.array(self.phase_nu_h, float),
            "p_nu_e": np.array(self.phase_nu_e, float),
            "p_nu_w": np.array(self.phase_nu_w, float),
        }
        object.__setattr__(self, "_arrays", arr)
        return arr


# ----------------------------------------------------------------------------------------------


def canonical_state(db: Database, key: str) -> str:
    """Map a user key (``"C(4)"``, ``"Fe(2)"``, ``"Ca"``) to the database's master key."""
    try:
        element, valence = parse_master_key(key.strip())
    except ValueError:
        raise ConfigError(
            f"cannot read {key!r} as an element or element(valence) name" + did_you_mean(key, db.masters)
        ) from None
    for mk, m in db.masters.items():
        if m.element == element and (m.valence == valence or (valence is None and m.valence is None)):
            return mk
    raise ConfigError(f"unknown element or valence state {key!r} in {Path(db.path).name}" + did_you_mean(key, db.masters))


class _Reducer:
    def __init__(self, db: Database, states: list[str]):
        self.db = db
        self.states = states
        self.entered_totals = {db.masters[s].element for s in states if db.masters[s].valence is None}
        # master species -> keys
        self.master_keys: dict[str, list[str]] = {}
        for mk, m in db.masters.items():
            self.master_keys.setdefault(m.species, []).append(mk)
        self.species_to_state = {db.masters[s].species: s for s in states}
        self.memo: dict[str, tuple[dict[str, float], np.ndarray] | None] = {}
        self.unknown_names: set[str] = set()

    def to_model(self, name: str, stack: tuple[str, ...] = ()) -> tuple[dict[str, float], np.ndarray] | None:
        if name in self.memo:
            return self.memo[name]
        if name in stack:
            raise ConfigError(f"circular reaction definitions in database involving {name!r}")
        result = self._to_model(name, stack + (name,))
        self.memo[name] = result
        return result

    def _to_model(self, name: str, stack) -> tuple[dict[str, float], np.ndarray] | None:
        db = self.db
        zero = np.zeros(6)
        if name in _FIXED:
            return {name: 1.0}, zero
        if name in self.species_to_state:
            return {self.species_to_state[name]: 1.0}, zero
        sp = db.species.get(name)
        if sp is None:
            self.unknown_names.add(name)
            return None
        keys = self.master_keys.get(name, [])
        if keys:
            elements = {db.masters[k].element for k in keys}
            if not (elements & (self.entered_totals | _ALWAYS_TOTAL)):
                return None  # master of a state that is not in the model
        if not sp.reaction:
            return None  # basis species of an element not in use
        coeffs: dict[str, float] = {}
        logk = np.array(sp.logk, float)
        for other, c in sp.reaction.items():
            sub = self.to_model(other, stack)
            if sub is None:
                return None
            sub_c, sub_k = sub
            logk = logk + c * sub_k
            for k, v in sub_c.items():
                coeffs[k] = coeffs.get(k, 0.0) + c * v
        return {k: v for k, v in coeffs.items() if abs(v) > 1e-12}, logk


def reduce_database(db: Database, states: list[str]) -> ReducedSystem:
    """Build the :class:`ReducedSystem` for canonical state keys ``states``."""
    if db.llnl is None:
        raise ConfigError(
            f"{Path(db.path).name}: the native engine supports llnl-type databases only "
            "(LLNL_AQUEOUS_MODEL_PARAMETERS missing)"
        )
    elements = {}
    for s in states:
        el = db.masters[s].element
        if el in elements and (db.masters[s].valence is None or db.masters[elements[el]].valence is None):
            raise ConfigError(f"both the total {el!r} and a valence state of {el} given ({elements[el]!r}, {s!r})")
        elements.setdefault(el, s)
    if db.skipped_blocks:
        warnings.warn(
            f"{Path(db.path).name}: keyword blocks not supported by the native engine were skipped: "
            + ", ".join(db.skipped_blocks),
            stacklevel=3,
        )
    red = _Reducer(db, states)
    nc = len(states)
    index = {s: i for i, s in enumerate(states)}

    def split(coeffs: dict[str, float]) -> tuple[list[float], float, float, float]:
        row = [0.0] * nc
        for k, v in coeffs.items():
            if k in index:
                row[index[k]] = v
        return row, coeffs.get("H+", 0.0), coeffs.get("e-", 0.0), coeffs.get("H2O", 0.0)

    sp_names, charge, kind, size, wb, logk, st, nh, ne, nw = ([] for _ in range(10))
    problems: list[str] = []
    for name, sp in db.species.items():
        if name in ("e-", "H2O"):
            continue
        res = red.to_model(name)
        if res is None:
            continue
        coeffs, lk = res
        if sp.unsupported:
            problems.append(f"species {name}: option(s) {', '.join(sp.unsupported)}")
        if sp.gamma == "wateq":
            problems.append(f"species {name}: option -gamma (WATEQ Debye-Hueckel) in an llnl-type database")
        row, h, e, w = split(coeffs)
        sp_names.append(name)
        charge.append(sp.charge)
        kind.append({"llnl": KIND_LLNL, "co2": KIND_CO2, "wateq": KIND_WATEQ}.get(sp.gamma, KIND_NONE))
        size.append(sp.ion_size)
        wb.append(sp.wateq_b)
        logk.append([float(x) for x in lk])
        st.append(row)
        nh.append(h)
        ne.append(e)
        nw.append(w)
        # charge conservation of the rewritten reaction (database consistency)
        zsum = sum(v * _charge_of(db, k) for k, v in coeffs.items())
        if abs(zsum - sp.charge) > 1e-6:
            problems.append(f"species {name}: reaction does not conserve charge ({zsum:g} vs {sp.charge:g})")

    ph_names, plogk, pst, pnh, pne, pnw, pvm, ptc, ppc, pom = ([] for _ in range(10))
    for name, ph in db.phases.items():
        coeffs: dict[str, float] = {}
        lk = -np.array(ph.logk, float)  # SI = sum c la - logK_phase
        ok = True
        for other, c in ph.reaction.items():
            sub = red.to_model(other)
            if sub is None:
                ok = False
                break
            sub_c, sub_k = sub
            lk = lk + c * sub_k
            for k, v in sub_c.items():
                coeffs[k] = coeffs.get(k, 0.0) + c * v
        if not ok:
            continue
        if ph.unsupported:
            problems.append(f"phase {name}: option(s) {', '.join(ph.unsupported)}")
        row, h, e, w = split(coeffs)
        ph_names.append(name)
        plogk.append([float(-x) for x in lk])  # stored so that SI = sum c la - logk
        pst.append(row)
        pnh.append(h)
        pne.append(e)
        pnw.append(w)
        pvm.append(ph.vm)
        ptc.append(ph.t_c)
        ppc.append(ph.p_c)
        pom.append(ph.omega)
    if problems:
        raise ConfigError(
            f"{Path(db.path).name}: not supported by the native engine for states {states}: " + "; ".join(problems)
        )
    ll = db.llnl
    return ReducedSystem(
        db_path=db.path,
        db_sha256=db.sha256,
        states=list(states),
        component_species=[db.masters[s].species for s in states],
        species=sp_names,
        charge=charge,
        gamma_kind=kind,
        ion_size=size,
        wateq_b=wb,
        species_logk=logk,
        species_stoich=st,
        species_nu_h=nh,
        species_nu_e=ne,
        species_nu_w=nw,
        phases=ph_names,
        phase_logk=plogk,
        phase_stoich=pst,
        phase_nu_h=pnh,
        phase_nu_e=pne,
        phase_nu_w=pnw,
        phase_vm=pvm,
        phase_tc=ptc,
        phase_pc=ppc,
        phase_omega=pom,
        llnl_temperatures=ll.temperatures,
        llnl_a=ll.dh_a,
        llnl_b=ll.dh_b,
        llnl_bdot=ll.bdot,
        llnl_co2=ll.co2_coefs,
    )


def _charge_of(db: Database, key: str) -> float:
    if key in _FIXED:
        return {"H+": 1.0, "e-": -1.0, "H2O": 0.0}[key]
    return db.species[db.masters[key].species].charge


# ----------------------------------------------------------------------------------------------
# Cache
# ----------------------------------------------------------------------------------------------


def cache_dir() -> Path:
    """``$CCUS_CACHE_DIR`` or ``~/.cache/ccus``."""
    env = os.environ.get("CCUS_CACHE_DIR")
    return Path(env) if env else Path.home() / ".cache" / "ccus"


def database_path(database: str | os.PathLike) -> Path:
    """Resolve a database name: an existing path, or a file in the ``phreeqc`` package's databases."""
    p = Path(database)
    if p.is_file():
        return p
    import importlib.util

    spec = importlib.util.find_spec("phreeqc")
    if spec is not None and spec.origin:
        folder = Path(spec.origin).parent / "databases"
        cand = folder / str(database)
        if cand.is_file():
            return cand
        names = [f.name for f in folder.glob("*.dat")]
        raise ConfigError(f"unknown database {str(database)!r}" + did_you_mean(str(database), names))
    raise ConfigError(f"database file {str(database)!r} not found")


_MEMO: dict[tuple[str, tuple[str, ...]], ReducedSystem] = {}
_DB_MEMO: dict[str, Database] = {}


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_database(database: str | os.PathLike) -> Database:
    path = database_path(database)
    key = str(path.resolve())
    if key not in _DB_MEMO:
        _DB_MEMO[key] = read_database(path)
    return _DB_MEMO[key]


def reduced_system(database: str | os.PathLike, states: list[str], use_cache: bool = True) -> ReducedSystem:
    """The reduced system for user state keys, from memory, the JSON cache or the database.

    ``states`` are user keys (``"C(4)"``); the order of the components follows them.
    """
    path = database_path(database)
    sha = _sha256(path)
    # canonical keys need the master list; read it lazily only on a cache miss
    user = tuple(states)
    memo_key = (sha, user)
    if memo_key in _MEMO:
        return _MEMO[memo_key]
    cfile = cache_dir() / f"reduced-v{CACHE_VERSION}-{sha[:16]}-{_states_digest(user)}.json"
    if use_cache and cfile.is_file():
        try:
            data = json.loads(cfile.read_text())
            if data.get("db_sha256") == sha and data.get("user_states") == list(user):
                data.pop("user_states")
                system = ReducedSystem(**data)
                _MEMO[memo_key] = system
                return system
        except (ValueError, TypeError, OSError):
            pass  # corrupt or old cache file: rebuild below
    db = load_database(path)
    canon = [canonical_state(db, s) for s in states]
    if len(set(canon)) != len(canon):
        raise ConfigError(f"a state is given twice in {list(states)}")
    system = reduce_database(db, canon)
    if use_cache:
        try:
            cfile.parent.mkdir(parents=True, exist_ok=True)
            payload = asdict(system)
            payload["user_states"] = list(user)
            tmp = cfile.with_suffix(".tmp")
            tmp.write_text(json.dumps(payload))
            tmp.replace(cfile)
        except OSError as exc:  # read-only home etc.: work without the cache, but say so
            warnings.warn(f"cannot write speciation cache {cfile}: {exc}", stacklevel=2)
    _MEMO[memo_key] = system
    return system


def _states_digest(states: tuple[str, ...]) -> str:
    import hashlib

    return hashlib.sha256("|".join(states).encode()).hexdigest()[:16]
