"""Figure R4 (ours): scaling panels of WTB-SE against the bound's terms (docs/topics/tallying.md#figures).

Not an experiment of the paper (only RQ1 and RQ2 are). Four panels, all on our instances:

- (i) the sqrt(KT) term: log-log mean CPR vs T on the near-tie instance 7.4 (m = 1, gap sqrt(K/T)/4),
  K in {2, 5, 10}, with reference slopes 1/2 and 1;
- (ii) the mK term: mean CPR vs m at fixed M on the hidden-practice instance 7.1 (the setting of the
  claim ``tallying.m_slope``) with the derived budget slope R (K + 1)/2;
- (iii) the lower bound in m K: mean CPR of several algorithms on instance 7.1 against warmup (K - 1)/2;
- (iv) the lower bound in M: WTB-SE's CPR on I_small of pair 7.2 against (M - 1)/2.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from theorylab.bandits.tallying.algorithms import run_algorithm, wtb_se
from theorylab.bandits.tallying.bounds import hidden_practice_lower_bound, memory_slope_budget, unknown_memory_lower_bound
from theorylab.bandits.tallying.hard_instances import hidden_practice_instance, near_tie_instance, unknown_memory_pair
from theorylab.core.claims import by_size
from theorylab.core.plotting import finish_axes, new_axes
from theorylab.core.seeding import repetition_seeds
from theorylab.core.stats import slope_fit, t_interval

__all__ = ["R4_PANELS", "R4_LB_ALGORITHMS"]   # compute_r4 / draw_r4 are reached through experiments.FIGURES

R4_PANELS = ("(i) sqrt(KT) term: near-tie 7.4, m = 1", "(ii) mK term: instance 7.1, K = 4, M = 32",
             "(iii) lower bound mK: instance 7.1, K = 4", "(iv) lower bound M: I_small of 7.2")
R4_LB_ALGORITHMS = ("wtb_se", "plain_se", "ucb1", "batched_exp3", "tb_etc_periodic")


def _row(panel, series, x, vals, kind="data"):
    vals = np.asarray(vals, dtype=float)
    iv = t_interval(vals) if vals.size > 1 and np.ptp(vals) > 0 else None
    mean = float(vals.mean())
    return dict(panel=panel, series=series, x=float(x), mean=mean, low=mean if iv is None else iv.low,
                high=mean if iv is None else iv.high, reps=int(vals.size), kind=kind)


def compute_r4(size="quick", n_jobs=1, seed=0) -> pd.DataFrame:
    """Data of figure R4: one row per (panel, series, x) with mean, 95% t interval and reps.

    Parameters
    ----------
    size : {"quick", "full"}
    n_jobs : int
        Unused (every panel is a few batched kernel calls).
    seed : int
        Master seed of the runs (instances are fixed constructions).

    Returns
    -------
    pandas.DataFrame
        Columns panel, series, x, mean, low, high, reps, kind (``data``, ``bound`` or ``reference``).
    """
    reps = by_size(size, 10, 30)
    rows = []
    # (i) sqrt(KT): near-tie instance, the gap shrinks with T
    Ts = [2 ** k for k in by_size(size, range(10, 17, 2), range(10, 21, 2))]
    for K in (2, 5, 10):
        for T in Ts:
            res = wtb_se(near_tie_instance(K, T), T, repetition_seeds(seed, ("tallying.r4.i", K, T), reps), M=1,
                         ckpt=np.array([T]))
            rows.append(_row(R4_PANELS[0], f"WTB-SE, K = {K}", T, res.final("upper")))
    # (ii) mK: the m_slope claim's setting, both the data and the derived budget slope
    K, M, T = 4, 32, 20_000
    ms = [1, 2, 4, 8, 16, 32]
    for m in ms:
        vals = []
        for best in range(K):
            inst = hidden_practice_instance(K, m, best, noise="bernoulli")
            vals.append(wtb_se(inst, T, repetition_seeds(seed, ("tallying.r4.ii", m, best), reps), M=M,
                               ckpt=np.array([T])).final("const"))
        rows.append(_row(R4_PANELS[1], "WTB-SE", m, np.concatenate(vals)))
    first = rows[-len(ms)]["mean"]
    budget = memory_slope_budget(K, T)
    for m in ms:
        rows.append(dict(panel=R4_PANELS[1], series=f"budget slope R(K+1)/2 = {budget:.1f}", x=float(m),
                         mean=first + budget * (m - 1), low=np.nan, high=np.nan, reps=0, kind="bound"))
    # (iii) the mK lower bound on instance 7.1 (deterministic losses, a* over every position)
    K, T = 4, 2000
    for m in (2, 4, 8, 16):
        for alg in R4_LB_ALGORITHMS:
            vals = [run_algorithm(alg, hidden_practice_instance(K, m, best), T,
                                  repetition_seeds(seed, ("tallying.r4.iii", alg, m, best), max(2, reps // 5)), M=m,
                                  ckpt=np.array([T])).final("const") for best in range(K)]
            rows.append(_row(R4_PANELS[2], alg, m, np.concatenate(vals)))
        rows.append(dict(panel=R4_PANELS[2], series="bound warmup (K - 1)/2", x=float(m),
                         mean=hidden_practice_lower_bound(K, m), low=np.nan, high=np.nan, reps=0, kind="bound"))
    # (iv) the M lower bound on I_small
    T = 20_000
    for M in (10, 20, 50, 100, 200, 500):
        small, _ = unknown_memory_pair(M, noise="bernoulli")
        res = wtb_se(small, T, repetition_seeds(seed, ("tallying.r4.iv", M), reps), M=M, ckpt=np.array([T]))
        rows.append(_row(R4_PANELS[3], "WTB-SE", M, res.final("const")))
        rows.append(dict(panel=R4_PANELS[3], series="bound (M - 1)/2", x=float(M), mean=unknown_memory_lower_bound(M),
                         low=np.nan, high=np.nan, reps=0, kind="bound"))
    return pd.DataFrame(rows)


def draw_r4(df: pd.DataFrame):
    """Four panels of :func:`compute_r4`'s frame (bands: 95% t intervals; dashed: bounds and references).

    Parameters
    ----------
    df : pandas.DataFrame

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, axes = new_axes(ncols=4, width=4.4)
    labels = {"wtb_se": "WTB-SE", "plain_se": "plain SE", "ucb1": "UCB1", "batched_exp3": "batched EXP3",
              "tb_etc_periodic": "TB-ETC-periodic (ours)"}
    scales = [(True, True), (False, False), (False, True), (True, True)]
    xlabels = ["T", "m (true memory)", "m", "M (supplied bound; m = 1)"]
    for n, (ax, panel) in enumerate(zip(axes, R4_PANELS)):
        sub = df[df.panel == panel]
        for i, series in enumerate(dict.fromkeys(sub.series)):
            d = sub[sub.series == series].sort_values("x")
            bound = d.kind.iloc[0] == "bound"
            ax.plot(d.x, d["mean"], "--" if bound else "-o", color="k" if bound else f"C{i}", ms=3, lw=1.3,
                    label=labels.get(series, series))
            if not bound:
                ax.fill_between(d.x, d.low, d.high, color=f"C{i}", alpha=0.15, lw=0)
        if n == 0:
            d = sub[sub.series == sub.series.iloc[0]].sort_values("x")
            x0, y0 = float(d.x.iloc[0]), float(d["mean"].iloc[0])
            xs = np.array([x0, float(d.x.iloc[-1])])
            for p, ls in ((0.5, ":"), (1.0, "-.")):
                ax.plot(xs, y0 * (xs / x0) ** p, ls, color="gray", lw=1, label=f"slope {p:g}")
            fits = [slope_fit(g.x, g["mean"], log_x=True, log_y=True).slope
                    for g in (sub[sub.series == s] for s in dict.fromkeys(sub.series))]
            ax.set_title(panel + f"\nfitted log-log slopes {', '.join(f'{s:.2f}' for s in fits)}", fontsize=8)
        else:
            ax.set_title(panel, fontsize=8)
        finish_axes(ax, xlabels[n], "CPR (mean, 95% t band)" if n == 0 else None, logx=scales[n][0],
                    logy=scales[n][1], legend=6)
    return fig
