"""Instances: validation, the generator's law, algebra of mu_a, sampling and the change model (spec properties first)."""

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from theorylab.bandits.causal.instances import (CausalSEM, action_bits, action_index, change_graph, expected_means,
                                                random_instance)
from theorylab.bandits.causal.reference import mean_by_inverse
from theorylab.core.seeding import seed_sequence


def _upper_pair(seed, N):
    rng = np.random.default_rng(seed)
    B = np.triu(rng.normal(size=(N, N)) * (rng.random((N, N)) < 0.5), 1)
    BI = np.triu(rng.normal(size=(N, N)) * (rng.random((N, N)) < 0.5), 1)
    return B, BI, rng


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 6))
def test_substitution_equals_dense_solve_and_mean_equals_nilpotent_series(seed, N):
    B, BI, rng = _upper_pair(seed, N)
    inst = CausalSEM(B, BI, rng.normal(size=N), np.ones(N))
    k = int(rng.integers(0, 2**N))
    a = action_bits(N, k)
    Ba = inst.mixed(a)
    eps = rng.normal(size=N)
    x = inst.substitute(a[None, :], eps[None, :])[0]
    assert np.allclose(x, np.linalg.solve(np.eye(N) - Ba.T, eps), atol=1e-9)
    series = sum(np.linalg.matrix_power(Ba.T, ell) for ell in range(N)) @ inst.nu
    assert np.allclose(inst.means(k)[0], series, atol=1e-9)
    assert np.isclose(inst.rewards[k], mean_by_inverse(B, BI, inst.nu, k)[-1], atol=1e-9)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 6))
def test_root_bit_and_bits_of_unchanged_columns_never_change_mu(seed, N):
    B, BI, rng = _upper_pair(seed, N)
    j = int(rng.integers(1, N))
    BI[:, j] = B[:, j]                      # node j's intervention changes nothing
    inst = CausalSEM(B, BI)
    mu = inst.means()
    bits = action_bits(N)
    for flip in (0, j):                     # node 0 has no parents in either matrix
        partner = bits.copy()
        partner[:, flip] ^= 1
        idx = np.array([action_index(b) for b in partner])
        assert np.allclose(mu, mu[idx], atol=1e-9)


@given(st.integers(1, 12), st.data())
def test_action_index_round_trip_msb_is_node_0(N, data):
    k = data.draw(st.integers(0, 2**N - 1))
    bits = action_bits(N, k)
    assert action_index(bits) == k
    assert bits[0] == (k >> (N - 1)) & 1


def test_generator_law():
    for i in range(20):
        inst = random_instance(8, seed_sequence(3, "gen", i))
        for m in (inst.B, inst.B_int):
            assert np.all(np.tril(m) == 0)
            nz = np.abs(m[m != 0])
            assert np.all((nz >= 0.5) & (nz <= 2.0))
        for n in range(1, 8):
            assert not np.array_equal(inst.B[:, n], inst.B_int[:, n])
        union = nx.DiGraph(((inst.B != 0) | (inst.B_int != 0)).astype(int))
        assert nx.is_directed_acyclic_graph(union)


def test_generator_edge_density_and_signs():
    vals = np.concatenate([random_instance(10, seed_sequence(4, "dens", i)).B[np.triu_indices(10, 1)]
                           for i in range(60)])
    p = np.mean(vals != 0)                   # 2700 entries, sd of p about 0.01
    assert abs(p - 0.5) < 0.05
    assert abs(np.mean(vals[vals != 0] > 0) - 0.5) < 0.06


def test_simulated_mean_matches_mu_within_5_standard_errors():
    inst = random_instance(5, seed_sequence(5, "mean"))
    rng = np.random.default_rng(0)
    for k in (0, 7, 31):
        X = inst.sample(np.full(20_000, k), rng)
        se = X.std(axis=0, ddof=1) / np.sqrt(X.shape[0])
        assert np.all(np.abs(X.mean(axis=0) - inst.means(k)[0]) <= 5 * se + 1e-12)


def test_change_graph_strict_exit_and_only_col_columns_change_in_the_used_matrix():
    for i in range(15):
        inst = random_instance(7, seed_sequence(6, "chg", i))
        opt = inst.optimal_actions()
        bits = action_bits(7, opt)
        col = np.flatnonzero(np.all(bits == bits[0], axis=0))
        new, nodes = change_graph(inst, 2, seed_sequence(6, "chg-draw", i))
        assert new.rewards[opt].max() < new.rewards.max()
        assert 0 not in col                   # node 0's bit is free in the optimal set
        for n in range(7):
            dB = not np.array_equal(new.B[:, n], inst.B[:, n])
            dBI = not np.array_equal(new.B_int[:, n], inst.B_int[:, n])
            if dB or dBI:
                assert n in col and n in nodes
                assert (dB, dBI) == ((True, False) if bits[0, n] == 0 else (False, True))


def test_change_graph_empty_changeable_set_is_an_error():
    # every optimal action set disagrees on every node: only possible if all actions tie
    inst = CausalSEM(np.zeros((2, 2)), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="empty changeable set"):
        change_graph(inst, 1, np.random.default_rng(0))


@pytest.mark.parametrize("kwargs, exc, word", [
    ({"B": np.zeros((2, 3)), "B_int": np.zeros((2, 3))}, ValueError, "B"),
    ({"B": np.eye(2), "B_int": np.zeros((2, 2))}, ValueError, "diagonal"),
    ({"B": [[0, 1], [1, 0]], "B_int": np.zeros((2, 2))}, ValueError, "acyclic"),
    ({"B": [[0, 1], [0, 0]], "B_int": [[0, 0], [1, 0]]}, ValueError, "acyclic"),
    ({"B": np.zeros((2, 2)), "B_int": np.zeros((3, 3))}, ValueError, "B_int"),
    ({"B": np.zeros((2, 2)), "B_int": np.zeros((2, 2)), "sigma": [1.0, 0.0]}, ValueError, "sigma"),
    ({"B": np.zeros((2, 2)), "B_int": np.zeros((2, 2)), "nu": [1.0]}, ValueError, "nu"),
    ({"B": [[0, np.nan], [0, 0]], "B_int": np.zeros((2, 2))}, ValueError, "B"),
    ({"B": "x", "B_int": np.zeros((2, 2))}, TypeError, "B"),
])
def test_constructor_validation_names_the_parameter(kwargs, exc, word):
    with pytest.raises(exc, match=word):
        CausalSEM(**kwargs)


def test_other_validation():
    with pytest.raises(ValueError, match="n_nodes"):
        random_instance(1, np.random.default_rng(0))
    with pytest.raises(TypeError, match="rng"):
        random_instance(3, 0)
    with pytest.raises(ValueError, match="sigma"):
        random_instance(3, np.random.default_rng(0), sigma=0.0)
    with pytest.raises(ValueError, match="n_col"):
        change_graph(random_instance(3, np.random.default_rng(0)), 0, np.random.default_rng(0))
    with pytest.raises(ValueError, match="index"):
        action_bits(3, 8)
    with pytest.raises(ValueError, match="bits"):
        action_index([0, 2])
    inst = random_instance(3, np.random.default_rng(0))
    with pytest.raises(TypeError, match="rng"):
        inst.sample([0], 1)
    lower = CausalSEM([[0, 0], [1.0, 0]], np.zeros((2, 2)))
    with pytest.raises(ValueError, match="upper-triangular"):
        change_graph(lower, 1, np.random.default_rng(0))


def test_expected_means_matches_instance_rewards():
    inst = random_instance(6, seed_sequence(8, "em"))
    assert np.allclose(expected_means(inst.B, inst.B_int, inst.nu)[:, -1], inst.rewards)
