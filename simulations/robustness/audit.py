"""Robustness audit of sweeps, CLI and API (the figures table of issue 12), run as a careless user and a
hostile disk would.

    python simulations/robustness/audit.py [--quick] [--trials N] [--pairs N] [--kills N]

Prints one row per category: tried, clear (a one-line error naming the field/file, or a verified
repair giving the clean table), traceback, hang, wrong (a wrong table or a garbage result with exit 0).
Run from the repository root. Takes a few minutes (``--quick``: fewer repetitions).
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from theorylab.cli import main  # noqa: E402

SPEC = ('[sweep]\nname = "audit"\ntask = "classic.bai"\nmaster_seed = {seed}\nreps = 40\nchunk_reps = 4\n'
        '[grid]\nbudget = [400, 800, 1600, 3200]\n[fixed]\ninstance = "bai8"\nalgorithm = "successive_rejects"\n')
KILL = ('[sweep]\nname = "audit_kill"\ntask = "classic.regret"\nmaster_seed = 4\nreps = 64\nchunk_reps = 2\n'
        '[grid]\nalgorithm = ["ucb1", "thompson"]\n[fixed]\ninstance = "linspace10"\nhorizon = 1000000\n')
LONG = ('[sweep]\nname = "audit_long"\ntask = "classic.regret"\nmaster_seed = 3\nreps = 48\nchunk_reps = 2\n'
        '[grid]\nalgorithm = ["ucb1", "thompson"]\n[fixed]\ninstance = "linspace10"\nhorizon = 200000\n')
ROWS: dict[str, dict] = {}


def _row(name):
    return ROWS.setdefault(name, {"tried": 0, "clear": 0, "traceback": 0, "hang": 0, "wrong": 0})


def _cli(argv) -> tuple[int | str, str]:
    """(exit status or 'traceback', stderr) of an in-process CLI call."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = main(argv)
        except BaseException as exc:  # noqa: BLE001 - an escaping exception is a traceback
            return "traceback", f"{type(exc).__name__}: {exc}"
    return code, err.getvalue()


def _sub(argv, **kw):
    return subprocess.Popen([sys.executable, "-m", "theorylab", *argv], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, start_new_session=True, **kw)


def _one_line(err: str) -> bool:
    lines = [x for x in err.strip().splitlines() if x]
    return all(x.startswith("theorylab: ") for x in lines) and "Traceback" not in err


def _table(out: Path):
    p = out / "results.parquet"
    return pd.read_parquet(p) if p.is_file() else None


def _same(a, b) -> bool:
    try:
        pd.testing.assert_frame_equal(a, b)
        return True
    except AssertionError:
        return False


def _classify(row, code, err, table, clean, named=True):
    r = _row(row)
    r["tried"] += 1
    if code == "traceback" or code == 3 or not _one_line(err):
        r["traceback"] += 1
    elif code == 0:
        if table is not None and _same(table, clean):
            r["clear"] += 1
        else:
            r["wrong"] += 1
    elif code == 2 and (not named or "'" in err):
        r["clear"] += 1
    else:
        r["wrong"] += 1


# ----------------------------------------------------------------------------------------------- kills
def audit_kills(work: Path, sequences: int):
    rng = random.Random(12)
    spec = work / "kill.toml"
    spec.write_text(KILL)
    assert _cli(["sweep", str(spec), "--out", str(work / "kill_clean"), "--n-jobs", "2"])[0] == 0
    clean = _table(work / "kill_clean")
    seq = _row("kill-resume sequences")
    kills = _row("SIGKILLs")
    for i in range(sequences):
        out = work / f"kill{i}"
        for _ in range(1 + i % 2):
            proc = _sub(["sweep", str(spec), "--out", str(out), "--n-jobs", "2"])
            deadline = time.time() + 120
            while time.time() < deadline and not list(out.glob("*/*.parquet")) and proc.poll() is None:
                time.sleep(0.02)
            time.sleep(rng.uniform(0.0, 2.0))
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            kills["tried"] += 1
            kills["clear"] += 1  # a kill itself cannot fail; what it leaves is judged by the resume
        proc = _sub(["sweep", str(spec), "--out", str(out), "--n-jobs", "2"])
        try:
            _, err = proc.communicate(timeout=600)
            code = proc.returncode
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            seq["tried"] += 1
            seq["hang"] += 1
            continue
        _classify("kill-resume sequences", code, err, _table(out), clean)
    dead = [p.name for p in Path("/dev/shm").iterdir() if p.name.startswith(("sem.loky-", "joblib_memmapping"))
            and not _alive(int(p.name.replace("_", "-").split("-")[1 if p.name.startswith("sem") else 3]))]
    ROWS["SIGKILLs"]["note"] = f"/dev/shm entries of dead processes after the resumes: {len(dead)}"


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# ----------------------------------------------------------------------------------------- corruptions
def _flip(path: Path, rng):
    raw = bytearray(path.read_bytes())
    if raw:
        raw[rng.randrange(len(raw))] ^= rng.randrange(1, 256)
    path.write_bytes(bytes(raw))


def _truncate(path: Path, rng):
    raw = path.read_bytes()
    path.write_bytes(raw[: rng.randrange(max(1, len(raw)))])


def audit_corruptions(work: Path, clean_out: Path, clean: pd.DataFrame, spec: Path, other_out: Path, trials: int):
    rng = random.Random(7)

    def chunks(out):
        return sorted(out.glob("*/*.parquet"))

    kinds = {
        "flip a chunk byte": lambda out: _flip(rng.choice(chunks(out)), rng),
        "flip a record byte": lambda out: _flip(rng.choice(sorted(out.glob("*/*.sum"))), rng),
        "flip a manifest byte": lambda out: _flip(out / "manifest.json", rng),
        "truncate a chunk": lambda out: _truncate(rng.choice(chunks(out)), rng),
        "delete a record": lambda out: rng.choice(sorted(out.glob("*/*.sum"))).unlink(),
        "swap two chunks": lambda out: _swap(*rng.sample(chunks(out), 2)),
        "copy a chunk + record from another cell": lambda out: _copy_other_cell(out, rng),
        "copy a chunk + record from another sweep": lambda out: _copy_from(other_out, out, rng),
        "a directory in place of a chunk": lambda out: _dir_for_chunk(rng.choice(chunks(out))),
    }
    for kind, damage in kinds.items():
        for t in range(trials):
            out = work / f"corrupt_{abs(hash(kind)) % 10**6}_{t}"
            shutil.copytree(clean_out, out)
            damage(out)
            code, err = _cli(["sweep", str(spec), "--out", str(out)])
            if code == 0 and "warning" in err:
                err = "\n".join(x for x in err.splitlines() if not x.startswith("theorylab: warning:")) or ""
            _classify(f"corruption: {kind}", code, err, _table(out) if code == 0 else None, clean)


def _swap(a: Path, b: Path):
    tmp = a.with_name("swap.tmpfile")
    a.rename(tmp)
    b.rename(a)
    tmp.rename(b)


def _copy_other_cell(out: Path, rng):
    a, b = rng.sample(sorted(p for p in out.iterdir() if p.is_dir()), 2)
    name = rng.choice(sorted(p.name for p in a.glob("*.parquet")))
    for n in (name, name + ".sum"):
        shutil.copy(a / n, b / n)


def _copy_from(src_out: Path, out: Path, rng):
    cell = rng.choice(sorted(p for p in src_out.iterdir() if p.is_dir()))
    name = rng.choice(sorted(p.name for p in cell.glob("*.parquet")))
    (out / cell.name).mkdir(exist_ok=True)
    for n in (name, name + ".sum"):
        shutil.copy(cell / n, out / cell.name / n)


def _dir_for_chunk(path: Path):
    path.unlink()
    path.mkdir()


# ----------------------------------------------------------------------------------------- concurrency
def audit_concurrency(work: Path, clean: pd.DataFrame, spec: Path, pairs: int):
    r = _row("concurrent pairs")
    for i in range(pairs):
        out = work / f"pair{i}"
        a = _sub(["sweep", str(spec), "--out", str(out)])
        b = _sub(["sweep", str(spec), "--out", str(out)])
        try:
            ea, eb = a.communicate(timeout=600)[1], b.communicate(timeout=600)[1]
        except subprocess.TimeoutExpired:
            r["tried"] += 1
            r["hang"] += 1
            continue
        r["tried"] += 1
        codes = sorted([a.returncode, b.returncode])
        ok_codes = codes in ([0, 0], [0, 2])
        refused_clearly = all(("in use" in e) for c, e in ((a.returncode, ea), (b.returncode, eb)) if c == 2)
        if not (_one_line(ea) and _one_line(eb)) or 3 in codes or not ok_codes:
            r["traceback"] += 1
        elif refused_clearly and _same(_table(out), clean):
            r["clear"] += 1
            r["note"] = f"second run refused at once in {r.get('refused', 0) + (codes == [0, 2])} pairs"
            r["refused"] = r.get("refused", 0) + (codes == [0, 2])
        else:
            r["wrong"] += 1


# ----------------------------------------------------------------------------------------- bad specs
def _bad_specs() -> list[tuple[str, bytes]]:
    from tests.core.test_sweep_specs import BAD, BASE, _cell

    def toml(task, cell, head=None):
        head = head or {}
        lines = ["[sweep]", 'name = "bad"', f'task = "{task}"', "master_seed = 0", "reps = 4"]
        lines = [x for x in lines if x.split(" = ")[0] not in head] + [f"{k} = {v}" for k, v in head.items()]
        lines.append("[fixed]")
        lines += [f"{k} = {json.dumps(v)}" for k, v in cell.items()]
        return "\n".join(lines).encode() + b"\n"

    specs = [(f"{t}: {f}", toml(t, _cell(t, c))) for t, c, f in BAD]
    base = BASE["classic.regret"]
    for label, head in [("reps = 0", {"reps": "0"}), ("reps = 10**12", {"reps": str(10**12)}),
                        ('reps = "10"', {"reps": '"10"'}), ("reps = 1.5", {"reps": "1.5"}),
                        ("chunk_reps = 0", {"chunk_reps": "0"}), ("master_seed = -1", {"master_seed": "-1"}),
                        ('name = ""', {"name": '""'}), ('task = "nope"', {"task": '"nope"'}),
                        ("unknown sweep field", {"repz": "3"}), ("reps 10**9 (memory)", {"reps": str(10**9)})]:
        specs.append((label, toml("classic.regret", base, head)))
    specs += [
        ("missing [sweep]", b'[fixed]\nhorizon = 3\n'),
        ("unknown section", b'[sweep]\nname="x"\ntask="classic.regret"\nmaster_seed=0\nreps=2\n[gird]\na=[1]\n'),
        ("grid value not a list", b'[sweep]\nname="x"\ntask="classic.regret"\nmaster_seed=0\nreps=2\n[grid]\nhorizon=3\n'),
        ("grid empty list", b'[sweep]\nname="x"\ntask="classic.regret"\nmaster_seed=0\nreps=2\n[grid]\nhorizon=[]\n'),
        ("key in grid and fixed", b'[sweep]\nname="x"\ntask="classic.regret"\nmaster_seed=0\nreps=2\n[grid]\n'
                                  b'horizon=[10]\n[fixed]\nhorizon=10\n'),
        ("invalid TOML", b'[sweep\nname = "x"\n'),
        ("not UTF-8", b'[sweep]\nname = "caf\xe9"\n'),
        ("missing name", b'[sweep]\ntask="classic.regret"\nmaster_seed=0\nreps=2\n'),
        ("games spec missing n_actions", b'[sweep]\nname="x"\ntask="games.regret"\nmaster_seed=0\nreps=2\n'
                                         b'[fixed]\nlearner="hedge"\ncheckpoints=[10]\n'),
        ("[fixed] not a table", b'fixed = 3\n[sweep]\nname="x"\ntask="classic.regret"\nmaster_seed=0\nreps=2\n'),
    ]
    return specs


def audit_bad_specs(work: Path):
    for i, (label, text) in enumerate(_bad_specs()):
        path = work / f"bad{i}.toml"
        path.write_bytes(text)
        out = work / f"bad_out{i}"
        code, err = _cli(["sweep", str(path), "--out", str(out)])
        r = _row("broken sweep specs")
        r["tried"] += 1
        if code == "traceback" or code == 3 or not _one_line(err):
            r["traceback"] += 1
        elif code == 2 and not out.exists() and len(err.strip().splitlines()) == 1:
            r["clear"] += 1
        else:
            r["wrong"] += 1
            print("  spec accepted or left files:", label, code, err.strip()[:200])


# ----------------------------------------------------------------------------------------- CLI misuse
def audit_cli(work: Path, spec: Path):
    f = work / "a_file"
    f.write_text("x")
    (work / "mdir").mkdir()
    (work / "mdir" / "manifest.json").write_text("{nope")
    port = _free_port()
    cases = [
        ["sweep", str(spec), "--out", str(f)], ["sweep", str(spec), "--out", "/proc/audit_out"],
        ["reproduce", "classic", "--quick", "--out", str(f)], ["reproduce", "classic", "--quick", "--out", "/proc/x"],
        ["check", "classic.exp3_regret", "--quick", "--json", str(work)],
        ["check", "classic.exp3_regret", "--quick", "--json", str(work / "nodir" / "x.json")],
        ["bench", "--json", str(work / "nodir" / "b.json")],
        ["sweep", str(spec), "--out", str(work / "d1"), "--backend", "dask", "--address", f"tcp://127.0.0.1:{port}"],
        ["check", "--backend", "dask", "--address", "tcp://10.255.255.1:8786"],
        ["sweep", str(spec), "--out", str(work / "d2"), "--address", "tcp://127.0.0.1:1"],
        ["sweep", str(spec), "--out", str(work / "d3"), "--backend", "dask", "--address", "garbage"],
        ["sweep", str(spec), "--out", str(work / "mdir")],
        ["sweep", str(work / "nope.toml"), "--out", str(work / "d4")], ["sweep", str(work), "--out", str(work / "d5")],
        ["sweep", str(spec)], ["sweep", str(spec), "--out", str(work / "d6"), "--n-jobs", "0"],
        ["sweep", str(spec), "--out", str(work / "d7"), "--n-jobs", "-5"],
        ["sweep", str(spec), "--out", str(work / "d8"), "--n-jobs", "1000000"],
        ["sweep", str(spec), "--out", str(work / "d9"), "--n-jobs", "two"],
        ["check", "--seed", "-1"], ["check", "--seed", "x"], ["check", "nosuchtopic"], ["check", "classic.nosuch"],
        ["check", "linear"], ["list", "nosuchtopic"], ["reproduce", "classic.nosuchfigure", "--quick"],
        ["bench", "nosuchbench"], ["nosuchcommand"], [], ["sweep", str(spec), "--out", str(work / "d10"), "--bogus"],
        ["check", "--backend", "spark"],
    ]
    for argv in cases:
        t0 = time.perf_counter()
        code, err = _cli(argv)
        r = _row("CLI misuses")
        r["tried"] += 1
        if code == "traceback" or code == 3 or not _one_line(err):
            r["traceback"] += 1
            print("  CLI traceback:", argv, err.strip()[:200])
        elif code == 2 and time.perf_counter() - t0 < 15:
            r["clear"] += 1
        else:
            r["wrong"] += 1
            print("  CLI not refused:", argv, code, err.strip()[:200])
    # a closed pipe and Ctrl-C, as real processes
    r = _row("CLI misuses")
    proc = subprocess.run(f"{sys.executable} -m theorylab list | head -1", shell=True, cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    r["tried"] += 1
    r["clear" if proc.stderr == "" else "traceback"] += 1
    longspec = work / "long.toml"
    longspec.write_text(LONG)
    out = work / "ctrlc"
    for _ in range(3):
        proc = subprocess.Popen([sys.executable, "-m", "theorylab", "sweep", str(longspec), "--out", str(out)], cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(4)
        proc.send_signal(signal.SIGINT)
        try:
            _, err = proc.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            r["tried"] += 1
            r["hang"] += 1
            continue
        r["tried"] += 1
        good = proc.returncode in (0, 130) and _one_line(err) and (proc.returncode == 0 or "resume" in err)
        r["clear" if good else "traceback"] += 1


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ----------------------------------------------------------------------------------------- API
class _Hang(Exception):
    pass


def audit_api():
    from tests.test_api_fuzz import BAD_VALUES, CONSTRUCTORS, REPORTED

    def alarm(signum, frame):
        raise _Hang

    signal.signal(signal.SIGALRM, alarm)
    r = _row("API calls (fuzzed constructors)")
    for fn, base, valid in CONSTRUCTORS:
        for name in sorted(base):
            for value in BAD_VALUES:
                kwargs = dict(base, **{name: value})
                r["tried"] += 1
                signal.alarm(20)
                try:
                    res = fn(**kwargs)
                    r["clear" if valid(res) else "wrong"] += 1
                except (ValueError, TypeError) as exc:
                    r["clear" if name in str(exc) and "\n" not in str(exc) else "traceback"] += 1
                except _Hang:
                    r["hang"] += 1
                except Exception:  # noqa: BLE001
                    r["traceback"] += 1
                finally:
                    signal.alarm(0)
    r = _row("API calls (reported in issue 12, our files)")
    for call, field in REPORTED:
        r["tried"] += 1
        signal.alarm(20)
        try:
            call()
            r["wrong"] += 1
        except (ValueError, TypeError) as exc:
            r["clear" if field in str(exc) else "traceback"] += 1
        except _Hang:
            r["hang"] += 1
        except Exception:  # noqa: BLE001
            r["traceback"] += 1
        finally:
            signal.alarm(0)


def main_audit(quick: bool, trials: int | None = None, pairs: int | None = None, kills: int | None = None):
    work = Path(tempfile.mkdtemp(prefix="theorylab_audit_"))
    try:
        spec = work / "audit.toml"
        spec.write_text(SPEC.format(seed=1))
        other = work / "other.toml"
        other.write_text(SPEC.format(seed=2))
        clean_out, other_out = work / "clean", work / "other"
        assert _cli(["sweep", str(spec), "--out", str(clean_out), "--n-jobs", "2"])[0] == 0
        assert _cli(["sweep", str(other), "--out", str(other_out)])[0] == 0
        clean = _table(clean_out)
        t0 = time.perf_counter()
        sections = [lambda: audit_api(), lambda: audit_bad_specs(work), lambda: audit_cli(work, spec),
                    lambda: audit_corruptions(work, clean_out, clean, spec, other_out, trials or (4 if quick else 12)),
                    lambda: audit_concurrency(work, clean, spec, pairs or (4 if quick else 12)),
                    lambda: audit_kills(work, kills or (4 if quick else 10))]
        for section in sections:
            try:
                section()
            except Exception as exc:  # noqa: BLE001 - report and go on with the other sections
                print(f"  audit section failed: {type(exc).__name__}: {exc}")
        print(f"\n{'category':52s} {'tried':>6s} {'clear':>6s} {'traceback':>9s} {'hang':>5s} {'wrong':>6s}")
        for name, r in ROWS.items():
            print(f"{name:52s} {r['tried']:6d} {r['clear']:6d} {r['traceback']:9d} {r['hang']:5d} {r['wrong']:6d}"
                  + (f"   ({r['note']})" if "note" in r else ""))
        print(f"({time.perf_counter() - t0:.0f} s)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _arg(name):
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else None


if __name__ == "__main__":
    main_audit("--quick" in sys.argv, _arg("--trials"), _arg("--pairs"), _arg("--kills"))
