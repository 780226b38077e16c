"""GOLEM-EV (Ng, Ghassami, Zhang, NeurIPS 2020) trained with Adam on theorylab.nn (docs/topics/causal.md#golem).

Objective on centred data X (n x d), B with a zero diagonal:

    (d/2) ln ||X - X B||_F^2 - ln |det(I - B)| + lambda1 ||B||_1 + lambda2 (tr e^{B o B} - d),

lambda1 = 0.02, lambda2 = 5, Adam with learning rate 1e-3 from B = 0, 1e5 iterations, then the
post-processing of the authors' vendored code: zero every |B_ij| <= 0.3, then delete the
smallest-magnitude edges until the graph is acyclic [code, utils_golem].

Two engines compute the same Adam iterates (pinned to rtol 1e-8 by the tests):

- ``engine="nn"`` (the definition): the gradient comes from theorylab.nn's reverse mode with the ops of
  :mod:`theorylab.bandits.causal.golem_ops` (the DAG penalty's through the Frechet derivative of expm);
- ``engine="fused"`` (the fast kernel, default): one numba function returns the objective and its
  closed-form gradient from the sample covariance S = X^T X (||X - XB||_F^2 = tr((I - B)^T S (I - B)),
  so a step costs O(d^3), not O(n d^2)), with e^{B o B} by Pade-13 scaling and squaring (Higham 2005),
  and the Adam loop runs inside numba.

:func:`golem_scipy` minimises the same objective with L-BFGS-B (B = P - M, P, M >= 0, closed-form
gradient) as an independent check on small graphs.
"""

from __future__ import annotations

import contextlib
import math

import numpy as np
from numba import njit
from scipy.linalg import expm as _expm
from scipy.optimize import minimize

from theorylab.bandits.causal.golem_ops import abs_, dag_penalty, logabsdet
from theorylab.bandits.causal.kernels import is_dag
from theorylab.core.streams import argmin_random_ties
from theorylab.nn import Adam, Tensor
from theorylab.core.validate import check_array, check_choice, check_int, check_positive, check_real

__all__ = ["golem_objective", "golem_objective_value", "golem_gradient", "golem_value_and_grad", "fit_golem",
           "golem_scipy", "postprocess", "LAMBDA1", "LAMBDA2", "THRESHOLD", "ENGINES"]

LAMBDA1, LAMBDA2, THRESHOLD = 0.02, 5.0, 0.3   # the authors' GOLEM-MAB settings
ENGINES = ("fused", "nn")
ADAM_BETAS, ADAM_EPS = (0.9, 0.999), 1e-8      # theorylab.nn.Adam defaults (= TensorFlow's, used by GOLEM)

# Pade-13 coefficients and the 1-norm limit theta_13 of Higham (2005), SIAM J. Matrix Anal. Appl. 26(4)
_PADE13 = (64764752532480000.0, 32382376266240000.0, 7771770303897600.0, 1187353796428800.0,
           129060195264000.0, 10559470521600.0, 670442572800.0, 33522128640.0, 1323241920.0, 40840800.0,
           960960.0, 16380.0, 182.0, 1.0)
_THETA13 = 5.371920351148152


@njit(cache=True)
def _solve_small(A, Bm):
    """A^{-1} Bm by Gaussian elimination with partial pivoting (LAPACK's gesv algorithm), written out because
    numba's LAPACK wrappers cost ~6-9 us at d = 10 against ~1 us here. A singular pivot gives inf/nan."""
    d = A.shape[0]
    r = Bm.shape[1]
    L = A.copy()
    X = Bm.copy()
    for k in range(d):
        p = k
        big = abs(L[k, k])
        for i in range(k + 1, d):
            if abs(L[i, k]) > big:
                big = abs(L[i, k])
                p = i
        if p != k:
            for j in range(d):
                L[k, j], L[p, j] = L[p, j], L[k, j]
            for j in range(r):
                X[k, j], X[p, j] = X[p, j], X[k, j]
        piv = L[k, k]
        for i in range(k + 1, d):
            f = L[i, k] / piv
            if f != 0.0:
                for j in range(k + 1, d):
                    L[i, j] -= f * L[k, j]
                for j in range(r):
                    X[i, j] -= f * X[k, j]
    for k in range(d - 1, -1, -1):
        for j in range(r):
            acc = X[k, j]
            for i in range(k + 1, d):
                acc -= L[k, i] * X[i, j]
            X[k, j] = acc / L[k, k]
    return X


@njit(cache=True)
def _expm_pade13(A):
    """e^A by scaling and squaring with the [13/13] Pade approximant (Higham 2005, Algorithm 2.3 with m = 13
    always: backward error below unit roundoff; scipy.linalg.expm agrees to ~1e-15 relative)."""
    d = A.shape[0]
    norm = 0.0
    for j in range(d):
        c = 0.0
        for i in range(d):
            c += abs(A[i, j])
        norm = max(norm, c)
    sq = 0
    if norm > _THETA13:
        sq = int(math.ceil(math.log2(norm / _THETA13)))
    As = A / (2.0 ** sq)
    b = _PADE13
    ident = np.eye(d)
    A2 = As @ As
    A4 = A2 @ A2
    A6 = A4 @ A2
    U = As @ (A6 @ (b[13] * A6 + b[11] * A4 + b[9] * A2) + b[7] * A6 + b[5] * A4 + b[3] * A2 + b[1] * ident)
    V = A6 @ (b[12] * A6 + b[10] * A4 + b[8] * A2) + b[6] * A6 + b[4] * A4 + b[2] * A2 + b[0] * ident
    E = _solve_small(V - U, V + U)
    for _ in range(sq):
        E = E @ E
    return E


@njit(cache=True)
def _grad_into(B, S, lambda1, lambda2, G):
    """The (sub)gradient of the GOLEM-EV objective at B (zero diagonal) from S = X^T X of centred X, into G:

    -d S (I - B) / tr((I - B)^T S (I - B)) + (I - B)^{-T} + lambda2 (e^{B o B})^T o 2B + lambda1 sign(B),

    diagonal zeroed (sign(0) = 0, as the nn op's subgradient). Returns S (I - B) and (I - B) for the value."""
    d = B.shape[0]
    M = -B
    for i in range(d):
        M[i, i] += 1.0
    SM = S @ M
    fit = np.sum(M * SM)
    Minv = _solve_small(M, np.eye(d))
    E = _expm_pade13(B * B)
    c = -d / fit
    for i in range(d):
        for j in range(d):
            if i == j:
                G[i, j] = 0.0
            else:
                b = B[i, j]
                sg = 1.0 if b > 0.0 else (-1.0 if b < 0.0 else 0.0)
                G[i, j] = c * SM[i, j] + Minv[j, i] + 2.0 * lambda2 * E[j, i] * b + lambda1 * sg
    return fit, M, E


@njit(cache=True)
def _value_grad(B, S, lambda1, lambda2):
    """GOLEM-EV objective and (sub)gradient at B (zero diagonal) from S = X^T X of centred X (see _grad_into)."""
    d = B.shape[0]
    G = np.empty((d, d))
    fit, M, E = _grad_into(B, S, lambda1, lambda2, G)
    _, logdet = np.linalg.slogdet(M)
    value = 0.5 * d * math.log(fit) - logdet + lambda1 * np.sum(np.abs(B)) + lambda2 * (np.trace(E) - d)
    return value, G


@njit(cache=True)
def _adam(S, B0, lambda1, lambda2, lr, iterations, beta1, beta2, eps):
    """Adam (Kingma & Ba 2015, Algorithm 1, bias-corrected; the update of theorylab.nn.Adam) on the fused
    objective from B0 (diagonal zeroed). Returns the raw B."""
    d = B0.shape[0]
    B = B0.copy()
    for i in range(d):
        B[i, i] = 0.0
    m = np.zeros((d, d))
    v = np.zeros((d, d))
    g = np.empty((d, d))
    for t in range(1, iterations + 1):
        _grad_into(B, S, lambda1, lambda2, g)
        c1 = 1.0 - beta1 ** t
        c2 = 1.0 - beta2 ** t
        for i in range(d):
            for j in range(d):
                m[i, j] = beta1 * m[i, j] + (1.0 - beta1) * g[i, j]
                v[i, j] = beta2 * v[i, j] + (1.0 - beta2) * g[i, j] ** 2
                B[i, j] -= lr * (m[i, j] / c1) / (math.sqrt(v[i, j] / c2) + eps)
    return B


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
    """The GOLEM-EV score of ``B`` (a Tensor; its diagonal is masked to 0) on centred ``X``, as a Tensor.

    Parameters
    ----------
    B : Tensor, shape (d, d)
        Weighted adjacency matrix (B[i, j] = weight of edge i -> j); usually ``requires_grad=True``.
    X : numpy.ndarray of float, shape (n, d)
        Data, already centred (not centred here).
    lambda1 : float, default LAMBDA1 (0.02)
        Weight of the entrywise L1 penalty ||B||_1.
    lambda2 : float, default LAMBDA2 (5.0)
        Weight of the DAG penalty tr(e^{B o B}) - d.

    Returns
    -------
    Tensor, shape ()
        (d/2) ln ||X - X B||_F^2 - ln |det(I - B)| + lambda1 ||B||_1 + lambda2 (tr e^{B o B} - d), with
        the graph for ``.backward()`` (the ``engine="nn"`` definition).
    """
    d = X.shape[1]
    Bm = B * (1.0 - np.eye(d))
    R = Tensor(X) - Tensor(X) @ Bm
    fit = (R * R).sum().log() * (d / 2.0)
    return fit - logabsdet(Tensor(np.eye(d)) - Bm) + abs_(Bm).sum() * lambda1 + dag_penalty(Bm) * lambda2


def golem_objective_value(B, X, lambda1: float = LAMBDA1, lambda2: float = LAMBDA2) -> float:
    """The same score in plain numpy (zero diagonal assumed).

    Parameters
    ----------
    B : array_like of float, shape (d, d)
        Weighted adjacency matrix with a zero diagonal (not masked here).
    X : numpy.ndarray of float, shape (n, d)
        Data, already centred.
    lambda1 : float, default LAMBDA1 (0.02)
        Weight of the entrywise L1 penalty ||B||_1.
    lambda2 : float, default LAMBDA2 (5.0)
        Weight of the DAG penalty tr(e^{B o B}) - d.

    Returns
    -------
    float
        The GOLEM-EV objective value, as in :func:`golem_objective`.
    """
    d = X.shape[1]
    R = X - X @ B
    return float(d / 2 * np.log(np.sum(R * R)) - np.linalg.slogdet(np.eye(d) - B)[1] + lambda1 * np.abs(B).sum()
                 + lambda2 * (np.trace(_expm(B * B)) - d))


def golem_gradient(B, X, lambda2: float = LAMBDA2) -> np.ndarray:
    """Closed-form gradient of the smooth part (everything but the L1 term), diagonal zeroed.

    Parameters
    ----------
    B : array_like of float, shape (d, d)
        Weighted adjacency matrix with a zero diagonal.
    X : numpy.ndarray of float, shape (n, d)
        Data, already centred.
    lambda2 : float, default LAMBDA2 (5.0)
        Weight of the DAG penalty.

    Returns
    -------
    numpy.ndarray of float, shape (d, d)
        -d X^T (X - XB) / ||X - XB||_F^2 + (I - B)^{-T} + lambda2 (e^{B o B})^T o 2B, with a zero diagonal.
    """
    d = X.shape[1]
    R = X - X @ B
    g = -d * X.T @ R / np.sum(R * R) + np.linalg.inv(np.eye(d) - B).T + lambda2 * _expm(B * B).T * 2 * B
    np.fill_diagonal(g, 0.0)
    return g


@njit(cache=True)
def _postprocess_kernel(s, W, threshold):
    """In place: zero |W_ij| <= threshold, then the smallest |W_ij| until acyclic (exact ties at random from
    stream state ``s``). Returns the state."""
    d = W.shape[0]
    mag = np.empty(d * d)
    for i in range(d):
        for j in range(d):
            if abs(W[i, j]) <= threshold:
                W[i, j] = 0.0
    while not is_dag((W != 0.0).astype(np.int8)):
        for i in range(d):
            for j in range(d):
                mag[i * d + j] = abs(W[i, j]) if W[i, j] != 0.0 else np.inf
        s, q = argmin_random_ties(s, mag)
        W[q // d, q % d] = 0.0
    return s


def golem_value_and_grad(B, X, lambda1: float = LAMBDA1, lambda2: float = LAMBDA2):
    """The fused GOLEM-EV objective and gradient (the ``engine="fused"`` kernel) at ``B`` on data ``X``.

    Ng, Ghassami, Zhang (NeurIPS 2020), GOLEM-EV; the sample-covariance form of the fit term is [derived].

    Parameters
    ----------
    B : array (d, d)
        Weights (its diagonal is treated as 0).
    X : array (n, d)
        Data; centred here.
    lambda1, lambda2 : float
        L1 and DAG-penalty weights (authors: 0.02, 5).

    Returns
    -------
    value : float
        (d/2) ln||X - XB||_F^2 - ln|det(I - B)| + lambda1 ||B||_1 + lambda2 (tr e^{B o B} - d).
    grad : numpy.ndarray (d, d)
        Its gradient, with lambda1 sign(B) for the L1 term and a zero diagonal.

    Examples
    --------
    >>> X = np.random.default_rng(0).standard_normal((50, 3))
    >>> B = np.array([[0, 0.5, 0], [0, 0, -0.4], [0, 0, 0]])
    >>> value, grad = golem_value_and_grad(B, X)
    >>> bool(np.isclose(value, golem_objective_value(B, X - X.mean(0)))), grad.shape
    (True, (3, 3))
    """
    Xc = _centred(X)
    d = Xc.shape[1]
    W = np.array(check_array("B", B, shape=(d, d)), dtype=float)
    np.fill_diagonal(W, 0.0)
    S = np.ascontiguousarray(Xc.T @ Xc)
    value, grad = _value_grad(W, S, check_real("lambda1", lambda1, minimum=0.0),
                              check_real("lambda2", lambda2, minimum=0.0))
    return float(value), grad


def postprocess(B, threshold: float = THRESHOLD) -> np.ndarray:
    """Zero |B_ij| <= threshold, then delete the smallest remaining |B_ij| until acyclic [code].

    Parameters
    ----------
    B : array_like of float, shape (d, d)
        Raw weights (not modified; a copy is post-processed).
    threshold : float, default THRESHOLD (0.3)
        Entries with |B_ij| <= threshold are zeroed first (>= 0).

    Returns
    -------
    numpy.ndarray of float, shape (d, d)
        The pruned weights: a DAG whose nonzero entries keep their raw values. Ties in magnitude are broken
        by the first edge in row-major order.
    """
    W = np.array(check_array("B", B, ndim=2), dtype=float)
    W[np.abs(W) <= check_real("threshold", threshold, minimum=0.0)] = 0.0
    while not is_dag((W != 0).astype(np.int8)):
        nz = np.argwhere(W != 0)
        i, j = min(nz, key=lambda ij: abs(W[ij[0], ij[1]]))
        W[i, j] = 0.0
    return W


def fit_golem(X, lambda1: float = LAMBDA1, lambda2: float = LAMBDA2, iterations: int = 100_000, lr: float = 1e-3,
              B_init=None, threshold: float | None = THRESHOLD, engine: str = "fused"):
    """GOLEM-EV (Ng, Ghassami, Zhang 2020) fitted by Adam; the authors' GOLEM-MAB settings by default [code].

    Parameters
    ----------
    X : array (n, d)
        Samples (centred here), n >= 2, d >= 2.
    lambda1, lambda2 : float
        Entrywise L1 weight and DAG-penalty weight (authors: 0.02, 5).
    iterations : int
        Adam steps (authors: 1e5).
    lr : float
        Adam learning rate (authors: 1e-3); betas (0.9, 0.999), eps 1e-8.
    B_init : array (d, d), optional
        Start (default 0, the authors' zero init); its diagonal is ignored.
    threshold : float or None
        Post-processing threshold (authors: 0.3); ``None`` skips the post-processing.
    engine : str
        ``"fused"`` (numba kernel, default) or ``"nn"`` (the theorylab.nn definition; about 1000x slower).
        Both give the same iterates (tests pin them to rtol 1e-8).

    Returns
    -------
    B : numpy.ndarray (d, d)
        The post-processed weights (a DAG with every |B_ij| > threshold), or the raw B if ``threshold`` is None.
    raw : numpy.ndarray (d, d)
        The raw Adam iterate (zero diagonal).

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
    lambda1 = check_real("lambda1", lambda1, minimum=0.0)
    lambda2 = check_real("lambda2", lambda2, minimum=0.0)
    T = check_int("iterations", iterations, minimum=1)
    lr = check_positive("lr", lr)
    check_choice("engine", engine, ENGINES)
    B0 = np.zeros((d, d)) if B_init is None else np.array(check_array("B_init", B_init, shape=(d, d)), dtype=float)
    if engine == "fused":
        raw = _adam(np.ascontiguousarray(Xc.T @ Xc), np.ascontiguousarray(B0), lambda1, lambda2, lr, T,
                    ADAM_BETAS[0], ADAM_BETAS[1], ADAM_EPS)
    else:
        param = Tensor(B0, requires_grad=True)
        opt = Adam([param], lr=lr, betas=ADAM_BETAS, eps=ADAM_EPS)
        with _one_blas_thread():
            for _ in range(T):
                opt.zero_grad()
                golem_objective(param, Xc, lambda1, lambda2).backward()
                opt.step()
        raw = param.data * (1.0 - np.eye(d))
    return (raw.copy() if threshold is None else postprocess(raw, threshold)), raw


def golem_scipy(X, lambda1: float = LAMBDA1, lambda2: float = LAMBDA2, B_init=None) -> np.ndarray:
    """The same objective by L-BFGS-B on B = P - M (P, M >= 0, zero diagonals); returns the raw B.

    An independent check on :func:`fit_golem` for small graphs (the L1 term is smooth, lambda1 sum(P + M),
    on this split; points with det(I - B) <= 0 get the value 1e10).

    Parameters
    ----------
    X : array_like of float, shape (n, d)
        Samples (centred here), n >= 2, d >= 2.
    lambda1 : float, default LAMBDA1 (0.02)
        Weight of the entrywise L1 penalty ||B||_1.
    lambda2 : float, default LAMBDA2 (5.0)
        Weight of the DAG penalty tr(e^{B o B}) - d.
    B_init : array_like of float, shape (d, d), optional
        Start (default 0); its diagonal is ignored.

    Returns
    -------
    numpy.ndarray of float, shape (d, d)
        The raw minimiser B (zero diagonal, not post-processed; at most 5000 L-BFGS-B iterations).
    """
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
