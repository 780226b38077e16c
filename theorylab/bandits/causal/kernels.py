"""Numba kernels of the causal topic: KSG mutual information, sub-graph topology learning, OLS weights and
the per-action quantities of the CSL-UCB uncertainty bound (docs/topics/causal.md#graph-learning).

These kernels draw no random numbers. Where the learner must break an exact tie (the edge-deletion
argmax), the caller passes ``priority``, a random permutation drawn from the run's seeded stream, and
the tied entry with the smallest priority wins: that is a uniform random tie-break, reproducible from
the seed. Public wrappers with validation live in :mod:`theorylab.bandits.causal.learning`.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

EULER_GAMMA = 0.5772156649015329


@njit(cache=True)
def _harmonic_table(m):
    """h[n] = psi(n) for integer n in [1, m] (psi(n) = -gamma + sum_{i<n} 1/i); h[0] unused."""
    h = np.zeros(m + 1)
    acc = -EULER_GAMMA
    for n in range(1, m + 1):
        h[n] = acc
        acc += 1.0 / n
    return h


@njit(cache=True)
def ksg_mi(u, v, k, quirk):
    """KSG estimator (Kraskov et al. 2004, second variant) of I(u; v) from paired samples.

    ``quirk``: the authors' neighbour selection (k - 1 of the k nearest joint neighbours, here the
    nearest one dropped, with psi(k) kept); off = textbook KSG-2.
    """
    M = u.size
    psi = _harmonic_table(M)
    dx = np.empty(M)
    dy = np.empty(M)
    best_d = np.empty(k)
    best_j = np.empty(k, dtype=np.int64)
    start = 1 if quirk else 0
    acc = 0.0
    for i in range(M):
        for q in range(k):
            best_d[q] = np.inf
            best_j[q] = -1
        for j in range(M):
            dx[j] = abs(u[j] - u[i])
            dy[j] = abs(v[j] - v[i])
            if j == i:
                continue
            d = max(dx[j], dy[j])
            if d < best_d[k - 1]:
                q = k - 1
                while q > 0 and best_d[q - 1] > d:
                    best_d[q] = best_d[q - 1]
                    best_j[q] = best_j[q - 1]
                    q -= 1
                best_d[q] = d
                best_j[q] = j
        ex = 0.0
        ey = 0.0
        for q in range(start, k):
            jj = best_j[q]
            if dx[jj] > ex:
                ex = dx[jj]
            if dy[jj] > ey:
                ey = dy[jj]
        nx = 0
        ny = 0
        for j in range(M):
            if j == i:
                continue
            if dx[j] <= ex:
                nx += 1
            if dy[j] <= ey:
                ny += 1
        acc += psi[nx] + psi[ny]
    return psi[k] - 1.0 / k - acc / M + psi[M]


@njit(cache=True)
def is_dag(adj):
    """Kahn's algorithm on a 0/1 adjacency matrix (adj[i, j] = 1 iff i -> j)."""
    N = adj.shape[0]
    indeg = np.zeros(N, dtype=np.int64)
    for i in range(N):
        for j in range(N):
            if adj[i, j] != 0:
                indeg[j] += 1
    stack = np.empty(N, dtype=np.int64)
    top = 0
    for j in range(N):
        if indeg[j] == 0:
            stack[top] = j
            top += 1
    seen = 0
    while top > 0:
        top -= 1
        i = stack[top]
        seen += 1
        for j in range(N):
            if adj[i, j] != 0:
                indeg[j] -= 1
                if indeg[j] == 0:
                    stack[top] = j
                    top += 1
    return seen == N


@njit(cache=True)
def relevant_rows(bits, node, state, start, n_max):
    """Rows t >= start with bits[t, node] == state, the first n_max of them (the authors' cap)."""
    T = bits.shape[0]
    out = np.empty(min(T, n_max), dtype=np.int64)
    m = 0
    for t in range(start, T):
        if m >= n_max:
            break
        if bits[t, node] == state:
            out[m] = t
            m += 1
    return out[:m]


@njit(cache=True)
def ols(Z, y):
    """Least-squares coefficients of y on the columns of Z (no intercept; minimum norm if rank deficient)."""
    coef, _, _, _ = np.linalg.lstsq(Z, y)
    return coef


@njit(cache=True)
def fit_column(X, rows, nu_n, node, cand, k, weight, quirk, w_col, s_col):
    """OLS of X[rows, node] - nu_n on the candidate parents; fill the weight column and removal scores.

    Score of candidate p: I_KSG(residual; X_p) - weight * ln |b_p| (docs/topics/causal.md#edge-score);
    non-candidates get weight 0 and score -inf.
    """
    N = X.shape[1]
    P = 0
    for p in range(N):
        w_col[p] = 0.0
        s_col[p] = -np.inf
        if cand[p] != 0:
            P += 1
    if P == 0:
        return
    m = rows.size
    idx = np.empty(P, dtype=np.int64)
    q = 0
    for p in range(N):
        if cand[p] != 0:
            idx[q] = p
            q += 1
    Z = np.empty((m, P))
    y = np.empty(m)
    for r in range(m):
        y[r] = X[rows[r], node] - nu_n
        for q in range(P):
            Z[r, q] = X[rows[r], idx[q]]
    b = ols(Z, y)
    e = y - Z @ b
    for q in range(P):
        p = idx[q]
        w_col[p] = b[q]
        zq = Z[:, q].copy()
        ab = abs(b[q])
        pen = np.inf if ab == 0.0 else -weight * math.log(ab)
        s_col[p] = ksg_mi(e, zq, k, quirk) + pen


@njit(cache=True)
def learn_topology(X, bits, nu, state, start, n_max, k, weight, quirk, priority):
    """Sub-graph topology learning for one state (docs/topics/causal.md#topology-learning).

    Start from the complete directed graph; fit every column; while the graph has a cycle delete the
    globally highest-scoring edge (exact ties: smallest ``priority``) and refit that column.
    Returns (adjacency int8 (N, N), number of deletions).
    """
    N = X.shape[1]
    adj = np.ones((N, N), dtype=np.int8)
    S = np.full((N, N), -np.inf)
    W = np.zeros((N, N))
    wc = np.empty(N)
    sc = np.empty(N)
    rows_of = []
    for n in range(N):
        adj[n, n] = 0
        rows_of.append(relevant_rows(bits, n, state, start[n], n_max))
    for n in range(N):
        fit_column(X, rows_of[n], nu[n], n, adj[:, n], k, weight, quirk, wc, sc)
        W[:, n] = wc
        S[:, n] = sc
    deletions = 0
    while not is_dag(adj):
        best = -np.inf
        bp = -1
        bn = -1
        for p in range(N):
            for n in range(N):
                if adj[p, n] == 0:
                    continue
                s = S[p, n]
                if bp < 0 or s > best or (s == best and priority[p * N + n] < priority[bp * N + bn]):
                    best = s
                    bp = p
                    bn = n
        adj[bp, bn] = 0
        deletions += 1
        fit_column(X, rows_of[bn], nu[bn], bn, adj[:, bn], k, weight, quirk, wc, sc)
        W[:, bn] = wc
        S[:, bn] = sc
    return adj, deletions


@njit(cache=True)
def estimate_weights(X, bits, nu, sigma, state, start, n_max, adj):
    """OLS weights on a fixed topology and the bound's per-node term (docs/topics/causal.md#uncertainty-bound).

    Returns (W (N, N), lam (N,), npar (N,)) where lam[n] = sigma_n^2 lambda_max((Z^T Z)^{-1}) for the
    relevant design Z of (n, state) (0 for an empty parent set; inf if Z^T Z is singular) and npar[n]
    the number of parents.
    """
    N = X.shape[1]
    W = np.zeros((N, N))
    lam = np.zeros(N)
    npar = np.zeros(N, dtype=np.int64)
    for n in range(N):
        rows = relevant_rows(bits, n, state, start[n], n_max)
        P = 0
        for p in range(N):
            if adj[p, n] != 0:
                P += 1
        npar[n] = P
        if P == 0:
            continue
        idx = np.empty(P, dtype=np.int64)
        q = 0
        for p in range(N):
            if adj[p, n] != 0:
                idx[q] = p
                q += 1
        m = rows.size
        Z = np.empty((m, P))
        y = np.empty(m)
        for r in range(m):
            y[r] = X[rows[r], n] - nu[n]
            for q in range(P):
                Z[r, q] = X[rows[r], idx[q]]
        b = ols(Z, y)
        for q in range(P):
            W[idx[q], n] = b[q]
        ev = np.linalg.eigvalsh(Z.T @ Z)
        lam[n] = np.inf if ev[0] <= 1e-12 * max(1.0, ev[-1]) else sigma[n] ** 2 / ev[0]
    return W, lam, npar


@njit(cache=True)
def _invert(A, out):
    """Gauss-Jordan inverse with partial pivoting; False if A is singular to working precision."""
    N = A.shape[0]
    M = A.copy()
    for i in range(N):
        for j in range(N):
            out[i, j] = 1.0 if i == j else 0.0
    for c in range(N):
        piv = c
        for r in range(c + 1, N):
            if abs(M[r, c]) > abs(M[piv, c]):
                piv = r
        if abs(M[piv, c]) < 1e-12:
            return False
        if piv != c:
            for j in range(N):
                M[c, j], M[piv, j] = M[piv, j], M[c, j]
                out[c, j], out[piv, j] = out[piv, j], out[c, j]
        d = M[c, c]
        for j in range(N):
            M[c, j] /= d
            out[c, j] /= d
        for r in range(N):
            if r != c and M[r, c] != 0.0:
                f = M[r, c]
                for j in range(N):
                    M[r, j] -= f * M[c, j]
                    out[r, j] -= f * out[c, j]
    return True


@njit(cache=True)
def action_terms(W0, W1, nu, lam0, lam1, np0, np1, dof_n):
    """Per action k: (reward estimate, ||(I - W_a)^{-1}[:, N-1]||, ||mu_hat_a||, Sigma-bar_a, sum lam, max lam, ok).

    Sigma-bar_a = sum_i sqrt(p_i (p_i + 2)) lam_i over nodes with parents, p_i = N when ``dof_n``
    (the supplement's statement) else the estimated parent count (the authors' code). ``ok`` is False
    when I - W_a is singular (the action is then excluded by the caller).
    """
    N = W0.shape[0]
    K = 1 << N
    r = np.empty(K)
    cn = np.empty(K)
    mn = np.empty(K)
    sb = np.empty(K)
    sl = np.empty(K)
    ml = np.empty(K)
    ok = np.empty(K, dtype=np.bool_)
    A = np.empty((N, N))
    inv = np.empty((N, N))
    for k in range(K):
        s_bar = 0.0
        s_lam = 0.0
        m_lam = 0.0
        for j in range(N):
            bit = (k >> (N - 1 - j)) & 1
            for i in range(N):
                A[i, j] = (1.0 if i == j else 0.0) - (W1[i, j] if bit else W0[i, j])
            p = np1[j] if bit else np0[j]
            lj = lam1[j] if bit else lam0[j]
            if p > 0:
                pp = N if dof_n else p
                s_bar += math.sqrt(pp * (pp + 2.0)) * lj
                s_lam += lj
                if lj > m_lam:
                    m_lam = lj
        ok[k] = _invert(A, inv)
        if not ok[k]:
            r[k] = -np.inf
            cn[k] = np.inf
            mn[k] = np.inf
        else:
            mu = inv.T @ nu
            r[k] = mu[N - 1]
            cn[k] = math.sqrt(np.sum(inv[:, N - 1] ** 2))
            mn[k] = math.sqrt(np.sum(mu ** 2))
        sb[k] = s_bar
        sl[k] = s_lam
        ml[k] = m_lam
    return r, cn, mn, sb, sl, ml, ok


@njit(cache=True)
def topological_order(adj):
    """Kahn's order of a 0/1 adjacency (smallest available index first); length < N iff there is a cycle."""
    N = adj.shape[0]
    indeg = np.zeros(N, dtype=np.int64)
    for i in range(N):
        for j in range(N):
            if adj[i, j] != 0:
                indeg[j] += 1
    done = np.zeros(N, dtype=np.bool_)
    order = np.empty(N, dtype=np.int64)
    m = 0
    for _ in range(N):
        nxt = -1
        for j in range(N):
            if not done[j] and indeg[j] == 0:
                nxt = j
                break
        if nxt < 0:
            break
        done[nxt] = True
        order[m] = nxt
        m += 1
        for j in range(N):
            if adj[nxt, j] != 0:
                indeg[j] -= 1
    return order[:m]


@njit(cache=True)
def all_means(B, B_int, nu, bits, order):
    """mu_a for each row of ``bits`` by substitution in ``order`` (a topological order of B | B_int)."""
    K = bits.shape[0]
    N = B.shape[0]
    mu = np.zeros((K, N))
    for k in range(K):
        for q in range(N):
            j = order[q]
            acc = nu[j]
            for i in range(N):
                w = B_int[i, j] if bits[k, j] else B[i, j]
                if w != 0.0:
                    acc += w * mu[k, i]
            mu[k, j] = acc
    return mu
