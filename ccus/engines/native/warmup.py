"""Compile the native engine's kernels once, right after installation.

The native engine's compiled kernels (numba, cached on disk beside the package) are built the
first time they are called: 1.5-3 minutes on two cores. ``make`` runs this module after
``pip install`` so that the one-time compile is part of installing, and a user's first
``ccus run`` takes its normal time. It runs the two demo experiments (``make demo`` and
``make demo-batch``) cut short: the CarbFix1 batch for 2 days and the CarbFix1 transport on 4
cells for 10 days. The kernels are compiled for argument types, not sizes, so these short runs
build every kernel the full experiments use.

    python -m ccus.engines.native.warmup
"""

from __future__ import annotations

import time

from ccus.config.paths import models_dir

#: experiment file (in ``experiments/`` beside ``models/``) -> overrides that make it short
CASES = {
    "carbfix1_batch.toml": {"experiment.duration": "2 d", "output.steps": 2},
    "carbfix1.toml": {"experiment.duration": "10 d", "transport.cells": 4},
}


def warm_up() -> float:
    """Run the short cases natively (compiling or loading the kernels); returns the seconds taken."""
    from ccus.config.experiment import load_experiment
    from ccus.engines import run

    folder = models_dir().parent / "experiments"
    t = time.perf_counter()
    for name, overrides in CASES.items():
        run(load_experiment(folder / name, engine="native", overrides=overrides))
    return time.perf_counter() - t


def main() -> int:
    print("compiling the native engine's kernels (once after installing; 1.5-3 min on 2 cores) ...", flush=True)
    print(f"native kernels ready ({warm_up():.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
