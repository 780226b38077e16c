"""core.streams.seed_state: the one rule from a single run's seed to its stream state."""

import numpy as np
import pytest

from theorylab.core.seeding import repetition_seeds
from theorylab.core.streams import init_states, seed_state


def test_int_and_seed_sequence_give_the_batch_state():
    assert seed_state(11) == np.random.SeedSequence(11).generate_state(1, dtype=np.uint64)[0]
    seeds = repetition_seeds(3, "k", 4)
    assert [seed_state(s) for s in seeds] == list(init_states(seeds))
    assert isinstance(seed_state(np.int64(2)), np.uint64)


def test_a_generator_gives_one_drawn_word_and_advances():
    g, h = np.random.default_rng(5), np.random.default_rng(5)
    first = seed_state(g)
    assert first == h.integers(2 ** 64, dtype=np.uint64)
    assert seed_state(g) != first                                   # advanced by one draw


def test_none_takes_fresh_entropy():
    assert seed_state(None) != seed_state(None)


@pytest.mark.parametrize("bad, err", [(True, TypeError), (1.5, TypeError), ("3", TypeError), (-1, ValueError)])
def test_bad_seeds_are_refused_by_name(bad, err):
    with pytest.raises(err, match="my_seed"):
        seed_state(bad, name="my_seed")
