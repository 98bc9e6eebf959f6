"""Rock feedback settings of a transport experiment: ``[transport.feedback]``.

All keys are optional; without the table the feedback runs with the defaults
(Kozeny-Carman, clogging below k/k0 = 0.1, skin over the whole model). See
docs/rock-feedback.md for the equations and docs/user-guide.md for the keys.
"""

from __future__ import annotations

from dataclasses import dataclass

import pint

from ccus.config.reader import Section

FEEDBACK_KEYS = {"enabled", "permeability_model", "exponent", "critical_porosity", "clogging_ratio",
                 "damaged_zone_radius", "note"}
PERMEABILITY_MODELS = ("kozeny-carman", "verma-pruess")


@dataclass(frozen=True)
class Feedback:
    """Porosity / permeability feedback settings (defaults: see module doc)."""

    enabled: bool = True
    permeability_model: str = "kozeny-carman"
    exponent: float | None = None  # None: 3 for Kozeny-Carman, 2 for Verma-Pruess
    critical_porosity: float = 0.0
    clogging_ratio: float = 0.1
    damaged_zone_radius: pint.Quantity | None = None

    def __post_init__(self):
        if self.permeability_model not in PERMEABILITY_MODELS:
            raise ValueError(f"unknown permeability model {self.permeability_model}")
        if not 0.0 <= self.critical_porosity < 1.0:
            raise ValueError("critical porosity outside [0, 1)")
        if not 0.0 < self.clogging_ratio < 1.0:
            raise ValueError("clogging ratio outside (0, 1)")


def parse_feedback(sec: Section | None, porosity0: float | None = None) -> Feedback:
    """Parse ``[transport.feedback]`` (``sec`` None: defaults); ``porosity0`` checks critical_porosity."""
    if sec is None:
        return Feedback()
    if not isinstance(sec.data, dict):
        raise sec.error(None, f"expected a table, found {sec.data!r}")
    sec.check_keys(FEEDBACK_KEYS)
    model = sec.string("permeability_model", "kozeny-carman", choices=list(PERMEABILITY_MODELS))
    exponent = sec.raw("exponent", None)
    if exponent is not None:
        exponent = sec.number("exponent", minimum=0.0, maximum=20.0, exclusive=True)
    phic = sec.number("critical_porosity", 0.0, minimum=0.0, maximum=1.0, exclusive=False)
    if porosity0 is not None and phic >= porosity0:
        raise sec.error("critical_porosity", f"expected a value below the site porosity {porosity0:g}, found {phic:g}")
    ratio = sec.number("clogging_ratio", 0.1, minimum=0.0, maximum=1.0, exclusive=True)
    radius = sec.quantity("damaged_zone_radius", "length", None, minimum="0 m", exclusive=True)
    return Feedback(enabled=sec.boolean("enabled", True), permeability_model=model, exponent=exponent,
                    critical_porosity=phic, clogging_ratio=ratio,
                    damaged_zone_radius=None if radius is None else radius.to("m"))
