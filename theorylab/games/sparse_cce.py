"""The SparseCCE reduction: bimatrix Nash -> sparse CCE of a one-state H-step Markov game (docs/topics/games.md#the-reduction).

Foster, Golowich & Kakade (ICML 2023) prove SparseCCE hard by showing that any algorithm computing a
CCE that is a mixture of few product policies yields approximate Nash equilibria of normal-form games,
via aggregation (Bayesian mixture under log loss). This module implements our **[derived]**
two-player, Markov-component version ("Theorem R"; the paper's exact construction and constants are
[unverified]). It covers **Markov product components only**, a sub-case of the paper's SparseCCE, whose
components may be history-dependent product policies; for those the argument fails
(:func:`folk_theorem_counterexample`), so nothing here shows hardness for history-dependent components:

- :func:`repeated_game`: ``G(M, H)``, one state, rewards ``M/H`` (values in [0, 1]);
- :class:`SparseMixture`: ``T`` Markov product components ``(x^t_h, y^t_h)`` with weights ``lambda``;
- :func:`cce_gaps`: exact (or Monte Carlo) CCE gaps against general (history-dependent) deviations -- the
  Bayes-aggregating deviation is optimal here (docs/topics/games.md#exact-evaluation) -- and against Markov deviations;
- :func:`extract_nash`: the (t, h) whose stage profile has the smallest NashGapSum;
- guarantee: ``avg_{t,h} NashGapSum <= 2 eps + sqrt(2 ln T / H)`` (:func:`theorylab.games.bounds.reduction_bound`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from theorylab.core.streams import seed_state
from theorylab.core.validate import check_array, check_choice, check_int, check_probability_vector
from theorylab.games import kernels_markov as kernels
from theorylab.games.equilibria import as_bimatrix
from theorylab.games.markov import MarkovGame, Mixture, ProductPolicy

__all__ = ["repeated_game", "SparseMixture", "mixture_values", "cce_gaps", "stage_gap_table", "extract_nash",
           "Extraction", "mixture_from_selfplay", "random_mixture", "iid_cce_mixture", "EXACT_LIMIT",
           "aggregating_posterior", "folk_theorem_counterexample"]

# method="auto": exact enumeration when |A_-i|^H T <= EXACT_LIMIT (ours), and also whenever it is cheaper
# than Monte Carlo at the requested sample size (|A_-i|^H <= n_samples * H: both cost O(T n) per node / step).
EXACT_LIMIT = 10_000_000


def repeated_game(game, horizon: int) -> MarkovGame:
    """``G(M, H)`` (docs/topics/games.md#the-reduction): one state, ``P = 1``, ``R_i = M_i / H``; payoffs must lie in [0, 1].

    >>> from theorylab.games.normal_form import matching_pennies
    >>> repeated_game(matching_pennies(), 4).horizon
    4

    Parameters
    ----------
    game : NormalFormGame
        The two-player stage game (payoffs in [0, 1]).
    horizon : int
        H.

    Returns
    -------
    MarkovGame
        G(M, H): one state, rewards M/H.
    """
    m1, m2 = as_bimatrix(game)
    h = check_int("horizon", horizon, minimum=1)
    if min(m1.min(), m2.min()) < 0 or max(m1.max(), m2.max()) > 1:
        raise ValueError("bimatrix payoffs must lie in [0, 1] (rescale affinely first)")
    n = m1.size
    p = np.ones((h, 1, n, 1))
    r = np.stack([np.broadcast_to(m.ravel() / h, (h, 1, n)) for m in (m1, m2)])
    return MarkovGame(p, r, m1.shape)


@dataclass(frozen=True)
class SparseMixture:
    """``T`` Markov product policies of ``G(M, H)``: ``x[t, h]`` (row) and ``y[t, h]`` (column), weights ``lambda``.

    Parameters
    ----------
    x : ndarray (T, H, n1)
        Row player's step strategies per component.
    y : ndarray (T, H, n2)
        Column player's step strategies per component.
    weights : ndarray (T,), optional
        Mixture weights (default uniform).

    Examples
    --------
    >>> mix = SparseMixture.create(np.full((2, 3, 2), 0.5), np.full((2, 3, 2), 0.5))
    >>> mix.n_components, mix.horizon
    (2, 3)
    """

    x: np.ndarray
    y: np.ndarray
    weights: np.ndarray

    @staticmethod
    def create(x, y, weights=None) -> "SparseMixture":
        x = check_probability_vector("x", check_array("x", x, ndim=3))
        y = check_probability_vector("y", check_array("y", y, ndim=3))
        if x.shape[:2] != y.shape[:2]:
            raise ValueError(f"x and y must share (T, H), got {x.shape[:2]} and {y.shape[:2]}")
        t = x.shape[0]
        w = np.full(t, 1.0 / t) if weights is None else check_probability_vector(
            "weights", check_array("weights", weights, shape=(t,)))
        return SparseMixture(np.ascontiguousarray(x), np.ascontiguousarray(y), np.ascontiguousarray(w))

    @property
    def n_components(self) -> int:
        return self.x.shape[0]

    @property
    def horizon(self) -> int:
        return self.x.shape[1]

    def as_markov_mixture(self) -> Mixture:
        """The same object as a :class:`~theorylab.games.markov.Mixture` of ``G(M, H)`` (one state)."""
        comps = [ProductPolicy((self.x[t][:, None, :], self.y[t][:, None, :])) for t in range(self.n_components)]
        return Mixture(tuple(comps), self.weights)


def _check(game, mix: SparseMixture):
    m1, m2 = as_bimatrix(game)
    if not isinstance(mix, SparseMixture):
        raise TypeError(f"mixture must be a SparseMixture, got {type(mix).__name__}")
    if mix.x.shape[2] != m1.shape[0] or mix.y.shape[2] != m1.shape[1]:
        raise ValueError(f"mixture action counts ({mix.x.shape[2]}, {mix.y.shape[2]}) do not match game {m1.shape}")
    return m1, m2


def mixture_values(game, mix: SparseMixture) -> np.ndarray:
    """``V_i(P) = sum_t lambda_t (1/H) sum_h x^t_h . M_i y^t_h`` (values in [0, 1]).

    Parameters
    ----------
    game : NormalFormGame
        The two-player stage game (payoffs in [0, 1]).
    mix : SparseMixture
        The T-sparse mixture of Markov product components.

    Returns
    -------
    ndarray (2,)
        Each player's value of the mixture in G(M, H).
    """
    m1, m2 = _check(game, mix)
    v1 = np.einsum("t,tha,ab,thb->", mix.weights, mix.x, m1, mix.y) / mix.horizon
    v2 = np.einsum("t,tha,ab,thb->", mix.weights, mix.x, m2, mix.y) / mix.horizon
    return np.array([v1, v2])


def _deviation_inputs(m1, m2, mix, i):
    if i == 0:
        gain = np.einsum("ab,thb->tha", m1, mix.y)           # (M_1 y^t_h)_a
        return np.ascontiguousarray(gain), mix.y
    gain = np.einsum("ab,tha->thb", m2, mix.x)               # (x^t_h M_2)_b
    return np.ascontiguousarray(gain), mix.x


def cce_gaps(game, mix: SparseMixture, kind: str = "general", method: str = "auto", n_samples: int = 100_000,
             rng=None) -> dict:
    """CCE gaps of a sparse mixture in ``G(M, H)`` (values in [0, 1]).

    Parameters
    ----------
    kind : {"general", "markov"}
        Deviations that see past joint actions (general; the optimal one is the myopic Bayes-aggregating
        deviation of docs/topics/games.md#exact-evaluation) or that see only ``h`` (Markov; ``b_h = argmax_b sum_t lambda_t u(b, y^t_h)``).
    method : {"auto", "exact", "mc"}
        Exact enumeration of the opponents' action sequences (``|A_-i|^H T`` leaves) or Monte Carlo with
        ``n_samples`` samples; ``auto`` uses exact when ``|A_-i|^H T <= 1e7`` (ours) or when it is
        cheaper than Monte Carlo (``|A_-i|^H <= n_samples H``).
    n_samples : int
        Monte Carlo samples per player (>= 2).
    rng : int, numpy.random.SeedSequence, numpy.random.Generator or None
        Seed of the Monte Carlo stream (:mod:`theorylab.core.streams`, one stream state; player 2's samples
        continue player 1's stream). A Generator gives the state as one uint64 drawn from it, and only
        when Monte Carlo is used (exact evaluation leaves it untouched); None takes fresh OS entropy.

    Returns
    -------
    dict with ``gaps`` (2,), ``se`` (2,) standard errors (0 when exact), ``values`` (2,), ``method``.

    Examples
    --------
    >>> from theorylab.games.normal_form import matching_pennies
    >>> mix = SparseMixture.create(np.full((1, 3, 2), 0.5), np.full((1, 3, 2), 0.5))
    >>> float(cce_gaps(matching_pennies(), mix)["gaps"].max())
    0.0
    """
    m1, m2 = _check(game, mix)
    check_choice("kind", kind, ["general", "markov"])
    check_choice("method", method, ["auto", "exact", "mc"])
    vals = mixture_values(game, mix)
    h = mix.horizon
    gaps, ses, used = np.zeros(2), np.zeros(2), []
    state = None                                   # the Monte Carlo stream, derived only when it is used
    for i in range(2):
        gain, opp = _deviation_inputs(m1, m2, mix, i)
        if kind == "markov":
            dev = np.einsum("t,tha->ha", mix.weights, gain).max(axis=1).sum() / h
            used.append("exact")
        else:
            leaves = float(opp.shape[2]) ** h * mix.n_components
            cheaper = float(opp.shape[2]) ** h <= float(n_samples) * h
            use = method if method != "auto" else ("exact" if leaves <= EXACT_LIMIT or cheaper else "mc")
            if use == "exact":
                dev = kernels.aggregating_deviation_exact(gain, np.ascontiguousarray(opp), mix.weights) / h
            else:
                if state is None:
                    state = seed_state(rng, "rng")
                n = check_int("n_samples", n_samples, minimum=2)
                s, state = kernels.aggregating_deviation_mc(
                    np.ascontiguousarray(gain, dtype=np.float64), np.ascontiguousarray(opp, dtype=np.float64),
                    np.ascontiguousarray(mix.weights, dtype=np.float64), int(n), state)
                state = np.uint64(state)               # numba hands the state back as a Python int
                s = s / h
                dev = s.mean()
                ses[i] = s.std(ddof=1) / np.sqrt(n)
            used.append(use)
        gaps[i] = max(dev - vals[i], 0.0)
    return {"gaps": gaps, "se": ses, "values": vals, "method": used}


def stage_gap_table(game, mix: SparseMixture) -> np.ndarray:
    """``g[t, h] = g1 + g2``: NashGapSum of the stage profile ``(x^t_h, y^t_h)`` in the bimatrix game.

    Parameters
    ----------
    game : NormalFormGame
        The two-player stage game (payoffs in [0, 1]).
    mix : SparseMixture
        The T-sparse mixture of Markov product components.

    Returns
    -------
    ndarray (T, H)
        NashGapSum of every stage profile.
    """
    m1, m2 = _check(game, mix)
    u1 = np.einsum("ab,thb->tha", m1, mix.y)
    u2 = np.einsum("ab,tha->thb", m2, mix.x)
    g1 = u1.max(axis=2) - (mix.x * u1).sum(axis=2)
    g2 = u2.max(axis=2) - (mix.y * u2).sum(axis=2)
    return np.maximum(g1, 0) + np.maximum(g2, 0)


@dataclass(frozen=True)
class Extraction:
    """Output of :func:`extract_nash`.

    Parameters
    ----------
    x, y : ndarray
        The extracted mixed strategies.
    t, h : int
        Component and step of the extracted profile.
    gap_sum : float
        Its NashGapSum.
    average_gap_sum : float
        The average NashGapSum over all (t, h), the quantity Theorem R bounds.
    """

    x: np.ndarray
    y: np.ndarray
    t: int
    h: int
    gap_sum: float
    average_gap_sum: float          # sum_t lambda_t (1/H) sum_h NashGapSum(t, h): what Theorem R bounds


def extract_nash(game, mix: SparseMixture) -> Extraction:
    """Deterministic extraction (docs/topics/games.md#the-reduction): the stage profile with the smallest NashGapSum; ties go to the
    smallest ``t`` then the smallest ``h`` (ours). ``O(T H n1 n2)``.

    >>> from theorylab.games.normal_form import matching_pennies
    >>> x = np.array([[[1.0, 0.0], [0.5, 0.5]]]); y = np.array([[[1.0, 0.0], [0.5, 0.5]]])
    >>> ex = extract_nash(matching_pennies(), SparseMixture.create(x, y)); (ex.t, ex.h, ex.gap_sum)
    (0, 1, 0.0)

    Parameters
    ----------
    game : NormalFormGame
        The two-player stage game (payoffs in [0, 1]).
    mix : SparseMixture
        The T-sparse mixture of Markov product components.

    Returns
    -------
    Extraction
        The (t, h) with the smallest NashGapSum and its gaps.
    """
    g = stage_gap_table(game, mix)
    t, h = np.unravel_index(int(np.argmin(g)), g.shape)
    avg = float(mix.weights @ g.mean(axis=1))
    return Extraction(mix.x[t, h].copy(), mix.y[t, h].copy(), int(t), int(h), float(g[t, h]), avg)


# -- sources of sparse mixtures ---------------------------------------------------------------------------
def random_mixture(n_actions, n_components: int, horizon: int, seed=0, concentration: float = 0.5) -> SparseMixture:
    """``T`` random Markov components with Dirichlet(``concentration``) stage strategies (ours).

    Parameters
    ----------
    n_actions : tuple of int
        (n1, n2).
    n_components : int
        T.
    horizon : int
        H.
    seed : int
        Seed.
    concentration : float
        Dirichlet concentration of the stage strategies.

    Returns
    -------
    SparseMixture
        Random Markov components.
    """
    n1, n2 = (check_int("n_actions[0]", n_actions[0], minimum=1), check_int("n_actions[1]", n_actions[1], minimum=1))
    t = check_int("n_components", n_components, minimum=1)
    h = check_int("horizon", horizon, minimum=1)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    return SparseMixture.create(rng.dirichlet(np.full(n1, concentration), size=(t, h)),
                                rng.dirichlet(np.full(n2, concentration), size=(t, h)))


def mixture_from_selfplay(strategies, horizon: int) -> SparseMixture:
    """Stationary per-step learners (docs/topics/games.md#figures): episode ``k`` plays ``(x^k, y^k)`` at every step ``h``.

    ``strategies`` is the ``[x (K, n1), y (K, n2)]`` output of ``selfplay(..., store_strategies=True)``.

    Parameters
    ----------
    strategies : sequence
        Per-episode strategies of the two players (stationary over steps).
    horizon : int
        H.

    Returns
    -------
    SparseMixture
        The K-sparse mixture of the executed policies.
    """
    h = check_int("horizon", horizon, minimum=1)
    x, y = (np.asarray(s) for s in strategies)
    return SparseMixture.create(np.repeat(x[:, None, :], h, axis=1), np.repeat(y[:, None, :], h, axis=1))


def iid_cce_mixture(game, mu, n_components: int, horizon: int, seed=0) -> SparseMixture:
    """Baseline B3: ``T`` deterministic joint-action sequences drawn i.i.d. from a stage CCE ``mu``.

    Parameters
    ----------
    game : NormalFormGame
        The two-player stage game (payoffs in [0, 1]).
    mu : ndarray
        A stage CCE (joint distribution).
    n_components : int
        T.
    horizon : int
        H.
    seed : int
        Seed of the draws.

    Returns
    -------
    SparseMixture
        T deterministic joint-action sequences drawn i.i.d. from mu.
    """
    m1, _ = as_bimatrix(game)
    mu = check_probability_vector("mu", np.asarray(mu, dtype=float).ravel(), atol=1e-7)
    t = check_int("n_components", n_components, minimum=1)
    h = check_int("horizon", horizon, minimum=1)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    draws = rng.choice(mu.size, size=(t, h), p=mu / mu.sum())
    a, b = np.unravel_index(draws, m1.shape)
    return SparseMixture.create(np.eye(m1.shape[0])[a], np.eye(m1.shape[1])[b])


def folk_theorem_counterexample():
    """Instance H4 [ours, docs/topics/games.md#the-reduction]: why Theorem R needs *Markov* components.

    Stage game (actions C, D, R; payoffs / 4): ``M_1 = [[3,0,0],[4,2,0],[0,0,0.5]] / 4``, ``M_2 = M_1^T``, with
    two stage NE (D, D) (payoff 1/2) and (R, R) (payoff 1/8). In ``G(M, 3)`` both players use the general
    (history-dependent) policy: C at h = 0; at h = 1, C if nobody deviated else R; at h = 2, D if nobody ever
    deviated else R. This T = 1 product policy is an exact Nash equilibrium of the repeated game (CCE gap 0),
    yet the stage profiles at h = 0, 1 are (C, C) with NashGapSum 1/2 each, so the average-over-h extraction
    bound ``2 eps + sqrt(2 ln T / H) = 0`` fails. Returns ``(game, markov_game, policies, on_path_profiles)``.

    Returns
    -------
    dict
        The history-dependent counterexample (game, components, gaps) showing why Theorem R needs Markov
        components.
    """
    from theorylab.games.markov import HistoryPolicy
    from theorylab.games.instances import bimatrix

    m1 = np.array([[3.0, 0.0, 0.0], [4.0, 2.0, 0.0], [0.0, 0.0, 0.5]]) / 4
    game = bimatrix(m1, m1.T.copy(), name="folk_theorem")
    mg = repeated_game(game, 3)
    path = [(0, 0), (0, 0), (1, 1)]
    e = np.eye(3)

    def make(player):
        def fn(h, states, joint):
            deviated = any(mg.unflatten(a) != path[g] for g, a in enumerate(joint))
            if deviated:
                return e[2]
            return e[path[h][player]]
        return HistoryPolicy(fn, 3)

    on_path = [(e[a], e[b]) for a, b in path]
    return game, mg, [make(0), make(1)], on_path


def aggregating_posterior(mix: SparseMixture, player: int, opponent_actions) -> tuple[np.ndarray, np.ndarray]:
    """Beliefs and predictive distributions of player ``player``'s aggregating deviation (docs/topics/games.md#the-reduction, proof step 1).

    After observing the opponent's actions ``b_0, ..., b_{h-1}``, the posterior over components is
    ``w_t(h)`` proportional to ``lambda_t prod_{g<h} y^t_g(b_g)`` and the predictive is ``q_h = sum_t w_t(h) y^t_h``.
    Bayes-mixture log-loss bound (proof step 4): ``sum_h ln(y^t_h(b_h) / q_h(b_h)) <= ln(1 / lambda_t)`` for
    every t and every sequence.

    Returns
    -------
    beliefs : (len + 1, T) posteriors before each step (row 0 is ``lambda``)
    predictive : (len, n_opp) predictive distributions ``q_h``

    Parameters
    ----------
    mix : SparseMixture
        The T-sparse mixture of Markov product components.
    player : int
        The deviating player (0 or 1).
    opponent_actions : sequence of int
        The opponent's observed actions at steps 0..h-1.
    """
    check_int("player", player, 0, 1)
    opp = mix.y if player == 0 else mix.x
    b = np.asarray(opponent_actions, dtype=np.int64)
    if b.ndim != 1 or b.size > mix.horizon or (b.size and (b.min() < 0 or b.max() >= opp.shape[2])):
        raise ValueError(f"opponent_actions must be at most H = {mix.horizon} actions in [0, {opp.shape[2]}), got {b}")
    beliefs = np.zeros((b.size + 1, mix.n_components))
    beliefs[0] = mix.weights
    pred = np.zeros((b.size, opp.shape[2]))
    for h, a in enumerate(b):
        pred[h] = beliefs[h] @ opp[:, h]
        nxt = beliefs[h] * opp[:, h, a]
        beliefs[h + 1] = nxt / nxt.sum() if nxt.sum() > 0 else nxt
    return beliefs, pred
