"""Clogging: where and when a cell's permeability falls below a threshold.

A cell is clogged when k/k0 < ``ratio`` or its porosity <= ``critical_porosity``.
The default ratio 0.1 (a tenfold permeability loss) is where the skin of a near-well
zone becomes a first-order term of the injection pressure: for a zone of radius
r_d, s = (k0/k - 1) ln(r_d / r_w) = 9 ln(r_d / r_w), i.e. 9 to 40 for r_d = 3 r_w to
100 r_w, against ln(r_e / r_w) ~ 10-15 for the whole formation (Hawkins 1956).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DEFAULT_RATIO = 0.1


@dataclass(frozen=True)
class Clogging:
    """First clogging event: ``time`` [s] and ``position`` [m] (None if no cell clogs)."""

    clogged: bool
    time: float | None
    position: float | None
    cell: int | None  # 0-based index of the first clogged cell (nearest the inlet at the first time)
    cells_clogged_at_end: int

    def as_context(self) -> dict:
        return {"clogged": self.clogged,
                "first_time": None if self.time is None else f"{self.time / 86400.0:.4g} d",
                "first_position": None if self.position is None else f"{self.position:.4g} m",
                "cells_clogged_at_end": self.cells_clogged_at_end}


def clogged_mask(k_ratio, phi, ratio: float = DEFAULT_RATIO, critical_porosity: float = 0.0) -> np.ndarray:
    """Boolean (n_time, n_cells): k/k0 < ``ratio`` or porosity <= ``critical_porosity``."""
    k = np.asarray(k_ratio, dtype=float)
    p = np.asarray(phi, dtype=float)
    return (k < ratio) | (p <= critical_porosity)


def find_clogging(k_ratio, phi, time, cells, ratio: float = DEFAULT_RATIO, critical_porosity: float = 0.0) -> Clogging:
    """First time [s] and cell position [m] at which a cell clogs (see :func:`clogged_mask`).

    ``time`` (n_time,) [s] and ``cells`` (n_cells,) cell centres [m].
    """
    mask = clogged_mask(k_ratio, phi, ratio, critical_porosity)
    rows = np.nonzero(mask.any(axis=1))[0]
    if len(rows) == 0:
        return Clogging(False, None, None, None, 0)
    i = int(rows[0])
    j = int(np.nonzero(mask[i])[0][0])
    return Clogging(True, float(np.asarray(time)[i]), float(np.asarray(cells)[j]), j, int(mask[-1].sum()))
