"""Normal-form games: payoff tensors, mixed and correlated profiles, exact NE / CE / CCE gaps.

Background for Foster, Golowich & Kakade, "Hardness of Independent Learning and Sparse Equilibrium
Computation in Markov Games" (ICML 2023, arXiv 2303.12287): the stage games of the SparseCCE
reduction (spec section 3.2) and the learners of spec section 3.4 live here.

Conventions (spec 2.1, 2.3): ``payoffs`` has shape ``(m, A_0, ..., A_{m-1})``, ``payoffs[i][a]`` is
player ``i``'s utility at joint action ``a``; joint actions are flattened in C order (player 0 most
significant). A mixed profile is a list of ``m`` probability vectors; a correlated profile is an
array of shape ``(A_0, ..., A_{m-1})`` (or its flattening) summing to one.
"""

from __future__ import annotations

import numpy as np

from theorylab.core.validate import check_array, check_int, check_probability_vector

__all__ = [
    "NormalFormGame", "bimatrix", "random_game", "shapley_game", "matching_pennies", "rock_paper_scissors",
    "coordination_game", "prisoners_dilemma", "check_profile", "check_correlated", "DIST_TOL",
]

DIST_TOL = 1e-9


def _contract_others(u: np.ndarray, profile, i: int) -> np.ndarray:
    """``u`` (shape A) contracted with every ``profile[j]``, ``j != i``: the vector ``u(a_i, x_{-i})``."""
    out = u
    for j in range(u.ndim - 1, -1, -1):
        if j != i:
            out = np.tensordot(out, profile[j], axes=([j], [0]))
    return out


class NormalFormGame:
    """An ``m``-player normal-form game given by its payoff tensor.

    Parameters
    ----------
    payoffs : array_like, shape (m, A_0, ..., A_{m-1})
        ``payoffs[i][a]`` is player ``i``'s utility at joint action ``a``; finite reals.
    name : str, optional
        Label used in tables and figures.

    Notes
    -----
    Nash gap of a mixed profile ``x`` (spec 2.3): ``gap_i(x) = max_{a_i} u_i(a_i, x_{-i}) - u_i(x)``;
    CCE gap of a joint distribution ``mu``: ``max_{a_i'} E_mu[u_i(a_i', a_{-i})] - E_mu[u_i(a)]``;
    CE gap: ``max_{a_i, a_i'} sum_{a_{-i}} mu(a_i, a_{-i}) [u_i(a_i', a_{-i}) - u_i(a)]`` (the epsilon of
    the per-pair CE constraints).

    Examples
    --------
    >>> from theorylab.games.instances import matching_pennies
    >>> g = matching_pennies()
    >>> float(g.nash_gap([np.array([0.5, 0.5]), np.array([0.5, 0.5])]))
    0.0
    """

    def __init__(self, payoffs, name: str = "game"):
        arr = check_array("payoffs", payoffs)
        if arr.ndim < 2:
            raise ValueError(f"payoffs must have shape (m, A_0, ..., A_(m-1)) with m >= 1, got shape {arr.shape}")
        if arr.shape[0] != arr.ndim - 1:
            raise ValueError(f"payoffs must have shape (m, A_0, ..., A_(m-1)): first axis m = {arr.shape[0]} "
                             f"but there are {arr.ndim - 1} action axes (shape {arr.shape})")
        if any(a < 1 for a in arr.shape[1:]):
            raise ValueError(f"every player needs at least one action, got shape {arr.shape}")
        self.payoffs = np.ascontiguousarray(arr, dtype=float)
        self.payoffs.setflags(write=False)
        self.name = str(name)

    # -- shape ------------------------------------------------------------------------------
    @property
    def n_players(self) -> int:
        return self.payoffs.shape[0]

    @property
    def n_actions(self) -> tuple:
        return tuple(int(a) for a in self.payoffs.shape[1:])

    @property
    def n_joint(self) -> int:
        return int(np.prod(self.n_actions))

    @property
    def payoff_range(self) -> float:
        """``max u - min u`` over all players and joint actions (the scale of every regret bound)."""
        return float(self.payoffs.max() - self.payoffs.min())

    def flat_payoffs(self) -> np.ndarray:
        """Payoffs as an ``(m, |A|)`` array, joint actions in C order."""
        return self.payoffs.reshape(self.n_players, -1)

    def action_table(self) -> np.ndarray:
        """``act[i, a_flat]``: player ``i``'s action in flattened joint action ``a_flat`` (spec 2.1)."""
        idx = np.indices(self.n_actions).reshape(self.n_players, -1)
        return np.ascontiguousarray(idx, dtype=np.int64)

    def __repr__(self) -> str:
        return f"NormalFormGame(name={self.name!r}, n_actions={self.n_actions})"

    # -- utilities --------------------------------------------------------------------------
    def action_values(self, i: int, profile) -> np.ndarray:
        """``u_i(a_i, x_{-i})`` for every action ``a_i`` of player ``i`` (shape ``(A_i,)``)."""
        i = check_int("i", i, 0, self.n_players - 1)
        profile = check_profile(self, profile)
        return _contract_others(self.payoffs[i], profile, i)

    def expected_payoffs(self, profile) -> np.ndarray:
        """``u_i(x)`` for every player (shape ``(m,)``) under a mixed profile."""
        profile = check_profile(self, profile)
        return np.array([float(profile[i] @ _contract_others(self.payoffs[i], profile, i))
                         for i in range(self.n_players)])

    def product_distribution(self, profile) -> np.ndarray:
        """The joint distribution ``prod_i x_i`` (shape ``n_actions``)."""
        profile = check_profile(self, profile)
        out = np.ones(())
        for x in profile:
            out = np.multiply.outer(out, x)
        return out

    # -- gaps -------------------------------------------------------------------------------
    def nash_gaps(self, profile) -> np.ndarray:
        """Per-player Nash gaps ``gap_i(x) = max_a u_i(a, x_{-i}) - u_i(x) >= 0`` (spec 2.3)."""
        profile = check_profile(self, profile)
        out = np.empty(self.n_players)
        for i in range(self.n_players):
            v = _contract_others(self.payoffs[i], profile, i)
            out[i] = max(float(v.max() - profile[i] @ v), 0.0)
        return out

    def nash_gap(self, profile, reduce: str = "max") -> float:
        """``NashGapMax`` (``reduce='max'``, the eps of an eps-NE) or ``NashGapSum`` (``reduce='sum'``)."""
        g = self.nash_gaps(profile)
        if reduce not in ("max", "sum"):
            raise ValueError(f"reduce must be 'max' or 'sum', got {reduce!r}")
        return float(g.max() if reduce == "max" else g.sum())

    def correlated_payoffs(self, mu) -> np.ndarray:
        """``E_mu[u_i(a)]`` for every player."""
        mu = check_correlated(self, mu)
        return np.array([float((self.payoffs[i] * mu).sum()) for i in range(self.n_players)])

    def cce_gaps(self, mu) -> np.ndarray:
        """Per-player CCE gaps of a joint distribution ``mu`` (spec 2.3, normal-form CCE)."""
        mu = check_correlated(self, mu)
        out = np.empty(self.n_players)
        for i in range(self.n_players):
            u = self.payoffs[i]
            marg = mu.sum(axis=i)                                   # distribution of a_{-i}
            dev = np.tensordot(np.moveaxis(u, i, 0), marg, axes=self.n_players - 1)
            out[i] = max(float(dev.max() - (u * mu).sum()), 0.0)
        return out

    def cce_gap(self, mu) -> float:
        """``max_i`` of :meth:`cce_gaps`: ``mu`` is an eps-CCE iff this is ``<= eps``."""
        return float(self.cce_gaps(mu).max())

    def ce_gaps(self, mu) -> np.ndarray:
        """Per-player CE gaps: ``max_{a_i, a_i'} sum_{a_{-i}} mu(a_i, a_{-i})[u_i(a_i', a_{-i}) - u_i(a)]``."""
        mu = check_correlated(self, mu)
        out = np.empty(self.n_players)
        for i in range(self.n_players):
            u = np.moveaxis(self.payoffs[i], i, 0).reshape(self.n_actions[i], -1)   # (A_i, |A_{-i}|)
            m = np.moveaxis(mu, i, 0).reshape(self.n_actions[i], -1)
            # gain[a, a'] = sum_{a_{-i}} m[a, .] (u[a', .] - u[a, .])
            gain = m @ u.T - (m * u).sum(axis=1)[:, None]
            out[i] = max(float(gain.max()), 0.0)
        return out

    def ce_gap(self, mu) -> float:
        """``max_i`` of :meth:`ce_gaps`."""
        return float(self.ce_gaps(mu).max())


# -- validation ---------------------------------------------------------------------------------
def check_profile(game: NormalFormGame, profile, atol: float = DIST_TOL) -> list:
    """Validate a mixed profile: ``m`` vectors, vector ``i`` of length ``A_i``, each a distribution.

    Parameters
    ----------
    game : NormalFormGame
        Gives the player count m and the action counts A_i.
    profile : list or tuple of array_like, or numpy.ndarray of shape (m, A)
        One mixed strategy per player; a 2-D array is accepted when every player has the same A.
    atol : float, default DIST_TOL
        Tolerance on negative entries and on the sum differing from 1.

    Returns
    -------
    list of numpy.ndarray of float
        The m validated probability vectors, vector i of shape (A_i,). ``TypeError``/``ValueError`` on a
        wrong container, count, length or a non-distribution.
    """
    if isinstance(profile, np.ndarray) and profile.ndim == 2 and len(set(game.n_actions)) == 1:
        profile = list(profile)
    if not isinstance(profile, (list, tuple)):
        raise TypeError(f"profile must be a list of {game.n_players} probability vectors, got {type(profile).__name__}")
    if len(profile) != game.n_players:
        raise ValueError(f"profile must hold {game.n_players} vectors (one per player), got {len(profile)}")
    out = []
    for i, x in enumerate(profile):
        x = check_array(f"profile[{i}]", x, ndim=1)
        if x.size != game.n_actions[i]:
            raise ValueError(f"profile[{i}] must have length A_{i} = {game.n_actions[i]}, got {x.size}")
        out.append(check_probability_vector(f"profile[{i}]", x, atol=atol))
    return out


def check_correlated(game: NormalFormGame, mu, atol: float = DIST_TOL) -> np.ndarray:
    """Validate a joint distribution: shape ``n_actions`` (or flat ``|A|``), nonnegative, sums to 1.

    Parameters
    ----------
    game : NormalFormGame
        Gives ``n_actions`` and ``n_joint``.
    mu : array_like of float, shape ``game.n_actions`` or (|A|,)
        Joint distribution over action profiles (a flat one in C order).
    atol : float, default DIST_TOL
        Per-entry tolerance; the sum is checked with ``atol * |A|``.

    Returns
    -------
    numpy.ndarray of float, shape ``game.n_actions``
        The validated distribution, reshaped to the tensor of joint actions. ``ValueError`` on a bad
        shape or a non-distribution.
    """
    arr = check_array("mu", mu)
    if arr.ndim == 1 and arr.size == game.n_joint:
        arr = arr.reshape(game.n_actions)
    if arr.shape != game.n_actions:
        raise ValueError(f"mu must have shape {game.n_actions} (or ({game.n_joint},)), got {arr.shape}")
    flat = check_probability_vector("mu", arr.ravel(), atol=atol * max(1, arr.size))
    return flat.reshape(game.n_actions)


# -- instances: moved to theorylab.games.instances (the topic's instance room), re-exported here ---------
_MOVED = ("bimatrix", "random_game", "shapley_game", "matching_pennies", "rock_paper_scissors",
          "coordination_game", "prisoners_dilemma")


def __getattr__(name: str):
    # the instance constructors live in theorylab.games.instances (which imports this module, hence the
    # lazy re-export: ``from theorylab.games.normal_form import bimatrix`` keeps working)
    if name in _MOVED:
        from theorylab.games import instances

        return getattr(instances, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
