"""Throughput of DP-BAI: Binomial fast path vs per-pull reference path (spec Section 9).

``theorylab bench dp_bai``: runs per second of DP-BAI on the F1 instance (SOARE-DP(5, 30, 0.5),
Bernoulli) at T = 40000, epsilon = 1, for the fast path (one Binomial draw per basis arm and phase)
and the per-pull path (every pull simulated, same distribution). Compile time is measured apart.
"""

from __future__ import annotations

import time

import numpy as np

from theorylab.bandits.dp_bai.algorithms import run_algorithm
from theorylab.bandits.dp_bai.instances import soare_dp_instance

__all__ = ["BENCHMARKS", "bench_dp_bai"]


def _rate(inst, T, path, runs, repeat=3):
    seeds = np.arange(runs, dtype=np.uint64)
    best = np.inf
    for i in range(repeat):
        t = time.perf_counter()
        run_algorithm(inst, "dp_bai", T, seeds + np.uint64(i * runs), 1.0, path=path)
        best = min(best, time.perf_counter() - t)
    return runs / best


def bench_dp_bai(budget: int = 40000, fast_runs: int = 20000, per_pull_runs: int = 1000) -> dict:
    """DP-BAI runs per second, fast vs per-pull path, and their ratio (target >= 100x)."""
    inst = soare_dp_instance(5, 30, 0.5)
    t = time.perf_counter()
    run_algorithm(inst, "dp_bai", budget, np.arange(4, dtype=np.uint64), 1.0, path="fast")
    run_algorithm(inst, "dp_bai", budget, np.arange(4, dtype=np.uint64), 1.0, path="per_pull")
    warm = time.perf_counter() - t
    fast = _rate(inst, budget, "fast", fast_runs)
    slow = _rate(inst, budget, "per_pull", per_pull_runs)
    return {"budget": budget, "fast_runs_per_s": fast, "per_pull_runs_per_s": slow, "ratio": fast / slow,
            "per_pull_ns_per_pull": 1e9 / (slow * budget), "first_call_s": warm}


BENCHMARKS = {"dp_bai": bench_dp_bai}
