"""Simulated vs measured HN-04 series (pH, DIC, SF6 mixing fraction) as a figure.

matplotlib is imported inside :func:`plot_hn04_comparison` with the Agg
backend, so importing this module costs nothing and no display is needed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ccus.field.hn04 import DIC, HN04_ENDMEMBERS, PH, SF6_PHASE1, TIME, load_hn04
from ccus.field.misfit import MMOL_PER_L_PER_MOL_PER_KG


def plot_hn04_comparison(results, samples=None, *, point: str = "HN-04", out: str | Path | None = None,
                         title: str | None = None, t_max_d: float | None = None):
    """Three panels (pH, DIC, SF6 mixing fraction) of model runs against the HN-04 samples.

    Parameters
    ----------
    results
        A :class:`~ccus.result.result.Result` or ``{label: Result}``; each
        needs the series ``"<point> pH"``, ``"<point> DIC"`` [mol/kg] and
        ``"<point> SF6 mixing fraction"`` (a missing series is skipped).
    samples
        The field samples (default :func:`ccus.field.load_hn04`).
    out
        Save the figure there (PNG at 120 dpi) when given.
    title, t_max_d
        Figure title; right end of the time axis [d] (default: the longest run).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if not isinstance(results, dict):
        results = {results.name: results}
    df = load_hn04() if samples is None else samples
    t_obs = df[TIME].to_numpy(dtype=float)
    x_obs = df[SF6_PHASE1].to_numpy(dtype=float) / HN04_ENDMEMBERS.sf6_injectate_phase1.to("").magnitude
    fig, (ax_ph, ax_dic, ax_x) = plt.subplots(3, 1, figsize=(7.5, 8.5), sharex=True)
    kw = dict(ms=3.5, ls="none", color="k", label=f"{point} samples (Matter et al. 2016)")
    ax_ph.plot(t_obs, df[PH], "o", **kw)
    ax_dic.semilogy(t_obs, df[DIC], "o", **kw)
    ax_x.plot(t_obs, x_obs, "o", **kw)
    t_end = 0.0
    for label, r in results.items():
        t = r.time.to("day").magnitude
        t_end = max(t_end, float(t[-1]))
        s = r.series
        if f"{point} pH" in s:
            ax_ph.plot(t, s[f"{point} pH"].magnitude, lw=1.3, label=label)
        if f"{point} DIC" in s:
            ax_dic.semilogy(t, np.asarray(s[f"{point} DIC"].to("mol/kg").magnitude) * MMOL_PER_L_PER_MOL_PER_KG,
                            lw=1.3, label=label)
        if f"{point} SF6 mixing fraction" in s:
            ax_x.plot(t, s[f"{point} SF6 mixing fraction"].magnitude, lw=1.3, label=label)
    ax_ph.set_ylabel("pH [-]")
    ax_dic.set_ylabel("DIC [mmol/L]  (model: mmol/kg)")
    ax_x.set_ylabel("SF6 mixing fraction X [-]")
    ax_x.set_xlabel("days after the start of the phase I injection")
    for ax in (ax_ph, ax_dic, ax_x):
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, loc="best")
    ax_x.set_xlim(0, t_max_d if t_max_d is not None else max(t_end, float(np.nanmax(t_obs))))
    ax_ph.set_title(title or f"CarbFix1 {point}: model vs measured", fontsize=10)
    fig.tight_layout()
    if out is not None:
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(out, dpi=120)
    return fig
