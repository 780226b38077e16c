"""The command line: listing, claim checks and their JSON, exit statuses, one-line errors."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from theorylab import cli
from theorylab.core import registry
from theorylab.core.claims import JSON_FIELDS

ROOT = Path(__file__).resolve().parents[1]


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "theorylab", *args], cwd=cwd, capture_output=True, text=True)


def test_list_names_topics_claims_and_planned_topics():
    res = run("list")
    assert res.returncode == 0
    assert "classic.ucb1_regret" in res.stdout and "linear  (planned" in res.stdout


def test_check_claim_writes_json_rows_with_exactly_the_design_fields(tmp_path):
    out = tmp_path / "rows.json"
    assert cli.main(["check", "classic.exp3_regret", "--quick", "--json", str(out)]) == 0
    rows = json.loads(out.read_text())
    assert len(rows) == 1 and tuple(rows[0]) == JSON_FIELDS and rows[0]["verdict"] == "holds"


def test_check_exits_1_when_a_claim_is_violated(tmp_path, monkeypatch, capsys):
    claim = registry.find_claim("classic.exp3_regret")[0]
    broken = claim.__class__(**{**claim.__dict__, "evaluate": lambda **kw: claim.evaluate(**kw, **claim.breaks)})
    monkeypatch.setattr(registry, "find_claim", lambda name: [broken])
    out = tmp_path / "rows.json"
    assert cli.main(["check", "classic.exp3_regret", "--quick", "--json", str(out)]) == 1
    assert json.loads(out.read_text())[0]["verdict"] == "violated"
    assert "1 violated" in capsys.readouterr().out


@pytest.mark.parametrize("args, needle", [
    (["check", "nosuchtopic"], "unknown topic"),
    (["check", "linear"], "planned"),
    (["check", "classic.nosuchclaim", "--quick"], "no claim named"),
    (["check", "classic", "--n-jobs", "0"], "--n-jobs"),
    (["check", "classic", "--address", "tcp://127.0.0.1:1"], "--address"),
    (["reproduce", "classic.nofigure", "--quick"], "no figure named"),
    (["bench", "nobench"], "unknown benchmark"),
    (["frobnicate"], "invalid choice"),
])
def test_bad_arguments_give_one_line_and_exit_2(args, needle, capsys):
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
