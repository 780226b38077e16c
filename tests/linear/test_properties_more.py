"""Hypothesis versions of spec section 8 items 11 (RS needles), 12 (Yao bound per seed, every algorithm),
14 (nested grids) and the PhasedElimG regret bound on its event (the phased_regret claim's per-run fact)."""

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from theorylab.bandits.linear import bounds
from theorylab.bandits.linear.algorithms import (design_ls, exhaustive, g_optimal_design, span_coordinates,
                                                 sparse_net, sparsenet_scan)
from theorylab.bandits.linear.instances import random_sparse_instance, reed_solomon_needle, reed_solomon_supports
from theorylab.bandits.linear.phased import phased_elimination
from theorylab.core.seeding import repetition_seeds


@st.composite
def rs_shape(draw, max_m=400):
    q = draw(st.sampled_from([2, 3, 5, 7]))
    s = draw(st.integers(1, q))
    r = draw(st.integers(0, s - 1).filter(lambda r: q ** (r + 1) <= max_m))
    return q, s, r


@settings(max_examples=25, deadline=None)
@given(shape=rs_shape(), delta=st.floats(0.05, 1.0), data=st.data())
def test_property_reed_solomon_needle_supports_overlaps_and_misspecification(shape, delta, data):
    q, s, r = shape
    m = q ** (r + 1)
    needle = data.draw(st.integers(0, m - 1))
    inst = reed_solomon_needle(q, s, r, needle, delta)
    sup = reed_solomon_supports(q, s, r)
    assert all(len(set(row)) == s for row in sup.tolist())
    if m > 1:
        assert max(len(set(a) & set(b)) for a, b in itertools.combinations(sup.tolist(), 2)) <= r
    np.testing.assert_allclose(np.linalg.norm(inst.features, axis=1), 1.0)
    assert inst.sparsity == s
    assert np.abs(inst.misspecification).max() <= delta * r / s + 1e-12
    assert inst.rewards.argmax() == needle and np.isclose(inst.rewards.max(), delta)


@settings(max_examples=10, deadline=None)
@given(shape=rs_shape(max_m=49).filter(lambda t: t[1] <= 3), seed=st.integers(0, 2**31 - 1),
       algorithm=st.sampled_from(["sparse_net/best", "sparse_net/seq", "design_ls", "exhaustive"]))
def test_property_yao_bound_for_every_seed_and_algorithm(shape, seed, algorithm):
    # noiseless, uniformly placed needle: #{positions found with <= Q distinct queries} <= Q + 1 for every Q
    q, s, r = shape
    m = q ** (r + 1)
    seeds = repetition_seeds(seed, "yao-prop", 2)
    des = g_optimal_design(span_coordinates(reed_solomon_needle(q, s, r, 0, 0.8).features)) \
        if algorithm == "design_ls" else None
    found = np.zeros((2, m + 1))
    for i in range(m):
        inst = reed_solomon_needle(q, s, r, i, 0.8)
        if algorithm.startswith("sparse_net"):
            res = sparse_net(inst, s, seeds, mode="best_empirical" if algorithm.endswith("best") else "seq_optimistic",
                             eps_net=0.5)
        elif algorithm == "design_ls":
            res = design_ls(inst, seeds, design=des)
        else:
            res = exhaustive(inst, seeds)
        for k in range(2):
            if res.actions[k] == i:
                found[k, min(res.distinct[k], m)] += 1
    assert np.all(np.cumsum(found, axis=1) <= np.arange(m + 1) + 1)


@settings(max_examples=10, deadline=None)
@given(K=st.integers(20, 300), d=st.integers(2, 6), s=st.integers(1, 2), n_ax=st.integers(2, 4),
       seed=st.integers(0, 10**6))
def test_property_nested_finer_grids_never_shrink_the_greedy_set(K, d, s, n_ax, seed):
    # n_ax -> 2 n_ax - 1 keeps every grid point (the grids nest), so the candidate set only grows
    inst = random_sparse_instance(K, d, min(s, d), 0.05, seed=seed)
    sizes = []
    for n in (n_ax, 2 * n_ax - 1, 4 * n_ax - 3):
        scan = sparsenet_scan(inst.features, min(s, d), 0.05, "ball", n_ax=n)
        sizes.append(np.unique(scan.g).size)
    assert sizes == sorted(sizes)


@settings(max_examples=10, deadline=None)
@given(K=st.integers(5, 40), d=st.integers(2, 5), sigma=st.floats(0.05, 1.0), seed=st.integers(0, 10**6),
       horizon=st.integers(200, 20000))
def test_property_phased_regret_is_below_its_bound_whenever_the_event_held(K, d, sigma, seed, horizon):
    inst = random_sparse_instance(K, d, d, 0.0, seed=seed, sigma=sigma)
    res = phased_elimination(inst, horizon, repetition_seeds(seed, "pe-prop", 6), p=0.05)
    played = res.info["played"]
    bound = bounds.phased_regret_bound(played, float(inst.best_reward - inst.rewards.min()))
    # the bound needs the event in every phase whose estimate was used (all but each run's last phase)
    used = [res.event[k, :max(int(res.phases[k]) - 1, 0)].all() for k in range(res.regret.size)]
    assert (played.sum(axis=1) == horizon).all()
    assert all(res.regret[k] <= bound[k] + 1e-9 for k in range(res.regret.size) if used[k])
