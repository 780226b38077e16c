"""numba hot loops for Markov games (docs/topics/games.md#algorithms).

- :func:`aggregating_deviation_exact` / :func:`aggregating_deviation_mc`: value of the Bayes-mixture deviation
  against a sparse mixture of Markov product policies in the single-state repeated game (docs/topics/games.md#exact-evaluation).
- :func:`vlearning_kernel`: V-learning (docs/topics/games.md#v-learning) for tabular Markov games, a batch
  of runs per call.

Randomness comes only from the per-run streams of :mod:`theorylab.core.streams` (one uint64 state per run,
threaded through the draws); :func:`theorylab.core.streams.seed_state` turns a single-run ``seed`` into that state.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from theorylab.core.streams import uniform


# -- aggregating deviation in the repeated game G(M, H) (docs/topics/games.md#exact-evaluation) ---------------------------------------
@njit(cache=True)
def aggregating_deviation_exact(gain, opp, weights):
    """Exact value of the best general deviation against a mixture of Markov product policies in G(M, H).

    ``gain[t, h, a] = (M_i y^t_h)_a`` (deviator's expected stage payoff of action a against component t's
    opponent at step h), ``opp[t, h, b] = y^t_h(b)``, ``weights[t] = lambda_t``. Returns
    ``sum_h E[max_a sum_t w_t(h) gain[t, h, a]]`` where ``w(h)`` is the posterior after the opponent's first h
    actions: the history tree of opponent actions is walked depth-first with unnormalised weights
    ``lambda_t prod_{g<h} y^t_g(b_g)`` (no normalisation needed: the node's probability is their sum).
    Cost O(T n2^H n1). Divide by H for values in [0, 1].
    """
    T, H, n1 = gain.shape
    n2 = opp.shape[2]
    w = np.zeros((H + 1, T))
    w[0, :] = weights
    choice = np.zeros(H + 1, dtype=np.int64)       # next child to expand at each depth
    total = 0.0
    depth = 0
    choice[0] = -1
    while depth >= 0:
        if choice[depth] == -1:                      # first visit: add this node's contribution
            best = -1e300
            for a in range(n1):
                s = 0.0
                for t in range(T):
                    s += w[depth, t] * gain[t, depth, a]
                if s > best:
                    best = s
            total += best
            choice[depth] = 0
            if depth == H - 1:
                depth -= 1
                continue
        b = choice[depth]
        if b >= n2:
            depth -= 1
            continue
        choice[depth] = b + 1
        mass = 0.0
        for t in range(T):
            w[depth + 1, t] = w[depth, t] * opp[t, depth, b]
            mass += w[depth + 1, t]
        if mass <= 0.0:
            continue
        depth += 1
        choice[depth] = -1
    return total


@njit(cache=True)
def aggregating_deviation_mc(gain, opp, weights, n_samples, state):
    """Monte Carlo estimate of :func:`aggregating_deviation_exact` from one run's stream: per-sample values.

    Each sample draws t ~ lambda and the opponent's actions b_h ~ y^t_h, and records the realised
    ``sum_h max_a (posterior-predictive payoff)_a``; the mean is unbiased for the exact value. The posterior
    is kept as weights renormalised every step (no logs needed). Every draw is one
    :func:`theorylab.core.streams.uniform` of the stream ``state`` (a uint64) followed by the inverse-cdf
    search: 1 + H uniforms per sample. Returns ``(values, state)`` with the state after the last draw, so
    a caller can continue the same stream (the second player's estimate in
    :func:`theorylab.games.sparse_cce.cce_gaps`).
    """
    T, H, n1 = gain.shape
    n2 = opp.shape[2]
    w = np.zeros(T)
    cdf = np.cumsum(weights)
    out = np.zeros(n_samples)
    rs = state
    for smp in range(n_samples):
        rs, u = uniform(rs)
        u = u * cdf[T - 1]
        tt = 0
        while tt < T - 1 and cdf[tt] < u:
            tt += 1
        for t in range(T):
            w[t] = weights[t]
        val = 0.0
        for h in range(H):
            z = 0.0
            for t in range(T):
                z += w[t]
            best = -1e300
            for a in range(n1):
                acc = 0.0
                for t in range(T):
                    acc += w[t] * gain[t, h, a]
                if acc / z > best:
                    best = acc / z
            val += best
            rs, r = uniform(rs)
            b = 0
            c = opp[tt, h, 0]
            while b < n2 - 1 and c < r:
                b += 1
                c += opp[tt, h, b]
            for t in range(T):
                w[t] = w[t] * opp[t, h, b] / z
        out[smp] = val
    return out, rs


# -- V-learning (docs/topics/games.md#v-learning) ------------------------------------------------------------------------------
@njit(cache=True)
def vlearning_kernel(P, R, n_actions, mu1, K, bonus, iota, learn, states):
    """V-learning (Jin, Liu, Wang & Yu 2021; Song, Mei & Bai 2022), one copy per player, bandit feedback,
    for a batch of runs: run r draws from its own stream ``states[r]`` (uint64, advanced in place).

    ``R[i, h, s, a]`` must lie in [0, 1] (per-step rewards; values in [0, H]). ``learn = False`` freezes the
    bandits at uniform play (the deliberately broken learner). Returns, stacked over the runs r,

    - ``pol[r, i, h, s, v, a]``: policy player i used at the (v+1)-th visit of (h, s),
    - ``ep[r, h, s, v]``: episode of that visit, ``count[r, h, s]``: number of visits,
    - ``V[r, i, h, s]``: final optimistic value estimates.

    Bandit: Jin et al.'s weighted FTRL with implicit exploration [recalled, docs/topics/games.md#v-learning]:
    ``pi_{t+1}(a)`` proportional to ``exp(-eta_t Lbar_t(a))``, ``Lbar_t = (1/w_t) sum_{j<=t} w_j lhat_j``,
    ``w_t = alpha_t / prod_{j=2}^t (1 - alpha_j)``, ``lhat_j(a) = l_j 1{a = a_j} / (pi_j(a) + gamma_j)``,
    ``eta_t = gamma_t = sqrt(H ln A / (A t))``; ``alpha_t = (H + 1) / (H + t)``,
    ``beta_t = bonus * sqrt(H^3 A iota / t)``.

    Randomness: per episode one :func:`~theorylab.core.streams.uniform` for the initial state, then per
    step one per player (its action) and one for the next state, each turned into an index by the
    inverse-cdf search (first index whose cumulative probability reaches the uniform). The scratch
    tables (values, losses, current policies) are allocated once per call and reset per run.
    """
    m, H, S, N = R.shape
    n_runs = states.size
    amax = 0
    for i in range(m):
        if n_actions[i] > amax:
            amax = n_actions[i]
    pol = np.zeros((n_runs, m, H, S, K, amax))
    ep = np.full((n_runs, H, S, K), -1, dtype=np.int64)
    count = np.zeros((n_runs, H, S), dtype=np.int64)
    V = np.zeros((n_runs, m, H + 1, S))
    # scratch, once per call
    Vr = np.zeros((m, H + 1, S))
    Vt = np.zeros((m, H + 1, S))
    Lbar = np.zeros((m, H, S, amax))
    cur = np.zeros((m, H, S, amax))
    acts = np.zeros(m, dtype=np.int64)
    cdf0 = np.cumsum(mu1)
    for run in range(n_runs):
        rs = states[run]
        Vr[:] = 0.0
        Vt[:] = 0.0
        Lbar[:] = 0.0
        cur[:] = 0.0
        for i in range(m):
            for h in range(H):
                for s in range(S):
                    Vr[i, h, s] = H - h
                    Vt[i, h, s] = H - h
                    for a in range(n_actions[i]):
                        cur[i, h, s, a] = 1.0 / n_actions[i]
        for k in range(K):
            rs, u = uniform(rs)
            s = 0
            while s < S - 1 and cdf0[s] < u:
                s += 1
            for h in range(H):
                t = count[run, h, s] + 1
                count[run, h, s] = t
                ep[run, h, s, t - 1] = k
                for i in range(m):
                    for a in range(n_actions[i]):
                        pol[run, i, h, s, t - 1, a] = cur[i, h, s, a]
                    rs, u = uniform(rs)
                    a = 0
                    c = cur[i, h, s, 0]
                    while a < n_actions[i] - 1 and c < u:
                        a += 1
                        c += cur[i, h, s, a]
                    acts[i] = a
                # flat joint action (C order)
                af = 0
                for i in range(m):
                    af = af * n_actions[i] + acts[i]
                rs, u = uniform(rs)
                s2 = 0
                c = P[h, s, af, 0]
                while s2 < S - 1 and c < u:
                    s2 += 1
                    c += P[h, s, af, s2]
                alpha = (H + 1.0) / (H + t)
                alpha_prev = (H + 1.0) / (H + t - 1.0) if t > 1 else 1.0
                for i in range(m):
                    ai = n_actions[i]
                    rew = R[i, h, s, af]
                    beta = bonus * np.sqrt(H ** 3 * ai * iota / t)
                    Vt[i, h, s] = (1 - alpha) * Vt[i, h, s] + alpha * (rew + Vr[i, h + 1, s2] + beta)
                    Vr[i, h, s] = min(H - h, Vt[i, h, s])
                    if not learn:
                        continue
                    loss = (H - rew - Vr[i, h + 1, s2]) / H
                    gam = np.sqrt(H * np.log(max(ai, 2)) / (ai * t))
                    scale = alpha_prev * (1 - alpha) / alpha if t > 1 else 0.0
                    for a in range(ai):
                        Lbar[i, h, s, a] *= scale
                    Lbar[i, h, s, acts[i]] += loss / (cur[i, h, s, acts[i]] + gam)
                    mn = 1e300
                    for a in range(ai):
                        if Lbar[i, h, s, a] < mn:
                            mn = Lbar[i, h, s, a]
                    z = 0.0
                    for a in range(ai):
                        cur[i, h, s, a] = np.exp(-gam * (Lbar[i, h, s, a] - mn))
                        z += cur[i, h, s, a]
                    for a in range(ai):
                        cur[i, h, s, a] /= z
                s = s2
        V[run] = Vr
        states[run] = rs
    return pol, ep, count, V
