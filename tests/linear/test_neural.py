"""NeuralUCB, neural eps-greedy, the SMOOTH instance and the neural demo figure: behaviour that can fail."""

import numpy as np
import pandas as pd
import pytest

from theorylab.bandits.linear.instances import linear_instance, random_sparse_instance
from theorylab.bandits.linear.neural import neural_eps_greedy, neural_ucb, retrain_rounds
from theorylab.bandits.linear.neural_demo import FIGURE, draw_neural_demo, regret_curves
from theorylab.bandits.linear.smooth import smooth_instance
from theorylab.core.seeding import repetition_seeds

#: A small, cheap configuration of the neural learners for tests (not the demo's).
FAST = {"width": 16, "lr": 0.1, "retrain_until": 20, "retrain_every": 20, "max_steps": 30, "batch_size": 16}


def _easy():
    return smooth_instance(10, 3, 1, 0.1, omega=4.0, seed=3, sigma=0.05)


def test_neural_ucb_beats_uniform_play_on_an_easy_smooth_instance():
    inst = _easy()
    T = 400
    res = neural_ucb(inst, T, repetition_seeds(0, "test-neural-ucb", 3), **FAST)
    uniform = T * (inst.best_reward - inst.rewards.mean())
    # margin: every run below a third of uniform play's expected regret (measured at these seeds: 0.18, 0.18, 0.18)
    assert np.all(res.regret[:, -1] < uniform / 3), (res.regret[:, -1], uniform)
    assert res.info["covariance"] == "diagonal" and np.all(res.info["sgd_steps"] > 0)


def test_eps_greedy_with_epsilon_one_is_uniform_play():
    inst = _easy()
    T, R = 300, 4
    res = neural_eps_greedy(inst, T, repetition_seeds(0, "test-eps-one", R), epsilon=1.0, **FAST)
    gaps = inst.best_reward - inst.rewards
    # regret of T uniform picks: mean T mean(gaps), sd sqrt(T var(gaps)); 5 sd over the R runs' mean
    sd = np.sqrt(T * gaps.var() / R)
    assert abs(res.regret[:, -1].mean() - T * gaps.mean()) < 5 * sd


def test_eps_greedy_exploits_when_epsilon_is_small():
    inst = _easy()
    T = 400
    res = neural_eps_greedy(inst, T, repetition_seeds(0, "test-eps-small", 3), epsilon=0.05, **FAST)
    # measured at these seeds: 0.39 of uniform play's regret; an exploit step that ignored f would sit near 1
    assert res.regret[:, -1].mean() < 0.6 * T * (inst.best_reward - inst.rewards.mean())


def test_runs_depend_on_their_seed_only_and_checkpoints_are_prefixes():
    inst = _easy()
    seeds = repetition_seeds(5, "test-seeds", 2)
    both = neural_ucb(inst, 60, seeds, checkpoints=[30, 60], **FAST)
    alone = neural_ucb(inst, 60, seeds[1:], checkpoints=[60], **FAST)
    np.testing.assert_array_equal(both.regret[1, -1], alone.regret[0, -1])
    again = neural_ucb(inst, 60, seeds, checkpoints=[30, 60], **FAST)
    np.testing.assert_array_equal(both.regret, again.regret)
    assert np.all(np.diff(both.regret, axis=1) >= 0)


def test_neural_ucb_does_not_depend_on_action_labels():
    inst = _easy()
    perm = np.random.default_rng(0).permutation(inst.K)
    relabelled = linear_instance(inst.features[perm], inst.rewards[perm], inst.theta, inst.eps, inst.sigma)
    seeds = repetition_seeds(0, "test-labels", 2)
    a = neural_ucb(inst, 80, seeds, **FAST).regret
    b = neural_ucb(relabelled, 80, seeds, **FAST).regret
    np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-9)


def test_exact_ties_are_broken_at_random():
    # two actions with identical features (rewards 0.6 and 0.5): the network's index ties exactly, so the
    # first pick must be either action, over seeds; a label-ordered rule would always take action 0
    phi = np.array([[0.6, 0.0], [0.6, 0.0]])
    inst = linear_instance(phi, np.array([0.6, 0.5]), np.array([1.0, 0.0]), 0.1, sigma=0.0)
    for algo in (neural_ucb, neural_eps_greedy):
        kw = {"epsilon": 0.0} if algo is neural_eps_greedy else {}
        res = algo(inst, 1, repetition_seeds(0, "test-ties", 20), width=4, retrain_until=0, retrain_every=10, **kw)
        assert set(np.round(res.regret[:, 0], 12)) == {0.0, 0.1}


def test_retrain_schedule():
    assert retrain_rounds(10, 3, 4).tolist() == [1, 2, 4, 8]
    assert retrain_rounds(5, 0, 10).tolist() == []


@pytest.mark.parametrize("call, match", [
    (lambda: neural_ucb("inst", 10, repetition_seeds(0, "x", 1)), "instance"),
    (lambda: neural_ucb(_easy(), 0, repetition_seeds(0, "x", 1)), "horizon"),
    (lambda: neural_ucb(_easy(), 10, [1, 2]), "seeds"),
    (lambda: neural_ucb(_easy(), 10, repetition_seeds(0, "x", 1), width=0), "width"),
    (lambda: neural_ucb(_easy(), 10, repetition_seeds(0, "x", 1), lam=0.0), "lam"),
    (lambda: neural_ucb(_easy(), 10, repetition_seeds(0, "x", 1), nu=-1.0), "nu"),
    (lambda: neural_ucb(_easy(), 10, repetition_seeds(0, "x", 1), batch_size=0), "batch_size"),
    (lambda: neural_ucb(_easy(), 10, repetition_seeds(0, "x", 1), retrain_every=0), "retrain_every"),
    (lambda: neural_ucb(_easy(), 10, repetition_seeds(0, "x", 1), checkpoints=[5, 3]), "checkpoints"),
    (lambda: neural_eps_greedy(_easy(), 10, repetition_seeds(0, "x", 1), epsilon=1.5), "epsilon"),
    (lambda: smooth_instance(1, 3, 1, 0.1), "K"),
    (lambda: smooth_instance(10, 3, 4, 0.1), "s"),
    (lambda: smooth_instance(10, 3, 1, -0.1), "eps"),
    (lambda: smooth_instance(10, 3, 1, 0.1, omega=0.0), "omega"),
    (lambda: smooth_instance(10, 3, 1, 0.1, sigma=-1.0), "sigma"),
])
def test_bad_input_is_refused_with_the_parameter_named(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


def test_smooth_instance_is_the_stated_function_and_deterministic():
    inst = smooth_instance(60, 6, 2, 0.15, omega=5.0, seed=4, sigma=0.1)
    base = random_sparse_instance(60, 6, 2, 0.0, seed=4)
    np.testing.assert_array_equal(inst.features, base.features)
    np.testing.assert_array_equal(inst.theta, base.theta)
    w = inst.params["w"]
    assert np.isclose(np.linalg.norm(w), 5.0)
    np.testing.assert_allclose(inst.misspecification, 0.15 * np.sin(inst.features @ w), atol=1e-12)
    assert np.abs(inst.misspecification).max() <= 0.15
    assert np.abs(inst.misspecification).max() > 0.1          # the amplitude is nearly attained at K = 60
    np.testing.assert_array_equal(smooth_instance(60, 6, 2, 0.15, omega=5.0, seed=4).rewards, inst.rewards)
    assert not np.array_equal(smooth_instance(60, 6, 2, 0.15, omega=5.0, seed=5).rewards, inst.rewards)


def test_phased_curve_is_the_prefix_regret_of_one_run():
    inst = _easy()
    seeds = repetition_seeds(0, "test-phased-prefix", 2)
    curves = regret_curves(inst, 3000, seeds, [500, 1500, 3000], ["PhasedElimG", "LinUCB"])
    assert np.all(np.diff(curves["PhasedElimG"], axis=1) >= 0)
    assert np.all(np.diff(curves["LinUCB"], axis=1) >= 0)
    with pytest.raises(ValueError, match="algorithms"):
        regret_curves(inst, 10, seeds, [10], ["Thompson"])


def test_demo_figure_record_and_drawing():
    assert FIGURE.id == "linear.neural_demo" and FIGURE.tag == "ours" and "not a check" in FIGURE.caption
    df = pd.DataFrame({"algorithm": ["A"] * 3 + ["B"] * 3, "t": [1, 2, 3] * 2, "regret_mean": [1.0, 2, 3, 1, 1, 1],
                       "low": [0.5] * 6, "high": [3.5] * 6, "reps": [4] * 6, "uniform_regret": [1.0, 2, 3] * 2})
    fig = draw_neural_demo(df)
    labels = [line.get_label() for line in fig.axes[0].get_lines()]
    assert labels == ["A", "B", "uniform play (expected)"]


def test_demo_tasks_split_by_repetition_give_the_batch_numbers():
    from theorylab.bandits.linear.neural_demo import _curve_task

    ck = np.array([20, 40])
    both = _curve_task("NeuralUCB", 40, 0, [0, 1], ck)
    np.testing.assert_array_equal(_curve_task("NeuralUCB", 40, 0, [1], ck)[0], both[1])
