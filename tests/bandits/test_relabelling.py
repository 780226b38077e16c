"""Relabelling invariance: no classic algorithm may prefer an arm for its index (exact ties are random).

For every classic best-arm identification and regret algorithm, hypothesis draws an instance (means on
a coarse grid, so that empirical means tie exactly and often, at small budgets) and a permutation of the
arms. The algorithm runs ``N`` repetitions on the instance and ``N`` more, on disjoint seeds, on the
relabelled instance; the outcome's law must be the same.

- BAI (Successive Rejects, Sequential Halving in both rankings): the recommended arm, mapped back to the
  original labels, compared by a chi-square test of homogeneity (the error probability is one of its
  cells). N = 3000 per side, level 1e-3. Power, error probability (two-proportion z-test, which the
  chi-square test on the 'best arm' cell reduces to): at a base error of 0.3, a shift of 0.05 is detected
  with probability 0.83, of 0.06 with probability 0.96 (se = sqrt(2 x 0.21 / 3000) = 0.0118,
  z_0.9995 = 3.29).
- Regret (UCB1, Thompson sampling, EXP3, explore-then-commit, successive elimination): the final
  pseudo-regret, two-sample Kolmogorov-Smirnov, N = 1000 per side, level 1e-3: critical distance
  D = 1.95 sqrt(2 / 1000) = 0.087, so a location shift of about 0.3 standard deviations (D ~ 0.12) is
  detected with probability about 0.8.

The examples are derandomised (fixed), as are the seeds, so the test is deterministic; with 8 examples
per algorithm and 8 algorithms the family-wise false-alarm rate of the level is at most 64e-3 before
derandomisation fixed one outcome.
"""

import numpy as np
from hypothesis import given, settings, strategies as st
from scipy import stats

from theorylab.bandits.algorithms import BAI_ALGORITHMS, REGRET_ALGORITHMS, min_budget, run_bai, run_regret
from theorylab.core.seeding import repetition_seeds

ALPHA = 1e-3
GRID = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]


@st.composite
def relabelled_instance(draw, unique_best):
    K = draw(st.integers(3, 6))
    means = np.array(draw(st.lists(st.sampled_from(GRID), min_size=K, max_size=K)))
    if unique_best and np.count_nonzero(means == means.max()) > 1:
        means[np.flatnonzero(means == means.max())[1:]] -= 0.1        # keep the other ties
    perm = np.array(draw(st.permutations(range(K))))
    return means, perm


def _homogeneity_pvalue(a, b):
    table = np.vstack([a, b])
    table = table[:, table.sum(axis=0) > 0]
    return 1.0 if table.shape[1] < 2 else stats.chi2_contingency(table)[1]


def _bai_case(algorithm):
    @settings(max_examples=8, deadline=None, derandomize=True)
    @given(relabelled_instance(unique_best=True), st.integers(0, 3))
    def check(case, extra):
        means, perm = case
        K = means.size
        budget = min_budget(algorithm, K) + extra * K
        N = 3000
        rec = run_bai(means, algorithm, budget, repetition_seeds(0, ["relabel", algorithm, "a"], N))
        # arm j of the relabelled instance is arm perm[j] of the original
        rec_p = perm[run_bai(means[perm], algorithm, budget, repetition_seeds(0, ["relabel", algorithm, "b"], N))]
        p = _homogeneity_pvalue(np.bincount(rec, minlength=K), np.bincount(rec_p, minlength=K))
        assert p > ALPHA, (means.tolist(), perm.tolist(), budget, p)
    return check


def _regret_case(algorithm):
    @settings(max_examples=8, deadline=None, derandomize=True)
    @given(relabelled_instance(unique_best=False))
    def check(case):
        means, perm = case
        N, horizon = 1000, 150
        # rounded: the same regret summed in another order of the arms differs in the last bits
        a = np.round(run_regret(means, algorithm, horizon, repetition_seeds(0, ["relabel", algorithm, "a"], N)).final, 9)
        b = np.round(run_regret(means[perm], algorithm, horizon,
                                repetition_seeds(0, ["relabel", algorithm, "b"], N)).final, 9)
        if np.ptp(np.concatenate([a, b])) == 0:         # all arms equal: regret is 0 on both sides
            return
        p = stats.ks_2samp(a, b).pvalue
        assert p > ALPHA, (means.tolist(), perm.tolist(), p)
    return check


def test_every_classic_algorithm_is_covered():
    assert set(BAI_ALGORITHMS) == {"successive_rejects", "sequential_halving", "sequential_halving_cumulative"}
    assert set(REGRET_ALGORITHMS) == {"ucb1", "thompson", "exp3", "explore_then_commit", "successive_elimination"}


test_successive_rejects_is_invariant_to_relabelling = _bai_case("successive_rejects")
test_sequential_halving_is_invariant_to_relabelling = _bai_case("sequential_halving")
test_sequential_halving_cumulative_is_invariant_to_relabelling = _bai_case("sequential_halving_cumulative")
test_ucb1_is_invariant_to_relabelling = _regret_case("ucb1")
test_thompson_is_invariant_to_relabelling = _regret_case("thompson")
test_exp3_is_invariant_to_relabelling = _regret_case("exp3")
test_explore_then_commit_is_invariant_to_relabelling = _regret_case("explore_then_commit")
test_successive_elimination_is_invariant_to_relabelling = _regret_case("successive_elimination")
