"""Former name of :mod:`theorylab.bandits.algorithms` (the classic algorithms), kept as an alias while the
branches that still import it are merged; new code imports :mod:`theorylab.bandits.algorithms`."""

from theorylab.bandits.algorithms import *  # noqa: F401,F403
from theorylab.bandits.algorithms import __all__  # noqa: F401
