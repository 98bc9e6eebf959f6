"""Validation of the native engines against PHREEQC (:mod:`ccus.validation.speciation_panel`)."""


def run_speciation_panel(quick: bool = False):
    """Forward to :func:`ccus.validation.speciation_panel.run_speciation_panel`."""
    from ccus.validation.speciation_panel import run_speciation_panel as _run

    return _run(quick=quick)
