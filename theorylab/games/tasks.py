"""Sweep tasks of the games topic: one row per seed, shared by claims, figures and TOML sweeps.

- ``regret``: self-play of a learner on random games; regrets at checkpoints and the N1 identity residual.
- ``separation``: stationary per-step Hedge (docs/topics/games.md#figures) in ``G(M, H)``; Markov and general CCE gaps of the
  K-sparse mixture of executed policies at checkpoints (docs/topics/games.md#claim-history_gap_persists).
- ``reduction``: a sparse mixture from a source (random components, Hedge, i.i.d. CCE draws, repeated stage NE)
  in ``G(M, H)`` for a random (``game = "random"``, sizes ``n1, n2``) or named bimatrix game; its CCE gap eps,
  the smallest stage NashGapSum and the extracted Nash pair (docs/topics/games.md#the-reduction).
- ``vlearning``: V-learning on a small random Markov game; exact general CCE gap of the certified policy
  at checkpoints (docs/topics/games.md#v-learning).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from theorylab.core.schema import Bool, Choice, Int, IntList, Real, Schema
from theorylab.core.sweep import SweepTask
from theorylab.games import bounds
from theorylab.games.equilibria import lemke_howson, solve_cce
from theorylab.games.learners import LEARNERS, selfplay
# NAMED_GAMES and named_game live with the other game constructors; re-exported here, where the
# schemas list the names, for code that imported them from this module
from theorylab.games.instances import NAMED_GAMES, cyclic_zero_sum_game, named_game, random_game, random_markov_game
from theorylab.games.sparse_cce import (SparseMixture, cce_gaps, extract_nash, iid_cce_mixture, mixture_from_selfplay,
                                        random_mixture, stage_gap_table)
from theorylab.games.vlearning import VLearningResult, certified_cce_gaps, vlearning_runs

__all__ = ["REGRET_TASK", "SEPARATION_TASK", "REDUCTION_TASK", "VLEARNING_TASK", "NAMED_GAMES", "named_game",
           "REGRET_SCHEMA", "SEPARATION_SCHEMA", "REDUCTION_SCHEMA", "VLEARNING_SCHEMA"]

MAX_ROUNDS = 10**7     # ours: self-play rounds per run (1e7 rounds of a small game take minutes)
MAX_PROFILES = 10**6   # ours: joint action profiles of a game (its payoff tensor has this many entries per player)


def _profiles(n_actions) -> int:
    return int(np.prod([int(a) for a in n_actions], dtype=object))


def _check_profiles(p, key="n_actions"):
    if _profiles(p[key]) > MAX_PROFILES:
        raise ValueError(f"parameter '{key}' has {_profiles(p[key])} joint action profiles, more than {MAX_PROFILES}")


# -- regret ----------------------------------------------------------------------------------------------
REGRET_SCHEMA = Schema({
    "n_actions": IntList("actions per player (>= 2 players)", minimum=1, maximum=MAX_PROFILES, min_len=2, max_len=8),
    "learner": Choice("no-regret learner", LEARNERS),
    "checkpoints": IntList("horizons T at which regret is measured (a fresh run each)", minimum=1,
                           maximum=MAX_ROUNDS, max_len=64, increasing=True),
    "eta_scale": Real("multiplier of the default step sqrt(8 ln n / T)", default=1.0, minimum=0.0, strict_min=True),
    "eta": Real("fixed step size for every T (replaces the default schedule)", default=None, minimum=0.0,
                strict_min=True),
    "game": Choice("game family: 'cyclic_zero_sum' (random generalised rock-paper-scissors, 3x3, the "
                   "optimistic-Hedge claim's family); unset: payoffs uniform on [0, 1]", ["cyclic_zero_sum"],
                   default=None),
})


def _check_regret(p):
    _check_profiles(p)
    if p.get("game") == "cyclic_zero_sum" and [int(a) for a in p["n_actions"]] != [3, 3]:
        raise ValueError("parameter 'n_actions' must be [3, 3] with game = 'cyclic_zero_sum'")
    if "eta" in p and "eta_scale" in p:
        raise ValueError("parameter 'eta_scale' has no effect when 'eta' is given")


def _run_regret(p, seeds):
    rows = []
    cps = [int(c) for c in p["checkpoints"]]
    for ss in seeds:
        rng = np.random.default_rng(ss)
        g = cyclic_zero_sum_game(rng) if p.get("game") == "cyclic_zero_sum" else random_game(p["n_actions"], seed=rng)
        row = {}
        for t in cps:
            eta = p.get("eta")
            if eta is None:
                eta = np.array([np.sqrt(8 * np.log(max(a, 2)) / t) for a in g.n_actions]) * p.get("eta_scale", 1.0)
            res = selfplay(g, p["learner"], t, eta=eta, track_joint=(t == cps[-1]))
            row[f"regret_{t}"] = float(res.regrets.max())
            row[f"total_regret_{t}"] = float(res.regrets.sum())
            if t == cps[-1]:
                row["cce_gap"] = g.cce_gap(res.average_joint)
                row["max_regret_over_T"] = float(res.regrets.max() / t)
        rows.append(row)
    return pd.DataFrame(rows)


REGRET_TASK = SweepTask(_run_regret, _check_regret, "games.regret", REGRET_SCHEMA,
                        memory=lambda p: 8.0 * _profiles(p["n_actions"]) * (len(p["n_actions"]) + 2),
                        width=lambda p: 2 * len(p["checkpoints"]) + 2)


# -- separation ------------------------------------------------------------------------------------------
SEPARATION_SCHEMA = Schema({
    "game": Choice("named bimatrix game", tuple(NAMED_GAMES)),
    "learner": Choice("per-step learner", LEARNERS, default="hedge"),
    "horizon": Int("steps H of G(M, H)", minimum=1, maximum=64),
    "checkpoints": IntList("mixture sizes K at which the gaps are measured", minimum=1, maximum=10**5, max_len=64,
                           increasing=True),
    "init_scale": Real("sd of the random initial utilities", default=1.0, minimum=0.0),
})


def _check_separation(p):
    pass


def _run_separation(p, seeds):
    g = named_game(p["game"])
    cps = [int(c) for c in p["checkpoints"]]
    h = int(p["horizon"])
    rows = []
    for ss in seeds:
        rng = np.random.default_rng(ss)
        init = [rng.normal(0.0, p.get("init_scale", 1.0), a) for a in g.n_actions]
        res = selfplay(g, p.get("learner", "hedge"), cps[-1], eta=0.0, track_joint=False, store_strategies=True,
                       init_utilities=init)
        row = {}
        for k in cps:
            mix = mixture_from_selfplay([s[:k] for s in res.strategies], h)
            gen = cce_gaps(g, mix, "general", rng=rng, n_samples=20_000)
            row[f"general_{k}"] = float(gen["gaps"].max())
            row[f"general_se_{k}"] = float(gen["se"].max())
            row[f"markov_{k}"] = float(cce_gaps(g, mix, "markov")["gaps"].max())
        rows.append(row)
    return pd.DataFrame(rows)


SEPARATION_TASK = SweepTask(_run_separation, _check_separation, "games.separation", SEPARATION_SCHEMA,
                            memory=lambda p: 8.0 * p["checkpoints"][-1] * 16 + 8.0 * 20_000 * p["horizon"] * 4,
                            width=lambda p: 3 * len(p["checkpoints"]))


# -- reduction -------------------------------------------------------------------------------------------
SOURCES = ("random", "hedge", "iid_cce", "stage_ne")


REDUCTION_SCHEMA = Schema({
    "game": Choice("'random' or a named bimatrix game", ("random",) + tuple(NAMED_GAMES), default="random"),
    "n1": Int("row actions of a random game", default=None, minimum=1, maximum=10),
    "n2": Int("column actions of a random game", default=None, minimum=1, maximum=10),
    "n_components": Int("components T of the sparse mixture", minimum=1, maximum=10**5),
    "horizon": Int("steps H of G(M, H)", minimum=1, maximum=10**3),
    "source": Choice("where the mixture comes from", SOURCES),
    "eta": Real("hedge source only: step size", default=None, minimum=0.0, strict_min=True),
})


def _check_reduction(p):
    if p.get("game", "random") == "random":
        for key in ("n1", "n2"):
            if key not in p:
                raise ValueError(f"parameter '{key}' is required for game 'random'")
    else:
        for key in ("n1", "n2"):
            if key in p:
                raise ValueError(f"parameter '{key}' has no meaning for the named game {p['game']!r}")
    if "eta" in p and p["source"] != "hedge":
        raise ValueError(f"parameter 'eta' applies to source 'hedge' only, not {p['source']!r}")


def reduction_mixture(game, source: str, n_components: int, horizon: int, rng, eta: float = 0.1) -> SparseMixture:
    """A T-sparse Markov mixture of ``G(M, H)`` from one of our SparseCCE candidates."""
    n1, n2 = game.n_actions
    if source == "random":
        return random_mixture((n1, n2), n_components, horizon, seed=rng)
    if source == "hedge":                       # per-step independent Hedge, sampled-action noise start
        x = np.empty((n_components, horizon, n1))
        y = np.empty((n_components, horizon, n2))
        for h in range(horizon):
            init = [rng.normal(0, 1, n1), rng.normal(0, 1, n2)]
            res = selfplay(game, "hedge", n_components, eta=eta, track_joint=False, store_strategies=True,
                           init_utilities=init)
            x[:, h], y[:, h] = res.strategies
        return SparseMixture.create(x, y)
    if source == "iid_cce":
        return iid_cce_mixture(game, solve_cce(game).distribution, n_components, horizon, seed=rng)
    ne = lemke_howson(game, 0)
    return SparseMixture.create(np.broadcast_to(ne.x, (n_components, horizon, n1)),
                                np.broadcast_to(ne.y, (n_components, horizon, n2)))


def _run_reduction(p, seeds):
    rows = []
    t, h = int(p["n_components"]), int(p["horizon"])
    for ss in seeds:
        rng = np.random.default_rng(ss)
        game = p.get("game", "random")
        g = random_game((int(p["n1"]), int(p["n2"])), seed=rng) if game == "random" else named_game(game)
        mix = reduction_mixture(g, p["source"], t, h, rng, p.get("eta") or 0.1)
        gaps = cce_gaps(g, mix, "general", rng=rng, n_samples=20_000)
        eps, se = float(gaps["gaps"].max()), float(gaps["se"].max())
        ex = extract_nash(g, mix)
        rows.append({"eps": eps, "eps_se": se, "min_stage_gap_sum": float(stage_gap_table(g, mix).min()), "exact": all(m == "exact" for m in gaps["method"]),
                     "avg_gap_sum": ex.average_gap_sum, "extracted_gap_sum": ex.gap_sum,
                     "extracted_gap_max": g.nash_gap([ex.x, ex.y]),
                     "bound": bounds.reduction_bound(eps, h, n_components=t),
                     "bound_upper_eps": bounds.reduction_bound(eps + 3 * se, h, n_components=t)})
    return pd.DataFrame(rows)


REDUCTION_TASK = SweepTask(_run_reduction, _check_reduction, "games.reduction", REDUCTION_SCHEMA,
                           memory=lambda p: 8.0 * p["n_components"] * p["horizon"] * 40 + 8.0 * 20_000 * p["horizon"] * 4,
                           width=lambda p: 10)


# -- V-learning ------------------------------------------------------------------------------------------
VLEARNING_SCHEMA = Schema({
    "learn": Bool("false: a non-learning control (policies never updated)", default=True),
    "n_states": Int("states per step", minimum=1, maximum=3),
    "horizon": Int("steps H", minimum=1, maximum=4),
    "n_actions": IntList("actions per player (2 players)", minimum=1, maximum=6, min_len=2, max_len=2),
    "checkpoints": IntList("episodes at which the certified policy's gap is measured", minimum=1, maximum=10**5,
                           max_len=64, increasing=True),
    "bonus": Real("exploration bonus constant", default=0.1, minimum=0.0),
    "game_seed": Int("seed of the random Markov game", default=0, minimum=0),
})


def _check_vlearning(p):
    pass


def truncate(res: VLearningResult, episodes: int) -> VLearningResult:
    """The V-learning tables after the first ``episodes`` episodes (a prefix of the run)."""
    count = (res.ep < episodes).sum(axis=2) - (res.ep < 0).sum(axis=2)
    return VLearningResult(res.pol[:, :, :, :episodes], res.ep[:, :, :episodes], count, res.values, episodes)


def _run_vlearning(p, seeds):
    g = random_markov_game(int(p["n_states"]), p["n_actions"], int(p["horizon"]), seed=int(p.get("game_seed", 0)))
    cps = [int(c) for c in p["checkpoints"]]
    # one kernel call for the cell's runs, split only where the stacked tables would pass 256 MB (ours;
    # a run's numbers do not depend on its batch)
    per_run = 8.0 * cps[-1] * g.horizon * g.n_states * (g.n_players * max(g.n_actions) + 1)
    step = max(1, int(2 ** 28 // per_run))
    runs = [res for lo in range(0, len(seeds), step)
            for res in vlearning_runs(g, cps[-1], seeds[lo:lo + step], bonus=p.get("bonus", 0.1),
                                      learn=bool(p.get("learn", True)))]
    rows = [{f"gap_{k}": float(certified_cce_gaps(g, truncate(res, k)).max()) for k in cps} for res in runs]
    return pd.DataFrame(rows)


VLEARNING_TASK = SweepTask(_run_vlearning, _check_vlearning, "games.vlearning", VLEARNING_SCHEMA,
                           memory=lambda p: 8.0 * p["checkpoints"][-1] * p["n_states"] * p["horizon"] * 16,
                           width=lambda p: len(p["checkpoints"]))
