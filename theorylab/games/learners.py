"""Independent no-regret learners in normal-form games (docs/topics/games.md#algorithms) and their self-play.

Hedge (Freund & Schapire 1997; bound of Cesa-Bianchi & Lugosi 2006, Thm 2.2), regret matching
(Hart & Mas-Colell 2000), regret matching+ (Tammelin 2014), optimistic Hedge (Syrgkanis et al. 2015;
Daskalakis, Fishelson & Golowich 2021). Time-averaged self-play is a T-sparse mixture of product
distributions whose CCE gap equals ``max_i Regret_i(T) / T`` (docs/topics/games.md#the-cce-regret-identity) -- the link that
Foster, Golowich & Kakade (ICML 2023) exploit: no-regret learning solves SparseCCE.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from theorylab.core.validate import check_array, check_choice, check_int, check_real
from theorylab.games import kernels
from theorylab.games.normal_form import NormalFormGame

__all__ = ["LEARNERS", "SelfPlayResult", "selfplay", "regret_against_sequence", "hedge_eta"]

LEARNERS = tuple(kernels.LEARNER_CODES)


def hedge_eta(n_actions: int, horizon: int, payoff_range: float = 1.0) -> float:
    """Fixed Hedge step ``sqrt(8 ln A / T) / range`` for which ``Regret_T <= range * sqrt(T ln A / 2)``.

    Parameters
    ----------
    n_actions : int
        A.
    horizon : int
        T.
    payoff_range : float
        Range of the utilities.

    Returns
    -------
    float
        The step.
    """
    a = check_int("n_actions", n_actions, minimum=1)
    t = check_int("horizon", horizon, minimum=1)
    r = check_real("payoff_range", payoff_range, minimum=0.0, strict_min=True)
    return float(np.sqrt(8.0 * np.log(max(a, 2)) / t) / r)


@dataclass(frozen=True)
class SelfPlayResult:
    """Outcome of :func:`selfplay`.

    Attributes
    ----------
    regret_trace : (n_records, m) cumulative regret of each player after rounds ``record_every * (r + 1)``
    regrets : (m,) final cumulative regrets ``max_a sum_t U_i^t(a) - sum_t <x_i^t, U_i^t>``
    cum_utilities : list of (A_i,) arrays ``sum_t U_i^t``
    cum_payoffs : (m,) ``sum_t <x_i^t, U_i^t>``
    average_joint : array of shape n_actions (``mu_T = (1/T) sum_t prod_i x_i^t``) or None
    strategies : list of (T, A_i) arrays or None
    """

    regret_trace: np.ndarray
    regrets: np.ndarray
    cum_utilities: list
    cum_payoffs: np.ndarray
    average_joint: np.ndarray | None
    strategies: list | None
    horizon: int
    record_every: int

    @property
    def record_rounds(self) -> np.ndarray:
        return self.record_every * np.arange(1, self.regret_trace.shape[0] + 1)


def _check_variant(learner, optimism, power):
    """Validate the two ingredient knobs used by the claims' breaks (textbook values 1.0)."""
    optimism = check_real("optimism", optimism, minimum=0.0)
    power = check_real("power", power, minimum=1.0)
    if optimism != 1.0 and learner != "optimistic_hedge":
        raise ValueError(f"optimism applies to optimistic_hedge only, got learner={learner!r}")
    if power != 1.0 and learner not in ("regret_matching", "regret_matching_plus"):
        raise ValueError(f"power applies to regret_matching / regret_matching_plus only, got learner={learner!r}")
    return float(optimism), float(power)


def _check_common(game, learner, horizon, eta):
    if not isinstance(game, NormalFormGame):
        raise TypeError(f"game must be a NormalFormGame, got {type(game).__name__}")
    check_choice("learner", learner, LEARNERS)
    horizon = check_int("horizon", horizon, minimum=1)
    m = game.n_players
    if eta is None:
        eta_arr = np.array([hedge_eta(a, horizon, max(game.payoff_range, 1e-12)) for a in game.n_actions])
    elif np.isscalar(eta):
        eta_arr = np.full(m, check_real("eta", eta))
    else:
        eta_arr = check_array("eta", eta, shape=(m,))
    return horizon, eta_arr


def selfplay(game: NormalFormGame, learner: str = "hedge", horizon: int = 1000, eta=None, record_every: int | None = None,
             track_joint: bool = True, store_strategies: bool = False, init_utilities=None, optimism: float = 1.0,
             power: float = 1.0) -> SelfPlayResult:
    """Run ``m`` independent copies of ``learner`` against each other with full-information feedback.

    Parameters
    ----------
    game : NormalFormGame
    learner : {"hedge", "regret_matching", "regret_matching_plus", "optimistic_hedge", "follow_the_leader"}
        ``follow_the_leader`` is a deliberately broken (non-no-regret) learner used by the ``breaks``.
    horizon : int
        Rounds ``T``.
    eta : float, (m,) array or None
        Hedge / optimistic Hedge step size; None gives ``sqrt(8 ln A_i / T) / range`` (Cesa-Bianchi &
        Lugosi 2006, Thm 2.2); a value ``<= 0`` selects the anytime schedule ``sqrt(8 ln A / t)``.
    record_every : int, optional
        Resolution of the regret trace (default ``max(1, T // 100)``).
    track_joint : bool
        Accumulate the time-averaged joint distribution ``mu_T`` (O(|A| m) per round).
    store_strategies : bool
        Keep every round's mixed strategies (memory ``T * sum A_i``).
    init_utilities : list of arrays, optional
        Initial cumulative utilities (a random start for Hedge); regrets exclude them.
    optimism : float
        Optimistic Hedge's weight ``w`` on the last utility, ``x_t ~ exp(eta (U_{t-1} + w u_{t-1}))``;
        ``w = 1`` is the textbook method (Syrgkanis et al. 2015), ``w = 0`` is plain Hedge with the same
        step (optimism off). Only for ``learner="optimistic_hedge"``.
    power : float
        Regret matching's exponent ``p``, ``x ~ max(R, 0)^p``; ``p = 1`` is the textbook method, ``p -> inf``
        approaches follow-the-leader. Only for the regret-matching learners.

    Returns
    -------
    SelfPlayResult

    Examples
    --------
    >>> from theorylab.games.normal_form import shapley_game
    >>> res = selfplay(shapley_game(), "hedge", 1000)
    >>> bool(res.regrets.max() <= np.sqrt(1000 * np.log(3) / 2))
    True
    """
    horizon, eta_arr = _check_common(game, learner, horizon, eta)
    optimism, power = _check_variant(learner, optimism, power)
    record_every = check_int("record_every", record_every or max(1, horizon // 100), minimum=1, maximum=horizon)
    m, amax = game.n_players, max(game.n_actions)
    init = np.zeros((m, amax))
    if init_utilities is not None:
        if len(init_utilities) != m:
            raise ValueError(f"init_utilities must hold {m} vectors, got {len(init_utilities)}")
        for i, v in enumerate(init_utilities):
            init[i, :game.n_actions[i]] = check_array(f"init_utilities[{i}]", v, shape=(game.n_actions[i],))
    strat = np.zeros((horizon if store_strategies else 0, m, amax))
    trace, cum_u, cum_val, joint = kernels.selfplay_kernel(
        game.flat_payoffs(), game.action_table(), np.asarray(game.n_actions, dtype=np.int64),
        kernels.LEARNER_CODES[learner], horizon, eta_arr, init, record_every, bool(track_joint), strat, optimism, power)
    cum_list = [cum_u[i, :game.n_actions[i]].copy() for i in range(m)]
    regrets = np.array([cum_list[i].max() - cum_val[i] for i in range(m)])
    return SelfPlayResult(
        regret_trace=trace, regrets=regrets, cum_utilities=cum_list, cum_payoffs=cum_val,
        average_joint=(joint / horizon).reshape(game.n_actions) if track_joint else None,
        strategies=[strat[:, i, :game.n_actions[i]].copy() for i in range(m)] if store_strategies else None,
        horizon=horizon, record_every=record_every)


def regret_against_sequence(utilities, learner: str = "hedge", eta: float | None = None, optimism: float = 1.0,
                            power: float = 1.0) -> np.ndarray:
    """Regret after each round of one learner facing a fixed utility sequence ``utilities`` (T, A) in [0, 1].

    ``eta=None`` gives ``sqrt(8 ln A / T)``; ``optimism`` and ``power`` as in :func:`selfplay`.

    Parameters
    ----------
    utilities : array_like (T, A)
        Utility of each action in each round, in [0, 1].
    learner : str
        One of :data:`LEARNERS`.
    eta : float, optional
        Step (Hedge, optimistic Hedge); default :func:`hedge_eta`.
    optimism : float
        Optimistic Hedge's weight on the last utility (1 is the method).
    power : float
        Regret matching's exponent (1 is the method).

    Returns
    -------
    ndarray (T,)
        Regret after each round.

    Examples
    --------
    >>> u = np.tile([[1.0, 0.0], [0.0, 1.0]], (50, 1))
    >>> bool(regret_against_sequence(u, "hedge")[-1] <= np.sqrt(100 * np.log(2) / 2))
    True
    """
    u = check_array("utilities", utilities, ndim=2, min_size=1)
    check_choice("learner", learner, LEARNERS)
    t, a = u.shape
    e = hedge_eta(a, t) if eta is None else check_real("eta", eta)
    optimism, power = _check_variant(learner, optimism, power)
    return kernels.sequence_kernel(np.ascontiguousarray(u), kernels.LEARNER_CODES[learner], e, optimism, power)


def __getattr__(name):
    # compatibility: the slow reference moved to theorylab.games.reference (imported lazily: it imports us)
    if name == "reference_selfplay":
        from theorylab.games.reference import reference_selfplay
        return reference_selfplay
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
