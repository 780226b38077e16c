"""Layers, losses and optimisers on :class:`theorylab.nn.tensor.Tensor`.

Enough for MLP reward models and policies: ``Linear``, ``MLP``, ``mse_loss``, ``cross_entropy``,
``SGD`` and ``Adam`` (Kingma & Ba 2015, Algorithm 1).
"""

from __future__ import annotations

import numpy as np

from theorylab.core.validate import check_array, check_choice, check_int, check_positive, check_real
from theorylab.nn.tensor import Tensor, as_tensor

__all__ = ["Linear", "MLP", "mse_loss", "cross_entropy", "SGD", "Adam"]


class Linear:
    """Affine map x W + b with Glorot-uniform weights.

    Parameters
    ----------
    n_in, n_out : int >= 1
    rng : numpy.random.Generator
    """

    def __init__(self, n_in: int, n_out: int, rng: np.random.Generator):
        n_in = check_int("n_in", n_in, minimum=1)
        n_out = check_int("n_out", n_out, minimum=1)
        limit = np.sqrt(6.0 / (n_in + n_out))
        self.weight = Tensor(rng.uniform(-limit, limit, (n_in, n_out)), requires_grad=True)
        self.bias = Tensor(np.zeros((1, n_out)), requires_grad=True)

    def __call__(self, x) -> Tensor:
        x = as_tensor(x)
        if x.data.ndim != 2 or x.shape[1] != self.weight.shape[0]:
            raise ValueError(f"input must have shape (batch, {self.weight.shape[0]}), got {x.shape}")
        return x.affine(self.weight, self.bias)

    def parameters(self) -> list[Tensor]:
        return [self.weight, self.bias]


class MLP:
    """Multilayer perceptron: Linear layers with an activation between them.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths including input and output, e.g. ``(4, 32, 1)``.
    activation : {"relu", "tanh"}
    seed : int
        Seed of the weight initialisation.

    Examples
    --------
    >>> net = MLP((3, 8, 2), seed=0)
    >>> net(np.zeros((5, 3))).shape
    (5, 2)
    """

    def __init__(self, sizes, activation: str = "relu", seed: int = 0):
        sizes = [check_int("sizes", s, minimum=1) for s in sizes]
        if len(sizes) < 2:
            raise ValueError(f"sizes must name at least an input and an output width, got {sizes}")
        self.activation = check_choice("activation", activation, ("relu", "tanh"))
        rng = np.random.default_rng(seed)
        self.layers = [Linear(a, b, rng) for a, b in zip(sizes[:-1], sizes[1:])]

    def __call__(self, x) -> Tensor:
        h = as_tensor(x)
        n_in = self.layers[0].weight.data.shape[0]
        if h.data.ndim != 2 or h.data.shape[1] != n_in:
            raise ValueError(f"input must have shape (batch, {n_in}), got {h.shape}")
        last = len(self.layers) - 1
        for i, layer in enumerate(self.layers):       # shapes chain by construction: checked once above
            if i < last and self.activation == "relu":
                h = h.affine_relu(layer.weight, layer.bias)      # fused Linear + ReLU, one graph node
            else:
                h = h.affine(layer.weight, layer.bias)
                if i < last:
                    h = h.tanh()
        return h

    def parameters(self) -> list[Tensor]:
        return [p for layer in self.layers for p in layer.parameters()]

    def per_sample_gradients(self, x, output: int = 0) -> np.ndarray:
        """Gradient of output ``output`` at each row of ``x`` w.r.t. all parameters, shape (n, P).

        See :func:`theorylab.nn.per_sample.per_sample_gradients`.
        """
        from theorylab.nn.per_sample import per_sample_gradients

        return per_sample_gradients(self, x, output)

    def save(self, path):
        """Write the parameters to ``path`` (.npz); see :func:`theorylab.nn.io.save_parameters`."""
        from theorylab.nn.io import save_parameters

        return save_parameters(path, self.parameters())

    def load(self, path) -> None:
        """Read parameters saved by :meth:`save` (same architecture) into this network, in place."""
        from theorylab.nn.io import load_parameters

        load_parameters(path, self.parameters())


def mse_loss(pred: Tensor, target) -> Tensor:
    """Mean squared error, mean over all entries (one graph node; the target is a constant).

    Parameters
    ----------
    pred : Tensor
    target : array_like or Tensor
        Same shape as ``pred``.

    Returns
    -------
    Tensor
        The scalar mean of (pred - target)^2.

    Examples
    --------
    >>> p = Tensor([[1.0], [3.0]], requires_grad=True)
    >>> loss = mse_loss(p, [[0.0], [1.0]]); loss.backward()
    >>> float(loss.data), p.grad.ravel().tolist()
    (2.5, [1.0, 2.0])
    """
    target = target.data if isinstance(target, Tensor) else target
    if not (type(target) is np.ndarray and target.dtype == np.float64):      # fast path for float64 arrays
        target = check_array("target", target)
    if target.shape != pred.shape:
        raise ValueError(f"target must have shape {pred.shape}, got {target.shape}")
    diff = pred.data - target
    flat = diff.ravel()
    scale = 2.0 / diff.size
    out = pred._make(np.array(flat @ flat / diff.size), (pred,), None)
    out._backward = lambda g: (diff * (scale * float(g)),)
    return out


def cross_entropy(logits: Tensor, labels) -> Tensor:
    """Mean cross-entropy of integer ``labels`` (batch,) under softmax(``logits``) (batch, classes).

    Parameters
    ----------
    logits : Tensor, shape (batch, classes)
        Unnormalised class scores; the loss is computed through ``log_softmax`` along axis 1.
    labels : array_like of int, shape (batch,)
        True class of each row, in ``[0, classes - 1]`` (``ValueError`` otherwise or on a length mismatch).

    Returns
    -------
    Tensor
        Scalar (shape ()) -1/batch sum_i log softmax(logits_i)[labels_i], differentiable w.r.t. ``logits``.
    """
    labels = check_array("labels", labels, ndim=1, dtype=np.int64)
    if logits.data.ndim != 2 or labels.size != logits.shape[0]:
        raise ValueError(f"labels must have one entry per row of logits {logits.shape}, got {labels.size}")
    if labels.min() < 0 or labels.max() >= logits.shape[1]:
        raise ValueError(f"labels must lie in [0, {logits.shape[1] - 1}]")
    onehot = np.zeros(logits.shape)
    onehot[np.arange(labels.size), labels] = 1.0
    return -(logits.log_softmax(axis=1) * onehot).sum() * (1.0 / labels.size)


class SGD:
    """Stochastic gradient descent with optional momentum and L2 weight decay.

    Update: g = grad + weight_decay * w; v = momentum v + g; w -= lr v (``weight_decay`` is the coefficient
    lambda of the penalty lambda ||w||^2 / 2, as in torch.optim.SGD). Without momentum the step is applied
    in place as w (1 - lr lambda) - lr grad (no temporaries).

    Parameters
    ----------
    params : iterable of Tensor
        Updated in place by :meth:`step` from their ``.grad``.
    lr : float > 0
    momentum : float in [0, 1)
    weight_decay : float >= 0

    Returns
    -------
    SGD
        The optimiser; :meth:`zero_grad` clears the gradients, :meth:`step` applies one update.

    Examples
    --------
    >>> w = Tensor([[1.0, -2.0]], requires_grad=True)
    >>> opt = SGD([w], lr=0.1, weight_decay=0.5)
    >>> (w * w).sum().backward(); opt.step()
    >>> w.data.tolist()      # w - 0.1 (2 w + 0.5 w)
    [[0.75, -1.5]]
    """

    def __init__(self, params, lr: float = 0.01, momentum: float = 0.0, weight_decay: float = 0.0):
        self.params = list(params)
        self.lr = check_positive("lr", lr)
        self.momentum = check_real("momentum", momentum, minimum=0.0, maximum=1.0, strict_max=True)
        self.weight_decay = check_real("weight_decay", weight_decay, minimum=0.0)
        self._v = [np.zeros_like(p.data) for p in self.params]

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None

    def step(self) -> None:
        for p, v in zip(self.params, self._v):
            if p.grad is None:
                continue
            if self.momentum == 0.0:  # same update as below with v = grad, in place through the buffer v:
                np.multiply(p.grad, self.lr, out=v)      # w (1 - lr lambda) - lr grad = w - lr (grad + lambda w)
                if self.weight_decay:
                    p.data *= 1.0 - self.lr * self.weight_decay
                p.data -= v
                continue
            v *= self.momentum
            v += p.grad
            if self.weight_decay:
                v += self.weight_decay * p.data
            p.data -= self.lr * v


class Adam:
    """Adam (Kingma & Ba 2015, Algorithm 1) with bias correction and optional weight decay.

    ``weight_decay`` adds lambda w to the gradient (L2 penalty, torch.optim.Adam); with ``decoupled=True``
    the decay is applied to the weights directly, w -= lr lambda w (AdamW, Loshchilov & Hutter 2019).

    Parameters
    ----------
    params : iterable of Tensor
        Updated in place by :meth:`step` from their ``.grad`` (parameters whose grad is None are skipped).
    lr : float > 0, default 1e-3
        Step size alpha.
    betas : tuple of two floats in [0, 1), default (0.9, 0.999)
        Decay rates (beta_1, beta_2) of the first- and second-moment averages.
    eps : float > 0, default 1e-8
        Added to sqrt(v_hat) in the denominator.
    weight_decay : float >= 0, default 0.0
        Coefficient lambda of the L2 penalty (or of the decoupled decay).
    decoupled : bool, default False
        If True, decay the weights directly (AdamW) instead of adding lambda w to the gradient.
    """

    def __init__(self, params, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8, weight_decay: float = 0.0,
                 decoupled: bool = False):
        self.params = list(params)
        self.lr = check_positive("lr", lr)
        self.b1 = check_real("betas[0]", betas[0], minimum=0.0, maximum=1.0, strict_max=True)
        self.b2 = check_real("betas[1]", betas[1], minimum=0.0, maximum=1.0, strict_max=True)
        self.eps = check_positive("eps", eps)
        self.weight_decay = check_real("weight_decay", weight_decay, minimum=0.0)
        self.decoupled = bool(decoupled)
        self.t = 0
        self._m = [np.zeros_like(p.data) for p in self.params]
        self._v = [np.zeros_like(p.data) for p in self.params]

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None

    def step(self) -> None:
        self.t += 1
        for p, m, v in zip(self.params, self._m, self._v):
            if p.grad is None:
                continue
            grad = p.grad
            if self.weight_decay and not self.decoupled:
                grad = grad + self.weight_decay * p.data
            m[:] = self.b1 * m + (1 - self.b1) * grad
            v[:] = self.b2 * v + (1 - self.b2) * grad**2
            mhat = m / (1 - self.b1**self.t)
            vhat = v / (1 - self.b2**self.t)
            if self.weight_decay and self.decoupled:
                p.data -= self.lr * self.weight_decay * p.data
            p.data -= self.lr * mhat / (np.sqrt(vhat) + self.eps)
