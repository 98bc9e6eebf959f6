"""Executor backends (serial, process pool, Dask LocalCluster) and failure recording."""

import numpy as np
import pytest

from ccus.study import LatinHypercube, Parameter, execute, sample, sweep
from ccus.study.executor import Progress, run_chunk
from ccus.study.testing import Slow, linear

PARAMS = [Parameter.uniform("a", 0, 1), Parameter.triangular("b", 0, 1, 4)]


def _numbers(study):
    return study.frame.drop(columns=["elapsed [s]"]).select_dtypes("number").to_numpy()


def test_failing_scenarios_recorded_rest_complete(tmp_path):
    fn = Slow(seconds=0.0, fail_above=2.5)  # "a" > 2.5 is an invalid combination
    study = sweep(fn, {"a": [1, 2, 3, 4], "b": [0, 1]}, tmp_path / "s.h5", workers=2, progress=False)
    df = study.frame
    assert list(df["status"]) == ["done"] * 4 + ["failed"] * 4
    assert df.loc[df.status == "failed", "message"].str.startswith("ValueError: invalid combination: x = ").all()
    assert df.loc[df.status == "done", "y [-]"].tolist() == [1, 3, 2, 4]
    assert df.loc[df.status == "failed", "y [-]"].isna().all()
    # failures are final unless retried; a retry with a now-valid function completes them
    again = sweep(fn, {"a": [1, 2, 3, 4], "b": [0, 1]}, tmp_path / "s.h5", workers=0, progress=False)
    assert again.n_failed == 4


def test_bad_return_value_is_a_failure():
    recs = run_chunk(lambda p: [1, 2], [(0, {"a": 1.0})])
    assert recs[0]["status"] == "failed" and "must return a dict" in recs[0]["message"]


def test_batched_hook_used(tmp_path):
    class Batched:
        batch_size = 4
        calls = []

        def __call__(self, p):  # pragma: no cover - not used when batched
            raise AssertionError

        def run_many(self, many):
            return [linear(p) if p["a"] < 0.5 else ValueError("no") for p in many]

    got = []
    stats = execute(Batched(), [(i, {"a": i / 10}) for i in range(10)], got.append, workers=0, progress=False)
    assert stats["done"] == 5 and stats["failed"] == 5 and len(got) == 10
    assert sorted(r["id"] for r in got) == list(range(10))


def test_pool_equals_serial(tmp_path):
    design = LatinHypercube(n=40, seed=3)
    a = sample(linear, PARAMS, tmp_path / "a.h5", design=design, workers=0, progress=False)
    b = sample(linear, PARAMS, tmp_path / "b.h5", design=design, workers=2, progress=False)
    np.testing.assert_array_equal(_numbers(a), _numbers(b))
    assert {r["worker"] for r in b.records.values()} != {r["worker"] for r in a.records.values()}


def test_dask_local_cluster_same_store_as_pool(tmp_path):
    distributed = pytest.importorskip("distributed")
    design = LatinHypercube(n=40, seed=3)
    fn = Slow(seconds=0.0, fail_above=0.9)
    pool = sample(fn, PARAMS, tmp_path / "pool.h5", design=design, workers=2, progress=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cl, \
            distributed.Client(cl) as client:
        dask = sample(fn, PARAMS, tmp_path / "dask.h5", design=design, client=client, batch_size=3, progress=False)
        # and by scheduler address, resuming the same (finished) file: nothing to do
        again = sample(fn, PARAMS, tmp_path / "dask.h5", design=design, scheduler=cl.scheduler_address,
                       progress=False)
    assert pool.n_failed > 0
    np.testing.assert_array_equal(_numbers(pool), _numbers(dask))
    assert (pool.frame["status"] == dask.frame["status"]).all()
    assert (pool.frame["message"] == dask.frame["message"]).all()
    np.testing.assert_array_equal(_numbers(again), _numbers(dask))


def test_progress_line():
    import io

    buf = io.StringIO()
    p = Progress(4, stream=buf)
    p.update("done")
    p.update("failed")
    p.show(final=True)
    assert "2/4 (1 done, 1 failed)" in buf.getvalue() and "ETA" in buf.getvalue()


def test_worker_crash_loses_only_its_tasks_then_resume(tmp_path):
    from ccus.study import StudyRunError, load
    from ccus.study.testing import DieOnce

    fn = DieOnce(str(tmp_path / "died"), "a", 3.0)
    grid = {"a": [float(i) for i in range(6)], "b": [0.0, 1.0]}
    with pytest.raises(StudyRunError, match="were lost"):
        sweep(fn, grid, tmp_path / "s.h5", workers=2, batch_size=1, progress=False)
    partial = load(tmp_path / "s.h5")
    assert partial.n_failed == 0 and 0 < partial.n_done < 12  # lost ones are pending, not failed
    done = sweep(fn, grid, tmp_path / "s.h5", workers=0, progress=False)
    assert done.n_done == 12 and done.frame["y [-]"].tolist() == [a + 2 * b for a in range(6) for b in (0, 1)]


def test_unknown_output_did_you_mean(tmp_path):
    from ccus.study.analysis import AnalysisError

    s = sample(linear, PARAMS, tmp_path / "m.h5", n=20, workers=0, progress=False)
    with pytest.raises(AnalysisError, match="did you mean 'y'"):
        s.sensitivity("yy")
