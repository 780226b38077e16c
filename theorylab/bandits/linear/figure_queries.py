"""Figures F2 (SparseNet's query count vs d and 1/eps) and F4 (the sparsity phase transition on RS needles).

Both are ours (the paper reports no experiments as far as could be read); they illustrate derived bounds of
docs/topics/linear.md with the production algorithms. Registered in
:mod:`theorylab.bandits.linear.experiments`; the sweep task behind them is ``linear.pure_exploration``
(specs ``simulations/linear/f2_queries.toml`` and ``f4_phase_transition.toml``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from theorylab.bandits.linear.algorithms import design_ls, exhaustive, g_optimal_design, span_coordinates, sparse_net
from theorylab.bandits.linear.bounds import rs_query_lower_bound
from theorylab.bandits.linear.instances import random_sparse_instance, reed_solomon_needle, sparse_feature_instance
from theorylab.bandits.linear.nets import make_net, n_supports
from theorylab.core.claims import by_size
from theorylab.core.plotting import finish_axes, new_axes
from theorylab.core.seeding import repetition_seeds, seed_sequence

__all__ = ["compute_queries", "draw_queries", "compute_phase_transition", "draw_phase_transition", "one_blas_thread"]

FEATURES = ("dense sphere", "2-sparse")


def one_blas_thread():
    """A context that pins BLAS to one thread when threadpoolctl is installed (else does nothing).

    Many small SVDs and solves (one per needle position) run about 1000x slower with a multi-threaded BLAS
    on a loaded machine (measured: a 625 x 20 SVD took 0.25 s with the default threads at load 12, 0.2 ms
    pinned); the results do not change.

    Parameters
    ----------
    None

    Returns
    -------
    context manager

    Examples
    --------
    >>> with one_blas_thread():
    ...     pass
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - optional dependency
        import contextlib
        return contextlib.nullcontext()
    return threadpool_limits(1)


def _instance(features: str, K: int, d: int, s: int, seed: int):
    if features == "dense sphere":
        return random_sparse_instance(K, d, min(s, d), 0.0, seed=seed)
    return sparse_feature_instance(K, d, min(2, d), s=min(s, d), seed=seed)


def compute_queries(size="quick", n_jobs=1, seed=0) -> pd.DataFrame:
    """Rows (panel, features, s, x, median, q25, q75, bound) of SparseNet's distinct queries |G|.

    SparseNet in best_empirical mode with the direction net, noiseless, K = 2e4 features of two kinds (dense
    unit sphere; 2-sparse, :func:`sparse_feature_instance`), s in {1, 2}; panel ``d``: eps_net = 0.2; panel
    ``1/eps``: d = 4. Median and quartiles over instances (3 quick, 10 full; instance seeds 800..); bound
    C(d, s) |net| with the realised net size.

    Parameters
    ----------
    size : {"quick", "full"}
    n_jobs : int
        Unused (one process).
    seed : int
        Master seed of the runs' tie-breaking streams.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> from theorylab.bandits.linear.experiments import FIGURES
    >>> [f.id for f in FIGURES if f.compute is compute_queries or f.draw is compute_queries]
    ['linear.query_counts']
    """
    ds = by_size(size, (4, 6, 8, 12, 16), (4, 6, 8, 12, 16, 24, 32))
    inv = by_size(size, (5, 10, 20, 40), (5, 7, 10, 14, 20, 28, 40))
    n_inst = by_size(size, 3, 10)
    K = 20000
    rows = []
    grid = [("d", d, 0.2) for d in ds] + [("1/eps", 4, 1.0 / k) for k in inv]
    for panel, d, eps in grid:
        for s in (1, 2):
            bound = n_supports(d, s) * int(make_net(min(s, d), eps, "direction").shape[0])
            for features in FEATURES:
                counts = []
                for i in range(n_inst):
                    inst = _instance(features, K, d, s, 800 + i)
                    sd = repetition_seeds(seed, {"figure": "linear.query_counts", "d": d, "eps": eps, "i": i}, 1)
                    counts.append(int(sparse_net(inst, s, sd, mode="best_empirical", net_kind="direction",
                                                 eps_net=eps).distinct[0]))
                q25, med, q75 = np.percentile(counts, [25, 50, 75])
                rows.append({"panel": panel, "features": features, "s": s, "d": d, "eps": eps,
                             "x": d if panel == "d" else 1.0 / eps, "median": med, "q25": q25, "q75": q75,
                             "bound": bound, "instances": n_inst, "K": K})
    return pd.DataFrame(rows)


def draw_queries(df: pd.DataFrame):
    """Two panels: |G| vs d (eps = 0.2) and vs 1/eps (d = 4), with the bound C(d, s)|net| dashed.

    Parameters
    ----------
    df : pandas.DataFrame
        From :func:`compute_queries`.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from theorylab.bandits.linear.experiments import FIGURES
    >>> [f.id for f in FIGURES if f.compute is draw_queries or f.draw is draw_queries]
    ['linear.query_counts']
    """
    fig, axes = new_axes(ncols=2)
    for ax, panel in zip(axes, ("d", "1/eps")):
        sub = df[df.panel == panel]
        for i, s in enumerate((1, 2)):
            for features, ls in zip(FEATURES, ("-o", "-s")):
                g = sub[(sub.s == s) & (sub.features == features)]
                ax.plot(g.x, g["median"], ls, color=f"C{i}", ms=3, lw=1.2 if features == "2-sparse" else 0.8,
                        label=f"s = {s}, {features} features")
                ax.fill_between(g.x, g.q25, g.q75, color=f"C{i}", alpha=0.15, lw=0)
            g = sub[(sub.s == s) & (sub.features == FEATURES[0])]
            ax.plot(g.x, g.bound, "--", color=f"C{i}", lw=1, label=f"C(d, {s}) |net| (derived bound)")
        xl = "d (eps_net = 0.2)" if panel == "d" else "1/eps_net (d = 4)"
        finish_axes(ax, xl, "distinct queries |G|" if panel == "d" else None, logx=True, logy=True,
                    legend=6 if panel == "d" else None)
    axes[0].set_title(f"SparseNet queries, K = {int(df.K.iloc[0])}, direction net", fontsize=9)
    return fig


def compute_phase_transition(size="quick", n_jobs=1, seed=0) -> pd.DataFrame:
    """Rows (r, m, algorithm, median_queries, success, bound, allowed_error) on RS(q, s, r), noiseless.

    q = 5, s = 4 (quick) or q = 11, s = 8 (full), r = 0..3, Delta = 0.8. Exhaustive search in a random order:
    queries until the needle is first seen, median over (needle position, seed) = the queries needed for
    success 1/2. DesignLS (one Frank-Wolfe design per r): its success fraction with |supp| queries. Bound:
    any learner with success >= 1/2 at error below Delta = s eps / r needs >= q^(r+1)/2 - 1 queries (derived).
    Each seed is shared by all needle positions of one r, so a run's query order does not depend on the
    needle (the Yao argument): one exhaustive run per seed gives every position's rank, and the median over
    all m positions is exactly (m + 1)/2. DesignLS runs on every position when m <= 625, else on 200 drawn
    uniformly (seeded).

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
    >>> [f.id for f in FIGURES if f.compute is compute_phase_transition or f.draw is compute_phase_transition]
    ['linear.phase_transition']
    """
    (q, s), reps = by_size(size, ((5, 4), 4), ((11, 8), 10))
    delta = 0.8
    rng = np.random.default_rng(seed_sequence(seed, "linear.phase_transition.positions"))
    rows = []
    with one_blas_thread():
        for r in range(4):
            rows.extend(_phase_rows(q, s, r, delta, reps, seed, rng))
    return pd.DataFrame(rows)


def _phase_rows(q, s, r, delta, reps, seed, rng):
    m = q ** (r + 1)
    positions = np.arange(m) if m <= 625 else np.sort(rng.choice(m, size=200, replace=False))
    des = g_optimal_design(span_coordinates(reed_solomon_needle(q, s, r, 0, delta).features))
    sd = repetition_seeds(seed, {"figure": "linear.phase_transition", "q": q, "s": s, "r": r}, reps)
    # the random query order depends on the seed only (noiseless, every reward 0 until the needle), so one
    # run per seed gives the needle's position in that order for every needle position at once
    ranks = exhaustive(reed_solomon_needle(q, s, r, 0, delta), sd, record_order=True).info["query_rank"] + 1
    succ = [design_ls(reed_solomon_needle(q, s, r, int(i), delta), sd, design=des).actions == i for i in positions]
    eps = delta * r / s
    common = {"r": r, "m": m, "q": q, "s": s, "bound": rs_query_lower_bound(q, r),
              "allowed_error_over_eps": (s / r) if r > 0 else np.inf, "eps": eps, "positions": positions.size}
    return [dict(common, algorithm="exhaustive (random order)", median_queries=float(np.median(ranks)),
                 success=1.0),
            dict(common, algorithm="design_ls", median_queries=float(des.support.size),
                 success=float(np.mean(succ)))]


def draw_phase_transition(df: pd.DataFrame):
    """Left: log10 queries for success 1/2 vs r with the lower bound; right: DesignLS success and s/r.

    Parameters
    ----------
    df : pandas.DataFrame
        From :func:`compute_phase_transition`.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from theorylab.bandits.linear.experiments import FIGURES
    >>> [f.id for f in FIGURES if f.compute is draw_phase_transition or f.draw is draw_phase_transition]
    ['linear.phase_transition']
    """
    fig, (a0, a1) = new_axes(ncols=2)
    ex = df[df.algorithm.str.startswith("exhaustive")]
    a0.plot(ex.r, np.log10(ex.median_queries), "-o", ms=3, label="exhaustive, random order (median)")
    a0.plot(ex.r, np.log10(np.maximum(ex.bound, 1.0)), "--k", lw=1, label="q^(r+1)/2 - 1, any learner (derived)")
    ds = df[df.algorithm == "design_ls"]
    a0.plot(ds.r, np.log10(ds.median_queries), ":s", ms=3, label="design_ls queries |supp| (fails, right)")
    finish_axes(a0, "overlap r", "log10 queries for success 1/2", legend=6)
    a0.set_title(f"RS({int(df.q.iloc[0])}, {int(df.s.iloc[0])}, r), Delta = 0.8", fontsize=9)
    a1.plot(ds.r, ds.success, "-s", ms=3, color="C2", label="design_ls success fraction")
    fin = ds[np.isfinite(ds.allowed_error_over_eps)]
    a1.plot(fin.r, fin.allowed_error_over_eps / fin.allowed_error_over_eps.max(), "--", color="gray",
            label="allowed error Delta/eps = s/r (scaled to 1 at r = 1)")
    finish_axes(a1, "overlap r", "fraction", legend=6)
    return fig
