"""Sweep tasks of the classic topic: one repetition per seed, one row per repetition.

``regret``: params ``instance`` (a name of :data:`~theorylab.bandits.instances.INSTANCE_NAMES`) or
``means`` (list), optional ``law`` / ``law_param``, ``algorithm``, ``horizon``, optional ``checkpoints``
(list of rounds) and the algorithm's options (``bonus_scale``, ``gamma``, ``explore``).
Columns: ``regret`` (final pseudo-regret), ``regret_at_<t>`` per checkpoint.

``bai``: params ``instance``/``means``, ``algorithm``, ``budget``, optional ``fast``.
Columns: ``recommended``, ``error``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from theorylab.bandits.algorithms import BAI_ALGORITHMS, REGRET_ALGORITHMS, min_budget, run_bai, run_regret
from theorylab.bandits.instances import INSTANCE_NAMES, BernoulliBandit, BetaBandit, GaussianBandit, named_instance
from theorylab.core.schema import Bool, Choice, Int, IntList, Real, RealList, Schema
from theorylab.core.sweep import SweepTask
from theorylab.core.validate import check_choice, check_int

__all__ = ["environment_from_params", "REGRET_TASK", "BAI_TASK", "REGRET_SCHEMA", "BAI_SCHEMA"]

MAX_HORIZON = 10**10  # ours: rounds per run (a run of 1e10 rounds already takes minutes); int64-safe

_SOURCE = {
    "instance": Choice("a named instance (theorylab list classic); exactly one of instance / means",
                       sorted(INSTANCE_NAMES), default=None),
    "means": RealList("arm means; exactly one of instance / means", default=None, min_len=2, max_len=100_000),
    "law": Choice("reward law", ("bernoulli", "gaussian", "beta"), default="bernoulli"),
    "law_param": Real("Gaussian sigma or Beta concentration (not with bernoulli)", default=None, minimum=0.0,
                      strict_min=True),
}
REGRET_SCHEMA = Schema({
    **_SOURCE,
    "algorithm": Choice("regret algorithm", REGRET_ALGORITHMS),
    "horizon": Int("rounds T (>= K)", minimum=1, maximum=MAX_HORIZON),
    "checkpoints": IntList("rounds at which regret is recorded (<= horizon); default the horizon only",
                           default=None, minimum=1, maximum=MAX_HORIZON, max_len=100_000, increasing=True),
    "bonus_scale": Real("ucb1 only: multiplier of the exploration bonus (1 = the paper's)", default=None,
                        minimum=0.0),
    "gamma": Real("exp3 only: exploration rate in (0, 1]; default min(1, sqrt(K ln K / ((e-1) T)))",
                  default=None, minimum=0.0, maximum=1.0, strict_min=True),
    "explore": Int("explore_then_commit only: pulls per arm before committing", default=None, minimum=1,
                   maximum=MAX_HORIZON),
})
BAI_SCHEMA = Schema({
    **_SOURCE,
    "algorithm": Choice("fixed-budget BAI algorithm", BAI_ALGORITHMS),
    "budget": Int("pulls n (>= the algorithm's minimum)", minimum=1, maximum=MAX_HORIZON),
    "fast": Bool("draw each phase's pulls as one Binomial (same law as pull by pull)", default=True),
})
_OPTION_OWNER = {"bonus_scale": "ucb1", "gamma": "exp3", "explore": "explore_then_commit"}


def environment_from_params(params: dict):
    """Build the environment named by ``instance`` or given by ``means`` (+ ``law``, ``law_param``).

    Parameters
    ----------
    params : dict
        A task's parameters: exactly one of ``instance`` (a name of
        :data:`~theorylab.bandits.instances.INSTANCE_NAMES`) and ``means`` (list of float); optional
        ``law`` (``"bernoulli"``, the default, ``"gaussian"`` or ``"beta"``) and ``law_param`` (Gaussian
        sigma, default 1.0; Beta concentration, default 2.0; not allowed with Bernoulli). Other keys are
        ignored.

    Returns
    -------
    BanditEnvironment
        A :class:`~theorylab.bandits.instances.BernoulliBandit`, ``GaussianBandit`` or ``BetaBandit``.

    Raises
    ------
    ValueError
        If both or neither of ``instance`` and ``means`` are given, ``law`` is unknown, or ``law_param``
        is given with the Bernoulli law.
    """
    law = params.get("law", "bernoulli")
    check_choice("law", law, ("bernoulli", "gaussian", "beta"))
    if ("instance" in params) == ("means" in params):
        raise ValueError("parameter 'instance': exactly one of 'instance' and 'means' must be given")
    if law == "bernoulli" and params.get("law_param") is not None:
        raise ValueError("parameter 'law_param' has no meaning for law 'bernoulli'")
    if "instance" in params:
        return named_instance(params["instance"], law, params.get("law_param"))
    lp = params.get("law_param")                 # None (given or absent) means the law's default
    builder = {"bernoulli": lambda m: BernoulliBandit(m),
               "gaussian": lambda m: GaussianBandit(m, 1.0 if lp is None else lp),
               "beta": lambda m: BetaBandit(m, 2.0 if lp is None else lp)}[law]
    return builder(params["means"])


def _check_regret(params: dict) -> None:
    env = environment_from_params(params)
    alg = params["algorithm"]
    horizon = check_int("horizon", params["horizon"], minimum=env.K)
    cps = params.get("checkpoints")
    if cps is not None and cps[-1] > horizon:
        raise ValueError(f"parameter 'checkpoints' must lie within [1, horizon={horizon}], got {cps[-1]}")
    if alg == "successive_elimination" and cps is not None and cps != [horizon]:
        raise ValueError("parameter 'checkpoints': successive_elimination records regret at the horizon only")
    if alg in ("thompson", "exp3") and params.get("law", "bernoulli") == "gaussian":
        raise ValueError(f"parameter 'law': algorithm {alg!r} needs rewards in [0, 1], not a Gaussian law")
    for key, owner in _OPTION_OWNER.items():
        if key in params and alg != owner:
            raise ValueError(f"parameter '{key}' applies to algorithm {owner!r} only, not {alg!r}")


def _regret_width(params: dict) -> int:
    return 1 + len(params.get("checkpoints") or ())


def _run_regret(params: dict, seeds: list) -> pd.DataFrame:
    env = environment_from_params(params)
    options = {k: params[k] for k in ("bonus_scale", "gamma", "explore") if k in params}
    run = run_regret(env, params["algorithm"], int(params["horizon"]), seeds, params.get("checkpoints"), **options)
    cols = {"regret": run.final}
    if run.checkpoints.size > 1:
        for j, t in enumerate(run.checkpoints):
            cols[f"regret_at_{int(t)}"] = run.regret[:, j]
    return pd.DataFrame(cols)


def _check_bai(params: dict) -> None:
    env = environment_from_params(params)
    env.require_unique_best()
    minimum = min_budget(params["algorithm"], env.K)
    if params["budget"] < minimum:
        raise ValueError(f"parameter 'budget' must be >= {minimum} for {params['algorithm']} with K = {env.K}, "
                         f"got {params['budget']}")


def _run_bai(params: dict, seeds: list) -> pd.DataFrame:
    env = environment_from_params(params)
    rec = run_bai(env, params["algorithm"], int(params["budget"]), seeds, bool(params.get("fast", True)))
    return pd.DataFrame({"recommended": rec, "error": rec != int(np.argmax(env.means))})


REGRET_TASK = SweepTask(_run_regret, _check_regret, "classic.regret", REGRET_SCHEMA,
                        memory=lambda p: 8.0 * (len(p.get("means") or ()) * 4 + len(p.get("checkpoints") or ()) * 2),
                        width=_regret_width)
BAI_TASK = SweepTask(_run_bai, _check_bai, "classic.bai", BAI_SCHEMA,
                     memory=lambda p: 8.0 * len(p.get("means") or ()) * 4, width=lambda p: 2)
