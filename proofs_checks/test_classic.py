"""Every classic claim holds at quick size and is reported violated on a broken algorithm or bound.

Failure directions: the upper-bound claims fail when measured regret / error probability exceeds the
bound with the whole 95% interval; the Lai-Robbins claims are lower bounds and fail when the fitted
growth rate of regret in ln T lies wholly below the asymptotic constant (a policy that is too good on
one instance, like UCB1 with a tenth of its bonus, is inconsistent elsewhere; Thompson sampling sits
below the strict asymptotic line at finite T, which is why its claim carries a stated margin).
"""

from claim_harness import (test_claim_holds_at_full_size, test_claim_holds_at_quick_size,  # noqa: F401
                           test_claim_is_violated_when_deliberately_broken)

from theorylab.core import registry

TOPIC = "classic"


def test_every_classic_claim_has_a_break():
    assert {c.id for c in registry.claims(TOPIC)} >= {
        "classic.ucb1_regret", "classic.lai_robbins", "classic.lai_robbins_thompson",
        "classic.successive_rejects", "classic.sequential_halving", "classic.exp3_regret"}
    assert all(c.breaks for c in registry.claims(TOPIC))
