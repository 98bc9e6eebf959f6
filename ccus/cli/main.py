"""``ccus`` command line: ``run``, ``show``, ``validate``.

Bad input prints one line ``error: <file>: <key.path>: <what is wrong>`` and
exits with code 2 (no traceback unless ``--debug``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ccus.errors import CcusError

EXIT_BAD_INPUT = 2


def _summary_rows(result) -> list[tuple[str, object]]:
    s = result.summary()
    rows = [("experiment", result.name), ("engine", result.provenance.get("engine", "?"))]
    rows += [(k, v) for k, v in s.items()]
    return rows


def cmd_run(args) -> int:
    import ccus
    from ccus.cli.format import table

    exp = ccus.load_experiment(args.config) if args.engine is None else _load_with_engine(args.config, args.engine)
    out = Path(args.output) if args.output else Path(f"{exp.name}.h5")
    t0 = time.perf_counter()
    result = ccus.run(exp, progress=not args.quiet)
    elapsed = time.perf_counter() - t0
    result.save(out)
    print(table(_summary_rows(result) + [("run time", f"{elapsed:.1f} s"), ("store", str(out))], title=f"ccus run: {exp.name}"))
    return 0


def _load_with_engine(path, engine):
    from ccus.config.experiment import load_experiment

    return load_experiment(path, engine=engine)


def cmd_show(args) -> int:
    import ccus
    from ccus.cli.format import table

    result = ccus.load_result(args.store)
    prov = result.provenance
    keys = ["ccus_version", "git_revision", "engine", "engine_version", "database", "database_sha256",
            "experiment_path", "config_sha256", "started_utc", "finished_utc"]
    print(table([(k, prov.get(k)) for k in keys] + [("solver", prov.get("solver"))], title=f"provenance: {args.store}"))
    print()
    print(table(_summary_rows(result), title="summary"))
    if args.config:
        print()
        print(prov.get("config_text", ""))
    return 0


def cmd_validate(args) -> int:
    import pandas as pd

    panels = ("speciation", "batch", "transport") if args.only is None else (args.only,)
    experiments = _batch_experiment_paths(args.experiment, panels)
    ok = True
    with pd.option_context("display.width", 250, "display.max_columns", 30):
        if "speciation" in panels:
            from ccus.validation.speciation_panel import run_speciation_panel

            frame, good = run_speciation_panel(quick=args.quick)
            print("== speciation panel: native speciation vs PHREEQC (pH 0.01, SI 0.02, molalities 0.5 %)")
            print(frame.to_string())
            print("all within tolerance" if good else "OUT OF TOLERANCE")
            ok &= good
        if "batch" in panels:
            from ccus.validation.batch_panel import QUICK_DURATION, run_batch_panel

            frame, good = run_batch_panel(quick=args.quick, experiments=experiments)
            if "speciation" in panels:
                print()
            span = f"first {QUICK_DURATION.to('day').magnitude:g} d of each" if args.quick else "every output time"
            print(f"== batch panel: native engine vs PHREEQC engine, {span} (diff_over_tol <= 1 passes)")
            cols = ["experiment", "quantity", "unit", "max_diff", "time_d", "phreeqc", "native", "tolerance",
                    "diff_over_tol", "within_tolerance"]
            print(frame[cols].to_string(index=False))
            for _, row in frame[frame["note"] != ""].iterrows():
                print(f"{row['experiment']}: {row['quantity']}: {row['note']}")
            runs = pd.DataFrame(frame.attrs["runs"])
            if len(runs):
                print()
                print(runs[["experiment", "duration_d", "output_times", "phreeqc_s", "native_s", "phreeqc_tol_mol",
                            "native_rtol"]].to_string(index=False))
            print("all within tolerance" if good else "OUT OF TOLERANCE")
            ok &= good
        if "transport" in panels:
            from ccus.validation.transport_panel import run_transport_panel

            frame, good = run_transport_panel(quick=args.quick)
            if len(panels) > 1:
                print()
            print("== transport panel: native transport vs PHREEQC TRANSPORT, 6 cells, every cell and shift "
                  "(diff_over_tol <= 1 passes)")
            cols = ["quantity", "unit", "max_diff", "time_d", "cell", "phreeqc", "native", "tolerance",
                    "diff_over_tol", "within_tolerance"]
            print(frame[cols].to_string(index=False))
            for _, row in frame[frame["note"] != ""].iterrows():
                print(f"{row['quantity']}: {row['note']}")
            run = frame.attrs["runs"][0]
            print(f"duration {run['duration']}; PHREEQC {run.get('phreeqc_s', float('nan')):.1f} s, "
                  f"native {run.get('native_s', float('nan')):.1f} s")
            print("all within tolerance" if good else "OUT OF TOLERANCE")
            ok &= good
    return 0 if ok else 1


def _batch_experiment_paths(paths, panels):
    """Experiment files given with ``--experiment``, checked up front (bad input: exit 2)."""
    from ccus.errors import ConfigError

    if not paths:
        return None
    if "batch" not in panels:
        raise ConfigError("--experiment selects experiments for the batch panel; it cannot be used with --only speciation or --only transport")
    from ccus.config.experiment import load_experiment

    for p in paths:
        exp = load_experiment(p)
        if exp.kind != "batch":
            raise ConfigError(f"the batch panel compares batch experiments; found kind {exp.kind!r}",
                              file=p, key="experiment.kind")
    return [Path(p) for p in paths]


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="ccus", description="CarbFix-style CO2 mineralisation in basalt")
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    p.add_argument("--version", action="store_true", help="print the version and exit")
    sub = p.add_subparsers(dest="command")
    r = sub.add_parser("run", help="run an experiment config and write an HDF5 store")
    r.add_argument("config")
    r.add_argument("-o", "--output", help="output store (default: <experiment name>.h5)")
    r.add_argument("--engine", choices=["phreeqc", "native"], help="override the config's engine")
    r.add_argument("-q", "--quiet", action="store_true", help="no progress indicator")
    r.set_defaults(func=cmd_run)
    s = sub.add_parser("show", help="print a store's provenance and summary")
    s.add_argument("store")
    s.add_argument("--config", action="store_true", help="also print the experiment config text")
    s.set_defaults(func=cmd_show)
    v = sub.add_parser("validate", help="native engine vs PHREEQC agreement tables (speciation, batch and transport panels)")
    v.add_argument("--quick", action="store_true",
                   help="fewer waters; batch experiments and the transport case cut to their first 30 days")
    v.add_argument("--only", choices=["speciation", "batch", "transport"], help="run one panel only")
    v.add_argument("--experiment", nargs="+", metavar="PATH",
                   help="batch experiments to compare (default: every batch experiment in experiments/)")
    v.set_defaults(func=cmd_validate)
    for name in COMMAND_MODULES:
        _register(sub, name)
    return p


# Further sub-commands live in their own modules ``ccus/cli/cmd_<name>.py``, each with a
# ``register(subparsers)`` function that adds its parser and sets ``func``.
COMMAND_MODULES = ("plan", "report", "compare", "sweep")


def _register(sub, name: str) -> None:
    import importlib

    modname = f"ccus.cli.cmd_{name}"
    try:
        mod = importlib.import_module(modname)
    except ModuleNotFoundError as exc:
        if exc.name == modname:  # that command is not part of this build yet
            return
        raise
    mod.register(sub)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        import ccus

        print(f"ccus {ccus.__version__}")
        return 0
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        return args.func(args)
    except CcusError as exc:
        if args.debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # output piped into e.g. `head`
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
