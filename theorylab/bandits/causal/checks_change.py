"""Evaluate function of the detection-delay claim: CSL-UCB's sub-graph detector after one change.

Scenario (ours; the paper's non-stationary schedule is not public, docs/topics/causal.md#non-stationarity):
random instance, one change at round t_c made by the authors' change model (``change_graph``, one
column of the mechanism the optimum uses), CSL-UCB (final variant) with the detector on.
"""

from __future__ import annotations

import numpy as np

from theorylab.bandits.causal.algorithms import run_algorithm
from theorylab.bandits.causal.checks_bounds import quantile_interval
from theorylab.bandits.causal.instances import change_graph, random_instance
from theorylab.core.claims import Evidence, by_size
from theorylab.core.seeding import repetition_seeds, seed_sequence

__all__ = ["eval_detection_delay"]


def eval_detection_delay(size="quick", n_jobs=1, seed=0, tau_cd=2.0, w_cd=20):
    """Median detection delay / w_cd <= 1 over runs that played an old optimum just before the change.

    delay = first round >= t_c at which any sub-graph is reset, minus t_c (inf if none before T).
    Only runs whose last 50 pre-change rounds were >= 90% optimal count: the change hits the mechanism
    of the old optimum, so only such runs can see it (a property fixed before the change). The median
    gets the exact order-statistic 95% interval. False alarms (resets between t_static and t_c) are
    reported. ``tau_cd`` is the detector's threshold (authors: 2; the break raises it).
    """
    N, T, t_c, R = by_size(size, (6, 700, 350, 24), (10, 3000, 1000, 100))
    systems = []
    for i in range(R):
        a = random_instance(N, seed_sequence(seed, "causal.delay.instances", i))
        b, _ = change_graph(a, 1, seed_sequence(seed, "causal.delay.change", i))
        systems.append([a, b])
    res = run_algorithm("csl_ucb", systems, repetition_seeds(seed, "causal.delay.runs", R), T, change_times=[0, t_c],
                        tau_cd=tau_cd, w_cd=w_cd)
    resets = res.extra["resets"]
    t_static = res.extra["t_static"]
    eligible = res.optimal[:, t_c - 50:t_c].mean(axis=1) >= 0.9
    delays = np.array([np.flatnonzero(resets[r, t_c:])[0] if resets[r, t_c:].any() else np.inf
                       for r in range(R)], dtype=float)
    d = delays[eligible]
    est, lo, hi = quantile_interval(d / w_cd, 0.5)
    return Evidence(measured=est, ci_low=lo, ci_high=hi, bound=1.0, reps=int(eligible.sum()), rule="upper",
                    details={"method": "median over eligible runs of delay / w_cd, exact order-statistic 95% interval",
                             "eligible_runs": int(eligible.sum()), "runs": R, "N": N, "T": T, "t_c": t_c,
                             "delays": [None if not np.isfinite(x) else int(x) for x in d],
                             "undetected": int(np.sum(~np.isfinite(d))),
                             "false_alarm_runs": int(np.sum((resets[:, t_static + 1:t_c] > 0).any(axis=1)))})
