"""Every games claim holds at quick size and is violated by its documented break."""

import pytest

from theorylab.games.claims import CLAIMS


@pytest.mark.parametrize("claim", CLAIMS, ids=[c.id for c in CLAIMS])
def test_claim_holds_quick(claim):
    assert claim.run("quick").verdict == "holds"


@pytest.mark.parametrize("claim", CLAIMS, ids=[c.id for c in CLAIMS])
def test_claim_breaks(claim):
    assert claim.breaks, "every claim must document a break"
    assert claim.run("quick", **claim.breaks).verdict == "violated"
