import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from theorylab.games.equilibria import (ce_constraints, cce_constraints, lemke_howson, lemke_howson_all, solve_ce,
                                        solve_cce, support_enumeration)
from theorylab.games.normal_form import (coordination_game, matching_pennies, prisoners_dilemma, random_game,
                                         shapley_game)


@pytest.mark.parametrize("shape", [(3, 3), (2, 3, 2), (4, 2)])
def test_lp_outputs_feasible(shape):
    g = random_game(shape, seed=3)
    for solve, cons in ((solve_cce, cce_constraints), (solve_ce, ce_constraints)):
        eq = solve(g)
        mu = eq.distribution.ravel()
        assert mu.min() >= -1e-9 and abs(mu.sum() - 1) < 1e-9
        assert (cons(g) @ mu).max() <= 1e-7
    assert solve_cce(g).cce_gap <= 1e-7 and solve_ce(g).ce_gap <= 1e-7


def test_ce_feasible_is_cce_feasible_and_nash_product_is_ce():
    g = random_game((3, 3), seed=5)
    ce = solve_ce(g)
    assert ce.cce_gap <= 1e-7
    for ne in support_enumeration(g):
        mu = g.product_distribution([ne.x, ne.y])
        assert g.ce_gap(mu) <= 1e-9
        # welfare-max CCE dominates any NE's welfare
        assert solve_cce(g).welfare >= g.correlated_payoffs(mu).sum() - 1e-7


def test_scs_solver_looser_tolerance():
    g = random_game((3, 3), seed=2)
    assert solve_cce(g, solver="SCS").cce_gap <= 1e-4


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 100_000), st.integers(2, 5), st.integers(2, 5))
def test_nash_solvers_return_equilibria_and_agree(seed, n1, n2):
    g = random_game((n1, n2), seed=seed)
    se = support_enumeration(g)
    assert se and all(ne.gap_max <= 1e-9 for ne in se)
    for ne in lemke_howson_all(g):
        assert ne.gap_max <= 1e-9
        assert any(np.allclose(ne.x, f.x, atol=1e-7) and np.allclose(ne.y, f.y, atol=1e-7) for f in se)
    if len(se) == 1:
        lh = lemke_howson(g, 0)
        assert np.allclose(lh.x, se[0].x, atol=1e-8) and np.allclose(lh.y, se[0].y, atol=1e-8)


def test_known_equilibria():
    assert len(support_enumeration(coordination_game(3))) == 7
    assert np.allclose(lemke_howson(shapley_game()).x, 1 / 3)
    assert np.allclose(support_enumeration(prisoners_dilemma())[0].y, [0, 1])
    assert np.allclose(lemke_howson(matching_pennies(), 3).y, 0.5)


def test_degenerate_game_lemke_howson_terminates():
    a = np.array([[1.0, 1.0], [1.0, 1.0]])
    ne = lemke_howson((a, a), 0)
    assert ne.gap_max <= 1e-12


def test_invalid_inputs():
    with pytest.raises(ValueError):
        lemke_howson(matching_pennies(), 7)
    with pytest.raises(ValueError):
        lemke_howson(random_game((2, 2, 2)))
    with pytest.raises(TypeError):
        solve_cce(np.eye(2))
    with pytest.raises(ValueError):
        solve_cce(matching_pennies(), objective="gini")
    with pytest.raises(ValueError):
        support_enumeration(random_game((12, 2)))


def test_cross_check_nashpy():
    nash = pytest.importorskip("nashpy")
    import warnings
    for seed in range(30):
        g = random_game((4, 4), seed=seed)
        ours = support_enumeration(g)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = list(nash.Game(g.payoffs[0], g.payoffs[1]).support_enumeration())
        # nashpy may miss equilibria (spec note): compare by inclusion of theirs in ours, and by gap
        for x, y in ref:
            assert g.nash_gap([x, y]) <= 1e-8
            assert any(np.allclose(x, f.x, atol=1e-7) and np.allclose(y, f.y, atol=1e-7) for f in ours)
