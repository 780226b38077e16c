"""games.instances: the topic's game constructors, and the old modules' re-exports of them."""

import numpy as np
import pytest

from theorylab.games import instances, markov, normal_form
from theorylab.games import claims as game_claims

MOVED = ["bimatrix", "random_game", "shapley_game", "matching_pennies", "rock_paper_scissors",
         "coordination_game", "prisoners_dilemma"]


@pytest.mark.parametrize("name", MOVED)
def test_normal_form_re_exports_the_constructors(name):
    assert getattr(normal_form, name) is getattr(instances, name)
    assert name in normal_form.__all__


def test_markov_re_exports_the_generator_and_old_imports_work():
    from theorylab.games.markov import random_markov_game
    from theorylab.games.normal_form import bimatrix

    assert random_markov_game is instances.random_markov_game and bimatrix is instances.bimatrix
    assert markov.random_markov_game is instances.random_markov_game
    with pytest.raises(AttributeError):
        normal_form.no_such_game


def test_random_generators_are_pinned():
    # the same seed gives the same game: the topic's figure data depend on it
    g = instances.random_game((2, 2), seed=3)
    assert np.array_equal(g.payoffs, np.random.default_rng(3).uniform(0.0, 1.0, size=(2, 2, 2)))
    mg = instances.random_markov_game(2, (2, 3), 2, seed=5)
    rng = np.random.default_rng(5)
    assert np.array_equal(mg.P, rng.dirichlet(np.ones(2), size=(2, 2, 6)))
    assert np.array_equal(mg.R, rng.uniform(0, 0.5, size=(2, 2, 2, 6)))


def test_cyclic_zero_sum_game_matches_the_claims_copy():
    # games/claims.py still defines its own copy until the lead removes it (import lines only there)
    for seed in range(5):
        assert np.array_equal(instances.cyclic_zero_sum_game(seed).payoffs,
                              game_claims.cyclic_zero_sum_game(seed).payoffs)


def test_fixed_games_are_constant_sum_where_stated():
    for g in (instances.matching_pennies(), instances.rock_paper_scissors(), instances.cyclic_zero_sum_game(1)):
        assert np.allclose(g.payoffs.sum(axis=0), 1.0)
    for g in (instances.shapley_game(), instances.prisoners_dilemma(), instances.coordination_game(3, 0.25)):
        assert g.payoffs.min() >= 0.0 and g.payoffs.max() <= 1.0


@pytest.mark.parametrize("call, exc, name", [
    (lambda: instances.bimatrix([[1, 0]], [[1], [0]]), ValueError, "same shape"),
    (lambda: instances.random_game(3), TypeError, "n_actions"),
    (lambda: instances.random_game((2, 2), low=1.0, high=0.5), ValueError, "high"),
    (lambda: instances.coordination_game(1), ValueError, "n"),
    (lambda: instances.random_markov_game(0, (2,), 1), ValueError, "n_states"),
])
def test_bad_input_names_the_parameter(call, exc, name):
    with pytest.raises(exc, match=name):
        call()


def test_named_games_live_in_instances_and_tasks_re_exports_them():
    from theorylab.games import tasks

    assert tasks.NAMED_GAMES is instances.NAMED_GAMES and tasks.named_game is instances.named_game
    assert "NAMED_GAMES" in instances.__all__ and "named_game" in instances.__all__
    expected = {"shapley": (3, 3), "matching_pennies": (2, 2), "rps": (3, 3), "coordination": (3, 3)}
    assert {k: instances.named_game(k).n_actions for k in instances.NAMED_GAMES} == expected
    assert instances.named_game("rps") is not instances.named_game("rps")          # a fresh game per call
    # the reduction task's schema offers exactly these names
    assert set(tasks.REDUCTION_SCHEMA.fields["game"].choices) == {"random"} | set(instances.NAMED_GAMES)
    with pytest.raises(ValueError, match="game"):
        instances.named_game("chicken")
