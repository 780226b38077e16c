"""Instances of the tallying topic: validation, the lag convention, REO, the hard instances."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from theorylab.bandits.tallying import kernels
from theorylab.bandits.tallying.families import FAMILY_CODES, family_loss, weight_profile
from theorylab.bandits.tallying.hard_instances import hidden_practice_instance, password_instance, unknown_memory_pair
from theorylab.bandits.tallying.instances import (inverted_u_instance, learning_curve_instance, make_instance, random_reo_instance, reo_check,
                                                  satiation_instance, sequential_cumsum)


@pytest.mark.parametrize("kwargs, name", [
    (dict(weights=[1.0, -1.0]), "weights"),
    (dict(weights=[[1.0]]), "weights"),
    (dict(families=["nope"]), "families"),
    (dict(families="linear"), "families"),
    (dict(params=[[0.5, 0.0, 1.0]]), "par"),
    (dict(params=[]), "params"),
    (dict(noise="poisson"), "noise"),
    (dict(noise="gaussian", sigma=0.0), "sigma"),
    (dict(include_current=1), "include_current"),
])
def test_make_instance_rejects_bad_input_naming_the_parameter(kwargs, name):
    base = dict(weights=[1.0, 1.0], families=["linear"], params=[[0.5, 0.0]])
    base.update(kwargs)
    with pytest.raises((ValueError, TypeError), match=name):
        make_instance(**base)


@pytest.mark.parametrize("fn, kwargs, name", [
    (learning_curve_instance, dict(K=1, m=2), "K"),
    (learning_curve_instance, dict(K=3, m=0), "m"),
    (learning_curve_instance, dict(K=3, m=2, best=5), "best"),
    (hidden_practice_instance, dict(K=3, m=2, best=-1), "best"),
    (password_instance, dict(m=4, secret=[1, 1, 1, 1]), "secret"),
    (password_instance, dict(m=4, secret=[0, 1, 2, 0]), "secret"),
    (unknown_memory_pair, dict(M=0), "M"),
    (weight_profile, dict(name="exponential", m=3, gamma=1.5), "gamma"),
    (weight_profile, dict(name="bogus", m=3), "name"),
])
def test_constructors_reject_bad_input_naming_the_parameter(fn, kwargs, name):
    with pytest.raises((ValueError, TypeError), match=name):
        fn(**kwargs)


@pytest.mark.parametrize("include_current", [True, False])
def test_constant_play_from_cold_gives_the_partial_sums_then_W(include_current):
    w = np.array([1.0, 0.5, 0.25])
    inst = make_instance(w, ["linear"], [[0.5, 0.0]], include_current=include_current)
    P = sequential_cumsum(w)
    expect = list(P) + [P[-1]] if include_current else [0.0] + list(P)
    assert inst.cold_tallies.tolist() == expect
    assert inst.warmup == (2 if include_current else 3)
    assert inst.min_tally == (1.0 if include_current else 0.0)


@settings(max_examples=40, deadline=None)
@given(K=st.integers(1, 6), m=st.integers(1, 8), seed=st.integers(0, 2**32 - 1), ic=st.booleans(),
       profile=st.sampled_from(["unweighted", "exponential", "power", "linear", "random"]))
def test_generated_instances_satisfy_reo_with_margin(K, m, seed, ic, profile):
    inst = random_reo_instance(K, m, seed, weights=profile, include_current=ic)
    rep = reo_check(inst, margin=0.02 if K > 1 else 0.0)
    assert rep.holds and rep.best == inst.info["best"]


@pytest.mark.parametrize("maker", [learning_curve_instance, satiation_instance, inverted_u_instance])
@pytest.mark.parametrize("ic", [True, False])
def test_figure_instances_satisfy_reo_and_fool_myopic_play(maker, ic):
    for seed in range(5):
        inst = maker(5, 10, seed=seed, include_current=ic)
        rep = reo_check(inst, margin=0.02)
        assert rep.holds and rep.best == inst.info["best"]
        fresh = [float(inst.loss(a, inst.min_tally)) for a in range(inst.K)]
        assert int(np.argmin(fresh)) != rep.best


def test_password_instance_violates_reo_and_codes_the_window():
    inst = password_instance(4, [0, 0, 1, 1])
    assert not reo_check(inst).holds
    # playing the secret periodically: every window from t = m on is a rotation, loss 0
    from theorylab.bandits.tallying.reference import reference_tallies
    acts = np.array([0, 0, 1, 1] * 4)[::-1].copy()          # a_t, oldest first: window (a_t, a_{t-1}, ..)
    x = reference_tallies(inst, acts)
    losses = [float(inst.loss(int(a), xx)) for a, xx in zip(acts, x)]
    assert all(v == 0.0 for v in losses[3:])


@settings(max_examples=60, deadline=None)
@given(code=st.sampled_from(sorted(FAMILY_CODES.values())), seed=st.integers(0, 2**32 - 1))
def test_numpy_family_formulas_equal_the_kernel_switch(code, seed):
    rng = np.random.default_rng(seed)
    par = np.array([rng.uniform(0, 0.5), rng.uniform(-0.5, 0.5), rng.uniform(0.1, 1.0), rng.uniform(0.5, 2.0)])
    table = rng.uniform(0, 1, size=(1, 9))
    par2 = par.copy()
    if code == 6:
        par2[0] = 4.0
    W = 2.0
    xs = rng.uniform(0, W, size=8)
    ref = family_loss(code, par2, table[0], xs, W)
    got = [kernels.mean_loss(np.array([code]), par2[None, :], table, W, 0, float(x)) for x in xs]
    assert np.allclose(ref, got, rtol=0, atol=1e-15)


def test_unknown_memory_pair_agrees_for_the_first_plays_of_arm_1():
    small, big = unknown_memory_pair(6)
    from theorylab.bandits.tallying.reference import reference_tallies
    acts = np.ones(6, dtype=np.int64)
    ls = [float(small.loss(1, x)) for x in reference_tallies(small, acts)]
    lb = [float(big.loss(1, x)) for x in reference_tallies(big, acts)]
    assert ls[:5] == lb[:5] == [1.0] * 5 and lb[5] == 0.0
