"""The linear figures compute at quick size and their data carry the derived values they illustrate."""

import numpy as np

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
