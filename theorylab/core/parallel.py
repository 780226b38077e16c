"""Task parallelism through joblib only: loky on this machine, Dask distributed on a cluster.

``run_tasks(fn, tasks, n_jobs)`` is the single entry point used by sweeps, claims and figures.
The backend is chosen by the :func:`backend` context (the CLI's ``--backend/--address``):

- ``loky`` (default): ``n_jobs`` local worker processes; ``n_jobs=1`` runs in-process.
- ``dask``: joblib's Dask backend on a ``distributed.Client`` connected to ``address``, or on a
  ``LocalCluster`` started here when no address is given.

Results come back in task order whatever the backend, and each task carries its own seeds, so the
numbers do not depend on the backend or the number of workers.

Shared memory: joblib's automatic memmapping is switched off (``max_nbytes=None``; the tasks' arguments
are small parameter dicts), so nothing is memory-mapped. joblib still makes an (empty)
``/dev/shm/joblib_memmapping_folder_<pid>_*`` per process and loky POSIX semaphores
(``/dev/shm/sem.loky-<pid>-*``); both are removed at a normal exit, but a SIGKILLed parent cannot remove
them. The next parallel run removes those whose creating process no longer exists
(:func:`clean_shm_debris`); until then, that is what a kill leaves (a few empty entries).
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import joblib

from theorylab.core.validate import check_choice, check_int

__all__ = ["backend", "run_tasks", "current_backend", "clean_shm_debris", "deferred_interrupt", "interrupt_requested"]

_STATE: dict[str, Any] = {"name": "loky"}
CONNECT_TIMEOUT = 10  # seconds for a Dask client to reach its scheduler


def current_backend() -> str:
    """Name of the backend in force (``loky`` or ``dask``).

    Returns
    -------
    str
        ``"dask"`` inside a ``backend("dask")`` block, else ``"loky"``.
    """
    return _STATE["name"]


@contextlib.contextmanager
def backend(name: str = "loky", address: str | None = None, n_workers: int = 2) -> Iterator[None]:
    """Run the enclosed ``run_tasks`` calls on ``name``.

    Parameters
    ----------
    name : {"loky", "dask"}
        The joblib backend; ``"loky"`` (default) changes nothing, ``"dask"`` connects a
        ``distributed.Client`` and sets joblib's backend to Dask for the block.
    address : str, optional
        Scheduler address ``tcp://HOST:PORT`` for ``dask``; a local cluster is started without it.
        A scheduler unreachable within ``CONNECT_TIMEOUT`` (10 s) raises ValueError; so does an address
        with ``loky``.
    n_workers : int
        Workers of the local Dask cluster (ignored with an address).

    Yields
    ------
    None
        The block runs with the backend in force; on exit the previous backend is restored and the client
        (and any local cluster started here) is closed.
    """
    check_choice("backend", name, ("loky", "dask"))
    if name == "loky":
        if address:
            raise ValueError("address is only meaningful with backend 'dask'")
        yield
        return
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - depends on the extra
        raise ValueError("backend 'dask' needs the 'cluster' extra: pip install 'theorylab[cluster]'") from exc
    cluster = None
    if address is None:
        cluster = LocalCluster(n_workers=check_int("n_workers", n_workers, minimum=1), threads_per_worker=1,
                               processes=True, host="127.0.0.1", dashboard_address=None)
        client = Client(cluster)
    else:
        try:
            client = Client(address, timeout=f"{CONNECT_TIMEOUT}s")
        except (OSError, TimeoutError) as exc:
            raise ValueError(f"address {address!r}: no Dask scheduler reachable within {CONNECT_TIMEOUT} s "
                             f"({type(exc).__name__})") from None
    previous = _STATE["name"]
    _STATE["name"] = "dask"
    try:
        with joblib.parallel_config(backend="dask"):
            yield
    finally:
        _STATE["name"] = previous
        client.close()
        if cluster is not None:
            cluster.close()


_INTERRUPT = {"requested": False}


def interrupt_requested() -> bool:
    """True once Ctrl-C was pressed inside :func:`deferred_interrupt`.

    Returns
    -------
    bool
        Whether a first Ctrl-C was deferred since the innermost :func:`deferred_interrupt` began.
    """
    return _INTERRUPT["requested"]


@contextlib.contextmanager
def deferred_interrupt() -> Iterator[None]:
    """Inside: a first Ctrl-C only sets a flag, and :func:`run_tasks` raises KeyboardInterrupt after the
    task in hand (compiled kernels are never interrupted half-way); a second Ctrl-C interrupts at once.

    Yields
    ------
    None
        The block runs with the deferring SIGINT handler installed (only in the main thread; elsewhere
        nothing changes); the previous handler is restored on exit.
    """
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _INTERRUPT["requested"] = False

    def handler(signum, frame):
        if _INTERRUPT["requested"]:
            signal.signal(signal.SIGINT, signal.default_int_handler)
            raise KeyboardInterrupt
        _INTERRUPT["requested"] = True

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _check_interrupt() -> None:
    if _INTERRUPT["requested"]:
        raise KeyboardInterrupt


_DEBRIS = re.compile(r"^(?:sem\.loky-(\d+)-|joblib_memmapping_folder_(\d+)_)")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_shm_debris(root: str | Path = "/dev/shm") -> int:
    """Remove loky semaphores and joblib memmapping folders left in ``root`` by processes that no longer
    exist (a SIGKILLed run); returns how many entries were removed. Entries of live processes are kept.

    Parameters
    ----------
    root : str or pathlib.Path, default "/dev/shm"
        The directory scanned for ``sem.loky-<pid>-*`` and ``joblib_memmapping_folder_<pid>_*`` entries.

    Returns
    -------
    int
        Number of entries removed (0 if ``root`` cannot be listed; entries that cannot be removed are skipped).
    """
    import shutil

    removed = 0
    try:
        entries = list(Path(root).iterdir())
    except OSError:
        return 0
    for entry in entries:
        m = _DEBRIS.match(entry.name)
        if not m or _alive(int(m.group(1) or m.group(2))):
            continue
        try:
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
            removed += 1
        except OSError:
            pass
    return removed


def run_tasks(fn: Callable, tasks: Sequence[tuple], n_jobs: int = 1, progress: str | None = None) -> list:
    """``[fn(*t) for t in tasks]``, in parallel under the backend in force, results in task order.

    Parameters
    ----------
    fn : callable
        A module-level (picklable) function.
    tasks : sequence of tuples
        Positional arguments of each call.
    n_jobs : int
        Local workers for loky (-1 for all cores); ignored under Dask, which uses the cluster.
        With loky and ``n_jobs=1`` (or at most one task) the calls run in this process.
    progress : str, optional
        Label of a tqdm progress bar, shown only when stderr is a terminal.

    Returns
    -------
    list
        ``fn(*t)`` for each task, in the order of ``tasks``. Inside :func:`deferred_interrupt` a deferred
        Ctrl-C raises KeyboardInterrupt after the task in hand and the tasks not yet started are dropped.
    """
    n_jobs = check_int("n_jobs", n_jobs, minimum=-1)
    if n_jobs == 0:
        raise ValueError("n_jobs must be a positive integer or -1, got 0")
    tasks = list(tasks)
    bar = _progress(progress, len(tasks))
    if _STATE["name"] == "loky" and (n_jobs == 1 or len(tasks) <= 1):
        out = []
        for t in tasks:
            _check_interrupt()
            out.append(fn(*t))
            bar.update(1) if bar else None
        _check_interrupt()
    else:
        jobs = -1 if _STATE["name"] == "dask" else n_jobs
        if _STATE["name"] == "loky":
            clean_shm_debris()
        out = []
        gen = joblib.Parallel(n_jobs=jobs, return_as="generator", max_nbytes=None)(joblib.delayed(fn)(*t) for t in tasks)
        try:
            for r in gen:
                out.append(r)
                bar.update(1) if bar else None
                _check_interrupt()
        finally:
            gen.close()  # aborts the tasks not yet started (after a Ctrl-C or an error)
    if bar:
        bar.close()
    return out


def _progress(label: str | None, total: int):
    import sys

    if not label or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc=label, leave=False)
