import itertools

import numpy as np
from hypothesis import given, settings, strategies as st

from theorylab.bandits.dp_bai.design import g_optimal_design
from theorylab.bandits.dp_bai.maxdet import max_det_collection, project_to_span


@st.composite
def arm_sets(draw):
    d = draw(st.integers(1, 4))
    s = draw(st.integers(d, 9))
    vals = draw(st.lists(st.integers(-3, 3), min_size=s * d, max_size=s * d))
    X = np.asarray(vals, float).reshape(s, d)
    if np.linalg.matrix_rank(X) == 0:
        X[0, 0] = 1.0
    return X


@settings(max_examples=60, deadline=None)
@given(arm_sets())
def test_maxdet_coefficients_bounded_by_one_and_basis_spans(X):
    for method in ("exact", "local_search"):
        r = max_det_collection(X, method=method)
        P = project_to_span(X)
        assert np.max(np.abs(r.beta)) <= 1 + 1e-8
        assert np.allclose(r.beta @ P[r.basis], P, atol=1e-8)
        assert np.linalg.matrix_rank(P[r.basis]) == P.shape[1]


@settings(max_examples=40, deadline=None)
@given(arm_sets())
def test_maxdet_exact_is_the_maximum_abs_det(X):
    P = project_to_span(X)
    d = P.shape[1]
    best = max(abs(np.linalg.det(P[list(c)])) for c in itertools.combinations(range(len(P)), d))
    r = max_det_collection(X, method="exact")
    assert abs(np.linalg.det(P[r.basis])) >= best * (1 - 1e-9)


@settings(max_examples=30, deadline=None)
@given(arm_sets(), st.integers(0, 1000))
def test_maxdet_invariant_to_orthogonal_change_and_scaling(X, seed):
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((X.shape[1], X.shape[1])))
    a = max_det_collection(X, method="exact")
    b = max_det_collection(2.5 * X @ Q, method="exact")
    P = project_to_span(X)
    # same optimum value (sets can differ only on ties)
    assert abs(abs(np.linalg.det(P[a.basis])) - abs(np.linalg.det(P[b.basis]))) <= 1e-8 * max(1, abs(np.linalg.det(P[a.basis])))


def test_local_search_used_for_large_sets_and_bounded():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 6))
    r = max_det_collection(X)
    assert r.method.startswith("local_search") and np.max(np.abs(r.beta)) <= 1 + 1e-8


def test_g_optimal_design_kiefer_wolfowitz_value():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((20, 4))
    pi = g_optimal_design(X, tol=1e-4)
    V = X.T @ (pi[:, None] * X)
    g = np.einsum("ij,ji->i", X, np.linalg.solve(V, X.T))
    assert g.max() <= 4 * (1 + 2e-3) and np.count_nonzero(pi) <= 10 and abs(pi.sum() - 1) < 1e-12


def test_planner_shortcut_for_independent_arms_gives_the_plans_of_the_rank_computation():
    from theorylab.bandits.dp_bai import plans as P

    rng = np.random.default_rng(3)
    for arms in (np.eye(12), rng.normal(size=(6, 9)), rng.normal(size=(12, 4))):
        K = arms.shape[0]
        fast = P.MaxDetPlanner(arms, 10_000, 3, maxdet_method="exact" if K <= 6 else "auto")
        slow = P.MaxDetPlanner(arms, 10_000, 3, maxdet_method="exact" if K <= 6 else "auto")
        assert fast._independent == (K <= arms.shape[1])
        slow._independent = False
        for _ in range(20):
            idx = np.sort(rng.choice(K, size=rng.integers(1, K + 1), replace=False))
            a, b = fast._maxdet(idx), slow._maxdet(idx)
            assert a[0] == b[0] and a[3] == b[3]
            assert np.array_equal(a[1], b[1]) and np.allclose(a[2], b[2])


def test_batched_plans_of_every_arm_planners_equal_the_plan_by_plan_assembly():
    from theorylab.bandits.dp_bai import plans as P

    rng = np.random.default_rng(8)
    planners = [P.MaxDetPlanner(np.eye(12), 10_000, 3), P.MaxDetPlanner(rng.normal(size=(6, 9)), 10_000, 3),
                P.RejectsPlanner(12, 10_000)]
    for planner in planners:
        K = 12 if not isinstance(planner, P.MaxDetPlanner) else planner.arms.shape[0]
        for s in (2, 3, K // 2):          # (Successive Rejects has no phase with one arm)
            groups = np.array(sorted({tuple(sorted(rng.choice(K, s, replace=False))) for _ in range(9)}))
            fast = planner.plans_for(groups)
            slow = P._CachedPlanner.plans_for(planner, groups)
            for a, b in zip(fast, slow):
                assert np.array_equal(np.broadcast_to(a, b.shape), b)
    dependent = P.MaxDetPlanner(rng.normal(size=(8, 3)), 10_000, 3)    # K > d: plan by plan
    groups = np.array([[0, 1, 2, 3], [2, 4, 6, 7]])
    assert dependent.plans_for(groups)[2].shape[0] == 2
