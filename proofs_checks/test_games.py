"""Every games claim holds at quick size and is violated by its documented break.

``CLAIM_IDS`` pins the exact claim list: removing or renaming a claim fails CI until this tuple is changed
with a reason in the commit. (games.optimistic_hedge_slope became games.optimistic_hedge_total_regret: the
old slope check passed with plain Hedge too, see issue 10 item 1.)
"""

from claim_harness import (test_claim_holds_at_full_size, test_claim_holds_at_quick_size,  # noqa: F401
                           test_claim_is_violated_when_deliberately_broken)

import pytest

from theorylab.core import registry

TOPIC = "games"

CLAIM_IDS = (
    "games.cce_gap_identity",
    "games.hedge_regret_bound",
    "games.regret_matching_bound",
    "games.optimistic_hedge_total_regret",
    "games.reduction_bound",
    "games.markov_gap_decays",
    "games.history_gap_persists",
    "games.vlearning_certified_gap_decreases",
)


def test_games_claim_ids_are_pinned():
    assert tuple(c.id for c in registry.claims(TOPIC)) == CLAIM_IDS


@pytest.mark.slow
def test_claim_is_violated_at_its_recorded_break_margin(claim):
    """The recorded ``break_margin`` is reproducible: the quick check at that strength reads ``violated``."""
    b = claim.deliberate_break
    value = b.margin if not isinstance(b.value, (bool, str)) else b.value
    value = int(value) if isinstance(b.value, int) and not isinstance(b.value, bool) else value
    assert claim.run("quick", seed=0, **{b.override: value}).verdict == "violated"
