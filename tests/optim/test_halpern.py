import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from theorylab.optim import bounds
from theorylab.optim.halpern import cocoercive_halpern, eag, extragradient, feg, halpern, record_points
from theorylab.optim.instances import (cocoercive_family, negation, random_cocoercive, random_monotone,
                                       random_nonexpansive)
from theorylab.optim.reference import reference_feg, reference_halpern


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 20), st.integers(0, 10_000), st.booleans())
def test_halpern_residual_never_exceeds_lieder_bound(d, seed, rotation):
    pb = random_nonexpansive(d, seed=seed, rotation=rotation)
    h = halpern(pb, 200, eta=1.0)
    k = np.arange(1, 201)
    assert np.all(h.residual[1:] <= bounds.lieder_bound(k, pb.D) + 1e-10)


def test_halpern_is_tight_on_negation_at_even_k():
    h = halpern(negation(), 50, eta=2.0)
    k = np.arange(0, 51, 2)
    assert np.allclose(2 * h.residual[k], 2.0 / (k + 1), rtol=1e-12)
    assert np.allclose(h.residual[1::2], 0.0, atol=1e-14)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 20), st.integers(0, 10_000))
def test_cocoercive_halpern_residual_never_exceeds_L_D_over_k_plus_1(d, seed):
    pb = random_cocoercive(d, seed=seed)
    h = cocoercive_halpern(pb, 200)
    assert np.all(h.residual <= bounds.cocoercive_halpern_bound(np.arange(201), pb.L, pb.D) * (1 + 1e-10))


@settings(max_examples=25, deadline=None)
@given(st.integers(2, 20), st.integers(0, 10_000), st.sampled_from([0.0, 1.0, 10.0]))
def test_feg_residual_never_exceeds_2_L_D_over_k(d, seed, skew):
    pb = random_monotone(d, seed=seed, skew_weight=skew)
    h = feg(pb, 200)
    assert np.all(h.residual[1:] <= bounds.feg_bound(np.arange(1, 201), pb.L_F, pb.D) * (1 + 1e-10))


def test_kernels_match_numpy_reference_iterates_and_calls():
    pb = cocoercive_family(7, d=4)
    xs, calls = reference_halpern(pb, 15, eta=1.0 / pb.L_F)
    h = halpern(pb, 15, eta=1.0 / pb.L_F, save_iterates=True)
    assert np.allclose(h.iterates, np.array(xs), atol=1e-12)
    assert h.calls[-1] == calls == 15 * 7
    pm = random_monotone(5, seed=2)
    zs, calls = reference_feg(pm, 10, pm.L_F)
    f = feg(pm, 10)
    assert np.allclose(f.x_final, zs[-1], atol=1e-12) and f.calls[-1] == calls


def test_extragradient_and_eag_count_two_full_passes_per_iteration():
    pb = random_monotone(4)
    assert extragradient(pb, 5, eta=0.1).calls[-1] == 10
    assert eag(pb, 5, eta=0.1).calls[-1] == 10


def test_budget_stops_the_run_and_leaves_nan_records():
    pb = cocoercive_family(10, d=3)
    h = halpern(pb, 100, eta=1.0, max_calls=55)
    assert np.isnan(h.residual[-1]) and h.calls.max() == 60


def test_record_points_and_invalid_arguments():
    assert record_points(100, 5).tolist() == [0, 25, 50, 75, 100]
    g = record_points(1000, 10, geometric=True)
    assert g[0] == 0 and g[-1] == 1000
    pb = negation()
    with pytest.raises(ValueError, match="eta"):
        halpern(pb, 5, eta=0.0)
    with pytest.raises(ValueError, match="K"):
        halpern(pb, -1)
    with pytest.raises(ValueError, match="anchor"):
        halpern(pb, 5, anchor=(2.0, 1.0, 1.0))
    with pytest.raises(TypeError, match="problem"):
        halpern("not a problem", 5)
    with pytest.raises(ValueError, match="record_at"):
        halpern(pb, 5, record_at=[7])
