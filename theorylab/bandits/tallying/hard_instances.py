"""Hard instances of the tallying topic: the lower-bound constructions 7.1-7.4 (all ours;
docs/topics/tallying.md#lower-bounds). Built with :func:`theorylab.bandits.tallying.instances.make_instance`."""

from __future__ import annotations

import itertools

import numpy as np

from theorylab.bandits.tallying.families import weight_profile
from theorylab.bandits.tallying.instances import EXACT_MAX_M, WTBInstance, resolve_weights, make_instance, sequential_cumsum
from theorylab.core.validate import check_array, check_int

__all__ = ["hidden_practice_instance", "unknown_memory_pair", "password_instance", "near_tie_instance"]


def hidden_practice_instance(K: int, m: int, best: int, weights="unweighted", include_current: bool = True,
                             noise: str = "deterministic") -> WTBInstance:
    """Lower-bound instance 7.1 (Omega(mK)) [ours: construction and constants].

    f_a(x) = 1 while x < W (the arm was not played at every lag of the window); f_{a*}(W) = 0 and
    f_a(W) = 1/2 otherwise. Any learner pays 1 per warm-up step of every arm it brings to full tally.

    Parameters
    ----------
    K : int
        Number of arms (>= 2).
    m : int
        Memory (>= 1).
    best : int
        Index of a* in 0..K-1 (the lower bound of
        :func:`~theorylab.bandits.tallying.bounds.hidden_practice_lower_bound` averages over a uniform ``best``).
    weights : str or array of float, shape (m,), default "unweighted"
        Weight profile name (:func:`~theorylab.bandits.tallying.families.weight_profile`, gamma 0.8, seed 0)
        or the weights themselves.
    include_current : bool, default True
        Lag convention (:mod:`theorylab.bandits.tallying.instances`): warm-up m - 1 plays if True, m if False.
    noise : {"deterministic", "bernoulli", "gaussian"}, default "deterministic"
        Noise law of the sampled losses (gaussian needs a sigma, which this constructor does not set).

    Returns
    -------
    WTBInstance
        K arms of the ``step`` family (loss 1 below a threshold just under W), named
        ``hidden_practice(K=..,m=..,best=..)``, with ``info["best"] = best``.

    Examples
    --------
    >>> inst = hidden_practice_instance(3, 4, best=2)
    >>> inst.full_means.tolist(), float(inst.loss(2, inst.cold_tallies[0]))
    ([0.5, 0.5, 0.0], 1.0)
    """
    K = check_int("K", K, minimum=2)
    m = check_int("m", m, minimum=1)
    best = check_int("best", best, minimum=0, maximum=K - 1)
    w = resolve_weights(m, weights, 0.8, 0)
    W = float(sequential_cumsum(w)[-1])
    thr = 1.0 - 0.5 * float(w.min()) / W          # any tally below W is below W - min(w)
    params = [[1.0, 0.0 if a == best else 0.5, thr] for a in range(K)]
    return make_instance(w, ["step"] * K, params, include_current, noise,
                         name=f"hidden_practice(K={K},m={m},best={best})", info={"best": best})


def unknown_memory_pair(M: int, include_current: bool = True, noise: str = "deterministic"):
    """Lower-bound pair 7.2 (Omega(M)) [ours]: ``(I_small, I_big)``, K = 2.

    I_small: m = 1, f_0 = 1/2, f_1 = 1 (a* = 0). I_big: m = M, unweighted, f_0 = 1/2, f_1 = 1 below full
    tally and 0 at W (a* = 1). The first M - 1 consecutive plays of arm 1 look the same in both
    (M under ``include_current=False``).

    Parameters
    ----------
    M : int
        The memory bound (>= 1): the memory of I_big.
    include_current : bool, default True
        Lag convention of both instances.
    noise : {"deterministic", "bernoulli", "gaussian"}, default "deterministic"
        Noise law of both instances.

    Returns
    -------
    tuple of (WTBInstance, WTBInstance)
        ``(I_small, I_big)``; ``info`` holds ``best`` (0, resp. 1) and ``M``.

    Examples
    --------
    >>> small, big = unknown_memory_pair(3)
    >>> (small.m, small.full_means.tolist()), (big.m, big.full_means.tolist())
    ((1, [0.5, 1.0]), (3, [0.5, 0.0]))
    """
    M = check_int("M", M, minimum=1)
    small = make_instance([1.0], ["linear", "linear"], [[0.5, 0.0], [1.0, 0.0]], include_current, noise,
                          name=f"unknown_memory_small(M={M})", info={"best": 0, "M": M})
    thr = 1.0 - 0.5 / M
    big = make_instance(np.ones(M), ["linear", "step"], [[0.5, 0.0], [1.0, 0.0, thr]], include_current, noise,
                        name=f"unknown_memory_big(M={M})", info={"best": 1, "M": M})
    return small, big


def password_instance(m: int, secret, include_current: bool = True, noise: str = "deterministic") -> WTBInstance:
    """Password instance 7.3 (no REO) [ours]: K = 2, w_i = 2^-i, loss 0 iff the window is a rotation
    of the secret binary string, else 1.

    With weights 2^-i the tally of the played arm a is a binary code of the set S of tally lags at which
    a was played; with two arms S fixes the window pattern p (p_i = a for i in S, 1 - a otherwise, over
    the tally lags; plays before t = 1 count as the other arm). The loss is 0 iff p is a cyclic rotation
    of ``secret`` (length m, not constant). Tabulated over the tally code.

    Parameters
    ----------
    m : int
        Memory, 2 <= m <= ``EXACT_MAX_M`` (16): the table has 2^m + 1 columns.
    secret : sequence of {0, 1}, length m
        The hidden binary string; must contain both symbols.
    include_current : bool, default True
        Lag convention.
    noise : {"deterministic", "bernoulli", "gaussian"}, default "deterministic"
        Noise law.

    Returns
    -------
    WTBInstance
        Two arms of the ``table`` family with weights 2^-i, named ``password(m=..)``, with
        ``info["secret"]`` the secret as a list. REO fails on it (the bound is
        :func:`~theorylab.bandits.tallying.bounds.password_lower_bound`).
    """
    m = check_int("m", m, minimum=2)
    if m > EXACT_MAX_M:
        raise ValueError(f"m must be <= {EXACT_MAX_M} for the tabulated password instance, got {m}")
    s = check_array("secret", secret, ndim=1, dtype=np.int64)
    if s.size != m or not set(s.tolist()) <= {0, 1}:
        raise ValueError(f"secret must be a binary string of length m = {m}, got {s.tolist()}")
    if len(set(s.tolist())) < 2:
        raise ValueError("secret must not be constant (a constant secret satisfies REO)")
    rotations = {tuple(np.roll(s, k).tolist()) for k in range(m)}
    w = weight_profile("binary", m)
    lw = np.zeros(m + 1)
    if include_current:
        lw[:m] = w
    else:
        lw[1:] = w
    lags = [i for i in range(m + 1) if lw[i] > 0]          # the m tally lags
    scale = 2.0 ** (m - 1)                                   # tally * scale is an integer code
    n = int(2 ** m) + 1
    tab = np.ones((2, n))
    for a in (0, 1):
        for bits in itertools.product((0, 1), repeat=m):
            if include_current and bits[0] == 0:
                continue                                      # lag 0 is always the played arm
            x = sum(lw[i] for b, i in zip(bits, lags) if b)
            pattern = tuple(a if b else 1 - a for b in bits)
            tab[a, int(np.floor(x * scale + 0.5))] = 0.0 if pattern in rotations else 1.0
    return make_instance(w, ["table", "table"], [[scale], [scale]], include_current, noise, table=tab,
                         name=f"password(m={m})", info={"secret": s.tolist()})


def near_tie_instance(K: int, T: int, noise: str = "bernoulli") -> WTBInstance:
    """Instance 7.4: m = 1, all means 1/2 except arm 0 at 1/2 - sqrt(K/T)/4 (classical hard MAB).

    Parameters
    ----------
    K : int
        Number of arms (>= 2).
    T : int
        Horizon (>= K) the gap eps = sqrt(K/T)/4 is tuned to (the Omega(sqrt(KT)) construction).
    noise : {"bernoulli", "gaussian", "deterministic"}, default "bernoulli"
        Noise law.

    Returns
    -------
    WTBInstance
        K constant (``linear`` with slope 0) arms, memory 1; ``info`` holds ``best`` (0) and ``eps``.

    Examples
    --------
    >>> inst = near_tie_instance(4, 400)
    >>> round(float(inst.info["eps"]), 12), inst.full_means.round(12).tolist()
    (0.025, [0.475, 0.5, 0.5, 0.5])
    """
    K = check_int("K", K, minimum=2)
    T = check_int("T", T, minimum=K)
    eps = np.sqrt(K / T) / 4
    params = [[0.5, 0.0]] * K
    params[0] = [0.5 - eps, 0.0]
    return make_instance([1.0], ["linear"] * K, params, True, noise, name=f"near_tie(K={K},T={T})",
                         info={"best": 0, "eps": eps})
