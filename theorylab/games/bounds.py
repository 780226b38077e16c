"""Every bound checked by the games claims, as plain functions (theorem in the docstring).

Provenance: the regret bounds are textbook (paper constants of the cited works); the reduction
bound is **[derived]** ("Theorem R", docs/topics/games.md#the-reduction), not a quote of Foster, Golowich &
Kakade (ICML 2023), whose exact constants could not be read.
"""

from __future__ import annotations

import numpy as np

from theorylab.core.validate import check_int, check_real

__all__ = ["hedge_regret_bound", "regret_matching_bound", "optimistic_hedge_total_regret_bound", "reduction_bound", "horizon_for_accuracy",
           "multiplayer_reduction_bound", "sparsity_lower_envelope"]


def hedge_regret_bound(horizon: int, n_actions: int, payoff_range: float = 1.0) -> float:
    """Hedge with fixed ``eta = sqrt(8 ln A / T) / range``: ``Regret_T <= range * sqrt(T ln A / 2)``.

    Cesa-Bianchi & Lugosi (2006), Theorem 2.2 (``ln A / eta + eta T / 8`` optimised), for every utility
    sequence with values in an interval of length ``range``.

    >>> round(hedge_regret_bound(100, 2), 4)
    5.8871

    Parameters
    ----------
    horizon : int
        T.
    n_actions : int
        A.
    payoff_range : float
        Range of the utilities.

    Returns
    -------
    float
        The bound.
    """
    t = check_int("horizon", horizon, minimum=1)
    a = check_int("n_actions", n_actions, minimum=1)
    r = check_real("payoff_range", payoff_range, minimum=0.0)
    return float(r * np.sqrt(t * np.log(max(a, 1)) / 2.0))


def regret_matching_bound(horizon: int, n_actions: int, payoff_range: float = 1.0) -> float:
    """Regret matching / RM+: ``max_a R^T(a) <= range * sqrt(A T)`` (Hart & Mas-Colell 2000; Tammelin 2014).

    Proof: ``||R_+^T||_2^2 <= sum_t ||r^t||_2^2 <= A T range^2`` (Hart & Mas-Colell 2000).

    >>> regret_matching_bound(100, 4)
    20.0

    Parameters
    ----------
    horizon : int
        T.
    n_actions : int
        A.
    payoff_range : float
        Range of the utilities.

    Returns
    -------
    float
        The bound.
    """
    t = check_int("horizon", horizon, minimum=1)
    a = check_int("n_actions", n_actions, minimum=1)
    r = check_real("payoff_range", payoff_range, minimum=0.0)
    return float(r * np.sqrt(a * t))


def optimistic_hedge_total_regret_bound(n_actions, eta: float) -> float:
    """Total regret of optimistic Hedge in self-play: ``sum_i Regret_i(T) <= sum_i ln(A_i) / eta`` for every ``T``.

    Syrgkanis, Agarwal, Luo & Schapire (NeurIPS 2015): optimistic Hedge (optimistic FTRL with the entropy,
    ``x_t ~ exp(eta (U_{t-1} + u_{t-1}))``, uniform start) has the RVU property with ``alpha = ln A / eta``,
    ``beta = eta``, ``gamma = 1 / (4 eta)`` (dual norm ``l_inf``, utilities in [0, 1]); by their Theorem 4 the sum
    of the ``m`` players' regrets is at most ``sum_i alpha_i`` when ``beta (m - 1)^2 <= gamma``, i.e.
    ``eta <= 1 / (2 (m - 1))``. [paper statement; constants recalled, the combination derived]

    Parameters
    ----------
    n_actions : sequence of int
        Actions per player, ``m >= 2`` players.
    eta : float
        The common fixed step, ``0 < eta <= 1 / (2 (m - 1))``.

    Returns
    -------
    float

    Examples
    --------
    >>> round(optimistic_hedge_total_regret_bound((3, 3), 0.25), 4)
    8.7889
    """
    acts = [check_int("n_actions", a, minimum=1) for a in n_actions]
    if len(acts) < 2:
        raise ValueError(f"n_actions must list at least 2 players, got {len(acts)}")
    e = check_real("eta", eta, minimum=0.0, strict_min=True)
    if e > 1.0 / (2 * (len(acts) - 1)):
        raise ValueError(f"eta must be <= 1/(2 (m - 1)) = {1.0 / (2 * (len(acts) - 1)):.4g} for the RVU bound, got {e}")
    return float(sum(np.log(a) for a in acts) / e)


def reduction_bound(eps: float, horizon: int, weights=None, n_components: int | None = None) -> float:
    """Theorem R **[derived, docs/topics/games.md#the-reduction]**: avg NashGapSum of the components' stage profiles
    ``<= 2 eps + 2 sqrt(ln(1 / lambda_min) / (2 H))`` (``= 2 eps + sqrt(2 ln T / H)`` for uniform weights),
    if the mixture is an ``eps``-CCE (general deviations) of the repeated game G(M, H) with values in [0, 1],
    for Markov product components only (a sub-case of the paper's SparseCCE).

    >>> round(reduction_bound(0.0, 8, n_components=4), 6)
    0.588705

    Parameters
    ----------
    eps : float
        The mixture's general CCE gap.
    horizon : int
        H.
    weights : array_like, optional
        Mixture weights (default uniform).
    n_components : int, optional
        T, when weights are uniform.

    Returns
    -------
    float
        The bound on avg NashGapSum.
    """
    eps = check_real("eps", eps, minimum=0.0)
    h = check_int("horizon", horizon, minimum=1)
    if weights is not None:
        lam_min = float(np.min(weights))
        if lam_min <= 0:
            raise ValueError(f"weights must be positive, got minimum {lam_min}")
        log_inv = -np.log(lam_min)
    else:
        log_inv = np.log(check_int("n_components", n_components, minimum=1))
    return float(2 * eps + 2 * np.sqrt(max(log_inv, 0.0) / (2 * h)))


def multiplayer_reduction_bound(eps: float, horizon: int, n_components: int, n_players: int) -> float:
    """m-player version **[derived, docs/topics/games.md#the-reduction]**: avg ``sum_i gap_i <= m eps + m sqrt(ln T / (2 H))``.

    Parameters
    ----------
    eps : float
        The mixture's general CCE gap.
    horizon : int
        H.
    n_components : int
        T.
    n_players : int
        m.

    Returns
    -------
    float
        The bound.
    """
    eps = check_real("eps", eps, minimum=0.0)
    h = check_int("horizon", horizon, minimum=1)
    t = check_int("n_components", n_components, minimum=1)
    m = check_int("n_players", n_players, minimum=1)
    return float(m * eps + m * np.sqrt(np.log(t) / (2 * h)))


def horizon_for_accuracy(n_components: int, delta: float) -> int:
    """``H = ceil(8 ln T / delta^2)``: with ``eps <= delta / 4`` the extracted pair is a ``delta``-NE [derived].

    Parameters
    ----------
    n_components : int
        T.
    delta : float
        Target Nash accuracy.

    Returns
    -------
    int
        H.
    """
    t = check_int("n_components", n_components, minimum=1)
    d = check_real("delta", delta, minimum=0.0, strict_min=True)
    return int(max(1, np.ceil(8 * np.log(t) / d**2)))


def sparsity_lower_envelope(min_gap_sum: float, horizon: int, n_components: int) -> float:
    """Corollary [derived]: if every stage profile has NashGapSum ``>= g`` then
    ``CCEGap_gen >= (g - sqrt(2 ln T / H)) / 2`` (clipped at 0).

    Parameters
    ----------
    min_gap_sum : float
        g, the smallest stage NashGapSum.
    horizon : int
        H.
    n_components : int
        T.

    Returns
    -------
    float
        The lower envelope of CCEGap_gen.
    """
    g = check_real("min_gap_sum", min_gap_sum, minimum=0.0)
    h = check_int("horizon", horizon, minimum=1)
    t = check_int("n_components", n_components, minimum=1)
    return float(max(0.0, (g - np.sqrt(2 * np.log(t) / h)) / 2))
