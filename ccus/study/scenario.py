"""Scenario functions: what a worker runs for one row of a design.

A scenario function takes ``{parameter path: value}`` (floats in the
parameters' units) and returns either ``{output name: float}`` or an outcome
``{"outputs": {...}, "units": {...}, "provenance": {...}}``, optionally with
``"series": {name: {"t": [days], "v": [values], "unit": str}}``. It must be
picklable (a module-level function or an instance of a module-level class),
because it travels to worker processes or Dask workers.

:class:`CcusScenario` is the scenario function of a ccus experiment: it loads
the base experiment with the parameters as key-path overrides, runs it and
keeps the outputs of interest and the provenance (plain data only, never the
Result). When the engine offers ``run_many(experiments)`` (the native engine's
``ccus.engines.native.engine.run_many``; or a dispatcher
``ccus.engines.run_many``), :attr:`CcusScenario.batch_size` is above 1 and the
executor sends several scenarios per task to :meth:`CcusScenario.run_many`,
so that the engine solves them together.
"""

from __future__ import annotations

import hashlib
import math
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ccus.study.design import Parameter
from ccus.study.outputs import Output

BATCH_SIZE = 32  # scenarios per task when the engine batches


def normalise_outcome(out) -> dict:
    """Turn what a scenario function returned into ``{"outputs", "units", "provenance"}``."""
    if isinstance(out, dict) and "outputs" in out:
        outputs = {str(k): float(v) for k, v in out["outputs"].items()}
        norm = {"outputs": outputs, "units": dict(out.get("units") or {}), "provenance": dict(out.get("provenance") or {})}
        if out.get("series"):
            norm["series"] = {str(k): {"t": [float(x) for x in s["t"]], "v": [float(x) for x in s["v"]],
                                       "unit": str(s.get("unit", "-"))} for k, s in out["series"].items()}
        return norm
    if isinstance(out, dict):
        return {"outputs": {str(k): float(v) for k, v in out.items()}, "units": {}, "provenance": {}}
    raise TypeError(f"a scenario function must return a dict, it returned {type(out).__name__}")


def _engine_run_many(engine: str):
    """The engine's batched entry point ``run_many(experiments) -> list[Result | Exception]``, or None.

    Looked up as ``ccus.engines.<engine>.engine.run_many`` (the native engine has one),
    then as a dispatcher ``ccus.engines.run_many`` should the engines package add one.
    """
    import importlib

    try:
        mod = importlib.import_module(f"ccus.engines.{engine}.engine")
    except ImportError:
        mod = None
    fn = getattr(mod, "run_many", None)
    if fn is None:
        import ccus.engines as engines

        fn = getattr(engines, "run_many", None)
    return fn


@dataclass(frozen=True)
class CcusScenario:
    """Run the base experiment with parameter overrides and evaluate the outputs.

    Parameters
    ----------
    base
        Absolute path of the base experiment TOML.
    text
        Its text; used on workers that do not see ``base`` (written to a
        local temporary file; site and rock must then be referred to by name).
    parameters
        The study parameters (for units: values become ``"<x> <unit>"``).
    outputs
        Outputs of interest.
    engine
        Engine override (None: the experiment's).
    """

    base: str
    text: str
    parameters: tuple[Parameter, ...]
    outputs: tuple[Output, ...]
    engine: str | None = None

    @classmethod
    def from_path(cls, base, parameters, outputs, engine=None) -> CcusScenario:
        from ccus.config.reader import read_toml

        path = Path(base).resolve()
        _, text = read_toml(path)
        return cls(str(path), text, tuple(parameters), tuple(outputs), engine)

    # -- worker side -----------------------------------------------------------
    def _path(self) -> str:
        p = Path(self.base)
        if p.exists() and p.read_text(encoding="utf-8") == self.text:
            return self.base
        digest = hashlib.sha256(self.text.encode()).hexdigest()[:16]
        local = Path(tempfile.gettempdir()) / f"ccus-study-{digest}" / p.name
        if not local.exists():
            local.parent.mkdir(parents=True, exist_ok=True)
            tmp = local.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(self.text, encoding="utf-8")
            os.replace(tmp, local)
        return str(local)

    def experiment(self, params: dict[str, float]):
        from ccus.config.experiment import load_experiment

        by_path = {p.path: p for p in self.parameters}
        overrides = {k: by_path[k].override_value(v) if k in by_path else v for k, v in params.items()}
        return load_experiment(self._path(), engine=self.engine, overrides=overrides)

    def outcome(self, result) -> dict:
        outputs, units, series = {}, {}, {}
        for o in self.outputs:
            if o.is_series:
                series[o.arg] = o.evaluate_series(result)
                continue
            v, u = o.evaluate(result)
            outputs[o.name], units[o.name] = (v if math.isfinite(v) else math.nan), u
        prov = {k: v for k, v in result.provenance.items() if k != "config_text"}
        out = {"outputs": outputs, "units": units, "provenance": prov}
        if series:
            out["series"] = series
        return out

    def __call__(self, params: dict[str, float]) -> dict:
        from ccus.engines import run

        return self.outcome(run(self.experiment(params), engine=self.engine))

    # -- batching hook ------------------------------------------------------------
    @property
    def engine_name(self) -> str:
        """The engine that runs the scenarios: the override, else the base file's ``experiment.engine``."""
        if self.engine:
            return self.engine
        import tomllib

        from ccus.config.experiment import DEFAULT_ENGINE

        try:
            exp = tomllib.loads(self.text).get("experiment", {})
            return str(exp.get("engine", DEFAULT_ENGINE.get(str(exp.get("kind", "batch")), "phreeqc")))
        except tomllib.TOMLDecodeError:
            return "phreeqc"

    @property
    def batch_size(self) -> int:
        """Scenarios per task: > 1 only when the engine can solve several together."""
        return BATCH_SIZE if _engine_run_many(self.engine_name) is not None else 1

    def run_many(self, many: list[dict[str, float]]) -> list[dict | BaseException]:
        """Run several scenarios; each item is an outcome or the exception it raised."""
        run_many = _engine_run_many(self.engine_name)
        exps: list = []
        out: list = [None] * len(many)
        for i, params in enumerate(many):
            try:
                exps.append((i, self.experiment(params)))
            except Exception as exc:  # invalid combination: recorded, others go on
                out[i] = exc
        if run_many is None:
            from ccus.engines import run

            for i, e in exps:
                try:
                    out[i] = self.outcome(run(e, engine=self.engine))
                except Exception as exc:
                    out[i] = exc
            return out
        results = run_many([e for _, e in exps])
        for (i, _), r in zip(exps, results, strict=True):
            try:
                out[i] = r if isinstance(r, BaseException) else self.outcome(r)
            except Exception as exc:
                out[i] = exc
        return out
