"""Worked example for a planner: three candidate sites side by side, injection feasibility and ranking.

Runs the CarbFix1, CarbFix2 and Leizhou batch experiments (the list in
experiments/sites.toml), shows each site's injection plan (water demand, well
pressure against the fracture pressure), compares the sites with planner
weights (ccus.compare: criteria as rows, sites as columns, each criterion
pass / warn / fail) and writes the comparison as HTML.

    .venv/bin/python docs/examples/planner_site_comparison.py [--out DIR] [--fast]

The same from the shell: ``ccus compare experiments/sites.toml -o compare.html``.
``--fast`` (or CCUS_EXAMPLES_FAST=1, used by the test suite) runs each site for
60 days instead of the experiment's duration.
"""

from __future__ import annotations

import argparse
import os
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main(out: Path, fast: bool):
    import ccus
    from ccus.config.experiment import load_experiment
    from ccus.injection.plan import plan
    from ccus.reporting.compare_html import write_compare
    from ccus.reporting.comparison import compare, format_frame, ranking

    sites = tomllib.loads((ROOT / "experiments" / "sites.toml").read_text())
    files = [ROOT / "experiments" / f for f in sites["compare"]["experiments"]]
    weights = sites.get("weights")          # mineralisation time 3, pressure margin 2, the rest 1
    out.mkdir(parents=True, exist_ok=True)
    results = []
    for f in files:
        exp = load_experiment(f, overrides={"experiment.duration": "60 d"} if fast else None)
        # injection feasibility before any chemistry: water demand and well pressure per phase
        p = plan(exp)
        print(f"== {exp.site.name}: injection plan")
        print(p.frame.loc[["min water per gas [t/t]", "water per gas [t/t]", "bottomhole pressure [bar]",
                           "fracture pressure [bar]", "pressure margin [bar]"]].to_string())
        for w in p.warnings:
            print(f"   warning: {w}")
        r = ccus.run(exp)
        r.save(out / f"{f.stem}.h5")
        results.append(r)

    frame = compare(results, weights=weights)            # the function behind ccus.compare
    print(format_frame(frame))
    best = ranking(frame)[0]
    print(f"best-ranked site with these weights: {best}")
    write_compare(frame, out / "sites.html")
    print(f"comparison: {out / 'sites.html'}")
    return frame


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "out" / "examples")
    ap.add_argument("--fast", action="store_true", default=os.environ.get("CCUS_EXAMPLES_FAST") == "1")
    a = ap.parse_args()
    main(a.out, a.fast)
