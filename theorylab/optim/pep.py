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
  case (spec Section 8); Lee & Kim's bound is 4 L^2 / k^2.
- :func:`page_deterministic_pep` -- the deterministic specialisation (p_k = 1) of Algorithm 1.

PEPit (``pip install pepit``) solves the same problems; the tests cross-check one value when it is
installed. Solver: CLARABEL (SCS as a fallback).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from theorylab.core.validate import check_choice, check_int, check_positive

__all__ = ["PEPResult", "halpern_pep", "cocoercive_halpern_pep", "feg_pep", "page_deterministic_pep", "solve_pep"]


@dataclass(frozen=True)
class PEPResult:
    """Worst-case value of a PEP with the theorem's bound beside it (PEPit style)."""

    method: str
    k: int
    value: float
    bound: float
    solver: str
    status: str


def solve_pep(dim: int, points: list, constraint: str, L: float, objective: np.ndarray, solver: str = "CLARABEL"):
    """Maximise objective^T G objective over PSD Gram matrices G under pairwise interpolation constraints.

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
    solver : str

    Returns
    -------
    (value, status)
    """
    import cvxpy as cp

    check_choice("constraint", constraint, ["nonexpansive", "cocoercive", "monotone_lipschitz"])
    L = check_positive("L", L)
    G = cp.Variable((dim, dim), PSD=True)
    zero = np.zeros(dim)
    pts = [(zero, zero)] + [(np.asarray(x, float), np.asarray(g, float)) for x, g in points]
    cons = [G[0, 0] <= 1.0]

    def quad(u, v):
        return cp.sum(cp.multiply(G, np.outer(u, v)))

    for a in range(len(pts)):
        for b in range(a + 1, len(pts)):
            dx = pts[a][0] - pts[b][0]
            dg = pts[a][1] - pts[b][1]
            if constraint == "nonexpansive":
                cons.append(quad(dg, dg) <= quad(dx, dx))
            elif constraint == "cocoercive":
                cons.append(quad(dg, dx) >= quad(dg, dg) / L)
            else:
                cons.append(quad(dg, dx) >= 0)
                cons.append(quad(dg, dg) <= L * L * quad(dx, dx))
    prob = cp.Problem(cp.Maximize(quad(objective, objective)), cons)
    opts = dict(tol_gap_abs=1e-11, tol_gap_rel=1e-11, tol_feas=1e-11, max_iter=500) if solver == "CLARABEL" else {}
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            prob.solve(solver=solver, **opts)
    except cp.error.SolverError:
        prob.solve(solver="SCS", eps=1e-9)
        solver = "SCS"
    return float(prob.value), f"{solver}:{prob.status}"


def _unit(dim, i):
    e = np.zeros(dim)
    e[i] = 1.0
    return e


def halpern_pep(k: int, anchor=(1.0, 2.0, 1.0), solver: str = "CLARABEL") -> PEPResult:
    """Worst case of ||x_k - T x_k||^2 for Halpern on nonexpansive T, ||x0 - x*|| <= 1 (Lieder 2021, Thm 2.1).

    Basis: e0 = x0 - x*, e_{1+j} = T(x_j) - x*. Bound (2/(k+1))^2, attained.

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
    val, status = solve_pep(dim, points, "nonexpansive", 1.0, xk - tk, solver)
    return PEPResult("halpern", k, val, (2.0 / (k + 1)) ** 2, solver, status)


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

    Examples
    --------
    >>> round(cocoercive_halpern_pep(3).value, 6)
    0.0625
    """
    k = check_int("k", k, minimum=1)
    a, b, p = anchor
    dim, points = _anchored_gradient_points(k, 2.0 / L, lambda j: a / (j + b) ** p, inside=True)
    val, status = solve_pep(dim, points, "cocoercive", L, points[-1][1], solver)
    return PEPResult("cocoercive_halpern", k, val, L * L / (k + 1) ** 2, solver, status)


def page_deterministic_pep(k: int, eta_L: float = 1.0, solver: str = "CLARABEL") -> PEPResult:
    """Worst case of ||F(x_k)||^2 (L = D = 1) for Algorithm 1 with p_k = 1: x+ = l x0 + (1-l) x - eta F(x), l = 2/(j+4).

    No closed form is known; ``bound`` is our observed envelope (2/(eta L))^2 / (k+4)^2 x 4 [ours], for display.
    """
    k = check_int("k", k, minimum=1)
    dim, points = _anchored_gradient_points(k, eta_L, lambda j: 2.0 / (j + 4.0), inside=False)
    val, status = solve_pep(dim, points, "cocoercive", 1.0, points[-1][1], solver)
    return PEPResult("page_deterministic", k, val, float("nan"), solver, status)


def feg_pep(k: int, L: float = 1.0, anchor=(1.0, 1.0, 1.0), step_scale: float = 1.0,
            solver: str = "CLARABEL") -> PEPResult:
    """Upper bound on the worst case of ||F(z_k)||^2 for FEG (Lee & Kim 2021) on monotone L-Lipschitz F, D <= 1.

    Bound 4 L^2 / k^2. Constraints are pairwise monotone + Lipschitz (necessary only), so the value is an
    upper bound on the true worst case.

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
    val, status = solve_pep(dim, points, "monotone_lipschitz", L, gk, solver)
    return PEPResult("feg", k, val, 4.0 * L * L / k ** 2, solver, status)
