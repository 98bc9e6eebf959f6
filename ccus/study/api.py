"""Public functions of ``ccus.study``: sweep, sample, run, sensitivity, load."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ccus.errors import ConfigError
from ccus.study.config import StudySpec, check_parameters, load_study
from ccus.study.design import Design, Grid, LatinHypercube, MonteCarlo, Parameter
from ccus.study.executor import StudyRunError, execute
from ccus.study.outputs import DEFAULT_OUTPUTS, Output
from ccus.study.store import StudyWriter
from ccus.study.study import Study

Base = str | Path | Callable


def load(path) -> Study:
    """Read a study file (with any scenarios still in its journal)."""
    return Study(path)


def _outputs(outputs) -> tuple[Output, ...]:
    return tuple(o if isinstance(o, Output) else Output.parse(o) for o in (outputs or DEFAULT_OUTPUTS))


def _spec(base: Base, parameters, design: Design, outputs, engine, name) -> StudySpec:
    if not isinstance(base, (str, Path)) and not callable(base):
        raise TypeError(f"base must be an experiment file or a scenario function, got {type(base).__name__}")
    if isinstance(base, (str, Path)):
        base = str(Path(base).resolve())
        name = name or Path(base).stem + "_study"
    else:
        name = name or getattr(base, "__name__", type(base).__name__) + "_study"
    spec = StudySpec(name=name, base=base, parameters=tuple(parameters), design=design,
                     outputs=_outputs(outputs), engine=engine)
    if spec.is_experiment:
        check_parameters(spec)
    return spec


def run(
    study: StudySpec | str | Path,
    store: str | Path | None = None,
    *,
    workers: int | None = None,
    client=None,
    scheduler: str | None = None,
    batch_size: int | None = None,
    retry_failed: bool = False,
    progress: bool = True,
) -> Study:
    """Run a study (a :class:`StudySpec` or a study TOML file) into ``store`` and return it.

    Parameters
    ----------
    study
        What to run.
    store
        The study file (HDF5). If it exists and holds the same study, finished
        scenarios are skipped (resume); if it holds another study,
        :class:`~ccus.study.store.StudyStoreError`. Default: a new file in a
        temporary folder (not resumable).
    workers
        Local worker processes (default: CPU count; 0 = in this process).
    client, scheduler
        A ``distributed.Client`` or a scheduler address to run on Dask instead.
    batch_size
        Scenarios per task (default: 1, or the engine's batch size when it can
        solve several scenarios in one call).
    retry_failed
        Also rerun scenarios recorded as failed.
    progress
        Progress line on stderr (done / failed / ETA).

    Raises
    ------
    StudyRunError
        If scenarios were lost because a worker died (the others are saved;
        run again to resume).
    """
    spec = load_study(study) if isinstance(study, (str, Path)) else study
    if store is None:
        store = Path(tempfile.mkdtemp(prefix="ccus-study-")) / f"{spec.name}.h5"
    values, unit = spec.design.matrix(list(spec.parameters))
    paths = [p.path for p in spec.parameters]
    fn = spec.scenario_function()
    with StudyWriter(store, spec.meta(), values, unit) as writer:
        finished = writer.records
        todo = [i for i in range(len(values))
                if i not in finished or (retry_failed and finished[i]["status"] == "failed")]
        scenarios = [(i, {p: float(x) for p, x in zip(paths, values[i], strict=True)}) for i in todo]
        stats = execute(fn, scenarios, writer.append, workers=workers, client=client, scheduler=scheduler,
                        batch_size=batch_size, progress=progress)
    if stats["lost"]:
        raise StudyRunError(f"{store}: {stats['lost']} scenarios were lost ({stats['lost_reason']}); "
                            "the others are saved: run the study again to resume")
    return Study(store)


def sweep(
    base: Base,
    grid: Mapping[str, Sequence[Any]],
    store=None,
    *,
    outputs: Sequence[str] | None = None,
    engine: str | None = None,
    name: str | None = None,
    **run_options,
) -> Study:
    """Full-factorial sweep over explicit values.

    ``grid`` maps key paths (or argument names of a scenario function) to
    values: quantities, strings with units (``"50 degC"``) or numbers, e.g.
    ``sweep("experiments/carbfix1_batch.toml", {"experiment.temperature":
    ["20 degC", "35 degC", "50 degC"], "batch.rock_mass": ["10 kg", "31 kg"]})``.
    ``run_options`` go to :func:`run` (workers, client, scheduler, ...).
    """
    if not grid:
        raise ConfigError("sweep: give at least one key path with values")
    params = [Parameter.discrete(path, list(vals)) for path, vals in grid.items()]
    spec = _spec(base, params, Grid(), outputs, engine, name)
    return run(spec, store, **run_options)


def sample(
    base: Base,
    parameters: Sequence[Parameter],
    store=None,
    *,
    design: Design | None = None,
    n: int = 64,
    method: str = "lhs",
    seed: int = 0,
    outputs: Sequence[str] | None = None,
    engine: str | None = None,
    name: str | None = None,
    **run_options,
) -> Study:
    """Sample the parameters' distributions and run every scenario (uncertainty).

    ``design`` is any :mod:`ccus.study.design` design (``Morris``, ``Sobol``
    for sensitivity); without it, ``method`` ``"lhs"`` (Latin hypercube) or
    ``"montecarlo"`` with ``n`` scenarios and ``seed``. The spread of the
    answer is then ``study.quantiles()``.
    """
    if design is None:
        if method not in ("lhs", "montecarlo"):
            raise ConfigError(f"sample: method must be 'lhs' or 'montecarlo', found {method!r}")
        design = (LatinHypercube if method == "lhs" else MonteCarlo)(n=n, seed=seed)
    spec = _spec(base, parameters, design, outputs, engine, name)
    return run(spec, store, **run_options)


def sensitivity(study: Study | str | Path, outputs: Sequence[str] | str | None = None, *,
                conf_level: float = 0.95, seed: int = 0):
    """Sensitivity indices of a finished study (Morris mu*/sigma, Sobol S1/ST, delta), with
    confidence intervals; a DataFrame indexed by (output, parameter).

    Run the study first with a ``Morris`` or ``Sobol`` design (``sample(...,
    design=Morris(trajectories=10))`` or a study file with ``[design] kind =
    "morris"``).
    """
    if not isinstance(study, Study):
        study = Study(study)
    return study.sensitivity(outputs, conf_level=conf_level, seed=seed)


__all__ = ["StudyRunError", "load", "run", "sample", "sensitivity", "sweep"]
