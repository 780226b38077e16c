"""Settings every test of the repository shares.

Hypothesis: no per-example deadline (a numba compilation or a loaded machine makes the first example
slow, which says nothing about the property), and under CI (``CI`` set, as ``.ci/run`` runs) the
examples are derived deterministically, so a red CI run is reproducible and never a matter of luck;
locally the search stays random. A test's own ``@settings`` still overrides these.
"""

import os

from hypothesis import settings

settings.register_profile("theorylab", deadline=None)
settings.register_profile("theorylab-ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("theorylab-ci" if os.environ.get("CI") else "theorylab")
