"""Former name of :mod:`theorylab.bandits.instances` (the classic bandit instances), kept as an alias while
the branches that still import it are merged; new code imports :mod:`theorylab.bandits.instances`."""

from theorylab.bandits.instances import *  # noqa: F401,F403
from theorylab.bandits.instances import __all__  # noqa: F401
