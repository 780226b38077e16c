"""PhasedElimG: phased elimination with G-optimal designs (regret baseline; docs/topics/linear.md#phasedelimg).

Lattimore & Szepesvari, Bandit Algorithms (2020), Algorithm 12 (phased elimination with a G-optimal
design); analysed under misspecification by Lattimore, Szepesvari & Weisz (ICML 2020), whose abstract gives
regret of order sqrt(d n log k) + eps n sqrt(d) log n (arXiv wording) [standard]. Phase lengths as in
docs/topics/linear.md#phasedelimg (our two-sided, union-bounded variant of the book's allocation) [ours].

Runs are processed phase by phase; within a phase the runs that share an active set share its design
(cached), and their noisy phase means, least-squares estimates and eliminations are computed together:
Python per phase and per distinct active set, never per run or per round.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numba import njit

from theorylab.bandits.linear.design import g_optimal_design, span_coordinates
from theorylab.bandits.linear.draws import states_for
from theorylab.bandits.linear.instances import LinearInstance
from theorylab.bandits.linear.results import check_instance
from theorylab.core.streams import normal
from theorylab.core.validate import check_int, check_open_unit, check_real

__all__ = ["PhasedResult", "phased_elimination", "phase_lengths"]


@dataclass(frozen=True)
class PhasedResult:
    """Regret of PhasedElimG on each run, with per-phase diagnostics.

    Attributes
    ----------
    regret : float64 (R,)
        Pseudo-regret sum_t (max r - r(a_t)) over the horizon.
    active : bool (R, L + 1, K)
        Active sets A_1 .. A_{L+1} of each run (rows after the run ended repeat its last set).
    event : bool (R, L)
        Whether |<phi(a), theta_hat_l - theta*>| <= eps_l held on A_l (the noise event of the analysis;
        False after the run ended).
    phases : int64 (R,)
        Phases started by each run.
    info : dict
        ``played`` int64 (R, L): rounds each run played in each phase; ``p``, ``designs`` (distinct active
        sets designed), ``horizon``, ``length_growth``.

    Examples
    --------
    >>> import numpy as np
    >>> PhasedResult(np.zeros(2), np.ones((2, 2, 3), bool), np.ones((2, 1), bool), np.ones(2, np.int64)).regret.shape
    (2,)
    """

    regret: np.ndarray
    active: np.ndarray
    event: np.ndarray
    phases: np.ndarray
    info: dict = field(default_factory=dict)


@njit(cache=True)
def _normals(states, n):
    out = np.empty((states.size, n))
    for r in range(states.size):
        s = states[r]
        for j in range(n):
            s, out[r, j] = normal(s)
        states[r] = s
    return out


def phase_lengths(weights, g: float, sigma: float, K: int, phase: int, p: float,
                  length_growth: float = 4.0) -> np.ndarray:
    """T_l(a) = ceil(2 g sigma^2 pi(a) log(2 K l (l + 1) / p) / eps_l^2), eps_l = 2^-l, on supp(pi) (>= 1 each).

    With these lengths |<phi(a), theta_hat_l - theta*>| <= eps_l for every active a with probability
    >= 1 - p / (l (l + 1)) when well specified [derived; docs/topics/linear.md#phasedelimg].

    Parameters
    ----------
    weights : float array
        Design weights pi(a) on the support.
    g : float
        g(pi) of the design.
    sigma : float
        Noise standard deviation.
    K : int
        Number of actions.
    phase : int >= 1
        Phase index l.
    p : float in (0, 1)
        Failure probability.
    length_growth : float > 0
        Factor by which the lengths grow per phase: 1 / eps_l^2 is replaced by length_growth^l. The
        algorithm is 4 (= eps_{l-1}^2 / eps_l^2); other values only for the regret claim's break.

    Returns
    -------
    int64 array
        T_l(a) on the support, each >= 1.

    Examples
    --------
    >>> phase_lengths(np.array([0.5, 0.5]), 2.0, 1.0, 2, 1, 0.05).tolist()
    [41, 41]
    """
    scale = float(length_growth) ** phase
    raw = 2.0 * g * sigma**2 * weights * math.log(2.0 * K * phase * (phase + 1) / p) * scale
    return np.maximum(np.ceil(raw - 1e-9), 1).astype(np.int64)


def phased_elimination(instance: LinearInstance, horizon: int, seeds, p: float | None = None, tol: float = 0.01,
                       max_phases: int = 64, length_growth: float = 4.0) -> PhasedResult:
    """PhasedElimG for ``horizon`` rounds on every run of a batch.

    Phase l = 1, 2, ...: eps_l = 2^-l; G-optimal design pi_l on the active set A_l (in the span of A_l);
    play each a in supp(pi_l) T_l(a) times (:func:`phase_lengths`; cut at the horizon); least squares on this
    phase's data only; keep a in A_l with max_b <phi(b) - phi(a), theta_hat_l> <= 2 eps_l. A run whose active
    set is a single action plays it to the horizon (what every later phase would do).

    Parameters
    ----------
    instance : LinearInstance
        sigma > 0 is the Gaussian noise level (sigma = 0 uses sigma = 1 in the phase lengths).
    horizon : int >= 1
    seeds : sequence of numpy.random.SeedSequence
    p : float in (0, 1), optional
        Failure probability (default 1 / horizon, as in LSW20).
    tol : float
        Design tolerance, g(pi) <= (1 + tol) d_l.
    max_phases : int
        Phases allowed; a run that has not reached the horizon after them raises RuntimeError (with the
        algorithm's lengths 40 phases already exceed any horizon below 4^40).
    length_growth : float > 0
        Growth of the phase lengths per phase (:func:`phase_lengths`); 4 is the algorithm, other values only
        for the claim's break (1: constant lengths, so the estimates stop improving while the elimination
        threshold 2 eps_l keeps shrinking).

    Returns
    -------
    PhasedResult

    Examples
    --------
    >>> from theorylab.bandits.linear.instances import random_sparse_instance
    >>> from theorylab.core.seeding import repetition_seeds
    >>> inst = random_sparse_instance(30, 3, 3, 0.0, seed=0, sigma=0.2)
    >>> res = phased_elimination(inst, 5000, repetition_seeds(0, "doc", 3))
    >>> res.regret.shape, bool(np.all(res.active[:, -1].sum(axis=1) >= 1))
    ((3,), True)
    """
    inst = check_instance(instance)
    horizon = check_int("horizon", horizon, minimum=1)
    p = 1.0 / max(horizon, 2) if p is None else check_open_unit("p", p)
    tol = check_real("tol", tol, minimum=0.0, strict_min=True)
    max_phases = check_int("max_phases", max_phases, minimum=1)
    length_growth = check_real("length_growth", length_growth, minimum=0.0, strict_min=True)
    states = states_for(seeds)
    R, K = states.size, inst.K
    sigma = inst.sigma if inst.sigma > 0 else 1.0
    best = inst.best_reward
    gaps = best - inst.rewards
    active = np.ones((R, max_phases + 1, K), dtype=bool)
    event = np.zeros((R, max_phases), dtype=bool)
    elapsed = np.zeros(R, dtype=np.int64)
    regret = np.zeros(R)
    phases = np.zeros(R, dtype=np.int64)
    played_l = np.zeros((R, max_phases), dtype=np.int64)
    designs: dict = {}
    for l in range(1, max_phases + 1):
        live = np.flatnonzero(elapsed < horizon)
        if live.size == 0:
            active[:, l:] = active[:, l - 1:l]
            break
        keys: dict = {}
        for r in live:
            keys.setdefault(active[r, l - 1].tobytes(), []).append(r)
        done = np.setdiff1d(np.arange(R), live)
        active[done, l] = active[done, l - 1]
        for key, rows in keys.items():
            rows = np.array(rows, dtype=np.int64)
            act = np.flatnonzero(active[rows[0], l - 1])
            phi = span_coordinates(inst.features[act])
            if key not in designs:
                designs[key] = g_optimal_design(phi, tol)
            des = designs[key]
            supp = des.support
            T_l = phase_lengths(des.weights[supp], des.g, sigma, K, l, p, length_growth)
            rem = horizon - elapsed[rows]
            if act.size == 1:
                T_l = np.array([int(rem.max())], dtype=np.int64)
            # plays in support order, cut at the horizon
            cum = np.cumsum(T_l)
            played = np.minimum(cum[None, :], rem[:, None])
            counts = np.diff(np.concatenate([np.zeros((rows.size, 1), dtype=np.int64), played], axis=1), axis=1)
            regret[rows] += counts @ gaps[act[supp]]
            elapsed[rows] += counts.sum(axis=1)
            played_l[rows, l - 1] = counts.sum(axis=1)
            phases[rows] = l
            sub = states[rows].copy()
            z = _normals(sub, supp.size)
            states[rows] = sub
            rhat = inst.rewards[act[supp]][None, :] + inst.sigma * z / np.sqrt(T_l)[None, :]
            V = (phi[supp].T * T_l) @ phi[supp]
            th = np.linalg.solve(V, phi[supp].T @ (T_l[:, None] * rhat.T)).T          # (n, d_l)
            pred = th @ phi.T                                                         # (n, |A_l|)
            eps_l = 2.0 ** -l
            true = inst.rewards[act]
            lin = inst.features[act] @ inst.theta
            event[rows, l - 1] = np.all(np.abs(pred - lin[None, :]) <= eps_l, axis=1) if inst.eps == 0 else \
                np.all(np.abs(pred - true[None, :]) <= eps_l, axis=1)
            keep = pred.max(axis=1, keepdims=True) - pred <= 2 * eps_l
            new = np.zeros((rows.size, K), dtype=bool)
            new[:, act] = keep
            active[rows, l] = new
    if np.any(elapsed < horizon):
        raise RuntimeError(f"max_phases = {max_phases} phases did not reach the horizon {horizon}; raise max_phases")
    info = {"p": p, "designs": len(designs), "horizon": horizon, "length_growth": length_growth,
            "played": played_l[:, :max(int(phases.max()), 1)]}
    return PhasedResult(regret, active, event, phases, info)
