"""core.check_table: cell formats, column widths from the ids, the wide lines, the help text."""

import math

import pytest
from hypothesis import given, strategies as st

from theorylab.core.check_table import (HELP_TEXT, RATIO_HELP, CheckTable, fmt_bound, fmt_interval, fmt_value,
                                        provenance)
from theorylab.core.claims import RULE_SYMBOLS, ClaimResult


def result(id="demo.x", rule="upper", bound=2.0, bound_high=None, measured=1.0, ratio=0.5, **kw):
    base = dict(id=id, paper="Toy 2020", theorem="Thm 1", statement="x <= 2", measured=measured, bound=bound,
                ratio=ratio, ci_low=measured - 0.1, ci_high=measured + 0.1, verdict="holds", reps=50, seconds=0.01,
                rule=rule, bound_high=bound_high, tag="paper", constant="ours", calibration="none: toy",
                break_margin={"override": "c", "value": 0.1, "changes": "the bonus, times c", "target": "algorithm",
                              "scale": "c; production 1; stronger = smaller", "margin": 0.3, "source": "scan"})
    return ClaimResult(**{**base, **kw})


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_a_number_never_takes_more_than_eleven_characters(v):
    assert len(fmt_value(v)) <= 11


def test_cell_formats():
    assert fmt_value(None) == "-" and fmt_value(float("nan")) == "-" and fmt_value(math.inf) == "inf"
    assert fmt_value(123456789) == "123456789" and fmt_value(0.123456) == "0.1235"
    assert fmt_interval(-1.0, 2.5) == "[-1, 2.5]"
    assert fmt_bound("within", 0.0, 1.0) == "[0, 1]" and fmt_bound("lower", 3.0) == "3"
    assert provenance("reconstruction", "ours") == "reconstruction/ours"


def test_id_and_provenance_columns_are_as_wide_as_their_longest_entry():
    long_id = "topic." + "x" * 70
    table = CheckTable(["demo.x", long_id], ["paper/ours", "reconstruction/reconstruction"])
    a, b = table.row(result()), table.row(result(id=long_id, tag="reconstruction", constant="reconstruction"))
    assert len(a) == len(b) == len(table.header().splitlines()[0])
    assert a.index("upper") == b.index("upper") == len(long_id) + 2
    assert a.index("holds") == b.index("holds")


def test_every_rule_shows_its_symbol_and_a_range_shows_both_ends():
    table = CheckTable(["demo.x"])
    for rule, sym in RULE_SYMBOLS.items():
        r = result(rule=rule, bound=-0.6 if rule == "within" else 2.0, bound_high=-0.4 if rule == "within" else None)
        cells = table.cells(r)
        assert cells[3] == sym
    assert table.cells(result(rule="within", bound=-0.6, bound_high=-0.4))[4] == "[-0.6, -0.4]"
    assert table.cells(result(ratio=float("nan")))[5] == "-"


def test_wide_lines_hold_statement_theorem_break_and_calibration_and_wrap():
    table = CheckTable(["demo.x"], wide=True, width=60)
    r = result(statement="a very long statement " * 6)
    lines = table.row(r).splitlines()
    assert len(lines) > 4 and all(ln.startswith("    ") for ln in lines[1:])
    assert all(len(ln) <= 60 for ln in lines[1:])
    text = " ".join(ln.strip() for ln in lines[1:])
    for needle in ("Thm 1; Toy 2020", "the bonus, times c", "c = 0.1", "violated from 0.3 on", "calibration: none: toy"):
        assert needle in text
    assert CheckTable(["demo.x"]).row(r).count("\n") == 0


def test_summary_counts_verdicts():
    rs = [result(), result(verdict="violated"), result(verdict="inconclusive"), result()]
    assert CheckTable.summary(rs).splitlines()[0] == "4 claims: 2 holds, 1 violated, 1 inconclusive"
    assert CheckTable.summary(rs[:1]).startswith("1 claim: 1 holds")


def test_help_explains_the_ratio_for_every_rule():
    for sym in RULE_SYMBOLS.values():
        assert f"\n  {sym:<3} " in RATIO_HELP
    assert RATIO_HELP in HELP_TEXT and "--wide" in HELP_TEXT


def test_for_claims_uses_ids_and_provenance():
    class C:
        def __init__(self, id, tag, constant):
            self.id, self.tag, self.constant = id, tag, constant

    table = CheckTable.for_claims([C("a.b", "paper", "paper"), C("a.looooooooong", "derived", "reconstruction")])
    assert table.id_width == len("a.looooooooong") and table.prov_width == len("derived/reconstruction")


@pytest.mark.parametrize("n", [0, 1])
def test_header_is_names_over_a_rule(n):
    head = CheckTable(["x.y"] * n).header().splitlines()
    assert len(head) == 2 and set(head[1]) == {"-"} and len(head[1]) == len(head[0])
