"""Shared strategies of the linear tests (property-test sizes: K in [5, 200], d in [2, 10], s <= min(3, d))."""

from hypothesis import strategies as st


@st.composite
def sparse_problem(draw, max_K=200, max_d=10):
    """(K, d, s, eps, eps_net, kind, seed) with nets small enough for a test (eps_net floor grows with s)."""
    d = draw(st.integers(2, max_d))
    s = draw(st.integers(1, min(3, d)))
    K = draw(st.integers(5, max_K))
    eps = draw(st.floats(0.005, 0.2))
    eps_net = draw(st.floats({1: 0.02, 2: 0.06, 3: 0.2}[s], 0.4))
    kind = draw(st.sampled_from(["uniform", "trap", "sign"]))
    seed = draw(st.integers(0, 2**31 - 1))
    return K, d, s, eps, eps_net, kind, seed
