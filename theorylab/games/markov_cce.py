"""Dense correlated Markov equilibria by per-state LPs and backward induction (spec 3.3 C4, baseline B1).

"CCE value iteration" (the polynomial-time non-stationary Markov CCE of Daskalakis, Golowich & Zhang,
COLT 2023): at each (h, s), solve the stage CCE (or CE) LP of the payoff tensor ``Q[i, h, s, .]`` and back
up its value. The result has Markov and general CCE gap 0 (up to LP tolerance), but as a mixture of
product policies it needs up to ``prod_{h,s} |supp pi[h, s]|`` components: it is not sparse, which is the
point of Foster, Golowich & Kakade (ICML 2023).
"""

from __future__ import annotations

import numpy as np

from theorylab.core.validate import check_choice
from theorylab.games.equilibria import solve_ce, solve_cce
from theorylab.games.markov import MarkovGame, best_response, evaluate_correlated
from theorylab.games.normal_form import NormalFormGame

__all__ = ["markov_cce", "correlated_markov_gaps"]


def markov_cce(game: MarkovGame, kind: str = "cce", objective: str = "welfare", solver: str = "HIGHS") -> np.ndarray:
    """Correlated Markov policy ``pi[h, s, a_flat]`` that is a stage CCE/CE of the Q-game at every (h, s).

    Backward induction from h = H - 1: the stage game at (h, s) has payoffs
    ``Q_i[h, s, a] = R_i[h, s, a] + sum_s' P[h, s, a, s'] V_i[h + 1, s']``, its LP solution becomes
    ``pi[h, s]`` and ``V_i[h, s] = E_{pi[h, s]} Q_i[h, s, .]``.

    Parameters
    ----------
    game : MarkovGame
        The game (``TypeError`` otherwise).
    kind : {"cce", "ce"}, default "cce"
        Stage solver: :func:`~theorylab.games.equilibria.solve_cce` or
        :func:`~theorylab.games.equilibria.solve_ce`.
    objective : {"welfare", "feasibility"}, default "welfare"
        Stage LP objective (maximise the stage game's social welfare, or any feasible point).
    solver : str, default "HIGHS"
        cvxpy LP solver name passed to every stage solve.

    Returns
    -------
    numpy.ndarray of float, shape (H, S, |A|)
        The correlated Markov policy: ``pi[h, s]`` a distribution over flat joint actions (C order).

    Examples
    --------
    >>> from theorylab.games.markov import random_markov_game
    >>> g = random_markov_game(2, (2, 2), 2, seed=0)
    >>> bool(correlated_markov_gaps(g, markov_cce(g)).max() < 1e-7)
    True
    """
    if not isinstance(game, MarkovGame):
        raise TypeError(f"game must be a MarkovGame, got {type(game).__name__}")
    check_choice("kind", kind, ["cce", "ce"])
    solve = solve_cce if kind == "cce" else solve_ce
    pi = np.zeros((game.horizon, game.n_states, game.n_joint))
    v = np.zeros((game.n_players, game.n_states))
    for h in range(game.horizon - 1, -1, -1):
        q = game.R[:, h] + np.einsum("sab,ib->isa", game.P[h], v)          # (m, S, |A|)
        for s in range(game.n_states):
            stage = NormalFormGame(q[:, s].reshape((game.n_players,) + game.n_actions))
            pi[h, s] = solve(stage, objective=objective, solver=solver).distribution.ravel()
        v = np.einsum("sa,isa->is", pi[h], q)
    return pi


def correlated_markov_gaps(game: MarkovGame, pi: np.ndarray) -> np.ndarray:
    """Per-player CCE gaps of a correlated Markov policy: ``V_i^BR(marginal on A_-i) - V_i(pi)``.

    Recommendations are drawn afresh at every step, so past opponent actions carry no information about
    future play: the Markov best response is optimal among general deviations and this is also the general
    CCE gap (spec C4).

    Parameters
    ----------
    game : MarkovGame
    pi : numpy.ndarray of float, shape (H, S, |A|)
        Correlated Markov policy, e.g. from :func:`markov_cce`.

    Returns
    -------
    numpy.ndarray of float, shape (m,)
        For each player i, the best-response value against the marginal of ``pi`` on A_-i minus
        V_i(pi), clipped at 0.
    """
    vals = evaluate_correlated(game, pi)
    return np.array([max(best_response(game, pi, i)[1] - vals[i], 0.0) for i in range(game.n_players)])
