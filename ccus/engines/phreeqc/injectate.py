"""Injectate chemistry by PHREEQC: a carrier water charged with the injected gas."""

from __future__ import annotations

from ccus.config.database_names import is_safe_name
from ccus.config.site import Water
from ccus.engines.phreeqc.inputs import ATM_PER_PA, _n
from ccus.engines.phreeqc.runner import run_phreeqc
from ccus.errors import ConfigError


def injectate_chemistry(water: Water, gas_moles_per_kgw: dict[str, float], temperature_c: float,
                        pressure_pa: float, database_path: str) -> dict[str, float]:
    """pH, DIC [mol/kg], dissolved sulfide S(-2) [mol/kg] and H(0) [mol/kg] of the injectate.

    The carrier ``water`` (its pH and element totals) is charged with the gas
    (REACTION) and brought to ``temperature_c`` [C] and ``pressure_pa`` [Pa]:
    the water in the well where the gas has just dissolved.
    """
    lines = ["SOLUTION 1", "    units mol/kgw", f"    temp {_n(water.temperature.to('degC').magnitude)}",
             f"    pH {_n(water.pH)}"]
    for el, q in water.composition.items():
        if not is_safe_name(el):
            raise ConfigError(f"element name {el!r} cannot be used in PHREEQC input")
        lines.append(f"    {el} {_n(q.to('mol/kg').magnitude)}")
    lines.append("REACTION 1")
    for g, n in gas_moles_per_kgw.items():
        if n > 0:
            lines.append(f"    {g} {_n(n)}")
    lines += ["    1 moles in 1 steps", "REACTION_TEMPERATURE 1", f"    {_n(temperature_c)}",
              "REACTION_PRESSURE 1", f"    {_n(pressure_pa * ATM_PER_PA)}",
              "SELECTED_OUTPUT 1", "    -reset false", "    -high_precision true", "USER_PUNCH 1",
              "    -headings pH DIC S2 H0 water",
              '10 PUNCH -LA("H+"), TOT("C(4)"), TOT("S(-2)"), TOT("H(0)"), TOT("water")', "END"]
    out = run_phreeqc("\n".join(lines) + "\n", database_path)
    i = len(out["pH"]) - 1
    return {k: float(out[k][i]) for k in ("pH", "DIC", "S2", "H0", "water")}
