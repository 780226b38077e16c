"""Phase schedules and per-phase plans of DP-BAI, DP-OD and their non-private versions.

A phase plan for an active arm set says which arms are pulled (``pull_arms``), how often
(``counts``) and how the noisy phase means of the pulled arms map to estimates of every active arm
(``weights``: mu_hat = weights @ mu_tilde). Plans depend on public arm vectors only, never on rewards,
and are cached per active set.

- DP-BAI (Chen et al. 2024, Algorithm 1, reconstructed in spec 3.3): pull each arm of a Max-Det
  collection B_p of the projected active arms n_p = floor(T / (M d_p)) times; weights = beta (|beta| <= 1).
  Branch 1 (Max-Det, line 8) when d_p < s_p, else branch 2 (all active arms, line 14) - one code path.
- DP-SR (spec 4.3, [OURS]): Successive Rejects phase lengths, fresh samples every phase, identity weights.
- DP-OD / OD-LinBAI (Yang & Tan 2022; spec 4.1-4.2): G-optimal design pi_r on the projected active arms,
  T_r(a) = ceil(pi_r(a) m) pulls, OLS weights W[b, a] = b^T V_r^{-1} a T_r(a).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from theorylab.bandits.dp_bai.design import g_optimal_design
from theorylab.bandits.dp_bai.instances import numerical_rank
from theorylab.bandits.dp_bai.maxdet import max_det_collection, project_to_span
from theorylab.core.validate import check_array, check_int

__all__ = ["PhasePlan", "default_schedule", "check_schedule", "MaxDetPlanner", "DesignPlanner", "RejectsPlanner",
           "rejects_increments", "rejects_min_budget", "BudgetTooSmall"]


class BudgetTooSmall(ValueError):
    """The budget T cannot give every pulled arm at least one pull in every phase."""


@dataclass(frozen=True)
class PhasePlan:
    """Pulls and estimation weights of one phase for one active set.

    Attributes
    ----------
    active : int array (s,)  sorted active arm indices
    pull_arms : int array (m,)  arms pulled, in round-robin order
    counts : int array (m,)  pulls of each
    weights : float array (s, m)  mu_hat[active] = weights @ mu_tilde[pull_arms]
    dim : int  d_p, rank of the active arms
    branch : int  1 (Max-Det / design on a dependent set) or 2 (all active arms, independent)
    """

    active: np.ndarray
    pull_arms: np.ndarray
    counts: np.ndarray
    weights: np.ndarray
    dim: int
    branch: int


def default_schedule(K: int, d0: int) -> list[int]:
    """s_1 = K, s_{p+1} = ceil(min(s_p, d_0) / 2) until 1 [RECON, spec 3.3 / 11 item 1].

    Parameters
    ----------
    K : int
        Number of arms (>= 1).
    d0 : int
        Dimension d_0 of the arm features (their numerical rank; K for DP-SH's identity features).

    Returns
    -------
    list of int
        Active-set sizes s_1 = K > s_2 > ... > s_{M+1} = 1; M = len - 1 phases.

    Examples
    --------
    >>> default_schedule(50, 8), default_schedule(6, 6), default_schedule(3, 2)
    ([50, 4, 2, 1], [6, 3, 2, 1], [3, 1])
    """
    K = check_int("K", K, minimum=1)
    d0 = check_int("d0", d0, minimum=1)
    sizes = [K]
    while sizes[-1] > 1:
        sizes.append(math.ceil(min(sizes[-1], d0) / 2))
    return sizes


def check_schedule(schedule, K: int) -> list[int]:
    """A custom schedule: integers, s_1 = K, strictly decreasing, ending at 1.

    Parameters
    ----------
    schedule : sequence of int
        Proposed active-set sizes, one per phase plus the final 1.
    K : int
        Number of arms.

    Returns
    -------
    list of int
        The schedule as Python ints.

    Raises
    ------
    ValueError
        If an entry is not an integer >= 1, or the sizes do not start at K, decrease strictly and end at 1.
    """
    sizes = [check_int(f"schedule[{i}]", s, minimum=1) for i, s in enumerate(schedule)]
    if not sizes or sizes[0] != K or sizes[-1] != 1 or any(b >= a for a, b in zip(sizes, sizes[1:])):
        raise ValueError(f"schedule must start at K = {K}, decrease strictly and end at 1, got {sizes}")
    return sizes


_SHARED: dict = {}
_SHARED_LIMIT = 200_000


def _shared(key, compute):
    """Process-wide cache of reward-independent plan pieces (Max-Det collections, designs)."""
    hit = _SHARED.get(key)
    if hit is None:
        if len(_SHARED) > _SHARED_LIMIT:
            _SHARED.clear()
        hit = _SHARED[key] = compute()
    return hit


def arms_key(arms: np.ndarray) -> bytes:
    """A 16-byte digest of an arm-feature matrix (values and shape), for caches keyed by instance."""
    import hashlib
    return hashlib.blake2b(arms.tobytes() + str(arms.shape).encode(), digest_size=16).digest()


class _CachedPlanner:
    """Plans depend on the active set only: ``plan(active)`` builds each once (``_build(idx)``) and caches
    it. The cache is emptied when its plans hold more than ``WEIGHT_LIMIT`` weights (8 MB), so that a
    planner kept for reuse (:func:`~theorylab.bandits.dp_bai.algorithms.make_planner`) stays small."""

    WEIGHT_LIMIT = 1_000_000
    _held = 0               # weights held by the cached plans

    def plans_for(self, groups: np.ndarray):
        """The plans of every active set (row) of ``groups`` (G, s), as the phase kernel takes them:
        (pull_arms (G, m), counts (G, m), weights_t (G, m, s) with weights_t[g] = weights.T, dims (G,),
        branches (G,)); m is the largest plan, shorter plans padded with zero counts."""
        plans = [self.plan(row) for row in groups]
        G, s = groups.shape
        m = max(len(pl.pull_arms) for pl in plans)
        P = np.zeros((G, m), dtype=np.int64)
        C = np.zeros((G, m), dtype=np.int64)
        Wt = np.zeros((G, m, s))
        for g, pl in enumerate(plans):
            k = len(pl.pull_arms)
            P[g, :k] = pl.pull_arms
            C[g, :k] = pl.counts
            Wt[g, :k, :] = pl.weights.T
        dims = np.array([pl.dim for pl in plans], dtype=np.int64)
        branches = np.array([pl.branch for pl in plans], dtype=np.int64)
        return P, C, Wt, dims, branches

    @staticmethod
    def _every_arm(groups: np.ndarray, n: int):
        """``plans_for`` of plans that pull every active arm ``n`` times with identity weights, without a
        plan per set: one shared (1, s, s) identity serves all groups (the kernel allows it)."""
        G, s = groups.shape
        return (np.array(groups, dtype=np.int64), np.full((G, s), n, dtype=np.int64), np.eye(s)[None],
                np.full(G, s, dtype=np.int64), np.full(G, 2, dtype=np.int64))

    def plan(self, active) -> PhasePlan:
        key = tuple(int(a) for a in active)
        hit = self._cache.get(key)
        if hit is None:
            hit = self._build(np.asarray(key, dtype=np.int64))
            held = self._held + hit.weights.size
            if held > self.WEIGHT_LIMIT:
                self._cache.clear()
                held = hit.weights.size
            self._held = held
            self._cache[key] = hit
        return hit


class MaxDetPlanner(_CachedPlanner):
    """DP-BAI phase plans: Max-Det collection of the projected active arms, equal pulls.

    Parameters
    ----------
    arms : float array (K, d)
        Arm feature vectors, one per row.
    budget : int
        T; phase p gives each basis arm n_p = floor(T / (M d_p)) pulls.
    n_phases : int
        M.
    maxdet_method : str, default "auto"
        ``"auto"``, ``"exact"`` or ``"local_search"``: passed to
        :func:`~theorylab.bandits.dp_bai.maxdet.max_det_collection` as ``method``.
    """

    def __init__(self, arms, budget: int, n_phases: int, maxdet_method: str = "auto"):
        self.arms = check_array("arms", arms, ndim=2)
        self.budget = check_int("budget", budget, minimum=1)
        self.M = check_int("n_phases", n_phases, minimum=1)
        self.method = maxdet_method
        self._akey = arms_key(self.arms)
        self._cache: dict[tuple, PhasePlan] = {}
        # With linearly independent arms (K <= d, e.g. DP-SH's identity features) every active set is
        # independent too, and by Cauchy interlacing its smallest/largest singular-value ratio is at least
        # the whole set's, so its numerical rank is its size under the same tolerance: no SVD per set.
        self._independent = _shared(("independent", self._akey),
                                    lambda: numerical_rank(self.arms) == self.arms.shape[0])

    def _pulls(self, dp: int) -> int:
        n = self.budget // (self.M * dp)
        if n < 1:
            raise BudgetTooSmall(f"budget T = {self.budget} gives n_p = floor(T / (M d_p)) = 0 with M = {self.M}, "
                                 f"d_p = {dp}; need T >= {self.M * dp}")
        return n

    def _build(self, idx) -> PhasePlan:
        key = tuple(idx.tolist())
        dp, basis, beta, branch = _shared(("maxdet", self._akey, self.method, key), lambda: self._maxdet(idx))
        return PhasePlan(idx, idx[basis], np.full(dp, self._pulls(dp), dtype=np.int64), np.asarray(beta, float),
                         dp, branch)

    def plans_for(self, groups: np.ndarray):
        # independent arms: every active set is pulled whole with identity weights (branch 2), whatever
        # the set, so its plans need not be built one by one (DP-SH's many distinct sets)
        if self._independent:
            return self._every_arm(groups, self._pulls(groups.shape[1]))
        return super().plans_for(groups)

    def _maxdet(self, idx):
        sub = self.arms[idx]
        dp = idx.size if self._independent else numerical_rank(sub)
        if dp == idx.size:
            return dp, np.arange(dp), np.eye(dp), 2
        md = max_det_collection(sub, method=self.method)
        return dp, md.basis, md.beta, 1


def od_phase_budget(K: int, d0: int, budget: int) -> int:
    """m = floor((T - min(K, d(d+1)/2) - sum_{r=1}^{R-1} ceil(d / 2^r)) / R) of OD-LinBAI (Yang & Tan 2022)."""
    R = max(1, math.ceil(math.log2(d0))) if d0 > 1 else 1
    slack = min(K, d0 * (d0 + 1) // 2) + sum(math.ceil(d0 / 2**r) for r in range(1, R))
    return (budget - slack) // R


class DesignPlanner(_CachedPlanner):
    """DP-OD / OD-LinBAI phase plans: G-optimal design on the projected active arms, OLS weights.

    Parameters
    ----------
    arms : float array (K, d)
        Arm feature vectors, one per row.
    phase_budget : int
        m of OD-LinBAI; support arm a gets T(a) = ceil(pi(a) m) pulls.
    """

    def __init__(self, arms, phase_budget: int):
        self.arms = check_array("arms", arms, ndim=2)
        if phase_budget < 1:
            raise BudgetTooSmall(f"OD-LinBAI phase budget m = {phase_budget} < 1; increase the budget T")
        self.m = int(phase_budget)
        self._akey = arms_key(self.arms)
        self._cache: dict[tuple, PhasePlan] = {}

    def _build(self, idx) -> PhasePlan:
        key = tuple(idx.tolist())
        X = project_to_span(self.arms[idx])
        s, dp = X.shape
        pi = _shared(("design", self._akey, key), lambda: np.full(s, 1.0 / s) if s == dp else g_optimal_design(X))
        supp = np.flatnonzero(pi > 0)
        counts = np.ceil(pi[supp] * self.m).astype(np.int64)
        Xs = X[supp]
        V = Xs.T @ (counts[:, None] * Xs)
        W = (X @ np.linalg.solve(V, Xs.T)) * counts[None, :]
        return PhasePlan(idx, idx[supp], counts, W, dp, 2 if s == dp else 1)


def rejects_increments(K: int, budget: int) -> np.ndarray:
    """Fresh pulls per surviving arm in phases k = 1..K-1 of Successive Rejects: n_k - n_{k-1}, with
    n_k = ceil((T - K) / (log_bar(K) (K + 1 - k))) and n_0 = 0 (Audibert, Bubeck, Munos 2010).

    Parameters
    ----------
    K : int
        Number of arms (>= 2).
    budget : int
        Total pulls T (>= 1).

    Returns
    -------
    numpy.ndarray of int64, shape (K - 1,)
        Fresh pulls of each surviving arm in phase k; entries below 1 mean T is too small for DP-SR
        (see :func:`rejects_min_budget`).

    Examples
    --------
    >>> rejects_increments(3, 100).tolist()
    [25, 12]
    """
    from theorylab.bandits.bounds import log_bar

    K = check_int("K", K, minimum=2)
    budget = check_int("budget", budget, minimum=1)
    a = (budget - K) / log_bar(K)
    n = np.array([0] + [math.ceil(a / (K + 1 - k)) for k in range(1, K)], dtype=np.int64)
    return np.diff(n)


def rejects_min_budget(K: int) -> int:
    """Smallest T for which every Successive Rejects phase has a fresh pull (exact scan, in blocks of budgets).

    T = K + log_bar(K) K (K - 1) always suffices (then a/j - a/(j+1) >= 1 for j <= K - 1); the scan
    looks below it.

    Parameters
    ----------
    K : int
        Number of arms (>= 2).

    Returns
    -------
    int
        The smallest budget T > K for which every entry of :func:`rejects_increments` is at least 1.

    Examples
    --------
    >>> rejects_min_budget(2), rejects_min_budget(30) <= 30 + 4.0 * 30 * 29
    (3, True)
    """
    from theorylab.bandits.bounds import log_bar

    K = check_int("K", K, minimum=2)
    lb = log_bar(K)
    j = np.arange(K, 0, -1, dtype=float)               # K + 1 - k for k = 1..K
    start = K + 1
    while True:
        T = np.arange(start, start + 4096, dtype=float)
        n = np.ceil(((T - K) / lb)[:, None] / j[None, :-1])
        ok = np.all(np.diff(np.concatenate([np.zeros((T.size, 1)), n], axis=1), axis=1) >= 1, axis=1)
        if ok.any():
            return int(T[np.argmax(ok)])
        start += 4096


class RejectsPlanner(_CachedPlanner):
    """DP Successive Rejects phase plans [OURS, spec 4.3]: every active arm gets the phase's fresh pulls.

    Phase k (k = K - s + 1 for s active arms) pulls each active arm n_k - n_{k-1} times; the noisy means
    of these fresh samples alone are compared (cumulative means would reuse data across releases and
    break the parallel-composition argument), and the lowest is rejected. Features are ignored.

    Parameters
    ----------
    K : int
        Number of arms (>= 2).
    budget : int
        Total pulls T; :class:`BudgetTooSmall` if a phase would get no fresh pull
        (T < :func:`rejects_min_budget`).
    """

    def __init__(self, K: int, budget: int):
        self.K = check_int("K", K, minimum=2)
        self.inc = rejects_increments(K, budget)
        if self.inc.min() < 1:
            raise BudgetTooSmall(f"budget T = {budget} leaves a Successive Rejects phase without fresh pulls "
                                 f"(increments {self.inc.tolist()}); increase T")
        self._cache: dict[tuple, PhasePlan] = {}

    def _build(self, idx) -> PhasePlan:
        s = idx.size
        counts = np.full(s, self.inc[self.K - s], dtype=np.int64)
        return PhasePlan(idx, idx, counts, np.eye(s), s, 2)

    def plans_for(self, groups: np.ndarray):
        return self._every_arm(groups, int(self.inc[self.K - groups.shape[1]]))
