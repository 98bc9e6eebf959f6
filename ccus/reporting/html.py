"""One self-contained HTML pilot-feasibility report from a stored result.

Figures are embedded as base64 PNG and the style sheet is inline, so the file
opens offline and can be mailed as it is. Sections (ids in brackets):

1. the answer: how much of the injected CO2 is mineralised, how fast (``answer``)
2. the feasibility verdict, one row per criterion (``verdict``) and the cost model (``cost``)
3. injection plan and site (``plan``, ``site``)
4. figures (``figures``) and, with a parameter study, P10/P50/P90 (``study``)
5. provenance: ccus version, engine, database and hash, config text, dates (``provenance``)

Numeric table cells carry the unrounded value in ``data-value`` (tests and
scripts read them back).
"""

from __future__ import annotations

import base64
import datetime as _dt
from html import escape
from typing import Any

from ccus.reporting import _data as D
from ccus.reporting import criteria as C
from ccus.reporting import figures as F

CSS = """
:root { --ink:#1d2733; --muted:#5b6875; --line:#d9dee4; --bg:#f6f8fa; --accent:#0072B2; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: var(--ink); margin: 0; background: #fff; line-height: 1.45; font-size: 15px; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 32px 48px; }
header { border-bottom: 3px solid var(--accent); padding-bottom: 10px; margin-bottom: 18px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 30px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 18px 0 6px; }
.sub { color: var(--muted); margin: 0; }
.answer { background: var(--bg); border-left: 5px solid var(--accent); padding: 14px 18px; margin: 8px 0 14px; }
.answer .big { font-size: 30px; font-weight: 700; color: var(--accent); }
.answer p { margin: 4px 0; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-size: 14px; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--bg); font-weight: 600; }
td.num { font-variant-numeric: tabular-nums; }
table.kv th { width: 32%; font-weight: 500; background: none; color: var(--muted); }
.two table.kv th { width: 46%; }
.two { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; }
@media (max-width: 800px) { .two { grid-template-columns: 1fr; } }
.badge { display: inline-block; padding: 1px 9px; border-radius: 10px; font-size: 12.5px; font-weight: 600;
         white-space: nowrap; }
.pass { background: #d9f2e4; color: #0b6b3a; } .caution { background: #fff0cc; color: #7a5300; }
.fail { background: #fbdcdc; color: #9b1c1c; } .not-evaluated { background: #e9ecef; color: #4a5560; }
.assumed { display: inline-block; font-size: 11.5px; color: #7a5300; background: #fff6dd; padding: 0 6px;
           border-radius: 8px; margin-left: 6px; }
.note { color: var(--muted); font-size: 13px; }
figure { margin: 14px 0 22px; }
figure img { width: 100%; height: auto; border: 1px solid var(--line); }
figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; }
pre { background: var(--bg); padding: 10px 12px; overflow-x: auto; font-size: 12.5px; border: 1px solid var(--line); }
details summary { cursor: pointer; color: var(--accent); }
.warn { background: #fff6dd; border-left: 4px solid #E69F00; padding: 6px 12px; margin: 10px 0; font-size: 14px; }
.warn ul { margin: 4px 0; padding-left: 20px; }
footer { margin-top: 36px; color: var(--muted); font-size: 12.5px; border-top: 1px solid var(--line); padding-top: 8px; }
"""

STATUS_TEXT = {C.PASS: "pass", C.CAUTION: "caution", C.FAIL: "fail", C.NOT_EVALUATED: "not evaluated"}


def badge(status: str) -> str:
    return f'<span class="badge {status.replace(" ", "-")}">{escape(STATUS_TEXT.get(status, status))}</span>'


def _td(text: str, value: float | None = None, cls: str = "") -> str:
    attrs = f' class="{cls}"' if cls else ""
    if value is not None:
        attrs += f' data-value="{value!r}"'
    return f"<td{attrs}>{escape(text)}</td>"


def kv_table(rows: list[tuple[str, str, Any]], table_id: str) -> str:
    """A two-column table; rows are (label, html value, data-value or None)."""
    out = [f'<table class="kv" id="{table_id}">']
    for label, html_value, value in rows:
        dv = f' data-value="{value!r}"' if value is not None else ""
        out.append(f"<tr><th>{escape(label)}</th><td{dv}>{html_value}</td></tr>")
    out.append("</table>")
    return "\n".join(out)


def _img(fig, alt: str) -> str:
    data = base64.b64encode(F.png_bytes(fig)).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{escape(alt)}">'


# -- sections -------------------------------------------------------------------
def section_answer(result, figs) -> str:
    rows = D.headline(result)
    by = {r["key"]: r for r in rows}
    end = D.duration_days(result)
    f_end = by["fend"]["value"]
    t90 = by["t90"]
    kind = (result.context.get("experiment") or {}).get("kind", "")
    lines = [f'<p><span class="big">{escape(D.fmt_pct(f_end))}</span> of the injected CO2 is in carbonate '
             f"minerals after {escape(D.fmt_days(end))} (end of the simulation).</p>"]
    if t90["value"] is not None:
        lines.append(f"<p>90% is mineralised after <b>{escape(t90['text'])}</b>.</p>")
    else:
        lines.append(f"<p>90% is <b>not reached</b> within the simulated {escape(D.fmt_days(end))}.</p>")
    t_days = result.time.to("day").magnitude
    first = float(t_days[t_days > t_days[0]][0] - t_days[0]) if len(t_days) > 1 else 0.0
    t50 = by["t50"]["value"]
    if t50 is not None and t50 <= first:
        lines.append(f'<p class="note"><b>Coarse output:</b> half the carbon is mineralised within the first output '
                     f"step ({escape(D.fmt_days(first))}), so t50/t90/t95 are interpolated across it. Re-run with "
                     'finer early output ([output] spacing = "log") to resolve them.</p>')
    if max(f_end, float(result.mineralised_fraction.magnitude.max())) > 1.0:
        lines.append('<p class="note">Above 100 %: carbonates also took up carbon that was in the site water '
                     "before injection; the fraction is relative to the injected carbon only.</p>")
    if kind == "linear":
        tr = result.context.get("transport") or {}
        lines.append('<p class="note">Model: a 1-D streamline from the injection well '
                     f"({escape(str(tr.get('cells', '?')))} cells over {escape(str(tr.get('length', '?')))}, "
                     f"pore-water velocity {escape(str(tr.get('velocity', '?')))}). The fraction is the carbon in "
                     "carbonates anywhere along it over the carbon injected so far.</p>")
    if kind == "batch":
        lines.append('<p class="note">Model: a well-mixed batch of CO2-charged water and rock (no flow, dilution or '
                     "heterogeneity). It shows how fast the chemistry can mineralise the carbon at site conditions, "
                     "not the field recovery at a monitoring well.</p>")
    table = ['<table id="headline"><tr><th>quantity</th><th>value</th></tr>']
    for r in rows:
        table.append(f"<tr><td>{escape(r['label'])}</td>{_td(r['text'], r['value'], 'num')}</tr>")
    table.append("</table>")
    fig = figs.get("fraction")
    figure = (f'<figure id="fig-fraction">{_img(fig[1], fig[0])}<figcaption>{escape(fig[0])}. Dots: t50/t90/t95; '
              "dashed lines: 1, 2 and 5 years where simulated.</figcaption></figure>") if fig else ""
    return (f'<section id="answer"><h2>1. How much of the injected CO2 is mineralised, and how fast?</h2>'
            f'<div class="answer">{"".join(lines)}</div>{figure}{"".join(table)}</section>')


def section_verdict(result, verdicts: list[C.Verdict], crit) -> str:
    out = ['<section id="verdict"><h2>2. Feasibility verdict</h2>',
           '<table id="criteria"><colgroup><col style="width:17%"><col style="width:19%"><col style="width:20%">'
           '<col style="width:9%"><col style="width:35%"></colgroup>'
           "<tr><th>criterion</th><th>value</th><th>threshold</th><th>verdict</th><th>basis / reason</th></tr>"]
    for v in verdicts:
        out.append(f'<tr data-key="{v.key}" data-status="{v.status}"><td>{escape(v.label)}</td>'
                   f"{_td(v.text, v.value, 'num')}<td>{escape(v.threshold)}</td><td>{badge(v.status)}</td>"
                   f'<td class="note">{escape(v.note)}</td></tr>')
    out.append("</table>")
    counts = {s: sum(v.status == s for v in verdicts) for s in STATUS_TEXT}
    out.append('<p class="note">' + ", ".join(f"{n} {s}" for s, n in counts.items() if n) +
               ". Thresholds: ccus defaults unless a criteria file was given (docs/reports.md).</p>")
    cm = C.cost_model(result, crit)
    rows = [(k, escape(v), None) for k, v in cm["inputs"].items()]
    rows += [(f"term: {k}", f"{escape(D.sig(val))} US$/t CO2", val) for k, val in cm["terms"].items()]
    rows.append(("indicative cost", f"<b>{escape(D.sig(cm['cost']))} US$/t CO2</b>", cm["cost"]))
    out.append('<h3 id="cost">Cost model (indicative)</h3>')
    out.append('<p class="note">cost = base cost + water cost × (water demand − reference water demand) + '
               "drilling cost × (site depth / CO2 rate per well − reference depth / reference rate) / well "
               "lifetime: the well term replaces the reference site's well cost per tonne with this site's. "
               "The base cost is the ~US$25/t reported for capture and storage at Hellisheidi by Gunnarsson et "
               "al. 2018 (IJGGC 79:117); the other inputs are ccus assumptions, shown so they can be "
               "replaced (criteria file, [criteria.cost_model]).</p>")
    out.append(kv_table(rows, "cost-model"))
    if cm["notes"]:
        out.append('<p class="note">' + escape("; ".join(cm["notes"])) + ".</p>")
    out.append("</section>")
    return "\n".join(out)


def _assumed(key: str, assumed: list[str]) -> str:
    return '<span class="assumed">assumed</span>' if key in assumed else ""


def section_plan(result) -> str:
    ctx = result.context
    site, rock, charge, exp = (ctx.get(k) or {} for k in ("site", "rock", "charge", "experiment"))
    assumed = list(site.get("assumed") or [])
    inj = D.injection_ctx(result)
    pr = C.pressures(result)

    # injection plan
    comp = charge.get("composition") or {}
    gas = ", ".join(f"{g} {100 * float(x):.1f} mol%" for g, x in comp.items()) or D.NOT_MODELLED
    w = D.water_per_co2(result)
    ratio = charge.get("water_gas_ratio")
    if not comp and D.phases(result):
        comp = D.phases(result)[0].get("composition") or {}
        gas = ", ".join(f"{g} {100 * float(x):.1f} mol%" for g, x in comp.items()) + " (first phase)"
    plan = [
        ("gas composition", escape(gas), None),
        ("water:gas ratio", escape(f"{D.sig(float(ratio))} kg water / kg gas") if ratio is not None
         else D.NOT_MODELLED, ratio),
        ("planned water per t CO2 (modelled charge)", escape(f"{D.sig(w)} t water / t CO2") if w is not None
         else D.NOT_MODELLED, w),
        ("dissolved gas", escape(", ".join(f"{g} {v}" for g, v in (charge.get("gas_per_kg_water") or {}).items()))
         or D.NOT_MODELLED, None),
    ]
    mw = D.min_water_per_co2(result)
    plan.append(("minimum water for full dissolution", escape(f"{D.sig(mw)} t water / t CO2") if mw is not None
                 else D.NOT_MODELLED, mw))
    mdp = D.quantity(D.first_of(inj, "min_dissolution_pressure"), "bar") if inj else None
    for key, label in (("dissolution_pressure", "dissolution pressure (in the well)"),
                       ("min_dissolution_pressure", "minimum dissolution pressure"),
                       ("injection_pressure", "injection (bottomhole) pressure"),
                       ("fracture_pressure", "fracture pressure"), ("pressure_margin", "margin to fracture pressure")):
        q = mdp if key == "min_dissolution_pressure" else pr[key]
        if q is None or (inj is None and key != "fracture_pressure"):
            text, val = D.NOT_MODELLED, None
        else:
            text, val = D.fmt_q(q), float(q.magnitude)
            if key == "fracture_pressure" and pr["fracture_from_site"]:
                text += " (site depth × fracture gradient)"
            if key == "pressure_margin" and pr["fracture_pressure"] is not None:
                text += f" ({D.sig(100 * float((q / pr['fracture_pressure']).to('').magnitude))} % of fracture pressure)"
        plan.append((label, escape(text), val))
    rate = C.storage_rate_t_per_yr(result)
    plan.append(("CO2 rate per well (highest phase)", escape(f"{D.sig(rate)} t/yr") if rate is not None
                 else D.NOT_MODELLED, rate))
    wr = D.water_rate_t_per_yr(result)
    plan.append(("water rate per well (highest phase)", escape(f"{D.sig(wr)} t/yr") if wr is not None
                 else D.NOT_MODELLED, wr))
    plan_note = ""
    if inj is None:
        plan_note = ('<p class="note">No injection plan is stored with this result: pressures and rates are '
                     "“not modelled”. Add an [injection] table to the experiment to model them.</p>")
    ph = D.phases(result)
    if ph:
        t = ['<table id="phases"><tr><th>phase</th><th>gas</th><th>gas mass</th><th>gas rate</th>'
             "<th>water rate</th><th>min. water / gas</th><th>injectate pH</th><th>margin</th></tr>"]
        for p in ph:
            comp = ", ".join(f"{g} {100 * float(x):.0f}%" for g, x in (p.get("composition") or {}).items())
            cells = [D.fmt_ctx(p.get(k)) for k in ("gas_mass", "gas_rate", "water_rate")]
            mw_gas = D.quantity(p.get("min_water_per_gas"))
            cells.append(f"{D.sig(float(mw_gas.to('').magnitude))} t/t" if mw_gas is not None else "–")
            ph_pH = p.get("injectate_pH")
            t.append(f"<tr><td>{escape(str(p.get('name', '')))}</td><td>{escape(comp)}</td>"
                     + "".join(f'<td class="num">{escape(c)}</td>' for c in cells)
                     + f'<td class="num">{escape(D.sig(float(ph_pH)) if ph_pH is not None else "–")}</td>'
                     + f'<td class="num">{escape(D.fmt_ctx(p.get("pressure_margin")))}</td></tr>')
        t.append("</table>")
        plan_note += "<h3>Injection phases</h3>" + "\n".join(t)
    warns = (inj or {}).get("warnings") or []
    if warns:
        plan_note += ('<div class="warn"><b>Injection-plan warnings</b><ul>'
                      + "".join(f"<li>{escape(str(w))}</li>" for w in warns) + "</ul></div>")

    # site
    depth = D.fmt_ctx(site.get("depth"))
    if site.get("depth_top") and site.get("depth_bottom"):
        depth += f" (interval {D.fmt_ctx(site['depth_top'])} – {D.fmt_ctx(site['depth_bottom'])})"
    por = site.get("porosity")
    srows = [
        ("site", escape(f"{site.get('name', '–')}, {site.get('location', '')}".strip(", ")), None),
        ("description", escape(site.get("description") or "–"), None),
        ("depth", escape(depth) + _assumed("depth", assumed), D.quantity(site.get("depth"), "m").magnitude
         if D.quantity(site.get("depth"), "m") is not None else None),
        ("temperature", escape(D.fmt_ctx(site.get("temperature"))) + _assumed("temperature", assumed), None),
        ("pressure", escape(D.fmt_ctx(site.get("pressure"))) + _assumed("pressure", assumed), None),
        ("porosity", (escape(f"{100 * float(por):.1f} %") if por is not None else D.NOT_MODELLED)
         + _assumed("porosity", assumed), por),
        ("permeability", escape(D.fmt_ctx(site.get("permeability"))) + _assumed("permeability", assumed), None),
        ("thickness", escape(D.fmt_ctx(site.get("thickness"))) + _assumed("thickness", assumed), None),
        ("fracture gradient", escape(D.fmt_ctx(site.get("fracture_gradient")))
         + _assumed("fracture_gradient", assumed), None),
        ("rock", escape(rock.get("name") or "–"), None),
        ("sources", f'<span class="note">{escape(site.get("source") or "–")}</span>', None),
    ]
    minerals = rock.get("minerals") or []
    mtab = ""
    if minerals:
        mtab = ['<table id="rock"><tr><th>rock mineral</th><th>mass fraction</th><th>specific surface area</th>'
                "<th>rate set</th></tr>"]
        for m in minerals:
            mf = m.get("mass_fraction")
            mf_cell = _td(f"{100 * float(mf):.0f} %" if mf is not None else "–", mf, "num")
            mtab.append(f"<tr><td>{escape(str(m.get('mineral')))}</td>{mf_cell}"
                        f"<td>{escape(D.fmt_ctx(m.get('specific_surface_area')))}</td>"
                        f"<td>{escape(str(m.get('rate_set', '')))}</td></tr>")
        mtab.append("</table>")
        mtab = "\n".join(mtab)
    n_assumed = len(assumed)
    assumed_note = (f'<p class="note">{n_assumed} site values are ccus assumptions, not measurements '
                    f"(marked <span class=\"assumed\">assumed</span> above): {escape(', '.join(assumed))}. "
                    "Their sources and reasons are in the site file (provenance).</p>") if assumed else ""
    exp_rows = [
        ("experiment", escape(exp.get("description") or result.name), None),
        ("kind", escape(exp.get("kind") or "–"), None),
        ("simulated", escape(D.fmt_ctx(exp.get("duration"))), None),
        ("reactor temperature / pressure", escape(f"{D.fmt_ctx(exp.get('temperature'))} / "
                                                  f"{D.fmt_ctx(exp.get('pressure'))}"), None),
        ("water / rock mass", escape(f"{D.fmt_ctx(exp.get('water_mass'))} / {D.fmt_ctx(exp.get('rock_mass'))}"),
         None),
    ]
    tr = ctx.get("transport") or {}
    if tr:
        exp_rows += [("streamline", escape(f"{tr.get('length', '?')} in {tr.get('cells', '?')} cells, velocity "
                                           f"{tr.get('velocity', '?')}, dispersivity {tr.get('dispersivity', '?')}"),
                      None),
                     ("monitoring points", escape(", ".join(f"{k} at {v}" for k, v in
                                                           (tr.get("monitoring") or {}).items()) or "–"), None)]
    return ('<section id="plan"><h2>3. Injection plan and site</h2><div class="two"><div>'
            f'<h3>Injection plan</h3>{kv_table(plan, "injection")}</div>'
            f'<div id="site"><h3>Site</h3>{kv_table(srows, "site-table")}'
            f'<h3>What was simulated</h3>{kv_table(exp_rows, "experiment")}</div></div>'
            f"{plan_note}{assumed_note}{mtab}</section>")


def section_figures(figs) -> str:
    out = ['<section id="figures"><h2>4. Figures</h2>']
    n = 0
    for name, (caption, fig) in figs.items():
        if name in ("fraction", "study"):
            continue
        n += 1
        out.append(f'<figure id="fig-{name}">{_img(fig, caption)}<figcaption>{escape(caption)}.</figcaption></figure>')
    if "porosity" not in figs:
        out.append('<p class="note">Porosity and permeability vs distance from the well: not in this store '
                   "(batch result; profiles come from transport runs).</p>")
    if not n:
        out.append('<p class="note">No further series in the store.</p>')
    out.append("</section>")
    return "\n".join(out)


def section_study(study, figs) -> str:
    if study is None:
        return ""
    q = F.study_quantiles(study)
    out = ['<section id="study"><h2>Uncertainty across a parameter study (P10 / P50 / P90)</h2>']
    if "study" in figs:
        caption, fig = figs["study"]
        few = " Few scenarios: the quantiles are rough." if len(study.columns) < 10 else ""
        out.append(f'<figure id="fig-study">{_img(fig, caption)}<figcaption>{escape(caption)} '
                   f"({len(study.columns)} scenarios). The quantiles are probabilities only when the scenarios "
                   "sample the parameters' distributions (Monte Carlo, Latin hypercube); for a grid sweep they "
                   f"summarise the spread.{few}</figcaption></figure>")
    out.append('<table id="study-table"><tr><th>time</th><th>P10</th><th>P50</th><th>P90</th></tr>')
    t = q.index.to_numpy(dtype=float)
    picks = [y * 365.25 for y in (1, 2, 5) if y * 365.25 <= t[-1] * (1 + 1e-9)] + [float(t[-1])]
    import numpy as np

    for d in dict.fromkeys(picks):
        vals = [float(np.interp(d, t, q[c].to_numpy(dtype=float))) for c in ("P10", "P50", "P90")]
        out.append(f"<tr><td>{escape(D.fmt_days(d))}</td>" + "".join(_td(D.fmt_pct(v), v, "num") for v in vals)
                   + "</tr>")
    out.append("</table></section>")
    return "\n".join(out)


PROVENANCE_KEYS = [
    ("ccus version", "ccus_version"), ("git revision", "git_revision"), ("engine", "engine"),
    ("engine version", "engine_version"), ("database", "database"), ("database sha256", "database_sha256"),
    ("experiment file", "experiment_path"), ("config sha256", "config_sha256"), ("site file", "site_path"),
    ("rock file", "rock_path"), ("run started (UTC)", "started_utc"), ("run finished (UTC)", "finished_utc"),
    ("overrides", "overrides"), ("solver", "solver"),
]


def section_provenance(result, source: str | None) -> str:
    prov = result.provenance
    rows = [(label, f"<code>{escape(str(prov.get(key, '–')))}</code>", None) for label, key in PROVENANCE_KEYS]
    if source:
        rows.insert(0, ("result store", f"<code>{escape(source)}</code>", None))
    cfg = prov.get("config_text") or ""
    return ('<section id="provenance"><h2>5. Provenance</h2>'
            f'{kv_table(rows, "provenance-table")}'
            f'<details><summary>show the experiment config ({len(cfg.splitlines())} lines)</summary>'
            f'<pre id="config-text">{escape(cfg, quote=False)}</pre></details></section>')


def render_html(result, *, criteria: Any = None, study=None, source: str | None = None) -> str:
    """The report of ``result`` (Result or store path) as one HTML string.

    Parameters
    ----------
    criteria
        None (defaults), a dict or the path of a TOML file with a ``[criteria]`` table.
    study
        Optional pandas DataFrame of per-scenario fraction curves (index time [d],
        one column per scenario, fraction mineralised [-]) for P10/P50/P90 bands.
    source
        Shown as the result store's path in the provenance section.
    """
    if source is None and not hasattr(result, "series"):
        source = str(result)
    result = D.as_result(result)
    crit = C.load_criteria(criteria) if not C._is_loaded(criteria) else criteria
    verdicts = [C.EVALUATORS[k](result, crit) for k in C.ORDER]
    figs = F.figures(result, study)
    site = (result.context.get("site") or {}).get("name") or result.name
    now = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    run_date = str(result.provenance.get("finished_utc", "–"))[:10]
    head = (f'<header><h1>Pilot-feasibility report: {escape(site)}</h1>'
            f'<p class="sub">experiment <b>{escape(result.name)}</b> · engine {escape(str(result.provenance.get("engine", "?")))}'
            f' · database {escape(str(result.provenance.get("database", "?")))} · run {escape(run_date)}'
            f" · report built {escape(now)} from the stored result (no model re-run)</p></header>")
    body = [head, section_answer(result, figs), section_verdict(result, verdicts, crit), section_plan(result),
            section_figures(figs), section_study(study, figs), section_provenance(result, source)]
    import ccus

    foot = (f"<footer>ccus {escape(ccus.__version__)} · criteria, thresholds and the cost model: docs/reports.md · "
            "a screening tool: values marked assumed and the indicative cost must be replaced with site data "
            "before decisions.</footer>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>ccus report: {escape(site)} ({escape(result.name)})</title><style>{CSS}</style></head>"
            f"<body><main>{''.join(body)}{foot}</main></body></html>\n")
