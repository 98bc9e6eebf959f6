"""``ccus report`` and ``ccus compare``: outputs, and bad input refused in one line with exit code 2."""

from __future__ import annotations

import h5py
import pytest

from ccus.cli.main import main
from ccus.result.store import SCHEMA_VERSION
from unit.report.synthetic_results import synthetic


def _one_line_error(capsys, *needles):
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "\n" not in err and "Traceback" not in err
    for n in needles:
        assert n in err, err
    return err


def test_report_html_pdf_figures(small_store, tmp_path, capsys):
    assert main(["report", str(small_store), "-o", str(tmp_path / "r.html"), "--figures", str(tmp_path / "f")]) == 0
    assert (tmp_path / "r.html").read_text().startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in (tmp_path / "f").glob("*.png")) == ["fraction.png", "ph_dic.png", "secondary.png"]
    assert main(["report", str(small_store), "-o", str(tmp_path / "r.pdf")]) == 0  # format from the suffix
    data = (tmp_path / "r.pdf").read_bytes()
    assert data[:5] == b"%PDF-" and data.rstrip().endswith(b"%%EOF")
    assert data.count(b"/Type /Page") - data.count(b"/Type /Pages") >= 4  # text pages + figure pages
    assert "report:" in capsys.readouterr().out


def _corrupt(tmp_path):
    p = tmp_path / "corrupt.h5"
    p.write_bytes(b"\x89HDF\r\n\x1a\n" + b"\x00garbage" * 100)
    return p


def _foreign(tmp_path):
    p = tmp_path / "foreign.h5"
    with h5py.File(p, "w") as fh:
        fh.create_dataset("temperature", data=[1.0, 2.0])
    return p


def _newer(tmp_path):
    p = tmp_path / "newer.h5"
    synthetic().save(p)
    with h5py.File(p, "a") as fh:
        fh.attrs["schema_version"] = SCHEMA_VERSION + 1
    return p


def _damaged(tmp_path):
    p = tmp_path / "damaged.h5"
    synthetic().save(p)
    with h5py.File(p, "a") as fh:
        del fh["time"]
    return p


@pytest.mark.parametrize("make, needle", [
    (_corrupt, "not a readable HDF5 file"),
    (_foreign, "not a ccus result store"),
    (_newer, "newer than this ccus supports"),
    (_damaged, "damaged ccus store"),
    (lambda tmp: tmp / "missing.h5", "file not found"),
])
@pytest.mark.parametrize("command", ["report", "compare"])
def test_bad_stores_refused(tmp_path, capsys, make, needle, command):
    bad = make(tmp_path)
    good = tmp_path / "good.h5"
    synthetic().save(good)
    argv = ["report", str(bad), "-o", str(tmp_path / "r.html")] if command == "report" else \
        ["compare", str(good), str(bad)]
    assert main(argv) == 2
    _one_line_error(capsys, str(bad), needle)
    assert not (tmp_path / "r.html").exists()


def test_compare_cli(tmp_path, capsys):
    a, b = tmp_path / "a.h5", tmp_path / "b.h5"
    synthetic("a", t90_days=60, water_gas_ratio=80, site_name="Fast").save(a)
    synthetic("b", t90_days=1000, water_gas_ratio=20, site_name="Slow").save(b)
    w = tmp_path / "w.toml"
    w.write_text("[weights]\nwater = 10\n")
    assert main(["compare", str(a), str(b), "--weights", str(w), "-o", str(tmp_path / "c.html")]) == 0
    out = capsys.readouterr().out
    assert "ranking: Slow > Fast" in out and "weights (criterion: weight, share)" in out
    html = (tmp_path / "c.html").read_text()
    assert 'id="comparison"' in html and "data:image/png;base64," in html
    assert main(["compare", str(a), str(b), "-o", str(tmp_path / "c.csv")]) == 0
    assert (tmp_path / "c.csv").read_text().startswith("criterion,Fast,Slow")


def test_bad_weights_and_criteria_files(tmp_path, capsys):
    a = tmp_path / "a.h5"
    synthetic().save(a)
    w = tmp_path / "w.toml"
    w.write_text("[weights]\nspeed = 1\n")
    assert main(["compare", str(a), "--weights", str(w)]) == 2
    _one_line_error(capsys, "w.toml", "unknown criterion 'speed'")
    c = tmp_path / "c.toml"
    c.write_text("[criteria.cost]\npass = 'cheap'\n")
    assert main(["report", str(a), "--criteria", str(c), "-o", str(tmp_path / "r.html")]) == 2
    _one_line_error(capsys, "c.toml", "criteria.cost.pass")
    assert main(["compare", str(a), str(tmp_path / "sites.toml")]) == 2
    _one_line_error(capsys, "either one comparison file")
