"""Linear best-arm-identification instances for DP-BAI (Chen, Karthik, Chee, Tan, ICLR 2024).

An instance is a set of K arm feature vectors a_i in R^d, an unknown parameter theta*, and a reward
law supported on [0, 1] with mean mu_i = <a_i, theta*> (Bernoulli, or Beta(mu c, (1 - mu) c)).
Constructors: :func:`linear_instance` (any arms/theta), :func:`unstructured_instance` (a_i = e_i),
:func:`soare_dp_instance` (the nearly-collinear family of docs/topics/dp_bai.md#instances, [OURS]),
:func:`random_unstructured_instance`, :func:`random_linear_instance` and the hard families of
Section 7 (:func:`hard_instance`, :func:`alternative_instance`).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field

import numpy as np

from theorylab.core.validate import check_array, check_choice, check_int, check_positive, check_real

__all__ = ["LAWS", "LinearBAIInstance", "linear_instance", "unstructured_instance", "soare_dp_instance",
           "random_unstructured_instance", "random_linear_instance", "hard_instance", "alternative_instance",
           "HARD_FAMILIES", "numerical_rank", "complexities"]

LAWS = {"bernoulli": 0, "beta": 2}   # integer codes shared with theorylab.bandits.kernels
MAX_ARMS = 4096        # ours: K (identity features are a K x K matrix) and d
MAX_ATTEMPTS = 10_000  # ours: draws a rejection sampler tries before it reports the target unreachable
HARD_FAMILIES = ("one_hard_arm", "linear_gaps", "polynomial")
_RANK_TOL = 1e-10


def numerical_rank(vectors: np.ndarray) -> int:
    """Rank with tolerance 1e-10 * largest singular value (docs/topics/dp_bai.md#dp-bai).

    Parameters
    ----------
    vectors : ndarray
        Rows are vectors.

    Returns
    -------
    int
        Rank with tolerance 1e-10 times the largest singular value.
    """
    v = np.asarray(vectors, dtype=float)
    if v.size == 0:
        return 0
    sv = np.linalg.svd(v, compute_uv=False)
    if sv[0] == 0:
        return 0
    return int(np.sum(sv > _RANK_TOL * sv[0]))


def complexities(means, d: int | None = None) -> tuple[float, float]:
    """(H_BAI, H_pri) = (max_{2<=i<=min(K,d)} i / Delta_i^2, max_{2<=i<=min(K,d)} i / Delta_i).

    docs/topics/dp_bai.md#model [PAPER names; RECON index range up to min(K, d)]. Gaps are sorted increasingly,
    Delta_1 = 0 is skipped.

    Parameters
    ----------
    means : array_like
        Arm means.
    d : int, optional
        Dimension (the index range stops at min(K, d)).

    Returns
    -------
    (float, float)
        (H_BAI, H_pri).

    Examples
    --------
    >>> [round(h, 6) for h in complexities([0.5, 0.4, 0.25])]
    [200.0, 20.0]
    """
    mu = np.sort(np.asarray(means, dtype=float))[::-1]
    K = mu.size
    top = K if d is None else min(K, int(d))
    gaps = mu[0] - mu
    if top < 2 or gaps[1] <= 0:
        raise ValueError(f"complexities need a unique best arm and min(K, d) >= 2, got K={K}, d={d}")
    i = np.arange(2, top + 1)
    g = gaps[1:top]
    return float(np.max(i / g**2)), float(np.max(i / g))


@dataclass(frozen=True, eq=False)
class LinearBAIInstance:
    """A fixed-budget linear BAI instance with rewards on [0, 1].

    Attributes
    ----------
    arms : float array (K, d)
        Feature vectors (public).
    theta : float array (d,)
        Unknown parameter; means are ``arms @ theta``.
    law : str
        ``"bernoulli"`` or ``"beta"`` (Beta(mu c, (1 - mu) c) with ``c = concentration``).
    concentration : float
        Beta concentration c (ignored for Bernoulli).
    name : str
    """

    arms: np.ndarray
    theta: np.ndarray
    law: str = "bernoulli"
    concentration: float = 2.0
    name: str = "linear"
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def means(self) -> np.ndarray:
        return self.arms @ self.theta

    @property
    def K(self) -> int:
        return int(self.arms.shape[0])

    @property
    def d(self) -> int:
        return int(self.arms.shape[1])

    @property
    def rank(self) -> int:
        """d_0, the numerical rank of the arm matrix."""
        if "rank" not in self._cache:
            self._cache["rank"] = numerical_rank(self.arms)
        return self._cache["rank"]

    @property
    def best_arm(self) -> int:
        return int(np.argmax(self.means))

    @property
    def law_code(self) -> int:
        return LAWS[self.law]

    @property
    def law_param(self) -> float:
        return float(self.concentration) if self.law == "beta" else 0.0

    @property
    def gaps(self) -> np.ndarray:
        """Delta_i = mu_{i*} - mu_i in the original arm order."""
        mu = self.means
        return mu.max() - mu

    def complexities(self) -> tuple[float, float]:
        """(H_BAI, H_pri) with the index range 2..min(K, d_0) [RECON, docs/topics/dp_bai.md#model].

        Parameters
        ----------
        means : array_like
            Arm means.
        d : int, optional
            Dimension (the index range stops at min(K, d)).

        Returns
        -------
        (float, float)
            (H_BAI, H_pri).
        """
        return complexities(self.means, self.rank)

    @property
    def eps_star(self) -> float:
        """Privacy knee epsilon* = H_pri / H_BAI (docs/topics/dp_bai.md#the-privacy-knee)."""
        hb, hp = self.complexities()
        return hp / hb

    def key(self) -> str:
        """A stable text identity (used for caches)."""
        h = hashlib.blake2b(self.arms.tobytes() + self.theta.tobytes(), digest_size=12).hexdigest()
        return f"{self.name}:{self.law}:{self.concentration}:{h}"

    def unstructured(self) -> "LinearBAIInstance":
        """The same means with identity features (a_i = e_i): what DP-SH sees."""
        return unstructured_instance(self.means, law=self.law, concentration=self.concentration,
                                     name=self.name + "/unstructured")


def linear_instance(arms, theta, law: str = "bernoulli", concentration: float = 2.0,
                    name: str = "linear") -> LinearBAIInstance:
    """Validated linear BAI instance (Chen et al. 2024, Section 2).

    Parameters
    ----------
    arms : array_like (K, d)
        Arm features, K >= 2.
    theta : array_like (d,)
    law : {"bernoulli", "beta"}
        Reward law on [0, 1] with mean <a_i, theta>.
    concentration : float
        Beta concentration c > 0 (Beta(mu c, (1-mu) c)).

    Raises
    ------
    ValueError
        If a mean leaves [0, 1] (privacy needs rewards in [0, 1]) or the best arm is not unique.

    Returns
    -------
    LinearBAIInstance
        The validated instance.

    Examples
    --------
    >>> inst = linear_instance([[1, 0], [0, 1], [1, 1]], [0.3, 0.4])
    >>> inst.best_arm, inst.K, inst.rank
    (2, 3, 2)
    """
    A = check_array("arms", arms, ndim=2)
    if A.shape[0] < 2 or A.shape[1] < 1:
        raise ValueError(f"arms must have shape (K >= 2, d >= 1), got {A.shape}")
    if A.shape[0] > MAX_ARMS or A.shape[1] > MAX_ARMS:
        raise ValueError(f"arms must have K, d <= {MAX_ARMS}, got shape {A.shape}")
    th = check_array("theta", theta, shape=(A.shape[1],))
    check_choice("law", law, LAWS)
    conc = check_positive("concentration", concentration)
    if not isinstance(name, str):
        raise TypeError(f"name must be a string, got {type(name).__name__}")
    mu = A @ th
    tol = 1e-12
    if np.any(mu < -tol) or np.any(mu > 1 + tol):
        bad = int(np.argmax((mu < -tol) | (mu > 1 + tol)))
        raise ValueError(f"arm means <a_i, theta> must lie in [0, 1] (rewards on [0, 1]); arm {bad} has mean {mu[bad]:.6g}")
    top = np.sort(mu)[::-1]
    if top[0] - top[1] <= 1e-12:
        raise ValueError(f"the best arm must be unique; the two largest means are {top[0]:.6g} and {top[1]:.6g}")
    if numerical_rank(A) < 1:
        raise ValueError("arms must not all be zero")
    return LinearBAIInstance(A.copy(), th.copy(), law, conc, name)


def unstructured_instance(means, law: str = "bernoulli", concentration: float = 2.0,
                          name: str = "unstructured") -> LinearBAIInstance:
    """K-armed instance as a linear one with a_i = e_i, theta = means (K = d).

    Parameters
    ----------
    means : array_like
        Arm means in [0, 1].
    law : str
        Reward law.
    concentration : float
        Beta concentration.
    name : str
        Label.

    Returns
    -------
    LinearBAIInstance
        The instance (arms, means, law).

    Examples
    --------
    >>> [round(h, 6) for h in unstructured_instance([0.5, 0.4, 0.3]).complexities()]
    [200.0, 20.0]
    """
    mu = check_array("means", means, ndim=1)
    if mu.size < 2 or mu.size > MAX_ARMS:
        raise ValueError(f"means must have 2 <= K <= {MAX_ARMS} arms, got K = {mu.size}")
    return linear_instance(np.eye(mu.size), mu, law=law, concentration=concentration, name=name)


def soare_dp_instance(d: int = 5, K: int = 30, omega: float = 0.5, law: str = "bernoulli",
                      concentration: float = 2.0, seed: int = 0) -> LinearBAIInstance:
    """SOARE-DP(d, K, omega): nearly-collinear arms with means in [0.1, 0.9] [OURS, docs/topics/dp_bai.md#instances].

    a_i = (1, u_i) with u_1 = e_1, u_2 = cos(omega) e_1 + sin(omega) e_2 and u_3..u_K uniform on the
    unit sphere of R^{d-1} (seeded), rejected while <u_i, e_1> > cos(omega); theta* = (0.5, 0.4 e_1).
    So mu_1 = 0.9 and Delta_2 = 0.4 (1 - cos omega). Our reconstruction of the paper's synthetic
    instance, which could not be verified (docs/topics/dp_bai.md#what-differs-from-the-paper).

    Parameters
    ----------
    d : int
        Dimension (>= 3).
    K : int
        Arms.
    omega : float
        Angle between the two best arms' directions.
    law : str
        Reward law.
    concentration : float
        Beta concentration when law is beta.
    seed : int
        Seed of the other arms' directions.

    Returns
    -------
    LinearBAIInstance
        The instance (arms, means, law).

    Examples
    --------
    >>> inst = soare_dp_instance(d=3, K=5, omega=0.5)
    >>> round(float(inst.means[0]), 3), inst.best_arm
    (0.9, 0)
    """
    d = check_int("d", d, minimum=3, maximum=MAX_ARMS)
    K = check_int("K", K, minimum=2, maximum=MAX_ARMS)
    omega = check_real("omega", omega, minimum=0.0, maximum=math.pi / 2, strict_min=True)
    if math.cos(omega) - 1e-9 <= -1.0 + 1e-12:  # pragma: no cover - omega <= pi/2 keeps the cap reachable
        raise ValueError(f"omega = {omega} leaves no room on the sphere for the other arms")
    rng = np.random.default_rng(check_int("seed", seed, minimum=0))
    U = np.zeros((K, d - 1))
    U[0, 0] = 1.0
    U[1, 0], U[1, 1] = math.cos(omega), math.sin(omega)
    for i in range(2, K):
        for _ in range(MAX_ATTEMPTS):
            v = rng.standard_normal(d - 1)
            v /= np.linalg.norm(v)
            if v[0] <= math.cos(omega) - 1e-9:
                break
        else:
            raise ValueError(f"omega = {omega}: no arm direction found in {MAX_ATTEMPTS} draws")
        U[i] = v
    arms = np.hstack([np.ones((K, 1)), U])
    theta = np.zeros(d)
    theta[0], theta[1] = 0.5, 0.4
    return linear_instance(arms, theta, law=law, concentration=concentration, name=f"soare_dp(d={d},K={K},omega={omega})")


def _generator(rng) -> np.random.Generator:
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, np.random.SeedSequence):
        return np.random.default_rng(rng)
    return np.random.default_rng(check_int("rng", rng, minimum=0))


def random_unstructured_instance(K: int, rng: np.random.Generator | int = 0, low: float = 0.05, high: float = 0.95,
                                 law: str = "bernoulli", min_gap: float = 0.02) -> LinearBAIInstance:
    """K Bernoulli (or Beta) arms with means uniform in [low, high] and a unique best (gap >= min_gap).

    A rejection sampler: ``min_gap`` must be below ``high - low`` (else no draw can succeed) and at
    most :data:`MAX_ATTEMPTS` draws are tried; a ValueError naming ``min_gap`` says when it is out of reach.

    Parameters
    ----------
    K : int
        Arms.
    rng : Generator or int
        Randomness.
    low, high : float
        Range of the means.
    law : str
        Reward law.
    min_gap : float
        Smallest gap to the best arm.

    Returns
    -------
    LinearBAIInstance
        The instance (arms, means, law).

    Examples
    --------
    >>> random_unstructured_instance(4, 0).K
    4
    """
    K = check_int("K", K, minimum=2, maximum=MAX_ARMS)
    lo = check_real("low", low, minimum=0.0, maximum=1.0)
    hi = check_real("high", high, minimum=lo, maximum=1.0, strict_min=True)
    gap = check_real("min_gap", min_gap, minimum=0.0)
    if gap >= hi - lo:
        raise ValueError(f"min_gap = {gap} must be below high - low = {hi - lo:.6g}: no draw could reach it")
    check_choice("law", law, LAWS)
    gen = _generator(rng)
    for _ in range(MAX_ATTEMPTS):
        mu = gen.uniform(lo, hi, K)
        s = np.sort(mu)
        if s[-1] - s[-2] >= gap and s[-1] - s[-2] > 1e-12:
            return unstructured_instance(mu, law=law, name=f"random_unstructured(K={K})")
    raise ValueError(f"min_gap = {gap}: no draw of K = {K} means in [{lo}, {hi}] reached it in {MAX_ATTEMPTS} attempts")


def random_linear_instance(K: int, d: int, rng: np.random.Generator | int = 0, law: str = "bernoulli",
                           min_gap: float = 0.02) -> LinearBAIInstance:
    """a_i = (1, u_i), u_i uniform on the sphere of R^{d-1}, theta = (0.5, 0.4 w) with w a random unit
    vector: means in [0.1, 0.9]; redrawn until the best gap is at least ``min_gap``.

    A rejection sampler: ``min_gap`` must be below 0.8 (the widest gap the means allow) and at most
    :data:`MAX_ATTEMPTS` draws are tried; a ValueError naming ``min_gap`` says when it is out of reach
    (e.g. d = 2 with many arms, where the means take two values only).

    Parameters
    ----------
    K : int
        Arms.
    d : int
        Dimension.
    rng : Generator or int
        Randomness.
    law : str
        Reward law.
    min_gap : float
        Smallest gap to the best arm.

    Returns
    -------
    LinearBAIInstance
        The instance (arms, means, law).

    Examples
    --------
    >>> random_linear_instance(5, 3, 0).d
    3
    """
    K = check_int("K", K, minimum=2, maximum=MAX_ARMS)
    d = check_int("d", d, minimum=2, maximum=MAX_ARMS)
    gap = check_real("min_gap", min_gap, minimum=0.0)
    if gap >= 0.8:
        raise ValueError(f"min_gap = {gap} must be below 0.8, the widest gap of means in [0.1, 0.9]")
    check_choice("law", law, LAWS)
    gen = _generator(rng)
    for _ in range(MAX_ATTEMPTS):
        U = gen.standard_normal((K, d - 1))
        U /= np.linalg.norm(U, axis=1, keepdims=True)
        w = gen.standard_normal(d - 1)
        w /= np.linalg.norm(w)
        arms = np.hstack([np.ones((K, 1)), U])
        theta = np.concatenate([[0.5], 0.4 * w])
        s = np.sort(arms @ theta)
        if s[-1] - s[-2] >= gap and s[-1] - s[-2] > 1e-12:
            return linear_instance(arms, theta, law=law, name=f"random_linear(K={K},d={d})")
    raise ValueError(f"min_gap = {gap}: no draw of K = {K} arms in d = {d} reached it in {MAX_ATTEMPTS} attempts")


def _gap_profile(family: str, K: int, delta: float, alpha: float) -> np.ndarray:
    i = np.arange(2, K + 1, dtype=float)
    if family == "one_hard_arm":
        g = np.full(K - 1, 0.25)
        g[0] = delta
    elif family == "linear_gaps":
        g = 0.25 * (i - 1) / (K - 1)
    else:
        g = 0.25 * (i / K) ** alpha
    return g


def hard_instance(family: str, K: int, delta: float = 0.05, alpha: float = 1.0, law: str = "bernoulli",
                  structured: bool = False) -> LinearBAIInstance:
    """Hard family of docs/topics/dp_bai.md#hard-families (base instance v^0): mu_1 = 1/2, mu_i = 1/2 - Delta_i in [1/4, 1/2).

    Families [RECON of the paper's construction, standard and simulable]:
    ``one_hard_arm`` (H1: Delta_2 = delta, others 0.25), ``linear_gaps`` (H2: Delta_i = 0.25 (i-1)/(K-1)),
    ``polynomial`` (H3: Delta_i = 0.25 (i/K)^alpha). Unstructured features a_i = e_i.

    Parameters
    ----------
    family : str
        ``one_hard_arm``, ``linear_gaps`` or ``polynomial``.
    K : int
        Arms.
    delta : float
        The hard gap (one_hard_arm).
    alpha : float
        Exponent (polynomial).
    law : str
        Reward law.
    structured : bool
        Reserved; identity features.

    Returns
    -------
    LinearBAIInstance
        The instance (arms, means, law).

    Examples
    --------
    >>> hard_instance("linear_gaps", 3).means.tolist()
    [0.5, 0.375, 0.25]
    """
    check_choice("family", family, HARD_FAMILIES)
    K = check_int("K", K, minimum=2, maximum=MAX_ARMS)
    delta = check_real("delta", delta, minimum=0.0, maximum=0.25, strict_min=True)
    alpha = check_positive("alpha", alpha)
    g = _gap_profile(family, K, delta, alpha)
    mu = np.concatenate([[0.5], 0.5 - g])
    return unstructured_instance(mu, law=law, name=f"hard_{family}(K={K})")


def alternative_instance(base: LinearBAIInstance, arm: int) -> LinearBAIInstance:
    """v^(i) of docs/topics/dp_bai.md#hard-families: arm ``arm``'s mean raised to 1/2 + Delta_i (it becomes the unique best).

    Only for unstructured instances (identity features).

    Parameters
    ----------
    base : LinearBAIInstance
        An unstructured base instance.
    arm : int
        The arm raised to 1/2 + Delta_arm.

    Returns
    -------
    LinearBAIInstance
        The instance (arms, means, law).
    """
    if not isinstance(base, LinearBAIInstance):
        raise TypeError(f"base must be a LinearBAIInstance, got {type(base).__name__}")
    if base.K != base.d or not np.allclose(base.arms, np.eye(base.K)):
        raise ValueError("alternative_instance needs an unstructured base instance (identity features)")
    arm = check_int("arm", arm, minimum=0, maximum=base.K - 1)
    if arm == base.best_arm:
        raise ValueError(f"arm must not be the best arm {base.best_arm}")
    mu = base.means.copy()
    mu[arm] = mu[base.best_arm] + base.gaps[arm]
    return unstructured_instance(mu, law=base.law, concentration=base.concentration, name=base.name + f"/alt{arm}")
