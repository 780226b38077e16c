"""Throughput of DP-BAI: Binomial fast path vs per-pull path vs the Python table path (spec Section 9).

``theorylab bench dp_bai``: runs per second of DP-BAI on the F1 instance (SOARE-DP(5, 30, 0.5),
Bernoulli) at T = 40000, epsilon = 1, on one core, for

- the fast path: one alias-table Binomial draw per pulled arm and phase, the whole phase in one numba
  kernel;
- the per-pull path: every one of the T pulls simulated in the same kernel (same law; the compiler
  vectorises it, ~0.4 ns per pull on this machine);
- the table paths of the privacy audit, which read an explicit reward table x[t, k]: in the same numba
  kernel, and the pure-Python reference.

Per Binomial draw (issue 11: the classic Sequential Halving path within 2x of DP-BAI's fast path):
``fast_ns_per_binomial`` is a fast run's time over its alias-table Binomial draws
(:func:`binomial_draws_per_run`; the run's Laplace noise, estimates and selection included),
``classic_sh_ns_per_binomial`` the same for ``run_bai`` Sequential Halving at K = 10, T = 600 (seeds to
states included, :func:`theorylab.bandits.bench.entry_point_ns_per_binomial`), and
``classic_sh_vs_dp_bai_per_binomial`` their ratio (target <= 2).

``ratio`` is fast / per-pull at ``budget``; ``ratio_10x_budget`` the same at 10 T, and
``budget_for_100x`` the budget at which the ratio reaches 100 (per-pull time is linear in T, the fast
path's is flat). ``first_call_s`` is the first call in this process (compile or load from the disk
cache); ``cold_compile_s`` compiles everything from scratch in a fresh process with an empty cache.

Where a fast run's time goes (:func:`fast_path_breakdown`): ``phase_kernel_ns`` is the fused phase
kernel per run and phase (best of ``repeat``), ``variates_ns`` the part of it that only draws the
phase's Binomial sums and Laplace values (the same kernel in draw-only mode on the same plan), and
``python_ns`` the rest of a run: grouping by active set, plan lookup, argument checks.
"""

from __future__ import annotations

import math
import time

import numpy as np

from theorylab.bandits.dp_bai.algorithms import make_planner, run_algorithm
from theorylab.bandits.dp_bai.audit import run_on_table
from theorylab.bandits.dp_bai.engine import KernelSource, run_phased
from theorylab.bandits.dp_bai.instances import soare_dp_instance
from theorylab.core.compile_time import cold_compile_seconds as run_cold

__all__ = ["BENCHMARKS", "bench_dp_bai", "cold_compile_seconds", "fast_path_breakdown", "binomial_draws_per_run"]


def cold_compile_seconds() -> float:
    """Seconds for a first DP-BAI call (both paths) in a fresh process with an empty numba cache.

    Returns
    -------
    float
        Wall-clock seconds, measured inside the fresh process, of importing DP-BAI and running it once on
        the fast and once on the per-pull path (SOARE-DP(5, 30, 0.5), T = 4000, 4 runs): compilation of
        every kernel those calls need, interpreter start-up excluded.
    """
    code = ("import time, numpy as np; t = time.perf_counter(); "
            "from theorylab.bandits.dp_bai.algorithms import run_algorithm; "
            "from theorylab.bandits.dp_bai.instances import soare_dp_instance; "
            "inst = soare_dp_instance(5, 30, 0.5); s = np.arange(4, dtype=np.uint64); "
            "run_algorithm(inst, 'dp_bai', 4000, s, 1.0, path='fast'); "
            "run_algorithm(inst, 'dp_bai', 4000, s, 1.0, path='per_pull'); "
            "print(time.perf_counter() - t)")
    return run_cold(code)


def _rates(jobs, repeat: int, rounds: int = 1) -> list[float]:
    """Runs per second of each ``(run, runs)`` in ``jobs``: the best of ``repeat`` consecutive batches
    (``run(seeds)``, fresh seeds each time), so each path is timed in its steady state as in a sweep,
    which runs one path batch after batch; the jobs take turns over ``rounds`` rounds, so that a slow
    spell of a shared host does not fall on one path only. (Alternating every single batch instead
    measures each path just after the other: the fast path's 3 ms batches then lose ~10%, measured.)"""
    best = [math.inf] * len(jobs)
    for k in range(rounds):
        for q, (run, runs) in enumerate(jobs):
            for i in range(repeat):
                seeds = np.arange(runs, dtype=np.uint64) + np.uint64((k * repeat + i + 1) * runs)
                t = time.perf_counter()
                run(seeds)
                best[q] = min(best[q], time.perf_counter() - t)
    return [runs / b for (_, runs), b in zip(jobs, best)]


class _TimedSource(KernelSource):
    """The fast-path source, timing each fused phase kernel and the same phase's draws alone."""

    def __init__(self, inst, states):
        super().__init__(inst.means, inst.law_code, inst.law_param, states, per_pull=False)
        self.phase_s: list[float] = []
        self.variates_s: list[float] = []

    def fused(self, arms, counts, inv, groups, weights_t, noise_scale, k):
        draw_states = self.states.copy()
        t = time.perf_counter()
        KernelSource(self.means, self.law, self.law_param, draw_states, False)(0, arms, counts, inv, None)
        self.variates_s.append(time.perf_counter() - t)
        t = time.perf_counter()
        out = super().fused(arms, counts, inv, groups, weights_t, noise_scale, k)
        self.phase_s.append(time.perf_counter() - t)
        return out


def fast_path_breakdown(budget: int = 40000, runs: int = 20000, repeat: int = 10) -> dict:
    """Per-run nanoseconds of DP-BAI's fast path on the F1 instance, by phase: fused kernel, its random
    variates alone, and the Python between the kernels (best of ``repeat`` batches of ``runs``).

    Parameters
    ----------
    budget : int, default 40000
        Total pulls T per run.
    runs : int, default 20000
        Runs per batch (one :func:`~theorylab.bandits.dp_bai.engine.run_phased` call, epsilon = 1).
    repeat : int, default 10
        Timed batches, after one untimed warm-up batch; each figure is the best over them.

    Returns
    -------
    dict
        Nanoseconds per run: ``phase_kernel_ns`` and ``variates_ns`` (lists, one entry per phase: the fused
        phase kernel, and the same phase's Binomial sums and Laplace values drawn alone), ``python_ns``
        (the rest of a run's time: grouping, plan lookup, checks) and ``total_ns`` (the whole run, the
        separate variate timings excluded).
    """
    inst = soare_dp_instance(5, 30, 0.5)
    planner, sizes = make_planner("dp_bai", inst, budget)
    best_total, best_phase, best_var = math.inf, None, None
    for i in range(repeat + 1):                       # the first batch warms the kernel and the plan cache
        states = np.arange(runs, dtype=np.uint64) + np.uint64((i + 1) * runs)
        source = _TimedSource(inst, states)
        t = time.perf_counter()
        run_phased(planner, sizes, inst.K, budget, 1.0, source, runs)
        total = time.perf_counter() - t - sum(source.variates_s)
        if i == 0:
            continue
        best_total = min(best_total, total)
        best_phase = source.phase_s if best_phase is None else np.minimum(best_phase, source.phase_s)
        best_var = source.variates_s if best_var is None else np.minimum(best_var, source.variates_s)
    per_run = 1e9 / runs
    phase = [float(x * per_run) for x in best_phase]
    return {"phase_kernel_ns": phase, "variates_ns": [float(x * per_run) for x in best_var],
            "python_ns": best_total * per_run - sum(phase), "total_ns": best_total * per_run}


def binomial_draws_per_run(inst, budget: int = 40000, runs: int = 200) -> float:
    """Mean alias-table Binomial draws of one DP-BAI fast-path run: pulled slots (count > 0) of every
    phase whose arm mean is not 0 or 1 (from a recorded batch of ``runs`` runs, epsilon = 1).

    Parameters
    ----------
    inst : LinearBAIInstance
        The instance (its means decide which slots are degenerate and drawn without a table).
    budget : int, default 40000
        Total pulls T per run.
    runs : int, default 200
        Runs recorded (seeds 0..runs-1).

    Returns
    -------
    float
        Mean, over the runs, of the number of Binomial phase-sum draws a fast-path run makes.

    Examples
    --------
    >>> from theorylab.bandits.dp_bai.instances import unstructured_instance
    >>> binomial_draws_per_run(unstructured_instance([0.9, 0.5, 0.4, 0.1]), 4000, runs=4) > 0
    True
    """
    res = run_algorithm(inst, "dp_bai", budget, np.arange(runs, dtype=np.uint64), 1.0, record=True,
                        return_result=True)
    means = np.asarray(inst.means, dtype=float)
    draws = np.zeros(runs)
    for ph in res.phases:
        mu = means[ph["pull_arms"]]
        draws += ((ph["counts"] > 0) & (mu > 0.0) & (mu < 1.0)).sum(axis=1)
    return float(draws.mean())


def bench_dp_bai(budget: int = 40000, fast_runs: int = 20000, per_pull_runs: int = 1000, table_runs: int = 3,
                 repeat: int = 5, cold: bool = True) -> dict:
    """DP-BAI runs per second on the F1 instance: fast vs per-pull vs the table paths (issue target:
    fast/per-pull >= 100 at T = 40000).

    Parameters
    ----------
    budget : int, default 40000
        Total pulls T per run (the per-pull path is also timed at 10 T).
    fast_runs : int, default 20000
        Runs per timed batch of the fast path.
    per_pull_runs : int, default 1000
        Runs per timed batch of the per-pull path (a tenth, at least 10, at 10 T).
    table_runs : int, default 3
        Runs per batch of the pure-Python table path; the numba table path times 20 times as many.
    repeat : int, default 5
        Batches per path and round (two rounds, paths taking turns); the best counts.
    cold : bool, default True
        Also time a from-scratch compile in a fresh process (``cold_compile_s``; NaN when ``False``).

    Returns
    -------
    dict
        ``budget``; rates in runs/s (``fast_runs_per_s``, ``per_pull_runs_per_s``, ``table_runs_per_s``,
        ``python_table_runs_per_s``); ``fast_ns_per_run``, ``per_pull_ns_per_pull``; ``ratio`` (fast /
        per-pull), ``ratio_10x_budget``, ``budget_for_100x``, ``ns_per_run_for_100x``,
        ``ratio_vs_python_table``; the entries of :func:`fast_path_breakdown`; ``binomial_draws_per_run``,
        ``fast_ns_per_binomial``, ``classic_sh_ns_per_binomial``, ``classic_sh_vs_dp_bai_per_binomial``;
        ``first_call_s`` and ``cold_compile_s`` (seconds). See the module docstring.
    """
    inst = soare_dp_instance(5, 30, 0.5)
    cold_s = cold_compile_seconds() if cold else float("nan")
    t = time.perf_counter()
    for path in ("fast", "per_pull"):
        run_algorithm(inst, "dp_bai", budget, np.arange(4, dtype=np.uint64), 1.0, path=path)
    first = time.perf_counter() - t

    def rates(T, n_pull):
        return _rates([(lambda s: run_algorithm(inst, "dp_bai", T, s, 1.0, path="fast"), fast_runs),
                       (lambda s: run_algorithm(inst, "dp_bai", T, s, 1.0, path="per_pull"), n_pull)], repeat, 2)

    fast, slow = rates(budget, per_pull_runs)
    fast10, slow10 = rates(10 * budget, max(per_pull_runs // 10, 10))
    rng = np.random.default_rng(0)
    table = (rng.random((budget, inst.K)) < inst.means).astype(float)
    table_rate, = _rates([(lambda s: run_on_table(inst, "dp_bai", budget, 1.0, table, seeds=s), 20 * table_runs)], 3)
    python_rate, = _rates([(lambda s: run_on_table(inst, "dp_bai", budget, 1.0, table, seeds=s,
                                                   table_path="python"), table_runs)], 1)
    ratio = fast / slow
    parts = fast_path_breakdown(budget, fast_runs, repeat)
    from theorylab.bandits.bench import entry_point_ns_per_binomial
    draws = binomial_draws_per_run(inst, budget)
    dp_ns = 1e9 / fast / draws
    sh_ns = entry_point_ns_per_binomial("sequential_halving", runs=100_000, repeat=repeat)
    return {"budget": budget, "fast_runs_per_s": fast, "fast_ns_per_run": 1e9 / fast,
            "per_pull_runs_per_s": slow, "per_pull_ns_per_pull": 1e9 / (slow * budget), "ratio": ratio,
            "ratio_10x_budget": fast10 / slow10, "budget_for_100x": int(round(budget * 100 / ratio)),
            "ns_per_run_for_100x": 1e9 / (100 * slow), **parts,
            "binomial_draws_per_run": draws, "fast_ns_per_binomial": dp_ns,
            "classic_sh_ns_per_binomial": sh_ns, "classic_sh_vs_dp_bai_per_binomial": sh_ns / dp_ns,
            "table_runs_per_s": table_rate, "python_table_runs_per_s": python_rate,
            "ratio_vs_python_table": fast / python_rate,
            "first_call_s": first, "cold_compile_s": cold_s}


BENCHMARKS = {"dp_bai": bench_dp_bai}
