"""SparseNet: the derived guarantee and the structural properties 1-8, 12 and 14 of the topic's property list."""

import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from theorylab.bandits.linear import kernels, reference
from theorylab.bandits.linear.algorithms import TIE_TOL, sparse_net, sparsenet_scan
from theorylab.bandits.linear.bounds import sparsenet_error_bound, sparsenet_query_bound
from theorylab.bandits.linear.instances import (linear_instance, random_sparse_instance, reed_solomon_needle,
                                                separation_instance)
from theorylab.bandits.linear.nets import axis_points, ball_net, direction_net, make_net, n_supports, supports
from theorylab.core.seeding import repetition_seeds
from theorylab.core.streams import init_states

from .conftest import sparse_problem

MODES = [("seq_optimistic", "ball"), ("consistent_optimistic", "ball"), ("best_empirical", "ball"),
         ("best_empirical", "direction")]


def seeds(n=3, key="test"):
    return repetition_seeds(0, key, n)


@settings(max_examples=25, deadline=None)
@given(problem=sparse_problem())
def test_property_noiseless_error_is_at_most_2eps_plus_2eps_net_for_every_mode_and_net(problem):
    K, d, s, eps, eps_net, kind, seed = problem
    inst = random_sparse_instance(K, d, s, eps, kind=kind, seed=seed)
    bound = sparsenet_error_bound(eps, eps_net) + 1e-12
    for mode, net in MODES:
        res = sparse_net(inst, s, seeds(2), mode=mode, net_kind=net, eps_net=eps_net)
        assert np.all(res.errors <= bound), (mode, net, res.errors.max(), bound)


@settings(max_examples=25, deadline=None)
@given(problem=sparse_problem())
def test_property_seq_queries_a_subset_and_agrees_with_consistent(problem):
    K, d, s, eps, eps_net, kind, seed = problem
    inst = random_sparse_instance(K, d, s, eps, kind=kind, seed=seed)
    out = {m: sparse_net(inst, s, seeds(3), mode=m, net_kind="ball", eps_net=eps_net, record_order=True)
           for m in ("seq_optimistic", "consistent_optimistic", "best_empirical")}
    seq, con, best = out["seq_optimistic"], out["consistent_optimistic"], out["best_empirical"]
    assert np.all(seq.queries <= con.queries) and np.array_equal(con.queries, best.queries)
    assert np.all((seq.info["query_rank"] >= 0) <= (con.info["query_rank"] >= 0))
    assert np.array_equal(seq.actions, con.actions)


@settings(max_examples=25, deadline=None)
@given(problem=sparse_problem(), mode=st.sampled_from(MODES))
def test_property_output_is_a_greedy_action_and_queries_are_bounded(problem, mode):
    K, d, s, eps, eps_net, kind, seed = problem
    inst = random_sparse_instance(K, d, s, eps, kind=kind, seed=seed)
    res = sparse_net(inst, s, seeds(2), mode=mode[0], net_kind=mode[1], eps_net=eps_net, record_order=True)
    scan = sparsenet_scan(inst.features, s, eps_net, mode[1])
    greedy = set(scan.g.tolist()) | set(scan.tie_idx.tolist())
    assert set(res.actions.tolist()) <= greedy
    assert np.all(res.info["query_rank"][np.arange(res.runs), res.actions] >= 0)
    assert np.all(res.queries <= sparsenet_query_bound(d, s, scan.net_size, K, res.info["m"]))
    assert np.all(res.info["n_greedy"] <= K)


@settings(max_examples=30, deadline=None)
@given(s=st.integers(1, 3), eps_net=st.floats(0.15, 0.6), seed=st.integers(0, 2**31 - 1))
def test_property_net_covers_the_ball_and_the_sphere_within_eps_net(s, eps_net, seed):
    rng = np.random.default_rng(seed)
    w = rng.normal(size=(200, s))
    unit = w / np.linalg.norm(w, axis=1, keepdims=True)
    inside = unit * rng.uniform(0, 1, size=(200, 1)) ** (1 / s)
    for pts, net in ((inside, ball_net(s, eps_net)), (unit, direction_net(s, eps_net))):
        dist = np.sqrt(((pts[:, None, :] - net[None, :, :]) ** 2).sum(axis=2)).min(axis=1)
        assert dist.max() <= eps_net + 1e-12
    n_ax = axis_points(s, eps_net, "direction")
    if s > 1:
        assert direction_net(s, eps_net).shape[0] == n_ax**s - (n_ax - 2) ** s


@settings(max_examples=25, deadline=None)
@given(problem=sparse_problem(max_K=80, max_d=6), c=st.floats(0.1, 10.0))
def test_property_greedy_action_is_invariant_to_positive_scaling(problem, c):
    K, d, s, eps, eps_net, kind, seed = problem
    inst = random_sparse_instance(K, d, s, eps, kind=kind, seed=seed)
    sup, net = supports(d, s), ball_net(min(s, d), eps_net)
    _, g1, *_ = kernels.scan_candidates(inst.features, sup, net, 0.0)
    _, g2, *_ = kernels.scan_candidates(inst.features, sup, c * net, 0.0)
    nonzero = np.repeat(np.linalg.norm(net, axis=1) > 0, 1)
    nonzero = np.tile(nonzero, sup.shape[0])
    assert np.array_equal(g1[nonzero], g2[nonzero])


@settings(max_examples=20, deadline=None)
@given(problem=sparse_problem(max_K=120, max_d=7), perm_seed=st.integers(0, 2**31 - 1))
def test_property_action_and_coordinate_permutations_give_the_same_error(problem, perm_seed):
    K, d, s, eps, eps_net, kind, seed = problem
    inst = random_sparse_instance(K, d, s, eps, kind=kind, seed=seed)
    rng = np.random.default_rng(perm_seed)
    pa, pc = rng.permutation(K), rng.permutation(d)
    moved = linear_instance(inst.features[pa][:, pc], inst.rewards[pa], inst.theta[pc], inst.eps)
    for mode, net in (("best_empirical", "direction"), ("seq_optimistic", "ball")):
        a = sparse_net(inst, s, seeds(1), mode=mode, net_kind=net, eps_net=eps_net)
        b = sparse_net(moved, s, seeds(1), mode=mode, net_kind=net, eps_net=eps_net)
        # continuous random features: no exact ties, so the outputs correspond exactly
        assert b.errors[0] == pytest.approx(a.errors[0], abs=1e-12)
        if mode == "best_empirical":
            assert pa[b.actions[0]] == a.actions[0]


@settings(max_examples=20, deadline=None)
@given(problem=sparse_problem())
def test_property_well_specified_error_is_at_most_2eps_net_and_zero_on_the_net(problem):
    K, d, s, _, eps_net, _, seed = problem
    base = random_sparse_instance(K, d, s, 0.0, seed=seed)
    res = sparse_net(base, s, seeds(2), mode="seq_optimistic", eps_net=eps_net)
    assert np.all(res.errors <= 2 * eps_net + 1e-12)
    # theta* on a grid point of the net (scaled into the ball): the exact candidate exists, error 0
    net = ball_net(min(s, d), eps_net)
    net = net[np.linalg.norm(net, axis=1) <= 1.0]
    u = net[np.random.default_rng(seed).integers(net.shape[0])]
    theta = np.zeros(d)
    theta[supports(d, s)[0]] = u
    inst = linear_instance(base.features, base.features @ theta, theta, 0.0)
    # best_empirical queries theta*'s own greedy action (the optimistic modes may stop earlier, within 2 eps_net)
    res = sparse_net(inst, s, seeds(2), mode="best_empirical", net_kind="ball", eps_net=eps_net)
    assert np.all(res.errors <= 1e-12)


def test_property_finer_nested_grids_never_shrink_the_greedy_set():
    inst = random_sparse_instance(500, 5, 2, 0.05, seed=4)
    sizes = []
    for n_ax in (3, 5, 9, 17):
        scan = sparsenet_scan(inst.features, 2, 0.05, "ball", n_ax=n_ax)
        sizes.append(np.unique(scan.g).size)
    assert sizes == sorted(sizes) and sizes[-1] > sizes[0]


@pytest.mark.parametrize("q, s, r", [(5, 2, 1), (7, 2, 1)])
def test_property_yao_bound_holds_for_every_seed_on_all_needle_positions(q, s, r):
    m = q ** (r + 1)
    for mode in ("best_empirical", "seq_optimistic"):
        found = np.zeros((3, m + 1))
        for i in range(m):
            res = sparse_net(reed_solomon_needle(q, s, r, i, 0.8), s, seeds(3, "yao"), mode=mode)
            for k in range(3):
                if res.actions[k] == i:
                    found[k, min(res.distinct[k], m)] += 1
        cum = np.cumsum(found, axis=1)
        assert np.all(cum <= np.arange(m + 1) + 1)


def test_separation_instance_sparsenet_s1_has_zero_error_and_at_most_2d_direction_queries():
    for d in (5, 17, 33):
        res = sparse_net(separation_instance(d, 0.02), 1, seeds(3), mode="best_empirical")
        assert np.all(res.errors == 0) and np.all(res.distinct <= 2 * d)


@settings(max_examples=15, deadline=None)
@given(problem=sparse_problem(max_K=100, max_d=6))
def test_scan_kernel_matches_the_blas_reference(problem):
    K, d, s, eps, eps_net, kind, seed = problem
    inst = random_sparse_instance(K, d, s, eps, kind=kind, seed=seed)
    for kind_net in ("ball", "direction"):
        sup, net = supports(d, s), make_net(min(s, d), eps_net, kind_net)
        got = kernels.scan_candidates(inst.features, sup, net, TIE_TOL)
        want = reference.scan_candidates(inst.features, sup, net, TIE_TOL, block=7)
        np.testing.assert_allclose(got[0], want[0], rtol=0, atol=1e-14)
        for a, b in zip(got[1:], want[1:]):
            assert np.array_equal(a, b)


@pytest.mark.parametrize("mode", ["best_empirical", "consistent_optimistic", "seq_optimistic"])
def test_selection_kernel_matches_the_reference_with_ties_and_noise(mode):
    inst = reed_solomon_needle(5, 2, 1, 7, 0.8).with_sigma(0.3)
    scan = sparsenet_scan(inst.features, 2, 0.4, "ball")
    assert scan.tie_cand.size > 0
    states = init_states(repetition_seeds(1, "select", 6))
    prio, z = kernels.run_draws(states.copy(), inst.K, inst.K)
    code = {"best_empirical": 0, "consistent_optimistic": 1, "seq_optimistic": 2}[mode]
    out = [np.empty(6, dtype=np.int64) for _ in range(4)]
    qr = np.empty((6, inst.K), dtype=np.int64)
    kernels.sparsenet_select(scan.v, scan.g, scan.tie_cand, scan.tie_ptr, scan.tie_idx, scan.order, scan.group_ptr,
                             inst.rewards, states, 0.1, code, 0.9, *out, qr)
    want = reference.sparsenet_select(scan.v, scan.g, scan.tie_cand, scan.tie_ptr, scan.tie_idx, scan.order,
                                      scan.group_ptr, inst.rewards, prio, z, 0.1, code, 0.9)
    for a, b in zip(out + [qr], want):
        assert np.array_equal(a, b)


def test_a_run_depends_on_its_own_seed_only_and_ties_are_broken_at_random():
    inst = reed_solomon_needle(5, 2, 1, 3, 0.8).with_sigma(0.5)
    all_seeds = repetition_seeds(0, "batch", 6)
    full = sparse_net(inst, 2, all_seeds, mode="best_empirical")
    part = sparse_net(inst, 2, all_seeds[3:], mode="best_empirical")
    assert np.array_equal(full.actions[3:], part.actions)
    # noiseless needle-free RS instance: every action ties at reward 0, the outputs vary with the seed
    flat = linear_instance(inst.features, np.zeros(inst.K), np.zeros(inst.d), 1.0)
    outs = sparse_net(flat, 2, repetition_seeds(0, "ties", 40), mode="best_empirical", eps_net=0.4).actions
    assert np.unique(outs).size > 5


def test_noisy_sample_size_and_query_count():
    inst = random_sparse_instance(60, 4, 1, 0.1, seed=2, sigma=0.2)
    res = sparse_net(inst, 1, seeds(2), mode="best_empirical")
    m = math.ceil(2 * 0.04 * math.log(2 * res.info["union"] / 0.05) / 0.01)
    assert res.info["m"] == m and np.array_equal(res.queries, m * res.distinct)


def test_n_supports_and_supports_agree():
    for d, s in ((5, 2), (6, 3), (3, 5)):
        assert supports(d, s).shape[0] == n_supports(d, s)


@pytest.mark.parametrize("kwargs, match", [
    ({"mode": "bad"}, "mode"),
    ({"net_kind": "direction", "mode": "seq_optimistic"}, "net_kind"),
    ({"eps_net": -0.1}, "eps_net"),
    ({"p": 1.5}, "p"),
    ({"tau": -1.0}, "tau"),
])
def test_sparse_net_refuses_bad_arguments(kwargs, match):
    inst = random_sparse_instance(20, 3, 1, 0.1, seed=0)
    with pytest.raises((ValueError, TypeError), match=match):
        sparse_net(inst, 1, seeds(1), **kwargs)


def test_sparse_net_refuses_bad_seeds_and_instances():
    inst = random_sparse_instance(20, 3, 1, 0.1, seed=0)
    with pytest.raises(TypeError, match="seeds"):
        sparse_net(inst, 1, [1, 2])
    with pytest.raises(ValueError, match="seeds"):
        sparse_net(inst, 1, [])
    with pytest.raises(TypeError, match="instance"):
        sparse_net(inst.features, 1, seeds(1))
