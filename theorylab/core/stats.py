"""Confidence intervals used by every empirical claim.

Clopper-Pearson and Wilson intervals for probabilities, Student-t and percentile-bootstrap intervals
for means, and least-squares slopes with a t confidence interval for log-log / log-linear fits.
All intervals are two-sided at level ``1 - alpha``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats as _st

from theorylab.core.validate import check_int, check_open_unit

__all__ = ["Interval", "SlopeFit", "clopper_pearson", "wilson", "t_interval", "bootstrap_interval", "slope_fit"]


@dataclass(frozen=True)
class Interval:
    """A point estimate with a two-sided confidence interval ``[low, high]``."""

    estimate: float
    low: float
    high: float
    n: int
    method: str


@dataclass(frozen=True)
class SlopeFit:
    """Least-squares fit ``y = intercept + slope * x`` with a t interval on the slope."""

    slope: float
    intercept: float
    low: float
    high: float
    r2: float
    n: int

    def as_interval(self) -> Interval:
        return Interval(self.slope, self.low, self.high, self.n, "ols-t")


def clopper_pearson(successes: int, trials: int, alpha: float = 0.05) -> Interval:
    """Exact (Clopper-Pearson) interval for a binomial proportion.

    Parameters
    ----------
    successes, trials : int
        ``0 <= successes <= trials``, ``trials >= 1``.
    alpha : float
        One minus the confidence level.

    Examples
    --------
    >>> iv = clopper_pearson(0, 100)
    >>> iv.low, round(iv.high, 4)
    (0.0, 0.0362)
    """
    trials = check_int("trials", trials, minimum=1)
    successes = check_int("successes", successes, minimum=0, maximum=trials)
    check_open_unit("alpha", alpha)
    lo = 0.0 if successes == 0 else float(_st.beta.ppf(alpha / 2, successes, trials - successes + 1))
    hi = 1.0 if successes == trials else float(_st.beta.ppf(1 - alpha / 2, successes + 1, trials - successes))
    return Interval(successes / trials, lo, hi, trials, "clopper-pearson")


def wilson(successes: int, trials: int, alpha: float = 0.05) -> Interval:
    """Wilson score interval for a binomial proportion (used for plotted error bars)."""
    trials = check_int("trials", trials, minimum=1)
    successes = check_int("successes", successes, minimum=0, maximum=trials)
    check_open_unit("alpha", alpha)
    z = float(_st.norm.ppf(1 - alpha / 2))
    p = successes / trials
    denom = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denom
    half = z * np.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denom
    low = 0.0 if successes == 0 else max(0.0, min(p, centre - half))
    high = 1.0 if successes == trials else min(1.0, max(p, centre + half))
    return Interval(p, float(low), float(high), trials, "wilson")


def t_interval(samples, alpha: float = 0.05) -> Interval:
    """Student-t interval for the mean of i.i.d. samples (needs at least 2 finite samples)."""
    x = np.asarray(samples, dtype=float).ravel()
    if x.size < 2 or not np.all(np.isfinite(x)):
        raise ValueError(f"samples must hold at least 2 finite values, got {x.size} values")
    check_open_unit("alpha", alpha)
    m = float(x.mean())
    se = float(x.std(ddof=1) / np.sqrt(x.size))
    q = float(_st.t.ppf(1 - alpha / 2, x.size - 1))
    return Interval(m, m - q * se, m + q * se, int(x.size), "t")


def bootstrap_interval(samples, alpha: float = 0.05, n_boot: int = 2000, statistic=np.mean, seed: int = 0) -> Interval:
    """Percentile-bootstrap interval for ``statistic`` of i.i.d. samples (seeded, deterministic)."""
    x = np.asarray(samples, dtype=float).ravel()
    if x.size < 2 or not np.all(np.isfinite(x)):
        raise ValueError(f"samples must hold at least 2 finite values, got {x.size} values")
    check_open_unit("alpha", alpha)
    n_boot = check_int("n_boot", n_boot, minimum=10)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, x.size, size=(n_boot, x.size))
    boot = np.asarray([statistic(x[row]) for row in idx]) if statistic is not np.mean else x[idx].mean(axis=1)
    lo, hi = np.quantile(boot, [alpha / 2, 1 - alpha / 2])
    return Interval(float(statistic(x)), float(lo), float(hi), int(x.size), "bootstrap")


def slope_fit(x, y, alpha: float = 0.05, log_x: bool = False, log_y: bool = False) -> SlopeFit:
    """Ordinary least-squares slope with a Student-t confidence interval.

    Parameters
    ----------
    x, y : array_like, shape (m,)
        Abscissae and ordinates, ``m >= 3``; logs are natural and require positive values.
    log_x, log_y : bool
        Fit on ``ln x`` / ``ln y`` (log-log gives a power-law exponent, log-linear a decay rate).

    Examples
    --------
    >>> fit = slope_fit([1, 10, 100, 1000], [2, 20, 200, 2000], log_x=True, log_y=True)
    >>> round(fit.slope, 6)
    1.0
    """
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    if x.shape != y.shape or x.size < 3:
        raise ValueError(f"x and y must have the same length >= 3, got {x.size} and {y.size}")
    if log_x:
        if np.any(x <= 0):
            raise ValueError("x must be positive for a log fit")
        x = np.log(x)
    if log_y:
        if np.any(y <= 0):
            raise ValueError("y must be positive for a log fit")
        y = np.log(y)
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise ValueError("x and y must be finite")
    xm, ym = x.mean(), y.mean()
    sxx = float(((x - xm) ** 2).sum())
    if sxx == 0:
        raise ValueError("x must not be constant")
    slope = float(((x - xm) * (y - ym)).sum() / sxx)
    intercept = float(ym - slope * xm)
    resid = y - intercept - slope * x
    dof = x.size - 2
    s2 = float((resid**2).sum() / dof)
    se = np.sqrt(s2 / sxx)
    q = float(_st.t.ppf(1 - alpha / 2, dof))
    syy = float(((y - ym) ** 2).sum())
    r2 = 1.0 - float((resid**2).sum()) / syy if syy > 0 else 1.0
    return SlopeFit(slope, intercept, float(slope - q * se), float(slope + q * se), float(r2), int(x.size))


def paired_proportion_difference(n_10: int, n_01: int, n: int, alpha: float = 0.05) -> Interval:
    """Exact interval for the difference of two paired proportions, p_1 - p_2 = pi_10 - pi_01.

    ``n`` pairs of binary outcomes; ``n_10`` pairs are (1, 0) and ``n_01`` are (0, 1). With the
    discordance rate q = pi_10 + pi_01 and the conditional share r = pi_10 / q, the difference is
    q (2 r - 1). A Clopper-Pearson interval for q (from D = n_10 + n_01 of n) and a conditional
    Clopper-Pearson interval for r (from n_10 of D), each at level ``alpha / 2`` (Bonferroni), give the
    range of q (2 r - 1) over both intervals: coverage at least ``1 - alpha`` for every (pi_10, pi_01).
    With no discordant pair r is unconstrained and the interval is [-q_high, q_high], not a point.
    [OURS: the construction; the two Clopper-Pearson intervals are standard.]

    Parameters
    ----------
    n_10, n_01 : int
        Discordant pair counts, ``n_10 + n_01 <= n``.
    n : int
        Number of pairs, ``n >= 1``.
    alpha : float
        One minus the confidence level.

    Returns
    -------
    Interval
        ``estimate = (n_10 - n_01) / n``, method ``"paired-exact"``.

    Examples
    --------
    >>> iv = paired_proportion_difference(0, 0, 1000)
    >>> iv.estimate, round(iv.low, 5), round(iv.high, 5)
    (0.0, -0.00437, 0.00437)
    """
    n = check_int("n", n, minimum=1)
    n_10 = check_int("n_10", n_10, minimum=0, maximum=n)
    n_01 = check_int("n_01", n_01, minimum=0, maximum=n - n_10)
    check_open_unit("alpha", alpha)
    D = n_10 + n_01
    q = clopper_pearson(D, n, alpha / 2)
    r_lo, r_hi = 0.0, 1.0
    if D > 0:
        r = clopper_pearson(n_10, D, alpha / 2)
        r_lo, r_hi = r.low, r.high
    # q (2r - 1) is increasing in r; in q it increases when 2r - 1 > 0 and decreases otherwise
    hi_r, lo_r = 2.0 * r_hi - 1.0, 2.0 * r_lo - 1.0
    high = (q.high if hi_r >= 0 else q.low) * hi_r
    low = (q.high if lo_r <= 0 else q.low) * lo_r
    return Interval((n_10 - n_01) / n, float(low), float(high), n, "paired-exact")
