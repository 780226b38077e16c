"""The command line: listing, claim checks and their JSON, exit statuses, one-line errors."""

import argparse
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


def test_reproduce_one_quick_figure_writes_png_csv_and_caption(tmp_path, capsys):
    assert cli.main(["reproduce", "classic.bai_error_vs_budget", "--quick", "--out", str(tmp_path)]) == 0
    assert re.search(r"^1 figure in [\d.]+ s under ", capsys.readouterr().out, re.M)  # not "1 figures"
    files = sorted(p.name for p in (tmp_path / "classic").iterdir())
    assert files == ["bai_error_vs_budget.caption.md", "bai_error_vs_budget.csv", "bai_error_vs_budget.png"]
    assert "paper" in (tmp_path / "classic" / "bai_error_vs_budget.caption.md").read_text()


def _bench_fast(n: int = 3) -> dict:
    """Fast toy benchmark: rounds/s against a reference."""
    return {"rounds_per_s": 2.5e6, "reference_rounds_per_s": 1.25e4, "speedup_vs_reference": 200.0,
            "compile_s": 0.4, "pairs": [1.0, 2.0]}


def _bench_timed() -> dict:
    """Toy timing with a ratio target. Second sentence not shown."""
    return {"T": 100, "epoch_s": 0.0125, "blas_s": 0.01, "ratio_vs_blas": 1.25, "target_ratio": 1.5}


@pytest.fixture
def toy_benchmarks(monkeypatch):
    benches = {"toy_fast": _bench_fast, "toy_timed_with_a_long_name": _bench_timed}
    monkeypatch.setattr(registry, "benchmarks", lambda topic=None: dict(benches))
    return benches


def test_bench_prints_an_aligned_table_and_json_keeps_every_number(toy_benchmarks, tmp_path, capsys):
    out = tmp_path / "bench.json"
    assert cli.main(["bench", "--json", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    header, rule, body = lines[0], lines[1], lines[2:]
    assert [c[0] for c in cells(header)] == ["name", "measured", "unit", "reference", "ratio", "target"]
    assert set(rule) == {"-"} and len(rule) == len(header) and len(body) == 2
    head = {name: (start, end) for name, start, end in cells(header)}
    rows = {}
    for line in body:
        found = cells(line)
        assert len(found) == 6, line
        rows[found[0][0]] = [c[0] for c in found]
        for (name, (h0, h1)), (_, c0, c1) in zip(head.items(), found):
            if name in ("name", "unit"):
                assert c0 == h0, (name, line)   # left-aligned under the header
            else:
                assert c1 == h1, (name, line)   # numbers right-aligned under the header
    assert rows["toy_fast"] == ["toy_fast", "2.5e+06", "rounds/s", "1.25e+04", "200", "-"]
    assert rows["toy_timed_with_a_long_name"] == ["toy_timed_with_a_long_name", "0.0125", "s", "0.01", "1.25", "1.5"]
    saved = json.loads(out.read_text())
    assert saved["toy_fast"] == _bench_fast() and saved["toy_timed_with_a_long_name"] == _bench_timed()


def test_bench_one_name_writes_its_dict(toy_benchmarks, tmp_path, capsys):
    out = tmp_path / "one.json"
    assert cli.main(["bench", "toy_fast", "--json", str(out)]) == 0
    assert json.loads(out.read_text()) == _bench_fast()
    assert len(capsys.readouterr().out.splitlines()) == 3


def test_bench_help_lists_the_registered_benchmarks_with_their_summary(toy_benchmarks, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["bench", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert re.search(r"^  toy_fast\s+Fast toy benchmark: rounds/s against a reference$", out, re.M)
    assert re.search(r"^  toy_timed_with_a_long_name\s+Toy timing with a ratio target$", out, re.M)


def test_bench_help_lists_every_real_benchmark():
    res = run("bench", "--help")
    assert res.returncode == 0, res.stderr
    for name in registry.benchmarks():
        assert re.search(rf"^  {name}\s", res.stdout, re.M), name


def _all_actions(parser, path=("theorylab",)):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                yield path + (choice.dest,), choice
            for name, sub in action.choices.items():
                yield from _all_actions(sub, path + (name,))
        else:
            yield path, action


def test_every_subcommand_and_flag_has_help_text():
    for path, action in _all_actions(cli.build_parser()):
        assert action.help and action.help.strip() and action.help != argparse.SUPPRESS or \
            isinstance(action, argparse._VersionAction), (path, action.option_strings or action.dest)


def test_sweep_ends_with_a_per_cell_summary_table(tmp_path, capsys):
    spec = tmp_path / "small.toml"
    spec.write_text('[sweep]\nname = "small"\ntask = "classic.bai"\nmaster_seed = 1\nreps = 4\nchunk_reps = 2\n'
                    '[grid]\nbudget = [200, 400]\n[fixed]\ninstance = "bai4"\nalgorithm = "successive_rejects"\n')
    out = tmp_path / "o"
    assert cli.main(["sweep", str(spec), "--out", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("budget"))
    header, rule, body = lines[start], lines[start + 1], lines[start + 2:start + 4]
    assert [c[0] for c in cells(header)] == ["budget", "reps", "computed", "seconds", "status"]
    assert set(rule) == {"-"}
    assert [[c[0] for c in cells(ln)][:3] + [cells(ln)[-1][0]] for ln in body] == \
        [["200", "4", "4", "computed"], ["400", "4", "4", "computed"]]
    assert all(float(cells(ln)[3][0]) >= 0 for ln in body)
    assert re.match(r"sweep small: 8 rows, 2 cells, ", lines[start + 4])
    # a rerun reuses every verified chunk and says so
    assert cli.main(["sweep", str(spec), "--out", str(out)]) == 0
    body = capsys.readouterr().out.splitlines()[2:4]
    assert [[c[0] for c in cells(ln)][2] for ln in body] == ["0", "0"]
    assert [cells(ln)[-1][0] for ln in body] == ["resumed", "resumed"]


def test_list_aligns_descriptions_and_describes_benchmarks(capsys):
    assert cli.main(["list", "games"]) == 0
    kinds = ("algorithm", "instance", "claim", "figure", "benchmark")
    lines = [ln for ln in capsys.readouterr().out.splitlines() if ln[2:12].strip() in kinds]
    desc_cols = set()
    for ln in lines:
        name = ln[13:].split()[0]
        end = 13 + len(name)
        desc_cols.add(end + len(ln[end:]) - len(ln[end:].lstrip()))
    assert len(desc_cols) == 1, desc_cols   # one description column, even after the longest id
    bench = [ln for ln in lines if ln.startswith("  benchmark")]
    assert bench and all(len(ln.split()) > 2 for ln in bench)  # each benchmark has its description


def test_highs_banner_is_not_printed_by_the_lp_solvers():
    code = ("from theorylab.games.normal_form import shapley_game\n"
            "from theorylab.games.equilibria import solve_cce, solve_ce\n"
            "from theorylab.games.markov import random_markov_game\n"
            "from theorylab.games.markov_cce import markov_cce\n"
            "solve_cce(shapley_game()); solve_ce(shapley_game())\n"
            "markov_cce(random_markov_game(2, (2, 2), 2, seed=0), kind='ce')\n"
            "print('done')\n")
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert res.stdout == "done\n"
    assert "HiGHS" not in res.stderr


def test_highs_banner_is_not_printed_in_process(capfd):
    from theorylab.games.equilibria import solve_cce
    from theorylab.games.normal_form import shapley_game

    capfd.readouterr()
    assert solve_cce(shapley_game()).cce_gap < 1e-7
    out, err = capfd.readouterr()
    assert "HiGHS" not in out and "HiGHS" not in err
