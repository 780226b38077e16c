"""Batch kernels of the causal bandit algorithms: CSL-UCB, Vanilla UCB over all 2^N arms, LinSEM-TS, LinSEM-UCB.

One call runs R independent runs; run r plays on instance r (weights ``Bs[r]``, ``BIs[r]``) with its own
SplitMix64 stream ``states[r]`` (:mod:`theorylab.core.streams`). Every argmax over actions breaks exact
ties uniformly at random from the run's stream. Outputs: the chosen action index and the realised
reward of every round. Piecewise-stationary environments: run r switches to system k at round tc[k]
(tc[0] = 0; one system = stationary).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from theorylab.bandits.causal import kernels as _k
from theorylab.core.streams import argmax_random_ties, normal, uniform, uniform_int

# variant codes
PAPER_ERA = 0
FINAL = 1


@njit(cache=True, inline="always")
def _play(s, B, BI, nu, sigma, order, a, N, x, bits_row):
    """Draw one observation x under action index a (substitution in ``order``); returns the state."""
    for j in range(N):
        bits_row[j] = (a >> (N - 1 - j)) & 1
    for q in range(N):
        j = order[q]
        s, z = normal(s)
        acc = nu[j] + sigma[j] * z
        for i in range(N):
            w = BI[i, j] if bits_row[j] else B[i, j]
            if w != 0.0:
                acc += w * x[i]
        x[j] = acc
    return s


@njit(cache=True)
def _system_at(t, tc):
    """Index of the system active at round t (tc sorted, tc[0] = 0)."""
    k = 0
    while k + 1 < tc.size and tc[k + 1] <= t:
        k += 1
    return k


@njit(cache=True)
def _detect(X, bits, t, W, nu, sigma, st, n, w_cd):
    """KL change statistic of sub-graph (n, st) on its last ``w_cd`` rounds before t (whole history)."""
    N = X.shape[1]
    e = np.empty(w_cd)
    m = 0
    for tau in range(t - 1, -1, -1):
        if m >= w_cd:
            break
        if bits[tau, n] == st:
            acc = X[tau, n] - nu[n]
            for i in range(N):
                if W[i, n] != 0.0:
                    acc -= W[i, n] * X[tau, i]
            e[m] = acc
            m += 1
    if m < 2:
        return 0.0
    mean = 0.0
    for q in range(m):
        mean += e[q]
    mean /= m
    var = 0.0
    for q in range(m):
        var += (e[q] - mean) ** 2
    var /= m
    if var <= 0.0:
        return np.inf
    sd = math.sqrt(var)
    return math.log(sigma[n] / sd) + (mean * mean + var) / (2.0 * sigma[n] ** 2) - 0.5


@njit(cache=True)
def csl_ucb_batch(Bs, BIs, nus, sigmas, orders, mu_norms, tc, T, variant, n_es, n_max, f_graph, f_est, delta,
                  k_nn, weight, quirk, dof_n, guard_sign, detect, t_static, w_cd, tau_cd, states):
    """CSL-UCB (docs/topics/causal.md#csl-ucb) for every run of the batch.

    Run r plays on the systems ``Bs[r, k]``, ``BIs[r, k]`` (k-th system active from round ``tc[k]``).
    With ``detect`` the sub-graph change detector runs every round t > ``t_static`` (window ``w_cd``,
    threshold ``tau_cd``): a flagged sub-graph that is not already relearning gets reset time t - 1 and
    sample count 0, and is re-explored and relearned from its reset time.

    variant PAPER_ERA: bonus coef_init = 0.2 r, later coef_init (1 + cos phi), ||mu_a|| TRUE (``mu_norms``,
    the oracle the code had when the paper appeared); FINAL: coef_init = 0.5 r, later
    coef_init (1 + cos phi) / 2, plug-in ||mu_hat_a||. r = max mu_hat / max U at the first bonus
    computation (|max mu_hat| when ``guard_sign``).
    Returns (actions (R, T) int64, rewards (R, T), relearns (R,) int64, resets (R, T) int64 = number of
    sub-graphs reset at round t).
    """
    R = Bs.shape[0]
    N = Bs.shape[2]
    K = 1 << N
    acts = np.empty((R, T), dtype=np.int64)
    rew = np.empty((R, T))
    relearns = np.zeros(R, dtype=np.int64)
    resets = np.zeros((R, T), dtype=np.int64)
    X = np.zeros((T, N))
    bits = np.zeros((T, N), dtype=np.int8)
    log_term = math.log(2.0 * N / delta)
    kappa = 0.2 if variant == PAPER_ERA else 0.5
    prio = np.empty(N * N)
    index = np.empty(K)
    for r in range(R):
        s = states[r]
        nu = nus[r]
        sg = sigmas[r]
        W0c = np.zeros((N, N))
        W1c = np.zeros((N, N))
        nsample = np.zeros((2, N), dtype=np.int64)
        start = np.zeros((2, N), dtype=np.int64)
        learn = np.ones((2, N), dtype=np.bool_)
        used_topo = np.full((2, N), -1, dtype=np.int64)   # relevant-sample counts at the last topology fit
        used_wt = np.full((2, N), -1, dtype=np.int64)
        topo0 = np.zeros((N, N), dtype=np.int8)
        topo1 = np.zeros((N, N), dtype=np.int8)
        r_hat = np.zeros(K)
        U = np.zeros(K)
        have_coef = False
        coef_init = 0.0
        a_cur = 0
        for t in range(T):
            sys_k = _system_at(t, tc)
            if detect and t > t_static:
                for st in range(2):
                    Wc = W1c if st == 1 else W0c
                    for n in range(N):
                        if _detect(X, bits, t, Wc, nu, sg, st, n, w_cd) > tau_cd:
                            if not learn[st, n]:
                                start[st, n] = t - 1
                                nsample[st, n] = 0
                                resets[r, t] += 1
                            learn[st, n] = True
            if nsample.min() < n_es:
                s, a_cur = uniform_int(s, K)
            else:
                any_learn = learn.any()
                Xt = X[:t]
                bt = bits[:t]
                if any_learn or t % f_graph == 0:
                    for st in range(2):
                        changed = False
                        for n in range(N):
                            m = min(n_max, _count(bt, n, st, start[st, n]))
                            if m != used_topo[st, n]:
                                changed = True
                                used_topo[st, n] = m
                        if changed:
                            for q in range(N * N):
                                s, prio[q] = uniform(s)
                            adj, _ = _k.learn_topology(Xt, bt, nu, st, start[st], n_max, k_nn, weight, quirk, prio)
                            if st == 0:
                                topo0 = adj
                            else:
                                topo1 = adj
                            relearns[r] += 1
                            used_wt[st, 0] = -2   # force the weight refit below
                if any_learn or t % f_est == 0:
                    refit = False
                    for st in range(2):
                        for n in range(N):
                            m = min(n_max, _count(bt, n, st, start[st, n]))
                            if m != used_wt[st, n]:
                                refit = True
                                used_wt[st, n] = m
                    if refit:
                        W0, l0, p0 = _k.estimate_weights(Xt, bt, nu, sg, 0, start[0], n_max, topo0)
                        W1, l1, p1 = _k.estimate_weights(Xt, bt, nu, sg, 1, start[1], n_max, topo1)
                        W0c[:, :] = W0
                        W1c[:, :] = W1
                        rh, cn, mn, sb, _, _, ok = _k.action_terms(W0, W1, nu, l0, l1, p0, p1, dof_n)
                        for a in range(K):
                            r_hat[a] = rh[a]
                            mnorm = mu_norms[r, sys_k, a] if variant == PAPER_ERA else mn[a]
                            U[a] = cn[a] * 2.0 * math.sqrt(sb[a] * log_term) * mnorm if ok[a] else 0.0
                    for st in range(2):
                        for n in range(N):
                            learn[st, n] = False
                    if not have_coef:
                        mr = -np.inf
                        mu_max = 0.0
                        for a in range(K):
                            if r_hat[a] > mr:
                                mr = r_hat[a]
                            if np.isfinite(U[a]) and U[a] > mu_max:
                                mu_max = U[a]
                        num = abs(mr) if guard_sign else mr
                        coef_init = kappa * num / mu_max if mu_max > 0 else kappa
                        coef = coef_init
                        have_coef = True
                    else:
                        t_i = start.max()
                        phi = math.pi * (t - t_i) / (T - t_i)
                        coef = coef_init * (1.0 + math.cos(phi))
                        if variant == FINAL:
                            coef *= 0.5
                    for a in range(K):
                        index[a] = r_hat[a] + coef * U[a]
                    s, a_cur = argmax_random_ties(s, index)
            s = _play(s, Bs[r, sys_k], BIs[r, sys_k], nu, sg, orders[r, sys_k], a_cur, N, X[t], bits[t])
            for n in range(N):
                nsample[bits[t, n], n] += 1
            acts[r, t] = a_cur
            rew[r, t] = X[t, N - 1]
        states[r] = s
    return acts, rew, relearns, resets


@njit(cache=True)
def _count(bits, node, state, start):
    c = 0
    for t in range(start, bits.shape[0]):
        if bits[t, node] == state:
            c += 1
    return c


@njit(cache=True)
def vanilla_ucb_batch(Bs, BIs, nus, sigmas, orders, tc, T, c, window, states):
    """UCB over all K = 2^N actions (authors' ``vanila_UCB``): arm t for t < K, then
    mean_k + c sqrt(ln t / n_k), argmax with random ties. ``window`` > 0: the mean uses the arm's last
    ``window`` rewards while n_k stays the cumulative count (the authors' non-stationary form).
    Returns (actions, rewards)."""
    R = Bs.shape[0]
    N = Bs.shape[2]
    K = 1 << N
    acts = np.empty((R, T), dtype=np.int64)
    rew = np.empty((R, T))
    x = np.zeros(N)
    bits_row = np.zeros(N, dtype=np.int8)
    index = np.empty(K)
    wl = max(window, 1)
    ring = np.zeros((K, wl))
    for r in range(R):
        s = states[r]
        sums = np.zeros(K)
        cnt = np.zeros(K)
        for t in range(T):
            sys_k = _system_at(t, tc)
            if t < K:
                a = t
            else:
                lt = math.log(t)
                for k in range(K):
                    m = sums[k] / min(cnt[k], window) if window > 0 else sums[k] / cnt[k]
                    index[k] = m + c * math.sqrt(lt / cnt[k])
                s, a = argmax_random_ties(s, index)
            s = _play(s, Bs[r, sys_k], BIs[r, sys_k], nus[r], sigmas[r], orders[r, sys_k], a, N, x, bits_row)
            if window > 0:
                slot = int(cnt[a]) % window
                if cnt[a] >= window:
                    sums[a] -= ring[a, slot]
                ring[a, slot] = x[N - 1]
            sums[a] += x[N - 1]
            cnt[a] += 1.0
            acts[r, t] = a
            rew[r, t] = x[N - 1]
        states[r] = s
    return acts, rew


@njit(cache=True)
def linsem_ts_batch(Bs, BIs, nus, sigmas, orders, tc, T, v, restart, states):
    """LinSEM-TS (Varici et al. 2023 as run by Peng et al.): true parent sets, ridge V = I, g = 0 per
    (node, state); each round sample every column from N(V^{-1} g, v V^{-1}), play the argmax of the
    sampled reward over all 2^N actions (random ties), update the used state's statistics with
    x = X_pa, y = X_n - nu_n. Parent sets are those of the first system and never adapted, unless
    ``restart``: then at every change time it is handed the new system's true parent sets and restarts
    from V = I, g = 0 (the oracle restart of the authors' January 2025 code). Returns (actions, rewards)."""
    R = Bs.shape[0]
    N = Bs.shape[2]
    K = 1 << N
    acts = np.empty((R, T), dtype=np.int64)
    rew = np.empty((R, T))
    x = np.zeros(N)
    bits_row = np.zeros(N, dtype=np.int8)
    index = np.empty(K)
    z = np.empty(N)
    for r in range(R):
        s = states[r]
        nu = nus[r]
        V = np.zeros((2, N, N, N))
        g = np.zeros((2, N, N))
        par = np.zeros((2, N, N), dtype=np.bool_)
        Wt0 = np.zeros((N, N))
        Wt1 = np.zeros((N, N))
        model = 0            # index of the system whose parent sets the model uses
        _ts_reset(V, g, par, Wt0, Wt1, Bs[r, 0], BIs[r, 0])
        for t in range(T):
            if restart and _system_at(t, tc) != model:
                model = _system_at(t, tc)
                _ts_reset(V, g, par, Wt0, Wt1, Bs[r, model], BIs[r, model])
            for st in range(2):
                for n in range(N):
                    idx = np.flatnonzero(par[st, :, n])
                    P = idx.size
                    if P == 0:
                        continue
                    Vs = np.empty((P, P))
                    gs = np.empty(P)
                    for a1 in range(P):
                        gs[a1] = g[st, n, idx[a1]]
                        for a2 in range(P):
                            Vs[a1, a2] = V[st, n, idx[a1], idx[a2]]
                    Vinv = np.linalg.inv(Vs)
                    mean = Vinv @ gs
                    L = np.linalg.cholesky(v * Vinv)
                    for q in range(P):
                        s, z[q] = normal(s)
                    draw = mean + L @ z[:P]
                    for q in range(P):
                        if st == 0:
                            Wt0[idx[q], n] = draw[q]
                        else:
                            Wt1[idx[q], n] = draw[q]
            for k in range(K):
                index[k] = _reward_of(Wt0, Wt1, nu, orders[r, model], k, N, x)
            s, a = argmax_random_ties(s, index)
            sys_k = _system_at(t, tc)
            s = _play(s, Bs[r, sys_k], BIs[r, sys_k], nu, sigmas[r], orders[r, sys_k], a, N, x, bits_row)
            _ridge_update(V, g, par, x, bits_row, nu)
            acts[r, t] = a
            rew[r, t] = x[N - 1]
        states[r] = s
    return acts, rew


@njit(cache=True)
def _ridge_update(V, g, par, x, bits_row, nu):
    """Per node n, the used state's ridge statistics: V += x_pa x_pa^T, g += x_pa (X_n - nu_n). Returns
    the largest squared norm of the regressor vectors x_pa of this round."""
    N = x.size
    m2 = 0.0
    for n in range(N):
        st = bits_row[n]
        y = x[n] - nu[n]
        sq = 0.0
        for i in range(N):
            if par[st, i, n]:
                sq += x[i] * x[i]
                g[st, n, i] += x[i] * y
                for j in range(N):
                    if par[st, j, n]:
                        V[st, n, i, j] += x[i] * x[j]
        if sq > m2:
            m2 = sq
    return m2


@njit(cache=True)
def _ts_reset(V, g, par, Wt0, Wt1, B, BI):
    """LinSEM-TS statistics from scratch (V = I, g = 0) on the parent sets of (B, BI)."""
    N = B.shape[0]
    V[:] = 0.0
    g[:] = 0.0
    Wt0[:] = 0.0
    Wt1[:] = 0.0
    for st in range(2):
        for n in range(N):
            for i in range(N):
                V[st, n, i, i] = 1.0
    for i in range(N):
        for j in range(N):
            par[0, i, j] = B[i, j] != 0.0
            par[1, i, j] = BI[i, j] != 0.0


@njit(cache=True)
def _reward_of(W0, W1, nu, order, k, N, mu):
    """[mu_a]_N for action index k under weights W0/W1 whose union is a DAG in ``order``."""
    for q in range(N):
        j = order[q]
        bit = (k >> (N - 1 - j)) & 1
        acc = nu[j]
        for i in range(N):
            w = W1[i, j] if bit else W0[i, j]
            if w != 0.0:
                acc += w * mu[i]
        mu[j] = acc
    return mu[N - 1]


@njit(cache=True)
def linsem_ucb_indices(W0, W1, nu, lam0, lam1, beta, order, index):
    """LinSEM-UCB's optimistic reward of every action k (docs/topics/causal.md#linsem-ucb), into ``index``:

    mu_hat(k) + ||(I - W_k)^{-1}[:, N-1]|| ||mu_hat_k|| beta sqrt(sum_i lam_{i, k_i}), where W_k takes column
    i from W1 if bit i of k is set else from W0, lam_{i, s} = lambda_max(V_{i,s}^{-1}) (0 without parents) and
    ``order`` is a topological order of the union of the known parent sets. mu_hat_k by forward
    substitution, the column of (I - W_k)^{-1} by backward substitution (both O(N^2)).
    """
    N = W0.shape[0]
    K = 1 << N
    mu = np.empty(N)
    c = np.empty(N)
    bit = np.empty(N, dtype=np.int64)
    for k in range(K):
        sl = 0.0
        for j in range(N):
            bit[j] = (k >> (N - 1 - j)) & 1
            sl += lam1[j] if bit[j] else lam0[j]
        for q in range(N):
            j = order[q]
            acc = nu[j]
            for i in range(N):
                w = W1[i, j] if bit[j] else W0[i, j]
                if w != 0.0:
                    acc += w * mu[i]
            mu[j] = acc
        for q in range(N - 1, -1, -1):          # (I - W_k) c = e_{N-1}: c_i = [i = N-1] + sum_j W_k[i, j] c_j
            i = order[q]
            acc = 1.0 if i == N - 1 else 0.0
            for j in range(N):
                w = W1[i, j] if bit[j] else W0[i, j]
                if w != 0.0:
                    acc += w * c[j]
            c[i] = acc
        cn = 0.0
        mn = 0.0
        for i in range(N):
            cn += c[i] * c[i]
            mn += mu[i] * mu[i]
        index[k] = mu[N - 1] + math.sqrt(cn) * math.sqrt(mn) * beta * math.sqrt(sl)


@njit(cache=True)
def linsem_ucb_batch(Bs, BIs, nus, sigmas, orders, tc, T, weight_bound, feature_bound, restart, states):
    """LinSEM-UCB (after Varici et al. 2023; the width is the substitute of docs/topics/causal.md#linsem-ucb)
    for every run: the true parent sets and the ridge statistics (V = I, g = 0) of LinSEM-TS; each round
    W_hat = V^{-1} g per (node, state), lam = lambda_max(V^{-1}),
    beta_t = S + sqrt(2 ln(2 N T) + d ln(1 + m^2 t / d)) (S = ``weight_bound``, d = max in-degree of the
    known parent sets, m = ``feature_bound``, or when it is <= 0 the largest regressor norm observed so far),
    play the argmax of :func:`linsem_ucb_indices` (random ties), update the used states. ``restart``: as in
    :func:`linsem_ts_batch`. Returns (actions, rewards)."""
    R = Bs.shape[0]
    N = Bs.shape[2]
    K = 1 << N
    acts = np.empty((R, T), dtype=np.int64)
    rew = np.empty((R, T))
    x = np.zeros(N)
    bits_row = np.zeros(N, dtype=np.int8)
    index = np.empty(K)
    lam = np.zeros((2, N))
    log_nt = math.log(2.0 * N * T)
    for r in range(R):
        s = states[r]
        nu = nus[r]
        V = np.zeros((2, N, N, N))
        g = np.zeros((2, N, N))
        par = np.zeros((2, N, N), dtype=np.bool_)
        W0 = np.zeros((N, N))
        W1 = np.zeros((N, N))
        model = 0
        _ts_reset(V, g, par, W0, W1, Bs[r, 0], BIs[r, 0])
        m2 = feature_bound * feature_bound if feature_bound > 0 else 0.0
        for t in range(T):
            if restart and _system_at(t, tc) != model:
                model = _system_at(t, tc)
                _ts_reset(V, g, par, W0, W1, Bs[r, model], BIs[r, model])
                if feature_bound <= 0:
                    m2 = 0.0
            d = 1
            for st in range(2):
                for n in range(N):
                    idx = np.flatnonzero(par[st, :, n])
                    P = idx.size
                    if P > d:
                        d = P
                    lam[st, n] = 0.0
                    if P == 0:
                        continue
                    Vs = np.empty((P, P))
                    gs = np.empty(P)
                    for a1 in range(P):
                        gs[a1] = g[st, n, idx[a1]]
                        for a2 in range(P):
                            Vs[a1, a2] = V[st, n, idx[a1], idx[a2]]
                    mean = np.linalg.solve(Vs, gs)
                    lam[st, n] = 1.0 / np.linalg.eigvalsh(Vs)[0]
                    for q in range(P):
                        if st == 0:
                            W0[idx[q], n] = mean[q]
                        else:
                            W1[idx[q], n] = mean[q]
            beta = weight_bound + math.sqrt(2.0 * log_nt + d * math.log(1.0 + m2 * t / d))
            linsem_ucb_indices(W0, W1, nu, lam[0], lam[1], beta, orders[r, model], index)
            s, a = argmax_random_ties(s, index)
            sys_k = _system_at(t, tc)
            s = _play(s, Bs[r, sys_k], BIs[r, sys_k], nu, sigmas[r], orders[r, sys_k], a, N, x, bits_row)
            seen = _ridge_update(V, g, par, x, bits_row, nu)
            if feature_bound <= 0 and seen > m2:
                m2 = seen
            acts[r, t] = a
            rew[r, t] = x[N - 1]
        states[r] = s
    return acts, rew
