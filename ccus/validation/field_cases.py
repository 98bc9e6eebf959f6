"""Field cases of the validation report: published targets, verdict rules, CarbFix2 and Wallula.

Each case runs its experiment file (through :mod:`ccus.validation.runs`, with the
engine the file names), draws the field and model figures
(:mod:`ccus.validation.field_figures`), lists the parameters with their source or
status (:mod:`ccus.validation.parameters`) and gives a verdict computed from the
numbers by the rule stated next to it. Published values are cited where they are
defined (``TARGETS``); nothing here is tuned to them. CarbFix1 (two model runs and
the HN-04 samples) is in :mod:`ccus.validation.carbfix1_case`.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ccus.validation.markdown import Section, fmt, not_available, table
from ccus.validation.parameters import experiment_parameter_rows
from ccus.validation.runs import ROOT, run_experiment, same_run_since

YEAR_D = 365.25
MONTH_D = YEAR_D / 12.0

#: Published field results the cases are compared with.
TARGETS = {
    "matter2016": {"value": 0.95, "by_days": 2 * YEAR_D, "claim": "> 95 % of the injected CO2 mineralised in < 2 years",
                   "citation": "Matter et al. 2016, Science 352:1312"},
    "pvs2019": {"value": 0.72, "uncertainty": 0.05, "claim": "72 +/- 5 % of the injected C as calcite (Ca isotopes)",
                "citation": "Pogge von Strandmann et al. 2019, Nat. Commun."},
    "clark2020": {"value": 0.50, "from_days": 4 * MONTH_D, "by_days": 9 * MONTH_D,
                  "claim": "> 50 % of the injected C and 76 % of the S mineralised within 4-9 months",
                  "sulfur": 0.76, "citation": "Clark et al. 2020, GCA 279:45"},
    "mcgrail2017": {"by_days": 2 * YEAR_D, "claim": "ankerite nodules in sidewall cores 2 years after injecting "
                    "977 t of supercritical CO2", "citation": "McGrail et al. 2017, ES&T Lett. 4:6"},
}

OVER_ONE = ("The model fraction exceeds 1: carbon that was dissolved in the formation water before injection and "
            "precipitates is counted in the numerator, so near or above 1 the number overstates the fraction of the "
            "*injected* carbon mineralised.")

#: Timing tolerance of the pH minimum at HN-04 [d]: consecutive samples are 1-21 days apart (median 7 d,
#: models/field/carbfix1_hn04_matter2016.csv), so the field minimum is located to within up to 3 weeks;
#: 30 d is a little more than the largest gap.
PH_MIN_TIMING_TOL_D = 30.0

#: Verdict rules (stated in the report).
RULE_FRACTION = ("agrees if the model value meets the published bound; close if it misses it by at most 0.05 "
                 "(absolute fraction); otherwise disagrees")
RULE_VALUE = ("agrees if |model - field| <= the published uncertainty (or 0.05 where none is given); close if "
              "within twice that; otherwise disagrees")


def verdict_at_least(model: float | None, bound: float) -> str:
    """``agrees`` if model >= bound, ``close`` if within 0.05 below it, ``disagrees`` otherwise."""
    if model is None or not math.isfinite(model):
        return "not evaluated"
    if model >= bound:
        return "agrees"
    return "close" if model >= bound - 0.05 else "disagrees"


def verdict_value(model: float | None, field: float, tol: float = 0.05) -> str:
    """``agrees`` if |model - field| <= tol, ``close`` if <= 2 tol, ``disagrees`` otherwise."""
    if model is None or not math.isfinite(model) or not math.isfinite(field):
        return "not evaluated"
    d = abs(model - field)
    return "agrees" if d <= tol else "close" if d <= 2 * tol else "disagrees"


#: A published "by N days" is read at the run's last output when the run stops at most this fraction
#: short of N days: a transport run ends on a whole number of shifts (CarbFix1: day 725.8 for 2 years).
END_SLACK = 0.02


def _day_used(result, days: float) -> float:
    """``days``, or the last output time when the run ends within :data:`END_SLACK` before it."""
    t_end = float(result.time.to("day").magnitude[-1])
    return t_end if t_end < days <= t_end * (1 + END_SLACK) else days


def ph_minimum_verdict(model_day: float | None, field_day: float, model_ph: float | None,
                       model_start_ph: float | None) -> str:
    """Timing verdict of the pH minimum; ``disagrees`` when the model's pH never falls below its start.

    The HN-04 minimum is a dip (9.3 -> 6.6 within weeks). A model whose lowest pH is its
    starting value has no dip, whatever the distance in days between the two "minima".
    """
    if model_day is None or model_ph is None or not math.isfinite(model_day):
        return "not evaluated"
    if model_start_ph is not None and model_ph >= model_start_ph - 1e-6:
        return "disagrees (no pH dip in the model)"
    return verdict_value(model_day, field_day, PH_MIN_TIMING_TOL_D)


def ph_start_model(runs: dict, which: str) -> float | None:
    """pH at HN-04 at the first output of the run labelled ``which`` (``main plume`` / ``fast path``)."""
    for label, r in runs.items():
        if label.startswith(which):
            key = "HN-04 pH"
            return float(r.series[key].magnitude[0]) if key in r.series else None
    return None


def _fraction_at(result, days: float) -> float | None:
    from ccus.units import Q_

    f = result.fraction_at(Q_(_day_used(result, days), "day"))
    return None if f is None else float(f.magnitude)


def mineral_carbon_fraction(result, mineral: str, days: float) -> float | None:
    """Carbon in newly formed ``mineral`` / carbon injected by ``days`` (None if the mineral is not in the run).

    The denominator is the ``carbon injected`` series at ``days`` (the injected total when the
    Result has no such series), the same as the model's fraction mineralised.
    """
    key = f"{mineral} amount"
    if key not in result.series:
        return None
    n_c = float(result.minerals.get(mineral, {}).get("carbon", 1.0))
    t = result.time.to("day").magnitude
    days = _day_used(result, days)
    if days > t[-1] * (1 + 1e-9):
        return None
    amt = np.asarray(result.series[key].to("mol").magnitude, dtype=float)
    formed = float(np.interp(days, t, amt)) - float(amt[0])
    if "carbon injected" in result.series:
        injected = float(np.interp(days, t, result.series["carbon injected"].to("mol").magnitude))
    else:
        injected = float(result.carbon_injected.to("mol").magnitude)
    return n_c * formed / injected if injected > 0 else None


#: Sources longer than this are shortened in the parameter tables, except for calibrated values,
#: whose text (with the literature range) is shown whole.
SOURCE_CHARS = 160


def params_block(exp_path: Path) -> str:
    """The parameter table of an experiment: its values, its site's and rock's, with source and status."""
    rows = experiment_parameter_rows(exp_path)
    counts = {s: sum(r["status"] == s for r in rows) for s in ("cited", "assumed", "calibrated", "no citation")}
    head = (f"Parameters ({len(rows)} values: {counts['cited']} cited, {counts['assumed']} assumed, "
            f"{counts['calibrated']} calibrated, {counts['no citation']} without a citation in the file; "
            "read from the files, status rules in `ccus/validation/parameters.py`):")
    shown = [{**r, "source": r["source"] if r["status"] == "calibrated" or len(r["source"]) <= SOURCE_CHARS
              else r["source"][:SOURCE_CHARS] + "..."} for r in rows]
    return head + "\n\n" + table(shown, ["file", "key", "value", "status", "source"])


def _experiment(name: str, fallback: str | None = None) -> tuple[Path | None, str]:
    p = ROOT / "experiments" / name
    if p.exists():
        return p, ""
    if fallback and (ROOT / "experiments" / fallback).exists():
        return ROOT / "experiments" / fallback, (
            f"`experiments/{name}` (transport) is not in this build; the batch file `experiments/{fallback}` "
            "is used instead: a closed batch of injectate and rock, not the flow to a monitoring well.")
    return None, f"`experiments/{name}` does not exist yet"


def try_run(s: Section, exp: Path, store_dir: Path, reuse: bool):
    """Run the experiment; on failure add the marked line with the error to the section and return None."""
    try:
        # inside make validate, a run of the same file and engine made earlier in it (by the slow tests) is reused
        return run_experiment(exp, store_dir, reuse, since=same_run_since())
    except Exception as e:  # noqa: BLE001 - a failed model run is reported, the rest of the page still builds
        msg = f"{type(e).__name__}: {e}".strip().replace("\n", " ")
        s.add(not_available(f"the run of `{exp.relative_to(ROOT)}` failed: {msg[:500]}"))
        s.numbers["model"] = {"experiment": str(exp.relative_to(ROOT)), "error": msg}
        return None


def start_model(s: Section, name: str, store_dir: Path, quick: bool, reuse: bool, fallback: str | None = None,
                skipped: str = ""):
    """The common start of a model part: find the experiment file, say why it is not run, or run it.

    Returns ``(path, run, caveat)``; ``run`` is None when the section already says why there is no
    model (no file, ``--quick``, ``skipped`` (the reason, e.g. an ``--skip`` option) or a failed run;
    the parameter table is added then too). ``caveat``: the fallback note, also added to the section.
    """
    exp, caveat = _experiment(name, fallback)
    if exp is None:
        s.add(not_available(caveat))
        return None, None, caveat
    if quick or skipped:
        why = "--quick mode (model runs take minutes)" if quick else skipped
        s.add(not_available(f"model run skipped in {why}"), params_block(exp))
        return exp, None, caveat
    s.add(caveat)
    run = try_run(s, exp, store_dir, reuse)
    if run is None:
        s.add(params_block(exp))
    return exp, run, caveat


def engine_of(run) -> str:
    """The engine that produced a run, as recorded in its provenance."""
    return str(run.result.provenance.get("engine") or "unknown")


def run_line(exp: Path, run) -> str:
    """``experiments/x.toml`` (engine e, N s wall time) for a figure caption."""
    return (f"`{exp.relative_to(ROOT)}` (engine **{engine_of(run)}**, {run.seconds:.0f} s wall time"
            f"{', ' + (run.reuse_note or 'stored result reused') if run.reused else ''})")


def carbfix2(fig_dir: Path, store_dir: Path, quick: bool, reuse: bool) -> Section:
    """CarbFix2 (Husmuli): C and S mineralised within 4-9 months against Clark et al. 2020."""
    import ccus
    from ccus.validation.field_figures import model_figure
    from ccus.validation.sulfur import sulfur_fraction

    s = Section("CarbFix2 (Husmuli, 2014-)")
    c = TARGETS["clark2020"]
    s.add(f"Published: {c['claim']} ({c['citation']}). No CarbFix2 field time series is in the repository: the "
          "published values are drawn on the model figure as targets (the field figure).")
    exp, run, caveat = start_model(s, "carbfix2.toml", store_dir, quick, reuse, fallback="carbfix2_batch.toml")
    if run is None:
        return s
    res, eng = run.result, engine_of(run)
    f4, f9 = _fraction_at(res, c["from_days"]), _fraction_at(res, c["by_days"])
    sf = sulfur_fraction(res, ccus.load_experiment(exp))
    s4 = s9 = None
    if sf is not None:
        s4, s9 = sf.at(_day_used(res, c["from_days"])), sf.at(_day_used(res, c["by_days"]))
    s.numbers.update({"model": run.provenance(), "model fraction mineralised at 4 months": f4,
                      "model fraction mineralised at 9 months": f9,
                      "model S in sulfides / S injected at 4 months": s4,
                      "model S in sulfides / S injected at 9 months": s9})
    if sf is not None:
        s.numbers["model S fraction over time"] = {"time [d]": sf.time_d.tolist(), "fraction [-]": sf.fraction.tolist(),
                                                   "S injected [mol]": sf.injected_mol.tolist(),
                                                   "sulfide minerals (S per formula unit)": sf.minerals,
                                                   "formation-water S / injectate S per kg": sf.site_to_injectate}
    targets = [{"value": c["value"], "from": c["from_days"], "by": c["by_days"],
                "label": "Clark et al. 2020: > 50 % of C within 4-9 months"}]
    extra = []
    if sf is not None:
        targets.append({"value": c["sulfur"], "from": c["from_days"], "by": c["by_days"], "color": "tab:purple",
                        "label": "Clark et al. 2020: 76 % of S within 4-9 months"})
        extra.append((sf.time_d, sf.fraction, "model: S in sulfides / injected S"))
    model_figure(res, targets, fig_dir / "carbfix2_model.png", f"CarbFix2 model ({exp.name}, engine {eng})",
                 extra_lines=extra)
    s.add(f"**Model and field figure.** {run_line(exp, run)}.", "![CarbFix2 model](figures/validation/carbfix2_model.png)",
          f"Model: fraction of the injected carbon in carbonates {fmt(f4)} at 4 months, {fmt(f9)} at 9 months.")
    if f9 is not None and f9 > 1.0:
        s.add(OVER_ONE)
    other_engine_block(s, exp, run, store_dir, reuse)
    s.verdicts.append({"case": "CarbFix2 model" + (" (batch)" if caveat else ""), "engine": eng,
                       "claim": "> 50 % of C within 4-9 months", "model": fmt(f9), "field": "> 0.50",
                       "verdict": verdict_at_least(f9, c["value"]) + (" (fraction > 1, see text)" if f9 and f9 > 1 else ""),
                       "note": "fraction at 9 months"})
    if sf is None:
        s.add("Sulfur: this run injects no H2S (or its H2S-only water cannot be read from the carbon injected), so "
              "the 76 % of Clark et al. 2020 is not compared.")
        s.verdicts.append({"case": "CarbFix2 model", "engine": eng, "claim": "76 % of S within 4-9 months",
                           "model": "not computed", "field": "0.76", "verdict": "not evaluated",
                           "note": "no H2S injected in this run"})
    else:
        names = ", ".join(f"{m} ({n:g} S)" for m, n in sf.minerals.items()) or "none in this run"
        site = ("" if sf.site_to_injectate is None else
                f" A kg of formation water carries {fmt(sf.site_to_injectate)} times the sulfur of a kg of injectate, "
                "so sulfur brought by the formation water can shift the fraction by about that share at most.")
        s.add(f"**Sulfur.** Fraction of the injected sulfur mineralised = S in sulfide minerals formed since time zero "
              f"/ S injected so far (`ccus.validation.sulfur`; sulfide minerals in this run: {names}; S injected = "
              "carbon injected x the injectate's H2S / CO2 mole ratio, both dissolved in the same water): "
              f"{fmt(s4)} at 4 months, {fmt(s9)} at 9 months (dash-dotted line on the figure). Clark et al. 2020 "
              "report 76 % within 4-9 months for the first injection phase (June 2014 - July 2016; over 85 % "
              f"after the gas injection rate was doubled).{site}")
        v = verdict_value(s9, c["sulfur"])
        words = {"agrees": "the model mineralises about as much of the sulfur as was measured",
                 "close": "the model is near the measured share but outside its tolerance",
                 "disagrees": "the model's sulfur sink differs from the measured one"}.get(v, "")
        s.add(f"Verdict on sulfur: **{v}** ({RULE_VALUE}; Clark et al. give no uncertainty, so 0.05): {words}. Only "
              "pyrite-type sulfides are modelled as the sink; the paper's mass balance counts all S removed from "
              "the water between the injection and monitoring wells.")
        s.verdicts.append({"case": "CarbFix2 model", "engine": eng, "claim": "76 % of S within 4-9 months",
                           "model": fmt(s9), "field": "0.76", "verdict": v,
                           "note": f"S in sulfides / S injected at 9 months ({fmt(s4)} at 4 months)"})
    s.add(params_block(exp))
    return s


def wallula(fig_dir: Path, store_dir: Path, quick: bool, reuse: bool) -> Section:
    """Wallula: what a dissolved-phase model can say about carbonate formation within 2 years."""
    from ccus.validation.field_figures import model_figure

    s = Section("Wallula (Columbia River basalt, 2013)")
    w = TARGETS["mcgrail2017"]
    s.add(f"Published: {w['claim']} ({w['citation']}).",
          "What the dissolved-phase model can say: whether CO2-saturated formation water reacting with Wallula "
          "basalt at reservoir conditions precipitates carbonates within 2 years, which ones and how fast. What it "
          "cannot say: the fraction of the 977 t of injected CO2 mineralised, because most of it stays a buoyant "
          "supercritical phase whose contact area with the rock and dissolution rate are outside a "
          "single-phase water model.")
    exp, run, _ = start_model(s, "wallula.toml", store_dir, quick, reuse)
    if run is None:
        return s
    res, eng = run.result, engine_of(run)
    carb = [m for m, info in res.minerals.items() if float(info.get("carbon", 0) or 0) > 0]
    formed = {m: mineral_carbon_fraction(res, m, min(w["by_days"], float(res.time.to("day").magnitude[-1])))
              for m in carb}
    formed = {m: v for m, v in formed.items() if v is not None}
    any_formed = any(v > 1e-6 for v in formed.values())
    s.numbers.update({"model": run.provenance(), "model C in carbonate minerals / injected C by mineral": formed})
    model_figure(res, [], fig_dir / "wallula_model.png", f"Wallula model ({exp.name}, engine {eng})", extra_minerals=carb)
    s.add(f"**Model figure.** {run_line(exp, run)}.", "![Wallula model](figures/validation/wallula_model.png)",
          "Carbon in each carbonate formed / injected carbon at 2 years: "
          + ", ".join(f"{m} {fmt(v)}" for m, v in formed.items()) + ".")
    other_engine_block(s, exp, run, store_dir, reuse)
    s.verdicts.append({"case": "Wallula model", "engine": eng, "claim": "carbonates form within 2 years",
                       "model": "yes" if any_formed else "no", "field": "ankerite nodules",
                       "verdict": "consistent" if any_formed else "disagrees",
                       "note": "rule: consistent if any carbonate holds > 1e-6 of the injected C by 2 yr"})
    s.add(params_block(exp))
    return s


#: The two engines, for the cross-check of a field case with the engine its file does not name.
OTHER_ENGINE = {"native": "phreeqc", "phreeqc": "native"}


def other_engine_block(s: Section, exp: Path, run, store_dir: Path, reuse: bool) -> None:
    """Compare the field-case run with a run of the same file by the other engine, if one was made already.

    Nothing is run here: inside ``make validate`` the slow field-case tests run every file with PHREEQC
    (``tests/validation/test_field_cases.py``), so for a file that names the native engine the page
    compares the two without extra cost. Adds a small table (fraction mineralised at a quarter, half
    and the end of the run; pH and DIC at each monitoring point at the end) and records it.
    """
    from ccus.validation.runs import stored_run

    eng = engine_of(run)
    other = OTHER_ENGINE.get(eng)
    if other is None:
        return
    alt = stored_run(exp, store_dir, other, reuse, same_run_since())
    if alt is None:
        s.numbers["other engine"] = {"engine": other, "available": False}
        return
    a, b = run.result, alt.result
    ta, tb = a.time.to("day").magnitude, b.time.to("day").magnitude
    t_end = float(min(ta[-1], tb[-1]))
    rows = []
    for frac in (0.25, 0.5, 1.0):
        d = frac * t_end
        fa, fb = (float(np.interp(d, t, r.mineralised_fraction.magnitude)) for t, r in ((ta, a), (tb, b)))
        rows.append({"quantity": f"fraction mineralised at day {fmt(d)}", eng: fa, other: fb, "difference": fa - fb})
    points = (a.context.get("transport", {}) or {}).get("monitoring", {}) or {}
    for p in points:
        key = f"{p} pH"
        if key in a.series and key in b.series:
            (ia, ib) = (int(np.argmin(r.series[key].magnitude)) for r in (a, b))
            va, vb = float(a.series[key].magnitude[ia]), float(b.series[key].magnitude[ib])
            rows.append({"quantity": f"lowest {key}", eng: va, other: vb, "difference": va - vb})
            rows.append({"quantity": f"day of the lowest {key}", eng: float(ta[ia]), other: float(tb[ib]),
                         "difference": float(ta[ia] - tb[ib])})
        for q, unit in (("pH", None), ("DIC", "mol/kg")):
            key = f"{p} {q}"
            if key in a.series and key in b.series:
                va, vb = (float(np.interp(t_end, t, (r.series[key].to(unit) if unit else r.series[key]).magnitude))
                          for t, r in ((ta, a), (tb, b)))
                rows.append({"quantity": f"{key} at day {fmt(t_end)}" + (f" [{unit}]" if unit else ""), eng: va,
                             other: vb, "difference": va - vb})
    s.numbers["other engine"] = {"engine": other, "available": True, "run": alt.provenance(), "rows": rows}
    s.add(f"**Cross-check with the other engine.** The same file run with **{other}** ({alt.reuse_note}; "
          f"{alt.seconds:.0f} s wall time) against the **{eng}** run above (same database and rate laws; linear "
          "interpolation at the times shown; known causes of differences between the engines, such as PHREEQC's "
          "whole-shift time steps and the reaction splitting, are in [transport.md](transport.md)):", table(rows, ["quantity", eng, other, "difference"]))
