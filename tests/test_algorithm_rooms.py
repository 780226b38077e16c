"""Every topic has an ``algorithms`` room that reaches every algorithm its package lists."""

import importlib
import inspect

import pytest

TOPICS = ["theorylab.bandits", "theorylab.bandits.dp_bai", "theorylab.bandits.linear", "theorylab.bandits.tallying",
          "theorylab.bandits.causal", "theorylab.games", "theorylab.optim"]


@pytest.mark.parametrize("package", TOPICS)
def test_every_topic_has_an_algorithms_room(package):
    room = importlib.import_module(package + ".algorithms")
    assert room.__all__ and all(hasattr(room, name) for name in room.__all__)


def test_games_entry_points_cover_the_listed_algorithms_and_take_their_selector():
    import theorylab.games as games
    from theorylab.games import algorithms as room
    assert set(room.ENTRY_POINTS) == set(games.ALGORITHMS)
    for name in games.ALGORITHMS:
        fn, fixed = room.entry_point(name)
        inspect.signature(fn).bind_partial(**fixed)          # the selecting keywords are real parameters
    with pytest.raises(ValueError, match="known"):
        room.entry_point("fictitious_play")


def test_halpern_entry_points_cover_the_listed_algorithms():
    import theorylab.optim as optim
    from theorylab.optim import algorithms as room
    assert set(room.ENTRY_POINTS) == set(optim.ALGORITHMS)
    for name, batched in room.BATCHED.items():
        single = inspect.signature(room.ENTRY_POINTS[name]).parameters
        assert "seed" in single and "seeds" in inspect.signature(batched).parameters
