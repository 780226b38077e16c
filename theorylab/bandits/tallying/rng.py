"""The random streams the tallying kernels use: ``theorylab.core.streams`` when it is available.

Until the shared module lands, a minimal stand-in with the same names and the same contract (a run's
uint64 state in, ``(new_state, value)`` out) is built on the SplitMix64 stream of
:mod:`theorylab.bandits.dp_bai.streams`; its binomial is an exact sum of Bernoulli draws (O(n)).
"""

from __future__ import annotations

try:  # pragma: no cover - which branch runs depends on the installed tree
    from theorylab.core.streams import (argmin_random_ties, bernoulli, binomial, init_states, normal, uniform,
                                        uniform_int)
    SHARED_STREAMS = True
except ImportError:  # pragma: no cover
    import math

    from numba import njit

    from theorylab.bandits.dp_bai.streams import init_states, uniform

    SHARED_STREAMS = False

    @njit(cache=True, inline="always")
    def uniform_int(s, n):
        """(state, integer uniform on [0, n))."""
        s, u = uniform(s)
        k = int(u * n)
        return s, (k if k < n else n - 1)

    @njit(cache=True, inline="always")
    def bernoulli(s, p):
        """(state, 1 with probability p else 0)."""
        s, u = uniform(s)
        return s, (1 if u < p else 0)

    @njit(cache=True, inline="always")
    def normal(s):
        """(state, standard normal) by Box-Muller (one of the pair)."""
        s, u1 = uniform(s)
        s, u2 = uniform(s)
        return s, math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)

    @njit(cache=True)
    def binomial(s, n, p):
        """(state, Binomial(n, p)) as an exact sum of n Bernoulli draws."""
        k = 0
        for _ in range(n):
            s, b = bernoulli(s, p)
            k += b
        return s, k

    @njit(cache=True)
    def argmin_random_ties(s, values):
        """(state, index of the minimum), exact ties broken uniformly at random from the stream."""
        best = values[0]
        count = 1
        idx = 0
        for i in range(1, values.size):
            v = values[i]
            if v < best:
                best, count, idx = v, 1, i
            elif v == best:
                count += 1
        if count == 1:
            return s, idx
        s, j = uniform_int(s, count)
        for i in range(values.size):
            if values[i] == best:
                if j == 0:
                    return s, i
                j -= 1
        return s, idx

__all__ = ["SHARED_STREAMS", "init_states", "uniform", "uniform_int", "bernoulli", "normal", "binomial",
           "argmin_random_ties"]
