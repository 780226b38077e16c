"""Sweep tasks of the dp_bai topic: instances described by plain parameters, error counts per batch.

Task ``dp_bai.error_count``: one row per repetition; a repetition is a batch of ``batch`` runs whose
per-run seeds are drawn from the repetition's SeedSequence, so a row depends only on its own seed
(chunking, workers and backends give the same table). Columns: ``errors``, ``runs``, ``T``.
The budget is ``budget`` or ``budget_units`` x M x (H_BAI + H_pri/eps).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from theorylab.bandits.dp_bai.algorithms import ALGORITHMS, check_epsilon, min_budget, run_algorithm
from theorylab.bandits.dp_bai.instances import (hard_instance, linear_instance, random_linear_instance,
                                                random_unstructured_instance, soare_dp_instance, unstructured_instance)
from theorylab.core.sweep import SweepTask
from theorylab.core.validate import check_choice, check_int, check_real

__all__ = ["resolve_budget", "build_instance", "INSTANCE_KINDS", "error_count_task", "SWEEP_TASKS", "epsilon_value"]

INSTANCE_KINDS = ("soare_dp", "unstructured", "hard", "random_unstructured", "random_linear", "linear")
_cache: dict = {}


def epsilon_value(eps) -> float:
    """epsilon from a sweep parameter: a number or the string "inf"."""
    if isinstance(eps, str):
        if eps.lower() in ("inf", "infinity"):
            return math.inf
        raise ValueError(f"epsilon must be a positive number or 'inf', got {eps!r}")
    return check_epsilon(eps)


def build_instance(params: dict):
    """Instance from sweep parameters (``instance`` kind plus its arguments; cached)."""
    kind = check_choice("instance", params.get("instance", "soare_dp"), INSTANCE_KINDS)
    law = params.get("law", "bernoulli")
    keyp = {k: params[k] for k in sorted(params) if k in ("instance", "law", "d", "K", "omega", "means", "family",
                                                           "delta", "alpha", "instance_seed", "arms", "theta")}
    key = repr(keyp)
    if key in _cache:
        return _cache[key]
    if kind == "soare_dp":
        inst = soare_dp_instance(params.get("d", 5), params.get("K", 30), params.get("omega", 0.5), law=law)
    elif kind == "unstructured":
        inst = unstructured_instance(params["means"], law=law)
    elif kind == "hard":
        inst = hard_instance(params.get("family", "linear_gaps"), params.get("K", 4), params.get("delta", 0.05),
                             params.get("alpha", 1.0), law=law)
    elif kind == "random_unstructured":
        inst = random_unstructured_instance(params.get("K", 5), params.get("instance_seed", 0), law=law)
    elif kind == "random_linear":
        inst = random_linear_instance(params.get("K", 8), params.get("d", 3), params.get("instance_seed", 0), law=law)
    else:
        inst = linear_instance(params["arms"], params["theta"], law=law)
    _cache[key] = inst
    return inst


def resolve_budget(params: dict) -> int:
    """``budget`` or, if absent, ``budget_units`` x M x (H_BAI + H_pri/eps) (complexity units, at least
    the algorithm's minimum budget)."""
    if "budget" in params:
        return check_int("budget", params["budget"], minimum=1)
    if "budget_units" not in params:
        raise ValueError("sweep cell needs 'budget' or 'budget_units'")
    units = check_real("budget_units", params["budget_units"], minimum=0.0, strict_min=True)
    inst = build_instance(params)
    eps = epsilon_value(params.get("epsilon", "inf"))
    hb, hp = inst.complexities()
    from theorylab.bandits.dp_bai.plans import default_schedule
    M = len(default_schedule(inst.K, inst.rank)) - 1
    C = hb + (0.0 if math.isinf(eps) else hp / eps)
    alg = params.get("algorithm", "dp_bai")
    return max(int(math.ceil(units * M * C)), min_budget(alg, inst, params.get("schedule")))


def _check(params: dict) -> None:
    inst = build_instance(params)
    alg = check_choice("algorithm", params.get("algorithm", "dp_bai"), ALGORITHMS)
    epsilon_value(params.get("epsilon", "inf"))
    T = resolve_budget(params)
    need = min_budget(alg, inst, params.get("schedule"))
    if T < need:
        raise ValueError(f"budget T = {T} is below the minimum {need} of {alg}")
    check_int("batch", params.get("batch", 1), minimum=1)
    check_choice("path", params.get("path", "fast"), ("fast", "per_pull"))
    check_real("noise_factor", params.get("noise_factor", 1.0), minimum=0.0)


def _run(params: dict, seeds: list) -> pd.DataFrame:
    inst = build_instance(params)
    batch = int(params.get("batch", 1))
    alg = params.get("algorithm", "dp_bai")
    eps = epsilon_value(params.get("epsilon", "inf"))
    if alg in ("sequential_halving", "successive_rejects"):
        run_seeds = [c for s in seeds for c in s.spawn(batch)]
    else:
        run_seeds = np.concatenate([s.generate_state(batch, dtype=np.uint64) for s in seeds])
    rec = run_algorithm(inst, alg, resolve_budget(params), run_seeds, eps, params.get("path", "fast"),
                        params.get("schedule"), float(params.get("noise_factor", 1.0)),
                        bool(params.get("reuse_samples", False)))
    err = (rec != inst.best_arm).reshape(len(seeds), batch).sum(axis=1)
    return pd.DataFrame({"errors": err.astype(np.int64), "runs": np.full(len(seeds), batch, dtype=np.int64),
                         "T": np.full(len(seeds), resolve_budget(params), dtype=np.int64)})


error_count_task = SweepTask(run=_run, check_params=_check)
SWEEP_TASKS = {"error_count": error_count_task}
