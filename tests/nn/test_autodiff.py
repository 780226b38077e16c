"""Gradients of theorylab.nn against central finite differences, and training sanity checks."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from theorylab.nn import MLP, SGD, Adam, Tensor, cross_entropy, mse_loss


def numeric_grad(f, x, h=1e-6):
    g = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        up = f(x)
        x[idx] = old - h
        down = f(x)
        x[idx] = old
        g[idx] = (up - down) / (2 * h)
    return g


EXPRESSIONS = {
    "poly": lambda t: ((t * t + 3.0 * t) / (t * t + 1.0)).sum(),
    "exp_log": lambda t: ((t * t + 1.0).log() + (0.3 * t).exp()).mean(),
    "tanh_sigmoid": lambda t: (t.tanh() * t.sigmoid()).sum(),
    "matmul": lambda t: ((t @ t.__class__(np.arange(12.0).reshape(3, 4) / 10)).relu() ** 2).sum(),
    "broadcast": lambda t: (t + t.sum(axis=0, keepdims=True) * t.mean(axis=1, keepdims=True)).sum(),
    "log_softmax": lambda t: (t.log_softmax(axis=1) * t.__class__(np.arange(12.0).reshape(4, 3))).sum(),
}


@pytest.mark.parametrize("name", sorted(EXPRESSIONS))
@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10**6))
def test_gradient_matches_finite_differences(name, seed):
    x0 = np.random.default_rng(seed).normal(size=(4, 3))
    f = EXPRESSIONS[name]
    t = Tensor(x0.copy(), requires_grad=True)
    f(t).backward()
    num = numeric_grad(lambda x: float(f(Tensor(x)).data), x0.copy())
    np.testing.assert_allclose(t.grad, num, rtol=1e-5, atol=1e-6)


def test_mlp_loss_gradients_match_finite_differences():
    net = MLP((3, 5, 2), activation="tanh", seed=1)
    x = np.random.default_rng(0).normal(size=(6, 3))
    y = np.array([0, 1, 1, 0, 1, 0])
    loss = cross_entropy(net(x), y)
    loss.backward()
    for p in net.parameters():
        def f(v, p=p):
            saved = p.data.copy()
            p.data[...] = v
            out = float(cross_entropy(net(x), y).data)
            p.data[...] = saved
            return out
        np.testing.assert_allclose(p.grad, numeric_grad(f, p.data.copy()), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("optimiser", [lambda ps: SGD(ps, lr=0.05, momentum=0.9), lambda ps: Adam(ps, lr=0.02)])
def test_training_fits_a_smooth_regression(optimiser):
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (128, 2))
    y = (np.sin(2 * x[:, :1]) + x[:, 1:] ** 2)
    net = MLP((2, 32, 1), seed=0)
    opt = optimiser(net.parameters())
    first = float(mse_loss(net(x), y).data)
    for _ in range(400):
        opt.zero_grad()
        loss = mse_loss(net(x), y)
        loss.backward()
        opt.step()
    assert float(loss.data) < 0.1 * first


@pytest.mark.parametrize("call, match", [
    (lambda: MLP((3,)), "sizes"),
    (lambda: MLP((3, 0, 1)), "sizes"),
    (lambda: MLP((3, 2), activation="gelu"), "activation"),
    (lambda: MLP((3, 2))(np.zeros((2, 4))), "input must have shape"),
    (lambda: cross_entropy(Tensor(np.zeros((2, 3))), [0, 3]), "labels"),
    (lambda: mse_loss(Tensor(np.zeros((2, 1))), np.zeros(3)), "target"),
    (lambda: Adam([], lr=-1), "lr"),
    (lambda: Tensor([1.0, 2.0], requires_grad=True).backward(), "scalar"),
])
def test_invalid_inputs_are_refused(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
