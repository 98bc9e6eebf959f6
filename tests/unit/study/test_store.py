"""The study file: journal records, atomic compaction, resume checks, lock."""

import math

import numpy as np
import pytest

from ccus.study import Grid, Parameter, StudyStoreError, load, sweep
from ccus.study.store import (
    StudyWriter,
    encode_record,
    journal_path,
    read_h5,
    read_journal,
    write_h5,
)
from ccus.study.testing import linear

META = {"name": "t", "parameters": [{"path": "a", "distribution": "discrete", "values": [1.0, 2.0, 3.0]}],
        "design": {"kind": "grid", "levels": 3, "values": {}}, "outputs": [], "base_sha256": "x"}
VALUES = np.array([[1.0], [2.0], [3.0]])


def rec(i, status="done", y=None):
    return {"id": i, "status": status, "message": "" if status == "done" else "ValueError: bad",
            "outputs": {"y": float(i) if y is None else y} if status == "done" else {}, "units": {"y": "d"},
            "provenance": {"engine": "x"}, "elapsed": 0.1, "finished": "2026-01-01T00:00:00+00:00", "worker": "h:1"}


def test_journal_skips_truncated_and_damaged_lines(tmp_path):
    path = tmp_path / "s.h5"
    jp = journal_path(path)
    good = encode_record(rec(0)) + encode_record(rec(1))
    damaged = bytearray(encode_record(rec(2)))
    damaged[20] ^= 1  # a flipped bit fails the crc32
    jp.write_bytes(good + bytes(damaged) + encode_record(rec(3))[:-7])  # last line cut mid-way (SIGKILL)
    assert [r["id"] for r in read_journal(path)] == [0, 1]


def test_writer_resume_compaction_and_last_record_wins(tmp_path):
    path = tmp_path / "s.h5"
    with StudyWriter(path, META, VALUES, None) as w:
        assert w.records == {}
        w.append({**rec(0), "series": {"f": {"t": [1.0, 2.0], "v": [0.1, 0.2], "unit": "-"}}})
        w.append(rec(1, "failed"))
        assert journal_path(path).exists()
        # a reader sees journal records while the study runs
        assert sorted(load(path).records) == [0, 1]
    assert not journal_path(path).exists()
    meta, values, unit, records = read_h5(path)
    assert sorted(records) == [0, 1] and records[1]["status"] == "failed" and unit is None
    assert records[0]["series"] == {"f": {"t": [1.0, 2.0], "v": [0.1, 0.2], "unit": "-"}} and "series" not in records[1]
    assert load(path).series("f")[0].tolist() == [0.1, 0.2]
    # a retried failure: the later record replaces the earlier one, never a second row
    with StudyWriter(path, META, VALUES, None) as w:
        assert sorted(w.records) == [0, 1]
        w.append(rec(1, "done", y=7.0))
    study = load(path)
    df = study.frame
    assert list(df.index) == [0, 1, 2] and list(df["status"]) == ["done", "done", "pending"]
    assert df.loc[1, "y [d]"] == 7.0 and math.isnan(df.loc[2, "y [d]"])


def test_crash_between_rename_and_journal_delete_no_duplicates(tmp_path):
    path = tmp_path / "s.h5"
    write_h5(path, META, VALUES, None, {0: rec(0), 1: rec(1)})
    (tmp_path / ".s.h5.abc123.tmp").write_bytes(b"half-written")  # killed during a compaction
    journal_path(path).write_bytes(encode_record(rec(1)) + encode_record(rec(2)))  # 1 is in both
    with StudyWriter(path, META, VALUES, None) as w:
        assert sorted(w.records) == [0, 1, 2]
    _, _, _, records = read_h5(path)
    assert sorted(records) == [0, 1, 2]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.h5"]  # temporary file and journal cleaned up


def test_failed_compaction_keeps_old_file(tmp_path, monkeypatch):
    path = tmp_path / "s.h5"
    write_h5(path, META, VALUES, None, {0: rec(0)})
    import ccus.study.store as store

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(store.os, "replace", boom)
    with pytest.raises(OSError):
        write_h5(path, META, VALUES, None, {0: rec(0), 1: rec(1)})
    assert sorted(read_h5(path)[3]) == [0]
    assert [p.name for p in tmp_path.iterdir()] == ["s.h5"]  # no temporary file left


def test_other_study_in_file_and_lock(tmp_path):
    path = tmp_path / "s.h5"
    sweep(linear, {"a": [1, 2, 3]}, path, workers=0, progress=False)
    with pytest.raises(StudyStoreError, match="holds a different study"):
        sweep(linear, {"a": [1, 2, 4]}, path, workers=0, progress=False)
    w = StudyWriter(path, load(path).meta, VALUES, None)
    w.open()
    try:
        with pytest.raises(StudyStoreError, match="being run by another process"):
            StudyWriter(path, load(path).meta, VALUES, None).open()
    finally:
        w.close()
    with pytest.raises(StudyStoreError, match="not found"):
        load(tmp_path / "none.h5")
    (tmp_path / "x.h5").write_bytes(b"not hdf5")
    with pytest.raises(StudyStoreError, match="cannot read"):
        load(tmp_path / "x.h5")


def test_rerun_skips_finished(tmp_path):
    path = tmp_path / "s.h5"
    calls = []
    s1 = sweep(linear, {"a": [1, 2], "b": [0, 1]}, path, workers=0, progress=False)
    from ccus.study import executor

    orig = executor.run_chunk
    try:
        executor.run_chunk = lambda fn, ch: calls.append(ch) or orig(fn, ch)
        s2 = sweep(linear, {"a": [1, 2], "b": [0, 1]}, path, workers=0, progress=False)
    finally:
        executor.run_chunk = orig
    assert calls == [] and s2.frame.equals(s1.frame)
    assert Grid().kind == "grid"
    assert list(s1.frame.columns[:2]) == ["a [-]", "b [-]"] and list(s1.frame["y [-]"]) == [1, 3, 2, 4]
    assert Parameter.discrete("a", [1]).values == (1.0,)
