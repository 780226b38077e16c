"""Needle instances of the linear topic's lower bounds (docs/topics/linear.md#jl-needle and #reed-solomon-needle).

- :func:`jl_needle`: the Du et al. / Lattimore-Szepesvari-Weisz needle among nearly orthogonal Rademacher
  vectors, optionally padded to a larger dimension (its sparse embedding) [standard, constants derived];
- :func:`reed_solomon_needle`: the subset needle RS(q, s, r) from polynomials of degree <= r over GF(q)
  [derived, ours].
"""

from __future__ import annotations

import math

import numpy as np

from theorylab.bandits.linear.instances import LinearInstance, _rng, linear_instance
from theorylab.core.validate import check_int, check_real

__all__ = ["jl_dimension", "rademacher_family", "max_coherence", "jl_needle", "is_prime", "reed_solomon_needle",
           "reed_solomon_supports"]


def jl_dimension(m: int, gamma: float) -> int:
    """d = ceil(8 ln m / gamma^2): the Rademacher family of m vectors is gamma-coherent w.p. >= 1 - 1/m^2.

    Hoeffding and a union bound over the m(m-1)/2 pairs [derived; docs/topics/linear.md#jl-needle].

    Parameters
    ----------
    m : int >= 2
        Number of vectors.
    gamma : float in (0, 1]
        Coherence level.

    Returns
    -------
    int

    Examples
    --------
    >>> jl_dimension(100, 0.5)
    148
    """
    m = check_int("m", m, minimum=2)
    gamma = check_real("gamma", gamma, minimum=0.0, maximum=1.0, strict_min=True)
    return int(math.ceil(8.0 * math.log(m) / gamma**2))


def rademacher_family(m: int, k: int, rng: np.random.Generator) -> np.ndarray:
    """m i.i.d. vectors with entries +-1/sqrt(k), shape (m, k) (unit l2 norm).

    Parameters
    ----------
    m : int >= 1
    k : int >= 1
        Dimension.
    rng : numpy.random.Generator

    Returns
    -------
    float array (m, k)

    Examples
    --------
    >>> import numpy as np
    >>> v = rademacher_family(3, 4, np.random.default_rng(0))
    >>> v.shape, bool(np.allclose(np.linalg.norm(v, axis=1), 1.0))
    ((3, 4), True)
    """
    return rng.choice(np.array([-1.0, 1.0]), size=(m, k)) / math.sqrt(k)


def max_coherence(vectors: np.ndarray) -> float:
    """max_{i != j} |<v_i, v_j>| over the rows of ``vectors`` (0 for a single row).

    Parameters
    ----------
    vectors : float array (m, k)

    Returns
    -------
    float

    Examples
    --------
    >>> import numpy as np
    >>> max_coherence(np.eye(3))
    0.0
    """
    v = np.asarray(vectors, dtype=float)
    if v.shape[0] < 2:
        return 0.0
    g = np.abs(v @ v.T)
    np.fill_diagonal(g, 0.0)
    return float(g.max())


def jl_needle(m: int, gamma: float, needle: int, delta: float, k: int | None = None, d: int | None = None,
              seed: int = 0, max_tries: int = 10, sigma: float = 0.0) -> LinearInstance:
    """NEEDLE(v, i*, Delta): m nearly orthogonal actions, reward Delta on the needle only.

    v_1..v_m are Rademacher vectors in R^k with max |<v_i, v_j>| <= gamma (verified, resampled at most
    ``max_tries`` times), padded with d - k zero coordinates (the sparse embedding when d > k: theta* is
    k-sparse). theta* = Delta v_{i*}, so eps = Delta gamma [standard construction, constants derived;
    docs/topics/linear.md#jl-needle].

    Parameters
    ----------
    m : int >= 2
        Number of actions.
    gamma : float in (0, 1)
        Coherence bound.
    needle : int in [0, m)
    delta : float in (0, 1]
        Reward of the needle.
    k : int, optional
        Dimension of the family; default :func:`jl_dimension`.
    d : int, optional
        Total dimension (>= k), default k.
    seed : int >= 0
    max_tries : int >= 1
    sigma : float >= 0

    Returns
    -------
    LinearInstance
        With ``eps = delta * gamma`` and ``needle`` set.

    Examples
    --------
    >>> inst = jl_needle(20, 0.6, needle=3, delta=0.5, seed=0)
    >>> inst.needle, inst.eps, bool(inst.rewards.argmax() == 3)
    (3, 0.3, True)
    """
    m = check_int("m", m, minimum=2)
    gamma = check_real("gamma", gamma, minimum=0.0, maximum=1.0, strict_min=True, strict_max=True)
    needle = check_int("needle", needle, minimum=0, maximum=m - 1)
    delta = check_real("delta", delta, minimum=0.0, maximum=1.0, strict_min=True)
    k = jl_dimension(m, gamma) if k is None else check_int("k", k, minimum=1)
    d = k if d is None else check_int("d", d, minimum=k)
    max_tries = check_int("max_tries", max_tries, minimum=1)
    rng = _rng(seed, {"instance": "jl_needle", "m": m, "k": k, "gamma": gamma})
    for _ in range(max_tries):
        v = rademacher_family(m, k, rng)
        if max_coherence(v) <= gamma:
            break
    else:
        raise ValueError(f"no gamma-coherent family found in {max_tries} tries: k = {k} is too small for "
                         f"m = {m}, gamma = {gamma} (jl_dimension gives {jl_dimension(m, gamma)})")
    phi = np.zeros((m, d))
    phi[:, :k] = v
    r = np.zeros(m)
    r[needle] = delta
    params = {"instance": "jl_needle", "m": m, "gamma": gamma, "needle": needle, "delta": delta, "k": k, "d": d,
              "seed": seed}
    return linear_instance(phi, r, delta * phi[needle], delta * gamma, sigma, name="jl_needle", needle=needle,
                           params=params)


def is_prime(q: int) -> bool:
    """Trial-division primality test (q small).

    Parameters
    ----------
    q : int

    Returns
    -------
    bool

    Examples
    --------
    >>> [q for q in range(12) if is_prime(q)]
    [2, 3, 5, 7, 11]
    """
    if q < 2:
        return False
    return all(q % p for p in range(2, int(math.isqrt(q)) + 1))


def reed_solomon_needle(q: int, s: int, r: int, needle: int, delta: float, sigma: float = 0.0) -> LinearInstance:
    """RS(q, s, r): subset needle from polynomials of degree <= r over GF(q).

    Coordinates are pairs (x, y), x < s, y < q (index x q + y), d = s q. Polynomial P with coefficient
    vector c (mixed radix q, c_0 least significant) has support S_P = {(x, P(x))}: |S_P| = s, and distinct
    polynomials share at most r support points. Features 1_{S_P}/sqrt(s); theta* = (delta/sqrt(s)) 1_{S_P*};
    rewards delta on the needle, 0 elsewhere; eps = delta r / s. (The overlap parameter is called k in our
    planning notes; renamed r here to avoid the clash with sparsity names; docs/topics/linear.md#reed-solomon-needle.)
    [derived construction, ours]

    Parameters
    ----------
    q : int
        Prime with q >= s.
    s : int >= 1
        Sparsity (support size).
    r : int in [0, s - 1]
        Overlap (maximal degree).
    needle : int in [0, q^(r+1))
    delta : float in (0, 1]
    sigma : float >= 0

    Returns
    -------
    LinearInstance
        m = q^(r+1) actions, ``eps = delta * r / s``.

    Examples
    --------
    >>> inst = reed_solomon_needle(5, 4, 1, needle=7, delta=0.8)
    >>> inst.K, inst.d, inst.eps
    (25, 20, 0.2)
    """
    q = check_int("q", q, minimum=2)
    if not is_prime(q):
        raise ValueError(f"q must be prime, got {q}")
    s = check_int("s", s, minimum=1, maximum=q)
    r = check_int("r", r, minimum=0, maximum=s - 1)
    m = q ** (r + 1)
    needle = check_int("needle", needle, minimum=0, maximum=m - 1)
    delta = check_real("delta", delta, minimum=0.0, maximum=1.0, strict_min=True)
    idx = reed_solomon_supports(q, s, r)
    phi = np.zeros((m, s * q))
    rows = np.repeat(np.arange(m), s)
    phi[rows, idx.ravel()] = 1.0 / math.sqrt(s)
    rew = np.zeros(m)
    rew[needle] = delta
    params = {"instance": "reed_solomon", "q": q, "s": s, "r": r, "needle": needle, "delta": delta}
    return linear_instance(phi, rew, delta * phi[needle], delta * r / s, sigma, name="reed_solomon",
                           needle=needle, params=params)


def reed_solomon_supports(q: int, s: int, r: int) -> np.ndarray:
    """Support indices of RS(q, s, r), shape (q^(r+1), s): row P holds x q + P(x) mod q for x < s.

    Parameters
    ----------
    q : int
        Prime field size.
    s : int
        Sparsity (evaluation points 0..s-1).
    r : int
        Polynomial degree (overlap).

    Returns
    -------
    int64 array (q^(r+1), s)

    Examples
    --------
    >>> reed_solomon_supports(3, 2, 1)[:2].tolist()
    [[0, 3], [1, 4]]
    """
    m = q ** (r + 1)
    codes = np.arange(m)
    coef = np.stack([(codes // q**j) % q for j in range(r + 1)], axis=1)   # (m, r+1), c_0 first
    x = np.arange(s)
    vals = np.zeros((m, s), dtype=np.int64)
    for j in range(r, -1, -1):                                            # Horner mod q
        vals = (vals * x[None, :] + coef[:, j:j + 1]) % q
    return x[None, :] * q + vals
