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

    out, figures, data, stores = (Path(p) for p in (out, figures, data, stores))
    for d in (out.parent, figures, data, stores):
        d.mkdir(parents=True, exist_ok=True)
    started, t0 = utc_now(), time.perf_counter()
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
    for key, skip_name, title, fn in steps:
        ts = time.perf_counter()
        if skip_name and skip_name in skip:
            sec = Section(title, [not_available(f"skipped in this run (--skip {skip_name})")])
        else:
            sec = fn()
        sec.seconds = time.perf_counter() - ts
        log(f"[validate] {key}: {sec.seconds:.0f} s")
        done.append((key, sec))
    note = closing_note([sec for _, sec in done])
    total = time.perf_counter() - t0
    rev = git_revision()
    timing = [{"section": sec.title, "wall time [s]": f"{sec.seconds:.1f}"} for _, sec in done]
    how = Section("How this page was made")
    cmd = ("python -m ccus.validation.document" + (" --quick" if quick else "") + (" --reuse" if reuse else "")
           + "".join(f" --skip {k}" for k in sorted(skip)))
    how.add(f"Generated by `{cmd}` (`make validate` runs the slow tests, then this) at git revision `{rev}` "
            f"from {started} to {utc_now()}: {total / 60:.1f} min wall time on {os.cpu_count()} cores"
            f"{' (quick mode)' if quick else ''}. The numbers quoted here are recorded with their provenance in "
            f"`{_rel(data / 'validation_outputs.json', out.parent)}`; model result stores are in `{_rel(stores, ROOT)}`.",
            table(timing), "Do not edit this page by hand: change the code or the data and run `make validate`.")
    record = {
        "generated": {"git revision": rev, "started": started, "finished": utc_now(), "quick": quick,
                      "reuse": reuse, "skip": sorted(skip), "wall time [s]": round(total, 1), "versions": _versions(),
                      "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]])},
        "sections": {key: {"title": sec.title, "wall time [s]": round(sec.seconds, 1), "numbers": sec.numbers}
                     for key, sec in done},
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
