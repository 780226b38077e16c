import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from theorylab.games import bounds, markov
from theorylab.games.normal_form import matching_pennies, random_game, shapley_game
from theorylab.games.sparse_cce import (SparseMixture, cce_gaps, extract_nash, iid_cce_mixture,
                                        mixture_from_selfplay, random_mixture, repeated_game, stage_gap_table)


def _instance(seed):
    rng = np.random.default_rng(seed)
    n1, n2 = rng.integers(2, 4, 2)
    t, h = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    return random_game((n1, n2), seed=rng), random_mixture((n1, n2), t, h, seed=rng)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 100_000))
def test_exact_general_gap_equals_belief_recursion(seed):
    g, mix = _instance(seed)
    ours = cce_gaps(g, mix)["gaps"]
    ref = markov.general_cce_gaps(repeated_game(g, mix.horizon), mix.as_markov_mixture())
    assert np.allclose(ours, ref, atol=1e-12)


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 100_000))
def test_markov_gap_equals_enumeration_and_gap_ordering(seed):
    g, mix = _instance(seed)
    mk = cce_gaps(g, mix, "markov")["gaps"]
    gen = cce_gaps(g, mix, "general")["gaps"]
    G = repeated_game(g, mix.horizon)
    if max(g.n_actions) ** mix.horizon <= 1000:
        assert np.allclose(mk, markov.markov_cce_gaps(G, mix.as_markov_mixture()), atol=1e-12)
    assert np.all(mk <= gen + 1e-12) and np.all(gen <= 1 + 1e-12) and np.all(mk >= 0)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 100_000))
def test_theorem_r_inequality(seed):
    g, mix = _instance(seed)
    eps = cce_gaps(g, mix)["gaps"].max()
    ex = extract_nash(g, mix)
    assert ex.gap_sum <= ex.average_gap_sum + 1e-12
    assert ex.average_gap_sum <= bounds.reduction_bound(eps, mix.horizon, n_components=mix.n_components) + 1e-10


def test_single_component_gaps_equal_nash_gap():
    g, _ = _instance(3)
    mix = random_mixture(g.n_actions, 1, 3, seed=4)
    G = repeated_game(g, 3)
    comp = mix.as_markov_mixture().components[0]
    ng = markov.nash_gap(G, comp)
    assert np.allclose(cce_gaps(g, mix)["gaps"], ng, atol=1e-12)
    assert np.allclose(cce_gaps(g, mix, "markov")["gaps"], ng, atol=1e-12)


def test_duplicating_components_leaves_gaps_unchanged():
    g, mix = _instance(11)
    dup = SparseMixture.create(np.concatenate([mix.x, mix.x]), np.concatenate([mix.y, mix.y]))
    assert np.allclose(cce_gaps(g, mix)["gaps"], cce_gaps(g, dup)["gaps"], atol=1e-12)


def test_monte_carlo_agrees_with_exact():
    g, mix = _instance(5)
    ex = cce_gaps(g, mix, method="exact")["gaps"]
    mc = cce_gaps(g, mix, method="mc", n_samples=40_000, rng=0)
    assert np.all(np.abs(mc["gaps"] - ex) <= 5 * mc["se"] + 1e-12)


def test_monte_carlo_stream_is_threaded_and_seeded():
    from theorylab.games import kernels_markov
    from theorylab.games.sparse_cce import _check, _deviation_inputs
    g, mix = random_game((3, 3), seed=1), random_mixture((3, 3), 3, 3, seed=2)   # T = 3: the samples vary
    gain, opp = _deviation_inputs(*_check(g, mix), mix, 0)
    args = (np.ascontiguousarray(gain), np.ascontiguousarray(opp), mix.weights)
    s0 = np.uint64(12345)
    both, end = kernels_markov.aggregating_deviation_mc(*args, 600, s0)
    first, mid = kernels_markov.aggregating_deviation_mc(*args, 250, s0)
    rest, end2 = kernels_markov.aggregating_deviation_mc(*args, 350, np.uint64(mid))
    assert np.array_equal(both, np.concatenate([first, rest])) and end == end2       # one stream, in order
    assert np.unique(both).size > 1
    a = cce_gaps(g, mix, method="mc", n_samples=500, rng=np.random.SeedSequence(4))
    assert np.array_equal(a["gaps"], cce_gaps(g, mix, method="mc", n_samples=500, rng=4)["gaps"])
    assert not np.array_equal(a["gaps"], cce_gaps(g, mix, method="mc", n_samples=500, rng=5)["gaps"])
    gen, twin = np.random.default_rng(3), np.random.default_rng(3)
    cce_gaps(g, mix, method="exact", rng=gen)                                # exact: the Generator is untouched
    assert gen.integers(2 ** 64, dtype=np.uint64) == twin.integers(2 ** 64, dtype=np.uint64)
    gm = cce_gaps(g, mix, method="mc", n_samples=500, rng=gen)              # Monte Carlo: one word from it
    twin.integers(2 ** 64, dtype=np.uint64)
    assert gen.integers(2 ** 64, dtype=np.uint64) == twin.integers(2 ** 64, dtype=np.uint64)
    assert np.isfinite(gm["gaps"]).all()
    with pytest.raises(TypeError, match="rng must be"):
        cce_gaps(g, mix, method="mc", n_samples=500, rng="x")
    cce_gaps(random_game((2, 4), seed=1), random_mixture((2, 4), 2, 2, seed=2), method="mc", n_samples=50,
             rng=1)
    assert len(kernels_markov.aggregating_deviation_mc.signatures) == 1


def test_extraction_tie_break_and_gap_table():
    x = np.array([[[0.5, 0.5], [1.0, 0.0]], [[0.5, 0.5], [0.5, 0.5]]])
    mix = SparseMixture.create(x, x.copy())
    ex = extract_nash(matching_pennies(), mix)
    assert (ex.t, ex.h) == (0, 0) and ex.gap_sum == 0.0
    assert stage_gap_table(matching_pennies(), mix).shape == (2, 2)


def test_separation_on_shapley():
    from theorylab.games.learners import selfplay
    init = [np.array([1.0, 0.0, -1.0]), np.array([0.0, 0.5, 0.0])]
    res = selfplay(shapley_game(), "hedge", 2000, eta=0.0, store_strategies=True, init_utilities=init)
    mix = mixture_from_selfplay(res.strategies, 5)
    assert cce_gaps(shapley_game(), mix, "general")["gaps"].max() > 0.2
    assert cce_gaps(shapley_game(), mix, "markov")["gaps"].max() < 0.02
    # N5 identity: K * Markov gap = max regret (stationary components)
    assert np.isclose(cce_gaps(shapley_game(), mix, "markov")["gaps"].max(), res.regrets.max() / 2000, atol=1e-12)


def test_iid_cce_baseline_shapes():
    from theorylab.games.equilibria import solve_cce
    g = shapley_game()
    mix = iid_cce_mixture(g, solve_cce(g).distribution, 5, 3, seed=0)
    assert mix.x.shape == (5, 3, 3) and set(np.unique(mix.x)) <= {0.0, 1.0}


def test_multiplayer_bound_is_valid_formula():
    assert bounds.multiplayer_reduction_bound(0.0, 8, 1, 3) == 0.0
    assert bounds.horizon_for_accuracy(4, 0.5) == int(np.ceil(8 * np.log(4) / 0.25))


def test_invalid_inputs():
    g = matching_pennies()
    with pytest.raises(ValueError):
        repeated_game(random_game((2, 2), low=-1, high=2), 3)
    with pytest.raises(ValueError):
        SparseMixture.create(np.full((1, 2, 2), 0.6), np.full((1, 2, 2), 0.5))
    with pytest.raises(ValueError):
        SparseMixture.create(np.full((1, 2, 2), 0.5), np.full((1, 3, 2), 0.5))
    with pytest.raises(ValueError):
        cce_gaps(g, SparseMixture.create(np.full((1, 2, 3), 1 / 3), np.full((1, 2, 2), 0.5)))
    with pytest.raises(ValueError):
        cce_gaps(g, random_mixture((2, 2), 1, 2), kind="swap")
    with pytest.raises(ValueError):
        bounds.reduction_bound(-0.1, 3, n_components=2)


def test_folk_theorem_counterexample_general_components_break_the_averaging():
    from theorylab.games.markov import evaluate_history_profile, history_best_response_value
    from theorylab.games.sparse_cce import folk_theorem_counterexample
    game, mg, pols, on_path = folk_theorem_counterexample()
    vals = evaluate_history_profile(mg, pols)
    for i in range(2):
        assert history_best_response_value(mg, pols, i) <= vals[i] + 1e-12      # exact NE: gap 0
    avg = np.mean([game.nash_gap(list(p), "sum") for p in on_path])
    assert avg > 0.3 > bounds.reduction_bound(0.0, 3, n_components=1)          # bound (= 0) fails


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 100_000))
def test_posterior_is_bayes_rule_and_log_loss_bounded_by_log_inverse_prior(seed):
    from theorylab.games.sparse_cce import aggregating_posterior
    rng = np.random.default_rng(seed)
    t, h, n = int(rng.integers(1, 5)), int(rng.integers(1, 6)), int(rng.integers(2, 4))
    mix = SparseMixture.create(rng.dirichlet(np.ones(2), (t, h)), rng.dirichlet(np.full(n, 0.5), (t, h)),
                               rng.dirichlet(np.ones(t)))
    comp = int(rng.integers(t))
    b = np.array([rng.choice(n, p=mix.y[comp, g]) for g in range(h)])
    beliefs, pred = aggregating_posterior(mix, 0, b)
    lik = mix.weights * np.prod(mix.y[:, np.arange(h), b], axis=1)
    assert np.allclose(beliefs[-1], lik / lik.sum(), atol=1e-12)
    assert np.allclose(beliefs.sum(axis=1), 1)
    for c in range(t):
        ys = mix.y[c, np.arange(h), b]
        if np.all(ys > 0):
            assert np.sum(np.log(ys / pred[np.arange(h), b])) <= -np.log(mix.weights[c]) + 1e-9
