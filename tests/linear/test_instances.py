"""Instances of the linear topic meet the assumptions their theorems use (docs/topics/linear.md; property 11)."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from theorylab.bandits.linear.instances import (adversarial_design_instance, jl_dimension, jl_needle,
                                                linear_instance, max_coherence, random_sparse_instance,
                                                reed_solomon_needle, reed_solomon_supports, separation_instance)


@settings(max_examples=40, deadline=None)
@given(K=st.integers(2, 200), d=st.integers(1, 10), data=st.data(), eps=st.floats(0.0, 0.3),
       kind=st.sampled_from(["uniform", "trap", "sign"]), seed=st.integers(0, 2**31 - 1))
def test_property_random_instance_is_s_sparse_unit_norm_with_misspecification_exactly_eps(K, d, data, eps, kind, seed):
    s = data.draw(st.integers(1, d))
    inst = random_sparse_instance(K, d, s, eps, kind=kind, seed=seed)
    assert inst.sparsity == s
    assert np.all(np.linalg.norm(inst.features, axis=1) <= 1 + 1e-12)
    assert 0.2 - 1e-12 <= np.linalg.norm(inst.theta) <= 1 + 1e-12
    assert abs(np.abs(inst.misspecification).max() - eps) <= 1e-12


def test_trap_instance_makes_the_linear_best_action_not_the_true_best():
    inst = random_sparse_instance(100, 5, 2, 0.1, kind="trap", seed=3)
    lin_best = int(np.argmax(inst.features @ inst.theta))
    assert inst.misspecification[lin_best] == pytest.approx(-0.1)


@pytest.mark.parametrize("q, s, r", [(2, 2, 1), (3, 3, 1), (5, 4, 1), (5, 3, 2), (7, 2, 0), (7, 3, 2)])
def test_property_reed_solomon_supports_overlap_at_most_r(q, s, r):
    inst = reed_solomon_needle(q, s, r, needle=q ** (r + 1) - 1, delta=0.6)
    sup = reed_solomon_supports(q, s, r)
    m = q ** (r + 1)
    assert inst.K == m and inst.d == s * q
    assert all(len(set(row)) == s for row in sup)
    overlaps = [len(set(a) & set(b)) for a, b in itertools.combinations(sup.tolist(), 2)]
    assert max(overlaps) <= r and (r == 0 or max(overlaps) == r)
    assert np.allclose(np.linalg.norm(inst.features, axis=1), 1.0)
    assert inst.sparsity == s
    eta = np.abs(inst.misspecification)
    assert eta.max() <= 0.6 * r / s + 1e-12 and eta[inst.needle] <= 1e-12
    assert inst.rewards.argmax() == inst.needle and inst.rewards.sum() == pytest.approx(0.6)


def test_separation_instance_matches_its_definition():
    d, eps = 10, 0.05
    inst = separation_instance(d, eps)
    alpha = eps * math.sqrt(d - 1) / 2
    assert inst.K == d + 1 and inst.theta[0] == pytest.approx(alpha)
    assert np.allclose(np.abs(inst.misspecification), eps)
    assert inst.rewards[0] == pytest.approx(alpha - eps) and np.allclose(inst.rewards[1:], -eps)
    assert np.linalg.norm(inst.features[-1]) == pytest.approx(1.0)


@pytest.mark.parametrize("m, gamma, pad", [(10, 0.5, 0), (50, 0.6, 5), (200, 0.7, 0)])
def test_jl_needle_is_gamma_coherent_and_eps_is_delta_gamma(m, gamma, pad):
    k = jl_dimension(m, gamma)
    inst = jl_needle(m, gamma, needle=m // 2, delta=0.5, d=k + pad, seed=1)
    v = inst.features[:, :k]
    assert max_coherence(v) <= gamma
    assert np.all(inst.features[:, k:] == 0) and inst.sparsity <= k
    assert inst.eps == pytest.approx(0.5 * gamma)
    assert np.abs(inst.misspecification).max() <= inst.eps + 1e-12


def test_adversarial_design_instance_puts_plus_eps_on_the_probe_and_minus_eps_signs_on_the_support():
    rng = np.random.default_rng(0)
    phi = rng.normal(size=(6, 3))
    phi /= np.linalg.norm(phi, axis=1, keepdims=True)
    w = np.array([0.3, 0.3, 0.4, 0, 0, 0])
    inst = adversarial_design_instance(phi, [0.2, 0, 0], 0.05, w, probe=4)
    eta = inst.misspecification
    coef = phi @ np.linalg.solve((phi.T * w) @ phi, phi[4])
    assert eta[4] == pytest.approx(0.05) and np.allclose(eta[3], 0) and np.allclose(eta[5], 0)
    assert np.allclose(eta[:3], -0.05 * np.sign(coef[:3]))


@pytest.mark.parametrize("call, match", [
    (lambda: linear_instance([[2.0, 0.0]], [0.0], [0.0, 0.0], 0.1), "features"),
    (lambda: linear_instance([[1.0, 0.0]], [0.0, 1.0], [0.0, 0.0], 0.1), "rewards"),
    (lambda: linear_instance([[1.0, 0.0]], [0.0], [2.0, 0.0], 2.0), "theta"),
    (lambda: linear_instance([[1.0, 0.0]], [0.5], [0.0, 0.0], 0.1), "eps"),
    (lambda: linear_instance([[1.0, 0.0]], [0.0], [0.0, 0.0], -0.1), "eps"),
    (lambda: linear_instance([[1.0, 0.0]], [0.0], [0.0, 0.0], 0.1, sigma=-1), "sigma"),
    (lambda: linear_instance([[1.0, 0.0]], [0.0], [0.0, 0.0], 0.1, needle=3), "needle"),
    (lambda: linear_instance([[np.nan, 0.0]], [0.0], [0.0, 0.0], 0.1), "features"),
    (lambda: random_sparse_instance(1, 3, 1, 0.1), "K"),
    (lambda: random_sparse_instance(10, 3, 4, 0.1), "s"),
    (lambda: random_sparse_instance(10, 3, 1, 0.1, kind="bad"), "kind"),
    (lambda: random_sparse_instance(10, 3, 1, 1.5), "eps"),
    (lambda: random_sparse_instance(3, 3, 1, 0.1, basis_scale=1.0), "basis_scale"),
    (lambda: random_sparse_instance(10, 3, 1, 0.1, seed=-1), "seed"),
    (lambda: random_sparse_instance(10.5, 3, 1, 0.1), "K"),
    (lambda: reed_solomon_needle(4, 2, 1, 0, 0.5), "q"),
    (lambda: reed_solomon_needle(3, 4, 1, 0, 0.5), "s"),
    (lambda: reed_solomon_needle(5, 2, 2, 0, 0.5), "r"),
    (lambda: reed_solomon_needle(5, 2, 1, 25, 0.5), "needle"),
    (lambda: reed_solomon_needle(5, 2, 1, 0, 1.5), "delta"),
    (lambda: separation_instance(1, 0.1), "d"),
    (lambda: separation_instance(10, 1.0), "eps"),
    (lambda: jl_needle(1, 0.5, 0, 0.5), "m"),
    (lambda: jl_needle(10, 1.5, 0, 0.5), "gamma"),
    (lambda: jl_needle(10, 0.5, 0, 0.5, k=10, d=5), "d"),
    (lambda: jl_needle(200, 0.1, 0, 0.5, k=3, max_tries=2), "k"),
    (lambda: adversarial_design_instance(np.eye(2), [0, 0], 0.1, [0.5, 0.4], 0), "weights"),
    (lambda: adversarial_design_instance(np.eye(2), [0, 0], 0.1, [1.0, 0.0], 0), "weights"),
    (lambda: adversarial_design_instance(np.eye(2), [0, 0], 0.1, [0.5, 0.5], 2), "probe"),
])
def test_invalid_arguments_are_refused_naming_the_parameter(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
