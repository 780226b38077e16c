"""DAGMA-linear: the log-det acyclicity function and its gradient, and recovery of small DAGs."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from theorylab.bandits.causal.dagma import dagma_h, fit_dagma

FAST = {"warm_iter": 3000, "max_iter": 6000, "lr": 3e-3}


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 6), st.sampled_from([1.0, 0.8, 0.6]))
def test_h_gradient_matches_finite_differences(seed, d, s):
    rng = np.random.default_rng(seed)
    W = rng.normal(size=(d, d)) * 0.3 / np.sqrt(d)          # small: s I - W o W stays an M-matrix
    h, g = dagma_h(W, s)
    fd = np.zeros_like(W)
    for idx in np.ndindex(W.shape):
        E = np.zeros_like(W)
        E[idx] = 1e-6
        fd[idx] = (dagma_h(W + E, s)[0] - dagma_h(W - E, s)[0]) / 2e-6
    assert np.allclose(g, fd, atol=1e-7)
    assert h >= -1e-12


def test_h_is_zero_exactly_on_dags():
    dag = np.triu(np.full((4, 4), 0.9), 1)
    assert abs(dagma_h(dag)[0]) < 1e-12 and abs(dagma_h(dag, 0.7)[0]) < 1e-12
    cyc = dag.copy()
    cyc[3, 0] = 0.3
    assert dagma_h(cyc)[0] > 1e-4
    with pytest.raises(ValueError, match="domain"):
        dagma_h(np.array([[0.0, 2.0], [2.0, 0.0]]))


def _sample(B, n, rng):
    d = B.shape[0]
    X = np.zeros((n, d))
    for j in range(d):                                         # B strictly upper triangular: index order
        X[:, j] = X @ B[:, j] + rng.standard_normal(n)
    return X


@pytest.mark.parametrize("B", [
    np.array([[0, 1.2, 0, 0], [0, 0, -0.9, 0], [0, 0, 0, 1.1], [0, 0, 0, 0]]),     # chain 0 -> 1 -> 2 -> 3
    np.array([[0, 1.0, -1.3, 0], [0, 0, 0, 0.8], [0, 0, 0, 0], [0, 0, 0, 0]]),     # fork 0 -> {1, 2}, 1 -> 3
], ids=["chain", "fork"])
def test_recovers_small_dags_from_enough_samples(B):
    X = _sample(B, 2000, np.random.default_rng(7))
    W = fit_dagma(X, **FAST)
    assert np.array_equal(W != 0, B != 0)
    assert np.allclose(W[B != 0], B[B != 0], atol=0.15)


def test_validation():
    X = np.random.default_rng(0).normal(size=(10, 3))
    with pytest.raises(ValueError, match="unknown DAGMA"):
        fit_dagma(X, lambda2=1.0)
    with pytest.raises(ValueError, match="X needs"):
        fit_dagma(X[:1])
    with pytest.raises(ValueError, match="s must"):
        fit_dagma(X, s=[])
