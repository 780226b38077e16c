"""Cold compile time of numba kernels: a first call in a fresh process with an empty numba cache."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

__all__ = ["cold_compile_seconds"]


def cold_compile_seconds(code: str) -> float:
    """Run ``code`` in a fresh interpreter whose numba cache is an empty directory.

    ``code`` must print the seconds it measured as its last output line; that number is returned.
    Benchmarks use it to report compilation apart from throughput (compile time counts too).
    """
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache)
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])
