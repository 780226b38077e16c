"""PhasedElimG: nested active sets and the best arm survives every phase whose noise event holds (property 15)."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from theorylab.bandits.linear.instances import random_sparse_instance, reed_solomon_needle
from theorylab.bandits.linear.phased import phase_lengths, phased_elimination
from theorylab.core.seeding import repetition_seeds


@settings(max_examples=15, deadline=None)
@given(K=st.integers(5, 80), d=st.integers(2, 6), seed=st.integers(0, 2**31 - 1), sigma=st.floats(0.05, 1.0),
       horizon=st.integers(200, 20000))
def test_property_active_sets_are_nested_and_the_best_arm_survives_while_the_event_holds(K, d, seed, sigma, horizon):
    inst = random_sparse_instance(max(K, d + 1), d, d, 0.0, seed=seed, sigma=sigma)
    res = phased_elimination(inst, horizon, repetition_seeds(seed, "pe", 4))
    best = int(np.argmax(inst.rewards))
    for r in range(4):
        A = res.active[r]
        assert np.all(A[1:] <= A[:-1]) and np.all(A.sum(axis=1) >= 1)          # nested, never empty
        for l in range(res.phases[r]):
            if res.event[r, : l + 1].all():
                assert A[l + 1, best], (r, l)
    assert np.all(res.regret >= 0) and np.all(res.regret <= horizon * (inst.rewards.max() - inst.rewards.min()) + 1e-9)


def test_runs_depend_on_their_own_seed_only():
    inst = random_sparse_instance(40, 4, 4, 0.0, seed=2, sigma=0.5)
    sd = repetition_seeds(0, "pe-batch", 6)
    full = phased_elimination(inst, 8000, sd)
    part = phased_elimination(inst, 8000, sd[3:])
    np.testing.assert_array_equal(full.regret[3:], part.regret)
    np.testing.assert_array_equal(full.active[3:], part.active)


def test_rank_deficient_features_and_phase_lengths():
    inst = reed_solomon_needle(5, 2, 1, 3, 0.8).with_sigma(0.3)
    res = phased_elimination(inst, 5000, repetition_seeds(0, "pe-rs", 2))
    assert res.regret.shape == (2,)
    T = phase_lengths(np.array([0.25, 0.75]), 3.0, 0.5, 10, 2, 0.1)
    assert T.tolist() == [int(np.ceil(2 * 3 * 0.25 * w * np.log(2 * 10 * 6 / 0.1) / 0.0625 - 1e-9)) for w in (0.25, 0.75)]


@pytest.mark.parametrize("kwargs, match", [({"horizon": 0}, "horizon"), ({"p": 2.0}, "p"), ({"tol": 0.0}, "tol"),
                                           ({"max_phases": 0}, "max_phases")])
def test_phased_elimination_refuses_bad_arguments(kwargs, match):
    inst = random_sparse_instance(10, 3, 1, 0.0, seed=0, sigma=0.1)
    args = {"horizon": 100}
    args.update(kwargs)
    with pytest.raises((ValueError, TypeError), match=match):
        phased_elimination(inst, args.pop("horizon"), repetition_seeds(0, "bad", 1), **args)
