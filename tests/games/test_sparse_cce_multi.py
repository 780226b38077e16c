import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from theorylab.games import bounds
from theorylab.games.normal_form import random_game
from theorylab.games.sparse_cce import cce_gaps, random_mixture
from theorylab.games.sparse_cce_multi import multiplayer_cce_gaps, multiplayer_extract


def test_two_player_case_matches_bimatrix_code():
    g = random_game((3, 2), seed=0)
    mix = random_mixture((3, 2), 3, 3, seed=1)
    assert np.allclose(multiplayer_cce_gaps(g, [mix.x, mix.y]), cce_gaps(g, mix)["gaps"], atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 100_000), st.integers(3, 4))
def test_multiplayer_reduction_bound_holds_binary_actions(seed, m):
    rng = np.random.default_rng(seed)
    t, h = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    g = random_game((2,) * m, seed=rng)
    xs = [rng.dirichlet([0.5, 0.5], size=(t, h)) for _ in range(m)]
    eps = multiplayer_cce_gaps(g, xs).max()
    ex = multiplayer_extract(g, xs)
    assert ex["gap_sum"] <= ex["average_gap_sum"] + 1e-12
    assert ex["average_gap_sum"] <= bounds.multiplayer_reduction_bound(eps, h, t, m) + 1e-10


def test_invalid_inputs():
    g = random_game((2, 2, 2), seed=0)
    with pytest.raises(ValueError):
        multiplayer_cce_gaps(g, [np.full((1, 2, 2), 0.5)] * 2)
    with pytest.raises(ValueError):
        multiplayer_cce_gaps(g, [np.full((1, 2, 2), 0.5)] * 2 + [np.full((1, 2, 3), 1 / 3)])
    with pytest.raises(TypeError):
        multiplayer_extract(np.eye(2), [])
