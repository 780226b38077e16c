"""Executable claims for the classic bounds (``theorylab check classic``).

Every claim runs the production simulators through the sweep tasks of :mod:`theorylab.bandits.tasks`
(which call :func:`~theorylab.bandits.algorithms.run_regret` / :func:`~theorylab.bandits.algorithms.run_bai`),
so its repetitions are seeded by (claim parameters, repetition) and give the same numbers serially or in
parallel. Intervals are two-sided 95% (Student-t with reps - 1 df for means and slopes of means,
Clopper-Pearson for probabilities); verdicts follow :mod:`theorylab.core.claims`. Each claim has one
:class:`~theorylab.core.claims.Break` whose margin was measured by a scan at quick size, seed 0.

Removed: ``classic.lai_robbins_thompson`` (review finding 4): it held only through a margin of ours and
its break was the bound's constant; the public Thompson-sampling API (``run_regret``) has no parameter
through which a break could change Thompson sampling itself, so no honest claim remains.
"""

from __future__ import annotations

import numpy as np

from theorylab.bandits import bounds
from theorylab.bandits.tasks import BAI_TASK, REGRET_TASK, environment_from_params
from theorylab.core.claims import Break, Claim, Evidence, by_size
from theorylab.core.stats import clopper_pearson, t_interval
from theorylab.core.sweep import run_cells

__all__ = ["CLAIMS"]

AUER = "Auer, Cesa-Bianchi, Fischer 2002"


def _ucb1_regret(size, n_jobs, seed, bonus_scale=1.0):
    """E[R_T] of UCB1 against Theorem 1 of Auer et al. (2002); t interval over repetitions."""
    instance = by_size(size, "two_arm_0.2", "linspace10")
    horizon, reps = by_size(size, (50_000, 200), (100_000, 1000))
    params = dict(instance=instance, algorithm="ucb1", horizon=horizon, bonus_scale=float(bonus_scale))
    df = run_cells(REGRET_TASK, [params], reps, seed, n_jobs)
    iv = t_interval(df["regret"])
    bound = bounds.ucb1_regret_bound(environment_from_params(params).means, horizon)
    return Evidence(iv.estimate, iv.low, iv.high, bound, reps, "upper",
                    details=dict(params, interval=f"t 95%, {reps - 1} df"))


def _log_slopes(df, checkpoints) -> np.ndarray:
    """Per-repetition OLS slope of regret against ln t (their mean is the slope of the mean curve)."""
    y = df[[f"regret_at_{t}" for t in checkpoints]].to_numpy()
    x = np.log(np.asarray(checkpoints, dtype=float))
    xc = x - x.mean()
    return (y * xc).sum(axis=1) / (xc**2).sum()


#: The Lai-Robbins check's instance: a wide gap, where UCB1 stays consistent and a too-small bonus
#: (nearly greedy play) rarely locks onto the bad arm, so under-exploration shows as a slope below the line.
LAI_ROBBINS_MEANS = (0.9, 0.1)


def _lai_robbins(size, n_jobs, seed, bonus_scale=1.0):
    """Slope of UCB1's mean regret in ln t over t in [T/100, T] >= the Lai-Robbins constant (margin 0)."""
    means = list(LAI_ROBBINS_MEANS)
    horizon, reps = by_size(size, (20_000, 100), (200_000, 500))
    cps = np.unique(np.geomspace(horizon / 100, horizon, 10).astype(int)).tolist()
    params = dict(means=means, algorithm="ucb1", horizon=horizon, checkpoints=cps, bonus_scale=float(bonus_scale))
    df = run_cells(REGRET_TASK, [params], reps, seed, n_jobs)
    iv = t_interval(_log_slopes(df, cps))
    c = bounds.lai_robbins_constant(means)
    return Evidence(iv.estimate, iv.low, iv.high, c, reps, "lower",
                    details=dict(params, lai_robbins_constant=c,
                                 measure="slope of E[R_t] on ln t over t in [T/100, T]",
                                 interval=f"t 95% over per-repetition slopes, {reps - 1} df"))


def _bai(algorithm, bound_fn, budgets, reps_q, reps_f):
    def evaluate(size, n_jobs, seed, budget_scale=1.0, instance="bai4"):
        budget = by_size(size, budgets[0], budgets[1])
        reps = by_size(size, reps_q, reps_f)
        run_budget = max(int(budget * budget_scale), 8)
        params = dict(instance=instance, algorithm=algorithm, budget=run_budget)
        df = run_cells(BAI_TASK, [params], reps, seed, n_jobs)
        iv = clopper_pearson(int(df["error"].sum()), reps)
        means = environment_from_params(params).means
        return Evidence(iv.estimate, iv.low, iv.high, bound_fn(means, budget), reps, "upper",
                        details=dict(params, bound_budget=budget, interval="Clopper-Pearson 95%"))
    return evaluate


def _exp3(size, n_jobs, seed, gamma=None):
    horizon, reps = by_size(size, (20_000, 50), (200_000, 200))
    params = dict(instance="linspace10", algorithm="exp3", horizon=horizon)
    if gamma is not None:
        params["gamma"] = float(gamma)
    df = run_cells(REGRET_TASK, [params], reps, seed, n_jobs)
    iv = t_interval(df["regret"])
    return Evidence(iv.estimate, iv.low, iv.high, bounds.exp3_regret_bound(10, horizon), reps, "upper",
                    details=dict(params, interval=f"t 95%, {reps - 1} df",
                                 measure="pseudo-regret (<= regret to best arm in hindsight)"))


_BUDGET = ("the budget T' = c T given to the algorithm (the bound is evaluated at T)", "algorithm",
           "budget fraction c; production c = 1; stronger = smaller")

CLAIMS = [
    Claim("classic.ucb1_regret", AUER, "Theorem 1",
          "E[R_T] <= sum_{Delta_i>0} 8 ln T / Delta_i + (1 + pi^2/3) sum_i Delta_i", "upper", _ucb1_regret,
          tag="paper", calibration="none: the bound and its constants are Theorem 1's",
          deliberate_break=Break("bonus_scale", 0.1, "UCB1's exploration bonus sqrt(2 ln t / n_i), multiplied by c",
                                 "algorithm", "bonus multiplier c; production c = 1; stronger = smaller",
                                 0.1, "scan c in {1, 0.5, 0.3, 0.2, 0.1}, quick, seed 0: 0.2 holds (wide CI, "
                                 "some runs lock onto the bad arm), first violated at 0.1")),
    Claim("classic.lai_robbins", "Lai & Robbins 1985", "Theorem 2 (asymptotic), on UCB1",
          "d E[R_t] / d ln t >= sum_{Delta_i>0} Delta_i / kl(mu_i, mu*)  (UCB1 on (0.9, 0.1), t in [T/100, T])",
          "lower", _lai_robbins, tag="paper",
          calibration="none: the constant is Theorem 2's, margin 0; the instance LAI_ROBBINS_MEANS is ours",
          deliberate_break=Break("bonus_scale", 0.1, "UCB1's exploration bonus sqrt(2 ln t / n_i), multiplied by c",
                                 "algorithm", "bonus multiplier c; production c = 1; stronger = smaller",
                                 0.3, "scan c in {1, 0.5, 0.3, 0.2, 0.1, 0.05}, quick, seed 0: 0.5 holds "
                                 "(slope 0.73 vs 0.455), first violated at 0.3 (0.22)")),
    Claim("classic.successive_rejects", "Audibert, Bubeck, Munos 2010", "Theorem 2",
          "sanity: P(error) <= K(K-1)/2 exp(-(T - K) / (log_bar(K) H2))", "sanity",
          _bai("successive_rejects", bounds.successive_rejects_error_bound, (200, 300), 4000, 20000),
          tag="paper", calibration="none: the bound and its constants are Theorem 2's. Loose: 0 errors in 4000 "
                                   "runs (95% upper limit 0.00092) against 0.023 at quick size, hence 'sanity'",
          deliberate_break=Break("budget_scale", 0.2, *_BUDGET, 0.2, "scan c in {1, 0.8, 0.6, 0.4, 0.3, 0.2}, "
                                 "quick, seed 0: 0.3 inconclusive, first violated at 0.2")),
    Claim("classic.sequential_halving", "Karnin, Koren, Somekh 2013", "Theorem 4.1",
          "sanity: P(error) <= 3 log2 K exp(-T / (8 H2 log2 K))  (per-round ranking, as in the paper)", "sanity",
          _bai("sequential_halving", bounds.sequential_halving_error_bound, (1800, 2400), 4000, 20000),
          tag="paper", calibration="none: the bound and its constants are Theorem 4.1's. Loose: 0 errors in 4000 "
                                   "runs (95% upper limit 0.00092) against 0.038 at quick size, hence 'sanity'",
          deliberate_break=Break("budget_scale", 0.01, *_BUDGET, 0.02, "scan c in {1, 0.5, 0.2, 0.1, 0.05, 0.02, "
                                 "0.01}, quick, seed 0: 0.05 holds, first violated at 0.02")),
    Claim("classic.exp3_regret", "Auer, Cesa-Bianchi, Freund, Schapire 2002", "Corollary 3.2",
          "E[R_T] <= 2 sqrt(e - 1) sqrt(T K ln K)  (gains in [0,1], g = T)", "upper", _exp3,
          tag="paper", calibration="none: the bound and its constants are Corollary 3.2's",
          deliberate_break=Break("gamma", 1.0, "EXP3's exploration rate gamma (uniform mixing weight)", "algorithm",
                                 "gamma; production min(1, sqrt(K ln K / ((e - 1) T))) = 0.026 at T = 20000, K = 10; "
                                 "stronger = larger", 0.3, "scan gamma in {0.1, 0.2, 0.3, 0.5, 1}, quick, seed 0: "
                                 "0.2 inconclusive, first violated at 0.3")),
]
