"""Per-run random inputs of the linear kernels, drawn from each run's SeedSequence.

Each run r gets its own PCG64 generator from ``seeds[r]`` (a :class:`numpy.random.SeedSequence` from
:func:`theorylab.core.seeding.repetition_seeds`) and draws, in this order: K tie-breaking priorities
(uniform on [0, 1); ties between actions go to the highest priority, so each tie is broken uniformly at
random and the result does not depend on action labels) and then, if asked, K standard normals (the
normalised noise of each action's mean reward estimate). A run's numbers depend on its seed only, not on
the batch it is in. [ours; docs/topics/linear.md#randomness]
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

__all__ = ["check_seeds", "run_draws"]


def check_seeds(seeds) -> list[np.random.SeedSequence]:
    """``seeds`` as a non-empty list of SeedSequences (TypeError/ValueError naming ``seeds`` otherwise)."""
    if isinstance(seeds, np.random.SeedSequence):
        seeds = [seeds]
    try:
        seeds = list(seeds)
    except TypeError as exc:
        raise TypeError("seeds must be a sequence of numpy.random.SeedSequence "
                        "(use theorylab.core.seeding.repetition_seeds)") from exc
    if not seeds:
        raise ValueError("seeds must hold at least one SeedSequence")
    for s in seeds:
        if not isinstance(s, np.random.SeedSequence):
            raise TypeError(f"seeds must hold numpy.random.SeedSequence objects, got {type(s).__name__} "
                            "(use theorylab.core.seeding.repetition_seeds)")
    return seeds


def run_draws(seeds: Sequence[np.random.SeedSequence], K: int, normals: bool = True,
              n_normals: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Priorities (R, K) and standard normals (R, n_normals or K; (R, 0) if ``normals`` is False)."""
    seeds = check_seeds(seeds)
    n = K if n_normals is None else n_normals
    prio = np.empty((len(seeds), K))
    z = np.empty((len(seeds), n if normals else 0))
    for i, s in enumerate(seeds):
        rng = np.random.default_rng(s)
        prio[i] = rng.random(K)
        if normals:
            z[i] = rng.standard_normal(n)
    return prio, z
