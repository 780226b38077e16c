"""Evaluate functions of the linear topic's query-count and noisy-prediction claims.

``eval_query_scaling`` (spec T2, the O((d/eps)^s) form as log-log slopes) runs SparseNet in best_empirical
mode, whose distinct queries are exactly its greedy set G; ``eval_design_noisy`` (spec T3 with noise) runs
DesignLS with Gaussian queries. Instance seeds are fixed here (disjoint from the other claims'), run seeds
come from ``repetition_seeds(seed, <claim key>, reps)``. See docs/topics/linear.md#claims.
"""

from __future__ import annotations

import numpy as np

from theorylab.bandits.linear import bounds
from theorylab.bandits.linear.algorithms import design_ls, g_optimal_design, sparse_net
from theorylab.bandits.linear.checks import top_bias_probes
from theorylab.bandits.linear.instances import (MISSPEC_KINDS, adversarial_design_instance, random_sparse_instance,
                                                sparse_feature_instance)
from theorylab.bandits.linear.nets import make_net, n_supports
from theorylab.core.claims import Evidence, by_size, deterministic_evidence
from theorylab.core.seeding import repetition_seeds
from theorylab.core.stats import clopper_pearson, slope_fit

__all__ = ["eval_query_scaling", "eval_design_noisy", "query_counts"]


def query_counts(d: int, eps: float, K: int, s: int = 2, instance_seed: int = 600, eps_exponent: float = 1.0,
                 net_kind: str = "direction", seed: int = 0) -> tuple[int, int]:
    """(|G|, C(d, s) |net|): SparseNet's distinct queries (best_empirical, noiseless) and their bound.

    The instance is :func:`sparse_feature_instance` (K features, each s-sparse, seed ``instance_seed``); the
    net has resolution eps ** eps_exponent (production: exponent 1, eps_net = eps). The bound uses the
    realised size of the production net (resolution eps). Candidates shared by several supports (net points
    with a zero coordinate, which exist when the grid has an odd number of points per axis) are counted once
    per support by the bound, so |G| can equal the bound only for even grids.

    Parameters
    ----------
    d, K, s : int
    eps : float in (0, 1)
    instance_seed : int
    eps_exponent : float > 0
    net_kind : {"direction", "ball"}
    seed : int
        Master seed of the (single) run's tie-breaking stream.

    Returns
    -------
    (int, int)

    Examples
    --------
    >>> query_counts(4, 0.4, 500)
    (72, 72)
    >>> query_counts(4, 0.5, 500)          # odd grid: the 2d axis directions are shared by several supports
    (32, 48)
    """
    inst = sparse_feature_instance(K, d, s, s=1, seed=instance_seed)
    res = sparse_net(inst, s, repetition_seeds(seed, {"claim": "linear.query_scaling", "d": d, "eps": eps}, 1),
                     mode="best_empirical", net_kind=net_kind, eps_net=eps ** eps_exponent)
    net = make_net(min(s, d), eps, net_kind).shape[0]
    return int(res.distinct[0]), n_supports(d, s) * int(net)


def eval_query_scaling(size="quick", n_jobs=1, seed=0, eps_exponent=1.0):
    """max over two fits of slope(ln |G|) / slope(ln C(d, s) |net|) <= 1: the query count's (d/eps) form.

    SparseNet (best_empirical, direction net, noiseless) on s-sparse features (:func:`sparse_feature_instance`,
    s = 2, instance seeds 600..): |G| is its number of distinct queries. Fit 1: d in {6, 8, 12, 16, 24}
    (quick; 8 .. 48 full) at eps = 0.2, K = 2e4; fit 2: 1/eps in {5, 7, 10, 14, 20, 28, 40} at d = 2 (one
    support, every feature is 2-sparse), K = 2e4. The bound's slopes are those of C(d, s) |net| over the same
    grids (about 2.1 in d, tending to s; exactly 1 = s - 1 in 1/eps for the direction net), i.e. the finite-size
    form of O(d^s eps^-(s-1)) (theory; the counts are deterministic given the fixed instances, so the
    evidence is deterministic). ``eps_exponent`` sets the net resolution to eps^c (the break: c > 1 refines
    the net faster than the bound allows).

    Parameters
    ----------
    size : {"quick", "full"}
    n_jobs : int
        Unused (one process).
    seed : int
        Master seed of the run seeds.
    eps_exponent : float
        Net resolution eps_net = eps^c (1 in production; the break).

    Returns
    -------
    Evidence

    Examples
    --------
    >>> from theorylab.bandits.linear.claims import CLAIMS
    >>> [c.id for c in CLAIMS if c.evaluate is eval_query_scaling]
    ['linear.query_scaling']
    """
    ds = by_size(size, (6, 8, 12, 16, 24), (8, 12, 16, 24, 32, 48))
    inv = np.array([5, 7, 10, 14, 20, 28, 40])
    K, s = 20000, 2
    d_counts = [query_counts(d, 0.2, K, s, 600 + i, eps_exponent, seed=seed) for i, d in enumerate(ds)]
    e_counts = [query_counts(2, 1.0 / k, K, s, 700, eps_exponent, seed=seed) for k in inv]
    rows = []
    for name, x, counts in (("d", np.array(ds), d_counts), ("1/eps", inv, e_counts)):
        g = np.array([c[0] for c in counts], dtype=float)
        b = np.array([c[1] for c in counts], dtype=float)
        fg = slope_fit(x, g, log_x=True, log_y=True)
        fb = slope_fit(x, b, log_x=True, log_y=True)
        rows.append({"fit": name, "x": x.tolist(), "G": g.astype(int).tolist(), "bound": b.astype(int).tolist(),
                     "slope": fg.slope, "bound_slope": fb.slope, "ratio": fg.slope / fb.slope})
    worst = max(r["ratio"] for r in rows)
    return deterministic_evidence(worst, 1.0, len(ds) + inv.size, rule="upper", rows=rows, K=K, s=s,
                                  features="sparse_feature(s_feat = 2)")


def eval_design_noisy(size="quick", n_jobs=1, seed=0, noise_scale=1.0):
    """P(max_b |r(b) - <phi(b), theta_hat>| <= beta) >= 1 - p for DesignLS with Gaussian noise, Clopper-Pearson.

    beta = eps + eps sqrt(g N / n) + sigma sqrt(2 g log(2K/p) / n) (:func:`bounds.design_prediction_bound`,
    derived), p = 0.05, sigma = 0.5, eps = eps_stat = 0.05, the default budget n; Frank-Wolfe designs on random
    sphere features (instance seed 8) with the adversarial misspecification of the two probes of largest
    bias amplification (so the bias term is near its bound and the noise term must cover the rest).
    ``noise_scale`` multiplies the noise term of beta (the break: 0 leaves only the noiseless bound).

    Parameters
    ----------
    size : {"quick", "full"}
    n_jobs : int
        Unused (one process).
    seed : int
        Master seed of the run seeds.
    noise_scale : float
        Multiplier of beta's noise term (1 in production; the break).

    Returns
    -------
    Evidence

    Examples
    --------
    >>> from theorylab.bandits.linear.claims import CLAIMS
    >>> [c.id for c in CLAIMS if c.evaluate is eval_design_noisy]
    ['linear.design_noisy']
    """
    shapes, reps = by_size(size, (((60, 4), (200, 8)), 150), (((60, 4), (200, 8), (400, 12)), 1000))
    eps, sigma, p = 0.05, 0.5, 0.05
    covered, runs, rows = 0, 0, []
    for K, d in shapes:
        base = random_sparse_instance(K, d, 2, eps, seed=8)
        des = g_optimal_design(base.features)
        for b in top_bias_probes(base.features, des, int(des.support.size), 2):
            inst = adversarial_design_instance(base.features, base.theta, eps, des.weights, int(b), sigma=sigma)
            res = design_ls(inst, repetition_seeds(seed, {"claim": "linear.design_noisy", "K": K, "b": int(b)}, reps),
                            design=des, p=p)
            beta = bounds.design_prediction_bound(eps, des.g, res.info["N"], res.info["n"], sigma, K, p,
                                                  noise_scale=noise_scale)
            k = int(np.count_nonzero(res.info["max_pred_error"] <= beta))
            covered += k
            runs += reps
            rows.append({"K": K, "d": d, "probe": int(b), "covered": k, "n": res.info["n"], "beta": beta,
                         "max_error": float(res.info["max_pred_error"].max())})
    iv = clopper_pearson(covered, runs)
    return Evidence(iv.estimate, iv.low, iv.high, 1 - p, runs, "lower",
                    details={"interval": "clopper-pearson 95%", "covered": covered, "rows": rows, "sigma": sigma})
