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


def test_regret_curves_do_not_depend_on_the_number_of_workers(monkeypatch):
    # The regret figures split the runs over workers in chunks; every run has its own stream, so the
    # table is the same for any n_jobs and chunk size.
    from theorylab.bandits.causal import experiments as E

    monkeypatch.setattr(E, "RUNS", tuple(r for r in E.RUNS if r[1] in ("linsem_ts", "vanilla_ucb")))
    monkeypatch.setattr(E, "CHUNK", 2)
    insts = [E.random_instance(4, E.seed_sequence(0, "workers", i)) for i in range(3)]
    one = E._curves(insts, None, 300, 0, "workers", n_jobs=1)
    two = E._curves(insts, None, 300, 0, "workers", n_jobs=2)
    assert one.equals(two)
