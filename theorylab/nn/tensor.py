"""A small reverse-mode automatic differentiation engine on numpy arrays.

:class:`Tensor` wraps an array, records the operation that produced it, and :meth:`Tensor.backward`
propagates gradients through the recorded graph in reverse topological order. Broadcasting in
elementwise operations is undone in the backward pass by summing over broadcast axes.
"""

from __future__ import annotations

import numpy as np

__all__ = ["Tensor", "as_tensor"]


def _unbroadcast(grad: np.ndarray, shape: tuple) -> np.ndarray:
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


class Tensor:
    """An array with a gradient and the recipe to propagate it.

    Parameters
    ----------
    data : array_like
    requires_grad : bool
        Whether gradients are accumulated into ``.grad``.

    Examples
    --------
    >>> x = Tensor([1.0, 2.0], requires_grad=True)
    >>> ((x * x).sum()).backward()
    >>> x.grad.tolist()
    [2.0, 4.0]
    """

    __array_priority__ = 100

    def __init__(self, data, requires_grad: bool = False, _parents: tuple = (), _backward=None):
        self.data = np.asarray(data, dtype=float)
        self.requires_grad = bool(requires_grad)
        self.grad: np.ndarray | None = None
        self._parents = _parents
        self._backward = _backward

    # construction helpers
    @property
    def shape(self) -> tuple:
        return self.data.shape

    def __repr__(self) -> str:
        return f"Tensor({self.data!r}, requires_grad={self.requires_grad})"

    def _make(self, data, parents, backward) -> "Tensor":
        needs = any(p.requires_grad for p in parents)
        return Tensor(data, needs, parents if needs else (), backward if needs else None)

    # elementwise arithmetic
    def __add__(self, other):
        other = as_tensor(other)
        out = self._make(self.data + other.data, (self, other), None)
        out._backward = lambda g: (_unbroadcast(g, self.shape), _unbroadcast(g, other.shape))
        return out

    __radd__ = __add__

    def __neg__(self):
        out = self._make(-self.data, (self,), None)
        out._backward = lambda g: (-g,)
        return out

    def __sub__(self, other):
        return self + (-as_tensor(other))

    def __rsub__(self, other):
        return as_tensor(other) + (-self)

    def __mul__(self, other):
        other = as_tensor(other)
        out = self._make(self.data * other.data, (self, other), None)
        out._backward = lambda g: (_unbroadcast(g * other.data, self.shape), _unbroadcast(g * self.data, other.shape))
        return out

    __rmul__ = __mul__

    def __truediv__(self, other):
        other = as_tensor(other)
        return self * other ** -1.0

    def __rtruediv__(self, other):
        return as_tensor(other) * self ** -1.0

    def __pow__(self, exponent: float):
        if isinstance(exponent, Tensor):
            raise TypeError("exponent must be a number, not a Tensor")
        out = self._make(self.data**exponent, (self,), None)
        out._backward = lambda g: (g * exponent * self.data ** (exponent - 1),)
        return out

    def __matmul__(self, other):
        other = as_tensor(other)
        if self.data.ndim != 2 or other.data.ndim != 2:
            raise ValueError(f"matmul needs 2-d operands, got shapes {self.shape} and {other.shape}")
        out = self._make(self.data @ other.data, (self, other), None)
        out._backward = lambda g: (g @ other.data.T, self.data.T @ g)
        return out

    def affine(self, weight: "Tensor", bias: "Tensor") -> "Tensor":
        """``self @ weight + bias`` as one graph node (bias of shape (1, n_out)); what :class:`Linear` uses.

        Same value and gradients as the three-node expression, with less Python per step.

        Examples
        --------
        >>> x = Tensor([[1.0, 2.0]])
        >>> w = Tensor([[1.0], [-1.0]], requires_grad=True)
        >>> b = Tensor([[0.5]], requires_grad=True)
        >>> out = x.affine(w, b); out.sum().backward()
        >>> out.data.tolist(), w.grad.tolist(), b.grad.tolist()
        ([[-0.5]], [[1.0], [2.0]], [[1.0]])
        """
        return self._dense(weight, bias, False)

    def affine_relu(self, weight: "Tensor", bias: "Tensor") -> "Tensor":
        """``relu(self @ weight + bias)`` as one fused graph node (what :class:`MLP` uses for ReLU layers).

        Same value and gradients as ``self.affine(weight, bias).relu()`` (derivative 0 at the kink), with
        one node, one temporary and one mask fewer.

        Examples
        --------
        >>> x = Tensor([[1.0, 2.0]])
        >>> w = Tensor([[1.0, 1.0], [-1.0, 1.0]], requires_grad=True)
        >>> b = Tensor([[0.0, 0.0]], requires_grad=True)
        >>> out = x.affine_relu(w, b); out.sum().backward()
        >>> out.data.tolist(), w.grad.tolist()
        ([[0.0, 3.0]], [[0.0, 1.0], [0.0, 2.0]])
        """
        return self._dense(weight, bias, True)

    def _dense(self, weight: "Tensor", bias: "Tensor", relu: bool) -> "Tensor":
        if self.data.ndim != 2 or weight.data.ndim != 2:
            raise ValueError(f"affine needs 2-d operands, got shapes {self.shape} and {weight.shape}")
        x, w = self, weight
        z = x.data @ w.data
        z += bias.data                                  # in place: one temporary for the whole layer
        if relu:
            np.maximum(z, 0.0, out=z)
        out = Tensor.__new__(Tensor)                    # z is float64 already: skip the asarray of __init__
        out.data, out.grad = z, None
        needs = x.requires_grad or w.requires_grad or bias.requires_grad
        out.requires_grad = needs
        if not needs:
            out._parents, out._backward = (), None
            return out
        out._parents = (x, w, bias)
        bias_rows = bias.data.shape[0] == 1 and z.shape[0] != 1

        def back(g):
            if relu:
                g = g * (z > 0)
            gb = g.sum(axis=0, keepdims=True) if bias_rows else _unbroadcast(g, bias.shape)
            return (g @ w.data.T if x.requires_grad else None, x.data.T @ g if w.requires_grad else None, gb)

        out._backward = back
        return out

    # unary functions
    def exp(self):
        e = np.exp(self.data)
        out = self._make(e, (self,), None)
        out._backward = lambda g: (g * e,)
        return out

    def log(self):
        out = self._make(np.log(self.data), (self,), None)
        out._backward = lambda g: (g / self.data,)
        return out

    def tanh(self):
        t = np.tanh(self.data)
        out = self._make(t, (self,), None)
        out._backward = lambda g: (g * (1 - t * t),)
        return out

    def relu(self):
        mask = self.data > 0
        out = self._make(self.data * mask, (self,), None)
        out._backward = lambda g: (g * mask,)
        return out

    def sigmoid(self):
        s = 0.5 * (1 + np.tanh(0.5 * self.data))
        out = self._make(s, (self,), None)
        out._backward = lambda g: (g * s * (1 - s),)
        return out

    # reductions
    def sum(self, axis=None, keepdims: bool = False):
        out = self._make(self.data.sum(axis=axis, keepdims=keepdims), (self,), None)

        def back(g):
            g = np.asarray(g)
            if axis is not None and not keepdims:
                g = np.expand_dims(g, axis)
            return (np.broadcast_to(g, self.shape).copy(),)

        out._backward = back
        return out

    def mean(self, axis=None, keepdims: bool = False):
        n = self.data.size if axis is None else self.data.shape[axis]
        return self.sum(axis=axis, keepdims=keepdims) * (1.0 / n)

    def log_softmax(self, axis: int = -1):
        """log softmax along ``axis``, computed stably."""
        shifted = self.data - self.data.max(axis=axis, keepdims=True)
        logz = np.log(np.exp(shifted).sum(axis=axis, keepdims=True))
        value = shifted - logz
        soft = np.exp(value)
        out = self._make(value, (self,), None)
        out._backward = lambda g: (g - soft * g.sum(axis=axis, keepdims=True),)
        return out

    # backward pass
    def backward(self, grad=None) -> None:
        """Accumulate d(self)/d(leaf) into every leaf's ``.grad`` (``grad`` defaults to 1 for scalars)."""
        if grad is None:
            if self.data.size != 1:
                raise ValueError(f"backward() without a gradient needs a scalar, got shape {self.shape}")
            grad = np.ones_like(self.data)
        # iterative post-order over the nodes that need a gradient (constants have no recorded parents
        # and receive none, so they are skipped)
        order, seen = [], {id(self)}
        stack = [(self, iter(self._parents))]
        while stack:
            node, parents = stack[-1]
            for p in parents:
                if p.requires_grad and id(p) not in seen:
                    seen.add(id(p))
                    stack.append((p, iter(p._parents)))
                    break
            else:
                stack.pop()
                order.append(node)
        grads = {id(self): np.asarray(grad, dtype=float)}
        for node in reversed(order):
            g = grads.pop(id(node), None)
            if g is None:
                continue
            if not node._parents:
                if node.requires_grad:
                    node.grad = g if node.grad is None else node.grad + g
                continue
            for parent, pg in zip(node._parents, node._backward(g)):
                if parent.requires_grad:
                    key = id(parent)
                    grads[key] = pg if key not in grads else grads[key] + pg


def as_tensor(x) -> Tensor:
    """``x`` if it is a Tensor, else a constant Tensor.

    Parameters
    ----------
    x : Tensor or array_like
        A Tensor (returned unchanged, same object) or anything ``numpy.asarray(x, dtype=float)`` accepts.

    Returns
    -------
    Tensor
        ``x`` itself, or a new float Tensor with ``requires_grad=False`` and no parents.
    """
    return x if isinstance(x, Tensor) else Tensor(x)
