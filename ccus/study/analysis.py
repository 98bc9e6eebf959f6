"""Sensitivity indices from a finished study (SALib analyzers).

- Morris design: ``mu``, ``mu_star``, ``mu_star_conf``, ``sigma`` (SALib
  ``analyze.morris``). Elementary effects are taken in unit space, i.e. per
  full range of each parameter, so ``mu_star`` compares parameters directly
  (same unit as the output). Trajectories holding a failed scenario or a NaN
  output (e.g. ``t90`` not reached) are left out; how many were used is given.
- Sobol design: ``S1``, ``S1_conf``, ``ST``, ``ST_conf`` (SALib
  ``analyze.sobol``); every scenario must have a finite output.
- Latin hypercube / Monte Carlo: first-order ``S1`` with confidence interval
  by RBD-FAST (SALib ``analyze.rbd_fast``, Tarantola et al. 2006; Plischke
  2010), and the Spearman rank correlation ``rho`` (sign and monotonic
  strength; scipy).
"""

from __future__ import annotations

import warnings

import numpy as np

from ccus.errors import CcusError


class AnalysisError(CcusError, ValueError):
    """Sensitivity indices cannot be computed from this study (as it stands)."""


def _problem(paths: list[str]) -> dict:
    return {"num_vars": len(paths), "names": list(paths), "bounds": [[0.0, 1.0]] * len(paths)}


def analyze(kind: str, settings: dict, paths: list[str], unit: np.ndarray | None, y: np.ndarray, *,
            output: str, conf_level: float = 0.95, seed: int = 0):
    """Indices for one output ``y`` [n] (NaN where missing); returns a DataFrame indexed by parameter."""
    import pandas as pd

    problem = _problem(paths)
    k = len(paths)
    y = np.asarray(y, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if kind == "morris":
            from SALib.analyze import morris

            size = k + 1
            ok = np.isfinite(y).reshape(-1, size).all(axis=1)
            if ok.sum() < 2:
                raise AnalysisError(f"output {output!r}: fewer than 2 complete Morris trajectories "
                                    f"({int(ok.sum())} of {len(ok)}; failed scenarios or NaN outputs)")
            rows = np.repeat(ok, size)
            r = morris.analyze(problem, unit[rows], y[rows], num_levels=settings.get("num_levels", 4),
                               conf_level=conf_level, seed=seed)
            df = pd.DataFrame({c: r[c] for c in ("mu", "mu_star", "mu_star_conf", "sigma")}, index=paths)
            df["trajectories"] = int(ok.sum())
        elif kind == "sobol":
            from SALib.analyze import sobol

            bad = int((~np.isfinite(y)).sum())
            if bad:
                raise AnalysisError(f"output {output!r}: {bad} of {len(y)} scenarios failed or gave NaN; "
                                    "Sobol indices need every scenario (rerun with retry, or pick another output)")
            r = sobol.analyze(problem, y, calc_second_order=settings.get("second_order", False),
                              conf_level=conf_level, seed=seed)
            df = pd.DataFrame({c: r[c] for c in ("S1", "S1_conf", "ST", "ST_conf")}, index=paths)
        elif kind in ("lhs", "montecarlo"):
            from SALib.analyze import rbd_fast
            from scipy.stats import spearmanr

            ok = np.isfinite(y)
            if ok.sum() < 10:
                raise AnalysisError(f"output {output!r}: only {int(ok.sum())} finite values")
            m = max(1, min(10, (int(ok.sum()) - 1) // 5))  # harmonics: the bootstrap needs n/2 > 2M
            try:
                r = rbd_fast.analyze(problem, unit[ok], y[ok], M=m, conf_level=conf_level, seed=seed)
            except (ZeroDivisionError, ValueError) as exc:
                raise AnalysisError(f"output {output!r}: RBD-FAST failed on {int(ok.sum())} values ({exc})") from None
            rho = [spearmanr(unit[ok, j], y[ok]).statistic for j in range(k)]
            df = pd.DataFrame({"S1": r["S1"], "S1_conf": r["S1_conf"], "rho": rho}, index=paths)
            df["n"] = int(ok.sum())
        else:
            raise AnalysisError(f"sensitivity indices need a morris, sobol, lhs or montecarlo design, not {kind!r}")
    df.index.name = "parameter"
    return df
