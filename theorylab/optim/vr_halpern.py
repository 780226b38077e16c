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

Each takes a seed (int, SeedSequence or Generator) for one run: the seed becomes that run's stream
state (:func:`stream_state`) and the same seed gives the same iterates. The batched entry points
:func:`page_halpern_runs`, :func:`vr_eg_runs`, :func:`inexact_halpern_runs` and :func:`vr_forb_runs`
run one SeedSequence per run (:func:`theorylab.core.seeding.repetition_seeds`) in ONE kernel call and
return the runs stacked (:class:`Histories`); run r's numbers depend only on its seed, not on the batch
(the single-run functions are the batch of one). Randomness: :mod:`theorylab.optim.kernels`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from theorylab.core.seeding import check_seeds
from theorylab.core.streams import init_states, seed_state as stream_state   # the package's one seed rule
from theorylab.core.validate import check_array, check_choice, check_int, check_open_unit, check_positive
from theorylab.optim import kernels
from theorylab.optim.halpern import History, _prep, check_anchor, check_problem
from theorylab.optim.instances import Problem

__all__ = ["page_halpern", "inexact_halpern", "vr_forb", "vr_eg", "page_halpern_runs", "inexact_halpern_runs",
           "vr_forb_runs", "vr_eg_runs", "Histories", "stream_state", "page_expected_calls"]


def _one_state(seed) -> np.ndarray:
    """The batch of one run of a single-run entry point."""
    return np.array([stream_state(seed)], dtype=np.uint64)


def _batch_states(seeds) -> np.ndarray:
    """Stream states of a batch (a fresh array: the kernels advance it in place).

    A uint64 array is taken as the states themselves (the tasks pass ``init_states(check_seeds(seeds))``);
    anything else must be SeedSequences, one per run (:func:`theorylab.core.seeding.check_seeds`).
    """
    if isinstance(seeds, np.ndarray) and seeds.dtype == np.uint64:
        if seeds.ndim != 1 or not seeds.size:
            raise ValueError(f"seeds must be a non-empty one-dimensional array of states, got shape {seeds.shape}")
        return seeds.copy()
    return np.ascontiguousarray(init_states(check_seeds(seeds)), dtype=np.uint64)


@dataclass(frozen=True)
class Histories:
    """Residual histories of a batch of R runs, stacked (the batched entry points return it).

    Attributes
    ----------
    iterations : numpy.ndarray of int64, shape (m,)
        Recorded iterations (the same for every run).
    residual : numpy.ndarray of float, shape (R, m)
        Natural residual of run r at those iterations; nan where the run stopped before (oracle budget).
    calls : numpy.ndarray of int64, shape (R, m)
        Oracle calls spent before the recorded iterate; -1 where not reached.
    n : int
        Number of components (``epochs = calls / n``).
    x_final : numpy.ndarray of float, shape (R, d)
        Last iterate of every run.
    iterates : numpy.ndarray of float, shape (R, m, d) or (R, 0, d)
        Saved iterates when requested.

    Examples
    --------
    >>> from theorylab.core.seeding import repetition_seeds
    >>> from theorylab.optim.instances import cocoercive_family
    >>> hs = page_halpern_runs(cocoercive_family(16, d=3), 20, repetition_seeds(0, "doc", 3), record_at=[0, 20])
    >>> len(hs), hs.residual.shape, hs.run(1).residual.shape
    (3, (3, 2), (2,))
    """

    iterations: np.ndarray
    residual: np.ndarray
    calls: np.ndarray
    n: int
    x_final: np.ndarray
    iterates: np.ndarray

    def __len__(self) -> int:
        return int(self.residual.shape[0])

    @property
    def epochs(self) -> np.ndarray:
        """Oracle calls / n, shape (R, m); nan where not reached."""
        return np.where(self.calls >= 0, self.calls / self.n, np.nan)

    def run(self, r: int) -> History:
        """Run ``r`` as a single-run :class:`~theorylab.optim.halpern.History`.

        Parameters
        ----------
        r : int
            Run index, 0 <= r < R.

        Returns
        -------
        History
            The run's residuals, calls, last iterate and saved iterates (copies).
        """
        r = check_int("r", r, minimum=0, maximum=len(self) - 1)
        return History(self.iterations, self.residual[r].copy(), self.calls[r].copy(), self.n,
                       self.x_final[r].copy(), self.iterates[r].copy())


def _histories(problem, rec, out) -> Histories:
    res, calls, iters, x = out
    return Histories(rec, res, calls, problem.n, x, iters)


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
    One run: the batch of one of :func:`page_halpern_runs`.

    Parameters
    ----------
    problem : Problem
    K : int
        Iterations.
    seed : int, SeedSequence or Generator
        The run's stream (:func:`stream_state`; a Generator is advanced by one draw).
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
    return page_halpern_runs(problem, K, _one_state(seed), eta=eta, batch_size=batch_size, anchor=anchor,
                             refresh=refresh, replace=replace, update=update, calls_per_sample=calls_per_sample,
                             record_at=record_at, eta_res=eta_res, x0=x0, max_calls=max_calls,
                             save_iterates=save_iterates).run(0)


def page_halpern_runs(problem: Problem, K: int, seeds, eta: float | None = None, batch_size: int | None = None,
                      anchor=(2.0, 4.0, 1.0), refresh: str = "schedule", replace: bool = False,
                      update: str = "code", calls_per_sample: int = 2, record_at=None, eta_res: float = 1.0,
                      x0=None, max_calls=None, save_iterates: bool = False) -> Histories:
    """Algorithm 1 (Cai, Alacaoglu & Diakonikolas, ICLR 2024) for a batch of runs in one kernel call.

    Run r is :func:`page_halpern` with run r's stream: its numbers depend only on ``seeds[r]``, not on
    the other runs of the batch.

    Parameters
    ----------
    problem : Problem
    K : int
        Iterations.
    seeds : sequence of numpy.random.SeedSequence, or numpy.ndarray of uint64
        One SeedSequence per run (:func:`theorylab.core.seeding.repetition_seeds`), turned into stream
        states by :func:`theorylab.core.streams.init_states`; a uint64 array is taken as the states
        themselves.
    eta, batch_size, anchor, refresh, replace, update, calls_per_sample
        As in :func:`page_halpern`.
    record_at, eta_res, x0, max_calls, save_iterates
        As in :func:`page_halpern` (the same recorded iterations for every run).

    Returns
    -------
    Histories
        Residuals and calls of shape (R, m), last iterates (R, d), saved iterates (R, m, d) if asked.

    Examples
    --------
    >>> from theorylab.core.seeding import repetition_seeds
    >>> from theorylab.optim.instances import cocoercive_family
    >>> pb, seeds = cocoercive_family(16, d=3), repetition_seeds(0, "doc", 4)
    >>> hs = page_halpern_runs(pb, 50, seeds)
    >>> bool(np.array_equal(hs.residual[1:3], page_halpern_runs(pb, 50, seeds[1:3]).residual))
    True
    """
    problem, K, rec, x0, mc = _prep(problem, K, record_at, x0, max_calls)
    states = _batch_states(seeds)
    eta = 1.0 / problem.L if eta is None else check_positive("eta", eta)
    b = int(math.isqrt(problem.n)) if batch_size is None else check_int("batch_size", batch_size, minimum=1,
                                                                      maximum=problem.n)
    b = max(b, 1)
    a_num, a_shift, a_pow = check_anchor(anchor)
    p_mode = {"schedule": 0, "always": 1}[check_choice("refresh", refresh, ["schedule", "always"])]
    classic = check_choice("update", update, ["code", "classic"]) == "classic"
    cps = check_int("calls_per_sample", calls_per_sample, minimum=0)
    eta_res = check_positive("eta_res", eta_res)
    out = kernels.batch_outputs(states.size, rec, problem.d, bool(save_iterates))
    kernels.page_halpern_batch(problem.operator.kernel_args, problem.projection.kernel_args, x0, float(eta), int(b),
                               float(a_num), float(a_shift), float(a_pow), int(p_mode), bool(replace), bool(classic), int(cps), int(K),
                               mc, rec, float(eta_res), states, *out)
    return _histories(problem, rec, out)


def vr_eg(problem: Problem, K: int, seed=0, tau: float | None = None, p: float | None = None, record_at=None,
          eta_res: float = 1.0, x0=None, max_calls=None) -> History:
    """Loopless SVRG extragradient (Alacaoglu & Malitsky, COLT 2022), as in the authors' scripts.

    xbar = (1-p) x + p w; xh = J(xbar - tau F(w)); x+ = J(xbar - tau (F(w) + F_i(xh) - F_i(w))) (2 calls);
    with probability p: w = x+, full F(w) (n calls). Default p = 1/n, tau = 0.99 sqrt(p)/L (theory:
    gamma sqrt(p)/L with gamma in (0,1) [recalled]). The guarantee is for the averaged gap, not for the
    last-iterate residual recorded here. One run: the batch of one of :func:`vr_eg_runs`.

    Parameters
    ----------
    problem : Problem
        The instance (operator, projection, x0, constants).
    K : int
        Iterations.
    seed : int, SeedSequence or Generator
        The run's stream of sampled indices and snapshot coins (:func:`stream_state`).
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
    return vr_eg_runs(problem, K, _one_state(seed), tau=tau, p=p, record_at=record_at, eta_res=eta_res, x0=x0,
                      max_calls=max_calls).run(0)


def vr_eg_runs(problem: Problem, K: int, seeds, tau: float | None = None, p: float | None = None, record_at=None,
               eta_res: float = 1.0, x0=None, max_calls=None) -> Histories:
    """Loopless SVRG extragradient (Alacaoglu & Malitsky, COLT 2022) for a batch of runs in one kernel call.

    Parameters
    ----------
    problem : Problem
        The instance.
    K : int
        Iterations.
    seeds : sequence of numpy.random.SeedSequence, or numpy.ndarray of uint64
        One per run, as in :func:`page_halpern_runs`.
    tau, p, record_at, eta_res, x0, max_calls
        As in :func:`vr_eg`.

    Returns
    -------
    Histories
        Residuals and calls (R, m), last iterates (R, d).

    Examples
    --------
    >>> from theorylab.core.seeding import repetition_seeds
    >>> from theorylab.optim.instances import finite_sum_monotone
    >>> hs = vr_eg_runs(finite_sum_monotone(16, d=4), 500, repetition_seeds(0, "doc", 2))
    >>> hs.residual.shape[0]
    2
    """
    problem, K, rec, x0, mc = _prep(problem, K, record_at, x0, max_calls)
    states = _batch_states(seeds)
    p = 1.0 / problem.n if p is None else check_open_unit("p", p)
    tau = 0.99 * math.sqrt(p) / problem.L if tau is None else check_positive("tau", tau)
    eta_res = check_positive("eta_res", eta_res)
    out = kernels.batch_outputs(states.size, rec, problem.d, False)
    kernels.vr_eg_batch(problem.operator.kernel_args, problem.projection.kernel_args, x0, float(tau), float(p), int(K),
                        mc, rec, float(eta_res), states, *out)
    return _histories(problem, rec, out)


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
    One run: the batch of one of :func:`vr_forb_runs`.

    Parameters
    ----------
    problem : Problem
        Finite-sum monotone inclusion.
    center : array_like, shape (d,)
        The point whose resolvent is approximated (also the start).
    M : int
        Inner iterations.
    seed : int, SeedSequence or Generator
        The run's stream of indices and snapshot coins (:func:`stream_state`).
    eta, p, gamma : float, optional
        Resolvent parameter, snapshot probability, step (defaults above).
    snapshot : {"inner", "outer"}
        ``inner`` (default): textbook w <- v on refresh; ``outer``: the authors' code, w <- center.
    u_star, record_at : optional
        If given, returns the errors ||v_t - u_star|| at inner steps ``record_at`` (default every step).

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
    v, calls, errs = vr_forb_runs(problem, center, M, _one_state(seed), eta=eta, p=p, gamma=gamma, snapshot=snapshot,
                                  u_star=u_star, record_at=record_at)
    return v[0], int(calls[0]), (errs[0] if errs is not None else None)


def vr_forb_runs(problem: Problem, center, M: int, seeds, eta: float | None = None, p: float | None = None,
                 gamma: float | None = None, snapshot: str = "inner", u_star=None, record_at=None):
    """Algorithm 3 (VR-FoRB, Alacaoglu & Malitsky 2022) for a batch of runs in one kernel call.

    Parameters
    ----------
    problem : Problem
        Finite-sum monotone inclusion.
    center : array_like, shape (d,)
        The point whose resolvent is approximated (also the start of every run).
    M : int
        Inner iterations.
    seeds : sequence of numpy.random.SeedSequence, or numpy.ndarray of uint64
        One per run, as in :func:`page_halpern_runs`.
    eta, p, gamma, snapshot, u_star, record_at
        As in :func:`vr_forb`.

    Returns
    -------
    (v, calls, errors) : (array (R, d), int64 array (R,), float array (R, m) or None)
        Last inner iterates, oracle calls and, with ``u_star``, the errors of every run.

    Examples
    --------
    >>> from theorylab.core.seeding import repetition_seeds
    >>> from theorylab.optim.instances import finite_sum_monotone
    >>> pb = finite_sum_monotone(16, d=4)
    >>> v, calls, _ = vr_forb_runs(pb, pb.x0, 500, repetition_seeds(0, "doc", 3))
    >>> v.shape, bool((calls >= 1000).all())
    ((3, 4), True)
    """
    problem = check_problem(problem)
    center = np.ascontiguousarray(check_array("center", center, shape=(problem.d,)), dtype=float)
    M = check_int("M", M, minimum=0)
    states = _batch_states(seeds)
    eta, p, gamma = _forb_defaults(problem, eta, p, gamma)
    variant = {"inner": 0, "outer": 1}[check_choice("snapshot", snapshot, ["inner", "outer"])]
    if u_star is not None:
        u_star = np.ascontiguousarray(check_array("u_star", u_star, shape=(problem.d,)), dtype=float)
        rec = np.arange(M + 1, dtype=np.int64) if record_at is None else np.unique(np.asarray(record_at, np.int64))
        if rec.size and (rec[0] < 0 or rec[-1] > M):
            raise ValueError(f"record_at must lie in [0, M={M}], got range [{rec[0]}, {rec[-1]}]")
    else:
        u_star, rec = np.empty(0), np.empty(0, dtype=np.int64)
    R = states.size
    errs = np.full((R, rec.size), np.nan)
    calls = np.zeros(R, dtype=np.int64)
    v = np.empty((R, problem.d))
    kernels.vr_forb_batch(problem.operator.kernel_args, problem.projection.kernel_args, center, float(eta), int(M),
                          float(p), float(gamma), int(variant), True, u_star, rec, states, errs, calls, v)
    return v, calls, (errs if u_star.size else None)


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
    docs/topics/halpern.md#oracle-calls. One run: the batch of one of :func:`inexact_halpern_runs`.

    Parameters
    ----------
    problem : Problem
        Finite-sum monotone inclusion (operator F = (1/n) sum_i F_i, projection for G).
    K : int
        Outer iterations.
    seed : int, SeedSequence or Generator
        The run's stream of the inner solver's indices and refresh coins (:func:`stream_state`).
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
    return inexact_halpern_runs(problem, K, _one_state(seed), eta=eta, p=p, gamma=gamma, inner_scale=inner_scale,
                                snapshot=snapshot, anchor=anchor, record_at=record_at, eta_res=eta_res, x0=x0,
                                max_calls=max_calls, save_iterates=save_iterates,
                                count_inner_init=count_inner_init).run(0)


def inexact_halpern_runs(problem: Problem, K: int, seeds, eta: float | None = None, p: float | None = None,
                         gamma: float | None = None, inner_scale: float = 0.05, snapshot: str = "inner",
                         anchor=(1.0, 2.0, 1.0), record_at=None, eta_res: float = 1.0, x0=None, max_calls=None,
                         save_iterates: bool = False, count_inner_init: bool = True) -> Histories:
    """Algorithm 2 of Cai, Alacaoglu & Diakonikolas (ICLR 2024) for a batch of runs in one kernel call.

    Parameters
    ----------
    problem : Problem
        Finite-sum monotone inclusion.
    K : int
        Outer iterations.
    seeds : sequence of numpy.random.SeedSequence, or numpy.ndarray of uint64
        One per run, as in :func:`page_halpern_runs`.
    eta, p, gamma, inner_scale, snapshot, anchor
        As in :func:`inexact_halpern`.
    record_at, eta_res, x0, max_calls, save_iterates, count_inner_init
        As in :func:`inexact_halpern` (the same recorded iterations for every run).

    Returns
    -------
    Histories
        Residuals and calls (R, m), last iterates (R, d), saved iterates (R, m, d) if asked.

    Examples
    --------
    >>> from theorylab.core.seeding import repetition_seeds
    >>> from theorylab.optim.instances import finite_sum_monotone
    >>> hs = inexact_halpern_runs(finite_sum_monotone(16, d=4), 10, repetition_seeds(0, "doc", 2), inner_scale=2.0)
    >>> bool((hs.residual[:, -1] < hs.residual[:, 0]).all())
    True
    """
    problem, K, rec, x0, mc = _prep(problem, K, record_at, x0, max_calls)
    states = _batch_states(seeds)
    eta, p, gamma = _forb_defaults(problem, eta, p, gamma)
    inner_scale = check_positive("inner_scale", inner_scale)
    variant = {"inner": 0, "outer": 1}[check_choice("snapshot", snapshot, ["inner", "outer"])]
    a_num, a_shift, a_pow = check_anchor(anchor)
    if not isinstance(count_inner_init, (bool, np.bool_)):
        raise TypeError(f"count_inner_init must be a bool, got {count_inner_init!r}")
    eta_res = check_positive("eta_res", eta_res)
    out = kernels.batch_outputs(states.size, rec, problem.d, bool(save_iterates))
    kernels.inexact_halpern_batch(problem.operator.kernel_args, problem.projection.kernel_args, x0, float(eta),
                                  float(p), float(gamma), float(inner_scale), int(variant), float(a_num),
                                  float(a_shift), float(a_pow), int(K), mc, rec, float(eta_res),
                                  bool(count_inner_init), states, *out)
    return _histories(problem, rec, out)
