"""Resolvents J_{eta G} of normal cones of simple sets (Euclidean projections) for the VR-Halpern topic.

Identity (G = 0), product of probability simplices (matrix games), box and Euclidean ball. The numpy
versions here are the references; the kernels use the njit twins in :mod:`theorylab.optim.primitives`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from theorylab.core.validate import check_array, check_choice, check_int, check_positive, check_real

__all__ = ["Projection", "project_simplex", "project_simplex_sort", "PROJECTION_KINDS"]


PROJECTION_KINDS = {"identity": 0, "simplex": 1, "box": 2, "ball": 3}


@dataclass(frozen=True)
class Projection:
    """Resolvent J_{eta G} of the normal cone of a simple set (a Euclidean projection; eta-free).

    Parameters
    ----------
    kind : {"identity", "simplex", "box", "ball"}
        ``simplex`` projects each block ``[bounds[j], bounds[j+1])`` onto the probability simplex
        (product of simplices, e.g. the two players of a matrix game).
    bounds : int sequence, for ``simplex``
    low, high : float, for ``box``
    radius : float, for ``ball`` (centred at 0)

    Examples
    --------
    >>> Projection("simplex", bounds=[0, 3])(np.array([1.0, 0.0, 0.0])).tolist()
    [1.0, 0.0, 0.0]
    """

    kind: str = "identity"
    bounds: tuple = ()
    low: float = -np.inf
    high: float = np.inf
    radius: float = np.inf

    def __post_init__(self):
        check_choice("kind", self.kind, list(PROJECTION_KINDS))
        if self.kind == "simplex":
            b = [check_int("bounds", v, minimum=0) for v in self.bounds]
            if len(b) < 2 or any(b[j + 1] <= b[j] for j in range(len(b) - 1)):
                raise ValueError(f"bounds must be strictly increasing with >= 2 entries, got {self.bounds}")
            object.__setattr__(self, "bounds", tuple(b))
        if self.kind == "box":
            lo = check_real("low", self.low) if np.isfinite(self.low) else -np.inf
            hi = check_real("high", self.high) if np.isfinite(self.high) else np.inf
            if not lo < hi:
                raise ValueError(f"low must be < high, got low={lo}, high={hi}")
        if self.kind == "ball":
            check_positive("radius", self.radius)

    @property
    def kernel_args(self) -> tuple:
        """(kind code, block bounds int64 array, [low, high, radius])."""
        b = np.asarray(self.bounds if self.bounds else (0,), dtype=np.int64)
        return (np.int64(PROJECTION_KINDS[self.kind]), b, np.array([self.low, self.high, self.radius], dtype=float))

    def __call__(self, v) -> np.ndarray:
        """Project ``v`` (numpy reference; the kernels use the njit twin)."""
        v = np.array(v, dtype=float)
        if self.kind == "identity":
            return v
        if self.kind == "box":
            return np.clip(v, self.low, self.high)
        if self.kind == "ball":
            nrm = np.linalg.norm(v)
            return v if nrm <= self.radius else v * (self.radius / nrm)
        if self.bounds[-1] != v.size:
            raise ValueError(f"simplex bounds end at {self.bounds[-1]} but v has {v.size} entries")
        for a, b in zip(self.bounds[:-1], self.bounds[1:]):
            v[a:b] = project_simplex_sort(v[a:b])
        return v


def project_simplex_sort(y) -> np.ndarray:
    """Euclidean projection onto {x >= 0, sum x = 1} by sorting (Held-Wolfe-Crowder; reference).

    Correct on already-feasible input (returns it unchanged up to round-off), unlike the helper in the
    authors' script (docs/topics/halpern.md#instances).

    Parameters
    ----------
    y : array_like
        The point to project.

    Returns
    -------
    ndarray
        The Euclidean projection onto the simplex, by sorting (the reference).

    Examples
    --------
    >>> project_simplex_sort([0.2, 0.3, 0.5]).tolist()
    [0.2, 0.3, 0.5]
    """
    y = np.asarray(y, dtype=float)
    if y.ndim != 1 or y.size == 0:
        raise ValueError(f"y must be a non-empty vector, got shape {y.shape}")
    u = np.sort(y)[::-1]
    css = np.cumsum(u) - 1.0
    idx = np.arange(1, y.size + 1)
    rho = np.nonzero(u - css / idx > 0)[0][-1]
    tau = css[rho] / (rho + 1)
    return np.maximum(y - tau, 0.0)


def project_simplex(y) -> np.ndarray:
    """Euclidean projection onto the probability simplex (Michelot's sort-free algorithm, njit twin).

    Parameters
    ----------
    y : array_like
        The point to project.

    Returns
    -------
    ndarray
        The Euclidean projection of y onto the probability simplex.

    Examples
    --------
    >>> np.round(project_simplex([2.0, 0.0]), 12).tolist()
    [1.0, 0.0]
    """
    from theorylab.optim.primitives import simplex_project_inplace

    y = check_array("y", y, ndim=1, min_size=1).copy()
    simplex_project_inplace(y, 0, y.size)
    return y
