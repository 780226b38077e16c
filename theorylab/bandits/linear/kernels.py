"""numba kernels of the linear topic: SparseNet's candidate scan and batched selection, Frank-Wolfe designs.

Kernels take plain arrays and small integer codes only (the public entry points in
:mod:`theorylab.bandits.linear.algorithms` validate and unpack). Their pure-numpy references live in
:mod:`theorylab.bandits.linear.reference` and are used only by the tests (same inputs, same numbers).

Randomness (docs/topics/linear.md#randomness): each run owns one ``theorylab.core.streams`` state. At the
start of a run it draws, in this order, K tie-breaking priorities (uniform, one per action) and, with
noise, K standard normals (:func:`run_draws`). A run's exact ties between actions are broken in favour of
the highest priority, i.e. uniformly at random and independently of the action labels (a random
relabelling of the actions, drawn once per run); the normals give the mean of m Gaussian queries of
action a as r(a) + sigma z_a / sqrt(m) (exact in law for Gaussian noise), the same whatever order the
actions are queried in.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from theorylab.core.streams import normal, uniform

__all__: list[str] = []   # internal: use theorylab.bandits.linear.algorithms

#: Selection modes of SparseNet (integer codes shared with algorithms.SPARSENET_MODES).
BEST_EMPIRICAL, CONSISTENT_OPTIMISTIC, SEQ_OPTIMISTIC = 0, 1, 2
#: Slack of the optimism test r_hat(g) >= v - tau against floating-point rounding (docs/topics/linear.md#sparsenet).
TEST_SLACK = 1e-12


@njit(cache=True)
def _grow(arr, need):
    if need <= arr.size:
        return arr
    out = np.empty(max(need, 2 * arr.size), dtype=arr.dtype)
    out[:arr.size] = arr
    return out


@njit(cache=True)
def scan_candidates(phi, supports, net, tol):
    """Greedy action and value of every candidate theta(S, u) = u on coordinates S.

    Parameters
    ----------
    phi : float64 (K, d)
    supports : int64 (n_S, s)
    net : float64 (N, s)
    tol : float
        Absolute tolerance under which two scores count as an exact tie.

    Returns
    -------
    v : float64 (n_S N,)
        v(theta) = max_a <phi(a), theta>, candidate c = support index * N + net index.
    g : int64 (n_S N,)
        Lowest maximising action (the tie placeholder; runs re-break ties by priority).
    tie_cand : int64 (T,)
        Candidates with more than one maximiser within ``tol``.
    tie_ptr : int64 (T + 1,)
    tie_idx : int64 (tie_ptr[T],)
        The maximisers of candidate ``tie_cand[t]`` are ``tie_idx[tie_ptr[t]:tie_ptr[t+1]]``.
    """
    K = phi.shape[0]
    n_s, s = supports.shape
    N = net.shape[0]
    v = np.empty(n_s * N)
    g = np.empty(n_s * N, dtype=np.int64)
    tie_cand = np.empty(16, dtype=np.int64)
    tie_ptr = np.zeros(17, dtype=np.int64)
    tie_idx = np.empty(64, dtype=np.int64)
    n_tie = 0
    sub = np.empty((K, s))
    for js in range(n_s):
        for a in range(K):
            for k in range(s):
                sub[a, k] = phi[a, supports[js, k]]
        for jn in range(N):
            best = -np.inf
            first = 0
            count = 0
            for a in range(K):
                sc = 0.0
                for k in range(s):
                    sc += sub[a, k] * net[jn, k]
                if sc > best + tol:
                    best = sc
                    first = a
                    count = 1
                elif sc >= best - tol:
                    count += 1
                    if sc > best:
                        best = sc
            c = js * N + jn
            v[c] = best
            if count > 1:
                lo = best - tol
                start = tie_ptr[n_tie]
                n_found = 0
                first = -1
                for a in range(K):
                    sc = 0.0
                    for k in range(s):
                        sc += sub[a, k] * net[jn, k]
                    if sc >= lo:
                        tie_idx = _grow(tie_idx, start + n_found + 1)
                        tie_idx[start + n_found] = a
                        n_found += 1
                        if first < 0:
                            first = a
                if n_found > 1:
                    tie_cand = _grow(tie_cand, n_tie + 1)
                    tie_ptr = _grow(tie_ptr, n_tie + 2)
                    tie_cand[n_tie] = c
                    tie_ptr[n_tie + 1] = start + n_found
                    n_tie += 1
            g[c] = first
    return v, g, tie_cand[:n_tie].copy(), tie_ptr[:n_tie + 1].copy(), tie_idx[:tie_ptr[n_tie]].copy()


@njit(cache=True)
def _draw_run(s, prio, z, n_normals):
    for a in range(prio.size):
        s, prio[a] = uniform(s)
    for j in range(n_normals):
        s, z[j] = normal(s)
    return s


@njit(cache=True)
def run_draws(states, K, n_normals):
    """Priorities (R, K) and standard normals (R, n_normals) of each run, from its stream (``states`` advanced)."""
    R = states.size
    prio = np.empty((R, K))
    z = np.zeros((R, n_normals))
    for r in range(R):
        states[r] = _draw_run(states[r], prio[r], z[r], n_normals)
    return prio, z


@njit(cache=True)
def _best_by_priority(idx, lo, hi, prio):
    best = idx[lo]
    for j in range(lo + 1, hi):
        if prio[idx[j]] > prio[best]:
            best = idx[j]
    return best


@njit(cache=True)
def sparsenet_select(v, g, tie_cand, tie_ptr, tie_idx, order, group_ptr, rewards, states, noise_sd,
                     mode, tau, actions, n_queried, n_greedy, stop_rank, query_rank):
    """SparseNet's selection step (docs/topics/linear.md#sparsenet, steps 4-6) for a batch of runs, in place.

    Parameters
    ----------
    v, g, tie_cand, tie_ptr, tie_idx : arrays from :func:`scan_candidates`
    order : int64 (C,)
        Candidates by decreasing v (stable).
    group_ptr : int64 (n_groups + 1,)
        ``order[group_ptr[i]:group_ptr[i+1]]`` share one exact value of v.
    rewards : float64 (K,)
    states : uint64 (R,)
        Each run's stream (advanced in place); a run first draws its priorities and, if noise_sd > 0, its
        normals z (:func:`run_draws` order); r_hat(a) = rewards[a] + noise_sd z[a].
    noise_sd : float
        sigma / sqrt(m) (0: noiseless, no normals drawn).
    mode : int
        BEST_EMPIRICAL, CONSISTENT_OPTIMISTIC or SEQ_OPTIMISTIC.
    tau : float
        Threshold of the optimism test r_hat(g(theta)) >= v(theta) - tau.
    actions, n_queried, n_greedy, stop_rank : int64 (R,)
        Outputs: chosen action, distinct actions queried, |G|, rank in ``order`` of the stopping candidate
        (-1 for best_empirical or when no candidate passes; the output is then the best empirical action).
    query_rank : int64 (R, K) or (0, 0)
        If non-empty, position of each action in the run's query order (-1: never queried).
    """
    R = states.size
    K = rewards.size
    C = v.size
    record = query_rank.shape[0] == R and query_rank.shape[1] == K
    gr = np.empty(C, dtype=np.int64)
    rank = np.empty(K, dtype=np.int64)
    prio = np.empty(K)
    z = np.zeros(K)
    n_normals = K if noise_sd > 0 else 0
    for r in range(R):
        states[r] = _draw_run(states[r], prio, z, n_normals)
        gr[:] = g
        for t in range(tie_cand.size):
            gr[tie_cand[t]] = _best_by_priority(tie_idx, tie_ptr[t], tie_ptr[t + 1], prio)
        rank[:] = -1
        nq = 0
        n_g = 0
        if mode != SEQ_OPTIMISTIC:
            # query every greedy action once (m pulls each), in order of first appearance
            for c in range(C):
                a = gr[c]
                if rank[a] < 0:
                    rank[a] = nq
                    nq += 1
            n_g = nq
        else:
            seen = np.zeros(K, dtype=np.bool_)
            for c in range(C):
                if not seen[gr[c]]:
                    seen[gr[c]] = True
                    n_g += 1
        out = -1
        stop = -1
        if mode != BEST_EMPIRICAL:
            for i in range(group_ptr.size - 1):
                lo = group_ptr[i]
                hi = group_ptr[i + 1]
                members = order[lo:hi]
                if hi - lo > 1:
                    keys = np.empty(hi - lo)
                    for j in range(hi - lo):
                        keys[j] = -prio[gr[members[j]]]
                    members = members[np.argsort(keys, kind="mergesort")]
                for j in range(hi - lo):
                    c = members[j]
                    a = gr[c]
                    if rank[a] < 0:
                        rank[a] = nq
                        nq += 1
                    if rewards[a] + noise_sd * z[a] >= v[c] - tau - TEST_SLACK:
                        out = a
                        stop = lo + j
                        break
                if out >= 0:
                    break
        if out < 0:
            best = -np.inf
            for a in range(K):
                if rank[a] >= 0:
                    val = rewards[a] + noise_sd * z[a]
                    if val > best or (val == best and prio[a] > prio[out]):
                        best = val
                        out = a
        actions[r] = out
        n_queried[r] = nq
        n_greedy[r] = n_g
        stop_rank[r] = stop
        if record:
            query_rank[r] = rank


@njit(cache=True)
def g_values(phi, vinv):
    """g_a = phi_a^T V^{-1} phi_a for every row a, float64 (K,)."""
    m = phi @ vinv
    K, d = phi.shape
    out = np.empty(K)
    for a in range(K):
        acc = 0.0
        for k in range(d):
            acc += m[a, k] * phi[a, k]
        out[a] = acc
    return out


@njit(cache=True)
def _weighted_gram(phi, weights):
    K, d = phi.shape
    V = np.zeros((d, d))
    for a in range(K):
        w = weights[a]
        if w == 0.0:
            continue
        for i in range(d):
            wi = w * phi[a, i]
            for j in range(d):
                V[i, j] += wi * phi[a, j]
    return V


@njit(cache=True)
def frank_wolfe_design(phi, weights, tol, max_iter, resync):
    """Fedorov-Wynn / Frank-Wolfe with exact line search for the G-optimal design, ``weights`` updated in place.

    Steps (Todd 2016; Lattimore & Szepesvari 2020, Note 21.2; docs/topics/linear.md#designls): compute
    g_a = ||phi_a||^2_{V(pi)^{-1}}; stop when max_a g_a <= (1 + tol) d; else move pi towards the argmax
    a_k with step gamma = (g_k / d - 1) / (g_k - 1) and update V^{-1} by Sherman-Morrison after the
    (1 - gamma) rescaling; V^{-1} is recomputed from scratch every ``resync`` iterations.

    Parameters
    ----------
    phi : float64 (K, d), spanning R^d
    weights : float64 (K,), a probability vector with invertible V(pi) (overwritten)
    tol : float
    max_iter : int
    resync : int

    Returns
    -------
    g_max : float
        max_a g_a at the returned weights (from the maintained inverse).
    iterations : int
    """
    K, d = phi.shape
    vinv = np.ascontiguousarray(np.linalg.inv(_weighted_gram(phi, weights)))
    u = np.empty(d)
    it = 0
    while True:
        g = g_values(phi, vinv)
        k = 0
        for a in range(1, K):
            if g[a] > g[k]:
                k = a
        gk = g[k]
        if gk <= (1.0 + tol) * d or it >= max_iter:
            return gk, it
        gamma = (gk / d - 1.0) / (gk - 1.0)
        weights *= 1.0 - gamma
        weights[k] += gamma
        it += 1
        if it % resync == 0:
            vinv = np.ascontiguousarray(np.linalg.inv(_weighted_gram(phi, weights)))
            continue
        # (1 - gamma) V + gamma x x^T:  A^{-1} = V^{-1} / (1 - gamma), then Sherman-Morrison with weight gamma
        scale = 1.0 / (1.0 - gamma)
        quad = 0.0
        for i in range(d):
            acc = 0.0
            for j in range(d):
                acc += vinv[i, j] * phi[k, j]
            u[i] = scale * acc
            quad += phi[k, i] * u[i]
        c = gamma / (1.0 + gamma * quad)
        for i in range(d):
            for j in range(d):
                vinv[i, j] = scale * vinv[i, j] - c * u[i] * u[j]
