"""``ccus sweep STUDY.toml -o STUDY.h5 [--workers N] [--scheduler ADDR]``: run a parameter study.

Rerunning the same command resumes: finished scenarios are skipped. At the
end it prints the counts, the spread of each output and, for Morris / Sobol
designs, the sensitivity indices.
"""

from __future__ import annotations

import sys
from pathlib import Path


def cmd_sweep(args) -> int:
    import pandas as pd

    from ccus.study import load_study, run
    from ccus.study.analysis import AnalysisError

    spec = load_study(args.study)
    out = Path(args.output) if args.output else Path(args.study).with_suffix(".h5")
    study = run(spec, out, workers=args.workers, scheduler=args.scheduler, retry_failed=args.retry_failed,
                progress=not args.quiet)
    print(f"study {study.name}: {len(study.values)} scenarios, {study.n_done} done, {study.n_failed} failed -> {out}")
    with pd.option_context("display.width", 160, "display.max_columns", 12, "display.float_format", "{:.4g}".format):
        if study.n_done:
            print()
            print(study.quantiles().to_string())
        kind = spec.design.kind
        if kind in ("morris", "sobol") and study.n_done:
            print()
            for o in study.outputs:
                try:
                    print(study.sensitivity(o).to_string())
                except AnalysisError as exc:
                    print(f"{o}: no indices ({exc})", file=sys.stderr)
    failed = study.frame.query("status == 'failed'")
    if len(failed):
        print(f"\n{len(failed)} failed scenarios, e.g. #{failed.index[0]}: {failed['message'].iloc[0]}", file=sys.stderr)
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("sweep", help="run a parameter study (sweep, uncertainty, sensitivity); resumable")
    p.add_argument("study", help="study TOML file (experiments/*_study.toml)")
    p.add_argument("-o", "--output", help="study file (HDF5; default: STUDY.h5 beside the TOML)")
    p.add_argument("--workers", type=int, default=None, help="local worker processes (default: CPU count; 0: in-process)")
    p.add_argument("--scheduler", help="Dask scheduler address (tcp://host:8786) to run on a cluster")
    p.add_argument("--retry-failed", action="store_true", help="rerun scenarios recorded as failed")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress line")
    p.set_defaults(func=cmd_sweep)
