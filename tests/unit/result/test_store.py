"""HDF5 store: round trip, atomic writes, refusal of foreign / newer / corrupt files."""

import h5py
import numpy as np
import pytest

import ccus
from ccus.errors import StoreError
from ccus.result.result import Result
from ccus.result.store import SCHEMA_VERSION, save_result
from ccus.units import Q_


def _result(n=5):
    t = np.linspace(0, 1e7, n)
    f = np.linspace(0, 0.96, n)
    return Result(
        name="synthetic",
        time=Q_(t, "s"),
        series={"pH": Q_(np.linspace(4, 8, n), "dimensionless"), "DIC": Q_(np.full(n, 0.8), "mol/kg"),
                "C(4)/x odd name": Q_(np.ones(n), "mol"), "fraction mineralised": Q_(f, "dimensionless")},
        carbon_injected=Q_(0.9, "mol"),
        minerals={"Calcite": {"role": "secondary", "carbon": 1.0}},
        provenance={"engine": "test", "config_text": "[experiment]\nname='x'\n", "solver": {"rtol": 1e-8}},
    )


def test_round_trip(tmp_path):
    r = _result()
    r.save(tmp_path / "r.h5")
    back = ccus.load_result(tmp_path / "r.h5")
    assert back.equals(r)  # exact: same floats, units, metadata
    assert list(back.series) == list(r.series)


def test_round_trip_of_a_real_run(tmp_path, small_config):
    r = ccus.run(small_config)
    r.save(tmp_path / "run.h5")
    back = ccus.load_result(tmp_path / "run.h5")
    assert back.equals(r)
    for key in ["ccus_version", "config_sha256", "database_sha256", "engine_version", "started_utc", "finished_utc"]:
        assert back.provenance[key], key
    assert back.provenance["config_text"] == small_config.read_text()


def test_interrupted_save_leaves_no_final_file(tmp_path):
    target = tmp_path / "r.h5"
    with pytest.raises(RuntimeError, match="simulated crash"):
        save_result(_result(), target, _fail_after_write=True)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []  # no temp file left either


def test_interrupted_save_keeps_older_store(tmp_path):
    target = tmp_path / "r.h5"
    old = _result(3)
    old.save(target)
    with pytest.raises(RuntimeError):
        save_result(_result(7), target, _fail_after_write=True)
    assert ccus.load_result(target).equals(old)


def test_foreign_hdf5_refused(tmp_path):
    p = tmp_path / "other.h5"
    with h5py.File(p, "w") as fh:
        fh["x"] = [1, 2, 3]
    with pytest.raises(StoreError, match="not a ccus result store"):
        ccus.load_result(p)


def test_newer_schema_refused(tmp_path):
    p = tmp_path / "r.h5"
    _result().save(p)
    with h5py.File(p, "a") as fh:
        fh.attrs["schema_version"] = SCHEMA_VERSION + 1
    with pytest.raises(StoreError, match="newer"):
        ccus.load_result(p)


def test_corrupt_file_refused(tmp_path):
    p = tmp_path / "bad.h5"
    p.write_bytes(b"\x89HDF\r\n\x1a\n" + b"garbage" * 10)
    with pytest.raises(StoreError, match="not a readable HDF5"):
        ccus.load_result(p)


def test_summary_times():
    s = _result().summary()
    # f rises linearly 0 -> 0.96 over 1e7 s: t50 = 0.5/0.96 * 1e7 s
    assert s["t50"].to("s").magnitude == pytest.approx(0.5 / 0.96 * 1e7, rel=1e-12)
    assert s["t95"].to("s").magnitude == pytest.approx(0.95 / 0.96 * 1e7, rel=1e-12)
