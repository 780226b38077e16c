"""Seed derivation from one master seed.

Every random stream in theorylab is a child of one master seed, addressed by a stable key and a
repetition index, never by the order in which work is scheduled. The same key therefore gives the
same numbers serially, under joblib and on a Dask cluster. A sweep cell's key is
``{"task": <topic.task>, "params": <canonical parameters, defaults filled>}`` (see
:meth:`theorylab.core.sweep.SweepTask.seed_key`), so two tasks with equal parameters never share a
stream, and keys are canonicalised: an integral float is the same key as the int (``1000.0`` and
``1000`` draw the same numbers), numpy scalars the same as Python ones, dict order is irrelevant.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Sequence

import numpy as np

__all__ = ["stable_hash", "key_words", "seed_sequence", "repetition_seeds", "derived_seed", "generators",
           "uint64_seeds"]


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
    length : int
        Number of hex characters returned.

    Examples
    --------
    >>> stable_hash({"b": 1, "a": 2}) == stable_hash({"a": 2, "b": 1})
    True
    """
    text = json.dumps(_canonical(obj), sort_keys=True, separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=32).hexdigest()[:length]


def key_words(key: Any) -> tuple[int, ...]:
    """Four 32-bit words derived from ``key``; used as a SeedSequence spawn key prefix."""
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
    """
    if isinstance(master_seed, bool) or not isinstance(master_seed, (int, np.integer)) or master_seed < 0:
        raise ValueError(f"master_seed must be a non-negative integer, got {master_seed!r}")
    words: tuple[int, ...] = key_words(key) if key is not None else ()
    if index is not None:
        if isinstance(index, bool) or not isinstance(index, (int, np.integer)) or index < 0:
            raise ValueError(f"index must be a non-negative integer, got {index!r}")
        words = words + (int(index),)
    return np.random.SeedSequence(int(master_seed), spawn_key=words)


def repetition_seeds(master_seed: int, key: Any, reps: int | Sequence[int]) -> list[np.random.SeedSequence]:
    """SeedSequences for repetitions ``range(reps)`` (or the given indices) of work item ``key``.

    Element ``i`` equals ``seed_sequence(master_seed, key, index_i)``; the key is hashed once for all of
    them, so a batch of runs pays about the cost of building its SeedSequences, not of hashing the key
    per run.

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
    list of numpy.random.SeedSequence
        One per repetition, in order.

    Examples
    --------
    >>> seeds = repetition_seeds(7, "demo", 3)
    >>> [s.spawn_key[-1] for s in seeds]
    [0, 1, 2]
    >>> seeds[2].entropy == seed_sequence(7, "demo", 2).entropy and seeds[2].spawn_key == seed_sequence(7, "demo", 2).spawn_key
    True
    """
    if isinstance(master_seed, bool) or not isinstance(master_seed, (int, np.integer)) or master_seed < 0:
        raise ValueError(f"master_seed must be a non-negative integer, got {master_seed!r}")
    if isinstance(reps, bool):
        raise TypeError(f"reps must be an integer or a sequence of integers, got {reps!r}")
    indices = range(reps) if isinstance(reps, (int, np.integer)) else reps
    words: tuple[int, ...] = key_words(key) if key is not None else ()
    master = int(master_seed)
    out = []
    for i in indices:
        if isinstance(i, bool) or not isinstance(i, (int, np.integer)) or i < 0:
            raise ValueError(f"repetition index must be a non-negative integer, got {i!r}")
        out.append(np.random.SeedSequence(master, spawn_key=words + (int(i),)))
    return out


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
    >>> derived_seed(0, "demo.instance", 1) == derived_seed(0, "demo.instance", 1) != derived_seed(1, "demo.instance", 0)
    True
    """
    return int(uint64_seeds([seed_sequence(master_seed, key, index)])[0])


def generators(seeds: Sequence[np.random.SeedSequence]) -> list[np.random.Generator]:
    """One PCG64 Generator per SeedSequence."""
    return [np.random.default_rng(s) for s in seeds]


def uint64_seeds(seeds: Sequence[np.random.SeedSequence]) -> np.ndarray:
    """One uint64 per SeedSequence, for kernels that build their own generator from a seed."""
    return np.array([s.generate_state(1, dtype=np.uint64)[0] for s in seeds], dtype=np.uint64)
