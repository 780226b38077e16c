"""The games of the games topic: fixed normal-form games, random normal-form and Markov game generators.

Background for Foster, Golowich & Kakade, "Hardness of Independent Learning and Sparse Equilibrium
Computation in Markov Games" (ICML 2023, arXiv 2303.12287); the checks and figures of the topic run on
these instances (docs/topics/games.md). Every payoff lies in [0, 1] (Markov rewards in [0, 1/H]), the
convention of :mod:`theorylab.games.normal_form` and :mod:`theorylab.games.markov`, which re-export the
constructors under their old names. [ours: the fixed games are textbook instances rescaled to [0, 1];
the random generators follow our planning notes (section 8 of the topic's specification).]
"""

from __future__ import annotations

import numpy as np

from theorylab.core.validate import check_array, check_choice, check_int, check_real
from theorylab.games.markov import MarkovGame
from theorylab.games.normal_form import NormalFormGame

__all__ = ["bimatrix", "random_game", "shapley_game", "matching_pennies", "rock_paper_scissors",
           "coordination_game", "prisoners_dilemma", "cyclic_zero_sum_game", "random_markov_game", "NAMED_GAMES",
           "named_game"]


# -- normal-form games ---------------------------------------------------------------------------
def bimatrix(row, col, name: str = "bimatrix") -> NormalFormGame:
    """Two-player game from the row player's matrix ``row`` and the column player's ``col``.

    Parameters
    ----------
    row, col : array_like, shape (n1, n2)
        Payoffs of the row and of the column player at every joint action.
    name : str

    Returns
    -------
    NormalFormGame

    Examples
    --------
    >>> bimatrix([[1, 0], [0, 1]], [[0, 1], [1, 0]]).n_actions
    (2, 2)
    """
    a = check_array("row", row, ndim=2, min_size=1)
    b = check_array("col", col, ndim=2, min_size=1)
    if a.shape != b.shape:
        raise ValueError(f"row and col must have the same shape, got {a.shape} and {b.shape}")
    return NormalFormGame(np.stack([a, b]), name=name)


def random_game(n_actions, seed=0, low: float = 0.0, high: float = 1.0, name: str | None = None) -> NormalFormGame:
    """Game with i.i.d. Uniform[low, high] payoffs (the topic's random generator).

    Parameters
    ----------
    n_actions : sequence of int
        ``(A_0, ..., A_{m-1})``, each ``>= 1``, at least one player.
    seed : int, numpy Generator or SeedSequence
    low, high : float
        Payoff range, ``low < high``.
    name : str, optional
        Default ``"random<A_0>x<A_1>..."``.

    Returns
    -------
    NormalFormGame

    Examples
    --------
    >>> g = random_game((2, 3), seed=1)
    >>> g.n_actions, g.name, bool((g.payoffs >= 0).all() and (g.payoffs <= 1).all())
    ((2, 3), 'random2x3', True)
    """
    if isinstance(n_actions, (int, np.integer)) or not hasattr(n_actions, "__len__"):
        raise TypeError(f"n_actions must be a sequence of action counts, got {n_actions!r}")
    acts = tuple(check_int(f"n_actions[{i}]", a, minimum=1) for i, a in enumerate(n_actions))
    if not acts:
        raise ValueError("n_actions must name at least one player")
    low = check_real("low", low)
    high = check_real("high", high)
    if high <= low:
        raise ValueError(f"high must exceed low, got low={low}, high={high}")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    u = rng.uniform(low, high, size=(len(acts),) + acts)
    return NormalFormGame(u, name=name or "random" + "x".join(map(str, acts)))


def shapley_game() -> NormalFormGame:
    """Shapley's 3x3 game (Shapley 1964): unique NE (uniform, uniform); fictitious play and Hedge cycle.

    Row payoffs ``I_3``; column payoffs the cyclic shift ``[[0,1,0],[0,0,1],[1,0,0]]``.

    Returns
    -------
    NormalFormGame

    Examples
    --------
    >>> shapley_game().payoffs[1].tolist()
    [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
    """
    a = np.eye(3)
    b = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
    return bimatrix(a, b, name="shapley")


def matching_pennies() -> NormalFormGame:
    """Matching pennies in [0, 1]: zero-sum (constant-sum 1), unique fully mixed NE (1/2, 1/2).

    Returns
    -------
    NormalFormGame

    Examples
    --------
    >>> matching_pennies().payoffs.sum(axis=0).tolist()
    [[1.0, 1.0], [1.0, 1.0]]
    """
    a = np.eye(2)
    return bimatrix(a, 1.0 - a, name="matching_pennies")


def rock_paper_scissors() -> NormalFormGame:
    """Rock-paper-scissors rescaled to [0, 1] (win 1, tie 1/2, loss 0); unique NE uniform.

    Returns
    -------
    NormalFormGame

    Examples
    --------
    >>> rock_paper_scissors().payoffs[0, 1].tolist()     # paper against rock, paper, scissors
    [1.0, 0.5, 0.0]
    """
    m = np.array([[0.0, -1.0, 1.0], [1.0, 0.0, -1.0], [-1.0, 1.0, 0.0]])
    return bimatrix((1 + m) / 2, (1 - m) / 2, name="rps")


def coordination_game(n: int = 2, bonus: float = 0.5) -> NormalFormGame:
    """Pure coordination: both get ``1`` on the diagonal ``(0,0)`` and ``bonus`` on the other diagonal
    entries, 0 off the diagonal. Strict pure NE on every diagonal entry; Hedge converges to one.

    Parameters
    ----------
    n : int
        Actions per player, ``>= 2``.
    bonus : float
        Payoff of the other diagonal entries, in [0, 1].

    Returns
    -------
    NormalFormGame

    Examples
    --------
    >>> coordination_game(3).payoffs[0].diagonal().tolist()
    [1.0, 0.5, 0.5]
    """
    n = check_int("n", n, minimum=2)
    bonus = check_real("bonus", bonus, minimum=0.0, maximum=1.0)
    a = np.eye(n) * bonus
    a[0, 0] = 1.0
    return bimatrix(a, a.copy(), name="coordination")


def prisoners_dilemma() -> NormalFormGame:
    """Prisoner's dilemma in [0, 1] (actions: cooperate, defect): payoffs T=1 > R=2/3 > P=1/3 > S=0.

    Returns
    -------
    NormalFormGame

    Examples
    --------
    >>> prisoners_dilemma().payoffs[0, 1, 0]          # defect against cooperate: the temptation T
    np.float64(1.0)
    """
    a = np.array([[2 / 3, 0.0], [1.0, 1 / 3]])
    return bimatrix(a, a.T.copy(), name="prisoners_dilemma")


def cyclic_zero_sum_game(seed) -> NormalFormGame:
    """A random generalised rock-paper-scissors game, constant-sum with payoffs in [0, 1].

    ``M = [[0, -a, b], [a, 0, -c], [-b, c, 0]] / max(a, b, c)``, ``a, b, c ~ U[0.5, 1.5]``; row gets
    ``(1 + M) / 2``, column ``(1 - M) / 2``. The unique equilibrium ``(c, b, a) / (a + b + c)`` for both
    players is interior and not uniform, so plain Hedge cycles away from it (a game "where optimism
    matters"). [ours]

    Parameters
    ----------
    seed : int, numpy Generator or SeedSequence
        Draws (a, b, c).

    Returns
    -------
    NormalFormGame

    Examples
    --------
    >>> g = cyclic_zero_sum_game(0)
    >>> g.n_actions, bool(np.allclose(g.payoffs.sum(axis=0), 1.0))
    ((3, 3), True)
    """
    a, b, c = np.random.default_rng(seed).uniform(0.5, 1.5, 3)
    m = np.array([[0.0, -a, b], [a, 0.0, -c], [-b, c, 0.0]]) / max(a, b, c)
    return bimatrix((1 + m) / 2, (1 - m) / 2, name="cyclic_zero_sum")


#: The fixed bimatrix games a sweep task or spec may name (``game = "shapley"`` etc.): name -> a
#: constructor taking no argument. ``coordination`` is the 3x3 :func:`coordination_game` (bonus 1/2).
#: The ``Choice`` fields of :mod:`theorylab.games.tasks` list these keys, so a game added here becomes
#: a valid spec value. [ours: the set of named instances of the topic]
NAMED_GAMES = {"shapley": shapley_game, "matching_pennies": matching_pennies, "rps": rock_paper_scissors,
               "coordination": lambda: coordination_game(3)}


def named_game(name: str) -> NormalFormGame:
    """One of the fixed bimatrix instances of the topic, by name (:data:`NAMED_GAMES`).

    Parameters
    ----------
    name : str
        A key of :data:`NAMED_GAMES`: ``shapley``, ``matching_pennies``, ``rps`` or ``coordination``.

    Returns
    -------
    NormalFormGame
        A fresh game (each call builds a new one).

    Raises
    ------
    ValueError
        For a name that is not a key of :data:`NAMED_GAMES` (the message names the parameter ``game``).

    Examples
    --------
    >>> named_game("coordination").n_actions
    (3, 3)
    >>> sorted(NAMED_GAMES)
    ['coordination', 'matching_pennies', 'rps', 'shapley']
    """
    check_choice("game", name, list(NAMED_GAMES))
    return NAMED_GAMES[name]()


# -- Markov games ---------------------------------------------------------------------------------
def random_markov_game(n_states: int, n_actions, horizon: int, seed=0, dirichlet: float = 1.0) -> MarkovGame:
    """Random game: Dirichlet(``dirichlet``) transitions, Uniform[0, 1/H] rewards (the topic's generator).

    Parameters
    ----------
    n_states : int
    n_actions : sequence of int
        Actions per player.
    horizon : int
        H >= 1.
    seed : int, numpy Generator or SeedSequence
    dirichlet : float
        Concentration of every transition row.

    Returns
    -------
    MarkovGame

    Examples
    --------
    >>> g = random_markov_game(2, (2, 2), 3, seed=0)
    >>> g.P.shape, float(g.R.max()) <= 1 / 3
    ((3, 2, 4, 2), True)
    """
    s = check_int("n_states", n_states, minimum=1)
    h = check_int("horizon", horizon, minimum=1)
    acts = tuple(check_int(f"n_actions[{i}]", a, minimum=1) for i, a in enumerate(n_actions))
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    n = int(np.prod(acts))
    p = rng.dirichlet(np.full(s, dirichlet), size=(h, s, n))
    r = rng.uniform(0, 1.0 / h, size=(len(acts), h, s, n))
    return MarkovGame(p, r, acts)
