"""A sweep killed with SIGKILL part-way and rerun finishes with the uninterrupted table.

The sweep is a small one of the ``classic.regret`` task (the task of
``simulations/classic/ucb_ts_regret.toml``), written to the test's own directory: the same grid shape
(instances x algorithms x horizons, 8 cells) with short horizons and 4 chunks of 5 repetitions per cell,
32 chunks in all. A chunk's cost is mostly its bookkeeping (about 0.05 s: parquet, checksum record,
verification), so the subprocess writes its chunks one after the other over a second or more; it is
killed as soon as 3 are on disk, which leaves more than 25 to go however slowly the machine runs.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from theorylab.core.sweep import load_spec, run_sweep

ROOT = Path(__file__).resolve().parents[2]

#: The sweep under test: ucb_ts_regret's task and grid keys, small sizes, 8 cells x 4 chunks.
SPEC_TEXT = """\
[sweep]
name = "resume_test"
task = "classic.regret"
master_seed = 2026
reps = 20
chunk_reps = 5

[grid]
instance = ["five_arm", "linspace10"]
algorithm = ["ucb1", "thompson"]
horizon = [1000, 5000]
"""
KILL_AFTER = 3        # finished chunks on disk when the SIGKILL is sent


def _chunks(out: Path) -> dict:
    return {p.relative_to(out): p.stat().st_mtime_ns for p in out.glob("*/*.parquet")}


def test_sigkilled_sweep_resumes_to_the_uninterrupted_table(tmp_path):
    spec_path = tmp_path / "resume_test.toml"
    spec_path.write_text(SPEC_TEXT)
    spec = load_spec(spec_path)
    total = len(spec.cells()) * -(-spec.reps // spec.chunk_reps)
    assert total >= 20
    out = tmp_path / "killed"
    # the CLI, with two workers, in its own process group: the kill takes the workers (mid-chunk) too
    proc = subprocess.Popen([sys.executable, "-m", "theorylab", "sweep", str(spec_path), "--out", str(out),
                             "--n-jobs", "2"], cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    deadline = time.time() + 180
    while time.time() < deadline and len(_chunks(out)) < KILL_AFTER and proc.poll() is None:
        time.sleep(0.01)
    if proc.poll() is not None:
        pytest.fail(f"the sweep ended (exit code {proc.returncode}) before it was killed: "
                    f"{proc.stderr.read().decode()[-2000:]}")
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    before = _chunks(out)
    assert 0 < len(before) < total, f"kill landed at {len(before)} of {total} chunks"
    # resumed and uninterrupted runs in this process, serially (no worker start-up): the killed run's
    # chunks came from two workers, so the table is also checked not to depend on the number of workers
    resumed = run_sweep(spec, out, n_jobs=1, progress=False)
    after = _chunks(out)
    assert len(after) == total
    assert all(after[k] == v for k, v in before.items()), "a finished chunk was recomputed"
    summary = resumed.attrs["cell_summary"]
    assert sum(c["reused"] for c in summary) == len(before) * spec.chunk_reps    # every finished chunk reused
    assert sum(c["computed"] for c in summary) == (total - len(before)) * spec.chunk_reps
    assert not list(out.glob("**/.*.tmp"))
    uninterrupted = run_sweep(spec, tmp_path / "clean", n_jobs=1, progress=False)
    pd.testing.assert_frame_equal(resumed, uninterrupted)
    pd.testing.assert_frame_equal(pd.read_parquet(out / "results.parquet"), uninterrupted)
