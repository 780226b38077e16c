import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from scipy import stats as sst

from theorylab.core.stats import (Interval, bootstrap_interval, clopper_pearson, max_ratio_interval, min_ratio_interval,
                                  simultaneous_alpha, slope_fit, t_interval, t_quantile, wilson)


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


@pytest.mark.parametrize("k, n, alpha", [(0, 10, 0.05), (3, 10, 0.05), (10, 10, 0.05), (17, 200, 0.01),
                                         (5, 1000, 0.05 / 7)])
def test_clopper_pearson_is_the_beta_quantile_pair(k, n, alpha):
    iv = clopper_pearson(k, n, alpha)
    low = 0.0 if k == 0 else sst.beta.ppf(alpha / 2, k, n - k + 1)
    high = 1.0 if k == n else sst.beta.ppf(1 - alpha / 2, k + 1, n - k)
    assert (iv.low, iv.high) == (pytest.approx(low, abs=1e-14), pytest.approx(high, abs=1e-14))
    assert iv.alpha == alpha


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


@pytest.mark.parametrize("n, alpha", [(2, 0.05), (3, 0.05), (10, 0.01), (40, 0.05 / 6)])
def test_t_interval_matches_scipy_with_n_minus_1_degrees_of_freedom(n, alpha):
    x = np.random.default_rng(n).normal(1.0, 2.0, n)
    iv = t_interval(x, alpha)
    low, high = sst.t.interval(1 - alpha, n - 1, loc=x.mean(), scale=sst.sem(x))
    assert (iv.low, iv.high) == (pytest.approx(low, rel=1e-12), pytest.approx(high, rel=1e-12))
    assert iv.alpha == alpha and iv.n == n


@pytest.mark.parametrize("dof", [1, 2, 5, 30, 1000])
def test_t_quantile_is_scipy_t_ppf(dof):
    assert t_quantile(0.05, dof) == pytest.approx(sst.t.ppf(0.975, dof), rel=1e-14)
    assert t_quantile(0.05, dof) > sst.norm.ppf(0.975)


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


@pytest.mark.parametrize("n", [3, 4, 7, 25])
def test_slope_fit_matches_linregress_with_n_minus_2_degrees_of_freedom(n):
    rng = np.random.default_rng(n)
    x = np.sort(rng.uniform(0, 10, n))
    y = 0.3 - 1.2 * x + rng.normal(0, 0.8, n)
    fit, ref = slope_fit(x, y), sst.linregress(x, y)
    q = sst.t.ppf(0.975, n - 2)
    assert fit.slope == pytest.approx(ref.slope, rel=1e-12) and fit.intercept == pytest.approx(ref.intercept, rel=1e-9)
    assert fit.se == pytest.approx(ref.stderr, rel=1e-10) and fit.dof == n - 2
    assert fit.low == pytest.approx(ref.slope - q * ref.stderr, rel=1e-10)
    assert fit.high == pytest.approx(ref.slope + q * ref.stderr, rel=1e-10)
    assert fit.r2 == pytest.approx(ref.rvalue**2, rel=1e-10)
    assert fit.as_interval().method == "ols-t" and not fit.weighted


def test_weighted_slope_with_equal_weights_is_ols_and_only_weight_ratios_matter():
    rng = np.random.default_rng(5)
    x = np.linspace(0, 1, 9)
    y = 2 * x + rng.normal(0, 0.1, 9)
    ols, w1, w7 = slope_fit(x, y), slope_fit(x, y, weights=np.ones(9)), slope_fit(x, y, weights=np.full(9, 7.0))
    for fit in (w1, w7):
        assert (fit.slope, fit.low, fit.high) == (pytest.approx(ols.slope), pytest.approx(ols.low),
                                                  pytest.approx(ols.high))
        assert fit.weighted and fit.dof == 7 and fit.as_interval().method == "wls-t"


def test_weighted_slope_matches_the_closed_form_wls_and_its_t_interval():
    # reference computed independently: lstsq on sqrt(w)-scaled design, covariance s^2 (X'WX)^-1, t(n-2)
    rng = np.random.default_rng(6)
    n = 8
    x = np.linspace(1, 4, n)
    sd = np.linspace(0.05, 0.5, n)
    y = 1.0 - 0.5 * x + rng.normal(0, sd)
    w = 1 / sd**2
    X = np.column_stack([np.ones(n), x])
    sw = np.sqrt(w)
    beta, *_ = np.linalg.lstsq(X * sw[:, None], y * sw, rcond=None)
    s2 = np.sum(w * (y - X @ beta) ** 2) / (n - 2)
    se = np.sqrt(s2 * np.linalg.inv(X.T @ (w[:, None] * X))[1, 1])
    fit = slope_fit(x, y, weights=w)
    q = sst.t.ppf(0.975, n - 2)
    assert fit.slope == pytest.approx(beta[1], rel=1e-10) and fit.se == pytest.approx(se, rel=1e-10)
    assert (fit.low, fit.high) == (pytest.approx(beta[1] - q * se, rel=1e-10), pytest.approx(beta[1] + q * se, rel=1e-10))
    sm = pytest.importorskip("statsmodels.api")
    ref = sm.WLS(y, sm.add_constant(x), weights=w).fit()
    assert fit.se == pytest.approx(ref.bse[1], rel=1e-10)
    lo, hi = ref.conf_int(0.05)[1]
    assert (fit.low, fit.high) == (pytest.approx(lo, rel=1e-10), pytest.approx(hi, rel=1e-10))


def test_min_scale_keeps_a_weighted_interval_at_least_as_wide_as_the_known_variance_one():
    x = np.log([1, 2, 4, 8, 16])
    y = -0.5 * x  # no scatter at all: the residual scale is 0
    sd = np.full(5, 0.1)
    free = slope_fit(x, y, weights=1 / sd**2)
    floor = slope_fit(x, y, weights=1 / sd**2, min_scale=1.0)
    known_se = np.sqrt(1 / np.sum((x - x.mean()) ** 2 / sd**2))
    assert free.high - free.low == pytest.approx(0.0, abs=1e-12)
    assert floor.se == pytest.approx(known_se) and floor.high - floor.slope == pytest.approx(t_quantile(0.05, 3) * known_se)


def test_weighted_slope_interval_covers_at_the_nominal_rate_with_known_heteroscedastic_noise():
    rng = np.random.default_rng(7)
    x = np.linspace(0, 3, 6)
    sd = np.array([0.05, 0.1, 0.2, 0.2, 0.4, 0.8])
    hits = [(f.low <= -1.0 <= f.high) for f in (slope_fit(x, 2 - x + rng.normal(0, sd), weights=1 / sd**2)
                                                  for _ in range(2000))]
    assert 0.935 <= np.mean(hits) <= 0.965


def test_loglog_slope_interval_covers_true_exponent():
    rng = np.random.default_rng(2)
    x = np.geomspace(10, 1e4, 12)
    y = 3 * x**-0.5 * np.exp(rng.normal(0, 0.05, x.size))
    fit = slope_fit(x, y, log_x=True, log_y=True)
    assert fit.low < -0.5 < fit.high


def test_simultaneous_alpha_is_bonferroni():
    assert simultaneous_alpha(0.05, 1) == 0.05 and simultaneous_alpha(0.05, 5) == pytest.approx(0.01)
    with pytest.raises(ValueError, match="m"):
        simultaneous_alpha(0.05, 0)


def test_max_and_min_ratio_intervals_take_the_extremes_of_the_scaled_rows():
    a = simultaneous_alpha(0.05, 3)
    ivs = [clopper_pearson(k, 2000, a) for k in (10, 40, 25)]
    b = np.array([0.01, 0.05, 0.02])
    mx, mn = max_ratio_interval(ivs, b), min_ratio_interval(ivs, b)
    assert mx.estimate == pytest.approx(max(iv.estimate / bi for iv, bi in zip(ivs, b)))
    assert mx.low == pytest.approx(max(iv.low / bi for iv, bi in zip(ivs, b)))
    assert mx.high == pytest.approx(max(iv.high / bi for iv, bi in zip(ivs, b)))
    assert mn.low == pytest.approx(min(iv.low / bi for iv, bi in zip(ivs, b)))
    assert mn.high == pytest.approx(min(iv.high / bi for iv, bi in zip(ivs, b)))
    assert mx.alpha == 0.05 and mx.n == 6000 and "bonferroni-max" in mx.method
    assert max_ratio_interval(ivs).estimate == pytest.approx(40 / 2000)


def test_max_ratio_interval_refuses_rows_not_at_the_bonferroni_level():
    with pytest.raises(ValueError, match="simultaneous_alpha"):
        max_ratio_interval([clopper_pearson(3, 100), clopper_pearson(4, 100)])  # 95% each: too narrow for a max
    with pytest.raises(ValueError, match="simultaneous_alpha"):
        max_ratio_interval([Interval(0.1, 0.0, 0.2, 10, "custom")])
    a = simultaneous_alpha(0.05, 2)
    with pytest.raises(ValueError, match="denominators"):
        max_ratio_interval([clopper_pearson(3, 100, a), clopper_pearson(4, 100, a)], [0.1, -0.1])
    with pytest.raises(ValueError, match="denominators"):
        max_ratio_interval([clopper_pearson(3, 100, a), clopper_pearson(4, 100, a)], [0.1])
    with pytest.raises(ValueError, match="non-empty"):
        max_ratio_interval([])


def test_max_ratio_interval_covers_the_max_at_the_joint_level():
    # m = 6 binomial rows of which 3 share the maximal ratio: exact joint coverage is computed by
    # simulation of the row counts (scipy binom), with the per-row level alpha/m
    rng = np.random.default_rng(8)
    n, m = 400, 6
    p = np.array([0.02, 0.05, 0.05, 0.05, 0.03, 0.01])
    b = np.full(m, 0.05)
    truth = np.max(p / b)
    a = simultaneous_alpha(0.05, m)
    cover_adj, cover_naive = [], []
    for k in sst.binom.rvs(n, p, size=(1500, m), random_state=rng):
        adj = max_ratio_interval([clopper_pearson(int(ki), n, a) for ki in k], b)
        cover_adj.append(adj.low <= truth <= adj.high)
        naive = [clopper_pearson(int(ki), n) for ki in k]
        cover_naive.append(max(iv.low for iv in naive) / 0.05 <= truth <= max(iv.high for iv in naive) / 0.05)
    assert np.mean(cover_adj) >= 0.95
    assert np.mean(cover_naive) < np.mean(cover_adj)


@pytest.mark.parametrize("call, match", [
    (lambda: clopper_pearson(5, 3), "successes"),
    (lambda: clopper_pearson(1, 0), "trials"),
    (lambda: wilson(1, 10, alpha=1.5), "alpha"),
    (lambda: t_interval([1.0]), "samples"),
    (lambda: slope_fit([1, 2], [1, 2]), "length"),
    (lambda: slope_fit([1, 2, 3], [1, -2, 3], log_y=True), "positive"),
    (lambda: slope_fit([1, 1, 1], [1, 2, 3]), "constant"),
    (lambda: slope_fit([1, 2, 3], [1, 2, 3], weights=[1, 0, 1]), "weights"),
    (lambda: slope_fit([1, 2, 3], [1, 2, 3], weights=[1, 1]), "weights"),
    (lambda: slope_fit([1, 2, 3], [1, 2, 3], min_scale=-1.0), "min_scale"),
    (lambda: slope_fit([1, 2, 3], [1, 2, 3], alpha=0.0), "alpha"),
    (lambda: t_quantile(0.05, 0), "dof"),
    (lambda: t_quantile(1.0, 3), "alpha"),
])
def test_invalid_inputs_name_the_problem(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
