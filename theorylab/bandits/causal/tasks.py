"""Sweep tasks of the causal topic (``theorylab sweep simulations/causal/*.toml``).

Every repetition draws its own random instance and its own run stream from the repetition's
SeedSequence (two spawned children), so a row depends only on its seed; one kernel call per chunk.

- ``causal.regret``: one row per repetition: final pseudo- and realised regret, optimal share of the
  last 100 rounds, for ``algorithm`` (``csl_ucb`` with ``variant``, ``vanilla_ucb``, ``linsem_ts``) on the
  authors' random instance with ``n_nodes`` nodes, horizon ``horizon``; also the length of CSL-UCB's forced
  random phase (every sub-graph 20 samples), the pseudo-regret paid up to its end, and the mean gap of a
  uniformly random action (docs/topics/causal.md#the-csl-ucb-gap).
- ``causal.bound_ratio``: Theorem 1's conservativeness: ``rounds`` random rounds, OLS on the true
  topology, one random action; |error|, U(a) (true ||mu_a||) and their ratio (docs/topics/causal.md#bounds).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from theorylab.bandits.causal.algorithms import ALGORITHM_NAMES, VARIANTS, exploration_rounds, run_algorithm
from theorylab.bandits.causal.instances import MAX_NODES, random_instance
from theorylab.bandits.causal.simulate import bound_terms_batch, random_rounds
from theorylab.core.schema import Choice, Int, Real, Schema
from theorylab.core.sweep import SweepTask

__all__ = ["SWEEP_TASKS", "REGRET_SCHEMA", "BOUND_RATIO_SCHEMA", "regret_task", "bound_ratio_task"]

MAX_HORIZON = 10**7  # ours: rounds per run (CSL-UCB runs ~1e4 rounds/s at N = 10)
#: The declared parameters of ``causal.regret`` (validation, seeds, manifest, ``theorylab list``).
REGRET_SCHEMA = Schema({
    "algorithm": Choice("algorithm", ALGORITHM_NAMES, default="csl_ucb"),
    "variant": Choice("csl_ucb only: paper_era (true ||mu_a|| in the bound, 0.2 r (1 + cos phi) bonus) or final",
                      tuple(VARIANTS), default="final"),
    "n_nodes": Int("nodes N of the random linear SEM", default=10, minimum=2, maximum=MAX_NODES),
    "horizon": Int("rounds T", default=1500, minimum=100, maximum=MAX_HORIZON),
})
#: The declared parameters of ``causal.bound_ratio``.
BOUND_RATIO_SCHEMA = Schema({
    "n_nodes": Int("nodes N of the random linear SEM", default=10, minimum=2, maximum=MAX_NODES),
    "rounds": Int("random rounds before the fit", default=200, minimum=20, maximum=10**6),
    "delta": Real("confidence parameter delta of Theorem 1", default=0.05, minimum=0.0, maximum=1.0,
                  strict_min=True, strict_max=True),
})


def _check_regret(params: dict) -> None:
    """The check across fields (each field is checked by the schema)."""
    if params.get("algorithm", "csl_ucb") != "csl_ucb" and "variant" in params:
        raise ValueError(f"parameter 'variant' is for csl_ucb only, not {params['algorithm']!r}")


def _run_regret(params: dict, seeds: list) -> pd.DataFrame:
    kids = [s.spawn(2) for s in seeds]
    N = int(params.get("n_nodes", 10))
    insts = [random_instance(N, k[0]) for k in kids]
    name = params.get("algorithm", "csl_ucb")
    kw = {"variant": params.get("variant", "final")} if name == "csl_ucb" else {}
    res = run_algorithm(name, insts, [k[1] for k in kids], int(params.get("horizon", 1500)), **kw)
    T = res.actions.shape[1]
    L = np.minimum(exploration_rounds(res.actions, N), T)      # CSL-UCB's forced random phase (any algorithm)
    return pd.DataFrame({"pseudo_regret": res.pseudo_regret[:, -1], "realised_regret": res.realised_regret[:, -1],
                         "optimal_share_last_100": res.optimal[:, -100:].mean(axis=1),
                         "best_reward": res.best[:, -1], "exploration_rounds": L,
                         "exploration_regret": res.pseudo_regret[np.arange(len(L)), L - 1],
                         "random_action_gap": [i.rewards.max() - i.rewards.mean() for i in insts]})


def _check_bound(params: dict) -> None:
    """No check across fields: the schema checks each."""


def _run_bound(params: dict, seeds: list) -> pd.DataFrame:
    N = int(params.get("n_nodes", 10))
    T = int(params.get("rounds", 200))
    delta = float(params.get("delta", 0.05))
    insts, Xs, bitss, acts = [], [], [], []
    for s in seeds:                       # the draws of each repetition come from its own seed, in this order
        rng = np.random.default_rng(s)
        inst = random_instance(N, rng)
        X, bits = random_rounds(inst, T, rng)
        insts.append(inst)
        Xs.append(X)
        bitss.append(bits)
        acts.append(int(rng.integers(0, inst.n_actions)))
    terms = bound_terms_batch(insts, np.array(Xs), np.array(bitss), acts, n_max=T)      # one kernel call
    xi = 2.0 * np.sqrt(terms[:, 2] * math.log(2 * N / delta))
    mu_norm = np.array([np.linalg.norm(i.means(a)[0]) for i, a in zip(insts, acts)])
    U = terms[:, 1] * xi * mu_norm
    err = np.abs(terms[:, 0] - np.array([i.rewards[a] for i, a in zip(insts, acts)]))
    ratio = np.divide(err, U, out=np.zeros_like(err), where=U > 0)
    return pd.DataFrame({"error": err, "U": U, "ratio": ratio})


regret_task = SweepTask(run=_run_regret, check_params=_check_regret, name="causal.regret", schema=REGRET_SCHEMA)
bound_ratio_task = SweepTask(run=_run_bound, check_params=_check_bound, name="causal.bound_ratio",
                             schema=BOUND_RATIO_SCHEMA)
SWEEP_TASKS = {"regret": regret_task, "bound_ratio": bound_ratio_task}
