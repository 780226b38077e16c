"""Atomic, resumable storage of sweep chunks.

Layout under a sweep's output directory ``OUT``::

    OUT/manifest.json                 the validated spec, its hash, the cells and their chunks
    OUT/<cell-hash>/<chunk>.parquet   one finished chunk: result rows + cell parameters, rep, seed, version

A chunk file appears only once complete (written to a temporary name in the same directory, then
``os.replace``), so a killed sweep leaves either a whole chunk or none; leftover temporaries are
removed on the next run.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pandas as pd

from theorylab.core.figures import atomic_write_text

__all__ = ["chunk_path", "write_chunk", "chunk_done", "read_chunks", "write_manifest", "read_manifest",
           "clean_temporaries"]


def chunk_path(out: Path, cell_hash: str, chunk: int) -> Path:
    """Path of chunk ``chunk`` of cell ``cell_hash``."""
    return Path(out) / cell_hash / f"{chunk:05d}.parquet"


def write_chunk(out: Path, cell_hash: str, chunk: int, table: pd.DataFrame) -> Path:
    """Write one chunk atomically and return its path."""
    path = chunk_path(out, cell_hash, chunk)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        table.to_parquet(tmp, index=False)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def chunk_done(out: Path, cell_hash: str, chunk: int) -> bool:
    """True when the chunk's file exists (it can only exist complete)."""
    return chunk_path(out, cell_hash, chunk).is_file()


def read_chunks(out: Path, keys: list[tuple[str, int]]) -> pd.DataFrame:
    """Concatenate the chunks ``[(cell_hash, chunk), ...]`` in the given order."""
    frames = [pd.read_parquet(chunk_path(out, h, c)) for h, c in keys]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def write_manifest(out: Path, manifest: dict) -> None:
    """Write ``manifest.json`` atomically."""
    atomic_write_text(Path(out) / "manifest.json", json.dumps(manifest, indent=2, sort_keys=True) + "\n")


def read_manifest(out: Path) -> dict | None:
    """The manifest of ``out``, or None if there is none."""
    path = Path(out) / "manifest.json"
    if not path.is_file():
        return None
    return json.loads(path.read_text())


def clean_temporaries(out: Path) -> int:
    """Remove temporaries left by killed writers; returns how many were removed."""
    removed = 0
    for tmp in Path(out).glob("**/.*.tmp"):
        tmp.unlink(missing_ok=True)
        removed += 1
    return removed
