"""Speed targets of the games kernels and solvers (run with ``pytest benchmarks``; not part of CI).

Targets (issue: games): Hedge self-play with 3 players x 10 actions, 1e5 rounds, in under 1 s on one core
(measured about 0.26 s, ~3.8e5 rounds/s); the CCE LP of a 3-player 8-action game in under 0.5 s (about 0.02 s).
"""

from theorylab.games.bench import bench_cce_lp, bench_hedge_selfplay
from theorylab.games.learners import selfplay
from theorylab.games.normal_form import random_game


def test_hedge_selfplay_meets_the_target():
    result = bench_hedge_selfplay()
    assert result["seconds"] < 1.0, result


def test_cce_lp_meets_the_target():
    result = bench_cce_lp()
    assert result["cce_seconds"] < 0.5 and result["cce_gap"] < 1e-7, result


def test_hedge_selfplay_throughput(benchmark):
    g = random_game((10, 10, 10), seed=0)
    selfplay(g, "hedge", 10, track_joint=False)
    benchmark(selfplay, g, "hedge", 100_000, track_joint=False)
