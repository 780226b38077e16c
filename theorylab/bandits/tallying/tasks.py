"""Sweep task of the tallying topic: final CPR of one algorithm on one instance, one row per run.

Task ``tallying.final_cpr``. Cell parameters (checked before any work starts):

- ``instance``: ``learning_curve`` | ``satiation`` | ``random_reo`` | ``hidden_practice``;
- ``K``, ``m`` (ints), ``weights`` (a profile name, default ``unweighted``), ``gamma`` (exponential
  profile), ``include_current`` (bool, default true), ``instance_seed`` (int, default 0), ``best``
  (hidden_practice only), ``noise`` (default ``bernoulli``);
- ``algorithm``: one of :data:`theorylab.bandits.tallying.algorithms.ALGORITHM_NAMES`; ``M`` (int >= m,
  default m) for ``wtb_se``; ``T`` (int).

Columns: ``cpr_const``, ``cpr_upper`` and ``realised`` (sampled total loss). A row depends only
on its own seed (each run has its own stream), so chunking and workers do not change the table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from theorylab.bandits.tallying.algorithms import ALGORITHM_NAMES, run_algorithm
from theorylab.bandits.tallying.families import WEIGHT_PROFILES
from theorylab.bandits.tallying.hard_instances import hidden_practice_instance
from theorylab.bandits.tallying.instances import learning_curve_instance, random_reo_instance, satiation_instance
from theorylab.core.sweep import SweepTask
from theorylab.core.validate import check_choice, check_int

__all__ = ["INSTANCE_KINDS", "build_instance", "check_params", "final_cpr_task", "SWEEP_TASKS"]

INSTANCE_KINDS = ("learning_curve", "satiation", "random_reo", "hidden_practice")
_KNOWN = {"instance", "K", "m", "M", "weights", "gamma", "include_current", "instance_seed", "best", "noise",
          "algorithm", "T"}


def build_instance(params: dict):
    """The instance a cell describes (validated by the constructors)."""
    kind = check_choice("instance", params.get("instance", "learning_curve"), INSTANCE_KINDS)
    K, m = params.get("K", 5), params.get("m", 5)
    ic = params.get("include_current", True)
    weights = check_choice("weights", params.get("weights", "unweighted"), WEIGHT_PROFILES)
    seed = params.get("instance_seed", 0)
    noise = params.get("noise", "bernoulli")
    if kind == "learning_curve":
        return learning_curve_instance(K, m, weights, ic, seed, noise=noise, gamma=params.get("gamma", 0.8))
    if kind == "satiation":
        return satiation_instance(K, m, weights, ic, seed, noise=noise, gamma=params.get("gamma", 0.8))
    if kind == "random_reo":
        return random_reo_instance(K, m, seed, weights=weights, include_current=ic, noise=noise)
    return hidden_practice_instance(K, m, params.get("best", 0), weights=weights, include_current=ic,
                                    noise=params.get("noise", "deterministic"))


def check_params(params: dict) -> None:
    """Raise ValueError/TypeError naming the first bad field of a cell."""
    unknown = sorted(set(params) - _KNOWN)
    if unknown:
        raise ValueError(f"unknown sweep field(s) {unknown} for task tallying.final_cpr; known: {sorted(_KNOWN)}")
    check_choice("algorithm", params.get("algorithm"), ALGORITHM_NAMES)
    T = check_int("T", params.get("T"), minimum=2)
    inst = build_instance(params)
    check_int("M", params.get("M", inst.m), minimum=inst.m)
    del T


def run_final_cpr(params: dict, seeds) -> pd.DataFrame:
    """One row per seed: final cpr_const, cpr_upper and the sampled total loss."""
    inst = build_instance(params)
    T = int(params["T"])
    res = run_algorithm(params["algorithm"], inst, T, list(seeds), M=int(params.get("M", inst.m)),
                        ckpt=np.array([T], dtype=np.int64))
    return pd.DataFrame({"cpr_const": res.final("const"), "cpr_upper": res.final("upper"),
                         "realised": res.realised})


final_cpr_task = SweepTask(run=run_final_cpr, check_params=check_params)
SWEEP_TASKS = {"final_cpr": final_cpr_task}
