"""V-learning (docs/topics/games.md#v-learning) and the exact CCE gap of its certified output policy.

V-learning (Jin, Liu, Wang & Yu 2021, arXiv 2110.14555; Song, Mei & Bai, ICLR 2022) is the decentralised
learner contrasted in Foster, Golowich & Kakade (ICML 2023): its guarantee is an eps-CCE, but the CCE is a
correlated, history-dependent *certified* policy that resamples a past episode index at every step,
not a sparse mixture of the product policies it executed. Constants (bonus, bandit rates) are
**[recalled]** (docs/topics/games.md#v-learning); the certified-policy indexing convention (visits up to and including
episode k; uniform play once a (h, s) has no recorded visit) is our **[reconstruction]**.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from theorylab.core.seeding import check_seeds
from theorylab.core.streams import init_states, seed_state
from theorylab.core.validate import check_int, check_real
from theorylab.games import kernels_markov as kernels
from theorylab.games.markov import MarkovGame

__all__ = ["VLearningResult", "vlearning", "vlearning_runs", "certified_cce_gaps", "certified_value"]


@dataclass(frozen=True)
class VLearningResult:
    """Tables recorded by :func:`vlearning` (see :func:`theorylab.games.kernels_markov.vlearning_kernel`).

    Parameters
    ----------
    pol : ndarray (m, H, S, K, A_max)
        Each player's policy at (step, state) stored at every visit.
    ep : ndarray (H, S, K)
        Episode index of each stored visit.
    count : ndarray (H, S)
        Visits per (step, state).
    values : ndarray (m, H + 1, S)
        Final optimistic value estimates (per-step reward scale [0, 1]).
    episodes : int
        K.
    """

    pol: np.ndarray          # (m, H, S, K, Amax)
    ep: np.ndarray           # (H, S, K)
    count: np.ndarray        # (H, S)
    values: np.ndarray       # (m, H + 1, S) optimistic estimates, per-step reward scale [0, 1]
    episodes: int


def _kernel_inputs(game, episodes, bonus, delta):
    """Validated, fixed-type kernel arguments (one compiled specialisation of the kernel)."""
    if not isinstance(game, MarkovGame):
        raise TypeError(f"game must be a MarkovGame, got {type(game).__name__}")
    k = check_int("episodes", episodes, minimum=1)
    bonus = check_real("bonus", bonus, minimum=0.0)
    delta = check_real("delta", delta, minimum=0.0, maximum=1.0, strict_min=True)
    h = game.horizon
    r = game.R * h
    if r.min() < -1e-12 or r.max() > 1 + 1e-12:
        raise ValueError("game rewards must lie in [0, 1/H] for V-learning")
    iota = float(np.log(game.n_players * game.n_states * max(game.n_actions) * k * h / delta))
    return (np.ascontiguousarray(game.P, dtype=np.float64), np.ascontiguousarray(np.clip(r, 0, 1), dtype=np.float64),
            np.asarray(game.n_actions, dtype=np.int64), np.ascontiguousarray(game.mu1, dtype=np.float64),
            int(k), float(bonus), float(iota))


def _run_kernel(game, episodes, bonus, delta, learn, states):
    args = _kernel_inputs(game, episodes, bonus, delta)
    pol, ep, count, v = kernels.vlearning_kernel(*args, bool(learn), states)
    k = args[4]
    return [VLearningResult(pol[r], ep[r], count[r], v[r], k) for r in range(states.size)]


def vlearning(game: MarkovGame, episodes: int, bonus: float = 1.0, seed=0, delta: float = 0.1,
              learn: bool = True) -> VLearningResult:
    """Run V-learning for ``episodes`` episodes on ``game`` (rewards rescaled by ``H`` to per-step [0, 1]).

    V-learning of Jin, Liu, Wang & Yu (2021), the decentralised baseline of Foster, Golowich & Kakade
    (ICML 2023); one run of :func:`vlearning_runs`.

    Parameters
    ----------
    game : MarkovGame with rewards in [0, 1/H]
    episodes : int
        ``K``.
    bonus : float
        ``c`` in ``beta_t = c sqrt(H^3 A iota / t)``; ``iota = ln(m S A_max K H / delta)`` (docs/topics/games.md#v-learning).
    seed : int, numpy.random.SeedSequence or numpy.random.Generator
        The run's random stream (:mod:`theorylab.core.streams`): an int ``n`` means ``SeedSequence(n)``, and a
        SeedSequence ``ss`` gives the same run as ``vlearning_runs(game, episodes, [ss])[0]``. A Generator
        is not used inside the kernel: one uint64 is drawn from it (advancing it by one draw) and taken as
        the stream state.
    delta : float
        Confidence parameter in ``iota``, in (0, 1].
    learn : bool
        False freezes every bandit at uniform play (a deliberately broken learner for the ``breaks``).

    Returns
    -------
    VLearningResult
        Stored per-visit policies and counts for the certified policy.

    Raises
    ------
    TypeError
        For a ``game`` that is not a MarkovGame or a ``seed`` of another type.
    ValueError
        For ``episodes < 1``, a negative ``bonus`` or ``seed``, ``delta`` outside (0, 1], or rewards outside
        [0, 1/H].

    Examples
    --------
    >>> from theorylab.games.markov import random_markov_game
    >>> res = vlearning(random_markov_game(2, (2, 2), 2, seed=0), 50)
    >>> int(res.count[0].sum())
    50
    """
    states = np.array([seed_state(seed)], dtype=np.uint64)
    return _run_kernel(game, episodes, bonus, delta, learn, states)[0]


def vlearning_runs(game: MarkovGame, episodes: int, seeds, bonus: float = 1.0, delta: float = 0.1,
                   learn: bool = True) -> list:
    """V-learning (Jin, Liu, Wang & Yu 2021) for a batch of runs, one compiled kernel call for all of them.

    Run r draws only from its own stream ``init_states(seeds)[r]`` (:mod:`theorylab.core.streams`), so its
    tables do not depend on the batch it is run in.

    Parameters
    ----------
    game : MarkovGame with rewards in [0, 1/H]
        The game.
    episodes : int
        ``K``, the same for every run.
    seeds : sequence of numpy.random.SeedSequence
        One per run (:func:`theorylab.core.seeding.repetition_seeds`); checked by
        :func:`theorylab.core.seeding.check_seeds`.
    bonus, delta, learn
        As in :func:`vlearning`.

    Returns
    -------
    list of VLearningResult
        One per seed, in order; the tables are views into arrays stacked over the runs.

    Examples
    --------
    >>> from theorylab.core.seeding import repetition_seeds
    >>> from theorylab.games.markov import random_markov_game
    >>> g = random_markov_game(2, (2, 2), 2, seed=0)
    >>> runs = vlearning_runs(g, 50, repetition_seeds(0, "doc", 3))
    >>> [int(r.count[0].sum()) for r in runs]
    [50, 50, 50]
    >>> seeds = repetition_seeds(0, "doc", 3)
    >>> bool((vlearning(g, 50, seed=seeds[2]).pol == runs[2].pol).all())
    True
    """
    states = init_states(check_seeds(seeds))
    return _run_kernel(game, episodes, bonus, delta, learn, states)


def _alphas(horizon: int, n: int) -> np.ndarray:
    t = np.arange(1, n + 1, dtype=float)
    return (horizon + 1.0) / (horizon + t)


def _uniform_tables(game: MarkovGame, i: int):
    """Per-step-scale values from (h, s) onward when everyone plays uniformly (on-policy) and for player
    i's best response to uniform opponents."""
    hh, s_n = game.horizon, game.n_states
    r = game.R[i] * hh
    on = np.zeros((hh + 1, s_n))
    dev = np.zeros((hh + 1, s_n))
    own = game.act[i]
    for h in range(hh - 1, -1, -1):
        q_on = r[h] + game.P[h] @ on[h + 1]
        q_dev = r[h] + game.P[h] @ dev[h + 1]
        on[h] = q_on.mean(axis=1)
        per = np.zeros((s_n, game.n_actions[i]))
        np.add.at(per.T, own, q_dev.T)
        dev[h] = (per / (game.n_joint / game.n_actions[i])).max(axis=1)
    return on, dev


def certified_value(game: MarkovGame, res: VLearningResult, i: int, deviate: bool) -> float:
    """Value for player ``i`` of the certified policy (``deviate=False``) or of player ``i``'s best general
    (history-dependent) deviation from it (``deviate=True``), in [0, 1] units. Exact, by walking the tree
    of histories ``(s_h, a_-i,h)`` with an unnormalised belief over the shared episode index (docs/topics/games.md#v-learning).
    Cost ``O((S |A|)^H K)``: ``H <= 4`` tiny games only.

    Parameters
    ----------
    game : MarkovGame
        The game.
    res : VLearningResult
        A V-learning run.
    i : int
        Player.
    deviate : bool
        Value of player i's best general deviation instead of the certified play.

    Returns
    -------
    float
        The value.
    """
    i = check_int("i", i, 0, game.n_players - 1)
    hh, K = game.horizon, res.episodes
    n_max = int(res.count.max())
    alpha = _alphas(hh, max(n_max, 1))
    log_d = np.concatenate([[0.0], np.cumsum(np.log1p(-alpha[1:]))]) if n_max > 1 else np.zeros(1)
    # cnt_le[h, s, k] = visits of (h, s) in episodes 0..k
    cnt_le = np.zeros((hh, game.n_states, K), dtype=np.int64)
    for h in range(hh):
        for s in range(game.n_states):
            c = res.count[h, s]
            hits = np.zeros(K, dtype=np.int64)
            hits[res.ep[h, s, :c]] = 1
            cnt_le[h, s] = np.cumsum(hits)
    r = game.R[i] * hh
    on_u, dev_u = _uniform_tables(game, i)
    unif = dev_u if deviate else on_u
    own = game.act[i]
    others = [j for j in range(game.n_players) if j != i]

    def visit_mass(h, s, w):
        n = int(res.count[h, s])
        b = np.bincount(cnt_le[h, s], weights=w, minlength=n + 1)
        if n == 0:
            return np.zeros(0), b[0]
        bt = b[1:n + 1]
        d = np.exp(log_d[:n] - log_d[:n].max()) if n > 0 else np.ones(0)
        # C_i = sum_{t >= i} B_t prod_{j=i+1}^t (1 - alpha_j) = (1/D_i) sum_{t>=i} B_t D_t
        rev = np.cumsum((bt * d)[::-1])[::-1]
        return alpha[:n] * rev / d, b[0]

    def node(h, s, w):
        if h == hh:
            return 0.0
        mass, zero = visit_mass(h, s, w)
        total = zero * unif[h, s]
        n = mass.size
        if n == 0 or mass.sum() <= 0:
            return total
        opp = np.ones((n, game.n_joint))
        for j in others:
            opp *= res.pol[j, h, s, :n][:, game.act[j]]
        own_p = res.pol[i, h, s, :n][:, own]                 # (n, |A|)
        eps_k = res.ep[h, s, :n]
        per_b = np.zeros(game.n_actions[i])
        for a in range(game.n_joint):
            wv = mass * opp[:, a] * (1.0 if deviate else own_p[:, a])
            m_a = wv.sum()
            if m_a <= 0:
                continue
            v = m_a * r[h, s, a]
            for s2 in np.flatnonzero(game.P[h, s, a] > 0):
                child = np.zeros(K)
                child[eps_k] = wv * game.P[h, s, a, s2]
                v += node(h + 1, int(s2), child)
            per_b[own[a]] += v
        return total + (per_b.max() if deviate else per_b.sum())

    w0 = np.full(K, 1.0 / K)
    val = sum(game.mu1[s] * node(0, int(s), w0) for s in np.flatnonzero(game.mu1 > 0))
    return float(val / hh)


def certified_cce_gaps(game: MarkovGame, res: VLearningResult) -> np.ndarray:
    """Per-player general CCE gaps ``Dev_i - V_i`` of V-learning's certified policy (values in [0, 1]).

    Parameters
    ----------
    game : MarkovGame
        The game.
    res : VLearningResult
        A V-learning run.

    Returns
    -------
    ndarray
        Exact general CCE gap of the certified policy, per player.
    """
    return np.array([max(certified_value(game, res, i, True) - certified_value(game, res, i, False), 0.0)
                     for i in range(game.n_players)])


def __getattr__(name):
    # compatibility: the slow reference moved to theorylab.games.reference (imported lazily: it imports us)
    if name == "reference_vlearning":
        from theorylab.games.reference import reference_vlearning
        return reference_vlearning
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
