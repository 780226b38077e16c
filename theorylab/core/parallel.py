"""Task parallelism through joblib only: loky on this machine, Dask distributed on a cluster.

``run_tasks(fn, tasks, n_jobs)`` is the single entry point used by sweeps, claims and figures.
The backend is chosen by the :func:`backend` context (the CLI's ``--backend/--address``):

- ``loky`` (default): ``n_jobs`` local worker processes; ``n_jobs=1`` runs in-process.
- ``dask``: joblib's Dask backend on a ``distributed.Client`` connected to ``address``, or on a
  ``LocalCluster`` started here when no address is given.

Results come back in task order whatever the backend, and each task carries its own seeds, so the
numbers do not depend on the backend or the number of workers.
"""

from __future__ import annotations

import contextlib
from typing import Any, Callable, Iterator, Sequence

import joblib

from theorylab.core.validate import check_choice, check_int

__all__ = ["backend", "run_tasks", "current_backend"]

_STATE: dict[str, Any] = {"name": "loky"}


def current_backend() -> str:
    """Name of the backend in force (``loky`` or ``dask``)."""
    return _STATE["name"]


@contextlib.contextmanager
def backend(name: str = "loky", address: str | None = None, n_workers: int = 2) -> Iterator[None]:
    """Run the enclosed ``run_tasks`` calls on ``name``.

    Parameters
    ----------
    name : {"loky", "dask"}
    address : str, optional
        Scheduler address ``tcp://HOST:PORT`` for ``dask``; a local cluster is started without it.
    n_workers : int
        Workers of the local Dask cluster (ignored with an address).
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
        client = Client(address)
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
    progress : str, optional
        Label of a tqdm progress bar, shown only when stderr is a terminal.
    """
    n_jobs = check_int("n_jobs", n_jobs, minimum=-1)
    if n_jobs == 0:
        raise ValueError("n_jobs must be a positive integer or -1, got 0")
    tasks = list(tasks)
    bar = _progress(progress, len(tasks))
    if _STATE["name"] == "loky" and (n_jobs == 1 or len(tasks) <= 1):
        out = []
        for t in tasks:
            out.append(fn(*t))
            bar.update(1) if bar else None
    else:
        jobs = -1 if _STATE["name"] == "dask" else n_jobs
        out = []
        gen = joblib.Parallel(n_jobs=jobs, return_as="generator")(joblib.delayed(fn)(*t) for t in tasks)
        for r in gen:
            out.append(r)
            bar.update(1) if bar else None
    if bar:
        bar.close()
    return out


def _progress(label: str | None, total: int):
    import sys

    if not label or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc=label, leave=False)
