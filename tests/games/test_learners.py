import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from theorylab.games import bounds
from theorylab.games.learners import LEARNERS, regret_against_sequence, selfplay
from theorylab.games.reference import reference_selfplay
from theorylab.games.normal_form import random_game, shapley_game


@pytest.mark.parametrize("learner", LEARNERS)
def test_kernel_matches_reference(learner):
    g = random_game((3, 2, 4), seed=7)
    res = selfplay(g, learner, 200, eta=0.2 if learner == "optimistic_hedge" else None, store_strategies=True)
    reg, joint, strat = reference_selfplay(g, learner, 200, eta=0.2 if learner == "optimistic_hedge" else None)
    assert np.allclose(res.regrets, reg, atol=1e-10)
    assert np.allclose(res.average_joint, joint, atol=1e-12)
    for i in range(3):
        assert np.allclose(res.strategies[i], strat[i], atol=1e-12)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from(["hedge", "regret_matching", "regret_matching_plus", "optimistic_hedge"]),
       st.lists(st.integers(2, 4), min_size=2, max_size=3))
def test_cce_gap_of_average_play_equals_max_regret_over_T(seed, learner, acts):
    g = random_game(acts, seed=seed)
    res = selfplay(g, learner, 150)
    assert abs(g.cce_gap(res.average_joint) - max(res.regrets.max(), 0.0) / 150) <= 1e-10


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 6), st.integers(10, 400))
def test_hedge_and_rm_bounds_hold_for_every_sequence(seed, a, t):
    u = np.random.default_rng(seed).uniform(0, 1, (t, a))
    assert regret_against_sequence(u, "hedge")[-1] <= bounds.hedge_regret_bound(t, a) + 1e-9
    assert regret_against_sequence(u, "regret_matching")[-1] <= bounds.regret_matching_bound(t, a) + 1e-9
    assert regret_against_sequence(u, "regret_matching_plus")[-1] <= bounds.regret_matching_bound(t, a) + 1e-9


def test_regret_trace_matches_final_and_anytime_schedule():
    g = shapley_game()
    init = [np.array([0.3, 0.0, -0.2]), np.array([0.0, 0.5, 0.0])]
    res = selfplay(g, "hedge", 1000, eta=0.0, record_every=100, init_utilities=init)
    assert res.regret_trace.shape == (10, 2)
    assert np.allclose(res.regret_trace[-1], res.regrets)
    assert np.array_equal(res.record_rounds, np.arange(100, 1001, 100))


def test_invalid_inputs():
    g = shapley_game()
    with pytest.raises(ValueError):
        selfplay(g, "fictitious", 10)
    with pytest.raises(ValueError):
        selfplay(g, "hedge", 0)
    with pytest.raises(TypeError):
        selfplay(np.eye(3), "hedge", 10)
    with pytest.raises(ValueError):
        selfplay(g, "hedge", 10, eta=[0.1, 0.2, 0.3])
    with pytest.raises(ValueError):
        regret_against_sequence(np.ones(5))


def test_optimism_zero_is_plain_hedge_at_the_same_step():
    g = random_game((3, 3), seed=3)
    off = selfplay(g, "optimistic_hedge", 300, eta=0.25, optimism=0.0, store_strategies=True)
    hedge = selfplay(g, "hedge", 300, eta=0.25, store_strategies=True)
    on = selfplay(g, "optimistic_hedge", 300, eta=0.25, store_strategies=True)
    assert np.allclose(off.regrets, hedge.regrets, atol=1e-12)
    assert not np.allclose(on.regrets, hedge.regrets, atol=1e-6)


@pytest.mark.parametrize("learner,kw", [("optimistic_hedge", dict(eta=0.2, optimism=0.4)),
                                        ("regret_matching", dict(power=3.0)), ("regret_matching_plus", dict(power=2.5))])
def test_variant_knobs_match_reference(learner, kw):
    g = random_game((3, 2, 4), seed=11)
    res = selfplay(g, learner, 150, store_strategies=True, **kw)
    reg, joint, strat = reference_selfplay(g, learner, 150, **kw)
    assert np.allclose(res.regrets, reg, atol=1e-10)
    assert np.allclose(res.average_joint, joint, atol=1e-12)


def test_variant_knobs_are_rejected_for_other_learners():
    g = shapley_game()
    with pytest.raises(ValueError, match="optimism"):
        selfplay(g, "hedge", 10, optimism=0.5)
    with pytest.raises(ValueError, match="power"):
        regret_against_sequence(np.ones((5, 2)), "hedge", power=2.0)
    with pytest.raises(ValueError, match="power"):
        selfplay(g, "regret_matching", 10, power=0.5)
