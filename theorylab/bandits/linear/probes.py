"""GoodFeatureProbe [ours] and the exhaustive baseline [ours] (docs/topics/linear.md#goodfeatureprobe)."""

from __future__ import annotations

import math
import numpy as np

from theorylab.bandits.linear.draws import run_draws
from theorylab.bandits.linear.instances import LinearInstance
from theorylab.bandits.linear.results import PureExplorationResult, argmax_ties, check_instance, sample_size
from theorylab.core.validate import check_int, check_open_unit, check_real

__all__ = ["basis_actions", "good_feature_probe", "exhaustive"]


def basis_actions(features) -> tuple[np.ndarray, np.ndarray]:
    """For each coordinate i an action b_i with phi(b_i) = c_i e_i, c_i > 0 (largest c_i; lowest index on ties).

    Returns ``(b, c)``, int64 (d,) and float64 (d,). Raises ValueError naming the first missing coordinate
    (assumption G(c0) of docs/topics/linear.md#goodfeatureprobe fails).

    Parameters
    ----------
    features : float array (K, d)

    Returns
    -------
    (int64 array (d,), float64 array (d,))
        The actions b_i and their scales c_i.

    Examples
    --------
    >>> import numpy as np
    >>> b, c = basis_actions(np.array([[0.5, 0.0], [0.6, 0.8], [0.0, 1.0]]))
    >>> b.tolist(), c.tolist()
    ([0, 2], [0.5, 1.0])
    """
    phi = np.asarray(features, dtype=float)
    K, d = phi.shape
    nz = phi != 0
    single = nz.sum(axis=1) == 1
    b = np.full(d, -1, dtype=np.int64)
    c = np.zeros(d)
    for a in np.flatnonzero(single):
        i = int(np.flatnonzero(nz[a])[0])
        if phi[a, i] > c[i]:
            b[i], c[i] = a, phi[a, i]
    if np.any(b < 0):
        i = int(np.flatnonzero(b < 0)[0])
        raise ValueError(f"features must contain an action c e_i with c > 0 for every coordinate i (assumption "
                         f"G(c0)); coordinate {i} has none")
    return b, c


def good_feature_probe(instance: LinearInstance, s: int, seeds, eps: float | None = None,
                       eps_stat: float | None = None, p: float = 0.05, keep: int | None = None) -> PureExplorationResult:
    """GoodFeatureProbe: probe the basis actions, keep the s largest coordinates, play greedy [ours].

    Under G(c0) (an action c_i e_i, c_i >= c0, for every i), theta_hat_i = r_hat(b_i) / c_i is within
    tau = (eps + eps_stat) / c0 of theta*_i; hard thresholding to the s largest |theta_hat_i| gives
    ||theta_s - theta*||_2 <= sqrt(5 s) tau and decision error <= 2 (eps + sqrt(5 s) tau) [derived;
    docs/topics/linear.md#goodfeatureprobe]. Queries: d m.

    Parameters
    ----------
    instance : LinearInstance
    s : int in [1, d]
    seeds : sequence of numpy.random.SeedSequence
    eps : float, optional
        Default instance.eps (only used for diagnostics).
    eps_stat : float, optional
        Default eps (0 if noiseless).
    p : float in (0, 1)
    keep : int, optional
        Number of largest coordinates kept by the hard threshold (default s, the algorithm; values above s are
        only used by the deliberate break of the claim; clipped to d).

    Returns
    -------
    PureExplorationResult
        ``info``: theta_s (R, d), tau, c0, m, basis.

    Examples
    --------
    >>> from theorylab.bandits.linear.instances import random_sparse_instance
    >>> from theorylab.core.seeding import repetition_seeds
    >>> inst = random_sparse_instance(40, 5, 1, 0.02, seed=3, basis_scale=1.0)
    >>> res = good_feature_probe(inst, 1, repetition_seeds(0, "doc", 3))
    >>> bool(np.all(res.errors <= 2 * (0.02 + np.sqrt(5) * 0.02) + 1e-12)), res.queries.tolist()
    (True, [5, 5, 5])
    """
    inst = check_instance(instance)
    s = check_int("s", s, minimum=1, maximum=inst.d)
    eps = inst.eps if eps is None else check_real("eps", eps, minimum=0.0)
    p = check_open_unit("p", p)
    b, c = basis_actions(inst.features)
    if inst.sigma == 0:
        eps_stat = 0.0
    else:
        eps_stat = eps if eps_stat is None else check_real("eps_stat", eps_stat, minimum=0.0, strict_min=True)
    m = sample_size(inst.sigma, eps_stat, inst.d, p)
    prio, z = run_draws(seeds, inst.K, normals=inst.sigma > 0, n_normals=inst.d)
    R = prio.shape[0]
    rhat = inst.rewards[b][None, :] + (inst.sigma * z / math.sqrt(m) if inst.sigma > 0 else 0.0)
    th = np.broadcast_to(rhat / c[None, :], (R, inst.d)).copy()
    keep = s if keep is None else min(check_int("keep", keep, minimum=1), inst.d)
    if keep < inst.d:
        # the ``keep`` largest |theta_hat_i|; exact ties by the priority of the coordinate's basis action
        order = np.empty((R, inst.d), dtype=np.int64)
        for r in range(R):
            order[r] = np.lexsort((-prio[r, b], -np.abs(th[r])))
        kept = np.zeros((R, inst.d), dtype=bool)
        np.put_along_axis(kept, order[:, :keep], True, axis=1)
        th = np.where(kept, th, 0.0)
    actions = argmax_ties(th @ inst.features.T, prio)
    tau = (eps + eps_stat) / float(c.min())
    info = {"theta_s": th, "tau": tau, "c0": float(c.min()), "m": m, "basis": b, "eps_stat": eps_stat}
    return PureExplorationResult("good_feature_probe", actions, inst.errors(actions),
                                 np.full(R, inst.d * m, dtype=np.int64), np.full(R, inst.d, dtype=np.int64), info)


def exhaustive(instance: LinearInstance, seeds, eps_stat: float | None = None, p: float = 0.05,
               record_order: bool = False) -> PureExplorationResult:
    """Query every action m times and output the best empirical mean [ours].

    m = 1 when noiseless (error 0, K queries), else m = ceil(2 sigma^2 log(2K/p) / eps_stat^2) and the
    error is <= 2 eps_stat with probability >= 1 - p. The actions are queried in decreasing order of the
    run's priorities, i.e. in a uniformly random order (which matters only for when a needle is first seen).

    Parameters
    ----------
    instance : LinearInstance
    seeds : sequence of numpy.random.SeedSequence
        One per run.
    eps_stat : float > 0, optional
        Accuracy of each mean (default instance.eps; unused when noiseless).
    p : float in (0, 1)
        Failure probability of the union bound.
    record_order : bool
        Keep each run's query order in ``info["query_rank"]`` (R, K): the 0-based position of every action.

    Returns
    -------
    PureExplorationResult
        ``info``: m, query_rank (if recorded).

    Examples
    --------
    >>> from theorylab.bandits.linear.instances import separation_instance
    >>> from theorylab.core.seeding import repetition_seeds
    >>> exhaustive(separation_instance(4, 0.1), repetition_seeds(0, "doc", 1)).errors.tolist()
    [0.0]
    """
    inst = check_instance(instance)
    p = check_open_unit("p", p)
    es = 0.0 if inst.sigma == 0 else (inst.eps if eps_stat is None else check_real("eps_stat", eps_stat, minimum=0.0,
                                                                                   strict_min=True))
    m = sample_size(inst.sigma, es, inst.K, p)
    prio, z = run_draws(seeds, inst.K, normals=inst.sigma > 0)
    R = prio.shape[0]
    rhat = inst.rewards[None, :] + (inst.sigma * z / math.sqrt(m) if inst.sigma > 0 else 0.0)
    rhat = np.broadcast_to(rhat, (R, inst.K))
    actions = argmax_ties(rhat, prio, tol=0.0)
    info = {"m": m}
    if record_order:
        info["query_rank"] = np.argsort(np.argsort(-prio, axis=1, kind="stable"), axis=1).astype(np.int64)
    return PureExplorationResult("exhaustive", actions, inst.errors(actions), np.full(R, inst.K * m, dtype=np.int64),
                                 np.full(R, inst.K, dtype=np.int64), info)
