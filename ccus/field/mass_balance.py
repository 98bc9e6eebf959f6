"""Field mass balance of Matter et al. 2016: how much injected carbon is gone.

A monitoring-well sample is taken to be a conservative mixture of injectate
and ambient groundwater; the non-reactive tracer (SF6 in phase I, SF5CF3 in
phase II) gives the mixing fraction, the mixture's DIC follows, and the DIC
missing from the measured sample is carbon lost to minerals.

Equations (one sample; "inj" injectate, "gw" ambient groundwater):

* mixing fraction, default (the form of the data README):
  ``X = tracer_sample / tracer_inj``;
  background-corrected form (``subtract_ambient=True``, the textbook form of
  ``tracer_sample = X tracer_inj + (1 - X) tracer_gw``):
  ``X = (tracer_sample - tracer_gw) / (tracer_inj - tracer_gw)``.
  The default does not subtract the ambient SF6 because the HN-04 phase I SF6
  column is already background-corrected (the large SF6 left from the
  2008-2011 tracer tests, ~1.5e-9 ccSTP/cc and falling, has been removed); the
  ambient value 2.44e-12 ccSTP/cc equals that column's day-1 value, so
  subtracting it again changes X by at most 2.44e-12 / 2.33e-8 = 1.05e-4,
  negligible above the evaluability threshold.
* conservative mixture (two injection phases, each with its own tracer):
  ``DIC_mix = X1 DIC_inj1 + X2 DIC_inj2 + (1 - X1 - X2) DIC_gw``;
* injected carbon in the sample: ``DIC_injected = X1 DIC_inj1 + X2 DIC_inj2``;
* fraction of the *injected* carbon mineralised (the quantity Matter et al.
  2016 report as "> 95%"):
  ``f_inj = (DIC_mix - DIC_measured) / DIC_injected``;
* fraction of the *mixture's* DIC lost (the form of the data README):
  ``f_mix = 1 - DIC_measured / DIC_mix``.

``f_inj = f_mix * DIC_mix / DIC_injected``: the mixture also holds the
groundwater's own DIC, so ``f_mix`` divides the same loss by a larger amount
and is always closer to zero; the two agree when the injectate dominates
(``X DIC_inj >> (1 - X) DIC_gw``) and differ most in dilute samples, where
``f_mix`` tends to ``1 - DIC_measured / DIC_gw`` (a statement about the
groundwater, not the injected carbon) and ``f_inj`` becomes noise divided by
a small number. ``f_inj`` can exceed 1 (the sample lost more carbon than was
injected into it: groundwater DIC also precipitated, or X is overestimated)
and be negative (carbon gained, e.g. from dissolving pre-existing calcite);
neither is clipped.

Samples whose tracer signal is below a threshold (default: mixing fraction
``X1 + X2 < 1e-3``, about ten times the ambient SF6 / injectate ratio; at
X = 1e-3 the injected DIC is 0.82 mmol/L, about half the groundwater DIC) or
that lack a needed measurement are *not evaluable*: their fractions are NaN,
with the reason in the column ``"not evaluable because"``; they are never
reported as 0 or 100%.

The same functions serve for 14C (``conservative_mix`` and
``fraction_of_mix_lost`` with Bq/L instead of mmol/L), the balance Matter et
al. report; the compiled 14C columns are shifted (see
``models/field/README.md``) and are not used by :func:`field_fraction_mineralised`.

All public functions take and return pint quantities (arrays allowed); tracer
ratios may be given as plain numbers (dimensionless).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pint

from ccus.field.hn04 import DIC, HN04_ENDMEMBERS, SF5CF3_PHASE2, SF6_PHASE1, TIME, HN04EndMembers
from ccus.units import Q_

#: Default evaluability threshold on the total mixing fraction X1 + X2.
DEFAULT_MIN_MIXING_FRACTION = 1e-3

#: Default time bins of :func:`binned_summary` [d]: 90-day bins over the record.
DEFAULT_BINS_DAYS = (0.0, 90.0, 180.0, 270.0, 360.0, 450.0, 540.0)

# Output columns of field_fraction_mineralised.
X1_COL = "X phase I [-]"
X2_COL = "X phase II [-]"
DIC_INJ_COL = "injected DIC in sample [mmol/L]"
DIC_MIX_COL = "DIC mix [mmol/L]"
DIC_LOST_COL = "DIC lost [mmol/L]"
F_INJ_COL = "fraction of injected C mineralised [-]"
F_MIX_COL = "fraction of DIC_mix lost [-]"
EVALUABLE_COL = "evaluable"
REASON_COL = "not evaluable because"


def _ratio(value: Any, name: str) -> np.ndarray:
    """A dimensionless tracer ratio as a float array (quantity or plain number)."""
    if isinstance(value, pint.Quantity):
        if not value.dimensionless:
            raise pint.DimensionalityError(value.units, "dimensionless", extra_msg=f" ({name})")
        return np.asarray(value.to("dimensionless").magnitude, dtype=float)
    return np.asarray(value, dtype=float)


def _conc(value: Any, name: str) -> pint.Quantity:
    if not isinstance(value, pint.Quantity):
        raise TypeError(f"{name} must be a pint quantity (e.g. Q_(1.5, 'mmol/L')), got {type(value).__name__}")
    return value


def mixing_fraction(
    tracer_sample: Any,
    tracer_injectate: Any,
    tracer_ambient: Any = 0.0,
    *,
    subtract_ambient: bool = False,
) -> pint.Quantity:
    """Fraction X of injectate in a sample, from a conservative tracer.

    ``X = tracer_sample / tracer_injectate`` by default;
    ``X = (tracer_sample - tracer_ambient) / (tracer_injectate - tracer_ambient)``
    with ``subtract_ambient=True`` (see the module docstring for which to use).
    Tracers are dimensionless volume ratios (ccSTP/cc), as quantities or plain
    numbers; NaN samples give NaN. Returns a dimensionless quantity.
    """
    s = _ratio(tracer_sample, "tracer_sample")
    i = _ratio(tracer_injectate, "tracer_injectate")
    a = _ratio(tracer_ambient, "tracer_ambient") if subtract_ambient else 0.0
    if np.any(np.asarray(i - a) <= 0):
        raise ValueError("tracer_injectate must exceed tracer_ambient")
    return Q_((s - a) / (i - a), "dimensionless")


def conservative_mix(
    x: Any,
    c_injectate: pint.Quantity,
    c_groundwater: pint.Quantity,
    x2: Any = None,
    c_injectate2: pint.Quantity | None = None,
) -> pint.Quantity:
    """Concentration of a conservative mixture: ``X c_inj + X2 c_inj2 + (1 - X - X2) c_gw``.

    Works for DIC (mol/L) or 14C (Bq/L); returned in the unit of
    ``c_groundwater``. ``x2``/``c_injectate2`` add a second injectate (phase II).
    """
    c_gw = _conc(c_groundwater, "c_groundwater")
    unit = c_gw.units
    x1 = _ratio(x, "x")
    inj = _conc(c_injectate, "c_injectate").to(unit).magnitude
    total = x1 * inj + (1.0 - x1) * c_gw.magnitude
    if x2 is not None:
        if c_injectate2 is None:
            raise ValueError("x2 given without c_injectate2")
        xx2 = _ratio(x2, "x2")
        inj2 = _conc(c_injectate2, "c_injectate2").to(unit).magnitude
        total = total + xx2 * (inj2 - c_gw.magnitude)
    return Q_(total, unit)


def _injected(x, c_injectate, x2, c_injectate2, unit) -> np.ndarray:
    inj = _ratio(x, "x") * _conc(c_injectate, "c_injectate").to(unit).magnitude
    if x2 is not None:
        if c_injectate2 is None:
            raise ValueError("x2 given without c_injectate2")
        inj = inj + _ratio(x2, "x2") * _conc(c_injectate2, "c_injectate2").to(unit).magnitude
    return np.asarray(inj, dtype=float)


def _below(x, x2, min_mixing_fraction) -> np.ndarray:
    xt = _ratio(x, "x") + (0.0 if x2 is None else _ratio(x2, "x2"))
    return ~(np.asarray(xt) >= min_mixing_fraction)  # NaN -> True (not evaluable)


def fraction_injected_mineralised(
    c_measured: pint.Quantity,
    x: Any,
    c_injectate: pint.Quantity,
    c_groundwater: pint.Quantity,
    x2: Any = None,
    c_injectate2: pint.Quantity | None = None,
    *,
    min_mixing_fraction: float = DEFAULT_MIN_MIXING_FRACTION,
) -> pint.Quantity:
    """Fraction of the *injected* carbon lost: ``(C_mix - C_measured) / (X C_inj [+ X2 C_inj2])``.

    NaN where ``X (+ X2) < min_mixing_fraction`` or an input is NaN (not
    evaluable). Not clipped to [0, 1]. Dimensionless quantity.
    """
    unit = _conc(c_groundwater, "c_groundwater").units
    mix = conservative_mix(x, c_injectate, c_groundwater, x2, c_injectate2).magnitude
    meas = _conc(c_measured, "c_measured").to(unit).magnitude
    inj = _injected(x, c_injectate, x2, c_injectate2, unit)
    with np.errstate(divide="ignore", invalid="ignore"):
        f = (mix - meas) / inj
    f = np.where(_below(x, x2, min_mixing_fraction), np.nan, f)
    return Q_(f if np.ndim(f) else float(f), "dimensionless")


def fraction_of_mix_lost(
    c_measured: pint.Quantity,
    x: Any,
    c_injectate: pint.Quantity,
    c_groundwater: pint.Quantity,
    x2: Any = None,
    c_injectate2: pint.Quantity | None = None,
    *,
    min_mixing_fraction: float = DEFAULT_MIN_MIXING_FRACTION,
) -> pint.Quantity:
    """Fraction of the mixture's carbon lost: ``1 - C_measured / C_mix`` (the data README form).

    NaN where not evaluable (as :func:`fraction_injected_mineralised`).
    Dimensionless quantity.
    """
    unit = _conc(c_groundwater, "c_groundwater").units
    mix = conservative_mix(x, c_injectate, c_groundwater, x2, c_injectate2).magnitude
    meas = _conc(c_measured, "c_measured").to(unit).magnitude
    with np.errstate(divide="ignore", invalid="ignore"):
        f = 1.0 - meas / mix
    f = np.where(_below(x, x2, min_mixing_fraction), np.nan, f)
    return Q_(f if np.ndim(f) else float(f), "dimensionless")


def field_fraction_mineralised(
    df: pd.DataFrame,
    endmembers: HN04EndMembers = HN04_ENDMEMBERS,
    *,
    subtract_ambient: bool = False,
    min_mixing_fraction: float = DEFAULT_MIN_MIXING_FRACTION,
    use_phase2: bool = True,
    phase2_missing: str = "not evaluable",
) -> pd.DataFrame:
    """Per-sample mass balance of HN-04 samples (a frame from :func:`ccus.field.load_hn04`).

    Parameters
    ----------
    df
        Needs the columns "time [d]", "DIC [mmol/L]", "SF6 phase I [ccSTP/cc]"
        and (with ``use_phase2``) "SF5CF3 phase II [ccSTP/cc]".
    endmembers
        Injectate and groundwater end-members (default the Matter et al. 2016
        values, :data:`ccus.field.hn04.HN04_ENDMEMBERS`).
    subtract_ambient
        Background-correct the SF6 mixing fraction with the ambient SF6 (see
        the module docstring; default off, as in the data README).
    min_mixing_fraction
        Samples with X1 + X2 below this are not evaluable.
    use_phase2
        Add phase II injectate via SF5CF3 (X2) for samples from the first
        SF5CF3 detection on; samples before it have X2 = 0 (phase II water has
        not arrived). With ``False``, X2 = 0 everywhere.
    phase2_missing
        What to do with a sample after the first SF5CF3 detection that has no
        SF5CF3 value: ``"not evaluable"`` (default) or ``"zero"`` (take X2 = 0;
        X2 is below 0.004 in every measured sample).

    Returns
    -------
    pandas.DataFrame
        A copy of ``df`` with the columns "X phase I [-]", "X phase II [-]",
        "injected DIC in sample [mmol/L]", "DIC mix [mmol/L]", "DIC lost
        [mmol/L]", "fraction of injected C mineralised [-]", "fraction of
        DIC_mix lost [-]", "evaluable" (bool) and "not evaluable because"
        (empty string when evaluable). Fractions are NaN when not evaluable.
    """
    if phase2_missing not in ("not evaluable", "zero"):
        raise ValueError(f"phase2_missing must be 'not evaluable' or 'zero', got {phase2_missing!r}")
    needed = [TIME, DIC, SF6_PHASE1] + ([SF5CF3_PHASE2] if use_phase2 else [])
    absent = [c for c in needed if c not in df.columns]
    if absent:
        raise KeyError(f"columns {absent} missing; load the data with ccus.field.load_hn04()")
    em = endmembers
    out = df.copy()
    t = out[TIME].to_numpy(dtype=float)
    dic = out[DIC].to_numpy(dtype=float)
    sf6 = out[SF6_PHASE1].to_numpy(dtype=float)

    x1 = mixing_fraction(sf6, em.sf6_injectate_phase1, em.sf6_ambient, subtract_ambient=subtract_ambient).magnitude
    x2 = np.zeros_like(x1)
    reasons = np.full(len(out), "", dtype=object)
    if use_phase2:
        sf5 = out[SF5CF3_PHASE2].to_numpy(dtype=float)
        x2_meas = mixing_fraction(sf5, em.sf5cf3_injectate_phase2).magnitude
        detected = np.isfinite(sf5)
        t_arrival = t[detected].min() if detected.any() else np.inf
        after = t >= t_arrival
        x2 = np.where(after, x2_meas, 0.0)
        gap = after & ~detected
        if phase2_missing == "zero":
            x2 = np.where(gap, 0.0, x2)
        else:
            reasons = np.where(gap, "no phase II tracer (SF5CF3) after phase II arrival", reasons)

    reasons = np.where(np.isnan(x1), "no phase I tracer (SF6 phase I)", reasons)
    low = np.isfinite(x1) & np.isfinite(x2) & ~((x1 + x2) >= min_mixing_fraction)
    reasons = np.where(low & (reasons == ""), f"tracer below threshold (X < {min_mixing_fraction:g})", reasons)
    reasons = np.where(np.isnan(dic) & (reasons == ""), "no DIC", reasons)
    evaluable = reasons == ""

    mmol = "mmol/L"
    c_gw = em.dic_groundwater.to(mmol)
    args = (x1, em.dic_injectate_phase1, c_gw, x2, em.dic_injectate_phase2)
    measured = Q_(dic, mmol)
    mix = conservative_mix(*args).to(mmol).magnitude
    inj = _injected(x1, em.dic_injectate_phase1, x2, em.dic_injectate_phase2, mmol)
    f_inj = fraction_injected_mineralised(measured, *args, min_mixing_fraction=min_mixing_fraction).magnitude
    f_mix = fraction_of_mix_lost(measured, *args, min_mixing_fraction=min_mixing_fraction).magnitude

    nan = np.nan
    out[X1_COL] = x1
    out[X2_COL] = x2
    out[DIC_INJ_COL] = inj
    out[DIC_MIX_COL] = mix
    out[DIC_LOST_COL] = np.where(evaluable, mix - dic, nan)
    out[F_INJ_COL] = np.where(evaluable, f_inj, nan)
    out[F_MIX_COL] = np.where(evaluable, f_mix, nan)
    out[EVALUABLE_COL] = evaluable
    out[REASON_COL] = reasons.astype(str)
    return out


def binned_summary(
    result: pd.DataFrame,
    bins_days: tuple[float, ...] | list[float] | np.ndarray = DEFAULT_BINS_DAYS,
) -> pd.DataFrame:
    """Time-binned summary of :func:`field_fraction_mineralised` output.

    One row per bin ``[start, end)`` in days, plus a final row "all": number
    of samples and of evaluable samples, the median, minimum and maximum of
    the fraction of injected carbon mineralised, the median fraction of DIC_mix
    lost, and the median mixing fraction X phase I. Bins without evaluable
    samples have NaN statistics (never 0).
    """
    edges = np.asarray(bins_days, dtype=float)
    if edges.ndim != 1 or len(edges) < 2 or np.any(np.diff(edges) <= 0):
        raise ValueError("bins_days must be at least two increasing edges")
    t = result[TIME].to_numpy(dtype=float)
    rows = []
    spans = [(edges[i], edges[i + 1], f"{edges[i]:g}-{edges[i + 1]:g} d") for i in range(len(edges) - 1)]
    spans.append((edges[0], edges[-1], "all"))
    for start, end, label in spans:
        sel = result[(t >= start) & (t < end)]
        ev = sel[sel[EVALUABLE_COL]]
        f = ev[F_INJ_COL]
        rows.append(
            {
                "bin": label,
                "t start [d]": start,
                "t end [d]": end,
                "n samples": len(sel),
                "n evaluable": len(ev),
                "median " + F_INJ_COL: f.median() if len(ev) else np.nan,
                "min " + F_INJ_COL: f.min() if len(ev) else np.nan,
                "max " + F_INJ_COL: f.max() if len(ev) else np.nan,
                "median " + F_MIX_COL: ev[F_MIX_COL].median() if len(ev) else np.nan,
                "median " + X1_COL: ev[X1_COL].median() if len(ev) else np.nan,
            }
        )
    return pd.DataFrame(rows).set_index("bin")
