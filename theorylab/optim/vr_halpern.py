"""Variance-reduced methods: Algorithms 1-3 of Cai, Alacaoglu & Diakonikolas (ICLR 2024) and VR-EG.

- :func:`page_halpern` -- Algorithm 1, Halpern with a PAGE-type recursive estimator (the
  authors' code): lambda_k = 2/(k+4), x_{k+1} = J(lambda_k x0 + (1-lambda_k) x_k - eta g_k), full refresh
  with probability p_k (1 for k <= 1, 4/(k+4) while k-1 <= sqrt(n), then 4/(sqrt(n)+5)), otherwise
  g_k = g_{k-1} + (1/b) sum_{i in S} (F_i(x_k) - F_i(x_{k-1})), |S| = b = floor(sqrt(n)) without
  replacement (2b calls). Step eta = 1/L by default [unknown constant in the PDF; docs/topics/halpern.md#what-differs-from-the-paper].
- :func:`inexact_halpern` -- Algorithm 2, x_{k+1} = x0/(k+2) + (k+1)/(k+2) u_k with
  u_k ~ J_{eta(F+G)}(x_k) from :func:`vr_forb` (Algorithm 3), eta = sqrt(n)/L, M_k = floor(c_M n ln(k+2))
  inner steps (code: c_M = 0.05).
- :func:`vr_forb` -- Algorithm 3 (Alacaoglu & Malitsky 2022 VR-FoRB) on the resolvent subproblem,
  textbook snapshot update w <- v by default, the authors' fixed-snapshot variant with
  ``snapshot="outer"`` (docs/topics/halpern.md#algorithms).
- :func:`vr_eg` -- loopless SVRG extragradient (Alacaoglu & Malitsky, COLT 2022).

All take a seed (int, SeedSequence or Generator); the same seed gives the same iterates.
"""

from __future__ import annotations

import math

import numpy as np

from theorylab.core.validate import check_array, check_choice, check_int, check_open_unit, check_positive
from theorylab.optim import kernels
from theorylab.optim.halpern import History, _history, _prep, check_anchor, check_problem
from theorylab.optim.instances import Problem

__all__ = ["page_halpern", "inexact_halpern", "vr_forb", "vr_eg", "make_rng", "page_expected_calls"]


def make_rng(seed) -> np.random.Generator:
    """A PCG64 Generator from an int, a SeedSequence or a Generator (returned as is).

    Parameters
    ----------
    seed : int, SeedSequence or Generator
        A non-negative int, a SeedSequence, or a Generator (returned as is).

    Returns
    -------
    numpy.random.Generator
        A PCG64 generator.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, np.random.SeedSequence):
        return np.random.default_rng(seed)
    if isinstance(seed, (bool, float)) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, a SeedSequence or a Generator, got {seed!r}")
    return np.random.default_rng(int(seed))


def page_refresh_probability(k: int, n: int, always: bool = False) -> float:
    """p_k of Algorithm 1 (authors' code): 1 for k <= 1, 4/(k+4) while k-1 <= sqrt(n), else 4/(sqrt(n)+5)."""
    if always or k <= 1:
        return 1.0
    return 4.0 / (k + 4.0) if k - 1 <= math.sqrt(n) else 4.0 / (math.sqrt(n) + 5.0)


def page_expected_calls(n: int, K: int, b: int | None = None, calls_per_sample: int = 2) -> float:
    """Expected oracle calls of K iterations of Algorithm 1: sum_k p_k n + (1 - p_k) 2b [derived].

    Parameters
    ----------
    n : int
        Components.
    K : int
        Iterations.
    b : int, optional
        Minibatch size; default floor(sqrt(n)).
    calls_per_sample : int
        Calls counted per minibatch index.

    Returns
    -------
    float
        Expected oracle calls.
    """
    n = check_int("n", n, minimum=1)
    K = check_int("K", K, minimum=0)
    b = int(math.isqrt(n)) if b is None else check_int("b", b, minimum=1)
    p = np.array([page_refresh_probability(k, n) for k in range(K)])
    return float(np.sum(p * n + (1.0 - p) * calls_per_sample * b))


def page_halpern(problem: Problem, K: int, seed=0, eta: float | None = None, batch_size: int | None = None,
                 anchor=(2.0, 4.0, 1.0), refresh: str = "schedule", replace: bool = False,
                 update: str = "code", calls_per_sample: int = 2, record_at=None, eta_res: float = 1.0,
                 x0=None, max_calls=None, save_iterates: bool = False) -> History:
    """Algorithm 1 of Cai, Alacaoglu & Diakonikolas (ICLR 2024): Halpern with a PAGE estimator.

    Theorem (paper, [recalled shape]): for on-average (1/L)-cocoercive F, E||F(x_K)|| <= C_1 L D/(K+4) and
    O(n log n + sqrt(n) L D / eps) oracle calls suffice. We observe ||F(x_k)|| ~ 2 D / (eta (k+4)).

    Parameters
    ----------
    problem : Problem
    K : int
        Iterations.
    seed : int, SeedSequence or Generator
    eta : float, optional
        Step; default 1/L (problem.L) [constant unknown].
    batch_size : int, optional
        b; default floor(sqrt(n)).
    anchor : tuple (a, b, p)
        lambda_k = a/(k+b)^p; the code's (2, 4, 1).
    refresh : {"schedule", "always"}
        ``always`` sets p_k = 1 (the deterministic anchored step; used to break the sqrt(n) claim).
    replace : bool
        Sample the minibatch with replacement (default: without, as the code).
    update : {"code", "classic"}
        ``code``: lambda x0 + (1 - lambda) x - eta g; ``classic``: lambda x0 + (1 - lambda)(x - eta g).
    calls_per_sample : int
        Oracle calls counted per minibatch index (2: F_i at x_k and x_{k-1}, docs/topics/halpern.md#oracle-calls).

    Returns
    -------
    History
        Recorded iterations, residuals, oracle calls and epochs.

    Examples
    --------
    >>> from theorylab.optim.instances import cocoercive_family
    >>> pb = cocoercive_family(64, d=5)
    >>> h = page_halpern(pb, K=200, seed=1)
    >>> bool(h.residual[-1] < 0.1 * h.residual[0])
    True
    """
    problem, K, rec, x0, mc = _prep(problem, K, record_at, x0, max_calls)
    eta = 1.0 / problem.L if eta is None else check_positive("eta", eta)
    b = int(math.isqrt(problem.n)) if batch_size is None else check_int("batch_size", batch_size, minimum=1,
                                                                      maximum=problem.n)
    b = max(b, 1)
    anchor = check_anchor(anchor)
    p_mode = {"schedule": 0, "always": 1}[check_choice("refresh", refresh, ["schedule", "always"])]
    classic = check_choice("update", update, ["code", "classic"]) == "classic"
    cps = check_int("calls_per_sample", calls_per_sample, minimum=0)
    out = kernels.page_halpern_kernel(problem.operator.kernel_args, problem.projection.kernel_args, x0, eta, b,
                                      anchor, p_mode, bool(replace), classic, cps, K, mc, rec,
                                      check_positive("eta_res", eta_res), make_rng(seed), save_iterates)
    return _history(problem, rec, out)


def vr_eg(problem: Problem, K: int, seed=0, tau: float | None = None, p: float | None = None, record_at=None,
          eta_res: float = 1.0, x0=None, max_calls=None) -> History:
    """Loopless SVRG extragradient (Alacaoglu & Malitsky, COLT 2022), as in the authors' scripts.

    xbar = (1-p) x + p w; xh = J(xbar - tau F(w)); x+ = J(xbar - tau (F(w) + F_i(xh) - F_i(w))) (2 calls);
    with probability p: w = x+, full F(w) (n calls). Default p = 1/n, tau = 0.99 sqrt(p)/L (theory:
    gamma sqrt(p)/L with gamma in (0,1) [recalled]). The guarantee is for the averaged gap, not for the
    last-iterate residual recorded here.

    Parameters
    ----------
    problem : Problem
        The instance (operator, projection, x0, constants).
    K : int
        Iterations.
    seed : int, SeedSequence or Generator
        Source of the sampled indices and snapshot coins.
    tau : float, optional
        Step; default 0.99 sqrt(p)/L.
    p : float, optional
        Snapshot probability; default 1/n.
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
    >>> from theorylab.optim.instances import finite_sum_monotone
    >>> h = vr_eg(finite_sum_monotone(16, d=4), K=2000, seed=0)
    >>> bool(h.residual[-1] < h.residual[0])
    True
    """
    problem, K, rec, x0, mc = _prep(problem, K, record_at, x0, max_calls)
    p = 1.0 / problem.n if p is None else check_open_unit("p", p)
    tau = 0.99 * math.sqrt(p) / problem.L if tau is None else check_positive("tau", tau)
    out = kernels.vr_eg_kernel(problem.operator.kernel_args, problem.projection.kernel_args, x0, tau, p, K, mc,
                               rec, check_positive("eta_res", eta_res), make_rng(seed))
    return _history(problem, rec, out)


def _forb_defaults(problem, eta, p, gamma):
    n = problem.n
    eta = math.sqrt(n) / problem.L if eta is None else check_positive("eta", eta)
    if p is None:
        p = 1.0 / n if n > 1 else 0.5
    else:
        p = check_open_unit("p", p)
    L_phi = eta * problem.L + 1.0
    gamma = 0.5 * math.sqrt(p * (1.0 - p)) / L_phi if gamma is None else check_positive("gamma", gamma)
    return eta, p, gamma


def vr_forb(problem: Problem, center, M: int, seed=0, eta: float | None = None, p: float | None = None,
            gamma: float | None = None, snapshot: str = "inner", u_star=None, record_at=None):
    """Algorithm 3 (VR-FoRB, Alacaoglu & Malitsky 2022) for u ~ J_{eta(F+G)}(center).

    Solves 0 in Phi(u) + eta G(u), Phi(u) = eta F(u) + u - center (1-strongly monotone, mean-square
    (eta L + 1)-Lipschitz). Defaults: eta = sqrt(n)/L, p = 1/n, gamma = 0.5 sqrt(p(1-p))/(eta L + 1)
    [recalled form, our factor 0.5; the code uses 5x theory]. Linear convergence E||v_t - u*||^2 ~ (1 - c p)^t.

    Parameters
    ----------
    snapshot : {"inner", "outer"}
        ``inner`` (default): textbook w <- v on refresh; ``outer``: the authors' code, w <- center.
    u_star, record_at : optional
        If given, returns the errors ||v_t - u_star|| at inner steps ``record_at``.

    Returns
    -------
    (v, calls, errors) : (array, int, array or None)

    Examples
    --------
    >>> from theorylab.optim.instances import finite_sum_monotone
    >>> pb = finite_sum_monotone(16, d=4)
    >>> v, calls, _ = vr_forb(pb, pb.x0, M=500)
    >>> calls >= 1000
    True
    """
    problem = check_problem(problem)
    center = np.ascontiguousarray(check_array("center", center, shape=(problem.d,)))
    M = check_int("M", M, minimum=0)
    eta, p, gamma = _forb_defaults(problem, eta, p, gamma)
    variant = {"inner": 0, "outer": 1}[check_choice("snapshot", snapshot, ["inner", "outer"])]
    if u_star is not None:
        u_star = np.ascontiguousarray(check_array("u_star", u_star, shape=(problem.d,)))
        rec = np.arange(M + 1, dtype=np.int64) if record_at is None else np.unique(np.asarray(record_at, np.int64))
    else:
        u_star, rec = np.empty(0), np.empty(0, dtype=np.int64)
    errs, calls, v = kernels.vr_forb_kernel(problem.operator.kernel_args, problem.projection.kernel_args, center,
                                            eta, M, p, gamma, variant, make_rng(seed), u_star, rec)
    return v, int(calls), (errs if u_star.size else None)


def exact_resolvent(problem: Problem, x, eta: float) -> np.ndarray:
    """J_{eta F}(x) = (I + eta M)^{-1}(x + eta c) for affine F and G = 0 (test and claim reference)."""
    problem = check_problem(problem)
    if problem.projection.kind != "identity":
        raise ValueError("exact_resolvent needs G = 0 (identity projection)")
    op = problem.operator
    return np.linalg.solve(np.eye(op.d) + eta * op.matrix, np.asarray(x, float) + eta * op.offset)


def inexact_halpern(problem: Problem, K: int, seed=0, eta: float | None = None, p: float | None = None,
                    gamma: float | None = None, inner_scale: float = 0.05, snapshot: str = "inner",
                    anchor=(1.0, 2.0, 1.0), record_at=None, eta_res: float = 1.0, x0=None, max_calls=None,
                    save_iterates: bool = False, count_inner_init: bool = True) -> History:
    """Algorithm 2 of Cai, Alacaoglu & Diakonikolas (ICLR 2024): inexact Halpern on J_{eta(F+G)}.

    x_{k+1} = lambda_k x0 + (1 - lambda_k) u_k, lambda_k = 1/(k+2), u_k from :func:`vr_forb` with
    M_k = max(1, floor(inner_scale * n * ln(k+2))) inner steps warm-started at x_k (code: inner_scale = 0.05).
    Theorem (paper, [recalled shape]): E||x_K - J(x_K)||/eta <= C_2 D/(eta (K+1)) with accurate enough
    inner solves; O~(n + sqrt(n) L D / eps) calls overall. Oracle-call conventions:
    docs/topics/halpern.md#oracle-calls.

    Parameters
    ----------
    problem : Problem
        Finite-sum monotone inclusion (operator F = (1/n) sum_i F_i, projection for G).
    K : int
        Outer iterations.
    seed : int, SeedSequence or Generator
        Source of the inner solver's indices and refresh coins.
    eta : float, optional
        Resolvent parameter; default sqrt(n)/L.
    p : float, optional
        Inner snapshot-refresh probability; default 1/n.
    gamma : float, optional
        Inner step; default 0.5 sqrt(p(1-p))/(eta L + 1) [our factor 0.5].
    inner_scale : float
        c_M in M_k = floor(c_M n ln(k+2)); the authors' scripts use 0.05.
    snapshot : {"inner", "outer"}
        Inner snapshot rule: textbook w <- v (``inner``) or the authors' fixed w <- x_k (``outer``).
    anchor : tuple (a, b, p)
        lambda_k = a/(k+b)^p; default (1, 2, 1).
    record_at : array_like of int, optional
        Outer iterations at which residual and calls are recorded (default: a spread over 0..K).
    eta_res : float
        Step of the recorded natural residual ||x - J(x - eta_res F(x))|| / eta_res.
    x0 : array_like, optional
        Start and anchor; default ``problem.x0``.
    max_calls : int, optional
        Stop once this many oracle calls have been counted (under the chosen counting).
    save_iterates : bool
        Keep the recorded iterates in the History.
    count_inner_init : bool
        True (theorylab's convention, default): every outer step is charged the n calls of the inner
        solver's initial full evaluation F(x_k). False: the authors' matrix_game.py counting, which does
        not charge it (their quadratic_programming.py does). The iterates are identical; after k outer
        steps the False count is exactly n k lower.

    Returns
    -------
    History
        Recorded iterations, residuals, cumulative oracle calls (``calls``) and epochs (calls / n).

    Examples
    --------
    >>> from theorylab.optim.instances import finite_sum_monotone
    >>> pb = finite_sum_monotone(16, d=4)
    >>> h = inexact_halpern(pb, K=30, seed=0, inner_scale=2.0)
    >>> bool(h.residual[-1] < h.residual[0])
    True
    >>> a = inexact_halpern(pb, K=30, seed=0, inner_scale=2.0, count_inner_init=False)
    >>> bool(((h.calls - a.calls) == 16 * h.iterations).all())
    True
    """
    problem, K, rec, x0, mc = _prep(problem, K, record_at, x0, max_calls)
    eta, p, gamma = _forb_defaults(problem, eta, p, gamma)
    inner_scale = check_positive("inner_scale", inner_scale)
    variant = {"inner": 0, "outer": 1}[check_choice("snapshot", snapshot, ["inner", "outer"])]
    anchor = check_anchor(anchor)
    if not isinstance(count_inner_init, (bool, np.bool_)):
        raise TypeError(f"count_inner_init must be a bool, got {count_inner_init!r}")
    out = kernels.inexact_halpern_kernel(problem.operator.kernel_args, problem.projection.kernel_args, x0, eta, p,
                                         gamma, inner_scale, variant, anchor, K, mc, rec,
                                         check_positive("eta_res", eta_res), make_rng(seed), save_iterates,
                                         bool(count_inner_init))
    return _history(problem, rec, out)
