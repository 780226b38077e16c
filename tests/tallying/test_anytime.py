"""Anytime WTB-SE (the doubling trick on phases T_k = 2^k; docs/topics/tallying.md#anytime-variant)."""

import numpy as np
import pytest

from theorylab.bandits.tallying.algorithms import run_algorithm, wtb_se
from theorylab.bandits.tallying.instances import learning_curve_instance
from theorylab.core.seeding import repetition_seeds


def _phases(T):
    """Lengths of the phases the anytime run starts before T (the last one truncated)."""
    out, t, k = [], 0, 1
    while t < T:
        out.append(min(2 ** k, T - t))
        t += 2 ** k
        k += 1
    return out


@pytest.mark.parametrize("ic", [True, False])
def test_anytime_block_path_equals_its_per_step_path_under_deterministic_losses(ic):
    inst = learning_curve_instance(4, 5, seed=2, include_current=ic, noise="deterministic")
    ck = np.arange(1, 3001)
    a = wtb_se(inst, 3000, repetition_seeds(0, "any", 1), M=6, anytime=True, ckpt=ck)
    b = wtb_se(inst, 3000, repetition_seeds(0, "any", 1), M=6, anytime=True, path="per_step", ckpt=ck)
    assert np.allclose(a.pseudo, b.pseudo, atol=1e-9) and a.bad_kept[0] == b.bad_kept[0] == 0


@pytest.mark.parametrize("ic", [True, False])
def test_each_phase_costs_at_most_a_cold_known_horizon_run(ic):
    """Noise-free, decreasing losses: a phase decides exactly as the known-T_k algorithm (its kept samples
    are at full tally) and a warm history only lowers losses, so cpr_upper(T) of the anytime run is at
    most the sum over phases of the known-T_k run's cpr_upper (each per-step loss >= mu* under REO)."""
    inst = learning_curve_instance(4, 5, seed=1, include_current=ic, noise="deterministic")
    T = 5000
    anytime = wtb_se(inst, T, repetition_seeds(0, "ph", 1), M=5, anytime=True).final("upper")[0]
    parts = [wtb_se(inst, 2 ** (k + 1), repetition_seeds(0, "ph", 1), M=5,
                    ckpt=np.array([n])).final("upper")[0] for k, n in enumerate(_phases(T))]
    assert anytime <= sum(parts) + 1e-9
    assert anytime >= 0.9 * sum(parts)           # the warm start saves little: the bound is nearly attained


def test_anytime_matches_the_known_horizon_order_on_a_fixed_instance():
    """Bernoulli losses, 30 runs: the anytime run stays within the doubling trick's extra log factor of
    the known-T run (ratio <= log2 T) and within 10% of the phase decomposition (t intervals)."""
    inst = learning_curve_instance(5, 5, seed=3)
    T, reps = 2 ** 16, 30
    known = wtb_se(inst, T, repetition_seeds(1, "ord-k", reps), M=10).final("upper")
    anytime = run_algorithm("wtb_se_anytime", inst, T, repetition_seeds(1, "ord-a", reps), M=10).final("upper")
    assert anytime.mean() / known.mean() <= np.log2(T)
    parts = sum(wtb_se(inst, 2 ** (k + 1), repetition_seeds(1, ("ord-p", k), reps), M=10,
                       ckpt=np.array([n])).final("upper").mean() for k, n in enumerate(_phases(T)))
    assert 0.9 <= anytime.mean() / parts <= 1.1


def test_anytime_refuses_a_delta():
    inst = learning_curve_instance(3, 2, seed=0)
    with pytest.raises(ValueError, match="delta"):
        wtb_se(inst, 100, repetition_seeds(0, "x", 1), M=2, anytime=True, delta=0.1)
