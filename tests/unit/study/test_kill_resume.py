"""SIGKILL a running study (in a subprocess) at various moments, resume, compare with an uninterrupted run."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

from ccus.study import Parameter, Sobol, load, sample
from ccus.study.store import journal_path, read_h5, read_journal
from ccus.study.testing import Slow

N = 32  # Sobol n: 32 x (3 + 2) = 160 scenarios of ~10 ms, 2 workers
PARAMS = [Parameter.uniform("a", 0, 1), Parameter.loguniform("b", 1, 100), Parameter.normal("c", 5, 1)]
FN = Slow(seconds=0.01, fail_above=0.95)  # a few scenarios fail: failures must survive the kill too

SCRIPT = """
import sys
from ccus.study import Parameter, Sobol, sample
from ccus.study.testing import Slow

def main():
    params = [Parameter.uniform("a", 0, 1), Parameter.loguniform("b", 1, 100), Parameter.normal("c", 5, 1)]
    sample(Slow(seconds=0.01, fail_above=0.95), params, sys.argv[1], design=Sobol(n={n}, seed=7),
           workers=2, progress=False)

if __name__ == "__main__":
    main()
"""


def _start(script, store):
    return subprocess.Popen([sys.executable, str(script), str(store)], start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _kill(proc):
    """SIGKILL the study process only (its pool workers are orphaned, as in a real kill), then
    clean up the orphans of the process group we created."""
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    time.sleep(0.2)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _lines(store):
    jp = journal_path(store)
    return jp.read_bytes().count(b"\n") if jp.exists() else 0


def _comparable(study):
    df = study.frame.drop(columns=["elapsed [s]"])
    return df


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    store = tmp_path_factory.mktemp("ref") / "ref.h5"
    return sample(FN, PARAMS, store, design=Sobol(n=N, seed=7), workers=0, progress=False)


@pytest.mark.parametrize("kill_after", [0, 40])
def test_sigkill_then_resume_every_scenario_once(tmp_path, reference, kill_after):
    """kill_after = journal lines seen before the SIGKILL (0: while starting up)."""
    script = tmp_path / "run.py"
    script.write_text(textwrap.dedent(SCRIPT.format(n=N)))
    store = tmp_path / "s.h5"
    proc = _start(script, store)
    t0 = time.monotonic()
    while _lines(store) < kill_after and proc.poll() is None and time.monotonic() - t0 < 60:
        time.sleep(0.005)
    if kill_after == 0:
        time.sleep(0.8)
    assert proc.poll() is None, f"study finished before the kill: {proc.stderr.read()!r}"
    _kill(proc)
    if store.exists():
        # the file is readable right after the kill, and journal + file hold each id at most once
        journal = read_journal(store)
        ids = [r["id"] for r in journal]
        assert len(ids) == len(set(ids))
        assert not set(ids) & set(read_h5(store)[3])
        partial = load(store)
        assert 0 <= len(partial.records) < len(reference.values)
        assert len(partial.records) >= kill_after
    resumed = sample(FN, PARAMS, store, design=Sobol(n=N, seed=7), workers=2, progress=False)
    assert not journal_path(store).exists()
    _, values, _, records = read_h5(store)
    assert sorted(records) == list(range(len(values)))  # every scenario exactly once
    assert resumed.n_failed == reference.n_failed > 0
    a, b = _comparable(resumed), _comparable(reference)
    assert a.columns.equals(b.columns) and (a["status"] == b["status"]).all()
    np.testing.assert_array_equal(a.select_dtypes("number").to_numpy(), b.select_dtypes("number").to_numpy())


@pytest.mark.slow
def test_repeated_kills_converge(tmp_path, reference):
    """Kill at random moments until the study completes; same store as an uninterrupted run."""
    script = tmp_path / "run.py"
    script.write_text(textwrap.dedent(SCRIPT.format(n=N)))
    store = tmp_path / "s.h5"
    rng = np.random.default_rng(0)
    for _ in range(4):
        proc = _start(script, store)
        time.sleep(rng.uniform(0.5, 2.0))
        if proc.poll() is not None:
            break
        _kill(proc)
    final = sample(FN, PARAMS, store, design=Sobol(n=N, seed=7), workers=0, progress=False)
    _, values, _, records = read_h5(store)
    assert sorted(records) == list(range(len(values)))
    a, b = _comparable(final), _comparable(reference)
    np.testing.assert_array_equal(a.select_dtypes("number").to_numpy(), b.select_dtypes("number").to_numpy())
