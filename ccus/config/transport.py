"""Transport settings of an experiment (``kind = "linear"`` or ``"radial"``): ``[transport]``.

A linear model is a streamline from the injection well to (and past) a
monitoring well: ``cells`` equal cells over ``length``, pore-water velocity
``velocity``, longitudinal ``dispersivity``, and named monitoring points at
distances along it. Each cell holds 1 kg of pore water and the rock that goes
with it at the site's porosity and the rock's grain density.

A radial model is the aquifer around the injection well, from the well radius
to the outer radius ``length``, over the aquifer ``thickness``: ``cells`` rings
of equal pore volume (``spacing = "equal_volume"``, the default) or equal width
(``"uniform"``). The injected water flows outwards at the injection phases'
water rate; the pore velocity falls with radius, ``v = Q / (2 pi r h phi)``.
Monitoring distances are measured from the well axis.

Every cell's chemistry is computed for 1 kg of pore water (PHREEQC's cell);
radial rings hold ``pore_water_mass`` kg of it and their amounts are scaled.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pint

from ccus.config.feedback import Feedback, parse_feedback
from ccus.config.reader import Section
from ccus.units import Q_

TRANSPORT_KEYS = {"length", "cells", "velocity", "dispersivity", "monitoring", "courant", "thickness", "well_radius",
                  "spacing", "reaction_split", "feedback", "note"}
TRANSPORT_KINDS = ("linear", "radial")
SPACINGS = ("equal_volume", "uniform")
REACTION_SPLITS = ("per_mix", "per_step")
#: pore-water density used to turn pore volumes into water masses [kg/m^3] (as for the rock mass per kg water)
WATER_DENSITY = 1000.0


@dataclass(frozen=True)
class Transport:
    """Grid and flow of a transport experiment (quantities in SI units).

    ``velocity`` is the pore-water velocity of a linear model (None for radial);
    ``thickness``, ``well_radius``, ``porosity`` and ``spacing`` describe a radial
    model (None / ``"uniform"`` for linear). ``courant`` is the largest fraction of a
    cell's pore water that leaves it in one transport step (<= 1).
    """

    length: pint.Quantity
    cells: int
    velocity: pint.Quantity | None
    dispersivity: pint.Quantity
    monitoring: dict[str, pint.Quantity]
    kind: str = "linear"
    courant: float = 1.0
    thickness: pint.Quantity | None = None
    well_radius: pint.Quantity | None = None
    porosity: float | None = None
    spacing: str = "uniform"
    reaction_split: str = "per_mix"
    feedback: Feedback = Feedback()  # [transport.feedback]: porosity / permeability feedback (ccus.rock_feedback)

    def __post_init__(self):
        if self.cells < 1:
            raise ValueError("at least one cell")
        if self.kind not in TRANSPORT_KINDS:
            raise ValueError(f"unknown transport kind {self.kind}")
        if not 0 < self.courant <= 1:
            raise ValueError("courant must be in (0, 1]")
        if self.kind == "linear" and self.velocity is None:
            raise ValueError("a linear model needs a velocity")
        if self.kind == "radial" and (self.thickness is None or self.well_radius is None or self.porosity is None):
            raise ValueError("a radial model needs thickness, well_radius and porosity")

    @property
    def cell_length(self) -> pint.Quantity:
        """Cell length of a linear model [m] (mean ring width of a radial one)."""
        return ((self.length - (self.well_radius if self.kind == "radial" else Q_(0, "m"))) / self.cells).to("m")

    @property
    def time_step(self) -> pint.Quantity:
        """Linear: time for the water to cross one cell (one PHREEQC shift) [s]."""
        if self.velocity is None:
            raise ValueError("a radial model has no fixed cell travel time (it follows the injection rate)")
        return (self.cell_length / self.velocity).to("s")

    def edges(self) -> np.ndarray:
        """Cell boundaries [m] (n_cells + 1): distance along the line, or radius from the well axis."""
        L = self.length.to("m").magnitude
        if self.kind == "linear":
            return np.linspace(0.0, L, self.cells + 1)
        rw = self.well_radius.to("m").magnitude
        if self.spacing == "uniform":
            return np.linspace(rw, L, self.cells + 1)
        return np.sqrt(np.linspace(rw**2, L**2, self.cells + 1))  # equal pore volume per ring

    def centres(self) -> np.ndarray:
        """Cell centres [m]: mid-cell (linear); the radius halving the ring's volume (radial)."""
        e = self.edges()
        if self.kind == "linear":
            return 0.5 * (e[1:] + e[:-1])
        return np.sqrt(0.5 * (e[1:] ** 2 + e[:-1] ** 2))

    def pore_water_mass(self) -> np.ndarray:
        """Pore water per cell [kg]: 1 kg (linear, PHREEQC's cell); phi rho pi (r2^2 - r1^2) h (radial)."""
        if self.kind == "linear":
            return np.ones(self.cells)
        e = self.edges()
        h = self.thickness.to("m").magnitude
        return self.porosity * WATER_DENSITY * math.pi * (e[1:] ** 2 - e[:-1] ** 2) * h

    def cell_of(self, name: str) -> int:
        """1-based index of the cell holding monitoring point ``name``."""
        d = self.monitoring[name].to("m").magnitude
        e = self.edges()
        i = int(np.searchsorted(e, d * (1 - 1e-12), side="left"))  # e[i-1] < d <= e[i]
        return max(1, min(self.cells, i))


def parse_transport(sec: Section, default_length: pint.Quantity | None, kind: str = "linear", site=None,
                    injection=None) -> Transport:
    """Read ``[transport]`` of a ``kind`` (``"linear"`` or ``"radial"``) experiment.

    ``site`` gives the radial defaults ``thickness`` and ``porosity``; ``injection`` gives
    the default ``well_radius``.
    """
    sec.check_keys(TRANSPORT_KEYS)
    length = sec.quantity("length", "length", default_length if default_length is not None else ..., minimum="0 m", exclusive=True)
    cells = sec.integer("cells", 40, minimum=1, maximum=2000)
    disp = sec.quantity("dispersivity", "length", "1 m", minimum="0 m")
    courant = sec.number("courant", 1.0, minimum=0.0, exclusive=True)
    if courant > 1.0:
        raise sec.error("courant", f"expected a number in (0, 1], found {courant}")
    split = sec.string("reaction_split", "per_mix", choices=list(REACTION_SPLITS))
    velocity = thickness = well_radius = porosity = None
    spacing = "uniform"
    if kind == "linear":
        for key in ("thickness", "well_radius", "spacing"):
            if sec.has(key):
                raise sec.error(key, f"{key!r} is a key of kind = \"radial\" (this experiment is kind = \"linear\")")
        velocity = sec.quantity("velocity", "velocity", minimum="0 m/s", exclusive=True).to("m/s")
    else:
        if sec.has("velocity"):
            raise sec.error("velocity", "kind = \"radial\" takes no velocity: the water flows at the injection "
                                        "phases' water rate, v = Q / (2 pi r h phi)")
        site_h = site.thickness if site is not None else ...
        thickness = sec.quantity("thickness", "length", site_h, minimum="0 m", exclusive=True).to("m")
        rw_default = injection.well_radius if injection is not None else Q_(0.1, "m")
        well_radius = sec.quantity("well_radius", "length", rw_default, minimum="0 m", exclusive=True).to("m")
        spacing = sec.string("spacing", "equal_volume", choices=list(SPACINGS))
        porosity = site.porosity if site is not None else 0.1
        if well_radius >= length:
            raise sec.error("length", f"the outer radius {length:~P} must exceed the well radius {well_radius:~P}")
    mon_raw = sec.raw("monitoring", {})
    if not isinstance(mon_raw, dict):
        raise sec.error("monitoring", f"expected a table name = distance, found {mon_raw!r}")
    msec = Section(mon_raw, sec.file, sec.path("monitoring"))
    monitoring = {}
    for name in mon_raw:
        q = msec.quantity(name, "length", minimum="0 m", exclusive=True)
        if q > length:
            raise msec.error(name, f"monitoring point at {q:~P} lies beyond the model length {length:~P}")
        if well_radius is not None and q <= well_radius:
            raise msec.error(name, f"monitoring point at {q:~P} lies inside the well (radius {well_radius:~P})")
        monitoring[name] = q.to("m")
    if not monitoring:
        monitoring["outlet"] = length.to("m")
    feedback = parse_feedback(sec.section("feedback", required=False), site.porosity if site is not None else None)
    return Transport(length=length.to("m"), cells=cells, velocity=velocity, dispersivity=disp.to("m"),
                     monitoring=monitoring, kind=kind, courant=float(courant), thickness=thickness,
                     well_radius=well_radius, porosity=porosity, spacing=spacing, feedback=feedback,
                     reaction_split=split)
