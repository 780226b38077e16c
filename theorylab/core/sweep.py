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

Seeds: repetition ``r`` of a cell uses ``seed_sequence(master_seed, cell_params, r)``, whatever the
chunking, the number of workers or the backend; so the final table is the same in every case.
The same machinery runs in memory for claims and figures (:func:`run_cells`).
"""

from __future__ import annotations

import itertools
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from theorylab import __version__
from theorylab.core import store
from theorylab.core.parallel import run_tasks
from theorylab.core.seeding import repetition_seeds, stable_hash
from theorylab.core.validate import check_int

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["SweepTask", "SweepSpec", "load_spec", "parse_spec", "run_cells", "run_sweep", "cell_table"]


@dataclass(frozen=True)
class SweepTask:
    """A unit of simulation that sweeps, claims and figures all call.

    Parameters
    ----------
    run : callable
        ``run(params: dict, seeds: list[numpy.random.SeedSequence]) -> pandas.DataFrame`` with exactly
        one row per seed, in seed order (columns are the measured quantities).
    check_params : callable
        ``check_params(params) -> None``; raises ValueError/TypeError naming the bad field. Called on
        every cell before any work starts.
    """

    run: Callable[[dict, list], pd.DataFrame]
    check_params: Callable[[dict], None]


@dataclass(frozen=True)
class SweepSpec:
    """A validated sweep specification."""

    name: str
    task: str
    master_seed: int
    reps: int
    chunk_reps: int
    grid: dict
    fixed: dict

    def cells(self) -> list[dict]:
        """Cell parameter dicts, in the grid's declared order."""
        keys = list(self.grid)
        combos = itertools.product(*(self.grid[k] for k in keys)) if keys else [()]
        return [dict(self.fixed, **dict(zip(keys, combo))) for combo in combos]

    def as_dict(self) -> dict:
        return {"sweep": {"name": self.name, "task": self.task, "master_seed": self.master_seed,
                          "reps": self.reps, "chunk_reps": self.chunk_reps},
                "grid": self.grid, "fixed": self.fixed}


def _field_error(field: str, msg: str) -> ValueError:
    return ValueError(f"sweep spec field '{field}': {msg}")


def parse_spec(data: dict, tasks: dict[str, SweepTask] | None = None) -> SweepSpec:
    """Validate a parsed TOML document and return a :class:`SweepSpec`.

    Every cell's parameters are checked by the task's ``check_params`` here, before any work starts.
    """
    if tasks is None:
        from theorylab.core.registry import sweep_tasks

        tasks = sweep_tasks()
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
    if head["task"] not in tasks:
        raise _field_error("sweep.task", f"unknown task {head['task']!r}; known: {sorted(tasks)}")
    try:
        seed = check_int("master_seed", head["master_seed"], minimum=0)
        reps = check_int("reps", head["reps"], minimum=1)
        chunk = check_int("chunk_reps", head.get("chunk_reps", reps), minimum=1)
    except (TypeError, ValueError) as exc:
        raise _field_error(f"sweep.{str(exc).split()[0]}", str(exc)) from None
    grid = data.get("grid", {})
    fixed = data.get("fixed", {})
    if not isinstance(grid, dict) or not isinstance(fixed, dict):
        raise _field_error("grid", "[grid] and [fixed] must be tables")
    for k, v in grid.items():
        if not isinstance(v, list) or not v:
            raise _field_error(f"grid.{k}", f"must be a non-empty list, got {v!r}")
    clash = set(grid) & set(fixed)
    if clash:
        raise _field_error(f"grid.{sorted(clash)[0]}", "appears in both [grid] and [fixed]")
    spec = SweepSpec(head["name"], head["task"], seed, reps, chunk, grid, fixed)
    check = tasks[spec.task].check_params
    for cell in spec.cells():
        try:
            check(cell)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"sweep spec cell {cell}: {exc}") from None
    return spec


def load_spec(path: str | Path, tasks: dict[str, SweepTask] | None = None) -> SweepSpec:
    """Read and validate a TOML sweep spec."""
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"sweep spec '{path}' does not exist")
    try:
        data = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"sweep spec '{path}' is not valid TOML: {exc}") from None
    return parse_spec(data, tasks)


def _chunks(reps: int, chunk_reps: int) -> list[range]:
    return [range(s, min(s + chunk_reps, reps)) for s in range(0, reps, chunk_reps)]


def _run_chunk(task: SweepTask, params: dict, master_seed: int, reps: list[int]) -> pd.DataFrame:
    seeds = repetition_seeds(master_seed, params, reps)
    table = task.run(dict(params), seeds)
    if len(table) != len(reps):
        raise RuntimeError(f"sweep task returned {len(table)} rows for {len(reps)} repetitions")
    table = table.reset_index(drop=True)
    table.insert(0, "rep", np.asarray(reps, dtype=np.int64))
    return table


def cell_table(params: dict, table: pd.DataFrame) -> pd.DataFrame:
    """Prefix ``table`` with one column per cell parameter (scalars; lists are stored as text)."""
    front = {k: (v if np.isscalar(v) else str(v)) for k, v in params.items()}
    out = table.copy()
    for i, (k, v) in enumerate(front.items()):
        out.insert(i, k, v)
    return out


def run_cells(task: SweepTask, cells: list[dict], reps: int, master_seed: int, n_jobs: int = 1,
              chunk_reps: int | None = None, progress: str | None = None) -> pd.DataFrame:
    """Run ``reps`` repetitions of every cell in memory and return one tidy table.

    Rows are ordered by cell then repetition; columns are the cell parameters, ``rep`` and the task's
    outputs. The numbers do not depend on ``n_jobs``, ``chunk_reps`` or the backend.
    """
    reps = check_int("reps", reps, minimum=1)
    for cell in cells:
        task.check_params(cell)
    chunk_reps = chunk_reps or max(1, -(-reps // max(1, 2 * max(1, n_jobs) // max(1, len(cells)))))
    jobs = [(task, cell, master_seed, list(r)) for cell in cells for r in _chunks(reps, chunk_reps)]
    parts = run_tasks(_run_chunk, jobs, n_jobs=n_jobs, progress=progress)
    frames = [cell_table(job[1], part) for job, part in zip(jobs, parts)]
    return pd.concat(frames, ignore_index=True)


def run_sweep(spec: SweepSpec, out: str | Path, n_jobs: int = 1, tasks: dict[str, SweepTask] | None = None,
              progress: bool = True) -> pd.DataFrame:
    """Run (or resume) a sweep into ``out``; returns the full table, also written to ``out/results.parquet``.

    Finished chunks are skipped, so a killed sweep loses only the chunks in flight. Refuses an ``out``
    that holds a different sweep.
    """
    if tasks is None:
        from theorylab.core.registry import sweep_tasks

        tasks = sweep_tasks()
    out = Path(out)
    spec_hash = stable_hash(spec.as_dict())
    old = store.read_manifest(out)
    if old is not None and old.get("spec_hash") != spec_hash:
        raise ValueError(f"--out '{out}' holds a different sweep ({old.get('name')!r}); choose another directory")
    out.mkdir(parents=True, exist_ok=True)
    store.clean_temporaries(out)
    cells = spec.cells()
    layout = []
    for cell in cells:
        h = stable_hash({"task": spec.task, "params": cell})
        layout.append({"cell": h, "params": cell, "chunks": [[r.start, r.stop] for r in _chunks(spec.reps, spec.chunk_reps)]})
    manifest = {"name": spec.name, "spec": spec.as_dict(), "spec_hash": spec_hash, "theorylab_version": __version__,
                "cells": layout, "created": old.get("created") if old else time.strftime("%Y-%m-%dT%H:%M:%S")}
    store.write_manifest(out, manifest)
    task = tasks[spec.task]
    todo = [(task, entry["params"], spec.master_seed, list(range(a, b)), out, entry["cell"], i)
            for entry in layout for i, (a, b) in enumerate(entry["chunks"])
            if not store.chunk_done(out, entry["cell"], i)]
    run_tasks(_run_and_store_chunk, todo, n_jobs=n_jobs, progress=f"sweep {spec.name}" if progress else None)
    keys = [(entry["cell"], i) for entry in layout for i in range(len(entry["chunks"]))]
    table = store.read_chunks(out, keys).drop(columns=["theorylab_version"])
    table.to_parquet(out / ".results.parquet.tmp", index=False)
    Path(out / ".results.parquet.tmp").replace(out / "results.parquet")
    return table


def _run_and_store_chunk(task: SweepTask, params: dict, master_seed: int, reps: list[int], out: Path,
                         cell_hash: str, chunk: int) -> int:
    table = cell_table(params, _run_chunk(task, params, master_seed, reps))
    seeds = repetition_seeds(master_seed, params, reps)
    table["seed_entropy"] = [str(s.entropy) + ":" + ",".join(map(str, s.spawn_key)) for s in seeds]
    table["theorylab_version"] = __version__
    store.write_chunk(out, cell_hash, chunk, table)
    return len(table)
