"""Throughput targets of the classic kernels (run with ``pytest benchmarks``; not part of CI).

Target (issue: foundation): UCB1 on 10 Bernoulli arms, T = 1e5, at least 1.0e7 rounds/s on one core.
"""

import numpy as np

from theorylab.bandits.bench import bench_ucb1
from theorylab.bandits.classic import run_bai, run_regret
from theorylab.core.seeding import repetition_seeds


def test_ucb1_standard_workload_meets_the_target():
    result = bench_ucb1(cold=False)
    assert result["rounds_per_s"] >= 1.0e7, result
    assert 590 <= result["mean_regret"] <= 640, result


def test_ucb1_throughput(benchmark):
    seeds = repetition_seeds(0, "bench", 10)
    means = np.linspace(0.1, 0.9, 10)
    run_regret(means, "ucb1", 100, seeds[:1])
    benchmark(run_regret, means, "ucb1", 100_000, seeds)


def test_sequential_halving_fast_path_throughput(benchmark):
    seeds = repetition_seeds(0, "bench", 1000)
    means = np.linspace(0.1, 0.9, 10)
    run_bai(means, "sequential_halving", 100, seeds[:1])
    benchmark(run_bai, means, "sequential_halving", 40_000, seeds)
