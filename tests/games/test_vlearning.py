import numpy as np
import pytest

from theorylab.games.markov import nash_gap, random_markov_game, uniform_policy, evaluate
from theorylab.games.tasks import truncate
from theorylab.games.vlearning import certified_cce_gaps, certified_value, vlearning


def _simulate_certified(game, res, n, rng):
    """Direct Monte Carlo of the certified policy (slow reference): returns per-player mean value."""
    hh = game.horizon
    alpha = (hh + 1.0) / (hh + np.arange(1, res.episodes + 1))
    tot = np.zeros(game.n_players)
    for _ in range(n):
        k = rng.integers(res.episodes)
        s = rng.choice(game.n_states, p=game.mu1)
        uniform = False
        for h in range(hh):
            if not uniform:
                t = int(np.sum(res.ep[h, s, :res.count[h, s]] <= k))
                if t == 0:
                    uniform = True
                else:
                    w = np.array([alpha[j] * np.prod(1 - alpha[j + 1:t]) for j in range(t)])
                    v = rng.choice(t, p=w / w.sum())
                    k = res.ep[h, s, v]
            acts = []
            for i, a_i in enumerate(game.n_actions):
                p = np.full(a_i, 1 / a_i) if uniform else res.pol[i, h, s, v, :a_i]
                acts.append(rng.choice(a_i, p=p / p.sum()))
            a = game.flatten(acts)
            tot += game.R[:, h, s, a]
            s = rng.choice(game.n_states, p=game.P[h, s, a])
    return tot / n


def test_certified_value_matches_simulation():
    g = random_markov_game(2, (2, 2), 2, seed=3)
    res = vlearning(g, 40, seed=1, bonus=0.1)
    exact = np.array([certified_value(g, res, i, False) for i in range(2)])
    mc = _simulate_certified(g, res, 4000, np.random.default_rng(0))
    assert np.all(np.abs(exact - mc) < 0.02)


def test_frozen_learner_gap_equals_uniform_nash_gap():
    g = random_markov_game(2, (2, 2), 3, seed=0)
    res = vlearning(g, 30, learn=False)
    assert np.allclose(certified_cce_gaps(g, res), nash_gap(g, uniform_policy(g)), atol=1e-12)
    assert np.isclose(certified_value(g, res, 0, False), evaluate(g, uniform_policy(g))[0])


def test_visit_counts_and_truncation():
    g = random_markov_game(2, (2, 2), 3, seed=0)
    res = vlearning(g, 200, seed=0)
    assert res.count[0].sum() == 200 and all(res.count[h].sum() == 200 for h in range(3))
    short = vlearning(g, 50, seed=0)
    tr = truncate(res, 50)
    assert np.array_equal(tr.count, short.count)


def test_invalid_inputs():
    g = random_markov_game(2, (2, 2), 2, seed=0)
    with pytest.raises(ValueError):
        vlearning(g, 0)
    with pytest.raises(TypeError):
        vlearning(np.eye(2), 10)
    with pytest.raises(ValueError):
        vlearning(g, 10, bonus=-1)


def test_kernel_matches_reference():
    from theorylab.games.vlearning import reference_vlearning
    g = random_markov_game(2, (2, 3), 3, seed=5)
    a = vlearning(g, 60, bonus=0.5, seed=3)
    b = reference_vlearning(g, 60, bonus=0.5, seed=3)
    assert np.array_equal(a.ep, b.ep) and np.array_equal(a.count, b.count)
    assert np.allclose(a.pol, b.pol, atol=1e-12) and np.allclose(a.values, b.values, atol=1e-12)
