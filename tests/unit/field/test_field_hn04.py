"""HN-04 field data (Matter et al. 2016) and the field mass balance."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pint
import pytest

from ccus.field import (
    HN04_ENDMEMBERS,
    binned_summary,
    conservative_mix,
    field_fraction_mineralised,
    fraction_injected_mineralised,
    fraction_of_mix_lost,
    hn04_csv_path,
    load_hn04,
    mixing_fraction,
)
from ccus.field.mass_balance import EVALUABLE_COL, F_INJ_COL, F_MIX_COL, REASON_COL, X1_COL, X2_COL
from ccus.units import Q_

EM = HN04_ENDMEMBERS


@pytest.fixture(scope="module")
def hn04() -> pd.DataFrame:
    return load_hn04()


# ---------------------------------------------------------------- the data


def test_csv_loads_77_samples_day_1_to_539(hn04):
    assert len(hn04) == 77
    assert hn04["time [d]"].min() == 1.0
    assert hn04["time [d]"].max() == 539.0
    assert hn04["time [d]"].is_monotonic_increasing


def test_unit_bearing_columns(hn04):
    for col in (
        "time [d]",
        "pH [-]",
        "DIC [mmol/L]",
        "SF6 total [ccSTP/cc]",
        "SF6 phase I [ccSTP/cc]",
        "SF5CF3 phase II [ccSTP/cc]",
    ):
        assert col in hn04.columns
        assert pd.api.types.is_float_dtype(hn04[col])
    # spot values straight from the CSV (day 64, sample 733)
    row = hn04[hn04["time [d]"] == 64].iloc[0]
    assert row["sample id"] == 733
    assert row["pH [-]"] == 6.81
    assert row["DIC [mmol/L]"] == 3.65
    assert row["SF6 phase I [ccSTP/cc]"] == 2.78e-09


def test_shipped_csv_is_in_models_and_matches_shared_copy():
    path = hn04_csv_path()
    assert path.parts[-3:] == ("models", "field", "carbfix1_hn04_matter2016.csv")
    shared = Path(__file__).resolve().parents[4] / "shared" / "data" / path.name
    if shared.exists():  # CI clones have shared/ beside the repository
        assert shared.read_bytes() == path.read_bytes()


def test_endmembers_are_quantities_with_citations():
    assert EM.sf6_injectate_phase1.to("dimensionless").magnitude == 2.33e-8
    assert EM.sf5cf3_injectate_phase2.to("dimensionless").magnitude == 2.24e-8
    assert EM.sf6_ambient.to("dimensionless").magnitude == 2.44e-12
    assert EM.dic_injectate_phase1.to("mol/L").magnitude == pytest.approx(0.82)
    assert EM.dic_groundwater.to("mmol/L").magnitude == pytest.approx(1.5)
    assert EM.ph_groundwater.magnitude == 9.43
    assert EM.ph_groundwater_temperature.to("degC").magnitude == pytest.approx(20.0)
    assert EM.alkalinity_groundwater.to("mmol/L").magnitude == pytest.approx(1.91)
    for name in EM.__dataclass_fields__:
        assert isinstance(getattr(EM, name), pint.Quantity)
        assert EM.citations[name]
    assert "dic_injectate_phase2" in EM.assumed
    with pytest.raises(AttributeError):
        EM.dic_groundwater = Q_(2.0, "mmol/L")  # frozen


def test_import_ccus_field_is_light():
    code = "import sys, ccus.field; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ---------------------------------------------------------------- the method


def test_mixing_fraction_default_and_background_corrected():
    x = mixing_fraction(2.33e-9, EM.sf6_injectate_phase1)
    assert x.magnitude == pytest.approx(0.1)
    s, i, a = 2.33e-9, 2.33e-8, 2.44e-12
    xc = mixing_fraction(Q_(s, ""), i, a, subtract_ambient=True)
    assert xc.magnitude == pytest.approx((s - a) / (i - a), rel=1e-14)
    assert xc.magnitude < x.magnitude
    assert np.isnan(mixing_fraction(np.array([np.nan]), i).magnitude[0])
    with pytest.raises(pint.DimensionalityError):
        mixing_fraction(Q_(1.0, "m"), i)


def test_hand_computed_sample_day_64(hn04):
    """Sample 733 (day 64), computed by hand from the CSV and the end-members."""
    x = 2.78e-9 / 2.33e-8  # 0.1193133
    dic_mix = x * 820.0 + (1 - x) * 1.5  # 99.15794 mmol/L
    f_inj = (dic_mix - 3.65) / (x * 820.0)  # 0.976195
    f_mix = 1 - 3.65 / dic_mix  # 0.963190
    assert dic_mix == pytest.approx(99.15794, rel=1e-6)
    r = field_fraction_mineralised(hn04)
    row = r[r["time [d]"] == 64].iloc[0]
    assert row[X1_COL] == pytest.approx(x, rel=1e-12)
    assert row[X2_COL] == 0.0  # before phase II arrived
    assert row["DIC mix [mmol/L]"] == pytest.approx(dic_mix, rel=1e-12)
    assert row[F_INJ_COL] == pytest.approx(f_inj, rel=1e-12)
    assert row[F_MIX_COL] == pytest.approx(f_mix, rel=1e-12)
    assert f_inj == pytest.approx(0.976195, abs=1e-6)
    assert row[EVALUABLE_COL]


def test_phase2_tracer_enters_after_arrival(hn04):
    r = field_fraction_mineralised(hn04)
    row = r[r["time [d]"] == 156].iloc[0]  # first SF5CF3 detection
    x1, x2 = 3.17e-9 / 2.33e-8, 2.66e-11 / 2.24e-8
    assert row[X2_COL] == pytest.approx(x2, rel=1e-12)
    mix = x1 * 820 + x2 * 820 + (1 - x1 - x2) * 1.5
    assert row["DIC mix [mmol/L]"] == pytest.approx(mix, rel=1e-12)
    assert row[F_INJ_COL] == pytest.approx((mix - 3.0) / ((x1 + x2) * 820), rel=1e-12)
    # after arrival, a missing SF5CF3 value is not guessed ...
    gap = r[r["time [d]"] == 477].iloc[0]
    assert not gap[EVALUABLE_COL] and "SF5CF3" in gap[REASON_COL]
    assert np.isnan(gap[F_INJ_COL])
    # ... unless asked to take X2 = 0
    r0 = field_fraction_mineralised(hn04, phase2_missing="zero")
    assert r0[r0["time [d]"] == 477].iloc[0][EVALUABLE_COL]


def _synthetic(x, dic):
    n = len(x)
    return pd.DataFrame(
        {
            "time [d]": np.arange(1.0, n + 1),
            "SF6 phase I [ccSTP/cc]": np.asarray(x) * 2.33e-8,
            "SF5CF3 phase II [ccSTP/cc]": np.full(n, np.nan),
            "DIC [mmol/L]": dic,
        }
    )


def test_conservative_mixing_gives_zero_mineralised():
    x = np.array([0.002, 0.01, 0.1, 0.5, 0.9])
    dic = x * 820.0 + (1 - x) * 1.5  # DIC exactly as conservative mixing predicts
    r = field_fraction_mineralised(_synthetic(x, dic))
    assert r[EVALUABLE_COL].all()
    np.testing.assert_allclose(r[F_INJ_COL], 0.0, atol=1e-12)
    np.testing.assert_allclose(r[F_MIX_COL], 0.0, atol=1e-12)


def test_half_of_injected_carbon_removed_gives_one_half():
    x = np.array([0.002, 0.01, 0.1, 0.5, 0.9])
    dic = 0.5 * x * 820.0 + (1 - x) * 1.5
    r = field_fraction_mineralised(_synthetic(x, dic))
    np.testing.assert_allclose(r[F_INJ_COL], 0.5, rtol=1e-12)
    # the mixture form divides the same loss by more carbon (groundwater DIC too)
    mix = x * 820.0 + (1 - x) * 1.5
    np.testing.assert_allclose(r[F_MIX_COL], 0.5 * x * 820.0 / mix, rtol=1e-12)
    assert (r[F_MIX_COL] < 0.5).all()


def test_low_level_functions_are_vectorised_with_units():
    x = np.array([0.0, 0.1, 0.5])
    mix = conservative_mix(x, Q_(0.82, "mol/L"), Q_(1.5, "mmol/L"))
    assert mix.units == Q_(1, "mmol/L").units
    np.testing.assert_allclose(mix.magnitude, [1.5, 0.1 * 820 + 0.9 * 1.5, 0.5 * 820 + 0.5 * 1.5])
    meas = Q_(0.5 * x * 0.82 + (1 - x) * 1.5e-3, "mol/L")  # other unit than the end-members
    f = fraction_injected_mineralised(meas, x, Q_(820, "mmol/L"), Q_(1.5, "mmol/L"))
    assert np.isnan(f.magnitude[0])  # no tracer: not evaluable, not 0 or 1
    np.testing.assert_allclose(f.magnitude[1:], 0.5)
    g = fraction_of_mix_lost(meas, x, Q_(820, "mmol/L"), Q_(1.5, "mmol/L"))
    assert np.isnan(g.magnitude[0])
    # the same functions do a 14C balance in Bq/L
    c14 = fraction_of_mix_lost(Q_(0.4, "Bq/L"), 0.1, Q_(40.0, "Bq/L"), Q_(0.0006, "Bq/L"))
    assert c14.magnitude == pytest.approx(1 - 0.4 / (4.0 + 0.9 * 0.0006))
    with pytest.raises(TypeError):
        conservative_mix(0.1, 820.0, Q_(1.5, "mmol/L"))


def test_not_evaluable_samples_are_flagged_never_zero_or_one(hn04):
    r = field_fraction_mineralised(hn04)
    bad = r[~r[EVALUABLE_COL]]
    assert len(bad) == 77 - 58
    assert bad[F_INJ_COL].isna().all() and bad[F_MIX_COL].isna().all()
    assert (bad[REASON_COL] != "").all()
    assert (r.loc[r[EVALUABLE_COL], REASON_COL] == "").all()
    day1 = r[r["time [d]"] == 1].iloc[0]  # SF6 at the ambient level: no signal
    assert "below threshold" in day1[REASON_COL]
    day2 = r[r["time [d]"] == 2].iloc[0]  # no phase I SF6 value
    assert "no phase I tracer" in day2[REASON_COL]
    day266 = r[r["time [d]"] == 266].iloc[0]
    assert day266[REASON_COL] == "no DIC"
    # synthetic: tracer at zero and below the threshold
    s = field_fraction_mineralised(_synthetic([0.0, 5e-4, 2e-3], [1.5, 1.5, 1.5]))
    assert list(s[EVALUABLE_COL]) == [False, False, True]
    assert s[F_INJ_COL].isna().tolist() == [True, True, False]


def test_measured_samples_give_high_fraction(hn04):
    r = field_fraction_mineralised(hn04)
    ev = r[r[EVALUABLE_COL]]
    late = ev[ev["time [d]"] >= 90]
    assert (late[F_INJ_COL] > 0.97).all()
    summary = binned_summary(r)
    assert list(summary.index)[-1] == "all"
    assert summary.loc["all", "n samples"] == 77
    assert summary.loc["all", "n evaluable"] == 58
    assert summary["n samples"].iloc[:-1].sum() == 77
    assert 0.95 < summary.loc["all", "median " + F_INJ_COL] < 1.0
    empty = binned_summary(r, bins_days=[600.0, 700.0])
    assert empty.loc["600-700 d", "n evaluable"] == 0
    assert np.isnan(empty.loc["600-700 d", "median " + F_INJ_COL])


def test_example_script_writes_figure(tmp_path):
    import importlib.util

    script = Path(__file__).resolve().parents[3] / "docs" / "examples" / "hn04_mass_balance.py"
    spec = importlib.util.spec_from_file_location("hn04_mass_balance_example", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path / "hn04.png"
    summary = module.main(out)
    assert out.stat().st_size > 10_000
    assert summary.loc["all", "n evaluable"] == 58


def test_load_errors_are_clear(tmp_path):
    with pytest.raises(FileNotFoundError, match="HN-04 data file not found"):
        load_hn04(tmp_path / "missing.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("sample_id,days_after_injection_start\n1,1\n")
    with pytest.raises(ValueError, match="missing"):
        load_hn04(bad)
    with pytest.raises(KeyError, match="load_hn04"):
        field_fraction_mineralised(pd.DataFrame({"time [d]": [1.0]}))
