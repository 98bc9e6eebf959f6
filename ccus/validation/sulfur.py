"""Sulfur mineralised in a model run: S in newly formed sulfide minerals / S injected, over time.

Clark et al. (2020, GCA 279:45) report that 76 % of the sulfur injected at CarbFix2 as dissolved
H2S was mineralised within 4-9 months. A Result carries the amount of every mineral [mol, the
whole model] and the carbon injected so far [mol], not the sulfur injected; both gases are
dissolved in the same injection water, so over an output interval the sulfur injected is the
carbon injected in it times the phase's H2S / CO2 mole ratio
(:meth:`ccus.config.injection.InjectionPhase.moles_per_kg_water`). The sulfide minerals are
those whose formula holds S and no O (pyrite FeS2, mackinawite FeS, pyrrhotite ...): sulfates
such as anhydrite are not counted as mineralised H2S.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class SulfurFraction:
    """S in sulfide minerals formed / S injected over the run's output times."""

    time_d: np.ndarray  # [d]
    injected_mol: np.ndarray  # S injected so far [mol]
    in_sulfides_mol: np.ndarray  # S in sulfide minerals formed since time zero [mol]
    minerals: dict[str, float]  # sulfide mineral -> S atoms per formula unit
    site_to_injectate: float | None  # S per kg of formation water / S per kg of injectate [-]

    @property
    def fraction(self) -> np.ndarray:
        """[-]; NaN while no sulfur has been injected."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.injected_mol > 0, self.in_sulfides_mol / self.injected_mol, np.nan)

    def at(self, days: float) -> float | None:
        """The fraction at ``days`` (linear interpolation of both amounts), None outside the run."""
        t = self.time_d
        if days < t[0] or days > t[-1] * (1 + 1e-9):
            return None
        inj = float(np.interp(days, t, self.injected_mol))
        return None if inj <= 0 else float(np.interp(days, t, self.in_sulfides_mol)) / inj


def sulfide_minerals(result) -> dict[str, float]:
    """Minerals of ``result`` whose formula holds S and no O, with S atoms per formula unit."""
    out = {}
    for name, info in result.minerals.items():
        el = info.get("elements", {}) or {}
        if float(el.get("S", 0) or 0) > 0 and float(el.get("O", 0) or 0) == 0 and f"{name} amount" in result.series:
            out[name] = float(el["S"])
    return out


def sulfur_injected(result, experiment) -> np.ndarray | None:
    """S injected so far [mol] at each output time, from the run's carbon injected and each phase's H2S / CO2.

    None when a phase carries H2S but no CO2 (its water then cannot be read from the carbon series)
    or the Result has no ``carbon injected`` series.
    """
    if "carbon injected" not in result.series:
        return None
    t = result.time.to("s").magnitude
    c_inj = np.asarray(result.series["carbon injected"].to("mol").magnitude, dtype=float)
    ratios = []
    for ph in experiment.injection.phases:
        m = ph.moles_per_kg_water()
        c, s = m.get("CO2", 0.0), m.get("H2S", 0.0)
        if s > 0 and c <= 0:
            return None
        start = ph.start.to("s").magnitude
        ratios.append((start, start + ph.duration.to("s").magnitude, s / c if c > 0 else 0.0))
    mid = 0.5 * (t[1:] + t[:-1])
    r = np.zeros_like(mid)
    for a, b, ratio in ratios:
        r[(mid > a) & (mid <= b + 1e-6 * max(b - a, 1.0))] = ratio
    # an interval that adds carbon outside every phase window (a shift ending just after a phase ends)
    # takes the ratio of the phase that ended last before it
    d_c = np.diff(c_inj)
    for i in np.nonzero((d_c > 0) & (r == 0))[0]:
        before = [x for x in ratios if x[0] < mid[i]]
        if before:
            r[i] = max(before, key=lambda x: x[0])[2]
    return np.concatenate([[0.0], np.cumsum(d_c * r)])


def sulfur_fraction(result, experiment) -> SulfurFraction | None:
    """S in newly formed sulfide minerals / S injected, over the run; None if no S was injected."""
    s_inj = sulfur_injected(result, experiment)
    if s_inj is None or s_inj[-1] <= 0:
        return None
    minerals = sulfide_minerals(result)
    in_sulfides = np.zeros_like(s_inj)
    for name, n_s in minerals.items():
        amt = np.asarray(result.series[f"{name} amount"].to("mol").magnitude, dtype=float)
        in_sulfides = in_sulfides + n_s * (amt - amt[0])
    site = None
    water = getattr(getattr(experiment, "site", None), "water", None)
    comp = getattr(water, "composition", {}) or {}
    s_site = sum(q.to("mol/kg").magnitude for k, q in comp.items() if k == "S" or k.startswith("S("))
    s_per_kg = max((ph.moles_per_kg_water().get("H2S", 0.0) for ph in experiment.injection.phases), default=0.0)
    if s_per_kg > 0:
        site = float(s_site) / s_per_kg
    return SulfurFraction(result.time.to("day").magnitude, s_inj, in_sulfides, minerals, site)
