"""Native equilibrium speciation: Newton's method on log activities, batched over N waters.

Unknowns of each water (PHREEQC's choice of master unknowns):

- ``la_k``: log10 activity of the master species of each entered state k,
- ``la_H``: log10 a(H+) when the pH comes from the charge balance,
- ``ln I``: natural log of the ionic strength,
- ``xi_p``: moles of equilibrium phase p dissolved (negative: precipitated).

Every species i is a function of these (mass action):

    log10 m_i = log10 K_i(T) + sum_k nu_ik la_k + nu_iH la_H + nu_ie (-pe) + nu_iw log10 a_w
                - log10 gamma_i(I)

and the equations are

- mass balance, in log form:   log10(sum_i nu_ik m_i) = log10(T_k + sum_p nu_pk xi_p)
- charge balance (pH free):    sum_i z_i m_i = 0
- ionic strength:              ln(0.5 sum_i z_i^2 m_i) = ln I
- phase p in the assemblage:   SI_p = target_p, unless all of it dissolved (xi_p = amount_p,
                               SI_p < target_p).

- water activity:              a_w = 1 - 0.017 sum_i m_i (unknown log10 a_w),
- with equilibrium phases, the water mass W (unknown ln W) from the oxygen balance:
  W / M_w = 1 kg / M_w + sum_p nu_pw xi_p - sum_i nu_iw (n_i - n_i0), where n_i0 are
  the moles of the initial solution (PHREEQC reacts phases with the speciated
  solution; its water mass changes the same way), mass balances then in moles.

Jacobians are stacked (N, n, n) and solved with one batched ``numpy.linalg.solve``.
Without phases the water mass is 1 kg; pe is fixed (PHREEQC's initial-solution
conventions). Robustness without hand-tuned starting values: totals as activities,
diagonal mass-balance sweeps, a starting pH from a charge-balance scan, then Newton
with the pH as a bracketed outer unknown (it moves once the other residuals are
below 1e-2) and backtracking on the other residuals.

All arrays are plain SI floats / molalities [mol/kg water]; pint lives in
:mod:`ccus.chemistry.api`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, fields

import numpy as np

from ccus.errors import ConvergenceError
from ccus.thermo.activity import AH2O_FACTOR, LN10, gamma_plan, llnl_parameters_at, log_gamma_table
from ccus.thermo.gas import pr_log10_phi, solid_pressure_shift
from ccus.thermo.logk import analytic_basis, log_k
from ccus.thermo.system import ReducedSystem

#: molality used for a state whose total is zero (log form needs a positive total) [mol/kg]
ZERO_TOTAL = 1e-30
M_WATER_KG = 0.01801528  # kg/mol
_MAX_LOGM = 4.0
#: the pH moves (charge balance) once the other residuals are below this (log10 units)
OUTER_THRESHOLD = 1e-2
#: waters per chunk of a large batch (small enough to stay in cache, large enough to vectorise)
CHUNK = 5000
#: diagonal mass-balance corrections per grid point of the starting-pH scan
SCAN_CORRECTIONS = 2
#: regula-falsi refinements of the starting pH inside the bracket found on the scan grid
SCAN_REFINE = 3
#: after an outer step larger than this (pH units) the mass balances are re-swept
BIG_PH_STEP = 0.3
#: mass-balance sweeps (passes, tolerance in log10 units) after the starting pH is set
SCAN_SWEEPS, SCAN_SWEEP_TOL = 10, 0.3


@dataclass
class SpeciationArrays:
    """Result of :func:`solve` (plain arrays; N waters, ns species, np phases)."""

    system: ReducedSystem
    temperature_k: np.ndarray  # (N,)
    log_molality: np.ndarray  # (N, ns) log10 [mol/kg]
    log_gamma: np.ndarray  # (N, ns)
    la_h: np.ndarray  # (N,) log10 a(H+)
    pe: np.ndarray  # (N,)
    la_w: np.ndarray  # (N,) log10 a(H2O)
    ionic_strength: np.ndarray  # (N,) [mol/kg]
    saturation_index: np.ndarray  # (N, np)
    phase_moles_dissolved: np.ndarray  # (N, neq) [mol] per kg water, negative: precipitated
    iterations: np.ndarray  # (N,)
    totals: np.ndarray  # (N, nc) totals after phase reactions [mol/kg water]
    water_mass_kg: np.ndarray  # (N,) water mass (1 kg unless equilibrium phases react)

    @property
    def pH(self) -> np.ndarray:
        return -self.la_h


def solve(
    system: ReducedSystem,
    totals: np.ndarray,
    temperature_k: np.ndarray,
    ph: np.ndarray | None = None,
    charge_balance: np.ndarray | bool = True,
    pe: np.ndarray | float = 4.0,
    eq_phases: list[str] | None = None,
    eq_targets: np.ndarray | None = None,
    eq_amounts: np.ndarray | None = None,
    pressure_atm: np.ndarray | float = 1.0,
    max_iterations: int = 200,
    tolerance: float = 1e-12,
    threads: int | None = None,
) -> SpeciationArrays:
    """Speciate N waters of one reduced system.

    Large batches are split into chunks of :data:`CHUNK` waters solved in ``threads``
    threads (default: one per CPU; numpy releases the GIL in the array work).
    Results do not depend on the chunking: every water is solved independently.

    Parameters
    ----------
    totals
        (N, nc) total molalities of the entered states [mol/kg water].
    temperature_k
        (N,) temperatures [K].
    ph
        (N,) pH: fixed where ``charge_balance`` is False, starting value elsewhere
        (``None``: start at 7).
    charge_balance
        bool or (N,) bools: adjust pH to electroneutrality.
    pe
        (N,) or scalar pe (PHREEQC default 4).
    eq_phases, eq_targets, eq_amounts
        Equilibrium phases: names (neq,), target SI (N, neq) and moles available
        (N, neq) per kg water (like PHREEQC EQUILIBRIUM_PHASES; ``CO2(g)`` with target
        log10 pCO2/atm fixes the CO2 partial pressure; a gas with critical
        constants is held at fugacity phi p, phi from Peng-Robinson, as PHREEQC does).
    pressure_atm
        (N,) or scalar pressure [atm]; shifts log K of solids with a molar volume
        (PHREEQC's behaviour for llnl-type databases, :mod:`ccus.thermo.gas`).

    Raises
    ------
    ConvergenceError
        Naming the first water that did not converge, its residual and equation.
    """
    totals = np.atleast_2d(np.asarray(totals, dtype=float))
    n = totals.shape[0]
    if threads is None:
        threads = os.cpu_count() or 1
    n_chunks = max(1, int(np.ceil(n / CHUNK)))
    if n_chunks == 1:
        return _solve(
            system, totals, temperature_k, ph, charge_balance, pe, eq_phases, eq_targets, eq_amounts,
            pressure_atm, max_iterations, tolerance,
        )  # fmt: skip
    bounds = np.linspace(0, n, n_chunks + 1).astype(int)

    def part(a, lo, hi):
        if a is None:
            return None
        a = np.asarray(a)
        return a[lo:hi] if a.ndim >= 1 and a.shape[0] == n else a

    def run(lo, hi):
        try:
            return _solve(
                system, totals[lo:hi], part(np.broadcast_to(np.asarray(temperature_k, float), (n,)), lo, hi),
                part(ph, lo, hi), part(charge_balance, lo, hi), part(pe, lo, hi), eq_phases,
                part(eq_targets, lo, hi), part(eq_amounts, lo, hi), part(pressure_atm, lo, hi),
                max_iterations, tolerance,
            )  # fmt: skip
        except ConvergenceError as exc:  # renumber the water within the whole batch
            msg = re.sub(r"system (\d+)", lambda mt: f"system {int(mt.group(1)) + lo}", str(exc), count=1)
            raise ConvergenceError(msg) from None

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
        parts = list(pool.map(run, bounds[:-1], bounds[1:]))
    first = parts[0]
    merged = {}
    for f in fields(SpeciationArrays):
        if f.name == "system":
            continue
        merged[f.name] = np.concatenate([getattr(p_, f.name) for p_ in parts], axis=0)
    return SpeciationArrays(system=first.system, **merged)


def _solve(
    system, totals, temperature_k, ph, charge_balance, pe, eq_phases, eq_targets, eq_amounts,
    pressure_atm, max_iterations, tolerance,
) -> SpeciationArrays:  # fmt: skip
    arr = system.arrays()
    nc = len(system.states)
    totals = np.atleast_2d(np.asarray(totals, dtype=float))
    n = totals.shape[0]
    tk = np.broadcast_to(np.asarray(temperature_k, dtype=float), (n,)).copy()
    cb = np.broadcast_to(np.asarray(charge_balance, dtype=bool), (n,)).copy()
    pe_arr = np.broadcast_to(np.asarray(pe, dtype=float), (n,)).copy()
    if ph is None:
        if not cb.all():
            raise ValueError("pH must be given where charge_balance is False")
        ph_arr = np.full(n, 7.0)
    else:
        ph_arr = np.broadcast_to(np.asarray(ph, dtype=float), (n,)).copy()
    tot = np.maximum(totals, ZERO_TOTAL)

    eq_phases = list(eq_phases or [])
    neq = len(eq_phases)
    if neq:
        pidx = [system.phases.index(p) for p in eq_phases]
        P = arr["p_stoich"][pidx]  # (neq, nc)
        targets = np.broadcast_to(np.asarray(eq_targets, float), (n, neq)).copy()
        amounts = np.broadcast_to(np.asarray(eq_amounts, float), (n, neq)).copy()
    else:
        pidx = []
        P = np.zeros((0, nc))
        targets = amounts = np.zeros((n, 0))

    if neq:
        # PHREEQC reacts the phases with the speciated initial solution (1 kg water); the
        # water bound in its species is the reference of the water (oxygen) balance
        init = _solve(
            system, totals, tk, None if ph is None else ph_arr, cb, pe_arr, None, None, None,
            pressure_atm, max_iterations, tolerance,
        )  # fmt: skip
        bound0 = (10.0**init.log_molality) @ arr["nu_w"]
        ph_arr = init.pH
    S = arr["stoich"]  # (ns, nc)
    z = arr["charge"]
    z2 = z**2
    nu_h, nu_e, nu_w = arr["nu_h"], arr["nu_e"], arr["nu_w"]
    plgk = log_k(arr["p_logk"], tk)
    p_atm = np.broadcast_to(np.asarray(pressure_atm, dtype=float), (n,))
    vm = np.array([v if v is not None else 0.0 for v in system.phase_vm], float)
    if np.any(p_atm > 1.0) and vm.size:
        plgk = plgk + solid_pressure_shift(vm[None, :], p_atm[:, None], tk[:, None])
    for p_i, p_name in enumerate(eq_phases):
        j = system.phases.index(p_name)
        tc, pc, om = system.phase_tc[j], system.phase_pc[j], system.phase_omega[j]
        if tc and pc:
            targets[:, p_i] = targets[:, p_i] + pr_log10_phi(10.0 ** targets[:, p_i], tk, tc, pc, om or 0.0)
    a_dh, b_dh, bdot = llnl_parameters_at(
        system.llnl_temperatures, system.llnl_a, system.llnl_b, system.llnl_bdot, tk - 273.15
    )
    co2 = np.asarray(system.llnl_co2, float)
    la_e = -pe_arr
    if neq:
        p_nu_h = arr["p_nu_h"][pidx]
        p_nu_w = arr["p_nu_w"][pidx]
        p_nu_e = arr["p_nu_e"][pidx]

    ih, ii, iw = nc, nc + 1, nc + 2
    ix = nc + 3
    ixe = ix + neq
    # with equilibrium phases the water mass is an unknown too (ln W [kg], O balance)
    has_w = neq > 0
    iwm = ixe
    nun = nc + 3 + neq + (1 if has_w else 0)

    # Mass action as one matrix product per evaluation, in natural-log units:
    #   ln m = LN10 * ([la, la_h, (ln I), la_w] @ A + basis(T) @ logK + la_e nu_e - tab @ select)
    # where tab (N, ncol) holds log10 gamma of each distinct activity-coefficient behaviour
    # (a dozen columns instead of one per species; ccus.thermo.activity.log_gamma_table).
    plan = gamma_plan(z, arr["ion_size"], arr["kind"], arr["wateq_b"])
    ns = S.shape[0]
    A_mat = np.vstack([S.T, nu_h[None, :], np.zeros((1, ns)), nu_w[None, :]])  # rows: la, la_h, (ln I), la_w
    static = np.hstack([analytic_basis(tk), la_e[:, None]])  # per water: log K basis, la_e
    M_ln = LN10 * np.vstack([A_mat, arr["logk"].T, nu_e[None, :], -plan["select"]])
    o_tab = nc + 3 + static.shape[1]
    n_feat = o_tab + plan["ncol"]
    SEL = plan["select"]
    # Every sum over species the residuals and the Jacobian need is linear in m with constant
    # weights: one product m @ MOM per evaluation (columns below).
    D_static = np.zeros((ns, nc + 3))  # d log10 m / d (la, la_h, [ln I: activity part only], la_w)
    D_static[:, :nc] = S
    D_static[:, ih] = nu_h
    D_static[:, iw] = nu_w
    iu0, iu1 = np.triu_indices(nc)  # the mass-balance block sum_s m S_sk S_sj is symmetric
    W3 = np.vstack([z, z2, np.ones_like(z)])  # weights of the charge, ionic strength and water rows
    mom_blocks = [
        S,  # 0: totals
        np.stack([z, np.abs(z), z2, np.ones_like(z), nu_w], axis=1),  # nc..nc+4: sums
        S[:, iu0] * S[:, iu1],  # mass balance x mass balance (upper triangle)
        nu_h[:, None] * S,  # mass balance x la_h
        nu_w[:, None] * S,  # mass balance x la_w
        *(W3[a][:, None] * D_static for a in range(3)),  # charge, I, water rows
    ]
    if has_w:
        mom_blocks.append(nu_w[:, None] * D_static)  # water-mass row
    offsets = np.cumsum([0] + [b.shape[1] for b in mom_blocks])
    c_z, c_absz, c_z2, c_one, c_nuw = nc, nc + 1, nc + 2, nc + 3, nc + 4
    o_ss, o_hs, o_ws, o_lin = offsets[2], offsets[3], offsets[4], offsets[5]
    o_wm = offsets[8] if has_w else 0
    MOM = np.hstack(mom_blocks)
    # sums weighted by d log10 gamma / d ln I: (S, z, z^2, 1, nu_w)
    DLG_W = np.hstack([S, W3.T, nu_w[:, None]])
    # the mass-balance sweeps need totals, their diagonal derivative, I and the sum of m
    SWEEP_W = np.hstack([S, S**2, z2[:, None], np.ones((ns, 1))])
    ZA = np.stack([z, np.abs(z)], axis=1)  # charge and its scale
    LN_MIN, LN_MAX = -300.0 * LN10, _MAX_LOGM * LN10

    def species(x, rows):
        """ln m, m, log10 gamma table and d log10 gamma / d ln I table for the systems ``rows``."""
        mu = np.exp(x[:, ii])
        tab, dtab = log_gamma_table(mu, plan, a_dh[rows], b_dh[rows], bdot[rows], co2, tk[rows])
        f = np.empty((x.shape[0], n_feat))
        f[:, : nc + 3] = x[:, : nc + 3]
        f[:, nc + 3 : o_tab] = static[rows]
        f[:, o_tab:] = tab
        lnm = f @ M_ln
        np.clip(lnm, LN_MIN, LN_MAX, out=lnm)
        dtab *= mu[:, None]
        return lnm, np.exp(lnm), tab, dtab

    def phase_si(x, rows):
        si = x[:, :nc] @ P.T + x[:, ih, None] * p_nu_h + la_e[rows, None] * p_nu_e + x[:, iw, None] * p_nu_w
        return si - plgk[rows][:, pidx]

    def residual(x, rows, act):
        _, m, _, dtab = species(x, rows)
        mom = m @ MOM
        R = np.empty((x.shape[0], nun))
        tcalc = mom[:, :nc]
        target = np.maximum(tot[rows] + x[:, ix:ixe] @ P, ZERO_TOTAL)
        R[:, :nc] = np.log10(tcalc) - np.log10(target)
        if has_w:
            R[:, :nc] += x[:, iwm, None] / LN10
            w_kg = np.exp(x[:, iwm])
            # moles of water: initial 1 kg + water released by the phases - water bound in species
            R[:, iwm] = (
                (w_kg - 1.0) / M_WATER_KG - x[:, ix:ixe] @ p_nu_w + w_kg * mom[:, c_nuw] - bound0[rows]
            ) / (1.0 / M_WATER_KG)
        R[:, ih] = np.where(cb[rows], mom[:, c_z] / mom[:, c_absz], 0.0)
        R[:, ii] = np.log(0.5 * mom[:, c_z2]) - x[:, ii]
        R[:, iw] = 10.0 ** x[:, iw] - 1.0 + AH2O_FACTOR * mom[:, c_one]
        if neq:
            R[:, ix:ixe] = np.where(act, phase_si(x, rows) - targets[rows], 0.0)
        # sum_s m_s (d log10 gamma_s / d ln I) (S_sk, z_s, z_s^2, 1, nu_w,s) for the ln I column
        dl = (m * (dtab @ SEL)) @ DLG_W
        return R, (mom, dl, target)

    def jacobian(x, rows, act, cache):
        mom, dl, target = cache
        k = x.shape[0]
        tcalc = mom[:, :nc]
        J = np.zeros((k, nun, nun))
        ssv = mom[:, o_ss : o_ss + iu0.size]
        J[:, iu0, iu1] = ssv
        J[:, iu1, iu0] = ssv
        J[:, :nc, :nc] /= tcalc[:, :, None]
        J[:, :nc, ih] = mom[:, o_hs : o_hs + nc] / tcalc
        J[:, :nc, iw] = mom[:, o_ws : o_ws + nc] / tcalc
        J[:, :nc, ii] = -dl[:, :nc] / tcalc
        lin = mom[:, o_lin : o_lin + 3 * (nc + 3)].reshape(k, 3, nc + 3)
        lin[:, :, ii] = -dl[:, nc : nc + 3]
        if neq:
            J[:, :nc, ix:ixe] = -np.transpose(P)[None, :, :] / (LN10 * target[:, :, None])
        jc = LN10 * lin[:, 0] / mom[:, c_absz, None]
        J[:, ih, : nc + 3] = np.where(cb[rows, None], jc, 0.0)
        J[~cb[rows], ih, ih] = 1.0
        J[:, ii, : nc + 3] = LN10 * lin[:, 1] / mom[:, c_z2, None]
        J[:, ii, ii] -= 1.0
        J[:, iw, : nc + 3] = AH2O_FACTOR * LN10 * lin[:, 2]
        J[:, iw, iw] += LN10 * 10.0 ** x[:, iw]
        if has_w:
            w_kg = np.exp(x[:, iwm])
            J[:, :nc, iwm] = 1.0 / LN10
            scale_w = M_WATER_KG
            J[:, iwm, : nc + 3] = scale_w * w_kg[:, None] * LN10 * mom[:, o_wm : o_wm + nc + 3]
            J[:, iwm, ii] = scale_w * w_kg * LN10 * -dl[:, nc + 3]
            J[:, iwm, ix:ixe] = -scale_w * p_nu_w[None, :]
            J[:, iwm, iwm] = scale_w * (w_kg / M_WATER_KG + w_kg * mom[:, c_nuw])
        if neq:
            jp = np.zeros((k, neq, nun))
            jp[:, :, :nc] = P[None, :, :]
            jp[:, :, ih] = p_nu_h[None, :]
            jp[:, :, iw] = p_nu_w[None, :]
            J[:, ix:ixe, :] = np.where(act[:, :, None], jp, 0.0)
            for p_i in range(neq):
                J[~act[:, p_i], ix + p_i, ix + p_i] = 1.0
        return J

    # ---- starting point, without hand tuning: totals as activities, pH 7 (or given),
    # then sweeps of one-dimensional Newton steps on each mass balance at that pH,
    # PHREEQC-style, to bring every total within a factor ~2 before the full Newton
    x = np.zeros((n, nun))
    x[:, :nc] = np.log10(tot)
    x[:, ih] = -ph_arr
    master_z = np.array([_component_charge(system, k) for k in range(nc)])
    x[:, ii] = np.log(np.maximum(0.5 * (tot * master_z**2).sum(axis=1), 1e-7))
    x[:, iw] = np.log10(np.clip(1.0 - AH2O_FACTOR * tot.sum(axis=1), 0.05, 1.0))
    active = np.ones((n, neq), dtype=bool)
    all_rows = np.arange(n)
    def sweep(xs: np.ndarray, rows: np.ndarray, passes: int, tol: float) -> np.ndarray:
        """One-dimensional Newton steps on each mass balance (others held), I and a_w damped."""
        target = np.maximum(tot[rows] + xs[:, ix:ixe] @ P, ZERO_TOTAL)
        live = np.arange(xs.shape[0])
        for _ in range(passes):
            xl = xs[live]
            _, m, _, _ = species(xl, rows[live])
            sw = m @ SWEEP_W
            tcalc = sw[:, :nc]
            r_mb = np.log10(tcalc) - np.log10(target[live])
            if has_w:
                r_mb += xl[:, iwm, None] / LN10
            diag = sw[:, nc : 2 * nc] / tcalc
            xl[:, :nc] -= np.clip(r_mb / np.maximum(diag, 1e-3), -3.0, 3.0)
            # damped updates of I and a_w (a direct substitution oscillates at high I)
            ln_ic = np.log(np.clip(0.5 * sw[:, 2 * nc], 1e-10, 20.0))
            xl[:, ii] += np.clip(ln_ic - xl[:, ii], -0.5, 0.5)
            la_w_new = np.log10(np.clip(1.0 - AH2O_FACTOR * sw[:, 2 * nc + 1], 0.05, 1.0))
            xl[:, iw] += np.clip(la_w_new - xl[:, iw], -0.05, 0.05)
            xs[live] = xl
            live = live[np.abs(r_mb).max(axis=1) >= tol]
            if live.size == 0:
                break
        return xs

    x = sweep(x, all_rows, 60, 0.3)

    def ph_scan(xs: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Starting pH shift from the charge balance: a bracket on a grid, then regula falsi.

        Grid of shifts of log10 a(H+) -7..+7 (step 2); at each point the species are shifted
        by 10^(shift nu_H) and re-balanced with a diagonal mass-balance correction (activity
        coefficients held). The charge rises with a(H+), so starting from -1 and +1 each water
        marches outwards only until its charge changes sign (most need 2-4 grid points), and
        the root is refined inside that bracket by :data:`SCAN_REFINE` regula-falsi (Illinois)
        steps. No sign change on the grid: shift 0. Cheap (no Jacobian); saves Newton
        iterations.
        """
        _, m0, _, _ = species(xs, rows)
        ln_tot = np.log(np.maximum(tot[rows] + xs[:, ix:ixe] @ P, ZERO_TOTAL))
        if has_w:
            ln_tot -= xs[:, iwm, None]
        m_lo, m_hi = np.exp(LN_MIN), np.exp(LN_MAX)  # the bounds of species()

        def charge_at(sel, factor):
            """Relative charge of the rows ``sel`` with m_s multiplied by ``factor``, re-balanced."""
            m = np.clip(m0[sel] * factor, m_lo, m_hi)
            for _ in range(SCAN_CORRECTIONS):
                m *= np.exp((ln_tot[sel] - np.log(m @ S)) @ S.T)
                np.clip(m, m_lo, m_hi, out=m)
            zz = m @ ZA
            return zz[:, 0] / zz[:, 1]

        grid = np.arange(-7.0, 7.01, 2.0)
        fac = 10.0 ** (grid[:, None] * nu_h[None, :])  # shifting log10 a(H+) multiplies m_s by this
        k_rows = xs.shape[0]
        rr = np.arange(k_rows)
        with np.errstate(over="ignore", under="ignore"):
            i_lo = np.full(k_rows, grid.size // 2 - 1)  # shift -1
            i_hi = i_lo + 1  # shift +1
            c_lo = charge_at(rr, fac[i_lo[0]])
            c_hi = charge_at(rr, fac[i_hi[0]])
            # march up (still negative at the upper end) or down (non-negative at the lower end)
            up = np.flatnonzero(c_hi < 0)
            while up.size:
                i_lo[up], c_lo[up] = i_hi[up], c_hi[up]
                i_hi[up] += 1
                c_hi[up] = charge_at(up, fac[i_hi[up]])
                up = up[(c_hi[up] < 0) & (i_hi[up] < grid.size - 1)]
            down = np.flatnonzero(c_lo >= 0)
            while down.size:
                i_hi[down], c_hi[down] = i_lo[down], c_lo[down]
                i_lo[down] -= 1
                c_lo[down] = charge_at(down, fac[i_lo[down]])
                down = down[(c_lo[down] >= 0) & (i_lo[down] > 0)]
            ok = (c_lo < 0) & (c_hi >= 0)  # a sign change on the grid
            s_lo, s_hi = grid[i_lo], grid[i_hi]
            # refine inside the bracket by regula falsi (Illinois variant)
            sel = np.flatnonzero(ok)
            side = np.zeros(sel.size, dtype=int)
            sl, sh, cl, ch = s_lo[sel], s_hi[sel], c_lo[sel], c_hi[sel]
            for _ in range(SCAN_REFINE):
                if not sel.size:
                    break
                s_new = sl + (sh - sl) * np.clip(-cl / np.where(ch != cl, ch - cl, 1.0), 0.0, 1.0)
                c_new = charge_at(sel, np.exp((LN10 * s_new)[:, None] * nu_h[None, :]))
                low = c_new < 0
                sl, cl = np.where(low, s_new, sl), np.where(low, c_new, cl)
                sh, ch = np.where(low, sh, s_new), np.where(low, ch, c_new)
                # Illinois: halve the value kept at an end that stays twice in a row
                ch = np.where(low & (side == -1), 0.5 * ch, ch)
                cl = np.where(~low & (side == 1), 0.5 * cl, cl)
                side = np.where(low, -1, 1)
        shift = np.zeros(k_rows)
        shift[sel] = sl + (sh - sl) * np.clip(-cl / np.where(ch != cl, ch - cl, 1.0), 0.0, 1.0)
        return shift

    if cb.any():
        rows_cb = np.flatnonzero(cb)
        xc = x[rows_cb]
        xc[:, ih] += ph_scan(xc, rows_cb)
        x[rows_cb] = sweep(xc, rows_cb, SCAN_SWEEPS, SCAN_SWEEP_TOL)

    # pH from the charge balance is solved as an outer problem: the mass balances (with the
    # pH held) are converged first ("inner" iterations, robust in log form), then one Newton
    # step of the whole system moves the pH, safeguarded by a bracket on log a(H+) (the charge
    # balance increases monotonically with a(H+)). Close to the solution this is plain Newton.
    h_lo = np.full(n, -20.0)
    h_hi = np.full(n, 4.0)
    iterations = np.zeros(n, dtype=int)
    done = np.zeros(n, dtype=bool)
    best = np.full(n, np.inf)
    stall = np.zeros(n, dtype=int)
    # residuals and species of the current iterate of every water, reused from the line search
    R_cur, cache_cur = residual(x, all_rows, active)
    cache_cur = list(cache_cur)
    not_h = np.ones(nun, dtype=bool)
    not_h[ih] = False
    for it in range(max_iterations):
        todo = np.flatnonzero(~done)
        xt = x[todo]
        act = active[todo]
        R = R_cur[todo]
        cache = None  # species sums of the rows in `todo`, copied once the converged rows are out
        res = np.abs(R).max(axis=1)
        # converged, or stalled at round-off level (no 10x gain in 8 iterations below 1e-9)
        improving = res < 0.1 * best[todo]
        stall[todo] = np.where(improving, 0, stall[todo] + 1)
        best[todo] = np.minimum(best[todo], res)
        conv = (res < tolerance) | ((res < 1e-9) & (stall[todo] >= 8))
        if neq:
            # active set of equilibrium phases: exhausted (dissolved beyond the amount) or supersaturated again
            over = act & (xt[:, ix:ixe] > amounts[todo])
            under = (~act) & (phase_si(xt, todo) > targets[todo] + 1e-12)
            changed = over.any(axis=1) | under.any(axis=1)
            xt[:, ix:ixe] = np.where(over, amounts[todo], xt[:, ix:ixe])
            act = (act & ~over) | under
            active[todo] = act
            conv &= ~changed
            x[todo] = xt
            if changed.any():
                R, cache = residual(xt, todo, act)
        iterations[todo[conv]] = it
        done[todo[conv]] = True
        if done.all():
            break
        keep = ~conv
        todo, xt, act, R = todo[keep], xt[keep], act[keep], R[keep]
        cache = tuple(c[todo] for c in cache_cur) if cache is None else tuple(c[keep] for c in cache)
        J = jacobian(xt, todo, act, cache)
        inner_res = np.abs(R[:, not_h]).max(axis=1)
        outer = cb[todo] & (inner_res < OUTER_THRESHOLD)
        # bracket on la_H from the sign of the charge balance at inner-converged points
        if outer.any():
            # (only far from the root: near it the sign is not reliable, and Newton is)
            rows_o = todo[outer]
            # the sign is trusted where the charge residual dwarfs the other residuals
            far = np.abs(R[outer, ih]) > np.maximum(1e-6, 100.0 * inner_res[outer])
            pos = (R[outer, ih] > 0) & far
            neg = (R[outer, ih] < 0) & far
            h_hi[rows_o[pos]] = np.minimum(h_hi[rows_o[pos]], xt[outer, ih][pos])
            h_lo[rows_o[neg]] = np.maximum(h_lo[rows_o[neg]], xt[outer, ih][neg])
        freeze = ~outer
        R_sys = R.copy()
        R_sys[freeze, ih] = 0.0
        J[freeze, ih, :] = 0.0
        J[freeze, ih, ih] = 1.0
        try:
            delta = np.linalg.solve(J, -R_sys[:, :, None])[:, :, 0]
        except np.linalg.LinAlgError:
            delta = np.stack([_lstsq(J[k], -R_sys[k]) for k in range(J.shape[0])])
        bad = ~np.isfinite(delta).all(axis=1)
        if bad.any():
            delta[bad] = np.stack([_lstsq(J[k], -R_sys[k]) for k in np.flatnonzero(bad)])
            delta[~np.isfinite(delta)] = 0.0
        # outer (pH) step: at most 1 pH unit, inside the bracket, along the Newton direction
        if outer.any():
            rows_o = todo[outer]
            d_h = delta[outer, ih]
            h_new = xt[outer, ih] + np.clip(d_h, -1.0, 1.0)
            lo, hi = h_lo[rows_o], h_hi[rows_o]
            out_b = ((h_new <= lo) | (h_new >= hi)) & (hi - lo > 1e-9)
            h_new = np.where(out_b, 0.5 * (lo + hi), h_new)
            ratio = np.where(np.abs(d_h) > 0, (h_new - xt[outer, ih]) / np.where(d_h == 0, 1.0, d_h), 0.0)
            ratio = np.clip(ratio, 0.0, 1.0)
            delta[outer] *= ratio[:, None]
            delta[outer, ih] = h_new - xt[outer, ih]
        # inner steps: 2 log10 units for activities, 1 for ln I, 0.1 for log a_w
        scale = np.ones(delta.shape[0])
        scale = np.minimum(scale, 2.0 / np.maximum(np.abs(delta[:, :nc]).max(axis=1), 1e-300))
        scale = np.minimum(scale, 1.0 / np.maximum(np.abs(delta[:, ii]), 1e-300))
        scale = np.minimum(scale, 0.1 / np.maximum(np.abs(delta[:, iw]), 1e-300))
        if neq:
            old_t = tot[todo] + xt[:, ix:ixe] @ P
            d_t = np.where(act, delta[:, ix:ixe], 0.0) @ P
            with np.errstate(divide="ignore", invalid="ignore"):
                frac = np.where(d_t < 0, 0.9 * old_t / -d_t, np.inf)
            scale = np.minimum(scale, frac.min(axis=1))
            delta[:, ix:ixe] = np.where(act, delta[:, ix:ixe], 0.0)
        h_step = delta[:, ih].copy()
        delta *= scale[:, None]
        delta[:, ih] = np.where(outer, h_step, 0.0)
        # outer steps are taken whole; inner steps backtrack on the residual norm without the
        # charge balance (halve up to 6 times). The accepted point's residual is kept for the
        # next iteration.
        x[todo[outer]] = xt[outer] + delta[outer]
        big = outer & (np.abs(delta[:, ih]) > BIG_PH_STEP)
        if big.any():
            # after a large pH step re-balance every total at the new pH (cheap diagonal
            # sweeps): species with a steep pH dependence (Al(OH)4-, CO3-2) would run away
            x[todo[big]] = sweep(x[todo[big]], todo[big], 3, 1e-3)
        if outer.any():
            r_o, c_o = residual(x[todo[outer]], todo[outer], act[outer])
            R_cur[todo[outer]] = r_o
            for c_all, c_new in zip(cache_cur, c_o, strict=True):
                c_all[todo[outer]] = c_new
        inner = np.flatnonzero(~outer)
        norm0 = np.linalg.norm(R_sys[inner][:, not_h], axis=1)
        t = np.ones(inner.size)
        pending = np.arange(inner.size)
        for attempt in range(7):
            sel = inner[pending]
            rows = todo[sel]
            trial = xt[sel] + t[pending, None] * delta[sel]
            r_trial, c_trial = residual(trial, rows, act[sel])
            finite = np.isfinite(r_trial).all(axis=1)
            ok = finite & (np.linalg.norm(r_trial[:, not_h], axis=1) < norm0[pending] * (1.0 - 1e-4 * t[pending]))
            if attempt == 6:
                ok = finite  # last halving: take the step anyway
            if ok.all():  # the usual case: no second copy of the accepted rows
                acc, trial_ok, r_ok, c_ok = rows, trial, r_trial, c_trial
            else:
                acc, trial_ok, r_ok, c_ok = rows[ok], trial[ok], r_trial[ok], tuple(c[ok] for c in c_trial)
            x[acc] = trial_ok
            R_cur[acc] = r_ok
            for c_all, c_new in zip(cache_cur, c_ok, strict=True):
                c_all[acc] = c_new
            pending = pending[~ok]
            if pending.size == 0:
                break
            t[pending] *= 0.5
        if pending.size:
            # non-finite even after halving: Newton is stuck; leave it to the final report
            R_cur[todo[inner[pending]]] = np.inf

    if not done.all():
        k = int(np.flatnonzero(~done)[0])
        R, _ = residual(x[k : k + 1], np.array([k]), active[k : k + 1])
        j = int(np.argmax(np.abs(R[0])))
        lnm_k, _, _, _ = species(x[k : k + 1], np.array([k]))
        logm_k = lnm_k / LN10
        hint = ""
        if logm_k.max() >= _MAX_LOGM - 1e-9:
            sp = system.species[int(np.argmax(logm_k[0]))]
            hint = (
                f"; species {sp} runs away (molality 1e{_MAX_LOGM:g} mol/kg)"
                + (f": pe {pe_arr[k]:g} is outside the stability field of water at pH {-x[k, ih]:.2f}, "
                   f"{tk[k] - 273.15:.1f} degC" if sp in ("O2", "H2") else "")
            )
        raise ConvergenceError(
            f"speciation of system {k} did not converge in {max_iterations} iterations: "
            f"max residual {np.abs(R[0]).max():.3g} in {_equation_name(system, j, eq_phases)} "
            f"({int((~done).sum())} of {n} systems not converged){hint}"
        )

    lnm, _, tab, _ = species(x, all_rows)
    logm = lnm / LN10
    lg = tab[:, plan["index"]]
    la, la_h, la_w = x[:, :nc], x[:, ih], x[:, iw]
    si = la @ arr["p_stoich"].T + la_h[:, None] * arr["p_nu_h"] + la_e[:, None] * arr["p_nu_e"]
    si = si + la_w[:, None] * arr["p_nu_w"] - plgk
    xi = x[:, ix:ixe]
    water_kg = np.exp(x[:, iwm]) if has_w else np.ones(n)
    out = SpeciationArrays(
        system=system,
        temperature_k=tk,
        log_molality=logm,
        log_gamma=lg,
        la_h=la_h.copy(),
        pe=pe_arr,
        la_w=la_w.copy(),
        ionic_strength=np.exp(x[:, ii]),
        saturation_index=si,
        phase_moles_dissolved=xi.copy(),
        iterations=iterations,
        totals=(tot + xi @ P) / water_kg[:, None],
        water_mass_kg=water_kg,
    )
    for name, a in (("log molality", logm), ("saturation index", si), ("ionic strength", out.ionic_strength)):
        if not np.all(np.isfinite(a)):
            k = int(np.flatnonzero(~np.isfinite(a.reshape(n, -1)).all(axis=1))[0])
            raise ConvergenceError(f"speciation of system {k} produced a non-finite {name}")
    return out


def _lstsq(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.linalg.lstsq(a, b, rcond=None)[0]


def _component_charge(system: ReducedSystem, k: int) -> float:
    name = system.component_species[k]
    try:
        return system.charge[system.species.index(name)]
    except ValueError:
        return 0.0


def _equation_name(system: ReducedSystem, j: int, eq_phases: list[str]) -> str:
    nc = len(system.states)
    if j < nc:
        return f"mass balance of {system.states[j]}"
    if j == nc:
        return "charge balance"
    if j == nc + 1:
        return "ionic strength"
    if j == nc + 2:
        return "water activity"
    return f"equilibrium with {eq_phases[j - nc - 3]}"
