import numpy as np
import pytest
from hypothesis import given, strategies as st

from theorylab.core import validate as v


@pytest.mark.parametrize("call, exc, match", [
    (lambda: v.check_int("K", 1.5), TypeError, "K must be an integer"),
    (lambda: v.check_int("K", True), TypeError, "K"),
    (lambda: v.check_int("K", 1, minimum=2), ValueError, "K must be >= 2, got 1"),
    (lambda: v.check_real("eps", float("inf")), ValueError, "eps must be finite"),
    (lambda: v.check_positive("eps", 0.0), ValueError, "eps must be > 0"),
    (lambda: v.check_probability("p", 1.5), ValueError, "p must be <= 1"),
    (lambda: v.check_open_unit("alpha", 1.0), ValueError, "alpha must be < 1"),
    (lambda: v.check_array("x", [[1, 2]], ndim=1), ValueError, "x must be 1-dimensional"),
    (lambda: v.check_array("x", [1, 2], shape=(3,)), ValueError, r"x must have shape \(3,\)"),
    (lambda: v.check_probability_vector("p", [0.5, 0.6]), ValueError, "p must sum to 1"),
    (lambda: v.check_probability_vector("p", [1.5, -0.5]), ValueError, "p must be nonnegative"),
    (lambda: v.check_choice("algorithm", "x", ["a", "b"]), ValueError, "algorithm must be one of"),
    (lambda: v.check_means_unit("means", [0.2]), ValueError, "K >= 2"),
])
def test_errors_name_parameter_value_and_expectation(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


@given(st.lists(st.floats(0.0, 10.0), min_size=1, max_size=12).filter(lambda x: sum(x) > 1e-3))
def test_any_normalised_nonnegative_vector_is_a_probability_vector(weights):
    w = np.array(weights)
    p = v.check_probability_vector("p", w / w.sum())
    assert np.all(p >= 0) and abs(p.sum() - 1) < 1e-9


def test_numpy_integers_are_accepted_and_converted():
    assert v.check_int("n", np.int32(5)) == 5 and isinstance(v.check_int("n", np.int64(5)), int)
