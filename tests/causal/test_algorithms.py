"""Bandit kernels: per-run streams, the reference, the baselines' defining behaviour, validation."""

import numpy as np
import pytest
from scipy import stats

from theorylab.bandits.causal import reference as ref
from theorylab.bandits.causal.algorithms import run_algorithm
from theorylab.bandits.causal.instances import CausalSEM, random_instance
from theorylab.core.seeding import repetition_seeds, seed_sequence


def _insts(N, R, key):
    return [random_instance(N, seed_sequence(31, key, i)) for i in range(R)]


@pytest.mark.parametrize("name, kw", [("vanilla_ucb", {}), ("linsem_ts", {}), ("linsem_ucb", {}), ("csl_ucb", {"variant": "final"}),
                                      ("csl_ucb", {"variant": "paper_era"})])
def test_a_run_does_not_depend_on_its_batch(name, kw):
    insts = _insts(4, 3, "batch")
    seeds = repetition_seeds(0, "batch", 3)
    full = run_algorithm(name, insts, seeds, 120, **kw)
    one = run_algorithm(name, insts[1:2], seeds[1:2], 120, **kw)
    assert np.array_equal(full.actions[1], one.actions[0])
    assert np.array_equal(full.rewards[1], one.rewards[0])


def test_vanilla_ucb_tries_every_arm_once_first():
    inst = random_instance(5, seed_sequence(32, "ucb"))
    res = run_algorithm("vanilla_ucb", inst, repetition_seeds(0, "ucb", 2), 40)
    assert res.actions[:, :32].tolist() == [list(range(32))] * 2


def test_vanilla_ucb_kernel_and_reference_agree_in_distribution():
    inst = random_instance(3, seed_sequence(33, "ucbref"))
    R, T = 300, 60
    kern = run_algorithm("vanilla_ucb", inst, repetition_seeds(0, "ucbref", R), T).pseudo_regret[:, -1]
    refs = []
    for i in range(R):
        acts, _ = ref.vanilla_ucb(inst, T, np.random.default_rng(seed_sequence(1, "ucbref", i)))
        refs.append(np.sum(inst.rewards.max() - inst.rewards[acts]))
    assert stats.ks_2samp(kern, refs).pvalue > 1e-3


def test_csl_ucb_variants_share_the_exploration_phase_and_differ_only_after():
    insts = _insts(5, 4, "variants")
    seeds = repetition_seeds(0, "variants", 4)
    a = run_algorithm("csl_ucb", insts, seeds, 200, variant="final")
    b = run_algorithm("csl_ucb", insts, seeds, 200, variant="paper_era")
    # both explore uniformly until every sub-graph has N_ES = 20 samples: about 40-60 rounds for N = 5
    assert np.array_equal(a.actions[:, :30], b.actions[:, :30])


def test_csl_ucb_finds_the_optimum_of_a_strong_chain():
    inst = CausalSEM([[0, 1.5, 0], [0, 0, 1.5], [0, 0, 0]], [[0, -1.0, 0], [0, 0, -0.5], [0, 0, 0]])
    res = run_algorithm("csl_ucb", inst, repetition_seeds(0, "chain", 8), 300)
    assert res.optimal[:, -50:].mean() > 0.9
    assert np.all(res.extra["topology_fits"] >= 2)


def test_linsem_ts_concentrates_on_the_optimum():
    inst = CausalSEM([[0, 1.5, 0], [0, 0, 1.5], [0, 0, 0]], [[0, -1.0, 0], [0, 0, -0.5], [0, 0, 0]])
    res = run_algorithm("linsem_ts", inst, repetition_seeds(0, "ts", 8), 300)
    assert res.optimal[:, -50:].mean() > 0.9


def test_regret_bookkeeping():
    inst = random_instance(4, seed_sequence(34, "book"))
    res = run_algorithm("vanilla_ucb", inst, repetition_seeds(0, "book", 2), 30)
    assert np.allclose(res.pseudo_regret[:, -1], (inst.rewards.max() - inst.rewards[res.actions]).sum(axis=1))
    assert np.allclose(res.realised_regret[:, -1], (inst.rewards.max() - res.rewards).sum(axis=1))


def test_run_algorithm_validation():
    inst = random_instance(3, seed_sequence(35, "val"))
    seeds = repetition_seeds(0, "val", 2)
    with pytest.raises(ValueError, match="name"):
        run_algorithm("golem", inst, seeds, 10)
    with pytest.raises(ValueError, match="variant"):
        run_algorithm("csl_ucb", inst, seeds, 10, variant="paper")
    with pytest.raises(ValueError, match="horizon"):
        run_algorithm("csl_ucb", inst, seeds, 0)
    with pytest.raises(ValueError, match="instances"):
        run_algorithm("csl_ucb", [inst], seeds, 10)
    with pytest.raises(ValueError, match="options"):
        run_algorithm("csl_ucb", inst, seeds, 10, bogus=1)
    with pytest.raises(ValueError, match="n_es"):
        run_algorithm("csl_ucb", inst, seeds, 10, n_es=3)
    with pytest.raises(ValueError, match="seeds"):
        run_algorithm("vanilla_ucb", inst, [], 10)
    with pytest.raises(ValueError, match="options"):
        run_algorithm("linsem_ts", inst, seeds, 10, c=2)


@pytest.mark.parametrize("N, R, T", [(3, 20, 100), pytest.param(4, 60, 200, marks=pytest.mark.slow)])
def test_csl_ucb_kernel_and_reference_agree_in_distribution(N, R, T):
    inst = random_instance(N, seed_sequence(36, "cslref"))
    for variant in ("final", "paper_era"):
        kern = run_algorithm("csl_ucb", inst, repetition_seeds(0, "cslref", R), T, variant=variant).pseudo_regret[:, -1]
        refs = []
        for i in range(R):
            acts, _ = ref.csl_ucb(inst, T, np.random.default_rng(seed_sequence(2, "cslref", i)), variant=variant)
            refs.append(np.sum(inst.rewards.max() - inst.rewards[acts]))
        assert stats.ks_2samp(kern, refs).pvalue > 1e-3
        assert stats.mannwhitneyu(kern, refs).pvalue > 1e-3


def _two_systems(N, R, key):
    from theorylab.bandits.causal.instances import change_graph
    out = []
    for i in range(R):
        a = random_instance(N, seed_sequence(37, key, i))
        out.append([a, change_graph(a, 1, seed_sequence(38, key, i))[0]])
    return out


def test_environment_switches_at_the_change_time_and_regret_is_dynamic():
    systems = _two_systems(4, 3, "switch")
    res = run_algorithm("vanilla_ucb", systems, repetition_seeds(0, "switch", 3), 80, change_times=[0, 40])
    for r, (a, b) in enumerate(systems):
        assert np.allclose(res.best[r, :40], a.rewards.max()) and np.allclose(res.best[r, 40:], b.rewards.max())
        assert np.allclose(res.expected[r, 40:], b.rewards[res.actions[r, 40:]])
    assert res.extra["window"] == 10


def test_stationary_runs_are_unchanged_by_the_detector_being_off():
    insts = _insts(4, 2, "detoff")
    seeds = repetition_seeds(0, "detoff", 2)
    a = run_algorithm("csl_ucb", insts, seeds, 300)
    b = run_algorithm("csl_ucb", [[i] for i in insts], seeds, 300, change_times=[0], detect=False)
    assert np.array_equal(a.actions, b.actions) and not a.extra["resets"].any()


def test_detector_resets_after_a_change_and_not_before():
    systems = _two_systems(5, 6, "detect")
    res = run_algorithm("csl_ucb", systems, repetition_seeds(0, "detect", 6), 500, change_times=[0, 300])
    resets = res.extra["resets"]
    assert not resets[:, :201].any()                  # never before t_static
    assert resets[:, 300:].sum() > 0


def test_change_schedule_validation():
    inst = random_instance(3, seed_sequence(39, "sched"))
    seeds = repetition_seeds(0, "sched", 1)
    with pytest.raises(ValueError, match="change_times"):
        run_algorithm("vanilla_ucb", [[inst, inst]], seeds, 10, change_times=[5, 8])
    with pytest.raises(ValueError, match="one system per change time"):
        run_algorithm("vanilla_ucb", [[inst]], seeds, 10, change_times=[0, 5])
    other = CausalSEM(inst.B, inst.B_int, nu=inst.nu + 1)
    with pytest.raises(ValueError, match="share nu"):
        run_algorithm("vanilla_ucb", [[inst, other]], seeds, 10, change_times=[0, 5])


def test_linsem_ts_restart_on_change_only_matters_after_the_change():
    systems = _two_systems(4, 3, "restart")
    seeds = repetition_seeds(0, "restart", 3)
    a = run_algorithm("linsem_ts", systems, seeds, 160, change_times=[0, 80])
    b = run_algorithm("linsem_ts", systems, seeds, 160, change_times=[0, 80], restart_on_change=True)
    assert np.array_equal(a.actions[:, :80], b.actions[:, :80])
    assert not np.array_equal(a.actions[:, 80:], b.actions[:, 80:])
    assert b.extra["restart_on_change"] and not a.extra["restart_on_change"]


def test_exploration_rounds_marks_the_end_of_csl_ucbs_random_phase():
    # The CSL-UCB gap (docs/topics/causal.md#the-csl-ucb-gap) is measured with exploration_rounds: it must
    # be the kernel's phase boundary. From round L on, CSL-UCB holds its action until the next multiple of
    # F_est = 20 (its first selection happens at round L).
    from theorylab.bandits.causal.algorithms import exploration_rounds
    insts = _insts(5, 4, "phase")
    res = run_algorithm("csl_ucb", insts, repetition_seeds(0, "phase", 4), 200)
    L = exploration_rounds(res.actions, 5)
    assert (L > 2 * 20).all() and (L < 200).all()
    for r, l in enumerate(L):
        nxt = -(-l // 20) * 20
        if nxt > l:
            assert np.unique(res.actions[r, l:nxt]).size == 1
    with pytest.raises(ValueError, match="actions"):
        exploration_rounds(np.zeros((2, 2, 2), dtype=int), 2)


def test_linsem_ucb_indices_match_the_dense_reference():
    from theorylab.bandits.causal.bandit_kernels import linsem_ucb_indices
    rng = np.random.default_rng(seed_sequence(40, "ucbidx"))
    inst = random_instance(5, rng)
    W0 = inst.B + 0.1 * rng.standard_normal((5, 5)) * (inst.B != 0)
    W1 = inst.B_int + 0.1 * rng.standard_normal((5, 5)) * (inst.B_int != 0)
    lam0, lam1 = rng.uniform(0, 0.2, 5), rng.uniform(0, 0.2, 5)
    got = np.empty(32)
    linsem_ucb_indices(W0, W1, inst.nu, lam0, lam1, 2.5, inst.order, got)
    np.testing.assert_allclose(got, ref.linsem_ucb_indices(W0, W1, inst.nu, lam0, lam1, 2.5), rtol=1e-10, atol=1e-10)
    linsem_ucb_indices(W0, W1, inst.nu, lam0, lam1, 0.0, inst.order, got)     # beta = 0: the plain estimate
    np.testing.assert_allclose(got, [ref.mean_by_inverse(W0, W1, inst.nu, b)[-1] for b in range(32)], atol=1e-10)


def test_linsem_ucb_learns_its_regret_rate_falls():
    # With the substitute width the bonus is large (beta ~ 5-8 times ||c|| ||mu||), so LinSEM-UCB learns
    # slowly; the defining behaviour checked: regret per round falls and the optimal share grows.
    insts = [random_instance(4, seed_sequence(31, "lucb", i)) for i in range(8)]
    seeds = repetition_seeds(0, "lucb", 8)
    res = run_algorithm("linsem_ucb", insts, seeds, 600)
    pr = res.pseudo_regret
    assert (pr[:, -1] - pr[:, -201]).mean() < 0.8 * pr[:, 199].mean()
    assert res.optimal[:, -200:].mean() > res.optimal[:, :200].mean()
    assert res.extra["feature_bound"] is None and res.extra["weight_bound"] == 1.0
    with pytest.raises(ValueError, match="feature_bound"):
        run_algorithm("linsem_ucb", insts, seeds, 10, feature_bound=0.0)
    with pytest.raises(ValueError, match="LinSEM-UCB option"):
        run_algorithm("linsem_ucb", insts, seeds, 10, v=1.0)
