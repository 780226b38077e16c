"""Speed of the games kernels and solvers (``theorylab bench hedge_selfplay`` / ``theorylab bench cce_lp``).

- ``hedge_selfplay``: 3 players x 10 actions, 1e5 rounds of full-information Hedge self-play through the
  generic numba loop (compile time reported apart), against the pure-numpy reference; plus the growth of
  the per-round cost with players and actions (each round costs O(m |A|), |A| = prod_i A_i).
- ``cce_lp``: CCE (and CE) LPs of a random 3-player 8-action game with cvxpy + HiGHS; growth with players
  and actions (|A| variables; sum_i A_i CCE rows, sum_i A_i (A_i - 1) CE rows).
"""

from __future__ import annotations

import time

import numpy as np

from theorylab.games.equilibria import solve_ce, solve_cce
from theorylab.games.learners import selfplay
from theorylab.games.reference import reference_selfplay
from theorylab.games.instances import random_game

__all__ = ["BENCHMARKS", "bench_hedge_selfplay", "bench_cce_lp"]


def _timed(fn, *args, **kw):
    t0 = time.perf_counter()
    out = fn(*args, **kw)
    return out, time.perf_counter() - t0


def _exponent(sizes, seconds) -> float:
    return float(np.polyfit(np.log(sizes), np.log(seconds), 1)[0])


def bench_hedge_selfplay(players: int = 3, actions: int = 10, rounds: int = 100_000, reference_rounds: int = 300,
                         scaling_rounds: int = 5_000) -> dict:
    """Hedge self-play throughput; ``scaling`` grid: (m, A) in {(2,10), (3,10), (4,10), (3,5), (3,20)}.

    Parameters
    ----------
    players : int, default 3
        Number of players m of the timed random game (seed 0).
    actions : int, default 10
        Actions per player A of the timed game (every player has the same count).
    rounds : int, default 100000
        Self-play rounds of the main numba run (no joint-play tracking); the tracked run uses ``rounds // 10``.
    reference_rounds : int, default 300
        Rounds given to the pure-numpy ``reference_selfplay``.
    scaling_rounds : int, default 5000
        Rounds per game of the (m, A) scaling grid.

    Returns
    -------
    dict
        ``seconds``, ``rounds_per_s``, ``compile_s`` (a 2x2 warm-up call), ``seconds_with_joint_per_1e5``
        (joint tracking, scaled to 1e5 rounds), ``reference_rounds_per_s``, ``speedup_vs_reference``,
        ``max_regret`` (largest per-player regret of the main run), ``players``, ``actions``, ``rounds``,
        one ``us_per_round_m{m}_A{a}`` per grid point, and ``exponent_vs_m_times_joint`` (log-log slope
        of the per-round time against m A^m; about 1 when the O(m |A|) cost holds).
    """
    g = random_game((actions,) * players, seed=0)
    _, compile_s = _timed(selfplay, random_game((2, 2), seed=1), "hedge", 10, track_joint=True)
    res, run_s = _timed(selfplay, g, "hedge", rounds, track_joint=False)
    _, joint_s = _timed(selfplay, g, "hedge", rounds // 10, track_joint=True)
    _, ref_s = _timed(reference_selfplay, g, "hedge", reference_rounds)
    out = {"seconds": run_s, "rounds_per_s": rounds / run_s, "compile_s": compile_s,
           "seconds_with_joint_per_1e5": joint_s * 10, "reference_rounds_per_s": reference_rounds / ref_s,
           "speedup_vs_reference": (rounds / run_s) / (reference_rounds / ref_s),
           "max_regret": float(res.regrets.max()), "players": players, "actions": actions, "rounds": rounds}
    grid = [(2, 10), (3, 10), (4, 10), (3, 5), (3, 20)]
    sizes, secs = [], []
    for m, a in grid:
        gg = random_game((a,) * m, seed=2)
        _, s = _timed(selfplay, gg, "hedge", scaling_rounds, track_joint=False)
        per_round = s / scaling_rounds
        out[f"us_per_round_m{m}_A{a}"] = per_round * 1e6
        sizes.append(m * a ** m)
        secs.append(per_round)
    out["exponent_vs_m_times_joint"] = _exponent(sizes, secs)
    return out


def bench_cce_lp(players: int = 3, actions: int = 8) -> dict:
    """CCE / CE LP solve times (cvxpy + HiGHS, problem construction included).

    Parameters
    ----------
    players : int, default 3
        Number of players of the timed random game (seed 0).
    actions : int, default 8
        Actions per player of the timed game.

    Returns
    -------
    dict
        ``cce_seconds`` and ``ce_seconds`` (wall-clock seconds of ``solve_cce`` / ``solve_ce`` after a
        2x2 warm-up), ``cce_gap`` and ``ce_gap`` (the solutions' largest constraint violations),
        ``joint_actions`` (|A|), ``players``, ``actions``, one ``cce_seconds_m{m}_A{a}`` per grid point
        (m, A) in {(2,8), (3,8), (4,8), (3,4), (3,12)}, and ``exponent_vs_joint`` (log-log slope of the CCE
        time against |A| = A^m).
    """
    g = random_game((actions,) * players, seed=0)
    solve_cce(random_game((2, 2), seed=1))                     # warm up cvxpy / HiGHS
    cce, cce_s = _timed(solve_cce, g)
    ce, ce_s = _timed(solve_ce, g)
    out = {"cce_seconds": cce_s, "ce_seconds": ce_s, "cce_gap": cce.cce_gap, "ce_gap": ce.ce_gap,
           "joint_actions": g.n_joint, "players": players, "actions": actions}
    grid = [(2, 8), (3, 8), (4, 8), (3, 4), (3, 12)]
    sizes, secs = [], []
    for m, a in grid:
        gg = random_game((a,) * m, seed=2)
        _, s = _timed(solve_cce, gg)
        out[f"cce_seconds_m{m}_A{a}"] = s
        sizes.append(a ** m)
        secs.append(s)
    out["exponent_vs_joint"] = _exponent(sizes, secs)
    return out


BENCHMARKS = {"hedge_selfplay": bench_hedge_selfplay, "cce_lp": bench_cce_lp}
