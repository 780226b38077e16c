"""The command line: listing, claim checks and their JSON, exit statuses, one-line errors."""

import dataclasses
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from theorylab import cli
from theorylab.core import registry
from theorylab.core.claims import EXTRA_JSON_FIELDS, JSON_FIELDS

ROOT = Path(__file__).resolve().parents[1]


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "theorylab", *args], cwd=cwd, capture_output=True, text=True)


def test_list_names_topics_claims_and_planned_topics(monkeypatch, capsys):
    monkeypatch.setitem(registry.PLANNED, "future_topic", "theorylab.future_topic")
    assert cli.main(["list"]) == 0
    out = capsys.readouterr().out
    assert "classic.ucb1_regret" in out and "future_topic  (planned" in out


@pytest.fixture
def demo_topic(monkeypatch):
    """The fixture topic tests/demo_topic (one toy claim per rule, one long id) registered as 'demo'."""
    monkeypatch.setitem(registry.TOPICS, "demo", "tests.demo_topic")
    from tests.demo_topic.claims import CLAIMS
    return CLAIMS


CELL = re.compile(r"\S+(?: \S+)*")  # a cell: words separated by single spaces; columns by two or more


def cells(line):
    return [(m.group(), m.start(), m.end()) for m in CELL.finditer(line)]


def table_lines(out):
    """Header, the rule under it, and the claim rows (up to the summary line, without --wide lines)."""
    lines = out.splitlines()
    end = next(i for i, ln in enumerate(lines) if re.match(r"\d+ claims?: ", ln))
    return lines[0], lines[1], [ln for ln in lines[2:end] if not ln.startswith(" ")]


def test_check_json_rows_carry_the_design_fields_then_the_extra_fields(demo_topic, tmp_path):
    out = tmp_path / "rows.json"
    assert cli.main(["check", "demo", "--quick", "--json", str(out)]) == 0
    rows = json.loads(out.read_text())
    assert [r["id"] for r in rows] == [c.id for c in demo_topic]
    for row, claim in zip(rows, demo_topic):
        assert tuple(row) == JSON_FIELDS + EXTRA_JSON_FIELDS
        assert row["verdict"] == "holds" and row["kind"] == claim.kind and row["calibration"] == claim.calibration
        assert (row["tag"], row["constant"]) == (claim.tag, claim.constant)
        assert row["break_margin"]["margin"] == claim.deliberate_break.margin
        assert row["break_margin"]["override"] == claim.deliberate_break.override
    by_id = {r["id"]: r for r in rows}
    slope = by_id["demo.power_law_exponent_of_a_deliberately_long_claim_identifier"]
    assert (slope["rule"], slope["bound"], slope["bound_high"]) == ("in", -0.6, -0.4)
    assert by_id["demo.mean_upper"]["rule"] == "<=" and by_id["demo.mean_upper"]["bound_high"] is None
    assert by_id["demo.lower_bound"]["rule"] == ">=" and by_id["demo.odd_sum_identity"]["rule"] == "="


def test_check_table_keeps_every_column_aligned_under_a_long_id(demo_topic, tmp_path, capsys):
    out = tmp_path / "rows.json"
    assert cli.main(["check", "demo", "--quick", "--json", str(out)]) == 0
    rows = {r["id"]: r for r in json.loads(out.read_text())}
    header, rule, body = table_lines(capsys.readouterr().out)
    names = [c[0] for c in cells(header)]
    assert names == ["id", "kind", "measured", "rule", "bound", "ratio", "95% CI", "verdict", "tag/constant",
                     "reps", "seconds"]
    assert set(rule) == {"-"} and len(rule) == len(header)
    assert len(body) == len(demo_topic)
    head = {name: (start, end) for name, start, end in cells(header)}
    for line in body:
        row = cells(line)
        assert len(row) == len(names), line
        assert len(line) == len(header)  # the right-aligned last column ends every row at the same place
        got = dict(zip(names, row))
        for name in ("id", "kind", "bound", "ratio", "95% CI", "verdict", "tag/constant"):  # left-aligned
            assert got[name][1] == head[name][0], (name, line)
        for name in ("measured", "reps", "seconds"):  # right-aligned
            assert got[name][2] == head[name][1], (name, line)
        r = rows[got["id"][0]]
        assert got["rule"][0] == r["rule"] and got["verdict"][0] == r["verdict"] and int(got["reps"][0]) == r["reps"]
        assert float(got["measured"][0]) == pytest.approx(r["measured"], rel=1e-3)
        lo, hi = (float(v) for v in got["95% CI"][0].strip("[]").split(", "))
        assert (lo, hi) == (pytest.approx(r["ci_low"], rel=1e-3), pytest.approx(r["ci_high"], rel=1e-3))
        if r["rule"] == "in":
            assert got["bound"][0] == f"[{r['bound']:.4g}, {r['bound_high']:.4g}]"
        else:
            assert float(got["bound"][0]) == pytest.approx(r["bound"])
        assert got["tag/constant"][0] == f"{r['tag']}/{r['constant']}"


def test_check_wide_shows_statement_theorem_break_and_calibration_under_each_row(demo_topic, capsys):
    assert cli.main(["check", "demo.mean_upper", "--quick", "--wide"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    claim = demo_topic[0]
    row = next(i for i, ln in enumerate(lines) if ln.startswith(claim.id))
    detail = " ".join(ln.strip() for ln in lines[row + 1:] if ln.startswith("    "))
    for text in (claim.statement, claim.theorem, claim.paper, claim.deliberate_break.changes,
                 f"violated from {claim.deliberate_break.margin:g}", claim.calibration):
        assert text in detail, text
    assert lines[row + 1].startswith("    " + claim.statement)
    plain = cli.main(["check", "demo.mean_upper", "--quick"]) == 0 and capsys.readouterr().out
    assert claim.statement not in plain


def test_check_help_explains_the_ratio_of_every_rule_and_the_columns(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["check", "--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    for needle in ("--wide", "ratio, by rule", "<=  upper bound", ">=  lower bound", "in  range", "=   identity",
                   "half-width", "tol", "tag/constant", "Bonferroni", "n-2"):
        assert needle in text, needle


def test_check_exits_1_when_a_claim_is_violated(demo_topic, tmp_path, monkeypatch, capsys):
    claim = demo_topic[0]
    from tests.demo_topic.claims import eval_mean

    def broken(size="quick", n_jobs=1, seed=0, shift=0.0):
        return eval_mean(size=size, n_jobs=n_jobs, seed=seed, shift=shift + claim.deliberate_break.value)

    monkeypatch.setattr(registry, "find_claim", lambda name: [dataclasses.replace(claim, evaluate=broken)])
    out = tmp_path / "rows.json"
    assert cli.main(["check", claim.id, "--quick", "--json", str(out)]) == 1
    assert json.loads(out.read_text())[0]["verdict"] == "violated"
    assert "1 claim: 0 holds, 1 violated" in capsys.readouterr().out


@pytest.mark.parametrize("args, needle", [
    (["check", "nosuchtopic"], "unknown topic"),
    (["check", "future_topic"], "planned"),
    (["check", "demo.nosuchclaim", "--quick"], "no claim named"),
    (["check", "classic", "--n-jobs", "0"], "--n-jobs"),
    (["check", "classic", "--address", "tcp://127.0.0.1:1"], "--address"),
    (["reproduce", "classic.nofigure", "--quick"], "no figure named"),
    (["bench", "nobench"], "unknown benchmark"),
    (["frobnicate"], "invalid choice"),
])
def test_bad_arguments_give_one_line_and_exit_2(args, needle, capsys, demo_topic, monkeypatch):
    monkeypatch.setitem(registry.PLANNED, "future_topic", "theorylab.future_topic")
    assert cli.main(args) == 2
    err = capsys.readouterr().err.strip()
    assert needle in err and len(err.splitlines()) == 1


def test_bad_sweep_spec_exits_2_names_the_field_and_writes_nothing(tmp_path):
    spec = tmp_path / "bad.toml"
    spec.write_text('[sweep]\nname = "x"\ntask = "classic.regret"\nmaster_seed = 1\nreps = 0\n'
                    '[fixed]\ninstance = "two_arm_0.1"\nalgorithm = "ucb1"\nhorizon = 100\n')
    out = tmp_path / "out"
    res = run("sweep", str(spec), "--out", str(out))
    assert res.returncode == 2 and "reps" in res.stderr and len(res.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_python_dash_m_and_version():
    res = run("--version")
    assert res.returncode == 0 and "theorylab" in res.stdout


def test_reproduce_one_quick_figure_writes_png_csv_and_caption(tmp_path):
    assert cli.main(["reproduce", "classic.bai_error_vs_budget", "--quick", "--out", str(tmp_path)]) == 0
    files = sorted(p.name for p in (tmp_path / "classic").iterdir())
    assert files == ["bai_error_vs_budget.caption.md", "bai_error_vs_budget.csv", "bai_error_vs_budget.png"]
    assert "paper" in (tmp_path / "classic" / "bai_error_vs_budget.caption.md").read_text()


def test_benchmark_values_print_lists_element_by_element():
    assert cli._fmt([101.37709996, 2.0, None]) == "[101.4, 2, -]"
