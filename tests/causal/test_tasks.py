"""Sweep tasks: rows depend only on their seeds, the specs in simulations/causal parse, bad cells are refused."""

from pathlib import Path

import pytest

from theorylab.core.registry import sweep_tasks
from theorylab.core.sweep import load_spec, run_cells

ROOT = Path(__file__).resolve().parents[2]


def test_tasks_are_registered_and_rows_do_not_depend_on_chunking():
    tasks = sweep_tasks("causal")
    assert {"causal.regret", "causal.bound_ratio"} <= set(tasks)
    cell = {"algorithm": "csl_ucb", "variant": "final", "n_nodes": 4, "horizon": 150}
    a = run_cells(tasks["causal.regret"], [cell], 4, 7)
    b = run_cells(tasks["causal.regret"], [cell], 4, 7, chunk_reps=1)
    assert a["pseudo_regret"].tolist() == b["pseudo_regret"].tolist()
    bound = run_cells(tasks["causal.bound_ratio"], [{"n_nodes": 4, "rounds": 60}], 3, 7)
    assert (bound["ratio"] >= 0).all() and len(bound) == 3


@pytest.mark.parametrize("path", sorted((ROOT / "simulations" / "causal").glob("*.toml")))
def test_specs_parse(path):
    spec = load_spec(path)
    assert spec.cells()


def test_bad_cells_are_refused():
    tasks = sweep_tasks("causal")
    with pytest.raises(ValueError, match="algorithm"):
        tasks["causal.regret"].check_params({"algorithm": "golem_mab"})
    with pytest.raises(ValueError, match="rounds"):
        tasks["causal.bound_ratio"].check_params({"rounds": 5})
