"""Max-Det collections and the projection onto the span of the active arms (docs/topics/dp_bai.md#dp-bai).

Chen, Karthik, Chee, Tan (ICLR 2024), Definition 3.1: a size-d' subset B of a spanning set A of
R^{d'} with maximal |det|. Lemma 1 [DERIVED]: every v in A then has coefficients
beta_j(v) in [-1, 1] in the basis B (Cramer's rule); a single-swap local optimum suffices.
Exact enumeration when C(s, d') <= 2e5, else greedy (pivoted) start + swap local search with
threshold C = 1 + 1e-9 [OURS]. Deterministic: depends on the arm vectors only, never on rewards.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from theorylab.bandits.dp_bai.instances import numerical_rank
from theorylab.core.validate import check_array, check_choice

__all__ = ["MaxDet", "project_to_span", "max_det_collection", "EXACT_LIMIT", "SWAP_THRESHOLD"]

EXACT_LIMIT = 200_000
SWAP_THRESHOLD = 1.0 + 1e-9
_CHUNK = 20_000


@dataclass(frozen=True)
class MaxDet:
    """Result of :func:`max_det_collection`.

    Attributes
    ----------
    basis : int array (d',)
        Row indices (into the input vectors) of the collection, increasing.
    beta : float array (s, d')
        Coefficients: ``vectors[i] = sum_j beta[i, j] * vectors[basis[j]]``; ``|beta| <= 1 + 1e-8``.
    log_abs_det : float
        log |det| of the collection (in the projected coordinates).
    method : str
        ``"exact"`` or ``"local_search"``.
    """

    basis: np.ndarray
    beta: np.ndarray
    log_abs_det: float
    method: str


def project_to_span(vectors) -> np.ndarray:
    """Coordinates of ``vectors`` (s, d) in an orthonormal basis of their span: shape (s, rank).

    Spec Section 3.2: inner products (hence means and determinant ratios) are preserved.

    Parameters
    ----------
    vectors : array_like (s, d)
        The vectors.

    Returns
    -------
    ndarray (s, rank)
        Their coordinates in an orthonormal basis of their span.

    Examples
    --------
    >>> project_to_span([[1, 1, 0], [2, 2, 0]]).shape
    (2, 1)
    """
    V = check_array("vectors", vectors, ndim=2)
    r = numerical_rank(V)
    if r == 0:
        raise ValueError("vectors must not all be zero")
    _, _, vt = np.linalg.svd(V, full_matrices=False)
    return V @ vt[:r].T


def _log_abs_det(M: np.ndarray) -> float:
    sign, logdet = np.linalg.slogdet(M)
    return float(logdet) if sign != 0 else -math.inf


def _exact(X: np.ndarray) -> np.ndarray:
    s, d = X.shape
    best_val, best = -1.0, None
    combos = itertools.combinations(range(s), d)
    while True:
        chunk = list(itertools.islice(combos, _CHUNK))
        if not chunk:
            break
        idx = np.asarray(chunk, dtype=np.int64)
        dets = np.abs(np.linalg.det(X[idx]))
        j = int(np.argmax(dets))
        if dets[j] > best_val * (1 + 1e-12):
            best_val, best = float(dets[j]), idx[j]
    return np.asarray(best, dtype=np.int64)


def _greedy(X: np.ndarray) -> list[int]:
    s, d = X.shape
    chosen: list[int] = []
    R = X.copy()
    for _ in range(d):
        norms = np.einsum("ij,ij->i", R, R)
        norms[chosen] = -1.0
        j = int(np.argmax(norms))
        chosen.append(j)
        q = R[j] / math.sqrt(norms[j])
        R = R - np.outer(R @ q, q)
    return chosen


def _local_search(X: np.ndarray, start: list[int], max_swaps: int = 10_000) -> np.ndarray:
    basis = list(start)
    for _ in range(max_swaps):
        B = X[basis].T
        beta = np.linalg.solve(B, X.T)          # (d, s)
        j, i = np.unravel_index(int(np.argmax(np.abs(beta))), beta.shape)
        if abs(beta[j, i]) <= SWAP_THRESHOLD:
            break
        basis[j] = int(i)
    return np.asarray(basis, dtype=np.int64)


def max_det_collection(vectors, method: str = "auto") -> MaxDet:
    """Max-Det collection of a set of vectors (Chen et al. 2024, Definition 3.1; docs/topics/dp_bai.md#dp-bai).

    Vectors are first projected on their span (dimension d' = rank), then a size-d' subset with
    maximal |det| is found exactly (``C(s, d') <= 2e5`` or ``method="exact"``) or by swap local search.

    Parameters
    ----------
    vectors : array_like (s, d)
    method : {"auto", "exact", "local_search"}

    Returns
    -------
    MaxDet
        Basis indices (sorted) and the coefficient matrix beta with entries in [-1, 1].

    Examples
    --------
    >>> r = max_det_collection([[1, 0], [0, 1], [1, 1]])
    >>> r.basis.tolist(), float(abs(r.beta).max()) <= 1 + 1e-9
    ([0, 1], True)
    """
    check_choice("method", method, ("auto", "exact", "local_search"))
    X = project_to_span(vectors)
    s, d = X.shape
    exact = method == "exact" or (method == "auto" and math.comb(s, d) <= EXACT_LIMIT)
    if d == s:
        basis = np.arange(s, dtype=np.int64)
        used = "exact"
    elif exact:
        basis = _exact(X)
        used = "exact"
    else:
        basis = _local_search(X, _greedy(X))
        used = "local_search"
    basis = np.sort(basis)
    B = X[basis]
    beta = np.linalg.solve(B.T, X.T).T
    beta[basis] = np.eye(d)
    if np.max(np.abs(beta)) > 1 + 1e-8:
        # exact search can end on a numerical near-tie; finish with swaps (each raises |det|)
        basis = np.sort(_local_search(X, list(basis)))
        B = X[basis]
        beta = np.linalg.solve(B.T, X.T).T
        beta[basis] = np.eye(d)
        used += "+swaps"
    return MaxDet(basis, beta, _log_abs_det(B), used)
