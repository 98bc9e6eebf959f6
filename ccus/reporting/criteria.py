"""Feasibility criteria of a pilot site, evaluated from a stored result alone.

Each criterion gives a value, the thresholds it is judged against and a status
``pass`` / ``caution`` / ``fail``, or ``not evaluated`` with the reason when the
store does not hold what it needs (e.g. no injection plan). Thresholds come from
:data:`DEFAULTS`, overridden by a TOML file's ``[criteria]`` table
(see ``docs/reports.md``)::

    [criteria.mineralisation_time]
    fraction = 0.9          # judge t90
    pass = "2 yr"           # CarbFix1: >95% in < 2 yr (Matter et al. 2016)
    caution = "10 yr"

    [criteria.cost_model]
    base_cost = 25          # US$/t CO2 (Gunnarsson et al. 2018, IJGGC 79:117)

Scores (for site ranking, :mod:`ccus.reporting.comparison`) lie in [0, 1]: 1 at or
better than the pass threshold, 0.5 at the caution threshold, falling linearly
to 0 one more (caution - pass) step beyond it.
"""

from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ccus.errors import ConfigError, did_you_mean
from ccus.reporting import _data as D
from ccus.units import Q_

PASS, CAUTION, FAIL, NOT_EVALUATED = "pass", "caution", "fail", "not evaluated"

# Default thresholds; every number here is documented in docs/reports.md.
DEFAULTS: dict[str, dict[str, Any]] = {
    "mineralisation_time": {"fraction": 0.9, "pass": "2 yr", "caution": "10 yr"},
    # t water per t CO2. CarbFix1 used ~25 (Matter et al. 2016). `available` [t/yr] is optional.
    "water": {"pass": 30.0, "caution": 60.0, "available": None},
    # (fracture pressure - injection pressure) / fracture pressure [-]
    "pressure_margin": {"pass": 0.10, "caution": 0.0},
    # fraction of the initial pore volume taken by secondary minerals [-]
    "clogging": {"pass": 0.05, "caution": 0.20},
    # CO2 injected per well per year
    "storage_rate": {"pass": "10000 t/yr", "caution": "1000 t/yr"},
    # US$ per t CO2
    "cost": {"pass": 50.0, "caution": 100.0},
    "cost_model": {
        "base_cost": 25.0,  # US$/t CO2, capture + injection at Hellisheidi (Gunnarsson et al. 2018, IJGGC 79:117)
        "reference_water": 25.0,  # t water / t CO2 at the reference (Matter et al. 2016, CarbFix1)
        "water_cost": 0.10,  # US$ per t water pumped and handled (ccus assumption, order of magnitude)
        "reference_depth": "750 m",  # CarbFix2 injection depth (Clark et al. 2020), the site of the base cost
        "reference_rate": "12000 t/yr",  # ~12,000 t CO2/yr captured and injected at Hellisheidi (approximate; docs)
        "drilling_cost": 2000.0,  # US$ per m of injection well (ccus assumption, order of magnitude)
        "well_lifetime": "20 yr",  # ccus assumption
    },
}

LABELS = {
    "mineralisation_time": "Mineralisation time",
    "water": "Water demand / availability",
    "pressure_margin": "Pressure margin to fracture",
    "clogging": "Clogging risk (pore volume filled)",
    "storage_rate": "Storage per well per year",
    "cost": "Cost per tonne CO2 (indicative)",
}
ORDER = tuple(LABELS)

# Molar volumes [cm3/mol] of common secondary minerals at 25 C, 1 bar: Robie & Hemingway 1995,
# USGS Bulletin 2131 (calcite, aragonite, magnesite, siderite, dolomite, quartz, kaolinite,
# gibbsite, hematite, pyrite, goethite). Chalcedony is taken as quartz; amorphous silica 29.0
# (density 2.07 g/cm3). Ankerite: dolomite value (no tabulated value; assumption).
MOLAR_VOLUME_CM3 = {
    "Calcite": 36.934, "Aragonite": 34.15, "Magnesite": 28.018, "Siderite": 29.378,
    "Dolomite": 64.365, "Dolomite-ord": 64.365, "Dolomite-dis": 64.365, "Ankerite": 64.365,
    "Quartz": 22.688, "Chalcedony": 22.688, "SiO2(am)": 29.0, "Amorphous_silica": 29.0,
    "Kaolinite": 99.52, "Gibbsite": 31.956, "Hematite": 30.274, "Goethite": 20.82, "Pyrite": 23.94,
}
# Minerals not in the table: V = formula mass / ESTIMATE_DENSITY, a low silicate density (clays,
# zeolites 2.1-2.6 g/cm3), so that the estimate errs towards more clogging. Reported as "estimated".
ESTIMATE_DENSITY = 2.3  # g/cm3
ATOMIC_MASS = {  # g/mol, IUPAC 2021 standard atomic weights (abridged)
    "H": 1.008, "C": 12.011, "O": 15.999, "Na": 22.990, "Mg": 24.305, "Al": 26.982, "Si": 28.085, "S": 32.06,
    "Cl": 35.45, "K": 39.098, "Ca": 40.078, "Ti": 47.867, "Mn": 54.938, "Fe": 55.845, "F": 18.998, "N": 14.007,
}
WATER_DENSITY = 1000.0  # kg/m3, for the pore volume of a batch (conservative above ~50 C, see docs)


@dataclass
class Verdict:
    """One evaluated criterion.

    ``value`` is a float in ``unit`` (None when not evaluated or not reached);
    ``text`` is what the reader sees; ``score`` in [0, 1] or None.
    """

    key: str
    label: str
    status: str
    text: str
    threshold: str
    note: str = ""
    value: float | None = None
    unit: str = ""
    score: float | None = None
    inputs: dict[str, str] = field(default_factory=dict)


# -- thresholds ---------------------------------------------------------------
def load_criteria(source: Any = None) -> dict[str, dict[str, Any]]:
    """Thresholds: :data:`DEFAULTS` updated from ``source``.

    ``source`` is None, a dict (the ``[criteria]`` table, or a whole file's
    table holding ``criteria``) or the path of a TOML file with a
    ``[criteria]`` table. Unknown names raise :class:`ConfigError`.
    """
    crit = copy.deepcopy(DEFAULTS)
    if source is None:
        return crit
    file = None
    if isinstance(source, (str, Path)):
        file = str(source)
        try:
            data = tomllib.loads(Path(source).read_text())
        except FileNotFoundError:
            raise ConfigError("file not found", file=file) from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"TOML syntax error: {exc}", file=file) from None
        if "criteria" not in data:
            raise ConfigError("expected a [criteria] table", file=file)
        table = data["criteria"]
    elif isinstance(source, dict):
        table = source.get("criteria", source)
    else:
        raise ConfigError(f"criteria: expected a path or a table, found {type(source).__name__}")
    if not isinstance(table, dict):
        raise ConfigError("expected a table", file=file, key="criteria")
    for name, values in table.items():
        if name not in crit:
            raise ConfigError(f"unknown criterion {name!r}{did_you_mean(name, crit)}; known: {', '.join(crit)}",
                              file=file, key="criteria")
        if not isinstance(values, dict):
            raise ConfigError(f"expected a table, found {values!r}", file=file, key=f"criteria.{name}")
        for k, v in values.items():
            if k not in crit[name]:
                raise ConfigError(f"unknown key {k!r}{did_you_mean(k, crit[name])}; known: {', '.join(crit[name])}",
                                  file=file, key=f"criteria.{name}")
            crit[name][k] = v
    _check(crit, file)
    return crit


def _num(crit, name, key, unit=None, file=None) -> float | None:
    v = crit[name][key]
    if v is None:
        return None
    try:
        if unit is None:
            return float(v)
        q = Q_(v) if isinstance(v, str) else Q_(float(v), unit)
        return float(q.to(unit).magnitude)
    except Exception:  # noqa: BLE001
        raise ConfigError(f"expected a number{' with a unit of ' + unit if unit else ''}, found {v!r}",
                          file=file, key=f"criteria.{name}.{key}") from None


UNITS = {
    ("mineralisation_time", "pass"): "yr", ("mineralisation_time", "caution"): "yr",
    ("water", "available"): "t/yr",
    ("storage_rate", "pass"): "t/yr", ("storage_rate", "caution"): "t/yr",
    ("cost_model", "reference_depth"): "m", ("cost_model", "well_lifetime"): "yr",
    ("cost_model", "reference_rate"): "t/yr",
}


def _check(crit, file) -> None:
    for name, values in crit.items():
        for key in values:
            _num(crit, name, key, UNITS.get((name, key)), file)
    f = crit["mineralisation_time"]["fraction"]
    if not 0 < float(f) <= 1:
        raise ConfigError(f"expected a fraction in (0, 1], found {f!r}", file=file,
                          key="criteria.mineralisation_time.fraction")


# -- scoring ------------------------------------------------------------------
def _status_score(v: float, p: float, c: float, lower_better: bool) -> tuple[str, float]:
    if not lower_better:
        v, p, c = -v, -p, -c
    step = (c - p) if c != p else max(abs(p), 1e-12)
    if v <= p:
        return PASS, 1.0
    if v <= c:
        return CAUTION, 1.0 - 0.5 * (v - p) / step
    return FAIL, float(max(0.0, 0.5 - 0.5 * (v - c) / step))


def _ne(key: str, threshold: str, reason: str, inputs=None) -> Verdict:
    return Verdict(key, LABELS[key], NOT_EVALUATED, "–", threshold, reason, inputs=inputs or {})


# -- the criteria -------------------------------------------------------------
def mineralisation_time(result, crit) -> Verdict:
    frac = float(crit["mineralisation_time"]["fraction"])
    p = _num(crit, "mineralisation_time", "pass", "yr")
    c = _num(crit, "mineralisation_time", "caution", "yr")
    pct = int(round(frac * 100))
    thr = f"t{pct}: pass ≤ {D.num(p)} yr · caution ≤ {D.num(c)} yr"
    end_yr = D.duration_days(result) / 365.25
    t = result.time_to_fraction(frac)
    if t is not None:
        v = float(t.to("day").magnitude) / 365.25
        status, score = _status_score(v, p, c, True)
        return Verdict("mineralisation_time", f"{LABELS['mineralisation_time']} (t{pct})", status,
                       D.fmt_days(v * 365.25), thr, f"time for {pct}% of the injected carbon to be in carbonates",
                       value=v * 365.25, unit="d", score=score)
    f_end = float(result.mineralised_fraction.magnitude[-1])
    text = f"> {D.fmt_days(end_yr * 365.25)}: {D.fmt_pct(f_end)} at end"
    if end_yr < p * (1 - 1e-9):
        return Verdict("mineralisation_time", f"{LABELS['mineralisation_time']} (t{pct})", NOT_EVALUATED, text, thr,
                       f"t{pct} not reached within the simulated {D.fmt_days(end_yr * 365.25)}, shorter than the "
                       "pass threshold: run longer to decide")
    status, score = _status_score(end_yr, p, c, True)
    status = FAIL if status == FAIL else CAUTION
    score = score * min(max(f_end / frac, 0.0), 1.0)  # slower sites score lower
    return Verdict("mineralisation_time", f"{LABELS['mineralisation_time']} (t{pct})", status, text, thr,
                   f"t{pct} lies beyond the simulated time; score scaled by the fraction reached ({D.fmt_pct(f_end)})",
                   value=None, unit="d", score=score)


def water_demand(result) -> tuple[float | None, str]:
    """Water per tonne of CO2 [t/t] a planner must supply, and how it was obtained.

    The larger of the planned ratio (the modelled charge) and the minimum for full
    dissolution from the injection model (when the store has an injection plan).
    """
    planned, minimum = D.water_per_co2(result), D.min_water_per_co2(result)
    if planned is None and minimum is None:
        return None, ""
    if minimum is None:
        return planned, "planned water:gas ratio of the modelled charge, per tonne of CO2"
    if planned is None or minimum > planned:
        extra = f" (planned {D.sig(planned)} t/t is too little: free gas)" if planned is not None else ""
        return minimum, f"minimum for full dissolution (injection model){extra}"
    return planned, f"planned ratio; the injection model needs at least {D.sig(minimum)} t/t"


def water(result, crit) -> Verdict:
    p, c = _num(crit, "water", "pass"), _num(crit, "water", "caution")
    thr = f"pass ≤ {D.num(p)} t/t · caution ≤ {D.num(c)} t/t"
    w, note = water_demand(result)
    if w is None:
        return _ne("water", thr, "no gas composition / water:gas ratio in the store")
    status, score = _status_score(w, p, c, True)
    avail = _num(crit, "water", "available", "t/yr")
    if avail is not None:
        need = D.water_rate_t_per_yr(result)
        if need is None:
            rate = storage_rate_t_per_yr(result)
            need = None if rate is None else w * rate
        if need is None:
            note += "; availability not checked: no injection rate in the store"
        else:
            s2, sc2 = _status_score(need / avail, 0.5, 1.0, True)
            note += f"; needs {D.sig(need)} t/yr of {D.sig(avail)} t/yr available (pass ≤ 50%, caution ≤ 100%)"
            if sc2 < score:
                status, score = s2, sc2
    return Verdict("water", LABELS["water"], status, f"{D.sig(w)} t water / t CO2", thr, note,
                   value=w, unit="t/t", score=score)


def pressures(result) -> dict[str, Any]:
    """Injection pressures [bar] from ``context["injection"]`` (missing -> None); fracture from the site if absent."""
    inj = D.injection_ctx(result) or {}
    site = D.site_ctx(result)
    out = {
        "water_demand": D.first_of(inj, "water_demand"),
        "dissolution_pressure": D.quantity(D.first_of(inj, "dissolution_pressure", "min_dissolution_pressure"), "bar"),
        "injection_pressure": D.quantity(D.first_of(inj, "injection_pressure", "bottomhole_pressure"), "bar"),
        "fracture_pressure": D.quantity(D.first_of(inj, "fracture_pressure"), "bar"),
        "pressure_margin": D.quantity(D.first_of(inj, "pressure_margin", "injection_margin", "margin"), "bar"),
        "fracture_from_site": False,
    }
    if out["fracture_pressure"] is None:
        depth, grad = D.quantity(site.get("depth"), "m"), D.quantity(site.get("fracture_gradient"), "bar/m")
        if depth is not None and grad is not None:
            out["fracture_pressure"] = (depth * grad).to("bar")
            out["fracture_from_site"] = True
    if out["pressure_margin"] is None and out["injection_pressure"] is not None and out["fracture_pressure"] is not None:
        out["pressure_margin"] = (out["fracture_pressure"] - out["injection_pressure"]).to("bar")
    return out


def pressure_margin(result, crit) -> Verdict:
    p, c = _num(crit, "pressure_margin", "pass"), _num(crit, "pressure_margin", "caution")
    thr = f"margin as % of fracture pressure: pass ≥ {D.num(100 * p)} % · caution ≥ {D.num(100 * c)} %"
    if D.injection_ctx(result) is None:
        return _ne("pressure_margin", thr, "no injection plan in the store (injection pressure not modelled)")
    pr = pressures(result)
    m, f = pr["pressure_margin"], pr["fracture_pressure"]
    if m is None or f is None or f.magnitude <= 0:
        return _ne("pressure_margin", thr, "the injection plan in the store has no injection pressure or margin")
    rel = float((m / f).to("dimensionless").magnitude)
    status, score = _status_score(rel, p, c, False)
    note = f"fracture pressure {D.fmt_q(f)}" + (" (site depth × fracture gradient)" if pr["fracture_from_site"] else "")
    return Verdict("pressure_margin", LABELS["pressure_margin"], status, f"{D.fmt_q(m)} ({D.sig(100 * rel)} %)", thr,
                   note, value=rel, unit="-", score=score)


def secondary_volume(result) -> dict[str, Any]:
    """Largest volume of secondary minerals formed [m3] and the pore volume [m3] of a batch.

    Returns ``{"volume": m3 or None, "pore_volume": m3 or None, "counted": [...], "missing": [...]}``;
    minerals without a tabulated molar volume are listed in ``missing``.
    """
    counted, missing, estimated = [], [], []
    total = np.zeros(len(result.time))
    for name, info in result.minerals.items():
        if info.get("role") not in ("secondary", "equilibrium"):
            continue
        s = result.series.get(f"{name} amount")
        if s is None:
            continue
        n = np.asarray(s.to("mol").magnitude, dtype=float)
        formed = np.clip(n - n[0], 0.0, None)
        if not np.any(formed > 0):
            continue
        vm = MOLAR_VOLUME_CM3.get(name)
        if vm is None:
            vm = estimated_molar_volume(info.get("elements") or {})
            if vm is None:
                missing.append(name)
                continue
            estimated.append(name)
        counted.append(name)
        total += formed * vm * 1e-6
    water = D.pore_water_kg(result)
    pore = water / WATER_DENSITY if water else None
    return {"volume": float(total.max()) if counted else (0.0 if not missing else None),
            "pore_volume": pore, "counted": counted, "missing": missing, "estimated": estimated}


def estimated_molar_volume(elements: dict[str, float]) -> float | None:
    """Molar volume [cm3/mol] from a formula's elements at :data:`ESTIMATE_DENSITY`, or None."""
    try:
        mass = sum(float(n) * ATOMIC_MASS[el] for el, n in elements.items())
    except KeyError:
        return None
    return mass / ESTIMATE_DENSITY if mass > 0 else None


def _profile_loss(result, name: str) -> float | None:
    s = (getattr(result, "profiles", None) or {}).get(name)
    if s is None:
        s = result.series.get(name)
    if s is None:
        return None
    a = np.asarray(s.magnitude, dtype=float)
    first = a[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(first > 0, a / first, np.nan)
    return float(1.0 - np.nanmin(ratio))


def clogging(result, crit) -> Verdict:
    p, c = _num(crit, "clogging", "pass"), _num(crit, "clogging", "caution")
    thr = f"pass ≤ {D.num(100 * p)} % · caution ≤ {D.num(100 * c)} % of pore volume"
    loss = _profile_loss(result, "porosity")
    if loss is not None:
        status, score = _status_score(loss, p, c, True)
        note = "largest porosity loss over time and radius (transport result)"
        kl = _profile_loss(result, "permeability ratio")
        kl = _profile_loss(result, "permeability") if kl is None else kl
        if kl is not None:
            note += f"; largest permeability loss {D.fmt_pct(kl)}"
        fb = result.context.get("rock_feedback") or {}
        clog = fb.get("clogging") or {}
        if clog.get("clogged"):
            note += (f"; k/k0 below {D.num(fb.get('clogging_ratio'))} first at {clog.get('first_time')}, "
                     f"{clog.get('first_position')} from the well")
        if fb.get("minimum_margin") is not None:
            note += (f"; well pressure margin with this alteration {fb['minimum_margin']} "
                     f"(unaltered rock {fb.get('minimum_margin_unaltered')})")
        return Verdict("clogging", LABELS["clogging"], status, D.fmt_pct(loss), thr, note, value=loss, unit="-",
                       score=score)
    sv = secondary_volume(result)
    if sv["volume"] is None or not sv["pore_volume"]:
        why = ("no molar volume known for " + ", ".join(sv["missing"])) if sv["missing"] else "no water mass in the store"
        return _ne("clogging", thr, why)
    frac = sv["volume"] / sv["pore_volume"]
    status, score = _status_score(frac, p, c, True)
    note = ("gross volume of secondary minerals formed / initial pore-water volume (primary dissolution "
            "not subtracted)")
    if sv["counted"]:
        note += f"; counted: {', '.join(sv['counted'])}"
    if sv["estimated"]:
        note += (f" (molar volume of {', '.join(sv['estimated'])} estimated from the formula mass at "
                 f"{ESTIMATE_DENSITY} g/cm3)")
    if sv["missing"]:
        note += f"; NOT counted (no molar volume): {', '.join(sv['missing'])}"
    return Verdict("clogging", LABELS["clogging"], status, D.fmt_pct(frac), thr, note, value=frac, unit="-",
                   score=score)


def storage_rate_t_per_yr(result) -> float | None:
    """CO2 injected per well per year [t/yr] from the stored injection plan, or None."""
    return D.co2_rate_t_per_yr(result)


def storage_rate(result, crit) -> Verdict:
    p, c = _num(crit, "storage_rate", "pass", "t/yr"), _num(crit, "storage_rate", "caution", "t/yr")
    thr = f"pass ≥ {D.num(p)} t/yr · caution ≥ {D.num(c)} t/yr"
    r = storage_rate_t_per_yr(result)
    if r is None:
        return _ne("storage_rate", thr, "no injection plan (CO2 rate per well) in the store")
    status, score = _status_score(r, p, c, False)
    return Verdict("storage_rate", LABELS["storage_rate"], status, f"{D.sig(r)} t CO2/yr", thr,
                   "highest phase CO2 rate of the injection plan, as if injected all year", value=r, unit="t/yr",
                   score=score)


def cost_model(result, crit) -> dict[str, Any]:
    """Indicative cost [US$/t CO2] and its inputs (see docs/reports.md).

    cost = base_cost
         + water_cost * (W - reference_water)                                  [W: t water / t CO2]
         + drilling_cost * (depth / Q - reference_depth / reference_rate) / well_lifetime   [when Q is known]

    The well term swaps the reference site's well cost per tonne (already inside
    the base cost) for this site's: a deeper well or a smaller rate per well costs more.
    """
    m = crit["cost_model"]
    base, wref, wcost = float(m["base_cost"]), float(m["reference_water"]), float(m["water_cost"])
    dref = _num(crit, "cost_model", "reference_depth", "m")
    dcost, life = float(m["drilling_cost"]), _num(crit, "cost_model", "well_lifetime", "yr")
    qref = _num(crit, "cost_model", "reference_rate", "t/yr")
    w, _ = water_demand(result)
    depth = D.quantity(D.site_ctx(result).get("depth"), "m")
    q = storage_rate_t_per_yr(result)
    terms = {"base": base}
    notes = []
    if w is not None:
        terms["water"] = wcost * (w - wref)
    else:
        notes.append("water term left out: no water:gas ratio in the store")
    if q is not None and q > 0 and depth is not None:
        terms["well"] = dcost * (float(depth.magnitude) / q - dref / qref) / life
    else:
        notes.append("well term left out: " + ("no CO2 injection rate in the store" if q is None else "no site depth"))
    inputs = {
        "base cost": f"{D.num(base)} US$/t CO2 (Gunnarsson et al. 2018, IJGGC 79:117: capture + storage at Hellisheidi)",
        "reference water demand": f"{D.num(wref)} t/t CO2 (Matter et al. 2016)",
        "water cost": f"{D.num(wcost)} US$/t water (assumed)",
        "water demand of this site": "–" if w is None else f"{D.sig(w)} t/t CO2",
        "reference depth": f"{D.num(dref)} m (CarbFix2 injection depth, Clark et al. 2020)",
        "reference CO2 rate per well": f"{D.num(qref)} t/yr (~12,000 t/yr injected at Hellisheidi; approximate)",
        "drilling cost": f"{D.num(dcost)} US$/m (assumed)",
        "well lifetime": f"{D.num(life)} yr (assumed)",
        "site depth": "–" if depth is None else D.fmt_q(depth),
        "CO2 rate per well": "–" if q is None else f"{D.sig(q)} t/yr",
    }
    return {"cost": sum(terms.values()), "terms": terms, "inputs": inputs, "notes": notes}


def cost(result, crit) -> Verdict:
    p, c = _num(crit, "cost", "pass"), _num(crit, "cost", "caution")
    thr = f"pass ≤ {D.num(p)} US$/t · caution ≤ {D.num(c)} US$/t"
    cm = cost_model(result, crit)
    status, score = _status_score(cm["cost"], p, c, True)
    parts = " + ".join(f"{k} {D.sig(v)}" for k, v in cm["terms"].items())
    note = f"{parts} US$/t" + ("; " + "; ".join(cm["notes"]) if cm["notes"] else "")
    return Verdict("cost", LABELS["cost"], status, f"{D.sig(cm['cost'])} US$/t CO2", thr, note,
                   value=cm["cost"], unit="US$/t", score=score, inputs=cm["inputs"])


EVALUATORS = {
    "mineralisation_time": mineralisation_time,
    "water": water,
    "pressure_margin": pressure_margin,
    "clogging": clogging,
    "storage_rate": storage_rate,
    "cost": cost,
}


def evaluate(result, criteria: Any = None) -> list[Verdict]:
    """Evaluate every criterion for ``result`` (a Result or a store path).

    ``criteria``: None (defaults), a dict or the path of a TOML file with a
    ``[criteria]`` table (see :func:`load_criteria`).
    """
    result = D.as_result(result)
    crit = criteria if _is_loaded(criteria) else load_criteria(criteria)
    return [EVALUATORS[k](result, crit) for k in ORDER]


def _is_loaded(criteria) -> bool:
    return isinstance(criteria, dict) and set(DEFAULTS) <= set(criteria)
