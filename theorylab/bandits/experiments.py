"""Figures of the classic topic (``theorylab reproduce classic``) and its sweep tasks."""

from __future__ import annotations

import numpy as np
import pandas as pd

from theorylab.bandits import bounds
from theorylab.bandits.instances import named_instance
from theorylab.bandits.tasks import BAI_TASK, REGRET_TASK
from theorylab.core.figures import Figure
from theorylab.core.plotting import (clip_probability, new_axes, plot_probability, plot_with_bound,
                                     set_probability_axis, zero_point_handle, zero_point_note)
from theorylab.core.stats import clopper_pearson, t_interval
from theorylab.core.sweep import run_cells

__all__ = ["FIGURES", "SWEEP_TASKS", "regret_curves", "bai_error_curves"]

SWEEP_TASKS = {"regret": REGRET_TASK, "bai": BAI_TASK}

_REGRET_ALGS = ("ucb1", "thompson", "exp3")
_BAI_ALGS = ("successive_rejects", "sequential_halving", "sequential_halving_cumulative")


def regret_curves(size: str = "quick", n_jobs: int = 1, seed: int = 0, instance: str = "five_arm") -> pd.DataFrame:
    """Mean pseudo-regret vs T (95% t intervals) for UCB1, TS and EXP3, with the UCB1 bound and c_LR ln T.

    Parameters
    ----------
    size : {"quick", "full"}
        Horizon and repetitions (quick: T = 20,000, 40 runs; full: T = 1e6, 200 runs).
    n_jobs : int
        Parallel workers.
    seed : int
        Master seed.
    instance : str
        A named instance of :func:`theorylab.bandits.instances.named_instance`.

    Returns
    -------
    pandas.DataFrame
        One row per (algorithm, checkpoint T): mean regret, t interval, reps and the three bounds.
    """
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
    """P(error) vs budget (Clopper-Pearson 95% intervals) for SR, SH (paper's rule) and SH (cumulative), with bounds.

    Parameters
    ----------
    size : {"quick", "full"}
        Budget grid and repetitions (quick: 5 budgets x 400 runs; full: 8 budgets x 20,000 runs).
    n_jobs : int
        Parallel workers.
    seed : int
        Master seed.
    instance : str
        A named instance of :func:`theorylab.bandits.instances.named_instance`.

    Returns
    -------
    pandas.DataFrame
        One row per (algorithm, budget): ``p_error``, ``ci_low``, ``ci_high``, ``reps`` and the paper's
        ``bound`` (unclipped; the figure clips it at 1).
    """
    means = named_instance(instance).means
    budgets, reps = ([100, 200, 400, 800, 1600], 400) if size == "quick" else (
        [100, 200, 400, 800, 1600, 3200, 6400, 12800], 20_000)
    cells = [dict(instance=instance, algorithm=a, budget=b) for a in _BAI_ALGS for b in budgets]
    df = run_cells(BAI_TASK, cells, reps, seed, n_jobs)
    rows = []
    for (alg, b), sub in df.groupby(["algorithm", "budget"], sort=False):
        iv = clopper_pearson(int(sub["error"].sum()), len(sub))
        bound = (bounds.successive_rejects_error_bound(means, int(b)) if alg == "successive_rejects"
                 else bounds.sequential_halving_error_bound(means, int(b)))
        rows.append(dict(instance=instance, algorithm=alg, budget=int(b), p_error=iv.estimate, ci_low=iv.low,
                         ci_high=iv.high, reps=len(sub), bound=bound))
    return pd.DataFrame(rows)


#: Axis floor of the BAI figure: zero error rates are drawn here (hollow markers); bounds are clipped at 1.
BAI_FLOOR = 1e-5
_BAI_LABELS = {"successive_rejects": "Successive Rejects", "sequential_halving": "Sequential Halving (round's samples)",
               "sequential_halving_cumulative": "Sequential Halving (all samples, ours)"}


def _draw_bai(df: pd.DataFrame):
    fig, (ax,) = new_axes(width=6.0, height=4.2)
    zeros = 0
    for i, alg in enumerate(_BAI_ALGS):
        sub = df[df["algorithm"] == alg].sort_values("budget")
        c = f"C{i}"
        zeros += plot_probability(ax, sub["budget"], sub["p_error"], sub["ci_low"], sub["ci_high"], BAI_FLOOR,
                                  _BAI_LABELS[alg], color=c, dodge=1.0 + 0.06 * i)
        if alg != "sequential_halving_cumulative":
            ax.plot(sub["budget"], clip_probability(sub["bound"]), ls="--", color=c, lw=1.2,
                    label=f"{_BAI_LABELS[alg]}: bound (clipped to 1)")
    ax.set_xscale("log")
    set_probability_axis(ax, BAI_FLOOR)
    ax.grid(True, which="both", alpha=0.3)
    ax.set_xlabel("budget T")
    ax.set_ylabel("P(wrong arm)")
    ax.set_title(f"Fixed-budget BAI, Bernoulli {df['instance'].iloc[0]}")
    handles, _ = ax.get_legend_handles_labels()
    if zeros:
        handles.append(zero_point_handle())
    ax.legend(handles=handles, fontsize=7, loc="center left", bbox_to_anchor=(1.02, 0.5))   # outside: no point hidden
    return fig


FIGURES = [
    Figure("classic.regret_vs_horizon", "Pseudo-regret vs horizon with the UCB1 bound",
           "UCB1, Thompson sampling (Beta(1,1)) and EXP3 (gamma of Auer et al. 2002, Cor. 3.2, tuned to the run's "
           "largest horizon, so its points at smaller T are not the tuned algorithm) on five Bernoulli arms (0.7, 0.6, 0.5, 0.4, 0.3); mean pseudo-regret with 95% t "
           "intervals. Dashed: UCB1 bound of Auer et al. (2002), Theorem 1, exactly as stated. Dotted: the "
           "Lai-Robbins asymptote c ln T. The instance and horizons are ours. Sources: docs/topics/classic.md#figures.",
           "paper", regret_curves, _draw_regret),
    Figure("classic.bai_error_vs_budget", "Fixed-budget BAI: error probability vs budget with bounds",
           "Successive Rejects (Audibert et al. 2010) and Sequential Halving (Karnin et al. 2013, ranking by the "
           "round's own samples as in the paper) with their bounds (Thm 2, Thm 4.1, as stated; dashed, clipped at "
           "1: a bound above 1 says nothing about a probability), and Sequential Halving ranking by all "
           "samples (our option, no bound). Eight Bernoulli arms (ours); Clopper-Pearson 95% bands. "
           + zero_point_note(BAI_FLOOR) + " Claims and sources: docs/topics/classic.md#figures.",
           "paper", bai_error_curves, _draw_bai),
]
