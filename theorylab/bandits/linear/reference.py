"""Slow pure-numpy references of the linear kernels, used only by the tests (same inputs, same numbers).

- :func:`scan_candidates`: the SparseNet candidate scan with one BLAS product Phi_S @ U^T per support and
  block of net points;
- :func:`sparsenet_select`: the selection step run by run in plain Python;
- :func:`frank_wolfe_design`: Frank-Wolfe with V(pi)^{-1} recomputed from scratch at every iteration;
- :func:`linucb`: LinUCB with V^{-1} and every width recomputed from scratch each round (O(K d^2)), drawing
  from the same per-run streams as the kernel.
"""

from __future__ import annotations

import math

import numpy as np

from theorylab.bandits.linear.kernels import BEST_EMPIRICAL, SEQ_OPTIMISTIC, TEST_SLACK

__all__ = ["scan_candidates", "sparsenet_select", "frank_wolfe_design", "linucb"]


def scan_candidates(phi, supports, net, tol, block: int = 256):
    """Same outputs as :func:`theorylab.bandits.linear.kernels.scan_candidates` (ties: all scores >= max - tol).

    The kernel's single-pass running maximum and this exact maximum agree whenever no score lies within
    ``tol`` of the maximum without being an exact tie (the tests use features where that holds).

    Parameters
    ----------
    phi : float array (K, d)
    supports : int64 array (C, s)
    net : float array (n, s)
    tol : float
        Tie tolerance.
    block : int
        Net points per BLAS product.

    Returns
    -------
    tuple
        (v, g, tie_cand, tie_ptr, tie_idx) as the kernel.

    Examples
    --------
    >>> import numpy as np
    >>> v, g, *_ = scan_candidates(np.eye(2), np.array([[0], [1]]), np.array([[1.0]]), 1e-12)
    >>> v.tolist(), g.tolist()
    ([1.0, 1.0], [0, 1])
    """
    N = net.shape[0]
    v, g, tie_cand, tie_ptr, tie_idx = [], [], [], [0], []
    for js, S in enumerate(supports):
        sub = phi[:, S]
        for lo in range(0, N, block):
            scores = sub @ net[lo:lo + block].T                      # (K, B)
            best = scores.max(axis=0)
            for jb in range(scores.shape[1]):
                ties = np.flatnonzero(scores[:, jb] >= best[jb] - tol)
                c = js * N + lo + jb
                v.append(best[jb])
                g.append(int(ties[0]))
                if ties.size > 1:
                    tie_cand.append(c)
                    tie_idx.extend(ties.tolist())
                    tie_ptr.append(len(tie_idx))
    i64 = np.int64
    return (np.array(v), np.array(g, dtype=i64), np.array(tie_cand, dtype=i64), np.array(tie_ptr, dtype=i64),
            np.array(tie_idx, dtype=i64))


def sparsenet_select(v, g, tie_cand, tie_ptr, tie_idx, order, group_ptr, rewards, priority, z, noise_sd, mode, tau):
    """Run-by-run selection; returns (actions, n_queried, n_greedy, stop_rank, query_rank).

    Parameters
    ----------
    v, g, tie_cand, tie_ptr, tie_idx, order, group_ptr : arrays
        A scan (:class:`theorylab.bandits.linear.sparsenet.SparseNetScan`).
    rewards : float array (K,)
    priority : float array (R, K)
    z : float array (R, K)
        Standard normals of the mean estimates.
    noise_sd : float
        sigma / sqrt(m).
    mode : int
        Selection mode code.
    tau : float

    Returns
    -------
    tuple of arrays
        (actions, n_queried, n_greedy, stop_rank, query_rank), one entry per run.

    Examples
    --------
    >>> from theorylab.bandits.linear.sparsenet import sparsenet_scan, SPARSENET_MODES
    >>> sc = sparsenet_scan(np.eye(2), 1, 0.5, "direction")
    >>> out = sparsenet_select(sc.v, sc.g, sc.tie_cand, sc.tie_ptr, sc.tie_idx, sc.order, sc.group_ptr,
    ...                        np.array([0.3, 0.1]), np.full((1, 2), 0.5), np.zeros((1, 2)), 0.0,
    ...                        SPARSENET_MODES["best_empirical"], 0.1)
    >>> out[0].tolist()
    [0]
    """
    R, K = priority.shape
    out = {"actions": [], "n_q": [], "n_g": [], "stop": [], "rank": []}
    for r in range(R):
        prio = priority[r]
        gr = g.copy()
        for t, c in enumerate(tie_cand):
            ties = tie_idx[tie_ptr[t]:tie_ptr[t + 1]]
            gr[c] = ties[np.argmax(prio[ties])]
        rhat = rewards + noise_sd * z[r]
        rank = np.full(K, -1, dtype=np.int64)
        nq = 0
        if mode != SEQ_OPTIMISTIC:
            for a in gr:
                if rank[a] < 0:
                    rank[a], nq = nq, nq + 1
        a_out, stop = -1, -1
        if mode != BEST_EMPIRICAL:
            for i in range(group_ptr.size - 1):
                members = order[group_ptr[i]:group_ptr[i + 1]]
                members = members[np.argsort(-prio[gr[members]], kind="stable")]
                for j, c in enumerate(members):
                    a = gr[c]
                    if rank[a] < 0:
                        rank[a], nq = nq, nq + 1
                    if rhat[a] >= v[c] - tau - TEST_SLACK:
                        a_out, stop = a, group_ptr[i] + j
                        break
                if a_out >= 0:
                    break
        if a_out < 0:
            q = np.flatnonzero(rank >= 0)
            top = q[rhat[q] == rhat[q].max()]
            a_out = int(top[np.argmax(prio[top])])
        out["actions"].append(a_out)
        out["n_q"].append(nq)
        out["n_g"].append(np.unique(gr).size)
        out["stop"].append(stop)
        out["rank"].append(rank)
    i64 = np.int64
    return (np.array(out["actions"], dtype=i64), np.array(out["n_q"], dtype=i64), np.array(out["n_g"], dtype=i64),
            np.array(out["stop"], dtype=i64), np.array(out["rank"], dtype=i64))


def frank_wolfe_design(phi, weights, tol, max_iter):
    """Frank-Wolfe with a fresh inverse each iteration; returns (weights, g_max, iterations).

    Parameters
    ----------
    phi : float array (K, d)
    weights : float array (K,)
        Starting design (nonsingular).
    tol : float
        Stop when g <= (1 + tol) d.
    max_iter : int

    Returns
    -------
    (float array (K,), float, int)

    Examples
    --------
    >>> import numpy as np
    >>> w, g, it = frank_wolfe_design(np.eye(2), np.array([0.5, 0.5]), 0.01, 100)
    >>> round(g, 12), it
    (2.0, 0)
    """
    w = np.array(weights, dtype=float)
    K, d = phi.shape
    it = 0
    while True:
        vinv = np.linalg.inv((phi.T * w) @ phi)
        g = np.einsum("ij,jk,ik->i", phi, vinv, phi)
        k = int(np.argmax(g))
        if g[k] <= (1 + tol) * d or it >= max_iter:
            return w, float(g[k]), it
        gamma = (g[k] / d - 1) / (g[k] - 1)
        w *= 1 - gamma
        w[k] += gamma
        it += 1


def linucb(phi, rewards, theta, sigma, horizon, lam, S, p, states, radius_scale=1.0):
    """Self-normalised LinUCB run by run; returns (final cumulative regret (R,), covered (R,), actions (R, T)).

    Parameters
    ----------
    phi, rewards, theta : arrays
        Features (K, d), mean rewards (K,), comparator (d,).
    sigma : float
    horizon : int
    lam, S, p : float
    states : uint64 array (R,)
        Per-run streams (advanced in place).
    radius_scale : float

    Returns
    -------
    (float array (R,), bool array (R,), int64 array (R, T))

    Examples
    --------
    >>> import numpy as np
    >>> from theorylab.bandits.linear.draws import states_for
    >>> from theorylab.core.seeding import repetition_seeds
    >>> reg, cov, acts = linucb(np.eye(2), np.array([0.5, 0.1]), np.array([0.5, 0.1]), 0.1, 20, 1.0, 1.0, 0.05,
    ...                         states_for(repetition_seeds(0, "doc", 1)))
    >>> acts.shape
    (1, 20)
    """
    from theorylab.core.streams import argmax_random_ties, normal

    K, d = phi.shape
    R = states.size
    best = rewards.max()
    out_reg, out_cov, out_act = np.zeros(R), np.ones(R, dtype=bool), np.zeros((R, horizon), dtype=np.int64)
    for r in range(R):
        s = states[r]
        V, b = lam * np.eye(d), np.zeros(d)
        for t in range(horizon):
            vinv = np.linalg.inv(V)
            th = vinv @ b
            logdet_ratio = np.linalg.slogdet(V)[1] - d * math.log(lam)
            rad = radius_scale * (sigma * math.sqrt(2 * math.log(1 / p) + logdet_ratio) + math.sqrt(lam) * S)
            diff = th - theta
            if diff @ V @ diff > rad * rad:
                out_cov[r] = False
            width = np.sqrt(np.maximum(np.einsum("ij,jk,ik->i", phi, vinv, phi), 0.0))
            s, a = argmax_random_ties(np.uint64(s), phi @ th + rad * width)
            s, z = normal(np.uint64(s))
            y = rewards[a] + sigma * z
            out_reg[r] += best - rewards[a]
            out_act[r, t] = a
            V += np.outer(phi[a], phi[a])
            b += y * phi[a]
        states[r] = np.uint64(s)
    return out_reg, out_cov, out_act
