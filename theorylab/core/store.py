"""Atomic, verified, resumable storage of sweep chunks.

Layout under a sweep's output directory ``OUT``::

    OUT/manifest.json                      the validated spec, its hash, the parameter schema, the cells
    OUT/.lock                              held (flock) by the one run working on OUT
    OUT/<cell-hash>/<chunk>.parquet        one finished chunk: rows + cell parameters, rep, seed, version
    OUT/<cell-hash>/<chunk>.parquet.sum    its record: BLAKE2b digest and size of the file, cell hash,
                                           repetition range

A chunk's record is written first, then the chunk, each to a unique temporary name in its
directory and then ``os.replace``-d; so a killed writer leaves a whole chunk (with its record) or
none, and a record without its chunk just means "not done yet". Parquet page checksums are on, and
the file carries its cell hash and repetition range in its own metadata. :func:`verify_chunk` checks
all of it (digest, size, metadata, the ``rep`` column and every row's seed) so a flipped byte, a
truncated file or a chunk copied from another cell or another sweep is never read back as valid.
Written files get the mode the umask allows (0644 under umask 022), like any other file.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Callable, Iterator

import pandas as pd

__all__ = ["chunk_path", "record_path", "write_chunk", "verify_chunk", "read_chunk", "read_chunks",
           "write_manifest", "read_manifest", "clean_temporaries", "lock", "prepare_out", "file_mode",
           "write_bytes_atomic", "OutInUse"]

_META_KEY = b"theorylab"


class OutInUse(ValueError):
    """Another process holds the lock of the output directory."""


def file_mode() -> int:
    """``0o666`` masked by the process umask (what ``open(..., "w")`` would give).

    Returns
    -------
    int
        The permission bits for a new file, e.g. ``0o644`` under umask 022 (the umask is read and restored).
    """
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def write_bytes_atomic(path: Path, data: bytes | Callable[[str], None]) -> Path:
    """Write ``data`` (bytes, or a callable writing to the temporary path it is given) to ``path``.

    The temporary name is unique (``mkstemp`` in the target directory), the mode follows the umask,
    and the file replaces ``path`` only once complete.

    Parameters
    ----------
    path : pathlib.Path or str
        The destination; its directory must exist. An existing file is replaced.
    data : bytes or callable
        The content, or a function ``data(tmp_path: str)`` that writes the file at that temporary path
        (e.g. a parquet or figure writer). If writing fails, the temporary is removed and the error re-raised.

    Returns
    -------
    pathlib.Path
        ``path``, now holding the complete file with mode :func:`file_mode`.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if callable(data):
            os.close(fd)
            data(tmp)
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
        os.chmod(tmp, file_mode())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


def chunk_path(out: Path, cell_hash: str, chunk: int) -> Path:
    """Path of chunk ``chunk`` of cell ``cell_hash``.

    Parameters
    ----------
    out : pathlib.Path or str
        The sweep's output directory.
    cell_hash : str
        The cell's hash (its subdirectory name).
    chunk : int
        The chunk's index within the cell (>= 0).

    Returns
    -------
    pathlib.Path
        ``OUT/<cell_hash>/<chunk, 5 digits>.parquet``, e.g. ``OUT/ab12.../00003.parquet``.
    """
    return Path(out) / cell_hash / f"{chunk:05d}.parquet"


def record_path(out: Path, cell_hash: str, chunk: int) -> Path:
    """Path of the checksum record of a chunk.

    Parameters
    ----------
    out : pathlib.Path or str
        The sweep's output directory.
    cell_hash : str
        The cell's hash.
    chunk : int
        The chunk's index within the cell.

    Returns
    -------
    pathlib.Path
        The chunk's path (:func:`chunk_path`) with ``.sum`` appended: ``OUT/<cell_hash>/<chunk>.parquet.sum``.
    """
    p = chunk_path(out, cell_hash, chunk)
    return p.with_name(p.name + ".sum")


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=32).hexdigest()


def write_chunk(out: Path, cell_hash: str, chunk: int, table: pd.DataFrame, reps: tuple[int, int],
                identity: str) -> Path:
    """Write one chunk and then its checksum record; returns the chunk's path.

    ``reps = (start, stop)`` is its repetition range, ``identity`` a hash of what determines its
    numbers (task, parameters, master seed), stored in the file and in the record.

    Parameters
    ----------
    out : pathlib.Path or str
        The sweep's output directory.
    cell_hash : str
        The cell's hash; the cell's directory is created if needed.
    chunk : int
        The chunk's index within the cell.
    table : pandas.DataFrame
        The chunk's rows (one per repetition, with ``rep`` and ``seed_entropy`` columns for
        :func:`read_chunk` to check); written as parquet with page checksums, without the index.
    reps : tuple of (int, int)
        The half-open repetition range ``[start, stop)`` the rows hold.
    identity : str
        Hash of the task, parameters and master seed behind the numbers.

    Returns
    -------
    pathlib.Path
        The chunk's path (:func:`chunk_path`); its ``.sum`` record (BLAKE2b-256 digest, size, cell, chunk,
        reps, identity) is written first, both atomically.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = chunk_path(out, cell_hash, chunk)
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = json.dumps({"cell": cell_hash, "chunk": int(chunk), "reps": [int(reps[0]), int(reps[1])],
                       "identity": identity}, sort_keys=True).encode()
    arrow = pa.Table.from_pandas(table, preserve_index=False)
    arrow = arrow.replace_schema_metadata({**(arrow.schema.metadata or {}), _META_KEY: meta})
    buf = io.BytesIO()
    try:
        pq.write_table(arrow, buf, write_page_checksum=True)
    except TypeError:  # pragma: no cover - pyarrow without page checksums; the record's digest still guards
        pq.write_table(arrow, buf)
    data = buf.getvalue()
    record = {"blake2b": _digest(data), "bytes": len(data), "cell": cell_hash, "chunk": int(chunk),
              "reps": [int(reps[0]), int(reps[1])], "identity": identity}
    # the record first: a chunk file never exists without its record (a kill in between leaves a
    # record alone, which counts as "missing" and is overwritten)
    write_bytes_atomic(record_path(out, cell_hash, chunk), (json.dumps(record, sort_keys=True) + "\n").encode())
    write_bytes_atomic(path, data)
    return path


def read_chunk(out: Path, cell_hash: str, chunk: int, reps: tuple[int, int], identity: str,
               seed_text: Callable[[list[int]], list[str]] | None = None) -> pd.DataFrame:
    """The verified table of one chunk; raises ValueError naming the file and what failed.

    Parameters
    ----------
    out : pathlib.Path or str
        The sweep's output directory.
    cell_hash : str
        The cell's hash.
    chunk : int
        The chunk's index within the cell.
    reps : tuple of (int, int)
        The expected repetition range ``[start, stop)``; the ``rep`` column must be exactly this range.
    identity : str
        The expected identity hash (as given to :func:`write_chunk`).
    seed_text : callable, optional
        ``seed_text(reps: list[int]) -> list[str]``, the expected ``seed_entropy`` of each repetition;
        None (default) skips the seed check.

    Returns
    -------
    pandas.DataFrame
        The chunk's rows, after the record, digest, size, parquet metadata, ``rep`` column and (if asked)
        seeds all matched.

    Raises
    ------
    ValueError
        If the chunk or its record is missing, unreadable, corrupt, truncated, or belongs to another cell,
        chunk, repetition range, sweep or seeds.
    """
    import pyarrow.parquet as pq

    path = chunk_path(out, cell_hash, chunk)
    rec_path = record_path(out, cell_hash, chunk)
    if path.is_dir():
        raise ValueError(f"chunk '{path}' is a directory, not a chunk file")
    if not path.is_file():
        raise ValueError(f"chunk '{path}' is missing")
    if not rec_path.is_file():
        raise ValueError(f"chunk '{path}' has no checksum record ({rec_path.name}; an interrupted write?)")
    try:
        record = json.loads(rec_path.read_bytes().decode())
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValueError(f"checksum record '{rec_path}' is not valid JSON") from None
    want = {"cell": cell_hash, "chunk": int(chunk), "reps": [int(reps[0]), int(reps[1])], "identity": identity}
    if not isinstance(record, dict) or any(record.get(k) != v for k, v in want.items()):
        raise ValueError(f"checksum record '{rec_path}' belongs to another cell, chunk, repetition range or sweep")
    data = path.read_bytes()
    if len(data) != record.get("bytes") or _digest(data) != record.get("blake2b"):
        raise ValueError(f"chunk '{path}' does not match its checksum (corrupt or truncated)")
    try:
        arrow = pq.read_table(io.BytesIO(data))
        meta = json.loads((arrow.schema.metadata or {}).get(_META_KEY, b"null").decode())
        table = arrow.to_pandas()
    except Exception as exc:  # noqa: BLE001 - any decoding failure means the file cannot be trusted
        raise ValueError(f"chunk '{path}' cannot be decoded ({type(exc).__name__})") from None
    if meta != want:
        raise ValueError(f"chunk '{path}' belongs to another cell, chunk, repetition range or sweep")
    expected = list(range(int(reps[0]), int(reps[1])))
    if "rep" not in table or table["rep"].tolist() != expected:
        raise ValueError(f"chunk '{path}' does not hold repetitions {reps[0]}..{reps[1] - 1}")
    if seed_text is not None and ("seed_entropy" not in table or table["seed_entropy"].tolist() != seed_text(expected)):
        raise ValueError(f"chunk '{path}' was drawn from other seeds")
    return table


def verify_chunk(out: Path, cell_hash: str, chunk: int, reps: tuple[int, int], identity: str,
                 seed_text=None) -> str | None:
    """None if the chunk is present and verified, "missing" if absent, else the reason it fails.

    Parameters
    ----------
    out : pathlib.Path or str
        The sweep's output directory.
    cell_hash : str
        The cell's hash.
    chunk : int
        The chunk's index within the cell.
    reps : tuple of (int, int)
        The expected repetition range ``[start, stop)``.
    identity : str
        The expected identity hash.
    seed_text : callable, optional
        As in :func:`read_chunk`; None skips the seed check.

    Returns
    -------
    str or None
        None for a valid chunk, ``"missing"`` if the chunk file does not exist, else the message of the
        ValueError :func:`read_chunk` raised.
    """
    path = chunk_path(out, cell_hash, chunk)
    if not path.exists():
        return "missing"
    try:
        read_chunk(out, cell_hash, chunk, reps, identity, seed_text)
    except ValueError as exc:
        return str(exc)
    return None


def read_chunks(out: Path, keys: list[tuple], seed_text=None) -> pd.DataFrame:
    """Concatenate the verified chunks ``[(cell_hash, chunk, (start, stop), identity), ...]`` in order.

    Parameters
    ----------
    out : pathlib.Path or str
        The sweep's output directory.
    keys : list of tuple
        One ``(cell_hash, chunk, (start, stop), identity)`` per chunk, in the order wanted.
    seed_text : callable, optional
        ``seed_text(identity, reps) -> list[str]``, the expected seed text of each repetition of a chunk
        with that identity; None skips the seed check.

    Returns
    -------
    pandas.DataFrame
        All chunks' rows in the order of ``keys`` (fresh index); an empty frame for no keys. Any invalid
        chunk raises ValueError (:func:`read_chunk`).
    """
    frames = [read_chunk(out, h, c, r, ident, (lambda reps, i=ident: seed_text(i, reps)) if seed_text else None)
              for h, c, r, ident in keys]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def write_manifest(out: Path, manifest: dict) -> None:
    """Write ``manifest.json`` atomically.

    Parameters
    ----------
    out : pathlib.Path or str
        The sweep's output directory (must exist).
    manifest : dict
        JSON-serialisable manifest (spec, its hash, parameter schema, cells), written indented with sorted keys.
    """
    write_bytes_atomic(Path(out) / "manifest.json", (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode())


def read_manifest(out: Path) -> dict | None:
    """The manifest of ``out``, or None if there is none; ValueError naming the file if unreadable.

    Parameters
    ----------
    out : pathlib.Path or str
        The sweep's output directory.

    Returns
    -------
    dict or None
        The parsed ``OUT/manifest.json``, or None if it does not exist. A manifest that is not a file, not
        valid JSON or not a JSON object raises ValueError.
    """
    path = Path(out) / "manifest.json"
    if not path.exists():
        return None
    if not path.is_file():
        raise ValueError(f"manifest '{path}' is not a file")
    try:
        data = json.loads(path.read_bytes().decode())
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"manifest '{path}' is not valid JSON ({exc.__class__.__name__}); "
                         "delete it (and the folder's chunks) or choose another --out") from None
    if not isinstance(data, dict):
        raise ValueError(f"manifest '{path}' is not a JSON object")
    return data


def clean_temporaries(out: Path) -> int:
    """Remove temporaries left by killed writers (call under :func:`lock`); returns how many.

    Parameters
    ----------
    out : pathlib.Path or str
        The sweep's output directory; every ``.*.tmp`` file below it is removed.

    Returns
    -------
    int
        The number of temporary files removed.
    """
    removed = 0
    for tmp in Path(out).glob("**/.*.tmp"):
        if tmp.is_file():
            tmp.unlink(missing_ok=True)
            removed += 1
    return removed


def prepare_out(out: Path, create: bool = True) -> Path:
    """Check that ``out`` is (or can be made) a writable directory; ValueError naming it otherwise.

    With ``create`` the directory is made; a probe file is created and removed in it.

    Parameters
    ----------
    out : pathlib.Path or str
        The output directory (``--out``).
    create : bool, default True
        Make the directory (with parents) and probe it with a temporary file; with False only check that
        the nearest existing ancestor is a writable directory, creating nothing.

    Returns
    -------
    pathlib.Path
        ``out`` as a Path.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ValueError(f"--out '{out}' exists and is not a directory")
    parent = out
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise ValueError(f"--out '{out}': '{parent}' is not a directory")
    if not create:
        if not os.access(parent, os.W_OK | os.X_OK):
            raise ValueError(f"--out '{out}': '{parent}' is not writable")
        return out
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=out, prefix=".probe.", suffix=".tmp")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise ValueError(f"--out '{out}' is not a writable directory ({exc.strerror or exc})") from None
    return out


@contextlib.contextmanager
def lock(out: Path) -> Iterator[None]:
    """Hold ``OUT/.lock`` for the duration; a second holder is refused at once (:class:`OutInUse`).

    Parameters
    ----------
    out : pathlib.Path or str
        The output directory (must exist); the lock file holds the holder's pid.

    Yields
    ------
    None
        While the ``with`` block runs, this process holds an exclusive ``flock`` on ``OUT/.lock``;
        :class:`OutInUse` (naming the other pid) is raised if another process holds it.
    """
    import fcntl

    path = Path(out) / ".lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, file_mode())
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                other = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
                raise OutInUse(f"--out '{out}' is in use by another theorylab run (pid {other}); "
                               "wait for it to finish or choose another directory") from None
            raise
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock
