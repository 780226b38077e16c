import numpy as np
import pytest

from theorylab.core.stats import slope_fit
from theorylab.optim.instances import cocoercive_family, finite_sum_monotone, policeman_burglar
from theorylab.optim.reference import (reference_minibatch_correction, reference_page_halpern, reference_vr_eg,
                                       reference_vr_forb)
from theorylab.optim.vr_halpern import (exact_resolvent, inexact_halpern, page_expected_calls, page_halpern,
                                        vr_eg, vr_forb)


def test_page_halpern_kernel_matches_reference_iterates_and_instrumented_calls():
    pb = cocoercive_family(30, d=4)
    K = 40
    h = page_halpern(pb, K, seed=np.random.default_rng(5), save_iterates=True)
    xs, calls = reference_page_halpern(pb, K, np.random.default_rng(5), eta=1.0 / pb.L, b=5)
    assert np.allclose(h.iterates, np.array(xs), atol=1e-12)
    assert h.calls[-1] == calls


def test_page_halpern_with_projection_matches_reference():
    pb = policeman_burglar(12)
    h = page_halpern(pb, 20, seed=np.random.default_rng(1), eta=0.01, save_iterates=True)
    xs, calls = reference_page_halpern(pb, 20, np.random.default_rng(1), eta=0.01, b=3)
    assert np.allclose(h.iterates, np.array(xs), atol=1e-12) and h.calls[-1] == calls


def test_same_seed_same_iterates():
    pb = cocoercive_family(20, d=3)
    a = page_halpern(pb, 100, seed=7)
    b = page_halpern(pb, 100, seed=7)
    assert np.array_equal(a.residual, b.residual) and np.array_equal(a.calls, b.calls)


def test_full_batch_page_equals_always_refresh():
    pb = cocoercive_family(16, d=3)
    a = page_halpern(pb, 50, seed=1, batch_size=16, save_iterates=True)
    b = page_halpern(pb, 50, seed=1, refresh="always", save_iterates=True)
    assert np.allclose(a.iterates, b.iterates, atol=1e-12)


def test_always_refresh_is_the_deterministic_anchored_step():
    pb = cocoercive_family(8, d=3)
    h = page_halpern(pb, 30, seed=0, refresh="always", save_iterates=True)
    x0 = pb.x0
    x = x0.copy()
    for k in range(30):
        lam = 2.0 / (k + 4)
        x = lam * x0 + (1 - lam) * x - (1.0 / pb.L) * pb.operator.full(x)
    assert np.allclose(h.x_final, x, atol=1e-13)
    assert h.calls[-1] == 30 * 8


def test_minibatch_correction_is_unbiased():
    pb = cocoercive_family(25, d=3)
    rng = np.random.default_rng(0)
    x, xp = rng.standard_normal(3), rng.standard_normal(3)
    target = pb.operator.full(x) - pb.operator.full(xp)
    draws = np.array([reference_minibatch_correction(pb.operator, x, xp, 5, rng) for _ in range(4000)])
    se = draws.std(axis=0, ddof=1) / np.sqrt(draws.shape[0])
    assert np.all(np.abs(draws.mean(axis=0) - target) <= 4 * se + 1e-12)


def test_page_calls_match_expected_accounting():
    pb = cocoercive_family(100, d=3)
    c = [page_halpern(pb, 500, seed=s, record_at=[500]).calls[-1] for s in range(30)]
    assert np.mean(c) == pytest.approx(page_expected_calls(100, 500), rel=0.03)


def test_vr_eg_and_vr_forb_match_references():
    pb = finite_sum_monotone(10, d=4)
    h = vr_eg(pb, 200, seed=np.random.default_rng(3))
    xs, calls = reference_vr_eg(pb, 200, np.random.default_rng(3), tau=0.99 * np.sqrt(0.1) / pb.L, p=0.1)
    assert np.allclose(h.x_final, xs[-1], atol=1e-12) and h.calls[-1] == calls
    for snap in ("inner", "outer"):
        v, calls, _ = vr_forb(pb, pb.x0 + 1, 150, seed=np.random.default_rng(4), snapshot=snap)
        eta = np.sqrt(10) / pb.L
        gamma = 0.5 * np.sqrt(0.1 * 0.9) / (eta * pb.L + 1)
        vs, rcalls = reference_vr_forb(pb, pb.x0 + 1, 150, np.random.default_rng(4), eta, 0.1, gamma, snap)
        assert np.allclose(v, vs[-1], atol=1e-12) and calls == rcalls


def test_vr_forb_error_to_exact_resolvent_decreases_geometrically():
    pb = finite_sum_monotone(16, d=5)
    eta = np.sqrt(16) / pb.L
    c = pb.x0 + 1.0
    u = exact_resolvent(pb, c, eta)
    errs = np.mean([vr_forb(pb, c, 2000, seed=s, u_star=u, record_at=np.arange(0, 2001, 100))[2]
                    for s in range(5)], axis=0)
    fit = slope_fit(np.arange(0, 2001, 100), errs, log_y=True)
    assert fit.high < 0 and errs[-1] < 1e-3 * errs[0]


def test_inexact_halpern_residual_decreases_and_counts_inner_calls():
    pb = finite_sum_monotone(16, d=4)
    h = inexact_halpern(pb, 20, seed=0, inner_scale=2.0)
    assert h.residual[-1] < 0.2 * h.residual[0]
    assert h.calls[-1] > 20 * 16


@pytest.mark.parametrize("snapshot", ["inner", "outer"])
def test_the_two_oracle_counting_conventions_differ_by_exactly_n_per_outer_step(snapshot):
    # theorylab charges the inner solver's initial full evaluation (n calls) at every outer step; the
    # authors' matrix_game.py does not. Same seed: same iterates, counts n * k apart after k outer steps.
    pb = policeman_burglar(12)
    rec = np.arange(0, 41, 5)
    ours = inexact_halpern(pb, 40, seed=3, snapshot=snapshot, inner_scale=0.5, record_at=rec, save_iterates=True)
    auth = inexact_halpern(pb, 40, seed=3, snapshot=snapshot, inner_scale=0.5, record_at=rec, save_iterates=True,
                           count_inner_init=False)
    assert np.array_equal(ours.iterates, auth.iterates)
    assert np.array_equal(ours.residual, auth.residual)
    assert np.array_equal(ours.calls - auth.calls, pb.n * rec)
    assert np.allclose(ours.epochs - auth.epochs, rec)


def test_the_authors_counting_reaches_more_outer_steps_within_the_same_budget():
    pb = policeman_burglar(12)
    budget = 60 * pb.n
    ours = inexact_halpern(pb, 400, seed=0, inner_scale=0.5, max_calls=budget, record_at=np.arange(401))
    auth = inexact_halpern(pb, 400, seed=0, inner_scale=0.5, max_calls=budget, record_at=np.arange(401),
                           count_inner_init=False)
    reached = lambda h: int(h.iterations[h.calls >= 0].max())
    assert reached(auth) > reached(ours)


def test_count_inner_init_must_be_a_bool():
    with pytest.raises(TypeError, match="count_inner_init"):
        inexact_halpern(finite_sum_monotone(8, d=2), 3, count_inner_init="authors")


def test_invalid_arguments_are_rejected():
    pb = cocoercive_family(9, d=2)
    with pytest.raises(ValueError, match="refresh"):
        page_halpern(pb, 5, refresh="sometimes")
    with pytest.raises(ValueError, match="batch_size"):
        page_halpern(pb, 5, batch_size=20)
    with pytest.raises(ValueError, match="eta"):
        page_halpern(pb, 5, eta=-1.0)
    with pytest.raises(ValueError, match="seed"):
        page_halpern(pb, 5, seed=-3)
    with pytest.raises(ValueError, match="p must be"):
        vr_eg(pb, 5, p=1.5)
    with pytest.raises(ValueError, match="snapshot"):
        inexact_halpern(pb, 5, snapshot="middle")
    with pytest.raises(ValueError, match="center"):
        vr_forb(pb, np.zeros(3), 5)
