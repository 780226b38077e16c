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
from theorylab.bandits.dp_bai.algorithms import PRIVATE
from theorylab.bandits.dp_bai.instances import HARD_FAMILIES, LAWS
from theorylab.core.seedseq import spawn_states
from theorylab.core.schema import Bool, Choice, Int, IntList, Real, RealList, RealMatrix, RealOrInf, Schema
from theorylab.core.sweep import SweepTask
from theorylab.core.validate import check_choice, check_int, check_real

__all__ = ["resolve_budget", "build_instance", "INSTANCE_KINDS", "error_count_task", "SWEEP_TASKS", "epsilon_value",
           "ERROR_COUNT_SCHEMA"]

INSTANCE_KINDS = ("soare_dp", "unstructured", "hard", "random_unstructured", "random_linear", "linear")
_cache: dict = {}
MAX_ARMS = 4096        # ours: identity features of K arms are a K x K matrix
MAX_BUDGET = 10**10    # ours: pulls per run (int64-safe; 1e10 pulls already take minutes per run)

# which instance arguments each kind reads (any other one would be silently ignored, so it is refused)
KIND_FIELDS = {"soare_dp": ("d", "K", "omega"), "unstructured": ("means",), "hard": ("family", "K", "delta", "alpha"),
               "random_unstructured": ("K", "instance_seed"), "random_linear": ("K", "d", "instance_seed"),
               "linear": ("arms", "theta")}
ERROR_COUNT_SCHEMA = Schema({
    "instance": Choice("instance kind", INSTANCE_KINDS, default="soare_dp"),
    "law": Choice("reward law on [0, 1]", tuple(LAWS), default="bernoulli"),
    "d": Int("dimension (soare_dp: default 5, >= 3; random_linear: default 3)", default=None, minimum=2, maximum=MAX_ARMS),
    "K": Int("number of arms (default: soare_dp 30, hard 4, random_unstructured 5, random_linear 8)", default=None,
             minimum=2, maximum=MAX_ARMS),
    "omega": Real("soare_dp angle in (0, pi/2]", default=None, minimum=0.0, maximum=math.pi / 2, strict_min=True),
    "means": RealList("unstructured arm means in [0, 1]", default=None, minimum=0.0, maximum=1.0, min_len=2,
                      max_len=MAX_ARMS),
    "family": Choice("hard family", HARD_FAMILIES, default=None),
    "delta": Real("hard one_hard_arm gap in (0, 0.25]", default=None, minimum=0.0, maximum=0.25, strict_min=True),
    "alpha": Real("hard polynomial exponent > 0", default=None, minimum=0.0, strict_min=True),
    "instance_seed": Int("seed of the random instance draw", default=None, minimum=0),
    "arms": RealMatrix("linear arm features (K x d)", default=None, min_len=2, max_len=MAX_ARMS),
    "theta": RealList("linear parameter (d)", default=None, max_len=MAX_ARMS),
    "algorithm": Choice("BAI algorithm", tuple(ALGORITHMS), default="dp_bai"),
    "epsilon": RealOrInf("privacy level epsilon > 0 or 'inf' (non-private algorithms take 'inf' only)",
                         default="inf"),
    "budget": Int("budget T (pulls); exactly one of budget / budget_units", default=None, minimum=1, maximum=MAX_BUDGET),
    "budget_units": Real("budget in units of M (H_BAI + H_pri / epsilon)", default=None, minimum=0.0, strict_min=True,
                         maximum=1e6),
    "batch": Int("runs per repetition (one row counts the errors of a batch)", default=1, minimum=1, maximum=10**6),
    "path": Choice("phase sums as one Binomial (fast) or pull by pull", ("fast", "per_pull"), default="fast"),
    "schedule": IntList("arm counts per phase: K, strictly decreasing, ..., 1", default=None, minimum=1,
                        maximum=MAX_ARMS),
    "noise_factor": Real("deliberate break: Laplace scale multiplier (1 = correct)", default=1.0, minimum=0.0),
    "reuse_samples": Bool("deliberate break: phase means on cumulative samples", default=False),
})


def epsilon_value(eps) -> float:
    """epsilon from a sweep parameter: a number or the string "inf".

    Parameters
    ----------
    eps : float or str
        A number or ``"inf"``.

    Returns
    -------
    float
        epsilon (inf for the non-private versions).
    """
    if isinstance(eps, str):
        if eps.lower() in ("inf", "infinity"):
            return math.inf
        raise ValueError(f"epsilon must be a positive number or 'inf', got {eps!r}")
    return check_epsilon(eps)


def build_instance(params: dict):
    """Instance from sweep parameters (``instance`` kind plus its arguments; cached).

    Parameters
    ----------
    params : dict
        ``instance`` kind plus its arguments.

    Returns
    -------
    LinearBAIInstance
        The instance (cached).
    """
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
    the algorithm's minimum budget).

    Parameters
    ----------
    params : dict
        Sweep parameters with ``budget`` or ``budget_units``.

    Returns
    -------
    int
        T.
    """
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
    kind = params.get("instance", "soare_dp")
    for key in sorted(set(params) & set().union(*KIND_FIELDS.values())):
        if key not in KIND_FIELDS[kind]:
            raise ValueError(f"parameter '{key}' has no meaning for instance {kind!r} "
                             f"(it reads {list(KIND_FIELDS[kind])})")
    for key in {"unstructured": ("means",), "linear": ("arms", "theta"), "hard": ("family",)}.get(kind, ()):
        if key not in params:
            raise ValueError(f"parameter '{key}' is required for instance {kind!r}")
    if kind == "soare_dp" and params.get("d", 5) < 3:
        raise ValueError(f"parameter 'd' must be >= 3 for instance 'soare_dp', got {params['d']}")
    if ("budget" in params) == ("budget_units" in params):
        raise ValueError("parameter 'budget': exactly one of 'budget' and 'budget_units' must be given")
    alg = params.get("algorithm", "dp_bai")
    eps = epsilon_value(params.get("epsilon", "inf"))
    if alg not in PRIVATE and not math.isinf(eps):
        raise ValueError(f"parameter 'epsilon' has no effect on the non-private algorithm {alg!r}; use 'inf'")
    inst = build_instance(params)
    if "schedule" in params and params["schedule"][0] != inst.K:
        raise ValueError(f"parameter 'schedule' must start at K = {inst.K}, got {params['schedule']}")
    T = resolve_budget(params)
    need = min_budget(alg, inst, params.get("schedule"))
    if T < need:
        raise ValueError(f"parameter 'budget': T = {T} is below the minimum {need} of {alg}")
    if T > MAX_BUDGET:
        raise ValueError(f"parameter 'budget_units' gives T = {T} > {MAX_BUDGET}")


def _run(params: dict, seeds: list) -> pd.DataFrame:
    inst = build_instance(params)
    batch = int(params.get("batch", 1))
    alg = params.get("algorithm", "dp_bai")
    eps = epsilon_value(params.get("epsilon", "inf"))
    if alg in ("sequential_halving", "successive_rejects"):
        # The children s.spawn(batch) would give, as kernel states in one compiled call (core.seedseq).
        run_seeds = np.concatenate([
            spawn_states(s.entropy, s.spawn_key, np.arange(batch) + s.n_children_spawned, pool_size=s.pool_size)[:, 0]
            for s in seeds])
    else:
        run_seeds = np.concatenate([s.generate_state(batch, dtype=np.uint64) for s in seeds])
    rec = run_algorithm(inst, alg, resolve_budget(params), run_seeds, eps, params.get("path", "fast"),
                        params.get("schedule"), float(params.get("noise_factor", 1.0)),
                        bool(params.get("reuse_samples", False)))
    err = (rec != inst.best_arm).reshape(len(seeds), batch).sum(axis=1)
    return pd.DataFrame({"errors": err.astype(np.int64), "runs": np.full(len(seeds), batch, dtype=np.int64),
                         "T": np.full(len(seeds), resolve_budget(params), dtype=np.int64)})


error_count_task = SweepTask(run=_run, check_params=_check, name="dp_bai.error_count", schema=ERROR_COUNT_SCHEMA,
                             memory=lambda p: 64.0 * p.get("batch", 1) * (p.get("K") or 30) + 8.0 * (p.get("K") or 30) ** 2,
                             width=lambda p: 3)
SWEEP_TASKS = {"error_count": error_count_task}
