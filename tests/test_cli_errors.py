"""CLI misuse gives one line and exit 2 (never a traceback), checked before work where it can be
(issue 12 items 4-6)."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from theorylab.cli import main
from theorylab.core import store

ROOT = Path(__file__).resolve().parents[1]
SPEC_TEXT = ('[sweep]\nname = "small"\ntask = "classic.bai"\nmaster_seed = 1\nreps = 8\nchunk_reps = 2\n'
             '[grid]\nbudget = [200, 400]\n[fixed]\ninstance = "bai4"\nalgorithm = "successive_rejects"\n')


@pytest.fixture
def spec(tmp_path):
    p = tmp_path / "small.toml"
    p.write_text(SPEC_TEXT)
    return p


def _one_error(capsys, code, argv, match=None):
    assert main(argv) == code
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith("theorylab: error:")
    if match:
        assert match in err[0], err[0]
    return err[0]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_out_an_existing_file(spec, tmp_path, capsys):
    f = tmp_path / "file"
    f.write_text("x")
    _one_error(capsys, 2, ["sweep", str(spec), "--out", str(f)], "not a directory")
    _one_error(capsys, 2, ["reproduce", "classic", "--quick", "--out", str(f)], "not a directory")


def test_out_under_proc(spec, capsys):
    _one_error(capsys, 2, ["sweep", str(spec), "--out", "/proc/theorylab_out"], "/proc")
    _one_error(capsys, 2, ["reproduce", "classic", "--quick", "--out", "/proc/theorylab_out"], "/proc")


def test_json_into_a_missing_directory_or_a_directory(tmp_path, capsys):
    _one_error(capsys, 2, ["check", "classic.exp3_regret", "--quick", "--json", str(tmp_path / "nodir" / "x.json")],
               "does not exist")
    assert not (tmp_path / "nodir").exists()
    _one_error(capsys, 2, ["check", "classic.exp3_regret", "--quick", "--json", str(tmp_path)], "is a directory")
    _one_error(capsys, 2, ["bench", "--json", str(tmp_path / "nodir" / "b.json")], "does not exist")


def test_unreachable_dask_address_fails_fast(spec, tmp_path, capsys):
    t0 = time.perf_counter()
    _one_error(capsys, 2, ["sweep", str(spec), "--out", str(tmp_path / "o"), "--backend", "dask", "--address",
                           f"tcp://127.0.0.1:{_free_port()}"], "no Dask scheduler")
    assert time.perf_counter() - t0 < 10
    assert not (tmp_path / "o").exists()
    _one_error(capsys, 2, ["sweep", str(spec), "--out", str(tmp_path / "o"), "--backend", "dask", "--address",
                           "nonsense"], "tcp://HOST:PORT")


def test_bad_spec_files_name_the_file(tmp_path, capsys):
    p = tmp_path / "latin1.toml"
    p.write_bytes(b'[sweep]\nname = "caf\xe9"\n')
    _one_error(capsys, 2, ["sweep", str(p), "--out", str(tmp_path / "o")], "latin1.toml")
    _one_error(capsys, 2, ["sweep", str(tmp_path), "--out", str(tmp_path / "o")], "not a file")


def test_invalid_manifest_is_named(spec, tmp_path, capsys):
    out = tmp_path / "o"
    out.mkdir()
    (out / "manifest.json").write_text("{not json")
    _one_error(capsys, 2, ["sweep", str(spec), "--out", str(out)], "manifest.json")


def test_a_second_run_on_a_locked_out_is_refused_at_once(spec, tmp_path, capsys):
    out = tmp_path / "o"
    out.mkdir()
    with store.lock(out):
        t0 = time.perf_counter()
        _one_error(capsys, 2, ["sweep", str(spec), "--out", str(out)], "in use by another theorylab run")
        assert time.perf_counter() - t0 < 5
    assert not (out / "manifest.json").exists()


def test_corrupt_chunk_is_repaired_with_one_warning(spec, tmp_path, capsys):
    out = tmp_path / "o"
    assert main(["sweep", str(spec), "--out", str(out)]) == 0
    clean = pd.read_parquet(out / "results.parquet")
    victim = sorted(out.glob("*/*.parquet"))[1]
    raw = bytearray(victim.read_bytes())
    raw[100] ^= 1
    victim.write_bytes(bytes(raw))
    capsys.readouterr()
    assert main(["sweep", str(spec), "--out", str(out)]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("theorylab: warning: recomputing") and victim.name in err[0]
    pd.testing.assert_frame_equal(pd.read_parquet(out / "results.parquet"), clean)


def test_unknown_names_and_bad_numbers(spec, tmp_path, capsys):
    _one_error(capsys, 2, ["list", "nosuchtopic"])
    _one_error(capsys, 2, ["check", "classic.nosuchclaim"])
    _one_error(capsys, 2, ["sweep", str(spec), "--out", str(tmp_path / "o"), "--n-jobs", "0"], "--n-jobs")
    _one_error(capsys, 2, ["sweep", str(spec), "--out", str(tmp_path / "o"), "--n-jobs", "100000"], "--n-jobs")
    _one_error(capsys, 2, ["check", "--seed", "-3"], "--seed")
    _one_error(capsys, 2, ["sweep", str(spec)], "--out")
    _one_error(capsys, 2, ["nosuchcommand"])


def test_closed_pipe_is_quiet():
    proc = subprocess.run(f"{sys.executable} -m theorylab list | head -1", shell=True, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.stdout.count("\n") == 1 and proc.stderr == ""


def test_ctrl_c_says_what_was_kept_and_how_to_resume(tmp_path):
    spec = tmp_path / "long.toml"
    spec.write_text('[sweep]\nname = "long"\ntask = "classic.regret"\nmaster_seed = 1\nreps = 400\nchunk_reps = 4\n'
                    '[fixed]\ninstance = "linspace10"\nalgorithm = "ucb1"\nhorizon = 100000\n')
    out = tmp_path / "o"
    proc = subprocess.Popen([sys.executable, "-m", "theorylab", "sweep", str(spec), "--out", str(out)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while time.time() < deadline and len(list(out.glob("*/*.parquet"))) < 2:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    lines = err.strip().splitlines()
    assert proc.returncode == 130 and len(lines) == 1, err
    assert "chunks are saved in" in lines[0] and "again to resume" in lines[0]


def test_written_files_follow_the_umask(spec, tmp_path):
    old = os.umask(0o022)
    try:
        assert main(["sweep", str(spec), "--out", str(tmp_path / "o")]) == 0
    finally:
        os.umask(old)
    modes = {p.stat().st_mode & 0o777 for p in (tmp_path / "o").rglob("*") if p.is_file()}
    assert modes == {0o644}
