"""Every halpern claim holds at quick size and is reported violated on its one deliberate break.

``CLAIM_IDS`` pins the exact claim list: removing or renaming a claim fails CI until this tuple is changed
with a reason in the commit. Removed in issue 10 (no simulation could fail them; now unit tests in
tests/optim/test_claims.py): halpern.negative_control (L/L_F = sqrt(n) by construction),
halpern.sqrt_n_deterministic (calls = n x iterations by construction), halpern.page_cost (compared the
kernel's calls with a restatement of its own refresh schedule).
"""

from claim_harness import (test_claim_holds_at_full_size, test_claim_holds_at_quick_size,  # noqa: F401
                           test_claim_is_violated_when_deliberately_broken)

import pytest

from theorylab.core import registry

TOPIC = "halpern"

CLAIM_IDS = (
    "halpern.lieder_bound",
    "halpern.lieder_tight",
    "halpern.cocoercive_halpern",
    "halpern.feg_rate",
    "halpern.eag_rate",
    "halpern.page_slope",
    "halpern.page_envelope",
    "halpern.inexact_halpern_slope",
    "halpern.vr_forb_linear",
    "halpern.sqrt_n_vr",
    "halpern.pep_halpern",
    "halpern.pep_cocoercive",
    "halpern.pep_feg",
)


def test_halpern_claim_ids_are_pinned():
    assert tuple(c.id for c in registry.claims(TOPIC)) == CLAIM_IDS


def test_pep_claims_record_the_certified_solves():
    for cid in ("halpern.pep_halpern", "halpern.pep_feg"):
        claim = next(c for c in registry.claims(TOPIC) if c.id == cid)
        details = claim.run("quick", seed=0).details
        assert details["certified"] and details["solvers"]
        assert details["max_primal_residual"] <= 1e-7 and details["max_dual_residual"] <= 1e-7
        assert all(s["status"] == "optimal" for s in details["solves"])


@pytest.mark.slow
def test_claim_is_violated_at_its_recorded_break_margin(claim):
    """The recorded ``break_margin`` is reproducible: the quick check at that strength reads ``violated``."""
    b = claim.deliberate_break
    value = b.margin if not isinstance(b.value, (bool, str)) else b.value
    value = int(value) if isinstance(b.value, int) and not isinstance(b.value, bool) else value
    assert claim.run("quick", seed=0, **{b.override: value}).verdict == "violated"
