"""Reports show the rock feedback: porosity / k/k0 figure and the clogging criterion with its note."""

import numpy as np
import pytest

from ccus.config.experiment import load_experiment
from ccus.config.paths import models_dir
from ccus.reporting.criteria import evaluate
from ccus.reporting.figures import figures
from ccus.reporting.html import render_html
from ccus.rock_feedback import apply_feedback
from ccus.units import Q_
from unit.report.synthetic_results import synthetic


@pytest.fixture(scope="module")
def altered():
    exp = load_experiment(models_dir().parent / "experiments" / "carbfix1.toml")
    r = synthetic(n=41, years=1.0)
    nt = len(r.time)
    cal = np.zeros((nt, 4))
    cal[:, 0] = np.linspace(0.0, 25.0, nt)  # up to 25 mol calcite (0.92 L) in 11.8 L of rock: k/k0 -> ~0.07
    r.profiles = {"Calcite amount": Q_(cal, "mol"), "pore water": Q_(np.ones((nt, 4)), "kg")}
    r.cells = Q_([2.5, 7.5, 12.5, 17.5], "m")
    r.minerals["Calcite"]["formula"] = "CaCO3"
    return apply_feedback(r, exp)


def test_profiles_figure_drawn(altered):
    figs = figures(altered)
    assert "porosity" in figs
    fig = figs["porosity"][1]
    assert [ax.get_ylabel() for ax in fig.axes] == ["porosity [-]", "k / k0 [-]"]


def test_clogging_criterion_reads_the_profiles(altered):
    v = {x.key: x for x in evaluate(altered)}["clogging"]
    phi = altered.profiles["porosity"].magnitude
    assert v.value == pytest.approx(1.0 - phi.min() / phi[0].min(), rel=1e-12)  # porosity loss, same arithmetic
    assert "first at" in v.note and "2.5 m from the well" in v.note
    assert "well pressure margin with this alteration" in v.note
    html = render_html(altered)
    assert 'id="fig-porosity"' in html
