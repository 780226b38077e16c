"""Broken sweep specs are refused before anything is written, with one line naming the field (issue 12
items 2-3); the schemas are what `theorylab list` shows and what the manifest records."""

import pytest

from theorylab.cli import main
from theorylab.core.registry import sweep_tasks
from theorylab.core.sweep import parse_spec

BASE = {
    "classic.bai": {"instance": "bai4", "algorithm": "successive_rejects", "budget": 200},
    "classic.regret": {"instance": "two_arm_0.1", "algorithm": "ucb1", "horizon": 100},
    "dp_bai.error_count": {"algorithm": "dp_bai", "epsilon": 1.0, "budget": 4000},
    "games.regret": {"n_actions": [2, 2], "learner": "hedge", "checkpoints": [10, 20]},
    "games.vlearning": {"n_states": 2, "n_actions": [2, 2], "horizon": 2, "checkpoints": [5, 10]},
    "halpern.curve": {"instance": "negation", "algorithm": "halpern", "K": 10},
}

# (task, changes to the base cell, the field the one-line error must name)
BAD = [
    ("dp_bai.error_count", {"epsilom": 0.1}, "epsilom"),
    ("games.regret", {"learnr": "hedge"}, "learnr"),
    ("classic.bai", {"fast": "no"}, "fast"),
    ("games.regret", {"eta": -1}, "eta"),
    ("games.regret", {"n_actions": None}, "n_actions"),
    ("classic.regret", {"horizon": 2**70}, "horizon"),
    ("classic.regret", {"horizon": 100.5}, "horizon"),
    ("classic.regret", {"horizon": "100"}, "horizon"),
    ("classic.regret", {"checkpoints": [10, 200]}, "checkpoints"),
    ("classic.regret", {"checkpoints": [20, 10]}, "checkpoints"),
    ("classic.regret", {"bonus_scale": -1.0}, "bonus_scale"),
    ("classic.regret", {"algorithm": "thompson", "bonus_scale": 2.0}, "bonus_scale"),
    ("classic.regret", {"algorithm": "exp3", "gamma": 1.5}, "gamma"),
    ("classic.regret", {"algorithm": "exp3", "gamma": 0.0}, "gamma"),
    ("classic.regret", {"law_param": 2.0}, "law_param"),
    ("classic.regret", {"means": [0.5, 0.4]}, "instance"),
    ("classic.bai", {"budget": 3}, "budget"),
    ("dp_bai.error_count", {"epsilon": -1.0}, "epsilon"),
    ("dp_bai.error_count", {"epsilon": "none"}, "epsilon"),
    ("dp_bai.error_count", {"algorithm": "max_det_halving"}, "epsilon"),
    ("dp_bai.error_count", {"means": [0.5, 0.4]}, "means"),
    ("dp_bai.error_count", {"budget": 3}, "budget"),
    ("dp_bai.error_count", {"batch": 0}, "batch"),
    ("dp_bai.error_count", {"reuse_samples": "yes"}, "reuse_samples"),
    ("games.regret", {"checkpoints": [20, 10]}, "checkpoints"),
    ("games.regret", {"n_actions": [1000, 1000, 1000]}, "n_actions"),
    ("games.vlearning", {"learn": "no"}, "learn"),
    ("games.vlearning", {"n_states": 9}, "n_states"),
    ("halpern.curve", {"inst_n": 5}, "inst_n"),
    ("halpern.curve", {"tau": 0.1}, "tau"),
    ("halpern.curve", {"anchor": [2.0, 1.0, 1.0]}, "anchor"),
    ("halpern.curve", {"budget_epochs": 3.0}, "K"),
]


def _cell(task, change):
    cell = dict(BASE[task], **change)
    return {k: v for k, v in cell.items() if v is not None}


def _spec(task, cell, reps=4):
    return {"sweep": {"name": "bad", "task": task, "master_seed": 0, "reps": reps}, "fixed": cell}


@pytest.mark.parametrize("task, change, field", BAD, ids=[f"{t}-{f}" for t, _, f in BAD])
def test_bad_cells_are_refused_naming_the_field(task, change, field):
    with pytest.raises((ValueError, TypeError)) as info:
        parse_spec(_spec(task, _cell(task, change)))
    assert f"'{field}'" in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize("task", sorted(BASE))
def test_the_base_cells_are_valid(task):
    parse_spec(_spec(task, BASE[task]))


def test_huge_reps_are_refused_against_memory_before_work():
    with pytest.raises(ValueError, match="sweep.reps"):
        parse_spec(_spec("classic.regret", BASE["classic.regret"], reps=10**9))
    with pytest.raises(ValueError, match="sweep.reps"):
        parse_spec(_spec("classic.regret", BASE["classic.regret"], reps=10**12))


def test_a_refused_spec_writes_nothing(tmp_path, capsys):
    spec = tmp_path / "bad.toml"
    spec.write_text('[sweep]\nname = "x"\ntask = "classic.regret"\nmaster_seed = 0\nreps = 4\n'
                    '[fixed]\ninstance = "two_arm_0.1"\nalgorithm = "exp3"\nhorizon = 100\ngamma = 2.0\n')
    out = tmp_path / "out"
    assert main(["sweep", str(spec), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "gamma" in err[0] and "fixed.gamma" in err[0]
    assert not out.exists()


def test_int_and_integral_float_are_one_cell():
    a = parse_spec(_spec("classic.regret", dict(BASE["classic.regret"], horizon=100.0)))
    b = parse_spec(_spec("classic.regret", BASE["classic.regret"]))
    assert a.cells() == b.cells() and isinstance(a.cells()[0]["horizon"], int)


def test_every_task_declares_a_schema_shown_by_list(capsys):
    tasks = sweep_tasks()
    assert all(t.schema.fields for t in tasks.values())
    assert main(["list", "classic"]) == 0
    text = capsys.readouterr().out
    assert "sweep task classic.regret" in text and "bonus_scale" in text
