"""Exact comparators: OPT_seq by DP against brute force, the chain, the fixed-arm prefix."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from theorylab.bandits.tallying.exact import chain_slack_bound, fixed_arm_losses, opt_fixed, opt_sequence
from theorylab.bandits.tallying.hard_instances import hidden_practice_instance, password_instance
from theorylab.bandits.tallying.instances import random_reo_instance
from theorylab.bandits.tallying.reference import reference_tallies


def _brute_force(inst, T):
    best = np.full(T, np.inf)
    for seq in itertools.product(range(inst.K), repeat=T):
        x = reference_tallies(inst, seq)
        run = np.cumsum([float(inst.loss(a, xx)) for a, xx in zip(seq, x)])
        best = np.minimum(best, run)      # prefixes of length t are themselves sequences
    return best


@pytest.mark.parametrize("ic", [True, False])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_dp_equals_brute_force_on_tiny_instances(ic, seed):
    inst = random_reo_instance(2, 3, seed, include_current=ic, margin=0.0)
    assert np.allclose(opt_sequence(inst, 7), _brute_force(inst, 7), atol=1e-12)


@pytest.mark.parametrize("ic", [True, False])
def test_dp_equals_brute_force_without_reo(ic):
    inst = password_instance(3, [0, 0, 1], include_current=ic)
    assert np.allclose(opt_sequence(inst, 7), _brute_force(inst, 7), atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(K=st.integers(1, 3), m=st.integers(1, 4), T=st.integers(1, 60), seed=st.integers(0, 2**32 - 1),
       ic=st.booleans())
def test_chain_T_mu_star_le_opt_seq_le_opt_fixed_le_upper_end(K, m, T, seed, ic):
    inst = random_reo_instance(K, m, seed, include_current=ic)
    seq, fixed = opt_sequence(inst, T), opt_fixed(inst, T)
    t = np.arange(1, T + 1)
    assert np.all(t * inst.mu_star <= seq + 1e-9)
    assert np.all(seq <= fixed + 1e-9)
    assert np.all(fixed <= t * inst.mu_star + chain_slack_bound(inst) + 1e-9)


def test_the_m_minus_1_form_of_the_upper_end_fails_without_the_current_play():
    """Spec 2.5 writes C_const <= T mu* + (m - 1)(f_max - mu*); with lags 1..m the warm-up is m plays."""
    m, T = 4, 50
    inc = hidden_practice_instance(3, m, best=0, include_current=True)
    exc = hidden_practice_instance(3, m, best=0, include_current=False)
    assert opt_fixed(inc, T)[-1] - T * inc.mu_star == m - 1          # attained: the bound is tight
    assert opt_fixed(exc, T)[-1] - T * exc.mu_star == m              # exceeds (m - 1)(1 - 0)
    assert chain_slack_bound(exc) == m


@settings(max_examples=40, deadline=None)
@given(K=st.integers(1, 5), m=st.integers(1, 8), seed=st.integers(0, 2**32 - 1), ic=st.booleans())
def test_fixed_comparator_is_nondecreasing_and_affine_after_the_warmup(K, m, seed, ic):
    inst = random_reo_instance(K, m, seed, include_current=ic)
    T = 3 * m + 5
    G = fixed_arm_losses(inst, T)
    C = opt_fixed(inst, T)
    assert np.all(np.diff(C) >= -1e-12)
    w = inst.warmup + 1                                   # first time with a full tally for constant play
    t = np.arange(w, T + 1)
    expect = (G[:, w - 1][:, None] + (t - w)[None, :] * inst.full_means[:, None]).min(axis=0)
    assert np.allclose(C[w - 1:], expect, atol=1e-9)


def test_fixed_arm_losses_match_the_per_step_reference():
    inst = random_reo_instance(3, 5, 7, include_current=False)
    G = fixed_arm_losses(inst, 20)
    for a in range(3):
        acts = np.full(20, a)
        run = np.cumsum([float(inst.loss(a, x)) for x in reference_tallies(inst, acts)])
        assert np.allclose(G[a], run, atol=1e-12)


@pytest.mark.parametrize("ic", [True, False])
def test_periodic_secret_play_costs_at_most_the_warmup_and_bounds_opt_seq(ic):
    from theorylab.bandits.tallying.claims import periodic_secret_cost

    for sec in ([0, 0, 1, 1], [0, 1, 1, 1], [1, 0, 1, 0]):
        inst = password_instance(4, sec, include_current=ic)
        u = periodic_secret_cost(inst, sec, 30)
        assert u <= inst.warmup
        assert opt_sequence(inst, 30)[-1] <= u + 1e-12
