"""``ccus report RESULT.h5``: the pilot-feasibility report of a stored result (HTML or PDF)."""

from __future__ import annotations


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "report",
        help="write a pilot-feasibility report (HTML or PDF) from a result store",
        description="Build a self-contained pilot-feasibility report from a result store (no model re-run).",
    )
    p.add_argument("store", help="result store (.h5) written by `ccus run`")
    p.add_argument("-o", "--output", help="report file (default: <store stem>_report.<format> next to the store)")
    p.add_argument("--format", choices=["html", "pdf"], default=None,
                   help="report format (default: from the output suffix, else html)")
    p.add_argument("--figures", metavar="DIR", help="also write every figure as PNG into DIR")
    p.add_argument("--criteria", metavar="FILE", help="TOML file with a [criteria] table of thresholds")
    p.add_argument("--study", metavar="STUDY.h5",
                   help="parameter-study file (with output 'series fraction mineralised') for P10/P50/P90 bands")
    p.set_defaults(func=run)


def run(args) -> int:
    from pathlib import Path

    from ccus.reporting import report

    fmt = args.format
    if fmt is None:
        fmt = "pdf" if args.output and Path(args.output).suffix.lower() == ".pdf" else "html"
    out = report(args.store, output=args.output, format=fmt, figures=args.figures, criteria=args.criteria,
                 study=args.study)
    print(f"report: {out}")
    if args.figures:
        print(f"figures: {args.figures}")
    return 0
