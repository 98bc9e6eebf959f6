"""The HTML report: every section and figure, self-contained, numbers equal to the store's."""

from __future__ import annotations

import base64

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import ccus
from ccus.reporting import report
from ccus.reporting.criteria import evaluate
from ccus.reporting.html import render_html
from ccus.units import Q_
from unit.report.html_tables import parse, rows_by_label
from unit.report.synthetic_results import INJECTION, synthetic

SECTIONS = ["answer", "verdict", "cost", "plan", "site", "figures", "provenance"]


def _pct(text: str) -> float:
    return float(text.replace("%", "").strip()) / 100.0


@pytest.fixture(scope="module")
def small_report(small_store, tmp_path_factory):
    out = tmp_path_factory.mktemp("html") / "r.html"
    report(small_store, output=out)
    return ccus.load_result(small_store), out.read_text(encoding="utf-8")


def test_every_section_and_figure(small_report):
    result, text = small_report
    doc = parse(text)
    for sid in SECTIONS:
        assert sid in doc.ids, f"section {sid!r} missing"
    figs = {i for i in doc.ids if i.startswith("fig-")}
    assert {"fig-fraction", "fig-ph_dic", "fig-secondary"} <= figs
    assert "fig-porosity" not in figs and "not in this store" in text  # batch store: said, not drawn
    assert len(doc.images) == 3
    for img in doc.images:
        assert img["src"].startswith("data:image/png;base64,")
        png = base64.b64decode(img["src"].split(",", 1)[1])
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
        assert img.get("alt")


def test_self_contained(small_report):
    _, text = small_report
    doc = parse(text)
    assert doc.external == []  # no network: no http(s) images, scripts or style sheets
    assert "<script" not in text


def test_answer_numbers_equal_the_store(small_report):
    result, text = small_report
    rows = rows_by_label(parse(text).tables["headline"])
    f = result.mineralised_fraction.magnitude
    end = rows[next(k for k in rows if k.startswith("fraction mineralised at end"))]
    # data-value carries the unrounded number: equal to the store's to float repr precision
    assert float(end[1][1]) == pytest.approx(float(f[-1]), rel=1e-12)
    assert _pct(end[1][0]) == pytest.approx(float(f[-1]), abs=0.0005 + 1e-12)  # shown with 0.1 % resolution
    # a 30-day run: 1, 2, 5 yr are not simulated and say so
    for y in (1, 2, 5):
        assert rows[f"fraction mineralised at {y} yr"][1][1] is None
        assert "not simulated" in rows[f"fraction mineralised at {y} yr"][1][0]
    for pct in (50, 90, 95):
        cell = rows[f"t{pct}: time to {pct}% mineralised"][1]
        t = result.time_to_fraction(pct / 100)
        if t is None:
            assert cell[1] is None and "not reached" in cell[0]
        else:
            assert float(cell[1]) == pytest.approx(float(t.to("day").magnitude), rel=1e-12)


def test_verdict_table_equals_criteria(small_report, small_store):
    _, text = small_report
    table = parse(text).tables["criteria"]
    verdicts = evaluate(small_store)
    assert len(table) == 1 + len(verdicts)
    for row, v in zip(table[1:], verdicts, strict=True):
        assert row[0][0] == v.label
        assert row[3][0] == v.status
        if v.value is not None:
            assert float(row[1][1]) == pytest.approx(v.value, rel=1e-12)
    by_key = {v.key: v for v in verdicts}
    # no injection plan in this store: margin and rate are not evaluated, with the reason shown
    assert by_key["pressure_margin"].status == "not evaluated"
    assert "no injection plan" in by_key["pressure_margin"].note
    assert by_key["storage_rate"].status == "not evaluated"
    # 30 days < the 2 yr pass threshold and t90 not reached: cannot be judged
    assert by_key["mineralisation_time"].status == "not evaluated"


def test_plan_and_site_from_context(small_report):
    result, text = small_report
    doc = parse(text)
    site = rows_by_label(doc.tables["site-table"])
    assert float(site["depth"][1][1]) == pytest.approx(Q_(result.context["site"]["depth"]).to("m").magnitude)
    assert site["depth"][1][0].startswith("530 m")
    assert site["temperature"][1][0].startswith("35.0 °C") and "assumed" in site["temperature"][1][0]
    assert float(site["porosity"][1][1]) == result.context["site"]["porosity"]
    inj = rows_by_label(doc.tables["injection"])
    assert inj["gas composition"][1][0] == "CO2 100.0 mol%"
    assert float(inj["water:gas ratio"][1][1]) == result.context["charge"]["water_gas_ratio"]
    for label in ("dissolution pressure (in the well)", "injection (bottomhole) pressure",
                  "margin to fracture pressure", "CO2 rate per well (highest phase)"):
        assert inj[label][1][0] == "not modelled"
    # the fracture pressure follows from the site alone: depth x gradient
    assert float(inj["fracture pressure"][1][1]) == pytest.approx(530 * 0.17)


def test_provenance(small_report):
    result, text = small_report
    prov = rows_by_label(parse(text).tables["provenance-table"])
    for label, key in (("ccus version", "ccus_version"), ("engine", "engine"), ("database", "database"),
                       ("database sha256", "database_sha256"), ("config sha256", "config_sha256"),
                       ("run finished (UTC)", "finished_utc")):
        assert prov[label][1][0] == str(result.provenance[key])
    assert "[experiment]" in text and 'name = "small"' in text  # config text, escaped but readable


def test_injection_plan_shown_and_judged():
    text = render_html(synthetic(injection=INJECTION))
    doc = parse(text)
    inj = rows_by_label(doc.tables["injection"])
    assert float(inj["injection (bottomhole) pressure"][1][1]) == pytest.approx(52.0)
    assert float(inj["margin to fracture pressure"][1][1]) == pytest.approx(38.1)
    assert float(inj["minimum water for full dissolution"][1][1]) == pytest.approx(28.18)
    rate = 0.03376 * 365.25 * 86400 / 1000  # t/yr
    assert float(inj["CO2 rate per well (highest phase)"][1][1]) == pytest.approx(rate, rel=1e-9)
    crit = {row[0][0]: row for row in doc.tables["criteria"][1:]}
    assert crit["Pressure margin to fracture"][3][0] == "pass"
    assert float(crit["Pressure margin to fracture"][1][1]) == pytest.approx(38.1 / 90.1)
    assert "phases" in doc.tables and "free gas phase" in text


def test_study_bands_and_radial_profiles():
    n_cells = 20
    r = synthetic(extra_series={
        "porosity": Q_(np.full((201, n_cells), 0.1) * np.linspace(1, 0.8, 201)[:, None], "dimensionless"),
        "permeability": Q_(np.full((201, n_cells), 1e-12), "m^2")},
        context_extra={"grid": {"radius": list(np.linspace(0.1, 100, n_cells)), "radius_unit": "m"}})
    t = r.time.to("day").magnitude
    study = pd.DataFrame({f"s{i}": 1 - np.exp(-np.log(10) / (100 + 50 * i) * t) for i in range(9)}, index=t)
    doc = parse(render_html(r, study=study))
    assert {"fig-porosity", "fig-study", "study"} <= set(doc.ids)
    rows = doc.tables["study-table"][1:]
    one_year = rows[0]
    assert one_year[0][0].startswith("365.2 d")
    # P10/P50/P90 across scenarios (linear quantiles), read at 1 yr by linear interpolation in time: the
    # same two linear operations in the other order, which agree here to rounding (tolerance 1e-9)
    expected = np.quantile([np.interp(365.25, t, study[c]) for c in study], [0.1, 0.5, 0.9])
    assert_allclose([float(c[1]) for c in one_year[1:]], expected, rtol=1e-9)
    crit = {row[0][0]: row for row in doc.tables["criteria"][1:]}
    assert float(crit["Clogging risk (pore volume filled)"][1][1]) == pytest.approx(0.2)  # 1 - 0.8


def test_default_output_next_to_store(small_store):
    out = report(small_store)
    try:
        assert out == small_store.with_name("small_report.html") and out.exists()
    finally:
        out.unlink()


class _FakeStudy:
    """Duck-typed ccus.study.Study: ``series(name)`` as the study store returns it."""

    def __init__(self, frame):
        self.frame = frame

    def series(self, name):
        if name != "series fraction mineralised":
            raise KeyError(name)
        return self.frame


def test_study_object_and_missing_series():
    from ccus.errors import ConfigError

    r = synthetic()
    t = r.time.to("day").magnitude
    curves = pd.DataFrame({i: 1 - np.exp(-np.log(10) / (100 + 50 * i) * t) for i in range(12)}, index=t)
    from ccus.reporting.figures import study_curves

    assert study_curves(_FakeStudy(curves)) is curves  # a Study gives its per-scenario fraction curves

    class NoSeries:
        def series(self, name):
            raise KeyError(name)

    with pytest.raises(ConfigError, match="series fraction mineralised"):
        study_curves(NoSeries())


def test_store_without_context_still_reports():
    """Stores written before ``context`` existed: the report says what it cannot know, never crashes."""
    r = synthetic()
    r.context = {}
    text = render_html(r)
    doc = parse(text)
    assert {"answer", "verdict", "plan", "provenance"} <= set(doc.ids)
    status = {row[0][0]: row[3][0] for row in doc.tables["criteria"][1:]}
    assert status["Water demand / availability"] == "not evaluated"
    assert status["Pressure margin to fracture"] == "not evaluated"


def test_linear_transport_result():
    """A streamline result: chemistry at the monitoring points, pore water = cells x 1 kg."""
    r = synthetic(calcite_mol=2.0)
    n = len(r.time)
    del r.series["water mass"]
    r.series["HN-04 pH"] = r.series.pop("pH")
    r.series["HN-04 DIC"] = r.series.pop("DIC")
    r.series["pH"] = r.series["HN-04 pH"]
    r.series["HN-04 SF6 mixing fraction"] = Q_(np.linspace(0, 0.5, n), "dimensionless")
    r.context["experiment"]["kind"] = "linear"
    r.context["transport"] = {"length": "250 m", "cells": 50, "velocity": "0.5 m/d", "dispersivity": "5 m",
                              "monitoring": {"HN-04": "125 m"}}
    text = render_html(r)
    doc = parse(text)
    assert "fig-ph_dic" in doc.ids and "1-D streamline" in text and "HN-04 at 125 m" in text
    crit = {row[0][0]: row for row in doc.tables["criteria"][1:]}
    # 2 mol calcite + 0.1 mol chalcedony in 50 cells x 1 kg of pore water
    expected = (2.0 * 36.934 + 0.1 * 22.688) / 50_000.0
    assert float(crit["Clogging risk (pore volume filled)"][1][1]) == pytest.approx(expected, rel=1e-9)
