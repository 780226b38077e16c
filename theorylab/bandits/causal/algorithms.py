"""Public entry points of the causal bandit algorithms: one kernel call for a batch of runs.

``run_algorithm(name, instances, seeds, horizon, **options)`` runs run r on ``instances[r]`` (or every
run on one instance) with the stream of ``seeds[r]`` (SeedSequences from
:func:`theorylab.core.seeding.repetition_seeds`). Algorithms (docs/topics/causal.md#algorithms):

- ``csl_ucb``: CSL-UCB (Peng, Zhang, Mitra 2025), ``variant="paper_era"`` (the authors' code when the
  paper appeared: oracle ||mu_a|| in U, bonus 0.2 r (1 + cos phi)) or ``variant="final"`` (their last
  commit: plug-in ||mu_hat_a||, 0.5 r (1 + cos phi) / 2; NOT the paper's constants);
- ``vanilla_ucb``: UCB over all 2^N actions (authors' baseline, stationary form);
- ``linsem_ts``: LinSEM-TS (Varici et al. 2023) told the true parent sets;
- ``linsem_ucb``: LinSEM-UCB (Varici et al. 2023) told the true parent sets, with our substitute width
  (docs/topics/causal.md#linsem-ucb).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from theorylab.bandits.causal import bandit_kernels as _bk
from theorylab.bandits.causal.instances import OPTIMAL_TOL, CausalSEM, action_bits
from theorylab.core.seeding import check_seeds
from theorylab.core.streams import init_states
from theorylab.core.validate import check_choice, check_int, check_open_unit, check_positive, check_real

__all__ = ["ALGORITHM_NAMES", "VARIANTS", "RunResult", "run_algorithm", "CSL_DEFAULTS", "exploration_rounds"]

ALGORITHM_NAMES = ("csl_ucb", "vanilla_ucb", "linsem_ts", "linsem_ucb", "golem_mab")
VARIANTS = {"paper_era": _bk.PAPER_ERA, "final": _bk.FINAL}
#: The authors' constants (algos.py / sim_main.py): N_ES, n_max, F_graph, F_est, delta, k_nn, weight.
CSL_DEFAULTS = {"n_es": 20, "n_max": 100, "f_graph": 50, "f_est": 20, "delta": 0.05, "k_nn": 5, "weight": 1.0}


@dataclass(frozen=True)
class RunResult:
    """Per-run, per-round record of a batch: actions, realised rewards and the regrets of
    docs/topics/causal.md#regret.

    Built by :func:`run_algorithm`; R runs, T rounds.

    Attributes
    ----------
    algorithm : str
        Name of the algorithm (one of :data:`ALGORITHM_NAMES`).
    actions : numpy.ndarray of int, shape (R, T)
        Action index played in each round (bits MSB = node 0).
    rewards : numpy.ndarray of float, shape (R, T)
        Realised reward X_N of each round.
    expected : numpy.ndarray of float, shape (R, T)
        Expected reward r(a_t) under the system active at round t.
    best : numpy.ndarray of float, shape (R, T)
        max_a r(a) of the system active at round t.
    optimal : numpy.ndarray of bool, shape (R, T)
        Whether r(a_t) is within OPTIMAL_TOL of the active maximum.
    extra : dict
        Algorithm-specific record: the options used and ``change_times``; for CSL-UCB also
        ``topology_fits`` (shape (R,), topology relearns per run), ``resets`` (shape (R, T), sub-graph resets
        per round) and ``t_static``.
    """

    algorithm: str
    actions: np.ndarray          # (R, T) action indices
    rewards: np.ndarray          # (R, T) realised X_N
    expected: np.ndarray         # (R, T) r(a_t) under the system active at t
    best: np.ndarray             # (R, T) max_a r(a) of the system active at t
    optimal: np.ndarray          # (R, T) bool, r(a_t) within OPTIMAL_TOL of the active max
    extra: dict

    @property
    def pseudo_regret(self) -> np.ndarray:
        """Cumulative (dynamic) sum_t (max r - r(a_t)), shape (R, T)."""
        return np.cumsum(self.best - self.expected, axis=1)

    @property
    def realised_regret(self) -> np.ndarray:
        """Cumulative sum_t (max r - X_N^t), the authors' regret, shape (R, T)."""
        return np.cumsum(self.best - self.rewards, axis=1)


def _systems(instances, R, S):
    """(R, S) nested list of CausalSEM: run r's system k is active from change_times[k]."""
    if isinstance(instances, CausalSEM):
        runs = [[instances]] * R
    else:
        runs = [[i] if isinstance(i, CausalSEM) else list(i) for i in instances]
        if len(runs) != R:
            raise ValueError(f"instances must be one CausalSEM or one per seed, got {len(runs)} for {R} seeds")
    for sys in runs:
        if len(sys) != S:
            raise ValueError(f"instances: each run needs one system per change time ({S}), got {len(sys)}")
        if not all(isinstance(i, CausalSEM) for i in sys):
            raise TypeError("instances must be CausalSEM objects (or, per run, a sequence of them)")
    N = runs[0][0].n_nodes
    if any(i.n_nodes != N for sys in runs for i in sys):
        raise ValueError("instances must all have the same number of nodes")
    return runs


def run_algorithm(name: str, instances, seeds, horizon: int, variant: str = "final", change_times=None,
                  **options) -> RunResult:
    """Run ``name`` for a batch of runs; one kernel call.

    Parameters
    ----------
    name : str
        ``"csl_ucb"``, ``"vanilla_ucb"``, ``"linsem_ts"``, ``"linsem_ucb"`` or ``"golem_mab"`` (explore, two
        GOLEM fits, commit; runs :func:`theorylab.bandits.causal.golem_mab.run_golem_mab`).
    instances : CausalSEM, sequence of CausalSEM, or sequence of sequences
        One instance for every run, one per seed, or (non-stationary) per seed one system per change time.
    seeds : sequence of numpy.random.SeedSequence
        One per run.
    horizon : int
        T.
    variant : str
        CSL-UCB only: ``"paper_era"`` or ``"final"`` (docs/topics/causal.md#variants).
    change_times : sequence of int, optional
        Rounds at which the next system becomes active, starting with 0 (default [0], stationary).
    **options
        CSL-UCB: the keys of :data:`CSL_DEFAULTS`, ``faithful_quirk`` (KSG), ``dof`` ("parents" | "N"),
        ``guard_sign`` (use |max mu_hat| in coef_init; default True, the authors' code has False), and the
        change detector's ``detect`` (default: on iff there are change times after 0), ``t_static`` (200),
        ``w_cd`` (20), ``tau_cd`` (2.0). Vanilla UCB: ``c`` (bonus multiplier, 1), ``window`` (last pulls
        in the mean; default 10 if non-stationary, else 0 = all). LinSEM-TS: ``v`` (posterior scale, 1),
        ``restart_on_change`` (default False = the final code; True = restart with the new true parent sets
        at each change).
        LinSEM-UCB: ``weight_bound`` (S in beta_t, 1), ``feature_bound`` (m in beta_t; default None = the
        largest regressor norm seen so far), ``restart_on_change`` (as LinSEM-TS). GOLEM-MAB: the keys of
        :data:`theorylab.bandits.causal.golem_mab.GOLEM_MAB_DEFAULTS` and ``detect``.

    Returns
    -------
    RunResult
        Arrays of shape (R, T), R = len(seeds): actions, realised and expected rewards, the active optimum,
        the optimality flags, and ``extra`` with the options used (for CSL-UCB also ``topology_fits``
        per run and ``resets`` per round) and ``change_times``.

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
    seeds = check_seeds(seeds)
    if name == "golem_mab":                  # its own batch kernel (GOLEM fits between the phases)
        from theorylab.bandits.causal.golem_mab import run_golem_mab  # golem_mab imports this module

        return run_golem_mab(instances, seeds, horizon, change_times, **options)
    T = check_int("horizon", horizon, minimum=1)
    tc = np.array([0] if change_times is None else list(change_times), dtype=np.int64)
    if tc.ndim != 1 or tc[0] != 0 or np.any(np.diff(tc) <= 0):
        raise ValueError(f"change_times must start at 0 and increase strictly, got {change_times!r}")
    runs = _systems(instances, len(seeds), tc.size)
    first = [sys[0] for sys in runs]
    for sys in runs:
        if any(not (np.array_equal(i.nu, sys[0].nu) and np.array_equal(i.sigma, sys[0].sigma)) for i in sys):
            raise ValueError("instances: the systems of a run must share nu and sigma (only B, B_int change)")
    Bs = np.ascontiguousarray([[i.B for i in sys] for sys in runs])
    BIs = np.ascontiguousarray([[i.B_int for i in sys] for sys in runs])
    nus = np.ascontiguousarray([i.nu for i in first])
    sgs = np.ascontiguousarray([i.sigma for i in first])
    orders = np.ascontiguousarray([[i.order for i in sys] for sys in runs], dtype=np.int64)
    states = init_states(seeds)
    nonstat = tc.size > 1
    extra = {}
    if name == "csl_ucb":
        check_choice("variant", variant, tuple(VARIANTS))
        o = dict(CSL_DEFAULTS)
        unknown = set(options) - set(o) - {"faithful_quirk", "dof", "guard_sign", "detect", "t_static", "w_cd",
                                           "tau_cd"}
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
        mu_norms = np.ascontiguousarray([[np.linalg.norm(i.means(), axis=1) for i in sys] for sys in runs]) \
            if variant == "paper_era" else np.zeros((len(runs), tc.size, 1))
        detect = bool(options.get("detect", nonstat))
        t_static = check_int("t_static", options.get("t_static", 200), minimum=0)
        w_cd = check_int("w_cd", options.get("w_cd", 20), minimum=2)
        tau_cd = check_real("tau_cd", options.get("tau_cd", 2.0), minimum=0.0)
        acts, rew, relearns, resets = _bk.csl_ucb_batch(
            Bs, BIs, nus, sgs, orders, mu_norms, tc, T, VARIANTS[variant], n_es, n_max,
            check_int("f_graph", o["f_graph"], minimum=1), check_int("f_est", o["f_est"], minimum=1),
            check_open_unit("delta", o["delta"]), k_nn, check_real("weight", o["weight"], minimum=0.0), quirk,
            dof == "N", bool(options.get("guard_sign", True)), detect, t_static, w_cd, tau_cd, states)
        extra = {"variant": variant, "topology_fits": relearns, "resets": resets, "detect": detect,
                 "t_static": t_static, "w_cd": w_cd, "tau_cd": tau_cd, **o}
    elif name == "vanilla_ucb":
        c = check_real("c", options.pop("c", 1.0), minimum=0.0)
        window = check_int("window", options.pop("window", 10 if nonstat else 0), minimum=0)
        if options:
            raise ValueError(f"options: unknown Vanilla UCB option(s) {sorted(options)}")
        acts, rew = _bk.vanilla_ucb_batch(Bs, BIs, nus, sgs, orders, tc, T, c, window, states)
        extra = {"c": c, "window": window}
    elif name == "linsem_ucb":
        S = check_real("weight_bound", options.pop("weight_bound", 1.0), minimum=0.0)
        m = options.pop("feature_bound", None)
        m = -1.0 if m is None else check_positive("feature_bound", m)
        restart = bool(options.pop("restart_on_change", False))
        if options:
            raise ValueError(f"options: unknown LinSEM-UCB option(s) {sorted(options)}")
        acts, rew = _bk.linsem_ucb_batch(Bs, BIs, nus, sgs, orders, tc, T, S, m, restart, states)
        extra = {"weight_bound": S, "feature_bound": None if m < 0 else m, "restart_on_change": restart}
    else:
        v = check_positive("v", options.pop("v", 1.0))
        restart = bool(options.pop("restart_on_change", False))
        if options:
            raise ValueError(f"options: unknown LinSEM-TS option(s) {sorted(options)}")
        acts, rew = _bk.linsem_ts_batch(Bs, BIs, nus, sgs, orders, tc, T, v, restart, states)
        extra = {"v": v, "restart_on_change": restart}
    active = np.searchsorted(tc, np.arange(T), side="right") - 1          # system index of each round
    tab = np.array([[i.rewards for i in sys] for sys in runs])            # (R, S, K)
    expected = tab[np.arange(len(runs))[:, None], active[None, :], acts]
    best = tab.max(axis=2)[:, active]
    optimal = np.abs(best - expected) < OPTIMAL_TOL
    return RunResult(name, acts, rew, expected, best, optimal, dict(extra, change_times=tc))


def exploration_rounds(actions, n_nodes: int, n_es: int = CSL_DEFAULTS["n_es"]) -> np.ndarray:
    """Length of CSL-UCB's forced exploration phase: rounds until every sub-graph has ``n_es`` samples.

    CSL-UCB (Peng, Zhang, Mitra 2025; authors' code ``CSL_UCB``, rule ``min N_sample < N_ES``) plays
    uniformly random actions until every (node, state) has been used ``n_es`` times. This returns, per
    run, the number of rounds up to and including the one that completes the last sub-graph
    (``T + 1`` if it never completes), so ``pseudo_regret[r, L[r] - 1]`` is the regret paid in that phase
    (docs/topics/causal.md#the-csl-ucb-gap) [code].

    Parameters
    ----------
    actions : array of int, shape (R, T) or (T,)
        Action indices of each run (``RunResult.actions``).
    n_nodes : int
        N.
    n_es : int
        Samples per sub-graph that end the phase (N_ES = 20 in the authors' code).

    Returns
    -------
    numpy.ndarray of int64, shape (R,)
        Phase length per run.

    Examples
    --------
    >>> exploration_rounds([[0, 3, 1, 2]], 2, n_es=1).tolist()   # bits 00, 11: both states of both nodes
    [2]
    >>> exploration_rounds([0, 0, 0], 2, n_es=1).tolist()        # state 1 never used
    [4]
    """
    acts = np.atleast_2d(np.asarray(actions))
    n_es = check_int("n_es", n_es, minimum=1)
    if acts.ndim != 2 or acts.dtype.kind not in "iu":
        raise ValueError("actions must be an integer array of shape (R, T) or (T,)")
    T = acts.shape[1]
    out = np.empty(acts.shape[0], dtype=np.int64)
    for r, row in enumerate(acts):
        bits = action_bits(n_nodes, row).astype(np.int64)
        done = np.minimum(np.cumsum(bits, axis=0), np.cumsum(1 - bits, axis=0)).min(axis=1) >= n_es
        out[r] = int(np.argmax(done)) + 1 if done.any() else T + 1
    return out
