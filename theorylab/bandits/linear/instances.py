"""Misspecified sparse linear bandit instances with query access (Dong & Yang, ICML 2023, arXiv 2303.16998).

An instance is a finite action set of K feature vectors phi(a) in R^d (rows of ``features``), the true
mean rewards r(a), a comparator parameter theta* with at most s nonzeros, and a noise level sigma.
The features are eps-good when max_a |r(a) - <phi(a), theta*>| <= eps (the misspecification
eta(a) = r(a) - <phi(a), theta*> is arbitrary, not random). Normalisation (docs/topics/linear.md#model):
||phi(a)||_2 <= 1 and ||theta*||_2 <= 1 [reconstruction, l2 chosen because the paper's body could not be
read]. A query of action a returns r(a) + N(0, sigma^2); sigma = 0 is the noiseless query oracle.

Constructors (all validate their arguments and raise ValueError/TypeError naming the parameter):

- :func:`linear_instance`: any features, rewards and comparator, misspecification checked against eps;
- :func:`random_sparse_instance`: random sphere features with an s-sparse theta* and misspecification of
  kind ``uniform``, ``trap`` or ``sign`` whose largest |eta| is exactly eps [ours];
- :func:`adversarial_design_instance`: the misspecification that maximises the bias of a design-based
  least-squares estimate at one probe action [derived];
- :func:`jl_needle`: the Du et al. / Lattimore-Szepesvari-Weisz needle among nearly orthogonal Rademacher
  vectors, optionally padded to a larger dimension (its sparse embedding) [standard, constants derived];
- :func:`reed_solomon_needle`: the subset needle RS(q, s, r) built from polynomials of degree <= r over
  GF(q) (the overlap parameter is called r here, not k) [derived, ours];
- :func:`separation_instance`: SEP(d, eps), on which design + least squares loses eps sqrt(d-1)/2 [derived];
- :func:`sparse_feature_instance`: features that are themselves s-sparse, the regime in which SparseNet's
  query count C(d, s) |net| is attained [ours];
- :func:`positive_orthant_instance`: well-specified features and theta* with nonnegative entries, on which a
  greedy learner (no exploration radius) locks onto its first action [ours].
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from theorylab.core.seeding import seed_sequence
from theorylab.core.validate import check_array, check_choice, check_int, check_real

__all__ = ["LinearInstance", "linear_instance", "random_sparse_instance", "adversarial_design_instance",
           "jl_needle", "jl_dimension", "rademacher_family", "max_coherence", "reed_solomon_needle",
           "separation_instance", "is_prime", "reed_solomon_supports", "sparse_feature_instance",
           "positive_orthant_instance", "MISSPEC_KINDS", "NORM_TOL"]

#: Slack allowed in the norm and misspecification checks (floating-point rounding only).
NORM_TOL = 1e-9
MISSPEC_KINDS = ("uniform", "trap", "sign")


@dataclass(frozen=True, eq=False)
class LinearInstance:
    """A misspecified linear bandit instance with query access.

    Attributes
    ----------
    features : float array (K, d)
        phi(a) as rows, ||phi(a)||_2 <= 1.
    rewards : float array (K,)
        True mean rewards r(a).
    theta : float array (d,)
        A comparator theta* with ||theta*||_2 <= 1 and max_a |r(a) - <phi(a), theta*>| <= eps.
    eps : float
        Declared misspecification level (an upper bound on max |eta|; exactly attained for the random
        and separation instances).
    sigma : float
        Gaussian noise standard deviation of one query (0: noiseless).
    name : str
    needle : int or None
        Index of the needle action for needle instances.
    params : dict
        Constructor parameters (for captions and sweep records).

    Examples
    --------
    >>> inst = separation_instance(3, 0.1)
    >>> inst.K, inst.d, inst.sparsity
    (4, 3, 1)
    """

    features: np.ndarray
    rewards: np.ndarray
    theta: np.ndarray
    eps: float
    sigma: float = 0.0
    name: str = "custom"
    needle: int | None = None
    params: dict = field(default_factory=dict)

    @property
    def K(self) -> int:
        """Number of actions."""
        return int(self.features.shape[0])

    @property
    def d(self) -> int:
        """Feature dimension."""
        return int(self.features.shape[1])

    @property
    def sparsity(self) -> int:
        """Number of nonzero entries of theta*."""
        return int(np.count_nonzero(self.theta))

    @property
    def misspecification(self) -> np.ndarray:
        """eta(a) = r(a) - <phi(a), theta*>, shape (K,)."""
        return self.rewards - self.features @ self.theta

    @property
    def best_reward(self) -> float:
        """max_a r(a)."""
        return float(self.rewards.max())

    def errors(self, actions) -> np.ndarray:
        """Sub-optimality max_a r(a) - r(a_hat) of each output action (array of action indices)."""
        a = np.asarray(actions, dtype=np.int64)
        if a.size and (a.min() < 0 or a.max() >= self.K):
            raise ValueError(f"actions must lie in [0, {self.K - 1}]")
        return self.best_reward - self.rewards[a]

    def with_sigma(self, sigma: float) -> "LinearInstance":
        """The same instance with another noise level."""
        sigma = check_real("sigma", sigma, minimum=0.0)
        return LinearInstance(self.features, self.rewards, self.theta, self.eps, sigma, self.name, self.needle,
                              dict(self.params, sigma=sigma))


def linear_instance(features, rewards, theta, eps: float, sigma: float = 0.0, name: str = "custom",
                    needle: int | None = None, params: dict | None = None) -> LinearInstance:
    """A validated misspecified linear instance.

    Parameters
    ----------
    features : array_like (K, d)
        Action features, K >= 1, d >= 1, every row with l2 norm <= 1.
    rewards : array_like (K,)
        True mean rewards.
    theta : array_like (d,)
        Comparator parameter, ||theta||_2 <= 1.
    eps : float >= 0
        Misspecification level; ``max_a |rewards - features @ theta| <= eps`` is checked.
    sigma : float >= 0
        Query noise standard deviation.
    name : str
    needle : int, optional
        Index of a needle action.
    params : dict, optional

    Returns
    -------
    LinearInstance

    Examples
    --------
    >>> inst = linear_instance([[1.0, 0.0], [0.0, 1.0]], [0.5, 0.1], [0.5, 0.0], eps=0.1)
    >>> inst.K, inst.d, float(abs(inst.misspecification).max())
    (2, 2, 0.1)
    """
    phi = check_array("features", features, ndim=2)
    if phi.shape[0] < 1 or phi.shape[1] < 1:
        raise ValueError(f"features must have at least one action and one coordinate, got shape {phi.shape}")
    K, d = phi.shape
    r = check_array("rewards", rewards, shape=(K,))
    th = check_array("theta", theta, shape=(d,))
    eps = check_real("eps", eps, minimum=0.0)
    sigma = check_real("sigma", sigma, minimum=0.0)
    norms = np.sqrt((phi * phi).sum(axis=1))
    if norms.max() > 1.0 + NORM_TOL:
        i = int(norms.argmax())
        raise ValueError(f"features must have l2 norm <= 1 in every row, got {norms[i]:.6g} in row {i}")
    if np.linalg.norm(th) > 1.0 + NORM_TOL:
        raise ValueError(f"theta must have l2 norm <= 1, got {np.linalg.norm(th):.6g}")
    eta = np.abs(r - phi @ th).max()
    if eta > eps + NORM_TOL:
        raise ValueError(f"eps = {eps} is below the misspecification max_a |r(a) - <phi(a), theta>| = {eta:.6g}")
    if needle is not None:
        needle = check_int("needle", needle, minimum=0, maximum=K - 1)
    if not isinstance(name, str):
        raise TypeError(f"name must be a string, got {type(name).__name__}")
    return LinearInstance(np.ascontiguousarray(phi), r.copy(), th.copy(), eps, sigma, name, needle,
                          dict(params or {}))


def _rng(seed, key):
    seed = check_int("seed", seed, minimum=0)
    return np.random.default_rng(seed_sequence(seed, key))


def _unit_rows(rng, K, d):
    x = rng.normal(size=(K, d))
    n = np.sqrt((x * x).sum(axis=1, keepdims=True))
    n[n == 0] = 1.0
    return x / n


def random_sparse_instance(K: int, d: int, s: int, eps: float, kind: str = "uniform", seed: int = 0,
                           sigma: float = 0.0, basis_scale: float | None = None) -> LinearInstance:
    """RANDSPARSE(K, d, s, eps, kind): random unit features, an s-sparse theta*, misspecification of one kind.

    Features are Gaussian rows normalised to the unit sphere; theta* has a uniformly random support of
    size s, Gaussian entries, and norm rho ~ U[0.2, 1]. The misspecification eta [ours]:

    - ``uniform``: i.i.d. U[-eps, eps], then rescaled so that max |eta| = eps exactly;
    - ``trap``: +eps on the top 10% of actions by <phi, theta*> other than its argmax, -eps on the argmax,
      uniform elsewhere (the linear best action is not the true best);
    - ``sign``: eps sign(<phi(a), w>) for a random unit w (structured).

    Parameters
    ----------
    K, d, s : int
        Actions (K >= 2), dimension (d >= 1), sparsity (1 <= s <= d).
    eps : float in [0, 1]
    kind : {"uniform", "trap", "sign"}
    seed : int >= 0
        Instance seed (through :func:`theorylab.core.seeding.seed_sequence`).
    sigma : float >= 0
    basis_scale : float in (0, 1], optional
        If given, the d actions ``basis_scale * e_i`` replace the first d rows (assumption G(c0) of
        GoodFeatureProbe, docs/topics/linear.md#goodfeatureprobe); needs K > d.

    Returns
    -------
    LinearInstance

    Examples
    --------
    >>> inst = random_sparse_instance(50, 6, 2, 0.05, kind="trap", seed=1)
    >>> inst.sparsity, round(float(abs(inst.misspecification).max()), 12)
    (2, 0.05)
    """
    K = check_int("K", K, minimum=2)
    d = check_int("d", d, minimum=1)
    s = check_int("s", s, minimum=1, maximum=d)
    eps = check_real("eps", eps, minimum=0.0, maximum=1.0)
    kind = check_choice("kind", kind, MISSPEC_KINDS)
    rng = _rng(seed, {"instance": "random_sparse", "K": K, "d": d, "s": s, "kind": kind})
    phi = _unit_rows(rng, K, d)
    if basis_scale is not None:
        c0 = check_real("basis_scale", basis_scale, minimum=0.0, maximum=1.0, strict_min=True)
        if K <= d:
            raise ValueError(f"basis_scale needs K > d to keep a non-basis action, got K = {K}, d = {d}")
        phi[:d] = c0 * np.eye(d)
    theta = np.zeros(d)
    support = rng.choice(d, size=s, replace=False)
    w = rng.normal(size=s)
    w /= max(np.linalg.norm(w), 1e-300)
    theta[support] = w * rng.uniform(0.2, 1.0)
    lin = phi @ theta
    if kind == "uniform":
        u = rng.uniform(-1.0, 1.0, size=K)
        eta = eps * u / np.abs(u).max()
    elif kind == "trap":
        eta = eps * rng.uniform(-1.0, 1.0, size=K)
        order = np.argsort(-lin, kind="stable")
        top = order[1:max(2, int(math.ceil(0.1 * K)))]
        eta[top] = eps
        eta[order[0]] = -eps
    else:
        v = rng.normal(size=d)
        eta = eps * np.where(phi @ v >= 0, 1.0, -1.0)
    params = {"instance": "random_sparse", "K": K, "d": d, "s": s, "eps": eps, "kind": kind, "seed": seed,
              "sigma": sigma, "basis_scale": basis_scale}
    return linear_instance(phi, lin + eta, theta, eps, sigma, name=f"randsparse_{kind}", params=params)


def adversarial_design_instance(features, theta, eps: float, weights, probe: int, sigma: float = 0.0) -> LinearInstance:
    """The misspecification that makes least squares on design ``weights`` err most at action ``probe``.

    eta(a) = -eps sign(<phi(b), V(pi)^{-1} phi(a)>) on supp(pi) (with b = ``probe``), +eps at b, 0 elsewhere;
    the noiseless design estimate then under-predicts r(b) by eps + eps sum_a n_a |<phi(b), V_n^{-1} phi(a)>|
    (docs/topics/linear.md#designls) [derived].

    Parameters
    ----------
    features : array_like (K, d)
    theta : array_like (d,)
    eps : float >= 0
    weights : array_like (K,)
        Design pi (nonnegative, sums to one, V(pi) invertible).
    probe : int
        Index b of the probed action.
    sigma : float >= 0

    Returns
    -------
    LinearInstance

    Examples
    --------
    >>> inst = adversarial_design_instance(np.eye(2), [0.5, 0.0], 0.1, [0.5, 0.5], probe=0)
    >>> inst.misspecification.round(12).tolist()
    [0.1, 0.0]
    """
    phi = check_array("features", features, ndim=2)
    K, d = phi.shape
    th = check_array("theta", theta, shape=(d,))
    eps = check_real("eps", eps, minimum=0.0)
    w = check_array("weights", weights, shape=(K,))
    if np.any(w < 0) or abs(w.sum() - 1.0) > 1e-9:
        raise ValueError("weights must be a probability vector over the actions")
    b = check_int("probe", probe, minimum=0, maximum=K - 1)
    V = (phi * w[:, None]).T @ phi
    if np.linalg.matrix_rank(V) < d:
        raise ValueError("weights must give an invertible design matrix V(pi)")
    coef = phi @ np.linalg.solve(V, phi[b])
    eta = np.where(w > 0, -eps * np.sign(coef), 0.0)
    eta[b] = eps
    return linear_instance(phi, phi @ th + eta, th, eps, sigma, name="adversarial_design",
                           params={"instance": "adversarial_design", "eps": eps, "probe": b})


def separation_instance(d: int, eps: float, sigma: float = 0.0) -> LinearInstance:
    """SEP(d, eps): e_1..e_d and x = -(0, 1, ..., 1)/sqrt(d-1); theta* = alpha e_1, alpha = eps sqrt(d-1)/2.

    Rewards r(e_1) = alpha - eps, r(e_i) = -eps (i >= 2), r(x) = -eps: misspecification exactly eps on
    every action; the best action is e_1 (index 0), x is the last action (index d)
    [derived; docs/topics/linear.md#separation-instance].

    Parameters
    ----------
    d : int >= 2
    eps : float > 0 with alpha = eps sqrt(d-1)/2 <= 1
    sigma : float >= 0

    Returns
    -------
    LinearInstance

    Examples
    --------
    >>> inst = separation_instance(5, 0.1)
    >>> inst.K, round(float(inst.theta[0]), 12), np.abs(inst.misspecification).round(12).tolist()
    (6, 0.1, [0.1, 0.1, 0.1, 0.1, 0.1, 0.1])
    """
    d = check_int("d", d, minimum=2)
    eps = check_real("eps", eps, minimum=0.0, strict_min=True)
    alpha = eps * math.sqrt(d - 1) / 2.0
    if alpha > 1.0:
        raise ValueError(f"eps must satisfy eps sqrt(d-1)/2 <= 1, got eps = {eps}, d = {d}")
    phi = np.zeros((d + 1, d))
    phi[:d] = np.eye(d)
    phi[d, 1:] = -1.0 / math.sqrt(d - 1)
    theta = np.zeros(d)
    theta[0] = alpha
    r = np.full(d + 1, -eps)
    r[0] = alpha - eps
    return linear_instance(phi, r, theta, eps, sigma, name="separation",
                           params={"instance": "separation", "d": d, "eps": eps, "sigma": sigma})


_NEEDLE_NAMES = ("is_prime", "jl_dimension", "jl_needle", "max_coherence", "rademacher_family",
                 "reed_solomon_needle", "reed_solomon_supports")


def __getattr__(name):
    """The needle constructors live in needles.py, which builds on this module; re-exported lazily so that
    either module can be imported first (PEP 562)."""
    if name in _NEEDLE_NAMES:
        from theorylab.bandits.linear import needles
        return getattr(needles, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def sparse_feature_instance(K: int, d: int, s_feat: int, s: int = 1, seed: int = 0, sigma: float = 0.0) -> LinearInstance:
    """K unit features, each supported on a uniformly random ``s_feat``-subset of coordinates [ours].

    Each row picks its support uniformly among the C(d, s_feat) subsets and a uniform direction on that
    subset's unit sphere; theta* is s-sparse as in :func:`random_sparse_instance` and the instance is well
    specified (r = <phi, theta*>). With K much larger than C(d, s) |net| every SparseNet candidate (s =
    s_feat, direction net) has its own greedy action (the feature best aligned with it), so the query count
    reaches its bound C(d, s) |net| (docs/topics/linear.md#query-count-scaling); on dense sphere features the
    greedy sets saturate far below it.

    Parameters
    ----------
    K : int >= 2
    d : int >= 1
    s_feat : int in [1, d]
        Nonzeros of every feature.
    s : int in [1, d]
        Sparsity of theta*.
    seed : int >= 0
        Instance seed (through :func:`theorylab.core.seeding.seed_sequence`).
    sigma : float >= 0

    Returns
    -------
    LinearInstance

    Examples
    --------
    >>> inst = sparse_feature_instance(100, 6, 2, seed=1)
    >>> int((inst.features != 0).sum(axis=1).max()), round(float(np.linalg.norm(inst.features[0])), 12)
    (2, 1.0)
    """
    K = check_int("K", K, minimum=2)
    d = check_int("d", d, minimum=1)
    s_feat = check_int("s_feat", s_feat, minimum=1, maximum=d)
    s = check_int("s", s, minimum=1, maximum=d)
    rng = _rng(seed, {"instance": "sparse_feature", "K": K, "d": d, "s_feat": s_feat, "s": s})
    supp = np.argsort(rng.random((K, d)), axis=1)[:, :s_feat]
    phi = np.zeros((K, d))
    np.put_along_axis(phi, supp, _unit_rows(rng, K, s_feat), axis=1)
    theta = np.zeros(d)
    theta[rng.choice(d, size=s, replace=False)] = _unit_rows(rng, 1, s)[0] * rng.uniform(0.2, 1.0)
    params = {"instance": "sparse_feature", "K": K, "d": d, "s_feat": s_feat, "s": s, "seed": seed, "sigma": sigma}
    return linear_instance(phi, phi @ theta, theta, 0.0, sigma, name=f"sparse_feature_{s_feat}", params=params)


def positive_orthant_instance(K: int, d: int, seed: int = 0, sigma: float = 0.0, norm: float = 0.8) -> LinearInstance:
    """Well-specified instance with features and theta* in the positive orthant [ours].

    Features are |Gaussian| rows normalised to the unit sphere, theta* = |Gaussian| scaled to norm ``norm``;
    r = <phi, theta*> > 0 for every action. A greedy learner (LinUCB with radius 0) starts with theta_hat = 0,
    plays its first action a, and then theta_hat is a positive multiple of phi(a), whose greedy action is a
    itself: it stays there unless the noise drives the estimate negative (docs/topics/linear.md#claims, the
    break of the LinUCB regret claim).

    Parameters
    ----------
    K : int >= 2
    d : int >= 1
    seed : int >= 0
    sigma : float >= 0
    norm : float in (0, 1]
        ||theta*||_2.

    Returns
    -------
    LinearInstance

    Examples
    --------
    >>> inst = positive_orthant_instance(10, 3, seed=0)
    >>> bool((inst.features >= 0).all() and (inst.rewards > 0).all())
    True
    """
    K = check_int("K", K, minimum=2)
    d = check_int("d", d, minimum=1)
    norm = check_real("norm", norm, minimum=0.0, maximum=1.0, strict_min=True)
    rng = _rng(seed, {"instance": "positive_orthant", "K": K, "d": d})
    phi = np.abs(_unit_rows(rng, K, d))
    theta = np.abs(_unit_rows(rng, 1, d)[0]) * norm
    params = {"instance": "positive_orthant", "K": K, "d": d, "seed": seed, "sigma": sigma, "norm": norm}
    return linear_instance(phi, phi @ theta, theta, 0.0, sigma, name="positive_orthant", params=params)
