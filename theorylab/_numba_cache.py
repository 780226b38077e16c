"""Where numba keeps theorylab's compiled kernels: one directory per version of the package's source.

numba's on-disk cache (``cache=True``) keys a compiled function by the modification time and size of
the file that defines it, and of no other file. A kernel inlines samplers from other modules
(:mod:`theorylab.core.streams`, :mod:`theorylab.core.alias`, ...), so after a change to a sampler the
cache would keep serving the kernel with the old sampler compiled in, silently, until the kernel's own
file changes. [OURS: found when the alias draw changed and ``phase_batch`` kept the old one.]

:func:`configure` therefore points numba at ``<base>/<digest>``, where the digest is a SHA-256 of the
package's compiled source: every ``.py`` file that mentions ``numba`` (paths and contents; about 10 ms).
A change to any of them gives a new, empty directory, so a kernel is never served from a build of other
source; a change to plain Python (the CLI, the claims' bookkeeping, docs) keeps the cache. The same
source in another process, a joblib worker or a Dask worker finds the same directory and starts warm.
The cost: after an edit to one kernel file every kernel compiles afresh once. Directories beyond the
newest :data:`KEEP` are deleted once unused for :data:`IDLE_SECONDS` (so that a process still running
on an older source keeps its own).

``<base>`` is ``$THEORYLAB_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/theorylab/numba`` (default
``~/.cache/theorylab/numba``). A ``NUMBA_CACHE_DIR`` set by the user (not by this module) is respected
as it is; then the staleness above is the user's to manage. If the base directory cannot be created,
numba's own default (``__pycache__`` beside the sources) stays in force.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import time
from pathlib import Path

KEEP = 4                               # newest cache directories kept under the base
IDLE_SECONDS = 3600.0                  # an older directory is deleted only after this long unused
_MARK = "THEORYLAB_SET_NUMBA_CACHE"    # the value of NUMBA_CACHE_DIR that this module chose
_PACKAGE = Path(__file__).resolve().parent


def source_digest(package: Path = _PACKAGE) -> str:
    """First 16 hex digits of the SHA-256 of the package's compiled source: the ``.py`` files that mention
    ``numba`` (sorted relative paths and bytes).

    Parameters
    ----------
    package : pathlib.Path
        The package directory (default: theorylab's own).

    Returns
    -------
    str
        16 lowercase hex digits; any change to such a file's path or content changes it.

    Examples
    --------
    >>> len(source_digest())
    16
    """
    h = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        data = path.read_bytes()
        if b"numba" not in data:
            continue
        h.update(path.relative_to(package).as_posix().encode())
        h.update(b"\0")
        h.update(data)
        h.update(b"\0")
    return h.hexdigest()[:16]


def cache_base() -> Path:
    """The directory that holds one numba cache directory per source digest.

    Returns
    -------
    pathlib.Path
        ``$THEORYLAB_CACHE_DIR``, else ``$XDG_CACHE_HOME/theorylab/numba``, else
        ``~/.cache/theorylab/numba``.

    Examples
    --------
    >>> isinstance(cache_base(), Path)
    True
    """
    own = os.environ.get("THEORYLAB_CACHE_DIR")
    if own:
        return Path(own)
    xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(xdg) / "theorylab" / "numba"


def prune(base: Path, keep: int = KEEP, current: Path | None = None, idle: float = IDLE_SECONDS) -> list[Path]:
    """Delete the digest directories under ``base`` beyond the ``keep`` most recently used that have been
    unused for ``idle`` seconds.

    Parameters
    ----------
    base : pathlib.Path
    keep : int
        Directories always kept (by modification time, newest first); ``current`` is always kept.
    current : pathlib.Path, optional
    idle : float
        Seconds since its last use (modification time) after which a directory beyond ``keep`` goes.

    Returns
    -------
    list of pathlib.Path
        The directories removed.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     for name in "abc":
    ...         (Path(d) / name).mkdir()
    ...     len(prune(Path(d), keep=1, current=Path(d) / "a", idle=0.0))
    2
    """
    now = time.time()
    dirs = sorted((p for p in base.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
    ranked = [p for p in dirs if p == current] + [p for p in dirs if p != current]
    removed = [p for p in ranked[max(keep, 1):] if now - p.stat().st_mtime >= idle]
    for path in removed:
        shutil.rmtree(path, ignore_errors=True)
    return removed


def configure(package: Path = _PACKAGE) -> str | None:
    """Point numba's cache at this source version's directory (see the module docstring).

    Called once by ``import theorylab``, before any kernel is defined.

    Parameters
    ----------
    package : pathlib.Path
        The package whose compiled source names the directory (default: theorylab's own).

    Returns
    -------
    str or None
        The cache directory in use, or None when the user's own ``NUMBA_CACHE_DIR`` is kept or the
        base directory cannot be created.

    Examples
    --------
    >>> import theorylab
    >>> d = configure()
    >>> d is None or d.endswith(source_digest())
    True
    """
    chosen = os.environ.get("NUMBA_CACHE_DIR")
    if chosen and os.environ.get(_MARK) != chosen:
        return None                        # the user's choice
    base = cache_base()
    target = base / source_digest(package)
    try:
        target.mkdir(parents=True, exist_ok=True)
        os.utime(target)                   # most recently used: pruning keeps it
        prune(base, current=target)
    except OSError:
        return None
    os.environ["NUMBA_CACHE_DIR"] = os.environ[_MARK] = str(target)
    config = sys.modules.get("numba.core.config")
    if config is not None:                 # numba imported first: its config has read the environment
        config.CACHE_DIR = str(target)
    return str(target)
