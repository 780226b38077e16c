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
        tasks["causal.regret"].check_params({"algorithm": "golem"})
    with pytest.raises(ValueError, match="rounds"):
        tasks["causal.bound_ratio"].check_params({"rounds": 5})


def test_bound_ratio_rows_equal_the_per_repetition_fit():
    # _run_bound batches the fits into one kernel call; each row must equal the per-seed computation
    # with fit_true_topology (the path it replaced).
    import math

    import numpy as np

    from theorylab.bandits.causal.instances import random_instance
    from theorylab.bandits.causal.simulate import fit_true_topology, random_rounds
    from theorylab.core.seeding import repetition_seeds
    seeds = repetition_seeds(3, "bound-batch", 5)
    got = sweep_tasks("causal")["causal.bound_ratio"].run({"n_nodes": 5, "rounds": 80, "delta": 0.1}, seeds)
    for s, row in zip(seeds, got.itertuples()):
        rng = np.random.default_rng(s)
        inst = random_instance(5, rng)
        X, bits = random_rounds(inst, 80, rng)
        f = fit_true_topology(inst, X, bits, n_max=80)
        a = int(rng.integers(0, inst.n_actions))
        U = f.c_norm[a] * 2 * math.sqrt(f.sigma_bar_parents[a] * math.log(2 * 5 / 0.1)) * np.linalg.norm(inst.means(a)[0])
        assert np.isclose(row.U, U, rtol=1e-9) and np.isclose(row.error, abs(f.reward_hat[a] - inst.rewards[a]), atol=1e-9)
