"""Morris screening of the CarbFix1 batch case and its figure (docs/figures/carbfix1_morris.png).

Runs (or resumes) experiments/carbfix1_sensitivity.toml into out/carbfix1_sensitivity.h5
(30 PHREEQC runs, a few minutes on 2 cores), prints mu*/sigma per output and parameter,
and plots mu* against sigma for the fraction mineralised after 1 year and at the end.

    .venv/bin/python docs/examples/carbfix1_morris.py
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ccus import study

    store = ROOT / "out" / "carbfix1_sensitivity.h5"
    store.parent.mkdir(exist_ok=True)
    s = study.run(ROOT / "experiments" / "carbfix1_sensitivity.toml", store, workers=2, progress=False)
    print(f"scenarios done {s.n_done}, failed {s.n_failed}")
    sens = s.sensitivity()
    print(sens.to_string())
    outputs = ["fraction mineralised at 1 yr", "fraction mineralised (end)"]
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.2), constrained_layout=True)
    for ax, out in zip(axes, outputs, strict=True):
        d = sens.loc[out]
        for name, row in d.iterrows():
            ax.scatter(row["mu_star"], row["sigma"], s=40)
            ax.annotate(name.split(".")[-1].replace("_", " ") if "glass" not in name else
                        "glass " + name.split(".")[-1].replace("_", " "),
                        (row["mu_star"], row["sigma"]), textcoords="offset points", xytext=(5, 4), fontsize=9)
        ax.set_xlabel("mu* (change of the fraction over the input's range)")
        ax.set_ylabel("sigma")
        ax.set_title(out)
        ax.set_xlim(0, 1.45 * d["mu_star"].max())
        ax.set_ylim(0, 1.15 * d["sigma"].max())
        ax.grid(alpha=0.3)
    fig.suptitle(f"Morris screening, CarbFix1 batch ({s.n_done} PHREEQC runs done, {s.n_failed} failed: pH outside 0-14)")
    target = ROOT / "docs" / "figures" / "carbfix1_morris.png"
    fig.savefig(target, dpi=110)
    print(f"figure: {target}")


if __name__ == "__main__":
    main()
