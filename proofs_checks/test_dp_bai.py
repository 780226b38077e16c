"""Every dp_bai claim holds at quick size and is violated by its documented break."""

import pytest

from theorylab.bandits.dp_bai.claims import CLAIMS


@pytest.mark.parametrize("claim", CLAIMS, ids=[c.id for c in CLAIMS])
def test_claim_holds_and_its_break_is_detected(claim):
    assert claim.breaks, f"{claim.id} has no breaks"
    res = claim.run("quick")
    assert res.verdict == "holds", res
    broken = claim.run("quick", **claim.breaks)
    assert broken.verdict == "violated", broken
