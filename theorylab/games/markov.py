"""Tabular finite-horizon Markov games, policies and exact evaluation (spec 2.1-2.3, 3.1).

Setting of Foster, Golowich & Kakade, "Hardness of Independent Learning and Sparse Equilibrium
Computation in Markov Games" (ICML 2023): ``m`` players, horizon ``H``, states ``S``, transitions
``P[h, s, a, s']`` and rewards ``R[i, h, s, a]`` on flattened joint actions ``a`` (C order, player 0
most significant). Rewards in ``[0, 1/H]`` keep every value in ``[0, 1]`` (spec 2.1 recommendation;
the paper's exact normalisation is [unverified]).

Policies (spec 2.2): a Markov policy of player ``i`` is an array ``pi_i[h, s, a_i]``; a product policy is
one per player; a :class:`Mixture` is a weighted list of product policies (drawn once per episode);
a :class:`HistoryPolicy` is a callable ``f(h, states, joint_actions) -> distribution`` on the history of
states and joint actions (full monitoring, spec 11.3).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from theorylab.core.validate import check_array, check_int, check_probability_vector
from theorylab.games.normal_form import DIST_TOL

__all__ = ["MarkovGame", "ProductPolicy", "Mixture", "HistoryPolicy", "random_markov_game", "evaluate",
           "evaluate_correlated", "best_response", "nash_gap", "mixture_values", "markov_cce_gaps",
           "general_cce_gaps", "evaluate_history_profile", "uniform_policy",
           "history_best_response_value"]


class MarkovGame:
    """A tabular finite-horizon general-sum Markov game (spec 2.1).

    Parameters
    ----------
    transitions : array_like, shape (H, S, |A|, S)
        ``P[h, s, a, s']``; each row a distribution.
    rewards : array_like, shape (m, H, S, |A|)
        ``R[i, h, s, a]``, finite.
    n_actions : sequence of int
        ``(A_0, ..., A_{m-1})`` with ``prod A_i = |A|``.
    initial : array_like, shape (S,), optional
        Initial distribution ``mu_1`` (default: state 0).

    Examples
    --------
    >>> from theorylab.games.instances import random_markov_game
    >>> g = random_markov_game(2, (2, 2), 3, seed=0)
    >>> g.n_players, g.horizon, g.n_states
    (2, 3, 2)
    """

    def __init__(self, transitions, rewards, n_actions, initial=None):
        acts = tuple(check_int(f"n_actions[{i}]", a, minimum=1) for i, a in enumerate(n_actions))
        if not acts:
            raise ValueError("n_actions must name at least one player")
        n_joint = int(np.prod(acts))
        p = check_array("transitions", transitions, ndim=4)
        if p.shape[2] != n_joint or p.shape[1] != p.shape[3]:
            raise ValueError(f"transitions must have shape (H, S, |A|={n_joint}, S), got {p.shape}")
        p = check_probability_vector("transitions", p, atol=DIST_TOL)
        r = check_array("rewards", rewards, ndim=4)
        h, s = p.shape[0], p.shape[1]
        if r.shape != (len(acts), h, s, n_joint):
            raise ValueError(f"rewards must have shape (m={len(acts)}, H={h}, S={s}, |A|={n_joint}), got {r.shape}")
        if initial is None:
            mu = np.zeros(s)
            mu[0] = 1.0
        else:
            mu = check_probability_vector("initial", check_array("initial", initial, shape=(s,)))
        self.P, self.R, self.mu1, self.n_actions = p, r, mu, acts
        self.act = np.ascontiguousarray(np.indices(acts).reshape(len(acts), -1), dtype=np.int64)

    @property
    def n_players(self) -> int:
        return len(self.n_actions)

    @property
    def horizon(self) -> int:
        return self.P.shape[0]

    @property
    def n_states(self) -> int:
        return self.P.shape[1]

    @property
    def n_joint(self) -> int:
        return self.P.shape[2]

    def flatten(self, joint) -> int:
        """Flat index of a joint action tuple."""
        return int(np.ravel_multi_index(tuple(joint), self.n_actions))

    def unflatten(self, a_flat: int) -> tuple:
        """Joint action tuple of a flat index."""
        return tuple(int(v) for v in np.unravel_index(int(a_flat), self.n_actions))

    def action_independent(self) -> bool:
        """True if ``P[h, s, a, .]`` does not depend on ``a`` (the setting of spec A3')."""
        return bool(np.allclose(self.P, self.P[:, :, :1, :]))


@dataclass(frozen=True)
class ProductPolicy:
    """A Markov product policy: ``pis[i][h, s, a_i]`` for every player (spec 2.2).

    Attributes
    ----------
    pis : tuple of numpy.ndarray of float, entry i of shape (H, S, A_i)
        Player i's action distribution at every step h and state s (each ``pis[i][h, s]`` sums to 1);
        build it with :meth:`from_arrays` to have shapes and distributions checked.
    """

    pis: tuple

    @staticmethod
    def from_arrays(game: MarkovGame, pis) -> "ProductPolicy":
        """Validate shapes ``(H, S, A_i)`` and distributions."""
        if len(pis) != game.n_players:
            raise ValueError(f"pis must hold {game.n_players} arrays (one per player), got {len(pis)}")
        out = []
        for i, pi in enumerate(pis):
            pi = check_array(f"pis[{i}]", pi, shape=(game.horizon, game.n_states, game.n_actions[i]))
            out.append(check_probability_vector(f"pis[{i}]", pi))
        return ProductPolicy(tuple(out))

    def joint(self, game: MarkovGame) -> np.ndarray:
        """Correlated form ``pi[h, s, a_flat] = prod_i pi_i[h, s, a_i]``."""
        out = np.ones((game.horizon, game.n_states, game.n_joint))
        for i, pi in enumerate(self.pis):
            out *= pi[:, :, game.act[i]]
        return out


def uniform_policy(game: MarkovGame) -> ProductPolicy:
    """Every player uniform at every (h, s).

    Parameters
    ----------
    game : MarkovGame
        The game (``m`` players, horizon H, S states, |A| flat joint actions).

    Returns
    -------
    ProductPolicy
        ``pis[i]`` of shape (H, S, A_i) filled with 1 / A_i.
    """
    return ProductPolicy(tuple(np.full((game.horizon, game.n_states, a), 1.0 / a) for a in game.n_actions))


@dataclass(frozen=True)
class Mixture:
    """A T-sparse mixture ``sum_t lambda_t delta_{sigma^t}`` of Markov product policies (spec 2.2).

    Parameters
    ----------
    components : sequence of ProductPolicy
        The T >= 1 product policies sigma^t (stored as a tuple; ``ValueError`` if empty).
    weights : array_like of float, shape (T,), optional
        Mixing weights lambda_t, a distribution; default uniform 1 / T.

    Attributes
    ----------
    components : tuple of ProductPolicy
    weights : numpy.ndarray of float, shape (T,)
        Validated weights; one component is drawn with these probabilities once per episode.
    """

    components: tuple
    weights: np.ndarray = field(default=None)

    def __post_init__(self):
        if not self.components:
            raise ValueError("a Mixture needs at least one component")
        w = self.weights
        if w is None:
            w = np.full(len(self.components), 1.0 / len(self.components))
        w = check_probability_vector("weights", check_array("weights", w, shape=(len(self.components),)))
        object.__setattr__(self, "weights", w)
        object.__setattr__(self, "components", tuple(self.components))


# -- evaluation and best responses (spec A1, A2) ------------------------------------------------------------
def evaluate_correlated(game: MarkovGame, pi: np.ndarray) -> np.ndarray:
    """Values ``V_i`` (shape (m,)) of a correlated Markov policy ``pi[h, s, a_flat]`` by backward induction (A1).

    Parameters
    ----------
    game : MarkovGame
        The game (``m`` players, horizon H, S states, |A| flat joint actions).
    pi : array_like of float, shape (H, S, |A|)
        Joint-action distribution at every (h, s), each row summing to 1 (recommendations drawn afresh at
        every step).

    Returns
    -------
    numpy.ndarray of float, shape (m,)
        Expected total reward of each player from the initial distribution ``game.mu1``.
    """
    if not isinstance(game, MarkovGame):
        raise TypeError(f"game must be a MarkovGame, got {type(game).__name__}")
    pi = check_probability_vector("pi", check_array("pi", pi, shape=(game.horizon, game.n_states, game.n_joint)))
    v = np.zeros((game.n_players, game.n_states))
    for h in range(game.horizon - 1, -1, -1):
        q = game.R[:, h] + np.einsum("sab,ib->isa", game.P[h], v)
        v = np.einsum("sa,isa->is", pi[h], q)
    return v @ game.mu1


def evaluate(game: MarkovGame, policy: ProductPolicy) -> np.ndarray:
    """Values ``V_i(sigma)`` of a Markov product policy (spec A1). ``O(H S |A| (S + m))``.

    Parameters
    ----------
    game : MarkovGame
        The game (``m`` players, horizon H, S states, |A| flat joint actions).
    policy : ProductPolicy
        Independent play sigma (``TypeError`` otherwise; use :func:`evaluate_correlated` for joint ``pi``).

    Returns
    -------
    numpy.ndarray of float, shape (m,)
        Expected total reward of each player from ``game.mu1`` (in [0, 1] when rewards are in [0, 1/H]).

    >>> from theorylab.games.instances import random_markov_game
    >>> g = random_markov_game(2, (2, 2), 2, seed=1)
    >>> v = evaluate(g, uniform_policy(g)); bool(np.all((0 <= v) & (v <= 1)))
    True
    """
    if not isinstance(policy, ProductPolicy):
        raise TypeError(f"policy must be a ProductPolicy, got {type(policy).__name__}")
    return evaluate_correlated(game, policy.joint(game))


def _opponent_joint(game: MarkovGame, policy, i: int) -> np.ndarray:
    """``q[h, s, a_flat] = prod_{j != i} pi_j[h, s, a_j]`` (player i's own factor left out)."""
    if not isinstance(game, MarkovGame):
        raise TypeError(f"game must be a MarkovGame, got {type(game).__name__}")
    if isinstance(policy, ProductPolicy):
        out = np.ones((game.horizon, game.n_states, game.n_joint))
        for j, pi in enumerate(policy.pis):
            if j != i:
                out *= pi[:, :, game.act[j]]
        return out
    pi = check_probability_vector("policy", check_array("policy", policy, shape=(game.horizon, game.n_states,
                                                                             game.n_joint)))
    shape = (game.horizon, game.n_states) + game.n_actions
    marg = pi.reshape(shape).sum(axis=2 + i, keepdims=True)
    return np.broadcast_to(marg, shape).reshape(game.horizon, game.n_states, -1)


def best_response(game: MarkovGame, policy, i: int) -> tuple[np.ndarray, float]:
    """Deterministic Markov best response of player ``i`` to the others' Markov play (spec A2).

    ``policy`` is a :class:`ProductPolicy` or a correlated ``pi[h, s, a_flat]`` (CCE-style: the deviator faces
    the marginal on ``A_{-i}``). Ties go to the lowest action index. Returns ``(br[h, s], value)``.

    Parameters
    ----------
    game : MarkovGame
        The game (``m`` players, horizon H, S states, |A| flat joint actions).
    policy : ProductPolicy or array_like of float, shape (H, S, |A|)
        The others' play; for a correlated ``pi`` player i's own factor is marginalised out.
    i : int in [0, m)
        The deviating player.

    Returns
    -------
    br : numpy.ndarray of int64, shape (H, S)
        Player i's best action at every (h, s).
    value : float
        Player i's best-response value V_i^BR from ``game.mu1``.
    """
    i = check_int("i", i, 0, game.n_players - 1)
    q = _opponent_joint(game, policy, i)
    v = np.zeros(game.n_states)
    br = np.zeros((game.horizon, game.n_states), dtype=np.int64)
    own = game.act[i]
    for h in range(game.horizon - 1, -1, -1):
        qa = game.R[i, h] + game.P[h] @ v                        # (S, |A|)
        vals = np.zeros((game.n_states, game.n_actions[i]))
        np.add.at(vals.T, own, (q[h] * qa).T)
        br[h] = np.argmax(vals, axis=1)
        v = vals.max(axis=1)
    return br, float(v @ game.mu1)


def nash_gap(game: MarkovGame, policy: ProductPolicy) -> np.ndarray:
    """Per-player Nash gaps ``V_i^BR - V_i(sigma)``; Markov BR is optimal against Markov opponents.

    Parameters
    ----------
    game : MarkovGame
        The game (``m`` players, horizon H, S states, |A| flat joint actions).
    policy : ProductPolicy
        The profile sigma whose gaps are measured.

    Returns
    -------
    numpy.ndarray of float, shape (m,)
        Gain of each player's best response over its value under sigma; >= 0 up to rounding (not clipped,
        so an exact equilibrium can show gaps of order -1e-16).
    """
    vals = evaluate(game, policy)
    return np.array([best_response(game, policy, i)[1] - vals[i] for i in range(game.n_players)])


def mixture_values(game: MarkovGame, mixture: Mixture) -> np.ndarray:
    """``V_i(P) = sum_t lambda_t V_i(sigma^t)``.

    Parameters
    ----------
    game : MarkovGame
        The game (``m`` players, horizon H, S states, |A| flat joint actions).
    mixture : Mixture
        Weighted product policies (lambda_t, sigma^t).

    Returns
    -------
    numpy.ndarray of float, shape (m,)
        Each player's expected value under the mixture (one component drawn per episode).
    """
    return sum(w * evaluate(game, c) for w, c in zip(mixture.weights, mixture.components))


def markov_cce_gaps(game: MarkovGame, mixture: Mixture) -> np.ndarray:
    """Markov CCE gaps (spec 2.3, A4), exact by enumerating deterministic Markov deviations ``A_i^{H S}``.

    A deterministic maximiser exists (the objective is linear in each ``pi_i(.|h, s)``); tiny games only
    (``A_i^{H S} <= 2e5``).

    Parameters
    ----------
    game : MarkovGame
        The game (``m`` players, horizon H, S states, |A| flat joint actions).
    mixture : Mixture
        The candidate CCE, a mixture of Markov product policies.

    Returns
    -------
    numpy.ndarray of float, shape (m,)
        For each player i, max over deterministic Markov policies pi_i of sum_t lambda_t V_i(pi_i, sigma^t_{-i})
        minus V_i(mixture), clipped at 0. ``ValueError`` when some ``A_i^{H S} > 2e5``.
    """
    base = mixture_values(game, mixture)
    out = np.zeros(game.n_players)
    for i in range(game.n_players):
        a_i, hs = game.n_actions[i], game.horizon * game.n_states
        if a_i ** hs > 200_000:
            raise ValueError(f"Markov deviation enumeration needs A_i^(H S) = {a_i}^{hs} <= 2e5")
        best = -np.inf
        for det in itertools.product(range(a_i), repeat=hs):
            pi_i = np.zeros((game.horizon, game.n_states, a_i))
            pi_i.reshape(hs, a_i)[np.arange(hs), det] = 1.0
            val = 0.0
            for w, c in zip(mixture.weights, mixture.components):
                pis = list(c.pis)
                pis[i] = pi_i
                val += w * evaluate(game, ProductPolicy(tuple(pis)))[i]
            best = max(best, val)
        out[i] = max(best - base[i], 0.0)
    return out


def general_cce_gaps(game: MarkovGame, mixture: Mixture) -> np.ndarray:
    """General (history-dependent) CCE gaps against a mixture of Markov product policies (spec A3), exact.

    Belief recursion over the hidden component: ``W(h, s, w) = max_b sum_t w_t sum_{a_-i} q^t(a_-i | h, s)
    [R_i + sum_s' P W(h + 1, s', w')]`` with ``w'_t`` proportional to ``w_t q^t(a_-i | h, s)``. Cost
    ``O(T (S |A|)^H)``: tiny instances only.

    Parameters
    ----------
    game : MarkovGame
        The game (``m`` players, horizon H, S states, |A| flat joint actions).
    mixture : Mixture
        The candidate CCE; the deviator does not see which component was drawn but updates its belief
        from the observed opponent actions.

    Returns
    -------
    numpy.ndarray of float, shape (m,)
        For each player, the value of the best history-dependent deviation minus V_i(mixture), clipped at 0
        (>= the :func:`markov_cce_gaps` entry).
    """
    base = mixture_values(game, mixture)
    lam = np.asarray(mixture.weights)
    out = np.zeros(game.n_players)
    for i in range(game.n_players):
        q = np.stack([_opponent_joint(game, c, i) for c in mixture.components])   # (T, H, S, |A|)
        own = game.act[i]

        def w_value(h, s, w):
            if h == game.horizon:
                return 0.0
            # unnormalised: w holds lambda_t * likelihood; returns sum_t w_t * value
            best = -np.inf
            for b in range(game.n_actions[i]):
                tot = 0.0
                for a in np.flatnonzero(own == b):
                    wa = w * q[:, h, s, a]
                    mass = wa.sum()
                    if mass <= 0:
                        continue
                    tot += mass * game.R[i, h, s, a]
                    for s2 in np.flatnonzero(game.P[h, s, a] > 0):
                        tot += game.P[h, s, a, s2] * w_value(h + 1, s2, wa)
                best = max(best, tot)
            return best

        dev = sum(game.mu1[s] * w_value(0, s, lam) for s in np.flatnonzero(game.mu1 > 0))
        out[i] = max(dev - base[i], 0.0)
    return out


# -- history-dependent policies (spec A5) ---------------------------------------------------------------------
@dataclass(frozen=True)
class HistoryPolicy:
    """A general policy of one player: ``fn(h, states, joint_actions) -> distribution over A_i``.

    ``states`` is ``(s_0, ..., s_h)`` and ``joint_actions`` the flat joint actions ``(a_0, ..., a_{h-1})``.

    Parameters
    ----------
    fn : callable
        ``fn(h, states, joint_actions)`` (step, tuple of states, tuple of flat joint actions) returning an
        array_like distribution over the player's actions; checked on every call.
    n_actions : int
        A_i, the length the returned distribution must have.
    """

    fn: Callable
    n_actions: int

    def __call__(self, h, states, joint_actions) -> np.ndarray:
        p = check_probability_vector("history policy output", np.asarray(self.fn(h, tuple(states), tuple(joint_actions)),
                                                                             dtype=float))
        if p.size != self.n_actions:
            raise ValueError(f"history policy returned {p.size} probabilities, expected {self.n_actions}")
        return p

    @staticmethod
    def from_markov(pi: np.ndarray) -> "HistoryPolicy":
        """The Markov policy ``pi[h, s, a]`` viewed as a history policy."""
        pi = np.asarray(pi)
        return HistoryPolicy(lambda h, st, ja: pi[h, st[-1]], pi.shape[2])


def evaluate_history_profile(game: MarkovGame, policies) -> np.ndarray:
    """Values of a product of history policies by enumerating the history tree (spec A5; ``H <= 4``).

    Parameters
    ----------
    game : MarkovGame
        The game (``m`` players, horizon H, S states, |A| flat joint actions).
    policies : sequence of HistoryPolicy, length m
        Player i's policy ``policies[i]``, played independently given the shared history.

    Returns
    -------
    numpy.ndarray of float, shape (m,)
        Each player's expected total reward from ``game.mu1``. Cost grows like (S |A|)^H.
    """
    if len(policies) != game.n_players:
        raise ValueError(f"policies must hold {game.n_players} HistoryPolicy objects, got {len(policies)}")

    def rec(h, states, actions):
        if h == game.horizon:
            return np.zeros(game.n_players)
        s = states[-1]
        probs = [pol(h, states, actions) for pol in policies]
        total = np.zeros(game.n_players)
        for a in range(game.n_joint):
            p = 1.0
            for i in range(game.n_players):
                p *= probs[i][game.act[i, a]]
            if p == 0:
                continue
            cont = np.zeros(game.n_players)
            for s2 in np.flatnonzero(game.P[h, s, a] > 0):
                cont += game.P[h, s, a, s2] * rec(h + 1, states + (int(s2),), actions + (a,))
            total += p * (game.R[:, h, s, a] + cont)
        return total

    return sum(game.mu1[s] * rec(0, (int(s),), ()) for s in np.flatnonzero(game.mu1 > 0))


def history_best_response_value(game: MarkovGame, policies, i: int) -> float:
    """Value of player ``i``'s best general response to the others' history policies (spec A5; ``H <= 4``).

    The deviator's choice at each history node maximises over its own actions; the others play
    ``policies[j](h, states, joint_actions)``. ``policies[i]`` is ignored.

    Parameters
    ----------
    game : MarkovGame
        The game (``m`` players, horizon H, S states, |A| flat joint actions).
    policies : sequence of HistoryPolicy, length m
        Everyone's policies; entry i is a placeholder.
    i : int in [0, m)
        The deviating player.

    Returns
    -------
    float
        Player i's optimal expected total reward from ``game.mu1`` against the others' history policies.
    """
    i = check_int("i", i, 0, game.n_players - 1)
    if len(policies) != game.n_players:
        raise ValueError(f"policies must hold {game.n_players} HistoryPolicy objects, got {len(policies)}")

    def rec(h, states, actions):
        if h == game.horizon:
            return 0.0
        s = states[-1]
        probs = [None if j == i else policies[j](h, states, actions) for j in range(game.n_players)]
        per_b = np.zeros(game.n_actions[i])
        for a in range(game.n_joint):
            p = 1.0
            for j in range(game.n_players):
                if j != i:
                    p *= probs[j][game.act[j, a]]
            if p == 0:
                continue
            cont = sum(game.P[h, s, a, s2] * rec(h + 1, states + (int(s2),), actions + (a,))
                       for s2 in np.flatnonzero(game.P[h, s, a] > 0))
            per_b[game.act[i, a]] += p * (game.R[i, h, s, a] + cont)
        return float(per_b.max())

    return float(sum(game.mu1[s] * rec(0, (int(s),), ()) for s in np.flatnonzero(game.mu1 > 0)))


def __getattr__(name: str):
    # random_markov_game lives in theorylab.games.instances (which imports this module): a lazy re-export
    if name == "random_markov_game":
        from theorylab.games import instances

        return instances.random_markov_game
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
