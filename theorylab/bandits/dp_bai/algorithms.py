"""DP-BAI (Chen, Karthik, Chee, Tan, ICLR 2024) and its baselines, on :class:`LinearBAIInstance` objects.

- :func:`dp_bai` - Algorithm 1 of the paper as reconstructed in spec 3.3 [RECON schedule/branch rule].
- :func:`max_det_halving` - DP-BAI without noise (epsilon = inf), the non-private reference.
- :func:`dp_od` - OD-LinBAI privatised on per-arm phase means then OLS [RECON, spec 4.2]; the paper's
  "straightforward DP adaptation" baseline.
- :func:`od_linbai` - OD-LinBAI (Yang & Tan 2022), non-private.
- :func:`dp_sh` - private Sequential Halving (= DP-BAI on identity features) [OURS, spec 4.3].
- :func:`dp_sr` - private Successive Rejects (fresh samples per phase) [OURS, spec 4.3].
- ``sequential_halving`` / ``successive_rejects`` - the shared non-private baselines of
  :mod:`theorylab.bandits.algorithms` (reused, not rewritten).

All take ``seeds`` (SeedSequences, one per run; or uint64 integers) and return the recommended arm of
every run. ``path="fast"`` draws a Bernoulli phase sum as one Binomial; ``"per_pull"`` simulates every
pull (same distribution; the reference). The output is a function of each run's own seed only.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict

import numpy as np

from theorylab.bandits.dp_bai import ALGORITHMS
from theorylab.bandits.dp_bai.engine import PhasedResult, kernel_source, run_phased
from theorylab.bandits.dp_bai.instances import LinearBAIInstance
from theorylab.core.seeding import check_seeds
from theorylab.core.streams import init_states
from theorylab.bandits.dp_bai.plans import (BudgetTooSmall, DesignPlanner, MaxDetPlanner, RejectsPlanner,
                                            arms_key, check_schedule, default_schedule, od_phase_budget,
                                            rejects_min_budget)
from theorylab.core.validate import check_choice, check_int, check_real

__all__ = ["ALGORITHMS", "PRIVATE", "run_algorithm", "dp_bai", "max_det_halving", "dp_od", "od_linbai", "dp_sh",
           "dp_sr", "min_budget", "make_planner", "check_epsilon", "BudgetTooSmall"]

PRIVATE = ("dp_bai", "dp_od", "dp_sh", "dp_sr")
_CLASSIC = ("sequential_halving", "successive_rejects")


def check_epsilon(epsilon) -> float:
    """epsilon > 0, possibly math.inf (non-private).

    Parameters
    ----------
    epsilon : float or int
        The privacy parameter to check (``bool`` is rejected).

    Returns
    -------
    float
        ``epsilon`` as a float (``math.inf`` for +inf).

    Raises
    ------
    ValueError
        If ``epsilon`` is not a real number > 0.
    """
    if isinstance(epsilon, (int, float, np.floating, np.integer)) and not isinstance(epsilon, bool) \
            and math.isinf(float(epsilon)) and float(epsilon) > 0:
        return math.inf
    return check_real("epsilon", epsilon, minimum=0.0, strict_min=True)


def _sizes(algorithm: str, inst: LinearBAIInstance, schedule) -> list[int]:
    K, d0 = inst.K, inst.rank
    if algorithm == "dp_sr":
        return list(range(K, 0, -1))
    if algorithm in ("dp_sh",):
        d0 = K
    if schedule is None or algorithm in ("dp_od", "od_linbai"):
        return default_schedule(K, d0)
    return check_schedule(schedule, K)


_PLANNERS: OrderedDict = OrderedDict()
_PLANNERS_LOCK = threading.Lock()
_KEEP_PLANNERS = 4


def _new_planner(algorithm: str, inst: LinearBAIInstance, budget: int, M: int):
    if algorithm in ("dp_bai", "max_det_halving"):
        return MaxDetPlanner(inst.arms, budget, M)
    if algorithm == "dp_sh":
        return MaxDetPlanner(np.eye(inst.K), budget, M)
    if algorithm == "dp_sr":
        return RejectsPlanner(inst.K, budget)
    return DesignPlanner(inst.arms, od_phase_budget(inst.K, inst.rank, budget))


def make_planner(algorithm: str, inst: LinearBAIInstance, budget: int, schedule=None):
    """(planner, sizes) for a phased algorithm.

    A planner is a function of (algorithm, arm features, budget, phase sizes) only, never of rewards, and
    caches its plans; the last few are kept and reused by later calls with the same arguments (a sweep
    calls once per chunk, with the same instance and budget each time).

    Parameters
    ----------
    algorithm : str
        A phased algorithm of :data:`ALGORITHMS` (not ``sequential_halving`` / ``successive_rejects``).
    instance : LinearBAIInstance
        Arms' features and reward law (Bernoulli or Beta); its best arm is the target.
    budget : int
        Total pulls T.
    schedule : sequence of int, optional
        DP-BAI / Max-Det halving / DP-SH phase sizes (checked by
        :func:`~theorylab.bandits.dp_bai.plans.check_schedule`); default
        :func:`~theorylab.bandits.dp_bai.plans.default_schedule` with d_0 = rank (K for DP-SH). Ignored by
        DP-OD / OD-LinBAI (always the default) and DP-SR (sizes K, K - 1, ..., 1).

    Returns
    -------
    planner : MaxDetPlanner or RejectsPlanner or DesignPlanner
        Max-Det collections (DP-BAI, Max-Det halving; DP-SH on identity features), Successive Rejects
        increments (DP-SR) or OD-LinBAI G-optimal designs (DP-OD, OD-LinBAI), as
        :func:`~theorylab.bandits.dp_bai.engine.run_phased` consumes them.
    sizes : list of int
        Phase sizes s_1 = K, ..., s_{M+1} = 1 (M phases).
    """
    sizes = _sizes(algorithm, inst, schedule)
    key = (algorithm, arms_key(inst.arms), int(budget), tuple(sizes))
    with _PLANNERS_LOCK:
        planner = _PLANNERS.get(key)
        if planner is not None:
            _PLANNERS.move_to_end(key)
            return planner, sizes
    planner = _new_planner(algorithm, inst, budget, len(sizes) - 1)
    with _PLANNERS_LOCK:
        _PLANNERS[key] = planner
        while len(_PLANNERS) > _KEEP_PLANNERS:
            _PLANNERS.popitem(last=False)
    return planner, sizes


def min_budget(algorithm: str, inst: LinearBAIInstance, schedule=None) -> int:
    """Smallest budget T for which every pulled arm gets at least one pull in every phase.

    DP-BAI: T >= M * max_p min(s_p, d_0) (n_p = floor(T / (M d_p)) >= 1). DP-OD/OD-LinBAI: the
    OD-LinBAI phase budget m must be >= 1. DP-SH: M * K with M = ceil(log2 K). DP-SR: every phase
    brings at least one fresh pull per surviving arm.

    Parameters
    ----------
    algorithm : str
        A key of :data:`ALGORITHMS`; ``sequential_halving`` / ``successive_rejects`` use
        :func:`theorylab.bandits.algorithms.min_budget`.
    instance : LinearBAIInstance
        Arms' features and reward law (Bernoulli or Beta); its best arm is the target.
    schedule : sequence of int, optional
        Phase sizes, as in :func:`make_planner`.

    Returns
    -------
    int
        The smallest admissible budget T.
    """
    check_choice("algorithm", algorithm, ALGORITHMS)
    if algorithm in _CLASSIC:
        from theorylab.bandits.algorithms import min_budget as classic_min
        return classic_min(algorithm, inst.K)
    sizes = _sizes(algorithm, inst, schedule)
    M = len(sizes) - 1
    if algorithm in ("dp_bai", "max_det_halving"):
        return M * max(min(s, inst.rank) for s in sizes[:-1])
    if algorithm == "dp_sh":
        return M * inst.K
    if algorithm == "dp_sr":
        return rejects_min_budget(inst.K)
    T = 1
    while od_phase_budget(inst.K, inst.rank, T) < 1:
        T += 1
    return T


def _states(seeds) -> np.ndarray:
    """One stream state per run from SeedSequences or integers (checked by
    :func:`theorylab.core.seeding.check_seeds`, which names ``seeds``)."""
    if isinstance(seeds, np.ndarray) and seeds.dtype == np.uint64:
        return seeds.copy()
    return init_states(check_seeds(seeds, integers=True))


def run_algorithm(instance: LinearBAIInstance, algorithm: str, budget: int, seeds, epsilon: float = math.inf,
                  path: str = "fast", schedule=None, noise_factor: float = 1.0, reuse_samples: bool = False,
                  record: bool = False, return_result: bool = False):
    """Run ``algorithm`` once per seed on ``instance`` with budget ``budget``.

    Parameters
    ----------
    instance : LinearBAIInstance
    algorithm : str
        A key of :data:`ALGORITHMS`.
    budget : int
        T >= :func:`min_budget` (else :class:`BudgetTooSmall`, a ValueError).
    seeds : sequence of SeedSequence or uint64 array
    epsilon : float
        Privacy parameter > 0 for ``dp_*`` (``math.inf`` allowed: non-private); ignored otherwise.
    path : {"fast", "per_pull"}
    schedule : sequence of int, optional
        DP-BAI/DP-SH phase sizes s_1 = K > ... > s_{M+1} = 1; default spec 3.3 [RECON].
    noise_factor, reuse_samples : deliberate breaks (see :func:`engine.run_phased`); defaults are correct.

    Returns
    -------
    int64 array (R,) of recommended arms (or the :class:`PhasedResult` with ``return_result``).

    Examples
    --------
    >>> from theorylab.bandits.dp_bai.instances import unstructured_instance
    >>> inst = unstructured_instance([0.9, 0.5, 0.4, 0.1])
    >>> run_algorithm(inst, "dp_bai", 4000, [1, 2, 3], epsilon=1.0).tolist()
    [0, 0, 0]
    """
    if not isinstance(instance, LinearBAIInstance):
        raise TypeError(f"instance must be a LinearBAIInstance, got {type(instance).__name__}")
    check_choice("algorithm", algorithm, ALGORITHMS)
    check_choice("path", path, ("fast", "per_pull"))
    budget = check_int("budget", budget, minimum=1)
    need = min_budget(algorithm, instance, schedule)
    if budget < need:
        raise BudgetTooSmall(f"budget T = {budget} is below the minimum {need} of {algorithm} on this instance "
                             f"(K = {instance.K}, d_0 = {instance.rank})")
    if algorithm in _CLASSIC:
        return _run_classic(instance, algorithm, budget, seeds, path)
    eps = check_epsilon(epsilon) if algorithm in PRIVATE else math.inf
    check_real("noise_factor", noise_factor, minimum=0.0)
    states = _states(seeds)
    planner, sizes = make_planner(algorithm, instance, budget, schedule)
    source = kernel_source(instance.means, instance.law_code, instance.law_param, states, path == "per_pull")
    res: PhasedResult = run_phased(planner, sizes, instance.K, budget, eps, source, states.size,
                                   noise_factor=noise_factor, reuse_samples=reuse_samples, record=record)
    return res if return_result else res.recommended


def _run_classic(instance, algorithm, budget, seeds, path):
    from theorylab.bandits import algorithms as classic
    from theorylab.bandits.instances import BernoulliBandit, BetaBandit

    if isinstance(seeds, np.random.SeedSequence):
        seeds = [seeds]
    seeds = [s if isinstance(s, np.random.SeedSequence) else np.random.SeedSequence(int(s)) for s in seeds]
    env = BernoulliBandit(instance.means) if instance.law == "bernoulli" else BetaBandit(instance.means, instance.concentration)
    if algorithm == "sequential_halving":
        return classic.run_bai(env, "sequential_halving", budget, seeds, fast=path == "fast")
    return classic.run_bai(env, "successive_rejects", budget, seeds, fast=path == "fast")


def dp_bai(instance, budget, epsilon, seeds, schedule=None, path="fast"):
    """DP-BAI (Chen, Karthik, Chee, Tan 2024, Algorithm 1; spec 3.3): epsilon-DP fixed-budget linear BAI.

    Phases s_1 = K, s_{p+1} = ceil(min(s_p, d_0)/2) [RECON]; in phase p each arm of a Max-Det collection
    of the projected active arms is pulled n_p = floor(T/(M d_p)) times, its phase mean gets
    Laplace(1/(epsilon n_p)) noise, every active arm is estimated by its beta-expansion, the top s_{p+1}
    survive. epsilon-DP by parallel composition (each reward enters one release).

    Parameters
    ----------
    instance : LinearBAIInstance
        Arms' features and reward law (Bernoulli or Beta); its best arm is the target.
    budget : int
        Total pulls T, at least :func:`min_budget` (else :class:`BudgetTooSmall`, a ValueError).
    epsilon : float
        Privacy parameter > 0 (``math.inf`` allowed: no noise).
    seeds : sequence of numpy.random.SeedSequence or of int, or uint64 array
        One per run; each run's output depends on its own seed only.
    schedule : sequence of int, optional
        Phase sizes s_1 = K > ... > s_{M+1} = 1; default :func:`~theorylab.bandits.dp_bai.plans.default_schedule`
        (spec 3.3 [RECON]).
    path : {"fast", "per_pull"}, default "fast"
        ``"fast"`` draws a Bernoulli phase sum as one Binomial; ``"per_pull"`` simulates every pull.

    Returns
    -------
    numpy.ndarray of int64, shape (R,)
        Index of the recommended arm of each run.

    Examples
    --------
    >>> from theorylab.bandits.dp_bai.instances import soare_dp_instance
    >>> dp_bai(soare_dp_instance(), 40000, 10.0, [7, 8]).tolist()
    [0, 0]
    """
    return run_algorithm(instance, "dp_bai", budget, seeds, epsilon, path, schedule)


def max_det_halving(instance, budget, seeds, schedule=None, path="fast"):
    """DP-BAI with epsilon = inf (no noise): the non-private Max-Det halving reference.

    Parameters
    ----------
    instance : LinearBAIInstance
        Arms' features and reward law (Bernoulli or Beta); its best arm is the target.
    budget : int
        Total pulls T, at least :func:`min_budget` (else :class:`BudgetTooSmall`, a ValueError).
    seeds : sequence of numpy.random.SeedSequence or of int, or uint64 array
        One per run; each run's output depends on its own seed only.
    schedule : sequence of int, optional
        Phase sizes s_1 = K > ... > s_{M+1} = 1; default :func:`~theorylab.bandits.dp_bai.plans.default_schedule`
        (spec 3.3 [RECON]).
    path : {"fast", "per_pull"}, default "fast"
        ``"fast"`` draws a Bernoulli phase sum as one Binomial; ``"per_pull"`` simulates every pull.

    Returns
    -------
    numpy.ndarray of int64, shape (R,)
        Index of the recommended arm of each run.
    """
    return run_algorithm(instance, "max_det_halving", budget, seeds, math.inf, path, schedule)


def dp_od(instance, budget, epsilon, seeds, path="fast"):
    """DP-OD: OD-LinBAI with Laplace(1/(epsilon T(a))) on each design arm's phase mean, then OLS [RECON].

    T(a) is the design arm's pulls in the phase (spec 4.2); the paper's "straightforward DP adaptation".

    Parameters
    ----------
    instance : LinearBAIInstance
        Arms' features and reward law (Bernoulli or Beta); its best arm is the target.
    budget : int
        Total pulls T, at least :func:`min_budget` (else :class:`BudgetTooSmall`, a ValueError).
    epsilon : float
        Privacy parameter > 0 (``math.inf`` allowed: no noise).
    seeds : sequence of numpy.random.SeedSequence or of int, or uint64 array
        One per run; each run's output depends on its own seed only.
    path : {"fast", "per_pull"}, default "fast"
        ``"fast"`` draws a Bernoulli phase sum as one Binomial; ``"per_pull"`` simulates every pull.

    Returns
    -------
    numpy.ndarray of int64, shape (R,)
        Index of the recommended arm of each run.
    """
    return run_algorithm(instance, "dp_od", budget, seeds, epsilon, path)


def od_linbai(instance, budget, seeds, path="fast"):
    """OD-LinBAI (Yang & Tan 2022): G-optimal design + dimension reduction + elimination.

    Parameters
    ----------
    instance : LinearBAIInstance
        Arms' features and reward law (Bernoulli or Beta); its best arm is the target.
    budget : int
        Total pulls T, at least :func:`min_budget` (else :class:`BudgetTooSmall`, a ValueError).
    seeds : sequence of numpy.random.SeedSequence or of int, or uint64 array
        One per run; each run's output depends on its own seed only.
    path : {"fast", "per_pull"}, default "fast"
        ``"fast"`` draws a Bernoulli phase sum as one Binomial; ``"per_pull"`` simulates every pull.

    Returns
    -------
    numpy.ndarray of int64, shape (R,)
        Index of the recommended arm of each run.
    """
    return run_algorithm(instance, "od_linbai", budget, seeds, math.inf, path)


def dp_sh(instance, budget, epsilon, seeds, path="fast"):
    """DP Sequential Halving (features ignored; = DP-BAI on identity features) [OURS, spec 4.3].

    Parameters
    ----------
    instance : LinearBAIInstance
        Arms' features and reward law (Bernoulli or Beta); its best arm is the target.
    budget : int
        Total pulls T, at least :func:`min_budget` (else :class:`BudgetTooSmall`, a ValueError).
    epsilon : float
        Privacy parameter > 0 (``math.inf`` allowed: no noise).
    seeds : sequence of numpy.random.SeedSequence or of int, or uint64 array
        One per run; each run's output depends on its own seed only.
    path : {"fast", "per_pull"}, default "fast"
        ``"fast"`` draws a Bernoulli phase sum as one Binomial; ``"per_pull"`` simulates every pull.

    Returns
    -------
    numpy.ndarray of int64, shape (R,)
        Index of the recommended arm of each run.
    """
    return run_algorithm(instance, "dp_sh", budget, seeds, epsilon, path)


def dp_sr(instance, budget, epsilon, seeds, path="fast"):
    """DP Successive Rejects [OURS, spec 4.3]: SR phase lengths n_k (Audibert, Bubeck, Munos 2010), each
    phase's fresh samples only, Laplace(1/(epsilon (n_k - n_{k-1}))) on each phase mean, reject the lowest.
    epsilon-DP by parallel composition (every reward enters one release).

    Parameters
    ----------
    instance : LinearBAIInstance
        Arms' features and reward law (Bernoulli or Beta); its best arm is the target.
    budget : int
        Total pulls T, at least :func:`min_budget` (else :class:`BudgetTooSmall`, a ValueError).
    epsilon : float
        Privacy parameter > 0 (``math.inf`` allowed: no noise).
    seeds : sequence of numpy.random.SeedSequence or of int, or uint64 array
        One per run; each run's output depends on its own seed only.
    path : {"fast", "per_pull"}, default "fast"
        ``"fast"`` draws a Bernoulli phase sum as one Binomial; ``"per_pull"`` simulates every pull.

    Returns
    -------
    numpy.ndarray of int64, shape (R,)
        Index of the recommended arm of each run.

    Examples
    --------
    >>> from theorylab.bandits.dp_bai.instances import unstructured_instance
    >>> dp_sr(unstructured_instance([0.9, 0.5, 0.4, 0.1]), 4000, 1.0, [1, 2, 3]).tolist()
    [0, 0, 0]
    """
    return run_algorithm(instance, "dp_sr", budget, seeds, epsilon, path)
