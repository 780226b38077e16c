import numpy as np
import pytest

from theorylab.core.seeding import repetition_seeds
from theorylab.games import kernels_markov
from theorylab.games.markov import nash_gap, random_markov_game, uniform_policy, evaluate
from theorylab.games.reference import reference_vlearning
from theorylab.games.tasks import truncate
from theorylab.games.vlearning import certified_cce_gaps, certified_value, vlearning, vlearning_runs


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


def _same(a, b):
    return (np.array_equal(a.pol, b.pol) and np.array_equal(a.ep, b.ep) and np.array_equal(a.count, b.count)
            and np.array_equal(a.values, b.values) and a.episodes == b.episodes)


def test_kernel_matches_reference():
    g = random_markov_game(2, (2, 3), 3, seed=5)
    for seed in (3, np.random.SeedSequence(11)):
        a = vlearning(g, 60, bonus=0.5, seed=seed)
        b = reference_vlearning(g, 60, bonus=0.5, seed=seed)
        assert np.array_equal(a.ep, b.ep) and np.array_equal(a.count, b.count)
        assert np.allclose(a.pol, b.pol, atol=1e-12) and np.allclose(a.values, b.values, atol=1e-12)
    frozen = vlearning(g, 30, seed=2, learn=False)
    assert np.array_equal(frozen.ep, reference_vlearning(g, 30, seed=2, learn=False).ep)


def test_a_run_is_the_same_whatever_its_batch():
    g = random_markov_game(2, (2, 3), 3, seed=1)
    seeds = repetition_seeds(7, "test-vl-batch", 5)
    full = vlearning_runs(g, 80, seeds, bonus=0.2)
    sub = vlearning_runs(g, 80, seeds[2:4], bonus=0.2)
    assert _same(full[2], sub[0]) and _same(full[3], sub[1])
    assert _same(full[4], vlearning(g, 80, bonus=0.2, seed=seeds[4]))
    assert not np.array_equal(full[0].ep, full[1].ep)              # the runs do differ
    assert _same(vlearning(g, 80, seed=5), vlearning(g, 80, seed=np.random.SeedSequence(5)))


def test_generator_seed_draws_one_word_for_the_state():
    g = random_markov_game(2, (2, 2), 2, seed=0)
    gen, twin = np.random.default_rng(9), np.random.default_rng(9)
    res = vlearning(g, 40, seed=gen)
    state = twin.integers(2 ** 64, dtype=np.uint64)
    assert gen.integers(2 ** 64, dtype=np.uint64) == twin.integers(2 ** 64, dtype=np.uint64)   # one draw used
    direct = kernels_markov.vlearning_kernel(
        g.P, np.clip(g.R * g.horizon, 0, 1), np.asarray(g.n_actions, dtype=np.int64), g.mu1, 40, 1.0,
        float(np.log(2 * 2 * 2 * 40 * 2 / 0.1)), True, np.array([state], dtype=np.uint64))
    assert np.array_equal(res.ep, direct[1][0]) and np.array_equal(res.pol, direct[0][0])


def test_one_compiled_specialisation():
    for acts, seed in (((2, 2), 0), ((3, 2), np.random.SeedSequence(1)), ((2, 4), np.random.default_rng(2))):
        g = random_markov_game(2, acts, 2, seed=3)
        vlearning(g, 10, bonus=1, seed=seed, learn=0)
        vlearning_runs(g, 10, repetition_seeds(0, "spec", 2), bonus=0.5, delta=1)
    assert len(kernels_markov.vlearning_kernel.signatures) == 1


def test_invalid_seeds():
    g = random_markov_game(2, (2, 2), 2, seed=0)
    with pytest.raises(TypeError, match="seed must be"):
        vlearning(g, 10, seed="zero")
    with pytest.raises(ValueError, match="seed must be a non-negative"):
        vlearning(g, 10, seed=-1)
    with pytest.raises(TypeError, match="seeds"):
        vlearning_runs(g, 10, 3)
    with pytest.raises(ValueError, match="seeds"):
        vlearning_runs(g, 10, [])


def test_vlearning_task_rows_are_the_single_runs_whatever_the_chunking():
    from theorylab.core.sweep import run_cells
    from theorylab.games.tasks import VLEARNING_TASK, _run_vlearning
    cell = dict(n_states=2, n_actions=[2, 2], horizon=2, checkpoints=[10, 30], bonus=0.1)
    one = run_cells(VLEARNING_TASK, [cell], 4, 3, 1)
    split = run_cells(VLEARNING_TASK, [cell], 4, 3, 1, chunk_reps=1)
    assert np.array_equal(one[["gap_10", "gap_30"]].to_numpy(), split[["gap_10", "gap_30"]].to_numpy())
    seeds = repetition_seeds(0, "test-vl-task", 3)
    rows = _run_vlearning(dict(cell, learn=True, game_seed=0), seeds)
    g = random_markov_game(2, (2, 2), 2, seed=0)
    for r, ss in enumerate(seeds):
        res = vlearning(g, 30, bonus=0.1, seed=ss)
        assert rows["gap_10"][r] == certified_cce_gaps(g, truncate(res, 10)).max()
        assert rows["gap_30"][r] == certified_cce_gaps(g, res).max()
