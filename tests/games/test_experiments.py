import glob

import numpy as np
import pytest

from theorylab.core.sweep import load_spec, run_cells
from theorylab.games import ALGORITHMS, INSTANCES
from theorylab.games.experiments import FIGURES, SWEEP_TASKS
from theorylab.games.tasks import REDUCTION_TASK, SEPARATION_TASK


def test_sweep_specs_validate():
    files = sorted(glob.glob("simulations/games/*.toml"))
    assert len(files) >= 4
    for f in files:
        spec = load_spec(f, tasks={f"games.{k}": v for k, v in SWEEP_TASKS.items()})
        assert spec.cells()


def test_serial_and_parallel_give_identical_numbers():
    cell = dict(n1=3, n2=3, n_components=4, horizon=3, source="hedge")
    a = run_cells(REDUCTION_TASK, [cell], 4, 7, n_jobs=1)
    b = run_cells(REDUCTION_TASK, [cell], 4, 7, n_jobs=2, chunk_reps=1)
    assert np.allclose(a.drop(columns=["source"]).to_numpy(float), b.drop(columns=["source"]).to_numpy(float))


def test_task_params_rejected_with_names():
    with pytest.raises(ValueError, match="source"):
        REDUCTION_TASK.check_params(dict(n1=3, n2=3, n_components=4, horizon=3, source="oracle"))
    with pytest.raises(ValueError, match="checkpoints"):
        SEPARATION_TASK.check_params(dict(game="shapley", horizon=4, checkpoints=[10, 5]))


def test_figures_compute_and_draw_quick(tmp_path):
    from theorylab.core.figures import reproduce_figure
    for fig in FIGURES:
        paths = reproduce_figure(fig, tmp_path, size="quick")
        assert all(p.exists() for p in paths)


def test_catalogue_names():
    assert "hedge" in ALGORITHMS and "shapley" in INSTANCES


@pytest.mark.slow
def test_benchmarks_run():
    from theorylab.games.bench import BENCHMARKS
    for fn in BENCHMARKS.values():
        out = fn()
        assert all(np.isfinite(v) for v in out.values() if isinstance(v, float))
