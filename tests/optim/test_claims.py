"""Checks that used to be halpern claims but cannot fail by simulation (issue 10, items 2 and 4), the recorded
calibrations of the halpern claims, and the linear-rate statistic of ``halpern.vr_forb_linear``."""

import numpy as np
import pytest

from theorylab.core.sweep import run_cells
from theorylab.core.stats import t_interval
from theorylab.optim import bounds, claims
from theorylab.optim.instances import coordinate_split_game
from theorylab.optim.tasks import CURVE_TASK, SCALING_TASK
from theorylab.optim.vr_halpern import page_expected_calls


@pytest.mark.parametrize("n", [8, 32, 128])
def test_coordinate_split_game_has_L_equal_sqrt_n_L_F(n):
    """Was ``halpern.negative_control``: L / L_F = sqrt(n) holds by construction (the review's remark
    L_F <= L <= sqrt(n) L_F is attained), so variance reduction cannot gain sqrt(n) on this family."""
    g = coordinate_split_game(n, seed=3)
    assert g.L / g.L_F == pytest.approx(np.sqrt(n), rel=1e-9)


def test_deterministic_halpern_pays_n_calls_per_iteration_and_iterations_do_not_grow_with_n():
    """Was ``halpern.sqrt_n_deterministic``: calls = n x iterations by construction; the iterations to reach
    ||F|| <= L D / R on the family (L_F = L) barely move with n, hence the exponent 1 of deterministic Halpern."""
    ns = (64, 256, 1024)
    df = run_cells(SCALING_TASK, [dict(algorithm="halpern", n=n, R=4500, d=10) for n in ns], 1, 0, 1)
    assert np.array_equal(df["calls_to_eps"].to_numpy(), (df["n"] * df["iters_to_eps"]).to_numpy(float))
    iters = df["iters_to_eps"].to_numpy(float)
    assert iters.min() > 0 and iters.max() / iters.min() < 1.05
    exponent = np.polyfit(np.log(ns), np.log(df["calls_to_eps"]), 1)[0]
    assert 0.95 < exponent < 1.05


def test_algorithm1_realised_calls_match_the_refresh_schedule_expectation():
    """Was ``halpern.page_cost``: realised oracle calls against E[calls] = sum_k p_k n + (1 - p_k) 2b, a t interval
    over 20 runs; with p_k = 1 every iteration costs exactly n."""
    n, K, reps = 400, 3000, 20
    params = dict(instance="cocoercive_family", inst_n=n, inst_d=10, algorithm="page_halpern", K=K, points=3)
    df = run_cells(CURVE_TASK, [params], reps, 0, 1)
    iv = t_interval(df["ep_2"] / (page_expected_calls(n, K) / n))
    assert 0.97 <= iv.low and iv.high <= 1.03
    always = run_cells(CURVE_TASK, [dict(params, K=50, refresh="always")], 2, 0, 1)
    assert np.all(always["ep_2"] == 50.0)
    one = run_cells(CURVE_TASK, [dict(params, calls_per_sample=1)], reps, 0, 1)
    iv_one = t_interval(one["ep_2"] / (page_expected_calls(n, K, calls_per_sample=1) / n))
    assert 0.97 <= iv_one.low and iv_one.high <= 1.03
    assert iv_one.estimate * page_expected_calls(n, K, calls_per_sample=1) < 0.9 * page_expected_calls(n, K)


def test_forb_late_slope_separates_a_linear_rate_from_a_1_over_t_rate():
    t = np.arange(0, 3001, 100.0)
    rate = 0.0033
    linear, _ = claims.forb_late_slopes(t, np.exp(-2 * rate * t)[None, :])
    sublinear, window = claims.forb_late_slopes(t, (1.0 / (t + 1.0))[None, :])
    assert linear[0] == pytest.approx(-2 * rate) and linear[0] < -rate
    assert sublinear[0] > -rate          # a 1/t method fails the claim's bound at the same size
    assert window == (1500.0, 3000.0)


def test_forb_late_slope_drops_the_round_off_floor():
    t = np.arange(0, 3001, 100.0)
    e = np.maximum(np.exp(-0.02 * t), 1e-12)
    s, window = claims.forb_late_slopes(t, e[None, :])
    assert s[0] == pytest.approx(-0.02, rel=1e-6) and window[1] < 1100


def test_vr_forb_rate_is_the_smaller_of_the_two_terms():
    assert bounds.vr_forb_rate(0.01, 0.5) == pytest.approx(0.0025)
    assert bounds.vr_forb_rate(1.0, 0.02) == pytest.approx(0.005)
    with pytest.raises(ValueError, match="p must be"):
        bounds.vr_forb_rate(0.1, 1.5)


def test_slope_window_is_the_recorded_calibration_run():
    cal = claims.calibrate_rate_windows()
    assert claims.SLOPE_HALF_WIDTH == pytest.approx(cal["half_width"])
    assert cal["inst_seed"] != 0 and cal["seed"] != 0


def test_page_envelope_constant_is_the_recorded_calibration_run():
    cal = claims.calibrate_page_envelope()
    assert claims.PAGE_ENVELOPE_C1 == pytest.approx(cal["c1"])
    assert 0 not in cal["upper_limits"]


@pytest.mark.parametrize("ns,R,expected", [((64, 256, 1024), 4500, 0.613), ((256, 1024, 4096, 16384), 25000, 0.552)])
def test_sqrt_n_window_brackets_the_schedule_cost_exponent(ns, R, expected):
    """The exponent the refresh schedule itself predicts (iterations to eps ~ 2R) lies inside [0.4, 0.65]."""
    calls = [page_expected_calls(n, 2 * R) for n in ns]
    exponent = np.polyfit(np.log(ns), np.log(calls), 1)[0]
    assert exponent == pytest.approx(expected, abs=1e-3) and 0.4 < exponent < 0.65
