import pytest
from hypothesis import given, strategies as st

from theorylab.core.claims import JSON_FIELDS, Claim, Evidence, decide

finite = st.floats(-1e6, 1e6, allow_nan=False)


@given(finite, finite, finite)
def test_upper_rule_violated_only_when_whole_interval_above_bound(a, b, bound):
    lo, hi = min(a, b), max(a, b)
    v = decide(Evidence((lo + hi) / 2, lo, hi, bound, 10, "upper"))
    assert (v == "violated") == (lo > bound)
    assert (v == "holds") == (hi <= bound)


@given(finite, finite, finite)
def test_lower_rule_violated_only_when_whole_interval_below_bound(a, b, bound):
    lo, hi = min(a, b), max(a, b)
    v = decide(Evidence((lo + hi) / 2, lo, hi, bound, 10, "lower"))
    assert (v == "violated") == (hi < bound)
    assert (v == "holds") == (lo >= bound)


@given(finite, finite, finite, finite)
def test_within_rule_violated_only_when_interval_disjoint_from_range(a, b, c, d):
    lo, hi = min(a, b), max(a, b)
    blo, bhi = min(c, d), max(c, d)
    v = decide(Evidence((lo + hi) / 2, lo, hi, blo, 10, "within", bound_high=bhi))
    assert (v == "violated") == (hi < blo or lo > bhi)
    assert (v == "holds") == (blo <= lo and hi <= bhi)


def test_equal_rule_uses_relative_tolerance():
    assert decide(Evidence(1.0 + 1e-10, 1.0, 1.0, 1.0, 1, "equal", tol=1e-9)) == "holds"
    assert decide(Evidence(1.1, 1.1, 1.1, 1.0, 1, "equal", tol=1e-3)) == "violated"


def test_nan_is_inconclusive():
    assert decide(Evidence(float("nan"), 0.0, 1.0, 0.5, 3, "upper")) == "inconclusive"


def test_claim_run_builds_a_row_with_exactly_the_json_fields():
    claim = Claim("demo.x", "Paper 2020", "Thm 1", "x <= 2", "upper",
                  lambda size, n_jobs, seed, shift=0.0: Evidence(1.0 + shift, 0.5 + shift, 1.5 + shift, 2.0, 7, "upper"),
                  breaks={"shift": 5.0})
    ok, broken = claim.run("quick"), claim.run("quick", **claim.breaks)
    assert tuple(ok.row()) == JSON_FIELDS
    assert ok.verdict == "holds" and ok.ratio == 0.5 and ok.reps == 7
    assert broken.verdict == "violated"


@pytest.mark.parametrize("field, value", [("kind", "weird"), ("tag", "folklore"), ("constant", "guess")])
def test_claim_refuses_unknown_kind_tag_constant(field, value):
    kwargs = dict(id="a.b", paper="p", theorem="t", statement="s", kind="upper", evaluate=lambda **k: None)
    kwargs[field] = value
    with pytest.raises(ValueError, match=field):
        Claim(**kwargs)


def test_within_needs_bound_high():
    with pytest.raises(ValueError, match="bound_high"):
        Evidence(1, 0, 2, 0, 1, "within")


def test_ratio_column_reads_the_same_way_for_every_rule():
    from theorylab.core.claims import claim_ratio

    assert claim_ratio(Evidence(2.0, 1.9, 2.1, 4.0, 5, "upper")) == 0.5
    assert claim_ratio(Evidence(8.0, 7.9, 8.1, 4.0, 5, "lower")) == 2.0
    # within: signed position in the range, |ratio| <= 1 inside
    assert claim_ratio(Evidence(1.0, 0.9, 1.1, 0.8, 5, "within", bound_high=1.2)) == pytest.approx(0.0)
    assert claim_ratio(Evidence(1.2, 1.1, 1.3, 0.8, 5, "within", bound_high=1.2)) == pytest.approx(1.0)
    assert claim_ratio(Evidence(-0.3, -0.4, -0.2, -0.2, 5, "within", bound_high=0.2)) == pytest.approx(-1.5)
    assert claim_ratio(Evidence(1.0 + 5e-10, 1.0, 1.0, 1.0, 1, "equal", tol=1e-9)) == pytest.approx(0.5)
