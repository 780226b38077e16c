"""The games.regret sweep task on the optimistic-Hedge claim's game family (cyclic zero-sum 3x3)."""

import numpy as np
import pytest

from theorylab.core.sweep import run_cells
from theorylab.games.tasks import REGRET_TASK


def test_cyclic_family_needs_three_by_three():
    with pytest.raises(ValueError, match="n_actions"):
        run_cells(REGRET_TASK, [dict(n_actions=[2, 2], learner="hedge", checkpoints=[10], game="cyclic_zero_sum")],
                  1, 0, 1)


def test_unset_game_keeps_the_uniform_streams():
    # A new optional field with default None must not change the seeds of existing cells.
    base = dict(n_actions=[3, 3], learner="hedge", checkpoints=[50])
    params = REGRET_TASK.schema.seed_params(REGRET_TASK.schema.clean(base))
    assert "game" not in params
    assert params == dict(base, eta_scale=1.0)


def test_optimism_keeps_total_regret_below_the_rvu_bound_where_hedge_exceeds_it():
    cells = [dict(n_actions=[3, 3], learner=lr, checkpoints=[3000], game="cyclic_zero_sum", eta=0.25)
             for lr in ("optimistic_hedge", "hedge")]
    df = run_cells(REGRET_TASK, cells, 4, 0, 1)
    bound = 2 * np.log(3) / 0.25
    by = df.groupby("learner")["total_regret_3000"].max()
    assert by["optimistic_hedge"] <= bound
    assert by["hedge"] > bound
