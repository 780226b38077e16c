"""The numba kernels against the pure-numpy references, and the Binomial fast path against per-pull."""

import numpy as np
import pytest
from scipy import stats as sst

from theorylab.bandits.kernels import POLICY_CODES
from theorylab.bandits.reference import index_policy_run, phase_run
from theorylab.bandits.reference import reference_index_policy, reference_phase

MEANS = np.array([0.3, 0.55, 0.5, 0.2])


@pytest.mark.parametrize("policy, param", [("ucb1", 1.0), ("ucb1", 0.3), ("thompson", 0.0), ("exp3", 0.2),
                                           ("explore_then_commit", 5.0)])
@pytest.mark.parametrize("law, law_param", [(0, 0.0), (2, 3.0)])
def test_index_kernel_equals_numpy_reference_for_the_same_seed(policy, param, law, law_param):
    horizon = 1500
    for seed in range(3):
        counts, curve, _ = index_policy_run(MEANS, law, law_param, POLICY_CODES[policy], param, horizon,
                                            np.array([horizon], np.int64), np.random.default_rng(seed))
        ref_regret, ref_counts = reference_index_policy(MEANS, law, law_param, POLICY_CODES[policy], param, horizon,
                                                        np.random.default_rng(seed))
        assert counts.tolist() == ref_counts.tolist()
        assert curve[-1] == pytest.approx(ref_regret, rel=1e-12)


def test_gaussian_ucb1_kernel_equals_reference():
    counts, curve, _ = index_policy_run(MEANS, 1, 0.5, 0, 1.0, 800, np.array([800], np.int64), np.random.default_rng(4))
    ref_regret, ref_counts = reference_index_policy(MEANS, 1, 0.5, 0, 1.0, 800, np.random.default_rng(4))
    assert counts.tolist() == ref_counts.tolist() and curve[-1] == pytest.approx(ref_regret)


def test_checkpoint_curve_is_nondecreasing_and_ends_at_final_regret():
    cps = np.array([10, 100, 1000], np.int64)
    counts, curve, _ = index_policy_run(MEANS, 0, 0.0, 0, 1.0, 1000, cps, np.random.default_rng(0))
    full = index_policy_run(MEANS, 0, 0.0, 0, 1.0, 1000, np.array([1000], np.int64), np.random.default_rng(0))[1]
    assert np.all(np.diff(curve) >= 0) and curve[-1] == full[-1] and counts.sum() == 1000


def _recommendations(fn, n, seed0):
    return np.bincount([fn(np.random.default_rng(seed0 + i)) for i in range(n)], minlength=MEANS.size)


def _same_distribution(a, b):
    keep = (a + b) > 0
    table = np.vstack([a[keep], b[keep]])
    if table.shape[1] < 2:
        return 1.0
    return sst.chi2_contingency(table)[1]


@pytest.mark.parametrize("algorithm, param, budget", [(0, 0.0, 60), (1, 0.0, 64), (1, 1.0, 64)])
def test_binomial_fast_path_matches_per_pull_path_in_distribution(algorithm, param, budget):
    n = 6000
    fast = _recommendations(lambda r: phase_run(MEANS, 0, 0.0, algorithm, budget, param, True, r)[0], n, 0)
    slow = _recommendations(lambda r: phase_run(MEANS, 0, 0.0, algorithm, budget, param, False, r)[0], n, 10**6)
    assert _same_distribution(fast, slow) > 1e-3
    assert fast.argmax() == 1


@pytest.mark.parametrize("algorithm, param", [(0, 0.0), (1, 0.0), (1, 1.0)])
def test_per_pull_phase_kernel_matches_numpy_reference_in_distribution(algorithm, param):
    n = 3000
    kern = _recommendations(lambda r: phase_run(MEANS, 0, 0.0, algorithm, 64, param, False, r)[0], n, 0)
    ref = _recommendations(lambda r: reference_phase(MEANS, 0, 0.0, algorithm, 64, param, r), n, 10**6)
    assert _same_distribution(kern, ref) > 1e-3


def test_phase_sum_fast_path_has_the_binomial_law():
    from theorylab.bandits.reference import draw_reward_sum

    rng = np.random.default_rng(3)
    draws = np.array([draw_reward_sum(0, 0.0, 0.35, 20, True, rng) for _ in range(20000)])
    slow = np.array([draw_reward_sum(0, 0.0, 0.35, 20, False, rng) for _ in range(20000)])
    assert sst.ks_2samp(draws, slow).pvalue > 1e-3
    assert draws.mean() == pytest.approx(7.0, abs=0.05)


def test_sequential_halving_and_successive_rejects_use_at_most_the_budget():
    for algorithm in (0, 1):
        for budget in (40, 97, 1000):
            _, used, regret = phase_run(MEANS, 0, 0.0, algorithm, budget, 0.0, True, np.random.default_rng(1))
            assert used <= budget and regret >= 0


# the batched kernels (per-run SplitMix64 streams) ---------------------------------------------------

from theorylab.bandits import algorithms as classic  # noqa: E402
from theorylab.bandits.instances import BernoulliBandit, BetaBandit, GaussianBandit  # noqa: E402
from theorylab.core.seeding import repetition_seeds  # noqa: E402


@pytest.mark.parametrize("algorithm", ["ucb1", "thompson", "exp3", "explore_then_commit"])
@pytest.mark.parametrize("env", [BernoulliBandit(MEANS), BetaBandit(MEANS, 3.0)], ids=["bernoulli", "beta"])
def test_batched_index_kernel_matches_the_generator_reference_in_distribution(algorithm, env):
    horizon, n = 300, 1500
    param = {"ucb1": 1.0, "thompson": 0.0, "exp3": 0.2, "explore_then_commit": 5.0}[algorithm]
    kw = {"gamma": 0.2} if algorithm == "exp3" else {"explore": 5} if algorithm == "explore_then_commit" else {}
    batch = classic.run_regret(env, algorithm, horizon, repetition_seeds(0, "batch-vs-ref", n), **kw)
    ref = np.array([index_policy_run(MEANS, env.law_code, env.law_param, POLICY_CODES[algorithm], param, horizon,
                                     np.array([horizon], np.int64), np.random.default_rng(10**6 + i))[1][-1]
                    for i in range(n)])
    assert sst.ks_2samp(batch.final, ref).pvalue > 1e-3
    assert np.all(batch.counts.sum(axis=1) == horizon)


@pytest.mark.parametrize("algorithm, code, param", [("successive_rejects", 0, 0.0), ("sequential_halving", 1, 0.0),
                                                    ("sequential_halving_cumulative", 1, 1.0)])
@pytest.mark.parametrize("fast", [True, False])
def test_batched_phase_kernel_matches_the_generator_reference_in_distribution(algorithm, code, param, fast):
    n, budget = 6000, 64
    batch = np.bincount(classic.run_bai(MEANS, algorithm, budget, repetition_seeds(1, "phase-ref", n), fast=fast),
                        minlength=MEANS.size)
    ref = _recommendations(lambda r: phase_run(MEANS, 0, 0.0, code, budget, param, False, r)[0], n, 0)
    assert _same_distribution(batch, ref) > 1e-3


def test_gaussian_fast_phase_sums_match_per_pull_in_distribution():
    env = GaussianBandit(MEANS, 0.4)
    seeds = repetition_seeds(2, "gauss", 6000)
    fast = np.bincount(classic.run_bai(env, "successive_rejects", 40, seeds, fast=True), minlength=4)
    slow = np.bincount(classic.run_bai(env, "successive_rejects", 40, repetition_seeds(3, "gauss", 6000), fast=False),
                       minlength=4)
    assert _same_distribution(fast, slow) > 1e-3


def test_a_runs_numbers_do_not_depend_on_the_batch_it_is_in():
    seeds = repetition_seeds(4, "batch", 30)
    env = BernoulliBandit(MEANS)
    full = classic.run_regret(env, "thompson", 500, seeds, checkpoints=[10, 500])
    part = classic.run_regret(env, "thompson", 500, seeds[7:12], checkpoints=[10, 500])
    assert np.array_equal(full.regret[7:12], part.regret) and np.array_equal(full.counts[7:12], part.counts)
    for alg in classic.BAI_ALGORITHMS:
        assert np.array_equal(classic.run_bai(env, alg, 80, seeds)[3:20], classic.run_bai(env, alg, 80, seeds[3:20]))
    se = classic.run_regret(env, "successive_elimination", 400, seeds).final
    assert np.array_equal(se[:4], classic.run_regret(env, "successive_elimination", 400, seeds[:4]).final)


def test_phase_schedules_use_at_most_the_budget_and_batched_regret_is_consistent():
    from theorylab.bandits.kernels import phase_pulls

    for K in (2, 3, 4, 10, 17):
        for budget in (classic.min_budget("successive_rejects", K), 97, 1000):
            sr = phase_pulls(0, K, budget)
            assert sr.size == K - 1 and np.all(sr >= 0)
            assert int((sr * np.arange(K, 1, -1)).sum()) <= budget
        budget = max(97, classic.min_budget("sequential_halving", K))
        sh = phase_pulls(1, K, budget)
        alive = [K]
        for _ in sh[:-1]:
            alive.append((alive[-1] + 1) // 2)
        assert (alive[-1] + 1) // 2 == 1 and int((sh * np.array(alive)).sum()) <= budget and np.all(sh >= 1)


def test_one_specialisation_per_kernel_serves_every_algorithm_law_and_path():
    from theorylab.bandits import kernels as K

    seeds = repetition_seeds(5, "spec", 3)
    for env in (BernoulliBandit(MEANS), GaussianBandit(MEANS, 0.5), BetaBandit(MEANS, 2.0)):
        for alg in classic.REGRET_ALGORITHMS:
            if env.bounded or alg not in ("thompson", "exp3"):
                classic.run_regret(env, alg, 60, seeds)
        for alg in classic.BAI_ALGORITHMS:
            for fast in (True, False):
                classic.run_bai(env, alg, 60, seeds, fast=fast)
    assert len(K.index_policy_batch.signatures) == 1, K.index_policy_batch.signatures
    assert len(K.phase_batch.signatures) == 1, K.phase_batch.signatures
