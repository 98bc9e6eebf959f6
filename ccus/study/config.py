"""Study files (``experiments/*_study.toml``, ``*_sensitivity.toml``).

Example::

    [study]
    name = "carbfix1_sensitivity"
    base = "carbfix1_batch.toml"        # relative to this file
    engine = "phreeqc"                  # optional: overrides the base's engine
    outputs = ["fraction mineralised at 1 yr", "t50", "final pH"]

    [design]
    kind = "morris"                     # grid | lhs | montecarlo | morris | sobol
    trajectories = 6                    # morris: trajectories, levels, seed
    levels = 4                          # grid: levels; lhs/montecarlo: n, seed
    seed = 1                            # sobol: n (power of 2), second_order, seed

    [parameters."rock.minerals.glass.specific_surface_area"]
    distribution = "loguniform"         # uniform | loguniform | normal | triangular | discrete
    low = "0.001 m^2/g"
    high = "0.1 m^2/g"

Parameters are key paths of the base experiment (see
:func:`ccus.config.experiment.load_experiment`). Values are quantities with
units (``"20 degC"``) or plain numbers; ``discrete`` takes ``values = [...]``.
The base experiment is loaded once with every parameter at mid-range, so a
mistyped path or a unit of the wrong dimension is reported before anything
runs.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ccus.config.reader import Section, read_toml
from ccus.errors import ConfigError
from ccus.study.design import (
    DESIGNS,
    DISTRIBUTIONS,
    Design,
    Grid,
    LatinHypercube,
    MonteCarlo,
    Morris,
    Parameter,
    Sobol,
)
from ccus.study.outputs import DEFAULT_OUTPUTS, Output

STUDY_KEYS = {"name", "description", "base", "engine", "outputs", "note"}
DESIGN_KEYS = {
    "grid": {"kind", "levels", "note"},
    "lhs": {"kind", "n", "seed", "note"},
    "montecarlo": {"kind", "n", "seed", "note"},
    "morris": {"kind", "trajectories", "levels", "seed", "note"},
    "sobol": {"kind", "n", "second_order", "seed", "note"},
}
PARAM_KEYS = {"distribution", "low", "high", "mean", "sd", "mode", "values", "unit", "note"}


@dataclass(frozen=True)
class StudySpec:
    """What a study runs: a base (experiment file or scenario function), parameters, design, outputs."""

    name: str
    base: Any  # path of the base experiment, or a scenario function
    parameters: tuple[Parameter, ...]
    design: Design
    outputs: tuple[Output, ...] = tuple(Output.parse(o) for o in DEFAULT_OUTPUTS)
    engine: str | None = None
    description: str = ""
    path: str | None = None  # the study file, if any
    text: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def is_experiment(self) -> bool:
        return isinstance(self.base, (str, Path))

    def scenario_function(self):
        """The picklable function a worker calls for one scenario."""
        if not self.is_experiment:
            return self.base
        from ccus.study.scenario import CcusScenario

        return CcusScenario.from_path(self.base, self.parameters, self.outputs, self.engine)

    def meta(self) -> dict:
        """Study-level metadata stored in the study file."""
        import ccus
        from ccus.provenance import git_revision, utc_now

        if self.is_experiment:
            base_path = str(Path(self.base).resolve())
            base_text = read_toml(base_path)[1]
            base_id = hashlib.sha256(base_text.encode()).hexdigest()
        else:
            fn = self.base
            qual = getattr(fn, "__qualname__", None)
            base_path = f"{fn.__module__}.{qual}" if qual else repr(fn)
            base_text = repr(fn) if qual is None else base_path
            base_id = hashlib.sha256(base_text.encode()).hexdigest()
        return {
            "name": self.name, "description": self.description,
            "base": base_path, "base_kind": "experiment" if self.is_experiment else "function",
            "base_text": base_text, "base_sha256": base_id,
            "study_path": self.path, "study_text": self.text,
            "parameters": [p.to_dict() for p in self.parameters],
            "design": self.design.settings(),
            "outputs": [o.name for o in self.outputs if not o.is_series] if self.is_experiment else [],
            "series": [o.arg for o in self.outputs if o.is_series] if self.is_experiment else [],
            "engine": self.engine,
            "ccus_version": ccus.__version__, "git_revision": git_revision(), "created_utc": utc_now(),
        }


def _value(sec: Section, key: str, unit: str | None) -> tuple[float, str | None]:
    """A number or a quantity string; returns (magnitude in ``unit``, unit)."""
    import pint

    from ccus.units import Q_

    raw = sec.raw(key)
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise sec.error(key, f"expected a number or a quantity such as '20 degC', found {raw!r}")
    if isinstance(raw, (int, float)):
        return float(raw), unit
    try:
        q = Q_(raw)
    except Exception:
        raise sec.error(key, f"cannot read {raw!r} as a quantity (expected e.g. '0.01 m^2/g')") from None
    if not isinstance(q, pint.Quantity):
        return float(q), unit
    if unit is None:
        return (float(q.to("dimensionless").magnitude), None) if q.dimensionless else (float(q.magnitude), f"{q.units:~C}")
    try:
        return float(q.to(unit).magnitude), unit
    except pint.DimensionalityError:
        raise sec.error(key, f"{raw!r} cannot be expressed in {unit!r} (the parameter's unit)") from None


def _parameter(sec: Section, path: str) -> Parameter:
    sec.check_keys(PARAM_KEYS)
    dist = sec.string("distribution", "uniform", choices=list(DISTRIBUTIONS))
    unit = sec.string("unit", None)
    need = {"uniform": ("low", "high"), "loguniform": ("low", "high"), "normal": ("mean", "sd"),
            "triangular": ("low", "mode", "high"), "discrete": ("values",)}[dist]
    for key in PARAM_KEYS - {"distribution", "unit", "note"} - set(need):
        if sec.has(key):
            raise sec.error(key, f"a {dist} parameter takes {', '.join(need)}, not {key!r}")
    for key in need:
        if not sec.has(key):
            raise sec.error(key, f"required key is missing (a {dist} parameter needs {', '.join(need)})")
    try:
        if dist == "discrete":
            raw = sec.raw("values")
            if not isinstance(raw, list) or not raw:
                raise sec.error("values", f"expected a non-empty list such as ['20 degC', '35 degC'], found {raw!r}")
            vals = []
            for i, _ in enumerate(raw):
                v, unit = _value(Section({f"values[{i}]": raw[i]}, sec.file, sec.key), f"values[{i}]", unit)
                vals.append(v)
            return Parameter(path, "discrete", values=tuple(vals), unit=unit)
        got: dict[str, float] = {}
        for key in need:
            got[key], unit = _value(sec, key, unit)
        return Parameter(path, dist, unit=unit, **got)
    except ConfigError as exc:
        if exc.file is None:  # from Parameter.__post_init__
            raise ConfigError(exc.message.split(": ", 1)[-1], file=sec.file, key=sec.key) from None
        raise


def _design(sec: Section) -> Design:
    kind = sec.string("kind", choices=list(DESIGNS))
    sec.check_keys(DESIGN_KEYS[kind])
    seed = sec.integer("seed", 0, minimum=0) if "seed" in DESIGN_KEYS[kind] else 0
    try:
        if kind == "grid":
            return Grid(levels=sec.integer("levels", 3, minimum=1, maximum=1000))
        if kind == "lhs":
            return LatinHypercube(n=sec.integer("n", minimum=1), seed=seed)
        if kind == "montecarlo":
            return MonteCarlo(n=sec.integer("n", minimum=1), seed=seed)
        if kind == "morris":
            return Morris(trajectories=sec.integer("trajectories", 10, minimum=2),
                          num_levels=sec.integer("levels", 4, minimum=2, maximum=100), seed=seed)
        return Sobol(n=sec.integer("n", minimum=2), second_order=sec.boolean("second_order", False), seed=seed)
    except ConfigError as exc:
        if exc.file is None:
            raise ConfigError(exc.message.split(": ", 1)[-1], file=sec.file, key=sec.path("n")) from None
        raise


def check_parameters(spec: StudySpec) -> None:
    """Try each parameter on the base experiment; report paths or units it never accepts.

    Each parameter is tried alone (the others at their base values) at
    mid-range, then at the ends of its range; it is an error only when no
    value is accepted (a mistyped key path, a unit of the wrong dimension). A
    combination that is invalid for some scenarios is not an error here: those
    scenarios are recorded as failed and the others run.
    """
    from ccus.config.experiment import load_experiment

    for p in spec.parameters:
        first = None
        for u in (0.5, 0.0, 1.0):
            try:
                load_experiment(spec.base, engine=spec.engine,
                                overrides={p.path: p.override_value(float(p.from_unit([u])[0]))})
                break
            except ConfigError as exc:
                first = first or exc
        else:
            raise ConfigError(f"the base experiment accepts no value of this parameter: {first}",
                              file=spec.path, key=f"parameters.{p.path}") from None


def load_study(path: str | Path, *, check: bool = True) -> StudySpec:
    """Read and validate a study file; ``check`` also tries the parameters on the base experiment."""
    path = Path(path)
    doc, text = read_toml(path)
    f = str(path)
    root = Section(doc, f)
    root.check_keys({"study", "design", "parameters"})
    st = root.section("study")
    st.check_keys(STUDY_KEYS)
    base_ref = st.string("base")
    base = Path(base_ref)
    if not base.is_absolute():
        base = path.parent / base
    if not base.exists():
        raise st.error("base", f"base experiment {base_ref!r} not found (looked at {base})")
    engine = st.string("engine", None, choices=["phreeqc", "native"]) if st.has("engine") else None
    raw_out = st.raw("outputs", list(DEFAULT_OUTPUTS))
    if not isinstance(raw_out, list) or not raw_out:
        raise st.error("outputs", f"expected a list of outputs such as ['t90', 'final pH'], found {raw_out!r}")
    outputs = tuple(Output.parse(o, file=f, key=f"study.outputs[{i}]") for i, o in enumerate(raw_out))
    design = _design(root.section("design"))
    psec = root.section("parameters")
    if not psec.data:
        raise psec.error(None, "a study needs at least one parameter")
    params = []
    for p, sub in psec.items():
        params.append(_parameter(sub, p))
    spec = StudySpec(name=st.string("name", path.stem), base=str(base.resolve()), parameters=tuple(params),
                     design=design, outputs=outputs, engine=engine, description=st.string("description", ""),
                     path=f, text=text)
    if check:
        check_parameters(spec)
    return spec
