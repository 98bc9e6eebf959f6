"""The pilot-feasibility report as a PDF, drawn with matplotlib's PdfPages (no browser needed).

Pages: (1) the answer, headline numbers and the verdict table, (2) the
injection plan, site and cost model, (3...) one figure per page, (last)
provenance with the experiment config text.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from ccus.reporting import _data as D
from ccus.reporting import criteria as C
from ccus.reporting import figures as F

A4 = (8.27, 11.69)
STATUS_COLOR = {C.PASS: "#d9f2e4", C.CAUTION: "#fff0cc", C.FAIL: "#fbdcdc", C.NOT_EVALUATED: "#e9ecef"}


def _page():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=A4)
    FigureCanvasAgg(fig)
    return fig


class _Writer:
    """Top-down text layout on A4 pages [figure fraction coordinates]."""

    def __init__(self, pdf):
        self.pdf, self.fig, self.y = pdf, None, 0.0
        self.new()

    def new(self):
        if self.fig is not None:
            self.pdf.savefig(self.fig)
        self.fig, self.y = _page(), 0.95

    def text(self, s: str, size: float = 9.5, weight: str = "normal", width: int = 100, color: str = "black",
             family: str = "sans-serif"):
        for line in (textwrap.wrap(s, width) or [""]) if family != "monospace" else s.splitlines() or [""]:
            if self.y < 0.05:
                self.new()
            self.fig.text(0.07, self.y, line, fontsize=size, weight=weight, color=color, family=family, va="top")
            self.y -= size * 1.45 / (A4[1] * 72)

    def gap(self, h: float = 0.012):
        self.y -= h

    def table(self, rows: list[list[str]], widths: list[float], colors: list[str | None] | None = None,
              size: float = 8.0, header: bool = True):
        wrapped = []
        for row in rows:
            # characters per line: column width [pt] / average glyph width (~0.55 em)
            cells = [textwrap.wrap(str(c), max(int(w * 0.87 * A4[0] * 72 / (0.55 * size)) - 1, 6)) or [""]
                     for c, w in zip(row, widths, strict=True)]
            wrapped.append(cells)
        line_h = size * 1.4 / (A4[1] * 72)
        for i, cells in enumerate(wrapped):
            n = max(len(c) for c in cells)
            h = n * line_h + 0.006
            if self.y - h < 0.05:
                self.new()
            x = 0.07
            color = colors[i] if colors else None
            if header and i == 0:
                color = "#eef1f4"
            if color:
                from matplotlib.patches import Rectangle

                self.fig.patches.append(Rectangle((0.065, self.y - h + 0.002), 0.87, h, color=color,
                                                  transform=self.fig.transFigure, zorder=0))
            for cell, w in zip(cells, widths, strict=True):
                for k, line in enumerate(cell):
                    self.fig.text(x, self.y - 0.003 - k * line_h, line, fontsize=size, va="top",
                                  weight="bold" if header and i == 0 else "normal")
                x += w * 0.87
            self.y -= h

    def flush(self):
        """Save the current page; the next :meth:`new` starts a fresh one."""
        if self.fig is not None:
            self.pdf.savefig(self.fig)
        self.fig = None

    def close(self):
        self.flush()


def _figure_pages(pdf, figs) -> None:
    """Two figures per A4 page (rendered at 150 dpi), each with its caption."""
    import io

    import matplotlib.image as mpimg

    items = list(figs.values())
    for start in range(0, len(items), 2):
        page = _page()
        page.text(0.07, 0.96, "4. Figures", fontsize=12, weight="bold", va="top")
        for k, (caption, fig) in enumerate(items[start:start + 2]):
            img = mpimg.imread(io.BytesIO(F.png_bytes(fig, dpi=150)), format="png")
            h_px, w_px = img.shape[:2]
            width = 0.86
            height = width * A4[0] / A4[1] * h_px / w_px
            top = 0.92 - k * 0.45
            ax = page.add_axes((0.07, top - height, width, height))
            ax.imshow(img, interpolation="antialiased")
            ax.set_axis_off()
            page.text(0.07, top - height - 0.01, caption, fontsize=8.5, color="0.35", va="top")
        pdf.savefig(page)


def write_pdf(result, output, *, criteria: Any = None, study=None, source: str | None = None) -> Path:
    """Write the report of ``result`` (Result or store path) to ``output`` (PDF); return the path."""
    from matplotlib.backends.backend_pdf import PdfPages

    if source is None and not hasattr(result, "series"):
        source = str(result)
    result = D.as_result(result)
    crit = C.load_criteria(criteria) if not C._is_loaded(criteria) else criteria
    verdicts = [C.EVALUATORS[k](result, crit) for k in C.ORDER]
    site = (result.context.get("site") or {}).get("name") or result.name
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with PdfPages(output, metadata={"Title": f"ccus pilot-feasibility report: {site}", "Creator": "ccus"}) as pdf:
        w = _Writer(pdf)
        w.text(f"Pilot-feasibility report: {site}", size=17, weight="bold")
        w.text(f"experiment {result.name} · engine {result.provenance.get('engine', '?')} · database "
               f"{result.provenance.get('database', '?')} · built from the stored result", size=9, color="0.35")
        w.gap()
        w.text("1. How much of the injected CO2 is mineralised, and how fast?", size=12, weight="bold")
        rows = D.headline(result)
        w.table([["quantity", "value"]] + [[r["label"], r["text"]] for r in rows], [0.55, 0.45])
        w.gap()
        w.text("2. Feasibility verdict", size=12, weight="bold")
        w.table([["criterion", "value", "threshold", "verdict", "basis / reason"]]
                + [[v.label, v.text, v.threshold, v.status, v.note] for v in verdicts],
                [0.2, 0.17, 0.2, 0.1, 0.33], colors=[None] + [STATUS_COLOR.get(v.status) for v in verdicts], size=7.5)
        w.new()
        cm = C.cost_model(result, crit)
        w.text("Cost model (indicative): cost = base + water cost × (W − W_ref) + drilling cost × (depth / Q − "
               "depth_ref / Q_ref) / lifetime; base ~US$25/t at Hellisheidi (Gunnarsson et al. 2018, IJGGC 79:117).",
               size=8.5)
        w.table([["input", "value"]] + [[k, v] for k, v in cm["inputs"].items()]
                + [[f"term: {k}", f"{D.sig(v)} US$/t"] for k, v in cm["terms"].items()]
                + [["indicative cost", f"{D.sig(cm['cost'])} US$/t CO2"]], [0.35, 0.65], size=7.5)
        w.gap(0.02)
        w.text("3. Injection plan and site", size=12, weight="bold")
        ctx = result.context
        s, ch = ctx.get("site") or {}, ctx.get("charge") or {}
        assumed = set(s.get("assumed") or [])
        pr = C.pressures(result)
        inj = D.injection_ctx(result)

        def a(k):
            return " (assumed)" if k in assumed else ""

        wpc = D.water_per_co2(result)
        prow = [["gas composition", ", ".join(f"{g} {100 * float(x):.1f} mol%" for g, x in
                                             (ch.get("composition") or {}).items()) or D.NOT_MODELLED],
                ["water:gas ratio", f"{D.sig(float(ch['water_gas_ratio']))} kg/kg" if ch.get("water_gas_ratio")
                 else D.NOT_MODELLED],
                ["planned water per t CO2", f"{D.sig(wpc)} t/t" if wpc else D.NOT_MODELLED],
                ["minimum water per t CO2 (injection model)",
                 f"{D.sig(D.min_water_per_co2(result))} t/t" if D.min_water_per_co2(result) else D.NOT_MODELLED]]
        for k in ("dissolution_pressure", "injection_pressure", "fracture_pressure", "pressure_margin"):
            q = pr[k]
            shown = q is not None and (inj is not None or k == "fracture_pressure")
            prow.append([k.replace("_", " "), D.fmt_q(q) if shown else D.NOT_MODELLED])
        srow = [["site", f"{s.get('name', '–')}, {s.get('location', '')}"],
                ["depth", D.fmt_ctx(s.get("depth")) + a("depth")],
                ["temperature", D.fmt_ctx(s.get("temperature")) + a("temperature")],
                ["pressure", D.fmt_ctx(s.get("pressure")) + a("pressure")],
                ["porosity", (f"{100 * float(s['porosity']):.1f} %" if s.get("porosity") is not None else "–")
                 + a("porosity")],
                ["permeability", D.fmt_ctx(s.get("permeability")) + a("permeability")],
                ["rock", (ctx.get("rock") or {}).get("name", "–")]]
        w.table([["injection plan", ""]] + prow, [0.35, 0.65])
        w.gap()
        w.table([["site", ""]] + srow, [0.35, 0.65])
        w.flush()
        _figure_pages(pdf, F.figures(result, study))
        w.new()
        w.text("5. Provenance", size=12, weight="bold")
        prov = result.provenance
        from ccus.reporting.html import PROVENANCE_KEYS

        w.table([["item", "value"]] + ([["result store", source]] if source else [])
                + [[label, str(prov.get(k, "–"))] for label, k in PROVENANCE_KEYS], [0.25, 0.75], size=7.5)
        w.gap()
        w.text("experiment config", size=10, weight="bold")
        w.text(prov.get("config_text", ""), size=6.5, family="monospace")
        w.close()
    return output
