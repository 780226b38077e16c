"""Slow pure-numpy references for the classic kernels, used only by the tests.

They make the same random draws in the same order as :mod:`theorylab.bandits.kernels`
(per-pull path), so that with the same seed they return the same numbers.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["reference_index_policy", "reference_phase"]


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
    """Final pseudo-regret and counts of one run; mirrors ``index_policy_run``."""
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
    """Recommended arm of Successive Rejects (0) or Sequential Halving (1), pull by pull."""
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
