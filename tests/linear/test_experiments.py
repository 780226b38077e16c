"""The linear figures compute at quick size and their data carry the derived values they illustrate."""

import numpy as np
import pytest

from theorylab.bandits.linear.experiments import FIGURES, compute_needle, compute_separation
from theorylab.core import registry


def test_figures_are_registered_and_tagged_ours():
    assert [f.id for f in registry.figures("linear")] == [f.id for f in FIGURES]
    assert all(f.tag == "ours" for f in FIGURES)


def test_separation_figure_data_are_exact():
    df = compute_separation("quick")
    basis = df[df["algorithm"].str.startswith("design_ls (uniform")]
    np.testing.assert_allclose(basis["err_over_eps"], basis["bound_over_eps"], rtol=1e-12)
    assert (df[df["algorithm"].str.startswith("sparse_net")]["err_over_eps"] == 0).all()


def test_needle_figure_stays_below_the_yao_bound():
    df = compute_needle("quick")
    assert (df["found_fraction"] <= df["bound"] + 1e-12).all()
    assert set(df["algorithm"]) == {"sparse_net/seq", "sparse_net/best", "design_ls"}


def test_phase_transition_data_sit_on_the_lower_bound():
    from theorylab.bandits.linear.figure_queries import compute_phase_transition, draw_phase_transition

    df = compute_phase_transition("quick")
    ex = df[df.algorithm.str.startswith("exhaustive")]
    np.testing.assert_allclose(ex.median_queries, (ex.m + 1) / 2)      # shared seeds: exact permutation medians
    assert (ex.median_queries >= ex.bound).all()
    ds = df[df.algorithm == "design_ls"]
    assert (ds.success <= (ds.median_queries + 1) / ds.m + 1e-12).all()  # Yao: at most (Q + 1)/m
    draw_phase_transition(df)


def test_regret_curves_have_every_algorithm_and_grow():
    from theorylab.bandits.linear.figure_regret import compute_regret, draw_regret

    df = compute_regret("quick")
    assert set(df.algorithm) == {"linucb", "linucb + eps sqrt(t)", "phased_elimination"}
    for _, g in df.groupby(["eps", "algorithm"]):
        assert np.all(np.diff(g["mean"].to_numpy()) >= -1e-9)
        assert (g.low <= g["mean"] + 1e-9).all() and (g["mean"] <= g.high + 1e-9).all()
    draw_regret(df)


@pytest.mark.slow
def test_query_count_figure_attains_the_bound_on_sparse_features():
    from theorylab.bandits.linear.figure_queries import compute_queries, draw_queries

    df = compute_queries("quick")
    assert (df["median"] <= df["bound"]).all()
    sparse = df[(df.features == "2-sparse") & (df.panel == "d")]
    assert (sparse["median"] == sparse["bound"]).all()
    draw_queries(df)
