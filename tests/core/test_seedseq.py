"""core.seedseq reproduces numpy's SeedSequence bit for bit; RepetitionSeeds / check_seeds (core.seeding)."""

import pickle

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from theorylab.core import seedseq as Q
from theorylab.core.seeding import RepetitionSeeds, check_seeds, repetition_seeds, seed_sequence, uint64_seeds
from theorylab.core.streams import init_states

SS = np.random.SeedSequence
ENTROPIES = [0, 1, 5, 2**32 - 1, 2**32, 2**64 + 3, 2**127 + 12345, 2**128 - 1, 2**128, 2**200 + 7,
             [1, 2], [0], (2**40, 3), list(range(9)), np.array([3, 4], dtype=np.uint32)]
KEYS = [(), (0,), (3,), (1, 2, 3, 4), (2**33,), (5,) * 9, (2**64 + 1, 0, 7)]


def _state(seq, n=1):
    return seq.generate_state(n, dtype=np.uint64)


@pytest.mark.parametrize("entropy", ENTROPIES, ids=range(len(ENTROPIES)))
def test_pool_and_generate_state_are_numpys(entropy):
    for key in KEYS:
        for size in (4, 5, 8):
            seq = SS(entropy, spawn_key=key, pool_size=size)
            assert np.array_equal(Q.pool(entropy, key, size), seq.pool), (key, size)
            for n in (1, 2, 3, 7):
                assert np.array_equal(Q.generate_state(seq.pool, n, np.uint32), seq.generate_state(n, np.uint32))
                assert np.array_equal(Q.generate_state(seq.pool, n, np.uint64), _state(seq, n))


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**128 - 1), st.lists(st.integers(0, 2**32 - 1), max_size=6), st.integers(0, 2**64 - 1))
def test_spawn_states_match_numpy_for_random_128_bit_entropies(entropy, prefix, index):
    indices = [0, index, 2**32 - 1, 2**32]
    expect = np.array([_state(SS(entropy, spawn_key=tuple(prefix) + (i,)), 2) for i in indices])
    assert np.array_equal(Q.spawn_states(entropy, prefix, indices, n_words=2), expect)


@pytest.mark.parametrize("entropy", [0, 9, 2**64 + 1, 2**127 + 3, 2**300 + 1, [7, 2**33]])
@pytest.mark.parametrize("prefix", KEYS, ids=range(len(KEYS)))
def test_spawn_states_match_numpy_for_key_lengths_and_big_words(entropy, prefix):
    indices = np.array([0, 1, 2, 2**31, 2**32 - 1, 2**32, 2**40 + 9, 2**63, 2**64 - 1], dtype=np.uint64)
    expect = np.array([_state(SS(entropy, spawn_key=prefix + (int(i),))) for i in indices])
    assert np.array_equal(Q.spawn_states(entropy, prefix, indices), expect)
    assert np.array_equal(Q.spawn_states(entropy, prefix, indices, pool_size=6)[:, 0],
                          np.array([_state(SS(entropy, spawn_key=prefix + (int(i),), pool_size=6))[0]
                                    for i in indices]))


def test_spawn_states_give_the_children_of_spawn():
    parent = SS(2**100 + 17, spawn_key=(4, 5))
    parent.spawn(3)
    children = parent.spawn(4)
    got = Q.spawn_states(parent.entropy, parent.spawn_key, range(3, 7))[:, 0]
    assert np.array_equal(got, np.array([_state(c)[0] for c in children]))


def test_entropy_words_and_assembly_follow_numpy():
    assert Q.entropy_words(0).tolist() == [0]
    assert Q.entropy_words(2**64).tolist() == [0, 0, 1]
    assert Q.entropy_words([1, 2**32]).tolist() == [1, 0, 1]
    assert Q.assembled_entropy(2**130, (1,)).tolist() == [0, 0, 0, 0, 4, 1]
    assert Q.assembled_entropy(5).tolist() == [5]        # no spawn key: no padding (numpy's rule)


@pytest.mark.parametrize("call, exc, name", [
    (lambda: Q.pool(-1), ValueError, "entropy"),
    (lambda: Q.pool(1.5), TypeError, "entropy"),
    (lambda: Q.pool(1, ("a",)), TypeError, "spawn_key"),
    (lambda: Q.pool(1, pool_size=3), ValueError, "pool_size"),
    (lambda: Q.spawn_states(1, (), [-1]), ValueError, "indices"),
    (lambda: Q.spawn_states(1, (), [0.5]), TypeError, "indices"),
    (lambda: Q.spawn_states(1, (), [2**64]), ValueError, "indices"),
    (lambda: Q.spawn_states(1, (), [0], n_words=0), ValueError, "n_words"),
    (lambda: Q.generate_state([1, 2, 3, 4], 2, np.float64), ValueError, "dtype"),
])
def test_bad_input_is_refused_naming_the_parameter(call, exc, name):
    with pytest.raises(exc, match=name):
        call()


# -- RepetitionSeeds: what repetition_seeds returns ------------------------------------------------

def test_repetition_seed_states_equal_the_seed_sequences():
    for master, key in [(0, "doc"), (2026, {"task": "classic.bai", "params": {"budget": 600}}), (2**70 + 1, None),
                        (5, ["bench", "sequential_halving"])]:
        seeds = repetition_seeds(master, key, 257)
        expect = np.array([_state(seed_sequence(master, key, i))[0] for i in range(257)], dtype=np.uint64)
        assert np.array_equal(seeds.states(), expect)
        assert np.array_equal(init_states(seeds), expect) and np.array_equal(uint64_seeds(seeds), expect)
        assert np.array_equal(init_states(list(seeds)), expect)          # the SeedSequence objects agree
        assert np.array_equal(init_states(seeds[40:50]), expect[40:50])
        sub = repetition_seeds(master, key, [200, 3, 3])
        assert np.array_equal(sub.states(), expect[[200, 3, 3]])


def test_repetition_seeds_behave_like_a_list_of_seed_sequences():
    seeds = repetition_seeds(1, "list", range(2, 8))
    assert len(seeds) == 6 and isinstance(seeds[0], SS) and seeds[-1].spawn_key[-1] == 7
    assert seeds[1] is seeds[1] and seeds[2:4][0] is seeds[2]           # built once, shared with slices
    both = seeds + [SS(3)]
    assert isinstance(both, list) and len(both) == 7
    again = pickle.loads(pickle.dumps(seeds))
    assert isinstance(again, RepetitionSeeds) and np.array_equal(again.states(), seeds.states())
    assert [s.spawn_key for s in seeds] == [seed_sequence(1, "list", i).spawn_key for i in range(2, 8)]
    assert len(repetition_seeds(0, "x", 0)) == 0
    with pytest.raises(ValueError, match="reps"):
        repetition_seeds(0, "x", -1)
    with pytest.raises(ValueError, match="repetition index"):
        repetition_seeds(0, "x", [1, -2])
    with pytest.raises(TypeError, match="reps"):
        repetition_seeds(0, "x", True)


def test_check_seeds_names_the_parameter():
    assert check_seeds(SS(1))[0].entropy == 1
    assert len(check_seeds(repetition_seeds(0, "a", 3))) == 3
    assert check_seeds([1, np.uint64(2)], integers=True) == [1, 2]
    with pytest.raises(ValueError, match="seeds must hold at least one"):
        check_seeds(repetition_seeds(0, "a", 0))
    with pytest.raises(TypeError, match="seeds"):
        check_seeds([1, 2])
    with pytest.raises(TypeError, match="my_seeds"):
        check_seeds(5, name="my_seeds")
    with pytest.raises(ValueError, match="non-negative"):
        check_seeds([-1], integers=True)
    with pytest.raises(TypeError, match="seeds"):
        check_seeds([True], integers=True)
