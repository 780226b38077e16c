"""Every classic claim holds at quick size and is reported violated under its one deliberate break.

Failure directions: the upper-bound claims fail when measured regret / error probability exceeds the
bound with the whole 95% interval (UCB1 with a tenth of its bonus, EXP3 mixing uniformly, BAI
algorithms given a fraction of the budget the bound is evaluated at); the Lai-Robbins claim is a lower
bound and fails when UCB1's fitted growth rate of regret in ln t lies wholly below the asymptotic
constant (UCB1 with a too-small bonus under-explores on the wide-gap instance).
"""

from claim_harness import (test_claim_holds_at_full_size, test_claim_holds_at_quick_size,  # noqa: F401
                           test_claim_is_violated_when_deliberately_broken)

from theorylab.core import registry

TOPIC = "classic"

#: The exact claim list. Removing a claim fails CI until this tuple is changed, with the reason here:
#: classic.lai_robbins_thompson was removed (review issue 10, finding 4): it held only through a margin of
#: ours and the public API offers no break of Thompson sampling itself.
CLAIM_IDS = ("classic.ucb1_regret", "classic.lai_robbins", "classic.successive_rejects",
             "classic.sequential_halving", "classic.exp3_regret")


def test_the_classic_claims_are_exactly_the_pinned_list():
    assert tuple(c.id for c in registry.claims(TOPIC)) == CLAIM_IDS


def test_every_classic_claim_has_one_break_with_a_recorded_margin():
    for c in registry.claims(TOPIC):
        b = c.deliberate_break
        assert b.margin_source.startswith("scan") and "quick, seed 0" in b.margin_source, c.id
        assert c.calibration.split(":", 1)[0] in ("theory", "calibration", "none"), c.id
