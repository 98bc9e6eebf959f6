"""Worked example of a scripted study: a small design over two parameters, run by the executor.

A full-factorial sweep of the CarbFix1 batch experiment over the reservoir
temperature (20, 35, 50 degC: the 20-50 C range of the target aquifer,
Alfredsson et al. 2013) and the glass specific surface area (0.005 and
0.05 m^2/g: the geometric estimate and ten times it), run on local worker
processes into a resumable study file; then the results table (one row per
scenario), the fraction mineralised against the two inputs and the scenario
that mineralises fastest.

    .venv/bin/python docs/examples/scripted_study.py [--out DIR] [--workers N] [--fast]

Running it again resumes: finished scenarios are read from the study file.
``--fast`` (or CCUS_EXAMPLES_FAST=1, used by the test suite) uses two
temperatures, runs each scenario for 60 days and works in this process.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main(out: Path, workers: int, fast: bool):
    from ccus import study

    grid = {
        "experiment.temperature": ["20 degC", "50 degC"] if fast else ["20 degC", "35 degC", "50 degC"],
        "rock.minerals.glass.specific_surface_area": ["0.005 m^2/g", "0.05 m^2/g"],
    }
    if fast:
        grid["experiment.duration"] = ["60 d"]
    out.mkdir(parents=True, exist_ok=True)
    store = out / ("carbfix1_sweep_fast.h5" if fast else "carbfix1_sweep.h5")
    s = study.sweep(ROOT / "experiments" / "carbfix1_batch.toml", grid, store,
                    outputs=["fraction mineralised (end)", "final pH", "t50"],
                    workers=0 if fast else workers, progress=False)
    print(f"study file {store}: {s.n_done} done, {s.n_failed} failed")

    table = s.frame                                   # inputs "path [unit]", outputs "name [unit]", status
    cols = [c for c in table.columns if not c.startswith(("message", "elapsed"))]
    print(table[cols].to_string())

    frac = [c for c in table.columns if c.startswith("fraction mineralised (end)")][0]
    temp = [c for c in table.columns if c.startswith("experiment.temperature")][0]
    area = [c for c in table.columns if c.startswith("rock.minerals.glass.specific_surface_area")][0]
    print(table.pivot_table(index=temp, columns=area, values=frac).round(3))
    best = table[frac].idxmax()
    print(f"fastest: scenario {best} ({table.loc[best, temp]:g} {temp.split('[')[1][:-1]}, "
          f"{table.loc[best, area]:g} {area.split('[')[1][:-1]}): fraction {table.loc[best, frac]:.3f}")
    return table


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "out" / "examples")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--fast", action="store_true", default=os.environ.get("CCUS_EXAMPLES_FAST") == "1")
    a = ap.parse_args()
    main(a.out, a.workers, a.fast)
