"""theorylab: executable theorems for bandits, games and optimisation.

Each topic subpackage holds instances, algorithms, numba kernels, the papers' bounds as plain
functions, executable claims that check those bounds against simulation, and figure definitions.
"""

__version__ = "0.1.0"
