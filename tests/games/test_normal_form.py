import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from theorylab.games.normal_form import (NormalFormGame, bimatrix, coordination_game, matching_pennies,
                                         prisoners_dilemma, random_game, rock_paper_scissors, shapley_game)


def _profile(rng, acts):
    return [rng.dirichlet(np.ones(a)) for a in acts]


def test_shapley_unique_ne_uniform():
    g = shapley_game()
    u = [np.full(3, 1 / 3)] * 2
    assert g.nash_gap(u) < 1e-15
    assert g.nash_gap([np.eye(3)[0], np.eye(3)[0]]) > 0.5


@pytest.mark.parametrize("make", [shapley_game, matching_pennies, rock_paper_scissors, prisoners_dilemma,
                                  coordination_game])
def test_instances_in_unit_interval(make):
    g = make()
    assert g.payoffs.min() >= 0 and g.payoffs.max() <= 1 and g.n_players == 2


def test_action_table_c_order():
    g = random_game((2, 3, 4), seed=1)
    act = g.action_table()
    flat = np.ravel_multi_index(tuple(act), g.n_actions)
    assert np.array_equal(flat, np.arange(24))


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.lists(st.integers(1, 4), min_size=2, max_size=3))
def test_gaps_nonnegative_and_product_cce_gap_equals_nash_gap(seed, acts):
    rng = np.random.default_rng(seed)
    g = random_game(acts, seed=rng)
    x = _profile(rng, acts)
    mu = g.product_distribution(x)
    assert np.all(g.nash_gaps(x) >= 0)
    # for a product distribution the CCE gap of player i is its Nash gap
    assert np.allclose(g.cce_gaps(mu), g.nash_gaps(x), atol=1e-12)
    # CE set is inside the CCE set: ce gap (per pair) summed over a_i >= cce gap; each gap >= 0
    assert np.all(g.ce_gaps(mu) >= 0)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.floats(-3, 3), st.floats(0.1, 5))
def test_gap_invariant_to_shift_and_scales_with_scale(seed, c, scale):
    rng = np.random.default_rng(seed)
    g = random_game((3, 2), seed=rng)
    x = _profile(rng, (3, 2))
    p = g.payoffs.copy()
    p[0] = scale * p[0] + c
    h = NormalFormGame(p)
    assert np.isclose(h.nash_gaps(x)[0], scale * g.nash_gaps(x)[0], atol=1e-10)
    assert np.isclose(h.nash_gaps(x)[1], g.nash_gaps(x)[1], atol=1e-12)


def test_zero_sum_gap_sum_is_duality_gap():
    g = matching_pennies()
    x, y = np.array([0.7, 0.3]), np.array([0.4, 0.6])
    m = g.payoffs[0]
    duality = (m @ y).max() - (x @ m).min()
    assert np.isclose(g.nash_gap([x, y], "sum"), duality)


@pytest.mark.parametrize("bad, err", [
    (np.zeros(3), ValueError), (np.zeros((3, 2, 2)), ValueError), ([[1, 2], [3, np.nan]], ValueError),
    ("abc", TypeError)])
def test_invalid_payoffs(bad, err):
    with pytest.raises(err):
        NormalFormGame(bad)


def test_invalid_profiles_named():
    g = matching_pennies()
    with pytest.raises(ValueError, match="profile\\[0\\]"):
        g.nash_gap([np.array([0.5, 0.6]), np.array([0.5, 0.5])])
    with pytest.raises(ValueError, match="nonnegative"):
        g.nash_gap([np.array([1.5, -0.5]), np.array([0.5, 0.5])])
    with pytest.raises(ValueError, match="2 vectors"):
        g.nash_gap([np.array([0.5, 0.5])])
    with pytest.raises(ValueError, match="mu"):
        g.cce_gap(np.ones((2, 2)))
    with pytest.raises(ValueError):
        bimatrix(np.eye(2), np.eye(3))
    with pytest.raises(TypeError):
        random_game(3)
    with pytest.raises(ValueError):
        random_game((2, 0))


def test_tolerance_accepts_rounding():
    g = matching_pennies()
    assert g.nash_gap([np.array([0.5, 0.5 + 1e-12]), np.array([0.5, 0.5])]) < 1e-9
