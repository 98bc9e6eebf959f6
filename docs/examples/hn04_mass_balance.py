"""CarbFix1 HN-04: measured pH, DIC, SF6 mixing fraction and the field mass balance.

Run from the repository root:

    .venv/bin/python docs/examples/hn04_mass_balance.py [output.png]

Writes ``docs/figures/hn04_mass_balance.png`` (or the given path) and prints
the time-binned summary of the mass balance (Matter et al. 2016 method, SF6 /
SF5CF3 mixing fractions, see ``docs/field-data.md``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from ccus.field import binned_summary, field_fraction_mineralised, load_hn04  # noqa: E402
from ccus.field.mass_balance import (  # noqa: E402
    EVALUABLE_COL,
    F_INJ_COL,
    F_MIX_COL,
    X1_COL,
    X2_COL,
)

OUT = Path(__file__).resolve().parents[1] / "figures" / "hn04_mass_balance.png"


def main(out: Path = OUT) -> pd.DataFrame:
    df = load_hn04()
    r = field_fraction_mineralised(df)
    t = r["time [d]"]
    ev = r[EVALUABLE_COL]
    t_phase2 = t[r["SF5CF3 phase II [ccSTP/cc]"].notna()].min()

    fig, axes = plt.subplots(4, 1, figsize=(7.5, 10.5), sharex=True)
    ax_ph, ax_dic, ax_x, ax_f = axes

    ax_ph.plot(t, r["pH [-]"], "o-", ms=3, lw=0.8, color="tab:blue")
    ax_ph.axhline(9.43, ls=":", color="grey")
    ax_ph.text(540, 9.40, "ambient groundwater 9.43 (20 °C)", ha="right", va="top", fontsize=8, color="grey")
    ax_ph.set_ylabel("pH [-]")
    ax_ph.set_title("CarbFix1 monitoring well HN-04 (data: Matter et al. 2016)", fontsize=10)

    ax_dic.semilogy(t, r["DIC [mmol/L]"], "o-", ms=3, lw=0.8, color="tab:blue", label="measured DIC")
    ax_dic.semilogy(
        t, r["DIC mix [mmol/L]"], "s", ms=3, mfc="none", color="tab:red",
        label="DIC_mix: conservative mixing (SF6, SF5CF3)",
    )
    ax_dic.axhline(1.5, ls=":", color="grey")
    ax_dic.text(540, 1.5, "groundwater 1.5", ha="right", va="top", fontsize=8, color="grey")
    ax_dic.set_ylabel("DIC [mmol/L]")
    ax_dic.legend(fontsize=8, loc="upper left")

    ax_x.plot(t, r[X1_COL], "o", ms=3, color="tab:green", label="X phase I (SF6 / 2.33e-8)")
    ax_x.plot(t, 100 * r[X2_COL].where(t >= t_phase2), "^", ms=3, color="tab:purple",
              label="100 × X phase II (SF5CF3 / 2.24e-8)")
    ax_x.set_ylabel("mixing fraction X [-]")
    ax_x.legend(fontsize=8, loc="upper left")

    ax_f.axhspan(0.67, 0.77, color="tab:orange", alpha=0.2, lw=0)
    ax_f.text(540, 0.72, "Ca isotopes: 72 ± 5 %\n(Pogge von Strandmann et al. 2019)", ha="right",
              va="center", fontsize=8, color="tab:orange")
    ax_f.axhline(0.95, ls="--", color="k", lw=0.8)
    ax_f.text(300, 0.945, "> 95 % (Matter et al. 2016, 14C)", ha="left", va="top", fontsize=8)
    ax_f.plot(t[ev], r.loc[ev, F_INJ_COL], "o", ms=3.5, color="tab:red",
              label="fraction of injected C mineralised (DIC_mix − DIC) / X·DIC_inj")
    ax_f.plot(t[ev], r.loc[ev, F_MIX_COL], "x", ms=3.5, color="tab:blue",
              label="fraction of DIC_mix lost 1 − DIC / DIC_mix")
    nev = ~ev
    ax_f.plot(t[nev], np.full(nev.sum(), 0.42), "|", ms=8, color="grey",
              label="not evaluable (no/low tracer or no DIC)")
    ax_f.set_ylim(0.4, 1.05)
    ax_f.set_ylabel("fraction [-]")
    ax_f.set_xlabel("days after the start of the phase I injection (January 2012)")
    ax_f.legend(fontsize=7, loc="lower right", bbox_to_anchor=(1.0, 0.04))

    for ax in axes:
        ax.axvline(t_phase2, color="tab:purple", lw=0.6, ls="--")
        ax.grid(alpha=0.3)
    ax_ph.text(t_phase2 + 4, ax_ph.get_ylim()[0] + 0.1, "first SF5CF3\n(phase II) detected",
               fontsize=7, color="tab:purple", va="bottom")
    ax_f.set_xlim(0, 545)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=120)
    plt.close(fig)

    summary = binned_summary(r)
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.precision", 4):
        print(summary)
    print(f"wrote {out}")
    return summary


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
