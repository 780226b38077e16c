"""Throughput of the tallying engine (``theorylab bench tallying``; docs/topics/tallying.md#engine).

- ``tallying``: WTB-SE runs per second at T = 1e6 (K = 5, m = M = 10, learning-curve
  instance, Bernoulli losses, one core) on the block fast path and on the per-step engine, and their
  ratio (target >= 50);
- ``tallying_engine``: rounds per second of the per-step engine (UCB1 and WTB-SE) against the pure-Python
  reference of :mod:`theorylab.bandits.tallying.reference` on the same instance.

Every rate is the best of ``repeat`` timed batches after one warm-up call (compile or cache load), with
fresh seeds per batch.
"""

from __future__ import annotations

import math
import time

from theorylab.bandits.tallying.algorithms import ucb1, wtb_se
from theorylab.bandits.tallying.instances import learning_curve_instance
from theorylab.bandits.tallying.reference import reference_run
from theorylab.core.seeding import repetition_seeds
from theorylab.core.streams import init_states

__all__ = ["BENCHMARKS", "bench_block_path", "bench_engine"]


def _best_rate(fn, units, repeat):
    best = math.inf
    for k in range(repeat):
        t0 = time.perf_counter()
        fn(k)
        best = min(best, time.perf_counter() - t0)
    return units / best


def bench_block_path(T: int = 1_000_000, block_runs: int = 40, step_runs: int = 4, repeat: int = 3) -> dict:
    """WTB-SE runs/s on the block fast path and the per-step engine at horizon ``T``.

    Instance: :func:`~theorylab.bandits.tallying.instances.learning_curve_instance` with K = 5, m = 10
    (seed 0), WTB-SE with M = 10; one warm-up call per path at T = 1000 first.

    Parameters
    ----------
    T : int, default 1_000_000
        Horizon of every timed run.
    block_runs : int, default 40
        Runs per timed batch on the block path (``path="blocks"``).
    step_runs : int, default 4
        Runs per timed batch on the per-step engine (``path="per_step"``), fewer because it is O(T) per run.
    repeat : int, default 3
        Timed batches per path; the best (shortest) one gives the rate.

    Returns
    -------
    dict
        ``T``; ``block_runs_per_s`` and ``per_step_runs_per_s`` (runs per wall-clock second);
        ``ratio`` = block / per-step; ``target`` = 50.0, the ratio the block path should reach.
    """
    inst = learning_curve_instance(5, 10, seed=0)
    for path in ("blocks", "per_step"):
        wtb_se(inst, 1000, repetition_seeds(0, "warm", 2), M=10, path=path)
    fast = _best_rate(lambda k: wtb_se(inst, T, repetition_seeds(0, ("bench", "b", k), block_runs), M=10),
                      block_runs, repeat)
    slow = _best_rate(lambda k: wtb_se(inst, T, repetition_seeds(0, ("bench", "s", k), step_runs), M=10,
                                       path="per_step"), step_runs, repeat)
    return {"T": T, "block_runs_per_s": fast, "per_step_runs_per_s": slow, "ratio": fast / slow, "target": 50.0}


def bench_engine(T: int = 200_000, runs: int = 4, ref_T: int = 3000, repeat: int = 3) -> dict:
    """Per-step engine rounds/s (UCB1, WTB-SE) and the reference's rounds/s.

    Same instance as :func:`bench_block_path`; the reference is
    :func:`~theorylab.bandits.tallying.reference.reference_run` on one run (WTB-SE with burn-in 10).

    Parameters
    ----------
    T : int, default 200_000
        Horizon of the engine's timed runs.
    runs : int, default 4
        Runs per timed engine batch.
    ref_T : int, default 3000
        Horizon of the single timed pure-Python reference run (it is slow).
    repeat : int, default 3
        Timed engine batches per algorithm; the best gives the rate.

    Returns
    -------
    dict
        ``T`` and, for ``name`` in ("ucb1", "wtb_se"): ``{name}_rounds_per_s`` (engine rounds per
        second, runs x T / seconds), ``{name}_reference_rounds_per_s`` and ``{name}_speedup`` (their ratio).
    """
    inst = learning_curve_instance(5, 10, seed=0)
    out = {"T": T}
    for name, call in (("ucb1", lambda s, t: ucb1(inst, t, s)),
                       ("wtb_se", lambda s, t: wtb_se(inst, t, s, M=10, path="per_step"))):
        call(repetition_seeds(0, "warm", 1), 1000)
        out[f"{name}_rounds_per_s"] = _best_rate(lambda k: call(repetition_seeds(0, ("bench", name, k), runs), T),
                                                 runs * T, repeat)
        state = init_states(repetition_seeds(0, ("bench-ref", name), 1))[0]
        cfg = {"burn": 10} if name == "wtb_se" else {}
        out[f"{name}_reference_rounds_per_s"] = _best_rate(lambda k: reference_run(name, inst, ref_T, state, **cfg),
                                                           ref_T, 1)
        out[f"{name}_speedup"] = out[f"{name}_rounds_per_s"] / out[f"{name}_reference_rounds_per_s"]
    return out


BENCHMARKS = {"tallying": bench_block_path, "tallying_engine": bench_engine}
