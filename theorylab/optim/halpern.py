"""Deterministic anchored and extragradient methods (full operator evaluations, n oracle calls each).

- :func:`halpern` -- Halpern (1967) iteration x_{k+1} = lambda_k x0 + (1 - lambda_k) T(x_k),
  lambda_k = 1/(k+2), on T = J_{eta G}(I - eta F); Lieder (2021): ||x_k - T x_k|| <= 2 ||x0 - x*|| / (k+1).
- :func:`cocoercive_halpern` -- Halpern on T = I - (2/L) F for (1/L)-cocoercive F:
  ||F(x_k)|| <= L ||x0 - x*|| / (k+1) (docs/topics/halpern.md#claim-cocoercive_halpern; tight, PEP-verified).
- :func:`extragradient` -- Korpelevich's projected extragradient.
- :func:`eag` -- EAG-C of Yoon & Ryu (ICML 2021).
- :func:`feg` -- FEG of Lee & Kim (NeurIPS 2021): ||F(z_k)|| <= 2 L ||z0 - z*|| / k.

Every function returns a :class:`History` of residuals and oracle calls at the requested iterations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from theorylab.core.validate import check_array, check_int, check_positive
from theorylab.optim import kernels
from theorylab.optim.instances import Problem

__all__ = ["History", "halpern", "cocoercive_halpern", "extragradient", "eag", "feg", "record_points",
           "check_problem", "check_anchor"]

_NO_BUDGET = np.iinfo(np.int64).max


@dataclass(frozen=True)
class History:
    """Residual history of one run.

    Attributes
    ----------
    iterations : int64 array
        Iteration indices k at which the residual was recorded.
    residual : float array
        Natural residual ||x_k - J(x_k - eta F(x_k))|| / eta at those iterations (= ||F(x_k)|| when G = 0);
        nan for iterations not reached (oracle budget exhausted).
    calls : int64 array
        Oracle calls (component evaluations) spent before x_k; -1 if not reached.
    n : int
        Number of components (``epochs = calls / n``).
    x_final : array
        Last iterate.
    iterates : array, shape (len(iterations), d) or (0, d)
        Saved iterates when requested.
    """

    iterations: np.ndarray
    residual: np.ndarray
    calls: np.ndarray
    n: int
    x_final: np.ndarray
    iterates: np.ndarray

    @property
    def epochs(self) -> np.ndarray:
        return np.where(self.calls >= 0, self.calls / self.n, np.nan)


def record_points(K: int, points: int | None = None, geometric: bool = False) -> np.ndarray:
    """Iterations 0..K at which to record: all of them, ``points`` evenly spaced, or geometric.

    Parameters
    ----------
    K : int
        Last iteration.
    points : int, optional
        Number of points (default: every iteration).
    geometric : bool
        Geometric instead of even spacing.

    Returns
    -------
    ndarray of int64
        Sorted unique iterations in [0, K], always including 0 and K.

    Examples
    --------
    >>> record_points(4).tolist()
    [0, 1, 2, 3, 4]
    """
    K = check_int("K", K, minimum=0)
    if points is None or points >= K + 1:
        return np.arange(K + 1, dtype=np.int64)
    points = check_int("points", points, minimum=2)
    if geometric:
        pts = np.unique(np.round(np.geomspace(1, K, points - 1)).astype(np.int64))
        return np.unique(np.concatenate([[0], pts, [K]])).astype(np.int64)
    return np.unique(np.round(np.linspace(0, K, points)).astype(np.int64))


def check_problem(problem) -> Problem:
    """The argument as a :class:`Problem`, or a TypeError naming ``problem``.

    Parameters
    ----------
    problem : Problem
        The object to check.

    Returns
    -------
    Problem
        ``problem`` itself.
    """
    if not isinstance(problem, Problem):
        raise TypeError(f"problem must be a theorylab.optim.instances.Problem, got {type(problem).__name__}")
    return problem


def check_anchor(lam) -> tuple:
    """Anchor schedule lambda_k = a / (k + b)^p given as (a, b, p); a > 0, b > 0, p > 0.

    Parameters
    ----------
    lam : sequence of 3 floats
        (a, b, p).

    Returns
    -------
    tuple
        (a, b, p) as floats; ValueError otherwise.
    """
    if not isinstance(lam, (tuple, list)) or len(lam) != 3:
        raise ValueError(f"anchor must be a tuple (a, b, p) meaning a/(k+b)^p, got {lam!r}")
    a, b, p = (check_positive(name, v) for name, v in zip(("anchor a", "anchor b", "anchor p"), lam))
    if a / b ** p > 1.0 + 1e-12:
        raise ValueError(f"anchor must satisfy lambda_0 = a/b^p <= 1, got {a / b ** p}")
    return (a, b, p)


def _prep(problem, K, record_at, x0, max_calls):
    problem = check_problem(problem)
    K = check_int("K", K, minimum=0)
    rec = record_points(K) if record_at is None else np.unique(np.asarray(record_at, dtype=np.int64))
    if rec.size and (rec[0] < 0 or rec[-1] > K):
        raise ValueError(f"record_at must lie in [0, K={K}], got range [{rec[0]}, {rec[-1]}]")
    x0 = problem.x0 if x0 is None else check_array("x0", x0, shape=(problem.d,))
    mc = _NO_BUDGET if max_calls is None else check_int("max_calls", max_calls, minimum=1)
    return problem, K, rec, np.ascontiguousarray(x0, dtype=float), np.int64(mc)


def _history(problem, rec, out):
    res, calls, iters, x = out
    return History(rec, res, calls, problem.n, x, iters)


def _deterministic(method, problem, K, eta, anchor, record_at, eta_res, x0, max_calls, save):
    problem, K, rec, x0, mc = _prep(problem, K, record_at, x0, max_calls)
    eta = check_positive("eta", eta)
    eta_res = check_positive("eta_res", eta_res)
    anchor = check_anchor(anchor)
    out = kernels.deterministic_kernel(kernels.METHOD_CODES[method], problem.operator.kernel_args,
                                       problem.projection.kernel_args, x0, eta, anchor, K, mc, rec, eta_res, save)
    return _history(problem, rec, out)


def halpern(problem: Problem, K: int, eta: float = 1.0, anchor=(1.0, 2.0, 1.0), record_at=None,
            eta_res: float | None = None, x0=None, max_calls=None, save_iterates: bool = False) -> History:
    """Halpern iteration on T = J_{eta G}(I - eta F) with lambda_k = 1/(k+2) (Halpern 1967).

    Lieder (2021, Thm 2.1): for nonexpansive T, ||x_k - T x_k|| <= 2 ||x0 - x*|| / (k+1). T is
    nonexpansive when F is (1/L)-cocoercive and eta <= 2/L. The recorded residual is the natural
    residual with ``eta_res`` (default ``eta``), i.e. exactly ||x_k - T x_k|| / eta.

    Parameters
    ----------
    problem : Problem
    K : int
        Number of iterations.
    eta : float
        Forward step inside T.
    anchor : tuple (a, b, p)
        lambda_k = a / (k + b)^p; the paper's (1, 2, 1). Other values are for breaking claims.
    record_at : int array, optional
        Iterations to record (default: all 0..K).
    max_calls : int, optional
        Oracle budget; the run stops once it is spent.

    Returns
    -------
    History
        Recorded iterations, residuals, oracle calls and epochs.

    Examples
    --------
    >>> from theorylab.optim.instances import negation
    >>> h = halpern(negation(), K=4, eta=2.0)
    >>> np.round(h.residual * 2, 6).tolist()   # ||x_k - T x_k|| = 2 |x_k|
    [2.0, 0.0, 0.666667, 0.0, 0.4]
    """
    eta_res = eta if eta_res is None else eta_res
    return _deterministic("halpern", problem, K, eta, anchor, record_at, eta_res, x0, max_calls, save_iterates)


def cocoercive_halpern(problem: Problem, K: int, L: float | None = None, anchor=(1.0, 2.0, 1.0), record_at=None,
                       x0=None, max_calls=None) -> History:
    """Halpern on T = I - (2/L) F for (1/L)-cocoercive F, G = 0 (Diakonikolas 2020; docs/topics/halpern.md#claim-cocoercive_halpern).

    Bound: ||F(x_k)|| <= L ||x0 - x*|| / (k+1) (tight: PEP value 1/(k+1)^2 at L = D = 1).

    Parameters
    ----------
    problem : Problem
        The instance (operator, projection, x0, constants).
    K : int
        Iterations.
    L : float, optional
        Cocoercivity constant; default problem.L_F.
    anchor : tuple (a, b, p)
        Anchor schedule lambda_k = a/(k+b)^p.
    record_at : array_like of int, optional
        Iterations at which residual and calls are recorded (default: a spread over 0..K).
    x0 : array_like, optional
        Start (and anchor); default ``problem.x0``.
    max_calls : int, optional
        Stop once this many oracle calls have been counted.

    Returns
    -------
    History
        Recorded iterations, residuals, oracle calls and epochs.

    Examples
    --------
    >>> from theorylab.optim.instances import random_cocoercive
    >>> pb = random_cocoercive(4)
    >>> h = cocoercive_halpern(pb, K=10)
    >>> bool(h.residual[-1] <= pb.L * pb.D / 11)
    True
    """
    problem = check_problem(problem)
    L = problem.L_F if L is None else check_positive("L", L)
    return _deterministic("halpern", problem, K, 2.0 / L, anchor, record_at, 1.0, x0, max_calls, False)


def extragradient(problem: Problem, K: int, eta: float, record_at=None, eta_res: float = 1.0, x0=None,
                  max_calls=None) -> History:
    """Projected extragradient (Korpelevich 1976): y = J(x - eta F(x)), x+ = J(x - eta F(y)); 2n calls/iter.

    Parameters
    ----------
    problem : Problem
        The instance (operator, projection, x0, constants).
    K : int
        Iterations.
    eta : float
        Step.
    record_at : array_like of int, optional
        Iterations at which residual and calls are recorded (default: a spread over 0..K).
    eta_res : float
        Step of the recorded natural residual.
    x0 : array_like, optional
        Start (and anchor); default ``problem.x0``.
    max_calls : int, optional
        Stop once this many oracle calls have been counted.

    Returns
    -------
    History
        Recorded iterations, residuals, oracle calls and epochs.

    Examples
    --------
    >>> from theorylab.optim.instances import random_monotone
    >>> pb = random_monotone(4)
    >>> h = extragradient(pb, K=200, eta=0.5 / pb.L_F)
    >>> bool(h.residual[-1] < h.residual[0])
    True
    """
    return _deterministic("eg", problem, K, eta, (1.0, 2.0, 1.0), record_at, eta_res, x0, max_calls, False)


def eag(problem: Problem, K: int, eta: float, anchor=(1.0, 2.0, 1.0), record_at=None, eta_res: float = 1.0,
        x0=None, max_calls=None) -> History:
    """EAG-C (Yoon & Ryu, ICML 2021), projected as in the authors' code when G != 0.

    z_{k+1/2} = z_k + (z0 - z_k)/(k+2) - eta F(z_k); z_{k+1} = z_k + (z0 - z_k)/(k+2) - eta F(z_{k+1/2}).
    Theory: eta <= 1/(8L) gives ||F(z_k)||^2 <= 260 ||z0 - z*||^2 / (eta^2 (k+1)^2) [recalled constant].

    Parameters
    ----------
    problem : Problem
        The instance (operator, projection, x0, constants).
    K : int
        Iterations.
    eta : float
        Step.
    anchor : tuple (a, b, p)
        Anchor schedule lambda_k = a/(k+b)^p.
    record_at : array_like of int, optional
        Iterations at which residual and calls are recorded (default: a spread over 0..K).
    eta_res : float
        Step of the recorded natural residual.
    x0 : array_like, optional
        Start (and anchor); default ``problem.x0``.
    max_calls : int, optional
        Stop once this many oracle calls have been counted.

    Returns
    -------
    History
        Recorded iterations, residuals, oracle calls and epochs.

    Examples
    --------
    >>> from theorylab.optim.instances import random_monotone
    >>> pb = random_monotone(4)
    >>> h = eag(pb, K=100, eta=1 / (8 * pb.L_F))
    >>> bool(h.residual[-1] < h.residual[0])
    True
    """
    return _deterministic("eag", problem, K, eta, anchor, record_at, eta_res, x0, max_calls, False)


def feg(problem: Problem, K: int, L: float | None = None, anchor=(1.0, 1.0, 1.0), record_at=None,
        eta_scale: float = 1.0, x0=None, max_calls=None) -> History:
    """FEG (Lee & Kim, NeurIPS 2021), monotone case, step 1/L, beta_k = 1/(k+1).

    z_{k+1/2} = z_k + beta_k (z0 - z_k) - (1 - beta_k) F(z_k)/L; z_{k+1} = z_k + beta_k (z0 - z_k) - F(z_{k+1/2})/L.
    Bound: ||F(z_k)||^2 <= 4 L^2 ||z0 - z*||^2 / k^2 for k >= 1.

    Parameters
    ----------
    problem : Problem
        The instance (operator, projection, x0, constants).
    K : int
        Iterations.
    L : float, optional
        Lipschitz constant; default problem.L_F.
    anchor : tuple (a, b, p)
        Anchor schedule lambda_k = a/(k+b)^p.
    record_at : array_like of int, optional
        Iterations at which residual and calls are recorded (default: a spread over 0..K).
    eta_scale : float
        Multiplies the step 1/L (1 is the method; other values break it on purpose).
    x0 : array_like, optional
        Start (and anchor); default ``problem.x0``.
    max_calls : int, optional
        Stop once this many oracle calls have been counted.

    Returns
    -------
    History
        Recorded iterations, residuals, oracle calls and epochs.

    Examples
    --------
    >>> from theorylab.optim.instances import random_monotone
    >>> pb = random_monotone(4)
    >>> h = feg(pb, K=20)
    >>> bool(h.residual[-1] <= 2 * pb.L_F * pb.D / 20)
    True
    """
    problem = check_problem(problem)
    L = problem.L_F if L is None else check_positive("L", L)
    eta = check_positive("eta_scale", eta_scale) / L
    return _deterministic("feg", problem, K, eta, anchor, record_at, 1.0, x0, max_calls, False)
