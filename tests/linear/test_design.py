"""DesignLS and the Frank-Wolfe G-optimal design (properties 9, 10; prediction bound, separation), GoodFeatureProbe (property 13)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from theorylab.bandits.linear import kernels, reference
from theorylab.bandits.linear.algorithms import (Design, design_g, design_ls, exhaustive, g_optimal_design,
                                                 good_feature_probe, span_coordinates, spanning_subset)
from theorylab.bandits.linear.bounds import design_prediction_bound, good_feature_error_bound, separation_error
from theorylab.bandits.linear.instances import (adversarial_design_instance, linear_instance, random_sparse_instance,
                                                reed_solomon_needle, separation_instance)
from theorylab.core.seeding import repetition_seeds
from theorylab.core.stats import slope_fit


def seeds(n=2):
    return repetition_seeds(0, "design", n)


@settings(max_examples=25, deadline=None)
@given(K=st.integers(5, 200), d=st.integers(2, 10), seed=st.integers(0, 2**31 - 1), tol=st.floats(0.005, 0.5))
def test_property_frank_wolfe_design_is_a_probability_vector_with_g_at_most_1_plus_tol_d(K, d, seed, tol):
    inst = random_sparse_instance(max(K, d + 1), d, 1, 0.0, seed=seed)
    des = g_optimal_design(inst.features, tol=tol)
    assert np.all(des.weights >= 0) and des.weights.sum() == pytest.approx(1.0)
    assert d - 1e-9 <= des.g <= (1 + tol) * d + 1e-9       # Kiefer-Wolfowitz: min g = d


@settings(max_examples=20, deadline=None)
@given(K=st.integers(5, 120), d=st.integers(2, 8), seed=st.integers(0, 2**31 - 1))
def test_property_frank_wolfe_kernel_matches_the_fresh_inverse_reference(K, d, seed):
    phi = random_sparse_instance(max(K, d + 1), d, 1, 0.0, seed=seed).features
    w0 = np.zeros(phi.shape[0])
    w0[spanning_subset(phi)] = 1.0 / d
    w = w0.copy()
    g_k, it = kernels.frank_wolfe_design(phi, w, 0.01, 5000, 200)
    w_ref, g_ref, it_ref = reference.frank_wolfe_design(phi, w0, 0.01, 5000)
    assert it == it_ref
    np.testing.assert_allclose(w, w_ref, rtol=1e-8, atol=1e-12)
    assert g_k == pytest.approx(g_ref, rel=1e-8)
    vinv = np.linalg.inv((phi.T * w) @ phi)
    np.testing.assert_allclose(kernels.g_values(phi, vinv), np.einsum("ij,jk,ik->i", phi, vinv, phi), rtol=1e-10)


@settings(max_examples=25, deadline=None)
@given(K=st.integers(6, 200), d=st.integers(2, 10), eps=st.floats(0.005, 0.2), seed=st.integers(0, 2**31 - 1),
       kind=st.sampled_from(["uniform", "trap", "sign"]))
def test_property_noiseless_prediction_bound_holds_for_every_action(K, d, eps, seed, kind):
    inst = random_sparse_instance(max(K, d + 1), d, 1, eps, kind=kind, seed=seed)
    res = design_ls(inst, seeds(1))
    beta = design_prediction_bound(eps, res.info["g"], res.info["N"], res.info["n"])
    assert res.info["max_pred_error"][0] <= beta + 1e-12
    assert res.errors[0] <= 2 * beta + 1e-12


def test_adversarial_misspecification_attains_the_cauchy_schwarz_free_bias():
    base = random_sparse_instance(80, 5, 2, 0.05, seed=11)
    des = g_optimal_design(base.features)
    b = 3
    inst = adversarial_design_instance(base.features, base.theta, 0.05, des.weights, b)
    res = design_ls(inst, seeds(1), design=des)
    supp, counts = res.info["support"], res.info["counts"]
    Vn = (base.features[supp].T * counts) @ base.features[supp]
    coef = base.features[supp] @ np.linalg.solve(Vn, base.features[b])
    expected = 0.05 + 0.05 * np.sum(counts * np.abs(coef)) - (0.05 * counts[supp == b] * coef[supp == b] * 2).sum()
    pred_err = inst.rewards[b] - res.info["theta_hat"][0] @ base.features[b]
    assert pred_err == pytest.approx(expected, rel=1e-9)


@settings(max_examples=20, deadline=None)
@given(K=st.integers(6, 200), d=st.integers(2, 10), seed=st.integers(0, 2**31 - 1))
def test_property_well_specified_noiseless_design_ls_recovers_theta_exactly(K, d, seed):
    inst = random_sparse_instance(max(K, d + 1), d, 2 if d > 1 else 1, 0.0, seed=seed)
    res = design_ls(inst, seeds(1))
    np.testing.assert_allclose(res.info["theta_hat"][0], inst.theta, atol=1e-9)
    assert res.errors[0] <= 1e-9


def test_separation_error_is_exact_and_its_log_log_slope_is_one_half():
    ds = np.array([5, 9, 17, 33, 65, 129])
    errs = []
    for d in ds:
        inst = separation_instance(d, 0.02)
        res = design_ls(inst, seeds(1), design=np.r_[np.full(d, 1 / d), 0.0])
        assert res.actions[0] == d
        assert res.errors[0] == pytest.approx(separation_error(d, 0.02), rel=1e-12)
        errs.append(res.errors[0] / 0.02)
    assert slope_fit(ds - 1, errs, log_x=True, log_y=True).slope == pytest.approx(0.5, abs=1e-12)


def test_rank_deficient_features_are_handled_in_span_coordinates():
    inst = reed_solomon_needle(5, 2, 1, 4, 0.8)
    phi = span_coordinates(inst.features)
    assert phi.shape[1] == np.linalg.matrix_rank(inst.features) < inst.d
    np.testing.assert_allclose(phi @ phi.T, inst.features @ inst.features.T, atol=1e-12)
    res = design_ls(inst, seeds(2))
    assert res.info["rank"] == phi.shape[1]


def test_noisy_design_ls_budget_makes_the_noise_term_eps_stat():
    inst = random_sparse_instance(100, 4, 1, 0.05, seed=1, sigma=0.5)
    res = design_ls(inst, seeds(3), eps_stat=0.1)
    g, n = res.info["g"], res.info["n"]
    assert 0.5 * math.sqrt(2 * g * math.log(2 * 100 / 0.05) / n) <= 0.1 + 1e-12
    assert np.all(res.queries == res.info["N"]) and res.info["N"] <= n + res.info["support"].size


@settings(max_examples=25, deadline=None)
@given(K=st.integers(12, 200), d=st.integers(2, 10), data=st.data(), eps=st.floats(0.005, 0.2),
       seed=st.integers(0, 2**31 - 1), c0=st.floats(0.3, 1.0), kind=st.sampled_from(["uniform", "trap", "sign"]))
def test_property_good_feature_probe_estimate_and_error_bounds(K, d, data, eps, seed, c0, kind):
    s = data.draw(st.integers(1, d))
    inst = random_sparse_instance(max(K, d + 1), d, s, eps, kind=kind, seed=seed, basis_scale=c0)
    res = good_feature_probe(inst, s, seeds(2))
    tau = res.info["tau"]
    assert tau == pytest.approx(eps / c0)
    for th in res.info["theta_s"]:
        assert np.count_nonzero(th) <= s
        assert np.linalg.norm(th - inst.theta) <= math.sqrt(5 * s) * tau + 1e-12
    assert np.all(res.errors <= good_feature_error_bound(eps, tau, s) + 1e-12)
    assert np.all(res.queries == d)


def test_good_feature_probe_needs_basis_actions():
    inst = random_sparse_instance(30, 4, 1, 0.1, seed=0)
    with pytest.raises(ValueError, match="coordinate"):
        good_feature_probe(inst, 1, seeds(1))


def test_exhaustive_is_exact_when_noiseless_and_counts_queries():
    inst = random_sparse_instance(50, 4, 1, 0.1, seed=5)
    res = exhaustive(inst, seeds(3))
    assert np.all(res.errors == 0) and np.all(res.queries == 50)
    noisy = exhaustive(inst.with_sigma(0.1), seeds(3), eps_stat=0.05)
    assert np.all(noisy.queries == 50 * noisy.info["m"])


@pytest.mark.parametrize("call, match", [
    (lambda: g_optimal_design(np.ones((4, 2)) / 2), "span"),
    (lambda: g_optimal_design(np.eye(3), tol=0), "tol"),
    (lambda: design_ls(separation_instance(4, 0.1), seeds(1), design=np.ones(3)), "design"),
    (lambda: design_ls(separation_instance(4, 0.1), seeds(1), design=np.full(5, 0.3)), "design"),
    (lambda: design_ls(separation_instance(4, 0.1), seeds(1), n=0), "n"),
    (lambda: design_ls(separation_instance(4, 0.1), seeds(1), p=0.0), "p"),
    (lambda: good_feature_probe(separation_instance(4, 0.1), 5, seeds(1)), "s"),
])
def test_design_and_probe_refuse_bad_arguments(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


def test_design_g_matches_the_explicit_quadratic_forms():
    phi = random_sparse_instance(40, 3, 1, 0.0, seed=9).features
    w = np.random.default_rng(0).dirichlet(np.ones(40))
    V = (phi.T * w) @ phi
    assert design_g(phi, w) == pytest.approx(max(x @ np.linalg.inv(V) @ x for x in phi), rel=1e-10)
    assert isinstance(g_optimal_design(phi), Design)


def test_linear_instance_round_trip_with_sigma():
    inst = linear_instance(np.eye(2), [0.1, 0.0], [0.1, 0.0], 0.0).with_sigma(0.2)
    assert inst.sigma == 0.2 and inst.params["sigma"] == 0.2
