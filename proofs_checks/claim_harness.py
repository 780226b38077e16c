"""The tests every topic's proofs checks share; each ``proofs_checks/test_<topic>.py`` imports them and sets
``TOPIC`` (the fixtures of ``conftest.py`` then run them once per claim of that topic)."""

import pytest


def test_claim_holds_at_quick_size(quick_result):
    assert quick_result.verdict == "holds", quick_result


def test_claim_is_violated_when_deliberately_broken(broken_result):
    assert broken_result.verdict == "violated", broken_result


@pytest.mark.slow
def test_claim_holds_at_full_size(claim):
    """The paper-size check (`theorylab check TOPIC`), too slow for CI: run with ``pytest -m slow``."""
    result = claim.run("full", seed=0)
    assert result.verdict == "holds", result
