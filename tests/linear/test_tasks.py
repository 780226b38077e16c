"""Sweep tasks and specs of the linear topic: validation naming the field, chunking-independent tables, specs load."""

from pathlib import Path

import numpy as np
import pytest

from theorylab.bandits.linear.tasks import SWEEP_TASKS, pure_exploration_task, regret_task
from theorylab.core import registry
from theorylab.core.sweep import load_spec, run_cells

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("cell, name", [
    (dict(algorithm="nope"), "algorithm"),
    (dict(algorithm="sparse_net", instance="nope"), "instance"),
    (dict(algorithm="sparse_net", K=1), "K"),
    (dict(algorithm="sparse_net", bogus=1), "bogus"),
    (dict(algorithm="sparse_net", mode="seq_optimistic", net_kind="direction"), "net_kind"),
    (dict(algorithm="sparse_net", instance="sparse_feature", eps=0.0), "eps_net"),
    (dict(algorithm="sparse_net", basis_design=True), "basis_design"),
    (dict(algorithm="exhaustive", instance="reed_solomon", q=5, s=2, r=1, needle=25), "needle"),
    (dict(algorithm="exhaustive", instance="reed_solomon", q=4, s=2, r=1), "q"),
])
def test_pure_task_rejects_a_bad_cell_naming_the_field(cell, name):
    with pytest.raises((ValueError, TypeError), match=name):
        pure_exploration_task.check_params(cell)


@pytest.mark.parametrize("cell, name", [
    (dict(algorithm="linucb"), "T"),
    (dict(algorithm="ucb1", T=10), "algorithm"),
    (dict(algorithm="linucb", T=10, instance="separation"), "instance"),
    (dict(algorithm="linucb", T=10, sigma=-1.0), "sigma"),
])
def test_regret_task_rejects_a_bad_cell_naming_the_field(cell, name):
    with pytest.raises((ValueError, TypeError), match=name):
        regret_task.check_params(cell)


def test_tables_do_not_depend_on_chunking_or_workers():
    cells = [dict(instance="random_sparse", K=40, d=4, s=2, eps=0.05, sigma=0.5, algorithm="sparse_net",
                  mode="seq_optimistic"),
             dict(instance="random_sparse", K=40, d=4, sigma=0.5, algorithm="successive_elimination")]
    a = run_cells(pure_exploration_task, cells, 6, 0)
    b = run_cells(pure_exploration_task, cells, 6, 0, n_jobs=2, chunk_reps=4)
    assert np.array_equal(a.error.values, b.error.values) and np.array_equal(a.queries.values, b.queries.values)
    r1 = run_cells(regret_task, [dict(algorithm="linucb", T=300, K=20, d=3, sigma=0.3)], 5, 0)
    r2 = run_cells(regret_task, [dict(algorithm="linucb", T=300, K=20, d=3, sigma=0.3)], 5, 0, chunk_reps=2)
    assert np.array_equal(r1.regret.values, r2.regret.values)


def test_needle_rank_is_the_position_of_the_needle_in_the_query_order():
    cell = dict(instance="reed_solomon", q=5, s=2, r=1, needle=7, algorithm="exhaustive")
    df = run_cells(pure_exploration_task, [cell], 20, 0)
    assert df.success.all() and df.needle_rank.between(1, 25).all()
    ds = run_cells(pure_exploration_task, [dict(cell, algorithm="design_ls")], 2, 0)
    assert ds.needle_rank.isna().all()


def test_every_spec_loads_and_names_a_registered_task():
    specs = sorted((ROOT / "simulations" / "linear").glob("*.toml"))
    assert len(specs) >= 5
    names = {t.name for t in SWEEP_TASKS.values()}
    for path in specs:
        spec = load_spec(path)
        assert spec.task in names and spec.cells(), path.name


def test_topic_catalogue_lists_the_tasks():
    cat = registry.catalogue("linear")
    assert cat["sweep_tasks"] == ["linear.pure_exploration", "linear.regret"]
    assert "successive_elimination" in cat["algorithms"] and "sparse_feature" in cat["instances"]
