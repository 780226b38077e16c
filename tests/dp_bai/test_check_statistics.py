"""The statistics of the dp_bai rate and utility checks against scipy (review issue 10, finding 6):
Student-t quantiles with n - 2 df for fitted slopes and the knee, Bonferroni for max/min over rows."""

import math

import numpy as np
import pytest
from scipy import stats as sst

from theorylab.bandits.dp_bai import checks_rates as CR
from theorylab.bandits.dp_bai import checks_utility as CU
from theorylab.bandits.dp_bai.rates import fit_rate
from theorylab.core.seeding import derived_seed


def test_wls_slope_half_width_is_the_regression_t_interval():
    rng = np.random.default_rng(3)
    x = np.linspace(0, 1, 5)
    y = 2 * x + rng.normal(0, 3.0, 5)          # residual variance > 1: the s2 floor is inactive
    slope, half = CR._wls_slope(x, y, np.ones(5))
    ref = sst.linregress(x, y)
    assert slope == pytest.approx(ref.slope)
    assert half == pytest.approx(sst.t.ppf(0.975, 3) * ref.stderr)
    assert half > 1.96 * ref.stderr * 1.5        # t_{0.975, 3} = 3.18, not 1.96


def test_fit_rate_interval_uses_t_with_n_minus_2_df():
    T = np.array([100, 200, 300, 400, 500])
    runs = np.full(5, 10000)
    errors = np.round(runs * 0.4 * np.exp(-0.004 * T) * np.array([1.1, 0.9, 1.05, 0.95, 1.0])).astype(int)
    fit = fit_rate(T, errors, runs)
    assert fit["dof"] == 3
    assert fit["high"] - fit["e_hat"] == pytest.approx(sst.t.ppf(0.975, 3) * fit["se"])


def test_knee_interval_uses_t_with_n_minus_2_df():
    eps = np.logspace(-2, 2, 7)
    e = 1 / (2.0 + 0.5 / eps) * np.exp(np.random.default_rng(0).normal(0, 0.05, 7))
    rows = [(x, v, v * 0.9, v * 1.1, 0.05 * v, 4) for x, v in zip(eps, e)]
    knee, (lo, hi), a, b = CR.fit_knee(rows)
    assert knee == pytest.approx(b / a)
    # symmetric on the log scale with half-width t_{0.975, 5} se
    half = math.log(hi / knee)
    assert math.log(knee / lo) == pytest.approx(half)
    rows2 = rows[:5]
    _, (lo2, hi2), _, _ = CR.fit_knee(rows2)
    assert math.log(hi2 / lo2) > 0


def test_ratio_evidence_is_bonferroni_clopper_pearson():
    rows = [(3, 1000, 0.05), (0, 1000, 0.02), (10, 2000, 0.01)]
    ev = CU._ratio_evidence(rows, 4000)
    a = 0.05 / 3
    hi = max(sst.beta.ppf(1 - a / 2, k + 1, n - k) / b for k, n, b in rows)
    lo = max((0.0 if k == 0 else sst.beta.ppf(a / 2, k, n - k + 1)) / b for k, n, b in rows)
    assert ev.ci_high == pytest.approx(hi) and ev.ci_low == pytest.approx(lo)


def test_derived_seeds_are_spawned_not_offset():
    seeds = {derived_seed(m, "dp_bai.knee", j) for m in range(3) for j in range(20)}
    assert len(seeds) == 60                      # master m, index j never collide with master m + 1, j - 1
    assert derived_seed(0, "dp_bai.knee", 1) != derived_seed(1, "dp_bai.knee", 0)
