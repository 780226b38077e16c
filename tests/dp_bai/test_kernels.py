import numpy as np
import pytest
from numba import njit
from scipy import stats

from theorylab.core import alias as ba
from theorylab.bandits.dp_bai import kernels as k
from theorylab.core import streams as st_


def _chi2_pvalue(x, pmf_fn, support):
    counts = np.array([np.count_nonzero(x == v) for v in support])
    exp = pmf_fn(support) * x.size
    keep = exp >= 5
    obs, ex = counts[keep], exp[keep]
    rest_o, rest_e = x.size - obs.sum(), x.size - ex.sum()
    if rest_e >= 5:
        obs, ex = np.append(obs, rest_o), np.append(ex, rest_e)
    return stats.chisquare(obs, ex * obs.sum() / ex.sum()).pvalue


def test_laplace_and_beta_samplers_match_laws():
    st = np.array([7], dtype=np.uint64)
    assert stats.kstest(st_.draw_batch(st, "laplace", 50000), stats.laplace.cdf).pvalue > 1e-4
    assert stats.kstest(k.beta_batch(st, 0.4, 1.6, 50000), stats.beta(0.4, 1.6).cdf).pvalue > 1e-4
    u = st_.draw_batch(st, "uniform", 50000)
    assert u.min() > 0 and u.max() < 1 and stats.kstest(u, "uniform").pvalue > 1e-4


def _release(states, mu, cnt, law=0, law_param=0.0, per_pull=False):
    """phase_release with one group per run (the layout of the engine's grouped call)."""
    R = mu.shape[0]
    tables = ba.TABLES.ids(cnt, mu) if law == 0 and not per_pull else np.full(cnt.shape, -1, dtype=np.int64)
    return k.phase_release(states, np.arange(R, dtype=np.int64), mu, cnt, tables, *ba.TABLES.arrays(), law,
                           law_param, per_pull)


def test_phase_release_fast_and_per_pull_same_distribution():
    R = 20000
    mu = np.full((R, 2), 0.3)
    cnt = np.tile(np.array([50, 7], dtype=np.int64), (R, 1))
    a, _ = _release(np.arange(R, dtype=np.uint64), mu, cnt)
    b, _ = _release(np.arange(R, dtype=np.uint64) + np.uint64(10**9), mu, cnt, per_pull=True)
    for j in range(2):
        assert stats.ks_2samp(a[:, j], b[:, j]).pvalue > 1e-4 or np.array_equal(np.sort(a[:, j]), np.sort(b[:, j]))
        assert abs(a[:, j].mean() - b[:, j].mean()) < 5 * np.sqrt(cnt[0, j] * 0.21 / R) + 1e-9


def test_phase_release_streams_are_per_run():
    mu = np.full((4, 3), 0.5)
    cnt = np.full((4, 3), 20, dtype=np.int64)
    s1 = np.arange(4, dtype=np.uint64)
    full, zf = _release(s1.copy(), mu, cnt)
    part, zp = _release(s1[2:].copy(), mu[2:], cnt[2:])
    assert np.array_equal(full[2:], part) and np.array_equal(zf[2:], zp)


@njit
def _sequential_release(state, inv, ids, means, counts, thr, alias, lows, offsets, sizes):
    """Reference: each run's stream drawn one value after another (no blocks, no precomputed words)."""
    R, m = inv.size, counts.shape[1]
    sums, z = np.zeros((R, m)), np.zeros((R, m))
    rejected = 0
    for r in range(R):
        g, sv = inv[r], state[r]
        for j in range(m):
            t = ids[g, j]
            if t >= 0:
                sv, v = ba.alias_draw(sv, thr, alias, lows[t], offsets[t], sizes[t])
                sums[r, j] = v
            else:
                sv, _ = st_.next_word(sv)
                sums[r, j] = counts[g, j] if means[g, j] >= 1.0 and counts[g, j] > 0 else 0
        for j in range(m):
            plain = st_.skip_word(sv)
            sv, z[r, j] = st_.laplace(sv)
            rejected += sv != plain
    return sums, z, rejected


def test_block_kernel_gives_each_run_its_sequential_stream_including_ziggurat_rejections():
    """The kernel computes the fast path's words for a block of runs at once; every run must still get
    exactly the numbers of its own stream drawn one after another: one alias draw per slot (padding
    slots and degenerate means use their word too), then one Laplace value per slot."""
    R = 3000
    rng = np.random.default_rng(11)
    inv = rng.integers(0, 3, R).astype(np.int64)              # runs of different groups interleaved
    means = np.array([[0.3, 0.6, 0.9, 1.0, 0.5], [0.2, 0.0, 0.7, 0.4, 0.5], [0.8, 0.1, 0.5, 0.5, 0.6]])
    counts = np.array([[40, 40, 40, 40, 0], [25, 25, 25, 25, 25], [100, 100, 3, 0, 0]], dtype=np.int64)
    ids, flat = ba.TABLES.lookup(counts, means)
    state0 = rng.integers(0, 2**63, R).astype(np.uint64)
    sums, z = k.phase_release(state0.copy(), inv, means, counts, ids, *flat, 0, 0.0, False)
    ref_sums, ref_z, rejected = _sequential_release(state0.copy(), inv, ids, means, counts, *flat)
    assert np.array_equal(sums, ref_sums) and np.array_equal(z, ref_z)
    assert rejected > 100           # the ziggurat's slow branch was exercised (348 of the 15000 draws here)


def test_beta_rewards_in_unit_interval():
    mu = np.full((100, 1), 0.7)
    cnt = np.full((100, 1), 30, dtype=np.int64)
    s, _ = _release(np.arange(100, dtype=np.uint64), mu, cnt, 2, 2.0)
    assert np.all((s >= 0) & (s <= 30)) and abs(s.mean() / 30 - 0.7) < 0.05


def test_fast_path_breakdown_accounts_for_the_whole_run_and_leaves_the_numbers_alone():
    from theorylab.bandits.dp_bai.algorithms import make_planner, run_algorithm
    from theorylab.bandits.dp_bai.bench import _TimedSource, fast_path_breakdown
    from theorylab.bandits.dp_bai.engine import run_phased
    from theorylab.bandits.dp_bai.instances import soare_dp_instance

    parts = fast_path_breakdown(budget=4000, runs=200, repeat=2)
    assert len(parts["phase_kernel_ns"]) == len(parts["variates_ns"]) == 3      # 30 -> 3 -> 2 -> 1
    assert all(x > 0 for x in parts["phase_kernel_ns"] + parts["variates_ns"])
    assert sum(parts["phase_kernel_ns"]) + parts["python_ns"] == pytest.approx(parts["total_ns"])
    # the timed source draws on copies of the streams: the same recommendations as the plain fast path
    inst = soare_dp_instance(5, 30, 0.5)
    planner, sizes = make_planner("dp_bai", inst, 4000)
    seeds = np.arange(300, dtype=np.uint64)
    timed = run_phased(planner, sizes, inst.K, 4000, 0.3, _TimedSource(inst, seeds.copy()), seeds.size)
    plain = run_algorithm(inst, "dp_bai", 4000, seeds, 0.3)
    assert np.array_equal(timed.recommended, plain)


@pytest.mark.parametrize("multiplier", [None, 0])
def test_grouping_of_active_sets_beyond_62_arms_is_exact_even_under_hash_collisions(monkeypatch, multiplier):
    from theorylab.bandits.dp_bai import engine as E

    if multiplier is not None:        # a degenerate hash: every row with the same last arm collides
        monkeypatch.setattr(E, "_ROW_HASH", np.uint64(multiplier))
    rng = np.random.default_rng(2)
    pool = [np.sort(rng.choice(100, 7, replace=False)) for _ in range(40)]
    active = np.array([pool[i] for i in rng.integers(0, 40, 600)], dtype=np.int64)
    uniq, inv = E._group_rows(active, 100)
    assert np.array_equal(uniq[inv], active)
    assert len({tuple(r) for r in uniq.tolist()}) == len(uniq) == len({tuple(r) for r in active.tolist()})


def test_alias_ids_looked_up_per_count_and_arm_equal_the_per_slot_lookup():
    from theorylab.bandits.dp_bai import engine as E

    rng = np.random.default_rng(6)
    means = np.concatenate([rng.uniform(0.05, 0.95, 18), [0.0, 1.0]])
    source = E.KernelSource(means, 0, 0.0, np.zeros(1, np.uint64), per_pull=False)
    for counts in (np.full((30, 4), 250), rng.choice([0, 3, 250, 1000], size=(30, 4))):
        arms = rng.integers(0, means.size, (30, 4)).astype(np.int64)
        ids, flat = source._table_ids(arms, counts.astype(np.int64))
        expect, flat2 = ba.TABLES.lookup(counts, means[arms])
        assert np.array_equal(ids, expect) and all(np.shares_memory(a, b) or np.array_equal(a, b)
                                                   for a, b in zip(flat, flat2))
