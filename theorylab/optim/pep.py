"""Performance estimation (PEP) of anchored methods: a small Gram-matrix SDP in cvxpy.

Following Taylor, Hendrickx & Glineur (PEP) and Ryu, Taylor, Bergeling & Giselsson (operator
interpolation, SIAM J. Optim. 2020): the worst case of a fixed-step first-order method after k steps
over a class of operators is the optimum of an SDP over the Gram matrix of {x0 - x*, F(x_0), ...}.

- :func:`halpern_pep` -- nonexpansive T (interpolation is exact: Kirszbraun-Valentine), objective
  ||x_k - T x_k||^2 with ||x0 - x*|| <= 1; equals Lieder's (2/(k+1))^2.
- :func:`cocoercive_halpern_pep` -- Halpern on I - (2/L)F, F (1/L)-cocoercive (exact interpolation),
  objective ||F(x_k)||^2; equals L^2/(k+1)^2.
- :func:`feg_pep` -- FEG on monotone L-Lipschitz F with pairwise monotone + Lipschitz constraints,
  which are necessary but not sufficient for interpolation: the value is an upper bound on the worst
  case (docs/topics/halpern.md#pep); Lee & Kim's bound is 4 L^2 / k^2.
- :func:`page_deterministic_pep` -- the deterministic specialisation (p_k = 1) of Algorithm 1.

PEPit (``pip install pepit``) solves the same problems; the tests cross-check one value when it is
installed. Every solve is certified (:func:`solve_pep`): the solver and status that ran are recorded, the
primal and dual residuals are recomputed from the solution, and an inaccurate solve is re-solved with other
settings or another solver, else reported uncertified.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from theorylab.core.validate import check_choice, check_int, check_positive

__all__ = ["PEPResult", "PEPSolve", "ATTEMPTS", "RESIDUAL_TOL", "halpern_pep", "cocoercive_halpern_pep", "feg_pep",
           "page_deterministic_pep", "solve_pep"]


#: Solve attempts of :func:`solve_pep`, in order: CLARABEL with tight tolerances, CLARABEL with its default
#: tolerances and more iterations, then SCS. The first attempt whose status is ``optimal`` and whose
#: independently computed residuals pass :data:`RESIDUAL_TOL` is kept.
ATTEMPTS = (("CLARABEL", dict(tol_gap_abs=1e-11, tol_gap_rel=1e-11, tol_feas=1e-11, max_iter=500)),
            ("CLARABEL", dict(max_iter=2000)),
            ("SCS", dict(eps=1e-10, max_iters=200_000)))
#: A solve is certified when its primal and dual residuals and its duality gap are at most this (relative to
#: max(1, |value|)).
RESIDUAL_TOL = 1e-7


@dataclass(frozen=True)
class PEPResult:
    """Worst-case value of a PEP with the theorem's bound beside it (PEPit style), and how it was solved.

    ``solver`` and ``status`` are those of the attempt that was kept; ``certified`` is True iff that attempt
    reported ``optimal`` and its residuals (computed here from the primal and dual solution, not read from the
    solver) are at most :data:`RESIDUAL_TOL`. ``attempts`` lists every ``solver:status`` tried, in order.

    Attributes
    ----------
    method : str
        The method analysed.
    k : int
        Iterations.
    value : float
        Worst-case value (squared residual, L = D = 1 unless stated).
    bound : float
        The closed form it is compared with (inf when there is none).
    solver, status : str
        The kept attempt's solver and status.
    certified : bool
        Whether the kept attempt is certified.
    primal_residual, dual_residual, gap : float
        Recomputed residuals of the kept attempt.
    attempts : tuple of str
        Every ``solver:status`` tried.
    """

    method: str
    k: int
    value: float
    bound: float
    solver: str
    status: str
    certified: bool = False
    primal_residual: float = float("nan")
    dual_residual: float = float("nan")
    gap: float = float("nan")
    attempts: tuple = ()

    def record(self) -> dict:
        """The solve record kept in claim details."""
        return dict(k=self.k, solver=self.solver, status=self.status, certified=self.certified,
                    primal_residual=self.primal_residual, dual_residual=self.dual_residual, gap=self.gap,
                    attempts=list(self.attempts))


@dataclass(frozen=True)
class PEPSolve:
    """Outcome of :func:`solve_pep` (see :class:`PEPResult` for the fields).

    Parameters
    ----------
    value : float
        Optimal value of the SDP.
    solver : str
        Solver that produced the accepted solution.
    status : str
        Its status.
    certified : bool
        Whether all recomputed residuals are within tolerance.
    primal_residual, dual_residual, gap : float
        Recomputed residuals.
    attempts : list
        Every solve tried (solver, settings, status).
    """

    value: float
    solver: str
    status: str
    certified: bool
    primal_residual: float
    dual_residual: float
    gap: float
    attempts: tuple


def _constraint_matrices(dim, points, constraint, L):
    """Each interpolation constraint as ``<M, G> <= b`` (M symmetric), the first being ``G[0, 0] <= 1``."""
    zero = np.zeros(dim)
    pts = [(zero, zero)] + [(np.asarray(x, float), np.asarray(g, float)) for x, g in points]

    def sym(u, v):
        m = np.outer(u, v)
        return (m + m.T) / 2

    rows = [(sym(np.eye(dim)[0], np.eye(dim)[0]), 1.0)]
    for a in range(len(pts)):
        for b in range(a + 1, len(pts)):
            dx = pts[a][0] - pts[b][0]
            dg = pts[a][1] - pts[b][1]
            if constraint == "nonexpansive":                 # ||dg||^2 <= ||dx||^2
                rows.append((sym(dg, dg) - sym(dx, dx), 0.0))
            elif constraint == "cocoercive":                 # <dg, dx> >= ||dg||^2 / L
                rows.append((sym(dg, dg) / L - sym(dg, dx), 0.0))
            else:                                            # monotone and L-Lipschitz
                rows.append((-sym(dg, dx), 0.0))
                rows.append((sym(dg, dg) - L * L * sym(dx, dx), 0.0))
    return rows


def _residuals(G, y, rows, C, value):
    """Primal residual (constraint and PSD violation), dual residual (PSD violation of sum y_i M_i - C and
    negative multipliers) and duality gap |sum y_i b_i - value|, all relative to max(1, |value|)."""
    scale = max(1.0, abs(value))
    viol = max([float(np.sum(M * G) - b) for M, b in rows] + [0.0])
    primal = max(viol, -float(np.linalg.eigvalsh((G + G.T) / 2).min()), 0.0) / scale
    S = sum(yi * M for yi, (M, _) in zip(y, rows)) - C
    dual = max(-float(np.linalg.eigvalsh(S).min()), -float(np.min(y)), 0.0) / scale
    gap = abs(float(sum(yi * b for yi, (_, b) in zip(y, rows))) - value) / scale
    return primal, dual, gap


def solve_pep(dim: int, points: list, constraint: str, L: float, objective: np.ndarray,
              solver: str = "CLARABEL") -> PEPSolve:
    """Maximise objective^T G objective over PSD Gram matrices G under pairwise interpolation constraints.

    Tries the solver settings of :data:`ATTEMPTS` in order (``solver`` first) and keeps the first solve that
    is ``optimal`` and passes the residual check; a solve that never does is returned with
    ``certified=False`` (its last attempt), never silently accepted.

    Parameters
    ----------
    dim : int
        Size of the basis; basis vector 0 is x0 - x*, and ||x0 - x*||^2 = G[0, 0] <= 1.
    points : list of (x_coeffs, g_coeffs)
        Every point with its operator value, both as coefficient vectors in the basis (x* = 0, F(x*) = 0
        or T(x*) = 0 is added automatically).
    constraint : {"nonexpansive", "cocoercive", "monotone_lipschitz"}
    L : float
        Lipschitz / cocoercivity parameter.
    objective : array, shape (dim,)
    solver : {"CLARABEL", "SCS"}
        The solver tried first.

    Returns
    -------
    PEPSolve
        Value, the solver and status of the kept attempt, ``certified``, residuals and every attempt.

    Examples
    --------
    >>> e = np.eye(2)
    >>> res = solve_pep(2, [(e[0], e[1])], "nonexpansive", 1.0, e[0] - e[1])
    >>> round(res.value, 6), res.certified
    (4.0, True)
    """
    import warnings

    import cvxpy as cp

    check_int("dim", dim, minimum=1)
    check_choice("constraint", constraint, ["nonexpansive", "cocoercive", "monotone_lipschitz"])
    check_choice("solver", solver, ["CLARABEL", "SCS"])
    L = check_positive("L", L)
    rows = _constraint_matrices(dim, points, constraint, L)
    obj = np.asarray(objective, float)
    C = np.outer(obj, obj)
    G = cp.Variable((dim, dim), symmetric=True)
    cons = [cp.sum(cp.multiply(G, M)) <= b for M, b in rows] + [G >> 0]
    prob = cp.Problem(cp.Maximize(cp.sum(cp.multiply(G, C))), cons)
    order = sorted(ATTEMPTS, key=lambda a: a[0] != solver)
    tried = []
    last = None
    for name, opts in order:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                prob.solve(solver=name, **opts)
        except cp.error.SolverError as exc:
            tried.append(f"{name}:error({type(exc).__name__})")
            continue
        tried.append(f"{name}:{prob.status}")
        if prob.value is None or G.value is None:
            continue
        value = float(prob.value)
        y = np.array([float(c.dual_value) for c in cons[:-1]])
        primal, dual, gap = _residuals(G.value, y, rows, C, value)
        ok = prob.status == "optimal" and max(primal, dual, gap) <= RESIDUAL_TOL
        last = PEPSolve(value, name, prob.status, ok, primal, dual, gap, tuple(tried))
        if ok:
            return last
    if last is None:
        return PEPSolve(float("nan"), tried[-1].split(":")[0], "failed", False, float("nan"), float("nan"),
                        float("nan"), tuple(tried))
    return PEPSolve(last.value, last.solver, last.status, False, last.primal_residual, last.dual_residual,
                    last.gap, tuple(tried))


def _result(method, k, bound, sol: PEPSolve) -> PEPResult:
    return PEPResult(method, k, sol.value, bound, sol.solver, sol.status, sol.certified, sol.primal_residual,
                     sol.dual_residual, sol.gap, sol.attempts)


def _unit(dim, i):
    e = np.zeros(dim)
    e[i] = 1.0
    return e


def halpern_pep(k: int, anchor=(1.0, 2.0, 1.0), solver: str = "CLARABEL") -> PEPResult:
    """Worst case of ||x_k - T x_k||^2 for Halpern on nonexpansive T, ||x0 - x*|| <= 1 (Lieder 2021, Thm 2.1).

    Basis: e0 = x0 - x*, e_{1+j} = T(x_j) - x*. Bound (2/(k+1))^2, attained.

    Parameters
    ----------
    k : int
        Iterations.
    anchor : tuple
        (a, b, p) of lambda_k.
    solver : str
        cvxpy SDP solver.

    Returns
    -------
    PEPResult
        Worst-case value, the closed form where known, and the certified solve.

    Examples
    --------
    >>> round(halpern_pep(3).value, 6)
    0.25
    """
    k = check_int("k", k, minimum=1)
    a, b, p = anchor
    dim = k + 2
    x = _unit(dim, 0)
    points = []
    for j in range(k + 1):
        t = _unit(dim, 1 + j)
        points.append((x, t))
        lam = a / (j + b) ** p
        x = lam * _unit(dim, 0) + (1 - lam) * t
    xk, tk = points[-1]
    return _result("halpern", k, (2.0 / (k + 1)) ** 2, solve_pep(dim, points, "nonexpansive", 1.0, xk - tk, solver))


def _anchored_gradient_points(k, step, lam_fn, inside):
    dim = k + 2
    e0 = _unit(dim, 0)
    x = e0
    points = []
    for j in range(k + 1):
        g = _unit(dim, 1 + j)
        points.append((x, g))
        lam = lam_fn(j)
        x = lam * e0 + (1 - lam) * (x - step * g) if inside else lam * e0 + (1 - lam) * x - step * g
    return dim, points


def cocoercive_halpern_pep(k: int, L: float = 1.0, anchor=(1.0, 2.0, 1.0), solver: str = "CLARABEL") -> PEPResult:
    """Worst case of ||F(x_k)||^2 for Halpern on T = I - (2/L)F, F (1/L)-cocoercive, D <= 1. Bound L^2/(k+1)^2.

    Parameters
    ----------
    k : int
        Iterations.
    L : float
        Cocoercivity constant.
    anchor : tuple
        (a, b, p) of lambda_k.
    solver : str
        cvxpy SDP solver.

    Returns
    -------
    PEPResult
        Worst-case value, the closed form where known, and the certified solve.

    Examples
    --------
    >>> round(cocoercive_halpern_pep(3).value, 6)
    0.0625
    """
    k = check_int("k", k, minimum=1)
    a, b, p = anchor
    dim, points = _anchored_gradient_points(k, 2.0 / L, lambda j: a / (j + b) ** p, inside=True)
    return _result("cocoercive_halpern", k, L * L / (k + 1) ** 2,
                   solve_pep(dim, points, "cocoercive", L, points[-1][1], solver))


def page_deterministic_pep(k: int, eta_L: float = 1.0, solver: str = "CLARABEL") -> PEPResult:
    """Worst case of ||F(x_k)||^2 (L = D = 1) for Algorithm 1 with p_k = 1: x+ = l x0 + (1-l) x - eta F(x), l = 2/(j+4).

    No closed form is known; ``bound`` is our observed envelope (2/(eta L))^2 / (k+4)^2 x 4 [ours], for display.

    Parameters
    ----------
    k : int
        Iterations.
    eta_L : float
        Step times L.
    solver : str
        cvxpy SDP solver.

    Returns
    -------
    PEPResult
        Worst-case value, the closed form where known, and the certified solve.
    """
    k = check_int("k", k, minimum=1)
    dim, points = _anchored_gradient_points(k, eta_L, lambda j: 2.0 / (j + 4.0), inside=False)
    return _result("page_deterministic", k, float("nan"), solve_pep(dim, points, "cocoercive", 1.0, points[-1][1], solver))


def feg_pep(k: int, L: float = 1.0, anchor=(1.0, 1.0, 1.0), step_scale: float = 1.0,
            solver: str = "CLARABEL") -> PEPResult:
    """Upper bound on the worst case of ||F(z_k)||^2 for FEG (Lee & Kim 2021) on monotone L-Lipschitz F, D <= 1.

    Bound 4 L^2 / k^2. Constraints are pairwise monotone + Lipschitz (necessary only), so the value is an
    upper bound on the true worst case.

    Parameters
    ----------
    k : int
        Iterations.
    L : float
        Lipschitz constant.
    anchor : tuple
        (a, b, p) of beta_k.
    step_scale : float
        Multiplies the step 1/L.
    solver : str
        cvxpy SDP solver.

    Returns
    -------
    PEPResult
        Worst-case value, the closed form where known, and the certified solve.

    Examples
    --------
    >>> round(feg_pep(2).value, 4)
    1.0
    """
    k = check_int("k", k, minimum=1)
    a, b, p = anchor
    step = check_positive("step_scale", step_scale) / L
    dim = 2 * k + 2
    e0 = _unit(dim, 0)
    z = e0
    points = []
    for j in range(k):
        g = _unit(dim, 1 + 2 * j)
        beta = a / (j + b) ** p
        zh = z + beta * (e0 - z) - (1 - beta) * step * g
        gh = _unit(dim, 2 + 2 * j)
        points += [(z, g), (zh, gh)]
        z = z + beta * (e0 - z) - step * gh
    gk = _unit(dim, 2 * k + 1)
    points.append((z, gk))
    return _result("feg", k, 4.0 * L * L / k ** 2, solve_pep(dim, points, "monotone_lipschitz", L, gk, solver))
