"""Every dp_bai claim holds at quick size (and, marked slow, at full size) and is violated by its one break."""

from claim_harness import (test_claim_holds_at_full_size, test_claim_holds_at_quick_size,  # noqa: F401
                           test_claim_is_violated_when_deliberately_broken)

from theorylab.core import registry

TOPIC = "dp_bai"

#: The exact claim list; removing or renaming a claim fails CI until this tuple is changed with a reason.
CLAIM_IDS = ("dp_bai.privacy_replay", "dp_bai.privacy_two_arm_exact", "dp_bai.privacy_histogram",
             "dp_bai.error_bound_unstructured", "dp_bai.error_bound_linear", "dp_bai.exponential_decay",
             "dp_bai.rate_scaling", "dp_bai.knee_slope_small_eps", "dp_bai.knee_slope_large_eps",
             "dp_bai.knee_location", "dp_bai.nonprivate_limit", "dp_bai.lower_bound_sanity", "dp_bai.beats_dp_od")


def test_the_dp_bai_claims_are_exactly_the_pinned_list():
    assert tuple(c.id for c in registry.claims(TOPIC)) == CLAIM_IDS


def test_every_dp_bai_claim_has_one_break_with_a_recorded_margin():
    for c in registry.claims(TOPIC):
        b = c.deliberate_break
        assert b.margin_source.startswith("scan") and "quick, seed 0" in b.margin_source, c.id


def test_privacy_two_arm_break_changes_the_engines_noise():
    """The P2 claim reads the Laplace scale off the engine's releases: halving the engine's noise halves it."""
    from theorylab.bandits.dp_bai.audit import engine_laplace_scale
    from theorylab.bandits.dp_bai.instances import unstructured_instance

    inst = unstructured_instance([0.6, 0.4])
    full = engine_laplace_scale(inst, 60, 1.0)["scale"]
    half = engine_laplace_scale(inst, 60, 1.0, noise_factor=0.5)["scale"]
    assert full == {30: 1.0 / 30} or abs(full[30] - 1 / 30) < 1e-12
    assert abs(half[30] - 0.5 / 30) < 1e-12
