"""Transport panel: native transport vs PHREEQC TRANSPORT (ccus.validation.transport_panel)."""

import copy

import numpy as np
import pytest

from ccus.result.result import Result
from ccus.units import Q_
from ccus.validation.transport_panel import (
    COLUMNS,
    MIX_TOL,
    PH_TOL,
    compare_transport,
    run_transport_panel,
)


def _result(n_t=3, n_c=4, ph=7.0):
    prof = {"pH": Q_(np.full((n_t, n_c), ph), "dimensionless"),
            "SF6 mixing fraction": Q_(np.linspace(0, 1, n_t * n_c).reshape(n_t, n_c), "dimensionless")}
    for el in ("DIC", "Ca total", "Mg total", "Si total", "Fe total", "Al total"):
        prof[el] = Q_(np.full((n_t, n_c), 1e-3), "mol/kg")
    series = {k: Q_(np.linspace(0, 1e-2, n_t), "mol") for k in ("Calcite amount", "Kaolinite amount", "carbon in carbonates",
                                                                "carbon injected")}
    series["fraction mineralised"] = Q_(np.linspace(0, 0.1, n_t), "dimensionless")
    series["near SF6 mixing fraction"] = Q_(np.linspace(0, 1, n_t), "dimensionless")
    return Result(name="x", time=Q_(np.arange(n_t) * 10.0, "day"), series=series, carbon_injected=Q_(1e-2, "mol"),
                  profiles=prof, cells=Q_(np.arange(n_c) + 0.5, "m"))


def test_compare_identical_and_perturbed():
    a = _result()
    rows = compare_transport(a, copy.deepcopy(a))
    assert rows and all(r["within_tolerance"] for r in rows) and set(rows[0]) == set(COLUMNS)
    b = copy.deepcopy(a)
    b.profiles["pH"] = Q_(b.profiles["pH"].magnitude + 2 * PH_TOL * (np.arange(4) == 2), "dimensionless")
    b.series["near SF6 mixing fraction"] = Q_(a["near SF6 mixing fraction"].magnitude + 2 * MIX_TOL, "dimensionless")
    bad = {r["quantity"]: r for r in compare_transport(a, b) if not r["within_tolerance"]}
    assert set(bad) == {"pH (every cell)", "near SF6 mixing fraction"}
    assert bad["pH (every cell)"]["cell"] == 3 and bad["pH (every cell)"]["diff_over_tol"] == pytest.approx(2.0)


@pytest.mark.slow
def test_quick_panel_passes():
    frame, ok = run_transport_panel(quick=True)
    assert ok, frame.to_string()
    assert frame.attrs["runs"][0]["native_s"] > 0
