"""Successive elimination over all K actions: the unstructured pure-exploration baseline (spec 4.4) [ours].

Ignores the features: every active action is queried once per round; after n rounds an action's empirical
mean is within c_n = sigma sqrt(2 log(4 K n^2 / p) / n) of its reward for all actions and rounds at once
with probability >= 1 - p (Gaussian tail, union bound over K actions and rounds, sum_n 1/(2 n^2) <= 1)
[derived; docs/topics/linear.md#successive-elimination]. Actions whose upper bound falls below the best
lower bound are dropped; the run stops when c_n <= eps_stat or one action is left and outputs the best
empirical mean (exact ties by the run's priorities). On the event, the best action is never dropped and the
output's error is at most 2 c_n <= 2 eps_stat. Queries O(K sigma^2 log(K / (p eps_stat)) / eps_stat^2).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from theorylab.bandits.linear.draws import states_for
from theorylab.bandits.linear.instances import LinearInstance
from theorylab.bandits.linear.results import PureExplorationResult, check_instance
from theorylab.core.streams import normal, uniform
from theorylab.core.validate import check_open_unit, check_real

__all__ = ["successive_elimination", "elimination_radius"]


def elimination_radius(sigma: float, K: int, n: int, p: float) -> float:
    """c_n = sigma sqrt(2 log(4 K n^2 / p) / n), the anytime confidence radius of successive elimination.

    Parameters
    ----------
    sigma : float >= 0
        Noise standard deviation.
    K : int >= 1
        Number of actions.
    n : int >= 1
        Queries of each active action so far.
    p : float in (0, 1)
        Failure probability.

    Returns
    -------
    float

    Examples
    --------
    >>> round(elimination_radius(1.0, 10, 1, 0.05), 4)
    3.6564
    """
    return sigma * math.sqrt(2.0 * math.log(4.0 * K * n * n / p) / n)


@njit(cache=True)
def _se_batch(rewards, sigma, eps_stat, p, max_rounds, states, out_action, out_queries, out_distinct):
    K = rewards.size
    for r in range(states.size):
        s = states[r]
        prio = np.empty(K)
        for a in range(K):
            s, prio[a] = uniform(s)
        active = np.ones(K, dtype=np.bool_)
        sums = np.zeros(K)
        n_act = K
        queries = 0
        n = 0
        while True:
            n += 1
            for a in range(K):
                if active[a]:
                    s, z = normal(s)
                    sums[a] += rewards[a] + sigma * z
                    queries += 1
            if sigma == 0.0:
                break
            c = sigma * math.sqrt(2.0 * math.log(4.0 * K * n * n / p) / n)
            best_low = -np.inf
            for a in range(K):
                if active[a] and sums[a] / n - c > best_low:
                    best_low = sums[a] / n - c
            for a in range(K):
                if active[a] and sums[a] / n + c < best_low:
                    active[a] = False
                    n_act -= 1
            if c <= eps_stat or n_act == 1 or n >= max_rounds:
                break
        best = -1
        for a in range(K):
            if active[a]:
                if best < 0 or sums[a] > sums[best] or (sums[a] == sums[best] and prio[a] > prio[best]):
                    best = a
        states[r] = s
        out_action[r] = best
        out_queries[r] = queries
        out_distinct[r] = K


def successive_elimination(instance: LinearInstance, seeds, eps_stat: float | None = None, p: float = 0.05,
                           max_rounds: int = 10**7) -> PureExplorationResult:
    """Successive elimination over all actions, ignoring the features [ours; spec 4.4 baseline].

    Parameters
    ----------
    instance : LinearInstance
        Queries return r(a) + N(0, sigma^2); sigma = 0 queries each action once (error 0).
    seeds : sequence of numpy.random.SeedSequence
        One per run (:func:`theorylab.core.seeding.repetition_seeds`).
    eps_stat : float > 0, optional
        Stop when the radius c_n <= eps_stat (default instance.eps, or 0.05 when eps = 0).
    p : float in (0, 1)
        Failure probability of the anytime confidence event.
    max_rounds : int
        Safety cap on the rounds.

    Returns
    -------
    PureExplorationResult
        Error <= 2 eps_stat with probability >= 1 - p (derived, see the module docstring);
        ``info``: eps_stat, p.

    Examples
    --------
    >>> from theorylab.bandits.linear.instances import random_sparse_instance
    >>> from theorylab.core.seeding import repetition_seeds
    >>> inst = random_sparse_instance(20, 3, 2, 0.05, seed=0, sigma=0.5)
    >>> res = successive_elimination(inst, repetition_seeds(0, "doc", 4))
    >>> bool((res.errors <= 0.1).all()), bool((res.queries >= 20).all())
    (True, True)
    """
    inst = check_instance(instance)
    p = check_open_unit("p", p)
    default = inst.eps if inst.eps > 0 else 0.05
    eps_stat = default if eps_stat is None else check_real("eps_stat", eps_stat, minimum=0.0, strict_min=True)
    states = states_for(seeds)
    R = states.size
    actions = np.empty(R, dtype=np.int64)
    queries = np.empty(R, dtype=np.int64)
    distinct = np.empty(R, dtype=np.int64)
    _se_batch(inst.rewards, float(inst.sigma), float(eps_stat), p, int(max_rounds), states, actions, queries,
              distinct)
    return PureExplorationResult("successive_elimination", actions, inst.errors(actions), queries, distinct,
                                 {"eps_stat": eps_stat, "p": p})
