"""DAGMA-linear (Bello, Aragam, Ravikumar, NeurIPS 2022) on numpy/numba: our reconstruction of the DAG
learner the authors vendored as a structure-learning baseline (docs/topics/causal.md#dagma).

Score: least squares Q(W) = 1/(2n) ||X - X W||_F^2 on centred X. Acyclicity: the log-determinant
characterisation h_s(W) = -ln det(s I - W o W) + d ln s, which is >= 0 on the set of W where
s I - W o W is an M-matrix and 0 exactly on DAGs (Bello et al. 2022, Theorem 1); its gradient is
2 W o (s I - W o W)^{-T}. The central path (their Algorithm 1): for t = 1..T solve
min_W mu_t (Q(W) + lambda1 ||W||_1) + h_{s_t}(W) from the previous solution by Adam, with mu_1 = 1,
mu_{t+1} = 0.1 mu_t, s = (1, 0.9, 0.8, 0.7, 0.6), 3e4 iterations for t < T and 6e4 for t = T = 5,
learning rate 3e-4, betas (0.99, 0.999), a relative-objective stop (1e-6, checked every 1000 steps);
a step that leaves the M-matrix domain is undone and the learning rate halved; a failed stage is retried
with half the learning rate and s + 0.1. Finally |W_ij| < 0.3 is set to 0. lambda1 = 0.03 and the other
constants are the defaults of the DAGMA code the authors vendored [code]. Like DAGMA, the diagonal is not
masked (h keeps it near 0) and the output is not forced to be acyclic.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from theorylab.bandits.causal.golem import _solve_small
from theorylab.core.validate import check_array, check_int, check_positive, check_real

__all__ = ["DAGMA_DEFAULTS", "dagma_h", "fit_dagma"]

#: The DAGMA-linear defaults of the authors' vendored code (utils_dagma/linear.py).
DAGMA_DEFAULTS = {"lambda1": 0.03, "w_threshold": 0.3, "T": 5, "mu_init": 1.0, "mu_factor": 0.1,
                  "s": (1.0, 0.9, 0.8, 0.7, 0.6), "warm_iter": 30_000, "max_iter": 60_000, "lr": 3e-4,
                  "beta1": 0.99, "beta2": 0.999, "tol": 1e-6, "checkpoint": 1000}


@njit(cache=True)
def _h(W, s):
    """h_s(W) and its gradient (sign of det(s I - W o W) returned for the domain check)."""
    d = W.shape[0]
    M = -W * W
    for i in range(d):
        M[i, i] += s
    sign, ld = np.linalg.slogdet(M)
    Minv = _solve_small(M, np.eye(d))
    return -ld + d * math.log(s), 2.0 * W * Minv.T, sign


@njit(cache=True)
def _objective(W, cov, mu, lambda1, s):
    d = W.shape[0]
    D = -W
    for i in range(d):
        D[i, i] += 1.0
    score = 0.5 * np.sum(D * (cov @ D))
    h, _, _ = _h(W, s)
    return mu * (score + lambda1 * np.sum(np.abs(W))) + h


@njit(cache=True)
def _inv_shift(W, s):
    d = W.shape[0]
    M = -W * W
    for i in range(d):
        M[i, i] += s
    return _solve_small(M, np.eye(d)) + 1e-16


@njit(cache=True)
def _minimize(W, cov, mu, lambda1, max_iter, s, lr, tol, beta1, beta2, checkpoint):
    """One central-path stage by Adam from W (in place). Returns success (False: left the domain at the first
    step or with s <= 0.9, DAGMA's rule)."""
    d = W.shape[0]
    m = np.zeros((d, d))
    v = np.zeros((d, d))
    step = np.zeros((d, d))
    obj_prev = 1e16
    for it in range(1, max_iter + 1):
        Minv = _inv_shift(W, s)
        while np.any(Minv < 0.0):                      # s I - W o W is not an M-matrix: back off
            if it == 1 or s <= 0.9:
                return False
            W += lr * step
            lr *= 0.5
            if lr <= 1e-16:
                return True
            W -= lr * step
            Minv = _inv_shift(W, s)
        D = -W
        for i in range(d):
            D[i, i] += 1.0
        G = -mu * (cov @ D) + mu * lambda1 * np.sign(W) + 2.0 * W * Minv.T
        c1 = 1.0 - beta1 ** it
        c2 = 1.0 - beta2 ** it
        for i in range(d):
            for j in range(d):
                m[i, j] = beta1 * m[i, j] + (1.0 - beta1) * G[i, j]
                v[i, j] = beta2 * v[i, j] + (1.0 - beta2) * G[i, j] ** 2
                step[i, j] = (m[i, j] / c1) / (math.sqrt(v[i, j] / c2) + 1e-8)
                W[i, j] -= lr * step[i, j]
        if it % checkpoint == 0 or it == max_iter:
            obj = _objective(W, cov, mu, lambda1, s)
            if abs((obj_prev - obj) / obj_prev) <= tol:
                break
            obj_prev = obj
    return True


@njit(cache=True)
def _fit(cov, lambda1, T, mu_init, mu_factor, s_path, warm_iter, max_iter, lr, beta1, beta2, tol, checkpoint):
    d = cov.shape[0]
    W = np.zeros((d, d))
    mu = mu_init
    s_path = s_path.copy()
    retries = 0
    for t in range(T):
        iters = max_iter if t == T - 1 else warm_iter
        lr_t = lr
        while True:
            Wt = W.copy()
            if _minimize(Wt, cov, mu, lambda1, iters, s_path[t], lr_t, tol, beta1, beta2, checkpoint):
                break
            lr_t *= 0.5
            s_path[t] += 0.1
            retries += 1
        W = Wt
        mu *= mu_factor
    return W, retries


def dagma_h(W, s: float = 1.0):
    """DAGMA's acyclicity function h_s(W) = -ln det(s I - W o W) + d ln s and its gradient (Bello et al. 2022).

    Parameters
    ----------
    W : array (d, d)
        Weights with s I - W o W an M-matrix (then h >= 0, = 0 iff W is a DAG).
    s : float
        The domain parameter, > 0.

    Returns
    -------
    h : float
    grad : numpy.ndarray (d, d)
        2 W o (s I - W o W)^{-T}.

    Examples
    --------
    >>> h, g = dagma_h(np.array([[0.0, 0.7], [0.0, 0.0]]))     # a DAG: h = 0, flat along its edges
    >>> round(h, 12), g.tolist()
    (0.0, [[0.0, 0.0], [0.0, 0.0]])
    >>> h, g = dagma_h(np.array([[0.0, 0.7], [0.5, 0.0]]))     # a 2-cycle: h = -ln(1 - 0.49 * 0.25)
    >>> round(h, 6), round(float(g[1, 0]), 6)                  # dh/dW_10 = 2 W_10 W_01^2 / det
    (0.130678, 0.558405)
    """
    Wa = np.ascontiguousarray(check_array("W", W, ndim=2), dtype=float)
    if Wa.shape[0] != Wa.shape[1]:
        raise ValueError(f"W must be square, got shape {Wa.shape}")
    h, g, sign = _h(Wa, check_positive("s", s))
    if sign <= 0:
        raise ValueError("W is outside the domain: det(s I - W o W) <= 0")
    return float(h), g


def fit_dagma(X, **options) -> np.ndarray:
    """DAGMA-linear with the least-squares score [reconstruction of Bello, Aragam, Ravikumar 2022, the
    authors' vendored defaults]; returns the thresholded weight matrix.

    Parameters
    ----------
    X : array (n, d)
        Samples (centred here), n >= 2, d >= 2.
    **options
        Keys of :data:`DAGMA_DEFAULTS`: ``lambda1`` (0.03), ``w_threshold`` (0.3), ``T`` (5 stages),
        ``mu_init`` (1), ``mu_factor`` (0.1), ``s`` (one value per stage, or a float), ``warm_iter`` (3e4),
        ``max_iter`` (6e4), ``lr`` (3e-4), ``beta1``, ``beta2`` (0.99, 0.999), ``tol`` (1e-6),
        ``checkpoint`` (1000).

    Returns
    -------
    numpy.ndarray (d, d)
        W with every |W_ij| < w_threshold set to 0 (W_ij: weight of i -> j; not forced to be acyclic).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x0 = rng.standard_normal(500); x1 = 1.2 * x0 + rng.standard_normal(500)
    >>> x2 = -0.9 * x1 + rng.standard_normal(500)
    >>> W = fit_dagma(np.c_[x0, x1, x2], warm_iter=3000, max_iter=6000, lr=3e-3)
    >>> (W != 0).astype(int).tolist()
    [[0, 1, 0], [0, 0, 1], [0, 0, 0]]
    """
    unknown = set(options) - set(DAGMA_DEFAULTS)
    if unknown:
        raise ValueError(f"options: unknown DAGMA option(s) {sorted(unknown)}")
    o = {**DAGMA_DEFAULTS, **options}
    Xa = check_array("X", X, ndim=2)
    n, d = Xa.shape
    if n < 2 or d < 2:
        raise ValueError(f"X needs at least 2 samples of at least 2 variables, got shape {Xa.shape}")
    Xc = Xa - Xa.mean(axis=0, keepdims=True)
    T = check_int("T", o["T"], minimum=1)
    s = o["s"]
    s_path = np.full(T, float(s)) if np.ndim(s) == 0 else np.asarray(s, dtype=float)
    if s_path.ndim != 1 or s_path.size == 0 or np.any(s_path <= 0):
        raise ValueError(f"s must be a positive float or a non-empty sequence of them, got {s!r}")
    if s_path.size < T:                                   # DAGMA repeats the last value
        s_path = np.concatenate([s_path, np.full(T - s_path.size, s_path[-1])])
    W, _ = _fit(np.ascontiguousarray(Xc.T @ Xc / n), check_real("lambda1", o["lambda1"], minimum=0.0), T,
                check_positive("mu_init", o["mu_init"]), check_positive("mu_factor", o["mu_factor"]),
                np.ascontiguousarray(s_path[:T]), check_int("warm_iter", o["warm_iter"], minimum=1),
                check_int("max_iter", o["max_iter"], minimum=1), check_positive("lr", o["lr"]),
                check_real("beta1", o["beta1"], minimum=0.0, maximum=1.0, strict_max=True),
                check_real("beta2", o["beta2"], minimum=0.0, maximum=1.0, strict_max=True),
                check_real("tol", o["tol"], minimum=0.0), check_int("checkpoint", o["checkpoint"], minimum=1))
    W[np.abs(W) < check_real("w_threshold", o["w_threshold"], minimum=0.0)] = 0.0
    return W
