"""Public entry points of the causal bandit algorithms: one kernel call for a batch of runs.

``run_algorithm(name, instances, seeds, horizon, **options)`` runs run r on ``instances[r]`` (or every
run on one instance) with the stream of ``seeds[r]`` (SeedSequences from
:func:`theorylab.core.seeding.repetition_seeds`). Algorithms (docs/topics/causal.md#algorithms):

- ``csl_ucb``: CSL-UCB (Peng, Zhang, Mitra 2025), ``variant="paper_era"`` (the authors' code when the
  paper appeared: oracle ||mu_a|| in U, bonus 0.2 r (1 + cos phi)) or ``variant="final"`` (their last
  commit: plug-in ||mu_hat_a||, 0.5 r (1 + cos phi) / 2; NOT the paper's constants);
- ``vanilla_ucb``: UCB over all 2^N actions (authors' baseline, stationary form);
- ``linsem_ts``: LinSEM-TS (Varici et al. 2023) told the true parent sets.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from theorylab.bandits.causal import bandit_kernels as _bk
from theorylab.bandits.causal.instances import OPTIMAL_TOL, CausalSEM
from theorylab.core.streams import init_states
from theorylab.core.validate import check_choice, check_int, check_open_unit, check_positive, check_real

__all__ = ["ALGORITHM_NAMES", "VARIANTS", "RunResult", "run_algorithm", "CSL_DEFAULTS"]

ALGORITHM_NAMES = ("csl_ucb", "vanilla_ucb", "linsem_ts")
VARIANTS = {"paper_era": _bk.PAPER_ERA, "final": _bk.FINAL}
#: The authors' constants (algos.py / sim_main.py): N_ES, n_max, F_graph, F_est, delta, k_nn, weight.
CSL_DEFAULTS = {"n_es": 20, "n_max": 100, "f_graph": 50, "f_est": 20, "delta": 0.05, "k_nn": 5, "weight": 1.0}


@dataclass(frozen=True)
class RunResult:
    """Per-run, per-round record of a batch: actions, realised rewards and the regrets of docs/topics/causal.md#regret."""

    algorithm: str
    actions: np.ndarray          # (R, T) action indices
    rewards: np.ndarray          # (R, T) realised X_N
    expected: np.ndarray         # (R, T) r(a_t)
    best: np.ndarray             # (R,) max_a r(a)
    optimal: np.ndarray          # (R, T) bool, r(a_t) within OPTIMAL_TOL of the max
    extra: dict

    @property
    def pseudo_regret(self) -> np.ndarray:
        """Cumulative sum_t (max r - r(a_t)), shape (R, T)."""
        return np.cumsum(self.best[:, None] - self.expected, axis=1)

    @property
    def realised_regret(self) -> np.ndarray:
        """Cumulative sum_t (max r - X_N^t), the authors' regret, shape (R, T)."""
        return np.cumsum(self.best[:, None] - self.rewards, axis=1)


def _instances(instances, R):
    if isinstance(instances, CausalSEM):
        insts = [instances] * R
    else:
        insts = list(instances)
        if len(insts) != R:
            raise ValueError(f"instances must be one CausalSEM or one per seed, got {len(insts)} for {R} seeds")
    if not all(isinstance(i, CausalSEM) for i in insts):
        raise TypeError("instances must be CausalSEM objects")
    N = insts[0].n_nodes
    if any(i.n_nodes != N for i in insts):
        raise ValueError("instances must all have the same number of nodes")
    return insts


def run_algorithm(name: str, instances, seeds, horizon: int, variant: str = "final", **options) -> RunResult:
    """Run ``name`` for a batch of runs; one kernel call.

    Parameters
    ----------
    name : str
        ``"csl_ucb"``, ``"vanilla_ucb"`` or ``"linsem_ts"``.
    instances : CausalSEM or sequence of CausalSEM
        One instance for every run, or one per seed.
    seeds : sequence of numpy.random.SeedSequence
        One per run.
    horizon : int
        T.
    variant : str
        CSL-UCB only: ``"paper_era"`` or ``"final"`` (docs/topics/causal.md#variants).
    **options
        CSL-UCB: the keys of :data:`CSL_DEFAULTS`, ``faithful_quirk`` (KSG), ``dof`` ("parents" | "N"),
        ``guard_sign`` (use |max mu_hat| in coef_init; default True, the authors' code has False).
        Vanilla UCB: ``c`` (bonus multiplier, 1). LinSEM-TS: ``v`` (posterior scale, 1).

    Examples
    --------
    >>> from theorylab.bandits.causal.instances import random_instance
    >>> from theorylab.core.seeding import repetition_seeds, seed_sequence
    >>> inst = random_instance(4, seed_sequence(0, "doc"))
    >>> res = run_algorithm("vanilla_ucb", inst, repetition_seeds(0, "doc", 2), 50)
    >>> res.actions.shape, res.actions[0, :16].tolist() == list(range(16))
    ((2, 50), True)
    """
    check_choice("name", name, ALGORITHM_NAMES)
    seeds = list(seeds)
    if not seeds:
        raise ValueError("seeds must hold at least one SeedSequence")
    T = check_int("horizon", horizon, minimum=1)
    insts = _instances(instances, len(seeds))
    N = insts[0].n_nodes
    Bs = np.ascontiguousarray([i.B for i in insts])
    BIs = np.ascontiguousarray([i.B_int for i in insts])
    nus = np.ascontiguousarray([i.nu for i in insts])
    sgs = np.ascontiguousarray([i.sigma for i in insts])
    orders = np.ascontiguousarray([i.order for i in insts], dtype=np.int64)
    states = init_states(seeds)
    extra = {}
    if name == "csl_ucb":
        check_choice("variant", variant, tuple(VARIANTS))
        o = dict(CSL_DEFAULTS)
        unknown = set(options) - set(o) - {"faithful_quirk", "dof", "guard_sign"}
        if unknown:
            raise ValueError(f"options: unknown CSL-UCB option(s) {sorted(unknown)}")
        o.update({k: v for k, v in options.items() if k in o})
        n_es = check_int("n_es", o["n_es"], minimum=1)
        n_max = check_int("n_max", o["n_max"], minimum=1)
        k_nn = check_int("k_nn", o["k_nn"], minimum=1)
        if n_es <= k_nn or n_max <= k_nn:
            raise ValueError(f"n_es and n_max must exceed k_nn = {k_nn}, got {n_es}, {n_max}")
        quirk = bool(options.get("faithful_quirk", False))
        if quirk and k_nn < 2:
            raise ValueError("k_nn must be >= 2 with faithful_quirk")
        dof = check_choice("dof", options.get("dof", "parents"), ("parents", "N"))
        mu_norms = np.ascontiguousarray([np.linalg.norm(i.means(), axis=1) for i in insts]) \
            if variant == "paper_era" else np.zeros((len(insts), 1))
        acts, rew, relearns = _bk.csl_ucb_batch(
            Bs, BIs, nus, sgs, orders, mu_norms, T, VARIANTS[variant], n_es, n_max,
            check_int("f_graph", o["f_graph"], minimum=1), check_int("f_est", o["f_est"], minimum=1),
            check_open_unit("delta", o["delta"]), k_nn, check_real("weight", o["weight"], minimum=0.0), quirk,
            dof == "N", bool(options.get("guard_sign", True)), states)
        extra = {"variant": variant, "topology_fits": relearns, **o}
    elif name == "vanilla_ucb":
        c = check_real("c", options.pop("c", 1.0), minimum=0.0)
        if options:
            raise ValueError(f"options: unknown Vanilla UCB option(s) {sorted(options)}")
        acts, rew = _bk.vanilla_ucb_batch(Bs, BIs, nus, sgs, orders, T, c, states)
        extra = {"c": c}
    else:
        v = check_positive("v", options.pop("v", 1.0))
        if options:
            raise ValueError(f"options: unknown LinSEM-TS option(s) {sorted(options)}")
        acts, rew = _bk.linsem_ts_batch(Bs, BIs, nus, sgs, orders, T, v, states)
        extra = {"v": v}
    rewards_tab = np.array([i.rewards for i in insts])
    expected = np.take_along_axis(rewards_tab, acts, axis=1)
    best = rewards_tab.max(axis=1)
    optimal = np.abs(best[:, None] - expected) < OPTIMAL_TOL
    return RunResult(name, acts, rew, expected, best, optimal, extra)
