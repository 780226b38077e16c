import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from scipy import stats

from theorylab.bandits.dp_bai.algorithms import (BudgetTooSmall, dp_bai, dp_od, dp_sh, max_det_halving, min_budget,
                                                 od_linbai, run_algorithm)
from theorylab.bandits.dp_bai.audit import run_on_table
from theorylab.bandits.dp_bai.instances import linear_instance, soare_dp_instance, unstructured_instance
from theorylab.bandits.dp_bai.plans import default_schedule
from theorylab.core.seeding import repetition_seeds

INST = soare_dp_instance(d=4, K=10, omega=0.6)


def test_schedule_examples_and_min_budget():
    assert default_schedule(30, 5) == [30, 3, 2, 1]
    need = min_budget("dp_sr", INST)
    assert run_algorithm(INST, "dp_sr", need, [1], 1.0).shape == (1,)
    with pytest.raises(BudgetTooSmall):
        run_algorithm(INST, "dp_sr", need - 1, [1], 1.0)
    assert default_schedule(10, 4) == [10, 2, 1] and min_budget("dp_bai", INST) == 2 * 4
    with pytest.raises(BudgetTooSmall):
        dp_bai(INST, 7, 1.0, [1])
    with pytest.raises(ValueError, match="budget"):
        dp_od(INST, 5, 1.0, [1])


@pytest.mark.parametrize("eps", [0.0, -1.0, float("nan")])
def test_invalid_epsilon_rejected(eps):
    with pytest.raises(ValueError):
        dp_bai(INST, 1000, eps, [1])


def test_invalid_arguments():
    with pytest.raises(TypeError):
        run_algorithm("inst", "dp_bai", 1000, [1], 1.0)
    with pytest.raises(ValueError):
        run_algorithm(INST, "nope", 1000, [1], 1.0)
    with pytest.raises(ValueError):
        run_algorithm(INST, "dp_bai", 1000, [1], 1.0, path="slow")
    with pytest.raises(ValueError):
        run_algorithm(INST, "dp_bai", 1000, [1], 1.0, schedule=[10, 5, 5, 1])
    with pytest.raises(TypeError):
        run_algorithm(INST, "dp_bai", 1000, ["a"], 1.0)


def test_all_algorithms_find_easy_best_arm():
    inst = unstructured_instance([0.9, 0.5, 0.4, 0.2, 0.1])
    seeds = repetition_seeds(0, "easy", 20)
    for alg in ("dp_bai", "max_det_halving", "dp_od", "od_linbai", "dp_sh", "dp_sr", "sequential_halving",
                "successive_rejects"):
        out = run_algorithm(inst, alg, 5000, seeds, epsilon=5.0)
        assert np.all(out == 0), alg


def test_same_seed_same_answer_whatever_the_batch():
    seeds = np.arange(50, dtype=np.uint64)
    a = run_algorithm(INST, "dp_bai", 300, seeds, 0.5)
    b = np.concatenate([run_algorithm(INST, "dp_bai", 300, seeds[:17], 0.5),
                        run_algorithm(INST, "dp_bai", 300, seeds[17:], 0.5)])
    assert np.array_equal(a, b)


def test_fast_and_per_pull_paths_same_output_distribution():
    inst = soare_dp_instance(d=3, K=6, omega=0.8)
    n = 30000
    a = run_algorithm(inst, "dp_bai", 120, np.arange(n, dtype=np.uint64), 1.0, path="fast")
    b = run_algorithm(inst, "dp_bai", 120, np.arange(n, dtype=np.uint64) + np.uint64(10**7), 1.0, path="per_pull")
    ca, cb = np.bincount(a, minlength=6), np.bincount(b, minlength=6)
    keep = (ca + cb) > 10
    assert stats.chi2_contingency(np.vstack([ca[keep], cb[keep]]))[1] > 1e-3


def test_unstructured_dp_bai_equals_dp_sh():
    inst = unstructured_instance([0.6, 0.55, 0.5, 0.4, 0.3])
    seeds = np.arange(500, dtype=np.uint64)
    assert np.array_equal(run_algorithm(inst, "dp_bai", 400, seeds, 0.7), run_algorithm(inst, "dp_sh", 400, seeds, 0.7))


def test_beta_rewards_run():
    inst = soare_dp_instance(d=3, K=5, omega=1.0, law="beta", concentration=3.0)
    out = dp_bai(inst, 3000, 2.0, np.arange(200, dtype=np.uint64))
    assert (out == 0).mean() > 0.8


@settings(max_examples=25, deadline=None)
@given(st.integers(2, 7), st.integers(1, 4), st.integers(0, 10_000))
def test_budget_schedule_and_noise_free_exactness(K, d, seed):
    """M3/M4/M5: with epsilon = inf and a noise-free table (every reward = its mean) DP-BAI returns the
    best arm; the phases use at most T pulls, every pull is a basis arm, sets shrink as scheduled."""
    d = min(d, K)
    rng = np.random.default_rng(seed)
    inst = None
    for _ in range(50):
        A = rng.integers(-2, 3, size=(K, d)).astype(float)
        A[:, 0] = 1.0
        th = np.concatenate([[0.5], rng.uniform(-0.1, 0.1, d - 1)])
        mu = A @ th
        if np.linalg.matrix_rank(A) >= 1 and np.all((mu >= 0) & (mu <= 1)):
            s = np.sort(mu)
            if s[-1] - s[-2] > 1e-6:
                inst = linear_instance(A, th)
                break
    if inst is None:
        return
    T = min_budget("dp_bai", inst) * int(rng.integers(1, 6))
    table = np.tile(inst.means, (T, 1))
    res = run_on_table(inst, "max_det_halving", T, math.inf, table, noise=np.zeros((1, 10, K)))
    assert res.recommended[0] == inst.best_arm
    sizes = default_schedule(K, inst.rank)
    used = 0
    prev = set(range(K))
    for p, ph in enumerate(res.phases):
        act = set(ph["active"][0].tolist())
        assert act <= prev and len(act) == sizes[p]
        assert set(ph["pull_arms"][0][ph["counts"][0] > 0].tolist()) <= act
        used += int(ph["counts"][0].sum())
        prev = set(ph["next_active"][0].tolist())
        # exactness of the beta expansion on noise-free means
        assert np.allclose(ph["mu_hat"][0], inst.means[ph["active"][0]], atol=1e-9)
    assert used <= T and len(prev) == 1


def test_time_and_arm_indexed_tables_agree_on_transcript_law():
    inst = unstructured_instance([0.7, 0.4, 0.3])
    rng = np.random.default_rng(0)
    T = 60
    x = (rng.random((T, 3)) < 0.5).astype(float)
    Z = rng.laplace(size=(1, 2, 3))
    r1 = run_on_table(inst, "dp_bai", T, 1.0, x, Z)
    assert r1.pull_sequence(0, T).size == T


def test_named_wrappers_agree_with_run_algorithm():
    inst = soare_dp_instance(d=3, K=6, omega=0.8)
    seeds = np.arange(300, dtype=np.uint64)
    assert np.array_equal(max_det_halving(inst, 200, seeds), run_algorithm(inst, "dp_bai", 200, seeds, math.inf))
    assert np.array_equal(od_linbai(inst, 200, seeds), run_algorithm(inst, "dp_od", 200, seeds, math.inf))
    assert np.array_equal(dp_sh(inst, 200, 1.0, seeds), run_algorithm(inst.unstructured(), "dp_bai", 200, seeds, 1.0))


def test_permuting_arms_permutes_maxdet_output_distribution():
    """M6 (label equivariance): relabelling arms relabels the recommendations (same seeds -> same draws
    only up to slot order, so compare distributions of the recommended mean)."""
    inst = soare_dp_instance(d=3, K=6, omega=0.8)
    perm = np.array([3, 0, 5, 1, 4, 2])
    pinst = linear_instance(inst.arms[perm], inst.theta)
    n = 20000
    a = inst.means[run_algorithm(inst, "dp_bai", 150, np.arange(n, dtype=np.uint64), 1.0)]
    b = pinst.means[run_algorithm(pinst, "dp_bai", 150, np.arange(n, dtype=np.uint64) + np.uint64(n), 1.0)]
    va = np.unique(np.concatenate([a, b]))
    ca = np.array([np.sum(np.isclose(a, v)) for v in va])
    cb = np.array([np.sum(np.isclose(b, v)) for v in va])
    keep = (ca + cb) > 10
    assert stats.chi2_contingency(np.vstack([ca[keep], cb[keep]]))[1] > 1e-3


def test_planners_are_reused_for_the_same_arguments_only_and_stay_bounded():
    from theorylab.bandits.dp_bai import algorithms as A

    inst = soare_dp_instance(5, 30, 0.5)
    p1, sizes = A.make_planner("dp_bai", inst, 40000)
    assert A.make_planner("dp_bai", inst, 40000)[0] is p1
    assert A.make_planner("dp_bai", inst, 40001)[0] is not p1
    assert A.make_planner("dp_sh", inst, 40000)[0] is not p1
    assert A.make_planner("dp_bai", soare_dp_instance(5, 30, 0.4), 40000)[0] is not p1
    for T in range(50000, 50000 + 2 * A._KEEP_PLANNERS):
        A.make_planner("dp_bai", inst, T)
    assert len(A._PLANNERS) == A._KEEP_PLANNERS
    # a reused planner gives the plans a new one would
    fresh = A._new_planner("dp_bai", inst, 40000, len(sizes) - 1)
    active = np.arange(30)
    a, b = p1.plan(active), fresh.plan(active)
    assert np.array_equal(a.pull_arms, b.pull_arms) and np.array_equal(a.counts, b.counts)
    assert np.allclose(a.weights, b.weights)


def test_planner_cache_is_emptied_beyond_its_weight_limit():
    from theorylab.bandits.dp_bai.plans import MaxDetPlanner

    planner = MaxDetPlanner(np.eye(12), 10_000, 3)
    planner.WEIGHT_LIMIT = 100                    # each 6-arm plan holds 36 weights: two fit
    sizes = []
    for start in range(7):
        planner.plan(np.arange(start, start + 6))
        sizes.append(len(planner._cache))
        assert planner._held <= 100
    assert sizes == [1, 2, 1, 2, 1, 2, 1]
