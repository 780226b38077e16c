"""LinUCB / OFUL on a batch of runs (regret baseline; docs/topics/linear.md#linucb).

Abbasi-Yadkori, Pal & Szepesvari, "Improved Algorithms for Linear Stochastic Bandits", NeurIPS 2011
(OFUL; self-normalised radius, their Theorem 2) [standard]; Li, Chu, Langford & Schapire, WWW 2010 (LinUCB
with a constant alpha) [standard]; the misspecified variant adds eps sqrt(t - 1) to the radius (in the spirit
of Jin, Yang, Wang & Jordan 2020 and Zanette et al. 2020) [standard idea, constant ours].
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from theorylab.bandits.linear import kernels_linucb as kl
from theorylab.bandits.linear.draws import states_for
from theorylab.bandits.linear.instances import LinearInstance
from theorylab.bandits.linear.results import check_instance
from theorylab.core.validate import check_array, check_choice, check_int, check_open_unit, check_real

__all__ = ["RADII", "RegretResult", "linucb", "oful_radius"]

RADII = {"self_normalised": kl.SELF_NORMALISED, "closed_form": kl.CLOSED_FORM, "constant": kl.CONSTANT}


@dataclass(frozen=True)
class RegretResult:
    """Cumulative pseudo-regret of each run at each checkpoint.

    Attributes
    ----------
    algorithm : str
    checkpoints : int64 (C,)
    regret : float64 (R, C)
    covered : bool (R,) or None
        Whether the confidence ellipsoid contained theta* at every round (when recorded).
    info : dict

    Examples
    --------
    >>> import numpy as np
    >>> RegretResult("demo", np.array([10]), np.zeros((2, 1))).regret.shape
    (2, 1)
    """

    algorithm: str
    checkpoints: np.ndarray
    regret: np.ndarray
    covered: np.ndarray | None = None
    info: dict = field(default_factory=dict)


def oful_radius(sigma: float, logdet_ratio: float, p: float, lam: float, S: float) -> float:
    """sqrt(beta) = sigma sqrt(2 log(1/p) + log(det V / lambda^d)) + sqrt(lambda) S (OFUL, Theorem 2).

    Parameters
    ----------
    sigma : float
        Noise level.
    logdet_ratio : float
        log(det V / lambda^d).
    p : float in (0, 1)
    lam : float
        Ridge parameter lambda.
    S : float
        Bound on ||theta*||_2.

    Returns
    -------
    float

    Examples
    --------
    >>> round(oful_radius(1.0, 0.0, 0.05, 1.0, 1.0), 6)
    3.447747
    """
    return sigma * math.sqrt(2 * math.log(1 / p) + logdet_ratio) + math.sqrt(lam) * S


def linucb(instance: LinearInstance, horizon: int, seeds, lam: float = 1.0, S: float = 1.0, L: float = 1.0,
           p: float = 0.05, radius: str = "self_normalised", alpha: float = 1.0, misspecified: bool = False,
           checkpoints=None, record_coverage: bool = False, radius_scale: float = 1.0,
           resync: int = 1000) -> RegretResult:
    """LinUCB / OFUL for ``horizon`` rounds on every run of a batch, in one kernel call.

    Index of action a at round t: <phi(a), theta_hat> + rad_t ||phi(a)||_{V^{-1}}, V = lambda I + sum phi phi^T;
    rad_t = sigma sqrt(2 log(1/p) + log(det V / lambda^d)) + sqrt(lambda) S (``self_normalised``), its closed form
    sigma sqrt(2 log(1/p) + d log(1 + (t-1) L^2 / (lambda d))) + sqrt(lambda) S, or a constant ``alpha``; plus
    eps sqrt(t - 1) when ``misspecified``. Widths are kept by rank-one updates (O(K d + d^2) per round).
    Well-specified guarantee [standard]: with probability >= 1 - p, ||theta_hat_t - theta*||_{V_t} <= rad_t for all t.

    Parameters
    ----------
    instance : LinearInstance
        Its ``sigma`` is the Gaussian noise level (and the radius's sigma).
    horizon : int >= 1
    seeds : sequence of numpy.random.SeedSequence
    lam, S, L : float > 0
        Ridge parameter, bound on ||theta*||_2, bound on ||phi||_2.
    p : float in (0, 1)
    radius : {"self_normalised", "closed_form", "constant"}
    alpha : float >= 0
        The constant radius.
    misspecified : bool
        Add instance.eps sqrt(t - 1) to the radius.
    checkpoints : array of int, optional
        Rounds at which the cumulative regret is recorded (default: the horizon only).
    record_coverage : bool
        Check the confidence ellipsoid at the start of every round.
    radius_scale : float >= 0
        Multiplier of the radius (1 is the algorithm; other values only for the claims' breaks; 0 is the
        greedy learner).
    resync : int >= 1
        Rounds between recomputations of V^{-1} and the widths from scratch.

    Returns
    -------
    RegretResult

    Examples
    --------
    >>> from theorylab.bandits.linear.instances import random_sparse_instance
    >>> from theorylab.core.seeding import repetition_seeds
    >>> inst = random_sparse_instance(20, 3, 3, 0.0, seed=0, sigma=0.1)
    >>> res = linucb(inst, 500, repetition_seeds(0, "doc", 2), record_coverage=True)
    >>> res.regret.shape, bool(res.covered.all())
    ((2, 1), True)
    """
    inst = check_instance(instance)
    horizon = check_int("horizon", horizon, minimum=1)
    lam = check_real("lam", lam, minimum=0.0, strict_min=True)
    S = check_real("S", S, minimum=0.0, strict_min=True)
    L = check_real("L", L, minimum=0.0, strict_min=True)
    p = check_open_unit("p", p)
    mode = RADII[check_choice("radius", radius, RADII)]
    alpha = check_real("alpha", alpha, minimum=0.0)
    radius_scale = check_real("radius_scale", radius_scale, minimum=0.0)
    resync = check_int("resync", resync, minimum=1)
    if checkpoints is None:
        ck = np.array([horizon], dtype=np.int64)
    else:
        ck = check_array("checkpoints", checkpoints, ndim=1, dtype=np.int64, min_size=1)
        if np.any(np.diff(ck) <= 0) or ck[0] < 1 or ck[-1] > horizon:
            raise ValueError(f"checkpoints must be increasing rounds in [1, {horizon}]")
    states = states_for(seeds)
    R = states.size
    regret = np.zeros((R, ck.size))
    covered = np.ones(R, dtype=np.bool_)
    eps_bonus = inst.eps if misspecified else 0.0
    kl.linucb_batch(np.ascontiguousarray(inst.features), inst.rewards, inst.theta, float(inst.sigma), horizon,
                    lam, S, L, float(inst.sigma), math.log(1.0 / p), mode, alpha, float(eps_bonus),
                    radius_scale, resync, bool(record_coverage), states, ck, regret, covered)
    info = {"lam": lam, "S": S, "L": L, "p": p, "radius": radius, "misspecified": misspecified, "horizon": horizon}
    return RegretResult("linucb", ck, regret, covered if record_coverage else None, info)
