"""Site comparison: sites as columns, ranking follows the weights, mismatched engines flagged."""

from __future__ import annotations

import os

import pytest
from configs_small import SMALL

import ccus
from ccus.errors import ConfigError
from ccus.reporting.comparison import RANK_ROW, compare, compare_file, format_frame, ranking
from unit.report.synthetic_results import synthetic


def _sites():
    # fast: t90 = 60 d but a high water demand (fails water); slow: t90 = 8 yr (caution), little water
    fast = synthetic("fast", t90_days=60.0, water_gas_ratio=80.0, site_name="Fast", years=10)
    slow = synthetic("slow", t90_days=8 * 365.25, water_gas_ratio=20.0, site_name="Slow", years=10)
    return fast, slow


def test_sites_as_columns_criteria_as_rows():
    frame = compare(list(_sites()))
    assert list(frame.columns) == ["Fast", "Slow"]
    assert any(i.startswith("Mineralisation time") for i in frame.index)
    assert any(i.startswith("Cost per tonne") for i in frame.index)
    assert RANK_ROW in frame.index
    assert set(frame.attrs["weights"]) == {"mineralisation_time", "water", "pressure_margin", "clogging",
                                           "storage_rate", "cost"}


def test_ranking_follows_weights():
    fast, slow = _sites()
    speed = compare([fast, slow], weights={"mineralisation_time": 10, "water": 1})
    assert ranking(speed) == ["Fast", "Slow"]
    assert speed.loc[RANK_ROW].tolist() == ["1", "2"]
    water = compare([fast, slow], weights={"mineralisation_time": 1, "water": 10})
    assert ranking(water) == ["Slow", "Fast"]
    # weighted mean of the criterion scores, by hand
    s = water.attrs["scores"]
    w = water.attrs["weights"]
    ok = s["Slow"].notna()
    by_hand = sum(s["Slow"][k] * w[k] for k in s.index if ok[k]) / sum(w[k] for k in s.index if ok[k])
    assert water.attrs["weighted_score"]["Slow"] == pytest.approx(by_hand)
    assert "weights (criterion: weight, share)" in format_frame(water)


def test_weights_from_file_and_errors(tmp_path):
    f = tmp_path / "w.toml"
    f.write_text("[weights]\nwater = 10\nmineralisation_time = 1\n")
    assert ranking(compare(list(_sites()), weights=f)) == ["Slow", "Fast"]
    with pytest.raises(ConfigError, match="did you mean 'water'"):
        compare(list(_sites()), weights={"watr": 1})
    with pytest.raises(ConfigError, match="weights.cost"):
        compare(list(_sites()), weights={"cost": -1})


def test_different_engines_and_databases_flagged():
    a = synthetic("a", engine="phreeqc", database="Kinec_v3.dat")
    b = synthetic("b", engine="native", database="carbfix.dat")
    warns = " ".join(compare([a, b]).attrs["warnings"])
    assert "different engines" in warns and "different databases" in warns
    assert not [w for w in compare(list(_sites())).attrs["warnings"] if "different" in w]


def test_duplicate_site_names_get_distinct_columns():
    frame = compare([synthetic("x1", site_name="Same"), synthetic("x2", site_name="Same")])
    assert list(frame.columns) == ["Same (x1)", "Same (x2)"]


def test_compare_file_runs_missing_then_reuses(tmp_path, small_store):
    (tmp_path / "small.toml").write_text(SMALL)
    sites = tmp_path / "sites.toml"
    sites.write_text('[compare]\ntitle = "t"\nexperiments = ["small.toml"]\n[weights]\ncost = 2\n')
    # a store that is up to date (same config hash) is reused, not re-run
    store = tmp_path / "small.h5"
    store.write_bytes(small_store.read_bytes())
    before = os.stat(store).st_mtime_ns
    logs = []
    frame = compare_file(sites, log=logs.append)
    assert logs == [] and os.stat(store).st_mtime_ns == before
    assert frame.attrs["weights"]["cost"] == 2.0 and frame.attrs["title"] == "t"
    # a changed config makes the store stale: it is run again
    (tmp_path / "small.toml").write_text(SMALL.replace("steps = 10", "steps = 5"))
    compare_file(sites, log=logs.append)
    assert len(logs) == 1 and "config changed" in logs[0]
    assert len(ccus.load_result(store).time) == 6


def test_compare_file_errors(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text('[compare]\nexperiments = ["nope.toml"]\n')
    with pytest.raises(ConfigError, match="not found"):
        compare_file(f)
    f.write_text('[compare]\nexperiment = ["x.toml"]\n')
    with pytest.raises(ConfigError, match="did you mean 'experiments'"):
        compare_file(f)


def test_shipped_sites_file_is_valid():
    """experiments/sites.toml and the experiments it lists load (without running them)."""
    import tomllib
    from pathlib import Path

    from ccus.reporting.comparison import load_weights

    sites = Path(__file__).resolve().parents[3] / "experiments" / "sites.toml"
    data = tomllib.loads(sites.read_text())
    assert load_weights(data["weights"])["mineralisation_time"] == 3
    for e in data["compare"]["experiments"]:
        exp = ccus.load_experiment(sites.parent / e)
        assert exp.injection is not None  # every site carries an injection plan
