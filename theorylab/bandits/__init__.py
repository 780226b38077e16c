"""Bandits: classic baselines shared by every bandit topic, and the bandit topics as subpackages.

Topic ``classic`` lives here: environments, the generic kernels, the classic algorithms, their bounds,
claims and figures.
"""

from theorylab.bandits.classic import BAI_ALGORITHMS, REGRET_ALGORITHMS
from theorylab.bandits.environments import INSTANCE_NAMES

ALGORITHMS = {**REGRET_ALGORITHMS, **BAI_ALGORITHMS}
INSTANCES = dict(INSTANCE_NAMES)

__all__ = ["ALGORITHMS", "INSTANCES"]
