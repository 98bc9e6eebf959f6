"""A comparison of sites as one self-contained HTML page (table, weights, ranking, overlay figure)."""

from __future__ import annotations

import base64
import datetime as _dt
from html import escape

from ccus.reporting import _data as D
from ccus.reporting import criteria as C
from ccus.reporting import figures as F
from ccus.reporting.html import CSS, badge


@F._styled
def fig_overlay(results: dict):
    """Fraction of injected CO2 mineralised [%] vs time [d] for every site."""
    fig, ax = F._subplots(figsize=(F.WIDTH, 3.6))
    for i, (col, r) in enumerate(results.items()):
        ax.plot(r.time.to("day").magnitude, 100 * r.mineralised_fraction.magnitude, lw=2,
                color=F.COLORS[i % len(F.COLORS)], label=col)
    ax.set_xlabel("time [d]")
    ax.set_ylabel("injected CO2 mineralised [%]")
    ax.set_ylim(0, 105)
    ax.set_title("Fraction of injected CO2 mineralised", loc="left", fontsize=11)
    ax.legend(fontsize=9, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return fig


def render_compare_html(frame) -> str:
    """HTML page of a :func:`ccus.reporting.comparison.compare` frame."""
    from ccus.reporting.comparison import RANK_ROW, SCORE_ROW, ranking

    results = frame.attrs["results"]
    status = frame.attrs["status"]
    weights = frame.attrs["weights"]
    cols = list(frame.columns)
    title = frame.attrs.get("title", "Site comparison")
    head = "".join(f"<th>{escape(c)}</th>" for c in cols)
    rows = []
    keys_by_row = {}
    for k in C.ORDER:
        for idx in frame.index:
            if idx.startswith(C.LABELS[k]):
                keys_by_row[idx] = k
    for idx in frame.index:
        cells = []
        for c in cols:
            text = str(frame.loc[idx, c])
            k = keys_by_row.get(idx)
            if k is not None:
                st = status.loc[k, c]
                v = text.rsplit(" [", 1)[0] if st != C.NOT_EVALUATED else frame.attrs["notes"][k][c]
                cls = ' class="note"' if st == C.NOT_EVALUATED else ""
                cells.append(f'<td data-status="{st}">{badge(st)} <span{cls}>{escape(v)}</span></td>')
            else:
                bold = idx in (SCORE_ROW, RANK_ROW)
                cells.append(f"<td>{'<b>' if bold else ''}{escape(text)}{'</b>' if bold else ''}</td>")
        rows.append(f"<tr><th>{escape(idx)}</th>{''.join(cells)}</tr>")
    total = sum(weights.values())
    wrows = "".join(f"<tr><td>{escape(C.LABELS[k])}</td><td class='num'>{v:g}</td>"
                    f"<td class='num'>{100 * v / total:.0f} %</td></tr>" for k, v in weights.items())
    warns = frame.attrs.get("warnings") or []
    warn_html = ('<div class="warn"><b>Read with care</b><ul>' + "".join(f"<li>{escape(w)}</li>" for w in warns)
                 + "</ul></div>") if warns else ""
    png = F.png_bytes(fig_overlay(results))
    img = f'<img src="data:image/png;base64,{base64.b64encode(png).decode()}" alt="fraction mineralised, all sites">'
    now = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    order = " &gt; ".join(escape(c) for c in ranking(frame))
    stores = frame.attrs.get("stores") or []
    src = ("<p class='note'>stores: " + ", ".join(f"<code>{escape(s)}</code>" for s in stores) + "</p>") if stores else ""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>ccus site comparison: {escape(title)}</title><style>{CSS}</style></head><body><main>"
        f"<header><h1>Site comparison: {escape(title)}</h1><p class='sub'>{len(cols)} sites · built {now} from "
        "stored results (no model re-run)</p></header>"
        f'<section id="ranking"><h2>Ranking</h2><p class="answer"><b>{order}</b></p>{warn_html}'
        f'<table id="comparison"><tr><th>criterion</th>{head}</tr>{"".join(rows)}</table></section>'
        f'<section id="weights"><h2>Weights</h2><table id="weights-table"><tr><th>criterion</th><th>weight</th>'
        f"<th>share</th></tr>{wrows}</table><p class='note'>A site's score is the weighted mean of its criterion "
        "scores (1 at the pass threshold or better, 0.5 at the caution threshold, 0 one step beyond) over the "
        "criteria evaluated for it. See docs/reports.md.</p></section>"
        f'<section id="figures"><h2>Mineralisation over time</h2><figure>{img}<figcaption>Each site as simulated; '
        "runs of different length end at different times.</figcaption></figure></section>"
        f"{src}<footer>ccus · thresholds and cost model: docs/reports.md</footer></main></body></html>\n"
    )


def write_compare(frame, output) -> None:
    """Write a comparison frame as HTML (``.html``) or CSV (``.csv``)."""
    from pathlib import Path

    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    if output.suffix.lower() == ".csv":
        frame.to_csv(output)
    else:
        output.write_text(render_compare_html(frame), encoding="utf-8")


__all__ = ["render_compare_html", "write_compare", "fig_overlay", "D"]
