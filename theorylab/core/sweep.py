"""Declarative sweeps: a TOML spec -> grid cells -> chunks of repetitions -> joblib tasks.

A spec looks like::

    [sweep]
    name = "ucb_ts_regret"
    task = "classic.regret"      # a registered sweep task, see theorylab.core.registry
    master_seed = 2026
    reps = 400                   # repetitions per cell
    chunk_reps = 100             # repetitions per chunk (one joblib task, one Parquet file)

    [grid]                       # cartesian product of these lists
    algorithm = ["ucb1", "thompson"]
    horizon = [1000, 10000]

    [fixed]                      # the same in every cell
    instance = "bernoulli_linspace"

Every cell is checked against the task's declared :class:`~theorylab.core.schema.Schema` (unknown
keys, types, ranges) and the memory the sweep needs, before any file is written.
Seeds: repetition ``r`` of a cell uses ``seed_sequence(master_seed, task.seed_key(cell), r)`` (the
task's name and the canonical parameters), whatever the chunking, the number of workers or the
backend; so the final table is the same in every case. Chunks are verified on resume
(:mod:`theorylab.core.store`).
The same machinery runs in memory for claims and figures (:func:`run_cells`).
"""

from __future__ import annotations

import itertools
import math
import re
import os
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from theorylab import __version__
from theorylab.core import store
from theorylab.core.parallel import run_tasks
from theorylab.core.schema import Schema
from theorylab.core.seeding import repetition_seeds, stable_hash
from theorylab.core.validate import check_int

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["SweepTask", "SweepSpec", "load_spec", "parse_spec", "run_cells", "run_sweep", "cell_table",
           "check_resources", "available_memory", "count_done", "sweep_layout", "format_cell_summary"]


@dataclass(frozen=True)
class SweepTask:
    """A unit of simulation that sweeps, claims and figures all call.

    Parameters
    ----------
    run : callable
        ``run(params: dict, seeds: list[numpy.random.SeedSequence]) -> pandas.DataFrame`` with exactly
        one row per seed, in seed order (columns are the measured quantities). ``params`` are the
        canonical parameters (see :class:`theorylab.core.schema.Schema`).
    check_params : callable
        ``check_params(params) -> None``: the checks that involve several fields (e.g. a budget
        against the algorithm's minimum); raises ValueError/TypeError naming the bad field. Called
        on every cell, after the schema, before any work starts. On the built task,
        ``task.check_params(params)`` runs the schema and then these checks.
    name : str
        ``<topic>.<task>``, part of every seed key (two tasks never share a stream).
    schema : Schema
        The declared parameters: types, ranges, defaults.
    memory : callable, optional
        ``memory(params) -> bytes`` one repetition needs while it runs (checked against the memory
        available before any work starts).
    width : callable, optional
        ``width(params) -> int`` number of output columns (for the memory estimate of the table).
    """

    run: Callable[[dict, list], pd.DataFrame]
    check_params: Callable[[dict], None]
    name: str = "task"
    schema: Schema = Schema()
    memory: Callable[[dict], float] | None = None
    width: Callable[[dict], int] | None = None

    def __post_init__(self):
        # ``check_params`` as given checks the cross-field rules; the attribute becomes the full check
        # (schema, then those rules), so calling ``task.check_params(params)`` validates everything.
        cross = getattr(self.check_params, "_cross_check", self.check_params)

        def check_params(params: dict, _task=self) -> None:
            _task.validate(params)

        check_params._cross_check = cross
        object.__setattr__(self, "_cross", cross)
        object.__setattr__(self, "check_params", check_params)

    def validate(self, params: dict) -> dict:
        """The canonical parameters of one cell; raises ValueError/TypeError naming the field."""
        clean = self.schema.clean(params) if self.schema.fields else dict(params)
        self._cross(clean)
        return clean

    def seed_key(self, clean: dict) -> dict:
        """The stream key of a (validated) cell: the task's name and its parameters with defaults."""
        return {"task": self.name, "params": self.schema.seed_params(clean)}


def available_memory() -> float:
    """Bytes of memory available to this process (MemAvailable; inf when unknown).

    Returns
    -------
    float
        ``MemAvailable`` of ``/proc/meminfo`` in bytes; off Linux the available physical pages times the
        page size; ``math.inf`` when neither can be read.
    """
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return float(line.split()[1]) * 1024.0
    except OSError:  # pragma: no cover - not Linux
        pass
    try:
        return float(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):  # pragma: no cover
        return math.inf


MAX_REPS = 10**9          # repetitions per cell (ours: far beyond any claim or figure)
MAX_CHUNKS = 200_000      # chunks (files) per sweep (ours: a manifest stays small)


def check_resources(task: SweepTask, cells: list[dict], reps: int, field: str = "reps") -> None:
    """Refuse (ValueError naming ``field``) work whose table or one repetition exceeds the memory available.

    The estimate is 8 bytes per value, x3 for the copies a concatenation makes, plus the seed
    text of each row (about 80 bytes).

    Parameters
    ----------
    task : SweepTask
        The task; its ``width(params)`` (output columns, 8 if not given) sizes the table and its
        ``memory(params)`` (bytes per repetition, if given) is checked cell by cell.
    cells : list of dict
        The canonical parameters of every cell.
    reps : int
        Repetitions per cell.
    field : str, default "reps"
        What the error message names as the cause (e.g. the spec field ``sweep.reps``).

    Raises
    ------
    ValueError
        When the table or one repetition of a cell would need more than 80% of :func:`available_memory`.
    """
    avail = available_memory()
    rows = len(cells) * reps
    cols = sum((task.width(c) if task.width else 8) + len(c) + 3 for c in cells) / max(1, len(cells))
    need = rows * (cols * 8 * 3 + 80)
    if need > 0.8 * avail:
        raise ValueError(f"{field}: {reps} repetitions x {len(cells)} cells would need about {need / 2**30:.3g} GiB "
                         f"for the results table, more than the {avail / 2**30:.3g} GiB available")
    if task.memory is not None:
        for c in cells:
            per = float(task.memory(c))  # a worker holds one repetition's arrays at a time
            if per > 0.8 * avail:
                raise ValueError(f"one repetition of cell {c} would need about {per / 2**30:.3g} GiB, more than the "
                                 f"{avail / 2**30:.3g} GiB available (reduce the horizon / checkpoints / sizes)")


@dataclass(frozen=True)
class SweepSpec:
    """A validated sweep specification (grid and fixed values as written; cells canonical).

    Built by :func:`parse_spec` / :func:`load_spec` from a TOML spec (see the module docstring).

    Attributes
    ----------
    name : str
        The sweep's name (``[sweep] name``), shown in progress bars and the manifest.
    task : str
        The registered sweep task, ``<topic>.<task>``.
    master_seed : int
        Master seed, 0 <= master_seed < 2^63.
    reps : int
        Repetitions per cell, 1 .. ``MAX_REPS``.
    chunk_reps : int
        Repetitions per chunk (one joblib task, one Parquet file); defaults to ``reps``.
    grid : dict
        ``[grid]`` as written: parameter name -> non-empty list of values (cartesian product).
    fixed : dict
        ``[fixed]`` as written: parameter name -> the value every cell shares.
    canonical_cells : tuple of dict
        The validated cells (schema defaults filled, canonical values) in grid order; empty for a spec
        built by hand, which :func:`run_sweep` validates first.
    """

    name: str
    task: str
    master_seed: int
    reps: int
    chunk_reps: int
    grid: dict
    fixed: dict
    canonical_cells: tuple = ()

    def cells(self) -> list[dict]:
        """Cell parameter dicts, in the grid's declared order (canonical values once validated).

        Returns
        -------
        list of dict
            One dict per cell (copies): ``fixed`` plus one value of each grid list, the last grid key varying fastest.
        """
        if self.canonical_cells:
            return [dict(c) for c in self.canonical_cells]
        keys = list(self.grid)
        combos = itertools.product(*(self.grid[k] for k in keys)) if keys else [()]
        return [dict(self.fixed, **dict(zip(keys, combo))) for combo in combos]

    def as_dict(self) -> dict:
        return {"sweep": {"name": self.name, "task": self.task, "master_seed": self.master_seed,
                          "reps": self.reps, "chunk_reps": self.chunk_reps},
                "grid": self.grid, "fixed": self.fixed}

    def identity(self) -> dict:
        """What the results depend on: task, master seed, repetitions, chunking and canonical cells.

        Returns
        -------
        dict
            ``{"task", "master_seed", "reps", "chunk_reps", "cells"}``; its :func:`stable_hash` is the
            manifest's ``spec_hash`` (the name is not part of it).
        """
        return {"task": self.task, "master_seed": self.master_seed, "reps": self.reps,
                "chunk_reps": self.chunk_reps, "cells": self.cells()}


def _field_error(field: str, msg: str) -> ValueError:
    return ValueError(f"sweep spec field '{field}': {msg}")


def _cell_error(exc: Exception, grid: dict, fixed: dict) -> ValueError:
    text = str(exc)
    m = re.match(r"(?:unknown )?parameter '([^']+)'", text)
    name = m.group(1).split("[")[0] if m else None
    if name in grid:
        return ValueError(f"sweep spec field 'grid.{name}': {text}")
    if name in fixed:
        return ValueError(f"sweep spec field 'fixed.{name}': {text}")
    return ValueError(f"sweep spec: {text}")


def parse_spec(data: dict, tasks: dict[str, SweepTask] | None = None) -> SweepSpec:
    """Validate a parsed TOML document and return a :class:`SweepSpec`.

    Every cell's parameters are checked against the task's schema and ``check_params`` here, and
    the memory the sweep needs against what is available, before any work starts.

    Parameters
    ----------
    data : dict
        The parsed document: a ``[sweep]`` table (``name``, ``task``, ``master_seed``, ``reps``, optional
        ``chunk_reps``) and optional ``[grid]`` and ``[fixed]`` tables; no other sections.
    tasks : dict of str to SweepTask, optional
        Known tasks by name; default the registry's (:func:`theorylab.core.registry.sweep_tasks`).

    Returns
    -------
    SweepSpec
        With ``canonical_cells`` filled.

    Raises
    ------
    ValueError
        Naming the bad spec field (``sweep.reps``, ``grid.horizon``, ...): unknown or missing fields, bad
        values, more than ``MAX_CHUNKS`` chunks, a cell the task rejects, or too little memory.
    """
    if tasks is None:
        from theorylab.core.registry import sweep_tasks

        tasks = sweep_tasks()
    if not isinstance(data, dict):
        raise ValueError("sweep spec must be a TOML document")
    unknown = set(data) - {"sweep", "grid", "fixed"}
    if unknown:
        raise _field_error(sorted(unknown)[0], "unknown section; expected [sweep], [grid], [fixed]")
    head = data.get("sweep")
    if not isinstance(head, dict):
        raise _field_error("sweep", "missing [sweep] section")
    extra = set(head) - {"name", "task", "master_seed", "reps", "chunk_reps"}
    if extra:
        raise _field_error(f"sweep.{sorted(extra)[0]}", "unknown field")
    for key in ("name", "task", "master_seed", "reps"):
        if key not in head:
            raise _field_error(f"sweep.{key}", "missing")
    if not isinstance(head["name"], str) or not head["name"]:
        raise _field_error("sweep.name", f"must be a non-empty string, got {head['name']!r}")
    if not isinstance(head["task"], str) or head["task"] not in tasks:
        raise _field_error("sweep.task", f"unknown task {head['task']!r}; known: {sorted(tasks)}")
    values = {}
    for key, lo, hi, default in (("master_seed", 0, 2**63 - 1, None), ("reps", 1, MAX_REPS, None),
                                 ("chunk_reps", 1, MAX_REPS, head.get("reps"))):
        try:
            values[key] = check_int(key, head.get(key, default), minimum=lo, maximum=hi)
        except (TypeError, ValueError) as exc:
            raise _field_error(f"sweep.{key}", str(exc)) from None
    seed, reps, chunk = values["master_seed"], values["reps"], values["chunk_reps"]
    grid = data.get("grid", {})
    fixed = data.get("fixed", {})
    if not isinstance(grid, dict):
        raise _field_error("grid", "[grid] must be a table")
    if not isinstance(fixed, dict):
        raise _field_error("fixed", "[fixed] must be a table")
    for k, v in grid.items():
        if not isinstance(v, list) or not v:
            raise _field_error(f"grid.{k}", f"must be a non-empty list, got {v!r}")
    clash = set(grid) & set(fixed)
    if clash:
        raise _field_error(f"grid.{sorted(clash)[0]}", "appears in both [grid] and [fixed]")
    n_cells = math.prod(len(v) for v in grid.values())
    if n_cells * -(-reps // chunk) > MAX_CHUNKS:
        raise _field_error("sweep.chunk_reps", f"{n_cells} cells x {-(-reps // chunk)} chunks exceed {MAX_CHUNKS} "
                           "chunk files; raise chunk_reps")
    task = tasks[head["task"]]
    raw = SweepSpec(head["name"], head["task"], seed, reps, chunk, grid, fixed)
    cells = []
    for cell in raw.cells():
        try:
            cells.append(task.validate(cell))
        except (TypeError, ValueError) as exc:
            raise _cell_error(exc, grid, fixed) from None
    check_resources(task, cells, reps, field="sweep spec field 'sweep.reps'")
    return SweepSpec(head["name"], head["task"], seed, reps, chunk, grid, fixed, tuple(cells))


def load_spec(path: str | Path, tasks: dict[str, SweepTask] | None = None) -> SweepSpec:
    """Read and validate a TOML sweep spec; errors name the file.

    Parameters
    ----------
    path : str or pathlib.Path
        The spec file (UTF-8 TOML).
    tasks : dict of str to SweepTask, optional
        Known tasks by name; default the registry's.

    Returns
    -------
    SweepSpec
        As :func:`parse_spec` returns it. A missing, unreadable, non-UTF-8 or invalid TOML file raises
        ValueError naming the file; an invalid spec the field (:func:`parse_spec`).
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"sweep spec '{path}' does not exist or is not a file")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"sweep spec '{path}' is not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise ValueError(f"sweep spec '{path}' cannot be read ({exc.strerror})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"sweep spec '{path}' is not valid TOML: {exc}") from None
    return parse_spec(data, tasks)


def _chunks(reps: int, chunk_reps: int) -> list[range]:
    return [range(s, min(s + chunk_reps, reps)) for s in range(0, reps, chunk_reps)]


def _seeds(task: SweepTask, params: dict, master_seed: int, reps: list[int]) -> list:
    return repetition_seeds(master_seed, task.seed_key(params), reps)


def _run_chunk(task: SweepTask, params: dict, master_seed: int, reps: list[int]) -> pd.DataFrame:
    seeds = _seeds(task, params, master_seed, reps)
    table = task.run(dict(params), seeds)
    if len(table) != len(reps):
        raise RuntimeError(f"sweep task returned {len(table)} rows for {len(reps)} repetitions")
    table = table.reset_index(drop=True)
    table.insert(0, "rep", np.asarray(reps, dtype=np.int64))
    return table


def cell_table(params: dict, table: pd.DataFrame) -> pd.DataFrame:
    """Prefix ``table`` with one column per cell parameter (scalars; lists are stored as text).

    Parameters
    ----------
    params : dict
        The cell's parameters; each becomes a constant column, in dict order, non-scalars as ``str(v)``.
    table : pandas.DataFrame
        A task's output rows (not modified).

    Returns
    -------
    pandas.DataFrame
        A copy of ``table`` with the parameter columns in front.
    """
    front = {k: (v if np.isscalar(v) else str(v)) for k, v in params.items()}
    out = table.copy()
    for i, (k, v) in enumerate(front.items()):
        out.insert(i, k, v)
    return out


def run_cells(task: SweepTask, cells: list[dict], reps: int, master_seed: int, n_jobs: int = 1,
              chunk_reps: int | None = None, progress: str | None = None) -> pd.DataFrame:
    """Run ``reps`` repetitions of every cell in memory and return one tidy table.

    Rows are ordered by cell then repetition; columns are the cell parameters (canonical values),
    ``rep`` and the task's outputs. The numbers do not depend on ``n_jobs``, ``chunk_reps`` or the
    backend. Repetition ``r`` of a cell uses ``seed_sequence(master_seed, task.seed_key(cell), r)``.

    Parameters
    ----------
    task : SweepTask
        The task to run.
    cells : list of dict
        Parameters of each cell (validated and canonicalised here by ``task.validate``).
    reps : int
        Repetitions per cell, 1 .. ``MAX_REPS``.
    master_seed : int
        Non-negative master seed.
    n_jobs : int, default 1
        Workers for :func:`~theorylab.core.parallel.run_tasks` (-1 for all cores).
    chunk_reps : int, optional
        Repetitions per task; by default about ``2 * n_jobs`` tasks in all (at least one per cell).
    progress : str, optional
        Label of a progress bar (shown only on a terminal).

    Returns
    -------
    pandas.DataFrame
        ``len(cells) * reps`` rows: cell parameter columns, ``rep`` (0 .. reps - 1) and the task's output
        columns, with a fresh index.
    """
    if not isinstance(task, SweepTask):
        raise TypeError(f"task must be a SweepTask, got {type(task).__name__}")
    reps = check_int("reps", reps, minimum=1, maximum=MAX_REPS)
    master_seed = check_int("master_seed", master_seed, minimum=0)
    cells = [task.validate(cell) for cell in cells]
    check_resources(task, cells, reps)
    chunk_reps = chunk_reps or max(1, -(-reps // max(1, 2 * max(1, n_jobs) // max(1, len(cells)))))
    jobs = [(task, cell, master_seed, list(r)) for cell in cells for r in _chunks(reps, chunk_reps)]
    parts = run_tasks(_run_chunk, jobs, n_jobs=n_jobs, progress=progress)
    frames = [cell_table(job[1], part) for job, part in zip(jobs, parts)]
    return pd.concat(frames, ignore_index=True)


def _seed_text(seeds) -> list[str]:
    return [str(s.entropy) + ":" + ",".join(map(str, s.spawn_key)) for s in seeds]


def _identity(task: SweepTask, params: dict, master_seed: int) -> str:
    return stable_hash({"seed_key": task.seed_key(params), "master_seed": master_seed}, length=32)


def sweep_layout(spec: SweepSpec, task: SweepTask) -> list[dict]:
    """Per cell: its hash, canonical parameters, identity (seed key + master seed) and chunk ranges.

    Parameters
    ----------
    spec : SweepSpec
        A validated spec.
    task : SweepTask
        The spec's task (for the seed keys).

    Returns
    -------
    list of dict
        One ``{"cell": str, "params": dict, "identity": str, "chunks": [[start, stop], ...]}`` per cell in
        grid order: ``cell`` is the 16-hex :func:`stable_hash` of task name and parameters (the cell's
        directory), ``identity`` the 32-hex hash of seed key and master seed stored in every chunk.
    """
    return [{"cell": stable_hash({"task": spec.task, "params": cell}), "params": cell,
             "identity": _identity(task, cell, spec.master_seed),
             "chunks": [[r.start, r.stop] for r in _chunks(spec.reps, spec.chunk_reps)]} for cell in spec.cells()]


def count_done(out: str | Path, spec: SweepSpec, tasks: dict[str, SweepTask] | None = None) -> tuple[int, int]:
    """(chunks with a file and a checksum record, all chunks) of ``spec`` under ``out`` (a quick count).

    Parameters
    ----------
    out : str or pathlib.Path
        The sweep's output directory.
    spec : SweepSpec
        A validated spec.
    tasks : dict of str to SweepTask, optional
        Known tasks by name; default the registry's.

    Returns
    -------
    done : int
        Chunks whose parquet file and ``.sum`` record both exist (not verified: see
        :func:`theorylab.core.store.verify_chunk`).
    total : int
        All chunks of the sweep.
    """
    if tasks is None:
        from theorylab.core.registry import sweep_tasks

        tasks = sweep_tasks()
    layout = sweep_layout(spec, tasks[spec.task])
    keys = [(e["cell"], i) for e in layout for i in range(len(e["chunks"]))]
    done = sum(store.chunk_path(out, h, i).is_file() and store.record_path(out, h, i).is_file() for h, i in keys)
    return done, len(keys)


def run_sweep(spec: SweepSpec, out: str | Path, n_jobs: int = 1, tasks: dict[str, SweepTask] | None = None,
              progress: bool = True) -> pd.DataFrame:
    """Run (or resume) a sweep into ``out``; returns the full table, also written to ``out/results.parquet``.

    Every finished chunk is verified (checksum, cell hash, repetition range, seeds) before it is
    reused; a chunk that fails is recomputed with a warning naming the file. A killed sweep loses
    only the chunks in flight. Refuses an ``out`` that holds a different sweep, is not a writable
    directory, or is being written by another run (the lock is taken before anything is written).

    The returned table's ``attrs["cell_summary"]`` holds one dict per cell (set after the Parquet file
    is written, so it is not stored there): ``params``, ``reps`` (repetitions in the table),
    ``computed`` (repetitions computed by this run), ``reused`` (verified from an earlier run),
    ``seconds`` (worker time of the computed chunks) and ``status`` (``computed``, ``resumed``,
    ``partly resumed`` or ``repaired`` when a chunk failed verification); see :func:`format_cell_summary`.

    Parameters
    ----------
    spec : SweepSpec
        The sweep; a spec built by hand (no ``canonical_cells``) is validated first like a spec file.
    out : str or pathlib.Path
        Output directory (created if needed); layout in :mod:`theorylab.core.store`.
    n_jobs : int, default 1
        Workers for the chunks (-1 for all cores; ignored under Dask).
    tasks : dict of str to SweepTask, optional
        Known tasks by name; default the registry's.
    progress : bool, default True
        Show a progress bar (on a terminal only).

    Returns
    -------
    pandas.DataFrame
        Every cell's rows in grid order then repetition: cell parameters, ``rep``, the task's outputs and
        ``seed_entropy`` (the seed of each row as text), plus ``attrs["cell_summary"]``.
    """
    if tasks is None:
        from theorylab.core.registry import sweep_tasks

        tasks = sweep_tasks()
    if not spec.canonical_cells:  # built by hand: validate it like a spec file
        spec = parse_spec(spec.as_dict(), tasks)
    task = tasks[spec.task]
    out = store.prepare_out(Path(out))
    spec_hash = stable_hash(spec.identity())
    with store.lock(out):
        old = store.read_manifest(out)
        if old is not None and old.get("spec_hash") != spec_hash:
            raise ValueError(f"--out '{out}' holds a different sweep ({old.get('name')!r}; manifest "
                             f"'{out / 'manifest.json'}'); choose another directory")
        store.clean_temporaries(out)
        layout = sweep_layout(spec, task)
        stats = {e["cell"]: {"params": e["params"], "reps": 0, "computed": 0, "reused": 0, "seconds": 0.0,
                             "repaired": False} for e in layout}
        manifest = {"name": spec.name, "spec": spec.as_dict(), "spec_hash": spec_hash,
                    "theorylab_version": __version__, "parameters": task.schema.as_dict(), "cells": layout,
                    "created": old.get("created") if old else time.strftime("%Y-%m-%dT%H:%M:%S")}
        store.write_manifest(out, manifest)
        todo = []
        for entry in layout:
            seeds = (lambda reps, p=entry["params"]: _seed_text(_seeds(task, p, spec.master_seed, reps)))
            for i, (a, b) in enumerate(entry["chunks"]):
                why = store.verify_chunk(out, entry["cell"], i, (a, b), entry["identity"], seeds)
                stats[entry["cell"]]["reps"] += b - a
                if why is None:
                    stats[entry["cell"]]["reused"] += b - a
                    continue
                if why != "missing":
                    stats[entry["cell"]]["repaired"] = True
                    if store.chunk_path(out, entry["cell"], i).is_dir():
                        raise ValueError(why + "; remove it and rerun")
                    warnings.warn(f"recomputing: {why}", RuntimeWarning, stacklevel=2)
                    for p in (store.chunk_path(out, entry["cell"], i), store.record_path(out, entry["cell"], i)):
                        p.unlink(missing_ok=True)
                todo.append((task, entry["params"], spec.master_seed, list(range(a, b)), out, entry["cell"], i,
                             entry["identity"]))
        done = run_tasks(_run_and_store_chunk, todo, n_jobs=n_jobs, progress=f"sweep {spec.name}" if progress else None)
        for job, (rows, seconds) in zip(todo, done):
            stats[job[5]]["computed"] += rows
            stats[job[5]]["seconds"] += seconds
        keys = [(e["cell"], i, tuple(c), e["identity"]) for e in layout for i, c in enumerate(e["chunks"])]
        by_identity = {e["identity"]: e["params"] for e in layout}
        table = store.read_chunks(out, keys, lambda ident, reps: _seed_text(
            _seeds(task, by_identity[ident], spec.master_seed, reps))).drop(columns=["theorylab_version"])
        store.write_bytes_atomic(out / "results.parquet", lambda tmp: table.to_parquet(tmp, index=False))
    table.attrs["cell_summary"] = [_cell_status(st) for st in stats.values()]
    return table


def _cell_status(st: dict) -> dict:
    if st["repaired"]:
        status = "repaired"
    elif st["computed"] == 0:
        status = "resumed"
    elif st["reused"]:
        status = "partly resumed"
    else:
        status = "computed"
    return {"params": st["params"], "reps": st["reps"], "computed": st["computed"], "reused": st["reused"],
            "seconds": round(st["seconds"], 3), "status": status}


def format_cell_summary(summary: list[dict], grid_keys: list[str] | None = None) -> str:
    """The per-cell table ``theorylab sweep`` prints at the end: cell parameters, reps, seconds, status.

    Parameters
    ----------
    summary : list of dict
        ``run_sweep(...).attrs["cell_summary"]``.
    grid_keys : list of str, optional
        The parameters to show (default: those that differ between cells, or all when there is one cell).

    Returns
    -------
    str
        A header, a rule and one aligned line per cell.

    Examples
    --------
    >>> rows = [{"params": {"algorithm": "ucb1", "horizon": 100}, "reps": 4, "computed": 4, "reused": 0,
    ...          "seconds": 0.5, "status": "computed"},
    ...         {"params": {"algorithm": "thompson", "horizon": 100}, "reps": 4, "computed": 0, "reused": 4,
    ...          "seconds": 0.0, "status": "resumed"}]
    >>> print(format_cell_summary(rows))
    algorithm  reps  computed  seconds  status
    ------------------------------------------
    ucb1          4         4     0.50  computed
    thompson      4         0     0.00  resumed
    """
    if grid_keys is None:
        keys = list(summary[0]["params"]) if summary else []
        varying = [k for k in keys if len({repr(r["params"].get(k)) for r in summary}) > 1]
        grid_keys = varying or keys
    head = list(grid_keys) + ["reps", "computed", "seconds", "status"]
    cells = [[_short(r["params"].get(k)) for k in grid_keys]
             + [str(r["reps"]), str(r["computed"]), f"{r['seconds']:.2f}", r["status"]] for r in summary]
    widths = [max([len(h)] + [len(c[i]) for c in cells]) for i, h in enumerate(head)]
    right = {len(grid_keys), len(grid_keys) + 1, len(grid_keys) + 2}

    def line(values):
        return "  ".join(f"{v:>{w}}" if i in right else f"{v:<{w}}"
                         for i, (v, w) in enumerate(zip(values, widths))).rstrip()

    header = line(head)
    return "\n".join([header, "-" * len(header)] + [line(c) for c in cells])


def _short(v, width: int = 24) -> str:
    text = f"{v:.4g}" if isinstance(v, float) else str(v)
    return text if len(text) <= width else text[:width - 3] + "..."


def _run_and_store_chunk(task: SweepTask, params: dict, master_seed: int, reps: list[int], out: Path,
                         cell_hash: str, chunk: int, identity: str) -> tuple[int, float]:
    t0 = time.perf_counter()
    table = cell_table(params, _run_chunk(task, params, master_seed, reps))
    table["seed_entropy"] = _seed_text(_seeds(task, params, master_seed, reps))
    table["theorylab_version"] = __version__
    store.write_chunk(out, cell_hash, chunk, table, (reps[0], reps[-1] + 1), identity)
    return len(table), time.perf_counter() - t0
