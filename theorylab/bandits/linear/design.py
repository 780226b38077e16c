"""G-optimal designs by Frank-Wolfe and DesignLS, the eps sqrt(d) baseline (docs/topics/linear.md#designls).

Lattimore, Szepesvari & Weisz (ICML 2020); Lattimore & Szepesvari, Bandit Algorithms, Section 21.1
[standard; constants derived].
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from theorylab.bandits.linear import kernels
from theorylab.bandits.linear.draws import run_draws
from theorylab.bandits.linear.instances import LinearInstance
from theorylab.bandits.linear.results import PureExplorationResult, argmax_ties, check_instance
from theorylab.core.validate import check_array, check_int, check_open_unit, check_real

__all__ = ["Design", "design_g", "span_coordinates", "spanning_subset", "g_optimal_design", "design_ls"]


@dataclass(frozen=True)
class Design:
    """A design pi over the actions with g(pi) = max_a ||phi(a)||^2_{V(pi)^{-1}} (recomputed exactly).

    Parameters
    ----------
    weights : float array (K,)
        pi, a probability vector over the actions.
    g : float
        g(pi), recomputed with a fresh solve.
    iterations : int
        Frank-Wolfe iterations used (0 for a given design).

    Examples
    --------
    >>> d = Design(np.array([0.5, 0.5]), 2.0, 0)
    >>> d.support.tolist()
    [0, 1]
    """

    weights: np.ndarray
    g: float
    iterations: int

    @property
    def support(self) -> np.ndarray:
        return np.flatnonzero(self.weights > 0)


def design_g(features, weights) -> float:
    """g(pi) = max_a phi(a)^T V(pi)^{-1} phi(a), computed with a fresh solve.

    Parameters
    ----------
    features : float array (K, d)
        Features spanning R^d on the design's support.
    weights : float array (K,)
        Design weights pi.

    Returns
    -------
    float
        g(pi).

    Examples
    --------
    >>> design_g(np.eye(2), np.array([0.5, 0.5]))
    2.0
    """
    phi = np.asarray(features, dtype=float)
    V = (phi.T * weights) @ phi
    return float(np.max(np.einsum("ij,ij->i", phi, np.linalg.solve(V, phi.T).T)))


def span_coordinates(features) -> np.ndarray:
    """``features`` itself if it has rank d, else its coordinates in an orthonormal basis of its row span (K, rank).

    Inner products and norms of the rows are preserved, so designs, least-squares predictions and g values are
    those of the original features restricted to their span.

    Parameters
    ----------
    features : float array (K, d)
        Not all zero.

    Returns
    -------
    float array (K, rank)

    Examples
    --------
    >>> span_coordinates(np.array([[1.0, 1.0], [2.0, 2.0]]) / 3).shape
    (2, 1)
    """
    phi = np.asarray(features, dtype=float)
    u, sv, vt = np.linalg.svd(phi, full_matrices=False)
    rank = int(np.sum(sv > 1e-10 * sv[0])) if sv.size and sv[0] > 0 else 0
    if rank == 0:
        raise ValueError("features must not all be zero")
    if rank == phi.shape[1]:
        return np.ascontiguousarray(phi)
    return np.ascontiguousarray(phi @ vt[:rank].T)


def spanning_subset(features) -> np.ndarray:
    """d actions whose features span R^d, by pivoted Gram-Schmidt (largest residual norm first; lowest index on ties).

    Parameters
    ----------
    features : float array (K, d)
        Features spanning R^d.

    Returns
    -------
    int64 array (d,)
        Indices of the picked actions.

    Examples
    --------
    >>> spanning_subset(np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 0.5]])).tolist()
    [0, 1]
    """
    res = np.array(features, dtype=float)
    K, d = res.shape
    picked = []
    for _ in range(d):
        norms = (res * res).sum(axis=1)
        a = int(norms.argmax())
        if norms[a] <= 1e-20:
            raise ValueError("features must span R^d")
        picked.append(a)
        q = res[a] / np.sqrt(norms[a])
        res -= np.outer(res @ q, q)
    return np.array(picked, dtype=np.int64)


def g_optimal_design(features, tol: float = 0.01, max_iter: int = 10000, drop: float = 1e-9) -> Design:
    """Frank-Wolfe G-optimal design with g(pi) <= (1 + tol) d (Kiefer-Wolfowitz: the optimum is exactly d).

    Starts from the uniform design on d actions picked by pivoted Gram-Schmidt (each step the action with the
    largest residual norm; a nonsingular start with small support), then Frank-Wolfe with
    exact line search (:func:`theorylab.bandits.linear.kernels.frank_wolfe_design`), so the support has at
    most d + iterations actions.
    Weights below ``drop`` are removed and the rest renormalised; g is then recomputed exactly (it may
    exceed (1 + tol) d slightly if ``max_iter`` was hit; the returned ``g`` is always the true value).

    Parameters
    ----------
    features : float array (K, d) of rank d
    tol : float > 0
    max_iter : int >= 1
    drop : float >= 0

    Returns
    -------
    Design

    Examples
    --------
    >>> des = g_optimal_design(np.vstack([np.eye(2), [[0.6, 0.8]]]))
    >>> des.g <= 2 * 1.01
    True
    """
    phi = np.ascontiguousarray(check_array("features", features, ndim=2))
    K, d = phi.shape
    tol = check_real("tol", tol, minimum=0.0, strict_min=True)
    max_iter = check_int("max_iter", max_iter, minimum=1)
    drop = check_real("drop", drop, minimum=0.0)
    if np.linalg.matrix_rank(phi) < d:
        raise ValueError(f"features must span R^d (rank {np.linalg.matrix_rank(phi)} < d = {d}); pass "
                         "span_coordinates(features)")
    w = np.zeros(K)
    w[spanning_subset(phi)] = 1.0 / d
    _, it = kernels.frank_wolfe_design(phi, w, tol, max_iter, 200)
    w[w < drop] = 0.0
    w /= w.sum()
    return Design(w, design_g(phi, w), int(it))


def design_ls(instance: LinearInstance, seeds, design: Design | np.ndarray | None = None, n: int | None = None,
              eps_stat: float | None = None, p: float = 0.05, tol: float = 0.01) -> PureExplorationResult:
    """DesignLS: query a G-optimal design's support, fit least squares, play the greedy action.

    Allocation n_a = ceil(n pi(a)) on supp(pi), N = sum n_a; theta_hat = V_n^{-1} sum_a n_a r_hat(a) phi(a)
    with V_n = sum_a n_a phi(a) phi(a)^T, r_hat(a) the mean of n_a Gaussian queries; output
    argmax_a <phi(a), theta_hat>. Features that do not span R^d are first written in an orthonormal basis of
    their span (:func:`span_coordinates`; predictions are unchanged and d becomes the rank). Guarantee (4) [derived]: for every b, with probability >= 1 - p,
    |r(b) - <phi(b), theta_hat>| <= eps + eps sqrt(g N / n) + sigma sqrt(2 g log(2K/p) / n)
    (:func:`theorylab.bandits.linear.bounds.design_prediction_bound`). Lattimore, Szepesvari & Weisz 2020
    [standard]; budget rule ours (docs/topics/linear.md#designls).

    Parameters
    ----------
    instance : LinearInstance
    seeds : sequence of numpy.random.SeedSequence
    design : Design or weights array (K,), optional
        Default :func:`g_optimal_design` (``tol``).
    n : int, optional
        Budget scale; default |supp| if sigma = 0, else max(|supp|, ceil(2 g sigma^2 log(2K/p) / eps_stat^2)).
    eps_stat : float, optional
        Target noise term (default instance.eps).
    p : float in (0, 1)
    tol : float > 0

    Returns
    -------
    PureExplorationResult
        ``info``: theta_hat (R, rank) in span coordinates, rank, max_pred_error (R,) = max_b |r(b) - <phi(b), theta_hat>|, g, n, N,
        weights, support, counts.

    Examples
    --------
    >>> from theorylab.bandits.linear.instances import separation_instance
    >>> from theorylab.core.seeding import repetition_seeds
    >>> inst = separation_instance(9, 0.02)
    >>> w = np.r_[np.full(9, 1 / 9), 0.0]
    >>> res = design_ls(inst, repetition_seeds(0, "doc", 1), design=w)
    >>> int(res.actions[0]), round(float(res.errors[0] / (0.02 * np.sqrt(8) / 2)), 12)
    (9, 1.0)
    """
    inst = check_instance(instance)
    p = check_open_unit("p", p)
    phi = span_coordinates(inst.features)
    if design is None:
        design = g_optimal_design(phi, tol)
    if not isinstance(design, Design):
        w = check_array("design", design, shape=(inst.K,))
        if np.any(w < 0) or abs(w.sum() - 1.0) > 1e-9:
            raise ValueError("design must be a probability vector over the actions")
        design = Design(w / w.sum(), design_g(phi, w / w.sum()), 0)
    supp = design.support
    phi_s = phi[supp]
    if inst.sigma == 0:
        n_default = supp.size
    else:
        es = inst.eps if eps_stat is None else check_real("eps_stat", eps_stat, minimum=0.0, strict_min=True)
        if es <= 0:
            raise ValueError("eps_stat must be positive with noisy queries")
        n_default = max(supp.size, int(math.ceil(2 * design.g * inst.sigma**2 * math.log(2 * inst.K / p) / es**2)))
    n = n_default if n is None else check_int("n", n, minimum=1)
    counts = np.ceil(n * design.weights[supp] - 1e-9).astype(np.int64)
    counts = np.maximum(counts, 1)
    N = int(counts.sum())
    prio, z = run_draws(seeds, inst.K, normals=inst.sigma > 0, n_normals=supp.size)
    R = prio.shape[0]
    rhat = np.broadcast_to(inst.rewards[supp][None, :] + (inst.sigma * z / np.sqrt(counts)[None, :]
                                                           if inst.sigma > 0 else 0.0), (R, supp.size))
    Vn = (phi_s.T * counts) @ phi_s
    theta_hat = np.linalg.solve(Vn, phi_s.T @ (counts[:, None] * rhat.T)).T          # (R, d)
    pred = theta_hat @ phi.T                                                        # (R, K)
    actions = argmax_ties(pred, prio)
    info = {"theta_hat": theta_hat, "rank": phi.shape[1], "max_pred_error": np.abs(inst.rewards[None, :] - pred).max(axis=1),
            "g": design.g, "n": n, "N": N, "weights": design.weights, "support": supp, "counts": counts}
    return PureExplorationResult("design_ls", actions, inst.errors(actions), np.full(R, N, dtype=np.int64),
                                 np.full(R, supp.size, dtype=np.int64), info)
