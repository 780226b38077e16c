"""Evaluate functions of the linear topic's regret claims (LinUCB / OFUL and PhasedElimG baselines).

Both run the production entry points (:func:`theorylab.bandits.linear.linucb.linucb`,
:func:`theorylab.bandits.linear.phased.phased_elimination`) on fixed instances (instance seeds recorded
here and in the evidence, disjoint from every other claim's); run seeds come from
``repetition_seeds(seed, <claim key>, reps)``. See docs/topics/linear.md#claims.
"""

from __future__ import annotations

import numpy as np

from theorylab.bandits.linear import bounds
from theorylab.bandits.linear.instances import positive_orthant_instance, random_sparse_instance
from theorylab.bandits.linear.linucb import linucb
from theorylab.bandits.linear.phased import phased_elimination
from theorylab.core.claims import Evidence, by_size
from theorylab.core.seeding import repetition_seeds
from theorylab.core.stats import clopper_pearson, slope_fit

__all__ = ["eval_linucb_regret_slope", "eval_phased_regret", "LINUCB_SLOPE_INSTANCE", "PHASED_INSTANCE"]

#: (K, d, instance seed, sigma) of the LinUCB regret-slope claim (positive orthant, well specified).
LINUCB_SLOPE_INSTANCE = (30, 5, 400, 0.3)
#: (K, d, instance seed, sigma) of the PhasedElimG regret claim (RANDSPARSE, s = d, eps = 0).
PHASED_INSTANCE = (20, 5, 410, 0.3)


def eval_linucb_regret_slope(size="quick", n_jobs=1, seed=0, radius_scale=1.0):
    """Log-log slope of LinUCB/OFUL's mean cumulative regret in T <= the slope of the OFUL bound's T-dependence.

    Well-specified positive-orthant instance (:data:`LINUCB_SLOPE_INSTANCE`), self-normalised radius
    (lambda = 1, S = 1, L = 1, p = 0.05); the mean regret of ``reps`` runs is read at checkpoints
    T = 2^9 .. 2^15 (2^9 .. 2^17 full) of one run per seed and fitted on log-log axes (regression t interval,
    n - 2 degrees of freedom). Bound: the fitted slope of :func:`bounds.oful_regret_shape` over the same
    checkpoints, i.e. 1/2 plus the slope of its log factors (theory). ``radius_scale`` multiplies the
    exploration radius (the break: 0 is the greedy learner, which locks onto its first action here).

    Parameters
    ----------
    size : {"quick", "full"}
    n_jobs : int
        Unused (one process).
    seed : int
        Master seed of the run seeds.
    radius_scale : float
        Multiplier of the exploration radius (1 in production; 0 is greedy; the break).

    Returns
    -------
    Evidence

    Examples
    --------
    >>> from theorylab.bandits.linear.claims import CLAIMS
    >>> [c.id for c in CLAIMS if c.evaluate is eval_linucb_regret_slope]
    ['linear.linucb_regret_slope']
    """
    top, reps = by_size(size, (15, 20), (17, 40))
    K, d, iseed, sigma = LINUCB_SLOPE_INSTANCE
    inst = positive_orthant_instance(K, d, seed=iseed, sigma=sigma)
    ck = 2 ** np.arange(9, top + 1)
    res = linucb(inst, int(ck[-1]), repetition_seeds(seed, "linear.linucb_regret_slope", reps), checkpoints=ck,
                 radius_scale=radius_scale)
    mean = res.regret.mean(axis=0)
    fit = slope_fit(ck, mean, log_x=True, log_y=True)
    bound = slope_fit(ck, bounds.oful_regret_shape(ck, d, sigma=sigma, p=0.05), log_x=True, log_y=True).slope
    return Evidence(fit.slope, fit.low, fit.high, bound, reps, "upper",
                    details={"interval": "regression t 95%, n-2 df, on log mean regret", "T": ck.tolist(),
                             "mean_regret": mean.tolist(), "instance": f"positive_orthant(K={K}, d={d}, seed={iseed})",
                             "sigma": sigma, "r2": fit.r2})


def eval_phased_regret(size="quick", n_jobs=1, seed=0, length_growth=4.0):
    """P(R_T > sum_l n_l min(gap_max, 8 eps_l)) <= p for PhasedElimG (well specified, p = 0.05), Clopper-Pearson.

    RANDSPARSE instance (:data:`PHASED_INSTANCE`: K = 20, d = 5, s = d, eps = 0, sigma = 0.3), horizon T = 2^14
    (2^16 full); the bound of :func:`bounds.phased_regret_bound` is evaluated on each run's own phase lengths.
    It holds on the noise event of the analysis, whose failure probability is at most p (derived), so the
    violation frequency is at most p. ``length_growth`` replaces the factor 4 = eps_{l-1}^2 / eps_l^2 by
    which the phase lengths grow (the break: with slower growth the estimates stop improving as fast as the
    elimination threshold 2 eps_l shrinks).

    Parameters
    ----------
    size : {"quick", "full"}
    n_jobs : int
        Unused (one process).
    seed : int
        Master seed of the run seeds.
    length_growth : float
        Growth factor of the phase lengths (4 in production; the break).

    Returns
    -------
    Evidence

    Examples
    --------
    >>> from theorylab.bandits.linear.claims import CLAIMS
    >>> [c.id for c in CLAIMS if c.evaluate is eval_phased_regret]
    ['linear.phased_regret']
    """
    horizon, reps = by_size(size, (2 ** 14, 200), (2 ** 16, 1000))
    K, d, iseed, sigma = PHASED_INSTANCE
    inst = random_sparse_instance(K, d, d, 0.0, seed=iseed, sigma=sigma)
    p = 0.05
    res = phased_elimination(inst, horizon, repetition_seeds(seed, "linear.phased_regret", reps), p=p,
                             length_growth=length_growth)
    gaps = inst.best_reward - inst.rewards
    bound = bounds.phased_regret_bound(res.info["played"], float(gaps.max()))
    viol = int(np.count_nonzero(res.regret > bound + 1e-9))
    used = np.arange(res.event.shape[1])[None, :] < (res.phases - 1)[:, None]     # phases whose estimate was used
    event_failed = int(np.count_nonzero((used & ~res.event).any(axis=1)))
    iv = clopper_pearson(viol, reps)
    return Evidence(iv.estimate, iv.low, iv.high, p, reps, "upper",
                    details={"interval": "clopper-pearson 95%", "violations": viol, "horizon": horizon,
                             "max_regret_over_bound": float((res.regret / bound).max()),
                             "mean_regret": float(res.regret.mean()), "event_failures": event_failed,
                             "instance": f"random_sparse(K={K}, d={d}, s={d}, eps=0, seed={iseed})", "sigma": sigma})
