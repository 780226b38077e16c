"""Compile cost of the numba kernels: cold and warm processes, and how many specialisations they compile.

A kernel is compiled once per argument-type signature (a *specialisation*) and, with ``cache=True``,
written to the on-disk cache, so a second process loads it instead of compiling (it starts *warm*).
These helpers measure that from outside: a fresh interpreter against an empty cache directory (cold)
and again against the filled one (warm), and count the specialisations two ways -- the compiled-code
files in the cache directory (one ``.nbc`` file per specialisation of a cached function) and, inside a
process, the signatures of every loaded dispatcher. ``benchmarks/compile_time.py`` runs them over
``theorylab check --quick``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

__all__ = ["cold_compile_seconds", "process_seconds", "cache_specialisations", "loaded_signatures"]


def cold_compile_seconds(code: str) -> float:
    """Run ``code`` in a fresh interpreter whose numba cache is an empty directory.

    ``code`` must print the seconds it measured as its last output line; that number is returned.
    Benchmarks use it to report compilation apart from throughput (compile time counts too).

    Parameters
    ----------
    code : str
        Python source passed to ``python -c``.

    Returns
    -------
    float
        The number ``code`` printed last.

    Examples
    --------
    >>> cold_compile_seconds("print(0.5)")
    0.5
    """
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache)
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def process_seconds(args: list[str], cache_dir: str, cwd: str | None = None) -> tuple[float, float, int]:
    """Wall and CPU time of ``python *args`` in a fresh interpreter whose numba cache is ``cache_dir``.

    The CPU time (user + system of the process and the children it waited for) is what to compare on a
    shared machine: the wall time grows with the other processes' load, the CPU time much less.

    Parameters
    ----------
    args : list of str
        Arguments after the interpreter, e.g. ``["-m", "theorylab", "check", "--quick"]``.
    cache_dir : str
        The numba cache directory (empty: a cold start; filled by an earlier call: warm).
    cwd : str, optional
        Working directory (the repository root, so that its ``theorylab`` is imported).

    Returns
    -------
    (wall seconds, CPU seconds, returncode)

    Examples
    --------
    >>> with tempfile.TemporaryDirectory() as d:
    ...     wall, cpu, code = process_seconds(["-c", "pass"], d)
    >>> code, wall > 0, cpu > 0
    (0, True, True)
    """
    env = dict(os.environ, NUMBA_CACHE_DIR=str(cache_dir))
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *args], env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, proc.returncode


_NBC = re.compile(r"^(?P<name>.+)-\d+\.py\d+\.(?:\d+\.)?nbc$")


def cache_specialisations(cache_dir: str) -> dict[str, int]:
    """Compiled specialisations stored in a numba cache directory, per cached function.

    Numba writes one ``<module>.<function>-<line>.py<ver>.<k>.nbc`` file per compiled signature of a
    ``cache=True`` function (and one ``.nbi`` index per function).

    Parameters
    ----------
    cache_dir : str

    Returns
    -------
    dict
        ``"<source directory>/<module>.<function>"`` -> number of specialisations, sorted by name.

    Examples
    --------
    >>> with tempfile.TemporaryDirectory() as d:
    ...     cache_specialisations(d)
    {}
    """
    counts: dict[str, int] = defaultdict(int)
    for path in Path(cache_dir).rglob("*.nbc"):
        match = _NBC.match(path.name)
        if match:     # numba names a source directory's cache folder "<dir>_<hash of its path>"
            folder = re.sub(r"_[0-9a-f]{40}$", "", path.parent.name)
            counts[f"{folder}/{match.group('name')}"] += 1
    return dict(sorted(counts.items()))


def loaded_signatures(prefix: str = "theorylab") -> dict[str, int]:
    """Compiled signatures of every numba dispatcher of the loaded modules under ``prefix``.

    Call it at the end of a run (after the kernels were used) to see how many specialisations each
    kernel needed; inlined helpers (``inline="always"``) are compiled into their callers and show 0.

    Parameters
    ----------
    prefix : str
        Module name prefix.

    Returns
    -------
    dict
        ``"<module>.<name>"`` -> ``len(dispatcher.signatures)``, for dispatchers with at least one.

    Examples
    --------
    >>> isinstance(loaded_signatures(), dict)
    True
    """
    from numba.core.registry import CPUDispatcher

    out = {}
    for name, module in list(sys.modules.items()):
        if not name.startswith(prefix) or module is None:
            continue
        for attr, value in vars(module).items():
            if isinstance(value, CPUDispatcher) and getattr(value, "__module__", name) == name and value.signatures:
                out[f"{name}.{attr}"] = len(value.signatures)
    return dict(sorted(out.items()))
