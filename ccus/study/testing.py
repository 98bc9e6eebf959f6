"""Cheap scenario functions with known answers, for tests, benchmarks and docs.

They are module-level (picklable by reference), take ``{name: value}`` and
return ``{output: value}``, like any scenario function.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

ISHIGAMI_A, ISHIGAMI_B = 7.0, 0.1


def ishigami(params: dict[str, float]) -> dict[str, float]:
    """Ishigami function of ``x1, x2, x3`` (each uniform on [-pi, pi]); output ``y``.

    Exact Sobol indices (a = 7, b = 0.1; Ishigami & Homma 1990; Saltelli et al.
    2008, Global Sensitivity Analysis: The Primer, sec. 4.6) are in
    :func:`ishigami_indices`.
    """
    x1, x2, x3 = params["x1"], params["x2"], params["x3"]
    y = math.sin(x1) + ISHIGAMI_A * math.sin(x2) ** 2 + ISHIGAMI_B * x3**4 * math.sin(x1)
    return {"y": y}


def ishigami_indices(a: float = ISHIGAMI_A, b: float = ISHIGAMI_B) -> dict[str, dict[str, float]]:
    """Exact first-order (S1) and total (ST) Sobol indices of the Ishigami function."""
    pi = math.pi
    v1 = 0.5 * (1 + b * pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * pi**8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return {"S1": {"x1": v1 / v, "x2": v2 / v, "x3": 0.0},
            "ST": {"x1": (v1 + v13) / v, "x2": v2 / v, "x3": v13 / v}}


def linear(params: dict[str, float]) -> dict[str, float]:
    """``y = sum_i (i + 1) * x_i`` over the parameters in name order, ``z = y^2``."""
    y = sum((i + 1) * params[k] for i, k in enumerate(sorted(params)))
    return {"y": y, "z": y * y}


@dataclass(frozen=True)
class Slow:
    """``linear`` after sleeping ``seconds``; fails (ValueError) where ``fail_above`` < x.

    ``x`` is the first parameter in name order. The failure mimics an invalid
    parameter combination.
    """

    seconds: float = 0.05
    fail_above: float | None = None

    def __call__(self, params: dict[str, float]) -> dict[str, float]:
        time.sleep(self.seconds)
        x = params[sorted(params)[0]]
        if self.fail_above is not None and x > self.fail_above:
            raise ValueError(f"invalid combination: x = {x:g} > {self.fail_above:g}")
        return linear(params)


@dataclass(frozen=True)
class DieOnce:
    """``linear``, but the worker process dies (``os._exit``) on the first scenario with
    ``params[name] == value``, once (a marker file remembers it): a crashed worker."""

    marker: str
    name: str = "a"
    value: float = 0.0

    def __call__(self, params: dict[str, float]) -> dict[str, float]:
        import os

        if params[self.name] == self.value and not os.path.exists(self.marker):
            with open(self.marker, "w") as fh:
                fh.write("died\n")
            os._exit(1)
        return linear(params)


def batch_variants(base, n: int, seed: int = 1) -> list:
    """``n`` variants of a batch :class:`~ccus.config.experiment.Experiment` (the native-engine benchmark's).

    Per variant, drawn in this order from ``numpy.random.default_rng(seed)``: every rock mineral's
    specific surface area x 0.5-2 (log-uniform), 20-40 kg water per kg CO2 (a pure CO2 charge),
    temperature 20-60 C, rock mass 10-50 kg; no injection plan. The minerals stay the same, so
    the variants batch together in ``ccus.engines.native.engine.run_many``.
    """
    import dataclasses

    import numpy as np

    from ccus.config.experiment import Charge
    from ccus.units import Q_

    rng = np.random.default_rng(seed)
    out = []
    for k in range(n):
        f_area = 10 ** rng.uniform(np.log10(0.5), np.log10(2.0))
        minerals = tuple(dataclasses.replace(m, specific_surface_area=m.specific_surface_area * f_area)
                         for m in base.rock.minerals)
        ratio = rng.uniform(20.0, 40.0)  # kg water per kg CO2
        charge = Charge(composition={"CO2": 1.0}, moles_per_kgw={"CO2": 1.0 / ratio / 44.0095e-3}, water_gas_ratio=ratio)
        out.append(dataclasses.replace(
            base, name=f"{base.name}_{k}", temperature=Q_(rng.uniform(20.0, 60.0), "degC"),
            rock=dataclasses.replace(base.rock, minerals=minerals), rock_mass=Q_(rng.uniform(10.0, 50.0), "kg"),
            charge=charge, injection=None))
    return out
