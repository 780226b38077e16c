"""The classic bounds as plain functions, each with its theorem and reference.

All take the vector of arm means (Bernoulli / [0, 1] rewards unless stated) and return a number; they
validate it (finite, in [0, 1], K >= 2) and raise ValueError naming the parameter otherwise.
"""

from __future__ import annotations

import math

import numpy as np

from theorylab.bandits import instances as _env
from theorylab.core.validate import check_int, check_means_unit, check_real

__all__ = ["ucb1_regret_bound", "bernoulli_kl", "lai_robbins_constant", "log_bar", "complexity_h1",
           "complexity_h2", "successive_rejects_error_bound", "sequential_halving_error_bound", "exp3_regret_bound"]


def complexity_h1(means) -> float:
    """H1 = sum_i Delta_(i)^-2 with Delta_(1) := Delta_(2) (Audibert, Bubeck, Munos 2010, Section 2), validated.

    ``means``: finite, in [0, 1], at least two arms (ValueError otherwise); infinite if the best arm is
    not unique.

    Parameters
    ----------
    means : array_like
        Arm means in [0, 1].

    Returns
    -------
    float
        H1 (inf if the best arm is not unique).

    Examples
    --------
    >>> round(complexity_h1([0.5, 0.4, 0.3]), 6)
    225.0
    """
    return _env.complexity_h1(check_means_unit("means", means))


def complexity_h2(means) -> float:
    """H2 = max_i i Delta_(i)^-2 with Delta_(1) := Delta_(2) (Audibert, Bubeck, Munos 2010), validated.

    Parameters
    ----------
    means : array_like
        Arm means in [0, 1].

    Returns
    -------
    float
        H2 (inf if the best arm is not unique).

    Examples
    --------
    >>> round(complexity_h2([0.5, 0.4, 0.3]), 6)
    200.0
    """
    return _env.complexity_h2(check_means_unit("means", means))


def ucb1_regret_bound(means, horizon: int) -> float:
    """UCB1 expected pseudo-regret bound.

    Auer, Cesa-Bianchi, Fischer (2002), Theorem 1: for rewards in [0, 1] and every T,
    E[R_T] <= sum_{Delta_i > 0} 8 ln T / Delta_i + (1 + pi^2 / 3) sum_i Delta_i.

    Parameters
    ----------
    means : array_like
        Arm means in [0, 1].
    horizon : int
        T.

    Returns
    -------
    float
        The bound at T.

    Examples
    --------
    >>> round(ucb1_regret_bound([0.5, 0.4], 1000), 3)
    553.049
    """
    mu = check_means_unit("means", means)
    horizon = check_int("horizon", horizon, minimum=1)
    gaps = mu.max() - mu
    pos = gaps[gaps > 0]
    return float((8.0 * math.log(horizon) / pos).sum() + (1.0 + math.pi**2 / 3.0) * gaps.sum())


def bernoulli_kl(p: float, q: float) -> float:
    """kl(p, q) = p ln(p/q) + (1-p) ln((1-p)/(1-q)), with 0 ln 0 = 0; p, q in [0, 1] (q clipped to
    [1e-15, 1 - 1e-15]).

    >>> round(bernoulli_kl(0.4, 0.6), 6)
    0.081093

    Parameters
    ----------
    p : float
        First mean.
    q : float
        Second mean.

    Returns
    -------
    float
        kl(p, q) in nats.
    """
    p = check_real("p", p, minimum=0.0, maximum=1.0)
    q = check_real("q", q, minimum=0.0, maximum=1.0)
    eps = 1e-15
    q = min(max(q, eps), 1 - eps)
    out = 0.0
    if p > 0:
        out += p * math.log(p / q)
    if p < 1:
        out += (1 - p) * math.log((1 - p) / (1 - q))
    return out


def lai_robbins_constant(means) -> float:
    """Lai-Robbins constant sum_{Delta_i > 0} Delta_i / kl(mu_i, mu*) for Bernoulli arms.

    Lai & Robbins (1985), Theorem 2: every consistent policy has
    liminf_T E[R_T] / ln T >= this constant. (Asymptotic: at finite T an optimal policy may sit below.)

    Parameters
    ----------
    means : array_like
        Arm means in [0, 1].

    Returns
    -------
    float
        The constant c of the asymptote c ln T.
    """
    mu = check_means_unit("means", means)
    star = mu.max()
    if star >= 1.0 and np.any(mu < star):
        return 0.0
    return float(sum((star - m) / bernoulli_kl(m, star) for m in mu if m < star))


def log_bar(K: int) -> float:
    """log_bar(K) = 1/2 + sum_{i=2}^K 1/i (Audibert, Bubeck, Munos 2010).

    Parameters
    ----------
    K : int
        Number of arms.

    Returns
    -------
    float
        log_bar(K).
    """
    K = check_int("K", K, minimum=2)
    return 0.5 + sum(1.0 / i for i in range(2, K + 1))


def successive_rejects_error_bound(means, budget: int) -> float:
    """P(error) of Successive Rejects.

    Audibert, Bubeck, Munos (2010), Theorem 2:
    P(J_T != i*) <= K (K - 1) / 2 exp(-(T - K) / (log_bar(K) H2)).

    Parameters
    ----------
    means : array_like
        Arm means in [0, 1].
    budget : int
        T.

    Returns
    -------
    float
        The bound (may exceed 1).
    """
    mu = check_means_unit("means", means)
    budget = check_int("budget", budget, minimum=1)
    K = mu.size
    return float(K * (K - 1) / 2 * math.exp(-(budget - K) / (log_bar(K) * complexity_h2(mu))))


def sequential_halving_error_bound(means, budget: int) -> float:
    """P(error) of Sequential Halving.

    Karnin, Koren, Somekh (2013), Theorem 4.1: P(error) <= 3 log2 K exp(-T / (8 H2 log2 K)).

    Parameters
    ----------
    means : array_like
        Arm means in [0, 1].
    budget : int
        T.

    Returns
    -------
    float
        The bound (may exceed 1).
    """
    mu = check_means_unit("means", means)
    budget = check_int("budget", budget, minimum=1)
    lk = math.log2(mu.size)
    return float(3 * lk * math.exp(-budget / (8 * complexity_h2(mu) * lk)))


def exp3_regret_bound(K: int, horizon: int) -> float:
    """EXP3 expected regret bound with gains in [0, 1] and g = T.

    Auer, Cesa-Bianchi, Freund, Schapire (2002), Corollary 3.2:
    G_max - E[G_Exp3] <= 2 sqrt(e - 1) sqrt(g K ln K) for gamma = min(1, sqrt(K ln K / ((e - 1) g))), g >= G_max.
    It bounds regret to the best arm in hindsight, hence also the pseudo-regret of a stochastic bandit.

    Parameters
    ----------
    K : int
        Number of arms.
    horizon : int
        T (= g).

    Returns
    -------
    float
        The bound.
    """
    K = check_int("K", K, minimum=2)
    horizon = check_int("horizon", horizon, minimum=1)
    return float(2.0 * math.sqrt(math.e - 1.0) * math.sqrt(horizon * K * math.log(K)))
