"""Sweep tasks of the causal topic (``theorylab sweep simulations/causal/*.toml``).

Every repetition draws its own random instance and its own run stream from the repetition's
SeedSequence (two spawned children), so a row depends only on its seed; one kernel call per chunk.

- ``causal.regret``: one row per repetition: final pseudo- and realised regret, optimal share of the
  last 100 rounds, for ``algorithm`` (``csl_ucb`` with ``variant``, ``vanilla_ucb``, ``linsem_ts``) on the
  authors' random instance with ``n_nodes`` nodes, horizon ``horizon``.
- ``causal.bound_ratio``: Theorem 1's conservativeness: ``rounds`` random rounds, OLS on the true
  topology, one random action; |error|, U(a) (true ||mu_a||) and their ratio (docs/topics/causal.md#bounds).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from theorylab.bandits.causal.algorithms import ALGORITHM_NAMES, VARIANTS, run_algorithm
from theorylab.bandits.causal.instances import MAX_NODES, random_instance
from theorylab.bandits.causal.simulate import fit_true_topology, random_rounds
from theorylab.core.sweep import SweepTask
from theorylab.core.validate import check_choice, check_int, check_open_unit

__all__ = ["SWEEP_TASKS", "regret_task", "bound_ratio_task"]


def _check_regret(params: dict) -> None:
    check_choice("algorithm", params.get("algorithm", "csl_ucb"), ALGORITHM_NAMES)
    check_choice("variant", params.get("variant", "final"), tuple(VARIANTS))
    check_int("n_nodes", params.get("n_nodes", 10), minimum=2, maximum=MAX_NODES)
    check_int("horizon", params.get("horizon", 1500), minimum=100)


def _run_regret(params: dict, seeds: list) -> pd.DataFrame:
    kids = [s.spawn(2) for s in seeds]
    N = int(params.get("n_nodes", 10))
    insts = [random_instance(N, k[0]) for k in kids]
    name = params.get("algorithm", "csl_ucb")
    kw = {"variant": params.get("variant", "final")} if name == "csl_ucb" else {}
    res = run_algorithm(name, insts, [k[1] for k in kids], int(params.get("horizon", 1500)), **kw)
    return pd.DataFrame({"pseudo_regret": res.pseudo_regret[:, -1], "realised_regret": res.realised_regret[:, -1],
                         "optimal_share_last_100": res.optimal[:, -100:].mean(axis=1),
                         "best_reward": res.best[:, -1]})


def _check_bound(params: dict) -> None:
    check_int("n_nodes", params.get("n_nodes", 10), minimum=2, maximum=MAX_NODES)
    check_int("rounds", params.get("rounds", 200), minimum=20)
    check_open_unit("delta", params.get("delta", 0.05))


def _run_bound(params: dict, seeds: list) -> pd.DataFrame:
    N = int(params.get("n_nodes", 10))
    T = int(params.get("rounds", 200))
    delta = float(params.get("delta", 0.05))
    rows = []
    for s in seeds:
        rng = np.random.default_rng(s)
        inst = random_instance(N, rng)
        X, bits = random_rounds(inst, T, rng)
        f = fit_true_topology(inst, X, bits, n_max=T)
        a = int(rng.integers(0, inst.n_actions))
        xi = 2.0 * math.sqrt(f.sigma_bar_parents[a] * math.log(2 * N / delta))
        U = f.c_norm[a] * xi * float(np.linalg.norm(inst.means(a)[0]))
        err = abs(f.reward_hat[a] - inst.rewards[a])
        rows.append({"error": err, "U": U, "ratio": err / U if U > 0 else 0.0})
    return pd.DataFrame(rows)


regret_task = SweepTask(run=_run_regret, check_params=_check_regret)
bound_ratio_task = SweepTask(run=_run_bound, check_params=_check_bound)
SWEEP_TASKS = {"regret": regret_task, "bound_ratio": bound_ratio_task}
