"""CO2 solubility: Duan & Sun (2003) against measured data and against PHREEQC's Peng-Robinson gas phase.

:func:`data_comparison` compares :func:`ccus.injection.solubility.co2_solubility_molal`
with the measured sets of :mod:`ccus.validation.solubility_data`;
:func:`phreeqc_grid` with PHREEQC (``phreeqc.dat``: GAS_PHASE ``-fixed_pressure``
with CO2(g) + H2O(g), Peng-Robinson) over 10-250 C, 1-300 bar, 0-4 mol/kg NaCl.
Grid points with P < 3 p_H2O(T) are left out: there the CO2 partial pressure is
a small difference of two numbers and the two models' water-vapour treatments
dominate (see ``docs/solubility.md``).
"""

from __future__ import annotations

import os

import numpy as np

ATM_PER_BAR = 1.0 / 1.01325
GRID_T_C = (10, 25, 40, 50, 75, 100, 125, 150, 200, 250)
GRID_P_BAR = (1, 5, 10, 25, 50, 75, 100, 150, 200, 300)
GRID_M_NACL = (0.0, 0.5, 1.0, 2.0, 4.0)
QUICK_T_C, QUICK_P_BAR, QUICK_M_NACL = (25, 100), (25, 100), (0.0, 1.0)


def data_comparison():
    """Duan & Sun vs every measured set: one row per set (relative deviations model/measured - 1).

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        The per-set summary (points, T / P / NaCl ranges, mean and max |deviation|
        and where the max is) and all points (set, T [C], P [bar], NaCl [mol/kg],
        measured and model molality [mol/kg], deviation [-]).
    """
    import pandas as pd

    from ccus.injection.solubility import co2_solubility_molal
    from ccus.validation.solubility_data import datasets

    rows, points = [], []
    for d in datasets():
        model = np.asarray(co2_solubility_molal(d.t_c + 273.15, d.p_bar, d.m_nacl), dtype=float)
        dev = model / d.m_co2 - 1.0
        k = int(np.argmax(np.abs(dev)))
        rows.append({
            "data set": d.name, "citation": d.citation, "points": len(dev),
            "T [C]": f"{d.t_c.min():g}-{d.t_c.max():g}", "P [bar]": f"{d.p_bar.min():.3g}-{d.p_bar.max():.3g}",
            "NaCl [mol/kg]": f"{d.m_nacl.min():g}-{d.m_nacl.max():g}",
            "mean |dev|": float(np.mean(np.abs(dev))), "max |dev|": float(np.abs(dev[k])),
            "max at": f"{d.t_c[k]:.0f} C, {d.p_bar[k]:.3g} bar, {d.m_nacl[k]:g} m",
        })
        points.append(pd.DataFrame({"set": d.name, "T [C]": d.t_c, "P [bar]": d.p_bar, "NaCl [mol/kg]": d.m_nacl,
                                    "measured [mol/kg]": d.m_co2, "model [mol/kg]": model, "deviation [-]": dev}))
    return pd.DataFrame(rows), pd.concat(points, ignore_index=True)


def phreeqc_database() -> str:
    """Path of ``phreeqc.dat`` shipped in the ``phreeqc`` wheel."""
    import phreeqc

    return os.path.join(os.path.dirname(phreeqc.__file__), "databases", "phreeqc.dat")


def phreeqc_co2_molality(p, t_c: float, p_bar: float, m_nacl: float) -> float:
    """Dissolved C(4) [mol/kgw] under a fixed-pressure CO2 + H2O(g) gas phase (IPhreeqc ``p``, phreeqc.dat)."""
    p_atm = float(p_bar) * ATM_PER_BAR
    # The gas phase must hold an excess of CO2 over what dissolves (the default 1 L at
    # 1 atm holds only ~0.04 mol): at least ~5 mol (ideal-gas estimate) or 1 L, the
    # latter at high pressure where larger volumes make PHREEQC fail to converge.
    volume_l = max(1.0, 5.0 * 0.082057 * (t_c + 273.15) / p_atm)
    salt = f"  Na {float(m_nacl)!r}\n  Cl {float(m_nacl)!r}\n" if m_nacl > 0 else ""
    text = f"""
SOLUTION 1
  temp {float(t_c)!r}
  pressure {p_atm!r}
  units mol/kgw
{salt}GAS_PHASE 1
  -fixed_pressure
  -pressure {p_atm!r}
  -temperature {float(t_c)!r}
  -volume {volume_l!r}
  CO2(g) {p_atm!r}
  H2O(g) 0
SELECTED_OUTPUT 1
  -reset false
  -totals C(4)
END
"""
    if p.RunString(text) != 0:
        from ccus.errors import EngineError

        raise EngineError(f"PHREEQC gas phase at {t_c} C, {p_bar} bar, {m_nacl} m NaCl: {p.GetErrorString().strip()}")
    n = p.GetSelectedOutputRowCount()
    return float(p.GetSelectedOutputValue(n - 1, 0))


def phreeqc_grid(quick: bool = False):
    """Duan & Sun vs PHREEQC Peng-Robinson on the grid (``quick``: 2 x 2 x 2 points).

    Returns a DataFrame: T [C], P [bar], NaCl [mol/kg], Duan & Sun and PHREEQC
    molality [mol/kg], deviation D&S/PHREEQC - 1 [-].
    """
    import pandas as pd
    from phreeqc import Phreeqc

    from ccus.injection.solubility import co2_solubility_molal, water_vapour_pressure_raw

    p = Phreeqc()
    if p.LoadDatabase(phreeqc_database()) != 0:
        from ccus.errors import EngineError

        raise EngineError(f"cannot load phreeqc.dat: {p.GetErrorString().strip()}")
    ts, ps, ms = (QUICK_T_C, QUICK_P_BAR, QUICK_M_NACL) if quick else (GRID_T_C, GRID_P_BAR, GRID_M_NACL)
    rows = []
    for t_c in ts:
        for p_bar in ps:
            if p_bar < 3.0 * float(water_vapour_pressure_raw(t_c + 273.15)):
                continue
            for m in ms:
                ref = phreeqc_co2_molality(p, t_c, p_bar, m)
                got = float(co2_solubility_molal(t_c + 273.15, p_bar, m))
                rows.append((t_c, p_bar, m, got, ref, got / ref - 1.0))
    return pd.DataFrame(rows, columns=["T [C]", "P [bar]", "NaCl [mol/kg]", "Duan & Sun [mol/kg]",
                                       "PHREEQC PR [mol/kg]", "deviation [-]"])


def grid_summary(grid) -> list[dict]:
    """Deviation statistics of :func:`phreeqc_grid` by region (pure water <= 150 C, NaCl <= 100 C, > 150 C, all)."""
    regions = [
        ("pure water, 10-150 C", (grid["NaCl [mol/kg]"] == 0) & (grid["T [C]"] <= 150)),
        ("NaCl 0.5-4 mol/kg, 10-100 C", (grid["NaCl [mol/kg]"] > 0) & (grid["T [C]"] <= 100)),
        ("NaCl 0.5-4 mol/kg, 125-150 C", (grid["NaCl [mol/kg]"] > 0) & (grid["T [C]"] > 100) & (grid["T [C]"] <= 150)),
        ("200-250 C", grid["T [C]"] > 150),
        ("all", grid["T [C]"] > -1e9),
    ]
    out = []
    for name, sel in regions:
        d = grid[sel]
        if not len(d):
            continue
        k = d["deviation [-]"].abs().idxmax()
        out.append({
            "region": name, "points": int(len(d)),
            "rms dev": float(np.sqrt(np.mean(d["deviation [-]"] ** 2))),
            "max |dev|": float(abs(d.loc[k, "deviation [-]"])), "signed max": float(d.loc[k, "deviation [-]"]),
            "max at": f"{d.loc[k, 'T [C]']:g} C, {d.loc[k, 'P [bar]']:g} bar, {d.loc[k, 'NaCl [mol/kg]']:g} m",
        })
    return out


def figure(points, grid, path) -> None:
    """Parity plot against the measured data and deviation from PHREEQC against temperature."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4.4), constrained_layout=True)
    for name, d in points.groupby("set", sort=False):
        a.plot(d["measured [mol/kg]"], d["model [mol/kg]"], "o", ms=3.5, label=name)
    hi = 1.05 * float(max(points["measured [mol/kg]"].max(), points["model [mol/kg]"].max()))
    xs = np.array([0, hi])
    a.plot(xs, xs, "k-", lw=0.8)
    a.fill_between(xs, 0.93 * xs, 1.07 * xs, color="grey", alpha=0.2, lw=0, label="+/- 7 % (D&S claim)")
    a.set_xlabel("measured CO2 [mol/kg]")
    a.set_ylabel("Duan & Sun 2003 [mol/kg]")
    a.set_title("Duan & Sun vs measured solubility (NIST SRD 106)", fontsize=10)
    a.legend(fontsize=7)
    a.grid(alpha=0.3)
    for m, d in grid.groupby("NaCl [mol/kg]"):
        b.plot(d["T [C]"] + 2.0 * m, 100 * d["deviation [-]"], "o", ms=3.5, label=f"{m:g} mol/kg NaCl")
    b.axhline(0, color="k", lw=0.8)
    b.set_xlabel("temperature [C] (points offset by 2 C per mol/kg NaCl)")
    b.set_ylabel("Duan & Sun / PHREEQC PR - 1 [%]")
    b.set_title("Duan & Sun vs PHREEQC Peng-Robinson (phreeqc.dat), 1-300 bar", fontsize=10)
    b.legend(fontsize=7)
    b.grid(alpha=0.3)
    fig.savefig(path, dpi=110)
    plt.close(fig)
