"""Water demand for full dissolution of a CO2 / H2S / H2 gas stream.

The CarbFix method dissolves the gas in the injection water inside the well
(Sigfusson et al. 2015, IJGGC 37:213; Matter et al. 2016, Science 352:1312),
so that no free gas phase enters the aquifer. All gas is dissolved when the
water carrying it is undersaturated, i.e. at or below its bubble point.

Bubble-point condition
----------------------
For each gas i, Henry-type solubility with fugacity f_i = y_i phi_i P and the
Lewis fugacity rule (phi_i of pure i at the mixture's T and P, for a sub-critical
component its vapour root) gives m_i = (y_i / y_dry) m_i^sat(T, P), where
m_i^sat is the solubility [mol/kg water] under the pure gas i (plus water
vapour, y_dry = 1 - y_H2O) at the same total pressure. A water whose dissolved
gas molalities are m_i has its bubble point where sum_i y_i = y_dry::

    sum_i m_i / m_i^sat(T, P) = 1

so the minimum water mass for the molar gas amounts n_i is
W_min = sum_i n_i / m_i^sat(T, P) and, for a water-to-gas mass ratio, the
minimum dissolution pressure is the P solving the same equation (Brent's
method). Interactions between dissolved gases are neglected (dilute solution).

For H2S, whose activity coefficient depends on its own molality (Akinfiev et
al. 2016), the term m_i / m_i^sat is replaced by
m gamma(m) / (m_sat gamma(m_sat)) and W_min is found by Brent's method.

m_i^sat: CO2 by Duan & Sun (2003) (:mod:`ccus.injection.solubility`, water or
NaCl brine to 4.3 mol/kg); H2S by IAPWS G7-04 Henry's law + Peng-Robinson +
Akinfiev et al. (2016) activity (water or NaCl brine to 6 mol/kg, T >= 283 K in
brine); H2 by IAPWS G7-04 + Peng-Robinson (pure water only).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pint
from scipy.optimize import brentq

from ccus.config.injection import GASES
from ccus.errors import ConfigError, did_you_mean
from ccus.injection import h2s as _h2s
from ccus.injection import solubility as _ds
from ccus.injection._inputs import check_range, to_array
from ccus.units import Q_

__all__ = [
    "MOLAR_MASS",
    "WaterDemand",
    "water_demand",
    "min_dissolution_pressure",
    "free_gas_remains",
]

MOLAR_MASS = GASES  # kg/mol (IUPAC atomic weights); one table for configs, plans and reports


def _composition(composition: Any) -> dict[str, float]:
    if not isinstance(composition, dict) or not composition:
        raise ConfigError(
            f"composition: expected a mapping of gas name to mole fraction, e.g. "
            f"{{'CO2': 0.75, 'H2S': 0.24, 'H2': 0.01}}, found {composition!r}"
        )
    out: dict[str, float] = {}
    for name, x in composition.items():
        if name not in MOLAR_MASS:
            raise ConfigError(
                f"composition: unknown gas {name!r}{did_you_mean(str(name), MOLAR_MASS)}; "
                f"known: {', '.join(MOLAR_MASS)}"
            )
        try:
            xf = float(to_array(x, "dimensionless", f"composition.{name}"))
        except TypeError:
            raise ConfigError(f"composition.{name}: expected a mole fraction, found {x!r}") from None
        if not 0.0 <= xf <= 1.0:
            raise ConfigError(f"composition.{name}: mole fraction must be in [0, 1], found {xf:g}")
        if xf > 0.0:
            out[name] = xf
    total = sum(out.values())
    if abs(total - 1.0) > 1e-3:
        raise ConfigError(f"composition: mole fractions must sum to 1, found {total:g}")
    return {k: v / total for k, v in out.items()}


def _check_state(comp: dict[str, float], T: float, P: float, m: float) -> None:
    if "CO2" in comp:
        check_range(np.array([T]), *_ds.T_RANGE_K, "K", "temperature", _ds.MODEL)
        check_range(np.array([P]), 0.0, _ds.P_MAX_BAR, "bar", "pressure", _ds.MODEL)
        check_range(np.array([m]), 0.0, _ds.M_NACL_MAX, "mol/kg", "salinity", _ds.MODEL)
    for gas in ("H2S", "H2"):
        if gas in comp:
            lo, hi = _h2s.GASES[gas][3:5]
            model = f"{_h2s.MODEL} for {gas}"
            check_range(np.array([T]), lo, hi, "K", "temperature", model)
            check_range(np.array([P]), 0.0, _h2s.P_MAX_BAR, "bar", "pressure", model)
    if "H2S" in comp and m > 0.0:
        check_range(np.array([m]), 0.0, _h2s.M_NACL_MAX_H2S, "mol/kg", "salinity", "Akinfiev et al. (2016)")
        check_range(
            np.array([T]), _h2s.T_MIN_BRINE_H2S, 1e9, "K", "temperature (NaCl brine)", "Akinfiev et al. (2016)"
        )
    if "H2" in comp and m != 0.0:
        raise ConfigError(
            f"salinity = {m:g} mol/kg: H2 solubility is implemented for pure water only; "
            "use salinity 0 for gas streams containing H2"
        )


def _saturation(comp: dict[str, float], T: float, P: float, m: float) -> dict[str, float]:
    """m_i^sat [mol/kg water] of each pure gas at T [K], P [bar], NaCl m [mol/kg]."""
    out = {}
    for gas in comp:
        if gas == "CO2":
            out[gas] = float(_ds.co2_solubility_molal(T, P, m))
        else:
            out[gas] = float(_h2s.gas_solubility_molal(gas, T, P, root="vapour", m_nacl=m))
    return out


def _shares(comp, msat, T, m, w_per_g, m_mix) -> dict[str, float]:
    """Each gas's term of the bubble-point sum at w_per_g kg water per kg gas."""
    out = {}
    for g, x in comp.items():
        mi = (x / m_mix) / w_per_g
        if msat[g] <= 0.0:
            out[g] = np.inf
        elif g == "H2S":
            out[g] = float(_h2s.h2s_activity_ratio(T, mi, msat[g], m))
        else:
            out[g] = mi / msat[g]
    return out


def _water_per_gas(comp: dict[str, float], T: float, P: float, m: float) -> tuple[float, dict]:
    """kg water per kg gas at the bubble point, and each gas's share of it [kg/kg]."""
    msat = _saturation(comp, T, P, m)
    m_mix = sum(x * MOLAR_MASS[g] for g, x in comp.items())  # kg per mol gas
    if any(v <= 0.0 for v in msat.values()):
        return np.inf, {g: np.inf for g in comp}
    w_lin = sum((x / m_mix) / msat[g] for g, x in comp.items())  # Henry's law, no activity
    if "H2S" in comp:

        def f(lnw: float) -> float:
            return float(np.log(sum(_shares(comp, msat, T, m, np.exp(lnw), m_mix).values())))

        lo, hi = np.log(w_lin) - 1.0, np.log(w_lin) + 1.0
        while f(lo) < 0.0:
            lo -= 1.0
        while f(hi) > 0.0:
            hi += 1.0
        w = float(np.exp(brentq(f, lo, hi, xtol=1e-12)))
    else:
        w = w_lin
    shares = _shares(comp, msat, T, m, w, m_mix)
    total = sum(shares.values())
    return w, {g: w * v / total for g, v in shares.items()}


@dataclass(frozen=True)
class WaterDemand:
    """Minimum water for full dissolution of a gas stream (quantities).

    Attributes
    ----------
    water_rate
        Minimum mass rate of water (solvent H2O, salt excluded) [kg/s].
    water_per_gas
        Water mass per gas mass [t/t, dimensionless].
    water_per_co2
        Water mass per CO2 mass [t/t] (NaN if the gas has no CO2).
    component_water_rate
        Each gas's share of water_rate [kg/s]: water_rate times the gas's term
        of the bubble-point sum (they add up to water_rate).
    saturation_molality
        m_i^sat of each pure gas at the given T, P [mol/kg water].
    dissolved_molality
        Molality of each gas in the water at the minimum water rate [mol/kg].
    """

    pressure: pint.Quantity
    temperature: pint.Quantity
    salinity: pint.Quantity
    gas_mass_rate: pint.Quantity
    composition: dict[str, float]
    water_rate: pint.Quantity
    water_per_gas: pint.Quantity
    water_per_co2: pint.Quantity
    component_water_rate: dict[str, pint.Quantity] = field(default_factory=dict)
    saturation_molality: dict[str, pint.Quantity] = field(default_factory=dict)
    dissolved_molality: dict[str, pint.Quantity] = field(default_factory=dict)


def _scalar(value: Any, unit: str, name: str) -> float:
    a = to_array(value, unit, name)
    if a.ndim != 0:
        raise ConfigError(f"{name}: expected a single value, found an array of shape {a.shape}")
    return float(a)


def water_demand(
    gas_mass_rate: Any,
    composition: Any,
    pressure: Any,
    temperature: Any,
    salinity: Any = 0.0,
) -> WaterDemand:
    """Minimum water rate to dissolve a gas stream completely at P and T.

    Parameters
    ----------
    gas_mass_rate
        Gas mass rate: quantity / string (``"0.07 kg/s"``) or float [kg/s].
    composition
        Mole fractions by gas name, e.g. ``{"CO2": 0.75, "H2S": 0.24, "H2": 0.01}``
        (CarbFix1 phase II, Snaebjornsdottir et al. 2017); must sum to 1.
    pressure
        Dissolution (total) pressure: quantity / string or float [bar].
    temperature
        Water temperature: quantity / string or float [K].
    salinity
        NaCl molality [mol/kg]; must be 0 when H2 is present.

    Returns
    -------
    WaterDemand
    """
    comp = _composition(composition)
    q = _scalar(gas_mass_rate, "kg/s", "gas_mass_rate")
    if q < 0:
        raise ConfigError(f"gas_mass_rate must be non-negative, found {q:g} kg/s")
    P = _scalar(pressure, "bar", "pressure")
    T = _scalar(temperature, "K", "temperature")
    m = _scalar(salinity, "mol/kg", "salinity")
    _check_state(comp, T, P, m)
    pw = float(_ds.water_vapour_pressure_raw(T))
    if P <= pw:
        raise ConfigError(f"pressure = {P:g} bar is not above the water vapour pressure ({pw:g} bar)")
    w_per_g, parts = _water_per_gas(comp, T, P, m)
    msat = _saturation(comp, T, P, m)
    m_mix = sum(x * MOLAR_MASS[g] for g, x in comp.items())
    x_co2_mass = comp.get("CO2", 0.0) * MOLAR_MASS["CO2"] / m_mix
    w_rate = w_per_g * q
    dissolved = {g: (x / m_mix) / w_per_g for g, x in comp.items()}
    return WaterDemand(
        pressure=Q_(P, "bar"),
        temperature=Q_(T, "K"),
        salinity=Q_(m, "mol/kg"),
        gas_mass_rate=Q_(q, "kg/s"),
        composition=dict(comp),
        water_rate=Q_(w_rate, "kg/s"),
        water_per_gas=Q_(w_per_g, "dimensionless"),
        water_per_co2=Q_(w_per_g / x_co2_mass if x_co2_mass > 0 else float("nan"), "dimensionless"),
        component_water_rate={g: Q_(v * q, "kg/s") for g, v in parts.items()},
        saturation_molality={g: Q_(v, "mol/kg") for g, v in msat.items()},
        dissolved_molality={g: Q_(v, "mol/kg") for g, v in dissolved.items()},
    )


def min_dissolution_pressure(
    water_to_gas_ratio: Any,
    composition: Any,
    temperature: Any,
    salinity: Any = 0.0,
) -> pint.Quantity:
    """Lowest total pressure [bar] at which the gas dissolves fully in the water.

    Parameters
    ----------
    water_to_gas_ratio
        Water mass per gas mass [kg/kg = t/t] (dimensionless quantity or float).
    composition, temperature, salinity
        As for :func:`water_demand`.

    Raises
    ------
    ConfigError
        If even the upper pressure limit of the solubility models (2000 bar for
        CO2 alone, 200 bar with H2S or H2) does not dissolve the gas.
    """
    comp = _composition(composition)
    ratio = _scalar(water_to_gas_ratio, "dimensionless", "water_to_gas_ratio")
    if ratio <= 0:
        raise ConfigError(f"water_to_gas_ratio must be positive, found {ratio:g}")
    T = _scalar(temperature, "K", "temperature")
    m = _scalar(salinity, "mol/kg", "salinity")
    p_max = _ds.P_MAX_BAR if set(comp) == {"CO2"} else _h2s.P_MAX_BAR
    _check_state(comp, T, p_max, m)
    pw = max(float(_ds.water_vapour_pressure_raw(T)), float(_h2s.water_saturation_pressure_raw(T)) / 1e5)

    def g(P: float) -> float:
        return np.log(_water_per_gas(comp, T, P, m)[0] / ratio)

    p_lo = pw * (1.0 + 1e-6) + 1e-4
    if g(p_max) > 0.0:
        need = _water_per_gas(comp, T, p_max, m)[0]
        raise ConfigError(
            f"water_to_gas_ratio = {ratio:g} t/t cannot dissolve this gas even at {p_max:g} bar "
            f"(the models' upper limit), which needs {need:.3g} t/t"
        )
    p = brentq(g, p_lo, p_max, xtol=1e-8, rtol=1e-10)
    return Q_(p, "bar")


def free_gas_remains(
    water_rate: Any,
    gas_mass_rate: Any,
    composition: Any,
    pressure: Any,
    temperature: Any,
    salinity: Any = 0.0,
) -> bool:
    """True if a free gas phase would remain (water rate below the minimum).

    ``water_rate`` [kg/s water], other parameters as for :func:`water_demand`.
    """
    need = water_demand(gas_mass_rate, composition, pressure, temperature, salinity)
    w = _scalar(water_rate, "kg/s", "water_rate")
    return bool(w < need.water_rate.to("kg/s").magnitude)
