"""Slow pure-numpy twins of the kernels, used only in tests (same seed, same iterates, same call counts).

The stochastic twins take a run's stream state (a uint64, as the kernels get it from
:func:`theorylab.core.streams.init_states`) and replay the kernels' draws in the same order by calling the
same samplers of :mod:`theorylab.core.streams` from Python (``uniform`` for coins, ``uniform_int`` for
indices; compiled numba functions, so the bits are the kernels' bits). Oracle calls are counted by instrumentation here (:class:`CountingOperator` counts every F_i actually
evaluated; a full evaluation is the mean of all n components), which the tests compare with the
kernels' analytic counters (docs/topics/halpern.md#oracle-calls).
"""

from __future__ import annotations

import math

import numpy as np

from theorylab.core.streams import uniform, uniform_int

__all__ = ["CountingOperator", "reference_halpern", "reference_feg", "reference_page_halpern",
           "reference_vr_eg", "reference_vr_forb", "reference_inexact_halpern"]


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


def _coin(state):
    """(state, uniform on (0, 1)): the kernels' refresh / snapshot coin."""
    return uniform(np.uint64(state))


def _index(state, m):
    """(state, int uniform on [0, m)): the kernels' sampled index (Lemire's exact method)."""
    state, i = uniform_int(np.uint64(state), int(m))
    return state, int(i)


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


def reference_page_halpern(problem, K, state, eta, b, anchor=(2.0, 4.0, 1.0)):
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
    state : int or numpy.uint64
        The run's stream state (e.g. :func:`theorylab.optim.vr_halpern.stream_state` of the seed); one
        uniform for the refresh coin and one ``uniform_int(n - j)`` per minibatch index, in the kernel's
        order, so the same state reproduces the kernel's iterates.
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
        state, u = _coin(state)
        if u < p:
            g = F.full(x)
        else:
            for j in range(b):
                state, q = _index(state, n - j)
                q += j
                perm[j], perm[q] = perm[q], perm[j]
                i = perm[j]
                g = g + (F.component(i, x) - F.component(i, xprev)) / b
        xprev = x.copy()
        x = J(lam * x0 + (1 - lam) * x - eta * g)
        xs.append(x.copy())
    return xs, F.calls


def reference_vr_eg(problem, K, state, tau, p):
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
    state : int or numpy.uint64
        The run's stream state (one ``uniform_int(n)`` for i, one uniform for the snapshot coin per
        iteration, as the kernel).
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
        state, i = _index(state, n)
        x = J(xbar - tau * (Fw + F.component(i, xh) - F.component(i, w)))
        state, u = _coin(state)
        if u < p:
            w = x.copy()
            Fw = F.full(w)
        xs.append(x.copy())
    return xs, F.calls


def reference_vr_forb(problem, center, M, state, eta, p, gamma, snapshot="inner"):
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
    state : int or numpy.uint64
        The run's stream state (one ``uniform_int(n)`` for i, one uniform for the snapshot coin per
        iteration, as the kernel).
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
    F = CountingOperator(problem.operator)
    vs, _ = _forb_replay(problem, F, center, M, state, eta, p, gamma, snapshot)
    return vs, F.calls


def _forb_replay(problem, F, center, M, state, eta, p, gamma, snapshot):
    """VR-FoRB's iterates from ``state`` with the counting operator F; returns (iterates, advanced state)."""
    J, n = problem.projection, problem.n
    c = np.asarray(center, float)

    def phi_full(u):
        return eta * F.full(u) + u - c

    v, w, wprev = c.copy(), c.copy(), c.copy()
    Phi_w = phi_full(w)
    vs = [v.copy()]
    for _ in range(M):
        state, i = _index(state, n)
        vbar = (1 - p) * v + p * w
        est = Phi_w + eta * (F.component(i, v) - F.component(i, wprev)) + v - wprev
        vnew = J(vbar - gamma * est)
        wprev = w.copy()
        v = vnew
        state, u = _coin(state)
        if u < p:
            w = v.copy() if snapshot == "inner" else c.copy()
            Phi_w = phi_full(w)
        vs.append(v.copy())
    return vs, state


def reference_inexact_halpern(problem, K, state, eta, p, gamma, inner_scale, snapshot="inner",
                              anchor=(1.0, 2.0, 1.0)):
    """Algorithm 2 with VR-FoRB inside, replaying the kernel's stream; returns (iterates list, counted calls).

    x_{k+1} = lam_k x0 + (1 - lam_k) u_k, u_k the last of M_k = max(1, floor(inner_scale n ln(k+2)))
    VR-FoRB steps centred and started at x_k; every inner solve continues the run's one stream.

    Parameters
    ----------
    problem : theorylab.optim.instances.Problem
        Supplies ``operator``, ``projection`` and the start point ``x0``.
    K : int
        Outer iterations.
    state : int or numpy.uint64
        The run's stream state.
    eta, p, gamma : float
        Resolvent parameter, snapshot probability and inner step, as in :func:`reference_vr_forb`.
    inner_scale : float
        c_M of the inner schedule.
    snapshot : {"inner", "outer"}, default "inner"
        Inner snapshot rule.
    anchor : tuple of float (a, b, p), default (1.0, 2.0, 1.0)
        Anchoring weights lam_k = a / (k + b)^p.

    Returns
    -------
    iterates : list of numpy.ndarray of float, length K + 1
        Outer iterates x_0, ..., x_K.
    calls : int
        Component evaluations counted by :class:`CountingOperator` (each inner solve's initial full
        evaluation included: theorylab's counting).
    """
    F = CountingOperator(problem.operator)
    a, bb, pw = anchor
    x0 = problem.x0.copy()
    x = x0.copy()
    xs = [x.copy()]
    for k in range(K):
        M = max(1, int(inner_scale * problem.n * math.log(k + 2.0)))
        vs, state = _forb_replay(problem, F, x, M, state, eta, p, gamma, snapshot)
        lam = a / (k + bb) ** pw
        x = lam * x0 + (1 - lam) * vs[-1]
        xs.append(x.copy())
    return xs, F.calls


def reference_minibatch_correction(op, x, xprev, b, state, perm=None):
    """(state, (1/b) sum_{i in S} (F_i(x) - F_i(xprev))), |S| = b drawn without replacement by partial
    Fisher-Yates with the kernel's draws (``j + uniform_int(n - j)``) from the stream state ``state``."""
    n = op.n
    perm = np.arange(n) if perm is None else perm
    out = np.zeros(op.d)
    for j in range(b):
        state, q = _index(state, n - j)
        q += j
        perm[j], perm[q] = perm[q], perm[j]
        i = perm[j]
        out += (op.component(i, x) - op.component(i, xprev)) / b
    return state, out
