"""How much privacy noise each algorithm puts on its estimates: the phase-wise Laplace standard deviation.

In a phase, every active arm's estimate is mu_hat_b = sum_j W[b, j] mu_tilde_j, where the pulled arm j's
privatised mean carries Laplace noise of scale 1 / (epsilon n_j). Its privacy-noise variance is therefore
sum_j W[b, j]^2 * 2 / (epsilon n_j)^2, a function of the public plan only. For DP-BAI the Max-Det
coefficients satisfy |W| <= 1 and all n_j = n_p (docs/topics/dp_bai.md#dp-bai); for DP-OD every design arm contributes
|b^T V^{-1} a| / epsilon whatever its weight pi(a) (docs/topics/dp_bai.md#dp-od), which is where the paper's argument
expects DP-OD to lose. [OURS: the diagnostic; it quantifies how far a given instance separates them.]
"""

from __future__ import annotations

import numpy as np

from theorylab.bandits.dp_bai.algorithms import PRIVATE, check_epsilon, make_planner
from theorylab.bandits.dp_bai.instances import LinearBAIInstance
from theorylab.core.validate import check_choice, check_int

__all__ = ["privacy_noise_sd"]


def privacy_noise_sd(instance: LinearBAIInstance, algorithm: str, budget: int, epsilon: float = 1.0,
                     active=None) -> dict:
    """Standard deviation of the privacy noise in one phase's estimates (Chen et al. 2024; docs/topics/dp_bai.md#dp-od).

    Parameters
    ----------
    instance : LinearBAIInstance
    algorithm : {"dp_bai", "dp_od", "dp_sh"}
    budget : int
        T (sets the pull counts of the plan).
    epsilon : float
        Privacy parameter (the standard deviations scale as 1/epsilon).
    active : sequence of int, optional
        Active arm set of the phase; default all arms (phase 1).

    Returns
    -------
    dict with ``pulled`` (arms pulled), ``counts`` (their pulls), ``arm_sd`` (sd of each active arm's
    estimate), ``gap_sd`` (sd of mu_hat_best - mu_hat_b for every active b; 0 for the best itself; the
    best is the active arm of largest mean) and ``max_gap_sd``.

    Examples
    --------
    >>> from theorylab.bandits.dp_bai.instances import unstructured_instance
    >>> out = privacy_noise_sd(unstructured_instance([0.9, 0.5]), "dp_bai", 200, 1.0)
    >>> round(float(out["arm_sd"][0]), 6), out["counts"].tolist()    # sqrt(2) / (epsilon n), n = 100
    (0.014142, [100, 100])
    """
    if not isinstance(instance, LinearBAIInstance):
        raise TypeError(f"instance must be a LinearBAIInstance, got {type(instance).__name__}")
    check_choice("algorithm", algorithm, PRIVATE)
    budget = check_int("budget", budget, minimum=1)
    eps = check_epsilon(epsilon)
    act = np.arange(instance.K) if active is None else np.unique(np.asarray(active, dtype=np.int64))
    if act.size < 2 or act.min() < 0 or act.max() >= instance.K:
        raise ValueError(f"active must hold at least two arm indices in [0, {instance.K}), got {active!r}")
    planner, _ = make_planner(algorithm, instance, budget)
    plan = planner.plan(act)
    scale2 = 2.0 / (eps * plan.counts.astype(float)) ** 2          # variance of each Laplace release
    W = plan.weights
    best = int(np.argmax(instance.means[act]))
    D = W[best][None, :] - W
    gap_sd = np.sqrt((D ** 2 * scale2[None, :]).sum(axis=1))
    return {"pulled": plan.pull_arms.copy(), "counts": plan.counts.copy(),
            "arm_sd": np.sqrt((W ** 2 * scale2[None, :]).sum(axis=1)), "gap_sd": gap_sd,
            "max_gap_sd": float(gap_sd.max())}
