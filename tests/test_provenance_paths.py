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


# -- spec-style labels ("spec U3", "spec Section 11 item 8") in what a user reads -----------------------------
#: A reference to the internal design notes by label, which no user can follow unless the same text also
#: cites the topic note that explains the label.
SPEC_LABEL = re.compile(r"\bspecs?\b[\s.:,(]*(?:section|sec\.|§|prop\.?|item|theorem|\d|[A-Z]\d|[A-Z]\b)", re.IGNORECASE)


def _user_facing_texts():
    from theorylab.core import registry

    for topic in registry.topic_names():
        for claim in registry.claims(topic):
            yield f"claim {claim.id}", " | ".join(str(x) for x in (claim.theorem, claim.statement, claim.calibration))
        for fig in registry.figures(topic):
            yield f"figure {fig.id}", f"{fig.title} | {fig.caption}"
        package = registry._package(topic)
        for attr in ("ALGORITHMS", "INSTANCES"):
            for name, text in (getattr(package, attr, None) or {}).items():
                yield f"{topic} {attr.lower()} {name}", text


def test_the_spec_label_pattern_catches_the_forms_it_is_for():
    for bad in ("spec U3", "spec Section 11 item 8", "(spec 3.5, P1/P4)", "spec Prop. A (U1)", "Spec 7",
                "[RECON, spec 4.2]", "spec A3'"):
        assert SPEC_LABEL.search(bad), bad
    for fine in ("a sweep spec", "the spec file SPEC.toml is refused", "specification of the schema"):
        assert not SPEC_LABEL.search(fine), fine


@pytest.mark.parametrize("where,text", list(_user_facing_texts()), ids=lambda v: v if len(v) < 60 else v[:60])
def test_captions_statements_and_descriptions_cite_the_topic_note_not_a_spec_label(where, text):
    if SPEC_LABEL.search(text):
        assert "docs/topics/" in text, f"{where} cites a spec label without docs/topics/<topic>.md: {text[:200]}"


# -- every cited note anchor exists ----------------------------------------------------------------------------
CITED_ANCHOR = re.compile(r"docs/topics/(\w+)\.md#([\w-]+)")


def _anchor(heading: str) -> str:
    """GitHub's anchor of a Markdown heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _anchors(note: Path) -> set[str]:
    return {_anchor(line.lstrip("#")) for line in note.read_text(encoding="utf-8").splitlines()
            if line.startswith("#")}


def test_the_anchor_rule_matches_github():
    assert _anchor("Why DP-BAI only ties DP-OD here") == "why-dp-bai-only-ties-dp-od-here"
    assert _anchor("claim-cce_gap_identity") == "claim-cce_gap_identity"
    assert _anchor("The CCE-regret identity") == "the-cce-regret-identity"


#: Cited anchors known to be missing (none: every cited anchor exists; add an entry only with a reason).
KNOWN_MISSING: set = set()


def test_every_cited_topic_note_anchor_exists():
    missing = []
    for path in _shipped_text_files():
        for topic, anchor in CITED_ANCHOR.findall(path.read_text(encoding="utf-8", errors="replace")):
            note = ROOT / "docs" / "topics" / f"{topic}.md"
            if (topic, anchor) in KNOWN_MISSING:
                continue
            if not note.exists() or anchor not in _anchors(note):
                missing.append(f"{path.relative_to(ROOT)}: docs/topics/{topic}.md#{anchor}")
    assert not missing, "anchors cited but not in the note:\n" + "\n".join(sorted(set(missing)))
