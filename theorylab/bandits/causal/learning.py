"""Graph learning of CSL-UCB: KSG mutual information, sub-graph topology learning, OLS weights and the
structure-error counts (docs/topics/causal.md#graph-learning).

The learner sees rounds (action bits, observed X). For node n and state s the *relevant samples* are
the rounds t >= start[n] with a_{t,n} = s, the first ``n_max`` of them (the authors' "low complexity"
cap: once reached, the column's estimate is frozen until a reset). Every round with a_{t,n} = s is a
sample of sub-graph (n, s) whatever the other bits are.
"""

from __future__ import annotations

import numpy as np

from theorylab.bandits.causal import kernels as _k
from theorylab.core.validate import check_array, check_int, check_real

__all__ = ["ksg_mutual_information", "learn_topology", "estimate_weights", "edge_errors", "tie_priority",
           "N_MAX_DEFAULT", "K_NN_DEFAULT"]

N_MAX_DEFAULT = 100   # authors' runs (sim_main.py passes n_max = 100)
K_NN_DEFAULT = 5      # authors' est_MI default


def ksg_mutual_information(u, v, k: int = K_NN_DEFAULT, faithful_quirk: bool = False) -> float:
    """Kraskov-Stoegbauer-Grassberger estimate (second variant) of I(u; v) in nats.

    psi(k) - 1/k - mean_i [psi(n_x(i)) + psi(n_y(i))] + psi(M), with the max-norm joint distance,
    eps_x(i), eps_y(i) the largest marginal distances among the k nearest joint neighbours of i and
    n_x(i) = #{j != i : |u_j - u_i| <= eps_x(i)} (Kraskov et al. 2004, Phys. Rev. E 69, 066138).

    Parameters
    ----------
    u, v : array (M,)
        Paired samples, M > k.
    k : int
        Neighbours (authors: 5).
    faithful_quirk : bool
        The authors' selection: k - 1 of the k nearest neighbours (we drop the nearest), psi(k) kept
        (docs/topics/causal.md#reconstruction-choices).

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> x = rng.standard_normal(2000)
    >>> abs(ksg_mutual_information(x, rng.standard_normal(2000))) < 0.03   # independent: I = 0
    True
    >>> z = 0.9 * x + np.sqrt(1 - 0.81) * rng.standard_normal(2000)       # I = -ln(1 - 0.81)/2 = 0.830
    >>> abs(ksg_mutual_information(x, z) - 0.830) < 0.05
    True
    """
    x = check_array("u", u, ndim=1)
    y = check_array("v", v, shape=(x.size,))
    k = check_int("k", k, minimum=2 if faithful_quirk else 1)
    if x.size <= k:
        raise ValueError(f"u, v need more than k = {k} samples, got {x.size}")
    return float(_k.ksg_mi(np.ascontiguousarray(x), np.ascontiguousarray(y), k, bool(faithful_quirk)))


def tie_priority(n_nodes: int, rng: np.random.Generator) -> np.ndarray:
    """A uniformly random priority of the N^2 matrix entries (exact score ties go to the smallest)."""
    N = check_int("n_nodes", n_nodes, minimum=1)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator, got {type(rng).__name__}")
    return rng.permutation(N * N).astype(np.float64)


def _data(X, bits, start, n_max):
    X = check_array("X", X, ndim=2)
    T, N = X.shape
    b = np.asarray(bits)
    if b.shape != (T, N) or not np.all((b == 0) | (b == 1)):
        raise ValueError(f"bits must be a 0/1 array of shape {(T, N)}, got shape {b.shape}")
    st = np.zeros(N, dtype=np.int64) if start is None else np.asarray(check_array("start", start, shape=(N,)),
                                                                        dtype=np.int64)
    if np.any(st < 0):
        raise ValueError("start must be nonnegative")
    n_max = check_int("n_max", n_max, minimum=1)
    return np.ascontiguousarray(X), np.ascontiguousarray(b, dtype=np.int8), st, n_max


def learn_topology(X, bits, nu, state: int, rng: np.random.Generator, start=None, n_max: int = N_MAX_DEFAULT,
                   k: int = K_NN_DEFAULT, weight: float = 1.0, faithful_quirk: bool = False) -> np.ndarray:
    """CSL-UCB's sub-graph topology for one state (authors' ``learn_topo``; docs/topics/causal.md#topology-learning).

    From the complete directed graph, repeatedly delete the edge with the highest removal score
    I_KSG(residual; X_p) - weight * ln|b_p| and refit its column, until the graph is acyclic: as few
    deletions as possible, the weakest-looking edges first (false negatives are the costly error).

    Parameters
    ----------
    X : array (T, N)
        Observed rounds.
    bits : array (T, N) of 0/1
        Action of each round.
    nu : array (N,)
        Known noise means (subtracted; no intercept).
    state : int
        0 (observational columns) or 1 (interventional columns).
    rng : numpy.random.Generator
        Breaks exact score ties uniformly at random.
    start : array (N,) of int, optional
        Per-node reset times (default 0).
    n_max : int
        Relevant-sample cap (authors: 100).
    k, weight, faithful_quirk
        KSG neighbours, log-weight penalty (authors: 5, 1.0), KSG neighbour quirk.

    Returns
    -------
    numpy.ndarray (N, N) of int8: a DAG, ``A[p, n] = 1`` iff p -> n.

    Examples
    --------
    >>> from theorylab.bandits.causal.instances import CausalSEM
    >>> inst = CausalSEM([[0, 1.5, 0], [0, 0, -1.2], [0, 0, 0]], [[0, 0.8, 0], [0, 0, 1.0], [0, 0, 0]])
    >>> rng = np.random.default_rng(0)
    >>> acts = rng.integers(0, inst.n_actions, 400)
    >>> from theorylab.bandits.causal.instances import action_bits
    >>> A = learn_topology(inst.sample(acts, rng), action_bits(3, acts), inst.nu, 0, rng)
    >>> bool(A[0, 1] and A[1, 2])
    True
    """
    X, b, st, n_max = _data(X, bits, start, n_max)
    N = X.shape[1]
    nu = check_array("nu", nu, shape=(N,))
    state = check_int("state", state, minimum=0, maximum=1)
    k = check_int("k", k, minimum=2 if faithful_quirk else 1)
    weight = check_real("weight", weight, minimum=0.0)
    for n in range(N):
        m = _k.relevant_rows(b, n, state, st[n], n_max).size
        if m <= k:
            raise ValueError(f"X: node {n} has {m} relevant samples in state {state}; need more than k = {k}")
    adj, _ = _k.learn_topology(X, b, nu, state, st, n_max, k, weight, bool(faithful_quirk), tie_priority(N, rng))
    return adj


def estimate_weights(X, bits, nu, sigma, state: int, adj, start=None, n_max: int = N_MAX_DEFAULT):
    """OLS weights of every column on a given topology, with the bound's per-node eigenvalue term.

    Returns
    -------
    W : numpy.ndarray (N, N)
        Estimated weights (zero outside ``adj``).
    lam : numpy.ndarray (N,)
        sigma_n^2 / lambda_min(Z_n^T Z_n) = lambda_max of the OLS error covariance (0 without parents).
    npar : numpy.ndarray (N,)
        Parent counts.

    Examples
    --------
    >>> X = np.array([[1.0, 3.0], [2.0, 5.0], [-1.0, -1.0]])
    >>> W, lam, npar = estimate_weights(X, np.zeros((3, 2), int), [1.0, 1.0], [1.0, 1.0], 0, [[0, 1], [0, 0]])
    >>> round(float(W[0, 1]), 12), npar.tolist()
    (2.0, [0, 1])
    """
    X, b, st, n_max = _data(X, bits, start, n_max)
    N = X.shape[1]
    nu = check_array("nu", nu, shape=(N,))
    sigma = check_array("sigma", sigma, shape=(N,))
    state = check_int("state", state, minimum=0, maximum=1)
    A = np.asarray(check_array("adj", adj, shape=(N, N)), dtype=np.int8)
    return _k.estimate_weights(X, b, nu, sigma, state, st, n_max, np.ascontiguousarray(A))


def edge_errors(true_adj, est_adj) -> dict:
    """Structure errors of an estimated DAG, defined as causal-learn 0.1.4.8 defines them.

    - ``shd``: pairs {i, j} (i <= j) whose endpoint pair differs (causal-learn ``SHD``): a missing,
      extra or reversed edge counts 1;
    - ``fp`` / ``fn``: arrowheads in the estimate not in the truth / in the truth not in the estimate
      (``ArrowConfusion``; a reversed edge is one of each);
    - ``adj_fp`` / ``adj_fn``: adjacencies (skeleton) extra / missing (``AdjacencyConfusion``).

    Examples
    --------
    >>> edge_errors([[0, 1], [0, 0]], [[0, 0], [1, 0]])
    {'shd': 1, 'fp': 1, 'fn': 1, 'adj_fp': 0, 'adj_fn': 0}
    """
    T = np.asarray(true_adj) != 0
    E = np.asarray(est_adj) != 0
    if T.ndim != 2 or T.shape[0] != T.shape[1] or E.shape != T.shape:
        raise ValueError(f"true_adj and est_adj must be square of the same shape, got {T.shape}, {E.shape}")
    iu = np.triu_indices(T.shape[0], k=1)
    differs = (T[iu] != E[iu]) | (T.T[iu] != E.T[iu])
    diag = T.diagonal() != E.diagonal()
    sk_t, sk_e = (T | T.T)[iu], (E | E.T)[iu]
    return {"shd": int(differs.sum() + diag.sum()), "fp": int((E & ~T).sum()), "fn": int((T & ~E).sum()),
            "adj_fp": int((sk_e & ~sk_t).sum()), "adj_fn": int((sk_t & ~sk_e).sum())}
