"""Empirical error probabilities and error exponents (checks U3-U5 and L1, docs/topics/dp_bai.md#the-privacy-knee).

:func:`error_table` runs :data:`tasks.error_count_task` over budgets with :func:`core.sweep.run_cells`.
:func:`fit_rate` fits log p_hat(T) = a - e T by weighted least squares (weights = errors, the inverse
variance of log p_hat up to (1 - p)) on points with >= ``min_errors`` errors and p_hat <= 0.5, giving
e_hat with a t interval (n - 2 degrees of freedom). :func:`estimate_rate` picks the budget grid adaptively
from a small pilot. Every derived master seed (pilot rounds, the checks' cells) is a child of the master
seed through :mod:`theorylab.core.seeding` (:func:`theorylab.core.seeding.derived_seed`), never master-seed arithmetic.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats as _st

from theorylab.bandits.dp_bai.algorithms import min_budget
from theorylab.bandits.dp_bai.tasks import build_instance, error_count_task
from theorylab.core.seeding import derived_seed
from theorylab.core.sweep import run_cells

__all__ = ["error_table", "fit_rate", "estimate_rate", "RateFit"]


def error_table(params: dict, budgets, runs: int, seed: int, n_jobs: int = 1, batch: int = 500) -> pd.DataFrame:
    """Errors and runs per budget: columns budget, errors, runs, p_hat.

    Parameters
    ----------
    params : dict
        Sweep parameters of the error task (instance, algorithm, epsilon).
    budgets : sequence of int
        Budgets.
    runs : int
        Runs per budget.
    seed : int
        Master seed.
    n_jobs : int
        Parallel workers.
    batch : int
        Runs per task.

    Returns
    -------
    pandas.DataFrame
        Columns budget, errors, runs, p_hat.
    """
    reps = max(1, math.ceil(runs / batch))
    cells = [dict(params, budget=int(T), batch=int(batch)) for T in budgets]
    df = run_cells(error_count_task, cells, reps, seed, n_jobs=n_jobs)
    g = df.groupby("budget", sort=True)[["errors", "runs"]].sum().reset_index()
    g["budget"] = g["budget"].astype(np.int64)
    g["p_hat"] = g["errors"] / g["runs"]
    return g


class RateFit(dict):
    """e_hat, low, high, se, dof, r2, points (dict subclass for easy reporting)."""


def fit_rate(budgets, errors, runs, min_errors: int = 10, alpha: float = 0.05) -> RateFit:
    """Weighted least-squares error exponent from (budget, errors, runs) triples.

    The interval is e_hat +- t_{1 - alpha/2, n - 2} se (n fitted points); ``se`` and ``dof`` are returned
    so that callers can rescale it (e.g. to a Bonferroni level) without reading it back from the limits.

    Parameters
    ----------
    budgets, errors, runs : array_like
        Per-budget counts.
    min_errors : int
        Budgets with fewer errors are left out.
    alpha : float
        One minus the confidence level.

    Returns
    -------
    RateFit
        e_hat, low, high, se, dof, r2, points.
    """
    T = np.asarray(budgets, float)
    k = np.asarray(errors, float)
    n = np.asarray(runs, float)
    p = k / n
    ok = (k >= min_errors) & (p <= 0.5)
    if ok.sum() < 3:
        return RateFit(e_hat=math.nan, low=math.nan, high=math.nan, se=math.nan, dof=0, r2=math.nan,
                       points=int(ok.sum()))
    x, y = T[ok], np.log(p[ok])
    w = k[ok] / np.maximum(1 - p[ok], 1e-9)      # 1 / Var(log p_hat)
    xm = np.sum(w * x) / w.sum()
    ym = np.sum(w * y) / w.sum()
    sxx = np.sum(w * (x - xm) ** 2)
    slope = np.sum(w * (x - xm) * (y - ym)) / sxx
    resid = y - ym - slope * (x - xm)
    dof = x.size - 2
    # binomial-model variance (weights are inverse variances), inflated if the fit is worse than that
    s2 = max(1.0, float(np.sum(w * resid**2) / dof)) if dof > 0 else 1.0
    se = math.sqrt(s2 / sxx)
    q = float(_st.t.ppf(1 - alpha / 2, max(dof, 1)))
    syy = np.sum(w * (y - ym) ** 2)
    r2 = 1 - np.sum(w * resid**2) / syy if syy > 0 else 1.0
    return RateFit(e_hat=float(-slope), low=float(-slope - q * se), high=float(-slope + q * se), se=float(se),
                   dof=int(max(dof, 1)), r2=float(r2), points=int(ok.sum()))


def estimate_rate(params: dict, seed: int, n_jobs: int = 1, n_points: int = 6, target_low: float = 3e-3,
                  final_runs: int = 20000, pilot_runs: int = 1000, batch: int = 500,
                  alpha: float = 0.05) -> tuple[RateFit, pd.DataFrame]:
    """Error exponent of one (instance, algorithm, epsilon) with an adaptive budget grid.

    Pilot: budgets T_0 * 2^j from the minimum budget until p_hat < 0.02; a log-linear fit of the pilot
    gives the budgets where p ~ 0.3 and p ~ ``target_low``; ``n_points`` equally spaced budgets between
    them get ``final_runs`` runs each (master seed ``seed``; pilot round j uses
    ``derived_seed(seed, "dp_bai.rate_pilot", j)``). ``alpha``: level of the returned interval.

    Parameters
    ----------
    params : dict
        Sweep parameters of the error task (instance, algorithm, epsilon).
    seed : int
        Master seed.
    n_jobs : int
        Parallel workers.
    n_points : int
        Budgets in the fitted grid.
    target_low : float
        Error level the largest budget aims at.
    final_runs : int
        Runs per grid budget.
    pilot_runs : int
        Runs of the pilot that places the grid.
    batch : int
        Runs per task.
    alpha : float
        One minus the confidence level.

    Returns
    -------
    (RateFit, pandas.DataFrame)
        The fitted exponent and the error table.
    """
    inst = build_instance(params)
    T = max(min_budget(params.get("algorithm", "dp_bai"), inst), 16)
    pts = []
    for j in range(40):
        tab = error_table(params, [T], pilot_runs, derived_seed(seed, "dp_bai.rate_pilot", j), n_jobs, batch)
        pts.append((T, float(tab["p_hat"].iloc[0])))
        if pts[-1][1] < 0.02:
            break
        T = int(T * 1.6) + 1
    arr = np.array(pts)
    good = (arr[:, 1] > 0) & (arr[:, 1] < 0.6)
    if good.sum() >= 2:
        sl, ic = np.polyfit(arr[good, 0], np.log(arr[good, 1]), 1)
    else:
        sl, ic = (math.log(0.02) - math.log(0.5)) / max(arr[-1, 0] - arr[0, 0], 1.0), math.log(0.5) - 0.0
    sl = min(sl, -1e-12)
    t_hi = (math.log(target_low) - ic) / sl
    t_lo = max((math.log(0.3) - ic) / sl, arr[0, 0])
    if not (t_hi > t_lo):
        t_hi = t_lo * 2
    budgets = np.unique(np.linspace(t_lo, t_hi, n_points).astype(int))
    tab = error_table(params, budgets, final_runs, seed, n_jobs, batch)
    fit = fit_rate(tab["budget"], tab["errors"], tab["runs"], alpha=alpha)
    return fit, tab
