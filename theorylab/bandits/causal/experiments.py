"""Figures of the causal topic (``theorylab reproduce causal``; docs/topics/causal.md#figures).

- ``causal.stationary``: the authors' stationary experiment (sim_main.py): random instances with
  N = 10, nu = 1, sigma = 1, T = 1500; mean cumulative regret (realised reward, their definition) and
  optimal-intervention share per 100-round block, for Vanilla UCB, LinSEM-TS and LinSEM-UCB (true
  parents; LinSEM-UCB is not in the authors' figure), GOLEM-MAB (explore 300 + 300 rounds, two GOLEM-EV
  fits of 1e5 Adam steps, commit) and CSL-UCB in both code eras. Full size: the authors' 100 instances;
  quick: 6. Per-run independent streams (the authors' workers shared streams), so agreement is
  statistical; runs are split over ``n_jobs`` workers in chunks, which does not change a number.
- ``causal.nonstationary`` [recon]: the same algorithms on piecewise-stationary instances, T = 3000,
  changes at 1000 and 2000 made by the authors' change model with n_col = 1 (the paper's schedule is not
  public; this schedule is ours); dynamic regret and optimal share per block.
- ``causal.structure_learning`` [recon]: false-negative rate and SHD against the sample budget (the
  authors' later practice, averaged over the two states) for the sub-graph learner (random rounds) and
  the full-graph learners GOLEM-EV and DAGMA-linear (half observational, half full-intervention rounds).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from theorylab.bandits.causal.algorithms import run_algorithm
from theorylab.bandits.causal.instances import change_graph, random_instance
from theorylab.bandits.causal.learning import structure_errors
from theorylab.core.figures import Figure
from theorylab.core.parallel import run_tasks
from theorylab.core.plotting import finish_axes, new_axes
from theorylab.core.seeding import repetition_seeds, seed_sequence

__all__ = ["FIGURES", "SWEEP_TASKS", "compute_stationary", "draw_stationary", "RUNS"]

#: (label, algorithm, variant); colours/markers as in the authors' plotting code where they have one.
RUNS = (("Vanilla UCB", "vanilla_ucb", None, "tab:blue", "o"),
        ("LinSEM-TS (true parents)", "linsem_ts", None, "tab:purple", "s"),
        ("LinSEM-UCB (true parents)", "linsem_ucb", None, "tab:green", "v"),
        ("GOLEM-MAB", "golem_mab", None, "tab:olive", "^"),
        ("CSL-UCB, paper-era code", "csl_ucb", "paper_era", "tab:red", "d"),
        ("CSL-UCB, final code", "csl_ucb", "final", "tab:orange", "d"))
BLOCK = 100


def compute_stationary(size="quick", n_jobs=1, seed=0, n_nodes=10, horizon=1500) -> pd.DataFrame:
    """Per algorithm and grid point t in {0, 100, ..., T}: mean and 2.5/97.5% quantiles over instances of
    the cumulative realised regret, mean pseudo-regret, and the optimal share of the block ending at t.

    One run of every entry of :data:`RUNS` on each of the authors' random instances (stationary).

    Parameters
    ----------
    size : {"quick", "full"}, default "quick"
        ``"full"``: 100 instances (the paper's); anything else: 6 (GOLEM-MAB fits 1e5 Adam steps twice per run).
    n_jobs : int, default 1
        Workers; the runs are split into chunks of :data:`CHUNK` (the numbers do not depend on it).
    seed : int, default 0
        Master seed of the instances and the runs.
    n_nodes : int, default 10
        N (the paper's 10).
    horizon : int, default 1500
        T; the grid is 0, 100, ..., up to T.

    Returns
    -------
    pandas.DataFrame
        One row per (algorithm label, t): ``algorithm``, ``t``, ``regret_mean``, ``regret_q025``,
        ``regret_q975`` (realised regret), ``pseudo_regret_mean``, ``optimal_share`` (share of optimal actions
        in rounds t-100..t-1, 0 at t = 0), ``instances`` and ``T``.
    """
    R = 100 if size == "full" else 6   # quick: 6 (GOLEM-MAB fits 1e5 Adam steps twice per run)
    insts = [random_instance(n_nodes, seed_sequence(seed, "causal.stationary.instances", i)) for i in range(R)]
    return _curves(insts, None, horizon, seed, "causal.stationary", n_jobs)


def compute_nonstationary(size="quick", n_jobs=1, seed=0, n_nodes=10, horizon=3000, changes=(1000, 2000),
                          n_col=1) -> pd.DataFrame:
    """As :func:`compute_stationary` on piecewise-stationary runs (dynamic regret)."""
    R = 100 if size == "full" else 6   # quick: 6 (GOLEM-MAB fits 1e5 Adam steps twice per run)
    systems = []
    for i in range(R):
        sys = [random_instance(n_nodes, seed_sequence(seed, "causal.nonstationary.instances", i))]
        for k in range(len(changes)):
            sys.append(change_graph(sys[-1], n_col, seed_sequence(seed, ["causal.nonstationary.change", k], i))[0])
        systems.append(sys)
    return _curves(systems, [0, *changes], horizon, seed, "causal.nonstationary", n_jobs)


CHUNK = 10  # runs per task when the runs are spread over workers (every run has its own stream)


def _run_chunk(name, variant, instances, seeds, horizon, change_times, grid):
    """One batch call; returns the regret curves on ``grid`` and the optimal flags (small, picklable)."""
    kw = {"variant": variant} if variant else {}
    res = run_algorithm(name, instances, seeds, horizon, change_times=change_times, **kw)
    R = len(seeds)
    real = np.concatenate([np.zeros((R, 1)), res.realised_regret], axis=1)[:, grid]
    pseudo = np.concatenate([np.zeros((R, 1)), res.pseudo_regret], axis=1)[:, grid]
    return real, pseudo, res.optimal


def _curves(instances, change_times, horizon, seed, key, n_jobs=1) -> pd.DataFrame:
    R = len(instances)
    grid = np.arange(0, horizon + 1, BLOCK)
    rows = []
    for label, name, variant, _, _ in RUNS:
        seeds = repetition_seeds(seed, f"{key}.{name}.{variant}", R)
        size = R if n_jobs == 1 else CHUNK
        tasks = [(name, variant, instances[i:i + size], [seeds[j] for j in range(i, min(i + size, R))], horizon,
                  change_times, grid) for i in range(0, R, size)]
        parts = run_tasks(_run_chunk, tasks, n_jobs)
        real, pseudo, optimal = (np.concatenate([p[k] for p in parts]) for k in range(3))
        share = [0.0] + [float(optimal[:, t - BLOCK:t].mean()) for t in grid[1:]]
        for q, t in enumerate(grid):
            rows.append({"algorithm": label, "t": int(t), "regret_mean": float(real[:, q].mean()),
                         "regret_q025": float(np.quantile(real[:, q], 0.025)),
                         "regret_q975": float(np.quantile(real[:, q], 0.975)),
                         "pseudo_regret_mean": float(pseudo[:, q].mean()), "optimal_share": share[q],
                         "instances": R, "T": horizon})
    return pd.DataFrame(rows)


def draw_stationary(df: pd.DataFrame):
    """Two panels: mean cumulative regret and optimal-action share against t, one line per algorithm.

    Also draws the non-stationary figure (the regret axis is labelled dynamic regret when T > 1500).

    Parameters
    ----------
    df : pandas.DataFrame
        The table of :func:`compute_stationary` (or ``compute_nonstationary``).

    Returns
    -------
    matplotlib.figure.Figure
        The figure (left: ``regret_mean``, right: ``optimal_share``).
    """
    fig, (ax1, ax2) = new_axes(ncols=2)
    for label, _, _, colour, marker in RUNS:
        d = df[df["algorithm"] == label]
        ax1.plot(d["t"], d["regret_mean"], color=colour, marker=marker, ms=4, label=label)
        ax2.plot(d["t"], d["optimal_share"], color=colour, marker=marker, ms=4, label=label)
    ax1.ticklabel_format(axis="y", style="sci", scilimits=(0, 0))
    label = "Cumulative Regret (mean over instances)" if df["T"].iloc[0] <= 1500 else \
        "Cumulative Dynamic Regret (mean over instances)"
    finish_axes(ax1, "Time Steps", label)
    ax2.set_ylim(-0.05, 1.05)
    finish_axes(ax2, "Time Steps", "Optimal Intervention Percentage", legend=None)
    return fig


BUDGETS = (50, 100, 200, 400, 800)
#: (learner key, legend label, colour, marker) of the structure-learning comparison.
STRUCTURE_LEARNERS = (("sub_graph", "sub-graph learner (CSL-UCB): n random rounds", "tab:red", "d"),
                      ("golem", "GOLEM-EV: n/2 observational + n/2 full-intervention rounds", "tab:green", "^"),
                      ("dagma", "DAGMA-linear: n/2 observational + n/2 full-intervention rounds", "tab:gray", "s"))


def _structure_instance(seed, i, n_nodes, budgets):
    """Per-learner, per-budget errors on instance i (its own instance and data streams; learners see
    independent data of the same instance)."""
    inst = random_instance(n_nodes, seed_sequence(seed, "causal.structure.instances", i))
    rows = []
    for learner, _, _, _ in STRUCTURE_LEARNERS:
        for n in budgets:
            rng = np.random.default_rng(seed_sequence(seed, ["causal.structure.data", learner, n], i))
            rows.append({"instance": i, "learner": learner, "budget": n,
                         **structure_errors(inst, n, learner, rng)})
    return rows


def compute_structure(size="quick", n_jobs=1, seed=0, n_nodes=10) -> pd.DataFrame:
    """Per learner and budget n: mean over instances (and the two states) of the false-negative rate and of
    SHD / (N (N - 1) / 2), with 2.5/97.5% quantiles of the per-instance values [recon, see
    :func:`theorylab.bandits.causal.learning.structure_errors`]. Quick: 2 instances, n in {50, 400};
    full: 20 instances, n in {50, 100, 200, 400, 800} (GOLEM's 1e5 Adam steps per fit bound the size)."""
    from joblib import Parallel, delayed
    R, budgets = (20, BUDGETS) if size == "full" else (2, (50, 400))
    per = Parallel(n_jobs=n_jobs)(delayed(_structure_instance)(seed, i, n_nodes, budgets) for i in range(R))
    df = pd.DataFrame([r for rows in per for r in rows])
    labels = {k: lab for k, lab, _, _ in STRUCTURE_LEARNERS}
    out = []
    for (learner, n), d in df.groupby(["learner", "budget"], sort=False):
        for metric in ("fnr", "shd_normalised"):
            v = d[metric].to_numpy()
            out.append({"learner": labels[learner], "key": learner, "budget": int(n), "metric": metric,
                        "mean": float(v.mean()), "q025": float(np.quantile(v, 0.025)),
                        "q975": float(np.quantile(v, 0.975)), "instances": R, "N": n_nodes})
    return pd.DataFrame(out)


def draw_structure(df: pd.DataFrame):
    fig, axes = new_axes(ncols=2)
    style = {k: (c, m) for k, _, c, m in STRUCTURE_LEARNERS}
    budgets = sorted(df["budget"].unique())
    for ax, metric, label in zip(axes, ("fnr", "shd_normalised"), ("False-negative rate", "SHD / (N(N-1)/2)")):
        for learner, d in df[df["metric"] == metric].groupby("learner", sort=False):
            colour, marker = style[d["key"].iloc[0]]
            ax.plot(d["budget"], d["mean"], marker=marker, color=colour, label=learner)
            ax.fill_between(d["budget"], d["q025"], d["q975"], color=colour, alpha=0.12)
        ax.set_ylim(bottom=-0.01)
        finish_axes(ax, "Sample budget n (rounds)", label, logx=True, legend=7 if metric == "fnr" else None,
                    legend_loc="upper right")
        ax.set_xticks(budgets)
        ax.set_xticklabels([str(int(b)) for b in budgets])
        ax.minorticks_off()
    return fig


FIGURES = [
    Figure("causal.stationary", "Stationary causal bandits: cumulative regret and optimal-intervention share",
           "Setting of the authors' sim_main.py: random instances (their generator), N = 10, nu = 1, sigma = 1, "
           "T = 1500, one run per instance and algorithm, regret = sum_t (max_a r(a) - realised X_N), optimal "
           "= within 0.01 of the best, share per 100-round block (0 at t = 0), means only as in their plotting "
           "code (the CSV also has 2.5/97.5% quantiles and the pseudo-regret). Two CSL-UCB variants: "
           "'paper-era code' (the code of the paper's publication date: TRUE ||mu_a|| in the bound, an "
           "oracle, bonus 0.2 r (1 + cos)) and 'final code' (last commit: plug-in ||mu_hat_a||, bonus "
           "0.5 r (1 + cos)/2); neither set of constants could be read in the paper itself. LinSEM-TS is told "
           "the true parent sets, as in the authors' runs. LinSEM-UCB (not in the authors' figure) is told them "
           "too; its width is our substitute (beta_t = 1 + sqrt(2 ln(2NT) + d ln(1 + m^2 t/d)) times the "
           "first-order bound), not Varici et al.'s formula, which we could not read. GOLEM-MAB (authors' code): "
           "300 rounds of no intervention, 300 of full intervention, two GOLEM-EV fits (1e5 Adam steps, "
           "lambda1 0.02, lambda2 5, threshold 0.3), then commit to the best estimated action. Per-run independent "
           "streams: agreement with the paper can only be statistical. Quick size: 6 instances; full: 100.",
           "reconstruction", compute_stationary, draw_stationary),
    Figure("causal.nonstationary", "Piecewise-stationary causal bandits: dynamic regret and optimal share",
           "Our reconstruction of the paper's non-stationary experiment (its schedule is not public): random "
           "instances (authors' generator, N = 10), T = 3000, the system changes at t = 1000 and t = 2000 by the "
           "authors' change model (change_graph, one redrawn column of the mechanism the optimum uses; strict "
           "exit test), regret against the optimum of the active system. CSL-UCB runs its sub-graph change "
           "detector (authors' code: from t = 200, window 20, threshold 2, reset and re-exploration of flagged "
           "sub-graphs), in the paper-era and the final code variants; Vanilla UCB uses the mean of each arm's "
           "last 10 rewards with cumulative counts (authors' code); LinSEM-TS and LinSEM-UCB keep the initial "
           "true parent sets and are never reset (final code); GOLEM-MAB explores 600 rounds, fits "
           "GOLEM-EV twice, commits, and restarts when the authors' full-vector detector fires (from t_i + 620, "
           "window 20, per-sample per-node Gaussian LLR > 20). Means over instances; per-run "
           "independent streams. Quick size: 6 instances; full: 100.",
           "reconstruction", compute_nonstationary, draw_stationary),
    Figure("causal.structure_learning", "Structure learning: sub-graph learner against GOLEM and DAGMA (FNR, SHD)",
           "Our reconstruction of the paper's structure-learning comparison (its protocol is not public): the "
           "authors' random instances (N = 10); for a budget of n rounds, the sub-graph learner of CSL-UCB "
           "(KSG scores, deletion until acyclic) sees n rounds of uniformly random actions (about n/2 samples "
           "per sub-graph), GOLEM-EV (authors' constants: lambda1 0.02, lambda2 5, 1e5 Adam steps, threshold "
           "0.3 then smallest weights until acyclic) and DAGMA-linear (vendored defaults: lambda1 0.03, "
           "threshold 0.3; our numpy/numba reconstruction) see n/2 rounds of no intervention for the "
           "observational graph and n/2 rounds of full intervention for the interventional one (GOLEM-MAB's "
           "data). False-negative rate = missed true edges / true edges and SHD (causal-learn's definition) "
           "normalised by N(N-1)/2, averaged over the two states; mean and 2.5-97.5% band over instances. "
           "Quick: 2 instances, n in {50, 400}; full: 20 instances, n in {50, 100, 200, 400, 800}.",
           "reconstruction", compute_structure, draw_structure),
]

from theorylab.bandits.causal.tasks import SWEEP_TASKS  # noqa: E402  (registry reads it from this room)
