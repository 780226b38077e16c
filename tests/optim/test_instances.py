import numpy as np
import pytest

from theorylab.optim.instances import (cocoercive_family, coordinate_split_game, finite_sum_monotone, named_instance,
                                       negation, ouyang_xu_qp, policeman_burglar, policeman_burglar_matrix)


def test_policeman_burglar_matches_the_paper_construction():
    A = policeman_burglar_matrix(6, theta=0.8, seed=1)
    w = np.abs(np.random.RandomState(1).randn(6))
    assert A[2, 4] == pytest.approx(w[4] * (1 - np.exp(-0.8 * 2)))
    pb = policeman_burglar(6)
    x, y = np.full(6, 1 / 6), np.linspace(0, 1, 6) / 3
    z = np.concatenate([x, y])
    assert np.allclose(pb.operator.full(z), np.concatenate([A.T @ y, -A @ x]))
    assert pb.projection.kind == "simplex" and pb.projection.bounds == (0, 6, 12)


def test_ouyang_xu_solution_is_a_zero_and_split_matches_code():
    pb = ouyang_xu_qp(10)
    assert np.linalg.norm(pb.operator.full(pb.x_star)) < 1e-9
    assert pb.L >= pb.L_F


def test_cocoercive_family_is_on_average_cocoercive_with_L_close_to_L_F():
    pb = cocoercive_family(50, d=6, seed=3)
    assert pb.operator.cocoercivity() <= pb.L + 1e-12
    assert 0.5 * pb.L <= pb.L_F <= pb.L
    assert np.linalg.norm(pb.operator.full(pb.x_star)) < 1e-12


def test_coordinate_split_game_has_L_of_order_sqrt_n_L_F():
    r = [coordinate_split_game(n).L / coordinate_split_game(n).L_F for n in (16, 256)]
    assert r[1] / r[0] > 2.5  # sqrt(256/16) = 4


def test_negation_is_T_minus_identity():
    pb = negation()
    assert pb.operator.full(np.array([3.0]))[0] == 3.0


def test_finite_sum_monotone_is_monotone_not_cocoercive():
    pb = finite_sum_monotone(8, d=5)
    assert pb.operator.cocoercivity() == float("inf")
    pb.operator.check_monotone()


def test_invalid_instance_parameters_are_rejected():
    with pytest.raises(ValueError, match="n must be >= 1"):
        cocoercive_family(0)
    with pytest.raises(ValueError, match="theta"):
        policeman_burglar(5, theta=-1.0)
    with pytest.raises(ValueError, match="instance"):
        named_instance("nope")
    with pytest.raises(TypeError, match="n must be an integer"):
        cocoercive_family(2.5)


def test_problem_rejects_inconsistent_parts():
    from theorylab.optim.instances import Problem
    from theorylab.optim.operators import Projection

    pb = negation(2)
    with pytest.raises(ValueError, match="x0"):
        Problem("p", pb.operator, pb.projection, np.zeros(3), None, 1.0, 1.0, "monotone")
    with pytest.raises(ValueError, match="bounds"):
        Problem("p", pb.operator, Projection("simplex", bounds=(0, 3)), np.zeros(2), None, 1.0, 1.0, "monotone")
    with pytest.raises(TypeError, match="operator"):
        Problem("p", "F", pb.projection, np.zeros(2), None, 1.0, 1.0, "monotone")
