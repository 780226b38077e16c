"""Throughput benchmark of the classic kernels (``theorylab bench ucb1``)."""

from __future__ import annotations

import time

import numpy as np

from theorylab.bandits.classic import run_regret
from theorylab.bandits.reference import reference_index_policy
from theorylab.core.compile_time import cold_compile_seconds as run_cold
from theorylab.core.seeding import repetition_seeds

__all__ = ["BENCHMARKS", "bench_ucb1"]


def cold_compile_seconds() -> float:
    """Seconds to compile the generic index kernel from scratch (fresh process, empty numba cache)."""
    code = ("import time, numpy as np; t = time.perf_counter(); "
            "from theorylab.bandits.kernels import index_policy_run as f; "
            "f(np.array([0.5, 0.4]), 0, 0.0, 0, 1.0, 10, np.array([10], np.int64), np.random.default_rng(0)); "
            "print(time.perf_counter() - t)")
    return run_cold(code)


def bench_ucb1(horizon: int = 100_000, reps: int = 100, reference_horizon: int = 20_000, cold: bool = True) -> dict:
    """UCB1 on 10 Bernoulli arms, means linspace(0.1, 0.9, 10): the standard workload.

    Runs through the same generic kernel the package uses (``run_regret``), on one core.
    ``compile_s`` is the first call in this process (compilation, or loading the on-disk cache);
    ``cold_compile_s`` compiles from scratch in a fresh process with an empty cache. The pure-numpy
    reference runs one repetition of ``reference_horizon`` rounds for the speed-up ratio.
    """
    cold_s = cold_compile_seconds() if cold else float("nan")
    means = np.linspace(0.1, 0.9, 10)
    t0 = time.perf_counter()
    run_regret(means, "ucb1", 100, repetition_seeds(0, "bench-compile", 1))
    compile_s = time.perf_counter() - t0
    seeds = repetition_seeds(2026, "bench-ucb1", reps)
    t0 = time.perf_counter()
    run = run_regret(means, "ucb1", horizon, seeds)
    elapsed = time.perf_counter() - t0
    rps = horizon * reps / elapsed
    t0 = time.perf_counter()
    reference_index_policy(means, 0, 0.0, 0, 1.0, reference_horizon, np.random.default_rng(0))
    ref_rps = reference_horizon / (time.perf_counter() - t0)
    return {"rounds_per_s": rps, "compile_s": compile_s, "cold_compile_s": cold_s, "mean_regret": float(run.final.mean()),
            "seconds": elapsed, "reference_rounds_per_s": ref_rps, "speedup_vs_reference": rps / ref_rps,
            "horizon": horizon, "reps": reps}


BENCHMARKS = {"ucb1": bench_ucb1}
