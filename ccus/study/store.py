"""The study file: one HDF5 file per study, crash-safe and resumable.

Files
-----
``STUDY.h5``
    The compacted study: what was asked (parameters, design, outputs, base
    experiment text, the design matrix) and every finished scenario. It is
    only ever replaced whole, atomically (written under a temporary name,
    fsynced, renamed over the old file), so it is never half-written.
``STUDY.h5.journal``
    While a study runs, each finished scenario is appended as one line
    ``<crc32 hex> <json>\\n`` and flushed to the OS at once (fsynced at most
    every second). A process killed at any moment leaves at most one
    truncated last line, which fails its checksum and is ignored: only
    in-flight scenarios are lost. When the run ends (and when a killed run is
    resumed) the journal is folded into ``STUDY.h5`` and deleted.
``STUDY.h5.lock``
    ``flock`` held by the running process, so that two runs of the same
    study cannot interleave. The OS releases it when the process dies.

Records are keyed by scenario id; when the journal repeats an id (a crash
between the rename and the journal's deletion, or a retried failure) the
later record replaces the earlier, so no scenario is ever stored twice.

Layout (schema version 1)::

    /                      attrs: format="ccus-study", schema_version, meta (JSON)
    /design/values         float64 [n, k] parameter values (units in meta)
    /design/unit           float64 [n, k] unit-hypercube points (sampling designs)
    /scenarios/id          int64 [m]
    /scenarios/status      str [m]   "done" | "failed"
    /scenarios/message     str [m]
    /scenarios/outputs     float64 [m, n_out], attr names (JSON), units (JSON)
    /scenarios/elapsed     float64 [m] [s]
    /scenarios/finished    str [m] UTC
    /scenarios/worker      str [m]
    /scenarios/provenance  str [m] JSON (config text left out: it is in meta)
    /scenarios/series/<name>/t, /v   float64 vlen [m]: time [d] and values of a
                           ``series`` output per scenario; attrs name, unit
"""

from __future__ import annotations

import json
import math
import os
import time
import zlib
from pathlib import Path

import numpy as np

from ccus.errors import StoreError
from ccus.result.atomic import atomic_h5

FORMAT = "ccus-study"
SCHEMA_VERSION = 1
FSYNC_INTERVAL = 1.0  # [s]


class StudyStoreError(StoreError):
    """A study file cannot be read, written or resumed."""


def journal_path(path: Path) -> Path:
    return path.with_name(path.name + ".journal")


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


# -- journal -----------------------------------------------------------------------
def encode_record(record: dict) -> bytes:
    payload = json.dumps(record, sort_keys=True, separators=(",", ":"), default=str).encode()
    return b"%08x %s\n" % (zlib.crc32(payload), payload)


def read_journal(path: Path) -> list[dict]:
    """Valid records of a journal in order; a truncated or damaged line is skipped."""
    jp = journal_path(path)
    if not jp.exists():
        return []
    out = []
    for line in jp.read_bytes().split(b"\n"):
        if len(line) < 10 or line[8:9] != b" ":
            continue
        crc, payload = line[:8], line[9:]
        try:
            if int(crc, 16) != zlib.crc32(payload):
                continue
            out.append(json.loads(payload))
        except ValueError:
            continue
    return out


# -- HDF5 ----------------------------------------------------------------------------
def write_h5(path: Path, meta: dict, values: np.ndarray, unit: np.ndarray | None, records: dict[int, dict]) -> None:
    """Write the whole study atomically (temporary file, fsync, rename)."""
    import h5py

    with atomic_h5(path) as fh:
        fh.attrs["format"] = FORMAT
        fh.attrs["schema_version"] = SCHEMA_VERSION
        fh.attrs["meta"] = json.dumps(meta, sort_keys=True, default=str)
        d = fh.create_group("design")
        d.create_dataset("values", data=np.asarray(values, dtype=float))
        if unit is not None:
            d.create_dataset("unit", data=np.asarray(unit, dtype=float))
        s = fh.create_group("scenarios")
        ids = sorted(records)
        names = list(meta.get("outputs", []))
        for r in records.values():  # outputs of generic functions are known only from results
            names += [k for k in r.get("outputs", {}) if k not in names]
        units: dict[str, str] = {}
        for r in records.values():
            for k, u in (r.get("units") or {}).items():
                units.setdefault(k, u)
        out = np.full((len(ids), len(names)), np.nan)
        for i, sid in enumerate(ids):
            o = records[sid].get("outputs") or {}
            for j, n in enumerate(names):
                v = o.get(n)
                out[i, j] = math.nan if v is None else float(v)
        str_t = h5py.string_dtype()
        s.create_dataset("id", data=np.asarray(ids, dtype=np.int64))
        ds = s.create_dataset("outputs", data=out.reshape(len(ids), len(names)))
        ds.attrs["names"] = json.dumps(names)
        ds.attrs["units"] = json.dumps({n: units.get(n, "-") for n in names})
        for key in ("status", "message", "finished", "worker"):
            s.create_dataset(key, data=[str(records[i].get(key, "")) for i in ids], dtype=str_t)
        s.create_dataset("elapsed", data=np.asarray([float(records[i].get("elapsed", math.nan)) for i in ids]))
        s.create_dataset("provenance", dtype=str_t,
                         data=[json.dumps(records[i].get("provenance") or {}, sort_keys=True, default=str) for i in ids])
        _write_series(s, ids, records)


def _write_series(s, ids: list[int], records: dict[int, dict]) -> None:
    import h5py

    names: list[str] = []
    for r in records.values():
        names += [k for k in (r.get("series") or {}) if k not in names]
    if not names:
        return
    g = s.create_group("series")
    vlen = h5py.vlen_dtype(np.float64)
    for k, name in enumerate(names):
        sub = g.create_group(f"s{k}")
        sub.attrs["name"] = name
        unit = next((r["series"][name].get("unit", "-") for r in records.values() if name in (r.get("series") or {})), "-")
        sub.attrs["unit"] = unit
        for key in ("t", "v"):
            ds = sub.create_dataset(key, (len(ids),), dtype=vlen)
            for i, sid in enumerate(ids):
                ds[i] = np.asarray(((records[sid].get("series") or {}).get(name) or {}).get(key, []), dtype=float)


def _read_series(s, n: int) -> list[dict]:
    out: list[dict] = [{} for _ in range(n)]
    if "series" not in s:
        return out
    for sub in s["series"].values():
        name, unit = str(sub.attrs["name"]), str(sub.attrs["unit"])
        t, v = sub["t"][()], sub["v"][()]
        for i in range(n):
            if len(t[i]):
                out[i][name] = {"t": t[i].tolist(), "v": v[i].tolist(), "unit": unit}
    return out


def read_h5(path: Path) -> tuple[dict, np.ndarray, np.ndarray | None, dict[int, dict]]:
    """(meta, design values, unit points or None, records by id) of a compacted study file."""
    import h5py

    try:
        with h5py.File(path, "r") as fh:
            if fh.attrs.get("format") != FORMAT:
                raise StudyStoreError(f"{path}: not a ccus study file (format {fh.attrs.get('format')!r})")
            if int(fh.attrs.get("schema_version", 0)) > SCHEMA_VERSION:
                raise StudyStoreError(f"{path}: written by a newer ccus (schema {fh.attrs['schema_version']})")
            meta = json.loads(fh.attrs["meta"])
            values = fh["design/values"][()]
            unit = fh["design/unit"][()] if "unit" in fh["design"] else None
            s = fh["scenarios"]
            ids = s["id"][()].tolist()
            out = s["outputs"][()]
            names = json.loads(s["outputs"].attrs["names"])
            units = json.loads(s["outputs"].attrs["units"])
            cols = {k: [x.decode() if isinstance(x, bytes) else str(x) for x in s[k][()]]
                    for k in ("status", "message", "finished", "worker", "provenance")}
            elapsed = s["elapsed"][()]
            series = _read_series(s, len(ids))
    except StudyStoreError:
        raise
    except FileNotFoundError:
        raise StudyStoreError(f"{path}: study file not found") from None
    except (OSError, KeyError) as exc:
        raise StudyStoreError(f"{path}: cannot read study file ({exc})") from None
    records = {}
    for i, sid in enumerate(ids):
        records[int(sid)] = {
            "id": int(sid), "status": cols["status"][i], "message": cols["message"][i],
            "outputs": {n: float(out[i, j]) for j, n in enumerate(names)},
            "units": {n: units[n] for n in names}, "elapsed": float(elapsed[i]),
            "finished": cols["finished"][i], "worker": cols["worker"][i],
            "provenance": json.loads(cols["provenance"][i]),
        }
        if series[i]:
            records[int(sid)]["series"] = series[i]
    return meta, values, unit, records


def read_study(path) -> tuple[dict, np.ndarray, np.ndarray | None, dict[int, dict]]:
    """Compacted file plus any journal (a study being run, or killed): the current state."""
    path = Path(path)
    meta, values, unit, records = read_h5(path)
    for r in read_journal(path):
        records[int(r["id"])] = r
    return meta, values, unit, records


# -- the writer used by a run ---------------------------------------------------------------
def _same_design(meta: dict, values, unit, old_meta: dict, old_values, old_unit) -> str | None:
    """None if the stored study is the one asked for, else what differs."""
    for key in ("parameters", "design", "outputs", "series", "base_sha256"):
        if json.dumps(meta.get(key), sort_keys=True, default=str) != json.dumps(old_meta.get(key), sort_keys=True, default=str):
            return key
    if np.shape(values) != np.shape(old_values) or not np.allclose(values, old_values, rtol=1e-12, atol=0, equal_nan=True):
        return "design matrix"
    return None


class StudyWriter:
    """Owns a study file during a run: lock, resume, journal appends, final compaction.

    Only the parent process writes; workers return plain data.
    """

    def __init__(self, path, meta: dict, values: np.ndarray, unit: np.ndarray | None):
        self.path = Path(path)
        self.meta, self.values, self.unit = meta, np.asarray(values, dtype=float), unit
        self._lock_fd = None
        self._journal = None
        self._last_sync = 0.0
        self.records: dict[int, dict] = {}

    def __enter__(self) -> StudyWriter:
        self.open()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _lock(self) -> None:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no lock
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path(self.path), os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise StudyStoreError(f"{self.path}: the study is being run by another process "
                                  f"(lock {lock_path(self.path)} is held)") from None
        self._lock_fd = fd

    def open(self) -> dict[int, dict]:
        """Lock, fold a leftover journal into the file (or create it); return finished records."""
        self._lock()
        try:
            for stale in self.path.parent.glob(f".{self.path.name}.*.tmp"):  # from a run killed mid-write
                stale.unlink(missing_ok=True)
            jp = journal_path(self.path)
            if self.path.exists():
                old_meta, old_values, old_unit, records = read_study(self.path)
                diff = _same_design(self.meta, self.values, self.unit, old_meta, old_values, old_unit)
                if diff is not None:
                    raise StudyStoreError(
                        f"{self.path}: holds a different study (its {diff} differs from the one asked for); "
                        "choose another output file or delete this one to start afresh")
                self.meta = {**old_meta, **{k: v for k, v in self.meta.items() if k not in ("created_utc",)}}
                if jp.exists():
                    write_h5(self.path, self.meta, self.values, self.unit, records)
            else:
                records = {}
                write_h5(self.path, self.meta, self.values, self.unit, records)
            if jp.exists():
                jp.unlink()
            self.records = records
            self._journal = open(jp, "ab")
        except BaseException:
            self._unlock()
            raise
        return records

    def append(self, record: dict) -> None:
        """Record one finished scenario (flushed at once; fsynced at most every second)."""
        self._journal.write(encode_record(record))
        self._journal.flush()
        now = time.monotonic()
        if now - self._last_sync > FSYNC_INTERVAL:
            os.fsync(self._journal.fileno())
            self._last_sync = now
        self.records[int(record["id"])] = record

    def close(self) -> None:
        """Fold the journal into the study file and release the lock."""
        try:
            if self._journal is not None:
                self._journal.close()
                self._journal = None
                write_h5(self.path, self.meta, self.values, self.unit, self.records)
                journal_path(self.path).unlink(missing_ok=True)
        finally:
            self._unlock()

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            lock_path(self.path).unlink(missing_ok=True)
            os.close(self._lock_fd)  # releases the flock
            self._lock_fd = None
