"""Exact comparators of complete policy regret (docs/topics/tallying.md#complete-policy-regret).

- :func:`fixed_arm_losses` G_a(t): total mean loss of playing arm a from cold for t steps;
- :func:`opt_fixed` C_const(t) = min_a G_a(t), the fixed-arm comparator (warm-up included);
- :func:`opt_sequence` OPT_seq(t), the best action sequence of length t, by dynamic programming over
  the last lags of the window (small instances only);
- :func:`warmup_slack` the exact slack C_const(T) - T mu* of the fixed-arm comparator.

Under REO (per-step form), T mu* <= OPT_seq(T) <= C_const(T) <= T mu* + warmup (f*_max - mu*), where
warmup = m - 1 (include_current) or m (lags 1..m) and f*_max is the largest loss of a* over its cold
tallies: derived in docs/topics/tallying.md#the-chain (the form T mu* + (m - 1)(f_max - mu*) holds only under
``include_current=True``).
"""

from __future__ import annotations

import numpy as np

from theorylab.bandits.tallying.instances import WTBInstance
from theorylab.core.validate import check_int

__all__ = ["fixed_arm_losses", "opt_fixed", "opt_sequence", "warmup_slack", "chain_slack_bound", "DP_MAX_STATES"]

DP_MAX_STATES = 200_000


def _check(inst):
    if not isinstance(inst, WTBInstance):
        raise TypeError(f"inst must be a WTBInstance, got {type(inst).__name__}")


def fixed_arm_losses(inst: WTBInstance, T: int) -> np.ndarray:
    """G (K, T): G[a, t-1] = sum_{s<=t} f_a(tally of the s-th consecutive play of a from cold).

    The first m + 1 plays come from ``inst.prefix_losses()``; every later play is at full tally, loss mu_a.

    Parameters
    ----------
    inst : WTBInstance
        The instance (any memory; cost O(K T)).
    T : int
        Horizon (>= 1).

    Returns
    -------
    numpy.ndarray of float, shape (K, T)
        Cumulative mean loss of playing each arm a alone for t = 1..T steps, warm-up included.

    Examples
    --------
    >>> from theorylab.bandits.tallying.hard_instances import hidden_practice_instance
    >>> fixed_arm_losses(hidden_practice_instance(2, 3, best=0), 5)[0].tolist()
    [1.0, 2.0, 2.0, 2.0, 2.0]
    """
    _check(inst)
    T = check_int("T", T, minimum=1)
    pre = inst.prefix_losses()                      # (K, m + 2), column k = first k plays
    L = inst.m + 1
    t = np.arange(1, T + 1)
    head = pre[:, np.minimum(t, L)]
    tail = np.maximum(0, t - L)[None, :] * inst.full_means[:, None]
    return head + tail


def opt_fixed(inst: WTBInstance, T: int) -> np.ndarray:
    """C_const(t) for t = 1..T: the best fixed arm repeated from cold, warm-up included.

    Parameters
    ----------
    inst : WTBInstance
        The instance.
    T : int
        Horizon (>= 1).

    Returns
    -------
    numpy.ndarray of float, shape (T,)
        min_a G_a(t) of :func:`fixed_arm_losses` at each t; the best arm may change with t (a fresh arm
        can beat a* over short horizons). The comparator of ``RunResult.cpr_const``.

    Examples
    --------
    >>> from theorylab.bandits.tallying.hard_instances import hidden_practice_instance
    >>> opt_fixed(hidden_practice_instance(2, 3, best=0), 4).tolist()
    [1.0, 2.0, 2.0, 2.0]
    """
    return fixed_arm_losses(inst, T).min(axis=0)


def opt_sequence(inst: WTBInstance, T: int) -> np.ndarray:
    """OPT_seq(t) for t = 1..T: min over all action sequences of their total mean loss, exactly.

    Dynamic programming over the window state: the state is the actions at the past lags
    that carry weight (lags 1..m-1 under ``include_current``, 1..m otherwise), each in {0..K-1} or
    "none" before t = 1. Cost O(T (K+1)^L K) for L such lags; refused above :data:`DP_MAX_STATES`.

    Parameters
    ----------
    inst : WTBInstance
        A small instance: (K + 1)^L <= :data:`DP_MAX_STATES`, else ValueError.
    T : int
        Horizon (>= 1).

    Returns
    -------
    numpy.ndarray of float, shape (T,)
        OPT_seq(t), the least total mean loss of any length-t action sequence from cold; the comparator
        of ``RunResult.cpr_seq``.

    Examples
    --------
    >>> from theorylab.bandits.tallying.hard_instances import hidden_practice_instance
    >>> opt_sequence(hidden_practice_instance(2, 3, best=1), 6).tolist()
    [1.0, 2.0, 2.0, 2.0, 2.0, 2.0]
    """
    _check(inst)
    T = check_int("T", T, minimum=1)
    K, lw = inst.K, inst.lag_weights
    L = int(np.max(np.nonzero(lw)[0])) if np.any(lw[1:] > 0) else 0   # deepest lag with weight
    B = K + 1                                                          # digit K = "none"
    n_states = B ** L
    if n_states > DP_MAX_STATES:
        raise ValueError(f"opt_sequence needs (K+1)^L = {n_states} states (> {DP_MAX_STATES}); use a smaller "
                         f"instance or the bound opt_fixed")
    digits = np.zeros((n_states, max(L, 1)), dtype=np.int64)          # digits[:, i-1] = action at lag i
    code = np.arange(n_states)
    for i in range(L):
        digits[:, i] = code % B
        code = code // B
    cost = np.empty((n_states, K))
    nxt = np.empty((n_states, K), dtype=np.int64)
    for a in range(K):
        x = np.full(n_states, lw[0])
        for i in range(1, L + 1):                   # left-to-right, as every tally of the topic
            x = x + np.where(digits[:, i - 1] == a, lw[i], 0.0)
        cost[:, a] = inst.loss(a, x)
        if L == 0:
            nxt[:, a] = 0
        else:                                       # shift: lag i+1 <- lag i, lag 1 <- a
            shifted = np.concatenate([np.full((n_states, 1), a), digits[:, : L - 1]], axis=1)
            nxt[:, a] = (shifted * (B ** np.arange(L))[None, :]).sum(axis=1)
    cold = (B ** np.arange(L) * K).sum() if L > 0 else 0
    value = np.full(n_states, np.inf)
    value[cold] = 0.0
    out = np.empty(T)
    for t in range(T):
        new = np.full(n_states, np.inf)
        live = np.isfinite(value)
        for a in range(K):
            np.minimum.at(new, nxt[live, a], value[live] + cost[live, a])
        value = new
        out[t] = value.min()
    return out


def warmup_slack(inst: WTBInstance, T: int) -> float:
    """C_const(T) - T mu*: what the fixed-arm comparator pays above the repeated-exposure optimum.

    Parameters
    ----------
    inst : WTBInstance
        The instance.
    T : int
        Horizon (>= 1).

    Returns
    -------
    float
        opt_fixed(inst, T)[-1] - T mu*; under REO it lies in [0, :func:`chain_slack_bound`].

    Examples
    --------
    >>> from theorylab.bandits.tallying.hard_instances import hidden_practice_instance
    >>> warmup_slack(hidden_practice_instance(2, 3, best=0), 10)
    2.0
    """
    return float(opt_fixed(inst, T)[-1] - check_int("T", T, minimum=1) * inst.mu_star)


def chain_slack_bound(inst: WTBInstance, scale: float = 1.0) -> float:
    """Upper end of the chain: warmup (f*_max - mu*), warmup = m - 1 or m by the lag convention [derived].

    f*_max is the largest mean loss of a* = argmin_a f_a(W) over its cold tallies; ``scale`` multiplies
    the warm-up count (a claim's break). Derivation: playing a* from cold pays f_{a*} at the
    ``warmup`` partial tallies and mu* afterwards (docs/topics/tallying.md#the-chain).

    Parameters
    ----------
    inst : WTBInstance
        The instance (no REO check here; the bound assumes REO).
    scale : float, default 1.0
        Multiplier of the warm-up count; 1 is the derived bound.

    Returns
    -------
    float
        scale x ``inst.warmup`` x (f*_max - mu*), the upper bound on C_const(T) - T mu* for every T.

    Examples
    --------
    >>> from theorylab.bandits.tallying.hard_instances import hidden_practice_instance
    >>> chain_slack_bound(hidden_practice_instance(2, 3, best=0))
    2.0
    """
    _check(inst)
    best = int(np.argmin(inst.full_means))
    fmax = float(inst.loss(best, inst.cold_tallies).max())
    return float(scale * inst.warmup * (fmax - inst.mu_star))
