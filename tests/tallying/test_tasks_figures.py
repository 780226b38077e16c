"""Sweep task, figures and benchmarks of the tallying topic (smoke and contract tests)."""

import numpy as np
import pytest

from theorylab.bandits.tallying import bench, experiments
from theorylab.bandits.tallying.tasks import final_cpr_task
from theorylab.core import registry
from theorylab.core.sweep import run_cells


@pytest.mark.parametrize("cell, name", [
    (dict(algorithm="wtb", T=100), "algorithm"),
    (dict(algorithm="wtb_se", T=1), "T"),
    (dict(algorithm="wtb_se", T=100, instance="nope"), "instance"),
    (dict(algorithm="wtb_se", T=100, m=5, M=2), "M"),
    (dict(algorithm="wtb_se", T=100, bogus=1), "bogus"),
    (dict(algorithm="wtb_se", T=100, weights="flat"), "weights"),
])
def test_task_rejects_a_bad_cell_naming_the_field(cell, name):
    with pytest.raises((ValueError, TypeError), match=name):
        final_cpr_task.check_params(cell)


def test_task_table_does_not_depend_on_chunking_or_workers():
    cell = dict(instance="learning_curve", K=3, m=3, M=4, algorithm="wtb_se", T=3000)
    a = run_cells(final_cpr_task, [cell], 6, 0)
    b = run_cells(final_cpr_task, [cell], 6, 0, n_jobs=2, chunk_reps=4)
    assert np.array_equal(a.cpr_const.values, b.cpr_const.values)
    assert np.all(a.cpr_upper >= a.cpr_const - 1e-9)       # t mu* <= C_const(t)


def test_topic_is_registered_with_its_rooms():
    cat = registry.catalogue("tallying")
    assert "wtb_se" in cat["algorithms"] and "password" in cat["instances"]
    assert len(cat["claims"]) == 10 and len(cat["figures"]) == 5
    assert cat["sweep_tasks"] == ["tallying.final_cpr"] and "tallying" in cat["benchmarks"]


def test_r2_figure_data_has_both_comparators_and_draws():
    df = experiments.compute_r2("quick")
    assert set(df.comparator) == {"upper", "const"}
    assert np.all(df[df.comparator == "upper"]["mean"].values >= df[df.comparator == "const"]["mean"].values - 1e-9)
    experiments.draw_r2(df)


def test_benchmarks_return_their_rates():
    out = bench.bench_block_path(T=20000, block_runs=4, step_runs=2, repeat=1)
    assert out["ratio"] > 1
    eng = bench.bench_engine(T=5000, runs=2, ref_T=300, repeat=1)
    assert eng["ucb1_speedup"] > 1


def test_every_tallying_sweep_spec_validates():
    """Each spec under simulations/tallying parses and every cell passes the task's checks."""
    from pathlib import Path

    from theorylab.core.sweep import load_spec

    specs = sorted((Path(__file__).resolve().parents[2] / "simulations" / "tallying").glob("*.toml"))
    assert specs
    for path in specs:
        load_spec(path)


def test_r4_figure_data_has_every_panel_and_its_bounds_and_draws():
    from theorylab.bandits.tallying.scaling_figure import R4_PANELS, compute_r4, draw_r4

    df = compute_r4("quick")
    assert list(dict.fromkeys(df.panel)) == list(R4_PANELS)
    lb = df[df.panel == R4_PANELS[2]]
    for m, grp in lb.groupby("x"):                       # every algorithm pays at least the derived bound
        bound = float(grp[grp.kind == "bound"]["mean"].iloc[0])
        assert np.all(grp[grp.kind == "data"]["mean"] >= bound)
    draw_r4(df)
