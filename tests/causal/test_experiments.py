"""Figures compute tidy tables and draw at toy sizes; the registry exposes them."""

import numpy as np

from theorylab.bandits.causal import experiments as ex
from theorylab.core import registry


def test_figures_are_registered():
    ids = {f.id for f in registry.figures("causal")}
    assert {"causal.stationary", "causal.nonstationary", "causal.structure_learning"} <= ids


def test_curves_compute_and_draw_at_toy_size():
    df = ex.compute_stationary("quick", n_nodes=3, horizon=200)
    assert set(df["algorithm"]) == {r[0] for r in ex.RUNS}
    assert np.all(df[df["t"] == 0]["regret_mean"] == 0)
    ex.draw_stationary(df)
    ns = ex.compute_nonstationary("quick", n_nodes=4, horizon=300, changes=(100, 200))
    assert (ns.groupby("algorithm")["pseudo_regret_mean"].apply(lambda s: s.is_monotonic_increasing)).all()


def test_structure_figure_at_toy_size():
    df = ex.compute_structure("quick", n_nodes=4)
    assert set(df["metric"]) == {"fnr", "shd_normalised"} and df["mean"].between(0, 1).all()
    ex.draw_structure(df)
