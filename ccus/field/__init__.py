"""Field data and field mass balances (CarbFix1 monitoring well HN-04).

Light on import: pandas is only loaded when one of the names below is used.

- :func:`load_hn04` -> pandas DataFrame of the 77 HN-04 samples of Matter et
  al. 2016 with unit-bearing column names (``ccus.field.hn04``).
- :data:`HN04_ENDMEMBERS` -> :class:`HN04EndMembers`, the injectate and
  groundwater end-members as pint quantities with citations.
- :func:`field_fraction_mineralised`, :func:`binned_summary` and the
  vectorised pint functions of the Matter et al. 2016 mass balance
  (``ccus.field.mass_balance``).
- :func:`hn04_misfit` -> :class:`HN04Misfit`: a transport run's HN-04 series
  against the samples (pH RMSE, pH minimum, peak DIC, SF6, field-method and
  true fractions mineralised; ``ccus.field.misfit``).
- :func:`plot_hn04_comparison`: simulated vs measured HN-04 figure
  (``ccus.field.plots``, matplotlib Agg).
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "load_hn04": "ccus.field.hn04",
    "HN04_ENDMEMBERS": "ccus.field.hn04",
    "HN04EndMembers": "ccus.field.hn04",
    "hn04_csv_path": "ccus.field.hn04",
    "mixing_fraction": "ccus.field.mass_balance",
    "conservative_mix": "ccus.field.mass_balance",
    "fraction_injected_mineralised": "ccus.field.mass_balance",
    "fraction_of_mix_lost": "ccus.field.mass_balance",
    "field_fraction_mineralised": "ccus.field.mass_balance",
    "binned_summary": "ccus.field.mass_balance",
    "hn04_misfit": "ccus.field.misfit",
    "HN04Misfit": "ccus.field.misfit",
    "model_endmembers": "ccus.field.misfit",
    "model_monitoring_frame": "ccus.field.misfit",
    "plot_hn04_comparison": "ccus.field.plots",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'ccus.field' has no attribute {name!r}")
