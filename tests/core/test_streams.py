"""Exact laws of the per-run streams and samplers (theorylab.core.streams, theorylab.core.alias)."""

import numpy as np
import pytest
from numba import njit
from scipy import stats

from theorylab.core import alias as ba
from theorylab.core import streams as S
from theorylab.core.seeding import repetition_seeds


def _chi2_pvalue(x, pmf_fn, support):
    counts = np.array([np.count_nonzero(x == v) for v in support])
    exp = pmf_fn(support) * x.size
    keep = exp >= 5
    obs, ex = counts[keep], exp[keep]
    rest_o, rest_e = x.size - obs.sum(), x.size - ex.sum()
    if rest_e >= 5:
        obs, ex = np.append(obs, rest_o), np.append(ex, rest_e)
    return stats.chisquare(obs, ex * obs.sum() / ex.sum()).pvalue


# small compiled drivers for the inline samplers ---------------------------------------------------

@njit(cache=True)
def _ints(seed, n, size):
    out = np.empty(size, np.int64)
    s = np.uint64(seed)
    for i in range(size):
        s, out[i] = S.uniform_int(s, n)
    return out


@njit(cache=True)
def _binomials(seed, n, p, size):
    out = np.empty(size, np.int64)
    s = np.uint64(seed)
    for i in range(size):
        s, out[i] = S.binomial(s, n, p)
    return out


@njit(cache=True)
def _bernoullis(seed, p, size):
    out = np.empty(size, np.int64)
    s = np.uint64(seed)
    for i in range(size):
        s, out[i] = S.bernoulli(s, p)
    return out


@njit(cache=True)
def _categoricals(seed, cdf, size):
    out = np.empty(size, np.int64)
    s = np.uint64(seed)
    for i in range(size):
        s, out[i] = S.categorical(s, cdf)
    return out


@njit(cache=True)
def _gammas(seed, a, size):
    out = np.empty(size)
    s = np.uint64(seed)
    for i in range(size):
        s, out[i] = S.gamma(s, a)
    return out


@njit(cache=True)
def _betas(seed, a, b, size):
    out = np.empty(size)
    s = np.uint64(seed)
    for i in range(size):
        s, out[i] = S.beta(s, a, b)
    return out


@njit(cache=True)
def _normal_vectors(seed, d, size):
    out = np.empty((size, d))
    s = np.uint64(seed)
    for i in range(size):
        s = S.normal_vector(s, out[i])
    return out, s


@njit(cache=True)
def _argbest(seed, values, size, minimum):
    out = np.empty(size, np.int64)
    s = np.uint64(seed)
    for i in range(size):
        if minimum:
            s, out[i] = S.argmin_random_ties(s, values)
        else:
            s, out[i] = S.argmax_random_ties(s, values)
    return out, s


# seeds -> states ---------------------------------------------------------------------------------

def test_init_states_is_numpys_generate_state_bit_for_bit():
    seeds = repetition_seeds(7, {"cell": 3, "x": 0.5}, 300) + [np.random.SeedSequence(2**70 + 5)]
    expect = np.array([s.generate_state(1, dtype=np.uint64)[0] for s in seeds], dtype=np.uint64)
    assert np.array_equal(S.init_states(seeds), expect)
    # a sub-batch gets the same states: a run's stream never depends on its batch
    assert np.array_equal(S.init_states(seeds[100:110]), expect[100:110])
    assert np.array_equal(S.init_states([5, 2**64 + 1]), np.array([5, 1], np.uint64))
    with pytest.raises(TypeError, match="seeds"):
        S.init_states(np.random.SeedSequence(1))
    with pytest.raises(TypeError, match="seeds"):
        S.init_states(["a"])


# uniform words and integers ----------------------------------------------------------------------

def test_uniform_is_open_unit_and_uniform():
    u = S.draw_batch(np.array([7], dtype=np.uint64), "uniform", 50000)
    assert u.min() > 0 and u.max() < 1 and stats.kstest(u, "uniform").pvalue > 1e-4


def test_word_ahead_and_skip_word_agree_with_next_word():
    @njit
    def check(s0):
        s = s0
        ok = True
        for q in range(1, 6):
            s, w = S.next_word(s)
            ok = ok and w == S.word_ahead(s0, q)
        return ok and s == S.skip_word(S.skip_word(S.skip_word(S.skip_word(S.skip_word(s0)))))
    assert check(np.uint64(12345))


@pytest.mark.parametrize("n", [1, 2, 3, 7, 10, 1000, 2**31 + 11])
def test_uniform_int_is_uniform_on_its_range(n):
    x = _ints(n * 31 + 1, n, 60000)
    assert x.min() >= 0 and x.max() < n
    if n == 1:
        assert np.all(x == 0)
    elif n <= 1000:
        assert _chi2_pvalue(x, lambda v: np.full(v.size, 1.0 / n), np.arange(n)) > 1e-4
    else:
        assert stats.kstest(x / n, "uniform").pvalue > 1e-4


# exponential, Laplace, normal, Gamma, Beta -------------------------------------------------------

def test_exponential_and_laplace_samplers_match_their_laws_including_the_tail():
    st_ = np.array([20261127], dtype=np.uint64)
    e = S.draw_batch(st_, "exponential", 1_000_000)
    assert stats.kstest(e, "expon").pvalue > 1e-4
    # beyond the base layer's edge (7.697) only the tail branch produces values: P(E > 8) = e^-8
    hits = int(np.count_nonzero(e > 8.0))
    ci = stats.binomtest(hits, e.size).proportion_ci(0.999)
    assert ci.low <= np.exp(-8.0) <= ci.high
    z = S.draw_batch(st_, "laplace", 1_000_000)
    assert stats.kstest(z, "laplace").pvalue > 1e-4
    assert abs(np.mean(z > 0) - 0.5) < 5 * 0.5 / 1000


def test_laplace_matrix_rows_are_the_runs_own_streams():
    state = np.arange(5, dtype=np.uint64)
    m = S.laplace_matrix(state.copy(), 4)
    for r in range(5):
        assert np.array_equal(m[r], S.draw_batch(np.array([r], np.uint64), "laplace", 4))


def test_normal_and_normal_vector_are_standard_normal():
    z = S.draw_batch(np.array([11], dtype=np.uint64), "normal", 200000)
    assert stats.kstest(z, "norm").pvalue > 1e-4
    v, s = _normal_vectors(11, 3, 40000)
    assert stats.kstest(v.ravel(), "norm").pvalue > 1e-4
    assert np.all(np.abs(np.corrcoef(v.T) - np.eye(3)) < 5 / np.sqrt(40000))       # independent coordinates
    # normal_vector is normal drawn coordinate by coordinate
    assert np.array_equal(v[:2].ravel(), S.draw_batch(np.array([11], np.uint64), "normal", 6))


@pytest.mark.parametrize("a", [0.3, 1.0, 4.5])
def test_gamma_matches_its_law(a):
    assert stats.kstest(_gammas(3, a, 50000), stats.gamma(a).cdf).pvalue > 1e-4


def test_beta_matches_its_law():
    assert stats.kstest(_betas(7, 0.4, 1.6, 50000), stats.beta(0.4, 1.6).cdf).pvalue > 1e-4
    assert stats.kstest(_betas(8, 5.0, 2.0, 50000), stats.beta(5.0, 2.0).cdf).pvalue > 1e-4


# Bernoulli, categorical, Binomial ----------------------------------------------------------------

@pytest.mark.parametrize("p", [0.0, 0.03, 0.5, 0.97, 1.0])
def test_bernoulli_matches_its_law(p):
    x = _bernoullis(5, p, 100000)
    ci = stats.binomtest(int(x.sum()), x.size).proportion_ci(0.9999)
    assert ci.low <= p <= ci.high and set(np.unique(x)) <= {0, 1}


def test_categorical_matches_its_law():
    prob = np.array([0.1, 0.0, 0.45, 0.25, 0.2])
    x = _categoricals(9, np.cumsum(prob), 100000)
    assert not np.any(x == 1)
    assert _chi2_pvalue(x, lambda v: prob[v], np.arange(5)) > 1e-4


@pytest.mark.parametrize("n,p", [(1, 0.3), (5, 0.5), (60, 0.9), (100, 0.02), (2000, 0.5), (1300, 0.999)])
def test_table_free_binomial_matches_exact_pmf(n, p):
    x = _binomials(n * 7 + 1, n, p, 50000)
    assert x.min() >= 0 and x.max() <= n
    lo, hi = int(stats.binom.ppf(1e-6, n, p)), int(stats.binom.ppf(1 - 1e-6, n, p))
    assert _chi2_pvalue(x, lambda v: stats.binom.pmf(v, n, p), np.arange(lo, hi + 1)) > 1e-4
    assert np.array_equal(_binomials(1, 0, 0.5, 3), [0, 0, 0]) and np.array_equal(_binomials(1, 4, 1.0, 2), [4, 4])


@pytest.mark.parametrize("n,p", [(5, 0.3), (40, 0.2), (100, 0.5), (2000, 0.9), (8000, 0.049), (17, 0.95)])
def test_alias_binomial_sampler_matches_exact_pmf(n, p):
    st = np.array([n * 1000 + int(p * 100)], dtype=np.uint64)
    x = ba.binomial_batch(st, n, p, 50000)
    lo, hi = int(stats.binom.ppf(1e-6, n, p)), int(stats.binom.ppf(1 - 1e-6, n, p))
    assert _chi2_pvalue(x, lambda v: stats.binom.pmf(v, n, p), np.arange(lo, hi + 1)) > 1e-4


@pytest.mark.parametrize("n,p", [(1, 0.3), (7, 0.5), (40, 0.02), (2666, 0.9), (6666, 0.1185), (10**6, 0.5)])
def test_binomial_window_is_the_pmf_and_drops_only_negligible_tails(n, p):
    lo, pmf = ba.binomial_window(n, p)
    k = np.arange(lo, lo + pmf.size)
    assert np.allclose(pmf, stats.binom.pmf(k, n, p), rtol=1e-9, atol=1e-300)
    dropped = stats.binom.cdf(lo - 1, n, p) + stats.binom.sf(lo + pmf.size - 1, n, p)
    assert dropped < 1e-18


@pytest.mark.parametrize("n,p", [(3, 0.5), (500, 0.37), (2666, 0.9)])
def test_alias_table_encodes_the_pmf_exactly(n, p):
    lo, pmf = ba.binomial_window(n, p)
    thresh, alias = ba.alias_build(pmf, lo)
    W = pmf.size
    implied = np.zeros(W)
    np.add.at(implied, np.arange(W), thresh / W)
    np.add.at(implied, alias - lo, (1.0 - thresh) / W)
    assert np.max(np.abs(implied - pmf)) < 1e-14
    assert np.all(alias[thresh >= 1.0] == np.arange(W)[thresh >= 1.0] + lo)    # full cells are their own alias
    words = ba.threshold_words(thresh)
    part = thresh < 1.0
    assert np.all(words[~part] == np.iinfo(np.uint64).max)
    assert all(int(w) == int(t * 2.0 ** 64) for w, t in zip(words[part], thresh[part]))


def test_alias_store_reuses_tables_and_clears_when_full():
    store = ba.AliasTables(limit=1000)
    a = store.ids(np.array([[100, 100], [0, 50]]), np.array([[0.3, 0.3], [0.3, 1.0]]))
    assert a[0, 0] == a[0, 1] >= 0 and a[1, 0] == -1 and a[1, 1] == -1 and len(store) == 1
    store.ids(np.array([10**6]), np.array([0.5]))           # goes past the limit but is kept for this call
    assert len(store) == 2
    store.ids(np.array([10]), np.array([0.5]))              # the next call starts from an empty store
    assert len(store) == 1


# the tie-break -----------------------------------------------------------------------------------

@pytest.mark.parametrize("minimum", [False, True])
def test_argbest_random_ties_is_uniform_over_the_tied_indices(minimum):
    v = np.array([0.2, 0.7, 0.1, 0.7, 0.7, 0.3, 0.7])
    if minimum:
        v = -v
    x, _ = _argbest(3, v, 80000, minimum)
    tied = np.array([1, 3, 4, 6])
    assert set(np.unique(x)) == set(tied.tolist())
    assert _chi2_pvalue(x, lambda k: np.full(k.size, 0.25), tied) > 1e-4


def test_argbest_draws_nothing_for_a_unique_best_and_finds_it():
    rng = np.random.default_rng(0)
    for _ in range(50):
        v = rng.normal(size=rng.integers(1, 12))
        i, s = _argbest(5, v, 1, False)
        j, s2 = _argbest(5, v, 1, True)
        assert i[0] == np.argmax(v) and j[0] == np.argmin(v)
        assert s == s2 == np.uint64(5)                 # the stream did not move
    x, _ = _argbest(1, np.zeros(3), 30000, False)     # all tied, including the first
    assert _chi2_pvalue(x, lambda k: np.full(k.size, 1 / 3), np.arange(3)) > 1e-4


def test_draw_batch_refuses_unknown_samplers_and_bad_state():
    with pytest.raises(ValueError, match="sampler"):
        S.draw_batch(np.array([1], np.uint64), "gamma", 5)
    with pytest.raises(ValueError, match="state"):
        S.draw_batch(np.array([1], np.int64), "uniform", 5)


BAD_STATES = [
    ([1, 2], TypeError, "state must be a numpy.ndarray"),
    (np.array([1.0]), ValueError, "state must be a uint64 array.*float64"),
    (np.array([1], np.int64), ValueError, "state must be a uint64 array.*int64"),
    (np.ones((2, 2), np.uint64), ValueError, r"state must be a 1-d array.*\(2, 2\)"),
    (np.array(3, np.uint64), ValueError, "state must be a 1-d array"),
]


@pytest.mark.parametrize("state, exc, msg", BAD_STATES)
def test_batch_helpers_name_a_bad_state(state, exc, msg):
    with pytest.raises(exc, match=msg):
        S.draw_batch(state, "uniform", 2)
    with pytest.raises(exc, match=msg):
        S.laplace_matrix(state, 2)


def test_batch_helpers_refuse_bad_sizes_samplers_and_read_only_state():
    st_ = np.array([5], np.uint64)
    with pytest.raises(ValueError, match="size must be >= 0"):
        S.draw_batch(st_, "normal", -1)
    with pytest.raises(TypeError, match="size must be an integer"):
        S.draw_batch(st_, "normal", 2.5)
    with pytest.raises(ValueError, match="m must be >= 0"):
        S.laplace_matrix(st_, -3)
    with pytest.raises(TypeError, match="m must be an integer"):
        S.laplace_matrix(st_, "4")
    with pytest.raises(ValueError, match="sampler must be one of.*'poisson'"):
        S.draw_batch(st_, "poisson", 2)
    with pytest.raises(TypeError, match="sampler must be a string"):
        S.draw_batch(st_, 0, 2)
    with pytest.raises(ValueError, match="at least 1 stream"):
        S.draw_batch(np.array([], np.uint64), "uniform", 2)
    frozen = np.array([5], np.uint64)
    frozen.flags.writeable = False
    with pytest.raises(ValueError, match="writeable"):
        S.draw_batch(frozen, "uniform", 2)
    with pytest.raises(ValueError, match="writeable"):
        S.laplace_matrix(frozen, 2)
    assert st_[0] == 5                                  # nothing was drawn by the refused calls
    # the valid edge cases still work: no draws, no runs
    assert S.draw_batch(st_, "laplace", 0).shape == (0,) and st_[0] == 5
    assert S.laplace_matrix(np.array([], np.uint64), 4).shape == (0, 4)
    assert S.laplace_matrix(st_, 0).shape == (1, 0) and st_[0] == 5
