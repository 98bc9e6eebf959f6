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

The water activity a_w = 1 - 0.017 sum m is updated after every Newton step (it
enters the mass action of species with water in their reaction only, and
converges with the iteration); its change is part of the convergence test.
Jacobians are stacked (N, n, n) and solved with one batched ``numpy.linalg.solve``.
The water mass stays 1 kg and pe is fixed (PHREEQC's initial-solution
conventions).

All arrays are plain SI floats / molalities [mol/kg water]; pint lives in
:mod:`ccus.chemistry.api`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ccus.errors import ConvergenceError
from ccus.thermo.activity import LN10, llnl_parameters_at, log_gamma, log_water_activity
from ccus.thermo.gas import pr_log10_phi, solid_pressure_shift
from ccus.thermo.logk import log_k
from ccus.thermo.system import ReducedSystem

#: molality used for a state whose total is zero (log form needs a positive total) [mol/kg]
ZERO_TOTAL = 1e-30
_MAX_LOGM = 4.0


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
    totals: np.ndarray  # (N, nc) totals after phase reactions [mol/kg]

    @property
    def pH(self) -> np.ndarray:
        return -self.la_h


def _log_k_all(system: ReducedSystem, tk: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    arr = system.arrays()
    return log_k(arr["logk"], tk), log_k(arr["p_logk"], tk)


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
    tolerance: float = 1e-13,
) -> SpeciationArrays:
    """Speciate N waters of one reduced system.

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

    S = arr["stoich"]  # (ns, nc)
    z = arr["charge"]
    z2 = z**2
    nu_h, nu_e, nu_w = arr["nu_h"], arr["nu_e"], arr["nu_w"]
    lgk, plgk = _log_k_all(system, tk)
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

    # ---- starting point (no hand tuning: totals as activities, pH 7 or given, I from totals)
    la = np.log10(tot)
    la_h = -ph_arr
    master_z = np.array([_component_charge(system, k) for k in range(nc)])
    ionic = np.maximum(0.5 * (tot * master_z**2).sum(axis=1), 1e-7)
    ln_i = np.log(ionic)
    la_w = np.zeros(n)
    xi = np.zeros((n, neq))
    active = np.ones((n, neq), dtype=bool)

    nun = nc + 2 + neq
    ih, ii = nc, nc + 1
    iterations = np.zeros(n, dtype=int)
    done = np.zeros(n, dtype=bool)

    def evaluate(la, la_h, ln_i, la_w, xi):
        mu = np.exp(ln_i)
        lg, dlg = log_gamma(mu, z, arr["ion_size"], arr["kind"], arr["wateq_b"], a_dh, b_dh, bdot, co2, tk)
        logm = lgk + la @ S.T + la_h[:, None] * nu_h + la_e[:, None] * nu_e + la_w[:, None] * nu_w - lg
        logm = np.minimum(logm, _MAX_LOGM)
        m = 10.0**logm
        return lg, dlg * mu[:, None], logm, m

    def residual_and_jacobian(la, la_h, ln_i, la_w, xi, active):
        lg, dlg_dlni, logm, m = evaluate(la, la_h, ln_i, la_w, xi)
        R = np.zeros((n, nun))
        J = np.zeros((n, nun, nun))
        # mass balance (log form)
        tcalc = m @ S  # (N, nc)
        target = tot + xi @ P
        target_pos = np.maximum(target, ZERO_TOTAL)
        R[:, :nc] = np.log10(tcalc) - np.log10(target_pos)
        J[:, :nc, :nc] = np.einsum("sk,ns,sj->nkj", S, m, S) / tcalc[:, :, None]
        J[:, :nc, ih] = (m * nu_h) @ S / tcalc
        J[:, :nc, ii] = (m * -dlg_dlni) @ S / tcalc
        if neq:
            J[:, :nc, nc + 2 :] = -np.transpose(P)[None, :, :] / (LN10 * target_pos[:, :, None])
        # charge balance or fixed pH
        zm = m * z
        q = np.abs(zm).sum(axis=1)
        rc = zm.sum(axis=1) / q
        jc = np.zeros((n, nun))
        jc[:, :nc] = LN10 * (zm @ S) / q[:, None]
        jc[:, ih] = LN10 * (zm * nu_h).sum(axis=1) / q
        jc[:, ii] = LN10 * (zm * -dlg_dlni).sum(axis=1) / q
        R[:, ih] = np.where(cb, rc, 0.0)
        J[:, ih, :] = np.where(cb[:, None], jc, 0.0)
        J[~cb, ih, ih] = 1.0
        # ionic strength
        z2m = m * z2
        ic = 0.5 * z2m.sum(axis=1)
        R[:, ii] = np.log(ic) - ln_i
        J[:, ii, :nc] = LN10 * 0.5 * (z2m @ S) / ic[:, None]
        J[:, ii, ih] = LN10 * 0.5 * (z2m * nu_h).sum(axis=1) / ic
        J[:, ii, ii] = LN10 * 0.5 * (z2m * -dlg_dlni).sum(axis=1) / ic - 1.0
        # equilibrium phases
        if neq:
            si = la @ P.T + la_h[:, None] * arr["p_nu_h"][pidx] + la_e[:, None] * arr["p_nu_e"][pidx]
            si = si + la_w[:, None] * arr["p_nu_w"][pidx] - plgk[:, pidx]
            rows = nc + 2 + np.arange(neq)
            R[:, rows] = np.where(active, si - targets, 0.0)
            jp = np.zeros((n, neq, nun))
            jp[:, :, :nc] = P[None, :, :]
            jp[:, :, ih] = arr["p_nu_h"][pidx][None, :]
            J[:, rows, :] = np.where(active[:, :, None], jp, 0.0)
            inactive = ~active
            for p in range(neq):
                J[inactive[:, p], rows[p], rows[p]] = 1.0
        return R, J, m, logm, lg

    max_step_la = 2.0
    for it in range(max_iterations):
        R, J, m, logm, lg = residual_and_jacobian(la, la_h, ln_i, la_w, xi, active)
        new_la_w = log_water_activity(m.sum(axis=1) - 0.0)
        dw = np.abs(new_la_w - la_w)
        la_w = new_la_w
        res = np.abs(R).max(axis=1)
        conv = (res < tolerance) & (dw < 1e-14)
        # equilibrium-phase active set: phases dissolved beyond their amount
        if neq:
            over = active & (xi > amounts)
            under = (~active) & _supersaturated(la, la_h, la_w, la_e, P, arr, pidx, plgk, targets)
            changed = over.any(axis=1) | under.any(axis=1)
            xi = np.where(over, amounts, xi)
            active = (active & ~over) | under
            conv &= ~changed
        newly = conv & ~done
        iterations[newly] = it
        done |= conv
        if done.all():
            break
        todo = ~done
        Jt = J[todo]
        Rt = R[todo]
        try:
            delta = np.linalg.solve(Jt, -Rt[:, :, None])[:, :, 0]
        except np.linalg.LinAlgError:
            delta = np.stack([_lstsq(Jt[k], -Rt[k]) for k in range(Jt.shape[0])])
        if not np.all(np.isfinite(delta)):
            bad = ~np.isfinite(delta).all(axis=1)
            delta[bad] = np.stack([_lstsq(Jt[k], -Rt[k]) for k in np.flatnonzero(bad)])
        # step limits in log10 units for activities, ln units for I
        step_scale = np.ones(delta.shape[0])
        big = np.abs(delta[:, : nc + 1]).max(axis=1)
        step_scale = np.minimum(step_scale, max_step_la / np.maximum(big, 1e-300))
        big_i = np.abs(delta[:, ii])
        step_scale = np.minimum(step_scale, 2.0 / np.maximum(big_i, 1e-300))
        if neq:
            # keep the totals after phase reactions positive: at most 90 % of a total per step
            dxi = np.where(active[todo], delta[:, nc + 2 :], 0.0)
            old_t = tot[todo] + xi[todo] @ P
            d_t = dxi @ P
            with np.errstate(divide="ignore", invalid="ignore"):
                frac = np.where(d_t < 0, 0.9 * old_t / -d_t, np.inf)
            step_scale = np.minimum(step_scale, frac.min(axis=1))
        delta *= step_scale[:, None]
        la[todo] += delta[:, :nc]
        la_h[todo] += delta[:, ih]
        ln_i[todo] += delta[:, ii]
        if neq:
            xi[todo] += np.where(active[todo], delta[:, nc + 2 :], 0.0)

    if not done.all():
        k = int(np.flatnonzero(~done)[0])
        R, *_ = residual_and_jacobian(la, la_h, ln_i, la_w, xi, active)
        j = int(np.argmax(np.abs(R[k])))
        raise ConvergenceError(
            f"speciation of system {k} did not converge in {max_iterations} iterations: "
            f"max residual {np.abs(R[k]).max():.3g} in {_equation_name(system, j, eq_phases)} "
            f"({int((~done).sum())} of {n} systems not converged)"
        )

    R, J, m, logm, lg = residual_and_jacobian(la, la_h, ln_i, la_w, xi, active)
    si = la @ arr["p_stoich"].T + la_h[:, None] * arr["p_nu_h"] + la_e[:, None] * arr["p_nu_e"]
    si = si + la_w[:, None] * arr["p_nu_w"] - plgk
    out = SpeciationArrays(
        system=system,
        temperature_k=tk,
        log_molality=logm,
        log_gamma=lg,
        la_h=la_h,
        pe=pe_arr,
        la_w=la_w,
        ionic_strength=np.exp(ln_i),
        saturation_index=si,
        phase_moles_dissolved=xi,
        iterations=iterations,
        totals=tot + xi @ P,
    )
    for name, a in (("log molality", logm), ("saturation index", si), ("ionic strength", out.ionic_strength)):
        if not np.all(np.isfinite(a)):
            k = int(np.flatnonzero(~np.isfinite(a.reshape(n, -1)).all(axis=1))[0])
            raise ConvergenceError(f"speciation of system {k} produced a non-finite {name}")
    return out


def _supersaturated(la, la_h, la_w, la_e, P, arr, pidx, plgk, targets):
    si = la @ P.T + la_h[:, None] * arr["p_nu_h"][pidx] + la_e[:, None] * arr["p_nu_e"][pidx]
    si = si + la_w[:, None] * arr["p_nu_w"][pidx] - plgk[:, pidx]
    return si > targets + 1e-12


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
    return f"equilibrium with {eq_phases[j - nc - 2]}"
