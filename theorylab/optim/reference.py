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
    """Wraps a FiniteSumOperator; ``calls`` counts component evaluations actually made."""

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
    """Halpern on T = J(I - eta F); returns (iterates list, calls)."""
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
    """FEG with beta_k = 1/(k+1), step 1/L; returns iterates list."""
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
    """Algorithm 1 replaying the kernel's random stream; returns (iterates list, counted calls)."""
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
    """Loopless SVRG extragradient; returns (iterates list, counted calls)."""
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
    """Algorithm 3 (VR-FoRB) on Phi(u) = eta F(u) + u - center; returns (iterates list, counted calls)."""
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
