"""dp_bai's fast path: alias tables per slot, tie-breaking in the selection and the fused phase kernel
(the samplers' exact-law tests are in tests/core/test_streams.py)."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from theorylab.core import alias as ba
from theorylab.bandits.dp_bai import engine as E
from theorylab.core import streams
from theorylab.bandits.dp_bai.algorithms import make_planner
from theorylab.bandits.dp_bai.instances import soare_dp_instance
from theorylab.bandits.dp_bai.kernels import estimate_select


def test_alias_store_gives_every_slot_the_table_of_its_own_pair():
    rng = np.random.default_rng(5)
    n = rng.choice([0, 7, 100, 2666], size=(40, 6))
    p = rng.choice([0.0, 0.25, 0.5, 1.0, 0.9], size=(40, 6))
    store = ba.AliasTables()
    ids = store.ids(n, p)
    single = ba.AliasTables()
    expect = np.array([[single.ids(np.array([a]), np.array([b]))[0] for a, b in zip(ra, rb)] for ra, rb in zip(n, p)])
    assert np.array_equal(ids == -1, expect == -1)
    # same pair <-> same table, and each table holds its own pair's law (its size is the pair's window)
    sizes = store.arrays()[4]
    sizes1 = single.arrays()[4]
    ok = ids >= 0
    assert np.array_equal(sizes[ids[ok]], sizes1[expect[ok]])
    assert len(store) == len(single) == len({(a, b) for a, b in zip(n[ok], p[ok])})


def _splitmix_output(x: int) -> int:
    """SplitMix64's output function in plain Python integers (an independent reference)."""
    x &= (1 << 64) - 1
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & ((1 << 64) - 1)
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & ((1 << 64) - 1)
    return x ^ (x >> 31)


def _tie_priority(state: int, i: int) -> int:
    return _splitmix_output((state ^ 0xD1B54A32D192ED03) + 0x9E3779B97F4A7C15 * (i + 1))


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 12), st.integers(0, 2**31 - 1), st.data())
def test_select_keeps_the_k_largest_and_breaks_ties_by_the_runs_priorities(s, seed, data):
    k = data.draw(st.integers(1, s))
    rng = np.random.default_rng(seed)
    R, m = 20, 3
    groups = np.array([np.sort(rng.choice(40, size=s, replace=False)) for _ in range(2)], dtype=np.int64)
    inv = rng.integers(0, 2, R).astype(np.int64)
    counts = np.ones((2, m), dtype=np.int64)
    weights_t = rng.integers(-1, 2, size=(2, m, s)).astype(float)    # small integers: many exact ties
    sums = rng.integers(0, 2, size=(R, m)).astype(float)
    states = rng.integers(0, 2**63, R).astype(np.uint64)
    nxt, keys, mu_tilde, mu_hat = estimate_select(groups, inv, counts, weights_t, sums, np.zeros((R, m)), 0.0, k,
                                                  states)
    for r in range(R):
        g = inv[r]
        ref_hat = weights_t[g].T @ sums[r]
        assert np.array_equal(mu_hat[r], ref_hat)
        pri = np.array([float(_tie_priority(int(states[r]), i)) for i in range(s)])
        order = np.lexsort((-pri, -ref_hat))[:k]          # value descending, then the run's random priority
        assert np.array_equal(nxt[r], groups[g, np.sort(order)])
        assert keys[r] == sum(1 << int(a) for a in nxt[r])


def test_exact_ties_are_broken_uniformly_at_random():
    """Three tied arms, 30,000 runs with distinct states: each wins about 1/3 (chi-square, 3 cells)."""
    from scipy import stats as sst
    R = 30000
    groups, inv = np.array([[0, 1, 2]], dtype=np.int64), np.zeros(R, dtype=np.int64)
    counts, W = np.full((1, 3), 4, dtype=np.int64), np.eye(3)[None]
    states = np.random.default_rng(5).integers(0, 2**63, R).astype(np.uint64)
    nxt, *_ = estimate_select(groups, inv, counts, W, np.full((R, 3), 2.0), np.zeros((R, 3)), 0.0, 1, states)
    counts_won = np.bincount(nxt[:, 0], minlength=3)
    assert sst.chisquare(counts_won).pvalue > 1e-3, counts_won


def test_fused_phase_kernel_gives_the_numbers_of_the_two_step_path():
    inst = soare_dp_instance(d=4, K=12, omega=0.6)
    planner, sizes = make_planner("dp_bai", inst, 200)
    out = {}
    for fused in (True, False):
        states = np.arange(3000, dtype=np.uint64)
        src = E.kernel_source(inst.means, inst.law_code, inst.law_param, states, False)
        if not fused:       # a plain callable: the engine takes the two-step path
            src = lambda *args, _k=src: _k(*args)  # noqa: E731
        res = E.run_phased(planner, sizes, inst.K, 200, 0.7, src, states.size)
        out[fused] = (res.recommended, states)
    assert np.unique(out[True][0]).size > 3            # many active sets visited, several groups per phase
    assert np.array_equal(out[True][0], out[False][0]) and np.array_equal(out[True][1], out[False][1])


def test_privacy_noise_sd_matches_the_spread_of_the_engine_estimates():
    from theorylab.bandits.dp_bai.audit import run_on_table
    from theorylab.bandits.dp_bai.diagnostics import privacy_noise_sd

    inst = soare_dp_instance(d=4, K=10, omega=0.6)
    T, eps, R = 400, 0.5, 4000
    table = (np.random.default_rng(1).random((T, inst.K)) < inst.means).astype(float)  # rewards fixed: only noise varies
    for alg in ("dp_bai", "dp_od"):
        pred = privacy_noise_sd(inst, alg, T, eps)
        res = run_on_table(inst, alg, T, eps, table, seeds=np.arange(R, dtype=np.uint64))
        emp = res.phases[0]["mu_hat"].std(axis=0, ddof=1)
        # the sample sd of R Laplace-sum draws is within a few percent of the truth
        assert np.allclose(emp, pred["arm_sd"], rtol=0.08), (alg, emp / pred["arm_sd"])
    with pytest.raises(ValueError):
        privacy_noise_sd(inst, "dp_bai", T, eps, active=[3])
    with pytest.raises(ValueError):
        privacy_noise_sd(inst, "od_linbai", T, eps)


def test_one_kernel_specialisation_serves_every_algorithm_and_path():
    from theorylab.bandits.dp_bai.algorithms import run_algorithm
    from theorylab.bandits.dp_bai.audit import run_on_table
    from theorylab.bandits.dp_bai.kernels import _phase_kernel

    inst = soare_dp_instance(d=4, K=10, omega=0.6)
    seeds = np.arange(5, dtype=np.uint64)
    for alg in ("dp_bai", "dp_od", "dp_sh", "max_det_halving", "od_linbai"):
        for path in ("fast", "per_pull"):
            run_algorithm(inst, alg, 400, seeds, 1.0, path=path)
    run_algorithm(inst, "dp_bai", 400, seeds, 1.0, record=True)
    run_on_table(inst, "dp_bai", 400, 1.0, np.zeros((400, 10)), seeds=seeds)
    assert len(_phase_kernel.signatures) == 1, _phase_kernel.signatures


@pytest.mark.parametrize("alg", ["dp_bai", "dp_od", "dp_sr"])
def test_numba_and_python_table_paths_give_identical_transcripts(alg):
    """Spec M7(i): same table and same noise (injected, or drawn from the same seeds) -> same transcripts."""
    from theorylab.bandits.dp_bai.audit import run_on_table

    inst = soare_dp_instance(d=3, K=7, omega=0.7)
    T = 300
    rng = np.random.default_rng(5)
    table = rng.random((T, inst.K))
    injected = rng.laplace(size=(40, 8, 8))
    for kwargs in ({"noise": injected}, {"seeds": np.arange(40, dtype=np.uint64)}):
        a = run_on_table(inst, alg, T, 0.3, table, table_path="numba", **kwargs)
        b = run_on_table(inst, alg, T, 0.3, table, table_path="python", **kwargs)
        assert a.transcripts() == b.transcripts()
        for pa, pb in zip(a.phases, b.phases):
            assert np.allclose(pa["m_hat"], pb["m_hat"], rtol=0, atol=1e-12)
            assert np.array_equal(pa["z"], pb["z"])
    with pytest.raises(ValueError, match="table_path"):
        run_on_table(inst, alg, T, 0.3, table, noise=injected, table_path="c")


def test_threads_sharing_the_alias_store_get_the_serial_numbers(monkeypatch):
    """Threads of one process (e.g. a threaded Dask worker) share the table store; with a tiny store limit
    it is cleared over and over while they run, and every run must still see valid tables."""
    from concurrent.futures import ThreadPoolExecutor

    from theorylab.bandits.dp_bai.algorithms import run_algorithm

    monkeypatch.setattr(ba.TABLES, "limit", 3000)
    jobs = [(soare_dp_instance(d=3, K=8 + i, omega=0.7), 300 + 37 * i) for i in range(8)]
    seeds = np.arange(400, dtype=np.uint64)

    def run(job):
        inst, T = job
        return run_algorithm(inst, "dp_bai", T, seeds, 0.5)

    serial = [run(j) for j in jobs]
    with ThreadPoolExecutor(4) as pool:
        for _ in range(3):
            threaded = list(pool.map(run, jobs))
            assert all(np.array_equal(a, b) for a, b in zip(serial, threaded))


def test_kernel_wrappers_refuse_inputs_the_unchecked_kernel_would_misread():
    from theorylab.bandits.dp_bai import kernels as K

    R, G, m, s = 4, 2, 3, 5
    inv = np.array([0, 1, 1, 0], dtype=np.int64)
    counts = np.full((G, m), 10, dtype=np.int64)
    means = np.full((G, m), 0.5)
    ids, flat = ba.TABLES.lookup(counts, means)
    state = np.arange(R, dtype=np.uint64)
    K.phase_release(state, inv, means, counts, ids, *flat, 0, 0.0, False)            # valid
    before = state.copy()
    with pytest.raises(ValueError, match="inv"):
        K.phase_release(state, inv + 1, means, counts, ids, *flat, 0, 0.0, False)
    with pytest.raises(ValueError, match="inv"):
        K.phase_release(state, inv - 1, means, counts, ids, *flat, 0, 0.0, False)
    assert np.array_equal(state, before)          # refused before any draw
    with pytest.raises(ValueError, match="alias table ids"):
        K.phase_release(state, inv, means, counts, ids + 10**6, *flat, 0, 0.0, False)
    with pytest.raises(ValueError, match="rows"):
        K.phase_release(state, inv, means, counts, ids, *flat, K.TABLE_LAW, 0.0, False,
                        reward_table=np.zeros((50, 4)), arms=np.zeros((G, m), np.int64), t0=np.full(R, 30))
    groups = np.tile(np.arange(s, dtype=np.int64), (G, 1))
    sums, z = np.zeros((R, m)), np.zeros((R, m))
    with pytest.raises(ValueError, match="k must be"):
        K.estimate_select(groups, inv, counts, np.zeros((G, m, s)), sums, z, 1.0, 0)
    with pytest.raises(ValueError, match="weights_t"):
        K.estimate_select(groups, inv, counts, np.zeros((G, s, m)), sums, z, 1.0, 2)
    with pytest.raises(ValueError):
        ba.binomial_batch(np.array([1], np.uint64), 10, float("nan"), 5)
    with pytest.raises(ValueError):
        streams.draw_batch(np.array([1], np.uint64), "gamma", 5)


@pytest.mark.parametrize("shared", ["identity", "dense"])
def test_one_weight_matrix_for_every_group_equals_it_repeated_per_group(shared):
    rng = np.random.default_rng(4)
    R, G, s, k = 500, 7, 6, 2
    groups = np.array([np.sort(rng.choice(20, s, replace=False)) for _ in range(G)], dtype=np.int64)
    inv = rng.integers(0, G, R).astype(np.int64)
    counts = np.full((G, s), 30, dtype=np.int64)
    W = np.eye(s)[None] if shared == "identity" else rng.normal(size=(1, s, s))
    sums, z = rng.integers(0, 31, (R, s)).astype(float), rng.laplace(size=(R, s))
    one = estimate_select(groups, inv, counts, W, sums, z, 0.7, k)
    each = estimate_select(groups, inv, counts, np.repeat(W, G, axis=0), sums, z, 0.7, k)
    for a, b in zip(one, each):
        assert np.array_equal(a, b)
