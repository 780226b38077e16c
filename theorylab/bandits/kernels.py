"""Numba kernels for the classic bandit problems: two generic loops over a batch of runs.

- :func:`index_policy_batch` runs any per-round policy (UCB1, Thompson sampling, EXP3,
  explore-then-commit) for ``horizon`` rounds in every run of a batch and records pseudo-regret at
  checkpoints.
- :func:`phase_batch` runs any phase/elimination algorithm (Successive Rejects, Sequential Halving,
  successive elimination) in every run of a batch: in each phase every surviving arm is pulled a
  scheduled number of times (the schedule is computed once, in Python, by :func:`phase_pulls`), then
  arms are eliminated. With ``fast=True`` a phase's reward sum for an arm is one draw from its exact law:
  Binomial for Bernoulli arms, from an alias table of :mod:`theorylab.core.alias` (one 64-bit word per
  draw), Normal for Gaussian arms; Beta arms are always simulated pull by pull. On that Bernoulli path
  the alias table of each (phase, arm) is resolved once per call into flat (offset, size, base) arrays,
  and Successive Rejects keeps its survivors' running counts as exact integers in slot order, so a
  phase is one pass of draws and one :func:`~theorylab.core.streams.argmin_random_ties` over a short
  contiguous array (with :mod:`theorylab.core.bits` in the draw, 2.6e6 runs/s of the kernel at K = 10,
  T = 600, from 1.0e6, bit-identical numbers: ``theorylab bench sr_runs``).

Every run draws from its own stream (:mod:`theorylab.core.streams`, one uint64 state per run in
``states``, advanced in place), so its numbers do not depend on the batch it is in. Exact ties are
broken uniformly at random from the run's stream: index policies' argmax and Successive Rejects'
rejection by :func:`~theorylab.core.streams.argmax_random_ties` / ``argmin_random_ties``, Sequential
Halving's top half by repeated ``argmax_random_ties`` (a uniformly random survivor set among tied
boundary arms), successive elimination's recommendation likewise.

Both kernels use numba's ``error_model="numpy"``: no divisor here can be zero (pull counts are at
least one where they divide), and the Python error model's zero test costs a branch per division in the
hot loops.

Integer codes (rather than function arguments) keep the number of compiled specialisations at one
per kernel, so the on-disk cache (``cache=True``) serves every algorithm.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from theorylab.core.alias import alias_cell, alias_draw, alias_pick
from theorylab.core.streams import (argmax_random_ties, argmin_random_ties, beta, categorical, next_word,
                                    normal, uniform, uniform_int)

__all__ = ["POLICY_CODES", "PHASE_CODES", "index_policy_batch", "phase_batch", "phase_pulls"]

POLICY_CODES = {"ucb1": 0, "thompson": 1, "exp3": 2, "explore_then_commit": 3}
PHASE_CODES = {"successive_rejects": 0, "sequential_halving": 1, "successive_elimination": 2}


@njit(cache=True)
def _beta_draw(s, a, b):
    # a Beta draw as a call (Beta rewards, Thompson sampling's posterior): one compiled copy
    return beta(s, a, b)


@njit(cache=True)
def _reward_other(s, law, law_param, mu):
    # a Gaussian or Beta reward; deliberately not inlined: one compiled copy of the rejection samplers
    # serves every call site (inlining them everywhere doubled the kernels' compile time)
    if law == 1:
        s, z = normal(s)
        return s, mu + law_param * z
    a = mu * law_param
    b = (1.0 - mu) * law_param
    if a <= 0.0 or b <= 0.0:
        return s, mu
    return _beta_draw(s, a, b)


@njit(cache=True)
def _argmax_call(s, values):
    # argmax_random_ties as a call, for the sites off the hot path (one compiled copy, not one per site)
    return argmax_random_ties(s, values)


@njit(cache=True, inline="always")
def _reward(s, law, law_param, mu):
    # one reward: law 0 Bernoulli(mu) (inline: the hot path), 1 N(mu, law_param^2), 2 Beta(mu c, (1 - mu) c)
    if law == 0:
        s, u = uniform(s)
        return s, (1.0 if u < mu else 0.0)
    return _reward_other(s, law, law_param, mu)


@njit(cache=True, error_model="numpy")
def index_policy_batch(means, law, law_param, policy, policy_param, horizon, checkpoints, states):
    """Run one per-round policy for ``horizon`` rounds in every run of a batch.

    Parameters
    ----------
    means : float64 array (K,)
    law : int
        Reward law code (0 Bernoulli, 1 Gaussian, 2 Beta); ``law_param`` its sigma / concentration.
    policy : int
        0 UCB1 (``policy_param`` scales the bonus sqrt(2 ln t / n_i); 1 is Auer et al. 2002),
        1 Thompson sampling with Beta(1, 1) priors (non-binary rewards binarised, Agrawal-Goyal 2012),
        2 EXP3 (Auer et al. 2002, ``policy_param`` = gamma in (0, 1]),
        3 explore-then-commit (``policy_param`` = pulls per arm before committing).
    horizon : int
    checkpoints : int64 array, increasing, values in [1, horizon]
        Rounds at which cumulative pseudo-regret is recorded.
    states : uint64 array (R,)
        One stream state per run (:func:`theorylab.core.streams.init_states`), advanced in place.

    Returns
    -------
    counts : int64 array (R, K)
        Pulls of each arm.
    curve : float64 array (R, len(checkpoints))
        Pseudo-regret sum_{s <= t} Delta_{A_s} at each checkpoint t.
    reward : float64 array (R,)
        Total collected reward.
    """
    K = means.size
    R = states.size
    nc = checkpoints.size
    mu_star = means.max()
    gaps = mu_star - means
    counts_out = np.zeros((R, K), np.int64)
    curve = np.zeros((R, nc))
    reward_out = np.zeros(R)
    # per-run scratch, allocated once per call
    counts = np.zeros(K, np.int64)
    sums = np.zeros(K)
    est = np.zeros(K)          # per-arm empirical mean
    isq = np.zeros(K)          # per-arm 1 / sqrt(n)
    alpha = np.ones(K)
    beta_ = np.ones(K)
    logw = np.zeros(K)
    probs = np.zeros(K)
    cdf = np.zeros(K)
    scratch = np.zeros(K)
    explore = int(policy_param) * K if policy == 3 else 0
    for r in range(R):
        s = states[r]
        counts[:] = 0
        sums[:] = 0.0
        est[:] = 0.0
        isq[:] = 0.0
        alpha[:] = 1.0
        beta_[:] = 1.0
        logw[:] = 0.0
        for i in range(K):
            probs[i] = 1.0 / K
            cdf[i] = (i + 1.0) / K
        ci = 0
        regret = 0.0
        reward = 0.0
        committed = -1
        if policy == 0 and law == 0:
            # UCB1 on Bernoulli arms, the hot loop written out: per-arm mean and 1/sqrt(n) kept, one log and
            # one sqrt per round (the same numbers as the generic loop below)
            next_cp = checkpoints[0]
            for t in range(horizon):
                if t < K:
                    arm = t
                else:
                    c = policy_param * math.sqrt(2.0 * math.log(t))
                    for i in range(K):
                        scratch[i] = est[i] + c * isq[i]
                    s, arm = argmax_random_ties(s, scratch)
                s, u = uniform(s)
                x = 1.0 if u < means[arm] else 0.0
                n = counts[arm] + 1
                counts[arm] = n
                sums[arm] += x
                est[arm] = sums[arm] / n
                isq[arm] = 1.0 / math.sqrt(n)
                reward += x
                regret += gaps[arm]
                if t + 1 == next_cp:
                    curve[r, ci] = regret
                    ci += 1
                    next_cp = checkpoints[ci] if ci < nc else -1
            horizon_left = 0
        else:
            horizon_left = horizon
        for t in range(horizon_left):
            if policy == 0:
                if t < K:
                    arm = t
                else:
                    c = policy_param * math.sqrt(2.0 * math.log(t))
                    for i in range(K):
                        scratch[i] = est[i] + c * isq[i]
                    s, arm = argmax_random_ties(s, scratch)
            elif policy == 1:
                for i in range(K):
                    s, scratch[i] = _beta_draw(s, alpha[i], beta_[i])
                s, arm = _argmax_call(s, scratch)
            elif policy == 2:
                s, arm = categorical(s, cdf)
            else:
                if t < explore:
                    arm = t % K
                else:
                    if committed < 0:
                        s, committed = _argmax_call(s, est)
                    arm = committed
            s, x = _reward(s, law, law_param, means[arm])
            n = counts[arm] + 1
            counts[arm] = n
            sums[arm] += x
            est[arm] = sums[arm] / n
            isq[arm] = 1.0 / math.sqrt(n)
            reward += x
            regret += gaps[arm]
            if policy == 1:
                if law == 0:
                    success = x > 0.5
                else:
                    s, u = uniform(s)
                    success = u < min(max(x, 0.0), 1.0)
                if success:
                    alpha[arm] += 1.0
                else:
                    beta_[arm] += 1.0
            elif policy == 2:
                logw[arm] += policy_param * (x / probs[arm]) / K
                m = logw.max()
                total = 0.0
                for i in range(K):
                    scratch[i] = math.exp(logw[i] - m)
                    total += scratch[i]
                acc = 0.0
                for i in range(K):
                    probs[i] = (1.0 - policy_param) * scratch[i] / total + policy_param / K
                    acc += probs[i]
                    cdf[i] = acc
            while ci < nc and checkpoints[ci] == t + 1:
                curve[r, ci] = regret
                ci += 1
        states[r] = s
        counts_out[r] = counts
        reward_out[r] = reward
    return counts_out, curve, reward_out


def _log_bar(K: int) -> float:
    return 0.5 + sum(1.0 / i for i in range(2, K + 1))


def phase_pulls(algorithm: int, K: int, budget: int) -> np.ndarray:
    """Pulls of each surviving arm in each phase (int64, one entry per phase) of algorithm code 0 (SR) or 1 (SH).

    Successive Rejects: phase k = 1..K-1 brings every survivor to n_k = ceil((T - K) / (log_bar(K) (K + 1 - k)))
    pulls, so it pulls n_k - n_{k-1} times (Audibert, Bubeck, Munos 2010). Sequential Halving: round r of
    ceil(log2 K) pulls each of the |S_r| survivors floor(T / (|S_r| ceil(log2 K))) times and keeps
    ceil(|S_r| / 2) (Karnin, Koren, Somekh 2013). Successive elimination (2) has no fixed schedule.

    Parameters
    ----------
    algorithm : int
        Phase code of :data:`PHASE_CODES`: 0 Successive Rejects, 1 Sequential Halving, 2 successive
        elimination (any other code is treated like 2).
    K : int
        Number of arms.
    budget : int
        Total pulls T.

    Returns
    -------
    numpy.ndarray of int64, shape (P,)
        Pulls per surviving arm in each phase: P = K - 1 for SR, at most ceil(log2 K) for SH (the loop stops
        once one arm survives), P = 0 for successive elimination.
    """
    if algorithm == 0:
        lb = _log_bar(K)
        n = [0] + [int(math.ceil((budget - K) / (lb * (K + 1 - k)))) for k in range(1, K)]
        return np.diff(np.array(n, dtype=np.int64))
    if algorithm == 1:
        rounds = int(math.ceil(math.log2(K)))
        out, alive = [], K
        for _ in range(rounds):
            if alive == 1:
                break
            out.append(budget // (alive * rounds))
            alive = (alive + 1) // 2
        return np.array(out, dtype=np.int64)
    return np.zeros(0, dtype=np.int64)


@njit(cache=True, inline="always")
def _phase_sum(s, law, law_param, mu, m, fast, t, thr, alias, lows, offsets, sizes):
    # sum of m rewards of one arm: one exact draw on the fast path (alias table t, or degenerate mean),
    # else m single pulls
    if m <= 0:
        return s, 0.0
    if fast and law == 0:
        if t >= 0:
            s, v = alias_draw(s, thr, alias, lows[t], offsets[t], sizes[t])
            return s, float(v)
        return s, (float(m) if mu >= 1.0 else 0.0)
    if fast and law == 1:
        s, z = normal(s)
        return s, m * mu + law_param * math.sqrt(m) * z
    acc = 0.0
    for _ in range(m):
        s, x = _reward(s, law, law_param, mu)
        acc += x
    return s, acc


@njit(cache=True, error_model="numpy")
def phase_batch(means, law, law_param, algorithm, budget, param, fast, pulls, tables, thr, alias, lows, offsets,
                sizes, states):
    """Run one phase/elimination algorithm with a fixed budget (horizon) of pulls in every run of a batch.

    Parameters
    ----------
    means : float64 array (K,)
    law, law_param : int, float
        Reward law code and parameter, as in :func:`index_policy_batch`.
    algorithm : int
        0 Successive Rejects (Audibert, Bubeck, Munos 2010);
        1 Sequential Halving (Karnin, Koren, Somekh 2013), ``param`` 0 ranks by the current round's
        samples (the paper's rule), 1 by all samples so far;
        2 successive elimination (Even-Dar, Mannor, Mansour 2006) run for ``budget`` rounds,
        ``param`` = delta, elimination radius 2 sqrt(ln(4 K r^2 / delta) / (2 r)).
    budget : int
        Total pulls T.
    param : float
    fast : bool
        Draw each phase's reward sum from its exact law (see module docstring).
    pulls : int64 array (P,)
        Pulls per survivor in each phase (:func:`phase_pulls`; unused by successive elimination).
    tables : int64 array (P, K)
        Alias table id of (pulls[p], means[i]) for the fast Bernoulli path, -1 where degenerate or unused.
    thr, alias, lows, offsets, sizes : arrays
        The flat alias tables (:meth:`theorylab.core.alias.AliasTables.arrays`).
    states : uint64 array (R,)
        One stream state per run, advanced in place.

    Returns
    -------
    recommended : int64 array (R,)
        The arm output (the last survivor, or the best empirical mean for successive elimination).
    used : int64 array (R,)
        Pulls used (<= budget).
    regret : float64 array (R,)
        Pseudo-regret of the pulls made, sum_t Delta_{A_t}.
    """
    K = means.size
    R = states.size
    gaps = means.max() - means
    rec = np.empty(R, np.int64)
    used_out = np.empty(R, np.int64)
    regret_out = np.empty(R)
    alive = np.ones(K, np.bool_)
    sums = np.zeros(K)
    counts = np.zeros(K, np.int64)
    round_sums = np.zeros(K)
    score = np.zeros(K)
    order = np.zeros(K, np.int64)
    act = np.zeros(K, np.int64)
    kept = np.zeros(K, np.bool_)
    # fast Bernoulli path: the alias table of (phase, arm) as (offset, size, lowest value - offset) in
    # flat arrays indexed ph * K + arm, one read each per draw; size 0 marks a degenerate phase sum
    # (mean 0 or 1, or no pulls) whose value is stored in cell_base and which draws nothing
    P = pulls.size
    cell_off = np.zeros(P * K, np.int64)
    cell_size = np.zeros(P * K, np.uint64)
    cell_base = np.zeros(P * K, np.int64)
    if fast and law == 0 and (algorithm == 0 or algorithm == 1):
        for ph in range(P):
            for i in range(K):
                tb = tables[ph, i]
                c = ph * K + i
                if tb >= 0:
                    cell_off[c] = offsets[tb]
                    cell_size[c] = np.uint64(sizes[tb])
                    cell_base[c] = lows[tb] - offsets[tb]
                elif means[i] >= 1.0 and pulls[ph] > 0:
                    cell_base[c] = pulls[ph]
    slot_sums = np.zeros(K, np.int64)
    for r in range(R):
        s = states[r]
        for i in range(K):
            alive[i] = True
            sums[i] = 0.0
            counts[i] = 0
        n_alive = K
        used = 0
        regret = 0.0
        if algorithm == 0 or algorithm == 1:
            # the survivors as a compact list in increasing arm order (the order of the draws and of the
            # tie-breaks), so no pass over eliminated arms
            for i in range(K):
                act[i] = i
                slot_sums[i] = 0
            for ph in range(pulls.size):
                if n_alive == 1:
                    break
                m = pulls[ph]
                if fast and law == 0:
                    row = ph * K
                    for q in range(n_alive):
                        i = act[q]
                        c = row + i
                        size = cell_size[c]
                        if size != 0:
                            s, w = next_word(s)
                            k, coin = alias_cell(w, cell_off[c], size)
                            v = alias_pick(thr, alias, cell_base[c], k, coin)
                        else:
                            v = cell_base[c]
                        # Successive Rejects ranks the survivors' running counts in slot order (exact
                        # integers); Sequential Halving ranks per arm
                        if algorithm == 0:
                            slot_sums[q] += v
                        else:
                            x = float(v)
                            round_sums[i] = x
                            sums[i] += x
                        regret += m * gaps[i]
                else:
                    for q in range(n_alive):
                        i = act[q]
                        s, x = _phase_sum(s, law, law_param, means[i], m, fast, tables[ph, i], thr, alias, lows,
                                          offsets, sizes)
                        round_sums[i] = x
                        sums[i] += x
                        regret += m * gaps[i]
                used += m * n_alive
                # every survivor has the same pull count (this phase's and in total), so empirical means
                # compare exactly as reward sums: rank the sums (no division, no rounding)
                if algorithm == 0:
                    # reject the lowest empirical mean (ties at random)
                    if fast and law == 0:
                        s, worst = argmin_random_ties(s, slot_sums[:n_alive])
                    else:
                        for q in range(n_alive):
                            score[q] = sums[act[q]]
                        s, worst = argmin_random_ties(s, score[:n_alive])
                    for q in range(worst, n_alive - 1):
                        act[q] = act[q + 1]
                        slot_sums[q] = slot_sums[q + 1]
                    n_alive -= 1
                else:
                    # keep the top ceil(n / 2) (ties at random: repeated argmax with removal)
                    for q in range(n_alive):
                        score[q] = round_sums[act[q]] if param == 0 else sums[act[q]]
                        kept[q] = False
                    keep = (n_alive + 1) // 2
                    for _ in range(keep):
                        s, j = argmax_random_ties(s, score[:n_alive])
                        kept[j] = True
                        score[j] = -np.inf
                    n = 0
                    for q in range(n_alive):
                        if kept[q]:
                            act[n] = act[q]
                            n += 1
                    n_alive = keep
            rec[r] = act[0]
        else:
            rr = 0
            while used < budget:
                rr += 1
                n = 0
                for i in range(K):
                    if alive[i]:
                        order[n] = i
                        n += 1
                left = budget - used
                if left < n:
                    # the last, partial round: a uniformly random subset of the survivors gets the pulls
                    # (pulling the smallest indices would make the regret depend on the arm labels)
                    for q in range(left):
                        s, j = uniform_int(s, n - q)
                        order[q], order[q + j] = order[q + j], order[q]
                    n = left
                for q in range(n):
                    i = order[q]
                    s, x = _reward(s, law, law_param, means[i])
                    sums[i] += x
                    counts[i] += 1
                    used += 1
                    regret += gaps[i]
                if n_alive > 1:
                    radius = 2.0 * math.sqrt(math.log(4.0 * K * rr * rr / param) / (2.0 * rr))
                    top = -np.inf
                    for i in range(K):
                        if alive[i] and counts[i] == rr and sums[i] / rr > top:
                            top = sums[i] / rr
                    for i in range(K):
                        if alive[i] and counts[i] == rr and top - sums[i] / rr > radius:
                            alive[i] = False
                            n_alive -= 1
            for i in range(K):
                score[i] = sums[i] / counts[i] if alive[i] and counts[i] > 0 else -np.inf
            s, best = argmax_random_ties(s, score)
            rec[r] = best
        states[r] = s
        used_out[r] = used
        regret_out[r] = regret
    return rec, used_out, regret_out
