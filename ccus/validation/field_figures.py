"""Figures of the validation report's field cases (matplotlib, Agg backend, written as PNG)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ccus.validation.field_cases import mineral_carbon_fraction


def model_figure(result, targets: list[dict], path: Path, title: str, extra_minerals=("Calcite",),
                 extra_lines=()) -> None:
    """Fraction mineralised over time with the published targets; pH over time at three places if a transport run.

    ``extra_lines``: (time [d], values [-], label) drawn on the fraction panel (e.g. the sulfur fraction).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = result.time.to("day").magnitude
    has_ph = result.cells is not None and "pH" in result.profiles
    fig, axes = plt.subplots(1, 2 if has_ph else 1, figsize=(11 if has_ph else 6.5, 4.2), squeeze=False,
                             constrained_layout=True)
    ax = axes[0, 0]
    ax.plot(t, result.mineralised_fraction.magnitude, "k-", label="model: fraction of injected C in carbonates")
    for m in extra_minerals:
        if f"{m} amount" in result.series:
            y = [(mineral_carbon_fraction(result, m, d) or 0.0) for d in t]
            ax.plot(t, y, "--", label=f"model: C in {m.lower()} / injected C")
    for tx, y, label in extra_lines:
        ax.plot(tx, y, "-.", label=label)
    for tg in targets:
        kw = {"color": tg.get("color", "tab:red")}
        if "band" in tg:
            ax.axhspan(*tg["band"], alpha=0.2, lw=0, label=tg["label"], **kw)
        else:
            ax.plot([tg.get("from", 0.0), tg["by"]], [tg["value"]] * 2, lw=2.5, label=tg["label"], **kw)
            ax.axvline(tg["by"], ls=":", lw=0.8, **kw)
    ax.set_xlabel("days after injection start")
    ax.set_ylabel("fraction [-]")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7)
    ax.grid(alpha=0.3)
    if has_ph:
        cells = result.cells.to("m").magnitude
        b = axes[0, 1]
        ph = result.profiles["pH"].magnitude
        dist = result.context.get("site", {}).get("monitoring_distance")
        picks = [float(str(dist).split()[0])] if dist else []
        picks += [cells[len(cells) // 4], cells[-1]]
        for d in picks:
            j = int(np.argmin(np.abs(cells - d)))
            b.plot(t, ph[:, j], label=f"model pH at {cells[j]:.0f} m")
        b.set_xlabel("days after injection start")
        b.set_ylabel("pH [-]")
        b.legend(fontsize=7)
        b.grid(alpha=0.3)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def hn04_field_figure(r, path: Path) -> None:
    """The HN-04 samples: pH, DIC against conservative mixing, and the field fraction mineralised."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ccus.field.mass_balance import EVALUABLE_COL, F_INJ_COL

    t = r["time [d]"]
    ev = r[EVALUABLE_COL]
    fig, (a, b, c) = plt.subplots(3, 1, figsize=(7, 8), sharex=True, constrained_layout=True)
    a.plot(t, r["pH [-]"], "o-", ms=3, lw=0.7)
    a.set_ylabel("pH [-]")
    a.set_title("CarbFix1 HN-04 samples (Matter et al. 2016)", fontsize=10)
    b.semilogy(t, r["DIC [mmol/L]"], "o-", ms=3, lw=0.7, label="measured DIC")
    b.semilogy(t, r["DIC mix [mmol/L]"], "s", ms=3, mfc="none", label="conservative mixing (SF6, SF5CF3)")
    b.set_ylabel("DIC [mmol/L]")
    b.legend(fontsize=7)
    c.plot(t[ev], r.loc[ev, F_INJ_COL], "o", ms=3.5, color="tab:red", label="field mass balance (ccus.field)")
    c.axhline(0.95, ls="--", color="k", lw=0.8, label="> 95 % (Matter et al. 2016)")
    c.axhspan(0.67, 0.77, color="tab:orange", alpha=0.2, lw=0, label="72 +/- 5 % calcite (Pogge von Strandmann 2019)")
    c.set_ylabel("fraction of injected C mineralised [-]")
    c.set_xlabel("days after the start of phase I (January 2012)")
    c.legend(fontsize=7, loc="lower right")
    for ax in (a, b, c):
        ax.grid(alpha=0.3)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def fastpath_figure(result, samples, path: Path, point: str = "HN-04") -> dict:
    """pH and DIC at ``point``: the fast-path model against the samples over the run's duration.

    Model DIC [mol/kg water] is drawn as mmol/L with 1 kg water per L (dilute water at 20-35 C:
    density within 1 % of 1 kg/L). Returns the two pH minima drawn (day, pH) for the caption.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = result.time.to("day").magnitude
    t_end = float(t[-1])
    ph = np.asarray(result.series[f"{point} pH"].magnitude, dtype=float)
    dic = np.asarray(result.series[f"{point} DIC"].to("mol/kg").magnitude, dtype=float) * 1e3
    win = samples[samples["time [d]"] <= t_end]
    fig, (a, b) = plt.subplots(2, 1, figsize=(7, 6), sharex=True, constrained_layout=True)
    a.plot(win["time [d]"], win["pH [-]"], "o", ms=4, color="k", label=f"{point} samples (Matter et al. 2016)")
    a.plot(t, ph, "-", color="tab:red", label=f"fast-path model at {point}")
    i_f = int(np.nanargmin(win["pH [-]"].to_numpy()))
    f_day, f_ph = float(win["time [d]"].iloc[i_f]), float(win["pH [-]"].iloc[i_f])
    i_m = int(np.argmin(ph))
    a.plot([f_day], [f_ph], "o", ms=10, mfc="none", color="k", label=f"field minimum: pH {f_ph:.2f}, day {f_day:.0f}")
    a.plot([t[i_m]], [ph[i_m]], "s", ms=9, mfc="none", color="tab:red",
           label=f"model minimum: pH {ph[i_m]:.2f}, day {t[i_m]:.0f}")
    a.set_ylabel("pH [-]")
    a.set_title(f"CarbFix1 fast flow path: {point}, first {t_end:.0f} days", fontsize=10)
    a.legend(fontsize=7)
    b.semilogy(win["time [d]"], win["DIC [mmol/L]"], "o", ms=4, color="k", label=f"{point} samples")
    b.semilogy(t, np.maximum(dic, 1e-3), "-", color="tab:red", label="fast-path model (mol/kg x 1000)")
    b.set_ylabel("DIC [mmol/L]")
    b.set_xlabel("days after the start of phase I (January 2012)")
    b.legend(fontsize=7)
    for ax in (a, b):
        ax.grid(alpha=0.3)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return {"field": (f_day, f_ph), "model": (float(t[i_m]), float(ph[i_m]))}
