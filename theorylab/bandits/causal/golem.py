"""GOLEM-EV (Ng, Ghassami, Zhang, NeurIPS 2020) trained with Adam on theorylab.nn (docs/topics/causal.md#golem).

Objective on centred data X (n x d), B with a zero diagonal:

    (d/2) ln ||X - X B||_F^2 - ln |det(I - B)| + lambda1 ||B||_1 + lambda2 (tr e^{B o B} - d),

lambda1 = 0.02, lambda2 = 5, Adam with learning rate 1e-3 from B = 0, 1e5 iterations, then the
post-processing of the authors' vendored code: zero every |B_ij| <= 0.3, then delete the
smallest-magnitude edges until the graph is acyclic [code, utils_golem]. The gradient comes from
theorylab.nn's reverse mode with the ops of :mod:`theorylab.bandits.causal.golem_ops` (the DAG penalty's
through the Frechet derivative of expm). :func:`golem_scipy` minimises the same objective with
L-BFGS-B (B = P - M, P, M >= 0, closed-form gradient) as an independent check on small graphs.
"""

from __future__ import annotations

import contextlib

import numpy as np
from scipy.linalg import expm as _expm
from scipy.optimize import minimize

from theorylab.bandits.causal.golem_ops import abs_, dag_penalty, logabsdet
from theorylab.bandits.causal.kernels import is_dag
from theorylab.nn import Adam, Tensor
from theorylab.core.validate import check_array, check_int, check_positive, check_real

__all__ = ["golem_objective", "golem_objective_value", "golem_gradient", "fit_golem", "golem_scipy", "postprocess",
           "LAMBDA1", "LAMBDA2", "THRESHOLD"]

LAMBDA1, LAMBDA2, THRESHOLD = 0.02, 5.0, 0.3   # the authors' GOLEM-MAB settings


def _one_blas_thread():
    """Tiny d x d products are 10x slower with a multi-threaded BLAS on a busy host (measured: 60 ms vs
    6 ms per Adam step at d = 4); pin BLAS to one thread while training when threadpoolctl is there."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover
        return contextlib.nullcontext()
    return threadpool_limits(1)


def _centred(X) -> np.ndarray:
    X = check_array("X", X, ndim=2)
    if X.shape[0] < 2 or X.shape[1] < 2:
        raise ValueError(f"X needs at least 2 samples of at least 2 variables, got shape {X.shape}")
    return X - X.mean(axis=0, keepdims=True)


def golem_objective(B: Tensor, X: np.ndarray, lambda1: float = LAMBDA1, lambda2: float = LAMBDA2) -> Tensor:
    """The GOLEM-EV score of ``B`` (a Tensor; its diagonal is masked to 0) on centred ``X``, as a Tensor."""
    d = X.shape[1]
    Bm = B * (1.0 - np.eye(d))
    R = Tensor(X) - Tensor(X) @ Bm
    fit = (R * R).sum().log() * (d / 2.0)
    return fit - logabsdet(Tensor(np.eye(d)) - Bm) + abs_(Bm).sum() * lambda1 + dag_penalty(Bm) * lambda2


def golem_objective_value(B, X, lambda1: float = LAMBDA1, lambda2: float = LAMBDA2) -> float:
    """The same score in plain numpy (zero diagonal assumed)."""
    d = X.shape[1]
    R = X - X @ B
    return float(d / 2 * np.log(np.sum(R * R)) - np.linalg.slogdet(np.eye(d) - B)[1] + lambda1 * np.abs(B).sum()
                 + lambda2 * (np.trace(_expm(B * B)) - d))


def golem_gradient(B, X, lambda2: float = LAMBDA2) -> np.ndarray:
    """Closed-form gradient of the smooth part (everything but the L1 term), diagonal zeroed."""
    d = X.shape[1]
    R = X - X @ B
    g = -d * X.T @ R / np.sum(R * R) + np.linalg.inv(np.eye(d) - B).T + lambda2 * _expm(B * B).T * 2 * B
    np.fill_diagonal(g, 0.0)
    return g


def postprocess(B, threshold: float = THRESHOLD) -> np.ndarray:
    """Zero |B_ij| <= threshold, then delete the smallest remaining |B_ij| until acyclic [code]."""
    W = np.array(check_array("B", B, ndim=2), dtype=float)
    W[np.abs(W) <= check_real("threshold", threshold, minimum=0.0)] = 0.0
    while not is_dag((W != 0).astype(np.int8)):
        nz = np.argwhere(W != 0)
        i, j = min(nz, key=lambda ij: abs(W[ij[0], ij[1]]))
        W[i, j] = 0.0
    return W


def fit_golem(X, lambda1: float = LAMBDA1, lambda2: float = LAMBDA2, iterations: int = 100_000, lr: float = 1e-3,
              B_init=None, threshold: float | None = THRESHOLD):
    """GOLEM-EV with Adam on theorylab.nn; returns (post-processed B, raw B).

    ``threshold=None`` skips the post-processing (the first return value is then the raw B too).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x0 = rng.standard_normal(400); x1 = 1.5 * x0 + rng.standard_normal(400)
    >>> B, raw = fit_golem(np.c_[x0, x1], iterations=500, lr=2e-2)
    >>> bool(B[0, 1] != 0 and B[1, 0] == 0)
    True
    """
    Xc = _centred(X)
    d = Xc.shape[1]
    check_real("lambda1", lambda1, minimum=0.0)
    check_real("lambda2", lambda2, minimum=0.0)
    T = check_int("iterations", iterations, minimum=1)
    B0 = np.zeros((d, d)) if B_init is None else np.array(check_array("B_init", B_init, shape=(d, d)), dtype=float)
    param = Tensor(B0, requires_grad=True)
    opt = Adam([param], lr=check_positive("lr", lr))
    with _one_blas_thread():
        for _ in range(T):
            opt.zero_grad()
            golem_objective(param, Xc, lambda1, lambda2).backward()
            opt.step()
    raw = param.data * (1.0 - np.eye(d))
    return (raw.copy() if threshold is None else postprocess(raw, threshold)), raw


def golem_scipy(X, lambda1: float = LAMBDA1, lambda2: float = LAMBDA2, B_init=None) -> np.ndarray:
    """The same objective by L-BFGS-B on B = P - M (P, M >= 0, zero diagonals); returns the raw B."""
    Xc = _centred(X)
    d = Xc.shape[1]
    off = ~np.eye(d, dtype=bool)

    def unpack(z):
        P, M = z[: d * d].reshape(d, d), z[d * d:].reshape(d, d)
        return P - M

    def f(z):
        B = unpack(z)
        sign, ld = np.linalg.slogdet(np.eye(d) - B)
        if sign <= 0:
            return 1e10, np.zeros_like(z)
        val = golem_objective_value(B, Xc, 0.0, lambda2) + lambda1 * z.sum()
        g = golem_gradient(B, Xc, lambda2)
        return val, np.concatenate([(g + lambda1).ravel(), (-g + lambda1).ravel()])

    B0 = np.zeros((d, d)) if B_init is None else np.asarray(B_init, dtype=float)
    z0 = np.concatenate([np.maximum(B0, 0).ravel(), np.maximum(-B0, 0).ravel()])
    bounds = [(0, None) if o else (0, 0) for o in np.concatenate([off.ravel(), off.ravel()])]
    res = minimize(f, z0, jac=True, method="L-BFGS-B", bounds=bounds, options={"maxiter": 5000})
    return unpack(res.x)
