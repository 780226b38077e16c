"""Pure-exploration algorithms for misspecified sparse linear bandits, on a batch of runs.

Every entry point takes an instance from :mod:`theorylab.bandits.linear.instances` and a batch of seeds
(``numpy.random.SeedSequence``, one per run, from :func:`theorylab.core.seeding.repetition_seeds`) and
returns a :class:`PureExplorationResult` with one entry per run:

- :func:`sparse_net`: SparseNet (support enumeration x explicit net x greedy actions, then selection among
  the greedy actions), the O((d/eps)^s)-query algorithm behind claim 1 of Dong & Yang (ICML 2023, arXiv
  v1 abstract) [reconstruction: the paper's algorithm box could not be read; guarantee derived];
- :func:`design_ls`: G-optimal design + least squares (Lattimore, Szepesvari & Weisz, ICML 2020; book
  eq. (21.3)), the eps sqrt(d) baseline [standard, constants derived];
- :func:`good_feature_probe`: basis probes + hard thresholding under "good" features [ours];
- :func:`exhaustive`: query every action, keep the best empirical one [ours, unstructured baseline].

Exact ties are broken by per-run random priorities (:mod:`theorylab.bandits.linear.draws`).
See docs/topics/linear.md for the model and every reconstruction choice.
"""

from __future__ import annotations

import hashlib
import math
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np

from theorylab.bandits.linear import kernels
from theorylab.bandits.linear.draws import run_draws, states_for
from theorylab.bandits.linear.instances import LinearInstance
from theorylab.bandits.linear.nets import NET_KINDS, make_net, supports
from theorylab.core.validate import check_array, check_choice, check_int, check_open_unit, check_real

__all__ = ["SPARSENET_MODES", "PureExplorationResult", "Design", "SparseNetScan", "sparsenet_scan", "sparse_net",
           "sample_size", "span_coordinates", "spanning_subset", "design_g", "g_optimal_design", "design_ls", "good_feature_probe", "basis_actions", "exhaustive",
           "TIE_TOL"]

SPARSENET_MODES = {"best_empirical": kernels.BEST_EMPIRICAL, "consistent_optimistic": kernels.CONSISTENT_OPTIMISTIC,
                   "seq_optimistic": kernels.SEQ_OPTIMISTIC}
#: Absolute tolerance under which two linear scores are an exact tie (spec 3.1 step 3).
TIE_TOL = 1e-12


@dataclass(frozen=True)
class PureExplorationResult:
    """One output action per run, its sub-optimality and the queries spent.

    Attributes
    ----------
    algorithm : str
    actions : int64 (R,)
        Output action a_hat of each run.
    errors : float64 (R,)
        max_a r(a) - r(a_hat).
    queries : int64 (R,)
        Total number of queries (pulls).
    distinct : int64 (R,)
        Number of distinct actions queried.
    info : dict
        Algorithm-specific diagnostics (documented by each entry point).
    """

    algorithm: str
    actions: np.ndarray
    errors: np.ndarray
    queries: np.ndarray
    distinct: np.ndarray
    info: dict = field(default_factory=dict)

    @property
    def runs(self) -> int:
        return int(self.actions.size)


def _check_instance(instance):
    if not isinstance(instance, LinearInstance):
        raise TypeError(f"instance must be a LinearInstance, got {type(instance).__name__}")
    return instance


def sample_size(sigma: float, eps_stat: float, n_actions: int, p: float) -> int:
    """Queries per action, m = ceil(2 sigma^2 log(2 n / p) / eps_stat^2) (1 when sigma = 0).

    With this m the mean of m Gaussian queries is within eps_stat of r(a) for all n actions at once with
    probability >= 1 - p (Gaussian tail and a union bound) [derived; docs/topics/linear.md#sparsenet].

    >>> sample_size(0.0, 0.0, 10, 0.05), sample_size(1.0, 0.5, 10, 0.05)
    (1, 48)
    """
    sigma = check_real("sigma", sigma, minimum=0.0)
    n_actions = check_int("n_actions", n_actions, minimum=1)
    p = check_open_unit("p", p)
    if sigma == 0:
        return 1
    eps_stat = check_real("eps_stat", eps_stat, minimum=0.0, strict_min=True)
    return int(math.ceil(2.0 * sigma**2 * math.log(2.0 * n_actions / p) / eps_stat**2))


# ----------------------------------------------------------------------------------------------- SparseNet

@dataclass(frozen=True, eq=False)
class SparseNetScan:
    """All candidates theta(S, u) of SparseNet with their value v and greedy action g (spec 3.1 steps 1-3).

    Candidate c = support index * net size + net index (enumeration order). ``g`` is the lowest maximiser;
    candidates with several maximisers are listed in ``tie_cand`` with their maximisers in
    ``tie_idx[tie_ptr[t]:tie_ptr[t+1]]``. ``order`` sorts candidates by decreasing v (stable) and
    ``group_ptr`` delimits runs of exactly equal v in it. ``union`` counts the actions that are a
    maximiser of some candidate (an upper bound on every run's |G|).
    """

    v: np.ndarray
    g: np.ndarray
    tie_cand: np.ndarray
    tie_ptr: np.ndarray
    tie_idx: np.ndarray
    order: np.ndarray
    group_ptr: np.ndarray
    n_supports: int
    net_size: int
    union: int

    @property
    def n_candidates(self) -> int:
        return int(self.v.size)


_SCAN_CACHE: "OrderedDict[tuple, SparseNetScan]" = OrderedDict()
_SCAN_CACHE_SIZE = 16


def _features_key(phi: np.ndarray) -> str:
    return hashlib.blake2b(np.ascontiguousarray(phi).tobytes(), digest_size=16).hexdigest() + str(phi.shape)


def sparsenet_scan(features, s: int, eps_net: float, net_kind: str = "ball", n_ax: int | None = None) -> SparseNetScan:
    """Enumerate supports x net and compute every candidate's v and greedy action (cached per features).

    The scan is one numba kernel call (no Python per candidate): per support the K x s sub-matrix is
    gathered once and every net point's scores are computed and maximised in a single pass
    (docs/topics/linear.md#speed).

    Parameters
    ----------
    features : float array (K, d)
    s : int >= 1
    eps_net : float > 0
    net_kind : {"ball", "direction"}
    n_ax : int, optional
        Grid points per axis (default from ``eps_net``, see :func:`theorylab.bandits.linear.nets.axis_points`).

    Returns
    -------
    SparseNetScan

    Examples
    --------
    >>> scan = sparsenet_scan(np.eye(3), 1, 0.5, "direction")
    >>> scan.n_candidates, scan.g.tolist()[:2], scan.union
    (6, [1, 0], 3)
    """
    phi = np.ascontiguousarray(check_array("features", features, ndim=2))
    s = check_int("s", s, minimum=1)
    eps_net = check_real("eps_net", eps_net, minimum=0.0, strict_min=True)
    net_kind = check_choice("net_kind", net_kind, NET_KINDS)
    key = (_features_key(phi), s, eps_net, net_kind, n_ax)
    if key in _SCAN_CACHE:
        _SCAN_CACHE.move_to_end(key)
        return _SCAN_CACHE[key]
    sup = supports(phi.shape[1], s)
    net = make_net(sup.shape[1], eps_net, net_kind, n_ax)
    v, g, tc, tp, ti = kernels.scan_candidates(phi, sup, net, TIE_TOL)
    order = np.argsort(-v, kind="stable")
    vs = v[order]
    breaks = np.flatnonzero(vs[1:] != vs[:-1]) + 1
    group_ptr = np.concatenate(([0], breaks, [v.size])).astype(np.int64)
    mask = np.zeros(phi.shape[0], dtype=bool)
    mask[g] = True
    mask[ti] = True
    scan = SparseNetScan(v, g, tc, tp, ti, order.astype(np.int64), group_ptr, int(sup.shape[0]), int(net.shape[0]),
                         int(mask.sum()))
    _SCAN_CACHE[key] = scan
    while len(_SCAN_CACHE) > _SCAN_CACHE_SIZE:
        _SCAN_CACHE.popitem(last=False)
    return scan


def sparse_net(instance: LinearInstance, s: int, seeds, mode: str = "seq_optimistic", eps: float | None = None,
               eps_net: float | None = None, eps_stat: float | None = None, p: float = 0.05,
               net_kind: str | None = None, n_ax: int | None = None, tau: float | None = None,
               record_order: bool = False) -> PureExplorationResult:
    """SparseNet on a batch of runs (spec 3.1) [reconstruction; guarantee (3) derived].

    Steps (docs/topics/linear.md#sparsenet): (1) enumerate the supports S of size s; (2) an eps_net-net of
    the unit s-ball (``ball``) or of its directions (``direction``); (3) for each candidate theta(S, u)
    compute v = max_a <phi(a), theta> and the greedy action g(theta); (4) G = distinct greedy actions;
    (5) m queries per queried action, m = ceil(2 sigma^2 log(2 |G_max| / p) / eps_stat^2) (1 if noiseless);
    (6) select: ``best_empirical`` (query all of G, best mean), ``consistent_optimistic`` (query all of G,
    largest v among candidates with r_hat(g) >= v - tau), ``seq_optimistic`` (walk candidates by
    decreasing v, query lazily, stop at the first passing one), tau = eps + eps_net + eps_stat.
    Guarantee: with probability >= 1 - p, r(a*) - r(a_hat) <= 2 eps + 2 eps_net + 2 eps_stat.

    Parameters
    ----------
    instance : LinearInstance
    s : int >= 1
        Sparsity the learner assumes (supports of size min(s, d)).
    seeds : sequence of numpy.random.SeedSequence
        One per run.
    mode : {"best_empirical", "consistent_optimistic", "seq_optimistic"}
    eps : float, optional
        Misspecification level the learner knows (default ``instance.eps``).
    eps_net, eps_stat : float, optional
        Net resolution and estimation accuracy (default eps; eps_stat is 0 when sigma = 0).
    p : float in (0, 1)
        Failure probability.
    net_kind : {"ball", "direction"}, optional
        Default "ball" for the optimistic modes, "direction" for best_empirical (the optimistic test
        needs the scale of theta, so the direction net is refused there).
    n_ax : int, optional
        Grid points per axis of the net.
    tau : float, optional
        Threshold of the optimism test (default eps + eps_net + eps_stat).
    record_order : bool
        Keep each run's query order in ``info["query_rank"]`` (R, K).

    Returns
    -------
    PureExplorationResult
        ``info``: n_greedy (R,), stop_rank (R,), n_supports, net_size, n_candidates, union, m, tau,
        eps_net, eps_stat, net_kind, mode, query_rank (if recorded).

    Examples
    --------
    >>> from theorylab.bandits.linear.instances import separation_instance
    >>> from theorylab.core.seeding import repetition_seeds
    >>> res = sparse_net(separation_instance(9, 0.02), 1, repetition_seeds(0, "doc", 2), mode="best_empirical")
    >>> res.errors.tolist(), res.distinct.tolist()
    ([0.0, 0.0], [10, 10])
    """
    inst = _check_instance(instance)
    s = check_int("s", s, minimum=1)
    mode = check_choice("mode", mode, SPARSENET_MODES)
    eps = inst.eps if eps is None else check_real("eps", eps, minimum=0.0)
    if eps_net is None:
        if eps <= 0:
            raise ValueError("eps_net must be given when eps = 0 (the default eps_net = eps would be 0)")
        eps_net = eps
    eps_net = check_real("eps_net", eps_net, minimum=0.0, strict_min=True)
    if net_kind is None:
        net_kind = "direction" if mode == "best_empirical" else "ball"
    net_kind = check_choice("net_kind", net_kind, NET_KINDS)
    if net_kind == "direction" and mode != "best_empirical":
        raise ValueError(f"net_kind 'direction' needs mode 'best_empirical' (the optimistic test uses the scale of "
                         f"theta), got mode {mode!r}")
    p = check_open_unit("p", p)
    if inst.sigma == 0:
        eps_stat = 0.0
    else:
        eps_stat = eps if eps_stat is None else check_real("eps_stat", eps_stat, minimum=0.0, strict_min=True)
        if eps_stat <= 0:
            raise ValueError("eps_stat must be positive with noisy queries (sigma > 0)")
    tau = eps + eps_net + eps_stat if tau is None else check_real("tau", tau, minimum=0.0)
    scan = sparsenet_scan(inst.features, s, eps_net, net_kind, n_ax)
    m = sample_size(inst.sigma, eps_stat, scan.union, p)
    states = states_for(seeds)
    R = states.size
    actions = np.empty(R, dtype=np.int64)
    n_q = np.empty(R, dtype=np.int64)
    n_g = np.empty(R, dtype=np.int64)
    stop = np.empty(R, dtype=np.int64)
    qr = np.empty((R, inst.K) if record_order else (0, 0), dtype=np.int64)
    kernels.sparsenet_select(scan.v, scan.g, scan.tie_cand, scan.tie_ptr, scan.tie_idx, scan.order, scan.group_ptr,
                             inst.rewards, states, inst.sigma / math.sqrt(m), SPARSENET_MODES[mode], float(tau),
                             actions, n_q, n_g, stop, qr)
    info = {"n_greedy": n_g, "stop_rank": stop, "n_supports": scan.n_supports, "net_size": scan.net_size,
            "n_candidates": scan.n_candidates, "union": scan.union, "m": m, "tau": float(tau), "eps": eps,
            "eps_net": eps_net, "eps_stat": eps_stat, "net_kind": net_kind, "mode": mode, "s": s}
    if record_order:
        info["query_rank"] = qr
    return PureExplorationResult("sparse_net", actions, inst.errors(actions), m * n_q, n_q, info)


# ----------------------------------------------------------------------------------------------- DesignLS

@dataclass(frozen=True)
class Design:
    """A design pi over the actions with g(pi) = max_a ||phi(a)||^2_{V(pi)^{-1}} (recomputed exactly)."""

    weights: np.ndarray
    g: float
    iterations: int

    @property
    def support(self) -> np.ndarray:
        return np.flatnonzero(self.weights > 0)


def design_g(features, weights) -> float:
    """g(pi) = max_a phi(a)^T V(pi)^{-1} phi(a), computed with a fresh solve."""
    phi = np.asarray(features, dtype=float)
    V = (phi.T * weights) @ phi
    return float(np.max(np.einsum("ij,ij->i", phi, np.linalg.solve(V, phi.T).T)))


def span_coordinates(features) -> np.ndarray:
    """``features`` itself if it has rank d, else its coordinates in an orthonormal basis of its row span (K, rank).

    Inner products and norms of the rows are preserved, so designs, least-squares predictions and g values are
    those of the original features restricted to their span.

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
    largest residual norm; a nonsingular start with small support, spec 4.1 step 1), then Frank-Wolfe with
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
    """DesignLS: query a G-optimal design's support, fit least squares, play the greedy action (spec 4.1).

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
    inst = _check_instance(instance)
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


def argmax_ties(values: np.ndarray, priority: np.ndarray, tol: float = TIE_TOL) -> np.ndarray:
    """Row-wise argmax of ``values`` (R, K); entries within ``tol`` of the maximum tie, won by the highest priority."""
    top = values.max(axis=1, keepdims=True)
    tied = values >= top - tol
    return np.where(tied, priority, -1.0).argmax(axis=1).astype(np.int64)


# ----------------------------------------------------------------------------------------- GoodFeatureProbe

def basis_actions(features) -> tuple[np.ndarray, np.ndarray]:
    """For each coordinate i an action b_i with phi(b_i) = c_i e_i, c_i > 0 (largest c_i; lowest index on ties).

    Returns ``(b, c)``, int64 (d,) and float64 (d,). Raises ValueError naming the first missing coordinate
    (assumption G(c0) of docs/topics/linear.md#goodfeatureprobe fails).
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
    """GoodFeatureProbe: probe the basis actions, keep the s largest coordinates, play greedy (spec 3.2) [ours].

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
    inst = _check_instance(instance)
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


# ----------------------------------------------------------------------------------------------- exhaustive

def exhaustive(instance: LinearInstance, seeds, eps_stat: float | None = None, p: float = 0.05) -> PureExplorationResult:
    """Query every action m times and output the best empirical mean (spec 4.4) [ours].

    m = 1 when noiseless (error 0, K queries), else m = ceil(2 sigma^2 log(2K/p) / eps_stat^2) and the
    error is <= 2 eps_stat with probability >= 1 - p.

    Examples
    --------
    >>> from theorylab.bandits.linear.instances import separation_instance
    >>> from theorylab.core.seeding import repetition_seeds
    >>> exhaustive(separation_instance(4, 0.1), repetition_seeds(0, "doc", 1)).errors.tolist()
    [0.0]
    """
    inst = _check_instance(instance)
    p = check_open_unit("p", p)
    es = 0.0 if inst.sigma == 0 else (inst.eps if eps_stat is None else check_real("eps_stat", eps_stat, minimum=0.0,
                                                                                   strict_min=True))
    m = sample_size(inst.sigma, es, inst.K, p)
    prio, z = run_draws(seeds, inst.K, normals=inst.sigma > 0)
    R = prio.shape[0]
    rhat = inst.rewards[None, :] + (inst.sigma * z / math.sqrt(m) if inst.sigma > 0 else 0.0)
    rhat = np.broadcast_to(rhat, (R, inst.K))
    actions = argmax_ties(rhat, prio, tol=0.0)
    return PureExplorationResult("exhaustive", actions, inst.errors(actions), np.full(R, inst.K * m, dtype=np.int64),
                                 np.full(R, inst.K, dtype=np.int64), {"m": m})
