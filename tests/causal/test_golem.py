"""GOLEM on theorylab.nn: the ops' gradients against finite differences, the fit against scipy, post-processing."""

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from theorylab.bandits.causal.golem import (fit_golem, golem_gradient, golem_objective, golem_objective_value,
                                            golem_scipy, postprocess)
from theorylab.bandits.causal.golem_ops import abs_, dag_penalty, expm, logabsdet, trace
from theorylab.nn import Tensor


def _fd(f, A, h=1e-6):
    g = np.zeros_like(A)
    for idx in np.ndindex(A.shape):
        E = np.zeros_like(A)
        E[idx] = h
        g[idx] = (f(A + E) - f(A - E)) / (2 * h)
    return g


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 5))
def test_expm_backward_is_the_frechet_vjp(seed, d):
    rng = np.random.default_rng(seed)
    A, G = 0.5 * rng.standard_normal((d, d)), rng.standard_normal((d, d))
    t = Tensor(A, requires_grad=True)
    (expm(t) * G).sum().backward()
    from scipy.linalg import expm as sexpm
    assert np.allclose(t.grad, _fd(lambda M: np.sum(sexpm(M) * G), A), atol=1e-6)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 6))
def test_dag_penalty_gradient_is_expm_transpose_times_2b(seed, d):
    rng = np.random.default_rng(seed)
    B = 0.4 * rng.standard_normal((d, d))
    t = Tensor(B, requires_grad=True)
    h = dag_penalty(t)
    h.backward()
    from scipy.linalg import expm as sexpm
    assert np.allclose(t.grad, sexpm(B * B).T * 2 * B, atol=1e-9)
    assert np.allclose(t.grad, _fd(lambda M: np.trace(sexpm(M * M)) - d, B), atol=1e-6)
    assert float(h.data) >= -1e-12


def test_dag_penalty_is_zero_exactly_on_dags():
    dag = np.triu(np.ones((4, 4)), 1) * 1.7
    assert abs(float(dag_penalty(Tensor(dag)).data)) < 1e-12
    cyc = dag.copy()
    cyc[3, 0] = 0.5
    assert float(dag_penalty(Tensor(cyc)).data) > 1e-3


def test_small_ops():
    rng = np.random.default_rng(0)
    A = rng.standard_normal((3, 3)) + 3 * np.eye(3)
    for op, f in ((trace, np.trace), (logabsdet, lambda M: np.linalg.slogdet(M)[1]),
                  (lambda t: abs_(t).sum(), lambda M: np.abs(M).sum())):
        t = Tensor(A, requires_grad=True)
        op(t).backward()
        assert np.allclose(t.grad, _fd(f, A), atol=1e-6)
    with pytest.raises(ValueError, match="square"):
        expm(Tensor(np.zeros((2, 3))))
    with pytest.raises(ValueError, match="singular"):
        logabsdet(Tensor(np.zeros((2, 2))))


def _chain_data(seed=3, n=300):
    rng = np.random.default_rng(seed)
    x0 = rng.standard_normal(n)
    x1 = 1.5 * x0 + rng.standard_normal(n)
    x2 = -1.0 * x1 + 0.8 * x0 + rng.standard_normal(n)
    return np.c_[x0, x1, x2]


def test_objective_gradient_nn_equals_closed_form_and_finite_differences():
    X = _chain_data()
    Xc = X - X.mean(0)
    rng = np.random.default_rng(1)
    B = 0.2 * rng.standard_normal((3, 3))
    np.fill_diagonal(B, 0)
    t = Tensor(B, requires_grad=True)
    golem_objective(t, Xc, 0.0, 5.0).backward()
    fd = _fd(lambda M: golem_objective_value(M - np.diag(np.diag(M)), Xc, 0.0, 5.0), B)
    np.fill_diagonal(fd, 0)
    assert np.allclose(t.grad, fd, atol=1e-5)
    assert np.allclose(golem_gradient(B, Xc), fd, atol=1e-5)


def test_adam_fit_matches_scipy_on_a_small_graph():
    X = _chain_data()
    Xc = X - X.mean(0)
    Bs = golem_scipy(X)
    Bp, raw = fit_golem(X, iterations=500, lr=2e-2)
    assert abs(golem_objective_value(raw, Xc) - golem_objective_value(Bs, Xc)) < 1e-4
    assert np.abs(raw - Bs).max() < 1e-2
    assert np.array_equal(Bp != 0, postprocess(Bs) != 0)
    assert np.array_equal(Bp != 0, np.array([[0, 1, 1], [0, 0, 1], [0, 0, 0]], bool))


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 7))
def test_postprocessing_gives_a_dag_with_weights_above_the_threshold(seed, d):
    W = np.random.default_rng(seed).normal(size=(d, d))
    np.fill_diagonal(W, 0)
    P = postprocess(W)
    assert nx.is_directed_acyclic_graph(nx.DiGraph((P != 0).astype(int)))
    assert np.all(np.abs(P[P != 0]) > 0.3)
    assert np.all((P == 0) | (P == W))


# --- the fused engine (numba): same objective, gradient and Adam iterates as the nn definition ---------

from theorylab.bandits.causal.golem import _expm_pade13, golem_value_and_grad  # noqa: E402


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 10), st.floats(0.01, 20.0))
def test_pade13_expm_matches_scipy(seed, d, scale):
    from scipy.linalg import expm as sexpm
    A = np.random.default_rng(seed).standard_normal((d, d))
    A *= scale / max(np.abs(A).sum(axis=0).max(), 1e-12)        # 1-norm = scale: with and without squaring
    ref = sexpm(A)
    assert np.allclose(_expm_pade13(A), ref, rtol=1e-12, atol=1e-13 * np.abs(ref).max())


def test_fused_value_and_gradient_match_closed_form_and_finite_differences():
    X = _chain_data()
    Xc = X - X.mean(0)
    rng = np.random.default_rng(4)
    B = 0.3 * rng.standard_normal((3, 3))
    np.fill_diagonal(B, 0)
    v, g = golem_value_and_grad(B, X, 0.02, 5.0)
    assert np.isclose(v, golem_objective_value(B, Xc, 0.02, 5.0), rtol=1e-12)
    assert np.allclose(g, golem_gradient(B, Xc, 5.0) + 0.02 * np.sign(B) * (1 - np.eye(3)), atol=1e-10)
    fd = _fd(lambda M: golem_objective_value(M - np.diag(np.diag(M)), Xc, 0.02, 5.0), B)  # no entry at a kink
    np.fill_diagonal(fd, 0)
    assert np.allclose(g, fd, atol=1e-5)
    t = Tensor(B, requires_grad=True)
    golem_objective(t, Xc, 0.02, 5.0).backward()
    assert np.allclose(g, t.grad, rtol=1e-10, atol=1e-12)


def test_fused_adam_iterates_equal_the_nn_definition():
    """300 Adam steps at the authors' constants on a 6-node SEM sample: fused and nn agree to rtol 1e-8."""
    from theorylab.bandits.causal.instances import random_instance
    from theorylab.core.seeding import seed_sequence
    inst = random_instance(6, seed_sequence(0, "test.golem.pin"))
    X = inst.sample(np.zeros(300, dtype=np.int64), np.random.default_rng(seed_sequence(0, "test.golem.pin.x")))
    for steps in (1, 300):
        _, fused = fit_golem(X, iterations=steps, threshold=None)
        _, ref = fit_golem(X, iterations=steps, threshold=None, engine="nn")
        assert np.allclose(fused, ref, rtol=1e-8, atol=1e-12)
    assert np.abs(fused).max() > 0.1            # the iterates have moved


def test_fit_golem_validates_engine():
    with pytest.raises(ValueError, match="engine"):
        fit_golem(_chain_data(), iterations=1, engine="tf")
