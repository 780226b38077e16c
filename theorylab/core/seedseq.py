"""numpy's :class:`numpy.random.SeedSequence`, compiled: the kernel states of a batch of runs in one call.

A run's stream state is ``SeedSequence(entropy, spawn_key=prefix + (index,)).generate_state(1, uint64)``
(:mod:`theorylab.core.seeding`). Building one SeedSequence object per run costs tens of microseconds of
Python, more than a Sequential Halving run itself. This module computes the same numbers, bit for bit,
without building the objects: numpy's entropy pool is a hash of the assembled entropy words (the entropy,
zero-padded to the pool size, then the spawn key), mixed word by word with a running hash constant, so
the pool state after the words every run of a batch shares (entropy and key prefix) is computed once and
each run only mixes its own index word(s) into a copy of it. [derived: numpy's algorithm
(``numpy/random/bit_generator.pyx``, after M. E. O'Neill's ``seed_seq`` replacement), re-implemented
here and pinned to numpy by the tests for many entropies (including 128-bit and longer ones), spawn keys
of several lengths and indices that need two words.]

The algorithm, as numpy runs it (all arithmetic on 32-bit words, modulo 2^32):

- *entropy words*: a non-negative integer becomes its base-2^32 digits, least significant first (0 is
  the single word 0); a sequence of integers the concatenation of its elements' words;
- *assembly*: entropy words, padded with zeros to the pool size when the spawn key is not empty, then
  the spawn key's words;
- *hashmix(v)*: ``v ^= h; h *= MULT_A; v *= h; v ^= v >> 16`` with a hash constant ``h`` that starts at
  INIT_A and runs on through the whole mixing;
- *pool*: the first ``pool_size`` words hashed into the pool (0 for missing ones), every pool word then
  mixed into every other one, then every further word mixed into every pool word by
  ``mix(x, y) = (MIX_L x - MIX_R y) ^ (... >> 16)``;
- *generate_state(n)*: pool words cycled, each hashed with a second constant (INIT_B, MULT_B); two
  32-bit words make one little-endian 64-bit word.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from numba import njit

__all__ = ["entropy_words", "assembled_entropy", "pool", "generate_state", "spawn_states", "batch_states"]

_MASK = np.uint64(0xFFFFFFFF)
_INIT_A = np.uint64(0x43B0D7E5)
_MULT_A = np.uint64(0x931E8875)
_INIT_B = np.uint64(0x8B51F9DD)
_MULT_B = np.uint64(0x58F38DED)
_MIX_L = np.uint64(0xCA01F9DD)
_MIX_R = np.uint64(0x4973F715)
_HALF = np.uint64(16)
_WORD = np.uint64(32)
_POOL = 4                        # numpy's default pool size (128 bits)


# ---------------------------------------------------------------------------------------------------
# entropy words (Python: runs once per batch)

def _int_words(value: int, name: str) -> list[int]:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must hold non-negative integers, got {type(value).__name__}")
    value = int(value)
    if value < 0:
        raise ValueError(f"{name} must hold non-negative integers, got {value}")
    words = [value & 0xFFFFFFFF]
    value >>= 32
    while value:
        words.append(value & 0xFFFFFFFF)
        value >>= 32
    return words


def entropy_words(value: Any, name: str = "entropy") -> np.ndarray:
    """numpy's 32-bit words of an entropy value or a spawn key (its ``_coerce_to_uint32_array``).

    Parameters
    ----------
    value : int or sequence of int
        A non-negative integer (its base-2^32 digits, least significant first; 0 gives one word) or a
        flat sequence of them (the concatenation of their words). A uint32 array is taken as is.
    name : str
        The parameter named in error messages.

    Returns
    -------
    numpy.ndarray of uint32

    Examples
    --------
    >>> entropy_words(2**32 + 5).tolist()
    [5, 1]
    >>> entropy_words((0, 7)).tolist()
    [0, 7]
    """
    if isinstance(value, np.ndarray) and value.dtype == np.uint32:
        return value.ravel().copy()
    if isinstance(value, (int, np.integer)) or isinstance(value, (bool, np.bool_)):
        return np.array(_int_words(value, name), dtype=np.uint32)
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise TypeError(f"{name} must be a non-negative integer or a sequence of them, got {type(value).__name__}")
    words: list[int] = []
    for v in value:
        words.extend(_int_words(v, name))
    return np.array(words, dtype=np.uint32)


def assembled_entropy(entropy: Any, spawn_key: Any = (), pool_size: int = _POOL) -> np.ndarray:
    """The words numpy mixes into a SeedSequence's pool: entropy (zero-padded to ``pool_size`` when the
    spawn key is not empty), then the spawn key.

    Parameters
    ----------
    entropy : int or sequence of int
    spawn_key : sequence of int
    pool_size : int
        At least 4 (numpy's minimum and default).

    Returns
    -------
    numpy.ndarray of uint32

    Examples
    --------
    >>> assembled_entropy(3, (9,)).tolist()
    [3, 0, 0, 0, 9]
    >>> assembled_entropy(3).tolist()
    [3]
    """
    run = entropy_words(entropy, "entropy")
    key = entropy_words(tuple(spawn_key), "spawn_key")
    if key.size and run.size < pool_size:
        run = np.concatenate([run, np.zeros(pool_size - run.size, dtype=np.uint32)])
    return np.concatenate([run, key])


def _check_pool_size(pool_size) -> int:
    if isinstance(pool_size, bool) or not isinstance(pool_size, (int, np.integer)) or pool_size < _POOL:
        raise ValueError(f"pool_size must be an integer >= {_POOL}, got {pool_size!r}")
    return int(pool_size)


# ---------------------------------------------------------------------------------------------------
# the compiled mixing (32-bit words held in uint64 and masked)

@njit(cache=True, inline="always")
def _hashmix(value, h):
    """(hashed value, next hash constant): numpy's ``hashmix``."""
    v = value ^ h
    h = (h * _MULT_A) & _MASK
    v = (v * h) & _MASK
    return v ^ (v >> _HALF), h


@njit(cache=True, inline="always")
def _mix(x, y):
    """numpy's ``mix`` of a pool word ``x`` with a hashed word ``y``."""
    r = (_MIX_L * x - _MIX_R * y) & _MASK
    return r ^ (r >> _HALF)


@njit(cache=True, inline="always")
def _absorb(mixer, h, word):
    """Mix one further entropy word into every pool word; returns the hash constant."""
    for dst in range(mixer.size):
        v, h = _hashmix(word, h)
        mixer[dst] = _mix(mixer[dst], v)
    return h


@njit(cache=True)
def _mix_entropy(words, pool_size):
    """(pool, hash constant) after mixing the assembled entropy ``words`` (uint64 holding 32-bit words):
    numpy's ``mix_entropy``, with the hash constant returned so that more words can be absorbed later."""
    mixer = np.empty(pool_size, dtype=np.uint64)
    h = _INIT_A
    for i in range(pool_size):
        mixer[i], h = _hashmix(words[i] if i < words.size else np.uint64(0), h)
    for src in range(pool_size):
        for dst in range(pool_size):
            if src != dst:
                v, h = _hashmix(mixer[src], h)
                mixer[dst] = _mix(mixer[dst], v)
    for src in range(pool_size, words.size):
        h = _absorb(mixer, h, words[src])
    return mixer, h


@njit(cache=True, inline="always")
def _output(mixer, out, r):
    """``generate_state(out.shape[1], uint64)`` of the pool ``mixer`` into row ``r`` of ``out``."""
    h = _INIT_B
    low = np.uint64(0)
    for j in range(2 * out.shape[1]):
        v = mixer[j % mixer.size] ^ h
        h = (h * _MULT_B) & _MASK
        v = (v * h) & _MASK
        v = v ^ (v >> _HALF)
        if j % 2 == 0:
            low = v
        else:
            out[r, j // 2] = low | (v << _WORD)


@njit(cache=True)
def _spawn_states(base, h0, indices, n_words):
    """Row r: the state words of the pool ``base`` (hash constant ``h0``) with ``indices[r]`` absorbed as
    the spawn key's last element (one word below 2^32, else two)."""
    R = indices.size
    out = np.empty((R, n_words), dtype=np.uint64)
    mixer = np.empty(base.size, dtype=np.uint64)
    for r in range(R):
        mixer[:] = base
        index = indices[r]
        h = _absorb(mixer, h0, index & _MASK)
        if index >> _WORD:
            _absorb(mixer, h, index >> _WORD)
        _output(mixer, out, r)
    return out


@njit(cache=True)
def _pool_output(mixer, n_words):
    out = np.empty((1, n_words), dtype=np.uint64)
    _output(mixer, out, 0)
    return out[0]


# ---------------------------------------------------------------------------------------------------
# public functions

def pool(entropy: Any, spawn_key: Any = (), pool_size: int = _POOL) -> np.ndarray:
    """The entropy pool of ``SeedSequence(entropy, spawn_key=spawn_key, pool_size=pool_size)``.

    Parameters
    ----------
    entropy : int or sequence of int
        Non-negative.
    spawn_key : sequence of int
        Non-negative.
    pool_size : int
        At least 4.

    Returns
    -------
    numpy.ndarray of uint32, shape (pool_size,)
        Equal to the SeedSequence's ``pool``.

    Examples
    --------
    >>> bool((pool(2**100 + 1, (3, 4)) == np.random.SeedSequence(2**100 + 1, spawn_key=(3, 4)).pool).all())
    True
    """
    size = _check_pool_size(pool_size)
    words = assembled_entropy(entropy, spawn_key, size).astype(np.uint64)
    return _mix_entropy(words, size)[0].astype(np.uint32)


def generate_state(pool_words, n_words: int, dtype=np.uint32) -> np.ndarray:
    """``SeedSequence.generate_state(n_words, dtype)`` of a SeedSequence whose pool is ``pool_words``.

    Parameters
    ----------
    pool_words : array_like of uint32
        A pool (:func:`pool`, or a SeedSequence's ``pool``).
    n_words : int
        Number of output words (of ``dtype``).
    dtype : numpy.uint32 or numpy.uint64

    Returns
    -------
    numpy.ndarray of ``dtype``, shape (n_words,)

    Examples
    --------
    >>> s = np.random.SeedSequence(5, spawn_key=(1,))
    >>> bool((generate_state(s.pool, 3, np.uint64) == s.generate_state(3, np.uint64)).all())
    True
    """
    dtype = np.dtype(dtype)
    if dtype not in (np.dtype(np.uint32), np.dtype(np.uint64)):
        raise ValueError(f"dtype must be numpy.uint32 or numpy.uint64, got {dtype}")
    if isinstance(n_words, bool) or not isinstance(n_words, (int, np.integer)) or n_words < 0:
        raise ValueError(f"n_words must be a non-negative integer, got {n_words!r}")
    mixer = np.asarray(pool_words, dtype=np.uint64).ravel()
    if mixer.size < 1:
        raise ValueError("pool_words must not be empty")
    wide = _pool_output(mixer, (int(n_words) + 1) // 2 if dtype == np.uint32 else int(n_words))
    if dtype == np.uint64:
        return wide
    return wide.astype("<u8").view("<u4")[: int(n_words)].astype(np.uint32)


def spawn_states(entropy: Any, spawn_prefix: Any, indices, n_words: int = 1, pool_size: int = _POOL) -> np.ndarray:
    """``SeedSequence(entropy, spawn_key=spawn_prefix + (i,)).generate_state(n_words, uint64)`` for every
    ``i`` in ``indices``, in one compiled call and without building the SeedSequences.

    The pool after the shared words (entropy and prefix) is mixed once; each run then absorbs its own
    index. This is how :mod:`theorylab.core.seeding` turns a batch of repetitions into kernel states
    (``n_words=1``), and it also gives the children of ``SeedSequence.spawn``: the k-th child of a
    SeedSequence ``s`` is ``spawn_prefix = s.spawn_key``, ``i = s.n_children_spawned + k``.

    Parameters
    ----------
    entropy : int or sequence of int
        The SeedSequence's entropy (the master seed), non-negative.
    spawn_prefix : sequence of int
        The spawn key's elements before the last one (non-negative; may be empty).
    indices : array_like of int
        The spawn key's last element for each run, in [0, 2^64).
    n_words : int
        64-bit state words per run.
    pool_size : int
        At least 4 (numpy's default 4).

    Returns
    -------
    numpy.ndarray of uint64, shape (len(indices), n_words)

    Examples
    --------
    >>> st = spawn_states(7, (11, 12), [0, 5])
    >>> int(st[1, 0]) == int(np.random.SeedSequence(7, spawn_key=(11, 12, 5)).generate_state(1, np.uint64)[0])
    True
    """
    size = _check_pool_size(pool_size)
    if isinstance(n_words, bool) or not isinstance(n_words, (int, np.integer)) or n_words < 1:
        raise ValueError(f"n_words must be a positive integer, got {n_words!r}")
    idx = _index_array(indices)
    base, h = _prefix_pool(_hashable(entropy, "entropy"), _hashable(spawn_prefix, "spawn_prefix"), size)
    return _spawn_states(base, h, idx, int(n_words))


def batch_states(entropy: int, prefix: tuple, indices: np.ndarray) -> np.ndarray:
    """``spawn_states(entropy, prefix, indices)[:, 0]`` (pool size 4) without argument checks, for callers
    whose fields are already validated (:class:`theorylab.core.seeding.RepetitionSeeds`): an int entropy,
    a tuple of ints and a 1-d uint64 array.

    Parameters
    ----------
    entropy : int
    prefix : tuple of int
    indices : numpy.ndarray of uint64

    Returns
    -------
    numpy.ndarray of uint64, shape (indices.size,)

    Examples
    --------
    >>> bool((batch_states(3, (1,), np.arange(4, dtype=np.uint64)) == spawn_states(3, (1,), range(4))[:, 0]).all())
    True
    """
    base, h = _prefix_pool(entropy, prefix, _POOL)
    return _spawn_states(base, h, indices, 1)[:, 0]


def _hashable(value: Any, name: str):
    """An int or a tuple of ints (the cache key of :func:`_prefix_pool`); checked by entropy_words."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return int(value)
    if isinstance(value, np.ndarray):
        return tuple(entropy_words(value, name).tolist()) if value.dtype == np.uint32 else tuple(value.tolist())
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise TypeError(f"{name} must be a non-negative integer or a sequence of them, got {type(value).__name__}")
    return tuple(value)


@lru_cache(maxsize=256)
def _prefix_pool(entropy, prefix: tuple, pool_size: int):
    """(pool, hash constant) after the words every run of a batch shares: the entropy (padded to the pool
    size: the spawn key is not empty) and the spawn-key prefix. Remembered: a sweep cell's chunks and a
    claim's repeated calls share it. The caller must not modify the pool (the batch kernel copies it)."""
    words = assembled_entropy(entropy, prefix + (0,), pool_size)[:-1].astype(np.uint64)
    base, h = _mix_entropy(words, pool_size)
    base.setflags(write=False)
    return base, h


def _index_array(indices) -> np.ndarray:
    """``indices`` as a uint64 array of integers in [0, 2^64) (ValueError/TypeError naming ``indices``)."""
    if isinstance(indices, np.ndarray) and indices.dtype == np.uint64 and indices.ndim == 1:
        return indices
    if isinstance(indices, range):
        if len(indices) and min(indices[0], indices[-1]) < 0:
            raise ValueError(f"indices must be non-negative, got {indices!r}")
        if len(indices) and max(indices[0], indices[-1]) >= 2**63:
            return np.array(list(indices), dtype=np.uint64)
        return np.arange(indices.start, indices.stop, indices.step, dtype=np.int64).astype(np.uint64)
    if not isinstance(indices, np.ndarray):
        if isinstance(indices, (str, bytes)) or not hasattr(indices, "__iter__"):
            raise TypeError(f"indices must be a sequence of integers, got {type(indices).__name__}")
        values = list(indices)
        for v in values:
            if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)):
                raise TypeError(f"indices must be integers, got {type(v).__name__}")
            if not 0 <= v < 2**64:
                raise ValueError(f"indices must lie in [0, 2^64), got {v}")
        return np.array([int(v) for v in values], dtype=np.uint64)
    arr = indices
    if arr.ndim != 1:
        raise ValueError(f"indices must be one-dimensional, got shape {arr.shape}")
    if arr.dtype.kind not in "iu":
        raise TypeError(f"indices must be integers, got dtype {arr.dtype}")
    if arr.size and arr.dtype.kind == "i" and arr.min() < 0:
        raise ValueError(f"indices must be non-negative, got {int(arr.min())}")
    return arr.astype(np.uint64)
