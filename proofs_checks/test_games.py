"""Every games claim holds at quick size and is violated by its documented break."""

from claim_harness import (test_claim_holds_at_full_size, test_claim_holds_at_quick_size,  # noqa: F401
                           test_claim_is_violated_when_deliberately_broken)

TOPIC = "games"
