"""njit loops of the tallying topic: the per-step engine for every algorithm (block fast path: block_kernels).

Arrays only, never instance objects (docs/topics/tallying.md#engine). Shared arguments:

- ``lw`` float64 (m+1,): lag weights (the lag convention lives here only); ``codes`` int64 (K,);
  ``params`` float64 (K, 4); ``table`` float64 (K, n); ``W`` float; ``noise`` int (0 Bernoulli,
  1 Gaussian, 2 deterministic); ``sigma`` float;
- ``alg`` int (:data:`ALG_CODES`), ``cfg_i`` int64 (N_CFG_I = 11,), ``cfg_f`` float64 (N_CFG_F = 6,),
  ``order`` int64 (K,) (the arm order of round-robin phases, a permutation);
- ``states`` uint64 (n,): one stream per run, advanced in place; ``ckpt`` int64 (c,): 1-based times;
- outputs filled in place: ``pseudo`` float64 (n, c) cumulative mean loss at the checkpoints,
  ``realised`` float64 (n,) total sampled loss, ``actions`` int64 (n, T) or (n, 0),
  ``bad_kept`` int64 (n,) number of samples WTB-SE kept at a tally other than W (property 8.5).

cfg_i: 0 fixed arm, 1 burn-in, 2 n0, 3 carry_over, 4 tau (batched EXP3), 5 batched burn-in, 6 SWA window h,
7 random order (1: each run shuffles ``order`` from its own stream before its first play), 8 period P of
TB-ETC-periodic (its assumed memory), 9 its samples per (arm, count) cell, 10 anytime WTB-SE (1: restart
on phases of length T_k = 2^k, k = 1, 2, .., each with horizon T_k and delta = 1/T_k in the radius).
cfg_f: 0 c_rad, 1 delta, 2 growth g, 3 radius width (1 for [0, 1] losses, 2 sigma for Gaussian),
4 sub-Gaussian scale sigma of RAW-UCB / FEWA, 5 their alpha.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from theorylab.core.streams import argmin_random_ties, bernoulli, binomial, normal, uniform, uniform_int

__all__ = ["ALG_CODES", "N_CFG_I", "N_CFG_F"]

ALG_CODES = {"fixed": 0, "uniform": 1, "ucb1": 2, "exp3": 3, "plain_se": 4, "wtb_se": 5, "batched_exp3": 6,
             "swa": 7, "raw_ucb": 8, "fewa": 9, "tb_etc_periodic": 10}
N_CFG_I = 11
N_CFG_F = 6


@njit(cache=True, inline="always")
def mean_loss(codes, params, table, W, a, x):
    """f_a(x) by family code, clipped to [0, 1] (numpy twin: families.family_loss)."""
    c = codes[a]
    c0 = params[a, 0]
    c1 = params[a, 1]
    c2 = params[a, 2]
    c3 = params[a, 3]
    u = x / W
    if c == 0:
        v = c0 + c1 * math.exp(-u / c2)
    elif c == 1:
        v = c0 + c1 * (1.0 + c2 * u) ** (-c3)
    elif c == 2:
        v = c0 + c1 * u ** c2
    elif c == 3:
        v = c0 + c1 * (u - c2) ** 2
    elif c == 4:
        v = c0 + c1 * u
    elif c == 5:
        v = c0 if u < c2 else c1
    else:
        idx = int(math.floor(x * c0 + 0.5))
        n = table.shape[1]
        idx = 0 if idx < 0 else (n - 1 if idx >= n else idx)
        v = table[a, idx]
    return 0.0 if v < 0.0 else (1.0 if v > 1.0 else v)


@njit(cache=True, inline="always")
def tally(lw, hist, head, a):
    """Weighted tally of playing ``a`` now; ``hist[(head - i + 1) % m]`` is the action at lag i = 1..m."""
    m = hist.size
    x = lw[0]
    for i in range(1, m + 1):
        if hist[(head - i + 1) % m] == a:
            x = x + lw[i]
    return x


@njit(cache=True, inline="always")
def push(hist, head, a):
    """Record ``a`` as the newest action; returns the new head."""
    head = (head + 1) % hist.size
    hist[head] = a
    return head


@njit(cache=True, inline="always")
def draw(s, noise, sigma, mu):
    """(state, one sampled loss with mean ``mu``)."""
    if noise == 0:
        s, b = bernoulli(s, mu)
        return s, float(b)
    if noise == 1:
        s, z = normal(s)
        return s, mu + sigma * z
    return s, mu


@njit(cache=True, inline="always")
def draw_sum(s, noise, sigma, mu, n):
    """(state, sum of ``n`` i.i.d. losses with mean ``mu``) in O(1) draws of the stream."""
    if n <= 0:
        return s, 0.0
    if noise == 0:
        s, k = binomial(s, n, mu)
        return s, float(k)
    if noise == 1:
        s, z = normal(s)
        return s, n * mu + sigma * math.sqrt(n) * z
    return s, n * mu


@njit(cache=True, inline="always")
def radius(n, K, T, cfg_f):
    """c_rad * width * sqrt(log(2 K T / delta) / (2 n)) (Hoeffding with a union bound; docs/topics/tallying.md#wtb-se)."""
    return cfg_f[0] * cfg_f[3] * math.sqrt(math.log(2.0 * K * T / cfg_f[1]) / (2.0 * n))


@njit(cache=True)
def eliminate(active, S, N, K, T, cfg_f):
    """Keep the arms whose lower confidence bound is <= the smallest upper one (ties never eliminate)."""
    best_ucb = np.inf
    for a in range(K):
        if active[a]:
            ucb = S[a] / N[a] + radius(N[a], K, T, cfg_f)
            if ucb < best_ucb:
                best_ucb = ucb
    n_act = 0
    for a in range(K):
        if active[a]:
            if S[a] / N[a] - radius(N[a], K, T, cfg_f) > best_ucb:
                active[a] = False
            else:
                n_act += 1
    return n_act


@njit(cache=True)
def next_active(active, order, pos):
    """Position in ``order`` of the next active arm after ``pos`` (or -1 at the end of the phase)."""
    for p in range(pos + 1, order.size):
        if active[order[p]]:
            return p
    return -1


@njit(cache=True)
def only_active(active):
    for a in range(active.size):
        if active[a]:
            return a
    return -1


@njit(cache=True)
def next_phase(anytime, t, T, Tk, cf):
    """(phase end, phase horizon) of the phase starting at ``t``; sets the phase's delta = 1/T_k in ``cf``.

    Known T (``anytime`` 0): one phase, horizon T, ``cf`` untouched. Anytime: phase k = 1, 2, .. has
    length T_k = 2^k (the doubling trick; ``Tk`` is the previous phase's length, 1 before the first)."""
    if anytime == 0:
        return T, T
    Tk = 2 * Tk
    cf[1] = 1.0 / Tk
    return min(T, t + Tk), Tk


@njit(cache=True, inline="always")
def epoch_size(n0, g, r):
    return max(1, int(math.floor(n0 * g ** r + 1e-9)))


@njit(cache=True)
def run_order(s, order, shuffle, out):
    """Copy ``order`` into ``out``, shuffled uniformly (Fisher-Yates from the stream) if ``shuffle``."""
    for i in range(order.size):
        out[i] = order[i]
    if shuffle == 1:
        for i in range(order.size - 1, 0, -1):
            s, j = uniform_int(s, i + 1)
            tmp = out[i]
            out[i] = out[j]
            out[j] = tmp
    return s


@njit(cache=True)
def exp3_pick(s, Lhat, eta, prob):
    """(state, arm drawn from p proportional to exp(-eta (Lhat - min Lhat))); fills ``prob``."""
    K = Lhat.size
    lo = Lhat.min()
    tot = 0.0
    for a in range(K):
        prob[a] = math.exp(-eta * (Lhat[a] - lo))
        tot += prob[a]
    for a in range(K):
        prob[a] /= tot
    s, u = uniform(s)
    acc = 0.0
    for a in range(K):
        acc += prob[a]
        if u < acc:
            return s, a
    return s, K - 1


@njit(cache=True)
def tb_schedule(order, p, tau, sched, cnt):
    """TB-ETC-periodic's exploration period for arm ``order[p]`` at count ``tau``: that arm ``tau`` times,
    then the other arms in ``order`` (cyclically after position p), one slot each, until the period
    ``sched`` is full. ``cnt[b]`` is the count of arm b per period (its tally under unit weights)."""
    K = order.size
    P = sched.size
    cnt[:] = 0
    for i in range(P):
        if i < tau:
            b = order[p]
        else:
            b = order[(p + 1 + (i - tau) % (K - 1)) % K]
        sched[i] = b
        cnt[b] += 1


@njit(cache=True)
def tb_commit(order, S2, N2, sched, cnt):
    """Commit period: the counts n (sum n_a = P) minimising sum_a n_a fhat_a(n_a) by a knapsack DP over
    the arms in ``order`` (O(K P^2); cells without samples are excluded; ties keep the smaller count of
    the earlier arm), played as consecutive runs of each arm. Fills ``sched`` and ``cnt``."""
    K = order.size
    P = sched.size
    V = np.full((K + 1, P + 1), np.inf)
    choice = np.zeros((K + 1, P + 1), dtype=np.int64)
    V[0, 0] = 0.0
    for k in range(1, K + 1):
        b = order[k - 1]
        for tot in range(P + 1):
            for n in range(tot + 1):
                if n > 0 and N2[b, n] == 0:
                    continue
                cost = 0.0 if n == 0 else n * S2[b, n] / N2[b, n]
                v = V[k - 1, tot - n] + cost
                if v < V[k, tot]:
                    V[k, tot] = v
                    choice[k, tot] = n
    cnt[:] = 0
    tot = P
    for k in range(K, 0, -1):
        cnt[order[k - 1]] = choice[k, tot]
        tot -= choice[k, tot]
    i = 0
    for k in range(K):
        b = order[k]
        for _ in range(cnt[b]):
            sched[i] = b
            i += 1


@njit(cache=True)
def per_step(alg, cfg_i, cfg_f, order, lw, codes, params, table, W, noise, sigma, T, states, ckpt,
             pseudo, realised, actions, bad_kept):
    """Per-step engine: every algorithm of :data:`ALG_CODES`, one run after another (see module doc)."""
    K = codes.size
    m = lw.size - 1
    n_runs = states.size
    rec = actions.shape[1] > 0
    S = np.zeros(K)
    N = np.zeros(K)
    Lhat = np.zeros(K)
    prob = np.zeros(K)
    index = np.zeros(K)
    active = np.zeros(K, dtype=np.bool_)
    hist = np.empty(m, dtype=np.int64)
    burn, n0, carry, tau, bburn = cfg_i[1], cfg_i[2], cfg_i[3], cfg_i[4], cfg_i[5]
    g = cfg_f[2]
    h_swa = max(1, cfg_i[6])
    swa = np.zeros((K, h_swa if alg == 7 else 1))     # per-arm ring of the last h losses
    cum = np.zeros((K, T + 1 if alg in (8, 9) else 1))  # per-arm prefix sums of observed losses
    eta = math.sqrt(2.0 * math.log(K) / (K * T)) if K > 1 else 0.0
    P = max(1, cfg_i[8]) if alg == 10 else 1   # TB-ETC-periodic: period, samples per cell, cell sums
    n_need = cfg_i[9]
    S2 = np.zeros((K, P + 1))
    N2 = np.zeros((K, P + 1))
    sched = np.zeros(P, dtype=np.int64)
    cnt = np.zeros(K, dtype=np.int64)
    n_blocks = (T + tau - 1) // tau if tau > 0 else 1
    eta_b = math.sqrt(2.0 * math.log(K) / (K * n_blocks)) if K > 1 else 0.0
    base_order = order
    order = np.empty(K, dtype=np.int64)
    for r in range(n_runs):
        s = states[r]
        s = run_order(s, base_order, cfg_i[7], order)
        S[:] = 0.0
        N[:] = 0.0
        Lhat[:] = 0.0
        active[:] = True
        hist[:] = -1
        head = 0
        n_act = K
        exploit = -1 if K > 1 else 0
        pos = 0                 # position in order of the current arm (SE family)
        j = 0                   # step inside the current block
        b = burn                # burn-in of the current block
        ep = 0                  # epoch
        n_r = epoch_size(n0, g, 0)
        cf = cfg_f.copy()
        phase_end, Tk = next_phase(cfg_i[10], 0, T, 1, cf)
        last, last_len = -1, 0  # WTB-SE carry-over bookkeeping
        cur = -1                # batched EXP3: arm of the current block
        bsum, bcnt = 0.0, 0
        L = 0.0
        R = 0.0
        c = 0
        n_bad = 0
        if alg == 10:
            S2[:, :] = 0.0
            N2[:, :] = 0.0
            tgt = 0             # exploration cell: arm order[tgt % K] at count tgt // K + 1
            jj = 0              # step inside the current schedule
            committed = 0
            if K == 1:
                sched[:] = 0
                committed = 1
            else:
                tb_schedule(order, 0, 1, sched, cnt)
        for t in range(T):
            if alg == 5 and t == phase_end:     # anytime WTB-SE: restart on the next phase
                phase_end, Tk = next_phase(cfg_i[10], t, T, Tk, cf)
                S[:] = 0.0
                N[:] = 0.0
                active[:] = True
                exploit = -1 if K > 1 else 0
                pos, j, ep = 0, 0, 0
                n_r = epoch_size(n0, g, 0)
                b = burn
            # ---- select
            if alg == 0:
                a = cfg_i[0]
            elif alg == 1:
                s, a = uniform_int(s, K)
            elif alg == 2:
                for k in range(K):
                    index[k] = -np.inf if N[k] == 0 else S[k] / N[k] - math.sqrt(2.0 * math.log(t + 1) / N[k])
                s, a = argmin_random_ties(s, index)
            elif alg == 3:
                s, a = exp3_pick(s, Lhat, eta, prob)
            elif alg == 6:
                if t % tau == 0:
                    s, cur = exp3_pick(s, Lhat, eta_b, prob)
                    bsum, bcnt = 0.0, 0
                a = cur
            elif alg == 7:
                for k in range(K):
                    index[k] = -np.inf if N[k] < h_swa else S[k] / h_swa
                s, a = argmin_random_ties(s, index)
            elif alg == 8:
                lt = math.log(t + 1.0)
                for k in range(K):
                    nk = int(N[k])
                    if nk == 0:
                        index[k] = -np.inf
                        continue
                    best = -np.inf
                    h = 1
                    while h <= nk:
                        v = (cum[k, nk] - cum[k, nk - h]) / h - math.sqrt(2.0 * cfg_f[4] ** 2 * cfg_f[5] * lt / h)
                        if v > best:
                            best = v
                        h *= 2
                    index[k] = best
                s, a = argmin_random_ties(s, index)
            elif alg == 9:
                lt = math.log(t + 1.0)
                active[:] = True
                h = 1
                a = -1
                while a < 0:
                    short = False
                    for k in range(K):
                        if active[k] and N[k] < h:
                            short = True
                    if short:
                        for k in range(K):
                            index[k] = N[k] if (active[k] and N[k] < h) else np.inf
                        s, a = argmin_random_ties(s, index)
                    else:
                        width = 2.0 * math.sqrt(2.0 * cfg_f[4] ** 2 * cfg_f[5] * lt / h)
                        lo = np.inf
                        for k in range(K):
                            if active[k]:
                                nk = int(N[k])
                                index[k] = (cum[k, nk] - cum[k, nk - h]) / h
                                if index[k] < lo:
                                    lo = index[k]
                        for k in range(K):
                            if active[k] and index[k] > lo + width:
                                active[k] = False
                        h *= 2
            elif alg == 10:
                a = sched[jj % P]
            else:
                a = exploit if exploit >= 0 else order[pos]
            # ---- environment
            x = tally(lw, hist, head, a)
            mu = mean_loss(codes, params, table, W, a, x)
            s, l = draw(s, noise, sigma, mu)
            head = push(hist, head, a)
            L += mu
            R += l
            if rec:
                actions[r, t] = a
            while c < ckpt.size and ckpt[c] == t + 1:
                pseudo[r, c] = L
                c += 1
            # ---- update
            if alg == 2:
                S[a] += l
                N[a] += 1.0
            elif alg == 3:
                Lhat[a] += l / prob[a]
            elif alg == 7:
                slot = int(N[a]) % h_swa
                if N[a] >= h_swa:
                    S[a] -= swa[a, slot]
                swa[a, slot] = l
                S[a] += l
                N[a] += 1.0
            elif alg == 8 or alg == 9:
                cum[a, int(N[a]) + 1] = cum[a, int(N[a])] + l
                N[a] += 1.0
            elif alg == 6:
                if t % tau >= bburn:
                    bsum += l
                    bcnt += 1
                if t % tau == tau - 1 or t == T - 1:
                    if bcnt > 0:
                        Lhat[cur] += (bsum / bcnt) / prob[cur]
            elif alg == 10:
                if committed == 1:
                    jj += 1
                else:
                    if jj >= P:     # after one full period every play's tally is its count per period
                        S2[a, cnt[a]] += l
                        N2[a, cnt[a]] += 1.0
                    jj += 1
                    if jj % P == 0 and jj >= 2 * P and N2[order[tgt % K], tgt // K + 1] >= n_need:
                        while tgt < K * P and N2[order[tgt % K], tgt // K + 1] >= n_need:
                            tgt += 1
                        if tgt == K * P:
                            tb_commit(order, S2, N2, sched, cnt)
                            committed = 1
                        else:
                            tb_schedule(order, tgt % K, tgt // K + 1, sched, cnt)
                        jj = 0
            elif alg == 4 and exploit < 0:
                S[a] += l
                N[a] += 1.0
                nxt = next_active(active, order, pos)
                if nxt >= 0:
                    pos = nxt
                else:
                    n_act = eliminate(active, S, N, K, T, cfg_f)
                    if n_act == 1:
                        exploit = only_active(active)
                    pos = next_active(active, order, -1)
            elif alg == 5 and exploit < 0:
                if j >= b:
                    S[a] += l
                    N[a] += 1.0
                    if x != W:
                        n_bad += 1
                j += 1
                if j == b + n_r:
                    last, last_len = a, (last_len + j if last == a else j)
                    nxt = next_active(active, order, pos)
                    if nxt < 0:
                        n_act = eliminate(active, S, N, K, Tk, cf)
                        if n_act == 1:
                            exploit = only_active(active)
                        ep += 1
                        n_r = epoch_size(n0, g, ep)
                        nxt = next_active(active, order, -1)
                    pos = nxt
                    j = 0
                    b = 0 if (carry == 1 and order[pos] == last and last_len >= burn) else burn
        states[r] = s
        realised[r] = R
        bad_kept[r] = n_bad
