"""Benchmark: native batch engine vs PHREEQC, measured in the same run.

(a) CarbFix1 batch (experiments/carbfix1_batch.toml, 2 yr, 100 outputs): PHREEQC time / native time.
(b) N batch scenarios (default 1,000) varying temperature (20-60 C), reactive surface area
    (x0.5-2), water:rock ratio (rock 10-50 kg per kg water) and CO2 charge (20-40 kg water per
    kg CO2): all N solved natively as one batched problem (``run_many``) vs a random sample
    through PHREEQC, whose time is EXTRAPOLATED to N (PHREEQC runs one reactor at a time, so its
    time is linear in N). Peak memory (max RSS) of each engine is measured in its own subprocess.
    The native engine integrates each reactor in compiled code and splits reactors over
    threads (CCUS_THREADS, default: all CPUs).

    .venv/bin/python bench/bench_native_batch.py [--n 1000] [--sample 10]

Prints the ratios (wall time, and CPU time, which other jobs on the machine distort less); nothing
is stored.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "experiments" / "carbfix1_batch.toml"


def scenarios(n: int, seed: int = 1):
    """N variants of the CarbFix1 batch (same minerals, so they batch together): ccus.study.testing.batch_variants."""
    from ccus.config.experiment import load_experiment
    from ccus.study.testing import batch_variants

    return batch_variants(load_experiment(CONFIG), n, seed)


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: kB


def child(mode: str, n: int, sample: int) -> dict:
    from ccus.config.experiment import load_experiment
    from ccus.engines.native.engine import run_batch as native_one
    from ccus.engines.native.engine import run_many
    from ccus.engines.phreeqc.engine import run_batch as phreeqc_one

    if mode == "carbfix1-phreeqc":
        exp = load_experiment(CONFIG)
        t = time.perf_counter()
        phreeqc_one(exp)
        return {"time": time.perf_counter() - t, "rss_mb": _maxrss_mb()}
    if mode == "carbfix1-native":
        exp = load_experiment(CONFIG)
        t = time.perf_counter()
        native_one(exp)  # cold: imports, reduced system (JSON cache), loading the compiled kernels from disk
        cold = time.perf_counter() - t
        t = time.perf_counter()
        native_one(exp)
        return {"time": time.perf_counter() - t, "cold": cold, "rss_mb": _maxrss_mb()}
    exps = scenarios(n)
    if mode == "many-native":
        run_many(exps[:1])  # warm-up
        rss0 = _maxrss_mb()
        t = time.perf_counter()
        c = time.process_time()
        res = run_many(exps)
        cpu = time.process_time() - c
        failed = sum(isinstance(r, Exception) for r in res)
        from ccus.kinetics.kernels import threads

        ok = [r for r in res if not isinstance(r, Exception)]
        return {"time": time.perf_counter() - t, "cpu": cpu, "rss_mb": _maxrss_mb(), "rss_before_mb": rss0, "failed": failed,
                "threads": threads(), "group_s": ok[0].provenance["native"]["wall_time_s_batch"] if ok else None,
                "steps_median": float(np.median([r.provenance["native"]["accepted_steps"] for r in ok])) if ok else None,
                "fraction_end": [None if isinstance(r, Exception) else float(r["fraction mineralised"].magnitude[-1])
                                 for r in res]}
    if mode == "many-phreeqc":
        idx = np.random.default_rng(7).choice(n, size=sample, replace=False)
        t = time.perf_counter()
        c = time.process_time()
        frac = {}
        for i in idx:
            frac[int(i)] = float(phreeqc_one(exps[i])["fraction mineralised"].magnitude[-1])
        return {"time": time.perf_counter() - t, "cpu": time.process_time() - c, "rss_mb": _maxrss_mb(),
                "sample": [int(i) for i in idx], "fraction_end": frac}
    raise SystemExit(f"unknown mode {mode}")


def run_child(mode: str, n: int, sample: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", mode, "--n", str(n), "--sample", str(sample)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--sample", type=int, default=10)
    ap.add_argument("--child", default=None)
    ap.add_argument("--skip-a", action="store_true")
    a = ap.parse_args()
    if a.child:
        print(json.dumps(child(a.child, a.n, a.sample)))
        return
    if not a.skip_a:
        p = run_child("carbfix1-phreeqc", 1, 1)
        q = run_child("carbfix1-native", 1, 1)
        print("(a) CarbFix1 batch, 2 yr, one reactor")
        print(f"    PHREEQC {p['time']:.2f} s (max RSS {p['rss_mb']:.0f} MB); native {q['time']:.2f} s (max RSS {q['rss_mb']:.0f} MB)")
        print(f"    PHREEQC time / native time = {p['time'] / q['time']:.2f}")
        print(f"    (native first call in a fresh process, incl. loading the compiled kernels: {q['cold']:.2f} s; "
              f"PHREEQC / that = {p['time'] / q['cold']:.2f})")
    nat = run_child("many-native", a.n, a.sample)
    ph = run_child("many-phreeqc", a.n, a.sample)
    ph_extra = ph["time"] / a.sample * a.n
    print(f"(b) {a.n} CarbFix1-like batch scenarios (T, area, water:rock, CO2 charge varied); native threads: "
          f"{nat['threads']} (CCUS_THREADS / CPUs)")
    print(f"    native, one batched run_many: {nat['time']:.1f} s ({nat['time'] / a.n:.3f} s per scenario), "
          f"{nat['failed']} failed, max RSS {nat['rss_mb']:.0f} MB")
    if nat.get("group_s") is not None:
        print(f"      of which time-zero states + integration {nat['group_s']:.1f} s, building the {a.n} Results "
              f"{nat['time'] - nat['group_s']:.1f} s; median accepted steps per scenario {nat['steps_median']:.0f}")
    print(f"    PHREEQC: {a.sample} sampled scenarios took {ph['time']:.1f} s -> EXTRAPOLATED to {a.n}: {ph_extra:.0f} s, "
          f"max RSS {ph['rss_mb']:.0f} MB (one reactor at a time)")
    print(f"    PHREEQC (extrapolated) / native time = {ph_extra / nat['time']:.2f}")
    # CPU seconds (all threads) are less distorted than wall time when other jobs share the cores
    ph_cpu = ph["cpu"] / a.sample * a.n
    print(f"    CPU time: native {nat['cpu']:.1f} s (all threads), PHREEQC {ph_cpu:.0f} s EXTRAPOLATED; "
          f"PHREEQC / native = {ph_cpu / nat['cpu']:.2f} (wall on {nat['threads']} idle cores would be about "
          f"native CPU / {nat['threads']} plus the serial part)")
    print(f"    peak memory native / PHREEQC = {nat['rss_mb'] / ph['rss_mb']:.2f}")
    diffs = [abs(ph["fraction_end"][str(i)] - nat["fraction_end"][i]) for i in ph["sample"]
             if nat["fraction_end"][i] is not None]
    if diffs:
        print(f"    sampled scenarios: |fraction mineralised native - PHREEQC| at 2 yr <= {max(diffs):.2g}")


if __name__ == "__main__":
    main()
