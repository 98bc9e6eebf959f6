"""A study read back from its file: design, scenario table, uncertainty and sensitivity."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ccus.study.design import Parameter, design_from_settings
from ccus.study.store import read_study


class Study:
    """A study file's content (including scenarios still in the journal of a running study).

    Attributes
    ----------
    path
        The study file.
    meta
        What was asked: name, base experiment (path, text, sha256), parameters,
        design settings, outputs, engine, versions, creation time.
    values
        Design matrix [n, k] in the parameters' units.
    unit
        Unit-hypercube points [n, k] of sampling designs, else None.
    records
        ``scenario id -> record`` of finished scenarios (status, message,
        outputs, units, provenance, elapsed [s], finished (UTC), worker).
    """

    def __init__(self, path):
        self.path = Path(path)
        self.meta, self.values, self.unit, self.records = read_study(self.path)

    def __repr__(self) -> str:
        return (f"<Study {self.name!r}: {len(self.values)} scenarios, {self.n_done} done, "
                f"{self.n_failed} failed, {self.n_pending} pending ({self.path})>")

    # -- what was asked --------------------------------------------------------
    @property
    def name(self) -> str:
        return self.meta.get("name", self.path.stem)

    @property
    def parameters(self) -> list[Parameter]:
        return [Parameter(**p) for p in self.meta["parameters"]]

    @property
    def design(self):
        return design_from_settings(self.meta["design"])

    @property
    def outputs(self) -> list[str]:
        names = list(self.meta.get("outputs") or [])
        for r in self.records.values():
            names += [k for k in r.get("outputs", {}) if k not in names]
        return names

    # -- progress ----------------------------------------------------------------
    def _count(self, status: str) -> int:
        return sum(1 for r in self.records.values() if r["status"] == status)

    @property
    def n_done(self) -> int:
        return self._count("done")

    @property
    def n_failed(self) -> int:
        return self._count("failed")

    @property
    def n_pending(self) -> int:
        return len(self.values) - len(self.records)

    @property
    def complete(self) -> bool:
        return self.n_pending == 0

    # -- tables ------------------------------------------------------------------
    def units(self) -> dict[str, str]:
        u: dict[str, str] = {}
        for r in self.records.values():
            for k, v in (r.get("units") or {}).items():
                u.setdefault(k, v)
        return u

    def output(self, name: str) -> np.ndarray:
        """Values of output ``name`` for every scenario in design order (NaN if failed or pending)."""
        y = np.full(len(self.values), math.nan)
        for sid, r in self.records.items():
            if r["status"] == "done":
                v = (r.get("outputs") or {}).get(name)
                y[sid] = math.nan if v is None else float(v)
        return y

    @property
    def frame(self):
        """One row per scenario (index ``scenario``): inputs ``"path [unit]"``, outputs
        ``"name [unit]"``, ``status`` (done / failed / pending), ``message``, ``elapsed [s]``."""
        import pandas as pd

        params = self.parameters
        data = {p.column: self.values[:, j] for j, p in enumerate(params)}
        units = self.units()
        for name in self.outputs:
            data[f"{name} [{units.get(name, '-')}]"] = self.output(name)
        n = len(self.values)
        status, message, elapsed = ["pending"] * n, [""] * n, np.full(n, math.nan)
        for sid, r in self.records.items():
            status[sid], message[sid], elapsed[sid] = r["status"], r.get("message", ""), r.get("elapsed", math.nan)
        data["status"], data["message"], data["elapsed [s]"] = status, message, elapsed
        df = pd.DataFrame(data)
        df.index.name = "scenario"
        return df

    def provenance(self, scenario: int) -> dict:
        """Provenance of one finished scenario (the base config text is in ``meta['base_text']``)."""
        return dict(self.records[scenario].get("provenance") or {})

    @property
    def series_names(self) -> list[str]:
        """Names of the ``series`` outputs kept per scenario."""
        names = list(self.meta.get("series") or [])
        for r in self.records.values():
            names += [k for k in (r.get("series") or {}) if k not in names]
        return names

    def series(self, name: str):
        """A ``series`` output of every finished scenario: DataFrame indexed by time [d], one column per
        scenario id (values interpolated onto the time grid of the first scenario when grids differ)."""
        import pandas as pd

        from ccus.errors import did_you_mean

        got = {sid: r["series"][name] for sid, r in sorted(self.records.items())
               if r["status"] == "done" and name in (r.get("series") or {})}
        if not got:
            raise KeyError(f"no series {name!r} in {self.path}{did_you_mean(name, self.series_names)}")
        first = next(iter(got.values()))
        t = np.asarray(first["t"], dtype=float)
        cols = {}
        for sid, s in got.items():
            ts, vs = np.asarray(s["t"], dtype=float), np.asarray(s["v"], dtype=float)
            same = len(ts) == len(t) and np.allclose(ts, t, rtol=1e-12, atol=0)
            cols[sid] = vs if same else np.interp(t, ts, vs, left=np.nan, right=np.nan)
        df = pd.DataFrame(cols, index=pd.Index(t, name="time [d]"))
        df.columns.name = f"{name} [{first.get('unit', '-')}] by scenario"
        return df

    def band(self, name: str, q=(0.05, 0.5, 0.95)):
        """Quantiles over scenarios of a ``series`` output at each time: the uncertainty band."""
        df = self.series(name)
        arr = df.to_numpy()
        out = {f"q{round(100 * x, 6):g}": np.nanquantile(arr, x, axis=1) for x in q}
        import pandas as pd

        return pd.DataFrame(out, index=df.index)

    def quantiles(self, q=(0.05, 0.5, 0.95)):
        """Quantiles of every output over the finished scenarios (the spread of the answer).

        Meaningful for Monte Carlo and Latin hypercube designs, whose scenarios
        follow the parameters' distributions. NaN outputs (e.g. ``t90`` not
        reached) are left out; ``n`` says how many values were used.
        """
        import pandas as pd

        units = self.units()
        rows = {}
        for name in self.outputs:
            y = self.output(name)
            y = y[np.isfinite(y)]
            row = {f"q{round(100 * x, 6):g}": (float(np.quantile(y, x)) if len(y) else math.nan) for x in q}
            row["mean"] = float(y.mean()) if len(y) else math.nan
            row["n"] = len(y)
            rows[f"{name} [{units.get(name, '-')}]"] = row
        return pd.DataFrame(rows).T

    def sensitivity(self, outputs: list[str] | str | None = None, conf_level: float = 0.95, seed: int = 0):
        """Sensitivity indices per output (see :mod:`ccus.study.analysis`).

        Returns a DataFrame indexed by (output, parameter).
        """
        import pandas as pd

        from ccus.study.analysis import AnalysisError, analyze

        if isinstance(outputs, str):
            outputs = [outputs]
        outputs = outputs or self.outputs
        for o in outputs:
            if o not in self.outputs:
                from ccus.errors import did_you_mean

                raise AnalysisError(f"no output {o!r} in {self.path}{did_you_mean(o, self.outputs)}; "
                                    f"outputs: {', '.join(self.outputs)}")
        paths = [p.path for p in self.parameters]
        kind = self.meta["design"]["kind"]
        frames = {o: analyze(kind, self.meta["design"], paths, self.unit, self.output(o), output=o,
                             conf_level=conf_level, seed=seed) for o in outputs}
        return pd.concat(frames, names=["output", "parameter"])
