"""Write PHREEQC RATES (BASIC) blocks from ccus rate sets.

Every engine uses the parameters in ``models/rates``; this module turns a
:class:`ccus.config.rates.MineralRate` into the BASIC program PHREEQC runs.
KINETICS parameters (``-parms``) of the generated rates:

- PARM(1): surface mode: 0 = m^2/g of mineral, geometric S = PARM(2) M m0 (m/m0)^(2/3);
  1 = m^2 per kg water, constant, S = PARM(2) * TOT("water"); 2 = m^2/g, linear S = PARM(2) M m
- PARM(2): specific surface area [m^2/g] or area per water [m^2/kgw]
- PARM(3): direction: 0 both, 1 precipitation only, 2 dissolution only

Numbers are written with ``repr`` so that no precision is lost.
"""

from __future__ import annotations

from ccus.config.database_names import is_safe_name
from ccus.config.rates import MineralRate
from ccus.errors import ConfigError


def _num(x: float) -> str:
    return repr(float(x))


def _q(name: str) -> str:
    if not is_safe_name(name) or '"' in name:
        raise ConfigError(f"name {name!r} cannot be used in PHREEQC input")
    return f'"{name}"'


def saturation_expression(rate: MineralRate) -> str:
    """BASIC expression of the saturation ratio Omega used in the affinity term."""
    if rate.affinity_product:
        return "*".join(f"(SR({_q(p)})*{_num(w)})" for p, w in rate.affinity_product)
    return f"SR({_q(rate.affinity_phase or rate.phase)})"


def _mechanism_terms(rate: MineralRate) -> list[str]:
    R = _num(rate.gas_constant)
    lines = []
    for mech in rate.mechanisms:
        arr = f"{_num(mech.A)} * EXP(-{_num(mech.Ea)} / ({R} * TK))"
        if rate.law == "gislason_oelkers2003":
            term = f'{arr} * (ACT("H+")^3 / ACT("Al+3"))^(1/3)'
        elif mech.kind == "carbonate_inhibition":
            term = f'{arr} * (1 - {_num(mech.kc)} * (ACT("HCO3-") + ACT("CO3-2")) / (1 + {_num(mech.kc)} * (ACT("HCO3-") + ACT("CO3-2"))))'
        elif mech.species and mech.species.endswith("(g)"):
            # a gas: its partial pressure (fugacity) in atm, e.g. P_CO2 of Palandri & Kharaka 2004
            term = f"{arr} * SR({_q(mech.species)})^{_num(mech.order)}"
        elif mech.species:
            term = f"{arr} * ACT({_q(mech.species)})^{_num(mech.order)}"
        else:
            term = arr
        lines.append(term)
    return lines


def rates_block(rate: MineralRate) -> str:
    """The BASIC program (``name`` line to ``-end``) of one mineral's rate."""
    gm = _num(rate.molar_mass * 1000.0)  # g/mol
    lines = [
        rate.name,
        "-start",
        "10 sarea = 0",
        "20 IF PARM(1) = 1 THEN sarea = PARM(2) * TOT(\"water\")",
        f"30 IF PARM(1) = 0 AND M > 0 AND M0 > 0 THEN sarea = PARM(2) * {gm} * M0 * (M / M0)^(2/3)",
        f"40 IF PARM(1) = 2 AND M > 0 THEN sarea = PARM(2) * {gm} * M",
        f"50 omeg = {saturation_expression(rate)}",
        "60 moles = 0",
        "70 IF sarea <= 0 THEN GOTO 900",
        "80 IF PARM(3) = 1 AND omeg < 1 THEN GOTO 900",
        "90 IF PARM(3) = 2 AND omeg > 1 THEN GOTO 900",
        "100 IF M <= 0 AND omeg < 1 THEN GOTO 900",
        "200 rplus = 0",
    ]
    for i, term in enumerate(_mechanism_terms(rate)):
        lines.append(f"{210 + i} rplus = rplus + {term}")
    lines += [
        f"300 rate = sarea * rplus * (1 - omeg^(1/{_num(rate.sigma)}))",
        "400 moles = rate * TIME",
        "410 IF moles > M AND M > 0 THEN moles = M",
        "900 SAVE moles",
        "-end",
    ]
    return "\n".join(lines)


def rates_section(rates: list[MineralRate]) -> str:
    """A RATES data block with one program per distinct mineral."""
    seen, blocks = set(), []
    for r in rates:
        if r.name not in seen:
            seen.add(r.name)
            blocks.append(rates_block(r))
    return "RATES\n" + "\n".join(blocks) + "\n"
