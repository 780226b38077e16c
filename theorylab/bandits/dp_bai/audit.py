"""Privacy audit of DP-BAI and the other phased private algorithms (docs/topics/dp_bai.md#privacy).

Three independent checks of epsilon-DP under the "table" model (neighbouring reward tables differ
in one entry), each run through the production engine (:func:`engine.run_phased`) with rewards read
from explicit tables:

1. :func:`replay_privacy_loss` (P1/P4, exact coupling): run on (x, Z); replay on the neighbour x' with
   the noise of every release shifted so that the released noisy means are unchanged; the transcripts
   must coincide and the privacy loss sum_j |z_j - z'_j| (standard-Laplace units, the sup of the
   log-density ratio) must be <= epsilon.
2. :func:`two_arm_exact_loss` (P2): K = 2, one phase; P(output = arm 0) = F_D(m_0 - m_1) in closed form
   (D = difference of two Laplace(b), b read off the engine's own releases); the largest log-ratio over
   neighbouring empirical means.
3. :func:`histogram_audit` (P3): Monte-Carlo transcript histograms on a worst-case pair of tables;
   Bonferroni-corrected Clopper-Pearson lower bound of max_o log P(o | x) / P(o | x').

Each accepts ``noise_factor`` (0.5 = noise halved) and ``reuse_samples`` (phase means on cumulative
samples: sensitivity/composition ignored) so that a broken mechanism is shown to be detected.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats as _st

from theorylab.bandits.dp_bai.algorithms import check_epsilon, make_planner
from theorylab.bandits.dp_bai.engine import TableKernelSource, run_phased, table_source
from theorylab.bandits.dp_bai.instances import LinearBAIInstance, unstructured_instance
from theorylab.core.seeding import seed_sequence
from theorylab.core.streams import init_states, laplace_matrix
from theorylab.core.validate import check_array, check_choice, check_int, check_real

__all__ = ["run_on_table", "replay_privacy_loss", "laplace_difference_cdf", "engine_laplace_scale",
           "two_arm_exact_loss", "histogram_audit"]


def run_on_table(instance: LinearBAIInstance, algorithm: str, budget: int, epsilon: float, table, noise=None,
                 indexing: str = "time", noise_factor: float = 1.0, reuse_samples: bool = False, noise_hook=None,
                 n_runs: int | None = None, seeds=None, table_path: str = "numba"):
    """Run a phased algorithm with rewards from ``table`` (the reference table path).

    ``noise``: standard-Laplace array (R, M, m_max) or None with ``seeds`` (drawn per run from its stream).
    ``table_path``: ``"numba"`` reads a time-indexed table inside the kernel
    (:class:`engine.TableKernelSource`); ``"python"`` is the plain reference (:func:`engine.table_source`),
    the only one for ``indexing="arm"``. Both give identical transcripts (tested).
    Returns the :class:`engine.PhasedResult` with the per-phase record.

    Parameters
    ----------
    instance : LinearBAIInstance
        The instance.
    algorithm : str
        A phased algorithm.
    budget : int
        T.
    epsilon : float
        Privacy parameter.
    table : ndarray
        Reward table.
    noise : ndarray, optional
        Noise to use (default: drawn).
    indexing : str
        ``time`` or ``arm``.
    noise_factor : float
        Multiplies the Laplace scale (1 = production).
    reuse_samples : bool
        Non-private variant, for tests.
    noise_hook : callable, optional
        Called with each phase's noise (tests).
    n_runs : int, optional
        Runs.
    seeds : sequence, optional
        SeedSequences per run.
    table_path : str
        ``numba`` or ``python``.

    Returns
    -------
    engine.PhasedResult
        Recommended arms with the per-phase record.
    """
    check_choice("indexing", indexing, ("time", "arm"))
    check_choice("table_path", table_path, ("numba", "python"))
    eps = check_epsilon(epsilon)
    if not isinstance(instance, LinearBAIInstance):
        raise TypeError(f"instance must be a LinearBAIInstance, got {type(instance).__name__}")
    budget = check_int("budget", budget, minimum=1)
    table = check_array("table", table, ndim=2)
    want = (budget, instance.K) if indexing == "time" else (instance.K, budget)
    if table.shape[0] < want[0] or table.shape[1] != want[1]:
        raise ValueError(f"table must have shape (>= {want[0]}, {want[1]}) for indexing={indexing!r}, got {table.shape}")
    if np.any(table < 0) or np.any(table > 1):
        raise ValueError("table rewards must lie in [0, 1] (the privacy guarantee assumes bounded rewards)")
    if noise is None and seeds is None:
        raise ValueError("give either injected standard noise (noise=) or per-run seeds (seeds=)")
    planner, sizes = make_planner(algorithm, instance, budget)
    if noise is not None:
        noise = np.asarray(noise, dtype=float)
        R = noise.shape[0]
        states = np.zeros(R, dtype=np.uint64)     # the kernel's own draws are replaced by the injected noise
        draw = None
    else:
        states = init_states(seeds)
        R = states.size

        def draw(r, m):
            return laplace_matrix(states[:r], m)

    if table_path == "numba" and indexing == "time":
        src = TableKernelSource(table, states)
    else:
        src = table_source(table, indexing, draw)
        src.states = states                       # the same tie-breaking seeds as the numba table path
    return run_phased(planner, sizes, instance.K, budget, eps, src, R if n_runs is None else n_runs, noise=noise,
                      noise_hook=noise_hook, noise_factor=noise_factor, reuse_samples=reuse_samples, record=True)


def replay_privacy_loss(instance, algorithm, budget, epsilon, table, neighbour, noise, indexing="time",
                        noise_factor=1.0, reuse_samples=False) -> dict:
    """Shift-coupling replay (check P1, docs/topics/dp_bai.md#privacy): privacy loss of one noise realisation.

    Returns ``{"loss": sum |z - z'|, "same_transcript": bool, "changed_releases": int}``; epsilon-DP
    requires loss <= epsilon for every (table, neighbour, noise) and identical transcripts.

    Parameters
    ----------
    instance : LinearBAIInstance
        The instance.
    algorithm : str
        A phased private algorithm.
    budget : int
        T.
    epsilon : float
        Privacy parameter.
    table : ndarray
        Reward table x[t, k].
    neighbour : ndarray
        A neighbouring table.
    noise : ndarray
        The noise realisation on ``table``.
    indexing : str
        ``time`` or ``arm`` table indexing.
    noise_factor : float
        Multiplies the Laplace scale (1 = production).
    reuse_samples : bool
        Non-private variant, for tests.

    Returns
    -------
    dict
        ``loss`` (sum of |z - z'|), ``same_transcript`` and ``changed_releases``.
    """
    noise = np.asarray(noise, dtype=float)[None] if np.ndim(noise) == 2 else np.asarray(noise, dtype=float)
    base = run_on_table(instance, algorithm, budget, epsilon, table, noise, indexing, noise_factor, reuse_samples)
    shifts = []

    def hook(p, info, z):
        ref = base.phases[p]
        if not np.array_equal(ref["pull_arms"], info["pull_arms"]):
            shifts.append(np.inf)
            return z
        b = info["scale"]
        z_new = np.where(b > 0, (ref["m_hat"] + ref["scale"] * ref["z"] - info["m_hat"]) / np.where(b > 0, b, 1), z)
        shifts.append(np.abs(z_new - z))
        return z_new

    repl = run_on_table(instance, algorithm, budget, epsilon, neighbour, noise, indexing, noise_factor,
                        reuse_samples, noise_hook=hook)
    same = base.transcripts() == repl.transcripts()
    loss = float(sum(np.sum(s) for s in shifts)) if same else math.inf
    changed = int(sum(np.count_nonzero(np.asarray(s) > 1e-12) for s in shifts))
    return {"loss": loss, "same_transcript": same, "changed_releases": changed}


def laplace_difference_cdf(u, b):
    """CDF of D = X - Y, X, Y i.i.d. Laplace(0, b) (check P2, docs/topics/dp_bai.md#privacy).

    Parameters
    ----------
    u : float or array_like
        Point(s).
    b : float
        Laplace scale.

    Returns
    -------
    float or ndarray
        P(X - Y <= u).

    Examples
    --------
    >>> float(laplace_difference_cdf(0.0, 1.0))
    0.5
    """
    u = np.asarray(u, dtype=float) / b
    pos = 1.0 - 0.25 * (2.0 + u) * np.exp(-np.abs(u))
    neg = 0.25 * (2.0 - u) * np.exp(-np.abs(u))
    return np.where(u >= 0, pos, neg)


def _log_cdf_pair(u, b):
    """(log F_D(u), log(1 - F_D(u))) computed without cancellation."""
    y = np.abs(np.asarray(u, dtype=float)) / b
    log_tail = np.log(0.25) + np.log(2.0 + y) - y          # log of the smaller of F, 1 - F
    log_body = np.log1p(-np.exp(log_tail))
    pos = np.asarray(u) >= 0
    return np.where(pos, log_body, log_tail), np.where(pos, log_tail, log_body)


def engine_laplace_scale(instance: LinearBAIInstance, budget: int, epsilon: float, noise_factor: float = 1.0,
                         runs: int = 64, seed: int = 0) -> dict:
    """The Laplace scale of phase 1 as the production engine applies it, read off its releases.

    Runs ``runs`` runs of DP-BAI through :func:`run_on_table` (the engine and its kernel, the runs' own
    Laplace draws) on a Bernoulli reward table and reads b = (mu_tilde - m_hat) / z from the recorded
    release of every pulled slot. Returns the scale per pull count n of the slots (``{"scale": {n: b}}``,
    one value per n when the engine is consistent) and the largest relative spread within a count.

    Parameters
    ----------
    instance : LinearBAIInstance
        The instance.
    budget : int
        T.
    epsilon : float
        Privacy parameter.
    noise_factor : float
        Multiplies the Laplace scale (1 = production).
    runs : int
        Runs whose noise is read.
    seed : int
        Seed.

    Returns
    -------
    dict
        ``scale`` (the measured b), ``spread`` (its relative spread over releases) and ``releases`` used.
    """
    eps = check_real("epsilon", epsilon, minimum=0.0, strict_min=True)
    budget = check_int("budget", budget, minimum=2)
    gen = np.random.default_rng(seed_sequence(seed, "dp_bai.audit.scale_table"))
    table = (gen.random((budget, instance.K)) < instance.means).astype(float)
    seeds = seed_sequence(seed, "dp_bai.audit.scale_runs").generate_state(runs, dtype=np.uint64)
    res = run_on_table(instance, "dp_bai", budget, eps, table, noise_factor=noise_factor, seeds=seeds)
    ph = res.phases[0]
    cnt, z = ph["counts"], ph["z"]
    used = (cnt > 0) & (np.abs(z) > 1e-12)
    b = (ph["mu_tilde"] - ph["m_hat"])[used] / z[used]
    n = cnt[used]
    scale, spread = {}, 0.0
    for v in np.unique(n):
        bv = b[n == v]
        scale[int(v)] = float(np.median(bv))
        spread = max(spread, float(np.max(np.abs(bv - scale[int(v)])) / abs(scale[int(v)])) if scale[int(v)] else 0.0)
    return {"scale": scale, "spread": spread, "releases": int(used.sum())}


def two_arm_exact_loss(budget: int, epsilon: float, noise_factor: float = 1.0, seed: int = 0) -> dict:
    """Exact worst-case privacy loss of one-phase DP-BAI on K = 2 unstructured arms (check P2, docs/topics/dp_bai.md#privacy).

    The Laplace scale b is the one the production engine applies (:func:`engine_laplace_scale`: read off
    its releases, never recomputed from a formula here), so a change to the engine's noise changes the
    loss. P(out = 0) = F_D(m_0 - m_1) with D the difference of two Laplace(b); neighbours move one of
    the n rewards of one arm by at most 1, i.e. the difference of means by 1/n. Returns the largest
    |log P(o | x) / P(o | x')| over the whole grid of empirical means and both outputs.

    Parameters
    ----------
    budget : int
        T.
    epsilon : float
        Privacy parameter.
    noise_factor : float
        Multiplies the Laplace scale (1 = production).
    seed : int
        Seed of the run measuring the engine's scale.

    Returns
    -------
    dict
        ``loss`` (worst-case log-likelihood ratio), ``n`` (pulls per arm), ``scale`` and ``releases``.
    """
    eps = check_real("epsilon", epsilon, minimum=0.0, strict_min=True)
    inst = unstructured_instance([0.6, 0.4])
    measured = engine_laplace_scale(inst, check_int("budget", budget, minimum=2), eps, noise_factor, seed=seed)
    if len(measured["scale"]) != 1 or measured["spread"] > 1e-6:
        raise RuntimeError(f"the engine's phase-1 releases do not share one Laplace scale: {measured}")
    (n, b), = measured["scale"].items()
    k = np.arange(-n, n + 1)
    logF, logG = _log_cdf_pair(k / n, b)          # log P(out = 0), log P(out = 1)
    loss = float(max(np.max(np.abs(np.diff(logF))), np.max(np.abs(np.diff(logG)))))
    return {"loss": loss, "n": n, "scale": b, "releases": measured["releases"]}


def histogram_audit(budget: int = 30, epsilon: float = 1.0, n_runs: int = 40000, seed: int = 0,
                    noise_factor: float = 1.0, reuse_samples: bool = False, alpha: float = 0.05,
                    min_count: int = 30) -> dict:
    """Monte-Carlo transcript histograms on neighbouring tables (check P3, docs/topics/dp_bai.md#privacy).

    Instance: 3 unstructured arms; tables x and x' differ in the first observed entry of arm 0
    (1 in x, 0 in x'). Counts of every transcript under x and x' ({n_runs} runs each); for transcripts
    seen at least ``min_count`` times, a Bonferroni-corrected Clopper-Pearson lower confidence bound on
    log P(o | x) / P(o | x') (both directions). epsilon-DP => the largest such bound <= epsilon (with
    probability >= 1 - alpha).

    Parameters
    ----------
    budget : int
        T.
    epsilon : float
        Privacy parameter.
    n_runs : int
        Transcripts per table.
    seed : int
        Seed.
    noise_factor : float
        Multiplies the Laplace scale (1 = production).
    reuse_samples : bool
        Reuse samples across phases (non-private variant, for tests).
    alpha : float
        One minus the confidence level (Bonferroni over outputs).
    min_count : int
        Outputs seen fewer times are not used.

    Returns
    -------
    dict
        The lower confidence bound of the largest log-likelihood ratio and the counts behind it.
    """
    eps = check_real("epsilon", epsilon, minimum=0.0, strict_min=True)
    n_runs = check_int("n_runs", n_runs, minimum=100)
    inst = unstructured_instance([0.7, 0.5, 0.3])
    rng = np.random.default_rng(seed_sequence(seed, "dp_bai.audit.histogram_table"))
    x = (rng.random((budget, 3)) < inst.means).astype(float)
    x[0, 0] = 1.0
    xp = x.copy()
    xp[0, 0] = 0.0
    runs = []
    for t, tab in enumerate((x, xp)):
        seeds = seed_sequence(seed, "dp_bai.audit.histogram_runs", t).generate_state(n_runs, dtype=np.uint64)
        res = run_on_table(inst, "dp_bai", budget, eps, tab, noise_factor=noise_factor,
                           reuse_samples=reuse_samples, seeds=seeds)
        keys = np.zeros(n_runs, dtype=np.int64)
        for ph in res.phases:
            na = ph["next_active"]
            keys = keys * 64 + np.bitwise_or.reduce(np.left_shift(np.int64(1), na), axis=1)
        runs.append(keys)
    vals = np.union1d(runs[0], runs[1])
    cx = np.array([np.count_nonzero(runs[0] == v) for v in vals])
    cy = np.array([np.count_nonzero(runs[1] == v) for v in vals])
    keep = (cx >= min_count) | (cy >= min_count)
    m = max(1, 2 * int(keep.sum()))
    a = alpha / m
    best_lcb, best_point = -math.inf, 0.0
    for c1, c2 in zip(cx[keep], cy[keep]):
        for num, den in ((c1, c2), (c2, c1)):
            lo_num = 0.0 if num == 0 else _st.beta.ppf(a / 2, num, n_runs - num + 1)
            hi_den = 1.0 if den == n_runs else _st.beta.ppf(1 - a / 2, den + 1, n_runs - den)
            lcb = math.log(lo_num / hi_den) if lo_num > 0 else -math.inf
            point = math.log(num / den) if num > 0 and den > 0 else (math.inf if num > 0 else -math.inf)
            best_lcb = max(best_lcb, lcb)
            best_point = max(best_point, point)
    return {"lcb": best_lcb, "max_log_ratio": best_point, "outcomes": int(keep.sum()), "runs": n_runs}
