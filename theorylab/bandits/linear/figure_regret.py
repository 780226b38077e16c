"""Figure F5: regret curves of the baselines (PhasedElimG, LinUCB, LinUCB + eps sqrt(t)) under misspecification.

Ours (a baseline illustration; the paper reports no experiments as far as could be read). Registered in
:mod:`theorylab.bandits.linear.experiments`; the sweep task behind it is ``linear.regret``
(``simulations/linear/f5_regret.toml``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from theorylab.bandits.linear.figure_queries import one_blas_thread
from theorylab.bandits.linear.instances import random_sparse_instance
from theorylab.bandits.linear.linucb import linucb
from theorylab.bandits.linear.phased import phased_elimination
from theorylab.core.claims import by_size
from theorylab.core.plotting import finish_axes, new_axes
from theorylab.core.seeding import repetition_seeds
from theorylab.core.stats import t_interval

__all__ = ["compute_regret", "draw_regret", "F5_EPS", "F5_INSTANCE"]

F5_EPS = (0.0, 0.05, 0.1)
#: (K, d, s, kind, instance seed, sigma) of F5 (spec: d = 10, K = 200, sigma = 1).
F5_INSTANCE = (200, 10, 2, "trap", 900, 1.0)


def compute_regret(size="quick", n_jobs=1, seed=0) -> pd.DataFrame:
    """Rows (eps, algorithm, T, mean, low, high, reps): mean pseudo-regret with a 95% Student-t interval.

    RANDSPARSE "trap" instance (K = 200, d = 10, s = 2, instance seed 900; the linear best action is not the
    true best when eps > 0), Gaussian noise sigma = 1, eps in {0, 0.05, 0.1}. LinUCB and LinUCB + eps sqrt(t)
    (self-normalised radius, lambda = 1, S = 1, p = 0.05) are read at checkpoints of one run per seed;
    PhasedElimG is run once per horizon (p = 1/T, as in LSW20). T up to 1e4 (quick, 8 seeds) or 1e5 (full,
    50 seeds).

    Parameters
    ----------
    size : {"quick", "full"}
    n_jobs : int
        Unused.
    seed : int

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> from theorylab.bandits.linear.experiments import FIGURES
    >>> [f.id for f in FIGURES if f.compute is compute_regret or f.draw is compute_regret]
    ['linear.regret_curves']
    """
    top, reps = by_size(size, (4, 8), (5, 50))
    Ts = np.unique(np.round(np.logspace(2, top, 2 * (top - 2) + 1)).astype(np.int64))
    K, d, s, kind, iseed, sigma = F5_INSTANCE
    rows = []
    with one_blas_thread():
        for eps in F5_EPS:
            inst = random_sparse_instance(K, d, s, eps, kind=kind, seed=iseed, sigma=sigma)
            for alg, mis in (("linucb", False), ("linucb + eps sqrt(t)", True)):
                sd = repetition_seeds(seed, {"figure": "linear.regret_curves", "eps": eps, "alg": alg}, reps)
                res = linucb(inst, int(Ts[-1]), sd, misspecified=mis, checkpoints=Ts)
                for j, T in enumerate(Ts):
                    iv = t_interval(res.regret[:, j])
                    rows.append({"eps": eps, "algorithm": alg, "T": int(T), "mean": iv.estimate, "low": iv.low,
                                 "high": iv.high, "reps": reps})
            for T in Ts:
                sd = repetition_seeds(seed, {"figure": "linear.regret_curves", "eps": eps, "alg": "phased",
                                             "T": int(T)}, reps)
                iv = t_interval(phased_elimination(inst, int(T), sd).regret)
                rows.append({"eps": eps, "algorithm": "phased_elimination", "T": int(T), "mean": iv.estimate,
                             "low": iv.low, "high": iv.high, "reps": reps})
    df = pd.DataFrame(rows)
    df["eps_sqrt_d_T"] = df["eps"] * np.sqrt(d) * df["T"]
    return df


def draw_regret(df: pd.DataFrame):
    """One panel per eps: mean regret vs T (log-log) with 95% bands, and eps sqrt(d) T dotted.

    Parameters
    ----------
    df : pandas.DataFrame
        From :func:`compute_regret`.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from theorylab.bandits.linear.experiments import FIGURES
    >>> [f.id for f in FIGURES if f.compute is draw_regret or f.draw is draw_regret]
    ['linear.regret_curves']
    """
    eps_values = list(dict.fromkeys(df.eps))
    fig, axes = new_axes(ncols=len(eps_values), width=4.0)
    for n, (ax, eps) in enumerate(zip(axes, eps_values)):
        sub = df[df.eps == eps]
        for i, alg in enumerate(dict.fromkeys(sub.algorithm)):
            g = sub[sub.algorithm == alg]
            ax.plot(g["T"], g["mean"], "-o", ms=2, color=f"C{i}", label=alg)
            ax.fill_between(g["T"], np.maximum(g.low, 1e-3), g.high, color=f"C{i}", alpha=0.15, lw=0)
        if eps > 0:
            g = sub[sub.algorithm == sub.algorithm.iloc[0]]
            ax.plot(g["T"], g["eps_sqrt_d_T"], ":", color="k", lw=1, label="eps sqrt(d) T")
        ax.set_title(f"eps = {eps:g}", fontsize=9)
        finish_axes(ax, "T", "mean pseudo-regret" if n == 0 else None, logx=True, logy=True,
                    legend=6 if n == len(eps_values) - 1 else None)
    return fig
