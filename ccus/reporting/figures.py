"""Report figures (matplotlib, Agg backend; imported inside the functions).

Every ``fig_*`` function takes a stored Result and returns a matplotlib Figure,
or None when the store lacks what the figure shows. :func:`figures` collects
them; :func:`save_figures` writes PNGs (``ccus report --figures DIR``).

Conventions read from the store:

- mineralised fraction, pH, DIC and ``<Mineral> amount`` series over time;
- secondary minerals are those with role ``secondary`` or ``equilibrium``
  in ``Result.minerals``;
- transport profiles: ``Result.profiles["porosity"]`` and ``["permeability
  ratio"]`` (time, cell) on ``Result.cells`` (written by ccus.rock_feedback);
  older layout: series ``porosity`` and/or ``permeability`` of shape (time, cell)
  and the cell radii either as a series ``radius`` of the same shape or as
  ``context["grid"]["radius"]`` (with ``context["grid"]["radius_unit"]``, default m);
- parameter studies: an optional DataFrame of per-scenario fraction curves,
  index = time [d], one column per scenario, values = fraction mineralised [-].
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ccus.reporting import _data as D

# Colour-blind-safe palette (Okabe & Ito 2008).
COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
WIDTH = 7.5  # inches


STYLE = {"font.size": 10, "axes.grid": True, "grid.alpha": 0.3, "axes.spines.top": False,
         "axes.spines.right": False, "figure.dpi": 100}


def _styled(fn):
    """Run a figure function under the report style (no global matplotlib state is changed)."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        import matplotlib

        with matplotlib.rc_context(STYLE):
            return fn(*args, **kwargs)

    return wrapper


def _subplots(*grid, figsize, **kw):
    """A Figure and its axes, built without pyplot (Agg canvas; no GUI backend, no global figure list)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize)
    FigureCanvasAgg(fig)
    return fig, fig.subplots(*grid, **kw)


def _time_axis(result):
    """Time values and label: days, or years when the run is longer than 3 years."""
    d = result.time.to("day").magnitude
    if d[-1] > 3 * 365.25:
        return d / 365.25, "time [yr]", 365.25
    return d, "time [d]", 1.0


def _use_log_time(result) -> bool:
    """Log time axis when half the carbon is mineralised within the first 5% of the run."""
    t50 = result.time_to_fraction(0.5)
    return t50 is not None and float(t50.to("day").magnitude) < 0.05 * D.duration_days(result)


def _setup_time(ax, result, t, per=1.0):
    """Log time axis when the action is early; its left end shows t50 even within the first output step."""
    if _use_log_time(result):
        ax.set_xscale("log")
        pos = t[t > 0]
        if len(pos):
            t50 = result.time_to_fraction(0.5)
            lo = pos[0] if t50 is None else min(pos[0], float(t50.to("day").magnitude) / per / 2.0)
            ax.set_xlim(lo, t[-1])


@_styled
def fig_fraction(result):
    """Fraction of injected CO2 mineralised [%] vs time, with t50/t90/t95 and 1/2/5 yr marks."""
    t, xlabel, per = _time_axis(result)
    f = 100.0 * result.mineralised_fraction.magnitude
    fig, ax = _subplots(figsize=(WIDTH, 3.6))
    ax.plot(t, f, color=COLORS[0], lw=2.2, label="mineralised (carbon in carbonates / carbon injected)")
    _setup_time(ax, result, t, per)
    marks = []
    for frac in (0.5, 0.9, 0.95):
        pct = int(round(frac * 100))
        ax.axhline(pct, color="0.6", lw=0.8, ls=":")
        ts = result.time_to_fraction(frac)
        if ts is not None:
            x = float(ts.to("day").magnitude) / per
            ax.plot([x], [pct], "o", color=COLORS[1], ms=5, zorder=5)
            marks.append(f"t{pct} = {D.fmt_days(x * per)}")
        else:
            marks.append(f"t{pct}: not reached")
    ax.text(0.015, 0.97, "\n".join(marks), transform=ax.transAxes, va="top", ha="left", fontsize=9,
            color=COLORS[1], bbox={"boxstyle": "round,pad=0.35", "fc": "white", "ec": "0.8", "alpha": 0.9}, zorder=6)
    for years in D.years_simulated(result):
        x = years * 365.25 / per
        ax.axvline(x, color="0.75", lw=0.8, ls="--")
        q = result.fraction_at(D.Q_(years * D.SECONDS_PER_YEAR, "s"))
        ax.annotate(f"{years} yr: {D.fmt_pct(float(q.magnitude))}", (x, 2), xytext=(-3, 0),
                    textcoords="offset points", rotation=90, ha="right", va="bottom", fontsize=8.5, color="0.3")
    ax.set_ylim(0, max(105.0, float(np.nanmax(f)) * 1.05))
    ax.set_xlabel(xlabel + (" (log scale)" if _use_log_time(result) else ""))
    ax.set_ylabel("injected CO2 mineralised [%]")
    ax.set_title("Fraction of injected CO2 mineralised", loc="left", fontsize=11)
    return fig


@_styled
def fig_ph_dic(result):
    """pH and DIC [mmol/kg water] vs time (two stacked panels); one line per monitoring point of a transport run."""
    mon = D.monitoring_points(result)
    if mon:
        lines = [(f"{name} ({dist})", f"{name} pH", f"{name} DIC") for name, dist in mon.items()]
    else:
        lines = [(None, "pH", "DIC")]
    if not any(k in result.series for _, a, b in lines for k in (a, b)):
        return None
    t, xlabel, per = _time_axis(result)
    fig, (a1, a2) = _subplots(2, 1, figsize=(WIDTH, 4.6), sharex=True)
    for i, (label, ph, dic) in enumerate(lines):
        color = COLORS[i % len(COLORS)] if mon else None
        if ph in result.series:
            a1.plot(t, result.series[ph].magnitude, color=color or COLORS[0], lw=1.8, label=label)
        if dic in result.series:
            a2.plot(t, result.series[dic].to("mol/kg").magnitude * 1000.0, color=color or COLORS[2], lw=1.8,
                    label=label)
    a1.set_ylabel("pH")
    a1.set_title("Water chemistry" + (" at the monitoring points" if mon else ""), loc="left", fontsize=11)
    if mon:
        a1.legend(fontsize=8.5, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    a2.set_ylabel("DIC [mmol/kg water]")
    a2.set_xlabel(xlabel)
    _setup_time(a2, result, t, per)
    return fig


def secondary_names(result) -> list[str]:
    out = []
    for name, info in result.minerals.items():
        if info.get("role") in ("secondary", "equilibrium") and f"{name} amount" in result.series:
            out.append(name)
    return out


@_styled
def fig_secondary(result):
    """Amounts of secondary minerals formed [mol] vs time (carbonates solid, others dashed)."""
    names = secondary_names(result)
    if not names:
        return None
    t, xlabel, per = _time_axis(result)
    fig, ax = _subplots(figsize=(WIDTH, 3.6))
    for i, name in enumerate(names):
        n = result.series[f"{name} amount"].to("mol").magnitude
        carb = float(result.minerals[name].get("carbon", 0.0)) > 0
        role = result.minerals[name].get("role")
        label = name + (" (carbonate)" if carb else "") + (" (equilibrium)" if role == "equilibrium" else "")
        ax.plot(t, n - n[0], color=COLORS[i % len(COLORS)], lw=1.8, ls="-" if carb else "--", label=label)
    _setup_time(ax, result, t, per)
    water = D.pore_water_kg(result)
    cells = (result.context.get("transport") or {}).get("cells")
    if cells:
        per = f" (whole streamline: {cells} cells, {D.sig(water)} kg pore water)" if water else " (whole streamline)"
    else:
        per = f" (batch with {D.sig(water)} kg water)" if water else ""
    ax.set_ylabel("formed [mol]")
    ax.set_xlabel(xlabel)
    ax.set_title("Secondary minerals formed" + per, loc="left", fontsize=11)
    ax.legend(fontsize=8.5, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return fig


def _radius(result, shape):
    if "radius" in result.series:
        r = np.asarray(result.series["radius"].to("m").magnitude, dtype=float)
        return r[-1] if r.ndim == 2 else r
    grid = result.context.get("grid") or {}
    if "radius" in grid:
        r = D.Q_(np.asarray(grid["radius"], dtype=float), grid.get("radius_unit", "m")).to("m").magnitude
        return r if len(r) == shape[-1] else None
    return None


@_styled
def fig_profiles(result):
    """Porosity and k/k0 vs distance from the well at the start, middle and end (``Result.profiles``)."""
    prof = getattr(result, "profiles", None) or {}
    if "porosity" not in prof or getattr(result, "cells", None) is None:
        return None
    x = np.asarray(result.cells.to("m").magnitude, dtype=float)
    t = result.time.to("day").magnitude
    rows = sorted({0, len(t) // 2, len(t) - 1})
    keys = [k for k in ("porosity", "permeability ratio") if k in prof]
    fig, axes = _subplots(len(keys), 1, figsize=(WIDTH, 2.4 * len(keys) + 0.6), sharex=True, squeeze=False)
    for ax, k in zip(axes[:, 0], keys, strict=True):
        a = np.asarray(prof[k].magnitude, dtype=float)
        for j, i in enumerate(rows):
            style = dict(color="0.5", lw=1.5, ls="--") if i == 0 else dict(color=COLORS[j], lw=2)
            ax.plot(x, a[i], label=f"{D.fmt_days(t[i])}" if i else "start", **style)
        if k == "permeability ratio":
            pos = a[a > 0]
            if pos.size and pos.max() / pos.min() > 10.0:  # log only when k/k0 spans a decade or more
                ax.set_yscale("log")
            ax.set_ylabel("k / k0 [-]")
        else:
            ax.set_ylabel("porosity [-]")
        ax.legend(fontsize=8.5, frameon=False)
    axes[0, 0].set_title("Porosity and permeability along the flow path", loc="left", fontsize=11)
    axes[-1, 0].set_xlabel("distance from the injection well [m]")
    return fig


@_styled
def fig_porosity(result):
    """Porosity and permeability vs radius (first and last output) when the store has radial profiles."""
    if getattr(result, "profiles", None) and "porosity" in result.profiles:
        return fig_profiles(result)
    keys = [k for k in ("porosity", "permeability") if k in result.series and np.ndim(result.series[k].magnitude) == 2]
    if not keys:
        return None
    r = _radius(result, np.shape(result.series[keys[0]].magnitude))
    if r is None:
        return None
    fig, axes = _subplots(len(keys), 1, figsize=(WIDTH, 2.4 * len(keys) + 0.6), sharex=True,
                             squeeze=False)
    end = D.fmt_days(D.duration_days(result))
    for ax, k in zip(axes[:, 0], keys, strict=True):
        q = result.series[k]
        a = np.asarray(q.to("m^2").magnitude if k == "permeability" else q.magnitude, dtype=float)
        ax.plot(r, a[0], color="0.5", lw=1.5, ls="--", label="start")
        ax.plot(r, a[-1], color=COLORS[1], lw=2, label=f"end ({end})")
        if k == "permeability":
            ax.set_yscale("log")
            ax.set_ylabel("permeability [m²]")
        else:
            ax.set_ylabel("porosity [-]")
        ax.legend(fontsize=8.5, frameon=False)
    axes[0, 0].set_title("Porosity and permeability around the well", loc="left", fontsize=11)
    axes[-1, 0].set_xlabel("radius from the injection well [m]")
    return fig


STUDY_SERIES = "fraction mineralised"


def study_curves(study):
    """Per-scenario fraction curves (DataFrame: index time [d], one column per scenario) from ``study``.

    ``study`` is such a DataFrame, a :class:`ccus.study.Study` (or anything with
    ``series(name)``) or the path of a study file; the study must keep the output
    ``"series fraction mineralised"``. None gives None.
    """
    if study is None:
        return None
    if hasattr(study, "columns") and hasattr(study, "index"):
        return study
    from ccus.errors import ConfigError

    label = str(study)
    if isinstance(study, (str, Path)):
        from ccus.study import load

        study = load(study)
    if not hasattr(study, "series"):
        raise ConfigError(f"study: expected a DataFrame, a Study or a study file, found {type(study).__name__}")
    for name in (f"series {STUDY_SERIES}", STUDY_SERIES):  # the output's name, or the bare series name
        try:
            return study.series(name)
        except KeyError:
            continue
    raise ConfigError(f"{label}: the study kept no 'series {STUDY_SERIES}' output; add it to the study's "
                          "outputs to get P10/P50/P90 bands in the report")


def study_quantiles(study):
    """P10/P50/P90 of the fraction mineralised [-] across scenarios, per time (index [d])."""
    q = study.quantile([0.1, 0.5, 0.9], axis=1).T
    q.columns = ["P10", "P50", "P90"]
    return q


@_styled
def fig_study(study, result=None):
    """P10-P90 band and P50 of the fraction mineralised across the scenarios of a parameter study."""
    if study is None or len(study.columns) == 0:
        return None
    q = study_quantiles(study)
    t = np.asarray(q.index, dtype=float)
    fig, ax = _subplots(figsize=(WIDTH, 3.6))
    ax.fill_between(t, 100 * q["P10"], 100 * q["P90"], color=COLORS[0], alpha=0.25, lw=0, label="P10–P90")
    ax.plot(t, 100 * q["P50"], color=COLORS[0], lw=2, label="P50")
    if result is not None:
        ax.plot(result.time.to("day").magnitude, 100 * result.mineralised_fraction.magnitude, color=COLORS[1],
                lw=1.5, ls="--", label="this result")
    ax.set_xlabel("time [d]")
    ax.set_ylabel("injected CO2 mineralised [%]")
    ax.set_ylim(0, 105)
    ax.set_title(f"Parameter study: {len(study.columns)} scenarios", loc="left", fontsize=11)
    ax.legend(fontsize=8.5, frameon=False, loc="lower right")
    return fig


FIGURES = {
    "fraction": ("Fraction of injected CO2 mineralised vs time", fig_fraction),
    "ph_dic": ("pH and dissolved inorganic carbon vs time", fig_ph_dic),
    "secondary": ("Secondary minerals formed vs time", fig_secondary),
    "porosity": ("Porosity and permeability vs distance from the injection well", fig_porosity),
}


def figures(result, study=None) -> dict[str, tuple[str, object]]:
    """All figures the store supports: ``name -> (caption, Figure)`` (absent ones are left out)."""
    out = {}
    for name, (caption, fn) in FIGURES.items():
        fig = fn(result)
        if fig is not None:
            out[name] = (caption, fig)
    sfig = fig_study(study, result)
    if sfig is not None:
        out["study"] = ("P10/P50/P90 of the fraction mineralised across a parameter study", sfig)
    return out


def png_bytes(fig, dpi: int = 130) -> bytes:
    """Render a Figure to PNG bytes and close it."""
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", pad_inches=0.12)
    return buf.getvalue()


def save_figures(result, folder, study=None, dpi: int = 150) -> list[Path]:
    """Write every figure as ``<folder>/<name>.png``; return the paths."""
    result = D.as_result(result)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, (_, fig) in figures(result, study).items():
        p = folder / f"{name}.png"
        p.write_bytes(png_bytes(fig, dpi=dpi))
        paths.append(p)
    return paths
