"""Shared pieces of the linear topic's pure-exploration algorithms: the result record, sample sizes, tie-broken argmax."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from theorylab.bandits.linear.instances import LinearInstance
from theorylab.core.validate import check_int, check_open_unit, check_real

__all__ = ["PureExplorationResult", "sample_size", "argmax_ties", "check_instance", "TIE_TOL"]

#: Absolute tolerance under which two linear scores are an exact tie (docs/topics/linear.md#randomness).
TIE_TOL = 1e-12


@dataclass(frozen=True)
class PureExplorationResult:
    """One output action per run, its sub-optimality and the queries spent.

    Attributes
    ----------
    algorithm : str
    actions : int64 (R,)
        Output action a_hat of each run.
    errors : float64 (R,)
        max_a r(a) - r(a_hat).
    queries : int64 (R,)
        Total number of queries (pulls).
    distinct : int64 (R,)
        Number of distinct actions queried.
    info : dict
        Algorithm-specific diagnostics (documented by each entry point).

    Examples
    --------
    >>> import numpy as np
    >>> res = PureExplorationResult("demo", np.array([1]), np.array([0.0]), np.array([3]), np.array([3]))
    >>> res.runs
    1
    """

    algorithm: str
    actions: np.ndarray
    errors: np.ndarray
    queries: np.ndarray
    distinct: np.ndarray
    info: dict = field(default_factory=dict)

    @property
    def runs(self) -> int:
        return int(self.actions.size)


def check_instance(instance):
    """``instance`` if it is a LinearInstance, else TypeError naming the parameter.

    Parameters
    ----------
    instance : object

    Returns
    -------
    LinearInstance
        ``instance`` itself (TypeError otherwise).

    Examples
    --------
    >>> from theorylab.bandits.linear.instances import separation_instance
    >>> check_instance(separation_instance(3, 0.1)).K
    4
    """
    if not isinstance(instance, LinearInstance):
        raise TypeError(f"instance must be a LinearInstance, got {type(instance).__name__}")
    return instance


def sample_size(sigma: float, eps_stat: float, n_actions: int, p: float) -> int:
    """Queries per action, m = ceil(2 sigma^2 log(2 n / p) / eps_stat^2) (1 when sigma = 0).

    With this m the mean of m Gaussian queries is within eps_stat of r(a) for all n actions at once with
    probability >= 1 - p (Gaussian tail and a union bound) [derived; docs/topics/linear.md#sparsenet].

    Parameters
    ----------
    sigma : float >= 0
        Noise standard deviation.
    eps_stat : float > 0
        Accuracy of each mean (ignored when sigma = 0).
    n_actions : int >= 1
        Actions covered by the union bound.
    p : float in (0, 1)
        Failure probability.

    Returns
    -------
    int

    Examples
    --------
    >>> sample_size(0.0, 0.0, 10, 0.05), sample_size(1.0, 0.5, 10, 0.05)
    (1, 48)
    """
    sigma = check_real("sigma", sigma, minimum=0.0)
    n_actions = check_int("n_actions", n_actions, minimum=1)
    p = check_open_unit("p", p)
    if sigma == 0:
        return 1
    eps_stat = check_real("eps_stat", eps_stat, minimum=0.0, strict_min=True)
    return int(math.ceil(2.0 * sigma**2 * math.log(2.0 * n_actions / p) / eps_stat**2))


def argmax_ties(values: np.ndarray, priority: np.ndarray, tol: float = TIE_TOL) -> np.ndarray:
    """Row-wise argmax of ``values`` (R, K); entries within ``tol`` of the maximum tie, won by the highest priority.

    Parameters
    ----------
    values : float array (R, K)
    priority : float array (R, K)
        Per-run tie-breaking priorities.
    tol : float
        Absolute tie tolerance.

    Returns
    -------
    int64 array (R,)

    Examples
    --------
    >>> import numpy as np
    >>> argmax_ties(np.array([[1.0, 1.0, 0.0]]), np.array([[0.2, 0.7, 0.9]])).tolist()
    [1]
    """
    top = values.max(axis=1, keepdims=True)
    tied = values >= top - tol
    return np.where(tied, priority, -1.0).argmax(axis=1).astype(np.int64)
