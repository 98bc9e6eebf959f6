"""Engines turn an Experiment into a Result: ``phreeqc`` (reference) and ``native``."""

from __future__ import annotations

from pathlib import Path

from ccus.errors import ConfigError, did_you_mean

ENGINES = ("phreeqc", "native")


def run(experiment, engine: str | None = None, progress: bool = False):
    """Run an experiment (object or path) with ``engine`` (default: the config's)."""
    from ccus.config.experiment import Experiment, load_experiment

    if isinstance(experiment, (str, Path)):
        experiment = load_experiment(experiment, engine=engine)
    elif not isinstance(experiment, Experiment):
        raise TypeError(f"expected an Experiment or a path, got {type(experiment).__name__}")
    name = engine or experiment.engine
    if name not in ENGINES:
        raise ConfigError(f"unknown engine {name!r}{did_you_mean(name, ENGINES)}; choose from {', '.join(ENGINES)}")
    if experiment.transport is not None and experiment.transport.feedback.enabled:
        from ccus.rock_feedback.molar_volume import check_experiment

        check_experiment(experiment)  # every mineral needs a molar volume: fail before the run, not after
    if name == "phreeqc":
        if experiment.kind == "radial":
            raise ConfigError("engine 'phreeqc' runs kind = \"linear\" transport only; use engine \"native\" for "
                              "kind = \"radial\"", file=experiment.path, key="experiment.engine")
        if experiment.kind == "linear":
            from ccus.engines.phreeqc.transport import run_linear

            return _with_plan(experiment, run_linear(experiment, progress=progress))
        from ccus.engines.phreeqc.engine import run_batch

        return _with_plan(experiment, run_batch(experiment, progress=progress))
    if experiment.kind in ("linear", "radial"):
        from ccus.engines.native.transport import run_transport

        return _with_plan(experiment, run_transport(experiment, progress=progress))
    try:
        from ccus.engines.native.engine import run_batch as run_native
    except ImportError:
        raise ConfigError(
            "engine 'native' cannot run batch experiments yet (native kinetics is not built); use engine 'phreeqc'",
            file=experiment.path, key="experiment.engine",
        ) from None
    return _with_plan(experiment, run_native(experiment, progress=progress))


def _with_plan(experiment, result):
    """Add the injection plan's figures to the result's context (for reports) and, to transport
    results (those with profiles), the rock feedback: porosity, permeability, clogging, well pressure."""
    if experiment.injection is not None:
        from ccus.injection.plan import plan

        result.context["injection"] = plan(experiment).as_context()
    if result.profiles:
        from ccus.rock_feedback import apply_feedback

        result = apply_feedback(result, experiment)
    return result
