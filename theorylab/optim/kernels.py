"""numba hot loops for the VR-Halpern topic (Cai, Alacaoglu & Diakonikolas, ICLR 2024).

One operator layout (:class:`theorylab.optim.operators.FiniteSumOperator` blocks, passed as the tuple
``op``) and one projection layout (``proj``) serve every kernel. Kernels:

- :func:`deterministic_kernel` -- full-operator methods selected by an integer code
  (0 Halpern on J(I - eta F), 1 extragradient, 2 EAG-C, 3 FEG);
- :func:`page_halpern_kernel` -- Algorithm 1 (PAGE-type estimator inside the anchored step);
- :func:`vr_eg_kernel` -- loopless SVRG extragradient of Alacaoglu & Malitsky (2022);
- :func:`inexact_halpern_kernel` -- Algorithm 2 whose resolvents come from :func:`vr_forb_inner`
  (Algorithm 3, VR-FoRB); :func:`vr_forb_kernel` runs Algorithm 3 alone with error recording.

Randomness comes from a ``numpy.random.Generator`` passed in; every uniform index is drawn as
``int(rng.random() * m)`` so the numpy references in :mod:`theorylab.optim.reference` replay the same
stream. Oracle calls are int64 counters inside the kernels (convention: docs/topics/halpern.md#oracle-calls).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from theorylab.optim.primitives import (comp_add, comp_add_diff, full_eval, natural_residual, project_inplace,
                                       simplex_project_inplace)

#: Internal numba kernels only (the public API is :mod:`theorylab.optim.halpern` / :mod:`theorylab.optim.vr_halpern`).
__all__ = ["METHOD_CODES"]

METHOD_CODES = {"halpern": 0, "eg": 1, "eag": 2, "feg": 3}


@njit(cache=True)
def _anchor(lam_a, lam_b, lam_pow, k):
    return lam_a / (k + lam_b) ** lam_pow


@njit(cache=True)
def _record(op, proj, z, k, calls, r, record_at, res, rec_calls, iters, eta_res, buf, buf2):
    while r < record_at.shape[0] and record_at[r] == k:
        res[r] = natural_residual(op, proj, z, eta_res, buf, buf2)
        rec_calls[r] = calls
        if iters.shape[0] > 0:
            iters[r, :] = z
        r += 1
    return r


def _outputs(record_at, d, save):
    m = record_at.shape[0]
    res = np.full(m, np.nan)
    rec_calls = -np.ones(m, dtype=np.int64)
    iters = np.full((m if save else 0, d), np.nan)
    return res, rec_calls, iters


# ---------------------------------------------------------------- deterministic methods
@njit(cache=True)
def _det_loop(method, op, proj, x0, eta, lam_a, lam_b, lam_pow, K, max_calls, record_at, eta_res,
              res, rec_calls, iters):
    n = op[0]
    d = x0.shape[0]
    x = x0.copy()
    g = np.empty(d)
    h = np.empty(d)
    buf = np.empty(d)
    buf2 = np.empty(d)
    calls = np.int64(0)
    r = 0
    for k in range(K + 1):
        r = _record(op, proj, x, k, calls, r, record_at, res, rec_calls, iters, eta_res, buf, buf2)
        if k == K or calls >= max_calls:
            break
        full_eval(op, x, g)
        calls += n
        if method == 0:  # Halpern on T = J(I - eta F), lambda_k = lam_a/(k+lam_b)^pow
            lam = _anchor(lam_a, lam_b, lam_pow, k)
            for t in range(d):
                h[t] = x[t] - eta * g[t]
            project_inplace(proj, h)
            for t in range(d):
                x[t] = lam * x0[t] + (1.0 - lam) * h[t]
        elif method == 1:  # extragradient
            for t in range(d):
                h[t] = x[t] - eta * g[t]
            project_inplace(proj, h)
            full_eval(op, h, g)
            calls += n
            for t in range(d):
                x[t] = x[t] - eta * g[t]
            project_inplace(proj, x)
        elif method == 2:  # EAG-C (Yoon & Ryu 2021), projected when J != I (authors' code)
            lam = _anchor(lam_a, lam_b, lam_pow, k)
            for t in range(d):
                h[t] = x[t] + lam * (x0[t] - x[t]) - eta * g[t]
            project_inplace(proj, h)
            full_eval(op, h, g)
            calls += n
            for t in range(d):
                x[t] = x[t] + lam * (x0[t] - x[t]) - eta * g[t]
            project_inplace(proj, x)
        else:  # FEG (Lee & Kim 2021), beta_k = lam_a/(k+lam_b)^pow
            beta = _anchor(lam_a, lam_b, lam_pow, k)
            for t in range(d):
                h[t] = x[t] + beta * (x0[t] - x[t]) - (1.0 - beta) * eta * g[t]
            project_inplace(proj, h)
            full_eval(op, h, g)
            calls += n
            for t in range(d):
                x[t] = x[t] + beta * (x0[t] - x[t]) - eta * g[t]
            project_inplace(proj, x)
    return x


def deterministic_kernel(method, op, proj, x0, eta, lam, K, max_calls, record_at, eta_res, save=False):
    """Run a full-operator method; returns (residuals, calls, iterates, x_K)."""
    res, rec_calls, iters = _outputs(record_at, x0.shape[0], save)
    x = _det_loop(method, op, proj, x0, eta, lam[0], lam[1], lam[2], K, max_calls, record_at, eta_res,
                  res, rec_calls, iters)
    return res, rec_calls, iters, x


# ---------------------------------------------------------------- Algorithm 1
@njit(cache=True)
def _page_loop(op, proj, x0, eta, bsize, lam_a, lam_b, lam_pow, p_mode, replace, classic_form,
               calls_per_sample, K, max_calls, record_at, eta_res, rng, res, rec_calls, iters):
    n = op[0]
    d = x0.shape[0]
    x = x0.copy()
    xprev = x0.copy()
    g = np.zeros(d)
    buf = np.empty(d)
    buf2 = np.empty(d)
    perm = np.arange(n)
    sqn = math.sqrt(n)
    calls = np.int64(0)
    r = 0
    for k in range(K + 1):
        r = _record(op, proj, x, k, calls, r, record_at, res, rec_calls, iters, eta_res, buf, buf2)
        if k == K or calls >= max_calls:
            break
        lam = _anchor(lam_a, lam_b, lam_pow, k)
        if p_mode == 1 or k <= 1:
            p = 1.0
        elif k - 1 <= sqn:
            p = 4.0 / (k + 4.0)
        else:
            p = 4.0 / (sqn + 5.0)
        u = rng.random()
        if u < p:
            full_eval(op, x, g)
            calls += n
        else:
            scale = 1.0 / bsize
            for j in range(bsize):
                if replace:
                    i = int(rng.random() * n)
                    if i >= n:
                        i = n - 1
                else:
                    q = j + int(rng.random() * (n - j))
                    if q >= n:
                        q = n - 1
                    tmp = perm[j]
                    perm[j] = perm[q]
                    perm[q] = tmp
                    i = perm[j]
                comp_add_diff(op, i, x, xprev, scale, g)
            calls += calls_per_sample * bsize
        for t in range(d):
            xprev[t] = x[t]
        if classic_form:
            for t in range(d):
                x[t] = lam * x0[t] + (1.0 - lam) * (x[t] - eta * g[t])
        else:
            for t in range(d):
                x[t] = lam * x0[t] + (1.0 - lam) * x[t] - eta * g[t]
        project_inplace(proj, x)
    return x


def page_halpern_kernel(op, proj, x0, eta, bsize, lam, p_mode, replace, classic_form, calls_per_sample, K,
                        max_calls, record_at, eta_res, rng, save=False):
    """Algorithm 1; returns (residuals, calls, iterates, x_K)."""
    res, rec_calls, iters = _outputs(record_at, x0.shape[0], save)
    x = _page_loop(op, proj, x0, eta, bsize, lam[0], lam[1], lam[2], p_mode, replace, classic_form,
                   calls_per_sample, K, max_calls, record_at, eta_res, rng, res, rec_calls, iters)
    return res, rec_calls, iters, x


# ---------------------------------------------------------------- VR-EG
@njit(cache=True)
def _vr_eg_loop(op, proj, x0, tau, p, K, max_calls, record_at, eta_res, rng, res, rec_calls, iters):
    n = op[0]
    d = x0.shape[0]
    x = x0.copy()
    w = x0.copy()
    Fw = np.empty(d)
    xbar = np.empty(d)
    xh = np.empty(d)
    est = np.empty(d)
    buf = np.empty(d)
    buf2 = np.empty(d)
    full_eval(op, w, Fw)
    calls = np.int64(n)
    alpha = 1.0 - p
    r = 0
    for k in range(K + 1):
        r = _record(op, proj, x, k, calls, r, record_at, res, rec_calls, iters, eta_res, buf, buf2)
        if k == K or calls >= max_calls:
            break
        for t in range(d):
            xbar[t] = alpha * x[t] + (1.0 - alpha) * w[t]
            xh[t] = xbar[t] - tau * Fw[t]
        project_inplace(proj, xh)
        i = int(rng.random() * n)
        if i >= n:
            i = n - 1
        for t in range(d):
            est[t] = Fw[t]
        comp_add_diff(op, i, xh, w, 1.0, est)
        calls += 2
        for t in range(d):
            x[t] = xbar[t] - tau * est[t]
        project_inplace(proj, x)
        if rng.random() < p:
            for t in range(d):
                w[t] = x[t]
            full_eval(op, w, Fw)
            calls += n
    return x


def vr_eg_kernel(op, proj, x0, tau, p, K, max_calls, record_at, eta_res, rng, save=False):
    """Loopless SVRG extragradient; returns (residuals, calls, iterates, x_K)."""
    res, rec_calls, iters = _outputs(record_at, x0.shape[0], save)
    x = _vr_eg_loop(op, proj, x0, tau, p, K, max_calls, record_at, eta_res, rng, res, rec_calls, iters)
    return res, rec_calls, iters, x


# ---------------------------------------------------------------- Algorithm 3 and Algorithm 2
@njit(cache=True)
def vr_forb_inner(op, proj, xc, eta, M, p, gamma, variant, rng, v, ustar, record_at, errs, count_init=True):
    """Algorithm 3 (VR-FoRB) on Phi(u) = eta F(u) + u - xc; writes the result into v; returns calls.

    ``variant`` 0: textbook snapshot update w <- v (Alacaoglu & Malitsky 2022);
    1: the authors' code, w <- xc (snapshot never moves; each refresh still costs n).
    If ``ustar`` is non-empty, ||v_t - ustar|| is written to ``errs`` at the inner steps ``record_at``.
    ``count_init`` False leaves the initial full evaluation F(xc) uncounted (the authors' matrix-game
    counting); the iterates do not change, only the returned count (by exactly n).
    """
    n = op[0]
    d = xc.shape[0]
    w = xc.copy()
    wprev = xc.copy()
    Phi_w = np.empty(d)
    vbar = np.empty(d)
    v[:] = xc
    full_eval(op, w, Phi_w)
    for t in range(d):
        Phi_w[t] = eta * Phi_w[t] + w[t] - xc[t]
    calls = np.int64(n) if count_init else np.int64(0)
    alpha = 1.0 - p
    r = 0
    track = ustar.shape[0] > 0
    for it in range(M + 1):
        if track:
            while r < record_at.shape[0] and record_at[r] == it:
                s = 0.0
                for t in range(d):
                    s += (v[t] - ustar[t]) ** 2
                errs[r] = math.sqrt(s)
                r += 1
        if it == M:
            break
        i = int(rng.random() * n)
        if i >= n:
            i = n - 1
        for t in range(d):
            vbar[t] = alpha * v[t] + (1.0 - alpha) * w[t]
        # est = Phi_w + Phi_i(v) - Phi_i(wprev) = Phi_w + eta (F_i(v) - F_i(wprev)) + v - wprev
        # v_new = J(vbar - gamma * est), computed into vbar
        for t in range(d):
            vbar[t] -= gamma * (Phi_w[t] + v[t] - wprev[t])
        comp_add_diff(op, i, v, wprev, -gamma * eta, vbar)
        calls += 2
        project_inplace(proj, vbar)
        for t in range(d):
            wprev[t] = w[t]
            v[t] = vbar[t]
        if rng.random() < p:
            if variant == 0:
                for t in range(d):
                    w[t] = v[t]
            else:
                for t in range(d):
                    w[t] = xc[t]
            full_eval(op, w, Phi_w)
            for t in range(d):
                Phi_w[t] = eta * Phi_w[t] + w[t] - xc[t]
            calls += n
    return calls


def vr_forb_kernel(op, proj, xc, eta, M, p, gamma, variant, rng, ustar, record_at):
    """Algorithm 3 alone; returns (errors at record_at, calls, v_M)."""
    v = np.empty_like(xc)
    errs = np.full(record_at.shape[0], np.nan)
    calls = vr_forb_inner(op, proj, xc, eta, M, p, gamma, variant, rng, v, ustar, record_at, errs)
    return errs, calls, v


@njit(cache=True)
def _inexact_loop(op, proj, x0, eta, p, gamma, c_M, variant, lam_a, lam_b, lam_pow, K, max_calls, record_at,
                  eta_res, rng, res, rec_calls, iters, count_init):
    d = x0.shape[0]
    n = op[0]
    x = x0.copy()
    u = np.empty(d)
    buf = np.empty(d)
    buf2 = np.empty(d)
    empty_f = np.empty(0)
    empty_i = np.empty(0, dtype=np.int64)
    calls = np.int64(0)
    r = 0
    for k in range(K + 1):
        r = _record(op, proj, x, k, calls, r, record_at, res, rec_calls, iters, eta_res, buf, buf2)
        if k == K or calls >= max_calls:
            break
        lam = _anchor(lam_a, lam_b, lam_pow, k)
        M = int(c_M * n * math.log(k + 2.0))
        if M < 1:
            M = 1
        calls += vr_forb_inner(op, proj, x, eta, M, p, gamma, variant, rng, u, empty_f, empty_i, empty_f, count_init)
        for t in range(d):
            x[t] = lam * x0[t] + (1.0 - lam) * u[t]
    return x


def inexact_halpern_kernel(op, proj, x0, eta, p, gamma, c_M, variant, lam, K, max_calls, record_at, eta_res,
                           rng, save=False, count_init=True):
    """Algorithm 2 with Algorithm 3 inside; returns (residuals, calls, iterates, x_K).

    ``count_init`` False: the inner solver's initial full evaluation is not counted (authors' matrix_game.py).
    """
    res, rec_calls, iters = _outputs(record_at, x0.shape[0], save)
    x = _inexact_loop(op, proj, x0, eta, p, gamma, c_M, variant, lam[0], lam[1], lam[2], K, max_calls, record_at,
                      eta_res, rng, res, rec_calls, iters, bool(count_init))
    return res, rec_calls, iters, x
