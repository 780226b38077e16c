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
from theorylab.bandits.instances import BernoulliBandit, BetaBandit, GaussianBandit, named_instance
from theorylab.core.sweep import SweepTask
from theorylab.core.validate import check_choice, check_int

__all__ = ["environment_from_params", "REGRET_TASK", "BAI_TASK"]

_REGRET_KEYS = {"instance", "means", "law", "law_param", "algorithm", "horizon", "checkpoints", "bonus_scale",
                "gamma", "explore"}
_BAI_KEYS = {"instance", "means", "law", "law_param", "algorithm", "budget", "fast"}


def environment_from_params(params: dict):
    """Build the environment named by ``instance`` or given by ``means`` (+ ``law``, ``law_param``)."""
    law = params.get("law", "bernoulli")
    check_choice("law", law, ("bernoulli", "gaussian", "beta"))
    if ("instance" in params) == ("means" in params):
        raise ValueError("exactly one of 'instance' and 'means' must be given")
    if "instance" in params:
        return named_instance(params["instance"], law, params.get("law_param"))
    builder = {"bernoulli": lambda m: BernoulliBandit(m),
               "gaussian": lambda m: GaussianBandit(m, params.get("law_param", 1.0)),
               "beta": lambda m: BetaBandit(m, params.get("law_param", 2.0))}[law]
    return builder(params["means"])


def _unknown(params: dict, allowed: set) -> None:
    extra = set(params) - allowed
    if extra:
        raise ValueError(f"unknown parameter {sorted(extra)[0]!r}; expected some of {sorted(allowed)}")


def _check_regret(params: dict) -> None:
    _unknown(params, _REGRET_KEYS)
    env = environment_from_params(params)
    check_choice("algorithm", params.get("algorithm"), REGRET_ALGORITHMS)
    check_int("horizon", params.get("horizon"), minimum=env.K)


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
    _unknown(params, _BAI_KEYS)
    env = environment_from_params(params)
    env.require_unique_best()
    check_choice("algorithm", params.get("algorithm"), BAI_ALGORITHMS)
    check_int("budget", params.get("budget"), minimum=min_budget(params["algorithm"], env.K))


def _run_bai(params: dict, seeds: list) -> pd.DataFrame:
    env = environment_from_params(params)
    rec = run_bai(env, params["algorithm"], int(params["budget"]), seeds, bool(params.get("fast", True)))
    return pd.DataFrame({"recommended": rec, "error": rec != int(np.argmax(env.means))})


REGRET_TASK = SweepTask(_run_regret, _check_regret)
BAI_TASK = SweepTask(_run_bai, _check_bai)
