"""Every halpern claim holds at quick size and is reported violated on a broken algorithm or bound.

Breaks: the anchor lambda_k = 1/(k+2)^2 instead of 1/(k+2) (Lieder, cocoercive Halpern, PEP, Alg. 2 slope),
Alg. 1 with lambda_k = 2/(k+4)^2 (slope -2) or 4/(k+4) (envelope constant 4 > 2.5), FEG/EAG with steps
3/L and 1.5/L (divergence), a halved bound (tightness, FEG PEP), oracle accounting with 1 call per
minibatch sample, VR-FoRB with 60x its step (divergence), Alg. 1 with p_k = 1 (cost exponent 1 instead
of 1/2), and a halved exponent range for deterministic Halpern and for the L/L_F negative control.
"""

from claim_harness import (test_claim_holds_at_full_size, test_claim_holds_at_quick_size,  # noqa: F401
                           test_claim_is_violated_when_deliberately_broken)

from theorylab.core import registry

TOPIC = "halpern"


def test_every_halpern_claim_has_a_break():
    ids = {c.id for c in registry.claims(TOPIC)}
    assert {"halpern.lieder_bound", "halpern.page_slope", "halpern.sqrt_n_vr", "halpern.pep_halpern",
            "halpern.inexact_halpern_slope"} <= ids
    assert all(c.breaks for c in registry.claims(TOPIC))
