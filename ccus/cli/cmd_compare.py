"""``ccus compare``: rank pilot sites side by side from result stores, or from a comparison file."""

from __future__ import annotations


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "compare",
        help="compare sites from result stores (or a comparison TOML listing experiments)",
        description="Compare pilot sites: criteria as rows, sites as columns, ranked by weights. Give result "
                    "stores (.h5), or one comparison file (.toml) listing experiments: those without an "
                    "up-to-date store are run first and saved next to it.",
    )
    p.add_argument("inputs", nargs="+", metavar="RESULT.h5|SITES.toml")
    p.add_argument("-o", "--output", help="write the comparison as HTML (.html) or CSV (.csv)")
    p.add_argument("--weights", metavar="FILE", help="TOML file with a [weights] table (criterion = weight)")
    p.add_argument("--criteria", metavar="FILE", help="TOML file with a [criteria] table of thresholds")
    p.set_defaults(func=run)


def run(args) -> int:
    from ccus.errors import ConfigError
    from ccus.reporting.comparison import compare, compare_file, format_frame, load_weights

    weights = load_weights(args.weights) if args.weights else None
    tomls = [i for i in args.inputs if i.endswith(".toml")]
    if tomls:
        if len(args.inputs) != 1:
            raise ConfigError("give either one comparison file (.toml) or result stores (.h5), not both")
        frame = compare_file(tomls[0], weights=weights, criteria=args.criteria)
    else:
        frame = compare(args.inputs, weights=weights, criteria=args.criteria)
    print(format_frame(frame))
    if args.output:
        from ccus.reporting.compare_html import write_compare

        write_compare(frame, args.output)
        print(f"comparison: {args.output}")
    return 0
