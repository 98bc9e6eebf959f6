"""Generate ``docs/validation.md``, its figures and the recorded outputs from scratch.

    python -m ccus.validation.document [--quick] [--out docs/validation.md]
        [--figures docs/figures/validation] [--data docs/validation] [--stores out/validation] [--reuse]

``make validate`` runs it after the slow tests. Every number on the page is
computed in this run (or, with ``--reuse``, read from result stores of the same
configs written by an earlier run) and also written, with the git revision,
date and run times, to ``<data>/validation_outputs.json``. ``--quick`` runs the
cheap parts only (the model runs, the sensitivity study and the speed benchmark
are then marked as skipped); the default test suite uses it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys
import time
from pathlib import Path

from ccus.validation.markdown import Section, not_available, table
from ccus.validation.runs import ROOT

SECTION_TITLES = (
    "Engine agreement: native vs PHREEQC",
    "CO2 solubility: Duan & Sun (2003)",
    "CarbFix1 (Hellisheidi, 2012)",
    "CarbFix2 (Husmuli, 2014-)",
    "Wallula (Columbia River basalt, 2013)",
    "Sensitivity: which uncertain inputs move the answer most",
    "Calibrated values",
    "Closing note: field cases",
    "How this page was made",
)


def _jsonable(x):
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if hasattr(x, "magnitude") and hasattr(x, "units"):
        return {"value": _jsonable(x.magnitude), "unit": f"{x.units:~P}"}
    if hasattr(x, "item") and not isinstance(x, (str, bytes)):
        try:
            return _jsonable(x.item())
        except (ValueError, TypeError):
            return str(x)
    if isinstance(x, float):
        return None if math.isnan(x) else x
    if isinstance(x, (int, str, bool)) or x is None:
        return x
    return str(x)


def _versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for pkg in ("ccus", "phreeqc", "numpy", "pandas", "SALib"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = None
    return out


def closing_note(sections: list[Section]) -> Section:
    """One row per field comparison: model value, field value, verdict."""
    from ccus.validation.field_cases import RULE_FRACTION, RULE_VALUE

    s = Section("Closing note: field cases")
    rows = [v for sec in sections for v in sec.verdicts]
    s.add("Verdict rules: for a published bound (\"> 95 %\"), " + RULE_FRACTION + ". For a published value, "
          + RULE_VALUE + ".")
    s.add("The engine column names the engine that produced each model value (the one its experiment file names).")
    s.add(table(rows, ["case", "engine", "claim", "model", "field", "verdict", "note"]) if rows
          else "No field case was evaluated.")
    s.numbers = {"verdicts": rows}
    return s


SKIPPABLE = ("engine", "solubility", "carbfix1", "fastpath", "carbfix2", "wallula", "sensitivity")


def generate(out: str | Path, figures: str | Path, data: str | Path, stores: str | Path,
             quick: bool = False, reuse: bool = False, log=print, skip=()) -> dict:
    """Run the validation computations and write the page, its figures and the outputs JSON.

    ``skip``: names from ``SKIPPABLE`` whose computation is left out (the page says so
    in the section). Returns the recorded outputs (what is written to
    ``<data>/validation_outputs.json``).
    """
    skip = set(skip)
    bad = skip - set(SKIPPABLE)
    if bad:
        raise ValueError(f"unknown --skip {sorted(bad)}; choose from {', '.join(SKIPPABLE)}")
    from ccus.provenance import git_revision, utc_now
    from ccus.validation import carbfix1_case, field_cases, sections
    from ccus.validation.timing import STARTED_ENV, LoadMonitor, cpu_seconds, make_validate_times

    out, figures, data, stores = (Path(p) for p in (out, figures, data, stores))
    for d in (out.parent, figures, data, stores):
        d.mkdir(parents=True, exist_ok=True)
    started, t0, epoch0 = utc_now(), time.perf_counter(), time.time()
    rev = git_revision()  # before this run rewrites the page and figures (which would make the tree "dirty")
    monitor = LoadMonitor().start()
    try:
        load_before = [round(x, 2) for x in os.getloadavg()]  # 1, 5, 15 min: the slow tests' tail in make validate
    except OSError:
        load_before = None
    steps = [
        ("engine agreement", "engine", SECTION_TITLES[0], lambda: sections.engine_agreement(quick)),
        ("solubility", "solubility", SECTION_TITLES[1], lambda: sections.solubility(figures, quick)),
        ("carbfix1", "", SECTION_TITLES[2],  # --skip carbfix1 leaves out the model runs, not the field data
         lambda: carbfix1_case.carbfix1(figures, stores, quick, reuse, fastpath="fastpath" not in skip,
                                      model="carbfix1" not in skip)),
        ("carbfix2", "carbfix2", SECTION_TITLES[3], lambda: field_cases.carbfix2(figures, stores, quick, reuse)),
        ("wallula", "wallula", SECTION_TITLES[4], lambda: field_cases.wallula(figures, stores, quick, reuse)),
        ("sensitivity", "sensitivity", SECTION_TITLES[5], lambda: sections.sensitivity(figures, stores, quick, reuse)),
        ("calibrated values", "", SECTION_TITLES[6], sections.calibrated_values),
    ]
    done: list[tuple[str, Section]] = []
    timing: list[dict] = []
    for key, skip_name, title, fn in steps:
        ts, es, cs = time.perf_counter(), time.time(), cpu_seconds()
        if skip_name and skip_name in skip:
            sec = Section(title, [not_available(f"skipped in this run (--skip {skip_name})")])
        else:
            sec = fn()
        sec.seconds = time.perf_counter() - ts
        monitor.mark()
        load = monitor.stats(es, time.time())
        timing.append({"section": sec.title, "key": key, "wall time [s]": round(sec.seconds, 1),
                       "CPU time [s]": round(cpu_seconds() - cs, 1), "load average (mean)": load.get("mean"),
                       "model runs": _model_runs(sec.numbers)})
        log(f"[validate] {key}: {sec.seconds:.0f} s wall, {timing[-1]['CPU time [s]']:.0f} s CPU, "
            f"load {load.get('mean', '-')}")
        done.append((key, sec))
    note = closing_note([sec for _, sec in done])
    total = time.perf_counter() - t0
    monitor.stop()
    finished, load_all = utc_now(), monitor.stats()
    make_times = make_validate_times(epoch0, time.time())
    how = Section("How this page was made")
    cmd = ("python -m ccus.validation.document" + (" --quick" if quick else "") + (" --reuse" if reuse else "")
           + "".join(f" --skip {k}" for k in sorted(skip)))
    load_txt = (f", 1-minute load average {load_all['mean']:.1f} on average (max {load_all['max']:.1f})"
                if load_all else "")
    how.add(f"Generated by `{cmd}` (`make validate` runs the slow tests, then this) at git revision `{rev}` "
            f"from {started} to {finished}: **{total / 60:.1f} min** wall time on {os.cpu_count()} cores{load_txt}"
            f"{' (quick mode)' if quick else ''}. The numbers quoted here are recorded with their provenance in "
            f"`{_rel(data / 'validation_outputs.json', out.parent)}`; model result stores are in `{_rel(stores, ROOT)}`.")
    if make_times:
        parts = ", ".join(f"{k.removesuffix(' [s]')} {v / 60:.1f} min" for k, v in make_times.items()
                          if k != "total [s]")
        lb = ("" if not load_before else f" The load average when this page started (1, 5, 15 min: the end of the "
              f"slow tests) was {load_before[0]:.1f}, {load_before[1]:.1f}, {load_before[2]:.1f}.")
        how.add(f"**`make validate` took {make_times['total [s]'] / 60:.1f} min** in all in this run ({parts}; "
                f"its start time came from the Makefile, `{STARTED_ENV}`).{lb}")
    else:
        how.add(f"The time of the whole `make validate` (install, slow tests, this page) is stated when the Makefile "
                f"passes its start time (`{STARTED_ENV}`); this run was started without it.")
    how.add("Per section (CPU time: this process and its finished child processes; wall times scatter with the "
            "machine's load, CPU times much less):",
            table([{**t, "model runs": ", ".join(t["model runs"]) or "-", "wall time [s]": f"{t['wall time [s]']:.1f}",
                    "CPU time [s]": f"{t['CPU time [s]']:.1f}", "load average (mean)": t["load average (mean)"] or "-"}
                   for t in timing],
                  ["section", "wall time [s]", "CPU time [s]", "load average (mean)", "model runs"]),
            "Do not edit this page by hand: change the code or the data and run `make validate`.")
    record = {
        "generated": {"git revision": rev, "started": started, "finished": finished, "quick": quick,
                      "reuse": reuse, "skip": sorted(skip), "wall time [s]": round(total, 1), "versions": _versions(),
                      "cores": os.cpu_count(), "load average": load_all,
                      "load average at the start (1, 5, 15 min)": load_before, "make validate": make_times,
                      "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]])},
        "sections": {key: {"title": sec.title, "wall time [s]": round(sec.seconds, 1), "timing": t,
                           "numbers": sec.numbers} for (key, sec), t in zip(done, timing, strict=True)},
        "closing note": note.numbers["verdicts"],
    }
    (data / "validation_outputs.json").write_text(json.dumps(_jsonable(record), indent=1) + "\n")
    fig_rel = _rel(figures, out.parent)
    head = ("# Validation\n\nWhat is checked, against what, and how well: ccus's native engine against PHREEQC, "
            "the CO2 solubility model against data and PHREEQC, and the models of three field pilots against their "
            "published results. **This page is generated** (`make validate`); every model number on it comes from "
            "the run recorded in the outputs file named at the end.")
    body = [sec.markdown() for _, sec in done] + [note.markdown(), how.markdown()]
    text = "\n\n".join([head, *body]) + "\n"
    text = text.replace("](figures/validation/", f"]({fig_rel}/")
    out.write_text(text)
    log(f"[validate] wrote {out} ({total:.0f} s)")
    return record


def _model_runs(numbers, found=None, role: str = "") -> list[str]:
    """``experiment (engine, N s)`` for every model run recorded in a section's numbers."""
    found = [] if found is None else found
    if isinstance(numbers, dict):
        if "engine" in numbers and "experiment" in numbers and "wall time [s]" in numbers:
            how = ""
            if numbers.get("reused stored result"):
                how = ", run by the slow tests" if "make validate" in str(numbers.get("reuse", "")) else ", stored run"
            found.append(f"{Path(str(numbers['experiment'])).stem} ({numbers['engine']}{role}, "
                         f"{numbers['wall time [s]']:.0f} s{how})")
        else:
            for k, v in numbers.items():
                _model_runs(v, found, " cross-check" if k == "other engine" else role)
    return found


def _rel(path: Path, start: Path) -> str:
    return os.path.relpath(Path(path).resolve(), Path(start).resolve())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m ccus.validation.document", description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=str(ROOT / "docs" / "validation.md"))
    ap.add_argument("--figures", default=str(ROOT / "docs" / "figures" / "validation"))
    ap.add_argument("--data", default=str(ROOT / "docs" / "validation"))
    ap.add_argument("--stores", default=str(ROOT / "out" / "validation"))
    ap.add_argument("--quick", action="store_true", help="cheap parts only (model runs and studies skipped)")
    ap.add_argument("--reuse", action="store_true", help="load result stores of unchanged configs instead of rerunning")
    ap.add_argument("--skip", action="append", default=[], choices=SKIPPABLE,
                    help="leave out a computation (repeatable); the page marks it as skipped")
    a = ap.parse_args(argv)
    generate(a.out, a.figures, a.data, a.stores, quick=a.quick, reuse=a.reuse, skip=a.skip)
    return 0


if __name__ == "__main__":
    sys.exit(main())
