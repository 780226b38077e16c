"""numba kernel of LinUCB / OFUL over a batch of runs, with every action's width kept up to date by rank-one updates.

Kept apart from :mod:`theorylab.bandits.linear.kernels` (one kernel family per file). Public entry point:
:func:`theorylab.bandits.linear.linucb.linucb`; pure-numpy reference: :func:`theorylab.bandits.linear.reference.linucb`.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from theorylab.core.streams import argmax_random_ties, normal

__all__: list[str] = []

#: Radius codes: the self-normalised radius (log det), its closed form, a constant alpha (Li et al. 2010).
SELF_NORMALISED, CLOSED_FORM, CONSTANT = 0, 1, 2


@njit(cache=True)
def _radius(mode, conf_sigma, log_inv_p, logdet_ratio, d, t, lam, S, L, alpha, eps_bonus, scale):
    if mode == SELF_NORMALISED:
        rad = conf_sigma * math.sqrt(2.0 * log_inv_p + logdet_ratio) + math.sqrt(lam) * S
    elif mode == CLOSED_FORM:
        rad = conf_sigma * math.sqrt(2.0 * log_inv_p + d * math.log(1.0 + (t - 1) * L * L / (lam * d))) \
            + math.sqrt(lam) * S
    else:
        rad = alpha
    return scale * (rad + eps_bonus * math.sqrt(t - 1.0))


@njit(cache=True, fastmath={"contract", "reassoc", "nsz", "arcp"})
def linucb_batch(phi, rewards, theta, sigma, horizon, lam, S, L, conf_sigma, log_inv_p, mode, alpha, eps_bonus,
                 scale, resync, check_coverage, states, checkpoints, regret, covered):
    """LinUCB / OFUL for every run of a batch (Abbasi-Yadkori, Pal & Szepesvari 2011, Theorem 2 radius).

    Per round: index_a = <phi_a, theta_hat> + rad_t sqrt(n2_a), n2_a = ||phi_a||^2_{V^{-1}}; play the argmax
    (exact ties at random from the run's stream), observe r(a) + sigma N(0, 1), then with u = V^{-1} phi_t
    and q = phi_t^T u: log det V += log(1 + q); one pass over the actions with w_a = phi_a^T u updates
    n2_a -= w_a^2 / (1 + q) and the mean <phi_a, theta_hat> += w_a e / (1 + q), e = y - <phi_t, theta_hat>
    (O(K d)); theta_hat += u e / (1 + q) and V^{-1} -= u u^T / (1 + q) (O(d^2)). Every ``resync`` rounds
    V^{-1}, theta_hat = V^{-1} b, the means and n2 are recomputed from V (against drift).

    Parameters
    ----------
    phi : float64 (K, d); rewards : float64 (K,); theta : float64 (d,) (only for the coverage check)
    sigma : float (noise sd); horizon : int; lam, S, L : float (ridge, ||theta|| bound, ||phi|| bound)
    conf_sigma, log_inv_p : float (noise level and log(1/p) of the radius)
    mode : int (SELF_NORMALISED, CLOSED_FORM, CONSTANT); alpha : float (CONSTANT radius)
    eps_bonus : float (adds eps_bonus sqrt(t - 1) to the radius); scale : float (radius multiplier)
    resync : int; check_coverage : bool
    states : uint64 (R,), advanced in place
    checkpoints : int64 (C,), increasing rounds in [1, horizon]
    regret : float64 (R, C), out: cumulative pseudo-regret sum_{t <= checkpoint} (max r - r(a_t))
    covered : bool (R,), out: ||theta_hat_t - theta||_{V_t} <= rad_t at the start of every round
    """
    K, d = phi.shape
    R = states.size
    best = rewards.max()
    vinv = np.empty((d, d))
    V = np.empty((d, d))
    b = np.empty(d)
    th = np.empty(d)
    u = np.empty(d)
    n2 = np.empty(K)
    mean = np.empty(K)
    idx = np.empty(K)
    diff = np.empty(d)
    for r in range(R):
        s = states[r]
        V[:, :] = 0.0
        vinv[:, :] = 0.0
        for i in range(d):
            V[i, i] = lam
            vinv[i, i] = 1.0 / lam
        b[:] = 0.0
        th[:] = 0.0
        mean[:] = 0.0
        for a in range(K):
            acc = 0.0
            for k in range(d):
                acc += phi[a, k] * phi[a, k]
            n2[a] = acc / lam
        logdet_ratio = 0.0
        cum = 0.0
        ck = 0
        ok = True
        for t in range(1, horizon + 1):
            rad = _radius(mode, conf_sigma, log_inv_p, logdet_ratio, d, t, lam, S, L, alpha, eps_bonus, scale)
            if check_coverage and ok:
                for i in range(d):
                    diff[i] = th[i] - theta[i]
                quad = 0.0
                for i in range(d):
                    acc = 0.0
                    for j in range(d):
                        acc += V[i, j] * diff[j]
                    quad += diff[i] * acc
                if quad > rad * rad:
                    ok = False
            for a in range(K):
                idx[a] = mean[a] + rad * math.sqrt(max(n2[a], 0.0))
            s, a_t = argmax_random_ties(s, idx)
            s, z = normal(s)
            y = rewards[a_t] + sigma * z
            cum += best - rewards[a_t]
            # u = V^{-1} x, q = x^T u, residual e = y - <x, theta_hat>
            q = 0.0
            for i in range(d):
                acc = 0.0
                for j in range(d):
                    acc += vinv[i, j] * phi[a_t, j]
                u[i] = acc
                q += phi[a_t, i] * acc
            denom = 1.0 + q
            inv_denom = 1.0 / denom
            gain = (y - mean[a_t]) * inv_denom
            logdet_ratio += math.log(denom)
            # one pass over the actions: w_a = <phi_a, u> updates the width and the mean of every action
            for a in range(K):
                w = 0.0
                for k in range(d):
                    w += phi[a, k] * u[k]
                n2[a] -= w * w * inv_denom
                mean[a] += w * gain
            for i in range(d):
                th[i] += u[i] * gain
                b[i] += y * phi[a_t, i]
                for j in range(d):
                    vinv[i, j] -= u[i] * u[j] * inv_denom
                    V[i, j] += phi[a_t, i] * phi[a_t, j]
            if t % resync == 0:
                vinv[:, :] = np.linalg.inv(V)
                for i in range(d):
                    acc = 0.0
                    for j in range(d):
                        acc += vinv[i, j] * b[j]
                    th[i] = acc
                for a in range(K):
                    acc = 0.0
                    m_a = 0.0
                    for i in range(d):
                        inner = 0.0
                        for j in range(d):
                            inner += vinv[i, j] * phi[a, j]
                        acc += phi[a, i] * inner
                        m_a += phi[a, i] * th[i]
                    n2[a] = acc
                    mean[a] = m_a
            while ck < checkpoints.size and checkpoints[ck] == t:
                regret[r, ck] = cum
                ck += 1
        states[r] = s
        covered[r] = ok
