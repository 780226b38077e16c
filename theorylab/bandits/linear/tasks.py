"""Sweep tasks of the linear topic, one row per run (``theorylab sweep simulations/linear/<spec>.toml``).

- ``linear.pure_exploration``: one pure-exploration algorithm (SparseNet, DesignLS, GoodFeatureProbe,
  exhaustive search, successive elimination) on one instance (RANDSPARSE, s-sparse features, SEP(d, eps),
  RS(q, s, r) with a needle position); columns ``error``, ``queries`` (total pulls), ``distinct`` (distinct
  actions queried), ``success`` (error <= 1e-12) and ``needle_rank`` (1-based position of the needle in the
  run's query order for the algorithms that record one, else NaN). Behind figures F1-F4.
- ``linear.regret``: LinUCB / OFUL (plain, or with the eps sqrt(t) misspecification bonus) or PhasedElimG for
  T rounds; column ``regret`` (pseudo-regret at T). Behind figure F5.

Each run's numbers depend only on its own seed (one stream per run), so chunking and workers do not change
the table. Cell parameters are declared by the schemas below and checked before any work starts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from theorylab.bandits.linear.algorithms import (design_ls, exhaustive, good_feature_probe, sparse_net,
                                                 successive_elimination)
from theorylab.bandits.linear.instances import (MISSPEC_KINDS, positive_orthant_instance, random_sparse_instance,
                                                is_prime, reed_solomon_needle, separation_instance,
                                                sparse_feature_instance)
from theorylab.bandits.linear.linucb import linucb
from theorylab.bandits.linear.phased import phased_elimination
from theorylab.bandits.linear.sparsenet import SPARSENET_MODES
from theorylab.core.schema import Bool, Choice, Int, Real, Schema
from theorylab.core.sweep import SweepTask
from theorylab.core.validate import check_int

__all__ = ["PURE_INSTANCES", "PURE_ALGORITHMS", "REGRET_INSTANCES", "REGRET_ALGORITHMS", "PURE_SCHEMA",
           "REGRET_SCHEMA", "build_pure_instance", "build_regret_instance", "run_pure", "run_regret",
           "pure_exploration_task", "regret_task", "SWEEP_TASKS"]

PURE_INSTANCES = ("random_sparse", "sparse_feature", "separation", "reed_solomon")
PURE_ALGORITHMS = ("sparse_net", "design_ls", "good_feature_probe", "exhaustive", "successive_elimination")
REGRET_INSTANCES = ("random_sparse", "positive_orthant")
REGRET_ALGORITHMS = ("linucb", "linucb_misspecified", "phased_elimination")
MAX_T = 10**8  # ours: rounds per run (LinUCB runs about 1e6 rounds/s)

_INSTANCE_FIELDS = {
    "K": Int("random_sparse / sparse_feature / positive_orthant: actions", default=200, minimum=2, maximum=10**6),
    "d": Int("dimension (separation: d >= 2)", default=8, minimum=1, maximum=4096),
    "s": Int("sparsity of theta* (and SparseNet's enumeration size)", default=2, minimum=1),
    "eps": Real("misspecification level eps (separation, random_sparse)", default=0.05, minimum=0.0, maximum=1.0),
    "kind": Choice("random_sparse: misspecification kind", MISSPEC_KINDS, default="uniform"),
    "instance_seed": Int("seed of the random instance (not of the runs)", default=0, minimum=0),
    "sigma": Real("Gaussian query noise standard deviation", default=0.0, minimum=0.0),
}

#: The declared parameters of ``linear.pure_exploration``.
PURE_SCHEMA = Schema(dict(
    instance=Choice("instance family", PURE_INSTANCES, default="random_sparse"),
    s_feat=Int("sparse_feature: nonzeros of every feature", default=2, minimum=1),
    q=Int("reed_solomon: prime field size q >= s", default=5, minimum=2),
    r=Int("reed_solomon: overlap (polynomial degree) r < s", default=1, minimum=0),
    needle=Int("reed_solomon: needle position in [0, q^(r+1))", default=0, minimum=0),
    delta=Real("reed_solomon: needle reward Delta", default=0.8, minimum=0.0, strict_min=True, maximum=1.0),
    algorithm=Choice("algorithm", PURE_ALGORITHMS),
    mode=Choice("sparse_net: selection mode", tuple(SPARSENET_MODES), default="best_empirical"),
    net_kind=Choice("sparse_net: net (default: direction for best_empirical, else ball)", ("ball", "direction"),
                    default=None),
    eps_net=Real("sparse_net: net resolution (default eps)", default=None, minimum=0.0, strict_min=True),
    basis_design=Bool("design_ls on separation: the uniform design on the basis instead of Frank-Wolfe",
                      default=False),
    **_INSTANCE_FIELDS,
))

#: The declared parameters of ``linear.regret``.
REGRET_SCHEMA = Schema(dict(
    instance=Choice("instance family", REGRET_INSTANCES, default="random_sparse"),
    algorithm=Choice("algorithm", REGRET_ALGORITHMS),
    T=Int("horizon T", minimum=1, maximum=MAX_T),
    **_INSTANCE_FIELDS,
))


def build_pure_instance(params: dict):
    """The instance a ``linear.pure_exploration`` cell describes (validated by the constructors).

    Parameters
    ----------
    params : dict
        Canonical cell parameters (missing keys take the schema defaults).

    Returns
    -------
    LinearInstance

    Examples
    --------
    >>> build_pure_instance({"instance": "separation", "d": 5, "eps": 0.1}).K
    6
    """
    get = lambda k: params.get(k, PURE_SCHEMA.fields[k].default)  # noqa: E731
    kind = get("instance")
    if kind == "random_sparse":
        return random_sparse_instance(get("K"), get("d"), get("s"), get("eps"), kind=get("kind"),
                                      seed=get("instance_seed"), sigma=get("sigma"))
    if kind == "sparse_feature":
        return sparse_feature_instance(get("K"), get("d"), get("s_feat"), s=min(get("s"), get("d")),
                                       seed=get("instance_seed"), sigma=get("sigma"))
    if kind == "separation":
        return separation_instance(get("d"), get("eps"), sigma=get("sigma"))
    return reed_solomon_needle(get("q"), get("s"), get("r"), get("needle"), get("delta"), sigma=get("sigma"))


def build_regret_instance(params: dict):
    """The instance a ``linear.regret`` cell describes.

    Parameters
    ----------
    params : dict
        Cell parameters (missing keys take the schema defaults).

    Returns
    -------
    LinearInstance

    Examples
    --------
    >>> build_regret_instance({"instance": "positive_orthant", "K": 10, "d": 3}).K
    10
    """
    get = lambda k: params.get(k, REGRET_SCHEMA.fields[k].default)  # noqa: E731
    if get("instance") == "positive_orthant":
        return positive_orthant_instance(get("K"), get("d"), seed=get("instance_seed"), sigma=get("sigma"))
    return random_sparse_instance(get("K"), get("d"), get("s"), get("eps"), kind=get("kind"),
                                  seed=get("instance_seed"), sigma=get("sigma"))


def _check_instance_fields(params: dict, schema: Schema) -> None:
    """Cross-field checks of the instance without building a large one (random families are checked by rule)."""
    get = lambda k: params.get(k, schema.fields[k].default)  # noqa: E731
    kind = get("instance")
    if kind in ("random_sparse", "sparse_feature", "positive_orthant"):
        check_int("s", get("s"), minimum=1, maximum=get("d"))
        if kind == "sparse_feature":
            check_int("s_feat", get("s_feat"), minimum=1, maximum=get("d"))
    elif kind == "separation":
        separation_instance(get("d"), get("eps"))
    else:
        q = check_int("q", get("q"), minimum=2)
        if not is_prime(q):
            raise ValueError(f"parameter 'q' must be prime, got {q}")
        s = check_int("s", get("s"), minimum=1, maximum=q)
        r = check_int("r", get("r"), minimum=0, maximum=s - 1)
        check_int("needle", get("needle"), minimum=0, maximum=q ** (r + 1) - 1)


def _check_pure(params: dict) -> None:
    """Cross-field checks: the instance's parameters agree, the algorithm accepts the instance and its options."""
    _check_instance_fields(params, PURE_SCHEMA)
    alg = params["algorithm"]
    kind = params.get("instance", "random_sparse")
    eps = params.get("eps", PURE_SCHEMA.fields["eps"].default)
    zero_eps = kind == "sparse_feature" or (kind == "reed_solomon" and params.get("r", 1) == 0) or eps == 0
    if alg == "sparse_net":
        if params.get("net_kind") == "direction" and params.get("mode", "best_empirical") != "best_empirical":
            raise ValueError("parameter 'net_kind' = 'direction' needs mode 'best_empirical'")
        if zero_eps and params.get("eps_net") is None:
            raise ValueError("parameter 'eps_net' is required when the instance has eps = 0")
    if params.get("basis_design") and (alg != "design_ls" or kind != "separation"):
        raise ValueError("parameter 'basis_design' is for design_ls on the separation instance only")
    if alg == "successive_elimination" and params.get("sigma", 0.0) > 0 and zero_eps:
        raise ValueError("parameter 'eps' must be > 0 for noisy successive elimination (its accuracy eps_stat = eps)")


def _check_regret(params: dict) -> None:
    _check_instance_fields(params, REGRET_SCHEMA)


def run_pure(params: dict, seeds) -> pd.DataFrame:
    """One row per seed: error, queries, distinct, success, needle_rank.

    Parameters
    ----------
    params : dict
        A validated ``linear.pure_exploration`` cell.
    seeds : list of numpy.random.SeedSequence

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> from theorylab.core.seeding import repetition_seeds
    >>> run_pure({"instance": "separation", "d": 5, "eps": 0.1, "algorithm": "sparse_net", "s": 1},
    ...          repetition_seeds(0, "doc", 2))["error"].tolist()
    [0.0, 0.0]
    """
    inst = build_pure_instance(params)
    alg = params["algorithm"]
    seeds = list(seeds)
    rank = None
    if alg == "sparse_net":
        res = sparse_net(inst, min(params.get("s", 2), inst.d), seeds, mode=params.get("mode", "best_empirical"),
                         net_kind=params.get("net_kind"), eps_net=params.get("eps_net"), record_order=True)
        rank = res.info["query_rank"]
    elif alg == "design_ls":
        design = None
        if params.get("basis_design"):
            design = np.r_[np.full(inst.d, 1.0 / inst.d), 0.0]
        res = design_ls(inst, seeds, design=design)
    elif alg == "good_feature_probe":
        res = good_feature_probe(inst, min(params.get("s", 2), inst.d), seeds)
    elif alg == "exhaustive":
        res = exhaustive(inst, seeds, record_order=True)
        rank = res.info["query_rank"]
    else:
        res = successive_elimination(inst, seeds)
    if rank is not None and inst.needle is not None:
        r = rank[:, inst.needle].astype(float)
        needle_rank = np.where(r >= 0, r + 1.0, np.nan)
    else:
        needle_rank = np.full(res.runs, np.nan)
    return pd.DataFrame({"error": res.errors, "queries": res.queries, "distinct": res.distinct,
                         "success": res.errors <= 1e-12, "needle_rank": needle_rank})


def run_regret(params: dict, seeds) -> pd.DataFrame:
    """One row per seed: the pseudo-regret at the horizon T.

    Parameters
    ----------
    params : dict
        A validated ``linear.regret`` cell.
    seeds : list of numpy.random.SeedSequence

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> from theorylab.core.seeding import repetition_seeds
    >>> df = run_regret({"instance": "random_sparse", "K": 20, "d": 3, "s": 3, "eps": 0.0, "sigma": 0.5,
    ...                  "algorithm": "linucb", "T": 200}, repetition_seeds(0, "doc", 2))
    >>> list(df.columns), len(df)
    (['regret'], 2)
    """
    inst = build_regret_instance(params)
    T = int(params["T"])
    alg = params["algorithm"]
    seeds = list(seeds)
    if alg == "phased_elimination":
        regret = phased_elimination(inst, T, seeds).regret
    else:
        regret = linucb(inst, T, seeds, misspecified=alg == "linucb_misspecified").regret[:, -1]
    return pd.DataFrame({"regret": regret})


pure_exploration_task = SweepTask(run=run_pure, check_params=_check_pure, name="linear.pure_exploration",
                                  schema=PURE_SCHEMA)
regret_task = SweepTask(run=run_regret, check_params=_check_regret, name="linear.regret", schema=REGRET_SCHEMA)
SWEEP_TASKS = {"pure_exploration": pure_exploration_task, "regret": regret_task}
