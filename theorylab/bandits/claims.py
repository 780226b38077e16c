"""Executable claims for the classic bounds (``theorylab check classic``).

Every claim runs through the sweep tasks of :mod:`theorylab.bandits.tasks`, so its repetitions are
seeded by (claim parameters, repetition) and give the same numbers serially or in parallel.
Intervals are two-sided 95%; verdicts follow :mod:`theorylab.core.claims`.
"""

from __future__ import annotations

import numpy as np

from theorylab.bandits import bounds
from theorylab.bandits.tasks import BAI_TASK, REGRET_TASK, environment_from_params
from theorylab.core.claims import Claim, Evidence
from theorylab.core.stats import clopper_pearson, t_interval
from theorylab.core.sweep import run_cells

__all__ = ["CLAIMS"]

AUER = "Auer, Cesa-Bianchi, Fischer 2002"


def _pick(size: str, quick, full):
    return quick if size == "quick" else full


def _ucb1_regret(size, n_jobs, seed, bonus_scale=1.0, instance=None):
    """E[R_T] of UCB1 against Theorem 1 of Auer et al. (2002); t interval over repetitions."""
    instance = instance or _pick(size, "two_arm_0.2", "linspace10")
    horizon, reps = _pick(size, (50_000, 200), (100_000, 1000))
    params = dict(instance=instance, algorithm="ucb1", horizon=horizon, bonus_scale=float(bonus_scale))
    df = run_cells(REGRET_TASK, [params], reps, seed, n_jobs)
    iv = t_interval(df["regret"])
    bound = bounds.ucb1_regret_bound(environment_from_params(params).means, horizon)
    return Evidence(iv.estimate, iv.low, iv.high, bound, reps, "upper",
                    details=dict(params, interval="t 95%"))


def _log_slopes(df, checkpoints) -> np.ndarray:
    """Per-repetition OLS slope of regret against ln t (their mean is the slope of the mean curve)."""
    y = df[[f"regret_at_{t}" for t in checkpoints]].to_numpy()
    x = np.log(np.asarray(checkpoints, dtype=float))
    xc = x - x.mean()
    return (y * xc).sum(axis=1) / (xc**2).sum()


def _lai_robbins(algorithm, default_margin):
    def evaluate(size, n_jobs, seed, margin=default_margin, bonus_scale=1.0, means=None):
        means = list(means) if means is not None else [0.6, 0.4]
        horizon, reps = _pick(size, (20_000, 100), (200_000, 500))
        cps = np.unique(np.geomspace(horizon / 100, horizon, 10).astype(int)).tolist()
        params = dict(means=means, algorithm=algorithm, horizon=horizon, checkpoints=cps)
        if algorithm == "ucb1":
            params["bonus_scale"] = float(bonus_scale)
        df = run_cells(REGRET_TASK, [params], reps, seed, n_jobs)
        iv = t_interval(_log_slopes(df, cps))
        c = bounds.lai_robbins_constant(means)
        return Evidence(iv.estimate, iv.low, iv.high, (1.0 - margin) * c, reps, "lower",
                        details=dict(params, lai_robbins_constant=c, margin=margin,
                                     measure="slope of E[R_t] on ln t over t in [T/100, T]", interval="t 95%"))
    return evaluate


def _bai(algorithm, bound_fn, budgets, reps_q, reps_f):
    def evaluate(size, n_jobs, seed, budget_scale=1.0, instance="bai4"):
        budget = _pick(size, budgets[0], budgets[1])
        reps = _pick(size, reps_q, reps_f)
        run_budget = max(int(budget * budget_scale), 8)
        params = dict(instance=instance, algorithm=algorithm, budget=run_budget)
        df = run_cells(BAI_TASK, [params], reps, seed, n_jobs)
        iv = clopper_pearson(int(df["error"].sum()), reps)
        means = environment_from_params(params).means
        return Evidence(iv.estimate, iv.low, iv.high, bound_fn(means, budget), reps, "upper",
                        details=dict(params, bound_budget=budget, interval="Clopper-Pearson 95%"))
    return evaluate


def _exp3(size, n_jobs, seed, gamma=None):
    horizon, reps = _pick(size, (20_000, 50), (200_000, 200))
    params = dict(instance="linspace10", algorithm="exp3", horizon=horizon)
    if gamma is not None:
        params["gamma"] = float(gamma)
    df = run_cells(REGRET_TASK, [params], reps, seed, n_jobs)
    iv = t_interval(df["regret"])
    return Evidence(iv.estimate, iv.low, iv.high, bounds.exp3_regret_bound(10, horizon), reps, "upper",
                    details=dict(params, interval="t 95%", measure="pseudo-regret (<= regret to best arm in hindsight)"))


CLAIMS = [
    Claim("classic.ucb1_regret", AUER, "Theorem 1",
          "E[R_T] <= sum_{Delta_i>0} 8 ln T / Delta_i + (1 + pi^2/3) sum_i Delta_i", "upper", _ucb1_regret,
          tag="paper", breaks={"bonus_scale": 0.1}),
    Claim("classic.lai_robbins", "Lai & Robbins 1985", "Theorem 2 (asymptotic), on UCB1",
          "d E[R_t] / d ln t >= sum_{Delta_i>0} Delta_i / kl(mu_i, mu*)  (UCB1, t in [T/100, T], margin 0)",
          "lower", _lai_robbins("ucb1", 0.0), tag="paper",
          breaks={"bonus_scale": 0.1, "means": (0.9, 0.1)}),
    Claim("classic.lai_robbins_thompson", "Lai & Robbins 1985; Kaufmann, Korda, Munos 2012",
          "Theorem 2 (asymptotic), on Thompson sampling",
          "d E[R_t] / d ln t >= (1 - 0.5) sum_{Delta_i>0} Delta_i / kl(mu_i, mu*)  (TS, finite-T margin 0.5 is ours)",
          "lower", _lai_robbins("thompson", 0.5), tag="paper", constant="ours", breaks={"margin": 0.0}),
    Claim("classic.successive_rejects", "Audibert, Bubeck, Munos 2010", "Theorem 2",
          "P(error) <= K(K-1)/2 exp(-(T - K) / (log_bar(K) H2))", "upper",
          _bai("successive_rejects", bounds.successive_rejects_error_bound, (200, 300), 4000, 20000),
          tag="paper", breaks={"budget_scale": 0.2}),
    Claim("classic.sequential_halving", "Karnin, Koren, Somekh 2013", "Theorem 4.1",
          "P(error) <= 3 log2 K exp(-T / (8 H2 log2 K))  (per-round ranking, as in the paper)", "upper",
          _bai("sequential_halving", bounds.sequential_halving_error_bound, (1800, 2400), 4000, 20000),
          tag="paper", breaks={"budget_scale": 0.01}),
    Claim("classic.exp3_regret", "Auer, Cesa-Bianchi, Freund, Schapire 2002", "Corollary 3.2",
          "E[R_T] <= 2 sqrt(e - 1) sqrt(T K ln K)  (gains in [0,1], g = T)", "upper", _exp3,
          tag="paper", breaks={"gamma": 1.0}),
]
