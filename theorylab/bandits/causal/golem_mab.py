"""GOLEM-MAB: the explore-then-commit baseline of Peng, Zhang, Mitra (2025) with a GOLEM-EV graph learner
(docs/topics/causal.md#golem-mab).

From its start time t_i a run plays action 0 (no intervention) for ``n_learn`` = 300 rounds and action
2^N - 1 (every node intervened) for 300 more; at t_i + 600 it fits B_hat on the first block and B_hat'
on the second with GOLEM-EV (:mod:`theorylab.bandits.causal.golem`, fused engine, the authors' constants
lambda1 0.02, lambda2 5, Adam lr 1e-3, 1e5 steps, zero init, centred data, threshold 0.3 then the
smallest weights until acyclic), computes mu_hat(a) = [(I - B_hat_a)^{-T} nu]_N for every action (true
nu) and commits to the argmax (exact ties at random: node 0's bit never matters, so there always are
ties) [code, algos.py ``golem_MAB``].

Non-stationary runs (``detect``, default on iff there are change times after 0): from t >= t_i + 620 the
last 20 rounds since t_i + 600 are compared with the committed action's model N(C^T nu, C^T Sigma C),
C = (I - B_hat_a)^{-1}: the Gaussian log-likelihood ratio of the window's own fit (sample mean and
covariance, ddof 1) against the model, per sample and per node; above 20 the run restarts (t_i <- t)
[code, utils.py ``det_change_all``].

Reconstruction choices [recon]: a mixed B_hat_a that is cyclic is evaluated by a dense solve and gets
mu_hat = -inf if I - B_hat_a is singular (the authors' ``inv`` would raise); GOLEM runs in float64 (the
authors' TensorFlow code in float32); Adam is the bias-corrected form of Kingma & Ba (TensorFlow puts eps
outside the bias correction: a difference of order eps).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from theorylab.bandits.causal import kernels as _k
from theorylab.bandits.causal.algorithms import RunResult, _systems
from theorylab.bandits.causal.bandit_kernels import _play, _system_at
from theorylab.bandits.causal.golem import ADAM_BETAS, ADAM_EPS, LAMBDA1, LAMBDA2, THRESHOLD, _adam, \
    _postprocess_kernel
from theorylab.bandits.causal.instances import OPTIMAL_TOL
from theorylab.core.streams import argmax_random_ties, init_states
from theorylab.core.validate import check_int, check_positive, check_real

__all__ = ["GOLEM_MAB_DEFAULTS", "run_golem_mab", "mixed_rewards", "full_vector_llr"]

#: The authors' constants (algos.py golem_MAB, utils.py golem / det_change_all).
GOLEM_MAB_DEFAULTS = {"n_learn": 300, "iterations": 100_000, "lr": 1e-3, "lambda1": LAMBDA1, "lambda2": LAMBDA2,
                      "threshold": THRESHOLD, "w_det": 20, "tau_det": 20.0}


@njit(cache=True)
def _mixed_rewards(W0, W1, nu):
    """[mu_hat_a]_N for every action a (columns of W1 where a's bit is 1, else W0): substitution in a Kahn
    order when B_hat_a is acyclic, else a dense solve; -inf when I - B_hat_a is singular."""
    N = W0.shape[0]
    K = 1 << N
    out = np.empty(K)
    Ba = np.empty((N, N))
    adj = np.empty((N, N), dtype=np.int8)
    mu = np.empty(N)
    for a in range(K):
        for j in range(N):
            bit = (a >> (N - 1 - j)) & 1
            for i in range(N):
                Ba[i, j] = W1[i, j] if bit else W0[i, j]
                adj[i, j] = 1 if Ba[i, j] != 0.0 else 0
        order = _k.topological_order(adj)
        if order.size == N:
            for q in range(N):
                j = order[q]
                acc = nu[j]
                for i in range(N):
                    if Ba[i, j] != 0.0:
                        acc += Ba[i, j] * mu[i]
                mu[j] = acc
            out[a] = mu[N - 1]
        else:
            M = np.eye(N) - Ba.T
            sign, _ = np.linalg.slogdet(M)
            out[a] = np.linalg.solve(M, nu)[N - 1] if sign != 0.0 else -np.inf
    return out


@njit(cache=True)
def _llr(Xw, Ba, nu, sigma):
    """Per-sample, per-node Gaussian log-likelihood ratio of the window's fit against N(C^T nu, C^T S C)."""
    n, N = Xw.shape
    C = np.linalg.inv(np.eye(N) - Ba)
    mu = C.T @ nu
    cov = C.T @ np.diag(sigma * sigma) @ C
    mh = np.zeros(N)
    for t in range(n):
        mh += Xw[t]
    mh /= n
    D = Xw - mh
    cov_h = (D.T @ D) / (n - 1)
    s1, ld = np.linalg.slogdet(cov)
    s2, ld_h = np.linalg.slogdet(cov_h)
    if s2 <= 0.0:
        return np.inf
    P = np.linalg.inv(cov)
    P_h = np.linalg.inv(cov_h)
    acc = 0.5 * n * (ld - ld_h)
    for t in range(n):
        e = Xw[t] - mu
        acc += 0.5 * (e @ (P @ e)) - 0.5 * (D[t] @ (P_h @ D[t]))
    return acc / (n * N)


@njit(cache=True)
def _golem_fit(s, Xblock, lambda1, lambda2, lr, iterations, threshold):
    n, N = Xblock.shape
    Xc = Xblock - Xblock.sum(axis=0) / n
    S = np.ascontiguousarray(Xc.T @ Xc)
    W = _adam(S, np.zeros((N, N)), lambda1, lambda2, lr, iterations, ADAM_BETAS[0], ADAM_BETAS[1], ADAM_EPS)
    s = _postprocess_kernel(s, W, threshold)
    return s, W


@njit(cache=True)
def golem_mab_batch(Bs, BIs, nus, sigmas, orders, tc, T, n_learn, iterations, lr, lambda1, lambda2, threshold,
                    detect, w_det, tau_det, states):
    """GOLEM-MAB for every run of the batch (module docstring). Run r plays on ``Bs[r, k]``, ``BIs[r, k]``
    (system k active from ``tc[k]``). Returns (actions (R, T), rewards (R, T), fits (R,) = GOLEM fits,
    restarts (R, T) = 1 where the detector restarted the run)."""
    R = Bs.shape[0]
    N = Bs.shape[2]
    K = 1 << N
    acts = np.empty((R, T), dtype=np.int64)
    rew = np.empty((R, T))
    fits = np.zeros(R, dtype=np.int64)
    restarts = np.zeros((R, T), dtype=np.int64)
    X = np.zeros((T, N))
    x = np.zeros(N)
    bits_row = np.zeros(N, dtype=np.int8)
    Ba = np.zeros((N, N))
    for r in range(R):
        s = states[r]
        nu = nus[r]
        sg = sigmas[r]
        t_i = 0
        a_cur = 0
        for t in range(T):
            k = _system_at(t, tc)
            if detect and t >= t_i + 2 * n_learn + w_det:
                if _llr(X[t - w_det:t], Ba, nu, sg) > tau_det:
                    t_i = t
                    restarts[r, t] = 1
            if t < t_i + n_learn:
                a_cur = 0
            elif t < t_i + 2 * n_learn:
                a_cur = K - 1
            elif t == t_i + 2 * n_learn:
                s, W0 = _golem_fit(s, X[t_i:t_i + n_learn], lambda1, lambda2, lr, iterations, threshold)
                s, W1 = _golem_fit(s, X[t_i + n_learn:t], lambda1, lambda2, lr, iterations, threshold)
                fits[r] += 2
                s, a_cur = argmax_random_ties(s, _mixed_rewards(W0, W1, nu))
                for j in range(N):
                    bit = (a_cur >> (N - 1 - j)) & 1
                    for i in range(N):
                        Ba[i, j] = W1[i, j] if bit else W0[i, j]
            s = _play(s, Bs[r, k], BIs[r, k], nu, sg, orders[r, k], a_cur, N, x, bits_row)
            X[t] = x
            acts[r, t] = a_cur
            rew[r, t] = x[N - 1]
        states[r] = s
    return acts, rew, fits, restarts


def mixed_rewards(B_hat, B_hat_int, nu) -> np.ndarray:
    """[mu_hat_a]_N = [(I - B_hat_a)^{-T} nu]_N for all 2^N actions, B_hat_a mixing the columns by a's bits.

    Parameters
    ----------
    B_hat, B_hat_int : array (N, N)
        Estimated observational and interventional weights (need not be upper triangular; a cyclic mix is
        solved densely, a singular one gives -inf).
    nu : array (N,)
        Noise means.

    Returns
    -------
    numpy.ndarray (2^N,)

    Examples
    --------
    >>> mixed_rewards([[0, 2.0], [0, 0]], [[0, -1.0], [0, 0]], [1.0, 1.0]).tolist()   # a = 00, 01, 10, 11
    [3.0, 0.0, 3.0, 0.0]
    """
    W0 = np.ascontiguousarray(B_hat, dtype=float)
    N = W0.shape[0]
    if W0.ndim != 2 or W0.shape != (N, N) or N > 16:
        raise ValueError(f"B_hat must be square with at most 16 nodes, got shape {W0.shape}")
    W1 = np.ascontiguousarray(B_hat_int, dtype=float)
    if W1.shape != W0.shape:
        raise ValueError(f"B_hat_int must have shape {W0.shape}, got {W1.shape}")
    nu = np.ascontiguousarray(nu, dtype=float)
    if nu.shape != (N,):
        raise ValueError(f"nu must have shape {(N,)}, got {nu.shape}")
    return _mixed_rewards(W0, W1, nu)


def full_vector_llr(window, B_a, nu, sigma) -> float:
    """GOLEM-MAB's change statistic: the log-likelihood ratio, per sample and per node, of the window's own
    Gaussian fit (mean, covariance with ddof 1) against N(C^T nu, C^T diag(sigma^2) C), C = (I - B_a)^{-1}
    [code, utils.py ``det_change_all``; the authors restart when it exceeds 20].

    Parameters
    ----------
    window : array (w, N)
        The last w observed vectors, w > N.
    B_a : array (N, N)
        The committed action's estimated weights.
    nu, sigma : array (N,)
        Noise means and standard deviations.

    Returns
    -------
    float (>= 0 up to the ddof-1 covariance; +inf if the window's covariance is singular)

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> B = np.array([[0, 1.0], [0, 0]])
    >>> eps = rng.standard_normal((20, 2)) + 1.0
    >>> x = np.c_[eps[:, 0], eps[:, 1] + eps[:, 0]]          # X = B^T X + eps
    >>> same, shifted = full_vector_llr(x, B, [1.0, 1.0], [1.0, 1.0]), full_vector_llr(x + 3, B, [1.0, 1.0], [1.0, 1.0])
    >>> float(same) < 1.0 < float(shifted)
    True
    """
    W = np.ascontiguousarray(window, dtype=float)
    if W.ndim != 2 or W.shape[0] <= W.shape[1]:
        raise ValueError(f"window must be (w, N) with w > N, got shape {W.shape}")
    N = W.shape[1]
    B = np.ascontiguousarray(B_a, dtype=float)
    if B.shape != (N, N):
        raise ValueError(f"B_a must have shape {(N, N)}, got {B.shape}")
    return float(_llr(W, B, np.ascontiguousarray(nu, dtype=float), np.ascontiguousarray(sigma, dtype=float)))


def run_golem_mab(instances, seeds, horizon: int, change_times=None, **options) -> RunResult:
    """GOLEM-MAB (Peng, Zhang, Mitra 2025, the baseline of their regret figure) for a batch of runs.

    Parameters
    ----------
    instances : CausalSEM, sequence of CausalSEM, or sequence of sequences
        As :func:`theorylab.bandits.causal.algorithms.run_algorithm`.
    seeds : sequence of numpy.random.SeedSequence
        One per run (:func:`theorylab.core.seeding.repetition_seeds`).
    horizon : int
        T.
    change_times : sequence of int, optional
        Rounds at which the next system becomes active, starting with 0 (default [0], stationary).
    **options
        The keys of :data:`GOLEM_MAB_DEFAULTS` (``n_learn`` 300, ``iterations`` 1e5, ``lr`` 1e-3,
        ``lambda1`` 0.02, ``lambda2`` 5, ``threshold`` 0.3, detector window ``w_det`` 20 > N and threshold
        ``tau_det`` 20) and ``detect`` (default: on iff there are change times after 0).

    Returns
    -------
    RunResult
        ``algorithm = "golem_mab"``; ``extra`` holds the options, ``fits`` (GOLEM fits per run) and
        ``restarts`` ((R, T), 1 where the detector restarted the run).

    Examples
    --------
    >>> from theorylab.bandits.causal.instances import random_instance
    >>> from theorylab.core.seeding import repetition_seeds, seed_sequence
    >>> inst = random_instance(4, seed_sequence(0, "doc"))
    >>> res = run_golem_mab(inst, repetition_seeds(0, "doc.gm", 2), 60, n_learn=20, iterations=200)
    >>> res.actions[0, :40].tolist() == [0] * 20 + [15] * 20, len(set(res.actions[0, 40:].tolist()))
    (True, 1)
    """
    unknown = set(options) - set(GOLEM_MAB_DEFAULTS) - {"detect"}
    if unknown:
        raise ValueError(f"options: unknown GOLEM-MAB option(s) {sorted(unknown)}")
    o = {**GOLEM_MAB_DEFAULTS, **{k: v for k, v in options.items() if k != "detect"}}
    seeds = list(seeds)
    if not seeds:
        raise ValueError("seeds must hold at least one SeedSequence")
    T = check_int("horizon", horizon, minimum=1)
    tc = np.array([0] if change_times is None else list(change_times), dtype=np.int64)
    if tc.ndim != 1 or tc.size == 0 or tc[0] != 0 or np.any(np.diff(tc) <= 0):
        raise ValueError(f"change_times must start at 0 and increase strictly, got {change_times!r}")
    runs = _systems(instances, len(seeds), tc.size)
    N = runs[0][0].n_nodes
    n_learn = check_int("n_learn", o["n_learn"], minimum=N + 1)
    iterations = check_int("iterations", o["iterations"], minimum=1)
    lr = check_positive("lr", o["lr"])
    lambda1 = check_real("lambda1", o["lambda1"], minimum=0.0)
    lambda2 = check_real("lambda2", o["lambda2"], minimum=0.0)
    threshold = check_real("threshold", o["threshold"], minimum=0.0)
    w_det = check_int("w_det", o["w_det"], minimum=N + 1)
    tau_det = check_real("tau_det", o["tau_det"], minimum=0.0)
    detect = bool(options.get("detect", tc.size > 1))
    Bs = np.ascontiguousarray([[i.B for i in sys] for sys in runs])
    BIs = np.ascontiguousarray([[i.B_int for i in sys] for sys in runs])
    nus = np.ascontiguousarray([sys[0].nu for sys in runs])
    sgs = np.ascontiguousarray([sys[0].sigma for sys in runs])
    orders = np.ascontiguousarray([[i.order for i in sys] for sys in runs], dtype=np.int64)
    acts, rew, fits, restarts = golem_mab_batch(Bs, BIs, nus, sgs, orders, tc, T, n_learn, iterations, lr, lambda1,
                                                lambda2, threshold, detect, w_det, tau_det, init_states(seeds))
    active = np.searchsorted(tc, np.arange(T), side="right") - 1
    tab = np.array([[i.rewards for i in sys] for sys in runs])
    expected = tab[np.arange(len(runs))[:, None], active[None, :], acts]
    best = tab.max(axis=2)[:, active]
    extra = {**o, "n_learn": n_learn, "iterations": iterations, "detect": detect, "fits": fits,
             "restarts": restarts, "change_times": tc}
    return RunResult("golem_mab", acts, rew, expected, best, np.abs(best - expected) < OPTIMAL_TOL, extra)
