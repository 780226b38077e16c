import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from scipy import stats as sst

from theorylab.core.stats import bootstrap_interval, clopper_pearson, slope_fit, t_interval, wilson


@given(st.integers(1, 500), st.data())
def test_binomial_intervals_contain_the_estimate_and_lie_in_unit_interval(n, data):
    k = data.draw(st.integers(0, n))
    for iv in (clopper_pearson(k, n), wilson(k, n)):
        assert 0.0 <= iv.low <= iv.estimate <= iv.high <= 1.0


def test_clopper_pearson_matches_scipy_exact_interval():
    for k, n in [(0, 10), (3, 10), (10, 10), (17, 200)]:
        ref = sst.binomtest(k, n).proportion_ci(0.95, method="exact")
        iv = clopper_pearson(k, n)
        assert iv.low == pytest.approx(ref.low, abs=1e-12) and iv.high == pytest.approx(ref.high, abs=1e-12)


def test_wilson_matches_scipy():
    ref = sst.binomtest(7, 40).proportion_ci(0.95, method="wilson")
    iv = wilson(7, 40)
    assert iv.low == pytest.approx(ref.low, rel=1e-9) and iv.high == pytest.approx(ref.high, rel=1e-9)


def test_clopper_pearson_coverage_is_at_least_nominal():
    # exact coverage computed over the binomial law, not simulated
    n, p = 60, 0.13
    ks = np.arange(n + 1)
    covered = np.array([clopper_pearson(int(k), n).low <= p <= clopper_pearson(int(k), n).high for k in ks])
    assert sst.binom.pmf(ks, n, p)[covered].sum() >= 0.95


def test_t_interval_coverage_on_normal_samples():
    rng = np.random.default_rng(0)
    ivs = [t_interval(rng.normal(2.0, 1.0, 20)) for _ in range(2000)]
    cover = np.mean([iv.low <= 2.0 <= iv.high for iv in ivs])
    assert 0.93 <= cover <= 0.97


def test_bootstrap_interval_is_deterministic_and_contains_mean():
    x = np.random.default_rng(1).exponential(size=200)
    a, b = bootstrap_interval(x, seed=3), bootstrap_interval(x, seed=3)
    assert a == b and a.low < x.mean() < a.high


@settings(max_examples=50)
@given(st.floats(-3, 3), st.floats(-5, 5))
def test_slope_fit_recovers_an_exact_line(slope, intercept):
    x = np.arange(1, 8, dtype=float)
    fit = slope_fit(x, intercept + slope * x)
    assert fit.slope == pytest.approx(slope, abs=1e-9)
    assert fit.low <= fit.slope <= fit.high


def test_loglog_slope_interval_covers_true_exponent():
    rng = np.random.default_rng(2)
    x = np.geomspace(10, 1e4, 12)
    y = 3 * x**-0.5 * np.exp(rng.normal(0, 0.05, x.size))
    fit = slope_fit(x, y, log_x=True, log_y=True)
    assert fit.low < -0.5 < fit.high


@pytest.mark.parametrize("call, match", [
    (lambda: clopper_pearson(5, 3), "successes"),
    (lambda: clopper_pearson(1, 0), "trials"),
    (lambda: wilson(1, 10, alpha=1.5), "alpha"),
    (lambda: t_interval([1.0]), "samples"),
    (lambda: slope_fit([1, 2], [1, 2]), "length"),
    (lambda: slope_fit([1, 2, 3], [1, -2, 3], log_y=True), "positive"),
    (lambda: slope_fit([1, 1, 1], [1, 2, 3]), "constant"),
])
def test_invalid_inputs_name_the_problem(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
