"""Sweep task of the tallying topic: final CPR of one algorithm on one instance, one row per run.

Task ``tallying.final_cpr``. Cell parameters (checked before any work starts):

- ``instance``: ``learning_curve`` | ``satiation`` | ``inverted_u`` | ``random_reo`` | ``hidden_practice``;
- ``K``, ``m`` (ints), ``weights`` (a profile name, default ``unweighted``), ``gamma`` (exponential
  profile), ``include_current`` (bool, default true), ``instance_seed`` (int, default 0), ``best``
  (hidden_practice only), ``noise`` (default ``bernoulli``);
- ``algorithm``: one of :data:`theorylab.bandits.tallying.algorithms.ALGORITHM_NAMES`; ``M`` (int >= m,
  default m) for ``wtb_se``, ``wtb_se_anytime`` and ``tb_etc_periodic``; ``T`` (int).

Columns: ``cpr_const``, ``cpr_upper`` and ``realised`` (sampled total loss). A row depends only
on its own seed (each run has its own stream), so chunking and workers do not change the table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from theorylab.bandits.tallying.algorithms import ALGORITHM_NAMES, NEEDS_M, run_algorithm
from theorylab.bandits.tallying.families import WEIGHT_PROFILES
from theorylab.bandits.tallying.hard_instances import hidden_practice_instance
from theorylab.bandits.tallying.instances import (inverted_u_instance, learning_curve_instance, random_reo_instance,
                                                  satiation_instance)
from theorylab.bandits.tallying.instances import NOISE_CODES
from theorylab.core.schema import Bool, Choice, Int, Real, Schema
from theorylab.core.sweep import SweepTask
from theorylab.core.validate import check_choice, check_int

__all__ = ["INSTANCE_KINDS", "FINAL_CPR_SCHEMA", "build_instance", "check_params", "final_cpr_task", "SWEEP_TASKS"]

INSTANCE_KINDS = ("learning_curve", "satiation", "inverted_u", "random_reo", "hidden_practice")
MAX_T = 10**9  # ours: rounds per run; a run of 1e9 rounds already takes minutes
#: The declared parameters of ``tallying.final_cpr`` (validation, seeds, manifest, ``theorylab list``).
FINAL_CPR_SCHEMA = Schema({
    "instance": Choice("instance family", INSTANCE_KINDS, default="learning_curve"),
    "K": Int("arms", default=5, minimum=2),
    "m": Int("tally memory m (steps)", default=5, minimum=1),
    "M": Int("wtb_se and tb_etc_periodic only: the known memory bound M >= m; default m", default=None, minimum=1),
    "weights": Choice("tally weight profile", WEIGHT_PROFILES, default="unweighted"),
    "gamma": Real("learning_curve / satiation / inverted_u: the exponential profile's rate", default=0.8, minimum=0.0,
                  strict_min=True),
    "include_current": Bool("whether the current play counts in its own tally", default=True),
    "instance_seed": Int("seed of the random instance (not of the runs)", default=0, minimum=0),
    "best": Int("hidden_practice only: index of the hidden best arm", default=0, minimum=0),
    "noise": Choice("loss noise; default bernoulli, deterministic for hidden_practice", tuple(NOISE_CODES),
                    default=None),
    "algorithm": Choice("algorithm", ALGORITHM_NAMES),
    "T": Int("horizon T", minimum=2, maximum=MAX_T),
})


def build_instance(params: dict):
    """The instance a cell describes (validated by the constructors).

    Parameters
    ----------
    params : dict
        A cell of ``tallying.final_cpr`` (module docstring): ``instance`` (default ``learning_curve``),
        ``K`` and ``m`` (default 5), ``weights``, ``gamma``, ``include_current``, ``instance_seed``,
        ``best`` (hidden_practice) and ``noise`` (default bernoulli, deterministic for hidden_practice);
        other keys (``algorithm``, ``T``, ``M``) are ignored here.

    Returns
    -------
    WTBInstance
        The same instance for the same cell: its randomness comes from ``instance_seed`` only, never
        from the run seeds.

    Examples
    --------
    >>> build_instance({"instance": "hidden_practice", "K": 3, "m": 2, "best": 1}).full_means.tolist()
    [0.5, 0.0, 0.5]
    """
    kind = check_choice("instance", params.get("instance", "learning_curve"), INSTANCE_KINDS)
    K, m = params.get("K", 5), params.get("m", 5)
    ic = params.get("include_current", True)
    weights = check_choice("weights", params.get("weights", "unweighted"), WEIGHT_PROFILES)
    seed = params.get("instance_seed", 0)
    noise = params.get("noise") or "bernoulli"
    if kind == "learning_curve":
        return learning_curve_instance(K, m, weights, ic, seed, noise=noise, gamma=params.get("gamma", 0.8))
    if kind == "satiation":
        return satiation_instance(K, m, weights, ic, seed, noise=noise, gamma=params.get("gamma", 0.8))
    if kind == "inverted_u":
        return inverted_u_instance(K, m, weights, ic, seed, noise=noise, gamma=params.get("gamma", 0.8))
    if kind == "random_reo":
        return random_reo_instance(K, m, seed, weights=weights, include_current=ic, noise=noise)
    return hidden_practice_instance(K, m, params.get("best", 0), weights=weights, include_current=ic,
                                    noise=params.get("noise") or "deterministic")


def check_params(params: dict) -> None:
    """The checks across fields (the schema has checked each field): the instance builds, M >= m.

    Raises ValueError (or TypeError from a constructor) when the instance does not build, when
    ``M < m``, or when ``M`` is given to an algorithm outside ``algorithms.NEEDS_M``.

    Parameters
    ----------
    params : dict
        A cell of ``tallying.final_cpr`` (module docstring); ``algorithm`` must be present when ``M`` is.
    """
    inst = build_instance(params)
    if params.get("M") is not None:
        check_int("M", params["M"], minimum=inst.m)
        if params["algorithm"] not in NEEDS_M:
            raise ValueError(f"parameter 'M' is read by {', '.join(NEEDS_M)} only, not by {params['algorithm']!r}")


def run_final_cpr(params: dict, seeds) -> pd.DataFrame:
    """One row per seed: final cpr_const, cpr_upper and the sampled total loss."""
    inst = build_instance(params)
    T = int(params["T"])
    M = params.get("M")
    res = run_algorithm(params["algorithm"], inst, T, list(seeds), M=int(inst.m if M is None else M),
                        ckpt=np.array([T], dtype=np.int64))
    return pd.DataFrame({"cpr_const": res.final("const"), "cpr_upper": res.final("upper"),
                         "realised": res.realised})


final_cpr_task = SweepTask(run=run_final_cpr, check_params=check_params, name="tallying.final_cpr",
                           schema=FINAL_CPR_SCHEMA)
SWEEP_TASKS = {"final_cpr": final_cpr_task}
