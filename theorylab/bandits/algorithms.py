"""Classic bandit algorithms: the shared baselines of every bandit topic.

Regret minimisation: UCB1, Thompson sampling, EXP3, explore-then-commit (uniform exploration),
successive elimination. Fixed-budget best-arm identification: Successive Rejects and Sequential
Halving. Every function runs all its repetitions in one call of a generic kernel of
:mod:`theorylab.bandits.kernels`, each repetition on its own stream derived from its SeedSequence
(:func:`theorylab.core.streams.init_states`), so the same seeds give the same numbers wherever and in
whatever batches they run. Exact ties are broken uniformly at random from the run's stream.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from theorylab.bandits.instances import BanditEnvironment, BernoulliBandit
from theorylab.bandits.kernels import PHASE_CODES, POLICY_CODES, index_policy_batch, phase_batch, phase_pulls
from theorylab.core.alias import TABLES
from theorylab.core.seeding import check_seeds
from theorylab.core.streams import init_states
from theorylab.core.validate import check_array, check_choice, check_int, check_open_unit, check_real

__all__ = ["RegretRun", "REGRET_ALGORITHMS", "BAI_ALGORITHMS", "run_regret", "exp3_gamma", "run_bai",
           "successive_rejects", "sequential_halving", "min_budget", "as_environment"]

REGRET_ALGORITHMS = {
    "ucb1": "UCB1 (Auer, Cesa-Bianchi, Fischer 2002), bonus sqrt(2 ln t / n_i)",
    "thompson": "Thompson sampling, Beta(1,1) priors (Agrawal-Goyal 2012; Kaufmann et al. 2012)",
    "exp3": "EXP3 with gains (Auer, Cesa-Bianchi, Freund, Schapire 2002), gamma from Corollary 3.2",
    "explore_then_commit": "uniform exploration for m pulls per arm, then commit to the best mean",
    "successive_elimination": "successive elimination (Even-Dar, Mannor, Mansour 2006), delta = 1/T",
}
BAI_ALGORITHMS = {
    "successive_rejects": "Successive Rejects (Audibert, Bubeck, Munos 2010)",
    "sequential_halving": "Sequential Halving (Karnin, Koren, Somekh 2013), paper's per-round ranking",
    "sequential_halving_cumulative": "Sequential Halving ranking by all samples so far (ours, an option)",
}


@dataclass(frozen=True)
class RegretRun:
    """Outcome of ``R`` repetitions of a regret-minimisation run.

    Attributes
    ----------
    checkpoints : int64 array (C,)
    regret : float64 array (R, C)
        Pseudo-regret at each checkpoint; ``regret[:, -1]`` is the final pseudo-regret.
    counts : int64 array (R, K)
        Pulls per arm.
    """

    checkpoints: np.ndarray
    regret: np.ndarray
    counts: np.ndarray

    @property
    def final(self) -> np.ndarray:
        return self.regret[:, -1]


def as_environment(env) -> BanditEnvironment:
    """Accept an environment or a vector of Bernoulli means.

    Parameters
    ----------
    env : BanditEnvironment or array_like of float, shape (K,)
        An environment (returned as is) or the arms' means in [0, 1], wrapped in a
        :class:`~theorylab.bandits.instances.BernoulliBandit`.

    Returns
    -------
    BanditEnvironment
        ``env`` itself, or a new Bernoulli bandit with those means.
    """
    if isinstance(env, BanditEnvironment):
        return env
    return BernoulliBandit(env)


def exp3_gamma(K: int, horizon: int) -> float:
    """gamma = min(1, sqrt(K ln K / ((e - 1) g))) with g = T (Auer et al. 2002, Corollary 3.2).

    Parameters
    ----------
    K : int
        Number of arms (>= 2 for a positive rate; K = 1 gives 0).
    horizon : int
        Rounds T (>= 1), used as the gain bound g of the corollary.

    Returns
    -------
    float
        EXP3's exploration rate gamma in (0, 1], the default of :func:`run_regret` for ``"exp3"``.
    """
    return min(1.0, math.sqrt(K * math.log(K) / ((math.e - 1.0) * horizon)))


def _states(seeds) -> np.ndarray:
    """One stream state per repetition (:func:`theorylab.core.seeding.check_seeds` names ``seeds`` in its
    errors); a :class:`~theorylab.core.seeding.RepetitionSeeds` batch in one compiled call."""
    return init_states(check_seeds(seeds))


def _checkpoints(horizon: int, checkpoints) -> np.ndarray:
    if checkpoints is None:
        return np.array([horizon], dtype=np.int64)
    cp = check_array("checkpoints", checkpoints, ndim=1, dtype=np.int64, min_size=1)
    if np.any(np.diff(cp) <= 0) or cp[0] < 1 or cp[-1] > horizon:
        raise ValueError(f"checkpoints must be strictly increasing within [1, horizon={horizon}], got {cp.tolist()}")
    return cp


def run_regret(env, algorithm: str, horizon: int, seeds, checkpoints=None, bonus_scale: float = 1.0,
               gamma: float | None = None, explore: int | None = None, delta: float | None = None) -> RegretRun:
    """Run a regret-minimisation algorithm once per seed.

    Parameters
    ----------
    env : BanditEnvironment or array_like of Bernoulli means
    algorithm : str
        One of :data:`REGRET_ALGORITHMS`.
    horizon : int >= K
    seeds : sequence of numpy.random.SeedSequence
        One per repetition.
    checkpoints : array_like of int, optional
        Rounds at which pseudo-regret is recorded (default: only ``horizon``).
    bonus_scale : float
        UCB1 only: multiplies the exploration bonus (1 is the paper's algorithm; other values exist to
        break it on purpose in the proofs checks).
    gamma : float, optional
        EXP3 only: exploration rate; default :func:`exp3_gamma`.
    explore : int, optional
        Explore-then-commit only: pulls per arm before committing; default ceil((T/K)^(2/3)).
    delta : float, optional
        Successive elimination only: confidence; default 1/T.

    Returns
    -------
    RegretRun

    Examples
    --------
    >>> from theorylab.core.seeding import repetition_seeds
    >>> run = run_regret([0.5, 0.4], "ucb1", 1000, repetition_seeds(0, "doc", 4))
    >>> run.regret.shape
    (4, 1)
    """
    env = as_environment(env)
    check_choice("algorithm", algorithm, REGRET_ALGORITHMS)
    horizon = check_int("horizon", horizon, minimum=env.K)
    states = _states(seeds)
    cp = _checkpoints(horizon, checkpoints)
    if algorithm == "thompson" and not env.bounded:
        raise ValueError("algorithm 'thompson' (Beta-Bernoulli) needs rewards in [0, 1]; got a Gaussian environment")
    if algorithm == "exp3" and not env.bounded:
        raise ValueError("algorithm 'exp3' needs gains in [0, 1]; got a Gaussian environment")
    if algorithm == "successive_elimination":
        d = 1.0 / horizon if delta is None else check_open_unit("delta", delta)
        if cp.size != 1 or cp[0] != horizon:
            raise ValueError("successive_elimination records regret at the horizon only; omit checkpoints")
        _, _, regret = _phase_call(env, PHASE_CODES["successive_elimination"], horizon, d, True, states)
        return RegretRun(cp, regret[:, None], np.zeros((states.size, env.K), np.int64))
    if algorithm == "ucb1":
        param = check_real("bonus_scale", bonus_scale, minimum=0.0)
    elif algorithm == "exp3":
        param = exp3_gamma(env.K, horizon) if gamma is None else check_real("gamma", gamma, minimum=0.0, maximum=1.0, strict_min=True)
    elif algorithm == "explore_then_commit":
        m = math.ceil((horizon / env.K) ** (2 / 3)) if explore is None else check_int("explore", explore, minimum=1)
        param = float(min(m, horizon // env.K))
    else:
        param = 0.0
    counts, regret, _ = index_policy_batch(env.means, env.law_code, float(env.law_param), POLICY_CODES[algorithm],
                                           float(param), horizon, cp, states)
    return RegretRun(cp, regret, counts)


_NO_TABLES = np.zeros((0, 0), dtype=np.int64)
_PLANS: dict = {}          # (means, law, code, budget, fast) -> (means, pulls, n grid, p grid); a few hundred at most


def _plan(env, code: int, budget: int, fast: bool):
    key = (env.means.tobytes(), env.law_code, code, budget, fast)
    plan = _PLANS.get(key)
    if plan is None:
        if len(_PLANS) > 512:
            _PLANS.clear()
        pulls = phase_pulls(code, env.K, budget)
        means = np.ascontiguousarray(env.means, dtype=float)
        if fast and env.law_code == 0 and pulls.size:
            grid = (np.repeat(pulls[:, None], env.K, axis=1), np.tile(means, (pulls.size, 1)))
        else:
            grid = (_NO_TABLES, _NO_TABLES.astype(float))
        plan = _PLANS[key] = (means, pulls, grid)
    return plan


_UNIQUE_BEST: set = set()  # means (bytes) already checked to have a unique best arm; a few hundred at most


def _require_unique_best(env) -> None:
    """``env.require_unique_best()``, remembered per vector of means (it costs more than a one-run call)."""
    key = env.means.tobytes()
    if key not in _UNIQUE_BEST:
        env.require_unique_best()
        if len(_UNIQUE_BEST) > 512:
            _UNIQUE_BEST.clear()
        _UNIQUE_BEST.add(key)


def _phase_call(env, code: int, budget: int, param: float, fast: bool, states: np.ndarray):
    """One :func:`phase_batch` call for all runs: the phase schedule and (fast Bernoulli path) its alias
    tables are built here, once per call (the schedule remembered per instance and budget; the table ids
    are looked up afresh every call, under the table store's lock)."""
    means, pulls, grid = _plan(env, code, budget, fast)
    tables, flat = TABLES.lookup(*grid)
    if not grid[0].size:
        tables = np.full((pulls.size, env.K), -1, dtype=np.int64)
    return phase_batch(means, env.law_code, float(env.law_param), code, budget, float(param), bool(fast), pulls,
                       tables, *flat, states)


def min_budget(algorithm: str, K: int) -> int:
    """Smallest budget for which the algorithm pulls every surviving arm at least once per phase.

    Parameters
    ----------
    algorithm : str
        One of :data:`BAI_ALGORITHMS`.
    K : int
        Number of arms.

    Returns
    -------
    int
        K + 1 for Successive Rejects; K ceil(log2 K) for both Sequential Halving variants.
    """
    check_choice("algorithm", algorithm, BAI_ALGORITHMS)
    if algorithm == "successive_rejects":
        return K + 1
    return K * math.ceil(math.log2(K))


def run_bai(env, algorithm: str, budget: int, seeds, fast: bool = True) -> np.ndarray:
    """Fixed-budget best-arm identification, once per seed; returns the recommended arms (R,).

    Parameters
    ----------
    env : BanditEnvironment or array_like of Bernoulli means (unique best arm)
    algorithm : str
        One of :data:`BAI_ALGORITHMS`.
    budget : int
        Total pulls T, at least :func:`min_budget`.
    seeds : sequence of numpy.random.SeedSequence
    fast : bool
        Binomial (Bernoulli) / Normal (Gaussian) fast path for a phase's pulls; ``False`` simulates
        every pull (the reference the fast path is pinned to in the tests).

    Returns
    -------
    numpy.ndarray of int64, shape (R,)
        Index of the arm recommended after the budget is spent, one per seed.
    """
    env = as_environment(env)
    _require_unique_best(env)
    check_choice("algorithm", algorithm, BAI_ALGORITHMS)
    budget = check_int("budget", budget, minimum=min_budget(algorithm, env.K))
    states = _states(seeds)
    code = PHASE_CODES["successive_rejects" if algorithm == "successive_rejects" else "sequential_halving"]
    param = 1.0 if algorithm == "sequential_halving_cumulative" else 0.0
    return _phase_call(env, code, budget, param, bool(fast), states)[0]


def successive_rejects(means, budget: int, seeds, fast: bool = True) -> np.ndarray:
    """Successive Rejects (Audibert, Bubeck, Munos 2010, Section 3); recommended arm per seed.

    Phase k = 1..K-1 brings every surviving arm to n_k = ceil((T - K) / (log_bar(K) (K + 1 - k)))
    pulls, then rejects the lowest empirical mean (ties at random).

    Parameters
    ----------
    means : BanditEnvironment or array_like of Bernoulli means, shape (K,)
        The instance; its best arm must be unique.
    budget : int
        Total pulls T (>= K + 1).
    seeds : sequence of numpy.random.SeedSequence
        One per repetition.
    fast : bool, default True
        Draw each phase's pulls of an arm as one Binomial/Normal sum; ``False`` simulates every pull.

    Returns
    -------
    numpy.ndarray of int64, shape (R,)
        The surviving (recommended) arm of each repetition.

    Examples
    --------
    >>> from theorylab.core.seeding import repetition_seeds
    >>> successive_rejects([0.9, 0.1, 0.1], 300, repetition_seeds(0, "doc", 3)).tolist()
    [0, 0, 0]
    """
    return run_bai(means, "successive_rejects", budget, seeds, fast)


def sequential_halving(means, budget: int, seeds, ranking: str = "round", fast: bool = True) -> np.ndarray:
    """Sequential Halving (Karnin, Koren, Somekh 2013, Algorithm 1); recommended arm per seed.

    ceil(log2 K) rounds; in round r each surviving arm gets floor(T / (|S_r| ceil(log2 K))) pulls and the
    top ceil(|S_r| / 2) survive. ``ranking="round"`` ranks by the round's own samples (the paper);
    ``"cumulative"`` by all samples so far (ours, offered as an option; much smaller error).

    Parameters
    ----------
    means : BanditEnvironment or array_like of Bernoulli means, shape (K,)
        The instance; its best arm must be unique.
    budget : int
        Total pulls T (>= K ceil(log2 K)).
    seeds : sequence of numpy.random.SeedSequence
        One per repetition.
    ranking : {"round", "cumulative"}, default "round"
        Which samples rank the survivors of a round (see above).
    fast : bool, default True
        Draw each round's pulls of an arm as one Binomial/Normal sum; ``False`` simulates every pull.

    Returns
    -------
    numpy.ndarray of int64, shape (R,)
        The last surviving (recommended) arm of each repetition.
    """
    check_choice("ranking", ranking, ("round", "cumulative"))
    name = "sequential_halving" if ranking == "round" else "sequential_halving_cumulative"
    return run_bai(means, name, budget, seeds, fast)
