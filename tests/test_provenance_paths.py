"""Provenance a user can follow: nothing the repository ships cites a file outside it.

Captions, docstrings, topic notes, sweep specs and the README must cite ``docs/topics/<topic>.md``
(which ships), never the specs the package was written from, a sibling folder or an absolute path on
the machine that wrote them.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ["theorylab", "figures", "docs", "simulations", "benchmarks", "proofs_checks", "README.md", "CHANGELOG.md"]
TEXT_SUFFIXES = {".py", ".md", ".toml", ".txt", ".cff", ".c"}
OUTSIDE = re.compile(r"\.\./shared|shared/specs|source_checks/|(?<![\w.])specs/\w+\.md|/work/|/root/|/home/\w+")


def _shipped_text_files():
    for name in SHIPPED:
        path = ROOT / name
        files = [path] if path.is_file() else sorted(path.rglob("*")) if path.exists() else []
        for f in files:
            if f.is_file() and f.suffix in TEXT_SUFFIXES and "__pycache__" not in f.parts and "quick" not in f.parts:
                yield f


def test_the_pattern_catches_the_references_it_is_for():
    for bad in ("see ../shared/specs/wtb.md", "Spec: /work/shared/specs/dp_bai.md", "``specs/markov_games.md``",
                "source_checks/causal_bandits.md"):
        assert OUTSIDE.search(bad), bad
    for fine in ("docs/topics/tallying.md#claims", "spec U3 [derived]", "theorylab/core/specs.py"):
        assert not OUTSIDE.search(fine), fine


@pytest.mark.parametrize("path", list(_shipped_text_files()), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_shipped_file_cites_a_path_outside_the_repository(path):
    hits = [f"{path.relative_to(ROOT)}:{i}: {line.strip()[:120]}"
            for i, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
            if OUTSIDE.search(line)]
    assert not hits, "cite docs/topics/<topic>.md instead of:\n" + "\n".join(hits)
