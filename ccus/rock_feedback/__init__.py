"""Rock feedback of reactive transport: porosity and permeability from mineral volume
changes, clogging, and the near-well skin fed into the injection pressure.

Modules: ``molar_volume`` (database -Vm or molar mass / density), ``porosity``,
``permeability`` (Kozeny-Carman, Verma-Pruess), ``clogging``, ``well`` (radial skin,
stepped-rate Theis build-up) and ``apply`` (:func:`apply_feedback` on a Result).
See docs/rock-feedback.md.
"""

from ccus.rock_feedback.apply import apply_feedback

__all__ = ["apply_feedback"]
