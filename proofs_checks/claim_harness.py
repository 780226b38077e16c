"""The tests every topic's proofs checks share.

Each ``proofs_checks/test_<topic>.py`` sets ``TOPIC`` and ``CLAIM_IDS``; ``conftest.py`` adds every test
listed in :data:`HARNESS_TESTS` to it, and runs those that take ``claim`` once per claim of the topic:

- the topic's claim ids equal the pinned ``CLAIM_IDS`` (a removed or added claim fails until the list
  is changed, with the reason in a comment beside it and in the commit message);
- each claim holds at quick size, is ``violated`` under its deliberate break at ``Break.value`` and
  (slow) at the recorded ``Break.margin``, and holds at full size (slow);
- a claim whose point estimate sits more than 10x inside its bound at quick size says ``sanity`` in its
  kind or statement.
"""

import os

import pytest

from theorylab.core import registry

__all__ = ["HARNESS_TESTS", "LOOSE_FACTOR", "test_claim_ids_are_pinned", "test_claim_belongs_to_its_topic",
           "test_claim_holds_at_quick_size", "test_claim_is_violated_when_deliberately_broken",
           "test_loose_claim_says_sanity", "test_claim_is_violated_at_its_break_margin",
           "test_claim_holds_at_full_size"]

#: A bound more than this factor away from the estimate (upper: measured/bound < 1/LOOSE_FACTOR; lower:
#: measured/bound > LOOSE_FACTOR) can only catch gross errors: the claim must say ``sanity``.
LOOSE_FACTOR = 10.0


def test_claim_ids_are_pinned(request):
    module = request.module
    where = "proofs_checks/" + os.path.basename(module.__file__)
    pinned = getattr(module, "CLAIM_IDS", None)
    assert isinstance(pinned, tuple) and all(isinstance(i, str) for i in pinned), (
        f"{where} must define CLAIM_IDS, the tuple of topic {module.TOPIC!r}'s claim ids")
    assert len(set(pinned)) == len(pinned), f"CLAIM_IDS in {where} repeats an id"
    ids = [c.id for c in registry.claims(module.TOPIC)]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    assert not dupes, f"topic {module.TOPIC!r} registers these claim ids twice: {dupes}"
    removed, added = sorted(set(pinned) - set(ids)), sorted(set(ids) - set(pinned))
    assert not removed and not added, (
        f"the claims of topic {module.TOPIC!r} differ from CLAIM_IDS in {where}: removed {removed}, added {added}. "
        f"If this is intended, change CLAIM_IDS in {where} with the reason in a comment beside it and in the "
        f"commit message.")


def test_claim_belongs_to_its_topic(claim, request):
    assert claim.topic == request.module.TOPIC, f"{claim.id} is registered under topic {request.module.TOPIC!r}"


def test_claim_holds_at_quick_size(quick_result):
    assert quick_result.verdict == "holds", quick_result


def test_claim_is_violated_when_deliberately_broken(claim, broken_result):
    assert broken_result.verdict == "violated", (
        f"{claim.id}: its break {claim.breaks} ({claim.deliberate_break.changes}) reads {broken_result.verdict}, "
        f"not violated: {broken_result}")


def test_loose_claim_says_sanity(claim, quick_result):
    r = quick_result
    loose = ((r.rule == "upper" and r.ratio < 1 / LOOSE_FACTOR) or (r.rule == "lower" and r.ratio > LOOSE_FACTOR))
    if loose:  # NaN ratios (no reading) never count as loose
        assert claim.kind == "sanity" or "sanity" in claim.statement.lower(), (
            f"{claim.id}: measured/bound = {r.ratio:.3g} at quick size, loose by more than {LOOSE_FACTOR:g}x; "
            f"give it kind='sanity' (or say 'sanity' in its statement), or tighten the check")


@pytest.mark.slow
def test_claim_is_violated_at_its_break_margin(claim, margin_result):
    """The recorded ``Break.margin`` is a strength at which the quick check already reads violated."""
    assert margin_result.verdict == "violated", (
        f"{claim.id}: at its recorded margin {claim.margin_break} the quick check reads {margin_result.verdict}; "
        f"re-measure Break.margin ({claim.deliberate_break.margin_source})")


@pytest.mark.slow
def test_claim_holds_at_full_size(claim):
    """The paper-size check (`theorylab check TOPIC`), too slow for CI: run with ``pytest -m slow``."""
    result = claim.run("full", seed=0)
    assert result.verdict == "holds", result


HARNESS_TESTS = tuple(n for n in __all__ if n.startswith("test_"))
