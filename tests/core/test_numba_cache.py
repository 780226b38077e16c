"""theorylab._numba_cache: a kernel is never served from a cache built on other source."""

import os
import subprocess
import sys
import time
from pathlib import Path

from theorylab import _numba_cache as NC

ROOT = Path(__file__).resolve().parents[2]

_SAMPLER = '''from numba import njit


@njit(cache=True, inline="always")
def value():
    return {value}
'''
_KERNEL = '''from numba import njit

from stalepkg.sampler import value


@njit(cache=True)
def kernel():
    return value() + 0
'''
_RUN = ("import sys; sys.path.insert(0, {root!r}); sys.path.insert(0, {tmp!r}); from pathlib import Path; "
        "from theorylab._numba_cache import configure; d = configure(Path({pkg!r})); "
        "from stalepkg.kernel import kernel; print(kernel(), d)")


def _package(tmp: Path, value: int) -> Path:
    pkg = tmp / "stalepkg"
    pkg.mkdir(exist_ok=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sampler.py").write_text(_SAMPLER.format(value=value))
    (pkg / "kernel.py").write_text(_KERNEL)
    return pkg


def _run(tmp: Path, pkg: Path) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NUMBA_CACHE_DIR", "THEORYLAB_SET_NUMBA_CACHE")}
    env["THEORYLAB_CACHE_DIR"] = str(tmp / "cache")
    out = subprocess.run([sys.executable, "-c", _RUN.format(root=str(ROOT), tmp=str(tmp), pkg=str(pkg))],
                         env=env, capture_output=True, text=True, check=True).stdout.split()
    return int(out[0]), out[1]


def test_a_changed_inlined_sampler_is_recompiled_into_the_kernel(tmp_path):
    pkg = _package(tmp_path, 1)
    first, dir1 = _run(tmp_path, pkg)
    again, dir1b = _run(tmp_path, pkg)
    assert (first, again, dir1b) == (1, 1, dir1)
    assert any(Path(dir1).rglob("*.nbi")), "the first process wrote no cache"
    (pkg / "sampler.py").write_text(_SAMPLER.format(value=2))      # the kernel's own file is unchanged
    changed, dir2 = _run(tmp_path, pkg)
    assert changed == 2 and dir2 != dir1


def test_digest_follows_compiled_source_only(tmp_path):
    pkg = _package(tmp_path, 1)
    (pkg / "plain.py").write_text("X = 1\n")
    d0 = NC.source_digest(pkg)
    (pkg / "plain.py").write_text("X = 2\n")
    assert NC.source_digest(pkg) == d0
    (pkg / "sampler.py").write_text(_SAMPLER.format(value=3))
    assert NC.source_digest(pkg) != d0


def test_a_users_own_numba_cache_dir_is_kept(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "THEORYLAB_SET_NUMBA_CACHE"}
    env["NUMBA_CACHE_DIR"] = str(tmp_path / "mine")
    out = subprocess.run([sys.executable, "-c", "import os, theorylab, numba; print(numba.config.CACHE_DIR)"],
                         env=env, cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    assert out == str(tmp_path / "mine")


def test_prune_keeps_the_newest_and_recently_used(tmp_path):
    now = time.time()
    for age, name in enumerate("abcdef"):
        (tmp_path / name).mkdir()
        os.utime(tmp_path / name, (now - 7200 * age, now - 7200 * age))
    (tmp_path / "g").mkdir()
    os.utime(tmp_path / "g", (now - 7200 * 9, now - 7200 * 9))
    removed = NC.prune(tmp_path, keep=2, current=tmp_path / "g", idle=3600.0)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == ["a", "g"], left                  # g is current, a is the newest
    assert sorted(p.name for p in removed) == list("bcdef")
    os.utime(tmp_path / "a", (now, now))
    assert NC.prune(tmp_path, keep=1, current=tmp_path / "g", idle=3600.0) == []   # a is recently used
