"""numba hot loops for the VR-Halpern topic (Cai, Alacaoglu & Diakonikolas, ICLR 2024).

One operator layout (:class:`theorylab.optim.operators.FiniteSumOperator` blocks, passed as the tuple
``op``) and one projection layout (``proj``) serve every kernel. Kernels:

- :func:`deterministic_kernel` -- full-operator methods selected by an integer code
  (0 Halpern on J(I - eta F), 1 extragradient, 2 EAG-C, 3 FEG); one run, no randomness;
- :func:`page_halpern_batch` -- Algorithm 1 (PAGE-type estimator inside the anchored step);
- :func:`vr_eg_batch` -- loopless SVRG extragradient of Alacaoglu & Malitsky (2022);
- :func:`inexact_halpern_batch` -- Algorithm 2 whose resolvents come from :func:`vr_forb_inner`
  (Algorithm 3, VR-FoRB); :func:`vr_forb_batch` runs Algorithm 3 alone with error recording.

Where the randomness comes from: each stochastic kernel runs a *batch* of R independent runs in one call,
and run r draws only from its own SplitMix64 stream ``states[r]`` (:mod:`theorylab.core.streams`, whose
module docstring is the guide followed here). The state is loaded once per run, threaded by value
through every draw -- ``s, u = uniform(s)`` for a refresh coin (``u < p``), ``s, i = uniform_int(s, m)``
for a uniform index on [0, m) (Lemire's method: exactly uniform, unlike ``int(u * m)``) -- and stored
back once. No ``numpy.random`` and no Generator inside any kernel. Scratch arrays are allocated once per
call and reset at the start of every run (including Algorithm 1's sampling permutation), so a run's
numbers depend only on its state, never on the batch or its position in it (tested bit for bit). The
wrappers in :mod:`theorylab.optim.vr_halpern` turn seeds into states with
:func:`theorylab.core.streams.init_states`; :mod:`theorylab.optim.reference` replays the same draws
by calling the same samplers. Every kernel compiles one specialisation: the wrappers fix the argument
types (float, int, bool, contiguous arrays).

Batch outputs (allocated by :func:`batch_outputs`): residuals ``res`` (R, m), cumulative oracle calls
``rec_calls`` (R, m) at the m recorded iterations, iterates ``iters`` (R, m, d) only when saved (else
(R, 0, d)), last iterates ``xK`` (R, d). Oracle calls are int64 counters inside the kernels (convention:
docs/topics/halpern.md#oracle-calls).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from theorylab.core.streams import uniform, uniform_int
from theorylab.optim.primitives import comp_add_diff, full_eval, natural_residual, project_inplace

#: Internal numba kernels only (the public API is :mod:`theorylab.optim.halpern` / :mod:`theorylab.optim.vr_halpern`).
__all__ = ["METHOD_CODES"]

METHOD_CODES = {"halpern": 0, "eg": 1, "eag": 2, "feg": 3}


@njit(cache=True)
def _anchor(lam_a, lam_b, lam_pow, k):
    return lam_a / (k + lam_b) ** lam_pow


# callers start the record index at np.int64(0), not the literal 0 (which numba would compile separately)
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


def batch_outputs(R, record_at, d, save):
    """Output arrays of a batch kernel for R runs: (res, rec_calls, iters, xK).

    Unreached recorded points stay nan (residuals, iterates) and -1 (calls); ``iters`` is (R, 0, d)
    unless ``save``.
    """
    m = record_at.shape[0]
    res = np.full((R, m), np.nan)
    rec_calls = np.full((R, m), -1, dtype=np.int64)
    iters = np.full((R, m if save else 0, d), np.nan)
    xK = np.empty((R, d))
    return res, rec_calls, iters, xK


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
    r = np.int64(0)
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
def page_halpern_batch(op, proj, x0, eta, bsize, lam_a, lam_b, lam_pow, p_mode, replace, classic_form,
                       calls_per_sample, K, max_calls, record_at, eta_res, states, res, rec_calls, iters, xK):
    """Algorithm 1 for every run of the batch (run r from stream ``states[r]``); fills the outputs in place.

    Per iteration one uniform for the refresh coin (drawn even when p_k = 1), and on a PAGE correction
    b uniform indices: with replacement ``uniform_int(n)``, without replacement a partial Fisher-Yates
    step ``j + uniform_int(n - j)`` on a permutation that starts as the identity in every run.
    """
    n = op[0]
    d = x0.shape[0]
    xprev = np.empty(d)
    g = np.empty(d)
    buf = np.empty(d)
    buf2 = np.empty(d)
    perm = np.empty(n, dtype=np.int64)
    sqn = math.sqrt(n)
    scale = 1.0 / bsize
    for run in range(states.shape[0]):
        s = states[run]
        x = xK[run]
        res_r, calls_r, iters_r = res[run], rec_calls[run], iters[run]
        for t in range(d):
            x[t] = x0[t]
            xprev[t] = x0[t]
            g[t] = 0.0
        for t in range(n):
            perm[t] = t
        calls = np.int64(0)
        r = np.int64(0)
        for k in range(K + 1):
            r = _record(op, proj, x, k, calls, r, record_at, res_r, calls_r, iters_r, eta_res, buf, buf2)
            if k == K or calls >= max_calls:
                break
            lam = _anchor(lam_a, lam_b, lam_pow, k)
            if p_mode == 1 or k <= 1:
                p = 1.0
            elif k - 1 <= sqn:
                p = 4.0 / (k + 4.0)
            else:
                p = 4.0 / (sqn + 5.0)
            s, u = uniform(s)
            if u < p:
                full_eval(op, x, g)
                calls += n
            else:
                for j in range(bsize):
                    if replace:
                        s, i = uniform_int(s, n)
                    else:
                        s, q = uniform_int(s, n - j)
                        q += j
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
        states[run] = s


# ---------------------------------------------------------------- VR-EG
@njit(cache=True)
def vr_eg_batch(op, proj, x0, tau, p, K, max_calls, record_at, eta_res, states, res, rec_calls, iters, xK):
    """Loopless SVRG extragradient for every run of the batch; per iteration one ``uniform_int(n)`` index
    and one uniform for the snapshot coin (``u < p``)."""
    n = op[0]
    d = x0.shape[0]
    w = np.empty(d)
    Fw = np.empty(d)
    xbar = np.empty(d)
    xh = np.empty(d)
    est = np.empty(d)
    buf = np.empty(d)
    buf2 = np.empty(d)
    alpha = 1.0 - p
    for run in range(states.shape[0]):
        s = states[run]
        x = xK[run]
        res_r, calls_r, iters_r = res[run], rec_calls[run], iters[run]
        for t in range(d):
            x[t] = x0[t]
            w[t] = x0[t]
        full_eval(op, w, Fw)
        calls = np.int64(n)
        r = np.int64(0)
        for k in range(K + 1):
            r = _record(op, proj, x, k, calls, r, record_at, res_r, calls_r, iters_r, eta_res, buf, buf2)
            if k == K or calls >= max_calls:
                break
            for t in range(d):
                xbar[t] = alpha * x[t] + (1.0 - alpha) * w[t]
                xh[t] = xbar[t] - tau * Fw[t]
            project_inplace(proj, xh)
            s, i = uniform_int(s, n)
            for t in range(d):
                est[t] = Fw[t]
            comp_add_diff(op, i, xh, w, 1.0, est)
            calls += 2
            for t in range(d):
                x[t] = xbar[t] - tau * est[t]
            project_inplace(proj, x)
            s, u = uniform(s)
            if u < p:
                for t in range(d):
                    w[t] = x[t]
                full_eval(op, w, Fw)
                calls += n
        states[run] = s


# ---------------------------------------------------------------- Algorithm 3 and Algorithm 2
@njit(cache=True)
def vr_forb_inner(op, proj, xc, eta, M, p, gamma, variant, s, v, w, wprev, Phi_w, vbar, ustar, record_at, errs,
                  count_init):
    """Algorithm 3 (VR-FoRB) on Phi(u) = eta F(u) + u - xc from stream state ``s``; writes the result into v.

    Returns ``(s, calls)``: the advanced state and the oracle calls. ``w``, ``wprev``, ``Phi_w`` and
    ``vbar`` are scratch of size d (overwritten). Per inner step one ``uniform_int(n)`` index and one
    uniform for the snapshot coin.
    ``variant`` 0: textbook snapshot update w <- v (Alacaoglu & Malitsky 2022);
    1: the authors' code, w <- xc (snapshot never moves; each refresh still costs n).
    If ``ustar`` is non-empty, ||v_t - ustar|| is written to ``errs`` at the inner steps ``record_at``.
    ``count_init`` False leaves the initial full evaluation F(xc) uncounted (the authors' matrix-game
    counting); the iterates do not change, only the returned count (by exactly n).
    """
    n = op[0]
    d = xc.shape[0]
    for t in range(d):
        w[t] = xc[t]
        wprev[t] = xc[t]
        v[t] = xc[t]
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
                acc = 0.0
                for t in range(d):
                    acc += (v[t] - ustar[t]) ** 2
                errs[r] = math.sqrt(acc)
                r += 1
        if it == M:
            break
        s, i = uniform_int(s, n)
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
        s, u = uniform(s)
        if u < p:
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
    return s, calls


@njit(cache=True)
def vr_forb_batch(op, proj, xc, eta, M, p, gamma, variant, count_init, ustar, record_at, states, errs, calls, v):
    """Algorithm 3 alone for every run of the batch: errors ``errs`` (R, m) at ``record_at`` (when ``ustar``
    is non-empty), oracle calls ``calls`` (R,), last inner iterates ``v`` (R, d); filled in place."""
    d = xc.shape[0]
    w = np.empty(d)
    wprev = np.empty(d)
    Phi_w = np.empty(d)
    vbar = np.empty(d)
    for run in range(states.shape[0]):
        s, c = vr_forb_inner(op, proj, xc, eta, M, p, gamma, variant, states[run], v[run], w, wprev, Phi_w, vbar,
                             ustar, record_at, errs[run], count_init)
        states[run] = s
        calls[run] = c


@njit(cache=True)
def inexact_halpern_batch(op, proj, x0, eta, p, gamma, c_M, variant, lam_a, lam_b, lam_pow, K, max_calls, record_at,
                          eta_res, count_init, states, res, rec_calls, iters, xK):
    """Algorithm 2 with Algorithm 3 inside for every run of the batch; the inner solves of run r continue
    run r's stream. ``count_init`` False: the inner solver's initial full evaluation is not counted
    (authors' matrix_game.py)."""
    d = x0.shape[0]
    n = op[0]
    u = np.empty(d)
    w = np.empty(d)
    wprev = np.empty(d)
    Phi_w = np.empty(d)
    vbar = np.empty(d)
    buf = np.empty(d)
    buf2 = np.empty(d)
    empty_f = np.empty(0)
    empty_i = np.empty(0, dtype=np.int64)
    for run in range(states.shape[0]):
        s = states[run]
        x = xK[run]
        res_r, calls_r, iters_r = res[run], rec_calls[run], iters[run]
        for t in range(d):
            x[t] = x0[t]
        calls = np.int64(0)
        r = np.int64(0)
        for k in range(K + 1):
            r = _record(op, proj, x, k, calls, r, record_at, res_r, calls_r, iters_r, eta_res, buf, buf2)
            if k == K or calls >= max_calls:
                break
            lam = _anchor(lam_a, lam_b, lam_pow, k)
            M = int(c_M * n * math.log(k + 2.0))
            if M < 1:
                M = 1
            s, c = vr_forb_inner(op, proj, x, eta, M, p, gamma, variant, s, u, w, wprev, Phi_w, vbar, empty_f,
                                 empty_i, empty_f, count_init)
            calls += c
            for t in range(d):
                x[t] = lam * x0[t] + (1.0 - lam) * u[t]
        states[run] = s
