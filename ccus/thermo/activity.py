"""LLNL "B-dot" activity model as PHREEQC computes it for llnl-type databases.

For species with ``-llnl_gamma a`` (ion size a [Angstrom]) and charge z != 0

    log10 gamma = -A z^2 sqrt(I) / (1 + a B sqrt(I)) + bdot I

and log10 gamma = 0 for neutral species with ``-llnl_gamma``. Species with
``-co2_llnl_gamma`` (CO2, O2, H2 in Kinec_v3.dat) use Drummond's (1981) polynomial

    ln gamma = (c1 + c2 T + c3 / T) I - (c4 + c5 T) I / (1 + I)         (T in K)

A, B and bdot are interpolated linearly in temperature (degC) between the two
bracketing rows of LLNL_AQUEOUS_MODEL_PARAMETERS (PHREEQC ``calc_gammas``);
outside the table's range PHREEQC stops with an error, and so do we.
Species with ``-gamma a b`` use the WATEQ form with the same A, B
(PHREEQC takes those from its own dielectric model; not used by Kinec_v3).

Water activity (PHREEQC, non-Pitzer): a_w = 1 - 0.017 sum_i m_i over all
solute species, for 1 kg of water.
"""

from __future__ import annotations

import numpy as np

from ccus.errors import ConfigError

LN10 = np.log(10.0)
AH2O_FACTOR = 0.017

#: gamma kind codes used in arrays
KIND_NONE, KIND_LLNL, KIND_CO2, KIND_WATEQ = 0, 1, 2, 3


def llnl_parameters_at(temperatures_c, dh_a, dh_b, bdot, tc: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A, B, bdot at temperatures ``tc`` [degC], interpolated like PHREEQC."""
    tc = np.atleast_1d(np.asarray(tc, dtype=float))
    t = np.asarray(temperatures_c, dtype=float)
    if np.any(tc < t[0]) or np.any(tc > t[-1]):
        bad = tc[(tc < t[0]) | (tc > t[-1])][0]
        raise ConfigError(
            f"temperature {bad:g} degC outside the range of LLNL_AQUEOUS_MODEL_PARAMETERS ({t[0]:g}-{t[-1]:g} degC)"
        )
    return (np.interp(tc, t, dh_a), np.interp(tc, t, dh_b), np.interp(tc, t, bdot))


def log_gamma(
    ionic_strength: np.ndarray,
    charge: np.ndarray,
    ion_size: np.ndarray,
    kind: np.ndarray,
    wateq_b: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    bdot: np.ndarray,
    co2_coefs: np.ndarray,
    temperature_k: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """log10 gamma (N, ns) and its derivative with respect to I (N, ns).

    ``ionic_strength``, ``a``, ``b``, ``bdot``, ``temperature_k`` have shape (N,);
    the species arrays have shape (ns,).
    """
    plan = gamma_plan(charge, ion_size, kind, wateq_b)
    tab, dtab = log_gamma_table(ionic_strength, plan, a, b, bdot, co2_coefs, temperature_k)
    idx = plan["index"]
    return tab[:, idx], dtab[:, idx]


def log_gamma_table(
    ionic_strength: np.ndarray,
    plan: dict,
    a: np.ndarray,
    b: np.ndarray,
    bdot: np.ndarray,
    co2_coefs: np.ndarray,
    temperature_k: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """log10 gamma and d log10 gamma / dI of each distinct species behaviour, (N, ncol) each.

    Species ``i`` takes column ``plan["index"][i]`` (:func:`gamma_plan`): column 0 is
    gamma = 1, then one column per distinct (z^2, ion size, LLNL?, WATEQ b), the last
    Drummond's CO2 expression. A handful of columns instead of one per species, so that
    callers can fold the gather into a matrix product (``tab @ plan["select"]``).
    """
    mu = np.maximum(np.asarray(ionic_strength, dtype=float), 1e-10)[:, None]
    sq = np.sqrt(mu)
    n = mu.shape[0]
    tab = np.zeros((n, plan["ncol"]))
    dtab = np.zeros_like(tab)
    pairs = plan["pairs"]
    if pairs.shape[0]:
        inv = 1.0 / (1.0 + (b[:, None] * sq) * pairs[None, :, 1])
        az = a[:, None] * pairs[None, :, 0]
        slope = np.where(pairs[None, :, 2] > 0, bdot[:, None], 0.0) + pairs[None, :, 3]
        cols = slice(1, 1 + pairs.shape[0])
        tab[:, cols] = slope * mu - az * sq * inv
        dtab[:, cols] = slope - 0.5 * az * inv * inv / sq
    c = np.asarray(co2_coefs, dtype=float)
    if c.size == 5 and plan["has_co2"]:
        T = np.asarray(temperature_k, dtype=float)[:, None]
        p1 = c[0] + c[1] * T + c[2] / T
        p2 = c[3] + c[4] * T
        tab[:, -1:] = (p1 * mu - p2 * mu / (mu + 1.0)) / LN10
        dtab[:, -1:] = (p1 - p2 / (mu + 1.0) ** 2) / LN10
    return tab, dtab


_PLANS: dict[bytes, dict] = {}


def gamma_plan(charge, ion_size, kind, wateq_b) -> dict:
    """Map each species to a column of :func:`log_gamma_table` (cached per species set).

    Keys: ``index`` (ns,) column of each species, ``select`` (ncol, ns) the same as a 0/1
    matrix, ``ncol``, ``pairs`` (Debye-Hueckel columns: z^2, a, LLNL?, WATEQ b), ``has_co2``.
    Column 0 = gamma 1, then the Debye-Hueckel pairs, the last Drummond's CO2 expression.
    """
    key = b"".join(np.ascontiguousarray(v, dtype=float).tobytes() for v in (charge, ion_size, kind, wateq_b))
    plan = _PLANS.get(key)
    if plan is not None:
        return plan
    charged = charge != 0
    dh = ((kind == KIND_LLNL) | (kind == KIND_WATEQ)) & charged
    rows = np.stack(
        [charge**2, ion_size, (kind == KIND_LLNL).astype(float), np.where(kind == KIND_WATEQ, wateq_b, 0.0)], axis=1
    )
    pairs, inverse = (np.unique(rows[dh], axis=0, return_inverse=True) if dh.any() else (np.zeros((0, 4)), []))
    index = np.zeros(charge.size, dtype=int)
    index[dh] = 1 + np.asarray(inverse).reshape(-1)
    co2 = kind == KIND_CO2
    ncol = 1 + pairs.shape[0] + 1
    index[co2] = ncol - 1
    select = np.zeros((ncol, charge.size))
    select[index, np.arange(charge.size)] = 1.0
    plan = {"pairs": pairs, "index": index, "select": select, "ncol": ncol, "has_co2": bool(co2.any())}
    if len(_PLANS) > 64:
        _PLANS.clear()
    _PLANS[key] = plan
    return plan


def log_water_activity(sum_molality: np.ndarray) -> np.ndarray:
    """log10 a_w = log10(1 - 0.017 sum m) for 1 kg water (PHREEQC's non-Pitzer expression)."""
    aw = 1.0 - AH2O_FACTOR * np.asarray(sum_molality, dtype=float)
    return np.log10(np.maximum(aw, 1e-3))
