"""Numba kernels for DP-BAI and its baselines: per-run random streams and one generic phase release.

Every run of a phased algorithm keeps its own random stream (a SplitMix64 state, one uint64 per run)
that survives from phase to phase, so a run's numbers depend only on its seed, not on the batch it
is simulated in (chunking, workers). Samplers on that stream: uniform, standard normal (Box-Muller),
Laplace (inverse CDF), Gamma (Marsaglia-Tsang), Beta, and exact Binomial (inversion for n p < 10,
Hormann's BTRS transformed rejection otherwise; exact acceptance with log-gamma).

:func:`phase_release` is the one generic loop: for each run and each pulled arm of the phase it draws
the sum of the phase's rewards, then one standard-Laplace value per slot. ``per_pull = False`` is the
fast path (a Bernoulli phase sum is one Binomial draw; Beta rewards are always simulated pull by pull,
there is no exact cheap law for their sum); ``per_pull = True`` simulates every pull (the reference
path, same distribution).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

__all__ = ["phase_release", "binomial_batch", "laplace_batch", "uniform_batch", "beta_batch", "init_states"]

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S11 = np.uint64(11)
_INV53 = 1.0 / 9007199254740992.0


def init_states(seeds) -> np.ndarray:
    """Per-run stream states (uint64) from SeedSequences or integers."""
    out = np.empty(len(seeds), dtype=np.uint64)
    for i, s in enumerate(seeds):
        if isinstance(s, np.random.SeedSequence):
            out[i] = s.generate_state(1, dtype=np.uint64)[0]
        else:
            out[i] = np.uint64(int(s) & 0xFFFFFFFFFFFFFFFF)
    return out


@njit(cache=True, inline="always")
def _next(state, r):
    z = state[r] + _GOLDEN
    state[r] = z
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@njit(cache=True, inline="always")
def _uniform(state, r):
    """Uniform on the open interval (0, 1)."""
    return (float(_next(state, r) >> _S11) + 0.5) * _INV53


@njit(cache=True)
def _normal(state, r):
    u1 = _uniform(state, r)
    u2 = _uniform(state, r)
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)


@njit(cache=True)
def _laplace(state, r):
    """Standard Laplace (scale 1) by inversion."""
    u = _uniform(state, r) - 0.5
    if u < 0:
        return math.log(1.0 + 2.0 * u)
    return -math.log(1.0 - 2.0 * u)


@njit(cache=True)
def _gamma(state, r, a):
    boost = 1.0
    if a < 1.0:
        boost = _uniform(state, r) ** (1.0 / a)
        a += 1.0
    d = a - 1.0 / 3.0
    c = 1.0 / math.sqrt(9.0 * d)
    while True:
        x = _normal(state, r)
        v = 1.0 + c * x
        if v <= 0.0:
            continue
        v = v * v * v
        u = _uniform(state, r)
        if u < 1.0 - 0.0331 * x * x * x * x:
            return d * v * boost
        if math.log(u) < 0.5 * x * x + d * (1.0 - v + math.log(v)):
            return d * v * boost


@njit(cache=True)
def _beta(state, r, a, b):
    x = _gamma(state, r, a)
    y = _gamma(state, r, b)
    return x / (x + y)


@njit(cache=True)
def _binomial_inversion(state, r, n, p):
    # count successes as the number of geometric waiting times that fit in n trials
    logq = math.log1p(-p)
    total = 0
    k = 0
    while True:
        g = math.ceil(math.log(_uniform(state, r)) / logq)
        total += g
        if total > n:
            return k
        k += 1


@njit(cache=True)
def _binomial_btrs(state, r, n, p):
    q = 1.0 - p
    spq = math.sqrt(n * p * q)
    b = 1.15 + 2.53 * spq
    a = -0.0873 + 0.0248 * b + 0.01 * p
    c = n * p + 0.5
    v_r = 0.92 - 4.2 / b
    ratio = p / q
    alpha = (2.83 + 5.1 / b) * spq
    m = math.floor((n + 1) * p)
    lfm = math.lgamma(m + 1.0) + math.lgamma(n - m + 1.0)
    while True:
        u = _uniform(state, r) - 0.5
        v = _uniform(state, r)
        us = 0.5 - abs(u)
        k = math.floor((2.0 * a / us + b) * u + c)
        if k < 0 or k > n:
            continue
        if us >= 0.07 and v <= v_r:
            return int(k)
        lhs = math.log(v * alpha / (a / (us * us) + b))
        rhs = lfm - math.lgamma(k + 1.0) - math.lgamma(n - k + 1.0) + (k - m) * math.log(ratio)
        if lhs <= rhs:
            return int(k)


@njit(cache=True)
def _binomial(state, r, n, p):
    if n <= 0 or p <= 0.0:
        return 0
    if p >= 1.0:
        return n
    flip = p > 0.5
    pp = 1.0 - p if flip else p
    if n * pp < 10.0:
        k = _binomial_inversion(state, r, n, pp)
    else:
        k = _binomial_btrs(state, r, n, pp)
    return n - k if flip else k


@njit(cache=True)
def _reward(state, r, law, law_param, mu):
    if law == 0:
        return 1.0 if _uniform(state, r) < mu else 0.0
    a = mu * law_param
    b = (1.0 - mu) * law_param
    if a <= 0.0 or b <= 0.0:
        return mu
    return _beta(state, r, a, b)


@njit(cache=True)
def phase_release(state, mu, counts, law, law_param, per_pull):
    """Reward sums and standard-Laplace noise of one phase, for a batch of runs.

    Parameters
    ----------
    state : uint64 array (R,)
        Per-run stream states (advanced in place).
    mu : float64 array (R, m)
        Mean of the arm in each pull slot.
    counts : int64 array (R, m)
        Pulls of each slot in the phase (0 for padding slots).
    law : int
        0 Bernoulli, 2 Beta(mu c, (1 - mu) c) with c = ``law_param``.
    per_pull : bool
        Simulate every pull (reference) instead of one Binomial draw per slot (fast path, Bernoulli).

    Returns
    -------
    sums : float64 array (R, m)
    z : float64 array (R, m)
        Standard Laplace draws, one per slot (drawn for every slot, so the layout is fixed).
    """
    R, m = mu.shape
    sums = np.zeros((R, m))
    z = np.empty((R, m))
    for r in range(R):
        for j in range(m):
            n = counts[r, j]
            if n <= 0:
                continue
            if law == 0 and not per_pull:
                sums[r, j] = float(_binomial(state, r, n, mu[r, j]))
            elif law == 0:
                s = 0
                p = mu[r, j]
                for _ in range(n):
                    if _uniform(state, r) < p:
                        s += 1
                sums[r, j] = float(s)
            else:
                s2 = 0.0
                for _ in range(n):
                    s2 += _reward(state, r, law, law_param, mu[r, j])
                sums[r, j] = s2
        for j in range(m):
            z[r, j] = _laplace(state, r)
    return sums, z


@njit(cache=True)
def binomial_batch(state, n, p, size):
    """``size`` Binomial(n, p) draws from stream 0 of ``state`` (testing helper)."""
    out = np.empty(size, dtype=np.int64)
    for i in range(size):
        out[i] = _binomial(state, 0, n, p)
    return out


@njit(cache=True)
def laplace_batch(state, size):
    """``size`` standard Laplace draws from stream 0 (testing helper)."""
    out = np.empty(size)
    for i in range(size):
        out[i] = _laplace(state, 0)
    return out


@njit(cache=True)
def uniform_batch(state, size):
    """``size`` uniforms from stream 0 (testing helper)."""
    out = np.empty(size)
    for i in range(size):
        out[i] = _uniform(state, 0)
    return out


@njit(cache=True)
def beta_batch(state, a, b, size):
    """``size`` Beta(a, b) draws from stream 0 (testing helper)."""
    out = np.empty(size)
    for i in range(size):
        out[i] = _beta(state, 0, a, b)
    return out


@njit(cache=True)
def select_top(groups, inv, mu_hat, k):
    """The ``k`` active arms with largest mu_hat per run (ties: smallest arm index), sorted by index,
    and their bitmask keys (valid when K <= 62).

    Parameters
    ----------
    groups : int64 array (G, s)
        Distinct active sets, rows sorted increasingly; run r's active set is ``groups[inv[r]]``.
    inv : int64 array (R,)
    mu_hat : float64 array (R, s)
    k : int

    Returns
    -------
    nxt : int64 array (R, k)
    keys : int64 array (R,)
    """
    R, s = mu_hat.shape
    nxt = np.empty((R, k), dtype=np.int64)
    keys = np.zeros(R, dtype=np.int64)
    taken = np.zeros(s, dtype=np.bool_)
    for r in range(R):
        taken[:] = False
        for q in range(k):
            best = -1
            for j in range(s):
                if taken[j]:
                    continue
                if best < 0 or mu_hat[r, j] > mu_hat[r, best]:
                    best = j
            taken[best] = True
        q = 0
        key = 0
        g = inv[r]
        for j in range(s):
            if taken[j]:
                a = groups[g, j]
                nxt[r, q] = a
                if a < 63:
                    key |= np.int64(1) << a
                q += 1
        keys[r] = key
    return nxt, keys
