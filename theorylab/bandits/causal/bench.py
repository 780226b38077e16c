"""Speed of the causal topic (``theorylab bench causal``; docs/topics/causal.md#speed).

- ``csl_ucb_rounds_per_s``: CSL-UCB (final variant) rounds per second at N = 10, T = 1500, a batch of
  ``runs`` runs on the authors' random instances, one core; ``reference_rounds_per_s`` the numpy
  reference on one run of ``reference_horizon`` rounds (it is far slower, so shorter), and their ratio.
  Rounds are not equally costly (relearning happens every 50 rounds until the sub-graphs freeze at
  n_max samples), so the kernel is timed over whole runs of the figure's horizon;
- ``relearn_ms`` / ``relearn_reference_ms``: one topology learning for one state at N = 10 with 100
  relevant samples per node (kernel / numpy reference);
- ``stationary_figure_s_estimate``: 100 instances x (CSL-UCB x 2 variants + LinSEM-TS + Vanilla UCB)
  at T = 1500 from the measured per-run times, on one core.
The first call compiles or loads the numba cache; every timing is the best of ``repeat`` after it.
"""

from __future__ import annotations

import time

import numpy as np

from theorylab.bandits.causal import kernels as _k
from theorylab.bandits.causal import reference as ref
from theorylab.bandits.causal.algorithms import run_algorithm
from theorylab.bandits.causal.instances import action_bits, random_instance
from theorylab.core.seeding import repetition_seeds, seed_sequence

__all__ = ["BENCHMARKS", "bench_causal"]


def _best(fn, repeat):
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def bench_causal(runs: int = 8, horizon: int = 1500, reference_horizon: int = 120, repeat: int = 2) -> dict:
    """Kernel vs reference throughput of CSL-UCB and the cost of one relearn (see the module docstring).

    Parameters
    ----------
    runs : int, default 8
        Batch size of the kernel timings (random instances, N = 10).
    horizon : int, default 1500
        Rounds per kernel run (the stationary figure's T).
    reference_horizon : int, default 120
        Rounds of the single numpy-reference run.
    repeat : int, default 2
        Each kernel timing is the best of ``repeat`` calls (relearns: of 3 * repeat).

    Returns
    -------
    dict
        Rates in rounds per second (``csl_ucb_rounds_per_s``, ``reference_rounds_per_s``, their ratio
        ``speedup``), seconds per run (``csl_ucb_s_per_run``, ``linsem_ts_s_per_run``,
        ``vanilla_ucb_s_per_run``), milliseconds per relearn (``relearn_ms``, ``relearn_reference_ms``),
        ``stationary_figure_s_estimate`` and ``first_call_s`` in seconds, and the ``runs`` and ``horizon`` used.
    """
    insts = [random_instance(10, seed_sequence(0, "causal.bench", i)) for i in range(runs)]
    seeds = repetition_seeds(0, "causal.bench.runs", runs)
    first = time.perf_counter()
    run_algorithm("csl_ucb", insts[:1], seeds[:1], 60)
    first = time.perf_counter() - first
    t_csl = _best(lambda: run_algorithm("csl_ucb", insts, seeds, horizon), repeat) / runs
    t_ts = _best(lambda: run_algorithm("linsem_ts", insts, seeds, horizon), repeat) / runs
    t_ucb = _best(lambda: run_algorithm("vanilla_ucb", insts, seeds, horizon), repeat) / runs
    t_ref = _best(lambda: ref.csl_ucb(insts[0], reference_horizon, np.random.default_rng(0)), 1)
    # one relearn: 220 random rounds give about 110 relevant samples per (node, state); the cap keeps 100
    rng = np.random.default_rng(1)
    acts = rng.integers(0, 1024, 220)
    X, bits = insts[0].sample(acts, rng), action_bits(10, acts)
    prio = rng.permutation(100).astype(float)
    st = np.zeros(10, dtype=np.int64)
    relearn = _best(lambda: _k.learn_topology(X, bits, insts[0].nu, 0, st, 100, 5, 1.0, False, prio), 3 * repeat)
    relearn_ref = _best(lambda: ref.learn_topology(X, bits, insts[0].nu, 0, prio), 1)
    return {"csl_ucb_rounds_per_s": horizon / t_csl, "reference_rounds_per_s": reference_horizon / t_ref,
            "speedup": (horizon / t_csl) / (reference_horizon / t_ref), "csl_ucb_s_per_run": t_csl,
            "linsem_ts_s_per_run": t_ts, "vanilla_ucb_s_per_run": t_ucb,
            "relearn_ms": 1e3 * relearn, "relearn_reference_ms": 1e3 * relearn_ref,
            "stationary_figure_s_estimate": 100 * (2 * t_csl + t_ts + t_ucb), "first_call_s": first,
            "runs": runs, "horizon": horizon}


BENCHMARKS = {"causal": bench_causal}
