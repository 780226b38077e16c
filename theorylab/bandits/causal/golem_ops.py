"""Operations on :class:`theorylab.nn.Tensor` that GOLEM needs and theorylab.nn does not have
(docs/topics/causal.md#golem).

- :func:`expm` - the matrix exponential; its backward pass is the Frechet derivative of expm at A^T
  in the direction of the upstream gradient G (for f(A) = <G, e^A>, df/dA = L_exp(A^T, G), computed by
  :func:`scipy.linalg.expm_frechet`);
- :func:`trace`, :func:`abs_`, :func:`logabsdet` - with their exact gradients (|x|: sign(x), 0 at 0);
- :func:`dag_penalty` - h(B) = tr(e^{B o B}) - d (Zheng et al. 2018, used by GOLEM), composed of the
  above, so its gradient (e^{B o B})^T o 2B comes out of the Frechet backward pass.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import expm as _expm
from scipy.linalg import expm_frechet

from theorylab.nn import Tensor, as_tensor

__all__ = ["expm", "trace", "abs_", "logabsdet", "dag_penalty"]


def _square(t: Tensor, name: str) -> Tensor:
    t = as_tensor(t)
    if t.data.ndim != 2 or t.data.shape[0] != t.data.shape[1]:
        raise ValueError(f"{name} must be a square matrix, got shape {t.shape}")
    return t


def _op(value, parents, backward) -> Tensor:
    needs = any(p.requires_grad for p in parents)
    return Tensor(value, needs, parents if needs else (), backward if needs else None)


def expm(a) -> Tensor:
    """e^A with the Frechet-derivative backward pass.

    Parameters
    ----------
    a : Tensor or array_like of float, shape (d, d)
        Square matrix A (converted with :func:`theorylab.nn.as_tensor`).

    Returns
    -------
    Tensor, shape (d, d)
        e^A (scipy.linalg.expm); if A requires a gradient, its backward pass maps G to L_exp(A^T, G).

    Examples
    --------
    >>> A = Tensor([[0.0, 1.0], [0.0, 0.0]], requires_grad=True)
    >>> E = expm(A)
    >>> E.data.tolist()
    [[1.0, 1.0], [0.0, 1.0]]
    >>> trace(E).backward(); A.grad.tolist()   # d tr(e^A)/dA = (e^A)^T
    [[1.0, 0.0], [1.0, 1.0]]
    """
    a = _square(a, "a")
    value = _expm(a.data)

    def back(g):
        return (expm_frechet(a.data.T, np.asarray(g, dtype=float), compute_expm=False),)

    return _op(value, (a,), back)


def trace(a) -> Tensor:
    """tr(A).

    Parameters
    ----------
    a : Tensor or array_like of float, shape (d, d)
        Square matrix A.

    Returns
    -------
    Tensor, shape ()
        The scalar trace; its gradient with respect to A is g * I.
    """
    a = _square(a, "a")
    n = a.data.shape[0]
    return _op(np.trace(a.data), (a,), lambda g: (float(g) * np.eye(n),))


def abs_(a) -> Tensor:
    """|A| entrywise; subgradient sign(A) (0 at 0).

    Parameters
    ----------
    a : Tensor or array_like of float
        Any shape.

    Returns
    -------
    Tensor, same shape as `a`
        The entrywise absolute values.
    """
    a = as_tensor(a)
    return _op(np.abs(a.data), (a,), lambda g: (g * np.sign(a.data),))


def logabsdet(a) -> Tensor:
    """ln |det A|; gradient A^{-T}.

    Parameters
    ----------
    a : Tensor or array_like of float, shape (d, d)
        Square, nonsingular matrix A (ValueError if det A = 0).

    Returns
    -------
    Tensor, shape ()
        ln |det A| (numpy.linalg.slogdet); its gradient is g * A^{-T}.
    """
    a = _square(a, "a")
    sign, value = np.linalg.slogdet(a.data)
    if sign == 0:
        raise ValueError("a is singular: ln|det a| = -inf")
    return _op(value, (a,), lambda g: (float(g) * np.linalg.inv(a.data).T,))


def dag_penalty(b) -> Tensor:
    """h(B) = tr(e^{B o B}) - d >= 0, zero iff B is the weight matrix of a DAG.

    Parameters
    ----------
    b : Tensor or array_like of float, shape (d, d)
        Weighted adjacency matrix B.

    Returns
    -------
    Tensor, shape ()
        h(B) = tr(e^{B o B}) - d (o: entrywise product), the NOTEARS acyclicity penalty; its gradient is
        (e^{B o B})^T o 2B.

    Examples
    --------
    >>> round(float(dag_penalty(Tensor([[0.0, 2.0], [0.0, 0.0]])).data), 12)
    0.0
    """
    b = _square(b, "b")
    return trace(expm(b * b)) - float(b.data.shape[0])
