"""The games claims' own pieces: recorded calibrations reproduce, the RVU bound and the cyclic instances."""

import numpy as np
import pytest

from theorylab.games import bounds, claims
from theorylab.games.learners import selfplay


def test_history_level_is_the_recorded_calibration_run():
    cal = claims.calibrate_history_level()
    assert claims.HISTORY_LEVEL == pytest.approx(cal["level"], abs=5e-5)
    assert cal["seed"] != 0  # the check runs at seed 0 on H = 6: disjoint seeds and instances
    assert set(cal["per_horizon"]) == {5, 7}


@pytest.mark.slow
def test_vlearning_threshold_is_the_recorded_calibration_run():
    cal = claims.calibrate_vlearning_slope()
    assert claims.VLEARNING_SLOPE == pytest.approx(cal["threshold"], abs=5e-5)
    assert 0 not in cal["game_seeds"]


def test_cyclic_zero_sum_games_have_an_interior_non_uniform_equilibrium():
    for seed in range(5):
        g = claims.cyclic_zero_sum_game(seed)
        assert np.allclose(g.payoffs.sum(axis=0), 1.0) and g.payoffs.min() >= 0 and g.payoffs.max() <= 1
        m = 2 * g.payoffs[0] - 1
        a, b, c = m[1, 0], m[0, 2], m[2, 1]
        x = np.array([c, b, a]) / (a + b + c)
        assert np.allclose(x @ m, 0.0, atol=1e-12) and np.allclose(m @ x, 0.0, atol=1e-12)
        assert not np.allclose(x, 1 / 3)


def test_plain_hedge_at_the_same_step_exceeds_the_rvu_bound_where_optimism_stays_below():
    g = claims.cyclic_zero_sum_game(1)
    bound = bounds.optimistic_hedge_total_regret_bound((3, 3), 0.25)
    oh = selfplay(g, "optimistic_hedge", 3000, eta=0.25, track_joint=False)
    hedge = selfplay(g, "hedge", 3000, eta=0.25, track_joint=False)
    assert oh.regret_trace.sum(axis=1).max() <= bound
    assert hedge.regrets.sum() > bound


def test_rvu_bound_rejects_steps_outside_the_theorem():
    assert bounds.optimistic_hedge_total_regret_bound((2, 3), 0.5) == pytest.approx((np.log(2) + np.log(3)) / 0.5)
    with pytest.raises(ValueError, match="eta must be"):
        bounds.optimistic_hedge_total_regret_bound((3, 3), 0.6)
    with pytest.raises(ValueError, match="at least 2 players"):
        bounds.optimistic_hedge_total_regret_bound((3,), 0.1)
