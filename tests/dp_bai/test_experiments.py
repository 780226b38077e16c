import glob

import numpy as np
import pandas as pd
import pytest

from theorylab.bandits.dp_bai.experiments import FIGURES, SWEEP_TASKS, compute_f2, draw_f2
from theorylab.bandits.dp_bai.rates import fit_rate
from theorylab.bandits.dp_bai.tasks import error_count_task, resolve_budget
from theorylab.core.sweep import load_spec, run_cells


def test_every_sweep_spec_validates():
    files = sorted(glob.glob("simulations/dp_bai/*.toml"))
    assert len(files) >= 5
    for f in files:
        spec = load_spec(f)
        assert spec.task == "dp_bai.error_count"


def test_sweep_task_same_numbers_serial_and_parallel_and_chunked():
    cell = {"instance": "hard", "family": "linear_gaps", "K": 4, "algorithm": "dp_bai", "epsilon": 0.1,
            "budget": 600, "batch": 50}
    a = run_cells(error_count_task, [cell], 6, 3, n_jobs=1, chunk_reps=6)
    b = run_cells(error_count_task, [cell], 6, 3, n_jobs=2, chunk_reps=2)
    pd.testing.assert_frame_equal(a, b)


def test_sweep_task_rejects_bad_cells():
    with pytest.raises(ValueError):
        error_count_task.check_params({"instance": "hard", "K": 4, "algorithm": "dp_bai", "epsilon": 1.0, "budget": 1})
    with pytest.raises(ValueError):
        error_count_task.check_params({"instance": "hard", "K": 4, "algorithm": "dp_bai", "epsilon": -1.0, "budget": 100})
    with pytest.raises(ValueError):
        error_count_task.check_params({"instance": "nope", "budget": 100})
    with pytest.raises(ValueError):
        error_count_task.check_params({"instance": "hard", "K": 4, "epsilon": "big", "budget": 100})


def test_budget_units_scale_with_complexity():
    p = {"instance": "hard", "family": "linear_gaps", "K": 4, "algorithm": "dp_bai"}
    assert resolve_budget(dict(p, epsilon=0.01, budget_units=1.0)) > resolve_budget(dict(p, epsilon=1.0, budget_units=1.0))


def test_fit_rate_recovers_a_known_exponent():
    T = np.array([100, 200, 300, 400, 500])
    p = 0.5 * np.exp(-0.01 * T)
    runs = np.full(5, 10**7)
    fit = fit_rate(T, np.round(p * runs), runs)
    assert fit["low"] <= 0.01 <= fit["high"] and abs(fit["e_hat"] - 0.01) < 1e-4


def test_figure_registry_and_quick_f2_draws():
    assert {f.id for f in FIGURES} >= {"dp_bai.error_vs_budget", "dp_bai.error_vs_epsilon", "dp_bai.privacy_knee",
                                       "dp_bai.rate_scaling"}
    assert "error_count" in SWEEP_TASKS
    df = compute_f2("quick")
    assert set(df["algorithm"]) >= {"dp_bai", "dp_od", "dp_sh"} and np.all(df["low"] <= df["high"])
    fig = draw_f2(df)
    assert fig.axes
