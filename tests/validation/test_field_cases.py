"""Field-case transport experiments run end to end (slow: make validate).

experiments/carbfix1.toml (main plume), carbfix1_fastpath.toml, carbfix2.toml, wallula.toml and
leizhou.toml, each with the engine its file names (the runs the validation page shows; inside
make validate the page reuses them), and with PHREEQC TRANSPORT as well where that takes about a
minute here (wallula, leizhou) or gives the page its cross-check of the fast path (~8 min CPU).
carbfix1.toml is not run with PHREEQC: on its 100 cells that takes hours (the file says why), and
carbfix2.toml's PHREEQC run (~10 min CPU) is left out to keep make validate affordable.
The checks are physics and bookkeeping that must hold whatever the parameters and engine (the
field comparison itself is in docs/field-data.md and docs/validation.md): pH within 0-14, carbon
mineralised never more than the carbon that entered, the monitoring series present, the HN-04
misfit computable, and the Wallula scope statement in the output.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pytest

from ccus.config.experiment import load_experiment
from ccus.engines import run
from ccus.validation.runs import run_experiment, same_run_since

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


@cache
def _run(name: str, engine: str | None = None):
    """Run ``experiments/<name>.toml`` with ``engine`` (None: the file's own) -> (Experiment, Result)."""
    path = ROOT / "experiments" / f"{name}.toml"
    exp = load_experiment(path, engine=engine)
    if same_run_since() is None:
        return exp, run(exp)
    # inside make validate: save the run where the validation page looks, so that the page reuses it
    # (the file's engine) or compares with it (the other engine) instead of running it again
    return exp, run_experiment(path, ROOT / "out" / "validation", engine=engine, since=same_run_since()).result


def _carbon_in_site_water(exp) -> float:
    """Carbon the ambient water brings into the cells [mol]: all cells at time zero + every ambient shift."""
    c = exp.site.water.composition.get("C(4)")
    c = 0.0 if c is None else c.to("mol/kg").magnitude
    shifts = exp.duration.to("s").magnitude / exp.transport.time_step.to("s").magnitude
    return c * (exp.transport.cells + shifts)


def _case(name: str, engine: str | None = None):
    """One field case (and engine; None: the file's) as a parameter, grouped so that pytest-xdist (make
    validate: --dist loadgroup) sends every test of that case to the same worker, which runs it once
    (the ``_run`` cache is per process)."""
    return pytest.param(name, engine, marks=pytest.mark.xdist_group(name), id=f"{name}-{engine or 'file engine'}")


CASES = [_case(n) for n in ("carbfix1_fastpath", "carbfix2", "wallula", "leizhou", "carbfix1")] + [
    _case(n, "phreeqc") for n in ("carbfix1_fastpath", "wallula", "leizhou")]


@pytest.mark.parametrize(("name", "engine"), CASES)
def test_field_case_runs_and_balances(name, engine):
    exp, r = _run(name, engine)
    for point in exp.transport.monitoring:
        ph = np.asarray(r.series[f"{point} pH"].magnitude)
        assert np.all((ph > 0) & (ph < 14)), f"{name}: {point} pH out of 0-14"
        assert np.all(np.asarray(r.series[f"{point} DIC"].magnitude) >= 0)
    in_carbonates = np.asarray(r.series["carbon in carbonates"].to("mol").magnitude)
    injected = np.asarray(r.series["carbon injected"].to("mol").magnitude)
    # carbonate carbon comes from the injectate or the ambient water, nothing else: the bound is the
    # injected carbon plus every mole of C(4) the site water carried in (relative slack 1e-6: PHREEQC's
    # printed precision; the native transport closes its mass balance to ~1e-10, recorded in provenance)
    assert np.all(in_carbonates <= (injected + _carbon_in_site_water(exp)) * (1 + 1e-6))
    assert injected[-1] > 0


@pytest.mark.xdist_group("carbfix1")
def test_carbfix1_hn04_misfit_is_computed():
    from ccus.field import hn04_misfit, model_endmembers

    exp, r = _run("carbfix1")
    m = hn04_misfit(r, model_endmembers_=model_endmembers(exp))
    # all 71 HN-04 samples with a pH value (days 1-539) lie within the 2-year run
    assert m.n_ph == 71
    assert np.isfinite([m.ph_rmse, m.ph_min_model_d, m.dic_peak_model_mmol_per_l, m.sf6_peak_model_d]).all()
    assert 0.0 <= m.fraction_model_true_end <= 1.1  # carbonate C may include the ambient water's carbon


@pytest.mark.xdist_group("carbfix2")
def test_carbfix2_sulfur_sink():
    """Pyrite is the sulfur sink of carbfix2.toml: its sulfur never exceeds the H2S injected + the site water's S(-2)."""
    exp, r = _run("carbfix2")
    pyrite = np.asarray(r.series["Pyrite amount"].to("mol").magnitude)
    ph = exp.injection.phases[0]
    s_per_kg = ph.moles_per_kg_water().get("H2S", 0.0)
    shifts = exp.duration.to("s").magnitude / exp.transport.time_step.to("s").magnitude
    s_site = exp.site.water.composition["S(-2)"].to("mol/kg").magnitude * (exp.transport.cells + shifts)
    assert 2 * pyrite[-1] <= s_per_kg * shifts + s_site  # FeS2: two S per formula unit


@pytest.mark.xdist_group("wallula")
def test_wallula_states_its_scope_in_the_output():
    exp, r = _run("wallula")
    text = r.context["experiment"]["description"]
    assert "OUT OF SCOPE" in text and "supercritical" in text
