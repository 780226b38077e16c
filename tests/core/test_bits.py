"""theorylab.core.bits: the wide product is exact, the select is a select, and the samplers built on them
give the same bits as the 32-bit-limb arithmetic they replaced."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from numba import njit

from theorylab.core import alias as ba
from theorylab.core.bits import mul_wide, select_unpredictable
from theorylab.core.streams import next_word, uniform_int

U64 = st.integers(0, 2**64 - 1)
_S32 = np.uint64(32)
_LOW32 = np.uint64(0xFFFFFFFF)


@njit(cache=True)
def _wide(a, b):
    return mul_wide(a, b)


@njit(cache=True)
def _select(c, a, b):
    return select_unpredictable(c, a, b)


@njit(cache=True)
def _limb_high(w, n):
    # the former arithmetic: high half of w * n from 32-bit limbs, exact for n < 2^32
    return ((w >> _S32) * n + (((w & _LOW32) * n) >> _S32)) >> _S32


@njit(cache=True)
def _uniform_int_both(state, n, count):
    # the production sampler, and Lemire's rule with the limb arithmetic, on the same stream
    fast = np.empty(count, np.int64)
    limb = np.empty(count, np.int64)
    s = state
    for i in range(count):
        s, fast[i] = uniform_int(s, n)
    m = np.uint64(n)
    s = state
    for i in range(count):
        while True:
            s, w = next_word(s)
            low = w * m
            if low >= (np.uint64(0) - m) % m:
                limb[i] = np.int64(_limb_high(w, m))
                break
    return fast, limb


@njit(cache=True)
def _cells_both(words, offset, size):
    n = np.uint64(size)
    a = np.empty(words.size, np.int64)
    b = np.empty(words.size, np.int64)
    for i in range(words.size):
        k, coin = ba.alias_cell(words[i], offset, size)
        a[i] = k
        b[i] = offset + np.int64(_limb_high(words[i], n))
        if coin != words[i] * n:
            b[i] = -1
    return a, b


@settings(max_examples=300, deadline=None)
@given(U64, U64)
def test_mul_wide_is_the_exact_128_bit_product(a, b):
    high, low = _wide(np.uint64(a), np.uint64(b))
    assert (int(high) << 64) | int(low) == a * b


def test_mul_wide_edge_cases():
    top = 2**64 - 1
    for a, b in [(0, 0), (1, top), (top, top), (2**63, 2), (2**32, 2**32), (2**32 - 1, 2**32 + 1)]:
        high, low = _wide(np.uint64(a), np.uint64(b))
        assert (int(high), int(low)) == divmod(a * b, 2**64)


@given(st.booleans(), st.integers(-2**63, 2**63 - 1), st.integers(-2**63, 2**63 - 1))
def test_select_unpredictable_selects(c, a, b):
    assert _select(c, np.int64(a), np.int64(b)) == (a if c else b)
    ua, ub = np.uint64(a % 2**64), np.uint64(b % 2**64)
    assert _select(c, ua, ub) == (ua if c else ub)


@settings(max_examples=60, deadline=None)
@given(U64, st.integers(1, 2**32 - 1))
def test_uniform_int_draws_what_the_limb_arithmetic_drew(state, n):
    fast, limb = _uniform_int_both(np.uint64(state), n, 64)
    assert np.array_equal(fast, limb)


@settings(max_examples=60, deadline=None)
@given(st.lists(U64, min_size=1, max_size=64), st.integers(0, 10**6), st.integers(1, 2**32 - 1))
def test_alias_cells_are_the_limb_arithmetic_cells(words, offset, size):
    a, b = _cells_both(np.array(words, dtype=np.uint64), offset, size)
    assert np.array_equal(a, b)


def test_uniform_int_is_exact_beyond_32_bits():
    # the wide product lifts the n < 2^32 limit: n = 3 2^40 splits the words into three equal ranges
    n = 3 * 2**40
    fast, _ = _uniform_int_both(np.uint64(7), n, 30_000)
    assert fast.min() >= 0 and fast.max() < n
    counts = np.bincount(fast // 2**40, minlength=3)
    assert counts.size == 3 and np.all(np.abs(counts - 10_000) < 5 * np.sqrt(10_000 * 2 / 3))
