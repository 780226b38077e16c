import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from theorylab.games.markov import (HistoryPolicy, MarkovGame, Mixture, ProductPolicy, best_response, evaluate,
                                    evaluate_history_profile, general_cce_gaps, markov_cce_gaps, nash_gap,
                                    random_markov_game, uniform_policy)


def _random_policy(game, rng):
    return ProductPolicy.from_arrays(game, [rng.dirichlet(np.ones(a), size=(game.horizon, game.n_states))
                                           for a in game.n_actions])


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 100_000))
def test_backward_induction_equals_tree_enumeration(seed):
    rng = np.random.default_rng(seed)
    g = random_markov_game(int(rng.integers(1, 4)), (2, int(rng.integers(2, 4))), int(rng.integers(1, 4)), seed=rng)
    pol = _random_policy(g, rng)
    tree = evaluate_history_profile(g, [HistoryPolicy.from_markov(p) for p in pol.pis])
    assert np.allclose(evaluate(g, pol), tree, atol=1e-12)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 100_000))
def test_best_response_dominates_random_deviations(seed):
    rng = np.random.default_rng(seed)
    g = random_markov_game(2, (2, 3), 3, seed=rng)
    pol = _random_policy(g, rng)
    for i in range(2):
        _, v_br = best_response(g, pol, i)
        for _ in range(10):
            other = _random_policy(g, rng)
            pis = list(pol.pis)
            pis[i] = other.pis[i]
            assert evaluate(g, ProductPolicy(tuple(pis)))[i] <= v_br + 1e-12
    assert np.all(nash_gap(g, pol) >= -1e-12)


def test_history_policy_deviation_cannot_beat_markov_br_against_markov_opponent():
    rng = np.random.default_rng(1)
    g = random_markov_game(2, (2, 2), 3, seed=rng)
    pol = _random_policy(g, rng)
    _, v_br = best_response(g, pol, 0)
    # a history-dependent deviation: copy the opponent's last action
    dev = HistoryPolicy(lambda h, st, ja: np.eye(2)[g.act[1, ja[-1]]] if ja else np.array([0.5, 0.5]), 2)
    v = evaluate_history_profile(g, [dev, HistoryPolicy.from_markov(pol.pis[1])])[0]
    assert v <= v_br + 1e-12


def test_mixture_gap_ordering_and_single_component():
    rng = np.random.default_rng(2)
    g = random_markov_game(2, (2, 2), 2, seed=rng)
    comps = tuple(_random_policy(g, rng) for _ in range(3))
    mix = Mixture(comps)
    mk, gen = markov_cce_gaps(g, mix), general_cce_gaps(g, mix)
    assert np.all(mk <= gen + 1e-12) and np.all(gen <= 1 + 1e-12)
    one = Mixture(comps[:1])
    assert np.allclose(markov_cce_gaps(g, one), nash_gap(g, comps[0]), atol=1e-12)
    assert np.allclose(general_cce_gaps(g, one), nash_gap(g, comps[0]), atol=1e-12)


def test_correlated_best_response_uses_marginal():
    g = random_markov_game(1, (2, 2), 1, seed=0)
    pol = uniform_policy(g)
    br_p, v_p = best_response(g, pol, 0)
    br_c, v_c = best_response(g, pol.joint(g), 0)
    assert np.isclose(v_p, v_c) and np.array_equal(br_p, br_c)


def test_flatten_roundtrip_and_action_independence():
    g = random_markov_game(2, (2, 3, 2), 2, seed=0)
    for a in range(g.n_joint):
        assert g.flatten(g.unflatten(a)) == a
    assert not g.action_independent()


def test_invalid_inputs():
    with pytest.raises(ValueError):
        MarkovGame(np.ones((2, 1, 4, 1)), np.zeros((2, 2, 1, 3)), (2, 2))
    with pytest.raises(ValueError):
        MarkovGame(np.full((2, 2, 4, 2), 0.6), np.zeros((2, 2, 2, 4)), (2, 2))
    g = random_markov_game(2, (2, 2), 2, seed=0)
    with pytest.raises(ValueError):
        ProductPolicy.from_arrays(g, [np.full((2, 2, 2), 0.5)])
    with pytest.raises(ValueError):
        ProductPolicy.from_arrays(g, [np.full((2, 2, 2), 0.7), np.full((2, 2, 2), 0.5)])
    with pytest.raises(ValueError):
        Mixture(())
    with pytest.raises(ValueError):
        Mixture((uniform_policy(g),), np.array([0.5]))


def test_evaluation_input_errors_name_the_parameter():
    from theorylab.games.markov import evaluate_correlated
    g = random_markov_game(2, (2, 2), 2, seed=0)
    with pytest.raises(ValueError, match="pi"):
        evaluate_correlated(g, np.full((2, 2, 4), 0.3))
    with pytest.raises(ValueError, match="policy"):
        best_response(g, np.full((2, 2, 3), 1 / 3), 0)
    with pytest.raises(TypeError):
        evaluate(g, [np.full((2, 2, 2), 0.5)] * 2)
    with pytest.raises(ValueError):
        best_response(g, uniform_policy(g), 2)
