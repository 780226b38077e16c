"""Fuzz every public constructor of the instance and operator modules: NaN, inf, wrong shapes and
dtypes, negative and huge sizes, wrong types. Each call must, within a time bound, either raise a
ValueError/TypeError whose message names the parameter, or return a valid object (issue 12 item 5)."""

import math
import os
import signal

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from theorylab.bandits.dp_bai import instances as dpi
from theorylab.optim import instances as oi
from theorylab.optim.instances import Problem
from theorylab.optim.operators import FiniteSumOperator

TIME_BOUND = 20  # seconds per call (2 shared cores)


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang


def _call(fn, kwargs):
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(TIME_BOUND)
    try:
        return "ok", fn(**kwargs)
    except (ValueError, TypeError) as exc:
        return "error", exc
    except Hang:
        pytest.fail(f"{fn.__name__}({kwargs!r}) ran past {TIME_BOUND} s")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


BAD_VALUES = [
    math.nan, math.inf, -math.inf, -1, -10**9, 0, 10**12, 2**70, 1.5, -0.5, "x", None, True, 1 + 2j, [], [[1, 2], [3]],
    [math.nan, 0.5], np.zeros((2, 2, 2)), np.array(["a", "b"]), np.full(3, np.nan), np.ones(7), np.ones((3, 3)) * 1j,
    np.array([[1.5, 0.5]]), object(),
]
BAD = st.sampled_from(BAD_VALUES)


def _valid_bai(inst):
    mu = inst.means
    return isinstance(inst, dpi.LinearBAIInstance) and np.all(np.isfinite(mu)) and mu.min() >= -1e-9 \
        and mu.max() <= 1 + 1e-9 and inst.K >= 2


def _valid_problem(pb):
    return isinstance(pb, Problem) and math.isfinite(pb.L) and math.isfinite(pb.L_F) and np.all(np.isfinite(pb.x0))


def _valid_matrix(a):
    return isinstance(a, np.ndarray) and a.ndim == 2 and np.all(np.isfinite(a))


def _valid_op(op):
    return isinstance(op, FiniteSumOperator) and np.all(np.isfinite(op.matrix))


_OP = FiniteSumOperator.from_components(np.stack([np.eye(2), 3 * np.eye(2)]))
_BASE_INST = dpi.unstructured_instance([0.5, 0.4, 0.3])


def _full(z):
    return _OP.full(z)


def _component(i, z):
    return _OP.component(i, z)


def _check_monotone(seed, pairs, cocoercive):
    _OP.check_monotone(seed=seed, pairs=pairs, cocoercive=cocoercive)
    return True


def _finite_vector(v):
    return isinstance(v, np.ndarray) and v.shape == (2,) and np.all(np.isfinite(v))


CONSTRUCTORS = [
    (dpi.linear_instance, dict(arms=[[1, 0], [0, 1], [1, 1]], theta=[0.3, 0.4], law="bernoulli", concentration=2.0,
                               name="x"), _valid_bai),
    (dpi.unstructured_instance, dict(means=[0.5, 0.4, 0.3], law="bernoulli", concentration=2.0, name="u"), _valid_bai),
    (dpi.soare_dp_instance, dict(d=3, K=5, omega=0.5, law="bernoulli", concentration=2.0, seed=0), _valid_bai),
    (dpi.random_unstructured_instance, dict(K=4, rng=0, low=0.05, high=0.95, law="bernoulli", min_gap=0.02), _valid_bai),
    (dpi.random_linear_instance, dict(K=5, d=3, rng=0, law="bernoulli", min_gap=0.02), _valid_bai),
    (dpi.hard_instance, dict(family="linear_gaps", K=4, delta=0.05, alpha=1.0, law="bernoulli"), _valid_bai),
    (dpi.alternative_instance, dict(base=_BASE_INST, arm=1), _valid_bai),
    (oi.policeman_burglar, dict(n=12, theta=0.8, seed=1), _valid_problem),
    (oi.policeman_burglar_matrix, dict(n=12, theta=0.8, seed=1), _valid_matrix),
    (oi.ouyang_xu_qp, dict(n=10), _valid_problem),
    (oi.cocoercive_family, dict(n=8, d=4, L=1.0, low=0.5, seed=0), _valid_problem),
    (oi.coordinate_split_game, dict(n=8, seed=0), _valid_problem),
    (oi.negation, dict(d=2), _valid_problem),
    (oi.random_nonexpansive, dict(d=4, seed=0, rotation=False), _valid_problem),
    (oi.random_cocoercive, dict(d=4, seed=0), _valid_problem),
    (oi.random_monotone, dict(d=4, seed=0, skew_weight=1.0), _valid_problem),
    (oi.finite_sum_monotone, dict(n=8, d=4, seed=0, mono=0.1), _valid_problem),
    (FiniteSumOperator.from_components, dict(Ms=np.stack([np.eye(2), 3 * np.eye(2)]), cs=None), _valid_op),
    (FiniteSumOperator.column_split, dict(B=np.array([[0.0, 1.0], [-1.0, 0.0]]), c=None, groups=[[0], [1]]), _valid_op),
    (_full, dict(z=np.ones(2)), _finite_vector),
    (_component, dict(i=1, z=np.ones(2)), _finite_vector),
    (_check_monotone, dict(seed=0, pairs=8, cocoercive=None), lambda r: r is True),
]


@pytest.mark.parametrize("fn, base, valid", CONSTRUCTORS, ids=[c[0].__name__ for c in CONSTRUCTORS])
def test_the_base_call_is_valid(fn, base, valid):
    status, result = _call(fn, dict(base))
    assert status == "ok" and valid(result)


@pytest.mark.parametrize("fn, base, valid", CONSTRUCTORS, ids=[c[0].__name__ for c in CONSTRUCTORS])
@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "30")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_bad_values_give_a_clear_error_or_a_valid_result(fn, base, valid, data):
    names = data.draw(st.lists(st.sampled_from(sorted(base)), min_size=1, max_size=2, unique=True))
    kwargs = dict(base)
    for name in names:
        kwargs[name] = data.draw(BAD)
    status, result = _call(fn, kwargs)
    if status == "ok":
        assert valid(result), f"{fn.__name__}({kwargs!r}) returned an invalid result"
    else:
        msg = str(result)
        assert any(name in msg for name in names), f"{fn.__name__}({kwargs!r}): message {msg!r} names no parameter"
        assert "\n" not in msg


REPORTED = [  # issue 12 items 6-7 (in the modules fuzzed here)
    (lambda: dpi.random_unstructured_instance(2, 0, 0.5, 0.51), "min_gap"),
    (lambda: dpi.random_unstructured_instance(3, 0, min_gap=math.nan), "min_gap"),
    (lambda: dpi.random_linear_instance(3, 2, 0, min_gap=5), "min_gap"),
    (lambda: dpi.random_linear_instance(40, 2, 0), "min_gap"),
    (lambda: _OP.full(np.ones(5)), "z"),
    (lambda: FiniteSumOperator.column_split(np.eye(2), groups=[[0.5], [1.0]]), "groups"),
    (lambda: oi.policeman_burglar_matrix(theta=math.nan), "theta"),
    (lambda: FiniteSumOperator.column_split(np.eye(2) * (1 + 1j)), "B"),
    (lambda: _OP.check_monotone(pairs=-5), "pairs"),
]


@pytest.mark.parametrize("call, field", REPORTED)
def test_the_reported_hangs_and_garbage_are_errors(call, field):
    status, exc = _call(lambda: call(), {})
    assert status == "error" and field in str(exc)
