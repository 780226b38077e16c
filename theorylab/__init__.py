"""theorylab: executable theorems for bandits, games and optimisation.

Each topic subpackage holds instances, algorithms, numba kernels, the papers' bounds as plain
functions, executable claims that check those bounds against simulation, and figure definitions.
"""

__version__ = "0.1.0"

# numba's kernel cache, one directory per version of the source (before any kernel is defined)
from theorylab._numba_cache import configure as _configure_numba_cache  # noqa: E402

_configure_numba_cache()
