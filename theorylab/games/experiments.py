"""Figures of the games topic (``theorylab reproduce games``) and the sweep tasks behind them.

Foster, Golowich & Kakade (ICML 2023) has no experiments that we could read; these figures illustrate the
objects its argument is built from (docs/topics/games.md#figures). Each caption says what follows a cited
theorem (of this paper or of prior work) and what is derived or ours. The reduction figures cover Markov
product components only, a sub-case of the paper's SparseCCE (docs/topics/games.md#the-reduction).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from theorylab.core.claims import by_size
from theorylab.core.figures import Figure
from theorylab.core.plotting import integer_ticks, new_axes, plot_with_bound
from theorylab.core.sweep import run_cells
from theorylab.games import bounds
from theorylab.games.tasks import REDUCTION_TASK, REGRET_TASK, SEPARATION_TASK, VLEARNING_TASK

__all__ = ["FIGURES", "SWEEP_TASKS"]

SWEEP_TASKS = {"regret": REGRET_TASK, "separation": SEPARATION_TASK, "reduction": REDUCTION_TASK,
               "vlearning": VLEARNING_TASK}


def _long(df, prefix, keys, value):
    """Wide per-checkpoint columns ``<prefix><k>`` -> long rows (one per rep and k)."""
    rows = []
    for _, r in df.iterrows():
        for k in keys:
            rows.append({"rep": r["rep"], "K": k, value: r[f"{prefix}{k}"]})
    return pd.DataFrame(rows)


# -- 1. CCE gap of average play vs T --------------------------------------------------------------------
def _cce_compute(size, n_jobs, seed):
    ts = by_size(size, [100, 300, 1000, 3000, 10_000], [100, 300, 1000, 3000, 10_000, 30_000, 100_000])
    reps = by_size(size, 8, 30)
    cells = [dict(n_actions=[3, 3, 3], learner=lrn, checkpoints=ts)
             for lrn in ("hedge", "regret_matching", "regret_matching_plus")]
    cells.append(dict(n_actions=[3, 3, 3], learner="optimistic_hedge", checkpoints=ts, eta=0.1))
    df = run_cells(REGRET_TASK, cells, reps, seed, n_jobs)
    out = []
    for lrn, part in df.groupby("learner", sort=False):
        for t in ts:
            gap = part[f"regret_{t}"].clip(lower=0) / t          # = CCE gap of time-averaged play (N1)
            out.append({"learner": lrn, "T": t, "cce_gap": gap.mean(), "low": gap.quantile(0.1),
                        "high": gap.quantile(0.9), "reps": len(gap),
                        "bound": (bounds.hedge_regret_bound(t, 3) if lrn == "hedge"
                                  else bounds.regret_matching_bound(t, 3) if lrn.startswith("regret") else np.nan) / t})
    return pd.DataFrame(out)


#: Bound line styles: RM and RM+ share the bound sqrt(A/T), so their lines coincide; a dashed line and a
#: dotted line of a different colour on top of each other keep both visible.
_BOUND_STYLE = {"hedge": dict(ls="--", lw=1.2), "regret_matching": dict(ls=(0, (6, 4)), lw=1.6),
                "regret_matching_plus": dict(ls=(3, (1, 3)), lw=2.2)}


def _cce_draw(df):
    fig, (ax,) = new_axes(width=6.0, height=4.4)
    for lrn, part in df.groupby("learner", sort=False):
        line = plot_with_bound(ax, part["T"], part["cce_gap"].clip(lower=1e-12), part["low"].clip(lower=1e-12),
                               part["high"], label=lrn)
        if part["bound"].notna().all():
            note = " (= RM's)" if lrn == "regret_matching_plus" else ""
            ax.plot(part["T"], part["bound"], color=line.get_color(), label=f"{lrn} bound{note}", **_BOUND_STYLE[lrn])
    ax.set_xlabel("T (rounds of self-play)")
    ax.set_ylabel("CCE gap of time-averaged play")
    ax.set_title("CCE gap of self-play, random 3-player 3-action games")
    ax.legend(fontsize=7)
    return fig


# -- 2. Reduction: Nash gap of the extracted pair vs H and T -----------------------------------------------
def _reduction_compute(size, n_jobs, seed):
    hs = by_size(size, [2, 4, 8], [4, 8, 16, 32])
    ts = by_size(size, [1, 4, 16, 64], [1, 4, 16, 64, 256])
    reps = by_size(size, 6, 30)
    cells = [dict(n1=3, n2=3, n_components=t, horizon=h, source=src)
             for src in ("hedge", "random") for t in ts for h in hs]
    df = run_cells(REDUCTION_TASK, cells, reps, seed, n_jobs)
    g = df.groupby(["source", "n_components", "horizon"], sort=False)
    out = g[["eps", "avg_gap_sum", "extracted_gap_max", "bound_upper_eps"]].mean().reset_index()
    out["reps"] = reps
    out["sqrt_term"] = np.sqrt(2 * np.log(out["n_components"]) / out["horizon"])
    return out


def _reduction_draw(df):
    fig, axes = new_axes(ncols=2, width=5.2, height=4.4)
    ax = axes[0]
    for src, part in df.groupby("source", sort=False):
        ax.scatter(part["bound_upper_eps"], part["avg_gap_sum"], s=14, label=f"{src}: avg NashGapSum")
        ax.scatter(part["bound_upper_eps"], part["extracted_gap_max"], s=14, marker="x", label=f"{src}: extracted max gap")
    lim = float(max(df["bound_upper_eps"].max(), df["avg_gap_sum"].max())) * 1.05
    ax.plot([0, lim], [0, lim], "k--", lw=1, label="bound (diagonal)")
    ax.set_xlabel("2 eps + sqrt(2 ln T / H)")
    ax.set_ylabel("measured")
    ax.set_title("Measured gaps against the bound (Theorem R)")
    ax.legend(fontsize=7)
    ax = axes[1]
    part = df[df["source"] == "hedge"]
    for t, p in part.groupby("n_components"):
        plot_with_bound(ax, p["horizon"], p["extracted_gap_max"].clip(lower=1e-6), bound=p["bound_upper_eps"],
                        label=f"T={t}", bound_label=f"bound T={t}", logy=False)
    ax.set_xlabel("H")
    integer_ticks(ax, sorted(part["horizon"].unique()))
    ax.set_ylabel("NashGapMax of extracted pair (Hedge source)")
    ax.set_title("Extracted pair's Nash gap vs H")
    ax.legend(fontsize=7, ncol=2)
    return fig


# -- 3. Markov vs history-dependent deviations ---------------------------------------------------------------
def _separation_compute(size, n_jobs, seed):
    ks = by_size(size, [100, 300, 1000, 3000], [100, 300, 1000, 3000, 10_000, 30_000])
    reps = by_size(size, 5, 20)
    h = by_size(size, 6, 8)
    cells = [dict(game=g, horizon=h, checkpoints=ks) for g in ("shapley", "rps", "coordination")]
    df = run_cells(SEPARATION_TASK, cells, reps, seed, n_jobs)
    out = []
    for game, part in df.groupby("game", sort=False):
        for k in ks:
            for kind in ("markov", "general"):
                v = part[f"{kind}_{k}"]
                out.append({"game": game, "K": k, "deviations": kind, "gap": v.mean(), "low": v.min(),
                            "high": v.max(), "reps": len(v), "horizon": h})
    return pd.DataFrame(out)


def _separation_draw(df):
    games = list(dict.fromkeys(df["game"]))
    fig, axes = new_axes(ncols=len(games), width=4.0, height=3.6)
    for ax, game in zip(axes, games):
        part = df[df["game"] == game]
        for kind, p in part.groupby("deviations", sort=False):
            plot_with_bound(ax, p["K"], p["gap"].clip(lower=1e-6), p["low"].clip(lower=1e-6), p["high"],
                            label=f"{kind} deviations")
        ks = np.sort(part["K"].unique())
        ax.plot(ks, np.sqrt(np.log(3) / (2 * ks)) * 2, ":", color="gray", lw=1, label="~K^-1/2 reference")
        ax.set_title(game)
        ax.set_xlabel("K episodes")
        if ax is axes[0]:
            ax.set_ylabel("CCE gap of the K-sparse mixture")
        ax.legend(fontsize=7)
    return fig


# -- 4. V-learning certified policy ------------------------------------------------------------------------
def _vl_compute(size, n_jobs, seed):
    ks = by_size(size, [100, 300, 1000, 3000], [100, 300, 1000, 3000, 10_000, 30_000])
    reps = by_size(size, 3, 10)
    cells = [dict(n_states=2, n_actions=[2, 2], horizon=3, checkpoints=ks, bonus=0.1, learn=lrn) for lrn in (True, False)]
    df = run_cells(VLEARNING_TASK, cells, reps, seed, n_jobs)
    out = []
    for learn, part in df.groupby("learn", sort=False):
        for k in ks:
            v = part[f"gap_{k}"]
            out.append({"learner": "v_learning" if learn else "frozen (uniform)", "K": k, "gap": v.mean(),
                        "low": v.min(), "high": v.max(), "reps": len(v)})
    return pd.DataFrame(out)


def _vl_draw(df):
    fig, (ax,) = new_axes(width=5.0, height=3.8)
    for lrn, p in df.groupby("learner", sort=False):
        plot_with_bound(ax, p["K"], p["gap"], p["low"], p["high"], label=lrn)
    ax.set_xlabel("K episodes")
    ax.set_ylabel("general CCE gap of certified policy")
    ax.set_title("V-learning, random 2-state Markov game, H = 3")
    ax.legend(fontsize=7)
    return fig


# -- 5. Sparsity vs horizon (Corollary of Theorem R) ---------------------------------------------------------
def _sparsity_compute(size, n_jobs, seed):
    hs = by_size(size, [2, 4, 6], [2, 4, 6, 8])
    ts = by_size(size, [1, 8, 64, 512], [1, 4, 16, 64, 256, 1024, 4096])
    reps = by_size(size, 3, 10)
    cells = [dict(game=g, n_components=t, horizon=h, source="iid_cce")
             for g in ("shapley", "matching_pennies") for t in ts for h in hs]
    df = run_cells(REDUCTION_TASK, cells, reps, seed, n_jobs)
    out = df.groupby(["game", "n_components", "horizon"], sort=False).agg(
        eps=("eps", "mean"), low=("eps", "min"), high=("eps", "max"), g_min=("min_stage_gap_sum", "min")).reset_index()
    out["reps"] = reps
    out["x"] = np.log(out["n_components"]) / out["horizon"]
    out["envelope"] = [bounds.sparsity_lower_envelope(g, h, t)
                       for g, h, t in zip(out["g_min"], out["horizon"], out["n_components"])]
    return out


def _sparsity_draw(df):
    games = list(dict.fromkeys(df["game"]))
    fig, axes = new_axes(ncols=len(games), width=4.6, height=3.8)
    for ax, game in zip(axes, games):
        part = df[df["game"] == game]
        for h, p in part.groupby("horizon"):
            plot_with_bound(ax, p["x"], p["eps"], p["low"], p["high"], bound=p["envelope"], label=f"H={h}",
                            bound_label=f"envelope H={h}", logx=False, logy=False)
        ax.set_xlabel("ln T / H")
        ax.set_title(game)
        ax.legend(fontsize=7)
    axes[0].set_ylabel("CCEGap_gen of T i.i.d. CCE sequences")
    return fig


FIGURES = [
    Figure("games.cce_gap_vs_T", "CCE gap of time-averaged self-play vs T",
           "Not a figure of Foster, Golowich & Kakade: textbook no-regret learners in self-play. CCE gap of "
           "(1/T) sum_t prod_i x_i^t, which equals max_i Regret_i(T)/T exactly (derived identity, claim "
           "games.cce_gap_identity), for Hedge (eta = sqrt(8 ln A/T)), regret matching, RM+ and optimistic Hedge "
           "(eta = 0.1) on random 3-player 3-action games with Uniform[0,1] payoffs [ours]; band = 10-90% quantiles "
           "over games. Bounds (learner theorems of prior work, used with their constants): Hedge sqrt(ln A/(2T)) "
           "(Cesa-Bianchi & Lugosi 2006, Thm 2.2), and sqrt(A/T) for both regret matching (Hart & Mas-Colell 2000) "
           "and RM+ (Tammelin 2014): the two bound lines coincide, drawn dashed (RM) and dotted (RM+) so both show. "
           "Optimistic Hedge has no overlaid bound (Daskalakis, Fishelson & Golowich 2021's constants are not used). "
           "Sources: docs/topics/games.md#figures.",
           "derived", _cce_compute, _cce_draw),
    Figure("games.reduction_gap_vs_H_T", "SparseCCE -> Nash reduction: extracted Nash gap vs H and T",
           "Random 3x3 bimatrix games (Uniform[0,1]); T-sparse mixtures of Markov product policies of G(M,H) from "
           "per-step Hedge (eta = 0.1, random starts) or random Dirichlet(0.5) components. Markov product "
           "components only: a sub-case of the paper's SparseCCE, whose components may be history-dependent "
           "(docs/topics/games.md#the-reduction). eps = exact general CCE gap (aggregating deviation; Monte Carlo "
           "with 3 s.e. when |A|^H T > 1e7). Left: average stage NashGapSum and extracted pair's NashGapMax against "
           "the bound 2 eps + sqrt(2 ln T/H) (Theorem R, derived by us, not the paper's stated constant); all points "
           "lie below the diagonal. Right: extracted gap vs H for the Hedge source.",
           "derived", _reduction_compute, _reduction_draw),
    Figure("games.markov_vs_history", "Markov vs history-dependent deviations of independent Hedge",
           "Stationary independent Hedge (anytime step, random start) in the one-state repeated game G(M,H); the "
           "K executed product policies form a K-sparse mixture. Markov-deviation CCE gap (= max regret/K, derived "
           "identity) falls like K^-1/2 or faster: no-regret against Markov deviations, which the paper credits to "
           "prior work (e.g. Erez, Lancewicki, Sherman, Koren & Mansour 2023); the gap against history-dependent "
           "deviations (exact Bayes-aggregating deviation) stays high on Shapley's game where Hedge cycles, and goes "
           "to 0 on the coordination control. The paper's hardness result concerns that second, general notion; "
           "this run illustrates the separation [derived], thresholds are ours. Band = min-max over seeds. "
           "Sources: docs/topics/games.md#figures.", "derived", _separation_compute, _separation_draw),
    Figure("games.vlearning_certified_gap", "V-learning: CCE gap of the certified policy vs K",
           "V-learning (Jin et al. 2021; bandit rates and bonus c = 0.1 recalled, docs/topics/games.md#v-learning) on a random 2-state, "
           "2x2-action, H = 3 Markov game; exact general CCE gap of the certified (correlated, history-dependent) "
           "output policy by belief recursion over the shared episode index. The certified-policy indexing convention "
           "is our reconstruction. Frozen (uniform) learner as the control. Band = min-max over seeds.",
           "reconstruction", _vl_compute, _vl_draw),
    Figure("games.sparsity_vs_horizon", "Sparsity must grow exponentially with the horizon",
           "Baseline B3: T deterministic joint-action sequences drawn i.i.d. from the welfare-maximising stage CCE "
           "(LP), as a uniform T-sparse mixture of G(M,H) for Shapley's game and matching pennies (Markov product "
           "components only). y: exact general CCE gap (aggregating deviation); dashed: the lower envelope "
           "(g_min - sqrt(2 ln T/H))/2 from the Corollary of Theorem R, g_min = smallest stage NashGapSum (both "
           "derived by us, docs/topics/games.md#the-reduction, not the paper's statement). The gap stays bounded "
           "away from 0 until ln T is of order H. Band = min-max over seeds.",
           "derived", _sparsity_compute, _sparsity_draw),
]
