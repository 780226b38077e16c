"""Benchmarks of the linear topic (``theorylab bench linucb | sparsenet_scan | nn_sgd_step``).

- ``linucb``: LinUCB/OFUL at d = 20, K = 100 through the batch kernel (rank-one width updates,
  O(K d + d^2) per round), rounds per second on one core, beside the numpy reference that recomputes
  V^{-1} and every width each round (O(K d^2)). Issue target: >= 3e5 rounds/s.
- ``sparsenet_scan``: SparseNet candidates scanned per second at d = 24, s = 2, K = 2e4 (ball net,
  eps_net = 0.1), beside the BLAS products Phi_S @ U^T of the same sizes alone (no argmax). Target: the scan
  within 2x of the BLAS time.
- ``nn_sgd_step``: one SGD step (forward, backward, update) of the width-100 one-hidden-layer ReLU MLP on a
  batch of 64 with theorylab.nn, beside a hand-written numpy forward/backward of the same network. Target:
  within 2x.

``compile_s`` is the first call in this process (compilation or loading the on-disk numba cache), apart
from the timed runs. Timings are best of ``repeat``.
"""

from __future__ import annotations

import time

import numpy as np

from theorylab.bandits.linear import reference
from theorylab.bandits.linear.instances import random_sparse_instance
from theorylab.bandits.linear.linucb import linucb
from theorylab.bandits.linear.nets import ball_net, supports
from theorylab.bandits.linear.sparsenet import sparsenet_scan, _SCAN_CACHE
from theorylab.core.seeding import repetition_seeds
from theorylab.core.streams import init_states
from theorylab.nn import MLP, SGD, mse_loss

__all__ = ["BENCHMARKS", "bench_linucb", "bench_sparsenet_scan", "bench_nn_sgd_step"]


def _best(fn, repeat):
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def bench_linucb(d: int = 20, K: int = 100, horizon: int = 20_000, reps: int = 4, reference_horizon: int = 300,
                 repeat: int = 3) -> dict:
    """Rounds per second of the LinUCB kernel and of the from-scratch numpy reference.

    Parameters
    ----------
    d, K : int
        Dimension and actions of the RANDSPARSE instance (well specified, sigma = 1).
    horizon : int
        Rounds per run of the kernel.
    reps : int
        Runs in the batch.
    reference_horizon : int
        Rounds of the numpy reference (it recomputes V^-1 and every width each round).
    repeat : int
        Timings; the best is kept.

    Returns
    -------
    dict
        rounds_per_s, target_rounds_per_s, reference_rounds_per_s, speedup_vs_reference, compile_s and the sizes.

    Examples
    --------
    >>> out = bench_linucb(d=3, K=10, horizon=200, reps=1, reference_horizon=20, repeat=1)
    >>> out["rounds_per_s"] > 0
    True
    """
    inst = random_sparse_instance(K, d, d, 0.0, seed=0, sigma=1.0)
    t0 = time.perf_counter()
    linucb(inst, 10, repetition_seeds(0, "bench-compile", 1))
    compile_s = time.perf_counter() - t0
    seeds = repetition_seeds(0, "bench-linucb", reps)
    sec = _best(lambda: linucb(inst, horizon, seeds), repeat)
    rps = horizon * reps / sec
    states = init_states(repetition_seeds(0, "bench-linucb-ref", 1))
    ref_sec = _best(lambda: reference.linucb(inst.features, inst.rewards, inst.theta, 1.0, reference_horizon, 1.0,
                                             1.0, 0.05, states.copy()), 1)
    ref_rps = reference_horizon / ref_sec
    return {"rounds_per_s": rps, "target_rounds_per_s": 3e5, "reference_rounds_per_s": ref_rps,
            "speedup_vs_reference": rps / ref_rps, "compile_s": compile_s, "d": d, "K": K, "horizon": horizon,
            "reps": reps}


def bench_sparsenet_scan(d: int = 24, s: int = 2, K: int = 20_000, eps_net: float = 0.1, repeat: int = 2) -> dict:
    """Candidates per second of the SparseNet scan kernel, and the time of the bare BLAS products of that size.

    Parameters
    ----------
    d, s, K : int
        Dimension, sparsity and actions of the RANDSPARSE features.
    eps_net : float
        Resolution of the ball net.
    repeat : int
        Timings; the best is kept.

    Returns
    -------
    dict
        candidates_per_s, scan_s, blas_matmul_s, ratio_to_blas, target_ratio, candidates, compile_s and the sizes.

    Examples
    --------
    >>> out = bench_sparsenet_scan(d=4, s=2, K=200, eps_net=0.5, repeat=1)
    >>> out["candidates"] > 0
    True
    """
    inst = random_sparse_instance(K, d, s, 0.0, seed=0)
    small = random_sparse_instance(50, 4, s, 0.0, seed=0)
    t0 = time.perf_counter()
    sparsenet_scan(small.features, s, 0.5)
    compile_s = time.perf_counter() - t0

    def scan():
        _SCAN_CACHE.clear()
        return sparsenet_scan(inst.features, s, eps_net, "ball")

    sec = _best(scan, repeat)
    n_cand = scan().n_candidates
    sup, net = supports(d, s), ball_net(s, eps_net)
    phi = inst.features

    def blas():
        for S in sup:
            np.dot(np.ascontiguousarray(phi[:, S]), net.T)

    blas_sec = _best(blas, repeat)
    return {"candidates_per_s": n_cand / sec, "scan_s": sec, "blas_matmul_s": blas_sec, "ratio_to_blas": sec / blas_sec,
            "target_ratio": 2.0, "candidates": n_cand, "compile_s": compile_s, "d": d, "s": s, "K": K,
            "eps_net": eps_net}


def _numpy_mlp_step(W1, b1, W2, b2, x, y, lr):
    z = x @ W1 + b1
    h = np.maximum(z, 0.0)
    out = h @ W2 + b2
    g_out = 2.0 * (out - y) / out.size
    gW2 = h.T @ g_out
    gb2 = g_out.sum(axis=0, keepdims=True)
    gz = (g_out @ W2.T) * (z > 0)
    gW1 = x.T @ gz
    gb1 = gz.sum(axis=0, keepdims=True)
    W1 -= lr * gW1
    b1 -= lr * gb1
    W2 -= lr * gW2
    b2 -= lr * gb2


def bench_nn_sgd_step(n_in: int = 20, width: int = 100, batch: int = 64, steps: int = 500, repeat: int = 5) -> dict:
    """Seconds per SGD step of theorylab.nn's MLP vs a hand-written numpy forward/backward (same network).

    Parameters
    ----------
    n_in : int, default 20
        Input dimension of the one-hidden-layer MLP ``(n_in, width, 1)``.
    width : int, default 100
        Hidden width.
    batch : int, default 64
        Rows of the fixed Gaussian minibatch (x, y) used at every step.
    steps : int, default 500
        SGD steps (lr 1e-2, MSE loss) per timed run.
    repeat : int, default 5
        Alternating timed runs of each side; the fastest is kept.

    Returns
    -------
    dict
        ``nn_step_us`` and ``numpy_step_us`` (best microseconds per step), ``ratio`` (nn / numpy),
        ``target_ratio`` (2.0), ``width`` and ``batch``.
    """
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(batch, n_in)), rng.normal(size=(batch, 1))
    net = MLP((n_in, width, 1), seed=0)
    opt = SGD(net.parameters(), lr=1e-2)

    def nn_steps():
        for _ in range(steps):
            opt.zero_grad()
            loss = mse_loss(net(x), y)
            loss.backward()
            opt.step()

    W1, b1 = net.layers[0].weight.data.copy(), net.layers[0].bias.data.copy()
    W2, b2 = net.layers[1].weight.data.copy(), net.layers[1].bias.data.copy()

    def np_steps():
        for _ in range(steps):
            _numpy_mlp_step(W1, b1, W2, b2, x, y, 1e-2)

    nn_s, np_s = np.inf, np.inf
    for _ in range(repeat):                     # alternate, so both see the same machine load
        nn_s = min(nn_s, _best(nn_steps, 1) / steps)
        np_s = min(np_s, _best(np_steps, 1) / steps)
    return {"nn_step_us": nn_s * 1e6, "numpy_step_us": np_s * 1e6, "ratio": nn_s / np_s, "target_ratio": 2.0,
            "width": width, "batch": batch}


BENCHMARKS = {"linucb": bench_linucb, "sparsenet_scan": bench_sparsenet_scan, "nn_sgd_step": bench_nn_sgd_step}
