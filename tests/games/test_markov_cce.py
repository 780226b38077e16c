import numpy as np
import pytest

from theorylab.games.markov import random_markov_game
from theorylab.games.markov_cce import correlated_markov_gaps, markov_cce


@pytest.mark.parametrize("kind", ["cce", "ce"])
def test_markov_cce_has_zero_gap(kind):
    g = random_markov_game(2, (2, 3), 3, seed=4)
    pi = markov_cce(g, kind)
    assert pi.shape == (3, 2, 6) and np.allclose(pi.sum(axis=2), 1)
    assert correlated_markov_gaps(g, pi).max() <= 1e-6


def test_uniform_correlated_policy_has_positive_gap_and_invalid_input():
    g = random_markov_game(2, (2, 2), 2, seed=0)
    assert correlated_markov_gaps(g, np.full((2, 2, 4), 0.25)).max() > 0
    with pytest.raises(TypeError):
        markov_cce(np.eye(2))
    with pytest.raises(ValueError):
        markov_cce(g, kind="nash")
