"""Numba kernels for DP-BAI and its baselines: one loop over the runs of a phase, in three modes.

:func:`phase_release` draws, for each run and each pulled arm of a phase, the sum of the phase's rewards
and one standard-Laplace value per slot, from the run's own stream (:mod:`theorylab.core.streams`).
``per_pull = False`` is the fast path: a Bernoulli phase sum is one Binomial draw from an alias table
(:mod:`theorylab.core.alias`); Beta rewards are always simulated pull by pull (no exact cheap law for their
sum). ``per_pull = True`` simulates every pull (the reference path, same distribution). The law code
:data:`TABLE_LAW` reads the rewards from an explicit time-indexed table instead (privacy audit).

A run's words are used in a fixed order: one per slot for the fast path's Binomial sums (padding slots
and degenerate means included; the per-pull path uses one per pull), then the Laplace values in slot
order. The kernel processes the runs of each plan group in blocks of :data:`BLOCK` and computes the
fast path's words, alias cells, privatised means and estimates for a whole block in loops the compiler
vectorises; the numbers are those of each run's own stream drawn value by value (tested against that
sequential reference).

:func:`estimate_select` is the rest of a phase (spec Section 3.3 steps 10-13): privatise each phase
mean, mu_tilde = m_hat + b z with b = noise_factor / (epsilon n), estimate every active arm as
weights @ mu_tilde and keep the k largest. Ties (frequent without noise: Bernoulli sums are integers;
values within :data:`TIE_TOL` of each other count as tied, absorbing round-off) are broken uniformly at
random: every tied position gets a priority hashed from the run's stream state at selection time
(:func:`_tie_key`), which draws no word, so a run's numbers are those of its own stream and do not depend
on the arm labels (no smallest-index bias).

:func:`phase_step` does both in one pass over the runs. All three call the same kernel
(``_phase_kernel``), whose wrappers check the shapes and index ranges it relies on. They take the phase
plan per group of runs sharing an active set (``groups``/``inv``), so nothing of size (runs x slots) is
built in Python.
"""

from __future__ import annotations


import numpy as np
from numba import njit

from theorylab.core.alias import alias_cell, alias_pick
from theorylab.core.streams import beta as _beta
from theorylab.core.streams import laplace_from, mix, next_word, skip_word, uniform, word_ahead

__all__ = ["phase_release", "estimate_select", "phase_step", "beta_batch", "TABLE_LAW", "BLOCK"]


@njit(cache=True)
def _reward(s, law, law_param, mu):
    if law == 0:
        s, u = uniform(s)
        return s, (1.0 if u < mu else 0.0)
    a = mu * law_param
    b = (1.0 - mu) * law_param
    if a <= 0.0 or b <= 0.0:
        return s, mu
    return _beta(s, a, b)


_TIE_SALT = np.uint64(0xD1B54A32D192ED03)
_TIE_STEP = np.uint64(0x9E3779B97F4A7C15)


@njit(cache=True, inline="always")
def _tie_key(ts, i):
    """Random priority of position ``i`` in a run's selection, a hash of the run's stream state ``ts``:
    a function of (state, position) only, so it draws no word and leaves the stream unchanged."""
    return mix((ts ^ _TIE_SALT) + _TIE_STEP * np.uint64(i + 1))


#: Estimates closer than this (relative to max(1, |value|)) count as tied: weights @ mu_tilde computes
#: mathematically equal estimates (e.g. every arm's estimate 1 when every reward is 1) with label-dependent
#: round-off, which would otherwise decide the tie by the arms' order.
TIE_TOL = 1e-9


@njit(cache=True, inline="always")
def _beats(v, i, w, j, ts):
    """Value ``v`` at position ``i`` ranks above ``w`` at ``j``: larger by more than the tie tolerance, or
    tied (within :data:`TIE_TOL`) with a larger priority: ties are broken uniformly at random, seeded by
    the run's stream. NaN never ranks above."""
    d = v - w
    tol = TIE_TOL * max(1.0, abs(w))
    if d < -tol:                                   # the common case first: clearly below
        return False
    if d > tol:
        return True
    return d == d and _tie_key(ts, i) > _tie_key(ts, j)       # tied (d == d is False for NaN)


_DRAW_AND_SELECT, _DRAW_ONLY, _SELECT_ONLY = 0, 1, 2
TABLE_LAW = 3     # reward source code: an explicit time-indexed reward table (the privacy audit's model)
BLOCK = 64        # runs of one group processed together (32..128 within 3%; 256 spills phase 1's estimates from L1)


@njit(cache=True, error_model="numpy")
def _phase_kernel(state, inv, plan, flat, rewards, selection, io):
    # Arguments, grouped (one tuple per role; one compiled specialisation as long as the element types
    # are fixed, which the wrappers below ensure):
    #   state (R,) uint64 stream states, advanced in place; inv (R,) the group of every run;
    #   plan = (means, counts, tables, groups, weights_t): the phase plan of every group -- slot means,
    #       pull counts and alias-table ids (G, m), active sets (G, s), transposed weights (G|1, m, s);
    #   flat = (thr, alias, lows, offsets, sizes): the flat alias tables (core.alias);
    #   rewards = (law, law_param, per_pull, reward_table, arms, t0): where the rewards come from;
    #   selection = (noise_scale, k, mode): the privatisation scale, survivors, and what to do;
    #   io = (sums, z): (R, m) outputs of the draw-only mode, inputs of the select-only mode.
    means, counts, tables, groups, weights_t = plan
    thr, alias, lows, offsets, sizes = flat
    law, law_param, per_pull, reward_table, arms, t0 = rewards
    noise_scale, k, mode = selection
    sums, z = io
    # The one loop over the runs of a phase. Runs are taken group by group (counting sort on inv), in
    # blocks of BLOCK runs sharing a plan, and every step that is the same arithmetic for all runs of a
    # block is a loop over the block, which the compiler vectorises: the fast path's random words and
    # alias cells, the privatised means and the 'weights @ mu_tilde' estimates. Table reads, ziggurat
    # rejections, per-pull simulation and the top-k stay per run. A run's numbers do not depend on its
    # block: its words come from its own stream in a fixed order (one word per slot for the Binomial
    # sums, padding slots included, then the Laplace values). Helper functions would be called with
    # reference-counted array arguments (65 vs 24 ns per run in an earlier version), so the body is
    # written out.
    R = inv.size
    G, m = counts.shape
    s = groups.shape[1]
    draw = mode != _SELECT_ONLY
    select = mode != _DRAW_ONLY
    record = mode == _SELECT_ONLY
    fast = law == 0 and not per_pull
    nxt = np.empty((R if select else 0, k), dtype=np.int64)
    keys = np.zeros(R if select else 0, dtype=np.int64)
    rec_t = np.zeros((R if record else 0, m))
    rec_h = np.zeros((R if record else 0, s))
    # runs grouped by plan: order[start[g]:start[g + 1]] are the runs of group g
    start = np.zeros(G + 1, dtype=np.int64)
    for r in range(R):
        g = inv[r]
        if g < 0 or g >= G:                # before any draw: the streams are left untouched
            raise ValueError("inv must index the groups of the phase plan")
        start[g + 1] += 1
    for g in range(G):
        start[g + 1] += start[g]
    fill = start[:G].copy()
    order = np.empty(R, dtype=np.int64)
    for r in range(R):
        order[fill[inv[r]]] = r
        fill[inv[r]] += 1
    inv_n = np.zeros((G, m))               # 1 / n per slot: a multiplication per slot and run, no division
    for g in range(G):
        for j in range(m):
            if counts[g, j] > 0:
                inv_n[g, j] = 1.0 / counts[g, j]
    rows = np.empty(BLOCK, dtype=np.int64)
    st = np.empty(BLOCK, dtype=np.uint64)
    words = np.empty((2 * m, BLOCK), dtype=np.uint64)
    cells = np.empty((m, BLOCK), dtype=np.int64)
    x = np.zeros((m, BLOCK))               # reward sums, then privatised means mu_tilde
    zz = np.zeros((m, BLOCK))              # standard Laplace values
    mh = np.empty((s, BLOCK))              # estimates of the active arms
    top = np.empty(k, dtype=np.int64)      # positions of the current top k, best first
    topv = np.empty(k)                     # and their values
    # one identity matrix for all groups (plans that pull every active arm: DP-SH, DP-SR): the estimate
    # is the privatised mean itself, so skip the s x s product (it dominates runs with many arms)
    identity = weights_t.shape[0] == 1 and m == s
    if identity:
        for j in range(m):
            for i in range(s):
                if weights_t[0, j, i] != (1.0 if i == j else 0.0):
                    identity = False
    for g in range(G):
        gw = g if weights_t.shape[0] > 1 else 0    # one (1, m, s) weight matrix may serve every group
        for b0 in range(start[g], start[g + 1], BLOCK):
            L = min(BLOCK, start[g + 1] - b0)
            for b in range(L):
                rows[b] = order[b0 + b]
            if draw:
                for b in range(L):
                    st[b] = state[rows[b]]
                if fast:
                    # every slot's Binomial word and the first word of every Laplace value, for all runs
                    # of the block at once; then the Binomial slots' alias cells and coins, and the sums
                    for q in range(2 * m):
                        for b in range(L):
                            words[q, b] = word_ahead(st[b], q + 1)
                    for j in range(m):
                        t = tables[g, j]
                        if t >= 0:
                            off, size, base = offsets[t], sizes[t], lows[t] - offsets[t]
                            for b in range(L):
                                cells[j, b], words[j, b] = alias_cell(words[j, b], off, size)
                            for b in range(L):
                                x[j, b] = float(alias_pick(thr, alias, base, cells[j, b], words[j, b]))
                        else:                      # padding slot (no pulls) or a degenerate mean 0 or 1
                            v = float(counts[g, j]) if means[g, j] >= 1.0 and counts[g, j] > 0 else 0.0
                            for b in range(L):
                                x[j, b] = v
                        for b in range(L):         # the slot's word is used (padding slots' too)
                            st[b] = skip_word(st[b])
                elif law == TABLE_LAW:             # explicit rewards x[t, arm], pulls in round-robin order
                    for b in range(L):
                        t = t0[rows[b]]
                        most = 0
                        for j in range(m):
                            x[j, b] = 0.0
                            most = max(most, counts[g, j])
                        for i in range(most):
                            for j in range(m):
                                if counts[g, j] > i:
                                    x[j, b] += reward_table[t, arms[g, j]]
                                    t += 1
                else:                              # reference: every pull simulated
                    for b in range(L):
                        sv = st[b]
                        for j in range(m):
                            n = counts[g, j]
                            p = means[g, j]
                            acc = 0.0
                            if law == 0:
                                c = 0
                                for _ in range(n):
                                    sv, u = uniform(sv)
                                    if u < p:
                                        c += 1
                                acc = float(c)
                            else:
                                for _ in range(n):
                                    sv, y = _reward(sv, law, law_param, p)
                                    acc += y
                            x[j, b] = acc
                        st[b] = sv
                for b in range(L):
                    sv = st[b]
                    # one standard Laplace value per slot; the precomputed first words hold until the
                    # ziggurat's first rejection in this run, which draws further words of the stream
                    ahead = fast
                    for j in range(m):
                        if ahead:
                            sv = skip_word(sv)
                            word = words[m + j, b]
                        else:
                            sv, word = next_word(sv)
                        before = sv
                        sv, zz[j, b] = laplace_from(sv, word)
                        ahead = ahead and sv == before
                    state[rows[b]] = sv
                if not select:
                    for b in range(L):
                        for j in range(m):
                            sums[rows[b], j] = x[j, b]
                            z[rows[b], j] = zz[j, b]
                    continue
            else:
                for b in range(L):
                    for j in range(m):
                        x[j, b] = sums[rows[b], j]
                        zz[j, b] = z[rows[b], j]
            # privatise: mu_tilde = m_hat + (noise_factor / (epsilon n)) z
            for j in range(m):
                c1 = inv_n[g, j]
                if counts[g, j] > 0:
                    for b in range(L):
                        x[j, b] = (x[j, b] + noise_scale * zz[j, b]) * c1
                else:
                    for b in range(L):
                        x[j, b] = 0.0
            # estimate every active arm: mu_hat = weights @ mu_tilde (a copy under shared identity weights)
            if identity:
                for i in range(s):
                    for b in range(L):
                        mh[i, b] = x[i, b]
            else:
                for i in range(s):
                    c0 = weights_t[gw, 0, i]
                    for b in range(L):
                        mh[i, b] = c0 * x[0, b]
                for j in range(1, m):
                    for i in range(s):
                        c2 = weights_t[gw, j, i]
                        for b in range(L):
                            mh[i, b] += c2 * x[j, b]
            for b in range(L):
                r = rows[b]
                if record:
                    for j in range(m):
                        rec_t[r, j] = x[j, b]
                    for i in range(s):
                        rec_h[r, i] = mh[i, b]
                # keep the k largest: one pass, insertion into a sorted buffer; an exact tie is decided by
                # the tied positions' random priorities drawn from the run's stream state (uniform at random)
                ts = state[r]
                filled = 0
                for i in range(s):
                    v = mh[i, b]
                    if filled == k and not _beats(v, i, topv[k - 1], top[k - 1], ts):
                        continue
                    q = filled if filled < k else k - 1
                    while q > 0 and _beats(v, i, topv[q - 1], top[q - 1], ts):
                        top[q] = top[q - 1]
                        topv[q] = topv[q - 1]
                        q -= 1
                    top[q] = i
                    topv[q] = v
                    if filled < k:
                        filled += 1
                # survivors in increasing arm order (positions are sorted like the arms)
                for a in range(1, k):
                    y = top[a]
                    c = a
                    while c > 0 and top[c - 1] > y:
                        top[c] = top[c - 1]
                        c -= 1
                    top[c] = y
                key = 0
                for q in range(k):
                    arm = groups[g, top[q]]
                    nxt[r, q] = arm
                    if arm < 63:
                        key |= np.int64(1) << arm
                keys[r] = key
    return nxt, keys, rec_t, rec_h


def _check_runs(state, inv, counts, n_groups=None):
    """Shapes and index ranges the kernel relies on (it does no bounds checking; it checks inv's range
    itself, in its first pass over the runs, before any draw)."""
    G, m = counts.shape
    if inv.ndim != 1 or (state is not None and state.shape != inv.shape):
        raise ValueError(f"inv must be 1-d with one stream state per run, got {inv.shape} and "
                         f"{None if state is None else state.shape}")
    if n_groups is not None and n_groups != G:
        raise ValueError(f"groups has {n_groups} rows but the plan {G}: inv must index the groups of the phase plan")
    if np.any(counts < 0):
        raise ValueError("pull counts must be non-negative")


def _check_draw(state, inv, means, counts, tables, offsets, law, reward_table=None, arms=None, t0=None):
    _check_runs(state, inv, counts)
    if means.shape != counts.shape or tables.shape != counts.shape:
        raise ValueError(f"means, counts and tables must share the shape (G, m), got {means.shape}, {counts.shape}, "
                         f"{tables.shape}")
    if tables.size and tables.max() >= offsets.size:
        raise ValueError("alias table ids beyond the given tables")
    if law == TABLE_LAW:
        if arms is None or t0 is None or reward_table is None or arms.shape != counts.shape or t0.shape != inv.shape:
            raise ValueError("the table law needs reward_table, arms (G, m) and t0 (R,)")
        if inv.size and (inv.min() < 0 or inv.max() >= counts.shape[0]):
            raise ValueError("inv must index the groups of the phase plan")
        if arms.size and (arms.min() < 0 or arms.max() >= reward_table.shape[1]):
            raise ValueError("arms must index the columns of the reward table")
        end = t0 + counts.sum(axis=1)[inv]
        if end.size and (t0.min() < 0 or int(end.max()) > reward_table.shape[0]):
            raise ValueError(f"the reward table has {reward_table.shape[0]} rows but a phase reads up to row "
                             f"{int(end.max())}")


def _check_select(groups, inv, counts, weights_t, sums, z, k):
    _check_runs(None, inv, counts, groups.shape[0])
    G, m = counts.shape
    s = groups.shape[1]
    if weights_t.shape not in ((G, m, s), (1, m, s)) or sums.shape != (inv.size, m) or z.shape != sums.shape:
        raise ValueError(f"weights_t must be (G, m, s) = {(G, m, s)} or (1, m, s) and sums, z (R, m) = "
                         f"{(inv.size, m)}; got {weights_t.shape}, {sums.shape}, {z.shape}")
    if not 1 <= k <= s:
        raise ValueError(f"k must be in [1, s = {s}], got {k}")


_NO_GROUPS = np.zeros((1, 1), dtype=np.int64)
_NO_WEIGHTS = np.zeros((1, 1, 1))
_NO_TABLE = np.zeros((1, 1))
_NO_T0 = np.zeros(1, dtype=np.int64)


def phase_release(state, inv, means, counts, tables, thr, alias, lows, offsets, sizes, law, law_param,
                  per_pull, reward_table=None, arms=None, t0=None):
    """Reward sums and standard-Laplace noise of one phase, for a batch of runs.

    Parameters
    ----------
    state : uint64 array (R,)
        Per-run stream states (advanced in place).
    inv : int64 array (R,)
        Group (active set) of every run.
    means : float64 array (G, m)
        Mean of the arm in each pull slot of each group's plan.
    counts : int64 array (G, m)
        Pulls of each slot in the phase (0 for padding slots).
    tables : int64 array (G, m)
        Alias-table id of Binomial(count, mean) per slot (-1: degenerate mean 0 or 1, or no count).
    thr, alias, lows, offsets, sizes : the flat alias tables (:meth:`theorylab.core.alias.AliasTables.arrays`).
    law : int
        0 Bernoulli, 2 Beta(mu c, (1 - mu) c) with c = ``law_param``, or :data:`TABLE_LAW` (3): rewards read
        from ``reward_table[t, arm]`` (the paper's time-indexed reward table), run r's phase starting at
        time ``t0[r]``, slots pulled round-robin; ``arms`` (G, m) names the arm of every slot.
    per_pull : bool
        Simulate every pull (reference) instead of one Binomial draw per slot (fast path, Bernoulli).

    Returns
    -------
    sums : float64 array (R, m)
    z : float64 array (R, m)
        Standard Laplace draws, one per slot (drawn for every slot, so the layout is fixed).
    """
    _check_draw(state, inv, means, counts, tables, offsets, law, reward_table, arms, t0)
    R, m = inv.size, counts.shape[1]
    sums, z = np.empty((R, m)), np.empty((R, m))
    if law == TABLE_LAW:
        reward_table = np.ascontiguousarray(reward_table, dtype=float)
        arms, t0 = np.ascontiguousarray(arms, dtype=np.int64), np.ascontiguousarray(t0, dtype=np.int64)
    else:
        reward_table, arms, t0 = _NO_TABLE, _NO_GROUPS, _NO_T0
    _phase_kernel(state, inv, (means, counts, tables, _NO_GROUPS, _NO_WEIGHTS), (thr, alias, lows, offsets, sizes),
                  (int(law), float(law_param), bool(per_pull), reward_table, arms, t0), (0.0, 1, _DRAW_ONLY),
                  (sums, z))
    return sums, z


def estimate_select(groups, inv, counts, weights_t, sums, z, noise_scale, k, states=None):
    """Privatise, estimate and keep the top ``k`` (spec 3.3 steps 10-13) for every run of a phase.

    Parameters
    ----------
    groups : int64 array (G, s)
        Distinct active sets, rows sorted increasingly; run r's set is ``groups[inv[r]]``.
    inv : int64 array (R,)
    counts : int64 array (G, m)
        Pulls n of each slot (the noise scale is ``noise_scale / n``; 0-count slots are padding).
    weights_t : float64 array (G, m, s) or (1, m, s)
        Transposed plan weights: mu_hat[active] = weights_t[g].T @ mu_tilde (one matrix for every group
        when the first axis is 1, e.g. the identity of plans that pull every active arm).
    sums : float64 array (R, m)
        Reward sums whose mean over ``counts`` is the slot's phase mean.
    z : float64 array (R, m)
        Standard Laplace noise.
    noise_scale : float
        noise_factor / epsilon (0 for the non-private algorithm).
    k : int
        Survivors s_{p+1}.
    states : uint64 array (R,), optional
        The runs' stream states at selection time (read, not advanced): the seeds of the random
        tie-breaking. Default zeros (every run breaks ties with the same priorities).

    Returns
    -------
    nxt : int64 array (R, k)  survivors, sorted by index
    keys : int64 array (R,)  their bitmask (valid when K <= 62)
    mu_tilde : float64 array (R, m)
    mu_hat : float64 array (R, s)
    """
    sums, z = np.ascontiguousarray(sums, dtype=float), np.ascontiguousarray(z, dtype=float)
    _check_select(groups, inv, counts, weights_t, sums, z, int(k))
    G, m = counts.shape
    no = np.zeros((1, m))
    if states is None:
        states = np.zeros(inv.size, dtype=np.uint64)
    elif np.shape(states) != inv.shape:
        raise ValueError(f"states must hold one stream state per run, shape {inv.shape}, got {np.shape(states)}")
    states = np.array(states, dtype=np.uint64)       # a copy: the kernel only reads it in this mode
    no_tables = (np.zeros(1, np.uint64), np.zeros(1, np.int64), np.zeros(1, np.int64), np.zeros(1, np.int64),
                 np.ones(1, np.int64))
    return _phase_kernel(states, inv, (no, counts, np.full((G, m), -1, np.int64), groups, weights_t), no_tables,
                         (0, 0.0, False, _NO_TABLE, _NO_GROUPS, _NO_T0), (float(noise_scale), int(k), _SELECT_ONLY),
                         (sums, z))


def phase_step(state, inv, means, counts, tables, thr, alias, lows, offsets, sizes, law, law_param, per_pull,
               groups, weights_t, noise_scale, k):
    """:func:`phase_release` then :func:`estimate_select` in one pass over the runs, without the (R, m)
    intermediates (the same loop, so the same numbers for the same streams). Returns (nxt, keys).

    Parameters
    ----------
    state : uint64 array (R,)
        Per-run stream states (advanced in place).
    inv : int64 array (R,)
        Group (active set) of every run.
    means, counts, tables : arrays (G, m)
        Slot means, pulls and alias-table ids, as in :func:`phase_release`.
    thr, alias, lows, offsets, sizes : the flat alias tables (:meth:`theorylab.core.alias.AliasTables.arrays`).
    law : int
        0 Bernoulli or 2 Beta (the reward-table law :data:`TABLE_LAW` is not accepted here).
    law_param : float
        Beta concentration c (ignored for Bernoulli).
    per_pull : bool
        Simulate every pull instead of one Binomial draw per slot.
    groups : int64 array (G, s)
        Distinct active sets, rows sorted increasingly, as in :func:`estimate_select`.
    weights_t : float64 array (G, m, s) or (1, m, s)
        Transposed plan weights, as in :func:`estimate_select`.
    noise_scale : float
        noise_factor / epsilon (0 for the non-private algorithm).
    k : int
        Survivors s_{p+1}, 1 <= k <= s.

    Returns
    -------
    nxt : int64 array (R, k)
        Survivors of every run, sorted by index.
    keys : int64 array (R,)
        Their bitmask (valid when K <= 62).
    """
    m = counts.shape[1]
    _check_draw(state, inv, means, counts, tables, offsets, law)
    if groups.shape[0] != counts.shape[0]:
        raise ValueError(f"groups has {groups.shape[0]} rows but the plan {counts.shape[0]}")
    if weights_t.shape not in ((counts.shape[0], m, groups.shape[1]), (1, m, groups.shape[1])) \
            or not 1 <= int(k) <= groups.shape[1]:
        raise ValueError(f"weights_t must be (G, m, s) or (1, m, s) and 1 <= k <= s; got {weights_t.shape}, k = {k}")
    nxt, keys, _, _ = _phase_kernel(state, inv, (means, counts, tables, groups, weights_t),
                                    (thr, alias, lows, offsets, sizes), (int(law), float(law_param), bool(per_pull),
                                                                         _NO_TABLE, _NO_GROUPS, _NO_T0),
                                    (float(noise_scale), int(k), _DRAW_AND_SELECT), (np.empty((1, m)), np.empty((1, m))))
    return nxt, keys


@njit(cache=True)
def beta_batch(state, a, b, size):
    """``size`` Beta(a, b) draws from stream 0 (testing helper).

    Parameters
    ----------
    state : uint64 array (>= 1,)
        Stream states; only ``state[0]`` is used, and advanced in place.
    a, b : float
        Beta shape parameters (> 0).
    size : int
        Number of draws.

    Returns
    -------
    float64 array (size,)
        The draws, in stream order (the sampler of the kernels' Beta rewards).
    """
    out = np.empty(size)
    st = state[0]
    for i in range(size):
        st, out[i] = _beta(st, a, b)
    state[0] = st
    return out
