"""Saving and loading parameters as ``.npz`` files (one array per parameter, in ``parameters()`` order)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

__all__ = ["save_parameters", "load_parameters"]


def save_parameters(path, params) -> Path:
    """Write the arrays of ``params`` (a list of Tensors) to ``path`` (.npz, keys p0, p1, ...), atomically.

    Returns the path written (``.npz`` is appended by numpy if missing).

    Parameters
    ----------
    path : str or os.PathLike
        Destination file; ``.npz`` is appended when the name does not end with it. The arrays are first
        written to ``<name>.tmp.npz`` and then moved over ``path`` with ``os.replace``.
    params : iterable of Tensor
        Parameters to save, typically ``model.parameters()``; parameter i is stored under key ``p{i}``.

    Returns
    -------
    pathlib.Path
        The file actually written (with the ``.npz`` suffix).

    Examples
    --------
    >>> import tempfile
    >>> from theorylab.nn import MLP
    >>> net = MLP((2, 3, 1), seed=0)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = save_parameters(os.path.join(d, "net.npz"), net.parameters())
    ...     other = MLP((2, 3, 1), seed=1)
    ...     load_parameters(p, other.parameters())
    ...     bool(np.array_equal(other.layers[0].weight.data, net.layers[0].weight.data))
    True
    """
    path = Path(path)
    if path.suffix != ".npz":
        path = path.with_name(path.name + ".npz")
    arrays = {f"p{i}": np.asarray(p.data) for i, p in enumerate(params)}
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez(tmp, **arrays)
    os.replace(tmp, path)
    return path


def load_parameters(path, params) -> None:
    """Copy the arrays saved by :func:`save_parameters` into ``params`` in place (count and shapes checked).

    Parameters
    ----------
    path : str or os.PathLike
        A ``.npz`` file written by :func:`save_parameters` (keys p0, p1, ... read in numeric order).
    params : iterable of Tensor
        Parameters to overwrite, in the same order and with the same shapes as when saved; their ``.data``
        arrays are filled in place. A count or shape mismatch raises ``ValueError``.
    """
    params = list(params)
    with np.load(Path(path)) as data:
        keys = sorted(data.files, key=lambda k: int(k[1:]))
        if len(keys) != len(params):
            raise ValueError(f"path holds {len(keys)} parameters, the model has {len(params)}")
        for i, (k, p) in enumerate(zip(keys, params)):
            arr = data[k]
            if arr.shape != p.data.shape:
                raise ValueError(f"parameter {i} has shape {p.data.shape}, the file holds {arr.shape}")
            p.data[...] = arr
