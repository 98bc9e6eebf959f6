"""Model vs field at CarbFix1 monitoring well HN-04: misfit numbers.

:func:`hn04_misfit` compares the monitoring series of a transport
:class:`~ccus.result.result.Result` (``"HN-04 pH"``, ``"HN-04 DIC"``,
``"HN-04 SF6 mixing fraction"``, ``"HN-04 SF5CF3 mixing fraction"``,
``"fraction mineralised"``) with the 77 HN-04 samples of Matter et al. 2016
(:func:`ccus.field.load_hn04`) and returns a :class:`HN04Misfit`.

Conventions (one place, so every number in the docs means the same thing):

* the model series are interpolated linearly in time at the sample times;
  samples after the end of the run, or with a missing value, are left out;
* DIC: the model gives mol/kg water, the samples mmol/L; 1 kg of this dilute
  water is taken as 1 L (density within 0.3% of 1 kg/L below 35 C at
  CarbFix1 salinity), so model DIC [mol/kg] x 1000 = mmol/L;
* the field mass balance of the model (Matter et al. 2016 method, the same
  :func:`ccus.field.field_fraction_mineralised` as for the samples) uses the
  model's own monitoring series at the sample times and the model's own
  end-members (injectate DIC and ambient DIC of the experiment; see
  :func:`model_endmembers`), so it measures what a field team would have
  concluded had the model been the aquifer;
* "peak" and "minimum" are the extreme sample (field) or output step (model)
  over the compared period (up to the last sample the run covers); times are days after the start of phase I.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

import numpy as np
import pandas as pd

from ccus.field.hn04 import (
    DIC,
    HN04_ENDMEMBERS,
    PH,
    SF5CF3_PHASE2,
    SF6_PHASE1,
    TIME,
    HN04EndMembers,
    load_hn04,
)
from ccus.field.mass_balance import EVALUABLE_COL, F_INJ_COL, field_fraction_mineralised
from ccus.units import Q_

#: 1 kg of pore water taken as 1 L when model DIC [mol/kg] meets sample DIC [mmol/L].
MMOL_PER_L_PER_MOL_PER_KG = 1000.0


def interpolate_at(t_model, y_model, t_obs) -> np.ndarray:
    """Model values at the observation times (linear in time); NaN outside the model's time span.

    ``t_model`` [d] increasing, ``y_model`` the series, ``t_obs`` [d]. NaN model
    values propagate to the neighbouring interpolated points.
    """
    t_model = np.asarray(t_model, dtype=float)
    y_model = np.asarray(y_model, dtype=float)
    t_obs = np.asarray(t_obs, dtype=float)
    y = np.interp(t_obs, t_model, y_model)
    outside = (t_obs < t_model[0]) | (t_obs > t_model[-1] * (1 + 1e-12))
    return np.where(outside, np.nan, y)


def rmse(model_at_obs, observed) -> tuple[float, int]:
    """Root-mean-square of ``model - observed`` over the pairs where both are finite, and their number.

    Returns ``(nan, 0)`` when no pair is finite.
    """
    m = np.asarray(model_at_obs, dtype=float)
    o = np.asarray(observed, dtype=float)
    ok = np.isfinite(m) & np.isfinite(o)
    n = int(ok.sum())
    if n == 0:
        return float("nan"), 0
    return float(np.sqrt(np.mean((m[ok] - o[ok]) ** 2))), n


def extremum(t, y, kind: str, t_max: float | None = None) -> tuple[float, float]:
    """``(value, time)`` of the minimum (``kind="min"``) or maximum (``"max"``) of ``y`` over finite values.

    Only times ``<= t_max`` count when ``t_max`` is given. The first occurrence
    wins a tie. ``(nan, nan)`` when nothing is finite.
    """
    t = np.asarray(t, dtype=float)
    y = np.asarray(y, dtype=float)
    ok = np.isfinite(y) & np.isfinite(t)
    if t_max is not None:
        ok &= t <= t_max * (1 + 1e-12)
    if not ok.any():
        return float("nan"), float("nan")
    idx = np.nonzero(ok)[0]
    j = idx[np.argmin(y[idx])] if kind == "min" else idx[np.argmax(y[idx])] if kind == "max" else None
    if j is None:
        raise ValueError(f"kind must be 'min' or 'max', got {kind!r}")
    return float(y[j]), float(t[j])


def model_endmembers(experiment, base: HN04EndMembers = HN04_ENDMEMBERS) -> HN04EndMembers:
    """End-members of the model's own mass balance, from the experiment that produced the run.

    Injectate DIC of each phase = CO2 dissolved per kg water (the phase's
    ``water_gas_ratio`` and composition) + the carrier water's DIC (the site
    water, from which the injectate is made); groundwater DIC = the site
    water's C(4). Tracer concentrations are kept from ``base``: the model
    gives mixing fractions directly and :func:`model_monitoring_frame` turns
    them back into concentrations with the same values, so they cancel.
    """
    water_c = experiment.site.water.composition.get("C(4)")
    c_gw = Q_(0.0, "mol/kg") if water_c is None else water_c.to("mol/kg")
    phases = experiment.injection.phases
    dic = [Q_(p.moles_per_kg_water().get("CO2", 0.0), "mol/kg") + c_gw for p in phases]
    dic1 = dic[0]
    dic2 = dic[1] if len(dic) > 1 else dic[0]
    per_l = lambda q: Q_(q.to("mol/kg").magnitude, "mol/L")  # noqa: E731  (1 kg water ~ 1 L, module docstring)
    return replace(base, dic_injectate_phase1=per_l(dic1), dic_injectate_phase2=per_l(dic2),
                   dic_groundwater=per_l(c_gw).to("mmol/L"))


def model_monitoring_frame(result, point: str = "HN-04", times_d=None,
                           endmembers: HN04EndMembers = HN04_ENDMEMBERS) -> pd.DataFrame:
    """The model's monitoring series as a frame with the columns of :func:`ccus.field.load_hn04`.

    Columns "time [d]", "pH [-]", "DIC [mmol/L]", "SF6 phase I [ccSTP/cc]",
    "SF5CF3 phase II [ccSTP/cc]" (mixing fraction x the end-member injectate
    tracer), at ``times_d`` [d] (interpolated; default every output time).
    A missing tracer series gives NaN (SF6) or 0 (SF5CF3: no phase II).
    """
    t = result.time.to("day").magnitude
    s = result.series
    times = t if times_d is None else np.asarray(times_d, dtype=float)

    def at(name, scale=1.0, default=np.nan):
        if name not in s:
            return np.full(len(times), default)
        return interpolate_at(t, np.asarray(s[name].magnitude, dtype=float) * scale, times)

    dic_unit = s[f"{point} DIC"].to("mol/kg").magnitude if f"{point} DIC" in s else None
    dic = (interpolate_at(t, dic_unit * MMOL_PER_L_PER_MOL_PER_KG, times) if dic_unit is not None
           else np.full(len(times), np.nan))
    return pd.DataFrame({
        TIME: times,
        PH: at(f"{point} pH"),
        DIC: dic,
        SF6_PHASE1: at(f"{point} SF6 mixing fraction", endmembers.sf6_injectate_phase1.to("").magnitude),
        SF5CF3_PHASE2: at(f"{point} SF5CF3 mixing fraction", endmembers.sf5cf3_injectate_phase2.to("").magnitude,
                          default=0.0),
    })


@dataclass(frozen=True)
class HN04Misfit:
    """Model vs HN-04 samples (:func:`hn04_misfit`). Plain floats; units in the field names.

    Times are days after the start of phase I; ``*_lag_d`` = model time - field
    time (positive: the model is late). ``n_*`` = samples compared. NaN when a
    quantity cannot be formed (e.g. no tracer series in the model).
    """

    t_end_model_d: float
    ph_rmse: float
    n_ph: int
    ph_min_field: float
    ph_min_field_d: float
    ph_min_model: float
    ph_min_model_d: float
    ph_min_lag_d: float
    dic_rmse_mmol_per_l: float
    n_dic: int
    dic_peak_field_mmol_per_l: float
    dic_peak_field_d: float
    dic_peak_model_mmol_per_l: float
    dic_peak_model_d: float
    dic_peak_lag_d: float
    sf6_rmse: float
    n_sf6: int
    sf6_peak_field: float
    sf6_peak_field_d: float
    sf6_peak_model: float
    sf6_peak_model_d: float
    sf6_peak_lag_d: float
    fraction_field_samples: float
    n_fraction_field: int
    fraction_field_method_on_model: float
    n_fraction_model: int
    fraction_model_true_at_last_sample: float
    fraction_model_true_end: float

    def as_dict(self) -> dict[str, float]:
        """Field name -> value."""
        return asdict(self)

    def table(self) -> pd.DataFrame:
        """Quantity, field value, model value, difference, unit: one row per compared quantity."""
        rows = [
            ("pH RMSE at sample times", np.nan, self.ph_rmse, np.nan, "-"),
            ("pH minimum", self.ph_min_field, self.ph_min_model, self.ph_min_model - self.ph_min_field, "-"),
            ("time of pH minimum", self.ph_min_field_d, self.ph_min_model_d, self.ph_min_lag_d, "d"),
            ("DIC RMSE at sample times", np.nan, self.dic_rmse_mmol_per_l, np.nan, "mmol/L"),
            ("peak DIC", self.dic_peak_field_mmol_per_l, self.dic_peak_model_mmol_per_l,
             self.dic_peak_model_mmol_per_l - self.dic_peak_field_mmol_per_l, "mmol/L"),
            ("time of peak DIC", self.dic_peak_field_d, self.dic_peak_model_d, self.dic_peak_lag_d, "d"),
            ("SF6 mixing fraction RMSE", np.nan, self.sf6_rmse, np.nan, "-"),
            ("peak SF6 mixing fraction", self.sf6_peak_field, self.sf6_peak_model,
             self.sf6_peak_model - self.sf6_peak_field, "-"),
            ("time of peak SF6", self.sf6_peak_field_d, self.sf6_peak_model_d, self.sf6_peak_lag_d, "d"),
            ("fraction mineralised, field method (median)", self.fraction_field_samples,
             self.fraction_field_method_on_model, self.fraction_field_method_on_model - self.fraction_field_samples,
             "-"),
            ("fraction mineralised, model truth at last sample", np.nan, self.fraction_model_true_at_last_sample,
             np.nan, "-"),
        ]
        return pd.DataFrame(rows, columns=["quantity", "field", "model", "model - field", "unit"]).set_index("quantity")


def _median_fraction(frame: pd.DataFrame) -> tuple[float, int]:
    ev = frame[frame[EVALUABLE_COL]]
    return (float(ev[F_INJ_COL].median()) if len(ev) else float("nan")), int(len(ev))


def hn04_misfit(result, samples: pd.DataFrame | None = None, *, point: str = "HN-04",
                model_endmembers_: HN04EndMembers | None = None,
                field_endmembers: HN04EndMembers = HN04_ENDMEMBERS) -> HN04Misfit:
    """Misfit of a transport run's monitoring series against the HN-04 samples.

    Parameters
    ----------
    result
        A :class:`~ccus.result.result.Result` of a ``linear`` or ``radial``
        run with monitoring point ``point`` (series ``"<point> pH"``,
        ``"<point> DIC"`` [mol/kg], ``"<point> SF6 mixing fraction"`` and,
        optionally, ``"<point> SF5CF3 mixing fraction"``) and
        ``"fraction mineralised"``.
    samples
        The field samples (default :func:`ccus.field.load_hn04`).
    model_endmembers_
        End-members for the field method applied to the model (default: the
        field end-members; pass :func:`model_endmembers` of the experiment to
        use the model's own injectate and groundwater DIC).
    field_endmembers
        End-members for the samples (Matter et al. 2016).

    Returns
    -------
    HN04Misfit
        pH RMSE and the pH minimum (value, day, lag); DIC RMSE [mmol/L] and
        peak DIC (value, day, lag); SF6 mixing fraction RMSE and peak (value,
        day, lag); the median fraction of injected carbon mineralised by the
        Matter et al. 2016 method from the samples and from the model's own
        series at the same sample times; the model's true fraction (carbon in
        carbonates / carbon injected, whole model) at the last compared sample
        time and at the end of the run. Only samples up to the end of the run
        are compared.
    """
    df = load_hn04() if samples is None else samples
    t_end = float(result.time.to("day").magnitude[-1])
    df = df[df[TIME] <= t_end * (1 + 1e-12)].reset_index(drop=True)
    t_obs = df[TIME].to_numpy(dtype=float)
    em_model = field_endmembers if model_endmembers_ is None else model_endmembers_
    model_at = model_monitoring_frame(result, point, t_obs, em_model)
    full = model_monitoring_frame(result, point, None, em_model)
    t_mod = full[TIME].to_numpy()

    ph_rmse, n_ph = rmse(model_at[PH], df[PH])
    phf, phf_t = extremum(t_obs, df[PH], "min")
    t_last = float(np.nanmax(t_obs)) if len(t_obs) else float("nan")
    phm, phm_t = extremum(t_mod, full[PH], "min", t_last)
    dic_rmse, n_dic = rmse(model_at[DIC], df[DIC])
    dicf, dicf_t = extremum(t_obs, df[DIC], "max")
    dicm, dicm_t = extremum(t_mod, full[DIC], "max", t_last)
    x_field = df[SF6_PHASE1].to_numpy(dtype=float) / field_endmembers.sf6_injectate_phase1.to("").magnitude
    x_model = model_at[SF6_PHASE1].to_numpy(dtype=float) / em_model.sf6_injectate_phase1.to("").magnitude
    sf6_rmse, n_sf6 = rmse(x_model, x_field)
    sff, sff_t = extremum(t_obs, x_field, "max")
    sfm, sfm_t = extremum(t_mod, full[SF6_PHASE1].to_numpy(dtype=float) / em_model.sf6_injectate_phase1.to("").magnitude,
                          "max", t_last)

    f_field, n_ff = _median_fraction(field_fraction_mineralised(df, field_endmembers))
    # the model's series at the sample times where the field balance was evaluable, so both medians cover the
    # same days; the model's SF5CF3 is never missing, so phase II gaps do not remove samples.
    f_model, n_fm = _median_fraction(field_fraction_mineralised(model_at, em_model, phase2_missing="zero"))
    frac = np.asarray(result.series["fraction mineralised"].to("").magnitude, dtype=float)
    f_true_last = float(interpolate_at(t_mod, frac, [t_last])[0]) if np.isfinite(t_last) else float("nan")
    return HN04Misfit(
        t_end_model_d=t_end,
        ph_rmse=ph_rmse, n_ph=n_ph,
        ph_min_field=phf, ph_min_field_d=phf_t, ph_min_model=phm, ph_min_model_d=phm_t, ph_min_lag_d=phm_t - phf_t,
        dic_rmse_mmol_per_l=dic_rmse, n_dic=n_dic,
        dic_peak_field_mmol_per_l=dicf, dic_peak_field_d=dicf_t, dic_peak_model_mmol_per_l=dicm,
        dic_peak_model_d=dicm_t, dic_peak_lag_d=dicm_t - dicf_t,
        sf6_rmse=sf6_rmse, n_sf6=n_sf6,
        sf6_peak_field=sff, sf6_peak_field_d=sff_t, sf6_peak_model=sfm, sf6_peak_model_d=sfm_t,
        sf6_peak_lag_d=sfm_t - sff_t,
        fraction_field_samples=f_field, n_fraction_field=n_ff,
        fraction_field_method_on_model=f_model, n_fraction_model=n_fm,
        fraction_model_true_at_last_sample=f_true_last,
        fraction_model_true_end=float(frac[-1]),
    )
