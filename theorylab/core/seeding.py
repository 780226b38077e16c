"""Seed derivation from one master seed.

Every random stream in theorylab is a child of one master seed, addressed by a stable key and a
repetition index, never by the order in which work is scheduled. The same key therefore gives the
same numbers serially, under joblib and on a Dask cluster. A sweep cell's key is
``{"task": <topic.task>, "params": <canonical parameters, defaults filled>}`` (see
:meth:`theorylab.core.sweep.SweepTask.seed_key`), so two tasks with equal parameters never share a
stream, and keys are canonicalised: an integral float is the same key as the int (``1000.0`` and
``1000`` draw the same numbers), numpy scalars the same as Python ones, dict order is irrelevant.

Repetition ``i`` of work item ``key`` is ``SeedSequence(master, spawn_key=key_words(key) + (i,))``.
:func:`repetition_seeds` returns them as a :class:`RepetitionSeeds` batch, which holds only the master
seed, the key words and the indices: kernels get every run's stream state from it in one compiled call
(:mod:`theorylab.core.seedseq`, numpy's mixing bit for bit), and a SeedSequence object is built only for
the runs someone indexes. :func:`check_seeds` is the one validation of a ``seeds`` argument.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence as SequenceABC
from typing import Any, Sequence

import numpy as np

from theorylab.core.seedseq import batch_states

__all__ = ["stable_hash", "key_words", "seed_sequence", "repetition_seeds", "RepetitionSeeds", "check_seeds",
           "derived_seed", "generators", "uint64_seeds"]


def _canonical(obj: Any) -> Any:
    """Turn ``obj`` into plain JSON-able data with a deterministic layout."""
    if isinstance(obj, dict):
        return {str(k): _canonical(v) for k, v in sorted(obj.items(), key=lambda kv: str(kv[0]))}
    if isinstance(obj, (list, tuple)):
        return [_canonical(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return [_canonical(v) for v in obj.tolist()]
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (np.floating, float)):
        value = float(obj)
        if value.is_integer():  # 1000.0 and 1000 are one key (ints and integral floats draw the same stream)
            return int(value)
        return float(repr(value))
    if isinstance(obj, (str, int)) or obj is None:
        return obj
    raise TypeError(f"cannot derive a stable key from an object of type {type(obj).__name__}")


def stable_hash(obj: Any, length: int = 16) -> str:
    """Hex digest of ``obj`` that does not depend on the process, platform or dict order.

    Parameters
    ----------
    obj : JSON-like (dict, list, str, int, float, bool, None, numpy scalars and arrays)
        Canonicalised first: dict keys sorted, tuples and arrays as lists, numpy scalars as Python ones,
        integral floats as ints. Other types raise TypeError.
    length : int
        Number of hex characters returned (default 16, at most 64).

    Returns
    -------
    str
        The first ``length`` hex characters of the BLAKE2b-256 digest of the canonical compact JSON.

    Examples
    --------
    >>> stable_hash({"b": 1, "a": 2}) == stable_hash({"a": 2, "b": 1})
    True
    """
    text = json.dumps(_canonical(obj), sort_keys=True, separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=32).hexdigest()[:length]


def key_words(key: Any) -> tuple[int, ...]:
    """Four 32-bit words derived from ``key``; used as a SeedSequence spawn key prefix.

    Parameters
    ----------
    key : JSON-like
        The work item's stable identity (see :func:`stable_hash` for what is accepted).

    Returns
    -------
    tuple of int
        Four integers in [0, 2^32): the 32-hex-character :func:`stable_hash` of ``key`` split into 8-digit words.
    """
    digest = stable_hash(key, length=32)
    return tuple(int(digest[i : i + 8], 16) for i in range(0, 32, 8))


def seed_sequence(master_seed: int, key: Any = None, index: int | None = None) -> np.random.SeedSequence:
    """The SeedSequence addressed by ``(key, index)`` under ``master_seed``.

    Parameters
    ----------
    master_seed : int
        Non-negative master seed of the run.
    key : JSON-like, optional
        Stable identity of the work item (e.g. a grid cell's parameters, a claim id).
    index : int, optional
        Repetition index inside the work item.

    Returns
    -------
    numpy.random.SeedSequence
        ``SeedSequence(master_seed, spawn_key=key_words(key) + (index,))``, either part of the spawn key left
        out when ``key`` or ``index`` is None.
    """
    master = _check_master(master_seed)
    words: tuple[int, ...] = key_words(key) if key is not None else ()
    if index is not None:
        if isinstance(index, bool) or not isinstance(index, (int, np.integer)) or index < 0:
            raise ValueError(f"index must be a non-negative integer, got {index!r}")
        words = words + (int(index),)
    return np.random.SeedSequence(master, spawn_key=words)


def _check_master(master_seed) -> int:
    if isinstance(master_seed, bool) or not isinstance(master_seed, (int, np.integer)) or master_seed < 0:
        raise ValueError(f"master_seed must be a non-negative integer, got {master_seed!r}")
    return int(master_seed)


def _repetition_indices(reps) -> np.ndarray:
    """``reps`` (a count or the indices) as a uint64 array of repetition indices."""
    if isinstance(reps, (bool, np.bool_)):
        raise TypeError(f"reps must be an integer or a sequence of integers, got {reps!r}")
    if isinstance(reps, (int, np.integer)):
        if reps < 0:
            raise ValueError(f"reps must be a non-negative integer, got {reps!r}")
        return np.arange(int(reps), dtype=np.uint64)
    if isinstance(reps, range) and reps.step > 0 and reps.start >= 0:
        return np.arange(reps.start, reps.stop, reps.step, dtype=np.int64).astype(np.uint64)
    if isinstance(reps, np.ndarray) and reps.dtype.kind in "iu" and reps.ndim == 1:
        if reps.size and reps.min() < 0:
            raise ValueError(f"repetition index must be a non-negative integer, got {int(reps.min())}")
        return reps.astype(np.uint64)
    if isinstance(reps, (str, bytes)) or not hasattr(reps, "__iter__"):
        raise TypeError(f"reps must be an integer or a sequence of integers, got {type(reps).__name__}")
    out = []
    for i in reps:
        if isinstance(i, (bool, np.bool_)) or not isinstance(i, (int, np.integer)) or i < 0 or i >= 2**64:
            raise ValueError(f"repetition index must be a non-negative integer below 2^64, got {i!r}")
        out.append(int(i))
    return np.array(out, dtype=np.uint64)


class RepetitionSeeds(SequenceABC):
    """The SeedSequences of a batch of repetitions of one work item, kept as numbers until one is needed.

    Element ``i`` is ``numpy.random.SeedSequence(entropy, spawn_key=prefix + (indices[i],))``, built on
    first access and then kept (the same object on every access, as in a list). :meth:`states` gives
    every repetition's kernel stream state in one compiled call (:func:`theorylab.core.seedseq.batch_states`)
    without building any SeedSequence, bit for bit ``generate_state(1, numpy.uint64)[0]`` of each; this
    is what :func:`theorylab.core.streams.init_states` uses, so a batched entry point pays no Python per
    repetition. Slices are RepetitionSeeds again; ``+`` with a list gives a list.

    Parameters
    ----------
    entropy : int
        The master seed.
    prefix : tuple of int
        The spawn key before the repetition index (the work item's :func:`key_words`).
    indices : numpy.ndarray of uint64
        Repetition indices.

    Examples
    --------
    >>> seeds = repetition_seeds(3, "doc", 4)
    >>> len(seeds), seeds[1].spawn_key[-1], len(seeds[1:3])
    (4, 1, 2)
    >>> bool(seeds.states()[2] == seeds[2].generate_state(1, dtype=np.uint64)[0])
    True
    """

    __slots__ = ("entropy", "prefix", "indices", "_built")

    def __init__(self, entropy: int, prefix: tuple = (), indices=(), _built: dict | None = None):
        self.entropy = _check_master(entropy)
        self.prefix = tuple(int(w) for w in prefix)
        self.indices = _repetition_indices(indices)
        self._built = {} if _built is None else _built     # index -> SeedSequence, shared with slices

    def __len__(self) -> int:
        return int(self.indices.size)

    def __getitem__(self, item):
        if isinstance(item, slice):
            return RepetitionSeeds(self.entropy, self.prefix, self.indices[item], self._built)
        if isinstance(item, (bool, np.bool_)) or not isinstance(item, (int, np.integer)):
            raise TypeError(f"RepetitionSeeds indices must be integers or slices, got {type(item).__name__}")
        index = int(self.indices[item])
        seq = self._built.get(index)
        if seq is None:
            seq = self._built[index] = np.random.SeedSequence(self.entropy, spawn_key=self.prefix + (index,))
        return seq

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def __add__(self, other):
        return list(self) + list(other)

    def __radd__(self, other):
        return list(other) + list(self)

    def __reduce__(self):
        return (RepetitionSeeds, (self.entropy, self.prefix, self.indices))

    def __repr__(self) -> str:
        shown = self.indices[:3].tolist()
        more = ", ..." if self.indices.size > 3 else ""
        return f"RepetitionSeeds(entropy={self.entropy}, prefix={self.prefix}, indices={shown}{more} ({len(self)}))"

    def states(self) -> np.ndarray:
        """Kernel stream states, one uint64 per repetition: ``generate_state(1, numpy.uint64)[0]`` of each
        SeedSequence, computed in one compiled call without building them.

        Returns
        -------
        numpy.ndarray of uint64, shape (len(self),)

        Examples
        --------
        >>> repetition_seeds(0, "doc", 3).states().dtype
        dtype('uint64')
        """
        return batch_states(self.entropy, self.prefix, self.indices)


def repetition_seeds(master_seed: int, key: Any, reps: int | Sequence[int]) -> RepetitionSeeds:
    """SeedSequences for repetitions ``range(reps)`` (or the given indices) of work item ``key``.

    Element ``i`` equals ``seed_sequence(master_seed, key, index_i)`` (same entropy, same spawn key, same
    numbers); the key is hashed once for all of them and no SeedSequence is built until one is asked for:
    the batch is a :class:`RepetitionSeeds`, whose kernel states a batched entry point computes in one
    compiled call (:meth:`RepetitionSeeds.states`), so a batch of runs pays no Python per repetition.

    Parameters
    ----------
    master_seed : int
        Non-negative master seed of the run.
    key : JSON-like
        Stable identity of the work item (a grid cell's task and parameters, a claim id, ...).
    reps : int or sequence of int
        Number of repetitions, or the repetition indices themselves (non-negative integers).

    Returns
    -------
    RepetitionSeeds
        A sequence of numpy.random.SeedSequence, one per repetition, in order.

    Examples
    --------
    >>> seeds = repetition_seeds(7, "demo", 3)
    >>> [s.spawn_key[-1] for s in seeds]
    [0, 1, 2]
    >>> one = seed_sequence(7, "demo", 2)
    >>> seeds[2].entropy == one.entropy and seeds[2].spawn_key == one.spawn_key
    True
    """
    master = _check_master(master_seed)
    indices = _repetition_indices(reps)
    words: tuple[int, ...] = key_words(key) if key is not None else ()
    return RepetitionSeeds(master, words, indices)


def check_seeds(seeds, name: str = "seeds", integers: bool = False):
    """Validate the run seeds of a batched entry point: the one check every topic's entry points share.

    Parameters
    ----------
    seeds : sequence of numpy.random.SeedSequence
        One per run (:func:`repetition_seeds`); a single SeedSequence counts as one run. With
        ``integers``, non-negative integers (or an integer array) are accepted too, taken as the stream
        states themselves (tests and audits that need fixed streams).
    name : str
        The parameter named in error messages.
    integers : bool
        Accept integers as well as SeedSequences.

    Returns
    -------
    sequence
        ``seeds`` itself when it is a :class:`RepetitionSeeds` or an integer array, else a list; ready for
        :func:`theorylab.core.streams.init_states`.

    Raises
    ------
    TypeError
        When ``seeds`` is not a sequence or holds something else.
    ValueError
        When ``seeds`` is empty (or, with ``integers``, holds a negative integer).

    Examples
    --------
    >>> len(check_seeds(repetition_seeds(0, "doc", 2)))
    2
    >>> check_seeds([])
    Traceback (most recent call last):
    ...
    ValueError: seeds must hold at least one SeedSequence
    """
    what = "SeedSequence" + (" or non-negative integer" if integers else "")
    hint = " (use theorylab.core.seeding.repetition_seeds)"
    if isinstance(seeds, RepetitionSeeds):
        if not len(seeds):
            raise ValueError(f"{name} must hold at least one {what}")
        return seeds
    if isinstance(seeds, np.random.SeedSequence):
        return [seeds]
    if integers and isinstance(seeds, np.ndarray) and seeds.dtype.kind in "iu":
        if seeds.ndim != 1 or not seeds.size:
            raise ValueError(f"{name} must be a non-empty one-dimensional array, got shape {seeds.shape}")
        if seeds.dtype.kind == "i" and seeds.min() < 0:
            raise ValueError(f"{name} must hold non-negative integers, got {int(seeds.min())}")
        return seeds
    if isinstance(seeds, (str, bytes, dict)) or not hasattr(seeds, "__iter__"):
        raise TypeError(f"{name} must be a sequence of numpy.random.SeedSequence objects, "
                        f"got {type(seeds).__name__}{hint}")
    seeds = list(seeds)
    if not seeds:
        raise ValueError(f"{name} must hold at least one {what}")
    if set(map(type, seeds)) != {np.random.SeedSequence}:
        for s in seeds:
            if isinstance(s, np.random.SeedSequence):
                continue
            if integers and isinstance(s, (int, np.integer)) and not isinstance(s, (bool, np.bool_)):
                if s < 0:
                    raise ValueError(f"{name} must hold non-negative integers, got {s}")
                continue
            raise TypeError(f"{name} must hold numpy.random.SeedSequence objects"
                            f"{' or integers' if integers else ''}, got {type(s).__name__}{hint}")
    return seeds


def derived_seed(master_seed: int, key: Any, index: int | None = None) -> int:
    """An integer seed addressed by ``(key, index)`` under ``master_seed``, by SeedSequence spawning.

    For constructors that take an integer seed (a random instance, a pilot run): the integer is the first
    64-bit word of ``seed_sequence(master_seed, key, index)``, so different keys, indices or master seeds
    never share it by construction, unlike ``master_seed + offset`` arithmetic, whose ranges overlap
    across master seeds.

    Parameters
    ----------
    master_seed : int
        Non-negative master seed of the run.
    key : JSON-like
        What the seed is for (e.g. ``"tallying.m1_instance"``).
    index : int, optional
        Which one of several.

    Returns
    -------
    int
        A non-negative integer below 2**64.

    Examples
    --------
    >>> a, b = derived_seed(0, "demo.instance", 1), derived_seed(1, "demo.instance", 0)
    >>> a == derived_seed(0, "demo.instance", 1) != b
    True
    """
    return int(uint64_seeds([seed_sequence(master_seed, key, index)])[0])


def generators(seeds: Sequence[np.random.SeedSequence]) -> list[np.random.Generator]:
    """One PCG64 Generator per SeedSequence.

    Parameters
    ----------
    seeds : sequence of numpy.random.SeedSequence
        E.g. from :func:`repetition_seeds`.

    Returns
    -------
    list of numpy.random.Generator
        ``numpy.random.default_rng(s)`` for each seed, in order (for reference implementations; kernels use
        :func:`theorylab.core.streams.init_states` instead).
    """
    return [np.random.default_rng(s) for s in seeds]


def uint64_seeds(seeds: Sequence[np.random.SeedSequence]) -> np.ndarray:
    """One uint64 per SeedSequence (``generate_state(1, numpy.uint64)[0]``), for kernels that build their
    own generator from a seed; a :class:`RepetitionSeeds` batch in one compiled call.

    Parameters
    ----------
    seeds : sequence of numpy.random.SeedSequence
        A :class:`RepetitionSeeds` batch or any sequence of SeedSequences.

    Returns
    -------
    numpy.ndarray of uint64, shape (len(seeds),)
        The first 64-bit word of each seed's state, the same numbers :func:`theorylab.core.streams.init_states` gives.
    """
    if isinstance(seeds, RepetitionSeeds):
        return seeds.states()
    return np.array([s.generate_state(1, dtype=np.uint64)[0] for s in seeds], dtype=np.uint64)
