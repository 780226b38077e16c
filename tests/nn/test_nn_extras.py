"""theorylab.nn: every op against finite differences, per-sample gradients, weight decay, save/load."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from theorylab.nn import (MLP, SGD, Adam, Tensor, cross_entropy, load_parameters, mse_loss, n_parameters,
                          per_sample_gradients, save_parameters)

from .test_autodiff import numeric_grad

C = np.arange(12.0).reshape(4, 3) / 7 - 0.5          # a fixed (4, 3) constant
ROW = np.array([[0.3, -0.2, 0.5]])                  # broadcast along the batch axis

#: One entry per op of Tensor and per loss; each maps a (4, 3) tensor to a scalar through that op.
OPS = {
    "add": lambda t: (t + C).sum(), "add_broadcast": lambda t: ((t + ROW) * C).sum(),
    "radd": lambda t: ((2.0 + t) * C).sum(), "sub": lambda t: ((t - ROW) * C).sum(),
    "rsub": lambda t: ((1.0 - t) * C).sum(), "neg": lambda t: ((-t) * C).sum(),
    "mul": lambda t: (t * t * C).sum(), "rmul": lambda t: (3.0 * t * C).sum(),
    "truediv": lambda t: (t / (t * t + 2.0)).sum(), "rtruediv": lambda t: (1.0 / (t * t + 1.0)).sum(),
    "pow": lambda t: ((t * t + 1.0) ** 1.5).sum(), "matmul": lambda t: ((t @ Tensor(C.T)) * Tensor(np.eye(4))).sum(),
    "rmatmul": lambda t: (Tensor(C.T) @ t).sum() * 0.5, "exp": lambda t: (t.exp() * C).sum(),
    "log": lambda t: ((t * t + 0.5).log() * C).sum(), "tanh": lambda t: (t.tanh() * C).sum(),
    "relu": lambda t: (t.relu() * C).sum(), "sigmoid": lambda t: (t.sigmoid() * C).sum(),
    "sum_all": lambda t: (t * t).sum(), "sum_axis0": lambda t: (t.sum(axis=0) * t.sum(axis=0)).sum(),
    "sum_axis1_keep": lambda t: (t.sum(axis=1, keepdims=True) * t).sum(), "mean_all": lambda t: (t * t).mean(),
    "mean_axis1": lambda t: (t.mean(axis=1) ** 2).sum(), "log_softmax": lambda t: (t.log_softmax(axis=1) * C).sum(),
    "mse_loss": lambda t: mse_loss(t, C), "cross_entropy": lambda t: cross_entropy(t, np.array([0, 2, 1, 2])),
}


@pytest.mark.parametrize("name", sorted(OPS))
@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**31 - 1))
def test_every_op_matches_finite_differences(name, seed):
    x0 = np.random.default_rng(seed).normal(size=(4, 3))
    if name == "relu":
        x0 = np.where(np.abs(x0) < 1e-3, 0.5, x0)     # away from the kink
    f = OPS[name]
    t = Tensor(x0.copy(), requires_grad=True)
    f(t).backward()
    num = numeric_grad(lambda x: float(f(Tensor(x)).data), x0.copy())
    np.testing.assert_allclose(t.grad, num, rtol=1e-5, atol=1e-6)


def _loop_gradients(net, x, output):
    rows = []
    for xi in x:
        for p in net.parameters():
            p.grad = None
        (net(xi[None, :]) * _onehot(net, output)).sum().backward()
        rows.append(np.concatenate([p.grad.ravel() for p in net.parameters()]))
    return np.array(rows)


def _onehot(net, output):
    e = np.zeros((1, net.layers[-1].weight.shape[1]))
    e[0, output] = 1.0
    return e


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), activation=st.sampled_from(["relu", "tanh"]),
       sizes=st.sampled_from([(3, 5, 1), (2, 4, 3, 2), (4, 1)]), n=st.integers(1, 6))
def test_per_sample_gradients_match_backward_and_finite_differences(seed, activation, sizes, n):
    net = MLP(sizes, activation=activation, seed=seed % 1000)
    x = np.random.default_rng(seed).normal(size=(n, sizes[0]))
    out = sizes[-1] - 1
    got = per_sample_gradients(net, x, output=out)
    assert got.shape == (n, n_parameters(net))
    np.testing.assert_allclose(got, _loop_gradients(net, x, out), rtol=1e-10, atol=1e-12)
    # finite differences of f_out(x_0) in every parameter; ReLU has no derivative at 0, so the comparison is
    # made only where no hidden pre-activation of x_0 lies within 1e-4 of the kink (zero biases at
    # initialisation put a layer exactly at 0 when the layer before it is dead: then a central difference
    # sees half the slope and any backward convention disagrees with it)
    params = net.parameters()
    if activation == "relu":
        h = x[:1]
        for w, b in zip(params[0:-2:2], params[1:-2:2]):
            z = h @ w.data + b.data
            if np.min(np.abs(z)) < 1e-4:
                return
            h = np.maximum(z, 0.0)
    flat = []
    for p in params:
        def f(v, p=p):
            saved = p.data.copy()
            p.data[...] = v
            val = float(net(x[:1]).data[0, out])
            p.data[...] = saved
            return val
        flat.append(numeric_grad(f, p.data.copy()).ravel())
    np.testing.assert_allclose(got[0], np.concatenate(flat), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(net.per_sample_gradients(x, out), got)


def test_sgd_weight_decay_is_the_gradient_of_the_l2_penalty():
    net = MLP((3, 4, 1), seed=2)
    x = np.random.default_rng(0).normal(size=(8, 3))
    y = np.zeros((8, 1))
    lam, lr = 0.1, 0.05
    before = [p.data.copy() for p in net.parameters()]
    opt = SGD(net.parameters(), lr=lr, weight_decay=lam)
    opt.zero_grad()
    loss = mse_loss(net(x), y)
    loss.backward()
    grads = [p.grad.copy() for p in net.parameters()]
    opt.step()
    for p, w, g in zip(net.parameters(), before, grads):
        np.testing.assert_allclose(p.data, w - lr * (g + lam * w), rtol=1e-12)
    # the same update is plain SGD on loss + lam/2 ||w||^2 (finite-difference check of the penalty gradient)
    w0 = before[0].copy()
    pen = numeric_grad(lambda v: 0.5 * lam * float((v * v).sum()), w0.copy())
    np.testing.assert_allclose(pen, lam * w0, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("decoupled", [False, True])
def test_adam_weight_decay_l2_and_decoupled(decoupled):
    w0 = np.array([[1.0, -2.0]])
    g = np.array([[0.5, 0.25]])
    lam, lr = 0.1, 0.01
    p = Tensor(w0.copy(), requires_grad=True)
    opt = Adam([p], lr=lr, weight_decay=lam, decoupled=decoupled)
    p.grad = g.copy()
    opt.step()
    gg = g if decoupled else g + lam * w0
    m, v = 0.1 * gg / (1 - 0.9), 0.001 * gg**2 / (1 - 0.999)
    expected = w0 - lr * m / (np.sqrt(v) + 1e-8)
    if decoupled:
        expected = expected - lr * lam * w0
    np.testing.assert_allclose(p.data, expected, rtol=1e-12)


def test_save_and_load_round_trip_and_refuse_other_architectures(tmp_path):
    net = MLP((3, 6, 2), seed=0)
    path = net.save(tmp_path / "net")
    assert path.suffix == ".npz" and path.exists()
    other = MLP((3, 6, 2), seed=5)
    other.load(path)
    x = np.random.default_rng(1).normal(size=(4, 3))
    np.testing.assert_array_equal(other(x).data, net(x).data)
    with pytest.raises(ValueError, match="shape"):
        MLP((3, 5, 2)).load(path)
    with pytest.raises(ValueError, match="parameters"):
        load_parameters(path, MLP((3, 2)).parameters())
    save_parameters(tmp_path / "x.npz", net.parameters())
    assert (tmp_path / "x.npz").exists()


@pytest.mark.parametrize("call, match", [
    (lambda: per_sample_gradients(MLP((3, 2)), np.zeros((2, 4))), "x"),
    (lambda: per_sample_gradients(MLP((3, 2)), np.zeros((2, 3)), output=2), "output"),
    (lambda: SGD([], weight_decay=-1.0), "weight_decay"),
    (lambda: Adam([], weight_decay=-1.0), "weight_decay"),
])
def test_invalid_inputs_are_refused(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
