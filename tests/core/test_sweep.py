"""Sweeps: spec validation, and the same numbers whatever the chunking, workers or backend."""

import pandas as pd
import pytest

from theorylab.core.parallel import backend
from theorylab.core.sweep import parse_spec, run_cells, run_sweep

SPEC = {
    "sweep": {"name": "tiny", "task": "classic.regret", "master_seed": 11, "reps": 24, "chunk_reps": 6},
    "grid": {"algorithm": ["ucb1", "thompson"], "horizon": [500, 2000]},
    "fixed": {"instance": "two_arm_0.1"},
}


def _spec(**changes):
    data = {k: dict(v) for k, v in SPEC.items()}
    for dotted, value in changes.items():
        section, key = dotted.split(".")
        if value is None:
            data[section].pop(key)
        else:
            data[section][key] = value
    return data


@pytest.mark.parametrize("changes, field", [
    ({"sweep.task": "classic.nope"}, "sweep.task"),
    ({"sweep.reps": 0}, "reps"),
    ({"sweep.reps": "ten"}, "reps"),
    ({"sweep.master_seed": -3}, "master_seed"),
    ({"sweep.name": None}, "sweep.name"),
    ({"sweep.colour": "red"}, "sweep.colour"),
    ({"grid.horizon": []}, "grid.horizon"),
    ({"grid.algorithm": ["ucb1", "ucb9"]}, "algorithm"),
    ({"grid.horizon": [1]}, "horizon"),
    ({"fixed.instance": "nowhere"}, "instance"),
    ({"fixed.bogus": 1}, "bogus"),
])
def test_bad_spec_is_refused_naming_the_field(changes, field):
    with pytest.raises(ValueError, match=field):
        parse_spec(_spec(**changes))


def test_cells_are_the_grid_product_plus_fixed():
    cells = parse_spec(SPEC).cells()
    assert len(cells) == 4 and all(c["instance"] == "two_arm_0.1" for c in cells)


def test_run_cells_does_not_depend_on_chunking_or_workers():
    spec = parse_spec(SPEC)
    from theorylab.core.registry import sweep_tasks

    task = sweep_tasks()["classic.regret"]
    a = run_cells(task, spec.cells(), 24, 11, n_jobs=1, chunk_reps=24)
    b = run_cells(task, spec.cells(), 24, 11, n_jobs=2, chunk_reps=5)
    pd.testing.assert_frame_equal(a, b)


def test_serial_loky_and_dask_sweeps_give_identical_tables(tmp_path):
    pytest.importorskip("dask.distributed")
    spec = parse_spec(SPEC)
    serial = run_sweep(spec, tmp_path / "serial", n_jobs=1, progress=False)
    loky = run_sweep(spec, tmp_path / "loky", n_jobs=2, progress=False)
    with backend("dask", n_workers=2):
        dask = run_sweep(spec, tmp_path / "dask", n_jobs=2, progress=False)
    pd.testing.assert_frame_equal(serial, loky)
    pd.testing.assert_frame_equal(serial, dask)
    assert len(serial) == 4 * 24 and serial["regret"].gt(0).all()


def test_out_directory_of_another_sweep_is_refused(tmp_path):
    run_sweep(parse_spec(SPEC), tmp_path, progress=False)
    other = parse_spec(_spec(**{"sweep.master_seed": 12}))
    with pytest.raises(ValueError, match="different sweep"):
        run_sweep(other, tmp_path, progress=False)


def test_rerun_of_a_finished_sweep_recomputes_nothing(tmp_path):
    spec = parse_spec(SPEC)
    first = run_sweep(spec, tmp_path, progress=False)
    stamps = {p: p.stat().st_mtime_ns for p in tmp_path.glob("*/*.parquet")}
    second = run_sweep(spec, tmp_path, progress=False)
    assert stamps == {p: p.stat().st_mtime_ns for p in tmp_path.glob("*/*.parquet")}
    assert len(stamps) == 16
    pd.testing.assert_frame_equal(first, second)
