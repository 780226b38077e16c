"""The m-player version of the SparseCCE reduction (docs/topics/games.md#the-reduction, m-player version [derived]).

Same single-state construction as :mod:`theorylab.games.sparse_cce` with ``m`` players and stage game
``u_i in [0, 1]`` (rewards ``u_i / H``); components are Markov product profiles ``x^t_h = (x^t_{0,h}, ...)``.
The deviation of player ``i`` aggregates over the joint opponent product; the log-loss bound is still
``ln T``, giving ``avg_{t,h} sum_i gap_i(x^t_h) <= m eps + m sqrt(ln T / (2 H))`` [derived]. This is what
the statistical lower bound of Foster, Golowich & Kakade (ICML 2023) combines with 2^Omega(m) query
lower bounds for Nash; the exponential lower bound itself is cited, not simulated.
"""

from __future__ import annotations

import numpy as np

from theorylab.core.validate import check_array, check_probability_vector
from theorylab.games import kernels_markov as kernels
from theorylab.games.normal_form import NormalFormGame

__all__ = ["multiplayer_cce_gaps", "multiplayer_extract", "check_components"]


def check_components(game: NormalFormGame, strategies, weights=None):
    """Validate ``strategies[i]`` of shape ``(T, H, A_i)`` (distributions) and weights of shape ``(T,)``.

    Parameters
    ----------
    game : NormalFormGame
        The m-player stage game (payoffs in [0, 1]).
    strategies : sequence of ndarray
        ``strategies[i]`` of shape (T, H, A_i): player i's step strategies per component.
    weights : array_like, optional
        Mixture weights (default uniform).

    Returns
    -------
    (list of ndarray, ndarray)
        The validated strategies and weights.
    """
    if not isinstance(game, NormalFormGame):
        raise TypeError(f"game must be a NormalFormGame, got {type(game).__name__}")
    if len(strategies) != game.n_players:
        raise ValueError(f"strategies must hold {game.n_players} arrays, got {len(strategies)}")
    out = []
    for i, s in enumerate(strategies):
        s = check_array(f"strategies[{i}]", s, ndim=3)
        if s.shape[2] != game.n_actions[i] or s.shape[:2] != np.shape(strategies[0])[:2]:
            raise ValueError(f"strategies[{i}] must have shape (T, H, {game.n_actions[i]}), got {s.shape}")
        out.append(check_probability_vector(f"strategies[{i}]", s))
    t = out[0].shape[0]
    w = np.full(t, 1.0 / t) if weights is None else check_probability_vector(
        "weights", check_array("weights", weights, shape=(t,)))
    return out, w


def multiplayer_cce_gaps(game: NormalFormGame, strategies, weights=None) -> np.ndarray:
    """Exact general CCE gaps (values in [0, 1]) of the mixture in the m-player repeated game (docs/topics/games.md#exact-evaluation).

    Parameters
    ----------
    game : NormalFormGame
        The m-player stage game (payoffs in [0, 1]).
    strategies : sequence of ndarray
        ``strategies[i]`` of shape (T, H, A_i).
    weights : array_like, optional
        Mixture weights (default uniform).

    Returns
    -------
    ndarray (m,)
        Each player's general CCE gap.
    """
    xs, w = check_components(game, strategies, weights)
    t_n, h_n = xs[0].shape[:2]
    m = game.n_players
    gaps = np.zeros(m)
    for i in range(m):
        others = [j for j in range(m) if j != i]
        n_opp = int(np.prod([game.n_actions[j] for j in others])) if others else 1
        gain = np.zeros((t_n, h_n, game.n_actions[i]))
        opp = np.ones((t_n, h_n, n_opp))
        own_val = 0.0
        for t in range(t_n):
            for h in range(h_n):
                prof = [xs[j][t, h] for j in range(m)]
                gain[t, h] = game.action_values(i, prof)
                own_val += w[t] * float(prof[i] @ gain[t, h])
                q = np.ones(())
                for j in others:
                    q = np.multiply.outer(q, prof[j])
                opp[t, h] = q.ravel()
        dev = kernels.aggregating_deviation_exact(gain, opp, w)
        gaps[i] = max((dev - own_val) / h_n, 0.0)
    return gaps


def multiplayer_extract(game: NormalFormGame, strategies, weights=None) -> dict:
    """Stage profile with the smallest sum of Nash gaps, and the weighted average the bound controls.

    Parameters
    ----------
    game : NormalFormGame
        The m-player stage game (payoffs in [0, 1]).
    strategies : sequence of ndarray
        ``strategies[i]`` of shape (T, H, A_i): player i's step strategies per component.
    weights : array_like, optional
        Mixture weights (default uniform).

    Returns
    -------
    dict
        ``t``, ``h``, the stage ``profile``, its ``gap_sum`` and the weighted average the bound controls.
    """
    xs, w = check_components(game, strategies, weights)
    t_n, h_n = xs[0].shape[:2]
    table = np.array([[game.nash_gap([x[t, h] for x in xs], "sum") for h in range(h_n)] for t in range(t_n)])
    t, h = np.unravel_index(int(np.argmin(table)), table.shape)
    return {"t": int(t), "h": int(h), "profile": [x[t, h].copy() for x in xs], "gap_sum": float(table[t, h]),
            "average_gap_sum": float(w @ table.mean(axis=1))}
