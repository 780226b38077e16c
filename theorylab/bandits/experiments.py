"""Figures of the classic topic (``theorylab reproduce classic``) and its sweep tasks."""

from __future__ import annotations

import numpy as np
import pandas as pd

from theorylab.bandits import bounds
from theorylab.bandits.instances import named_instance
from theorylab.bandits.tasks import BAI_TASK, REGRET_TASK
from theorylab.core.figures import Figure
from theorylab.core.plotting import new_axes, plot_with_bound
from theorylab.core.stats import t_interval, wilson
from theorylab.core.sweep import run_cells

__all__ = ["FIGURES", "SWEEP_TASKS", "regret_curves", "bai_error_curves"]

SWEEP_TASKS = {"regret": REGRET_TASK, "bai": BAI_TASK}

_REGRET_ALGS = ("ucb1", "thompson", "exp3")
_BAI_ALGS = ("successive_rejects", "sequential_halving", "sequential_halving_cumulative")


def regret_curves(size: str = "quick", n_jobs: int = 1, seed: int = 0, instance: str = "five_arm") -> pd.DataFrame:
    """Mean pseudo-regret vs T (95% t intervals) for UCB1, TS and EXP3, with the UCB1 bound and c_LR ln T."""
    horizon, reps = (20_000, 40) if size == "quick" else (1_000_000, 200)
    cps = np.unique(np.geomspace(100, horizon, 15).astype(int)).tolist()
    cells = [dict(instance=instance, algorithm=a, horizon=horizon, checkpoints=cps) for a in _REGRET_ALGS]
    df = run_cells(REGRET_TASK, cells, reps, seed, n_jobs)
    means = named_instance(instance).means
    c_lr = bounds.lai_robbins_constant(means)
    rows = []
    for alg in _REGRET_ALGS:
        sub = df[df["algorithm"] == alg]
        for t in cps:
            iv = t_interval(sub[f"regret_at_{t}"])
            rows.append(dict(instance=instance, algorithm=alg, T=t, mean_regret=iv.estimate, ci_low=iv.low,
                             ci_high=iv.high, reps=reps, ucb1_bound=bounds.ucb1_regret_bound(means, t),
                             lai_robbins=c_lr * np.log(t), exp3_bound=bounds.exp3_regret_bound(means.size, t)))
    return pd.DataFrame(rows)


def _draw_regret(df: pd.DataFrame):
    fig, (ax,) = new_axes(width=6.0, height=4.2)
    for alg in _REGRET_ALGS:
        sub = df[df["algorithm"] == alg]
        plot_with_bound(ax, sub["T"], sub["mean_regret"], sub["ci_low"], sub["ci_high"], label=alg, logy=True)
    sub = df[df["algorithm"] == "ucb1"]
    ax.plot(sub["T"], sub["ucb1_bound"], "k--", lw=1.2, label="UCB1 bound (Auer et al. 2002, Thm 1)")
    ax.plot(sub["T"], sub["lai_robbins"], "k:", lw=1.2, label="Lai-Robbins c ln T (asymptotic)")
    ax.set_xlabel("horizon T")
    ax.set_ylabel("pseudo-regret")
    ax.set_title(f"Regret vs T, Bernoulli {df['instance'].iloc[0]}")
    ax.legend(fontsize=7)
    return fig


def bai_error_curves(size: str = "quick", n_jobs: int = 1, seed: int = 0, instance: str = "bai8") -> pd.DataFrame:
    """P(error) vs budget (Wilson 95% intervals) for SR, SH (paper's rule) and SH (cumulative), with bounds."""
    means = named_instance(instance).means
    budgets, reps = ([100, 200, 400, 800, 1600], 400) if size == "quick" else (
        [100, 200, 400, 800, 1600, 3200, 6400, 12800], 20_000)
    cells = [dict(instance=instance, algorithm=a, budget=b) for a in _BAI_ALGS for b in budgets]
    df = run_cells(BAI_TASK, cells, reps, seed, n_jobs)
    rows = []
    for (alg, b), sub in df.groupby(["algorithm", "budget"], sort=False):
        iv = wilson(int(sub["error"].sum()), len(sub))
        bound = (bounds.successive_rejects_error_bound(means, int(b)) if alg == "successive_rejects"
                 else bounds.sequential_halving_error_bound(means, int(b)))
        rows.append(dict(instance=instance, algorithm=alg, budget=int(b), p_error=iv.estimate, ci_low=iv.low,
                         ci_high=iv.high, reps=len(sub), bound=bound))
    return pd.DataFrame(rows)


def _draw_bai(df: pd.DataFrame):
    fig, (ax,) = new_axes(width=6.0, height=4.2)
    for alg in _BAI_ALGS:
        sub = df[df["algorithm"] == alg]
        y = np.maximum(sub["p_error"], 1e-6)
        bound = None if alg == "sequential_halving_cumulative" else np.minimum(sub["bound"], 10.0)
        plot_with_bound(ax, sub["budget"], y, sub["ci_low"], sub["ci_high"], bound=bound, label=alg,
                        bound_label=f"{alg} bound", logx=True, logy=True)
    ax.set_ylim(1e-5, 12)
    ax.set_xlabel("budget T")
    ax.set_ylabel("P(wrong arm)")
    ax.set_title(f"Fixed-budget BAI, Bernoulli {df['instance'].iloc[0]}")
    ax.legend(fontsize=7, loc="lower left")
    return fig


FIGURES = [
    Figure("classic.regret_vs_horizon", "Pseudo-regret vs horizon with the UCB1 bound",
           "UCB1, Thompson sampling (Beta(1,1)) and EXP3 (gamma of Auer et al. 2002, Cor. 3.2, tuned to the run's "
           "largest horizon, so its points at smaller T are not the tuned algorithm) on five Bernoulli arms (0.7, 0.6, 0.5, 0.4, 0.3); mean pseudo-regret with 95% t "
           "intervals. Dashed: UCB1 bound of Auer et al. (2002), Theorem 1, exactly as stated. Dotted: the "
           "Lai-Robbins asymptote c ln T. The instance and horizons are ours.",
           "paper", regret_curves, _draw_regret),
    Figure("classic.bai_error_vs_budget", "Fixed-budget BAI: error probability vs budget with bounds",
           "Successive Rejects (Audibert et al. 2010) and Sequential Halving (Karnin et al. 2013, ranking by the "
           "round's own samples as in the paper) with their bounds (Thm 2, Thm 4.1, as stated; bounds above 10 "
           "clipped), and Sequential Halving ranking by all samples (our option, no bound). Eight Bernoulli arms "
           "(ours); Wilson 95% intervals; zero error rates drawn at 1e-6.",
           "paper", bai_error_curves, _draw_bai),
]
