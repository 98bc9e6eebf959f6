"""Sections of the validation report other than the field cases: engine agreement, CO2 solubility,
sensitivity and the calibrated / assumed values."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
import time
from pathlib import Path

from ccus.validation.markdown import Section, fmt, not_available, table
from ccus.validation.runs import ROOT

#: Waters in the speed benchmark of the report: a fifth of the benchmark's default 10,000, to keep
#: `make validate` shorter; the report quotes the ratio measured in the run, not absolute times.
BENCH_WATERS = 2000


def _panel(module: str, func: str, quick: bool):
    """Call ``module.func(quick)`` -> (frame, ok); (None, None, reason) when this build lacks it or it fails."""
    try:
        fn = getattr(importlib.import_module(module), func)
    except (ImportError, AttributeError):
        return None, None, f"`{module}.{func}` is not in this build"
    try:
        frame, ok = fn(quick=quick)
    except Exception as e:  # noqa: BLE001 - the report shows the failure instead of stopping
        return None, None, f"`{module}.{func}` failed: {type(e).__name__}: {e}"
    return frame, bool(ok), ""


def _panel_block(s: Section, key: str, title: str, module: str, func: str, quick: bool, intro: str) -> None:
    t0 = time.perf_counter()
    frame, ok, why = _panel(module, func, quick)
    s.add(f"### {title}", intro)
    if frame is None:
        s.add(not_available(why))
        s.numbers[key] = {"available": False, "reason": why}
        return
    secs = time.perf_counter() - t0
    s.add(f"All within tolerance: **{'yes' if ok else 'no'}** ({len(frame)} rows, {secs:.0f} s, "
          f"`{module}.{func}(quick={quick})`).", table(frame))
    s.numbers[key] = {"available": True, "all within tolerance": ok, "seconds": round(secs, 1),
                      "rows": frame.to_dict("records")}


def engine_agreement(quick: bool) -> Section:
    """Native engine vs PHREEQC: speciation panel, batch experiments, transport case, speciation speed."""
    t0 = time.perf_counter()
    s = Section("Engine agreement: native vs PHREEQC")
    s.add("Every row runs both engines on the same input in this report run (PHREEQC through the `phreeqc` "
          "wheel, `Kinec_v3.dat`). Tolerances are the modules' own (stated in their docstrings). One difference "
          "is kept on purpose: ccus multiplies the carbonate mechanism of calcite, magnesite and siderite by the "
          "surface area, Kinec_v3.dat does not ([model.md](model.md)).")
    _panel_block(s, "speciation panel", "Speciation panel", "ccus.validation.speciation_panel", "run_speciation_panel",
                 quick, "Waters typical of CarbFix (`ccus/validation/speciation_panel.py`): pH within 0.01, "
                 "saturation indices within 0.02, molalities above 1e-12 mol/kg within 0.5 %.")
    _panel_block(s, "batch panel", "Batch experiments", "ccus.validation.batch_panel", "run_batch_panel", quick,
                 "Every `kind = \"batch\"` experiment in `experiments/`, both engines, every output time "
                 "(`ccus validate`).")
    _panel_block(s, "transport panel", "Transport case", "ccus.validation.transport_panel", "run_transport_panel",
                 quick, "A small transport case against PHREEQC TRANSPORT.")
    s.add("### Speciation speed")
    if quick:
        s.add(not_available("skipped in --quick mode (the benchmark times 10,000 waters)"))
        s.numbers["speciation speed"] = {"available": False, "reason": "quick mode"}
    else:
        bench = ROOT / "bench" / "bench_speciation.py"
        try:
            out = subprocess.run([sys.executable, str(bench), str(BENCH_WATERS)], capture_output=True, text=True, cwd=ROOT,
                                 timeout=1800, check=True).stdout
        except (OSError, subprocess.SubprocessError) as e:
            s.add(not_available(f"`bench/bench_speciation.py` failed: {e}"))
            s.numbers["speciation speed"] = {"available": False, "reason": str(e)}
        else:
            lines = [ln.rstrip() for ln in out.splitlines() if ln.strip()]
            ratios = [ln for ln in lines if re.search(r"ratio|^\[|waters:", ln)] or lines[-15:]
            s.add(f"`bench/bench_speciation.py {BENCH_WATERS}` (both engines timed side by side in this run; ratios, not "
                  "absolute times, are what carry over to another machine):", "```\n" + "\n".join(ratios) + "\n```")
            s.numbers["speciation speed"] = {"available": True, "output": lines}
    s.seconds = time.perf_counter() - t0
    return s


def solubility(fig_dir: Path, quick: bool) -> Section:
    """Duan & Sun 2003 vs measured data and vs PHREEQC Peng-Robinson."""
    from ccus.validation import solubility_panel as sp

    t0 = time.perf_counter()
    s = Section("CO2 solubility: Duan & Sun (2003)")
    summ, points = sp.data_comparison()
    s.add("**Against measured data** (IUPAC-NIST Solubility Database, NIST SRD 106; data and citations in "
          "`ccus/validation/solubility_data.py`). Deviation = model / measured - 1. Duan & Sun (2003, Chem. "
          "Geol. 193:257) claim about 7 %.",
          table(summ, ["data set", "points", "T [C]", "P [bar]", "NaCl [mol/kg]", "mean |dev|", "max |dev|", "max at"]),
          "Sources: " + "; ".join(summ["citation"]) + ".")
    s.numbers["vs data"] = summ.to_dict("records")
    try:
        grid = sp.phreeqc_grid(quick)
    except Exception as e:  # noqa: BLE001 - shown in the report
        s.add(not_available(f"PHREEQC Peng-Robinson comparison failed: {type(e).__name__}: {e}"))
        grid = None
    if grid is not None:
        regions = sp.grid_summary(grid)
        what = "a 2 x 2 x 2 subset (--quick)" if quick else "10-250 C, 1-300 bar, 0-4 mol/kg NaCl"
        s.add(f"**Against PHREEQC Peng-Robinson** (`phreeqc.dat`, GAS_PHASE -fixed_pressure with CO2(g) + H2O(g)), "
              f"{what}, {len(grid)} points (P < 3 p_H2O(T) left out). Two independent models, each a few % from "
              "data; deviation = Duan & Sun / PHREEQC - 1.",
              table(regions, ["region", "points", "rms dev", "max |dev|", "signed max", "max at"]))
        s.numbers["vs PHREEQC PR"] = regions
        sp.figure(points, grid, fig_dir / "solubility.png")
        s.add("![CO2 solubility](figures/validation/solubility.png)")
    s.add("Model description and the water demand it implies: [solubility.md](solubility.md).")
    s.seconds = time.perf_counter() - t0
    return s


def sensitivity(fig_dir: Path, store_dir: Path, quick: bool, reuse: bool = False) -> Section:
    """Morris screening of the CarbFix1 batch (experiments/carbfix1_sensitivity.toml): which inputs matter most."""
    t0 = time.perf_counter()
    s = Section("Sensitivity: which uncertain inputs move the answer most")
    spec = ROOT / "experiments" / "carbfix1_sensitivity.toml"
    s.add(f"Morris screening of the CarbFix1 batch case (`{spec.relative_to(ROOT)}`: ranges and their reasons are in "
          "the file), run with `ccus.study`. mu* is the mean absolute change of the output over an input's range; "
          "a large sigma means the effect depends on the other inputs.")
    if not spec.exists():
        s.add(not_available(f"{spec.relative_to(ROOT)} does not exist"))
    elif quick:
        s.add(not_available("skipped in --quick mode (30 PHREEQC runs)"))
    else:
        from ccus import study

        store = store_dir / "carbfix1_sensitivity.h5"
        if store.exists() and not reuse:
            store.unlink()  # from scratch: a study file resumes, so an old one would be reused
        st = study.run(spec, store, workers=2, progress=False)
        sens = st.sensitivity()
        rows, ranking = [], {}
        for out in sens.index.get_level_values(0).unique():
            d = sens.loc[out].sort_values("mu_star", ascending=False)
            ranking[out] = list(d.index)
            for name, r in d.iterrows():
                rows.append({"output": out, "parameter": name, "mu*": r["mu_star"], "sigma": r["sigma"]})
        s.add(f"{st.n_done} scenarios done, {st.n_failed} failed (a failed scenario is a PHREEQC run that did not "
              "finish, e.g. pH outside 0-14; Morris uses the trajectories that are complete).", table(rows))
        key = "fraction mineralised (end)"
        if key in ranking:
            s.add(f"Ranking for the {key}: " + " > ".join(f"`{p}`" for p in ranking[key]) + ".")
        s.numbers.update({"done": st.n_done, "failed": st.n_failed, "indices": rows, "ranking": ranking})
        _bar_figure(rows, fig_dir / "sensitivity.png")
        s.add("![Morris mu*](figures/validation/sensitivity.png)")
    s.seconds = time.perf_counter() - t0
    return s


def _bar_figure(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    outs = list(dict.fromkeys(r["output"] for r in rows))
    fig, axes = plt.subplots(1, len(outs), figsize=(3.6 * len(outs), 3.6), constrained_layout=True, squeeze=False)
    for ax, o in zip(axes[0], outs, strict=True):
        d = [r for r in rows if r["output"] == o][::-1]
        ax.barh([r["parameter"].split(".")[-1] if "glass" not in r["parameter"] else
                 "glass " + r["parameter"].split(".")[-1] for r in d], [r["mu*"] for r in d])
        ax.set_title(o, fontsize=9)
        ax.set_xlabel("mu*")
        ax.tick_params(labelsize=7)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def calibrated_values() -> Section:
    """Every value in models/ and experiments/ flagged calibrated or assumed, or without a citation."""
    from ccus.validation.parameters import flagged_values

    s = Section("Calibrated values")
    rows = flagged_values()
    cal = [r for r in rows if r["status"] == "calibrated"]
    s.add("Generated from the files: a value is *calibrated* when its source, note or comment says so, *assumed* "
          "when it is flagged `assumed = true` or its comment says assumed (`ccus/validation/parameters.py`).")
    s.add(f"**Calibrated ({len(cal)}).** " + ("None." if not cal else ""))
    if cal:
        s.add(table(cal, ["file", "key", "value", "source"]))
    for status, title in (("assumed", "Assumed"), ("no citation", "Without a citation in the file")):
        sel = [r for r in rows if r["status"] == status]
        s.add(f"**{title} ({len(sel)}).**", table(sel, ["file", "key", "value", "source"]) if sel else "None.")
    s.numbers = {"calibrated": cal, "assumed": sum(r["status"] == "assumed" for r in rows),
                 "no citation": sum(r["status"] == "no citation" for r in rows)}
    return s


__all__ = ["calibrated_values", "engine_agreement", "fmt", "sensitivity", "solubility"]
