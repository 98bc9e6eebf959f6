"""Every value in models/**/*.toml has a unit (where dimensional) and a citation.

Walks every TOML file under models/ (rates, rocks, sites, minerals and any new
folder) without going through the loaders, so a file the loaders do not know
yet is checked too. A value is a number, a string starting with a number (a
quantity such as "1.08e-4 mol/m^2/s") or the ``value`` of an inline table
``{ value, source, assumed, note }``.

- Citation: an inline table's own non-empty ``source``, or a non-empty
  ``source`` in an enclosing table (a rate-law mechanism is cited by its
  mineral's ``source``; a file-wide ``[meta] source`` covers its tables).
- Unit: strings must parse as pint quantities; bare numbers are only allowed
  for the dimensionless keys listed in ``DIMENSIONLESS`` (with why).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from ccus.units import ureg

MODELS = Path(__file__).resolve().parents[3] / "models"
FILES = sorted(MODELS.rglob("*.toml"))

#: Keys whose values are pure numbers, and why.
DIMENSIONLESS = {
    "order": "reaction order of an activity (activities are dimensionless)",
    "sigma": "Temkin stoichiometric number of the affinity term",
    "mass_fraction": "mass fraction of a mineral in the rock",
    "porosity": "volume fraction",
    "pH": "-log10 of an activity",
    "kc": "carbonate inhibition constant multiplying a dimensionless activity (Oelkers & Addassi rate law)",
    "affinity_product": "weights of end-member saturation ratios in a solid-solution affinity (table of numbers)",
    "skin": "well skin factor",
    "water_gas_ratio": "mass ratio (t water per t gas)",
}


def _values(doc: dict, path: str = "", cited_above: bool = False):
    """Yield (key path, last key, value, cited, dimensionless-parent)."""
    here = cited_above or (isinstance(doc.get("source"), str) and bool(doc["source"].strip()))
    for k, v in doc.items():
        p = f"{path}.{k}" if path else k
        if isinstance(v, dict) and "value" in v:
            own = isinstance(v.get("source"), str) and bool(v["source"].strip())
            yield p, k, v["value"], own, path
        elif isinstance(v, dict):
            yield from _values(v, p, here)
        elif isinstance(v, bool):
            continue
        elif isinstance(v, (int, float)) or (isinstance(v, str) and v[:1].isdigit()):
            yield p, k, v, here, path


def test_models_found():
    kinds = {f.parent.name for f in FILES}
    assert {"rates", "rocks", "sites"} <= kinds


@pytest.mark.parametrize("path", FILES, ids=[str(f.relative_to(MODELS)) for f in FILES])
def test_every_value_has_unit_and_citation(path: Path):
    doc = tomllib.loads(path.read_text())
    problems = []
    n = 0
    for p, key, value, cited, parent in _values(doc):
        n += 1
        if not cited:
            problems.append(f"{p}: no citation (a 'source' on the value or an enclosing table)")
        if isinstance(value, str):
            try:
                ureg.Quantity(value)
            except Exception as e:  # noqa: BLE001 - any parse failure is the finding
                problems.append(f"{p}: {value!r} does not parse as a quantity ({type(e).__name__})")
        elif isinstance(value, (int, float)):
            last_table = parent.rsplit(".", 1)[-1]
            if key not in DIMENSIONLESS and last_table not in DIMENSIONLESS:
                problems.append(f"{p}: bare number {value!r}: give a unit (\"... m\") or, if dimensionless, add "
                                "the key to DIMENSIONLESS with the reason")
    assert n > 0, f"{path}: no values found"
    assert not problems, f"{path.relative_to(MODELS.parent)}:\n" + "\n".join(problems)
