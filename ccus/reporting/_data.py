"""What reports read from a stored :class:`~ccus.result.result.Result` (never re-running a model).

Helpers shared by the HTML, PDF and comparison outputs: loading a result from a
path, parsing the ``context`` strings back into quantities, the headline numbers
and number formatting. Quantities in ``Result.context`` are strings with units
(``"530 m"``) and are parsed with :data:`ccus.units.Q_`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ccus.config.injection import GASES
from ccus.errors import StoreError
from ccus.units import Q_

SECONDS_PER_YEAR = 365.25 * 86400.0
# Molar masses of the injected gases [kg/mol] (IUPAC atomic weights; same values as ccus.config).
NOT_MODELLED = "not modelled"


def as_result(obj):
    """Return a Result: ``obj`` itself, or the store at ``obj`` (path) loaded with ``ccus.load_result``.

    Raises :class:`~ccus.errors.StoreError` for anything that is neither.
    """
    from ccus.result.result import Result

    if isinstance(obj, Result):
        return obj
    if isinstance(obj, (str, Path)):
        from ccus.result.store import load_result

        return load_result(obj)
    raise StoreError(f"expected a Result or the path of a result store, found {type(obj).__name__}")


def quantity(text: Any, unit: str | None = None):
    """Parse a context entry (``"530 m"``, a number, or None) into a quantity (or None).

    With ``unit`` the value is converted to it; returns None when the entry is
    missing, empty or cannot be read.
    """
    if text is None or text == "":
        return None
    try:
        q = Q_(text) if isinstance(text, str) else Q_(float(text), "dimensionless")
        if unit is not None:
            q = q.to(unit)
        return q
    except Exception:  # noqa: BLE001 - a malformed context entry shows as missing, never crashes a report
        return None


def site_ctx(result) -> dict[str, Any]:
    return dict(result.context.get("site") or {})


def injection_ctx(result) -> dict[str, Any] | None:
    """The ``context["injection"]`` entry (injection plan), or None when the store has none."""
    inj = result.context.get("injection")
    return dict(inj) if isinstance(inj, dict) and inj else None


def first_of(d: dict[str, Any] | None, *keys: str):
    """First present, non-empty value of ``keys`` in ``d`` (aliases of one quantity)."""
    if not d:
        return None
    for k in keys:
        if d.get(k) not in (None, ""):
            return d[k]
    return None


def co2_mass_fraction(result, composition=None) -> float | None:
    """Mass fraction of CO2 in a gas given as mole fractions (default: the stored charge), or None."""
    comp = composition if composition is not None else (result.context.get("charge") or {}).get("composition")
    if not comp:
        return None
    try:
        masses = {g: float(x) * GASES[g] for g, x in comp.items()}
    except (KeyError, TypeError, ValueError):
        return None
    total = sum(masses.values())
    return masses.get("CO2", 0.0) / total if total > 0 else None


def water_per_co2(result) -> float | None:
    """Planned water use of the modelled charge [t water per t CO2] = water:gas ratio / CO2 mass fraction."""
    charge = result.context.get("charge") or {}
    ratio = charge.get("water_gas_ratio")
    w = co2_mass_fraction(result)
    if ratio is None or not w:
        return None
    return float(ratio) / w


def phases(result) -> list[dict[str, Any]]:
    """Injection phases of the stored plan (``context["injection"]["phases"]``), or []."""
    inj = injection_ctx(result) or {}
    ph = inj.get("phases")
    return [p for p in ph if isinstance(p, dict)] if isinstance(ph, list) else []


def co2_rate_t_per_yr(result) -> float | None:
    """Highest CO2 injection rate of one well [t/yr at continuous injection] from the stored plan, or None.

    From the phases (gas rate x CO2 mass fraction of the phase gas), else from a
    ``co2_rate`` / ``storage_rate`` entry of ``context["injection"]``.
    """
    best = None
    for p in phases(result):
        rate = quantity(p.get("gas_rate"))
        wco2 = co2_mass_fraction(result, p.get("composition"))
        try:
            r = float(rate.to("t/yr").magnitude) * wco2 if rate is not None and wco2 is not None else None
        except Exception:  # noqa: BLE001 - not a mass rate
            r = None
        if r is not None and (best is None or r > best):
            best = r
    if best is not None:
        return best
    q = quantity(first_of(injection_ctx(result), "co2_rate", "co2_mass_rate", "storage_rate"))
    try:
        return None if q is None else float(q.to("t/yr").magnitude)
    except Exception:  # noqa: BLE001
        return None


def water_rate_t_per_yr(result) -> float | None:
    """Highest water rate of one well [t/yr at continuous injection] from the stored plan, or None."""
    rates = []
    for p in phases(result):
        q = quantity(p.get("water_rate"))
        try:
            rates.append(float(q.to("t/yr").magnitude))
        except Exception:  # noqa: BLE001
            continue
    return max(rates) if rates else None


def min_water_per_co2(result) -> float | None:
    """Minimum water for full dissolution [t water / t CO2] from the injection model (``water_demand``), or None."""
    q = quantity(first_of(injection_ctx(result), "water_demand"))
    try:
        return None if q is None else float(q.to("dimensionless").magnitude)
    except Exception:  # noqa: BLE001
        return None


def monitoring_points(result) -> dict[str, str]:
    """Monitoring points of a transport result (``context["transport"]["monitoring"]``: name -> distance)."""
    mon = (result.context.get("transport") or {}).get("monitoring")
    return dict(mon) if isinstance(mon, dict) else {}


def pore_water_kg(result) -> float | None:
    """Initial pore-water mass of the model [kg]: the ``water mass`` series, else cells x water mass per cell."""
    wm = result.series.get("water mass")
    if wm is not None:
        return float(wm.to("kg").magnitude[0])
    per_cell = quantity((result.context.get("experiment") or {}).get("water_mass"), "kg")
    cells = (result.context.get("transport") or {}).get("cells")
    if per_cell is not None and cells:
        return float(per_cell.magnitude) * int(cells)
    return None


def duration_days(result) -> float:
    return float(result.time.to("day").magnitude[-1] - result.time.to("day").magnitude[0])


def years_simulated(result) -> list[int]:
    """Which of 1, 2, 5 yr lie inside the simulated time span."""
    d = result.time.to("s").magnitude[-1]
    return [y for y in (1, 2, 5) if y * SECONDS_PER_YEAR <= d * (1 + 1e-9)]


def headline(result) -> list[dict[str, Any]]:
    """The answer rows: fraction at 1/2/5 yr and at the end, t50/t90/t95.

    Each row: ``label``, ``value`` (float or None, in ``unit``), ``unit``,
    ``text`` (what a reader sees) and ``key`` (stable id).
    """
    rows: list[dict[str, Any]] = []
    end = duration_days(result)
    f = result.mineralised_fraction.magnitude
    for years in (1, 2, 5):
        q = result.fraction_at(Q_(years * SECONDS_PER_YEAR, "s"))
        if q is None:
            rows.append(dict(key=f"f{years}", label=f"fraction mineralised at {years} yr", value=None, unit="%",
                             text=f"not simulated (run ends at {fmt_days(end)})"))
        else:
            v = float(q.magnitude)
            rows.append(dict(key=f"f{years}", label=f"fraction mineralised at {years} yr", value=v, unit="%",
                             text=fmt_pct(v)))
    rows.append(dict(key="fend", label=f"fraction mineralised at end, {fmt_days(end)}", value=float(f[-1]),
                     unit="%", text=fmt_pct(float(f[-1]))))
    for frac in (0.5, 0.9, 0.95):
        t = result.time_to_fraction(frac)
        pct = int(round(frac * 100))
        label = f"t{pct}: time to {pct}% mineralised"
        if t is None:
            rows.append(dict(key=f"t{pct}", label=label, value=None, unit="d",
                             text=f"not reached in {fmt_days(end)}"))
        else:
            v = float(t.to("day").magnitude)
            rows.append(dict(key=f"t{pct}", label=label, value=v, unit="d", text=fmt_days(v)))
    return rows


# -- formatting -------------------------------------------------------------
def sig(x: float, n: int = 3) -> str:
    """``x`` with ``n`` significant figures, no exponent for ordinary magnitudes."""
    if x is None or not np.isfinite(x):
        return "–"
    if x == 0:
        return "0"
    ax = abs(x)
    if 1e-3 <= ax < 1e6:
        digits = max(n - 1 - int(np.floor(np.log10(ax))), 0)
        return f"{x:,.{digits}f}"
    return f"{x:.{n - 1}e}"


def num(x: float) -> str:
    """A threshold or input number as written (``2``, ``0.1``, ``10,000``; up to 4 significant figures)."""
    if float(x).is_integer() and abs(x) < 1e12:
        return f"{x:,.0f}"
    return f"{x:,.4g}"


def fmt_pct(v: float) -> str:
    """A fraction [-] as a percentage with one decimal (``0.5842 -> "58.4 %"``)."""
    return f"{100.0 * v:.1f} %"


def fmt_days(d: float) -> str:
    """A time [d], with years added beyond 60 days (``"730.5 d (2.00 yr)"``)."""
    if d >= 60:
        return f"{sig(d, 4)} d ({d / 365.25:.2f} yr)"
    if d >= 1:
        return f"{sig(d, 3)} d"
    return f"{sig(d * 24, 3)} h"


def fmt_q(q, unit: str | None = None, n: int = 3) -> str:
    """A quantity as ``"530 m"`` (``n`` significant figures, compact unit symbols)."""
    if q is None:
        return NOT_MODELLED
    if unit is not None:
        q = q.to(unit)
    mag = q.magnitude
    u = f"{q.units:~P}"
    if u in ("", "dimensionless"):
        return sig(float(mag), n)
    return f"{sig(float(mag), n)} {u}"


def fmt_ctx(text: Any, unit: str | None = None) -> str:
    """A context string with units, tidied (``"5e-11 m ** 2"`` -> ``"5.00e-11 m²"``)."""
    q = quantity(text, unit)
    if q is None:
        return NOT_MODELLED if text in (None, "") else str(text)
    return fmt_q(q)
