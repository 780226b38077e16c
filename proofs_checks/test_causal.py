"""Every causal claim holds at quick size (and, marked slow, at full size) and is violated by its documented break."""

from claim_harness import (test_claim_holds_at_full_size, test_claim_holds_at_quick_size,  # noqa: F401
                           test_claim_is_violated_when_deliberately_broken)

TOPIC = "causal"
CLAIM_IDS = ("causal.lemma1_moments", "causal.lemma2_tail", "causal.theorem1_coverage", "causal.detector_false_alarm",
             "causal.regret_vs_vanilla_ucb", "causal.detection_delay",
             "causal.graph_learning_savings",  # added in session 5: the structure-learning comparison's claim
             "causal.prop1_mi_gap", "causal.false_alarm_rate")  # added in session 5: Proposition 1, false alarms
