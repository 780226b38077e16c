"""The candidate parameters of SparseNet: supports of size s and explicit nets of the s-dimensional ball.

Both nets are subsets of the cube grid u_j = -1 + 2 j / (n_ax - 1), j < n_ax, per axis
(docs/topics/linear.md#sparsenet) [derived guarantees, grid choice ours]:

- ``ball``: grid points with ||u||_2 <= 1 + eps_net, n_ax = ceil(sqrt(s) / eps_net) + 1; every w in the unit
  ball is within l2 distance eps_net of a kept point;
- ``direction``: grid points on the cube surface (||u||_inf = 1) normalised to the unit sphere,
  n_ax = ceil(sqrt(max(s - 1, 1)) / eps_net) + 1 (for s = 1 the net is {+1, -1}); every unit w is within
  eps_net of a net direction.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from theorylab.core.validate import check_choice, check_int, check_real

__all__ = ["NET_KINDS", "axis_points", "ball_net", "direction_net", "make_net", "supports", "n_supports"]

NET_KINDS = ("ball", "direction")


def axis_points(s: int, eps_net: float, kind: str) -> int:
    """Grid points per axis, n_ax, of the ``kind`` net of resolution ``eps_net`` in dimension ``s``.

    Parameters
    ----------
    s : int >= 1
        Dimension of the net.
    eps_net : float > 0
        Resolution.
    kind : {"ball", "direction"}

    Returns
    -------
    int
        ceil(sqrt(s) / eps_net) + 1 (ball) or ceil(sqrt(max(s - 1, 1)) / eps_net) + 1 (direction).

    Examples
    --------
    >>> axis_points(2, 0.1, "ball"), axis_points(2, 0.1, "direction")
    (16, 11)
    """
    s = check_int("s", s, minimum=1)
    eps_net = check_real("eps_net", eps_net, minimum=0.0, strict_min=True)
    kind = check_choice("net_kind", kind, NET_KINDS)
    root = math.sqrt(s) if kind == "ball" else math.sqrt(max(s - 1, 1))
    # the 1e-12 guards against ceil(2.0000000000000004) = 3 from rounding in sqrt(s) / eps_net
    return int(math.ceil(root / eps_net - 1e-12)) + 1


def _grid(s: int, n_ax: int) -> np.ndarray:
    axis = -1.0 + 2.0 * np.arange(n_ax) / (n_ax - 1)
    mesh = np.meshgrid(*([axis] * s), indexing="ij")
    return np.stack([g.ravel() for g in mesh], axis=1)


def ball_net(s: int, eps_net: float, n_ax: int | None = None) -> np.ndarray:
    """Cube-grid points of the ball of radius 1 + eps_net, shape (n, s), in grid (lexicographic) order.

    Parameters
    ----------
    s : int >= 1
    eps_net : float > 0
    n_ax : int >= 2, optional
        Points per axis (default :func:`axis_points`); a finer grid keeps the coverage guarantee.

    Returns
    -------
    float array (n, s)

    Examples
    --------
    >>> ball_net(1, 0.25).ravel().tolist()
    [-1.0, -0.5, 0.0, 0.5, 1.0]
    """
    s = check_int("s", s, minimum=1)
    eps_net = check_real("eps_net", eps_net, minimum=0.0, strict_min=True)
    n_ax = axis_points(s, eps_net, "ball") if n_ax is None else check_int("n_ax", n_ax, minimum=2)
    g = _grid(s, n_ax)
    keep = np.sqrt((g * g).sum(axis=1)) <= 1.0 + eps_net + 1e-12
    return np.ascontiguousarray(g[keep])


def direction_net(s: int, eps_net: float, n_ax: int | None = None) -> np.ndarray:
    """Unit directions: cube-surface grid points normalised to the sphere, shape (n, s).

    For s = 1 the net is [[-1], [1]]. Size n_ax^s - (n_ax - 2)^s.

    Parameters
    ----------
    s : int >= 1
    eps_net : float > 0
    n_ax : int, optional
        Grid points per axis (default :func:`axis_points`).

    Returns
    -------
    float array (n, s)
        Unit directions.

    Examples
    --------
    >>> direction_net(1, 0.3).ravel().tolist()
    [-1.0, 1.0]
    >>> direction_net(2, 0.5).shape
    (8, 2)
    """
    s = check_int("s", s, minimum=1)
    eps_net = check_real("eps_net", eps_net, minimum=0.0, strict_min=True)
    if s == 1:
        return np.array([[-1.0], [1.0]])
    n_ax = axis_points(s, eps_net, "direction") if n_ax is None else check_int("n_ax", n_ax, minimum=2)
    g = _grid(s, n_ax)
    surface = np.abs(g).max(axis=1) >= 1.0 - 1e-12
    u = g[surface]
    return np.ascontiguousarray(u / np.sqrt((u * u).sum(axis=1, keepdims=True)))


def make_net(s: int, eps_net: float, kind: str, n_ax: int | None = None) -> np.ndarray:
    """:func:`ball_net` or :func:`direction_net` by name.

    Parameters
    ----------
    s : int >= 1
    eps_net : float > 0
    kind : {"ball", "direction"}
    n_ax : int, optional

    Returns
    -------
    float array (n, s)

    Examples
    --------
    >>> make_net(1, 0.3, "direction").shape
    (2, 1)
    """
    kind = check_choice("net_kind", kind, NET_KINDS)
    return ball_net(s, eps_net, n_ax) if kind == "ball" else direction_net(s, eps_net, n_ax)


def n_supports(d: int, s: int) -> int:
    """C(d, s), or 1 when s >= d (the single support {0..d-1}).

    Parameters
    ----------
    d : int >= 1
    s : int >= 1

    Returns
    -------
    int

    Examples
    --------
    >>> n_supports(5, 2), n_supports(2, 3)
    (10, 1)
    """
    return 1 if s >= d else math.comb(d, s)


def supports(d: int, s: int) -> np.ndarray:
    """All supports of size min(s, d) in lexicographic order, int64 array (C(d, s), min(s, d)).

    Parameters
    ----------
    d : int >= 1
    s : int >= 1

    Returns
    -------
    int64 array (C(d, s), min(s, d))

    Examples
    --------
    >>> supports(4, 2).tolist()
    [[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]]
    """
    d = check_int("d", d, minimum=1)
    s = check_int("s", s, minimum=1)
    k = min(s, d)
    return np.array(list(itertools.combinations(range(d), k)), dtype=np.int64).reshape(-1, k)
