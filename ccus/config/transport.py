"""Transport settings of an experiment (``kind = "linear"``): ``[transport]``.

A linear model is a streamline from the injection well to (and past) a
monitoring well: ``cells`` equal cells over ``length``, pore-water velocity
``velocity``, longitudinal ``dispersivity``, and named monitoring points at
distances along it. Each cell holds 1 kg of pore water and the rock that goes
with it at the site's porosity and the rock's grain density.
"""

from __future__ import annotations

from dataclasses import dataclass

import pint

from ccus.config.reader import Section

TRANSPORT_KEYS = {"length", "cells", "velocity", "dispersivity", "monitoring", "note"}


@dataclass(frozen=True)
class Transport:
    length: pint.Quantity
    cells: int
    velocity: pint.Quantity
    dispersivity: pint.Quantity
    monitoring: dict[str, pint.Quantity]

    def __post_init__(self):
        if self.cells < 1:
            raise ValueError("at least one cell")

    @property
    def cell_length(self) -> pint.Quantity:
        return (self.length / self.cells).to("m")

    @property
    def time_step(self) -> pint.Quantity:
        """Time for the water to cross one cell (one PHREEQC shift) [s]."""
        return (self.cell_length / self.velocity).to("s")

    def cell_of(self, name: str) -> int:
        """1-based index of the cell holding monitoring point ``name``."""
        import math

        d = self.monitoring[name].to("m").magnitude
        return max(1, min(self.cells, math.ceil(d / self.cell_length.magnitude - 1e-9)))


def parse_transport(sec: Section, default_length: pint.Quantity | None) -> Transport:
    sec.check_keys(TRANSPORT_KEYS)
    length = sec.quantity("length", "length", default_length if default_length is not None else ..., minimum="0 m", exclusive=True)
    cells = sec.integer("cells", 40, minimum=1, maximum=2000)
    velocity = sec.quantity("velocity", "velocity", minimum="0 m/s", exclusive=True)
    disp = sec.quantity("dispersivity", "length", "1 m", minimum="0 m")
    mon_raw = sec.raw("monitoring", {})
    if not isinstance(mon_raw, dict):
        raise sec.error("monitoring", f"expected a table name = distance, found {mon_raw!r}")
    msec = Section(mon_raw, sec.file, sec.path("monitoring"))
    monitoring = {}
    for name in mon_raw:
        q = msec.quantity(name, "length", minimum="0 m", exclusive=True)
        if q > length:
            raise msec.error(name, f"monitoring point at {q:~P} lies beyond the model length {length:~P}")
        monitoring[name] = q.to("m")
    if not monitoring:
        monitoring["outlet"] = length.to("m")
    return Transport(length=length.to("m"), cells=cells, velocity=velocity.to("m/s"), dispersivity=disp.to("m"),
                     monitoring=monitoring)
