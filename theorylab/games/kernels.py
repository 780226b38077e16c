"""numba hot loops for the games topic (docs/topics/games.md#algorithms).

- :func:`selfplay_kernel`: one generic loop for ``m`` independent full-information learners in a normal-form
  game, specialised by the integer ``learner`` code (``HEDGE``, ``REGRET_MATCHING``, ``REGRET_MATCHING_PLUS``,
  ``OPTIMISTIC_HEDGE``, and ``FOLLOW_THE_LEADER`` used only as a deliberately broken learner).
- :func:`sequence_kernel`: the same learner update against a fixed utility sequence (adversarial checks).

Markov-game loops (aggregating deviation, V-learning) live in :mod:`theorylab.games.kernels_markov`.

All loops work on arrays; randomness comes from a ``numpy.random.Generator`` argument.
"""

from __future__ import annotations

import numpy as np
from numba import njit

HEDGE = 0
REGRET_MATCHING = 1
REGRET_MATCHING_PLUS = 2
OPTIMISTIC_HEDGE = 3
FOLLOW_THE_LEADER = 4
LEARNER_CODES = {"hedge": HEDGE, "regret_matching": REGRET_MATCHING, "regret_matching_plus": REGRET_MATCHING_PLUS,
                 "optimistic_hedge": OPTIMISTIC_HEDGE, "follow_the_leader": FOLLOW_THE_LEADER}


@njit(cache=True)
def _strategy(code, cum_u, last_u, reg, eta, t, out, optimism, power):
    """Fill ``out`` with the learner's next mixed action from its state (one player, ``A`` actions).

    ``optimism`` weights the last utility in optimistic Hedge's prediction (1 for the textbook method, 0
    gives plain Hedge); ``power`` is the exponent of regret matching's positive regrets (1 for the textbook
    method; large powers approach follow-the-leader).
    """
    a = out.shape[0]
    if code == HEDGE or code == OPTIMISTIC_HEDGE:
        e = eta
        if e <= 0.0:                      # anytime schedule eta_t = sqrt(8 ln A / t)
            e = np.sqrt(8.0 * np.log(max(a, 2)) / max(t, 1))
        mx = -1e300
        for k in range(a):
            s = cum_u[k] + (optimism * last_u[k] if code == OPTIMISTIC_HEDGE else 0.0)
            out[k] = e * s
            if out[k] > mx:
                mx = out[k]
        z = 0.0
        for k in range(a):
            out[k] = np.exp(out[k] - mx)
            z += out[k]
        for k in range(a):
            out[k] /= z
    elif code == REGRET_MATCHING or code == REGRET_MATCHING_PLUS:
        z = 0.0
        mx = 0.0
        for k in range(a):
            if reg[k] > mx:
                mx = reg[k]
        for k in range(a):
            if reg[k] > 0.0:
                out[k] = reg[k] if power == 1.0 else (reg[k] / mx) ** power
            else:
                out[k] = 0.0
            z += out[k]
        if z > 0.0:
            for k in range(a):
                out[k] /= z
        else:
            for k in range(a):
                out[k] = 1.0 / a
    else:                                  # follow the leader: best action so far, lowest index on ties
        best = 0
        for k in range(1, a):
            if cum_u[k] > cum_u[best]:
                best = k
        for k in range(a):
            out[k] = 0.0
        out[best] = 1.0


@njit(cache=True)
def _observe(code, u, x, cum_u, last_u, reg):
    """Update one player's state with the utility vector ``u`` observed while playing ``x``; returns <x,u>."""
    a = u.shape[0]
    val = 0.0
    for k in range(a):
        val += x[k] * u[k]
    for k in range(a):
        cum_u[k] += u[k]
        last_u[k] = u[k]
        r = u[k] - val
        if code == REGRET_MATCHING_PLUS:
            reg[k] = max(reg[k] + r, 0.0)
        else:
            reg[k] += r
    return val


@njit(cache=True)
def _contract_all_but(u, x, n_actions, i, buf_a, buf_b, out):
    """``out[a_i] = sum_{a_-i} u[a] prod_{j != i} x[j, a_j]`` for a flat C-order payoff ``u``.

    Contracts axes m-1, ..., 0 (skipping i) one at a time, viewing the current tensor as (P, A_j, Q):
    about |A| multiply-adds per player instead of m |A| for a per-joint-action product.
    """
    m = n_actions.shape[0]
    size = u.shape[0]
    q = 1
    src = u
    use_a = True
    for j in range(m - 1, -1, -1):
        aj = n_actions[j]
        if j == i:
            q *= aj
            continue
        p = size // (aj * q)
        dst = buf_a if use_a else buf_b
        for pp in range(p):
            for qq in range(q):
                acc = 0.0
                base = pp * aj * q + qq
                for k in range(aj):
                    acc += src[base + k * q] * x[j, k]
                dst[pp * q + qq] = acc
        src = dst
        use_a = not use_a
        size = p * q
    for k in range(n_actions[i]):
        out[k] = src[k]


@njit(cache=True)
def selfplay_kernel(payoffs, act, n_actions, code, T, eta, init_u, record_every, track_joint, strat_out, optimism,
                    power):
    """Self-play of ``m`` independent learners with expected-utility (full-information) feedback.

    Parameters
    ----------
    payoffs : (m, N) float array, flattened joint actions (C order)
    act : (m, N) int array, ``act[i, a]`` = player i's action in joint action a
    n_actions : (m,) int array
    code : int, learner code
    T : int, rounds
    eta : (m,) float, step sizes (<= 0 means the anytime schedule sqrt(8 ln A / t))
    init_u : (m, Amax) float, initial cumulative utilities (zero for the textbook learners)
    record_every : int, regret trace resolution
    track_joint : bool, accumulate the time-averaged joint distribution (costs O(N m) per round)
    strat_out : (T_rec, m, Amax) float array; if T_rec == T, strategies of every round are stored
    optimism, power : float, optimistic Hedge's weight on the last utility and regret matching's exponent

    Returns
    -------
    regret_trace : (T // record_every, m) cumulative regret after rounds record_every, 2 record_every, ...
    cum_u : (m, Amax) cumulative utility vectors; cum_val : (m,) cumulative expected payoff
    joint : (N,) sum over rounds of the product distribution (zeros unless track_joint)
    """
    m, n = payoffs.shape
    amax = init_u.shape[1]
    x = np.zeros((m, amax))
    cum_u = init_u.copy()
    last_u = np.zeros((m, amax))
    reg = np.zeros((m, amax))
    cum_val = np.zeros(m)
    u = np.zeros((m, amax))
    joint = np.zeros(n)
    buf_a = np.zeros(n)
    buf_b = np.zeros(n)
    n_rec = T // record_every
    trace = np.zeros((n_rec, m))
    store_all = strat_out.shape[0] == T
    for t in range(T):
        for i in range(m):
            _strategy(code, cum_u[i, :n_actions[i]], last_u[i, :n_actions[i]], reg[i, :n_actions[i]], eta[i], t + 1,
                      x[i, :n_actions[i]], optimism, power)
            if store_all:
                strat_out[t, i, :n_actions[i]] = x[i, :n_actions[i]]
        for i in range(m):
            _contract_all_but(payoffs[i], x, n_actions, i, buf_a, buf_b, u[i])
        if track_joint:
            for a in range(n):
                p = 1.0
                for i in range(m):
                    p *= x[i, act[i, a]]
                joint[a] += p
        for i in range(m):
            cum_val[i] += _observe(code, u[i, :n_actions[i]], x[i, :n_actions[i]], cum_u[i, :n_actions[i]],
                                   last_u[i, :n_actions[i]], reg[i, :n_actions[i]])
        if (t + 1) % record_every == 0:
            r = (t + 1) // record_every - 1
            for i in range(m):
                best = -1e300
                for k in range(n_actions[i]):
                    if cum_u[i, k] - init_u[i, k] > best:
                        best = cum_u[i, k] - init_u[i, k]
                trace[r, i] = best - cum_val[i]
    for i in range(m):
        for k in range(amax):
            cum_u[i, k] -= init_u[i, k]
    return trace, cum_u, cum_val, joint


@njit(cache=True)
def sequence_kernel(utilities, code, eta, optimism, power):
    """One learner against a fixed utility sequence ``utilities`` (T, A); returns the regret after each round."""
    T, a = utilities.shape
    x = np.zeros(a)
    cum_u = np.zeros(a)
    last_u = np.zeros(a)
    reg = np.zeros(a)
    cum_val = 0.0
    out = np.zeros(T)
    for t in range(T):
        _strategy(code, cum_u, last_u, reg, eta, t + 1, x, optimism, power)
        cum_val += _observe(code, utilities[t], x, cum_u, last_u, reg)
        out[t] = cum_u.max() - cum_val
    return out
