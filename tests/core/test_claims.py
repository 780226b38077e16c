"""core.claims: verdict rules, the ratio column, Evidence/Break/Claim validation, the JSON row."""

import json
import math

import pytest
from hypothesis import given, strategies as st

from theorylab.core.claims import (EXTRA_JSON_FIELDS, JSON_FIELDS, RULE_SYMBOLS, Break, Claim, Evidence, by_size,
                                   claim_ratio, decide, deterministic_evidence)

finite = st.floats(-1e6, 1e6, allow_nan=False)


def demo_break(**kw):
    base = dict(override="shift", value=5.0, changes="the measured mean, shifted by s", target="algorithm",
                scale="shift s; production s = 0; stronger = larger", margin=1.6,
                margin_source="scan s in {0.8, 1.6}, quick, seed 0: first violated at 1.6")
    return Break(**{**base, **kw})


def demo_evaluate(size="quick", n_jobs=1, seed=0, shift=0.0):
    return Evidence(1.0 + shift, 0.5 + shift, 1.5 + shift, 2.0, 7, "upper", details={"method": "demo"})


def demo_claim(**kw):
    base = dict(id="demo.x", paper="Paper 2020", theorem="Thm 1", statement="x <= 2", kind="upper",
                evaluate=demo_evaluate, calibration="none: the bound is the theorem's", deliberate_break=demo_break())
    return Claim(**{**base, **kw})


# ---------------------------------------------------------------- verdict rules

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


def test_verdict_reads_the_interval_not_the_point_estimate():
    # the estimate is below the bound but the interval straddles it
    assert decide(Evidence(0.9, 0.8, 1.2, 1.0, 10, "upper")) == "inconclusive"
    assert decide(Evidence(1.1, 0.8, 1.2, 1.0, 10, "lower")) == "inconclusive"


def test_equal_rule_uses_relative_tolerance():
    assert decide(Evidence(1.0 + 1e-10, 1.0, 1.0, 1.0, 1, "equal", tol=1e-9)) == "holds"
    assert decide(Evidence(1.1, 1.1, 1.1, 1.0, 1, "equal", tol=1e-3)) == "violated"
    # relative above |bound| = 1, absolute below
    assert decide(Evidence(1000.5, 1000.5, 1000.5, 1000.0, 1, "equal", tol=1e-3)) == "holds"
    assert decide(Evidence(0.0015, 0.0015, 0.0015, 0.0, 1, "equal", tol=1e-3)) == "violated"


@pytest.mark.parametrize("ev", [
    Evidence(float("nan"), 0.0, 1.0, 0.5, 3, "upper"),
    Evidence(0.5, float("nan"), float("nan"), 0.5, 3, "lower"),
    Evidence(0.5, 0.4, 0.6, float("nan"), 3, "upper"),
    Evidence(0.5, 0.4, 0.6, 0.0, 3, "within", bound_high=float("nan")),
])
def test_nan_is_inconclusive(ev):
    assert decide(ev) == "inconclusive"


# ---------------------------------------------------------------- ratio column

def test_ratio_column_reads_the_same_way_for_every_rule():
    assert claim_ratio(Evidence(2.0, 1.9, 2.1, 4.0, 5, "upper")) == 0.5
    assert claim_ratio(Evidence(8.0, 7.9, 8.1, 4.0, 5, "lower")) == 2.0
    # within: signed position in the range, |ratio| <= 1 inside
    assert claim_ratio(Evidence(1.0, 0.9, 1.1, 0.8, 5, "within", bound_high=1.2)) == pytest.approx(0.0)
    assert claim_ratio(Evidence(1.2, 1.1, 1.3, 0.8, 5, "within", bound_high=1.2)) == pytest.approx(1.0)
    assert claim_ratio(Evidence(-0.3, -0.4, -0.2, -0.2, 5, "within", bound_high=0.2)) == pytest.approx(-1.5)
    assert claim_ratio(Evidence(1.0 + 5e-10, 1.0, 1.0, 1.0, 1, "equal", tol=1e-9)) == pytest.approx(0.5)


@pytest.mark.parametrize("ev", [
    Evidence(-1.0, -1.1, -0.9, -0.5, 5, "upper"),   # a negative bound reverses the quotient's sense
    Evidence(0.3, 0.2, 0.4, 0.0, 5, "lower"),
    Evidence(1.0, 1.0, 1.0, 1.0, 5, "within", bound_high=1.0),  # empty-width range
    Evidence(1.0, 1.0, 1.0, 0.0, 5, "within", bound_high=math.inf),
    Evidence(1.0, 1.0, 1.0, 1.0, 1, "equal", tol=0.0),
])
def test_ratio_is_nan_where_it_has_no_reading(ev):
    assert math.isnan(claim_ratio(ev))


# ---------------------------------------------------------------- Evidence validation

@pytest.mark.parametrize("kwargs, match", [
    (dict(rule="within"), "bound_high"),
    (dict(rule="upper", bound_high=3.0), "only for the 'within'"),
    (dict(rule="within", bound=2.0, bound_high=1.0), "empty"),
    (dict(ci_low=2.0, ci_high=1.0), "ci_low"),
    (dict(reps=0), "reps"),
    (dict(reps=2.5), "reps"),
    (dict(rule="approx"), "rule"),
    (dict(tol=-1e-9, rule="equal"), "tol"),
    (dict(measured="1.0"), "measured"),
    (dict(details=None), "details"),
])
def test_evidence_refuses_malformed_input_naming_the_field(kwargs, match):
    base = dict(measured=1.0, ci_low=0.5, ci_high=1.5, bound=0.0, reps=3, rule="upper")
    with pytest.raises((ValueError, TypeError), match=match):
        Evidence(**{**base, **kwargs})


def test_by_size_and_deterministic_evidence():
    assert by_size("quick", 1, 2) == 1 and by_size("full", 1, 2) == 2
    with pytest.raises(ValueError, match="size"):
        by_size("medium", 1, 2)
    ev = deterministic_evidence(0.25, 0.5, reps=4, rule="lower", instance="ring")
    assert (ev.measured, ev.ci_low, ev.ci_high, ev.bound, ev.reps, ev.rule) == (0.25, 0.25, 0.25, 0.5, 4, "lower")
    assert ev.details == {"instance": "ring", "interval": "deterministic"}
    assert decide(ev) == "violated"
    rng = deterministic_evidence(1.0, 0.5, reps=1, rule="within", bound_high=1.5)
    assert decide(rng) == "holds" and rng.bound_high == 1.5


# ---------------------------------------------------------------- Break validation

@pytest.mark.parametrize("kwargs, match", [
    (dict(target="both"), "target"),
    (dict(override=""), "override"),
    (dict(override="not a name"), "override"),
    (dict(override="seed"), "run setting"),
    (dict(override="size"), "run setting"),
    (dict(changes="  "), "changes"),
    (dict(scale=None), "scale"),
    (dict(margin_source=""), "margin_source"),
    (dict(margin=float("nan")), "margin"),
    (dict(margin=math.inf), "margin"),
    (dict(margin="0.2"), "margin"),
    (dict(margin=True), "margin"),
])
def test_break_refuses_malformed_fields(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        demo_break(**kwargs)


def test_break_record_is_json_ready():
    import numpy as np

    rec = demo_break(value=np.float64(0.1), margin=np.float64(0.3)).record()
    assert rec == {"override": "shift", "value": 0.1, "changes": "the measured mean, shifted by s",
                   "target": "algorithm", "scale": "shift s; production s = 0; stronger = larger", "margin": 0.3,
                   "source": "scan s in {0.8, 1.6}, quick, seed 0: first violated at 1.6"}
    assert type(rec["value"]) is float
    json.dumps(demo_break(value=np.array([1.0, 2.0])).record())


# ---------------------------------------------------------------- Claim validation

@pytest.mark.parametrize("field, value", [("kind", "weird"), ("tag", "folklore"), ("constant", "guess")])
def test_claim_refuses_unknown_kind_tag_constant(field, value):
    with pytest.raises(ValueError, match=field):
        demo_claim(**{field: value})


@pytest.mark.parametrize("calibration", ["", "   ", None, "theory", "theory:", "theory:   ", "tuned: on the data",
                                         "looks right"])
def test_claim_without_a_calibration_source_is_refused(calibration):
    with pytest.raises(ValueError, match="calibration"):
        demo_claim(calibration=calibration)


@pytest.mark.parametrize("calibration", ["theory: Hoeffding, delta = 0.05",
                                         "calibration: seeds 1000-1019 on instances 50-59, disjoint",
                                         "none: the bound and its constant are the paper's"])
def test_claim_accepts_each_calibration_source(calibration):
    assert demo_claim(calibration=calibration).calibration == calibration


def test_claim_without_a_break_is_refused():
    with pytest.raises(TypeError, match="deliberate_break"):
        demo_claim(deliberate_break=None)
    with pytest.raises(TypeError, match="deliberate_break"):
        demo_claim(deliberate_break={"shift": 5.0})
    with pytest.raises(TypeError, match="breaks"):
        Claim("demo.x", "p", "t", "s", "upper", demo_evaluate, calibration="none: x", breaks={"shift": 5.0})


def test_break_override_that_is_not_a_keyword_of_evaluate_is_refused():
    with pytest.raises(ValueError, match="not a keyword of evaluate"):
        demo_claim(deliberate_break=demo_break(override="noise"))
    # **kwargs does not count: the override must be a named keyword
    with pytest.raises(ValueError, match="not a keyword of evaluate"):
        demo_claim(evaluate=lambda size="quick", n_jobs=1, seed=0, **kw: None)
    # positional-only is not a keyword either
    def positional(shift=0.0, /, size="quick", n_jobs=1, seed=0):
        return None
    with pytest.raises(ValueError, match="not a keyword of evaluate"):
        demo_claim(evaluate=positional)


def test_break_override_needs_a_production_default():
    def no_default(shift, size="quick", n_jobs=1, seed=0):
        return None
    with pytest.raises(ValueError, match="default"):
        demo_claim(evaluate=no_default)


@pytest.mark.parametrize("what", ["value", "margin"])
def test_a_break_equal_to_production_is_refused(what):
    with pytest.raises(ValueError, match=f"Break.{what}"):
        demo_claim(deliberate_break=demo_break(**{what: 0.0}))


def test_evaluate_must_take_size_n_jobs_seed():
    def no_seed(size="quick", n_jobs=1, shift=0.0):
        return None
    with pytest.raises(ValueError, match="seed"):
        demo_claim(evaluate=no_seed)
    with pytest.raises(TypeError, match="callable"):
        demo_claim(evaluate=None)


@pytest.mark.parametrize("kwargs, match", [
    (dict(id="nodot"), "<topic>.<name>"), (dict(id="a. b"), "<topic>.<name>"), (dict(id=".x"), "<topic>.<name>"),
    (dict(paper=""), "paper"), (dict(theorem=" "), "theorem"), (dict(statement=None), "statement"),
])
def test_claim_refuses_empty_identity_fields(kwargs, match):
    with pytest.raises(ValueError, match=match):
        demo_claim(**kwargs)


def test_sanity_is_a_kind():
    assert demo_claim(kind="sanity").kind == "sanity"


# ---------------------------------------------------------------- run and the JSON row

def test_claim_run_builds_a_row_with_the_design_fields_then_the_extra_fields():
    claim = demo_claim(tag="derived", constant="ours")
    ok, broken = claim.run("quick"), claim.run("quick", **claim.breaks)
    row = ok.row()
    assert tuple(row) == JSON_FIELDS + EXTRA_JSON_FIELDS
    assert ok.verdict == "holds" and ok.ratio == 0.5 and ok.reps == 7
    assert row["rule"] == "<=" and row["bound_high"] is None and row["kind"] == "upper"
    assert (row["tag"], row["constant"]) == ("derived", "ours")
    assert row["calibration"] == "none: the bound is the theorem's"
    assert row["break_margin"] == claim.deliberate_break.record()
    assert broken.verdict == "violated" and broken.details["overrides"] == ["shift"]
    assert claim.run("quick", **claim.margin_break).verdict == "violated"
    json.loads(json.dumps([ok.row(), broken.row()], allow_nan=False))


def test_row_of_a_range_claim_carries_both_ends_and_is_strict_json():
    def evaluate(size="quick", n_jobs=1, seed=0, slope=-0.5):
        return Evidence(slope, slope - 0.1, slope + 0.1, -0.7, 5, "within", bound_high=-0.3)

    claim = demo_claim(evaluate=evaluate, deliberate_break=demo_break(override="slope", value=-1.0, margin=-0.85),
                       kind="rate")
    row = claim.run("quick").row()
    assert (row["bound"], row["bound_high"], row["rule"]) == (-0.7, -0.3, RULE_SYMBOLS["within"])
    nan_row = demo_claim(evaluate=lambda size="quick", n_jobs=1, seed=0, shift=0.0: Evidence(
        float("nan"), float("nan"), float("nan"), 1.0, 1, "upper")).run().row()
    assert nan_row["measured"] is None and nan_row["verdict"] == "inconclusive"
    json.dumps(nan_row, allow_nan=False)


def test_run_refuses_an_unknown_override_and_a_non_evidence_result():
    claim = demo_claim()
    with pytest.raises(TypeError, match="unknown override"):
        claim.run("quick", noise=2.0)
    with pytest.raises(ValueError, match="size"):
        claim.run("medium")
    bad = demo_claim(evaluate=lambda size="quick", n_jobs=1, seed=0, shift=0.0: 1.0)
    with pytest.raises(TypeError, match="Evidence"):
        bad.run()


def test_topic_and_breaks_properties():
    claim = demo_claim()
    assert claim.topic == "demo" and claim.breaks == {"shift": 5.0} and claim.margin_break == {"shift": 1.6}
