"""Model-vs-field misfit at HN-04 (ccus.field.misfit) on synthetic series with hand-computed answers."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from ccus.field.hn04 import DIC, HN04_ENDMEMBERS, PH, SF5CF3_PHASE2, SF6_PHASE1, TIME, load_hn04
from ccus.field.misfit import (
    extremum,
    hn04_misfit,
    interpolate_at,
    model_endmembers,
    model_monitoring_frame,
    rmse,
)
from ccus.result.result import Result
from ccus.units import Q_

SF6_INJ = HN04_ENDMEMBERS.sf6_injectate_phase1.to("").magnitude

# Hand arithmetic below is exact up to float rounding; 1e-12 relative covers the rounding of a few
# additions and one square root.
RTOL = 1e-12


def synthetic_result() -> Result:
    t = np.array([0.0, 10.0, 20.0, 30.0, 40.0])  # d
    series = {
        "HN-04 pH": Q_(np.array([9.0, 8.0, 7.0, 8.0, 9.0]), ""),
        "HN-04 DIC": Q_(np.array([0.0015, 0.002, 0.004, 0.003, 0.002]), "mol/kg"),
        "HN-04 SF6 mixing fraction": Q_(np.array([0.0, 0.1, 0.2, 0.3, 0.2]), ""),
        "fraction mineralised": Q_(np.array([0.0, 0.2, 0.4, 0.6, 0.8]), ""),
        "pH": Q_(np.array([9.0, 8.0, 7.0, 8.0, 9.0]), ""),
    }
    return Result(name="synthetic", time=Q_(t * 86400.0, "s"), series=series, carbon_injected=Q_(1.0, "mol"))


def synthetic_samples() -> pd.DataFrame:
    # the sample at day 50 lies after the end of the run (40 d) and must be ignored everywhere
    return pd.DataFrame({
        TIME: [5.0, 20.0, 35.0, 50.0],
        PH: [9.0, 8.0, 7.5, 6.0],
        DIC: [1.6, 3.0, 4.0, 9.0],
        SF6_PHASE1: np.array([0.01, 0.15, 0.2, 0.5]) * SF6_INJ,
        SF5CF3_PHASE2: [np.nan] * 4,
    })


def test_building_blocks():
    assert_allclose(interpolate_at([0, 10], [1, 3], [5, -1, 11]), [2.0, np.nan, np.nan], rtol=RTOL)
    value, n = rmse([1.0, 2.0, np.nan], [0.0, 4.0, 1.0])
    assert n == 2
    assert_allclose(value, np.sqrt((1 + 4) / 2), rtol=RTOL)
    assert rmse([np.nan], [1.0])[1] == 0
    assert extremum([0, 1, 2, 3], [5, 1, 1, 0], "min", t_max=2) == (1.0, 1.0)  # first of a tie, t <= 2 only
    assert extremum([0, 1, 2], [5, 7, np.nan], "max") == (7.0, 1.0)
    with pytest.raises(ValueError, match="kind"):
        extremum([0], [1], "mean")


def test_model_monitoring_frame_units():
    f = model_monitoring_frame(synthetic_result(), times_d=[10.0, 15.0])
    assert_allclose(f[DIC], [2.0, 3.0], rtol=RTOL)  # mol/kg x 1000 -> mmol/L (1 kg ~ 1 L)
    assert_allclose(f[SF6_PHASE1] / SF6_INJ, [0.1, 0.15], rtol=RTOL)
    assert_allclose(f[SF5CF3_PHASE2], [0.0, 0.0])  # no phase II tracer in the run -> X2 = 0


def test_hn04_misfit_hand_computed():
    m = hn04_misfit(synthetic_result(), synthetic_samples())
    assert m.t_end_model_d == 40.0
    # model at 5, 20, 35 d: pH 8.5, 7, 8.5 vs 9, 8, 7.5 -> residuals -0.5, -1, 1
    assert m.n_ph == 3
    assert_allclose(m.ph_rmse, np.sqrt((0.25 + 1 + 1) / 3), rtol=RTOL)
    assert (m.ph_min_field, m.ph_min_field_d) == (7.5, 35.0)  # the pH 6 at day 50 is after the run
    assert (m.ph_min_model, m.ph_min_model_d, m.ph_min_lag_d) == (7.0, 20.0, -15.0)
    # DIC model 1.75, 4.0, 2.5 mmol/L vs 1.6, 3.0, 4.0
    assert_allclose(m.dic_rmse_mmol_per_l, np.sqrt((0.15**2 + 1.0 + 1.5**2) / 3), rtol=RTOL)
    assert_allclose([m.dic_peak_field_mmol_per_l, m.dic_peak_field_d], [4.0, 35.0], rtol=RTOL)
    assert_allclose([m.dic_peak_model_mmol_per_l, m.dic_peak_model_d, m.dic_peak_lag_d], [4.0, 20.0, -15.0], rtol=RTOL)
    # SF6 mixing fraction model 0.05, 0.2, 0.25 vs 0.01, 0.15, 0.2
    assert_allclose(m.sf6_rmse, np.sqrt((0.04**2 + 0.05**2 + 0.05**2) / 3), rtol=1e-9)  # X from ccSTP/cc ratios
    assert_allclose([m.sf6_peak_field, m.sf6_peak_field_d], [0.2, 35.0], rtol=1e-9)
    assert_allclose([m.sf6_peak_model, m.sf6_peak_model_d, m.sf6_peak_lag_d], [0.3, 30.0, -5.0], rtol=1e-9)
    # field method, f = (X 820 + (1 - X) 1.5 - DIC) / (X 820) [mmol/L]:
    # samples X 0.01, 0.15, 0.2 -> 8.085/8.2, 121.275/123, 161.2/164 -> median 121.275/123
    assert m.n_fraction_field == 3
    assert_allclose(m.fraction_field_samples, 121.275 / 123.0, rtol=1e-9)
    # model at the sample times X 0.05, 0.2, 0.25 -> 40.675/41, 161.2/164, 203.625/205 -> median 40.675/41
    assert m.n_fraction_model == 3
    assert_allclose(m.fraction_field_method_on_model, 40.675 / 41.0, rtol=1e-9)
    assert_allclose(m.fraction_model_true_at_last_sample, 0.7, rtol=RTOL)  # interpolated at day 35
    assert m.fraction_model_true_end == 0.8
    tab = m.table()
    assert_allclose(tab.loc["time of pH minimum", "model - field"], -15.0)
    assert set(m.as_dict()) >= {"ph_rmse", "dic_peak_model_mmol_per_l", "fraction_field_method_on_model"}


def test_model_endmembers_from_experiment():
    phase = lambda co2: SimpleNamespace(moles_per_kg_water=lambda: {"CO2": co2})  # noqa: E731
    exp = SimpleNamespace(site=SimpleNamespace(water=SimpleNamespace(composition={"C(4)": Q_(1.5, "mmol/kg")})),
                          injection=SimpleNamespace(phases=[phase(0.9), phase(0.5)]))
    em = model_endmembers(exp)
    assert_allclose(em.dic_injectate_phase1.to("mol/L").magnitude, 0.9015, rtol=RTOL)
    assert_allclose(em.dic_injectate_phase2.to("mol/L").magnitude, 0.5015, rtol=RTOL)
    assert_allclose(em.dic_groundwater.to("mmol/L").magnitude, 1.5, rtol=RTOL)
    assert em.sf6_injectate_phase1 == HN04_ENDMEMBERS.sf6_injectate_phase1


def test_model_equal_to_the_data_has_no_misfit():
    """A 'model' that is the measured series itself: zero RMSE and lag; the same field-method median."""
    df = load_hn04()
    ok = df[[PH, DIC, SF6_PHASE1]].notna().all(axis=1) & (df[TIME] < 150)  # before phase II arrives (day 156)
    d = df[ok].drop_duplicates(TIME).reset_index(drop=True)
    t = d[TIME].to_numpy()
    series = {
        "HN-04 pH": Q_(d[PH].to_numpy(), ""),
        "HN-04 DIC": Q_(d[DIC].to_numpy() / 1000.0, "mol/kg"),
        "HN-04 SF6 mixing fraction": Q_(d[SF6_PHASE1].to_numpy() / SF6_INJ, ""),
        "fraction mineralised": Q_(np.zeros(len(t)), ""),
    }
    r = Result(name="data", time=Q_(t * 86400.0, "s"), series=series, carbon_injected=Q_(1.0, "mol"))
    m = hn04_misfit(r, d)
    # interpolation at the model's own time points returns the values to float rounding
    assert m.ph_rmse < 1e-12 and m.dic_rmse_mmol_per_l < 1e-12 and m.sf6_rmse < 1e-12
    assert m.ph_min_lag_d == 0.0 and m.dic_peak_lag_d == 0.0 and m.sf6_peak_lag_d == 0.0
    assert m.n_fraction_model == m.n_fraction_field
    assert_allclose(m.fraction_field_method_on_model, m.fraction_field_samples, rtol=1e-12)


def test_plot_hn04_comparison_writes_png(tmp_path):
    import matplotlib.pyplot as plt

    from ccus.field.plots import plot_hn04_comparison

    out = tmp_path / "hn04.png"
    fig = plot_hn04_comparison({"synthetic": synthetic_result()}, synthetic_samples(), out=out)
    assert out.stat().st_size > 10_000  # a real 3-panel PNG at 120 dpi is far larger than an empty file
    assert len(fig.axes) == 3
    # the model line on the SF6 panel is the synthetic series itself
    lines = [ln for ln in fig.axes[2].get_lines() if ln.get_label() == "synthetic"]
    assert_allclose(lines[0].get_ydata(), [0.0, 0.1, 0.2, 0.3, 0.2])
    plt.close(fig)
