"""The fused dense ops (affine, affine_relu) and the faster backward/SGD paths against their references."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from theorylab.nn import MLP, SGD, Tensor, mse_loss

from .test_autodiff import numeric_grad

C = np.arange(10.0).reshape(5, 2) / 9 - 0.4


@pytest.mark.parametrize("relu", [False, True])
@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**31 - 1))
def test_dense_gradients_match_finite_differences_in_every_operand(relu, seed):
    rng = np.random.default_rng(seed)
    arrays = [rng.normal(size=(5, 3)), rng.normal(size=(3, 2)), rng.normal(size=(1, 2))]
    if relu:     # keep pre-activations away from the kink, where finite differences see half the slope
        z = arrays[0] @ arrays[1] + arrays[2]
        arrays[2] = arrays[2] + np.where(np.abs(z) < 1e-3, 0.01, 0.0).max(axis=0, keepdims=True)

    def f(*ts):
        out = ts[0].affine_relu(ts[1], ts[2]) if relu else ts[0].affine(ts[1], ts[2])
        return (out * C).sum()

    ts = [Tensor(a.copy(), requires_grad=True) for a in arrays]
    f(*ts).backward()
    for i, a in enumerate(arrays):
        def fi(v, i=i):
            args = [Tensor(b) for b in arrays]
            args[i] = Tensor(v)
            return float(f(*args).data)
        np.testing.assert_allclose(ts[i].grad, numeric_grad(fi, a.copy()), rtol=1e-5, atol=1e-6)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**31 - 1))
def test_fused_relu_equals_the_unfused_graph(seed):
    rng = np.random.default_rng(seed)
    x, w, b = rng.normal(size=(6, 4)), rng.normal(size=(4, 3)), rng.normal(size=(1, 3))
    fused = [Tensor(a.copy(), requires_grad=True) for a in (x, w, b)]
    plain = [Tensor(a.copy(), requires_grad=True) for a in (x, w, b)]
    out_f = fused[0].affine_relu(fused[1], fused[2])
    out_p = (plain[0] @ plain[1] + plain[2]).relu()
    np.testing.assert_array_equal(out_f.data, out_p.data)
    (out_f * out_f).sum().backward()
    (out_p * out_p).sum().backward()
    for a, c in zip(fused, plain):
        np.testing.assert_allclose(a.grad, c.grad, rtol=1e-12, atol=1e-14)


def test_mlp_sgd_step_equals_the_hand_written_numpy_step():
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=(16, 5)), rng.normal(size=(16, 1))
    net = MLP((5, 7, 1), seed=4)
    W1, b1, W2, b2 = (p.data.copy() for p in net.parameters())
    opt = SGD(net.parameters(), lr=0.1)
    for _ in range(3):
        opt.zero_grad()
        mse_loss(net(x), y).backward()
        opt.step()
        z = x @ W1 + b1
        h = np.maximum(z, 0.0)
        g = 2.0 * (h @ W2 + b2 - y) / y.size
        gz = (g @ W2.T) * (z > 0)
        W2, b2 = W2 - 0.1 * h.T @ g, b2 - 0.1 * g.sum(axis=0, keepdims=True)
        W1, b1 = W1 - 0.1 * x.T @ gz, b1 - 0.1 * gz.sum(axis=0, keepdims=True)
    for p, ref in zip(net.parameters(), (W1, b1, W2, b2)):
        np.testing.assert_allclose(p.data, ref, rtol=1e-12, atol=1e-14)


def test_shared_subgraph_gradients_accumulate():
    # a node used twice (diamond) gets the sum of both paths' gradients
    x = Tensor(np.array([[1.0, -2.0]]), requires_grad=True)
    w = Tensor(np.array([[0.5], [0.25]]), requires_grad=True)
    h = x.affine(w, Tensor(np.zeros((1, 1))))
    (h * h + h * 3.0).sum().backward()
    hv = float(h.data[0, 0])
    np.testing.assert_allclose(w.grad, (2 * hv + 3.0) * x.data.T)
    np.testing.assert_allclose(x.grad, (2 * hv + 3.0) * w.data.T)
