"""Confidence intervals used by every empirical claim.

Clopper-Pearson and Wilson intervals for probabilities, Student-t and percentile-bootstrap intervals
for means, and (weighted) least-squares slopes with a Student-t interval on ``n - 2`` degrees of
freedom for log-log / log-linear fits. All intervals are two-sided at level ``1 - alpha``.

Degrees of freedom: a mean of ``n`` samples uses ``t(n - 1)`` (:func:`t_interval`); the slope of a
simple regression on ``n`` points uses ``t(n - 2)`` (:func:`slope_fit`, weighted or not); any other
fit should call :func:`t_quantile` with ``n - p`` for ``p`` fitted parameters, never 1.96.

Multiplicity: a claim that takes the max (or min) over ``m`` rows builds each row's interval at level
``1 - alpha/m`` (Bonferroni, :func:`simultaneous_alpha`) and combines them with
:func:`max_ratio_interval` / :func:`min_ratio_interval`, which give an interval for the extreme at
level ``1 - alpha`` whatever the dependence between rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import math
from typing import Sequence

import numpy as np
from scipy import stats as _st

from theorylab.core.validate import check_int, check_open_unit

__all__ = ["Interval", "SlopeFit", "clopper_pearson", "wilson", "t_quantile", "t_interval", "bootstrap_interval",
           "slope_fit", "simultaneous_alpha", "max_ratio_interval", "min_ratio_interval",
           "paired_proportion_difference"]


@dataclass(frozen=True)
class Interval:
    """A point estimate with a two-sided confidence interval ``[low, high]``.

    ``alpha`` is one minus the interval's confidence level (``None`` when unknown); the multiplicity
    helpers read it to check that each row was built at the Bonferroni level.

    Parameters
    ----------
    estimate : float
        Point estimate.
    low, high : float
        Interval ends.
    n : int
        Sample size behind it.
    method : str
        How it was computed (``t``, ``clopper-pearson``, ...).
    alpha : float
        One minus the confidence level.
    """

    estimate: float
    low: float
    high: float
    n: int
    method: str
    alpha: float | None = None


@dataclass(frozen=True)
class SlopeFit:
    """Least-squares fit ``y = intercept + slope * x`` with a Student-t interval on the slope.

    ``se`` is the slope's standard error, ``dof`` the degrees of freedom of the t quantile (``n - 2``),
    ``weighted`` whether it is a weighted fit, ``alpha`` one minus the level.

    Parameters
    ----------
    slope, intercept : float
        Fitted line (on the log scales when asked).
    low, high : float
        Student-t interval of the slope (n - 2 df).
    r2 : float
        (Weighted) coefficient of determination.
    n : int
        Points.
    se : float
        Standard error of the slope.
    dof : int
        n - 2.
    weighted : bool
        Whether weights were used.
    alpha : float
        One minus the confidence level.
    """

    slope: float
    intercept: float
    low: float
    high: float
    r2: float
    n: int
    se: float = float("nan")
    dof: int = 0
    weighted: bool = False
    alpha: float = 0.05

    def as_interval(self) -> Interval:
        return Interval(self.slope, self.low, self.high, self.n, "wls-t" if self.weighted else "ols-t", self.alpha)


def clopper_pearson(successes: int, trials: int, alpha: float = 0.05) -> Interval:
    """Exact (Clopper-Pearson) interval for a binomial proportion.

    Parameters
    ----------
    successes, trials : int
        ``0 <= successes <= trials``, ``trials >= 1``.
    alpha : float
        One minus the confidence level.

    Returns
    -------
    Interval
        The estimate k/n and its exact two-sided interval.

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
    return Interval(successes / trials, lo, hi, trials, "clopper-pearson", float(alpha))


def wilson(successes: int, trials: int, alpha: float = 0.05) -> Interval:
    """Wilson score interval for a binomial proportion (used for plotted error bars).

    Parameters
    ----------
    successes, trials : int
        ``0 <= successes <= trials``, ``trials >= 1``.
    alpha : float
        One minus the confidence level.

    Returns
    -------
    Interval
        The estimate k/n and its Wilson score interval.
    """
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
    return Interval(p, float(low), float(high), trials, "wilson", float(alpha))


def t_quantile(alpha: float, dof: int) -> float:
    """The two-sided Student-t quantile ``t_{1 - alpha/2}(dof)``.

    Parameters
    ----------
    alpha : float
        One minus the confidence level, in (0, 1).
    dof : int
        Degrees of freedom: ``n - 1`` for a mean, ``n - 2`` for a simple-regression slope, ``n - p``
        for ``p`` fitted parameters.

    Returns
    -------
    float
        The upper alpha/2 quantile of Student's t with ``dof`` degrees of freedom.

    Examples
    --------
    >>> round(t_quantile(0.05, 2), 3)   # three points, one line: not 1.96
    4.303
    """
    check_open_unit("alpha", alpha)
    dof = check_int("dof", dof, minimum=1)
    return float(_st.t.ppf(1 - alpha / 2, dof))


def t_interval(samples, alpha: float = 0.05) -> Interval:
    """Student-t interval for the mean of i.i.d. samples, on ``n - 1`` degrees of freedom.

    Parameters
    ----------
    samples : array_like
        At least 2 finite values.
    alpha : float
        One minus the confidence level.

    Returns
    -------
    Interval
        ``mean -+ t_{1-alpha/2}(n-1) s / sqrt(n)``, method ``"t"``.

    Examples
    --------
    >>> iv = t_interval([1.0, 2.0, 3.0])
    >>> round(iv.low, 4), round(iv.high, 4)
    (-0.4841, 4.4841)
    """
    x = np.asarray(samples, dtype=float).ravel()
    if x.size < 2 or not np.all(np.isfinite(x)):
        raise ValueError(f"samples must hold at least 2 finite values, got {x.size} values")
    check_open_unit("alpha", alpha)
    m = float(x.mean())
    se = float(x.std(ddof=1) / np.sqrt(x.size))
    q = t_quantile(alpha, x.size - 1)
    return Interval(m, m - q * se, m + q * se, int(x.size), "t", float(alpha))


def bootstrap_interval(samples, alpha: float = 0.05, n_boot: int = 2000, statistic=np.mean, seed: int = 0) -> Interval:
    """Percentile-bootstrap interval for ``statistic`` of i.i.d. samples (seeded, deterministic).

    Parameters
    ----------
    samples : array_like
        Independent observations.
    alpha : float
        One minus the confidence level.
    n_boot : int
        Bootstrap resamples.
    statistic : callable
        Statistic of a sample (default mean).
    seed : int
        Seed of the resampling.

    Returns
    -------
    Interval
        The statistic and its percentile bootstrap interval.
    """
    x = np.asarray(samples, dtype=float).ravel()
    if x.size < 2 or not np.all(np.isfinite(x)):
        raise ValueError(f"samples must hold at least 2 finite values, got {x.size} values")
    check_open_unit("alpha", alpha)
    n_boot = check_int("n_boot", n_boot, minimum=10)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, x.size, size=(n_boot, x.size))
    boot = np.asarray([statistic(x[row]) for row in idx]) if statistic is not np.mean else x[idx].mean(axis=1)
    lo, hi = np.quantile(boot, [alpha / 2, 1 - alpha / 2])
    return Interval(float(statistic(x)), float(lo), float(hi), int(x.size), "bootstrap", float(alpha))


def slope_fit(x, y, alpha: float = 0.05, log_x: bool = False, log_y: bool = False, weights=None,
              min_scale: float | None = None) -> SlopeFit:
    """(Weighted) least-squares slope with a Student-t interval on ``n - 2`` degrees of freedom.

    Fits ``y = a + b x`` minimising ``sum_i w_i (y_i - a - b x_i)^2`` (``w_i = 1`` without ``weights``).
    With ``xbar = sum w x / sum w`` and ``S_xx = sum w (x - xbar)^2`` the interval is
    ``b -+ t_{1-alpha/2}(n-2) sqrt(s^2 / S_xx)`` where ``s^2 = sum w r^2 / (n - 2)`` is the residual
    scale (the usual regression t interval; for ``weights = None`` it is :func:`scipy.stats.linregress`'s
    ``stderr`` times the t quantile).

    Parameters
    ----------
    x, y : array_like, shape (n,)
        Abscissae and ordinates, ``n >= 3``; logs are natural and require positive values.
    alpha : float
        One minus the confidence level.
    log_x, log_y : bool
        Fit on ``ln x`` / ``ln y`` (log-log gives a power-law exponent, log-linear a decay rate).
    weights : array_like, shape (n,), optional
        Positive finite weights, typically ``1 / sd_i^2`` for points with standard errors ``sd_i`` (of
        ``y`` on the fitted scale: for ``log_y`` the sd of ``ln y``, about ``sd(y) / y``). Only their
        ratios matter unless ``min_scale`` is given.
    min_scale : float, optional
        Lower limit on ``s^2``. With ``weights = 1 / sd^2`` for known ``sd``, ``min_scale=1`` keeps
        the interval at least as wide as the known-variance one (extra scatter widens it, a lucky
        small residual never narrows it).

    Returns
    -------
    SlopeFit
        ``slope, intercept, low, high``, weighted ``r2``, ``n``, ``se``, ``dof = n - 2``.

    Examples
    --------
    >>> fit = slope_fit([1, 10, 100, 1000], [2, 20, 200, 2000], log_x=True, log_y=True)
    >>> round(fit.slope, 6), fit.dof
    (1.0, 2)
    >>> w = slope_fit([1, 2, 3, 4], [1.1, 1.9, 3.2, 3.9], weights=[1, 4, 4, 1])
    >>> round(w.slope, 3), w.weighted
    (1.046, True)
    """
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    if x.shape != y.shape or x.size < 3:
        raise ValueError(f"x and y must have the same length >= 3, got {x.size} and {y.size}")
    check_open_unit("alpha", alpha)
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
    if weights is None:
        w = np.ones_like(x)
    else:
        w = np.asarray(weights, dtype=float).ravel()
        if w.shape != x.shape:
            raise ValueError(f"weights must have the length of x ({x.size}), got {w.size}")
        if not (np.all(np.isfinite(w)) and np.all(w > 0)):
            raise ValueError("weights must be positive and finite")
    if min_scale is not None and not (isinstance(min_scale, (int, float)) and math.isfinite(min_scale)
                                      and min_scale > 0):
        raise ValueError(f"min_scale must be a positive finite number, got {min_scale!r}")
    sw = float(w.sum())
    xm, ym = float((w * x).sum() / sw), float((w * y).sum() / sw)
    sxx = float((w * (x - xm) ** 2).sum())
    if sxx <= 1e-300 or np.ptp(x) == 0:
        raise ValueError("x must not be constant")
    slope = float((w * (x - xm) * (y - ym)).sum() / sxx)
    intercept = float(ym - slope * xm)
    resid = y - intercept - slope * x
    dof = x.size - 2
    rss = float((w * resid**2).sum())
    s2 = rss / dof
    if min_scale is not None:
        s2 = max(float(min_scale), s2)
    se = math.sqrt(s2 / sxx)
    q = t_quantile(alpha, dof)
    syy = float((w * (y - ym) ** 2).sum())
    r2 = 1.0 - rss / syy if syy > 0 else 1.0
    return SlopeFit(slope, intercept, slope - q * se, slope + q * se, float(r2), int(x.size), se=se, dof=dof,
                    weighted=weights is not None, alpha=float(alpha))


def simultaneous_alpha(alpha: float, m: int) -> float:
    """Per-row level for a statement about ``m`` rows at once (Bonferroni): ``alpha / m``.

    If each of ``m`` intervals covers its row's parameter with probability ``1 - alpha/m``, all of them
    cover together with probability at least ``1 - alpha`` (union bound, any dependence). Use it for
    every row of a claim that reports a max or min over rows.

    Parameters
    ----------
    alpha : float
        One minus the joint confidence level, in (0, 1).
    m : int
        Number of rows, ``m >= 1``.

    Returns
    -------
    float
        The per-interval alpha (Bonferroni: alpha / m).

    Examples
    --------
    >>> simultaneous_alpha(0.05, 4)
    0.0125
    """
    check_open_unit("alpha", alpha)
    m = check_int("m", m, minimum=1)
    return alpha / m


def _extreme_ratio(intervals: Sequence[Interval], denominators, alpha: float, which: str) -> Interval:
    ivs = list(intervals)
    if not ivs or not all(isinstance(iv, Interval) for iv in ivs):
        raise ValueError("intervals must be a non-empty sequence of Interval")
    m = len(ivs)
    level = simultaneous_alpha(alpha, m)
    for i, iv in enumerate(ivs):
        if iv.alpha is None or not math.isclose(iv.alpha, level, rel_tol=1e-9):
            raise ValueError(f"intervals[{i}] is at alpha={iv.alpha}; each of the {m} rows must be built at "
                             f"alpha = simultaneous_alpha({alpha}, {m}) = {level:.6g}")
    b = np.ones(m) if denominators is None else np.asarray(denominators, dtype=float).ravel()
    if b.shape != (m,) or not (np.all(np.isfinite(b)) and np.all(b > 0)):
        raise ValueError(f"denominators must be {m} positive finite numbers, got {denominators!r}")
    est = np.array([iv.estimate for iv in ivs]) / b
    lo = np.array([iv.low for iv in ivs]) / b
    hi = np.array([iv.high for iv in ivs]) / b
    pick = np.max if which == "max" else np.min
    return Interval(float(pick(est)), float(pick(lo)), float(pick(hi)), int(sum(iv.n for iv in ivs)),
                    f"bonferroni-{which} of {m} rows ({ivs[0].method})", float(alpha))


def max_ratio_interval(intervals: Sequence[Interval], denominators=None, alpha: float = 0.05) -> Interval:
    """Interval at level ``1 - alpha`` for ``max_i theta_i / b_i`` over ``m`` rows.

    Each ``intervals[i]`` covers ``theta_i`` at level ``1 - alpha/m`` (build it with
    ``alpha=simultaneous_alpha(alpha, m)``; a row at another level is refused). On the event that all
    ``m`` cover, which has probability at least ``1 - alpha``, ``max_i theta_i / b_i`` lies in
    ``[max_i low_i / b_i, max_i high_i / b_i]``; that is the interval returned (estimate: the max of
    the row estimates over ``b_i``).

    Parameters
    ----------
    intervals : sequence of Interval
        One per row, each at level ``1 - alpha/m``.
    denominators : array_like, optional
        Known positive ``b_i`` (e.g. each row's bound); 1 when omitted.
    alpha : float
        One minus the joint confidence level.

    Returns
    -------
    Interval
        Simultaneous interval of the maximum ratio.

    Examples
    --------
    >>> a = simultaneous_alpha(0.05, 2)
    >>> iv = max_ratio_interval([clopper_pearson(3, 1000, a), clopper_pearson(9, 1000, a)], [0.01, 0.02])
    >>> round(iv.estimate, 3), iv.alpha
    (0.45, 0.05)
    """
    return _extreme_ratio(intervals, denominators, alpha, "max")


def min_ratio_interval(intervals: Sequence[Interval], denominators=None, alpha: float = 0.05) -> Interval:
    """Interval at level ``1 - alpha`` for ``min_i theta_i / b_i``: ``[min_i low_i / b_i, min_i high_i / b_i]``.

    Same contract as :func:`max_ratio_interval` (each row at ``alpha/m``).

    Parameters
    ----------
    intervals : sequence of Interval
        One per row.
    denominators : array_like, optional
        Divide each interval by these (default 1).
    alpha : float
        One minus the confidence level.

    Returns
    -------
    Interval
        Simultaneous interval of the minimum ratio.

    Examples
    --------
    >>> a = simultaneous_alpha(0.05, 2)
    >>> iv = min_ratio_interval([t_interval([1.0, 1.2, 0.9], a), t_interval([2.0, 2.1, 2.2], a)])
    >>> round(iv.estimate, 4)
    1.0333
    """
    return _extreme_ratio(intervals, denominators, alpha, "min")


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
    return Interval((n_10 - n_01) / n, float(low), float(high), n, "paired-exact", alpha=float(alpha))
