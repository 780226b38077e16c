import math

import numpy as np
import pytest
from hypothesis import given, strategies as st

from theorylab.bandits import bounds

means_st = st.lists(st.floats(0.01, 0.99), min_size=2, max_size=10).filter(lambda m: len(set(m)) == len(m))


def test_ucb1_bound_value():
    # 8 ln(1000) / 0.1 + (1 + pi^2/3) 0.1
    assert bounds.ucb1_regret_bound([0.5, 0.4], 1000) == pytest.approx(80 * math.log(1000) + 0.1 * (1 + math.pi**2 / 3))


def test_log_bar_and_exp3_values():
    assert bounds.log_bar(4) == pytest.approx(0.5 + 1 / 2 + 1 / 3 + 1 / 4)
    assert bounds.exp3_regret_bound(10, 10**4) == pytest.approx(2 * math.sqrt(math.e - 1) * math.sqrt(1e5 * math.log(10)))


@given(means_st, st.integers(2, 10**6))
def test_error_bounds_decrease_with_budget_and_regret_bounds_increase_with_horizon(means, T):
    assert bounds.successive_rejects_error_bound(means, T + 1) <= bounds.successive_rejects_error_bound(means, T)
    assert bounds.sequential_halving_error_bound(means, T + 1) <= bounds.sequential_halving_error_bound(means, T)
    assert bounds.ucb1_regret_bound(means, T + 1) >= bounds.ucb1_regret_bound(means, T)


@given(means_st)
def test_lai_robbins_constant_is_below_the_ucb1_log_coefficient(means):
    # Pinsker: kl(mu_i, mu*) >= 2 Delta_i^2, so Delta_i / kl <= 1 / (2 Delta_i) < 8 / Delta_i
    mu = np.array(means)
    gaps = mu.max() - mu
    assert bounds.lai_robbins_constant(means) <= (1 / (2 * gaps[gaps > 0])).sum() + 1e-9


def test_bernoulli_kl_edges():
    assert bounds.bernoulli_kl(0.5, 0.5) == 0.0
    assert bounds.bernoulli_kl(0.0, 0.5) == pytest.approx(math.log(2))
    with pytest.raises(ValueError, match="means"):
        bounds.ucb1_regret_bound([0.5, 1.5], 10)


@pytest.mark.parametrize("fn", [bounds.complexity_h1, bounds.complexity_h2])
@pytest.mark.parametrize("bad", [[0.5], [0.5, float("nan")], [0.5, 1.2], [[0.5, 0.4]]])
def test_complexities_reject_bad_means_with_a_named_error(fn, bad):
    with pytest.raises(ValueError, match="means"):
        fn(bad)


def test_complexities_values_and_non_unique_best():
    assert bounds.complexity_h1([0.5, 0.4, 0.3]) == pytest.approx(225.0)
    assert bounds.complexity_h2([0.5, 0.4, 0.3]) == pytest.approx(200.0)
    assert math.isinf(bounds.complexity_h1([0.5, 0.5, 0.1]))


@pytest.mark.parametrize("p,q", [(float("nan"), 0.5), (0.5, 1.5), (-0.1, 0.5)])
def test_bernoulli_kl_rejects_bad_arguments(p, q):
    with pytest.raises(ValueError):
        bounds.bernoulli_kl(p, q)
