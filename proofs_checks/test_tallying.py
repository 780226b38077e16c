"""Every tallying claim holds at quick size (and, marked slow, at full size) and is violated by its documented break."""

from claim_harness import (test_claim_holds_at_full_size, test_claim_holds_at_quick_size,  # noqa: F401
                           test_claim_is_violated_when_deliberately_broken)

TOPIC = "tallying"
CLAIM_IDS = ("tallying.cpr_chain", "tallying.m1_reduction", "tallying.hidden_practice_lower",
             "tallying.unknown_memory_lower", "tallying.password_intractable", "tallying.upper_shape",
             "tallying.T_slope", "tallying.M_slope",
             # added (issue 14, claims in m and K): the mK and (m + M)K terms through slopes on instance 7.1
             "tallying.m_slope", "tallying.K_slope")


def test_claim_ids_match_the_registry():
    from theorylab.core import registry

    assert tuple(c.id for c in registry.claims(TOPIC)) == CLAIM_IDS
