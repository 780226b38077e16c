"""A sweep killed with SIGKILL part-way and rerun finishes with the uninterrupted table."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from theorylab.core.sweep import load_spec, run_sweep

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "simulations" / "classic" / "ucb_ts_regret.toml"


def _chunks(out: Path) -> dict:
    return {p.relative_to(out): p.stat().st_mtime_ns for p in out.glob("*/*.parquet")}


def test_sigkilled_sweep_resumes_to_the_uninterrupted_table(tmp_path):
    spec = load_spec(SPEC)
    total = len(spec.cells()) * -(-spec.reps // spec.chunk_reps)
    assert total >= 20
    out = tmp_path / "killed"
    proc = subprocess.Popen([sys.executable, "-m", "theorylab", "sweep", str(SPEC), "--out", str(out), "--n-jobs", "2"],
                            cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 240
    while time.time() < deadline and len(_chunks(out)) < 6 and proc.poll() is None:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    before = _chunks(out)
    assert 0 < len(before) < total, f"kill landed at {len(before)} of {total} chunks"
    resumed = run_sweep(spec, out, n_jobs=2, progress=False)
    after = _chunks(out)
    assert len(after) == total
    assert all(after[k] == v for k, v in before.items()), "a finished chunk was recomputed"
    assert not list(out.glob("**/.*.tmp"))
    uninterrupted = run_sweep(spec, tmp_path / "clean", n_jobs=2, progress=False)
    pd.testing.assert_frame_equal(resumed, uninterrupted)
    pd.testing.assert_frame_equal(pd.read_parquet(out / "results.parquet"), uninterrupted)
