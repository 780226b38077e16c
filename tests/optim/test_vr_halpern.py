import numpy as np
import pytest

from theorylab.core.seeding import repetition_seeds
from theorylab.core.stats import slope_fit
from theorylab.core.streams import init_states
from theorylab.optim.instances import cocoercive_family, finite_sum_monotone, policeman_burglar
from theorylab.optim.reference import (reference_inexact_halpern, reference_minibatch_correction,
                                       reference_page_halpern, reference_vr_eg, reference_vr_forb)
from theorylab.optim.vr_halpern import (exact_resolvent, inexact_halpern, inexact_halpern_runs, page_expected_calls,
                                        page_halpern, page_halpern_runs, stream_state, vr_eg, vr_eg_runs, vr_forb,
                                        vr_forb_runs)


def test_page_halpern_kernel_matches_reference_iterates_and_instrumented_calls():
    pb = cocoercive_family(30, d=4)
    K = 40
    h = page_halpern(pb, K, seed=5, save_iterates=True)
    xs, calls = reference_page_halpern(pb, K, stream_state(5), eta=1.0 / pb.L, b=5)
    assert np.allclose(h.iterates, np.array(xs), atol=1e-12)
    assert h.calls[-1] == calls


def test_page_halpern_with_projection_matches_reference():
    pb = policeman_burglar(12)
    h = page_halpern(pb, 20, seed=np.random.SeedSequence(1), eta=0.01, save_iterates=True)
    xs, calls = reference_page_halpern(pb, 20, stream_state(np.random.SeedSequence(1)), eta=0.01, b=3)
    assert np.allclose(h.iterates, np.array(xs), atol=1e-12) and h.calls[-1] == calls


def test_inexact_halpern_kernel_matches_reference_across_inner_solves():
    # the inner solves of one run continue that run's stream: the replay must thread it the same way
    pb = finite_sum_monotone(10, d=4)
    eta, p = np.sqrt(10) / pb.L, 0.1
    gamma = 0.5 * np.sqrt(p * (1 - p)) / (eta * pb.L + 1)
    for snap in ("inner", "outer"):
        h = inexact_halpern(pb, 12, seed=2, inner_scale=1.5, snapshot=snap, save_iterates=True)
        xs, calls = reference_inexact_halpern(pb, 12, stream_state(2), eta, p, gamma, 1.5, snap)
        assert np.allclose(h.iterates, np.array(xs), atol=1e-12) and h.calls[-1] == calls


def test_stream_state_of_every_seed_kind():
    ss = np.random.SeedSequence(9)
    assert stream_state(9) == stream_state(ss) == ss.generate_state(1, dtype=np.uint64)[0]
    g = np.random.default_rng(4)
    first = np.random.default_rng(4).integers(0, 2**64, dtype=np.uint64)
    assert stream_state(g) == first                       # documented: one uint64 drawn from the Generator
    assert stream_state(g) != first                       # ... which advances it
    pb = cocoercive_family(12, d=3)
    a = page_halpern(pb, 30, seed=np.random.default_rng(4))
    b = page_halpern_runs(pb, 30, np.array([first], dtype=np.uint64)).run(0)
    assert np.array_equal(a.residual, b.residual) and np.array_equal(a.calls, b.calls)
    with pytest.raises(TypeError, match="seed"):
        page_halpern(pb, 5, seed=1.5)
    with pytest.raises(TypeError, match="seed"):
        page_halpern(pb, 5, seed=True)
    with pytest.raises(TypeError, match="seeds"):
        page_halpern_runs(pb, 5, [1, 2])
    with pytest.raises(ValueError, match="seeds"):
        page_halpern_runs(pb, 5, [])


def _same(a, b):
    return all(np.array_equal(x, y, equal_nan=True) for x, y in zip(a, b))


def test_a_run_gives_the_same_bits_in_any_batch():
    # the project's invariant: run r's numbers depend only on its seed, not on the batch it is run in
    seeds = repetition_seeds(3, "halpern.batch-test", 7)
    sub = seeds[2:5]
    pb = policeman_burglar(12)
    fs = finite_sum_monotone(10, d=4)
    rec = np.arange(0, 61, 6)
    runs = [
        lambda s: page_halpern_runs(pb, 60, s, eta=0.01, record_at=rec, save_iterates=True),
        lambda s: page_halpern_runs(pb, 60, s, eta=0.01, record_at=rec, replace=True, max_calls=300),
        lambda s: vr_eg_runs(fs, 300, s, record_at=np.arange(0, 301, 30)),
        lambda s: inexact_halpern_runs(fs, 10, s, inner_scale=1.0, snapshot="outer", save_iterates=True),
    ]
    for run in runs:
        full, part = run(seeds), run(sub)
        assert _same((full.residual[2:5], full.calls[2:5], full.x_final[2:5], full.iterates[2:5]),
                     (part.residual, part.calls, part.x_final, part.iterates))
        assert not np.array_equal(full.residual[0], full.residual[1])      # distinct streams
        one = run(seeds[4:5])
        assert _same((full.residual[4], full.x_final[4]), (one.residual[0], one.x_final[0]))
    u = exact_resolvent(fs, fs.x0 + 1, np.sqrt(10) / fs.L)
    full = vr_forb_runs(fs, fs.x0 + 1, 200, seeds, u_star=u, record_at=[0, 100, 200])
    part = vr_forb_runs(fs, fs.x0 + 1, 200, sub, u_star=u, record_at=[0, 100, 200])
    assert _same([x[2:5] for x in full], part)
    # the single-run function is the batch of one, the tasks' states are init_states of the seeds
    h = page_halpern(pb, 60, seed=seeds[3], eta=0.01, record_at=rec)
    states = init_states(seeds)
    assert np.array_equal(h.residual, page_halpern_runs(pb, 60, states, eta=0.01, record_at=rec).residual[3])
    assert np.array_equal(states, init_states(seeds))                   # the caller's states are not advanced


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
    state, draws = stream_state(0), []
    for _ in range(4000):
        state, g = reference_minibatch_correction(pb.operator, x, xp, 5, state)
        draws.append(g)
    draws = np.array(draws)
    se = draws.std(axis=0, ddof=1) / np.sqrt(draws.shape[0])
    assert np.all(np.abs(draws.mean(axis=0) - target) <= 4 * se + 1e-12)


def test_page_calls_match_expected_accounting():
    pb = cocoercive_family(100, d=3)
    c = [page_halpern(pb, 500, seed=s, record_at=[500]).calls[-1] for s in range(30)]
    assert np.mean(c) == pytest.approx(page_expected_calls(100, 500), rel=0.03)


def test_vr_eg_and_vr_forb_match_references():
    pb = finite_sum_monotone(10, d=4)
    h = vr_eg(pb, 200, seed=3)
    xs, calls = reference_vr_eg(pb, 200, stream_state(3), tau=0.99 * np.sqrt(0.1) / pb.L, p=0.1)
    assert np.allclose(h.x_final, xs[-1], atol=1e-12) and h.calls[-1] == calls
    for snap in ("inner", "outer"):
        v, calls, _ = vr_forb(pb, pb.x0 + 1, 150, seed=4, snapshot=snap)
        eta = np.sqrt(10) / pb.L
        gamma = 0.5 * np.sqrt(0.1 * 0.9) / (eta * pb.L + 1)
        vs, rcalls = reference_vr_forb(pb, pb.x0 + 1, 150, stream_state(4), eta, 0.1, gamma, snap)
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
