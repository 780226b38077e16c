"""Bandits: classic baselines shared by every bandit topic, and the bandit topics as subpackages.

Topic ``classic`` lives here, in the rooms every topic has: ``instances`` (the bandit environments),
``algorithms`` (UCB1, Thompson sampling, EXP3, explore-then-commit, successive elimination, Successive
Rejects, Sequential Halving), ``kernels`` (the two generic batched numba kernels), ``bounds``, ``claims``,
``experiments`` (figures), ``tasks`` (sweep tasks), ``reference`` (the references of the tests) and
``bench``. (``classic`` and ``environments`` are aliases of ``algorithms`` and ``instances``.)
"""

from theorylab.bandits.algorithms import BAI_ALGORITHMS, REGRET_ALGORITHMS
from theorylab.bandits.instances import INSTANCE_NAMES

ALGORITHMS = {**REGRET_ALGORITHMS, **BAI_ALGORITHMS}
INSTANCES = dict(INSTANCE_NAMES)

__all__ = ["ALGORITHMS", "INSTANCES"]
