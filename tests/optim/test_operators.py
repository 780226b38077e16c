import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from theorylab.optim.primitives import project_inplace
from theorylab.optim.operators import FiniteSumOperator, Projection, project_simplex, project_simplex_sort


def _dense(n=5, d=4, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, d, d)), rng.standard_normal((n, d))


def test_dense_components_match_matrices_and_mean():
    Ms, cs = _dense()
    op = FiniteSumOperator.from_components(Ms, cs)
    z = np.arange(4.0)
    for i in range(5):
        assert np.allclose(op.component(i, z), Ms[i] @ z - cs[i])
    assert np.allclose(op.full(z), np.mean([Ms[i] @ z - cs[i] for i in range(5)], axis=0))
    assert np.allclose(op.full(z), op.matrix @ z - op.offset)


def test_column_split_components_average_to_full_operator():
    rng = np.random.default_rng(1)
    B = rng.standard_normal((6, 6))
    B[rng.random((6, 6)) < 0.4] = 0.0
    c = rng.standard_normal(6)
    op = FiniteSumOperator.column_split(B, c, groups=[[0, 3], [1, 4], [2, 5]])
    z = rng.standard_normal(6)
    mean = np.mean([op.component(i, z) for i in range(3)], axis=0)
    assert np.allclose(mean, B @ z - c)
    assert np.allclose(op.full(z), B @ z - c)


def test_mean_square_lipschitz_fast_path_matches_definition():
    rng = np.random.default_rng(2)
    B = rng.standard_normal((6, 6))
    op = FiniteSumOperator.column_split(B, groups=[[0, 3], [1, 4], [2, 5]])
    acc = sum(op.component_matrices(i)[0].T @ op.component_matrices(i)[0] for i in range(3)) / 3
    assert op.mean_square_lipschitz() == pytest.approx(np.sqrt(np.linalg.eigvalsh(acc).max()), rel=1e-10)
    assert op.mean_square_lipschitz() >= op.lipschitz() - 1e-12


def test_invalid_operator_inputs_are_rejected_with_names():
    with pytest.raises(ValueError, match="Ms"):
        FiniteSumOperator.from_components(np.zeros((2, 3, 4)))
    with pytest.raises(ValueError, match="Ms"):
        FiniteSumOperator.from_components(np.zeros((3, 3)))
    with pytest.raises(ValueError, match="groups"):
        FiniteSumOperator.column_split(np.eye(3), groups=[[0], [0], [2]])
    with pytest.raises(ValueError, match="B"):
        FiniteSumOperator.column_split(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="i must be"):
        FiniteSumOperator.from_components(np.eye(2)[None]).component(3, np.zeros(2))


def test_monotonicity_check_rejects_non_monotone_operator():
    op = FiniteSumOperator.from_components(-np.eye(3)[None])
    with pytest.raises(ValueError, match="not monotone"):
        op.check_monotone()
    FiniteSumOperator.from_components(np.eye(3)[None]).check_monotone(cocoercive=1.0)


def test_simplex_projection_keeps_feasible_input_unchanged():
    y = np.array([0.2, 0.0, 0.5, 0.3])
    assert np.allclose(project_simplex(y), y, atol=1e-15)
    assert np.allclose(project_simplex_sort(y), y, atol=1e-15)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-5, 5, allow_nan=False), min_size=1, max_size=30))
def test_simplex_projection_is_feasible_and_equals_sort_reference(values):
    y = np.array(values)
    x = project_simplex(y)
    assert np.all(x >= 0) and abs(x.sum() - 1) < 1e-12
    assert np.allclose(x, project_simplex_sort(y), atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from(["simplex", "box", "ball", "identity"]))
def test_projections_are_firmly_nonexpansive(seed, kind):
    rng = np.random.default_rng(seed)
    proj = {"simplex": Projection("simplex", bounds=(0, 3, 7)), "box": Projection("box", low=-0.5, high=1.0),
            "ball": Projection("ball", radius=0.7), "identity": Projection()}[kind]
    a, b = 2 * rng.standard_normal(7), 2 * rng.standard_normal(7)
    Ja, Jb = proj(a), proj(b)
    assert (Ja - Jb) @ (a - b) >= (Ja - Jb) @ (Ja - Jb) - 1e-12
    v = a.copy()
    project_inplace(proj.kernel_args, v)
    assert np.allclose(v, Ja, atol=1e-12)


def test_invalid_projection_parameters_are_rejected():
    with pytest.raises(ValueError, match="kind"):
        Projection("sphere")
    with pytest.raises(ValueError, match="bounds"):
        Projection("simplex", bounds=(0, 0))
    with pytest.raises(ValueError, match="radius"):
        Projection("ball", radius=-1.0)
    with pytest.raises(ValueError, match="low"):
        Projection("box", low=1.0, high=0.0)


def test_kernel_full_evaluation_matches_matrix_for_game_and_general_split():
    from theorylab.optim.instances import ouyang_xu_qp, policeman_burglar
    from theorylab.optim.primitives import comp_add, full_eval

    for pb in (policeman_burglar(9), ouyang_xu_qp(7)):
        op = pb.operator
        z = np.random.default_rng(0).standard_normal(op.d)
        out = np.empty(op.d)
        full_eval(op.kernel_args, z, out)
        assert np.allclose(out, op.matrix @ z - op.offset, atol=1e-12)
        assert np.allclose(op.full(z), op.matrix @ z - op.offset, atol=1e-12)
        comp = np.zeros(op.d)
        comp_add(op.kernel_args, 3, z, 1.0, comp)
        assert np.allclose(comp, op.component(3, z), atol=1e-12)
    assert policeman_burglar(9).operator.full_mode == 1 and ouyang_xu_qp(7).operator.full_mode == 0
