"""The paired-difference interval of U6 (core.stats.paired_proportion_difference), checked independently:
its two Clopper-Pearson pieces against scipy's binomtest, and its coverage by exact enumeration."""

import math

import numpy as np
import pytest
from scipy import stats as sst

from theorylab.core.stats import paired_proportion_difference


def _by_hand(n_10, n_01, n, alpha):
    """The same construction from scipy.stats.binomtest's exact intervals, written out by cases."""
    D = n_10 + n_01
    q = sst.binomtest(D, n).proportion_ci(1 - alpha / 2, method="exact")
    r = (0.0, 1.0) if D == 0 else tuple(sst.binomtest(n_10, D).proportion_ci(1 - alpha / 2, method="exact"))
    corners = [qq * (2 * rr - 1) for qq in (q.low, q.high) for rr in r]
    return min(corners), max(corners)


@pytest.mark.parametrize("n_10,n_01,n", [(0, 0, 1000), (0, 0, 20000), (30, 10, 1000), (0, 5, 200), (7, 0, 9),
                                         (3, 3, 50), (12, 40, 60)])
def test_matches_the_binomtest_construction(n_10, n_01, n):
    iv = paired_proportion_difference(n_10, n_01, n)
    lo, hi = _by_hand(n_10, n_01, n, 0.05)
    assert iv.estimate == (n_10 - n_01) / n
    assert math.isclose(iv.low, lo, abs_tol=1e-10) and math.isclose(iv.high, hi, abs_tol=1e-10)


def test_no_discordant_pair_gives_a_non_degenerate_symmetric_interval():
    iv = paired_proportion_difference(0, 0, 20000)
    assert iv.low < 0 < iv.high and math.isclose(-iv.low, iv.high)
    assert iv.high == pytest.approx(sst.beta.ppf(1 - 0.025 / 2, 1, 20000))


@pytest.mark.parametrize("pi_10,pi_01", [(0.0, 0.0), (0.02, 0.0), (0.05, 0.05), (0.2, 0.05), (0.4, 0.4), (0.1, 0.6)])
def test_exact_coverage_at_least_the_level(pi_10, pi_01):
    """Coverage summed over every trinomial outcome (n_10, n_01, rest) of n = 30 pairs."""
    n, alpha, theta = 30, 0.05, pi_10 - pi_01
    cover = 0.0
    for a in range(n + 1):
        for b in range(n + 1 - a):
            pr = sst.multinomial.pmf([a, b, n - a - b], n, [pi_10, pi_01, 1 - pi_10 - pi_01])
            iv = paired_proportion_difference(a, b, n, alpha)
            cover += pr * (iv.low - 1e-12 <= theta <= iv.high + 1e-12)
    assert cover >= 1 - alpha - 1e-9, cover


def test_rejects_bad_counts():
    with pytest.raises(ValueError, match="n_01"):
        paired_proportion_difference(5, 6, 10)
    with pytest.raises(ValueError, match="alpha"):
        paired_proportion_difference(1, 1, 10, alpha=1.5)
    assert np.isfinite(paired_proportion_difference(10, 0, 10).low)
