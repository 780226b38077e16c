"""Every linear claim holds at quick size (and, marked slow, at full size) and is violated by its documented break."""

from claim_harness import (test_claim_holds_at_full_size, test_claim_holds_at_quick_size,  # noqa: F401
                           test_claim_is_violated_when_deliberately_broken)

TOPIC = "linear"
CLAIM_IDS = ("linear.sparsenet_error", "linear.sparsenet_noisy", "linear.design_prediction", "linear.separation", "linear.needle_yao",
             "linear.good_feature_probe", "linear.jl_coherence", "linear.oful_coverage",
             # session 5 (issue 13 item 4): regret claims of the baselines, noisy DesignLS, query-count slopes
             "linear.linucb_regret_slope", "linear.phased_regret", "linear.design_noisy", "linear.query_scaling")


def test_claim_ids_match_the_registered_claims():
    from theorylab.core import registry

    assert tuple(c.id for c in registry.claims(TOPIC)) == CLAIM_IDS
