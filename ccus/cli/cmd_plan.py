"""``ccus plan CONFIG``: the injection plan of an experiment as a table."""

from __future__ import annotations


def cmd_plan(args) -> int:
    import pandas as pd

    from ccus.injection.plan import plan

    p = plan(args.config)
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.float_format", "{:.4g}".format):
        print(f"injection plan: {p.experiment} (site {p.site})")
        print(p.frame.to_string())
    for w in p.warnings:
        print(f"warning: {w}")
    return 0


def register(sub) -> None:
    sp = sub.add_parser("plan", help="water demand, dissolution pressure, injectate and well pressure of the injection plan")
    sp.add_argument("config")
    sp.set_defaults(func=cmd_plan)
