"""games.reference: the slow references run their examples and stay reachable from their old modules."""

import doctest

import numpy as np
import pytest

from theorylab.games import learners, reference, vlearning


def test_reference_examples_run():
    result = doctest.testmod(reference, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 2 and result.failed == 0


def test_old_import_paths_give_the_moved_functions():
    from theorylab.games.learners import reference_selfplay
    from theorylab.games.vlearning import reference_vlearning
    assert reference_selfplay is reference.reference_selfplay
    assert reference_vlearning is reference.reference_vlearning
    assert "reference_selfplay" not in learners.__all__
    with pytest.raises(AttributeError, match="no_such_name"):
        vlearning.no_such_name


def test_reference_vlearning_rejects_what_the_kernel_rejects():
    from theorylab.games.markov import random_markov_game
    g = random_markov_game(2, (2, 2), 2, seed=0)
    with pytest.raises(ValueError, match="episodes"):
        reference.reference_vlearning(g, 0)
    with pytest.raises(TypeError, match="seed must be"):
        reference.reference_vlearning(g, 5, seed=1.5)
    assert np.array_equal(reference.reference_vlearning(g, 5, seed=2).count.sum(axis=1), [5, 5])
