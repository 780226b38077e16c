"""GOLEM-MAB: phases, commit rule, the mixed-reward solve, the full-vector change statistic, restarts, seeds."""

import numpy as np
import pytest
from scipy.stats import multivariate_normal

from theorylab.bandits.causal.algorithms import RunResult
from theorylab.bandits.causal.golem import _postprocess_kernel, postprocess
from theorylab.bandits.causal.golem_mab import full_vector_llr, mixed_rewards, run_golem_mab
from theorylab.bandits.causal.instances import CausalSEM, random_instance
from theorylab.core.seeding import repetition_seeds, seed_sequence

FAST = {"n_learn": 60, "iterations": 1500, "lr": 2e-2}


def _chain():
    """0 -> 1 -> 2 with strong weights; intervening on 2 flips the sign of its parent weight."""
    return CausalSEM([[0, 1.5, 0], [0, 0, 1.2], [0, 0, 0]], [[0, 0.8, 0], [0, 0, -1.5], [0, 0, 0]])


def test_phases_commit_and_result_type():
    inst = _chain()
    res = run_golem_mab(inst, repetition_seeds(0, "test.gm.phases", 3), 200, **FAST)
    assert isinstance(res, RunResult) and res.algorithm == "golem_mab"
    assert res.actions.shape == (3, 200)
    assert np.all(res.actions[:, :60] == 0) and np.all(res.actions[:, 60:120] == 7)
    for r in range(3):
        assert len(set(res.actions[r, 120:].tolist())) == 1          # commits
    assert np.all(res.optimal[:, 120:])                              # strong graph: the optimum is found
    assert res.extra["fits"].tolist() == [2, 2, 2] and res.extra["restarts"].sum() == 0
    assert np.allclose(res.pseudo_regret[:, -1], (res.best - res.expected).sum(axis=1))


def test_mixed_rewards_equal_the_instance_rewards_on_the_true_weights():
    inst = random_instance(6, seed_sequence(0, "test.gm.mixed"))
    assert np.allclose(mixed_rewards(inst.B, inst.B_int, inst.nu), inst.rewards, rtol=1e-12)


def test_mixed_rewards_cyclic_and_singular():
    W0 = np.array([[0, 0.5], [0, 0]])
    W1 = np.array([[0, 0.0], [0.4, 0]])            # mixing gives a 2-cycle for bits (1, 0): col 0 from W1
    r = mixed_rewards(W0, W1, [1.0, 1.0])
    Ba = np.array([[0, 0.5], [0.4, 0]])
    assert np.isclose(r[2], np.linalg.solve(np.eye(2) - Ba.T, [1.0, 1.0])[1])
    S1 = np.array([[0, 0.0], [2.0, 0]])            # I - B_a singular: 1 - 0.5 * 2 = 0
    assert mixed_rewards(W0, S1, [1.0, 1.0])[2] == -np.inf


def test_full_vector_llr_is_the_gaussian_log_likelihood_ratio():
    rng = np.random.default_rng(3)
    N, w = 4, 20
    B = np.triu(rng.normal(size=(N, N)), 1)
    sigma = np.array([1.0, 0.5, 2.0, 1.0])
    nu = rng.normal(size=N)
    X = rng.normal(size=(w, N)) * 1.3 + 0.2
    C = np.linalg.inv(np.eye(N) - B)
    model = multivariate_normal(C.T @ nu, C.T @ np.diag(sigma**2) @ C)
    fit = multivariate_normal(X.mean(0), np.cov(X.T, ddof=1))
    expected = (fit.logpdf(X) - model.logpdf(X)).sum() / (w * N)
    assert np.isclose(full_vector_llr(X, B, nu, sigma), expected, rtol=1e-10)
    with pytest.raises(ValueError, match="w > N"):
        full_vector_llr(X[:4], B, nu, sigma)


def test_detector_restarts_after_a_large_change_and_not_without_one():
    inst = _chain()
    # the optimum (bits of nodes 1, 2 off) uses B's column of node 2; the change multiplies its weight by 8
    changed = CausalSEM([[0, 1.5, 0], [0, 0, 10.0], [0, 0, 0]], inst.B_int)
    kw = dict(FAST, n_learn=40)
    res = run_golem_mab([[inst, changed]] * 2, repetition_seeds(0, "test.gm.change", 2), 400,
                        change_times=[0, 150], **kw)
    assert np.all(res.actions[:, 100] % 4 == 0)                      # committed to an optimum before the change
    first = [int(np.argmax(r)) if r.any() else -1 for r in res.extra["restarts"]]
    assert all(150 <= f <= 175 for f in first), first
    assert np.all(res.actions[np.arange(2), np.array(first)] == 0)   # back to exploration
    quiet = run_golem_mab(inst, repetition_seeds(0, "test.gm.quiet", 2), 400, detect=True, **kw)
    assert quiet.extra["restarts"].sum() == 0


def test_runs_do_not_depend_on_the_batch():
    insts = [random_instance(4, seed_sequence(0, "test.gm.batch", i)) for i in range(3)]
    seeds = repetition_seeds(0, "test.gm.batch.runs", 3)
    both = run_golem_mab(insts, seeds, 150, **FAST)
    alone = run_golem_mab(insts[2], seeds[2:], 150, **FAST)
    assert np.array_equal(both.actions[2], alone.actions[0]) and np.array_equal(both.rewards[2], alone.rewards[0])


def test_postprocess_kernel_equals_postprocess_without_ties():
    rng = np.random.default_rng(5)
    for _ in range(20):
        W = rng.normal(size=(6, 6))
        np.fill_diagonal(W, 0)
        K = W.copy()
        _postprocess_kernel(np.uint64(1), K, 0.3)
        assert np.array_equal(K, postprocess(W))


def test_validation():
    inst = _chain()
    seeds = repetition_seeds(0, "test.gm.bad", 1)
    with pytest.raises(ValueError, match="unknown GOLEM-MAB"):
        run_golem_mab(inst, seeds, 10, window=3)
    with pytest.raises(ValueError, match="n_learn"):
        run_golem_mab(inst, seeds, 10, n_learn=2)
    with pytest.raises(ValueError, match="w_det"):
        run_golem_mab(inst, seeds, 10, w_det=3)
    with pytest.raises(ValueError, match="change_times"):
        run_golem_mab(inst, seeds, 10, change_times=[5])
    with pytest.raises(ValueError, match="seeds"):
        run_golem_mab(inst, [], 10)


def test_run_algorithm_dispatches_golem_mab():
    from theorylab.bandits.causal.algorithms import run_algorithm
    from theorylab.bandits.causal.golem_mab import run_golem_mab
    from theorylab.bandits.causal.instances import random_instance
    from theorylab.core.seeding import repetition_seeds, seed_sequence

    inst = random_instance(4, seed_sequence(0, "dispatch"))
    a = run_algorithm("golem_mab", inst, repetition_seeds(0, "dispatch", 2), 60, n_learn=20, iterations=100)
    b = run_golem_mab(inst, repetition_seeds(0, "dispatch", 2), 60, n_learn=20, iterations=100)
    assert a.algorithm == "golem_mab"
    assert (a.actions == b.actions).all() and (a.rewards == b.rewards).all()
