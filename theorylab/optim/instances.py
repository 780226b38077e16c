"""Problem instances for the VR-Halpern topic (docs/topics/halpern.md#instances).

Paper's experiments (Cai, Alacaoglu & Diakonikolas, ICLR 2024, Figure 1; authors' scripts):
:func:`policeman_burglar` (matrix game, n = 500, theta = 0.8) and :func:`ouyang_xu_qp` (Ouyang-Xu hard
bilinear/quadratic instance, n = 200), both split into n components by coordinates as in the code.
Ours: :func:`cocoercive_family` (on-average cocoercive, L ~ L_F: where variance
reduction helps), :func:`coordinate_split_game` (L ~ sqrt(n) L_F: the negative control),
:func:`negation` (T(x) = -x, the exact worst case of Halpern), and small random nonexpansive /
cocoercive / monotone instances for the deterministic checks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from theorylab.core.validate import check_int, check_positive, check_real
from theorylab.optim.operators import FiniteSumOperator, Projection

__all__ = ["Problem", "policeman_burglar", "ouyang_xu_qp", "cocoercive_family", "coordinate_split_game",
           "negation", "random_nonexpansive", "random_cocoercive", "random_monotone", "finite_sum_monotone",
           "INSTANCE_NAMES", "named_instance"]


@dataclass(frozen=True)
class Problem:
    """A monotone inclusion 0 in F(x) + G(x) with a start point.

    Attributes
    ----------
    name : str
    operator : FiniteSumOperator
    projection : Projection
        J_{eta G} (identity when G = 0).
    x0 : array, shape (d,)
    x_star : array or None
        A solution when known (then ``D = ||x0 - x_star||``).
    L : float
        On-average parameter (mean-square Lipschitz constant; for cocoercive families the on-average
        cocoercivity parameter max_i lambda_max(M_i)).
    L_F : float
        Lipschitz constant of F (comparison only; the VR algorithms do not use it).
    structure : str
        ``cocoercive``, ``monotone`` or ``nonexpansive`` (what was checked on random pairs).
    """

    name: str
    operator: FiniteSumOperator
    projection: Projection
    x0: np.ndarray
    x_star: np.ndarray | None
    L: float
    L_F: float
    structure: str

    def __post_init__(self):
        if not isinstance(self.operator, FiniteSumOperator):
            raise TypeError(f"operator must be a FiniteSumOperator, got {type(self.operator).__name__}")
        if not isinstance(self.projection, Projection):
            raise TypeError(f"projection must be a Projection, got {type(self.projection).__name__}")
        d = self.operator.d
        if np.shape(self.x0) != (d,):
            raise ValueError(f"x0 must have shape ({d},), got {np.shape(self.x0)}")
        if self.projection.kind == "simplex" and self.projection.bounds[-1] != d:
            raise ValueError(f"projection bounds must end at d = {d}, got {self.projection.bounds}")
        if self.x_star is not None and np.shape(self.x_star) != (d,):
            raise ValueError(f"x_star must have shape ({d},), got {np.shape(self.x_star)}")

    @property
    def n(self) -> int:
        return self.operator.n

    @property
    def d(self) -> int:
        return self.operator.d

    @property
    def D(self) -> float:
        """||x0 - x*|| (nan when x* is unknown)."""
        return float("nan") if self.x_star is None else float(np.linalg.norm(self.x0 - self.x_star))


MAX_DENSE_N = 2048        # ours: instances with a dense (2n x 2n) matrix (2048 -> 134 MB)
MAX_DIM = 4096            # ours: dimension d of single-operator instances (d x d dense)
MAX_ENTRIES = 2 * 10**7   # ours: n * d * d entries of the component matrices (160 MB)


def _check_entries(n: int, d: int) -> None:
    if n * d * d > MAX_ENTRIES:
        raise ValueError(f"n * d^2 = {n * d * d} component-matrix entries exceed {MAX_ENTRIES}; reduce n or d")


def _finish(name, op, proj, x0, x_star, L, L_F, structure, check_seed=0):
    if structure == "cocoercive":
        op.check_monotone(seed=check_seed, cocoercive=L_F)
    else:
        op.check_monotone(seed=check_seed)
    return Problem(name, op, proj, np.asarray(x0, dtype=float), x_star, float(L), float(L_F), structure)


def policeman_burglar(n: int = 500, theta: float = 0.8, seed: int = 1) -> Problem:
    """Nemirovski's policeman-and-burglar matrix game as in the authors' ``matrix_game.py`` [code].

    A[i, j] = w_j (1 - exp(-theta |i - j|)), w_j = |N(0,1)| from ``numpy.random.RandomState(seed)``;
    min over x in the simplex, max over y in the simplex of y^T A x; F(x, y) = (A^T y, -A x), G the
    normal cone of simplex x simplex; components split by coordinates (columns {i, n+i}).
    Start x0 = y0 = uniform.

    Parameters
    ----------
    n : int
        Number of houses (the scripts use 500).
    theta : float
        Catching probability parameter.
    seed : int
        Seed of the legacy numpy generator drawing the weights (the scripts use 1).

    Returns
    -------
    Problem
        The instance, with its constants (L, L_F, D), start and solution where known.

    Examples
    --------
    >>> pb = policeman_burglar(n=20)
    >>> pb.n, pb.d
    (20, 40)
    """
    A = policeman_burglar_matrix(n, theta, seed)
    n = A.shape[0]
    idx = np.arange(n)
    B = np.zeros((2 * n, 2 * n))
    B[:n, n:] = A.T
    B[n:, :n] = -A
    groups = np.stack([idx, n + idx], axis=1)
    op = FiniteSumOperator.column_split(B, groups=groups)
    x0 = np.full(2 * n, 1.0 / n)
    return _finish("policeman_burglar", op, Projection("simplex", bounds=(0, n, 2 * n)), x0, None,
                   op.mean_square_lipschitz(), float(np.linalg.norm(A, 2)), "monotone")


def policeman_burglar_matrix(n: int = 500, theta: float = 0.8, seed: int = 1) -> np.ndarray:
    """The payoff matrix A of :func:`policeman_burglar` (for norms and step sizes).

    Examples
    --------
    >>> policeman_burglar_matrix(3, 0.8).shape
    (3, 3)
    """
    n = check_int("n", n, minimum=1, maximum=MAX_DENSE_N)
    theta = check_positive("theta", theta)
    w = np.abs(np.random.RandomState(check_int("seed", seed, minimum=0, maximum=2**32 - 1)).randn(n))
    idx = np.arange(n)
    return w[None, :] * (1.0 - np.exp(-theta * np.abs(idx[:, None] - idx[None, :])))


def ouyang_xu_qp(n: int = 200) -> Problem:
    """Ouyang-Xu hard instance (authors' ``quadratic_programming.py``) [code].

    A[i, n-1-i] = 1, A[i, n-2-i] = -1, A /= 4; H = 2 A^T A; b = 1/4; h = e_n / 4; saddle function
    (1/2) x^T H x - h^T x - <A x - b, y>, so F(x, y) = (H x - h - A^T y, A x - b), G = 0; components split
    by coordinates (columns {i, n+i}, as in ``grad_uniform``). Start x0 = y0 = 1/n.

    Parameters
    ----------
    n : int
        Size (the scripts use 200).

    Returns
    -------
    Problem
        The instance, with its constants (L, L_F, D), start and solution where known.
    """
    n = check_int("n", n, minimum=2, maximum=MAX_DENSE_N)
    A = np.zeros((n, n))
    for i in range(n):
        A[i, n - 1 - i] = 1.0
        if i < n - 1:
            A[i, n - 2 - i] = -1.0
    A /= 4.0
    H = 2.0 * A.T @ A
    b = np.full(n, 0.25)
    h = np.zeros(n)
    h[-1] = 0.25
    B = np.block([[H, -A.T], [A, np.zeros((n, n))]])
    c = np.concatenate([h, b])
    idx = np.arange(n)
    op = FiniteSumOperator.column_split(B, c, groups=np.stack([idx, n + idx], axis=1))
    z_star = op.solution()
    return _finish("ouyang_xu_qp", op, Projection(), np.full(2 * n, 1.0 / n), z_star,
                   op.mean_square_lipschitz(), op.lipschitz(), "monotone")


def cocoercive_family(n: int, d: int = 10, L: float = 1.0, low: float = 0.5, seed: int = 0) -> Problem:
    """On-average cocoercive finite sum with L ~ L_F [ours, docs/topics/halpern.md#instances].

    F_i(x) = M_i (x - x*), M_i = Q diag(s_i) Q^T, s_i = L (low + (1 - low) U[0,1]^d), Q a random
    orthogonal matrix, x* ~ N(0, I_d / d), x0 = 0. Each M_i is symmetric PSD with lambda_max <= L,
    so the on-average cocoercivity assumption (A-coco) holds with parameter L, and L_F >= low * L.

    Parameters
    ----------
    n : int
        Components.
    d : int
        Dimension.
    L : float
        Largest component eigenvalue.
    low : float
        Lower end of the eigenvalue range, as a fraction of L.
    seed : int
        Instance seed.

    Returns
    -------
    Problem
        The instance, with its constants (L, L_F, D), start and solution where known.

    Examples
    --------
    >>> pb = cocoercive_family(16, d=4)
    >>> pb.L <= 1.0 and pb.L_F >= 0.5
    True
    """
    n = check_int("n", n, minimum=1)
    d = check_int("d", d, minimum=1, maximum=MAX_DIM)
    _check_entries(n, d)
    L = check_positive("L", L)
    low = check_real("low", low, minimum=0.0, maximum=1.0)
    rng = np.random.default_rng([check_int("seed", seed, minimum=0), n, d])
    Q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    s = L * (low + (1.0 - low) * rng.random((n, d)))
    Ms = np.einsum("ij,nj,kj->nik", Q, s, Q)
    Ms = 0.5 * (Ms + Ms.transpose(0, 2, 1))
    x_star = rng.standard_normal(d) / np.sqrt(d)
    cs = Ms @ x_star
    op = FiniteSumOperator.from_components(Ms, cs)
    return _finish("cocoercive_family", op, Projection(), np.zeros(d), x_star, float(s.max()),
                   op.lipschitz(), "cocoercive")


def coordinate_split_game(n: int, seed: int = 0) -> Problem:
    """Unconstrained bilinear game split by coordinates: the negative control, L ~ sqrt(n) L_F [ours].

    F(x, y) = (A^T (y - y*), -A (x - x*)) with A a random orthogonal matrix (L_F = 1); component i uses
    columns {i, n+i} scaled by n, whose two columns are orthonormal, so L = sqrt(n) = sqrt(n) L_F exactly
    and the sqrt(n) gain of variance reduction disappears (docs/topics/halpern.md#instances; reviewers' L <= sqrt(n) L_F).

    Parameters
    ----------
    n : int
        Components (blocks of coordinates).
    seed : int
        Instance seed.

    Returns
    -------
    Problem
        The instance, with its constants (L, L_F, D), start and solution where known.
    """
    n = check_int("n", n, minimum=1, maximum=MAX_DENSE_N)
    rng = np.random.default_rng([check_int("seed", seed, minimum=0), n])
    A, _ = np.linalg.qr(rng.standard_normal((n, n)))
    B = np.zeros((2 * n, 2 * n))
    B[:n, n:] = A.T
    B[n:, :n] = -A
    z_star = rng.standard_normal(2 * n) / np.sqrt(2 * n)
    idx = np.arange(n)
    op = FiniteSumOperator.column_split(B, B @ z_star, groups=np.stack([idx, n + idx], axis=1))
    return _finish("coordinate_split_game", op, Projection(), np.zeros(2 * n), z_star,
                   op.mean_square_lipschitz(), op.lipschitz(), "monotone")


def negation(d: int = 1) -> Problem:
    """T(x) = -x on R^d written as T = I - 2F with F(x) = x (so Halpern-FB with eta = 2); x0 = 1, x* = 0.

    The exact worst case of Lieder's bound: ||x_k - T x_k|| = 2/(k+1) at every even k (Lieder 2021).

    Parameters
    ----------
    d : int
        Dimension.

    Returns
    -------
    Problem
        The instance, with its constants (L, L_F, D), start and solution where known.
    """
    d = check_int("d", d, minimum=1, maximum=MAX_DIM)
    op = FiniteSumOperator.from_components(np.eye(d)[None, :, :])
    x0 = np.ones(d) / np.sqrt(d)
    return _finish("negation", op, Projection(), x0, np.zeros(d), 1.0, 1.0, "cocoercive")


def random_nonexpansive(d: int, seed: int = 0, rotation: bool = False) -> Problem:
    """T(x) = x* + R (x - x*) with ||R||_2 <= 1, written as T = I - F, F = (I - R)(x - x*) (eta = 1).

    R = U diag(sigma) V^T with sigma in [0, 1] (one singular value exactly 1), or a block rotation when
    ``rotation``. F = I - R is 1/2-cocoercive, which the constructor checks on random pairs.

    Parameters
    ----------
    d : int
        Dimension.
    seed : int
        Instance seed.
    rotation : bool
        Use a rotation (norm exactly 1) instead of a contraction.

    Returns
    -------
    Problem
        The instance, with its constants (L, L_F, D), start and solution where known.
    """
    d = check_int("d", d, minimum=1, maximum=MAX_DIM)
    if not isinstance(rotation, (bool, np.bool_)):
        raise TypeError(f"rotation must be True or False, got a {type(rotation).__name__}")
    rng = np.random.default_rng([check_int("seed", seed, minimum=0), d, 7])
    if rotation:
        R = np.zeros((d, d))
        for j in range(0, d - 1, 2):
            a = rng.uniform(0.05, np.pi)
            R[j:j + 2, j:j + 2] = [[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]]
        if d % 2:
            R[-1, -1] = -1.0
    else:
        U, _ = np.linalg.qr(rng.standard_normal((d, d)))
        V, _ = np.linalg.qr(rng.standard_normal((d, d)))
        sig = rng.random(d)
        sig[0] = 1.0
        R = U @ np.diag(sig) @ V.T
    x_star = rng.standard_normal(d)
    M = np.eye(d) - R
    op = FiniteSumOperator.from_components(M[None], (M @ x_star)[None])
    x0 = x_star + rng.standard_normal(d)
    pb = Problem("random_nonexpansive", op, Projection(), x0, x_star, 2.0, op.lipschitz(), "nonexpansive")
    op.check_monotone(seed=seed, cocoercive=2.0)
    return pb


def random_cocoercive(d: int, seed: int = 0) -> Problem:
    """F(x) = M (x - x*) with M random symmetric PSD (possibly singular), L = lambda_max(M) = L_F.

    Parameters
    ----------
    d : int
        Dimension.
    seed : int
        Instance seed.

    Returns
    -------
    Problem
        The instance, with its constants (L, L_F, D), start and solution where known.
    """
    d = check_int("d", d, minimum=1, maximum=MAX_DIM)
    rng = np.random.default_rng([check_int("seed", seed, minimum=0), d, 11])
    G = rng.standard_normal((d, max(1, d // 2)))
    M = G @ G.T
    M = 0.5 * (M + M.T)
    x_star = rng.standard_normal(d)
    op = FiniteSumOperator.from_components(M[None], (M @ x_star)[None])
    L = float(np.linalg.eigvalsh(M).max())
    return _finish("random_cocoercive", op, Projection(), x_star + rng.standard_normal(d), x_star, L, L,
                   "cocoercive")


def random_monotone(d: int, seed: int = 0, skew_weight: float = 1.0) -> Problem:
    """F(z) = (S + K)(z - z*), S PSD (low rank), K skew-symmetric: monotone and L-Lipschitz, L = ||S + K||_2.

    Parameters
    ----------
    d : int
        Dimension.
    seed : int
        Instance seed.
    skew_weight : float
        Weight of the skew part.

    Returns
    -------
    Problem
        The instance, with its constants (L, L_F, D), start and solution where known.
    """
    d = check_int("d", d, minimum=1, maximum=MAX_DIM)
    skew_weight = check_real("skew_weight", skew_weight, minimum=0.0, maximum=1e6)  # ours: beyond, round-off
    rng = np.random.default_rng([check_int("seed", seed, minimum=0), d, 13])
    G = rng.standard_normal((d, max(1, d // 3)))
    S = G @ G.T / d
    W = rng.standard_normal((d, d))
    M = S + skew_weight * (W - W.T) / 2.0
    z_star = rng.standard_normal(d)
    op = FiniteSumOperator.from_components(M[None], (M @ z_star)[None])
    L = op.lipschitz()
    return _finish("random_monotone", op, Projection(), z_star + rng.standard_normal(d), z_star, L, L, "monotone")


def finite_sum_monotone(n: int, d: int = 10, seed: int = 0, mono: float = 0.1) -> Problem:
    """Finite sum of monotone (not cocoercive) linear components F_i(z) = (S_i + K_i)(z - z*) [ours].

    S_i = mono * diag-spectrum PSD, K_i skew with entries N(0, 1/d); G = 0, so the exact resolvent
    (I + eta M)^{-1} is available for the Algorithm 2/3 checks (docs/topics/halpern.md#claim-inexact_halpern_slope).

    Parameters
    ----------
    n : int
        Components.
    d : int
        Dimension.
    seed : int
        Instance seed.
    mono : float
        Weight of the symmetric (monotone) part.

    Returns
    -------
    Problem
        The instance, with its constants (L, L_F, D), start and solution where known.
    """
    n = check_int("n", n, minimum=1)
    d = check_int("d", d, minimum=1, maximum=MAX_DIM)
    _check_entries(n, d)
    mono = check_real("mono", mono, minimum=0.0)
    rng = np.random.default_rng([check_int("seed", seed, minimum=0), n, d, 17])
    W = rng.standard_normal((n, d, d)) / np.sqrt(d)
    K = (W - W.transpose(0, 2, 1)) / 2.0
    Q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    s = mono * rng.random((n, d))
    S = np.einsum("ij,nj,kj->nik", Q, s, Q)
    Ms = S + K
    z_star = rng.standard_normal(d) / np.sqrt(d)
    op = FiniteSumOperator.from_components(Ms, Ms @ z_star)
    return _finish("finite_sum_monotone", op, Projection(), np.zeros(d), z_star, op.mean_square_lipschitz(),
                   op.lipschitz(), "monotone")


INSTANCE_NAMES = {
    "policeman_burglar": "Nemirovski's policeman-and-burglar matrix game, n = 500, theta = 0.8 (paper Fig. 1) [code]",
    "ouyang_xu_qp": "Ouyang-Xu hard quadratic/bilinear saddle problem, n = 200 (paper Fig. 1) [code]",
    "cocoercive_family": "on-average cocoercive finite sum, L ~ L_F: variance reduction helps [ours, docs/topics/halpern.md#instances]",
    "coordinate_split_game": "coordinate-split bilinear game, L ~ sqrt(n) L_F: negative control [ours, docs/topics/halpern.md#instances]",
    "negation": "T(x) = -x: exact worst case of Lieder's Halpern bound",
    "random_nonexpansive": "T = x* + R(x - x*), ||R|| <= 1 (deterministic checks)",
    "random_cocoercive": "F = M(x - x*), M PSD (deterministic checks)",
    "random_monotone": "F = (S + K)(z - z*), S PSD, K skew (FEG/EAG checks)",
    "finite_sum_monotone": "finite sum of monotone linear components, exact resolvent (Alg. 2/3 checks) [ours]",
}


INSTANCE_BUILDERS = {"policeman_burglar": policeman_burglar, "ouyang_xu_qp": ouyang_xu_qp,
                     "cocoercive_family": cocoercive_family, "coordinate_split_game": coordinate_split_game,
                     "negation": negation, "random_nonexpansive": random_nonexpansive,
                     "random_cocoercive": random_cocoercive, "random_monotone": random_monotone,
                     "finite_sum_monotone": finite_sum_monotone}


def named_instance(name: str, **kw) -> Problem:
    """Build an instance by name (see ``INSTANCE_NAMES``); unknown keywords are a ValueError naming them.

    Parameters
    ----------
    name : str
        One of ``INSTANCE_NAMES``.
    **kw : 
        Keyword arguments of that instance's builder.

    Returns
    -------
    Problem
        The instance, with its constants (L, L_F, D), start and solution where known.
    """
    if not isinstance(name, str) or name not in INSTANCE_BUILDERS:
        raise ValueError(f"instance must be one of {sorted(INSTANCE_BUILDERS)}, got {name!r}")
    import inspect

    accepted = set(inspect.signature(INSTANCE_BUILDERS[name]).parameters)
    extra = sorted(set(kw) - accepted)
    if extra:
        raise ValueError(f"instance {name!r} takes no parameter {extra[0]!r}; it takes {sorted(accepted)}")
    return INSTANCE_BUILDERS[name](**kw)
