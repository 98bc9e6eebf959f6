"""Worked example for a geoscientist: one experiment, changed, run, read, saved and reported.

Loads the CarbFix1 batch experiment, overrides one key (the reservoir temperature
of the run, 35 -> 50 degC), runs it, reads the Result (summary numbers, the time
series as a pandas frame, the fraction mineralised), saves the HDF5 store, loads
it back and writes the HTML pilot-feasibility report.

    .venv/bin/python docs/examples/geoscientist_experiment.py [--out DIR] [--fast]

``--fast`` (or the environment variable CCUS_EXAMPLES_FAST=1, used by the test
suite) also shortens the run to 60 days so that the example takes seconds.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main(out: Path, fast: bool) -> dict:
    import ccus
    from ccus.config.experiment import load_experiment

    overrides = {"experiment.temperature": "50 degC"}
    if fast:
        overrides["experiment.duration"] = "60 d"
    # 1. load the config with a changed key (values are validated: a wrong unit is one clear error)
    exp = load_experiment(ROOT / "experiments" / "carbfix1_batch.toml", overrides=overrides)
    print(f"experiment {exp.name!r}: site {exp.site.name}, rock {exp.rock.name}, engine {exp.engine}")

    # 2. run it (the engine named in the file; ccus.run(exp, engine="native") picks the other one)
    result = ccus.run(exp)

    # 3. read the Result: headline numbers (pint quantities), the series, a pandas frame
    for key, value in result.summary().items():
        print(f"  {key:28s} {value:.4g~P}" if hasattr(value, "units") else f"  {key:28s} {value}")
    frame = result.frame                                   # index time [d], columns "name [unit]"
    print(frame[["pH [-]", "DIC [mol/kg]", "fraction mineralised [-]"]].iloc[[0, len(frame) // 2, -1]])
    final = result.mineralised_fraction[-1]                # dimensionless quantity

    # 4. save the store (atomic HDF5 write, full provenance) and load it back
    out.mkdir(parents=True, exist_ok=True)
    store = out / "carbfix1_50C.h5"
    result.save(store)
    again = ccus.load_result(store)
    assert again.equals(result)
    print(f"store: {store} (config sha256 {again.provenance['config_sha256'][:12]}...)")

    # 5. the pilot-feasibility report (self-contained HTML)
    report = ccus.report(again, output=out / "carbfix1_50C.html")
    print(f"report: {report}")
    return {"fraction mineralised": float(final.magnitude), "store": store, "report": Path(report)}


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "out" / "examples")
    ap.add_argument("--fast", action="store_true", default=os.environ.get("CCUS_EXAMPLES_FAST") == "1")
    a = ap.parse_args()
    main(a.out, a.fast)
