"""When the inlet water changes and how fast the water flows: the transport schedule.

Intervals are cut at the start and end of every injection phase. In each:

- the inlet water is the phase's injectate while a phase runs (the first one listed
  when phases overlap), the formation water otherwise;
- the water flux [kg/s] is the regional flow of a linear model (constant) or, for a
  radial model, the running phase's water rate (no flow between phases).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Interval:
    start: float  # [s]
    end: float  # [s]
    phase: int | None  # index of the injection phase at the inlet, None: formation water
    flux: float  # water flux [kg/s]


def intervals(exp, grid) -> list[Interval]:
    """The schedule of ``exp`` (a linear or radial experiment) on ``grid``."""
    dur = exp.duration.to("s").magnitude
    phases = exp.injection.phases
    cuts = {0.0, dur}
    for ph in phases:
        for t in (ph.start.to("s").magnitude, (ph.start + ph.duration).to("s").magnitude):
            if 0.0 < t < dur:
                cuts.add(float(t))
    cuts = sorted(cuts)
    out = []
    for a, b in zip(cuts[:-1], cuts[1:], strict=True):
        mid = 0.5 * (a + b)
        phase = None
        for i, ph in enumerate(phases):
            s = ph.start.to("s").magnitude
            if s <= mid < s + ph.duration.to("s").magnitude:
                phase = i
                break
        if grid.kind == "linear":
            flux = grid.linear_flux()
        else:
            flux = 0.0 if phase is None else float(phases[phase].water_rate.to("kg/s").magnitude)
        out.append(Interval(a, b, phase, flux))
    return out


def steps(iv: Interval, grid, courant: float, idle_step: float) -> np.ndarray:
    """Step lengths [s] covering ``iv``: equal steps no longer than the Courant limit (or ``idle_step``)."""
    length = iv.end - iv.start
    limit = grid.max_step(iv.flux, courant) if iv.flux > 0 else idle_step
    n = max(1, int(np.ceil(length / limit * (1 - 1e-12))))
    return np.full(n, length / n)
