"""The phased private-elimination engine shared by DP-BAI, DP-OD and DP-SH (and their eps = inf versions).

One generic loop over phases for a batch of runs (spec Section 3.3 steps 4-14):

1. group the runs by active set, look up each set's :class:`~theorylab.bandits.dp_bai.plans.PhasePlan`;
2. draw the phase's reward sums from a *source* (the numba kernel: Binomial fast path or per-pull
   reference; or an explicit reward table, for the privacy audit);
3. privatise each pulled arm's phase mean: mu_tilde = m_hat + b z, b = noise_factor / (epsilon n),
   z standard Laplace (from the run's stream, or injected, or returned by a hook);
4. mu_hat = weights @ mu_tilde for the active arms; keep the s_{p+1} largest (ties: smallest index).

Leftover pulls (T minus the phases' pulls) go to the smallest surviving arm and their rewards are
ignored [OURS]. Samples are used in exactly one phase; ``reuse_samples=True`` deliberately breaks this
(cumulative means, a sensitivity bug) so that the privacy audit can show it detects it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from theorylab.bandits.dp_bai.kernels import phase_release, select_top

__all__ = ["PhasedResult", "run_phased", "kernel_source", "table_source"]


@dataclass
class PhasedResult:
    """Recommendations and (optionally) the per-phase record of a batch of runs."""

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


def kernel_source(means: np.ndarray, law: int, law_param: float, states: np.ndarray, per_pull: bool):
    """Reward sums from the numba kernel (fast Binomial path or per-pull reference)."""

    def source(phase, pull, counts, t0):
        return phase_release(states, means[pull], np.ascontiguousarray(counts), law, law_param, per_pull)

    return source


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
    """
    table = np.asarray(table, dtype=float)
    state: dict = {"arm_counts": None}

    def source(phase, pull, counts, t0):
        R, m = pull.shape
        sums = np.zeros((R, m))
        if indexing == "arm" and state["arm_counts"] is None:
            state["arm_counts"] = np.zeros((R, table.shape[0]), dtype=np.int64)
        for r in range(R):
            slots, offs = _round_robin_offsets(counts[r])
            arms = pull[r, slots]
            if indexing == "time":
                vals = table[t0[r] + offs, arms]
            else:
                ac = state["arm_counts"][r]
                vals = np.empty(slots.size)
                for q, a in enumerate(arms):
                    vals[q] = table[a, ac[a]]
                    ac[a] += 1
            np.add.at(sums[r], slots, vals)
        z = np.zeros((R, m)) if noise is None else noise(R, m)
        return sums, z

    return source


def _group_rows(active: np.ndarray, K: int, keys=None):
    """Unique active sets and the group index of every run (bitmask keys when K <= 62)."""
    if K <= 62:
        if keys is None:
            keys = np.bitwise_or.reduce(np.left_shift(np.int64(1), active), axis=1)
        if keys.size and np.all(keys == keys[0]):
            return active[:1], np.zeros(keys.size, dtype=np.int64)
        ukeys, first, inv = np.unique(keys, return_index=True, return_inverse=True)
        return active[first], inv.ravel()
    uniq, inv = np.unique(active, axis=0, return_inverse=True)
    return uniq, inv.ravel()


def run_phased(planner, sizes: list[int], K: int, budget: int, epsilon: float, source, n_runs: int,
               noise=None, noise_hook=None, noise_factor: float = 1.0, reuse_samples: bool = False,
               record: bool = False) -> PhasedResult:
    """Run a phased private elimination for ``n_runs`` runs.

    Parameters
    ----------
    planner : object with ``plan(active) -> PhasePlan``
    sizes : list of int
        Active-set sizes s_1 = K, ..., s_{M+1} = 1.
    epsilon : float
        Privacy parameter; ``math.inf`` switches the noise off (non-private algorithm).
    source : callable ``(phase, pull (R, m), counts (R, m), t0 (R,)) -> (sums, z)``
        Reward sums of the phase per run and slot (t0 = pulls before the phase) and standard noise.
    noise : float array (R, M, m_max), optional
        Injected standard-Laplace noise (layout: phase, slot), replacing the source's draws.
    noise_hook : callable, optional
        ``hook(phase, record_dict) -> z``: returns the standard noise to use (for coupling replays).
    noise_factor : float
        Multiplies the Laplace scale 1 / (epsilon n) (1 is correct; 0.5 is a deliberately broken mechanism).
    reuse_samples : bool
        Deliberate sensitivity bug: phase means use all samples of the arm so far.
    record : bool
        Keep per-phase arrays (active sets, pulls, means, noise) in the result.
    """
    R = int(n_runs)
    active = np.broadcast_to(np.arange(K, dtype=np.int64), (R, K))
    keys = np.full(R, (1 << K) - 1, dtype=np.int64) if K <= 62 else None
    t0 = np.zeros(R, dtype=np.int64)
    cum_sum = np.zeros((R, K)) if reuse_samples else None
    cum_cnt = np.zeros((R, K), dtype=np.int64) if reuse_samples else None
    rec: list = []
    M = len(sizes) - 1
    for p in range(M):
        uniq, inv = _group_rows(active, K, keys)
        plans = [planner.plan(row) for row in uniq]
        m = max(len(pl.pull_arms) for pl in plans)
        s = active.shape[1]
        G = len(plans)
        P = np.zeros((G, m), dtype=np.int64)
        C = np.zeros((G, m), dtype=np.int64)
        W = np.zeros((G, s, m))
        for g, pl in enumerate(plans):
            k = len(pl.pull_arms)
            P[g, :k] = pl.pull_arms
            C[g, :k] = pl.counts
            W[g, :, :k] = pl.weights
        if G == 1:
            pull, cnt = np.broadcast_to(P[0], (R, m)), np.broadcast_to(C[0], (R, m))
        else:
            pull, cnt = P[inv], C[inv]
        sums, z = source(p, pull, cnt, t0)
        if noise is not None:
            z = np.asarray(noise, dtype=float)[:, p, :m]
        safe = np.maximum(cnt, 1)
        if reuse_samples:
            rows = np.arange(R)[:, None]
            np.add.at(cum_sum, (np.repeat(rows, m, 1), pull), np.where(cnt > 0, sums, 0.0))
            np.add.at(cum_cnt, (np.repeat(rows, m, 1), pull), cnt)
            m_hat = cum_sum[rows, pull] / np.maximum(cum_cnt[rows, pull], 1)
        else:
            m_hat = sums / safe
        if math.isinf(epsilon):
            b = np.zeros_like(m_hat)
        else:
            b = np.where(cnt > 0, noise_factor / (epsilon * safe), 0.0)
        info = {"active": np.array(active) if record else None, "pull_arms": pull, "counts": cnt, "m_hat": m_hat,
                "scale": b, "t0": t0.copy()}
        if noise_hook is not None:
            z = noise_hook(p, info, z)
        mu_tilde = m_hat + b * z
        mu_hat = mu_tilde @ W[0].T if G == 1 else np.einsum("rsm,rm->rs", W[inv], mu_tilde)
        nxt, keys = select_top(np.ascontiguousarray(uniq), inv.astype(np.int64), np.ascontiguousarray(mu_hat),
                               sizes[p + 1])
        if K > 62:
            keys = None
        if record:
            info.update(z=z, mu_tilde=mu_tilde, mu_hat=mu_hat, next_active=nxt,
                        dims=np.array([pl.dim for pl in plans])[inv], branch=np.array([pl.branch for pl in plans])[inv])
            rec.append(info)
        t0 = t0 + cnt.sum(axis=1)
        active = nxt
    if np.any(t0 > budget):
        raise RuntimeError(f"phases used {int(t0.max())} pulls, more than the budget {budget}")
    return PhasedResult(active[:, 0].copy(), rec)
