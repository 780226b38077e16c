"""Per-sample gradients of an MLP's output with respect to all its parameters (what NeuralUCB needs).

For an :class:`theorylab.nn.layers.MLP` f(x; theta) and a batch x of n inputs, :func:`per_sample_gradients`
returns the n x P matrix whose row i is the gradient of output ``output`` of f at x_i with respect to every
parameter, flattened in ``mlp.parameters()`` order (each weight matrix row-major, then its bias). It is one
vectorised forward and backward pass (no Python per sample): with h_l the input of layer l and delta_l the
gradient of the output with respect to that layer's pre-activation, the rows are outer(h_l[i], delta_l[i])
for the weights and delta_l[i] for the bias (Zhou, Li & Gu 2020, NeuralUCB, use g = grad_theta f(x; theta)).
"""

from __future__ import annotations

import numpy as np

from theorylab.core.validate import check_array, check_int

__all__ = ["per_sample_gradients", "n_parameters"]


def n_parameters(mlp) -> int:
    """Total number of scalar parameters of ``mlp``.

    Parameters
    ----------
    mlp : theorylab.nn.MLP
        Any model with a ``parameters()`` method returning Tensors.

    Returns
    -------
    int
        Sum of the sizes of all parameter arrays (weights and biases), i.e. P, the column count of
        :func:`per_sample_gradients`.
    """
    return int(sum(p.data.size for p in mlp.parameters()))


def per_sample_gradients(mlp, x, output: int = 0) -> np.ndarray:
    """Row i: d f_output(x_i) / d theta, flattened in ``mlp.parameters()`` order, shape (n, P).

    Parameters
    ----------
    mlp : theorylab.nn.MLP
    x : array_like (n, n_in)
    output : int
        Index of the output unit differentiated.

    Returns
    -------
    float64 array (n, P)

    Examples
    --------
    >>> from theorylab.nn import MLP
    >>> net = MLP((3, 4, 1), seed=0)
    >>> per_sample_gradients(net, np.ones((2, 3))).shape
    (2, 21)
    """
    layers = mlp.layers
    n_in = layers[0].weight.shape[0]
    x = check_array("x", x, ndim=2)
    if x.shape[1] != n_in:
        raise ValueError(f"x must have shape (n, {n_in}), got {x.shape}")
    n_out = layers[-1].weight.shape[1]
    output = check_int("output", output, minimum=0, maximum=n_out - 1)
    inputs, pre = [], []
    h = x
    for i, layer in enumerate(layers):
        inputs.append(h)
        z = h @ layer.weight.data + layer.bias.data
        pre.append(z)
        if i < len(layers) - 1:
            h = np.maximum(z, 0.0) if mlp.activation == "relu" else np.tanh(z)
    n = x.shape[0]
    delta = np.zeros((n, n_out))
    delta[:, output] = 1.0
    blocks = [None] * len(layers)
    for i in range(len(layers) - 1, -1, -1):
        hin = inputs[i]
        gw = (hin[:, :, None] * delta[:, None, :]).reshape(n, -1)
        blocks[i] = np.concatenate([gw, delta], axis=1)
        if i > 0:
            back = delta @ layers[i].weight.data.T
            z = pre[i - 1]
            delta = back * (z > 0) if mlp.activation == "relu" else back * (1.0 - np.tanh(z) ** 2)
    return np.concatenate(blocks, axis=1)
