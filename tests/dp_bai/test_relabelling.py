"""Error probabilities do not depend on the arm labels (review issue 10, finding 5: tie bias).

Every dp_bai BAI algorithm breaks exact ties uniformly at random (kernels: priorities hashed from each
run's stream), so relabelling the arms must leave the error probability unchanged.

Property test: hypothesis draws an instance, a budget and a permutation of the arms; R = 4000 runs with
the original labels and R with the permuted ones (independent seeds); two-sided Fisher exact test, fails
when p < 1e-4. Power: at an error rate near 0.2 a difference of 0.042 is detected with probability 0.8
(normal approximation, sd sqrt(2 p (1 - p) / R) = 0.0089, z = 3.89 + 0.84). Ten examples per algorithm:
the chance of any false alarm over the six algorithms is below 6e-3.

Regression test: the reported bias itself (Max-Det halving on SOARE-DP(5, 30, 0.5), T = 2000: 0.0243
best-first vs 0.0299 best-last with smallest-index tie-breaking) with 20,000 runs a side: before the fix
this test measured 0.0248 vs 0.0325 (z = 4.65); it fails at |z| > 3.29 (two-sided 1e-3), whose power
against the old gap of 0.0077 (sd 0.0017) is 0.9.
"""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats as sst

from theorylab.bandits.dp_bai.algorithms import min_budget, run_algorithm
from theorylab.bandits.dp_bai.instances import (linear_instance, random_linear_instance, soare_dp_instance,
                                                unstructured_instance)
from theorylab.core.seeding import seed_sequence

R = 4000
P_FAIL = 1e-4
UNSTRUCTURED_ALGS = ("dp_bai", "max_det_halving", "dp_sh", "dp_sr")
LINEAR_ALGS = ("dp_bai", "max_det_halving", "dp_od", "od_linbai")


def _relabelled(inst, perm):
    return linear_instance(inst.arms[perm], inst.theta, law=inst.law)


def _errors(inst, alg, budget, key, eps):
    seeds = seed_sequence(0, key).generate_state(R, dtype=np.uint64)
    return int(np.count_nonzero(run_algorithm(inst, alg, budget, seeds, eps) != inst.best_arm))


def _assert_same_error(inst, alg, units, perm, eps, tag):
    budget = int(min_budget(alg, inst) * units)
    other = _relabelled(inst, np.asarray(perm))
    a = _errors(inst, alg, budget, ("relabel", tag, "a"), eps)
    b = _errors(other, alg, budget, ("relabel", tag, "b"), eps)
    p = sst.fisher_exact([[a, R - a], [b, R - b]]).pvalue
    assert p >= P_FAIL, (alg, inst.means.round(3).tolist(), perm, budget, a / R, b / R, p)


@st.composite
def _unstructured(draw):
    K = draw(st.integers(3, 6))
    # means on a coarse grid: frequent exact ties of the Bernoulli sums, one clear best arm
    rest = draw(st.lists(st.sampled_from([0.2, 0.3, 0.4, 0.5, 0.6]), min_size=K - 1, max_size=K - 1))
    means = [0.7] + rest
    perm = draw(st.permutations(list(range(K))))
    return unstructured_instance(means), perm


@pytest.mark.parametrize("alg", UNSTRUCTURED_ALGS)
@settings(max_examples=10, deadline=None, derandomize=True)
@given(case=_unstructured(), units=st.sampled_from([1, 2, 4]), eps=st.sampled_from([0.5, 5.0, float("inf")]))
def test_error_probability_invariant_to_relabelling_unstructured(alg, case, units, eps):
    inst, perm = case
    _assert_same_error(inst, alg, units, perm, eps, (alg, tuple(perm), units, eps, tuple(inst.means)))


@st.composite
def _linear(draw):
    K = draw(st.integers(4, 8))
    d = draw(st.integers(2, 3))
    inst = random_linear_instance(K, d, draw(st.integers(0, 50)))
    top = np.sort(inst.means)[::-1]
    assume(top[0] - top[1] >= 0.05)             # a unique best arm, else "error" depends on the labels
    return inst, draw(st.permutations(list(range(K))))


@pytest.mark.parametrize("alg", LINEAR_ALGS)
@settings(max_examples=10, deadline=None, derandomize=True)
@given(case=_linear(), units=st.sampled_from([1, 3, 8]), eps=st.sampled_from([1.0, float("inf")]))
def test_error_probability_invariant_to_relabelling_linear(alg, case, units, eps):
    inst, perm = case
    _assert_same_error(inst, alg, units, perm, eps, (alg, tuple(perm), units, eps, inst.key()))


def test_the_reported_tie_bias_is_gone():
    inst = soare_dp_instance(5, 30, 0.5)
    last = _relabelled(inst, np.r_[1:inst.K, 0])          # the best arm moved from index 0 to index K - 1
    n = 20000
    seeds = seed_sequence(0, "relabel.regression").generate_state(n, dtype=np.uint64)
    pa = float(np.mean(run_algorithm(inst, "max_det_halving", 2000, seeds) != inst.best_arm))
    pb = float(np.mean(run_algorithm(last, "max_det_halving", 2000, seeds) != last.best_arm))
    z = (pb - pa) / np.sqrt(pa * (1 - pa) / n + pb * (1 - pb) / n)
    assert abs(z) < 3.29, (pa, pb, z)
