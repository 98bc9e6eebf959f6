"""The validation report generator (ccus.validation.document) in --quick mode, and its pieces."""

from __future__ import annotations

import json
import re
import textwrap

import numpy as np
import pytest

from ccus.validation import field_cases as fc
from ccus.validation.document import SECTION_TITLES, generate
from ccus.validation.markdown import NOT_AVAILABLE, fmt, table
from ccus.validation.parameters import experiment_rows


@pytest.fixture(scope="module")
def quick_page(tmp_path_factory):
    d = tmp_path_factory.mktemp("validation")
    record = generate(d / "docs" / "validation.md", d / "docs" / "figures" / "validation", d / "docs" / "validation",
                      d / "stores", quick=True, log=lambda *a: None)
    return d, (d / "docs" / "validation.md").read_text(), record


def test_page_has_every_section(quick_page):
    _, text, _ = quick_page
    headings = re.findall(r"^## (.+)$", text, flags=re.M)
    assert headings == list(SECTION_TITLES)
    for sub in ("### Speciation panel", "### Batch experiments", "### Transport case", "### Speciation speed"):
        assert sub in text


def test_skipped_parts_are_marked_not_pasted(quick_page):
    _, text, _ = quick_page
    # quick mode skips the model runs: each field case says so in the one marked line, no model number
    for case in ("CarbFix1", "CarbFix2", "Wallula"):
        part = text.split(f"## {case}")[1].split("\n## ")[0]
        assert f"*{NOT_AVAILABLE}:" in part
    # CarbFix1 has two model runs (main plume, fast path), each marked on its own with its parameter table
    cf1 = text.split("## CarbFix1")[1].split("\n## ")[0]
    for sub in ("### Main plume model", "### Fast flow path model"):
        part = cf1.split(sub)[1].split("\n### ")[0]
        assert f"*{NOT_AVAILABLE}: model run skipped in --quick mode" in part and "| transport.velocity |" in part
    assert "| case | engine | claim |" in text  # the closing note names the engine of every model value
    assert not re.search(r"\bnan\b", text, flags=re.I)  # missing numbers are shown as a dash or a reason


def test_figures_exist_and_outputs_recorded(quick_page):
    d, text, record = quick_page
    for rel in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text):
        assert (d / "docs" / rel).exists(), rel
    saved = json.loads((d / "docs" / "validation" / "validation_outputs.json").read_text())
    assert saved["generated"]["quick"] is True and saved["generated"]["wall time [s]"] > 0
    assert saved["generated"]["git revision"] == record["generated"]["git revision"]
    # the HN-04 field fraction on the page is the recorded one
    f = saved["sections"]["carbfix1"]["numbers"]["field fraction mineralised, median of samples"]
    assert f"median fraction {fmt(f)} (all)" in text
    # the closing note lists the field comparison of the samples with its verdict
    assert any(v["case"].startswith("CarbFix1 HN-04") for v in saved["closing note"])


def test_verdict_rules():
    assert fc.verdict_at_least(0.96, 0.95) == "agrees"
    assert fc.verdict_at_least(0.91, 0.95) == "close"   # 0.04 below: within the 0.05 margin
    assert fc.verdict_at_least(0.60, 0.95) == "disagrees"
    assert fc.verdict_at_least(None, 0.95) == "not evaluated"
    assert fc.verdict_value(0.75, 0.72, 0.05) == "agrees"
    assert fc.verdict_value(0.80, 0.72, 0.05) == "close"
    assert fc.verdict_value(0.95, 0.72, 0.05) == "disagrees"


def test_ph_minimum_verdict_needs_a_dip():
    # the main-plume model's lowest HN-04 pH is its starting value (it only rises): no dip,
    # whatever the distance in days to the field minimum
    assert fc.ph_minimum_verdict(0.0, 51.0, 9.24, 9.24).startswith("disagrees")
    assert fc.ph_minimum_verdict(62.0, 51.0, 5.53, 9.3) == "agrees"  # 11 d apart, tolerance 30 d
    assert fc.ph_minimum_verdict(120.0, 51.0, 6.0, 9.3) == "disagrees"
    assert fc.ph_minimum_verdict(None, 51.0, None, 9.3) == "not evaluated"


def test_two_years_read_at_the_last_shift():
    # a transport run ends on a whole number of shifts (CarbFix1: day 725.8 for 2 years)
    from ccus.result.result import Result
    from ccus.units import Q_

    t = np.array([0.0, 362.9, 725.8])
    r = Result(name="x", time=Q_(t, "day"), series={"carbon in carbonates": Q_([0.0, 0.5, 0.9], "mol"),
                                                    "carbon injected": Q_([1.0, 1.0, 1.0], "mol")},
               carbon_injected=Q_(1.0, "mol"))
    assert fc._day_used(r, 730.5) == pytest.approx(725.8)
    assert fc._day_used(r, 800.0) == 800.0  # more than 2 % past the end: not read at the end
    assert fc._day_used(r, 300.0) == 300.0


def test_experiment_rows_read_comments(tmp_path):
    p = tmp_path / "e.toml"
    p.write_text(textwrap.dedent("""\
        [experiment]
        name = "x"
        duration = "2 yr"

        [transport]
        # calibrated: from the SF6 peak (literature 0.1-1 m/d)
        velocity = "0.31 m/d"
        dispersivity = "12.5 m"   # assumed: 10 % of the distance
        cells = 30
        porosity = 0.1            # Callow et al. 2018 (a '#' in "text" is not a comment)

        [[injection.phases]]
        gas_mass = "175 t"        # Matter et al. 2016
        """))
    rows = {r["key"]: r for r in experiment_rows(p)}
    assert "experiment.name" not in rows  # names are not parameters
    assert rows["transport.velocity"]["status"] == "calibrated"
    assert rows["transport.dispersivity"]["status"] == "assumed"
    assert rows["transport.cells"]["status"] == "setting"
    assert rows["transport.porosity"]["source"].startswith("Callow et al. 2018")
    assert rows["injection.phases.0.gas_mass"] == {"file": str(p), "key": "injection.phases.0.gas_mass",
                                                    "value": '"175 t"', "source": "Matter et al. 2016",
                                                    "status": "cited"}


def test_markdown_table_and_numbers():
    assert fmt(1.00497) == "1.00" and fmt(0.9885) == "0.989" and fmt(float("nan")) == "–" and fmt(2.3e-9) == "2.30e-09" and fmt("0.25") == "0.25"
    assert table([{"a": 1, "b": "x|y"}]) == "| a | b |\n|---|---|\n| 1 | x\\|y |"
    assert table([{"|d|": 1}]).splitlines()[0] == "| \\|d\\| |"


def test_skip_marks_sections(tmp_path):
    generate(tmp_path / "v.md", tmp_path / "fig", tmp_path / "data", tmp_path / "stores", quick=True,
             log=lambda *a: None, skip=["engine", "solubility", "sensitivity"])
    text = (tmp_path / "v.md").read_text()
    assert re.findall(r"^## (.+)$", text, flags=re.M) == list(SECTION_TITLES)
    assert text.count(f"*{NOT_AVAILABLE}: skipped in this run (--skip ") == 3
    assert "--skip engine --skip sensitivity --skip solubility" in text
    with pytest.raises(ValueError, match="unknown --skip"):
        generate(tmp_path / "v.md", tmp_path / "fig", tmp_path / "data", tmp_path / "stores", quick=True,
                 log=lambda *a: None, skip=["nothing"])
