"""Successive elimination, the regret-claim pieces (PhasedElimG growth and bound, greedy lock-in) and the new instances."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from theorylab.bandits.linear import bounds
from theorylab.bandits.linear.algorithms import exhaustive, successive_elimination
from theorylab.bandits.linear.checks_queries import query_counts
from theorylab.bandits.linear.elimination import elimination_radius
from theorylab.bandits.linear.instances import (positive_orthant_instance, random_sparse_instance,
                                                sparse_feature_instance)
from theorylab.bandits.linear.linucb import linucb
from theorylab.bandits.linear.phased import phase_lengths, phased_elimination
from theorylab.core.seeding import repetition_seeds


@settings(max_examples=15, deadline=None)
@given(K=st.integers(3, 40), eps=st.floats(0.02, 0.2), seed=st.integers(0, 2**31 - 1))
def test_successive_elimination_error_is_within_twice_its_accuracy(K, eps, seed):
    # on the anytime event (probability >= 1 - p per run) the error is <= 2 eps_stat; p = 0.05, 10 runs:
    # allow at most 3 violations (P(Binomial(10, 0.05) > 3) < 1e-3)
    inst = random_sparse_instance(K, 3, 2, eps, seed=seed % 1000, sigma=0.3)
    res = successive_elimination(inst, repetition_seeds(seed, "se", 10), eps_stat=eps)
    assert np.count_nonzero(res.errors > 2 * eps + 1e-12) <= 3
    assert (res.queries >= K).all() and (res.distinct == K).all()


def test_successive_elimination_noiseless_is_exhaustive():
    inst = random_sparse_instance(30, 4, 2, 0.05, seed=3)
    sd = repetition_seeds(0, "se0", 5)
    a, b = successive_elimination(inst, sd), exhaustive(inst, sd)
    assert np.array_equal(a.actions, b.actions) and (a.errors == 0).all() and (a.queries == 30).all()


def test_successive_elimination_radius_and_validation():
    assert elimination_radius(1.0, 10, 4, 0.05) < elimination_radius(1.0, 10, 1, 0.05)
    inst = random_sparse_instance(10, 3, 2, 0.05, seed=0, sigma=0.5)
    with pytest.raises(ValueError, match="eps_stat"):
        successive_elimination(inst, repetition_seeds(0, "x", 1), eps_stat=0.0)
    with pytest.raises(ValueError, match="p"):
        successive_elimination(inst, repetition_seeds(0, "x", 1), p=1.5)


def test_phase_lengths_grow_by_the_factor_and_four_is_the_algorithm():
    w = np.array([0.25, 0.75])
    four = [phase_lengths(w, 2.0, 1.0, 5, l, 0.05) for l in (1, 2, 3)]
    same = [phase_lengths(w, 2.0, 1.0, 5, l, 0.05, length_growth=4.0) for l in (1, 2, 3)]
    assert all(np.array_equal(a, b) for a, b in zip(four, same))
    flat = [phase_lengths(w, 2.0, 1.0, 5, l, 0.05, length_growth=1.0) for l in (1, 2)]
    assert flat[1].sum() < 2 * flat[0].sum()          # only the log term grows


def test_phased_regret_bound_holds_on_the_event_and_play_counts_add_up():
    inst = random_sparse_instance(15, 4, 4, 0.0, seed=5, sigma=0.3)
    res = phased_elimination(inst, 5000, repetition_seeds(0, "pe", 20), p=0.05)
    assert (res.info["played"].sum(axis=1) == 5000).all()
    bound = bounds.phased_regret_bound(res.info["played"], float(inst.best_reward - inst.rewards.min()))
    ok = res.event[:, :res.info["played"].shape[1]].all(axis=1) | (res.event.sum(axis=1) == res.phases)
    assert (res.regret[ok] <= bound[ok] + 1e-9).all()
    with pytest.raises(RuntimeError, match="max_phases"):
        phased_elimination(inst, 10**6, repetition_seeds(0, "pe", 1), max_phases=2)
    with pytest.raises(ValueError, match="length_growth"):
        phased_elimination(inst, 100, repetition_seeds(0, "pe", 1), length_growth=0.0)
    with pytest.raises(ValueError, match="played"):
        bounds.phased_regret_bound(np.array([1, 2]), 1.0)


def test_greedy_linucb_locks_onto_its_first_action_on_the_positive_orthant():
    inst = positive_orthant_instance(30, 5, seed=400, sigma=0.0)
    gap = inst.best_reward - inst.rewards
    res = linucb(inst, 2000, repetition_seeds(0, "greedy", 8), radius_scale=0.0, checkpoints=[1000, 2000])
    per_round = (res.regret[:, 1] - res.regret[:, 0]) / 1000
    # noiseless greedy: one action in every round after the first, so each run's regret per round is one gap
    assert all(np.isclose(gap, x, atol=1e-9).any() for x in per_round)
    assert np.mean(per_round > 0) > 0.5


def test_sparse_feature_instances_are_sparse_unit_and_attain_the_query_bound():
    inst = sparse_feature_instance(500, 6, 2, s=2, seed=4)
    assert ((inst.features != 0).sum(axis=1) == 2).all()
    np.testing.assert_allclose(np.linalg.norm(inst.features, axis=1), 1.0)
    assert inst.sparsity == 2 and inst.eps == 0.0
    G, bound = query_counts(4, 0.4, 2000)
    assert G == bound
    with pytest.raises(ValueError, match="s_feat"):
        sparse_feature_instance(10, 3, 4)


def test_positive_orthant_validation():
    with pytest.raises(ValueError, match="norm"):
        positive_orthant_instance(10, 3, norm=1.5)
