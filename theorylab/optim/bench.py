"""Throughput benchmark of Algorithm 1 (``theorylab bench halpern_epoch``).

One epoch of Algorithm 1 (n component evaluations: full refreshes with probability p_k and minibatch
PAGE corrections of 2b calls, plus the simplex projection of every iteration) on the paper's
policeman-and-burglar game (n = 500, d = 1000), against one full operator evaluation
F(x, y) = (A^T y, -A x) by numpy/BLAS. Target: ratio (epoch time / BLAS full-F time) <= 1.5.

Note: for affine components the PAGE correction F_i(x_k) - F_i(x_{k-1}) is computed in one pass over
the component's data (it is still counted as 2 oracle calls, docs/topics/halpern.md#oracle-calls).
"""

from __future__ import annotations

import time

import numpy as np

from theorylab.optim.instances import policeman_burglar, policeman_burglar_matrix
from theorylab.optim.vr_halpern import page_halpern

__all__ = ["BENCHMARKS", "bench_halpern_epoch"]


def _blas_full_time(A, z, reps):
    n = A.shape[0]
    x, y = z[:n], z[n:]
    best = np.inf
    for _ in range(3):
        t0 = time.perf_counter()
        for _ in range(reps):
            np.concatenate([A.T @ y, -(A @ x)])
        best = min(best, (time.perf_counter() - t0) / reps)
    return best


def bench_halpern_epoch(n: int = 500, iterations: int = 4000, blas_reps: int = 200, rounds: int = 5) -> dict:
    """Seconds per epoch of Algorithm 1 vs seconds per numpy/BLAS full evaluation (best of repeated runs).

    Returns ``ratio_vs_blas`` (target <= 1.5), the raw times, ``epochs_timed`` and ``compile_s`` (first
    call: compilation or on-disk cache load). On this machine the BLAS time was the same with 1 and 2
    threads (OPENBLAS_NUM_THREADS), so no thread pinning is done.

    Parameters
    ----------
    n : int, default 500
        Size of the policeman-and-burglar game (matrix A is n x n, so d = 2n variables).
    iterations : int, default 4000
        Iterations of ``page_halpern`` per timed run; the epoch count is the oracle calls made divided by n.
    blas_reps : int, default 200
        Full evaluations F(x, y) = (A^T y, -A x) per BLAS timing (best of 3 such loops).
    rounds : int, default 5
        Interleaved repetitions of (Algorithm 1 run, BLAS timing); the minima over rounds are reported.

    Returns
    -------
    dict
        ``epoch_s`` (best seconds per epoch), ``blas_full_F_s`` (best seconds per full evaluation),
        ``ratio_vs_blas`` (their quotient), ``ratio_median_of_rounds``, ``target_ratio`` (1.5),
        ``epochs_timed`` (epochs in one run), ``iterations``, ``n`` and ``compile_s``.

    Examples
    --------
    >>> r = bench_halpern_epoch(n=50, iterations=200, blas_reps=5, rounds=2)
    >>> r["ratio_vs_blas"] > 0
    True
    """
    pb = policeman_burglar(n)
    A = pb_A = policeman_burglar_matrix(n)
    eta = 5.0 / np.linalg.norm(A, "fro")
    none = np.empty(0, dtype=np.int64)
    t0 = time.perf_counter()
    page_halpern(pb, 3, seed=0, eta=eta, record_at=none)
    compile_s = time.perf_counter() - t0
    epoch_times, blas_times, ratios, epochs = [], [], [], 0.0
    for rep in range(rounds):  # interleaved, so both sides see the same machine load
        t0 = time.perf_counter()
        h = page_halpern(pb, iterations, seed=rep, eta=eta, record_at=[iterations])
        el = time.perf_counter() - t0
        epochs = h.calls[-1] / n
        epoch_times.append(el / epochs)
        blas_times.append(_blas_full_time(pb_A, pb.x0, blas_reps))
        ratios.append(epoch_times[-1] / blas_times[-1])
    best, blas = float(np.min(epoch_times)), float(np.min(blas_times))
    return {"epoch_s": best, "blas_full_F_s": blas, "ratio_vs_blas": best / blas,
            "ratio_median_of_rounds": float(np.median(ratios)), "target_ratio": 1.5,
            "epochs_timed": epochs, "iterations": iterations, "n": n, "compile_s": compile_s}


BENCHMARKS = {"halpern_epoch": bench_halpern_epoch}
