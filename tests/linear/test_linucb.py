"""LinUCB / OFUL: the rank-one kernel against the from-scratch reference (property 10), coverage, validation."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from theorylab.bandits.linear import reference
from theorylab.bandits.linear.instances import linear_instance, random_sparse_instance
from theorylab.bandits.linear.linucb import linucb, oful_radius
from theorylab.core.seeding import repetition_seeds
from theorylab.core.streams import init_states


def _generic(K, d, seed, sigma):
    """Features with distinct random norms: no exact index ties, so the kernel's fused floating-point sums and
    the reference's follow the same trajectory (exact ties would be broken by the same draw but rounding can
    turn an exact tie into a near-tie)."""
    base = random_sparse_instance(K, d, d, 0.0, seed=seed, sigma=sigma)
    phi = base.features * np.random.default_rng(seed).uniform(0.5, 1.0, (K, 1))
    return linear_instance(phi, phi @ base.theta, base.theta, 0.0, sigma=sigma)


@settings(max_examples=10, deadline=None)
@given(K=st.integers(3, 40), d=st.integers(1, 6), seed=st.integers(0, 2**31 - 1), sigma=st.floats(0.05, 1.0))
def test_property_rank_one_kernel_matches_the_from_scratch_reference(K, d, seed, sigma):
    inst = _generic(K, d, seed, sigma)
    sd = repetition_seeds(seed, "linucb", 3)
    res = linucb(inst, 150, sd, record_coverage=True, resync=37)
    reg, cov, _ = reference.linucb(inst.features, inst.rewards, inst.theta, sigma, 150, 1.0, 1.0, 0.05, init_states(sd))
    np.testing.assert_allclose(res.regret[:, 0], reg, rtol=1e-9, atol=1e-9)
    assert np.array_equal(res.covered, cov)


def test_a_run_depends_on_its_own_seed_only():
    inst = _generic(20, 4, 3, 0.3)
    sd = repetition_seeds(0, "batch", 5)
    full = linucb(inst, 300, sd)
    part = linucb(inst, 300, sd[2:])
    np.testing.assert_array_equal(full.regret[2:], part.regret)


def test_checkpoints_are_cumulative_and_regret_grows_sublinearly_when_well_specified():
    inst = random_sparse_instance(50, 5, 5, 0.0, seed=4, sigma=0.3)
    ck = np.array([100, 1000, 4000])
    res = linucb(inst, 4000, repetition_seeds(0, "ck", 4), checkpoints=ck)
    assert np.all(np.diff(res.regret, axis=1) >= 0)
    per_round = res.regret.mean(axis=0) / ck
    assert per_round[-1] < per_round[0]


def test_radius_variants_run_and_the_misspecified_bonus_widens_the_radius():
    inst = random_sparse_instance(30, 4, 2, 0.1, seed=1, sigma=0.2)
    sd = repetition_seeds(0, "radii", 2)
    for radius in ("self_normalised", "closed_form", "constant"):
        assert linucb(inst, 200, sd, radius=radius).regret.shape == (2, 1)
    assert oful_radius(1.0, 2.0, 0.05, 1.0, 1.0) > oful_radius(1.0, 0.0, 0.05, 1.0, 1.0)


@pytest.mark.parametrize("kwargs, match", [
    ({"horizon": 0}, "horizon"), ({"lam": 0.0}, "lam"), ({"p": 1.0}, "p"), ({"radius": "x"}, "radius"),
    ({"checkpoints": [5, 3]}, "checkpoints"), ({"checkpoints": [0]}, "checkpoints"),
    ({"radius_scale": -1.0}, "radius_scale"), ({"resync": 0}, "resync"),
])
def test_linucb_refuses_bad_arguments(kwargs, match):
    inst = random_sparse_instance(10, 3, 1, 0.0, seed=0, sigma=0.1)
    args = {"horizon": 10}
    args.update(kwargs)
    with pytest.raises((ValueError, TypeError), match=match):
        linucb(inst, args.pop("horizon"), repetition_seeds(0, "bad", 1), **args)
