"""Resume never returns a wrong table: random byte flips, truncations, swapped and copied chunks are
detected (recomputed with a warning naming the file, or refused with an error naming it)."""

import shutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from theorylab.core import store
from theorylab.core.schema import Choice, Int, Schema
from theorylab.core.sweep import SweepTask, parse_spec, run_sweep


def _run(params, seeds):
    rng = [np.random.default_rng(s) for s in seeds]
    return pd.DataFrame({"x": [r.random() * params["scale"] for r in rng], "k": [int(r.integers(0, 1000)) for r in rng],
                         "tag": [params["kind"]] * len(seeds)})


TASK = SweepTask(_run, lambda p: None, "test.toy", Schema({"scale": Int("scale", minimum=1),
                                                            "kind": Choice("kind", ("a", "b"), default="a")}))
TASKS = {"test.toy": TASK}
SPEC = parse_spec({"sweep": {"name": "toy", "task": "test.toy", "master_seed": 5, "reps": 6, "chunk_reps": 2},
                   "grid": {"scale": [1, 3]}, "fixed": {"kind": "b"}}, TASKS)


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    out = tmp_path_factory.mktemp("clean") / "out"
    table = run_sweep(SPEC, out, tasks=TASKS, progress=False)
    return out, table


def _files(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*") if p.is_file() and p.name not in (".lock", "results.parquet"))


def _resume(out: Path):
    """(table or None, warnings): None when the sweep refused with a ValueError (exit 2)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            table = run_sweep(SPEC, out, tasks=TASKS, progress=False)
        except ValueError as exc:
            assert "'" in str(exc)  # names a file or field
            return None, caught
    return table, caught


def _assert_never_wrong(out, clean_table):
    table, _ = _resume(out)
    if table is not None:
        pd.testing.assert_frame_equal(table, clean_table)
        pd.testing.assert_frame_equal(pd.read_parquet(out / "results.parquet"), clean_table)
    # whatever happened, a second resume of the repaired folder gives the clean table or the same refusal
    again, _ = _resume(out)
    if again is not None:
        pd.testing.assert_frame_equal(again, clean_table)


def test_a_resumed_clean_folder_reuses_every_chunk(clean, tmp_path):
    src, table = clean
    out = tmp_path / "o"
    shutil.copytree(src, out)
    mtimes = {p: p.stat().st_mtime_ns for p in out.glob("*/*.parquet")}
    again, caught = _resume(out)
    pd.testing.assert_frame_equal(again, table)
    assert not caught and all(p.stat().st_mtime_ns == m for p, m in mtimes.items())


def test_a_flipped_chunk_byte_is_recomputed_with_a_warning_naming_the_file(clean, tmp_path):
    src, table = clean
    out = tmp_path / "o"
    shutil.copytree(src, out)
    victim = sorted(out.glob("*/*.parquet"))[2]
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0x40
    victim.write_bytes(bytes(data))
    again, caught = _resume(out)
    pd.testing.assert_frame_equal(again, table)
    assert any(victim.name in str(w.message) and "checksum" in str(w.message) for w in caught)


def test_a_chunk_and_record_copied_from_another_cell_are_refused_and_recomputed(clean, tmp_path):
    src, table = clean
    out = tmp_path / "o"
    shutil.copytree(src, out)
    a, b = sorted(p for p in out.iterdir() if p.is_dir())
    for name in ("00000.parquet", "00000.parquet.sum"):
        shutil.copy(a / name, b / name)
    again, caught = _resume(out)
    pd.testing.assert_frame_equal(again, table)
    assert any("another cell" in str(w.message) for w in caught)


def test_a_directory_in_place_of_a_chunk_is_a_one_line_error(clean, tmp_path):
    src, _ = clean
    out = tmp_path / "o"
    shutil.copytree(src, out)
    victim = sorted(out.glob("*/*.parquet"))[0]
    victim.unlink()
    victim.mkdir()
    with pytest.raises(ValueError, match="is a directory"):
        run_sweep(SPEC, out, tasks=TASKS, progress=False)


def test_written_files_respect_the_umask(clean):
    out, _ = clean
    modes = {p.name: p.stat().st_mode & 0o777 for p in out.rglob("*") if p.is_file()}
    mask = store.file_mode()
    assert set(modes.values()) == {mask}, modes


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_corruption_never_gives_a_wrong_table(clean, tmp_path_factory, data):
    src, table = clean
    out = tmp_path_factory.mktemp("corrupt") / "o"
    shutil.copytree(src, out)
    files = _files(out)
    kind = data.draw(st.sampled_from(["flip", "truncate", "swap", "swap_with_records", "copy_other_sweep"]))
    if kind in ("flip", "truncate"):
        victim = data.draw(st.sampled_from(files))
        raw = bytearray(victim.read_bytes())
        if kind == "flip":
            for _ in range(data.draw(st.integers(1, 3))):
                i = data.draw(st.integers(0, len(raw) - 1))
                raw[i] ^= data.draw(st.integers(1, 255))
        else:
            raw = raw[: data.draw(st.integers(0, max(0, len(raw) - 1)))]
        victim.write_bytes(bytes(raw))
    elif kind.startswith("swap"):
        chunks = sorted(out.glob("*/*.parquet"))
        i, j = data.draw(st.lists(st.integers(0, len(chunks) - 1), min_size=2, max_size=2, unique=True))
        names = [(chunks[i], chunks[j])]
        if kind == "swap_with_records":
            names.append((chunks[i].with_name(chunks[i].name + ".sum"), chunks[j].with_name(chunks[j].name + ".sum")))
        for a, b in names:
            tmp = a.with_name("swap.tmpfile")
            a.rename(tmp)
            b.rename(a)
            tmp.rename(b)
    else:  # the same cell from a sweep with another master seed
        other = parse_spec({"sweep": {"name": "toy", "task": "test.toy", "master_seed": 6, "reps": 6, "chunk_reps": 2},
                            "grid": {"scale": [1, 3]}, "fixed": {"kind": "b"}}, TASKS)
        other_out = out.parent / "other"
        run_sweep(other, other_out, tasks=TASKS, progress=False)
        cell = sorted(p for p in other_out.iterdir() if p.is_dir())[0]
        for name in ("00001.parquet", "00001.parquet.sum"):
            shutil.copy(cell / name, out / cell.name / name)
    _assert_never_wrong(out, table)
