"""TB-ETC-periodic, our stand-in for the COLT 2022 tallying-bandit algorithm (docs/topics/tallying.md#tb-etc-periodic)."""

import itertools

import numpy as np
import pytest

from theorylab.bandits.tallying import kernels
from theorylab.bandits.tallying.algorithms import run_algorithm, tb_etc_periodic, tb_etc_samples
from theorylab.bandits.tallying.instances import learning_curve_instance, make_instance
from theorylab.bandits.tallying.reference import reference_tallies
from theorylab.core.seeding import repetition_seeds


def test_commit_dp_equals_brute_force_over_compositions():
    rng = np.random.default_rng(0)
    for _ in range(20):
        K, P = int(rng.integers(2, 4)), int(rng.integers(1, 6))
        S2, N2 = rng.random((K, P + 1)), np.ones((K, P + 1))
        N2[rng.random((K, P + 1)) < 0.2] = 0.0             # some cells without samples are excluded
        N2[0, :] = 1.0                                      # ... but one arm can always fill the period
        order = rng.permutation(K).astype(np.int64)
        sched, cnt = np.zeros(P, dtype=np.int64), np.zeros(K, dtype=np.int64)
        kernels.tb_commit(order, S2, N2, sched, cnt)
        best = np.inf
        for n in itertools.product(range(P + 1), repeat=K):
            if sum(n) == P and all(n[b] == 0 or N2[b, n[b]] > 0 for b in range(K)):
                best = min(best, sum(n[b] * S2[b, n[b]] / N2[b, n[b]] for b in range(K) if n[b]))
        got = sum(cnt[b] * S2[b, cnt[b]] / N2[b, cnt[b]] for b in range(K) if cnt[b])
        assert cnt.sum() == P and np.isclose(got, best)
        assert all(np.sum(sched == b) == cnt[b] for b in range(K))


@pytest.mark.parametrize("p, tau", [(0, 1), (1, 2), (2, 4)])
def test_exploration_period_has_the_target_count_and_constant_tallies(p, tau):
    K, P = 3, 4
    order = np.array([2, 0, 1], dtype=np.int64)
    sched, cnt = np.zeros(P, dtype=np.int64), np.zeros(K, dtype=np.int64)
    kernels.tb_schedule(order, p, tau, sched, cnt)
    assert cnt[order[p]] == tau and cnt.sum() == P
    for ic in (True, False):
        inst = make_instance(np.ones(P), ["linear"] * K, [[0.5, 0.0]] * K, ic)
        acts = np.tile(sched, 5)
        x = reference_tallies(inst, acts)
        assert np.all(x[P + 1:] == cnt[acts[P + 1:]])


@pytest.mark.parametrize("ic", [True, False])
def test_noise_free_tb_etc_commits_to_constant_play_of_the_best_arm(ic):
    """Under REO with unit weights and M = m the best period is a* M times (docs/topics/tallying.md)."""
    for seed in range(3):
        inst = learning_curve_instance(4, 5, seed=seed, include_current=ic, noise="deterministic")
        res = tb_etc_periodic(inst, 3000, repetition_seeds(0, ("tb", seed), 1), M=5, n_samples=2,
                              record_actions=True)
        assert np.all(res.actions[0, -200:] == inst.info["best"])


def test_exploration_length_is_what_the_cells_need():
    """Every (arm, count) cell gets n samples before the commit, so exploration takes at least
    sum_tau ceil(n / tau) periods for each arm's own cells, and the run commits before T here."""
    inst = learning_curve_instance(3, 4, seed=1, noise="deterministic")
    n = 6
    res = tb_etc_periodic(inst, 4000, repetition_seeds(0, "tb-len", 1), M=4, n_samples=n, record_actions=True)
    acts = res.actions[0]
    last_switch = int(np.nonzero(acts != acts[-1])[0].max()) + 1
    lower = 4 * sum(-(-n // tau) for tau in range(1, 5))    # arm order[0]'s cells alone, in periods of 4
    assert lower <= last_switch < 4000


def test_default_samples_and_bad_input():
    assert tb_etc_samples(5, 100_000, 10) == 159
    inst = learning_curve_instance(3, 2, seed=0)
    with pytest.raises(ValueError, match="n_samples"):
        tb_etc_periodic(inst, 10, repetition_seeds(0, "x", 1), M=2, n_samples=0)
    with pytest.raises(ValueError, match="M"):
        run_algorithm("tb_etc_periodic", inst, 10, repetition_seeds(0, "x", 1))
