"""Reference equilibrium solvers (spec 3.3, C1-C3): CE/CCE by linear programming, bimatrix Nash by
Lemke-Howson and by support enumeration. Every solver returns the exact gap of what it returns.

Used as baselines ("dense" correlated equilibria, B1) and as the Nash oracle (B2) for the SparseCCE
reduction of Foster, Golowich & Kakade (ICML 2023).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from theorylab.core.validate import check_choice, check_int, check_real
from theorylab.games.instances import bimatrix
from theorylab.games.normal_form import NormalFormGame

__all__ = ["CorrelatedEquilibrium", "NashEquilibrium", "cce_constraints", "ce_constraints", "solve_cce",
           "solve_ce", "lemke_howson", "lemke_howson_all", "support_enumeration", "as_bimatrix"]


@dataclass(frozen=True)
class CorrelatedEquilibrium:
    """A joint distribution returned by an LP, with its exact gaps.

    Attributes
    ----------
    distribution : numpy.ndarray of float, shape ``game.n_actions``
        The joint distribution mu over action profiles (clipped at 0 and renormalised to sum 1).
    cce_gap : float
        Exact CCE gap of ``distribution`` (``NormalFormGame.cce_gap``): the largest gain of a fixed
        unilateral deviation.
    ce_gap : float
        Exact CE gap (``NormalFormGame.ce_gap``): the largest gain of a swap deviation a_i -> a_i'.
    welfare : float
        Social welfare sum_i E_mu[u_i].
    status : str
        Status string reported by cvxpy (e.g. ``"optimal"``).
    solver : str
        Name of the cvxpy LP solver used.
    """

    distribution: np.ndarray      # shape n_actions
    cce_gap: float
    ce_gap: float
    welfare: float                # sum_i E_mu[u_i]
    status: str
    solver: str


@dataclass(frozen=True)
class NashEquilibrium:
    """A mixed profile ``(x, y)`` of a bimatrix game and its Nash gaps.

    Attributes
    ----------
    x : numpy.ndarray of float, shape (n1,)
        Mixed strategy of the row player (clipped at 0, normalised).
    y : numpy.ndarray of float, shape (n2,)
        Mixed strategy of the column player.
    gap_max : float
        Largest of the two players' best-response gains against the profile (0 at an exact equilibrium).
    gap_sum : float
        Sum of the two players' best-response gains.
    method : str
        Solver that produced the profile: ``"lemke_howson[k]"`` (k the initial label) or
        ``"support_enumeration"``.
    """

    x: np.ndarray
    y: np.ndarray
    gap_max: float
    gap_sum: float
    method: str


def _check_game(game) -> NormalFormGame:
    if not isinstance(game, NormalFormGame):
        raise TypeError(f"game must be a NormalFormGame, got {type(game).__name__}")
    return game


def cce_constraints(game: NormalFormGame) -> np.ndarray:
    """CCE constraint matrix ``G`` (rows ``(i, a_i')``, columns flat joint actions): ``G mu <= 0`` iff CCE.

    ``G[(i, a'), a] = u_i(a', a_{-i}) - u_i(a)`` (spec C1; same rows as OpenSpiel's ``_cce_constraints``).

    Parameters
    ----------
    game : NormalFormGame
        Any number of players; ``TypeError`` for other objects.

    Returns
    -------
    numpy.ndarray of float, shape (sum_i A_i, prod_i A_i)
        Row ``(i, a')`` (players in order, then deviations a' = 0..A_i - 1) holds the gain of player i from
        always playing a', at each joint action in C (row-major) order of ``game.payoffs[i].ravel()``.
    """
    game = _check_game(game)
    rows = []
    for i in range(game.n_players):
        u = game.payoffs[i]
        for ap in range(game.n_actions[i]):
            dev = np.broadcast_to(np.take(u, [ap], axis=i), u.shape)
            rows.append((dev - u).ravel())
    return np.asarray(rows)


def ce_constraints(game: NormalFormGame) -> np.ndarray:
    """CE constraint matrix: rows ``(i, a_i, a_i')`` with ``a_i != a_i'`` (spec C2).

    ``G[(i, a_i, a'), a] = u_i(a', a_{-i}) - u_i(a)`` when player i's own action in ``a`` is ``a_i``, else 0;
    ``G mu <= 0`` iff ``mu`` is a correlated equilibrium.

    Parameters
    ----------
    game : NormalFormGame
        Any number of players; ``TypeError`` for other objects.

    Returns
    -------
    numpy.ndarray of float, shape (sum_i A_i (A_i - 1), prod_i A_i)
        One row per player i, recommended action a_i and deviation a' != a_i (in that nesting order),
        columns the flat joint actions; shape (0, |A|) if every player has a single action.
    """
    game = _check_game(game)
    rows = []
    for i in range(game.n_players):
        u = game.payoffs[i]
        own = np.indices(game.n_actions)[i]
        for a in range(game.n_actions[i]):
            mask = own == a
            for ap in range(game.n_actions[i]):
                if ap == a:
                    continue
                dev = np.broadcast_to(np.take(u, [ap], axis=i), u.shape)
                rows.append(np.where(mask, dev - u, 0.0).ravel())
    if not rows:
        return np.zeros((0, game.n_joint))
    return np.asarray(rows)


_HIGHS_QUIET = []  # non-empty once this process's HiGHS has printed (swallowed) its one-time banner


def _quiet_highs() -> None:
    """Swallow the banner HiGHS prints once per process, from C, when its first ``Highs`` object is built.

    Solver options cannot reach it (it is printed before they are set), so the first ``highspy.Highs()``
    is built with file descriptor 1 pointed at /dev/null; later solves print nothing (``verbose=False``).
    """
    if _HIGHS_QUIET:
        return
    try:
        import highspy
    except ImportError:  # cvxpy will report the missing solver itself
        return
    import os
    import sys

    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no usable stdout: nothing to protect
        highspy.Highs()
        _HIGHS_QUIET.append(True)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)
    _HIGHS_QUIET.append(True)


def _solve_lp(game: NormalFormGame, g: np.ndarray, objective: str, solver: str) -> tuple[np.ndarray, str]:
    import cvxpy as cp

    n = game.n_joint
    mu = cp.Variable(n, nonneg=True)
    cons = [cp.sum(mu) == 1]
    if g.shape[0]:
        cons.append(g @ mu <= 0)
    if objective == "welfare":
        obj = cp.Maximize(game.flat_payoffs().sum(axis=0) @ mu)
    else:
        obj = cp.Minimize(0)
    prob = cp.Problem(obj, cons)
    if str(solver).upper() == "HIGHS":
        _quiet_highs()
    prob.solve(solver=solver, verbose=False)
    if mu.value is None:
        raise RuntimeError(f"LP solver {solver} failed with status {prob.status}")
    val = np.clip(np.asarray(mu.value, dtype=float), 0.0, None)
    return (val / val.sum()).reshape(game.n_actions), str(prob.status)


def _result(game, mu, status, solver) -> CorrelatedEquilibrium:
    return CorrelatedEquilibrium(mu, game.cce_gap(mu), game.ce_gap(mu), float(game.correlated_payoffs(mu).sum()),
                                 status, solver)


def solve_cce(game: NormalFormGame, objective: str = "welfare", solver: str = "HIGHS") -> CorrelatedEquilibrium:
    """A coarse correlated equilibrium by linear programming (spec C1).

    Parameters
    ----------
    game : NormalFormGame
    objective : {"welfare", "feasibility"}
        Maximise social welfare ``sum_i E_mu[u_i]`` (OpenSpiel's "mwcce") or any feasible point.
    solver : str
        A cvxpy LP solver name (default HiGHS; CLARABEL, SCS also work).

    Returns
    -------
    CorrelatedEquilibrium
        ``distribution`` (shape ``n_actions``), its exact ``cce_gap`` (<= 1e-7 with HiGHS), ``ce_gap``, welfare.

    Examples
    --------
    >>> from theorylab.games.normal_form import shapley_game
    >>> solve_cce(shapley_game()).cce_gap < 1e-7
    True
    """
    game = _check_game(game)
    check_choice("objective", objective, ["welfare", "feasibility"])
    mu, status = _solve_lp(game, cce_constraints(game), objective, solver)
    return _result(game, mu, status, solver)


def solve_ce(game: NormalFormGame, objective: str = "welfare", solver: str = "HIGHS") -> CorrelatedEquilibrium:
    """A correlated equilibrium by linear programming (spec C2); see :func:`solve_cce` for the parameters.

    Parameters
    ----------
    game : NormalFormGame
    objective : {"welfare", "feasibility"}, default "welfare"
        Maximise social welfare ``sum_i E_mu[u_i]`` over the CE polytope, or return any feasible point.
    solver : str, default "HIGHS"
        A cvxpy LP solver name (CLARABEL, SCS also work).

    Returns
    -------
    CorrelatedEquilibrium
        ``distribution`` (shape ``n_actions``) satisfying the :func:`ce_constraints`, with its exact
        ``ce_gap`` (<= 1e-7 with HiGHS), ``cce_gap`` and welfare.

    Examples
    --------
    >>> from theorylab.games.normal_form import prisoners_dilemma
    >>> solve_ce(prisoners_dilemma()).ce_gap < 1e-7
    True
    """
    game = _check_game(game)
    check_choice("objective", objective, ["welfare", "feasibility"])
    mu, status = _solve_lp(game, ce_constraints(game), objective, solver)
    return _result(game, mu, status, solver)


# -- bimatrix Nash -------------------------------------------------------------------------------------
def as_bimatrix(game) -> tuple[np.ndarray, np.ndarray]:
    """``(M_1, M_2)`` of a two-player game (a NormalFormGame or a pair of matrices).

    Parameters
    ----------
    game : NormalFormGame or tuple/list (M1, M2)
        A 2-player game (``ValueError`` for another player count) or the row and column players' payoff
        matrices of equal shape (n1, n2), validated through :func:`theorylab.games.instances.bimatrix`.

    Returns
    -------
    tuple of numpy.ndarray of float, each of shape (n1, n2)
        ``M_1[a1, a2]`` and ``M_2[a1, a2]``, the row and column players' payoffs.
    """
    if isinstance(game, NormalFormGame):
        if game.n_players != 2:
            raise ValueError(f"game must have 2 players for a bimatrix solver, got {game.n_players}")
        return np.asarray(game.payoffs[0]), np.asarray(game.payoffs[1])
    if isinstance(game, (tuple, list)) and len(game) == 2:
        g = bimatrix(game[0], game[1])
        return np.asarray(g.payoffs[0]), np.asarray(g.payoffs[1])
    raise TypeError(f"game must be a 2-player NormalFormGame or a pair (M1, M2), got {type(game).__name__}")


def _nash(a, b, x, y, method) -> NashEquilibrium:
    g = bimatrix(a, b)
    x = np.clip(x, 0, None)
    y = np.clip(y, 0, None)
    x, y = x / x.sum(), y / y.sum()
    gaps = g.nash_gaps([x, y])
    return NashEquilibrium(x, y, float(gaps.max()), float(gaps.sum()), method)


def _pivot(tab: np.ndarray, basis: list, row: int, col: int) -> None:
    tab[row] /= tab[row, col]
    for r in range(tab.shape[0]):
        if r != row and tab[r, col] != 0.0:
            tab[r] -= tab[r, col] * tab[row]
    basis[row] = col


def _lex_min_ratio(tab: np.ndarray, col: int, slack_cols: np.ndarray, tol: float = 1e-12) -> int:
    """Leaving row by the minimum-ratio test with lexicographic tie-breaking (degeneracy-safe)."""
    rows = np.flatnonzero(tab[:, col] > tol)
    if rows.size == 0:
        raise RuntimeError("Lemke-Howson: unbounded ray (payoffs must be positive after the shift)")
    keys = np.column_stack([tab[rows, -1], tab[rows][:, slack_cols]]) / tab[rows, col][:, None]
    best = 0
    for r in range(1, rows.size):
        diff = keys[r] - keys[best]
        nz = np.flatnonzero(np.abs(diff) > 1e-12)
        if nz.size and diff[nz[0]] < 0:
            best = r
    return int(rows[best])


def lemke_howson(game, initial_label: int = 0, max_pivots: int = 10_000) -> NashEquilibrium:
    """One Nash equilibrium of a bimatrix game by the Lemke-Howson algorithm (spec C3).

    Payoffs are shifted to be positive; the best-response polytopes ``P = {x >= 0: M_2^T x <= 1}`` and
    ``Q = {y >= 0: M_1 y <= 1}`` are walked by complementary pivoting from the artificial equilibrium
    after dropping ``initial_label`` (labels ``0..n1-1`` are row actions, ``n1..n1+n2-1`` column actions).
    The minimum-ratio test breaks ties lexicographically, so degenerate games do not cycle.

    Parameters
    ----------
    game : NormalFormGame (2 players) or pair (M1, M2)
    initial_label : int in [0, n1 + n2), default 0
        Label dropped at the artificial equilibrium; different labels can reach different equilibria.
    max_pivots : int, default 10000
        Pivot budget; ``RuntimeError`` if the path is longer.

    Returns
    -------
    NashEquilibrium
        The equilibrium at the end of the complementary path, normalised, with its exact gaps and
        ``method="lemke_howson[k]"``.

    Examples
    --------
    >>> from theorylab.games.normal_form import matching_pennies
    >>> ne = lemke_howson(matching_pennies())
    >>> np.round(ne.x, 6).tolist(), ne.gap_max < 1e-12
    ([0.5, 0.5], True)
    """
    a, b = as_bimatrix(game)
    n1, n2 = a.shape
    k = check_int("initial_label", initial_label, 0, n1 + n2 - 1)
    max_pivots = check_int("max_pivots", max_pivots, minimum=1)
    shift = 1.0 - min(a.min(), b.min())
    ap, bp = a + shift, b + shift
    # tableau P (rows n2): columns x_0..x_{n1-1} (labels 0..n1-1), s_0..s_{n2-1} (labels n1..), rhs
    tp = np.hstack([bp.T, np.eye(n2), np.ones((n2, 1))])
    # tableau Q (rows n1): columns r_0..r_{n1-1} (labels 0..n1-1), y_0..y_{n2-1} (labels n1..), rhs
    tq = np.hstack([np.eye(n1), ap, np.ones((n1, 1))])
    basis_p = list(range(n1, n1 + n2))
    basis_q = list(range(n1))
    slack_p = np.arange(n1, n1 + n2)
    slack_q = np.arange(n1)
    entering = k
    in_p = k < n1                    # label k is nonbasic in P iff it is an x-label
    for _ in range(max_pivots):
        tab, basis, slack = (tp, basis_p, slack_p) if in_p else (tq, basis_q, slack_q)
        row = _lex_min_ratio(tab, entering, slack)
        leaving = basis[row]
        _pivot(tab, basis, row, entering)
        if leaving == k:
            break
        entering = leaving
        in_p = not in_p
    else:
        raise RuntimeError(f"Lemke-Howson did not terminate within {max_pivots} pivots")
    x = np.zeros(n1)
    y = np.zeros(n2)
    for r, v in enumerate(basis_p):
        if v < n1:
            x[v] = tp[r, -1]
    for r, v in enumerate(basis_q):
        if v >= n1:
            y[v - n1] = tq[r, -1]
    return _nash(a, b, x, y, f"lemke_howson[{k}]")


def lemke_howson_all(game) -> list[NashEquilibrium]:
    """Distinct equilibria reached by Lemke-Howson from every initial label (duplicates removed at 1e-8).

    Parameters
    ----------
    game : NormalFormGame (2 players) or pair (M1, M2)

    Returns
    -------
    list of NashEquilibrium
        One entry per distinct profile, in order of the first initial label 0..n1 + n2 - 1 that reached it.
        Not necessarily every equilibrium of the game (see :func:`support_enumeration`).
    """
    a, b = as_bimatrix(game)
    found: list[NashEquilibrium] = []
    for k in range(sum(a.shape)):
        ne = lemke_howson((a, b), k)
        if not any(np.allclose(ne.x, f.x, atol=1e-8) and np.allclose(ne.y, f.y, atol=1e-8) for f in found):
            found.append(ne)
    return found


def _solve_indiff(m: np.ndarray) -> np.ndarray | None:
    """Solve ``m z = v 1, sum z = 1`` for square ``m`` (k x k); None if singular."""
    k = m.shape[0]
    lhs = np.zeros((k + 1, k + 1))
    lhs[:k, :k] = m
    lhs[:k, k] = -1.0
    lhs[k, :k] = 1.0
    rhs = np.zeros(k + 1)
    rhs[k] = 1.0
    try:
        sol = np.linalg.solve(lhs, rhs)
    except np.linalg.LinAlgError:
        return None
    if not np.all(np.isfinite(sol)) or np.linalg.cond(lhs) > 1e12:
        return None
    return sol[:k]


def support_enumeration(game, tol: float = 1e-9, max_actions: int = 10) -> list[NashEquilibrium]:
    """All Nash equilibria with equal-size supports (all of them in nondegenerate games), spec C3.

    For each pair of supports ``I, J`` with ``|I| = |J|``, solves the indifference equations and keeps the
    profile if it is a distribution (entries ``>= -tol``, unlike nashpy which rejects ``-1e-17``) and no
    outside action is better by more than ``tol``. Exponential: ``n1, n2 <= max_actions``.

    Parameters
    ----------
    game : NormalFormGame (2 players) or pair (M1, M2)
    tol : float >= 0, default 1e-9
        Tolerance on negative probabilities; a profile is kept when its ``gap_max <= 10 max(tol, 1e-9)``.
    max_actions : int, default 10
        Largest allowed n1 and n2 (``ValueError`` beyond, since the number of support pairs is exponential).

    Returns
    -------
    list of NashEquilibrium
        Distinct equilibria (duplicates removed at 1e-8), ordered by support size, then lexicographically
        by row support and column support; ``method="support_enumeration"``.

    Examples
    --------
    >>> from theorylab.games.normal_form import prisoners_dilemma
    >>> [ne.x.tolist() for ne in support_enumeration(prisoners_dilemma())]
    [[0.0, 1.0]]
    """
    a, b = as_bimatrix(game)
    tol = check_real("tol", tol, minimum=0.0)
    n1, n2 = a.shape
    if max(n1, n2) > max_actions:
        raise ValueError(f"support enumeration is exponential; game has {a.shape} actions > max_actions={max_actions}")
    out: list[NashEquilibrium] = []
    for k in range(1, min(n1, n2) + 1):
        for rows in itertools.combinations(range(n1), k):
            for cols in itertools.combinations(range(n2), k):
                y_s = _solve_indiff(a[np.ix_(rows, cols)])
                x_s = _solve_indiff(b[np.ix_(rows, cols)].T)
                if y_s is None or x_s is None or y_s.min() < -tol or x_s.min() < -tol:
                    continue
                x = np.zeros(n1)
                y = np.zeros(n2)
                x[list(rows)] = np.clip(x_s, 0, None)
                y[list(cols)] = np.clip(y_s, 0, None)
                ne = _nash(a, b, x, y, "support_enumeration")
                if ne.gap_max <= max(tol, 1e-9) * 10 and not any(
                        np.allclose(ne.x, f.x, atol=1e-8) and np.allclose(ne.y, f.y, atol=1e-8) for f in out):
                    out.append(ne)
    return out
