"""Classic algorithms: public API validation and property tests of their invariants."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from theorylab.bandits.algorithms import run_bai, run_regret, sequential_halving, successive_rejects
from theorylab.bandits.instances import GaussianBandit
from theorylab.core.seeding import repetition_seeds

SEEDS = repetition_seeds(0, "test", 3)
means_st = st.lists(st.floats(0.0, 1.0), min_size=2, max_size=8)


@settings(max_examples=30, deadline=None)
@given(means_st, st.sampled_from(["ucb1", "thompson", "exp3", "explore_then_commit"]), st.integers(8, 400))
def test_regret_is_between_zero_and_horizon_times_max_gap(means, algorithm, horizon):
    means = np.array(means)
    horizon = max(horizon, means.size)
    run = run_regret(means, algorithm, horizon, SEEDS)
    gap = means.max() - means.min()
    assert np.all(run.final >= -1e-9) and np.all(run.final <= horizon * gap + 1e-9)
    assert np.all(run.counts.sum(axis=1) == horizon)


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 9), st.integers(0, 10**6))
def test_bai_recommends_the_best_arm_when_the_gap_is_huge(K, seed):
    means = np.full(K, 0.0)
    best = seed % K
    means[best] = 1.0
    seeds = repetition_seeds(seed, "huge", 2)
    assert set(successive_rejects(means, 10 * K, seeds)) == {best}
    assert set(sequential_halving(means, 10 * K, seeds)) == {best}


def test_same_seeds_same_numbers_and_different_seeds_differ():
    a = run_regret([0.5, 0.4, 0.3], "thompson", 2000, SEEDS).final
    b = run_regret([0.5, 0.4, 0.3], "thompson", 2000, SEEDS).final
    c = run_regret([0.5, 0.4, 0.3], "thompson", 2000, repetition_seeds(1, "test", 3)).final
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def test_successive_elimination_stops_paying_once_the_bad_arm_is_eliminated():
    short = run_regret([0.9, 0.2], "successive_elimination", 2000, SEEDS).final
    long = run_regret([0.9, 0.2], "successive_elimination", 20000, SEEDS).final
    assert np.all(short > 0) and long.mean() < 0.02 * 20000 and long.mean() < 3 * short.mean()


@pytest.mark.parametrize("call, exc, match", [
    (lambda: run_regret([0.5, 0.4], "ucb2", 100, SEEDS), ValueError, "algorithm"),
    (lambda: run_regret([0.5, 0.4], "ucb1", 1, SEEDS), ValueError, "horizon"),
    (lambda: run_regret([0.5, 0.4], "ucb1", 100.5, SEEDS), TypeError, "horizon"),
    (lambda: run_regret([0.5, 0.4], "ucb1", 100, []), ValueError, "seeds"),
    (lambda: run_regret([0.5, 0.4], "ucb1", 100, [1, 2]), TypeError, "SeedSequence"),
    (lambda: run_regret([0.5, 0.4], "ucb1", 100, 5), TypeError, "seeds"),
    (lambda: run_regret([0.5, 0.4], "ucb1", 100, "abc"), TypeError, "seeds"),
    (lambda: run_bai([0.5, 0.4, 0.3], "successive_rejects", 100, 5), TypeError, "seeds"),
    (lambda: run_bai([0.5, 0.4, 0.3], "successive_rejects", 100, [None]), TypeError, "SeedSequence"),
    (lambda: run_regret([0.5, 0.4], "ucb1", 100, SEEDS, bonus_scale=-1), ValueError, "bonus_scale"),
    (lambda: run_regret([0.5, 0.4], "exp3", 100, SEEDS, gamma=0.0), ValueError, "gamma"),
    (lambda: run_regret([0.5, 0.4], "ucb1", 100, SEEDS, checkpoints=[5, 3]), ValueError, "checkpoints"),
    (lambda: run_regret(GaussianBandit([0, 1]), "thompson", 100, SEEDS), ValueError, "thompson"),
    (lambda: run_bai([0.5, 0.5], "successive_rejects", 100, SEEDS), ValueError, "unique best arm"),
    (lambda: run_bai([0.5, 0.4, 0.3], "successive_rejects", 3, SEEDS), ValueError, "budget"),
    (lambda: run_bai([0.5, 0.4, 0.3], "sequential_halving", 0, SEEDS), ValueError, "budget"),
    (lambda: run_bai([0.5, 0.4, 0.3], "median_elimination", 100, SEEDS), ValueError, "algorithm"),
    (lambda: sequential_halving([0.5, 0.4], 100, SEEDS, ranking="best"), ValueError, "ranking"),
])
def test_invalid_inputs_raise_naming_the_parameter(call, exc, match):
    with pytest.raises(exc, match=match):
        call()
