"""SparseNet: support enumeration x explicit net x greedy actions, then selection (docs/topics/linear.md#sparsenet).

Dong & Yang (ICML 2023), claim 1 of the arXiv v1 abstract in shape [reconstruction; guarantee derived].
"""

from __future__ import annotations

import hashlib
import math
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from theorylab.bandits.linear import kernels
from theorylab.bandits.linear.draws import states_for
from theorylab.bandits.linear.instances import LinearInstance
from theorylab.bandits.linear.nets import NET_KINDS, make_net, supports
from theorylab.bandits.linear.results import TIE_TOL, PureExplorationResult, check_instance, sample_size
from theorylab.core.validate import check_array, check_choice, check_int, check_open_unit, check_real

__all__ = ["SPARSENET_MODES", "SparseNetScan", "sparsenet_scan", "sparse_net"]

SPARSENET_MODES = {"best_empirical": kernels.BEST_EMPIRICAL, "consistent_optimistic": kernels.CONSISTENT_OPTIMISTIC,
                   "seq_optimistic": kernels.SEQ_OPTIMISTIC}


@dataclass(frozen=True, eq=False)
class SparseNetScan:
    """All candidates theta(S, u) of SparseNet with their value v and greedy action g (steps 1-3).

    Candidate c = support index * net size + net index (enumeration order). ``g`` is the lowest maximiser;
    candidates with several maximisers are listed in ``tie_cand`` with their maximisers in
    ``tie_idx[tie_ptr[t]:tie_ptr[t+1]]``. ``order`` sorts candidates by decreasing v (stable) and
    ``group_ptr`` delimits runs of exactly equal v in it. ``union`` counts the actions that are a
    maximiser of some candidate (an upper bound on every run's |G|).

    Attributes
    ----------
    v : numpy.ndarray of float64, shape (n_supports * net_size,)
        Candidate values v(theta) = max_a <phi(a), theta>, in enumeration order.
    g : numpy.ndarray of int64, shape (n_supports * net_size,)
        Lowest maximising action of each candidate (runs re-break ties by priority).
    tie_cand : numpy.ndarray of int64, shape (T,)
        Candidates with more than one maximiser within ``TIE_TOL``.
    tie_ptr : numpy.ndarray of int64, shape (T + 1,)
        Offsets into ``tie_idx``, one run per entry of ``tie_cand``.
    tie_idx : numpy.ndarray of int64, shape (tie_ptr[T],)
        The maximisers of the tied candidates, concatenated.
    order : numpy.ndarray of int64, shape (n_supports * net_size,)
        Candidate indices sorted by decreasing v (stable sort, so ties keep enumeration order).
    group_ptr : numpy.ndarray of int64
        Offsets into ``order`` delimiting runs of exactly equal v (first 0, last the candidate count).
    n_supports : int
        Number of supports S of size s (``math.comb(d, s)``).
    net_size : int
        Number of net points u per support.
    union : int
        Number of distinct actions that maximise at least one candidate.

    Examples
    --------
    >>> scan = sparsenet_scan(np.eye(2), 1, 0.5, "direction")
    >>> scan.n_candidates, scan.union
    (4, 2)
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
               record_order: bool = False, sample_scale: float = 1.0) -> PureExplorationResult:
    """SparseNet on a batch of runs [reconstruction; guarantee derived].

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
    sample_scale : float in (0, 1]
        Multiplier of m (queries per action), rounded up (1 is the algorithm; smaller values only for the
        deliberate break of the noisy claim).

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
    inst = check_instance(instance)
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
    sample_scale = check_real("sample_scale", sample_scale, minimum=0.0, maximum=1.0, strict_min=True)
    m = max(1, int(math.ceil(sample_scale * m - 1e-9)))
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
