"""The per-step engine against the reference, the block fast path against the per-step engine, and the
properties of the model that need simulation (docs/topics/tallying.md#engine)."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from theorylab.bandits.tallying import block_kernels
from theorylab.bandits.tallying.algorithms import (batched_exp3, exp3, fewa, fixed_arm, plain_se, raw_ucb, swa,
                                                   tb_etc_periodic, ucb1, uniform_random, wtb_se)
from theorylab.bandits.tallying.exact import opt_fixed
from theorylab.bandits.tallying.hard_instances import hidden_practice_instance, unknown_memory_pair
from theorylab.bandits.tallying.instances import learning_curve_instance, make_instance, random_reo_instance
from theorylab.bandits.tallying.reference import block_sequence_loss, reference_run, reference_tallies
from theorylab.core.seeding import repetition_seeds
from theorylab.core.stats import t_interval
from theorylab.core.streams import init_states

T_REF = 250
_CASES = [
    ("wtb_se", lambda i, s, **k: wtb_se(i, T_REF, s, M=5, path="per_step", **k), dict(burn=5)),
    ("plain_se", lambda i, s, **k: plain_se(i, T_REF, s, **k), {}),
    ("wtb_se", lambda i, s, **k: wtb_se(i, T_REF, s, M=2, path="per_step", order="random", **k),
     dict(burn=2, shuffle=1)),
    ("ucb1", lambda i, s, **k: ucb1(i, T_REF, s, **k), {}),
    ("exp3", lambda i, s, **k: exp3(i, T_REF, s, **k), {}),
    ("batched_exp3", lambda i, s, **k: batched_exp3(i, T_REF, s, **k), dict(tau=7)),
    ("uniform", lambda i, s, **k: uniform_random(i, T_REF, s, **k), {}),
    ("swa", lambda i, s, **k: swa(i, T_REF, s, window=6, **k), dict(h=6)),
    ("raw_ucb", lambda i, s, **k: raw_ucb(i, T_REF, s, **k), {}),
    ("fewa", lambda i, s, **k: fewa(i, T_REF, s, **k), dict(alpha=4.0)),
    ("fixed", lambda i, s, **k: fixed_arm(i, T_REF, s, arm=1, **k), dict(fixed=1)),
    ("tb_etc_periodic", lambda i, s, **k: tb_etc_periodic(i, T_REF, s, M=4, n_samples=3, **k),
     dict(period=4, n_cell=3)),
    ("tb_etc_periodic", lambda i, s, **k: tb_etc_periodic(i, T_REF, s, M=3, n_samples=2, order="random", **k),
     dict(period=3, n_cell=2, shuffle=1)),
]


@pytest.mark.parametrize("ic", [True, False])
@pytest.mark.parametrize("noise", ["bernoulli", "gaussian"])
@pytest.mark.parametrize("name, run, cfg", _CASES, ids=[c[0] + ("-random-order" if c[2].get("shuffle") else "")
                                                        for c in _CASES])
def test_kernel_gives_the_reference_numbers_for_the_same_seed(name, run, cfg, ic, noise):
    inst = random_reo_instance(3, 4, 11, include_current=ic, noise=noise, sigma=0.3 if noise == "gaussian" else 0.0)
    if noise == "gaussian" and name in ("wtb_se", "plain_se"):
        cfg = dict(cfg, width=0.6)                  # radius width 2 sigma
    seeds = repetition_seeds(0, ("ref", name), 3)
    res = run(inst, seeds, record_actions=True, ckpt=np.arange(1, T_REF + 1))
    states = init_states(seeds)
    for k in range(3):
        acts, loss_run, realised, bad = reference_run(name, inst, T_REF, states[k], **cfg)
        assert np.array_equal(acts, res.actions[k])
        assert np.allclose(loss_run, res.pseudo[k], atol=1e-9)
        assert abs(realised - res.realised[k]) < 1e-9
        assert bad == res.bad_kept[k]


def test_random_order_removes_the_dependence_on_arm_labels():
    """With order="random" the first arm played is uniform over arms (Clopper-Pearson, 400 runs)."""
    from theorylab.core.stats import clopper_pearson

    inst = learning_curve_instance(4, 3, seed=0)
    res = wtb_se(inst, 40, repetition_seeds(0, "order", 400), M=3, path="per_step", order="random",
                 record_actions=True)
    for a in range(4):
        iv = clopper_pearson(int(np.sum(res.actions[:, 0] == a)), 400, alpha=0.001 / 4)
        assert iv.low <= 0.25 <= iv.high
    blocks = wtb_se(inst, 5000, repetition_seeds(0, "order-b", 50), M=3, order="random").final()
    steps = wtb_se(inst, 5000, repetition_seeds(0, "order-b", 50), M=3, order="random", path="per_step").final()
    assert abs(blocks.mean() - steps.mean()) <= 4 * np.sqrt(blocks.var() / 50 + steps.var() / 50)


def test_a_run_does_not_depend_on_its_batch():
    inst = learning_curve_instance(4, 5, seed=3)
    seeds = repetition_seeds(0, "batch", 6)
    for path in ("blocks", "per_step"):
        full = wtb_se(inst, 5000, seeds, M=5, path=path)
        part = wtb_se(inst, 5000, seeds[2:4], M=5, path=path)
        assert np.array_equal(full.pseudo[2:4], part.pseudo)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), ic=st.booleans(), m=st.integers(1, 6),
       blocks=st.lists(st.tuples(st.integers(0, 2), st.integers(1, 12)), min_size=1, max_size=8))
def test_block_closed_form_equals_the_per_step_simulation(seed, ic, m, blocks):
    """Property 8.3: head step by step, then (L - h) mu_a, for any blocks (shorter than m, repeats)."""
    inst = random_reo_instance(3, m, seed, include_current=ic)
    lw, codes, params, table, W, noise, sigma = inst.kernel_arrays()
    hist = np.full(inst.m, -1, dtype=np.int64)
    hl = np.zeros(inst.m + 1)
    head, s, total = 0, np.uint64(1), 0.0
    for a, L in blocks:
        s, head, h, *_ = block_kernels.block_head(lw, codes, params, table, W, hist, head, a, L, L, noise, sigma, s, hl)
        s = np.uint64(s)
        total += hl[:h].sum() + (L - h) * inst.full_means[a]
    ref = block_sequence_loss(inst, [a for a, _ in blocks], [L for _, L in blocks])
    assert abs(total - ref) <= 1e-9 * max(1.0, ref)


@pytest.mark.parametrize("ic", [True, False])
def test_block_path_equals_per_step_path_under_deterministic_losses(ic):
    for seed in range(4):
        inst = random_reo_instance(4, 5, seed, include_current=ic, noise="deterministic")
        sd = repetition_seeds(0, "det", 2)
        a = wtb_se(inst, 6000, sd, M=7, path="blocks")
        b = wtb_se(inst, 6000, sd, M=7, path="per_step")
        assert np.allclose(a.pseudo, b.pseudo, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("ic", [True, False])
def test_block_path_agrees_in_distribution_with_the_per_step_path(ic):
    inst = learning_curve_instance(4, 6, seed=2, include_current=ic)
    a = wtb_se(inst, 4000, repetition_seeds(0, "dist-a", 200), M=6, path="blocks").final()
    b = wtb_se(inst, 4000, repetition_seeds(0, "dist-b", 200), M=6, path="per_step").final()
    diff = t_interval(a, alpha=0.001).estimate - t_interval(b, alpha=0.001).estimate
    se = np.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
    assert abs(diff) <= 3.3 * se        # two-sample z at alpha = 0.001


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), ic=st.booleans(), m=st.integers(1, 6), extra=st.integers(0, 6))
def test_tally_lies_in_its_range_and_is_full_iff_every_lag_holds_the_arm(seed, ic, m, extra):
    """Property 8.1 on the action sequences UCB1 produces (it switches often)."""
    inst = random_reo_instance(3, m, seed, include_current=ic)
    res = ucb1(inst, 80 + extra, repetition_seeds(seed, "tally", 1), record_actions=True)
    acts = res.actions[0]
    x = reference_tallies(inst, acts)
    assert np.all(x >= inst.min_tally - 1e-12) and np.all(x <= inst.W + 1e-12)
    lags = range(0 if ic else 1, m if ic else m + 1)
    for t in range(m + 1, acts.size):
        every = all(acts[t - i] == acts[t] for i in lags)
        assert (x[t] == inst.W) == every


@pytest.mark.parametrize("ic", [True, False])
def test_every_kept_sample_has_full_tally_when_M_ge_m_and_not_when_M_lt_m(ic):
    """Property 8.5, with the negative test: a burn-in below the warm-up keeps partial-tally samples."""
    for seed in range(3):
        inst = learning_curve_instance(3, 6, seed=seed, include_current=ic)
        sd = repetition_seeds(seed, "burn", 4)
        for path in ("blocks", "per_step"):
            assert np.all(wtb_se(inst, 3000, sd, M=6, path=path).bad_kept == 0)
            assert np.all(wtb_se(inst, 3000, sd, M=9, path=path).bad_kept == 0)
            assert np.all(wtb_se(inst, 3000, sd, M=6, burn_in=inst.warmup - 1, path=path).bad_kept > 0)
        assert np.all(wtb_se(inst, 3000, sd, M=6, burn_in=inst.warmup, path="per_step").bad_kept == 0)


@pytest.mark.parametrize("ic", [True, False])
def test_noise_free_wtb_se_never_eliminates_the_best_arm(ic):
    """Property 8.6: deterministic losses, the play settles on a* (gaps >= 0.3 so elimination ends by T)."""
    for seed in range(6):
        inst = random_reo_instance(4, 4, seed, include_current=ic, noise="deterministic", margin=0.3)
        res = wtb_se(inst, 20000, repetition_seeds(seed, "nf", 1), M=5, path="per_step", record_actions=True)
        assert res.actions[0, -1] == inst.info["best"]


@pytest.mark.parametrize("ic", [True, False])
def test_structural_counts_of_wtb_se(ic):
    """Property 8.7: T plays, a bounded number of switches, the active set only shrinks."""
    inst = learning_curve_instance(5, 4, seed=1, include_current=ic)
    T = 20000
    res = wtb_se(inst, T, repetition_seeds(0, "count", 5), M=6, path="per_step", record_actions=True)
    for acts in res.actions:
        assert acts.size == T
        switches = int(np.sum(acts[1:] != acts[:-1]))
        assert switches <= inst.K * (int(np.ceil(np.log2(T))) + 2)
        seen_after = [set(acts[i:]) for i in range(0, T, 1000)]
        assert all(b <= a for a, b in zip(seen_after, seen_after[1:]))


@pytest.mark.parametrize("ic", [True, False])
def test_relabelling_arms_permutes_the_actions_and_keeps_the_cpr(ic):
    """Property 8.8: relabel f and the epoch order together, same stream."""
    inst = learning_curve_instance(4, 5, seed=4, include_current=ic)
    perm = np.array([2, 0, 3, 1])                 # new arm j is old arm perm[j]
    inv = np.argsort(perm)
    sd = repetition_seeds(0, "relabel", 3)
    a = wtb_se(inst, 5000, sd, M=5, path="per_step", record_actions=True)
    b = wtb_se(inst.relabel(perm), 5000, sd, M=5, path="per_step", record_actions=True, order=inv)
    assert np.array_equal(perm[b.actions], a.actions)
    assert np.allclose(a.cpr_const(), b.cpr_const(), atol=1e-9)


@pytest.mark.parametrize("ic", [True, False])
def test_scaling_the_weights_leaves_losses_and_cpr_unchanged(ic):
    """Property 8.9: w -> c w with f defined on u = x / W is the same instance."""
    inst = learning_curve_instance(3, 5, seed=5, weights="exponential", include_current=ic)
    fams = ["exp_curve"] * 3
    scaled = make_instance(inst.weights * 4.0, fams, [p[:3] for p in inst.params], ic)
    sd = repetition_seeds(0, "scale", 3)
    a = wtb_se(inst, 3000, sd, M=5, path="per_step", record_actions=True)
    b = wtb_se(scaled, 3000, sd, M=5, path="per_step", record_actions=True)
    assert np.array_equal(a.actions, b.actions)
    assert np.allclose(a.cpr_const(), b.cpr_const(), atol=1e-9)


def test_periodic_schedules_have_constant_unweighted_tallies():
    """Property 8.11: in an m-periodic sequence the tally of a play is its arm's count per period."""
    rng = np.random.default_rng(0)
    for _ in range(10):
        m = int(rng.integers(2, 7))
        period = rng.integers(0, 3, size=m)
        inst = make_instance(np.ones(m), ["linear"] * 3, [[0.5, 0.0]] * 3, True)
        acts = np.tile(period, 6)
        x = reference_tallies(inst, acts)
        for t in range(m, acts.size):
            assert x[t] == np.sum(period == acts[t])


@pytest.mark.parametrize("ic", [True, False])
def test_lower_bound_instances_cost_at_least_the_formulas(ic):
    """Property 8.13 with deterministic losses."""
    K, m = 4, 5
    warm = m - 1 if ic else m
    vals = []
    for best in range(K):
        inst = hidden_practice_instance(K, m, best, include_current=ic)
        vals.append(wtb_se(inst, 600, repetition_seeds(0, "lb", 1), M=m).final()[0])
    assert np.mean(vals) >= warm * (K - 1) / 2
    small, _ = unknown_memory_pair(30, include_current=ic)
    assert wtb_se(small, 3000, repetition_seeds(0, "lb2", 1), M=30).final()[0] >= 29 / 2


def test_m1_cpr_equals_classical_pseudo_regret():
    """Property 8.10 (the claim tallying.m1_reduction checks it at larger size)."""
    inst = learning_curve_instance(4, 1, seed=9)
    res = ucb1(inst, 2000, repetition_seeds(0, "m1", 3), record_actions=True)
    mu = inst.full_means
    assert np.allclose(res.final("const"), (mu[res.actions] - mu.min()).sum(axis=1), atol=1e-9)


def test_fixed_best_arm_has_zero_cpr_against_the_fixed_comparator():
    inst = learning_curve_instance(4, 6, seed=0, include_current=False)
    res = fixed_arm(inst, 500, repetition_seeds(0, "fx", 2), arm=inst.info["best"], ckpt=np.arange(1, 501))
    # early on a fresh arm can be the better fixed arm; from the warm-up on a* is the comparator
    assert np.allclose(res.final("const"), 0.0, atol=1e-9)
    G = opt_fixed(inst, 500)
    assert np.all(res.pseudo[0] >= G - 1e-9)


@pytest.mark.parametrize("call, name", [
    (lambda i: wtb_se(i, 0, repetition_seeds(0, "x", 1), M=2), "T"),
    (lambda i: wtb_se(i, 10, repetition_seeds(0, "x", 1), M=0), "M"),
    (lambda i: wtb_se(i, 10, 5, M=2), "seeds"),
    (lambda i: wtb_se(i, 10, repetition_seeds(0, "x", 1), M=2, path="fast"), "path"),
    (lambda i: wtb_se(i, 10, repetition_seeds(0, "x", 1), M=2, order=[0, 0, 1]), "order"),
    (lambda i: wtb_se(i, 10, repetition_seeds(0, "x", 1), M=2, record_actions=True), "record_actions"),
    (lambda i: batched_exp3(i, 10, repetition_seeds(0, "x", 1), tau=0), "tau"),
    (lambda i: fixed_arm(i, 10, repetition_seeds(0, "x", 1), arm=3), "arm"),
])
def test_entry_points_reject_bad_input_naming_the_parameter(call, name):
    inst = learning_curve_instance(3, 2, seed=0)
    with pytest.raises((ValueError, TypeError), match=name):
        call(inst)
