import math

import numpy as np
from hypothesis import given, settings, strategies as st

from theorylab.bandits.dp_bai.audit import (histogram_audit, laplace_difference_cdf, replay_privacy_loss,
                                            two_arm_exact_loss)
from theorylab.bandits.dp_bai.bounds import (linear_error_bound, rate_lower_bound, unstructured_error_bound,
                                             unstructured_error_bound_closed)
from theorylab.bandits.dp_bai.instances import random_linear_instance, soare_dp_instance, unstructured_instance


def test_laplace_difference_cdf_matches_sampling():
    rng = np.random.default_rng(0)
    d = rng.laplace(0, 0.7, 200000) - rng.laplace(0, 0.7, 200000)
    for u in (-1.0, -0.2, 0.0, 0.5, 2.0):
        assert abs(laplace_difference_cdf(u, 0.7) - np.mean(d <= u)) < 0.005


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 5), st.integers(1, 4), st.floats(0.01, 5.0), st.integers(0, 10**6), st.booleans())
def test_shift_coupling_loss_at_most_epsilon_and_one_release_changes(K, d, eps, seed, row):
    """P1/P4: identical transcripts after the shift, loss <= epsilon, at most one release changes."""
    rng = np.random.default_rng(seed)
    inst = unstructured_instance(np.linspace(0.8, 0.2, K)) if d >= K else random_linear_instance(K, max(d, 2), seed)
    T = 3 * K * int(rng.integers(2, 20))
    x = rng.random((T, K))
    xp = x.copy()
    if row:
        xp[int(rng.integers(T))] = rng.random(K)
    else:
        xp[int(rng.integers(T)), int(rng.integers(K))] = float(rng.integers(2))
    Z = rng.laplace(size=(1, 6, K))
    r = replay_privacy_loss(inst, "dp_bai", T, eps, x, xp, Z)
    assert r["same_transcript"] and r["loss"] <= eps * (1 + 1e-9) + 1e-12 and r["changed_releases"] <= 1


def test_replay_detects_sample_reuse_and_halved_noise():
    inst = unstructured_instance([0.7, 0.6, 0.3, 0.2])
    rng = np.random.default_rng(1)
    worst_reuse, worst_half = 0.0, 0.0
    for _ in range(80):
        T = 48
        x = (rng.random((T, 4)) < 0.5).astype(float)
        xp = x.copy()
        t = int(rng.integers(0, 24))
        xp[t] = 1 - xp[t]
        Z = rng.laplace(size=(1, 2, 4))
        worst_reuse = max(worst_reuse, replay_privacy_loss(inst, "dp_bai", T, 1.0, x, xp, Z, reuse_samples=True)["loss"])
        worst_half = max(worst_half, replay_privacy_loss(inst, "dp_bai", T, 1.0, x, xp, Z, noise_factor=0.5)["loss"])
    assert worst_reuse > 1.0 and worst_half > 1.0


def test_dp_od_dp_sh_dp_sr_also_pass_replay_and_sr_with_cumulative_means_fails():
    inst = soare_dp_instance(d=3, K=6, omega=0.8)
    rng = np.random.default_rng(2)
    worst_cumulative = 0.0
    for alg in ("dp_od", "dp_sh", "dp_sr"):
        for _ in range(10):
            T = 200
            x = rng.random((T, 6))
            xp = x.copy()
            xp[int(rng.integers(T)), int(rng.integers(6))] = 1.0
            Z = rng.laplace(size=(1, 6, 6))
            r = replay_privacy_loss(inst, alg, T, 0.5, x, xp, Z)
            assert r["same_transcript"] and r["loss"] <= 0.5 + 1e-9
            if alg == "dp_sr":
                # SR's textbook cumulative means reuse a sample in every later release of its arm: flip the
                # best arm's first reward (t = 0 pulls arm 0), which then enters all five releases
                xb = (x < 0.5).astype(float)
                xbp = xb.copy()
                xbp[0, 0] = 1.0 - xbp[0, 0]
                worst_cumulative = max(worst_cumulative,
                                       replay_privacy_loss(inst, alg, T, 0.5, xb, xbp, Z, reuse_samples=True)["loss"])
    assert worst_cumulative > 0.5


def test_two_arm_exact_and_negative_control():
    assert two_arm_exact_loss(100, 1.0)["loss"] <= 1.0 + 1e-12
    assert two_arm_exact_loss(100, 1.0, noise_factor=0.5)["loss"] > 1.0


def test_histogram_audit_negative_control():
    assert histogram_audit(30, 1.0, 5000, noise_factor=0.5)["lcb"] > 1.0


def test_coupling_lemma_p5_exact():
    """P5: P_p(out > c) <= exp(6 eps n |p - q|) P_q(out > c) for the Laplace-noisy Bernoulli mean."""
    from scipy import stats
    n, eps = 20, 0.5
    for p, q in ((0.5, 0.4), (0.3, 0.35), (0.6, 0.45)):
        k = np.arange(n + 1)
        for c in np.linspace(-0.5, 1.5, 21):
            def prob(m):
                return float(np.sum(stats.binom.pmf(k, n, m) * stats.laplace.sf(c - k / n, scale=1 / (eps * n))))
            assert prob(p) <= math.exp(6 * eps * n * abs(p - q)) * prob(q) + 1e-15


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 8), st.integers(100, 10**6), st.floats(0.01, 100.0))
def test_bounds_decrease_in_budget_and_epsilon(K, T, eps):
    mu = np.linspace(0.8, 0.2, K)
    assert unstructured_error_bound(mu, 2 * T, eps) <= unstructured_error_bound(mu, T, eps) + 1e-300
    assert unstructured_error_bound(mu, T, 2 * eps) <= unstructured_error_bound(mu, T, eps) * math.exp(eps / 4) + 1e-300
    assert unstructured_error_bound(mu, T, eps) <= unstructured_error_bound_closed(mu, T, eps) * (1 + 1e-12)


def test_linear_bound_and_rate_values():
    inst = random_linear_instance(8, 3, 3)
    assert linear_error_bound(inst, 10**7, 1.0) < linear_error_bound(inst, 10**5, 1.0)
    assert rate_lower_bound(inst, 0.1) < rate_lower_bound(inst, 10.0)


def test_audit_input_validation():
    import pytest
    from theorylab.bandits.dp_bai.audit import run_on_table
    inst = unstructured_instance([0.6, 0.4])
    with pytest.raises(ValueError, match="\\[0, 1\\]"):
        run_on_table(inst, "dp_bai", 10, 1.0, np.full((10, 2), 2.0), noise=np.zeros((1, 1, 2)))
    with pytest.raises(ValueError, match="shape"):
        run_on_table(inst, "dp_bai", 10, 1.0, np.zeros((5, 2)), noise=np.zeros((1, 1, 2)))
    with pytest.raises(ValueError):
        run_on_table(inst, "dp_bai", 10, 0.0, np.zeros((10, 2)), noise=np.zeros((1, 1, 2)))
    with pytest.raises(ValueError, match="seeds"):
        run_on_table(inst, "dp_bai", 10, 1.0, np.zeros((10, 2)))
    with pytest.raises(ValueError):
        two_arm_exact_loss(10, -1.0)
    with pytest.raises(ValueError):
        histogram_audit(30, 1.0, 10)
