"""CarbFix1 HN-04: simulated vs measured pH, DIC and SF6 mixing fraction, with the misfit numbers.

Run from the repository root:

    .venv/bin/python docs/examples/hn04_model_vs_field.py [--main RUN.h5] [--fast RUN.h5] [--out FIG.png]

Without stored runs it runs ``experiments/carbfix1.toml`` (slow main plume, PHREEQC,
several minutes) and ``experiments/carbfix1_fastpath.toml`` (fast flow path, phase I)
and stores them as ``out/carbfix1.h5`` and ``out/carbfix1_fastpath.h5``. Writes
``docs/figures/hn04_model_vs_field.png`` and prints :func:`ccus.field.hn04_misfit`
for each run (see ``docs/field-data.md``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from ccus.config.experiment import load_experiment
from ccus.engines import run
from ccus.field import hn04_misfit, model_endmembers, plot_hn04_comparison
from ccus.result.store import load_result

ROOT = Path(__file__).resolve().parents[2]
RUNS = {"main plume (carbfix1.toml)": "carbfix1", "fast path (carbfix1_fastpath.toml)": "carbfix1_fastpath"}


def get_result(name: str, stored: str | None):
    if stored:
        return load_result(stored)
    result = run(load_experiment(ROOT / "experiments" / f"{name}.toml"))
    out = ROOT / "out" / f"{name}.h5"
    out.parent.mkdir(exist_ok=True)
    result.save(out)
    return result


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--main", help="stored Result (HDF5) of experiments/carbfix1.toml")
    ap.add_argument("--fast", help="stored Result (HDF5) of experiments/carbfix1_fastpath.toml")
    ap.add_argument("--out", default=str(ROOT / "docs" / "figures" / "hn04_model_vs_field.png"))
    args = ap.parse_args(argv)
    stored = {"carbfix1": args.main, "carbfix1_fastpath": args.fast}
    results, misfits = {}, {}
    for label, name in RUNS.items():
        r = get_result(name, stored[name])
        results[label] = r
        em = model_endmembers(load_experiment(ROOT / "experiments" / f"{name}.toml"))
        misfits[label] = hn04_misfit(r, model_endmembers_=em)
    plot_hn04_comparison(results, out=args.out, t_max_d=540)
    with pd.option_context("display.width", 200, "display.max_columns", 10, "display.precision", 4):
        for label, m in misfits.items():
            print(f"\n{label}: compared up to day {m.t_end_model_d:.0f}")
            print(m.table())
            print(f"model truth at the end of the run: fraction mineralised {m.fraction_model_true_end:.3f}")
    print(f"wrote {args.out}")
    return misfits


if __name__ == "__main__":
    main()
