"""Input checks shared by every public constructor.

Each function returns the cleaned value or raises ``ValueError`` / ``TypeError`` with a message that
names the parameter, the value received and what was expected.
"""

from __future__ import annotations

import numbers
from typing import Iterable

import numpy as np

__all__ = [
    "check_int", "check_real", "check_positive", "check_open_unit", "check_probability",
    "check_array", "check_means_unit", "check_probability_vector", "check_choice", "check_seed",
]


def _show(value) -> str:
    text = " ".join(repr(value).split())  # one line, whatever the value
    return text if len(text) <= 80 else text[:77] + "..."


def check_int(name: str, value, minimum: int | None = None, maximum: int | None = None) -> int:
    """An integer (Python or numpy, not bool) within ``[minimum, maximum]``.

    Parameters
    ----------
    name : str
        Parameter name used in the error message.
    value : object
        The value to check.
    minimum, maximum : int, optional
        Inclusive bounds.

    Returns
    -------
    int
        The value as a Python int.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise TypeError(f"{name} must be an integer, got {_show(value)} of type {type(value).__name__}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def check_real(name: str, value, minimum: float | None = None, maximum: float | None = None,
               strict_min: bool = False, strict_max: bool = False) -> float:
    """A finite real number within the given (open or closed) bounds.

    Parameters
    ----------
    name : str
        Parameter name used in the error message.
    value : object
        The value to check.
    minimum, maximum : float, optional
        Bounds.
    strict_min, strict_max : bool
        Open instead of closed ends.

    Returns
    -------
    float
        The value.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {_show(value)} of type {type(value).__name__}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if minimum is not None and (value < minimum or (strict_min and value == minimum)):
        raise ValueError(f"{name} must be {'>' if strict_min else '>='} {minimum}, got {value}")
    if maximum is not None and (value > maximum or (strict_max and value == maximum)):
        raise ValueError(f"{name} must be {'<' if strict_max else '<='} {maximum}, got {value}")
    return value


def check_positive(name: str, value) -> float:
    """A finite real number > 0.

    Parameters
    ----------
    name : str
        Parameter name used in the error message.
    value : object
        The value to check.

    Returns
    -------
    float
        The value.
    """
    return check_real(name, value, minimum=0.0, strict_min=True)


def check_open_unit(name: str, value) -> float:
    """A real number in the open interval (0, 1).

    Parameters
    ----------
    name : str
        Parameter name used in the error message.
    value : object
        The value to check.

    Returns
    -------
    float
        The value.
    """
    return check_real(name, value, minimum=0.0, maximum=1.0, strict_min=True, strict_max=True)


def check_probability(name: str, value) -> float:
    """A real number in [0, 1].

    Parameters
    ----------
    name : str
        Parameter name used in the error message.
    value : object
        The value to check.

    Returns
    -------
    float
        The value.
    """
    return check_real(name, value, minimum=0.0, maximum=1.0)


def check_array(name: str, value, ndim: int | None = None, shape: tuple | None = None,
                dtype=float, min_size: int = 0) -> np.ndarray:
    """A finite numeric array with the given number of dimensions / shape (``None`` entries are free).

    Parameters
    ----------
    name : str
        Parameter name used in the error message.
    value : object
        The value to check.
    ndim : int, optional
        Required number of dimensions.
    shape : tuple, optional
        Required shape (None entries are free).
    dtype : type
        Target dtype.
    min_size : int
        Smallest number of elements.

    Returns
    -------
    ndarray
        The validated array.
    """
    want = np.dtype(dtype)
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError) as exc:  # ragged nested lists
        raise TypeError(f"{name} must be a numeric array, got {_show(value)}") from exc
    if raw.dtype.kind == "c" and want.kind != "c":
        raise TypeError(f"{name} must be real, got a complex array (the imaginary part would be dropped)")
    if raw.dtype.kind not in "biufc":
        raise TypeError(f"{name} must be a numeric array, got {_show(value)} (dtype {raw.dtype})")
    if want.kind in "iu" and raw.dtype.kind == "f":
        if not np.all(np.isfinite(raw)) or np.any(raw != np.round(raw)):
            raise TypeError(f"{name} must hold integers, got non-integral entries")
    try:
        with np.errstate(invalid="raise", over="raise"):
            arr = np.asarray(raw, dtype=dtype)
    except (TypeError, ValueError, OverflowError, FloatingPointError) as exc:
        raise TypeError(f"{name} must be a numeric array of dtype {want}, got {_show(value)}") from exc
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional, got shape {arr.shape}")
    if shape is not None:
        if arr.ndim != len(shape) or any(s is not None and s != a for s, a in zip(shape, arr.shape)):
            want = tuple("any" if s is None else s for s in shape)
            raise ValueError(f"{name} must have shape {want}, got {arr.shape}")
    if arr.size < min_size:
        raise ValueError(f"{name} must have at least {min_size} entries, got {arr.size}")
    if arr.dtype.kind in "fc" and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, got non-finite entries")
    return arr


def check_means_unit(name: str, value, min_arms: int = 2) -> np.ndarray:
    """A 1-d vector of arm means in [0, 1] with at least ``min_arms`` arms.

    Parameters
    ----------
    name : str
        Parameter name used in the error message.
    value : object
        The value to check.
    min_arms : int
        Smallest number of arms.

    Returns
    -------
    ndarray
        The means as floats.
    """
    arr = check_array(name, value, ndim=1)
    if arr.size < min_arms:
        raise ValueError(f"{name} must have K >= {min_arms} arms, got K = {arr.size}")
    if np.any(arr < 0) or np.any(arr > 1):
        bad = arr[(arr < 0) | (arr > 1)][0]
        raise ValueError(f"{name} must lie in [0, 1], got an entry {bad}")
    return arr


def check_probability_vector(name: str, value, atol: float = 1e-9) -> np.ndarray:
    """A nonnegative vector (or the last axis of an array) summing to one within ``atol``.

    Parameters
    ----------
    name : str
        Parameter name used in the error message.
    value : object
        The value to check.
    atol : float
        Tolerance on the sum.

    Returns
    -------
    ndarray
        The vector (or array).
    """
    arr = check_array(name, value)
    if arr.ndim == 0 or arr.shape[-1] == 0:
        raise ValueError(f"{name} must be a non-empty probability vector, got shape {arr.shape}")
    if np.any(arr < -atol):
        raise ValueError(f"{name} must be nonnegative, got minimum {arr.min():.3g}")
    sums = arr.sum(axis=-1)
    if np.any(np.abs(sums - 1.0) > atol * max(1, arr.shape[-1])):
        raise ValueError(f"{name} must sum to 1 (within {atol}), got sum {np.ravel(sums)[0]:.12g}")
    return np.clip(arr, 0.0, None)


def check_choice(name: str, value, choices: Iterable[str]) -> str:
    """One of a fixed set of names.

    Parameters
    ----------
    name : str
        Parameter name used in the error message.
    value : object
        The value to check.
    choices : iterable of str
        Allowed names.

    Returns
    -------
    str
        The value.
    """
    choices = list(choices)
    if not isinstance(value, (str, int, float, bool, type(None))) or isinstance(value, float) and value != value:
        raise TypeError(f"{name} must be one of {choices}, got {_show(value)} of type {type(value).__name__}")
    if value not in choices:
        raise ValueError(f"{name} must be one of {choices}, got {_show(value)}")
    return value


def check_seed(name: str, value) -> int:
    """A non-negative integer seed.

    Parameters
    ----------
    name : str
        Parameter name used in the error message.
    value : object
        The value to check.

    Returns
    -------
    int
        The seed.
    """
    return check_int(name, value, minimum=0)
