"""Run scenarios on a local process pool or a Dask cluster; only the parent records.

:func:`execute` takes a scenario function (see :mod:`ccus.study.scenario`) and
``[(scenario id, {parameter: value}), ...]``. Scenarios are grouped in tasks:
of ``batch_size`` (the function's ``batch_size`` attribute when it has a
``run_many`` method, i.e. when its engine can solve several scenarios in one
call), else of a size that adapts to the scenario time (see :class:`Chunker`). Each task returns plain records (outputs, units,
provenance, status, message, timing); the parent hands them one by one to
``on_record``, which appends them to the study file. At most a small window of
tasks is in flight (twice the number of workers), so memory stays flat and a
crash loses only those.

Backends
--------
- ``workers=0``: in this process, one after the other (debugging).
- ``workers=N`` (default: CPU count): ``concurrent.futures.ProcessPoolExecutor``
  with the ``forkserver`` start method on POSIX (workers do not inherit the
  parent's open files or lock).
- ``client=distributed.Client`` or ``scheduler="tcp://host:8786"``: Dask
  distributed. The scenario function is scattered once (broadcast); each task
  carries only its chunk of ``(id, parameters)`` and returns its records.
"""

from __future__ import annotations

import math
import os
import socket
import sys
import time
from collections.abc import Callable, Iterable

from ccus.errors import CcusError
from ccus.study.scenario import normalise_outcome


class StudyRunError(CcusError, RuntimeError):
    """Scenarios were lost because a worker died (rerun the study to resume)."""


def _now() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat(timespec="seconds")


def _failure(exc: BaseException) -> str:
    msg = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {msg[0] if msg else ''}"[:2000]


def _record(sid: int, outcome, t0: float, worker: str) -> dict:
    rec = {"id": int(sid), "elapsed": time.perf_counter() - t0, "finished": _now(), "worker": worker}
    if isinstance(outcome, BaseException):
        rec.update(status="failed", message=_failure(outcome), outputs={}, units={}, provenance={})
        return rec
    try:
        out = normalise_outcome(outcome)
    except Exception as exc:
        rec.update(status="failed", message=_failure(exc), outputs={}, units={}, provenance={})
        return rec
    rec.update(status="done", message="", **out)
    return rec


def run_chunk(fn: Callable, chunk: list[tuple[int, dict]]) -> list[dict]:
    """Run a chunk of scenarios (in a worker) and return their records (plain data)."""
    worker = f"{socket.gethostname()}:{os.getpid()}"
    many = getattr(fn, "run_many", None)
    if many is not None and int(getattr(fn, "batch_size", 1)) > 1 and len(chunk) > 1:
        t0 = time.perf_counter()
        try:
            outcomes = many([p for _, p in chunk])
        except Exception as exc:
            outcomes = [exc] * len(chunk)
        # the batch's wall time is shared equally between its scenarios
        recs = [_record(sid, o, t0, worker) for (sid, _), o in zip(chunk, outcomes, strict=True)]
        for r in recs:
            r["elapsed"] /= len(chunk)
        return recs
    recs = []
    for sid, params in chunk:
        t0 = time.perf_counter()
        try:
            outcome = fn(dict(params))
        except Exception as exc:  # recorded as a failed scenario; the study goes on
            outcome = exc
        recs.append(_record(sid, outcome, t0, worker))
    return recs


class Progress:
    """``done / failed / total, elapsed, ETA`` on stderr (in place on a terminal, else every 10 s)."""

    def __init__(self, total: int, enabled: bool = True, stream=None, label: str = "study"):
        self.total, self.enabled, self.label = total, enabled, label
        self.stream = stream or sys.stderr
        self.done = self.failed = 0
        self.t0 = time.monotonic()
        self._last = 0.0
        self.tty = getattr(self.stream, "isatty", lambda: False)()

    def update(self, status: str) -> None:
        if status == "done":
            self.done += 1
        else:
            self.failed += 1
        self.show()

    def line(self) -> str:
        n = self.done + self.failed
        el = time.monotonic() - self.t0
        eta = el / n * (self.total - n) if n else math.nan
        width = 24
        fill = int(width * n / self.total) if self.total else width
        eta_s = "?" if math.isnan(eta) else f"{eta:.0f} s"
        return (f"{self.label} [{'#' * fill}{'.' * (width - fill)}] {n}/{self.total} "
                f"({self.done} done, {self.failed} failed) {el:.0f} s, ETA {eta_s}")

    def show(self, final: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not final and now - self._last < (0.2 if self.tty else 10.0):
            return
        self._last = now
        if self.tty:
            self.stream.write("\r" + self.line() + ("\n" if final else ""))
        else:
            self.stream.write(self.line() + "\n")
        self.stream.flush()


TARGET_TASK_SECONDS = 0.25  # adaptive chunks: aim for tasks of about this length
MAX_CHUNK = 1000


class Chunker:
    """Hands out chunks of scenarios for tasks.

    With a fixed ``size`` (a batching engine, or the caller's ``batch_size``)
    every chunk has that size. Otherwise chunks start at one scenario and grow
    so that a task takes about ``TARGET_TASK_SECONDS`` by the mean scenario
    time seen so far: cheap scenarios then do not pay one round trip each,
    while slow ones (PHREEQC runs of seconds) stay one per task. A chunk never
    takes more than half of a fair share of what is left (load balance).
    """

    def __init__(self, scenarios: Iterable, size: int | None, slots: int):
        self.items = list(scenarios)
        self.pos, self.fixed, self.slots = 0, size, max(1, slots)
        self.n_seen, self.t_seen = 0, 0.0

    def observe(self, records: list[dict]) -> None:
        for r in records:
            self.n_seen += 1
            self.t_seen += float(r.get("elapsed", 0.0))

    @property
    def remaining(self) -> int:
        return len(self.items) - self.pos

    def next(self) -> list | None:
        if self.pos >= len(self.items):
            return None
        if self.fixed:
            size = self.fixed
        elif self.n_seen == 0:
            size = 1
        else:
            per = max(self.t_seen / self.n_seen, 1e-6)
            size = max(1, min(int(TARGET_TASK_SECONDS / per), MAX_CHUNK, self.remaining // (2 * self.slots)))
        ch = self.items[self.pos:self.pos + size]
        self.pos += len(ch)
        return ch


def execute(
    fn: Callable,
    scenarios: list[tuple[int, dict]],
    on_record: Callable[[dict], None],
    *,
    workers: int | None = None,
    client=None,
    scheduler: str | None = None,
    batch_size: int | None = None,
    progress: bool = True,
) -> dict:
    """Run ``scenarios`` with ``fn``; call ``on_record(record)`` in this process for each.

    Parameters
    ----------
    fn
        Scenario function (picklable); ``fn.run_many`` / ``fn.batch_size`` are used if present.
    scenarios
        ``[(id, {parameter path: value}), ...]``.
    on_record
        Called in the parent for every finished scenario (done or failed).
    workers
        Local worker processes (default ``os.cpu_count()``); 0 runs in this process.
    client, scheduler
        A ``distributed.Client``, or the address of a Dask scheduler, to run there instead.
    batch_size
        Scenarios per task (default: ``fn.batch_size`` if ``fn`` has ``run_many``, else adaptive).
    progress
        Show a progress line on stderr.

    Returns
    -------
    dict
        ``{"done", "failed", "lost", "elapsed" [s], "backend"}``. Lost scenarios
        (a worker died) are not recorded; a :class:`StudyRunError` is raised
        after the others are recorded.
    """
    if batch_size is None and hasattr(fn, "run_many") and int(getattr(fn, "batch_size", 1)) > 1:
        batch_size = int(fn.batch_size)
    bar = Progress(len(scenarios), enabled=progress)
    stats = {"done": 0, "failed": 0, "lost": 0, "lost_reason": "", "elapsed": 0.0}
    t0 = time.perf_counter()

    def take(records):
        chunks.observe(records)
        for r in records:
            on_record(r)
            stats[r["status"]] += 1
            bar.update(r["status"])

    if client is not None or scheduler is not None:
        stats["backend"] = "dask"
        chunks = Chunker(scenarios, batch_size, 1)  # slots set from the cluster below
        _run_dask(fn, chunks, take, stats, client, scheduler)
    elif workers == 0:
        stats["backend"] = "serial"
        chunks = Chunker(scenarios, batch_size or 1, 1)
        while (ch := chunks.next()) is not None:
            take(run_chunk(fn, ch))
    else:
        stats["backend"] = "processes"
        workers = workers or os.cpu_count() or 1
        chunks = Chunker(scenarios, batch_size, workers)
        _run_pool(fn, chunks, take, stats, workers)
    bar.show(final=True)
    stats["elapsed"] = time.perf_counter() - t0
    return stats


def _watch_parent(pid: int, interval: float = 1.0) -> None:
    """Pool initializer: exit this worker when the study process ``pid`` is gone (e.g. SIGKILLed),
    instead of lingering as an orphan waiting for work."""
    import threading

    def watch():
        while True:
            time.sleep(interval)
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:  # pragma: no cover - pid reused by another user's process
                os._exit(1)

    threading.Thread(target=watch, daemon=True, name="ccus-parent-watch").start()


def _run_pool(fn, chunks, take, stats, workers: int) -> None:
    import multiprocessing as mp
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    ctx = mp.get_context("forkserver" if os.name == "posix" else "spawn")
    window = 2 * workers
    pending: dict = {}
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_watch_parent,
                               initargs=(os.getpid(),))
    try:
        broken = False
        while True:
            while not broken and len(pending) < window:
                ch = chunks.next()
                if ch is None:
                    break
                try:
                    pending[pool.submit(run_chunk, fn, ch)] = ch
                except BrokenProcessPool as exc:  # a worker died between two submits
                    broken = True
                    stats["lost"] += len(ch)
                    stats["lost_reason"] = f"a worker process died ({exc})"
            if not pending:
                break
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in finished:
                ch = pending.pop(fut)
                try:
                    take(fut.result())
                except BrokenProcessPool as exc:
                    broken = True
                    stats["lost"] += len(ch)
                    stats["lost_reason"] = f"a worker process died ({exc})"
        if broken:
            stats["lost"] += chunks.remaining
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _run_dask(fn, chunks, take, stats, client, scheduler) -> None:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise StudyRunError("running on Dask needs the 'distributed' package (pip install 'ccus[dask]')") from None
    own = client is None
    if own:
        try:
            client = Client(scheduler, timeout="30s")
        except OSError as exc:
            raise StudyRunError(f"cannot connect to the Dask scheduler {scheduler!r}: {exc}") from None
    try:
        nthreads = sum(client.nthreads().values()) or 1
        window = 2 * nthreads
        chunks.slots = nthreads
        fn_remote = client.scatter(fn, broadcast=True, hash=False)
        pending: dict = {}
        ac = as_completed()

        def fill():
            while len(pending) < window:
                ch = chunks.next()
                if ch is None:
                    return
                fut = client.submit(run_chunk, fn_remote, ch, pure=False)
                pending[fut.key] = ch
                ac.add(fut)

        fill()
        for fut in ac:
            ch = pending.pop(fut.key)
            try:
                take(fut.result())
            except Exception as exc:  # KilledWorker, lost connection: not a scenario failure
                stats["lost"] += len(ch)
                stats["lost_reason"] = f"{type(exc).__name__}: {exc}"
            fut.release()
            fill()
    finally:
        if own:
            client.close()
