"""Every games claim holds at quick size and is violated by its documented break."""

from theorylab.core import registry

TOPIC = "games"


def test_claim_holds_at_quick_size(quick_result):
    assert quick_result.verdict == "holds", quick_result


def test_claim_is_violated_when_deliberately_broken(broken_result):
    assert broken_result.verdict == "violated", broken_result
