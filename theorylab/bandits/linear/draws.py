"""Per-run random inputs of the linear algorithms, drawn from each run's ``theorylab.core.streams`` state.

Each run r's stream comes from ``seeds[r]`` (a :class:`numpy.random.SeedSequence` from
:func:`theorylab.core.seeding.repetition_seeds`) through :func:`theorylab.core.streams.init_states`; it
draws, in this order, K tie-breaking priorities (uniform on (0, 1); ties between actions go to the highest
priority, so each tie is broken uniformly at random and the result does not depend on action labels) and
then, if asked, standard normals (the normalised noise of each action's mean estimate). A run's numbers
depend on its seed only, not on the batch it is in. [ours; docs/topics/linear.md#randomness: this replaces
the lowest-index tie rule of our planning notes by the project's random tie-breaking]
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from theorylab.bandits.linear import kernels
from theorylab.core.seeding import check_seeds
from theorylab.core.streams import init_states

__all__ = ["check_seeds", "states_for", "run_draws"]


def states_for(seeds) -> np.ndarray:
    """Kernel states (uint64, one per run) of a batch of seeds (validated).

    Parameters
    ----------
    seeds : sequence of numpy.random.SeedSequence

    Returns
    -------
    uint64 array (R,)

    Examples
    --------
    >>> from theorylab.core.seeding import repetition_seeds
    >>> states_for(repetition_seeds(0, "doc", 2)).shape
    (2,)
    """
    return init_states(check_seeds(seeds))


def run_draws(seeds: Sequence[np.random.SeedSequence], K: int, normals: bool = True,
              n_normals: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Priorities (R, K) and standard normals (R, n_normals or K; (R, 0) if ``normals`` is False).

    Parameters
    ----------
    seeds : sequence of numpy.random.SeedSequence
        One per run.
    K : int
        Number of actions.
    normals : bool
        Whether to draw normals.
    n_normals : int, optional
        Normals per run (default K).

    Returns
    -------
    (float array (R, K), float array (R, n))
        Priorities in (0, 1) and standard normals.

    Examples
    --------
    >>> from theorylab.core.seeding import repetition_seeds
    >>> prio, z = run_draws(repetition_seeds(0, "doc", 2), 4, n_normals=3)
    >>> prio.shape, z.shape
    ((2, 4), (2, 3))
    """
    n = (K if n_normals is None else int(n_normals)) if normals else 0
    return kernels.run_draws(states_for(seeds), int(K), n)
