"""Throughput benchmarks of the classic kernels (``theorylab bench ucb1 | sh_runs | sr_runs``).

- ``ucb1``: UCB1 on 10 Bernoulli arms, means linspace(0.1, 0.9, 10), T = 1e5, R = 100 (the standard
  workload) through ``run_regret`` (one batched kernel call), in rounds/s, against the hand-written C
  loop of ``benchmarks/ucb1_ref.c`` (same algorithm: per-arm mean and 1/sqrt(n), random ties,
  xoshiro256**, K read at run time like the kernel's), compiled at bench time with the system
  ``cc -O3`` (skipped, ratio NaN, when there is no compiler or no source file). The ratio is the median
  over ``pairs`` paired runs (numba then C, back to back, so that both see the same state of a shared
  machine); ``ratio_vs_c_fixed_k_median`` is the same against the loop compiled for K = 10 exactly
  (``-DK_FIXED=10``, unrollable: stricter than the generic kernel's task).
- ``sh_runs`` / ``sr_runs``: Sequential Halving / Successive Rejects, 10 Bernoulli arms
  linspace(0.9, 0.1, 10), T = 600. ``runs_per_s`` is the entry point from a master seed:
  ``run_bai(env, algorithm, 600, repetition_seeds(seed, key, runs))``, seeds to stream states included
  (one compiled call, :mod:`theorylab.core.seedseq`), against the target 1.5e6 (``ratio_to_target``);
  ``kernel_runs_per_s`` the kernel alone on ready states, ``seeds_to_states_ns_per_run`` the seed part.
  The previous paths: ``seed_objects_runs_per_s`` (a list of prebuilt numpy SeedSequence objects, states
  read from their pools), ``per_run_seed_objects_runs_per_s`` (one SeedSequence built per repetition, as
  ``repetition_seeds`` did before), ``old_path_runs_per_s`` (one ``numpy.random.Generator`` and one
  kernel call per run: :func:`theorylab.bandits.reference.phase_run`) and the pure-numpy reference
  (:func:`theorylab.bandits.reference.reference_phase`, pull by pull). ``overhead_us`` is a one-run call
  (the per-call cost of the batched entry point, target < 50 us), ``ns_per_binomial`` the entry point's
  time per Binomial phase-sum draw (``kernel_ns_per_binomial`` the kernel's) and ``alias_draw_ns`` the
  bare alias-table draw in a tight loop (the floor).

All timings are wall-clock, best of ``repeat`` (paired medians for the C ratio), on one core.
``compile_s`` is the first call in this process (compilation, or loading the on-disk cache);
``cold_compile_s`` compiles from scratch in a fresh process with an empty numba cache.
"""

from __future__ import annotations

import math
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

from theorylab.bandits.algorithms import as_environment, run_bai, run_regret
from theorylab.bandits.kernels import PHASE_CODES, phase_pulls
from theorylab.bandits.reference import phase_run, reference_index_policy, reference_phase
from theorylab.core.compile_time import cold_compile_seconds as run_cold
from theorylab.core.seeding import repetition_seeds

__all__ = ["BENCHMARKS", "bench_ucb1", "bench_sh_runs", "bench_sr_runs", "c_reference_seconds",
           "entry_point_ns_per_binomial"]

_C_SOURCE = Path(__file__).resolve().parents[2] / "benchmarks" / "ucb1_ref.c"


def cold_compile_seconds() -> float:
    """Seconds to compile both classic kernels from scratch (fresh process, empty numba cache)."""
    code = ("import time, numpy as np; t = time.perf_counter(); "
            "from theorylab.bandits.algorithms import run_regret, run_bai; "
            "from theorylab.core.seeding import repetition_seeds as rs; "
            "run_regret([0.5, 0.4], 'ucb1', 10, rs(0, 'c', 1)); run_bai([0.5, 0.4], 'successive_rejects', 10, rs(0, 'c', 1)); "
            "print(time.perf_counter() - t)")
    return run_cold(code)


def _c_binary(workdir: str, fixed_k: int | None = None) -> str | None:
    cc = shutil.which("cc")
    if cc is None or not _C_SOURCE.exists():
        return None
    out = str(Path(workdir) / f"ucb1_ref{fixed_k or ''}")
    flags = [] if fixed_k is None else [f"-DK_FIXED={int(fixed_k)}"]
    try:
        subprocess.run([cc, "-O3", *flags, str(_C_SOURCE), "-o", out, "-lm"], check=True, capture_output=True,
                       timeout=120)
    except (subprocess.SubprocessError, OSError):
        return None
    return out


def c_reference_seconds(binary: str, horizon: int, reps: int) -> tuple[float, float]:
    """(seconds, mean final regret) of the compiled C loop for ``reps`` runs of ``horizon`` rounds.

    Parameters
    ----------
    binary : str
        Path of the executable built from ``benchmarks/ucb1_ref.c`` (its command line is ``horizon reps``).
    horizon : int
        Rounds T per run.
    reps : int
        Runs R.

    Returns
    -------
    tuple of (float, float)
        Wall-clock seconds of the C loop as it reports them (its own timer, process start-up excluded),
        and its mean final pseudo-regret over the ``reps`` runs.
    """
    out = subprocess.run([binary, str(horizon), str(reps)], check=True, capture_output=True, text=True, timeout=600)
    secs, regret = out.stdout.split()
    return float(secs), float(regret)


def bench_ucb1(horizon: int = 100_000, reps: int = 100, pairs: int = 5, reference_horizon: int = 20_000,
               cold: bool = True) -> dict:
    """UCB1 on the standard workload: rounds/s, the paired ratio to the C loop, the numpy reference.

    Parameters
    ----------
    horizon : int, default 100_000
        Rounds T per run.
    reps : int, default 100
        Runs R per timed batch (one batched kernel call).
    pairs : int, default 5
        Paired (numba, then C) timings; the rates and ratios reported are their medians.
    reference_horizon : int, default 20_000
        Rounds of the single pure-numpy reference run timed (it is slow).
    cold : bool, default True
        Also time a from-scratch compile in a fresh process (``cold_compile_s``; NaN when ``False``).

    Returns
    -------
    dict
        ``rounds_per_s``, ``c_rounds_per_s``, ``ratio_vs_c_median``, ``ratio_vs_c_pairs`` (rounded to 3
        digits), ``ratio_vs_c_fixed_k_median``, ``compile_s``, ``cold_compile_s`` (seconds),
        ``mean_regret``, ``c_mean_regret`` (mean final pseudo-regret of each side, a sanity check that
        both run the same algorithm), ``reference_rounds_per_s``, ``speedup_vs_reference``, ``horizon`` and
        ``reps``. C entries are NaN when no compiler or source is available.
    """
    cold_s = cold_compile_seconds() if cold else float("nan")
    env = as_environment(np.linspace(0.1, 0.9, 10))
    t0 = time.perf_counter()
    run_regret(env, "ucb1", 100, repetition_seeds(0, "bench-compile", 1))
    compile_s = time.perf_counter() - t0
    seeds = repetition_seeds(2026, "bench-ucb1", reps)
    rounds = horizon * reps
    ratios, fixed_ratios, rates, c_rates = [], [], [], []
    mean_regret = c_regret = float("nan")
    with tempfile.TemporaryDirectory() as tmp:
        binary, fixed = _c_binary(tmp), _c_binary(tmp, fixed_k=10)
        for _ in range(max(1, pairs)):
            t0 = time.perf_counter()
            run = run_regret(env, "ucb1", horizon, seeds)
            rates.append(rounds / (time.perf_counter() - t0))
            mean_regret = float(run.final.mean())
            if binary is not None:
                secs, c_regret = c_reference_seconds(binary, horizon, reps)
                c_rates.append(rounds / secs)
                ratios.append(rates[-1] / c_rates[-1])
            if fixed is not None:
                fixed_ratios.append(rates[-1] * c_reference_seconds(fixed, horizon, reps)[0] / rounds)
    t0 = time.perf_counter()
    reference_index_policy(env.means, 0, 0.0, 0, 1.0, reference_horizon, np.random.default_rng(0))
    ref_rps = reference_horizon / (time.perf_counter() - t0)
    rps = float(np.median(rates))
    return {"rounds_per_s": rps, "c_rounds_per_s": float(np.median(c_rates)) if c_rates else float("nan"),
            "ratio_vs_c_median": float(np.median(ratios)) if ratios else float("nan"),
            "ratio_vs_c_pairs": [round(r, 3) for r in ratios],
            "ratio_vs_c_fixed_k_median": float(np.median(fixed_ratios)) if fixed_ratios else float("nan"),
            "compile_s": compile_s, "cold_compile_s": cold_s,
            "mean_regret": mean_regret, "c_mean_regret": c_regret, "reference_rounds_per_s": ref_rps,
            "speedup_vs_reference": rps / ref_rps, "horizon": horizon, "reps": reps}


def _best_rate(fn, runs: int, repeat: int) -> float:
    best = math.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return runs / best


def _draws_per_run(code: int, K: int, budget: int) -> int:
    """Binomial phase-sum draws of one Bernoulli run (one per surviving arm and phase)."""
    pulls = phase_pulls(code, K, budget)
    alive = [K]
    for _ in range(pulls.size - 1):
        alive.append(alive[-1] - 1 if code == 0 else (alive[-1] + 1) // 2)
    return int(sum(alive))


def entry_point_ns_per_binomial(algorithm: str = "sequential_halving", runs: int = 100_000, repeat: int = 5,
                                budget: int = 600) -> float:
    """Nanoseconds per Binomial draw of the batched entry point (``run_bai`` from a master seed: seeds to
    states included) on the benchmark instance (10 Bernoulli arms, linspace(0.9, 0.1)); ``theorylab
    bench dp_bai`` compares DP-BAI's fast path per Binomial draw with it.

    Parameters
    ----------
    algorithm : {"sequential_halving", "successive_rejects"}
    runs : int
        Runs per timed batch.
    repeat : int
        Batches timed (the best counts).
    budget : int
        T.

    Returns
    -------
    float
        Wall-clock nanoseconds per run divided by the run's Binomial phase-sum draws.

    Examples
    --------
    >>> entry_point_ns_per_binomial(runs=100, repeat=1) > 0
    True
    """
    env = as_environment(np.linspace(0.9, 0.1, 10))
    run_bai(env, algorithm, budget, repetition_seeds(0, "bench-compile", 1))
    rate = _best_rate(lambda: run_bai(env, algorithm, budget, repetition_seeds(2026, ["bench", algorithm], runs)),
                      runs, repeat)
    return 1e9 / rate / _draws_per_run(PHASE_CODES[algorithm], env.K, budget)


TARGET_RUNS_PER_S = 1.5e6   # issue 11: SH and SR at K = 10, T = 600 on one core
TARGET_OVERHEAD_US = 50.0   # issue 11: per-call overhead of a batched entry point


def _bench_phase(algorithm: str, runs: int, old_runs: int, reference_runs: int, repeat: int, budget: int = 600,
                 cold: bool = True) -> dict:
    from theorylab.bandits.algorithms import _phase_call, _states
    from theorylab.core.alias import binomial_batch

    cold_s = cold_compile_seconds() if cold else float("nan")
    env = as_environment(np.linspace(0.9, 0.1, 10))
    code = PHASE_CODES[algorithm]
    key = ["bench", algorithm]
    one = repetition_seeds(0, "bench-compile", 1)
    t0 = time.perf_counter()
    run_bai(env, algorithm, budget, one)
    compile_s = time.perf_counter() - t0
    # the entry point from the master seed: repetition_seeds (numbers, no SeedSequence objects) and
    # run_bai (seeds to states in one compiled call, one kernel call)
    rate = _best_rate(lambda: run_bai(env, algorithm, budget, repetition_seeds(2026, key, runs)), runs, repeat)
    seeds = repetition_seeds(2026, key, runs)
    seeds_ns = 1e9 / _best_rate(lambda: _states(repetition_seeds(2026, key, runs)), runs, repeat)
    states = _states(seeds)
    kernel_rate = _best_rate(lambda: _phase_call(env, code, budget, 0.0, True, states), runs, repeat)
    error = float(np.mean(run_bai(env, algorithm, budget, seeds) != 0))
    calls = 200
    overhead_us = 1e6 / _best_rate(lambda: [run_bai(env, algorithm, budget, one) for _ in range(calls)], calls, repeat)
    # the previous seed path: one numpy SeedSequence object built per repetition, states read from their pools
    objects = list(seeds[:old_runs])
    objects_rate = _best_rate(lambda: run_bai(env, algorithm, budget, objects), old_runs, repeat)
    per_run_seed_rate = _best_rate(
        lambda: run_bai(env, algorithm, budget, [np.random.SeedSequence(seeds.entropy, spawn_key=seeds.prefix + (i,))
                                                for i in range(old_runs)]), old_runs, repeat)
    # the old per-run path: one Generator and one kernel call per run
    phase_run(env.means, 0, 0.0, code, budget, 0.0, True, np.random.default_rng(0))
    old_rate = _best_rate(lambda: [phase_run(env.means, 0, 0.0, code, budget, 0.0, True, np.random.default_rng(s))
                                   for s in objects], old_runs, repeat)
    ref_rate = _best_rate(lambda: [reference_phase(env.means, 0, 0.0, code, budget, 0.0, np.random.default_rng(s))
                                   for s in objects[:reference_runs]], reference_runs, 1)
    draws = _draws_per_run(code, env.K, budget)
    st = np.array([1], dtype=np.uint64)
    n_draws = 2_000_000
    binomial_batch(st, 30, 0.5, 10)
    alias_ns = 1e9 / _best_rate(lambda: binomial_batch(st, 30, 0.5, n_draws), n_draws, repeat)
    return {"runs_per_s": rate, "target_runs_per_s": TARGET_RUNS_PER_S, "ratio_to_target": rate / TARGET_RUNS_PER_S,
            "kernel_runs_per_s": kernel_rate, "seeds_to_states_ns_per_run": seeds_ns,
            "seed_objects_runs_per_s": objects_rate, "per_run_seed_objects_runs_per_s": per_run_seed_rate,
            "speedup_vs_per_run_seed_objects": rate / per_run_seed_rate,
            "old_path_runs_per_s": old_rate, "speedup_vs_old_path": rate / old_rate,
            "reference_runs_per_s": ref_rate, "speedup_vs_reference": rate / ref_rate,
            "overhead_us": overhead_us, "target_overhead_us": TARGET_OVERHEAD_US,
            "binomial_draws_per_run": draws, "ns_per_binomial": 1e9 / rate / draws,
            "kernel_ns_per_binomial": 1e9 / kernel_rate / draws, "alias_draw_ns": alias_ns,
            "error": error, "runs": runs, "budget": budget, "compile_s": compile_s, "cold_compile_s": cold_s,
            # the table row: the entry point against the old per-run path, and the target
            "table": {"measured": "runs_per_s", "reference": "old_path_runs_per_s", "ratio": "speedup_vs_old_path",
                      "target": "target_runs_per_s"}}


def bench_sh_runs(runs: int = 100_000, old_runs: int = 3000, reference_runs: int = 100, repeat: int = 5,
                  cold: bool = True) -> dict:
    """Sequential Halving, K = 10, linspace(0.9, 0.1), T = 600: runs/s batched vs the old per-run path.

    Parameters
    ----------
    runs : int, default 100_000
        Runs per timed batch of the batched entry point and of the kernel.
    old_runs : int, default 3000
        Runs per timed batch of the slower seed-object and per-run paths.
    reference_runs : int, default 100
        Runs of the pure-numpy pull-by-pull reference (timed once).
    repeat : int, default 5
        Batches timed per path; the best rate counts.
    cold : bool, default True
        Also time a from-scratch compile in a fresh process (``cold_compile_s``; NaN when ``False``).

    Returns
    -------
    dict
        The rates of every path in runs/s (``runs_per_s``, ``kernel_runs_per_s``, ``seed_objects_runs_per_s``,
        ``per_run_seed_objects_runs_per_s``, ``old_path_runs_per_s``, ``reference_runs_per_s``) and the
        speedups of the entry point over them; ``target_runs_per_s`` and ``ratio_to_target``;
        ``seeds_to_states_ns_per_run``; ``overhead_us`` (a one-run call) and ``target_overhead_us``;
        ``binomial_draws_per_run``, ``ns_per_binomial``, ``kernel_ns_per_binomial``, ``alias_draw_ns``;
        ``error`` (fraction of runs not recommending arm 0); ``runs``, ``budget``, ``compile_s`` and
        ``cold_compile_s`` (seconds). See the module docstring for what each path is.
    """
    return _bench_phase("sequential_halving", runs, old_runs, reference_runs, repeat, cold=cold)


def bench_sr_runs(runs: int = 100_000, old_runs: int = 3000, reference_runs: int = 100, repeat: int = 5,
                  cold: bool = True) -> dict:
    """Successive Rejects, K = 10, linspace(0.9, 0.1), T = 600: runs/s batched vs the old per-run path.

    Parameters
    ----------
    runs : int, default 100_000
        Runs per timed batch of the batched entry point and of the kernel.
    old_runs : int, default 3000
        Runs per timed batch of the slower seed-object and per-run paths.
    reference_runs : int, default 100
        Runs of the pure-numpy pull-by-pull reference (timed once).
    repeat : int, default 5
        Batches timed per path; the best rate counts.
    cold : bool, default True
        Also time a from-scratch compile in a fresh process (``cold_compile_s``; NaN when ``False``).

    Returns
    -------
    dict
        The rates of every path in runs/s (``runs_per_s``, ``kernel_runs_per_s``, ``seed_objects_runs_per_s``,
        ``per_run_seed_objects_runs_per_s``, ``old_path_runs_per_s``, ``reference_runs_per_s``) and the
        speedups of the entry point over them; ``target_runs_per_s`` and ``ratio_to_target``;
        ``seeds_to_states_ns_per_run``; ``overhead_us`` (a one-run call) and ``target_overhead_us``;
        ``binomial_draws_per_run``, ``ns_per_binomial``, ``kernel_ns_per_binomial``, ``alias_draw_ns``;
        ``error`` (fraction of runs not recommending arm 0); ``runs``, ``budget``, ``compile_s`` and
        ``cold_compile_s`` (seconds). See the module docstring for what each path is.
    """
    return _bench_phase("successive_rejects", runs, old_runs, reference_runs, repeat, cold=cold)


BENCHMARKS = {"ucb1": bench_ucb1, "sh_runs": bench_sh_runs, "sr_runs": bench_sr_runs}
