"""G-optimal experimental design by Frank-Wolfe (Fedorov-Wynn) for OD-LinBAI / DP-OD.

Kiefer-Wolfowitz: the G-optimal design (minimise max_a ||a||^2_{V(pi)^{-1}}) equals the D-optimal one,
with optimal value d. Frank-Wolfe with the exact D-optimal line search step
gamma = (g_max / d - 1) / (g_max - 1) until g_max <= d (1 + tol). Support pruned (weights < 1e-6
dropped) and capped at d (d + 1) / 2 points (Caratheodory bound used by Yang & Tan 2022), keeping the
largest weights [OURS: rounding/pruning choices].
"""

from __future__ import annotations

import numpy as np

from theorylab.core.validate import check_array, check_int, check_positive

__all__ = ["g_optimal_design"]


def g_optimal_design(X, tol: float = 1e-3, max_iter: int = 5000) -> np.ndarray:
    """G-optimal design weights over the rows of ``X`` (s, d), rows spanning R^d.

    Parameters
    ----------
    X : array_like (s, d)
        Candidate arms, rows spanning R^d.
    tol : float
        Frank-Wolfe stopping tolerance on the design's G-value.
    max_iter : int
        Iteration cap.

    Returns
    -------
    ndarray (s,)
        Design weights summing to 1 (pruned below 1e-6).

    Examples
    --------
    >>> g_optimal_design(np.eye(3)).round(3).tolist()
    [0.333, 0.333, 0.333]
    """
    X = check_array("X", X, ndim=2)
    tol = check_positive("tol", tol)
    max_iter = check_int("max_iter", max_iter, minimum=1)
    s, d = X.shape
    if np.linalg.matrix_rank(X) < d:
        raise ValueError(f"X must span R^{d} (rank {np.linalg.matrix_rank(X)} < {d}); project first")
    pi = np.full(s, 1.0 / s)
    for _ in range(max_iter):
        V = X.T @ (pi[:, None] * X)
        g = np.einsum("ij,ji->i", X, np.linalg.solve(V, X.T))
        j = int(np.argmax(g))
        if g[j] <= d * (1 + tol):
            break
        gamma = (g[j] / d - 1.0) / (g[j] - 1.0)
        pi *= 1.0 - gamma
        pi[j] += gamma
    pi[pi < 1e-6] = 0.0
    cap = d * (d + 1) // 2
    if np.count_nonzero(pi) > cap:
        keep = np.argsort(-pi, kind="stable")[:cap]
        new = np.zeros_like(pi)
        new[keep] = pi[keep]
        if np.linalg.matrix_rank(X[keep]) == d:
            pi = new
    return pi / pi.sum()
