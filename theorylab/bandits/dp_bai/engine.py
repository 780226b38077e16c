"""The phased private-elimination engine shared by DP-BAI, DP-OD, DP-SH, DP-SR (and their eps = inf versions).

One generic loop over phases for a batch of runs (spec Section 3.3 steps 4-14):

1. group the runs by active set, look up each set's :class:`~theorylab.bandits.dp_bai.plans.PhasePlan`;
2. draw the phase's reward sums from a *source* (the numba kernel: alias-table Binomial fast path or
   per-pull reference; or an explicit reward table, read in the kernel or in Python, for the privacy
   audit);
3. privatise each pulled arm's phase mean: mu_tilde = m_hat + b z, b = noise_factor / (epsilon n),
   z standard Laplace (from the run's stream, or injected, or returned by a hook);
4. mu_hat = weights @ mu_tilde for the active arms; keep the s_{p+1} largest (exact ties broken uniformly
   at random, seeded by each run's stream: :mod:`.kernels`).

Steps 2-4 run in one numba kernel per phase (:func:`.kernels.phase_step`) unless injected noise, a noise
hook, sample reuse or a record needs the phase's sums and noise in between; then they run as two calls
of the same kernel with those steps in Python between them (same numbers for the same streams).

Leftover pulls (T minus the phases' pulls) go to the smallest surviving arm and their rewards are
ignored [OURS]. Samples are used in exactly one phase; ``reuse_samples=True`` deliberately breaks this
(cumulative means, a sensitivity bug) so that the privacy audit can show it detects it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from theorylab.core.alias import TABLES
from theorylab.bandits.dp_bai.kernels import TABLE_LAW, estimate_select, phase_release, phase_step

__all__ = ["PhasedResult", "run_phased", "KernelSource", "kernel_source", "TableKernelSource", "table_source"]


@dataclass
class PhasedResult:
    """Recommendations and (optionally) the per-phase record of a batch of runs.

    Attributes
    ----------
    recommended : int64 array (R,)
        The arm left after the last phase, per run.
    phases : list of dict
        Empty unless :func:`run_phased` ran with ``record=True``; then one dict per phase with arrays whose
        first axis is the run: ``active`` (R, s_p), ``pull_arms`` and ``counts`` (R, m; padding slots have
        count 0), ``m_hat`` (phase means), ``scale`` (Laplace scale per slot), ``t0`` (pulls before the
        phase), ``z`` (standard noise used), ``mu_tilde`` (privatised means), ``mu_hat`` (R, s_p, the
        estimates), ``next_active`` (R, s_{p+1}), ``dims`` and ``branch`` (the plan's, per run).
    """

    recommended: np.ndarray
    phases: list = field(default_factory=list)   # per phase: dict of arrays (R, ...)

    def transcripts(self) -> list[tuple]:
        """Per run, the tuple of active sets after every phase: it determines the whole transcript
        (A_1..A_T, I_hat) because pulls are a fixed function of the active sets."""
        R = self.recommended.size
        return [tuple(tuple(ph["next_active"][r].tolist()) for ph in self.phases) for r in range(R)]

    def pull_sequence(self, r: int, budget: int) -> np.ndarray:
        """Arms pulled by run ``r`` at t = 0..T-1 (round-robin within a phase, leftovers last)."""
        seq = []
        for ph in self.phases:
            arms, cnt = ph["pull_arms"][r], ph["counts"][r]
            for i in range(int(cnt.max(initial=0))):
                seq.extend(int(a) for a, c in zip(arms, cnt) if c > i)
        seq.extend([int(self.recommended[r])] * (budget - len(seq)))
        return np.asarray(seq, dtype=np.int64)


class KernelSource:
    """Reward sums from the numba kernel: Binomial alias-table fast path, or every pull simulated.

    Calling it gives one phase's (sums, z), as every source does; :meth:`fused` runs the whole phase in
    one kernel (:func:`.kernels.phase_step`, the same numbers), which the engine uses when no injected
    noise, hook, sample reuse or record needs the intermediate sums.

    Parameters
    ----------
    means : float64 array (K,)
        Arms' means.
    law : int
        Reward law code: 0 Bernoulli, 2 Beta (see :func:`.kernels.phase_release`).
    law_param : float
        Beta concentration c (ignored for Bernoulli).
    states : uint64 array (R,)
        One stream state per run, advanced in place by every call.
    per_pull : bool
        Simulate every pull (reference) instead of the Binomial alias-table fast path.
    """

    def __init__(self, means: np.ndarray, law: int, law_param: float, states: np.ndarray, per_pull: bool):
        self.means, self.law, self.law_param = means, int(law), float(law_param)
        self.states, self.per_pull = states, bool(per_pull)

    def _slots(self, arms, counts):
        mu = np.ascontiguousarray(self.means[arms])
        if self.law == 0 and not self.per_pull:
            tables, flat = self._table_ids(arms, counts)
        else:
            tables, flat = np.full(arms.shape, -1, dtype=np.int64), TABLES.lookup(counts[:0], mu[:0])[1]
        return mu, tables, flat

    def _table_ids(self, arms, counts):
        """Alias-table id of every slot, looked up once per (pull count, arm) pair rather than per slot of
        every group (phases with thousands of distinct active sets have only a few pull counts)."""
        if counts.size == 0:
            return TABLES.lookup(counts, counts.astype(float))
        lo, hi = counts.min(), counts.max()
        ns = np.array([lo]) if lo == hi else np.unique(counts)
        K = self.means.size
        ids, flat = TABLES.lookup(np.broadcast_to(ns[:, None], (ns.size, K)),
                                  np.broadcast_to(self.means, (ns.size, K)))
        row = np.searchsorted(ns, counts) if ns.size > 1 else 0
        return np.ascontiguousarray(ids[row, arms]), flat

    def __call__(self, phase, arms, counts, inv, t0):
        mu, tables, flat = self._slots(arms, counts)
        return phase_release(self.states, inv, mu, counts, tables, *flat, self.law, self.law_param, self.per_pull)

    def fused(self, arms, counts, inv, groups, weights_t, noise_scale, k):
        mu, tables, flat = self._slots(arms, counts)
        return phase_step(self.states, inv, mu, counts, tables, *flat, self.law, self.law_param, self.per_pull,
                          groups, weights_t, noise_scale, k)


def kernel_source(means: np.ndarray, law: int, law_param: float, states: np.ndarray, per_pull: bool) -> KernelSource:
    """The numba reward source of a batch of runs (see :class:`KernelSource`).

    Parameters
    ----------
    means : float64 array (K,)
        Arms' means.
    law : int
        Reward law code: 0 Bernoulli, 2 Beta.
    law_param : float
        Beta concentration c (ignored for Bernoulli).
    states : uint64 array (R,)
        One stream state per run (advanced in place as phases are drawn).
    per_pull : bool
        Simulate every pull instead of one Binomial draw per slot.

    Returns
    -------
    KernelSource
        The source to pass to :func:`run_phased`; the engine runs each phase through its fused kernel when
        nothing needs the intermediate sums.
    """
    return KernelSource(means, law, law_param, states, per_pull)


class TableKernelSource:
    """Rewards read from an explicit time-indexed table ``table[t, k]`` inside the numba kernel.

    The fast twin of :func:`table_source` (``indexing="time"``) for the privacy audit: same pull order
    (round-robin within a phase), same Laplace draws from the same per-run streams, hence the same
    transcripts (spec M7(i), tested).

    Parameters
    ----------
    table : array_like of float, shape (T, K)
        ``table[t, k]``: arm k's reward at time t; must cover every pull of the budget.
    states : uint64 array (R,)
        One stream state per run (source of the Laplace draws, advanced in place).
    """

    def __init__(self, table: np.ndarray, states: np.ndarray):
        self.table = np.ascontiguousarray(table, dtype=float)
        self.states = states

    def __call__(self, phase, arms, counts, inv, t0):
        zeros = np.zeros(arms.shape)
        flat = TABLES.lookup(counts[:0], zeros[:0])[1]
        return phase_release(self.states, inv, zeros, counts, np.full(arms.shape, -1, dtype=np.int64), *flat,
                             TABLE_LAW, 0.0, False, self.table, arms, t0)


def _round_robin_offsets(counts: np.ndarray):
    """For one run's phase: (slot, offset-in-phase) of every pull in round-robin order."""
    slots, offs = [], []
    t = 0
    for i in range(int(counts.max(initial=0))):
        for j, c in enumerate(counts):
            if c > i:
                slots.append(j)
                offs.append(t)
                t += 1
    return np.asarray(slots, dtype=np.int64), np.asarray(offs, dtype=np.int64)


def table_source(table: np.ndarray, indexing: str = "time", noise: Callable | None = None):
    """Rewards read from an explicit table (reference path for the privacy audit, spec Section 8).

    ``indexing="time"``: ``table[t, k]`` is arm k's reward at time t (the paper's model);
    ``indexing="arm"``: ``table[k, n]`` is the n-th pull of arm k. Noise ``z`` is drawn by ``noise(R, m)``
    (default: zeros; callers inject it through :func:`run_phased`'s ``noise`` arguments).

    Parameters
    ----------
    table : array_like of float
        Shape (T, K) for ``indexing="time"``, (K, N) with N >= any arm's total pulls for ``"arm"``.
    indexing : {"time", "arm"}, default "time"
        How the table is indexed (see above).
    noise : callable ``(R, m) -> float array (R, m)``, optional
        Standard noise of each phase's slots; default zeros.

    Returns
    -------
    callable
        A source ``(phase, arms (G, m), counts (G, m), inv (R,), t0 (R,)) -> (sums, z)`` for
        :func:`run_phased`, pulling slots round-robin within a phase. With ``"arm"`` it keeps per-run arm
        counters between calls: use a new source per batch.
    """
    table = np.asarray(table, dtype=float)
    state: dict = {"arm_counts": None}

    def source(phase, arms, counts_g, inv, t0):
        pull, counts = arms[inv], counts_g[inv]
        R, m = pull.shape
        sums = np.zeros((R, m))
        if indexing == "arm" and state["arm_counts"] is None:
            state["arm_counts"] = np.zeros((R, table.shape[0]), dtype=np.int64)
        for r in range(R):
            slots, offs = _round_robin_offsets(counts[r])
            arms_r = pull[r, slots]
            if indexing == "time":
                vals = table[t0[r] + offs, arms_r]
            else:
                ac = state["arm_counts"][r]
                vals = np.empty(slots.size)
                for q, a in enumerate(arms_r):
                    vals[q] = table[a, ac[a]]
                    ac[a] += 1
            np.add.at(sums[r], slots, vals)
        z = np.zeros((R, m)) if noise is None else noise(R, m)
        return sums, z

    return source


_ROW_HASH = np.uint64(0x9E3779B97F4A7C15)


def _group_rows(active: np.ndarray, K: int, keys=None):
    """Unique active sets and the group index of every run (bitmask keys when K <= 62)."""
    if K <= 62:
        if keys is None:
            keys = np.bitwise_or.reduce(np.left_shift(np.int64(1), active), axis=1)
        if keys.size and keys.min() == keys.max():         # one active set (no temporary array)
            return active[:1], np.zeros(keys.size, dtype=np.int64)
        ukeys, first, inv = np.unique(keys, return_index=True, return_inverse=True)
        return active[first], inv.ravel()
    # K > 62: a 64-bit polynomial hash of each (sorted) row, then a check that equal hashes mean equal rows;
    # sorting the rows themselves (np.unique(axis=0)) costs ~7 ms per phase for 2000 runs of 50 arms
    h = np.zeros(active.shape[0], dtype=np.uint64)
    for q in range(active.shape[1]):
        h = h * _ROW_HASH + (active[:, q].astype(np.uint64) + np.uint64(1))
    _, first, inv = np.unique(h, return_index=True, return_inverse=True)
    uniq, inv = active[first], inv.ravel()
    if not np.array_equal(uniq[inv], active):          # a hash collision (never seen): sort the rows
        uniq, inv = np.unique(active, axis=0, return_inverse=True)
        inv = inv.ravel()
    return uniq, inv


def _phase_in_steps(p, source, P, C, inv, groups, Wt, scale, k, t0, active, m, R, noise, noise_hook,
                    reuse_samples, cum_sum, cum_cnt, record, dims, branches, rec):
    """One phase as release, then (injected noise, sample reuse, hook, record), then estimate-and-select."""
    sums, z = source(p, P, C, inv, t0)
    if noise is not None:
        z = np.ascontiguousarray(np.asarray(noise, dtype=float)[:, p, :m])
    pull, cnt = P[inv], C[inv]
    safe = np.maximum(cnt, 1)
    if reuse_samples:
        rows = np.repeat(np.arange(R)[:, None], m, 1)
        np.add.at(cum_sum, (rows, pull), np.where(cnt > 0, sums, 0.0))
        np.add.at(cum_cnt, (rows, pull), cnt)
        # the release now carries the cumulative mean while its noise scale still uses the phase's count n:
        # the sensitivity bug this mode exists to exhibit
        sums = cum_sum[rows, pull] / np.maximum(cum_cnt[rows, pull], 1) * cnt
    info = {"active": np.array(active) if record else None, "pull_arms": pull, "counts": cnt,
            "m_hat": sums / safe, "scale": np.where(cnt > 0, scale / safe, 0.0), "t0": t0.copy()}
    if noise_hook is not None:
        z = np.ascontiguousarray(noise_hook(p, info, z), dtype=float)
    # the tie-breaking priorities come from the runs' stream states (a source without streams: zeros)
    nxt, keys, mu_tilde, mu_hat = estimate_select(groups, inv, C, Wt, sums, z, scale, k,
                                                  getattr(source, "states", None))
    if record:
        info.update(z=z, mu_tilde=mu_tilde, mu_hat=mu_hat, next_active=nxt,
                    dims=dims[inv], branch=branches[inv])
        rec.append(info)
    return nxt, keys


def run_phased(planner, sizes: list[int], K: int, budget: int, epsilon: float, source, n_runs: int,
               noise=None, noise_hook=None, noise_factor: float = 1.0, reuse_samples: bool = False,
               record: bool = False) -> PhasedResult:
    """Run a phased private elimination for ``n_runs`` runs.

    Parameters
    ----------
    planner : object with ``plans_for(groups) -> (pull_arms, counts, weights_t, dims, branches)``
        (see :class:`~theorylab.bandits.dp_bai.plans.MaxDetPlanner`)
    sizes : list of int
        Active-set sizes s_1 = K, ..., s_{M+1} = 1.
    K : int
        Number of arms.
    budget : int
        Total pulls T; the phases' pulls exceeding it raise ``RuntimeError`` (leftovers are not simulated).
    epsilon : float
        Privacy parameter; ``math.inf`` switches the noise off (non-private algorithm).
    source : callable ``(phase, arms (G, m), counts (G, m), inv (R,), t0 (R,)) -> (sums, z)``
        Reward sums of the phase per run and slot (group g's plan pulls ``arms[g]``, run r is in group
        ``inv[r]``, t0 = pulls before the phase) and standard noise, both (R, m).
    n_runs : int
        Runs R (the source's batch size).
    noise : float array (R, M, m_max), optional
        Injected standard-Laplace noise (layout: phase, slot), replacing the source's draws.
    noise_hook : callable, optional
        ``hook(phase, record_dict, z) -> z``: given the phase's record so far (``pull_arms``, ``counts``,
        ``m_hat``, ``scale``, ``t0``) and the drawn noise, returns the standard noise to use (for coupling
        replays).
    noise_factor : float
        Multiplies the Laplace scale 1 / (epsilon n) (1 is correct; 0.5 is a deliberately broken mechanism).
    reuse_samples : bool
        Deliberate sensitivity bug: phase means use all samples of the arm so far.
    record : bool
        Keep per-phase arrays (active sets, pulls, means, noise) in the result.

    Returns
    -------
    PhasedResult
        The recommended arm of every run and, with ``record``, the per-phase arrays.

    Raises
    ------
    RuntimeError
        If the phases used more pulls than ``budget`` (a planner bug).
    """
    R = int(n_runs)
    active = np.broadcast_to(np.arange(K, dtype=np.int64), (R, K))
    keys = np.full(R, (1 << K) - 1, dtype=np.int64) if K <= 62 else None
    t0 = np.zeros(R, dtype=np.int64)
    cum_sum = np.zeros((R, K)) if reuse_samples else None
    cum_cnt = np.zeros((R, K), dtype=np.int64) if reuse_samples else None
    rec: list = []
    M = len(sizes) - 1
    plain = (noise is None and noise_hook is None and not reuse_samples and not record
             and isinstance(source, KernelSource))
    for p in range(M):
        uniq, inv = _group_rows(active, K, keys)
        groups = np.array(uniq, dtype=np.int64)      # a writable copy: one kernel specialisation
        P, C, Wt, dims, branches = planner.plans_for(groups)
        G, m = P.shape
        inv = np.ascontiguousarray(inv, dtype=np.int64)
        scale = 0.0 if math.isinf(epsilon) else noise_factor / epsilon
        if plain:
            nxt, keys = source.fused(P, C, inv, groups, Wt, scale, sizes[p + 1])
        else:
            nxt, keys = _phase_in_steps(p, source, P, C, inv, groups, Wt, scale, sizes[p + 1], t0, active, m, R,
                                        noise, noise_hook, reuse_samples, cum_sum, cum_cnt, record, dims, branches,
                                        rec)
        if K > 62:
            keys = None
        pulls = C.sum(axis=1)
        t0 += pulls[0] if G == 1 else pulls[inv]
        active = nxt
    if np.any(t0 > budget):
        raise RuntimeError(f"phases used {int(t0.max())} pulls, more than the budget {budget}")
    return PhasedResult(active[:, 0].copy(), rec)
