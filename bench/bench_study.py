"""Study throughput: scenarios per second with 1 and 2 local workers, as ratios.

Two workloads:

1. a batch study of the 30-day CarbFix1 batch experiment (PHREEQC engine),
   a grid over temperature x glass surface area; the baseline is the same
   scenarios run by a plain ``ccus.run`` loop in this process (no study
   machinery), measured in the same run;
2. a trivial scenario function (``ccus.study.testing.linear``) that shows
   the machinery's own cost per scenario (process pool, journal, HDF5).

Printed: scenarios/s, the study-vs-loop ratio with 1 worker (overhead), and
the scaling efficiency ``rate(2 workers) / (2 * rate(1 worker))``. The
machine's other load affects these numbers: run it on an idle machine.

Usage: ``python bench/bench_study.py [--quick]``
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def _grid(quick: bool) -> dict:
    temps = ["20 degC", "30 degC", "40 degC", "50 degC"] if not quick else ["25 degC", "45 degC"]
    # 4 x 4 = 16 scenarios (2 x 4 with --quick)
    areas = ["0.002 m^2/g", "0.005 m^2/g", "0.01 m^2/g", "0.02 m^2/g"]
    return {"experiment.temperature": temps, "rock.minerals.glass.specific_surface_area": areas}


def _loop(base: Path, grid: dict) -> float:
    """Scenarios per second of a plain ccus.run loop (the baseline)."""
    import itertools

    import ccus
    from ccus.config.experiment import load_experiment

    combos = list(itertools.product(*grid.values()))
    t0 = time.perf_counter()
    ccus.run(load_experiment(base))  # warm-up: imports, database text cache
    t0 = time.perf_counter()
    for combo in combos:
        ccus.run(load_experiment(base, overrides=dict(zip(grid, combo, strict=True))))
    return len(combos) / (time.perf_counter() - t0)


def _study(fn_or_base, grid, workers: int, folder: Path, tag: str) -> tuple[float, float, float]:
    """(scenarios/s over the whole study, fixed cost [s] of a 1-scenario study: pool start-up, file,
    mean time [s] of one scenario inside its worker)."""
    from ccus.study import sweep

    outputs = ["fraction mineralised (end)", "final pH"] if not callable(fn_or_base) else None
    one = {k: v[:1] for k, v in grid.items()}
    t0 = time.perf_counter()
    sweep(fn_or_base, one, folder / f"{tag}_{workers}_one.h5", workers=workers, progress=False, outputs=outputs)
    fixed = time.perf_counter() - t0
    t0 = time.perf_counter()
    s = sweep(fn_or_base, grid, folder / f"{tag}_{workers}.h5", workers=workers, progress=False, outputs=outputs)
    el = time.perf_counter() - t0
    assert s.n_failed == 0, s.frame.query("status == 'failed'")["message"].tolist()
    return len(s.values) / el, fixed, float(s.frame["elapsed [s]"].mean())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer scenarios")
    args = ap.parse_args()
    from configs_small import SMALL

    from ccus.study.testing import linear

    print(f"CPUs: {os.cpu_count()}; load average {os.getloadavg()[0]:.1f} (1 min)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        base = folder / "small.toml"
        base.write_text(SMALL)
        grid = _grid(args.quick)
        n = len(grid["experiment.temperature"]) * len(grid["rock.minerals.glass.specific_surface_area"])
        loop = _loop(base, grid)
        (r1, f1, e1), (r2, f2, e2) = _study(base, grid, 1, folder, "ccus"), _study(base, grid, 2, folder, "ccus")
        print(f"\nPHREEQC 30-day batch, {n} scenarios (grid temperature x glass surface area)")
        print(f"  plain ccus.run loop     {loop:8.2f} scenarios/s   ({1 / loop:.2f} s per scenario)")
        print(f"  study, 1 worker         {r1:8.2f} scenarios/s   ratio to loop {r1 / loop:5.2f}   (fixed cost {f1:.1f} s, {e1:.2f} s per scenario in the worker)")
        print(f"  study, 2 workers        {r2:8.2f} scenarios/s   ratio to loop {r2 / loop:5.2f}   (fixed cost {f2:.1f} s, {e2:.2f} s per scenario in the workers)")
        print(f"  scaling efficiency 2 vs 1 worker: {r2 / (2 * r1):.2f}")
        m = 4000 if args.quick else 20000
        cheap = {"a": list(range(m // 20)), "b": list(range(20))}
        (c0, g0, _), (c1, g1, _), (c2, g2, _) = (_study(linear, cheap, w, folder, "cheap") for w in (0, 1, 2))
        print(f"\ntrivial scenario function, {m} scenarios (machinery cost; fixed cost = 1-scenario study)")
        print(f"  in-process (workers=0)  {c0:8.0f} scenarios/s   (fixed cost {g0:.2f} s)")
        print(f"  1 worker process        {c1:8.0f} scenarios/s   ratio to in-process {c1 / c0:5.2f}   (fixed cost {g1:.1f} s)")
        print(f"  2 worker processes      {c2:8.0f} scenarios/s   ratio to in-process {c2 / c0:5.2f}   (fixed cost {g2:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
