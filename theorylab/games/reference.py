"""Slow pure-numpy references of the games kernels, used only by tests (docs/topics/games.md#algorithms).

- :func:`reference_selfplay`: full-information self-play of the no-regret learners (deterministic), the
  reference of :func:`theorylab.games.learners.selfplay`;
- :func:`reference_vlearning`: V-learning (Jin, Liu, Wang & Yu 2021) one run at a time, in plain numpy,
  the reference of :func:`theorylab.games.vlearning.vlearning`. It draws from the same per-run stream of
  :mod:`theorylab.core.streams` as the kernel, in the same order (the njit sampler
  :func:`~theorylab.core.streams.uniform` called from Python), so the same seed gives the same tables.

Both were defined in :mod:`theorylab.games.learners` and :mod:`theorylab.games.vlearning`, which still
re-export them. [OURS: the reference implementations.]
"""

from __future__ import annotations

import numpy as np

from theorylab.core import streams
from theorylab.core.streams import seed_state
from theorylab.games.learners import _check_common, _check_variant
from theorylab.games.markov import MarkovGame
from theorylab.games.normal_form import NormalFormGame
from theorylab.games.vlearning import VLearningResult, _kernel_inputs

__all__ = ["reference_selfplay", "reference_vlearning"]


def reference_selfplay(game: NormalFormGame, learner: str, horizon: int, eta=None, optimism: float = 1.0,
                       power: float = 1.0):
    """Slow pure-numpy self-play (tests only): returns (regrets, average joint distribution, strategies).

    Parameters
    ----------
    game : NormalFormGame
        The game.
    learner : str
        One of :data:`theorylab.games.learners.LEARNERS`.
    horizon : int
        Rounds.
    eta : float or array, optional
        Step(s).
    optimism : float
        As in :func:`theorylab.games.learners.selfplay`.
    power : float
        As in :func:`theorylab.games.learners.selfplay`.

    Returns
    -------
    tuple
        (regrets per player, average joint distribution, strategies per round).

    Examples
    --------
    >>> from theorylab.games.learners import selfplay
    >>> from theorylab.games.normal_form import shapley_game
    >>> reg, joint, _ = reference_selfplay(shapley_game(), "hedge", 50)
    >>> bool(np.allclose(reg, selfplay(shapley_game(), "hedge", 50).regrets, atol=1e-10))
    True
    """
    horizon, eta_arr = _check_common(game, learner, horizon, eta)
    optimism, power = _check_variant(learner, optimism, power)
    m = game.n_players
    cum = [np.zeros(a) for a in game.n_actions]
    last = [np.zeros(a) for a in game.n_actions]
    reg = [np.zeros(a) for a in game.n_actions]
    val = np.zeros(m)
    joint = np.zeros(game.n_actions)
    strategies = [[] for _ in range(m)]
    for t in range(1, horizon + 1):
        xs = []
        for i, a in enumerate(game.n_actions):
            if learner in ("hedge", "optimistic_hedge"):
                e = eta_arr[i] if eta_arr[i] > 0 else np.sqrt(8 * np.log(max(a, 2)) / t)
                s = e * (cum[i] + (optimism * last[i] if learner == "optimistic_hedge" else 0))
                p = np.exp(s - s.max())
                xs.append(p / p.sum())
            elif learner in ("regret_matching", "regret_matching_plus"):
                p = np.maximum(reg[i], 0)
                p = p if power == 1.0 or p.max() <= 0 else (p / p.max()) ** power
                xs.append(p / p.sum() if p.sum() > 0 else np.full(a, 1 / a))
            else:
                p = np.zeros(a)
                p[int(np.argmax(cum[i]))] = 1
                xs.append(p)
        for i in range(m):
            strategies[i].append(xs[i])
            u = game.action_values(i, xs)
            v = float(xs[i] @ u)
            val[i] += v
            cum[i] += u
            last[i] = u
            reg[i] = np.maximum(reg[i] + u - v, 0) if learner == "regret_matching_plus" else reg[i] + u - v
        joint += game.product_distribution(xs)
    regrets = np.array([cum[i].max() - val[i] for i in range(m)])
    return regrets, joint / horizon, [np.array(s) for s in strategies]


def reference_vlearning(game: MarkovGame, episodes: int, bonus: float = 1.0, seed=0, delta: float = 0.1,
                        learn: bool = True) -> VLearningResult:
    """Slow pure-numpy V-learning (Jin, Liu, Wang & Yu 2021), one run: same stream and draw order as
    :func:`theorylab.games.kernels_markov.vlearning_kernel`, so the same tables as
    :func:`theorylab.games.vlearning.vlearning` for the same ``seed``.

    Parameters
    ----------
    game : MarkovGame
        Rewards in [0, 1/H].
    episodes : int
        ``K``.
    bonus : float
        Bonus constant ``c``.
    seed : int, numpy.random.SeedSequence or numpy.random.Generator
        As in :func:`theorylab.games.vlearning.vlearning` (one stream state).
    delta : float
        Confidence parameter in ``iota``.
    learn : bool
        False freezes the bandits at uniform play.

    Returns
    -------
    VLearningResult
        The run's tables.

    Examples
    --------
    >>> from theorylab.games.markov import random_markov_game
    >>> from theorylab.games.vlearning import vlearning
    >>> g = random_markov_game(2, (2, 2), 2, seed=0)
    >>> bool(np.array_equal(reference_vlearning(g, 20, seed=4).ep, vlearning(g, 20, seed=4).ep))
    True
    """
    state = seed_state(seed)
    _, r, _, _, k_n, bonus, iota = _kernel_inputs(game, episodes, bonus, delta)
    hh, s_n, m = game.horizon, game.n_states, game.n_players
    amax = max(game.n_actions)
    pol = np.zeros((m, hh, s_n, k_n, amax))
    ep = np.full((hh, s_n, k_n), -1, dtype=np.int64)
    count = np.zeros((hh, s_n), dtype=np.int64)
    v = np.zeros((m, hh + 1, s_n))
    v[:, :hh] = (hh - np.arange(hh))[None, :, None]
    vt = v.copy()
    lbar = [np.zeros((hh, s_n, a)) for a in game.n_actions]
    cur = [np.full((hh, s_n, a), 1.0 / a) for a in game.n_actions]

    def draw(p):
        nonlocal state
        s2, u = streams.uniform(state)
        state = np.uint64(s2)              # keep the state a numpy uint64 (numba types a Python int as int64)
        idx = int(np.searchsorted(np.cumsum(p), u, side="left"))
        return min(idx, p.size - 1)

    for k in range(k_n):
        s = draw(game.mu1)
        for h in range(hh):
            count[h, s] += 1
            t = count[h, s]
            ep[h, s, t - 1] = k
            acts = []
            for i in range(m):
                pol[i, h, s, t - 1, :game.n_actions[i]] = cur[i][h, s]
                acts.append(draw(cur[i][h, s]))
            af = game.flatten(acts)
            s2 = draw(game.P[h, s, af])
            alpha = (hh + 1.0) / (hh + t)
            alpha_prev = (hh + 1.0) / (hh + t - 1.0) if t > 1 else 1.0
            for i, ai in enumerate(game.n_actions):
                beta = bonus * np.sqrt(hh ** 3 * ai * iota / t)
                vt[i, h, s] = (1 - alpha) * vt[i, h, s] + alpha * (r[i, h, s, af] + v[i, h + 1, s2] + beta)
                v[i, h, s] = min(hh - h, vt[i, h, s])
                if not learn:
                    continue
                loss = (hh - r[i, h, s, af] - v[i, h + 1, s2]) / hh
                gam = np.sqrt(hh * np.log(max(ai, 2)) / (ai * t))
                lbar[i][h, s] *= alpha_prev * (1 - alpha) / alpha if t > 1 else 0.0
                lbar[i][h, s, acts[i]] += loss / (cur[i][h, s, acts[i]] + gam)
                z = np.exp(-gam * (lbar[i][h, s] - lbar[i][h, s].min()))
                cur[i][h, s] = z / z.sum()
            s = s2
    return VLearningResult(pol, ep, count, v, k_n)
