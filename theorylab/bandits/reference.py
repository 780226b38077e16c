"""References for the classic kernels, used by the tests and the benchmarks (never by the package).

Two references of the algorithms of :mod:`theorylab.bandits.kernels`:

- the numba-Generator kernels :func:`index_policy_run` and :func:`phase_run`: one run per call, drawing
  from a ``numpy.random.Generator`` (the per-run path the package used before its batched kernels; the
  benchmarks' "old path");
- the pure-numpy functions :func:`reference_index_policy` and :func:`reference_phase`, which make the
  same random draws in the same order as the Generator kernels (per-pull path), so that with the same
  Generator seed they return the same numbers.

The batched kernels draw from per-run SplitMix64 streams instead, so they agree with these references
in distribution (two-sample tests), not draw for draw.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

__all__ = ["reference_index_policy", "reference_phase", "index_policy_run", "phase_run", "draw_reward",
           "draw_reward_sum"]


def _reward(law, law_param, mu, rng):
    if law == 0:
        return 1.0 if rng.random() < mu else 0.0
    if law == 1:
        return mu + law_param * rng.standard_normal()
    a, b = mu * law_param, (1.0 - mu) * law_param
    return mu if a <= 0 or b <= 0 else rng.beta(a, b)


def _argmax_ties(values, rng):
    best, ties = 0, 1
    for i in range(1, len(values)):
        if values[i] > values[best]:
            best, ties = i, 1
        elif values[i] == values[best]:
            ties += 1
            if rng.random() * ties < 1.0:
                best = i
    return best


def reference_index_policy(means, law, law_param, policy, policy_param, horizon, rng):
    """Final pseudo-regret and counts of one run; mirrors ``index_policy_run``.

    Parameters
    ----------
    means : array_like of float, shape (K,)
        Arms' means.
    law : int
        Reward law code: 0 Bernoulli(mu), 1 Gaussian N(mu, law_param^2), 2 Beta(mu c, (1 - mu) c).
    law_param : float
        Sigma of the Gaussian law, concentration c of the Beta law (ignored for Bernoulli).
    policy : int
        0 UCB1, 1 Thompson sampling (Beta(1, 1) priors), 2 EXP3, 3 explore-then-commit
        (the codes of :data:`theorylab.bandits.kernels.POLICY_CODES`).
    policy_param : float
        UCB1: bonus scale (1 is Auer et al. 2002); EXP3: gamma in (0, 1]; explore-then-commit: pulls per
        arm before committing (truncated to int); unused by Thompson sampling.
    horizon : int
        Rounds T.
    rng : numpy.random.Generator
        Source of every draw, in the same order as :func:`index_policy_run` makes them.

    Returns
    -------
    regret : float
        Pseudo-regret after ``horizon`` rounds (sum of the gaps of the arms pulled).
    counts : numpy.ndarray of int, shape (K,)
        Pulls per arm.
    """
    means = np.asarray(means, dtype=float)
    K = means.size
    gaps = means.max() - means
    counts = np.zeros(K, int)
    sums = np.zeros(K)
    ab = np.ones((2, K))
    probs = np.full(K, 1.0 / K)
    logw = np.zeros(K)
    regret = 0.0
    committed = -1
    for t in range(horizon):
        if policy == 0:
            if t < K:
                arm = t
            else:
                with np.errstate(divide="ignore"):
                    est = sums / counts
                idx = [est[i] + policy_param * math.sqrt(2.0 * math.log(t) * (1.0 / counts[i])) for i in range(K)]
                arm = _argmax_ties(idx, rng)
        elif policy == 1:
            draws = [rng.beta(ab[0, i], ab[1, i]) for i in range(K)]
            arm = _argmax_ties(draws, rng)
        elif policy == 2:
            u = rng.random()
            cdf = np.cumsum(probs)
            hits = np.flatnonzero(u < cdf)
            arm = int(hits[0]) if hits.size else K - 1
        else:
            if t < int(policy_param) * K:
                arm = t % K
            else:
                if committed < 0:
                    est = np.where(counts > 0, sums / np.maximum(counts, 1), 0.0)
                    committed = _argmax_ties(list(est), rng)
                arm = committed
        x = _reward(law, law_param, means[arm], rng)
        counts[arm] += 1
        sums[arm] += x
        regret += gaps[arm]
        if policy == 1:
            success = x > 0.5 if law == 0 else rng.random() < min(max(x, 0.0), 1.0)
            ab[0 if success else 1, arm] += 1
        elif policy == 2:
            logw[arm] += policy_param * (x / probs[arm]) / K
            w = np.exp(logw - logw.max())
            probs = (1.0 - policy_param) * w / w.sum() + policy_param / K
    return regret, counts


def reference_phase(means, law, law_param, algorithm, budget, param, rng):
    """Recommended arm of Successive Rejects (0) or Sequential Halving (1), pull by pull.

    Parameters
    ----------
    means : array_like of float, shape (K,)
        Arms' means.
    law : int
        Reward law code: 0 Bernoulli(mu), 1 Gaussian N(mu, law_param^2), 2 Beta(mu c, (1 - mu) c).
    law_param : float
        Sigma of the Gaussian law, concentration c of the Beta law (ignored for Bernoulli).
    algorithm : int
        0 Successive Rejects (Audibert, Bubeck, Munos 2010), 1 Sequential Halving (Karnin, Koren, Somekh
        2013).
    budget : int
        Total pulls T.
    param : float
        Sequential Halving only: 0 ranks survivors by the round's own samples (the paper), anything else
        by all samples so far.
    rng : numpy.random.Generator
        Source of every draw (rewards and tie-breaks).

    Returns
    -------
    int
        Index of the recommended (last surviving) arm.
    """
    means = np.asarray(means, dtype=float)
    K = means.size
    alive = list(range(K))
    sums = np.zeros(K)
    counts = np.zeros(K, int)
    if algorithm == 0:
        lb = 0.5 + sum(1.0 / i for i in range(2, K + 1))
        n_prev = 0
        for k in range(1, K):
            n_k = math.ceil((budget - K) / (lb * (K + 1 - k)))
            for i in alive:
                for _ in range(n_k - n_prev):
                    sums[i] += _reward(law, law_param, means[i], rng)
                counts[i] += n_k - n_prev
            n_prev = n_k
            est = {i: sums[i] / counts[i] for i in alive}
            low = min(est.values())
            alive.remove(int(rng.choice([i for i in alive if est[i] == low])))
        return alive[0]
    rounds = math.ceil(math.log2(K))
    for _ in range(rounds):
        if len(alive) == 1:
            break
        m = budget // (len(alive) * rounds)
        round_sum = {}
        for i in alive:
            round_sum[i] = sum(_reward(law, law_param, means[i], rng) for _ in range(m))
            sums[i] += round_sum[i]
            counts[i] += m
        score = {i: (round_sum[i] / m if param == 0 else sums[i] / counts[i]) for i in alive}
        order = sorted(alive, key=lambda i: (-score[i], rng.random()))
        alive = order[: (len(alive) + 1) // 2]
    return alive[0]


# ---------------------------------------------------------------------------------------------------
# the numba-Generator reference kernels (one run per call)

@njit(cache=True)
def draw_reward(law, law_param, mu, rng):
    """One reward: law 0 Bernoulli(mu), 1 N(mu, law_param^2), 2 Beta(mu c, (1 - mu) c).

    Parameters
    ----------
    law : int
        Reward law code: 0 Bernoulli(mu), 1 Gaussian N(mu, law_param^2), 2 Beta(mu c, (1 - mu) c).
    law_param : float
        Sigma of the Gaussian law, concentration c of the Beta law (ignored for Bernoulli).
    mu : float
        The arm's mean (in [0, 1] for Bernoulli and Beta).
    rng : numpy.random.Generator
        Source of the draw.

    Returns
    -------
    float
        The reward; a Beta arm with mu c <= 0 or (1 - mu) c <= 0 (a degenerate mean) returns ``mu``.
    """
    if law == 0:
        return 1.0 if rng.random() < mu else 0.0
    if law == 1:
        return mu + law_param * rng.standard_normal()
    a = mu * law_param
    b = (1.0 - mu) * law_param
    if a <= 0.0 or b <= 0.0:
        return mu
    return rng.beta(a, b)


@njit(cache=True)
def draw_reward_sum(law, law_param, mu, n, fast, rng):
    """Sum of ``n`` rewards of one arm: one exact draw on the fast path, else ``n`` single pulls.

    Parameters
    ----------
    law : int
        Reward law code: 0 Bernoulli(mu), 1 Gaussian N(mu, law_param^2), 2 Beta(mu c, (1 - mu) c).
    law_param : float
        Sigma of the Gaussian law, concentration c of the Beta law (ignored for Bernoulli).
    mu : float
        The arm's mean.
    n : int
        Number of pulls (0 or less gives 0).
    fast : bool
        Bernoulli: one Binomial(n, mu) draw; Gaussian: one N(n mu, n law_param^2) draw. Beta arms, and
        ``fast=False``, take ``n`` calls of :func:`draw_reward`.
    rng : numpy.random.Generator
        Source of the draws.

    Returns
    -------
    float
        Sum of the ``n`` rewards.
    """
    if n <= 0:
        return 0.0
    if fast and law == 0:
        return float(rng.binomial(n, mu))
    if fast and law == 1:
        return n * mu + law_param * math.sqrt(n) * rng.standard_normal()
    s = 0.0
    for _ in range(n):
        s += draw_reward(law, law_param, mu, rng)
    return s


@njit(cache=True)
def _argmax_random_ties(values, rng):
    best = 0
    best_value = values[0]
    ties = 1
    for i in range(1, values.size):
        v = values[i]
        if v > best_value:
            best, best_value, ties = i, v, 1
        elif v == best_value:
            ties += 1
            if rng.random() * ties < 1.0:
                best = i
    return best


@njit(cache=True)
def index_policy_run(means, law, law_param, policy, policy_param, horizon, checkpoints, rng):
    """Run one per-round policy for ``horizon`` rounds.

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
    rng : numpy.random.Generator

    Returns
    -------
    counts : int64 array (K,)
        Pulls of each arm.
    curve : float64 array (len(checkpoints),)
        Pseudo-regret sum_{s <= t} Delta_{A_s} at each checkpoint t.
    reward : float
        Total collected reward.
    """
    K = means.size
    mu_star = means.max()
    gaps = mu_star - means
    counts = np.zeros(K, np.int64)
    sums = np.zeros(K)
    est = np.zeros(K)
    inv = np.zeros(K)
    alpha = np.ones(K)
    beta_ = np.ones(K)
    logw = np.zeros(K)
    probs = np.full(K, 1.0 / K)
    scratch = np.zeros(K)
    curve = np.zeros(checkpoints.size)
    nc = checkpoints.size
    ci = 0
    regret = 0.0
    reward = 0.0
    explore = int(policy_param) * K if policy == 3 else 0
    committed = -1
    for t in range(horizon):
        if policy == 0:
            if t < K:
                arm = t
            else:
                c = 2.0 * math.log(t)
                arm = 0
                best = -np.inf
                ties = 1
                for i in range(K):
                    v = est[i] + policy_param * math.sqrt(c * inv[i])
                    if v > best:
                        arm, best, ties = i, v, 1
                    elif v == best:
                        ties += 1
                        if rng.random() * ties < 1.0:
                            arm = i
        elif policy == 1:
            for i in range(K):
                scratch[i] = rng.beta(alpha[i], beta_[i])
            arm = _argmax_random_ties(scratch, rng)
        elif policy == 2:
            u = rng.random()
            arm = K - 1
            acc = 0.0
            for i in range(K):
                acc += probs[i]
                if u < acc:
                    arm = i
                    break
        else:
            if t < explore:
                arm = t % K
            else:
                if committed < 0:
                    committed = _argmax_random_ties(est, rng)
                arm = committed
        x = draw_reward(law, law_param, means[arm], rng)
        counts[arm] += 1
        sums[arm] += x
        est[arm] = sums[arm] / counts[arm]
        inv[arm] = 1.0 / counts[arm]
        reward += x
        regret += gaps[arm]
        if policy == 1:
            if law == 0:
                success = x > 0.5
            else:
                success = rng.random() < min(max(x, 0.0), 1.0)
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
            for i in range(K):
                probs[i] = (1.0 - policy_param) * scratch[i] / total + policy_param / K
        while ci < nc and checkpoints[ci] == t + 1:
            curve[ci] = regret
            ci += 1
    return counts, curve, reward


@njit(cache=True)
def _log_bar(K):
    s = 0.5
    for i in range(2, K + 1):
        s += 1.0 / i
    return s


@njit(cache=True)
def phase_run(means, law, law_param, algorithm, budget, param, fast, rng):
    """Run one phase/elimination algorithm with a fixed budget (horizon) of pulls.

    Parameters
    ----------
    means : float64 array (K,)
    law, law_param : int, float
        Reward law code and parameter, as in :func:`index_policy_run`.
    algorithm : int
        0 Successive Rejects (Audibert, Bubeck, Munos 2010);
        1 Sequential Halving (Karnin, Koren, Somekh 2013), ``param`` 0 ranks by the current round's
        samples (the paper's rule), 1 by all samples so far;
        2 successive elimination (Even-Dar, Mannor, Mansour 2006) run for ``budget`` rounds,
        ``param`` = delta, elimination radius 2 sqrt(ln(4 K r^2 / delta) / (2 r)).
    budget : int
        Total pulls T.
    fast : bool
        Draw each phase's reward sum from its exact law (see module docstring).
    rng : numpy.random.Generator

    Returns
    -------
    recommended : int
        The arm output (the last survivor, or the best empirical mean for successive elimination).
    pulls : int
        Pulls used (<= budget).
    regret : float
        Pseudo-regret of the pulls made, sum_t Delta_{A_t}.
    """
    K = means.size
    gaps = means.max() - means
    alive = np.ones(K, np.bool_)
    n_alive = K
    sums = np.zeros(K)
    counts = np.zeros(K, np.int64)
    round_sums = np.zeros(K)
    used = 0
    regret = 0.0
    if algorithm == 0:
        lb = _log_bar(K)
        n_prev = 0
        for k in range(1, K):
            n_k = int(math.ceil((budget - K) / (lb * (K + 1 - k))))
            m = n_k - n_prev
            n_prev = n_k
            for i in range(K):
                if alive[i]:
                    sums[i] += draw_reward_sum(law, law_param, means[i], m, fast, rng)
                    counts[i] += m
                    used += m
                    regret += m * gaps[i]
            order = rng.permutation(K)
            worst = -1
            worst_value = np.inf
            for j in range(K):
                i = order[j]
                if alive[i]:
                    v = sums[i] / counts[i] if counts[i] > 0 else 0.0
                    if v < worst_value:
                        worst, worst_value = i, v
            alive[worst] = False
            n_alive -= 1
    elif algorithm == 1:
        rounds = int(math.ceil(math.log2(K)))
        for r in range(rounds):
            if n_alive == 1:
                break
            m = budget // (n_alive * rounds)
            idx = np.empty(n_alive, np.int64)
            j = 0
            for i in range(K):
                if alive[i]:
                    idx[j] = i
                    j += 1
            for i in idx:
                s = draw_reward_sum(law, law_param, means[i], m, fast, rng)
                round_sums[i] = s
                sums[i] += s
                counts[i] += m
                used += m
                regret += m * gaps[i]
            perm = rng.permutation(n_alive)
            score = np.empty(n_alive)
            for j in range(n_alive):
                i = idx[perm[j]]
                if param == 0:
                    score[j] = round_sums[i] / m if m > 0 else 0.0
                else:
                    score[j] = sums[i] / counts[i] if counts[i] > 0 else 0.0
            order = np.argsort(-score, kind="mergesort")
            keep = (n_alive + 1) // 2
            for j in range(keep, n_alive):
                alive[idx[perm[order[j]]]] = False
            n_alive = keep
    else:
        r = 0
        while used < budget:
            r += 1
            for i in range(K):
                if alive[i] and used < budget:
                    sums[i] += draw_reward_sum(law, law_param, means[i], 1, fast, rng)
                    counts[i] += 1
                    used += 1
                    regret += gaps[i]
            if n_alive > 1:
                radius = 2.0 * math.sqrt(math.log(4.0 * K * r * r / param) / (2.0 * r))
                top = -np.inf
                for i in range(K):
                    if alive[i] and counts[i] == r and sums[i] / r > top:
                        top = sums[i] / r
                for i in range(K):
                    if alive[i] and counts[i] == r and top - sums[i] / r > radius:
                        alive[i] = False
                        n_alive -= 1
        best = -1
        best_value = -np.inf
        order = rng.permutation(K)
        for j in range(K):
            i = order[j]
            if alive[i] and counts[i] > 0 and sums[i] / counts[i] > best_value:
                best, best_value = i, sums[i] / counts[i]
        return best, used, regret
    for i in range(K):
        if alive[i]:
            return i, used, regret
    return -1, used, regret
