"""Slow pure-numpy twins of the kernels, used only in tests (same seed, same iterates, same call counts).

Oracle calls are counted by instrumentation here (:class:`CountingOperator` counts every F_i actually
evaluated; a full evaluation is the mean of all n components), which the tests compare with the
kernels' analytic counters (docs/topics/halpern.md#oracle-calls).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["CountingOperator", "reference_halpern", "reference_feg", "reference_page_halpern",
           "reference_vr_eg", "reference_vr_forb"]


class CountingOperator:
    """Wraps a FiniteSumOperator; ``calls`` counts component evaluations actually made.

    Parameters
    ----------
    op : FiniteSumOperator
        Operator with ``n`` components, evaluated through ``op.component(i, z)``.

    Attributes
    ----------
    op : FiniteSumOperator
        The wrapped operator.
    n : int
        Number of components (``op.n``).
    calls : int
        Component evaluations made so far; :meth:`full` adds n, :meth:`component` adds 1.
    """

    def __init__(self, op):
        self.op = op
        self.n = op.n
        self.calls = 0

    def component(self, i, z):
        self.calls += 1
        return self.op.component(int(i), z)

    def full(self, z):
        return sum(self.component(i, z) for i in range(self.n)) / self.n


def _uniform_index(rng, m):
    return min(int(rng.random() * m), m - 1)


def reference_halpern(problem, K, eta, anchor=(1.0, 2.0, 1.0)):
    """Halpern on T = J(I - eta F); returns (iterates list, calls).

    Iteration x_{k+1} = lam_k x0 + (1 - lam_k) J(x_k - eta F(x_k)) with lam_k = a / (k + b)^p and full
    evaluations of F.

    Parameters
    ----------
    problem : theorylab.optim.instances.Problem
        Supplies ``operator`` (FiniteSumOperator with ``n`` components F_i), ``projection`` (J_{eta G},
        identity when G = 0) and the start point ``x0`` (float array, shape (d,)).
    K : int
        Number of iterations.
    eta : float
        Step size of the forward step.
    anchor : tuple of float (a, b, p), default (1.0, 2.0, 1.0)
        Anchoring weights lam_k = a / (k + b)^p.

    Returns
    -------
    iterates : list of numpy.ndarray of float, length K + 1
        Iterates x_0, ..., x_K, starting with ``x0``.
    calls : int
        Component evaluations F_i counted by :class:`CountingOperator` (a full evaluation counts n).
    """
    F, J = CountingOperator(problem.operator), problem.projection
    a, b, p = anchor
    x0 = problem.x0.copy()
    x = x0.copy()
    xs = [x.copy()]
    for k in range(K):
        lam = a / (k + b) ** p
        x = lam * x0 + (1 - lam) * J(x - eta * F.full(x))
        xs.append(x.copy())
    return xs, F.calls


def reference_feg(problem, K, L):
    """FEG with beta_k = 1/(k+1), step 1/L; returns iterates list.

    Unconstrained fast extragradient (no projection): z_half = z + beta (z0 - z) - (1 - beta) F(z) / L,
    then z = z + beta (z0 - z) - F(z_half) / L, two full evaluations per iteration.

    Parameters
    ----------
    problem : theorylab.optim.instances.Problem
        Supplies ``operator`` (FiniteSumOperator with ``n`` components F_i), ``projection`` (J_{eta G},
        identity when G = 0) and the start point ``x0`` (float array, shape (d,)).
    K : int
        Number of iterations.
    L : float
        Lipschitz constant of F; the step is 1 / L.

    Returns
    -------
    iterates : list of numpy.ndarray of float, length K + 1
        Iterates z_0, ..., z_K, starting with ``x0``.
    calls : int
        Component evaluations F_i counted by :class:`CountingOperator` (a full evaluation counts n).
    """
    F = CountingOperator(problem.operator)
    z0 = problem.x0.copy()
    z = z0.copy()
    zs = [z.copy()]
    for k in range(K):
        beta = 1.0 / (k + 1)
        zh = z + beta * (z0 - z) - (1 - beta) * F.full(z) / L
        z = z + beta * (z0 - z) - F.full(zh) / L
        zs.append(z.copy())
    return zs, F.calls


def reference_page_halpern(problem, K, rng, eta, b, anchor=(2.0, 4.0, 1.0)):
    """Algorithm 1 replaying the kernel's random stream; returns (iterates list, counted calls).

    Halpern iteration with a PAGE estimator: with probability p_k (1 for k <= 1, 4 / (k + 4) while
    k - 1 <= sqrt(n), then 4 / (sqrt(n) + 5)) a full refresh, otherwise a minibatch correction over b
    components drawn without replacement (partial Fisher-Yates on a persistent permutation).

    Parameters
    ----------
    problem : theorylab.optim.instances.Problem
        Supplies ``operator`` (FiniteSumOperator with ``n`` components F_i), ``projection`` (J_{eta G},
        identity when G = 0) and the start point ``x0`` (float array, shape (d,)).
    K : int
        Number of iterations.
    rng : numpy.random.Generator
        Random stream; one ``rng.random()`` for the refresh coin and one per minibatch index, in the
        kernel's order, so the same seed reproduces the kernel's iterates.
    eta : float
        Step size.
    b : int
        Minibatch size of the PAGE correction (2b component calls per correction).
    anchor : tuple of float (a, b, p), default (2.0, 4.0, 1.0)
        Anchoring weights lam_k = a / (k + b)^p.

    Returns
    -------
    iterates : list of numpy.ndarray of float, length K + 1
        Iterates x_0, ..., x_K, starting with ``x0``.
    calls : int
        Component evaluations F_i counted by :class:`CountingOperator` (a full evaluation counts n).
    """
    F, J = CountingOperator(problem.operator), problem.projection
    n = problem.n
    a, bb, pw = anchor
    x0 = problem.x0.copy()
    x, xprev, g = x0.copy(), x0.copy(), np.zeros_like(x0)
    perm = np.arange(n)
    xs = [x.copy()]
    for k in range(K):
        lam = a / (k + bb) ** pw
        if k <= 1:
            p = 1.0
        elif k - 1 <= math.sqrt(n):
            p = 4.0 / (k + 4.0)
        else:
            p = 4.0 / (math.sqrt(n) + 5.0)
        if rng.random() < p:
            g = F.full(x)
        else:
            for j in range(b):
                q = min(j + int(rng.random() * (n - j)), n - 1)
                perm[j], perm[q] = perm[q], perm[j]
                i = perm[j]
                g = g + (F.component(i, x) - F.component(i, xprev)) / b
        xprev = x.copy()
        x = J(lam * x0 + (1 - lam) * x - eta * g)
        xs.append(x.copy())
    return xs, F.calls


def reference_vr_eg(problem, K, rng, tau, p):
    """Loopless SVRG extragradient; returns (iterates list, counted calls).

    Per iteration: xbar = (1 - p) x + p w, a projected step with the snapshot value F(w), a corrected
    step with F(w) + F_i(x_half) - F_i(w) for one uniform index i, and with probability p a new snapshot
    w = x with a full evaluation.

    Parameters
    ----------
    problem : theorylab.optim.instances.Problem
        Supplies ``operator`` (FiniteSumOperator with ``n`` components F_i), ``projection`` (J_{eta G},
        identity when G = 0) and the start point ``x0`` (float array, shape (d,)).
    K : int
        Number of iterations.
    rng : numpy.random.Generator
        Random stream (one draw for i, one for the snapshot coin per iteration).
    tau : float
        Step size.
    p : float in (0, 1]
        Snapshot probability and averaging weight of w.

    Returns
    -------
    iterates : list of numpy.ndarray of float, length K + 1
        Iterates x_0, ..., x_K, starting with ``x0``.
    calls : int
        Component evaluations F_i counted by :class:`CountingOperator` (a full evaluation counts n).
    """
    F, J = CountingOperator(problem.operator), problem.projection
    n = problem.n
    x = problem.x0.copy()
    w = x.copy()
    Fw = F.full(w)
    xs = [x.copy()]
    for _ in range(K):
        xbar = (1 - p) * x + p * w
        xh = J(xbar - tau * Fw)
        i = _uniform_index(rng, n)
        x = J(xbar - tau * (Fw + F.component(i, xh) - F.component(i, w)))
        if rng.random() < p:
            w = x.copy()
            Fw = F.full(w)
        xs.append(x.copy())
    return xs, F.calls


def reference_vr_forb(problem, center, M, rng, eta, p, gamma, snapshot="inner"):
    """Algorithm 3 (VR-FoRB) on Phi(u) = eta F(u) + u - center; returns (iterates list, counted calls).

    Variance-reduced forward-reflected-backward inner solver of the resolvent subproblem at ``center``;
    the estimator is Phi(w) + eta (F_i(v) - F_i(w_prev)) + v - w_prev for one uniform index i.

    Parameters
    ----------
    problem : theorylab.optim.instances.Problem
        Supplies ``operator`` (FiniteSumOperator with ``n`` components F_i), ``projection`` (J_{eta G},
        identity when G = 0) and the start point ``x0`` (float array, shape (d,)).
    center : array_like of float, shape (d,)
        Centre c of the subproblem; also the starting point of v and w.
    M : int
        Number of inner iterations.
    rng : numpy.random.Generator
        Random stream (one draw for i, one for the snapshot coin per iteration).
    eta : float
        Resolvent step in Phi(u) = eta F(u) + u - c.
    p : float in (0, 1]
        Snapshot probability and averaging weight of w.
    gamma : float
        Step size of the inner iteration.
    snapshot : {"inner", "outer"}, default "inner"
        New snapshot w: the current iterate v ("inner") or, for any other value, the centre c.

    Returns
    -------
    iterates : list of numpy.ndarray of float, length M + 1
        Inner iterates v_0, ..., v_M, starting with ``x0``.
    calls : int
        Component evaluations F_i counted by :class:`CountingOperator` (a full evaluation counts n).
    """
    F, J = CountingOperator(problem.operator), problem.projection
    n = problem.n
    c = np.asarray(center, float)

    def phi_full(u):
        return eta * F.full(u) + u - c

    v, w, wprev = c.copy(), c.copy(), c.copy()
    Phi_w = phi_full(w)
    vs = [v.copy()]
    for _ in range(M):
        i = _uniform_index(rng, n)
        vbar = (1 - p) * v + p * w
        est = Phi_w + eta * (F.component(i, v) - F.component(i, wprev)) + v - wprev
        vnew = J(vbar - gamma * est)
        wprev = w.copy()
        v = vnew
        if rng.random() < p:
            w = v.copy() if snapshot == "inner" else c.copy()
            Phi_w = phi_full(w)
        vs.append(v.copy())
    return vs, F.calls


def reference_minibatch_correction(op, x, xprev, b, rng, perm=None):
    """(1/b) sum_{i in S} (F_i(x) - F_i(xprev)), |S| = b drawn without replacement by partial Fisher-Yates."""
    n = op.n
    perm = np.arange(n) if perm is None else perm
    out = np.zeros(op.d)
    for j in range(b):
        q = min(j + int(rng.random() * (n - j)), n - 1)
        perm[j], perm[q] = perm[q], perm[j]
        i = perm[j]
        out += (op.component(i, x) - op.component(i, xprev)) / b
    return out
