"""Causal bandits on linear Gaussian SEMs with soft interventions (Peng, Zhang, Mitra, IEEE TSP 2025).

Model (docs/topics/causal.md#model): nodes 0..N-1, the reward node is N-1. ``B[i, j]`` is the weight
of edge i -> j (column j holds the parents of j) without intervention, ``B_int`` with a soft
intervention on j. An action is a bit vector a in {0,1}^N; column j of the post-intervention matrix
B_a is column j of ``B_int`` if a_j = 1, else of ``B``. X = B_a^T X + eps with eps_i ~ N(nu_i, sigma_i^2)
independent, so mu_a = (I - B_a)^{-T} nu and the expected reward of a is [mu_a]_{N-1}.

Action index k <-> bits: the N-bit binary expansion of k with the most significant bit = node 0
(the authors' code convention, index 0 = no intervention, 2^N - 1 = every node).

Constructors: :class:`CausalSEM` (any pair of weight matrices whose union graph is a DAG),
:func:`random_instance` (the authors' generator), :func:`change_graph` (their non-stationarity
model with the corrections of docs/topics/causal.md#non-stationarity).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from theorylab.bandits.causal import kernels as _k

from theorylab.core.validate import check_array, check_int, check_positive, check_real

__all__ = ["CausalSEM", "random_instance", "change_graph", "action_bits", "action_index", "expected_means",
           "OPTIMAL_TOL", "MAX_NODES"]

#: |r(a) - max r| < OPTIMAL_TOL counts as optimal (authors' code, ``System.is_opt``).
OPTIMAL_TOL = 0.01
#: 2^N actions are enumerated; beyond 16 nodes that is no longer a bandit one can simulate exhaustively.
MAX_NODES = 16


def action_bits(n_nodes: int, index=None) -> np.ndarray:
    """Bit vectors of action indices (MSB = node 0).

    Parameters
    ----------
    n_nodes : int
        N, number of nodes (1 <= N <= 16).
    index : int or array of int, optional
        Action indices in [0, 2^N); all 2^N actions when omitted.

    Returns
    -------
    numpy.ndarray of int8, shape (N,) for a scalar index, (len(index), N) otherwise.

    Examples
    --------
    >>> action_bits(3, 6).tolist()
    [1, 1, 0]
    >>> action_bits(2).tolist()
    [[0, 0], [0, 1], [1, 0], [1, 1]]
    """
    N = check_int("n_nodes", n_nodes, minimum=1, maximum=MAX_NODES)
    scalar = index is not None and np.ndim(index) == 0
    idx = np.arange(2**N) if index is None else np.atleast_1d(np.asarray(index))
    if idx.dtype.kind not in "iu":
        raise TypeError(f"index must be integer, got dtype {idx.dtype}")
    if idx.size and (idx.min() < 0 or idx.max() >= 2**N):
        raise ValueError(f"index must lie in [0, 2^{N}), got {idx.min()}..{idx.max()}")
    shifts = np.arange(N - 1, -1, -1)
    bits = ((idx[:, None] >> shifts[None, :]) & 1).astype(np.int8)
    return bits[0] if scalar else bits


def action_index(bits) -> int:
    """Index of an action bit vector (inverse of :func:`action_bits`).

    Parameters
    ----------
    bits : array_like of int, shape (N,)
        0/1 vector, bits[n] = 1 if node n is intervened on (MSB = node 0).

    Returns
    -------
    int
        The action index sum_n bits[n] 2^(N-1-n), in [0, 2^N).

    Examples
    --------
    >>> action_index([1, 1, 0])
    6
    """
    b = np.asarray(bits)
    if b.ndim != 1 or b.size < 1 or not np.all((b == 0) | (b == 1)):
        raise ValueError(f"bits must be a 1-d 0/1 vector, got {bits!r}")
    k = 0
    for v in b:
        k = 2 * k + int(v)
    return k


def _topological_order(B: np.ndarray, B_int: np.ndarray) -> np.ndarray:
    """Kahn's order of the union graph (the tests cross-check acyclicity with networkx)."""
    union = ((B != 0) | (B_int != 0)).astype(np.int8)
    order = _k.topological_order(union)
    if order.size < B.shape[0]:
        raise ValueError("B, B_int: the union of their edge sets must be acyclic (every B_a is then a DAG)")
    return order


def expected_means(B, B_int, nu, bits=None, order=None) -> np.ndarray:
    """mu_a = (I - B_a)^{-T} nu for each action (rows), by substitution in a topological order.

    Parameters
    ----------
    B, B_int : array (N, N)
        Observational and interventional weights; their union graph must be acyclic.
    nu : array (N,)
        Noise means.
    bits : array (K, N) of 0/1, optional
        Actions (all 2^N when omitted).
    order : array (N,), optional
        A topological order of the union graph (computed when omitted).

    Returns
    -------
    numpy.ndarray, shape (K, N): row k is mu_{a_k}.

    Examples
    --------
    >>> B = np.array([[0., 2.], [0., 0.]]); BI = np.array([[0., -1.], [0., 0.]])
    >>> expected_means(B, BI, [1., 1.])[:, 1].tolist()
    [3.0, 0.0, 3.0, 0.0]
    """
    B = np.asarray(B, dtype=float)
    B_int = np.asarray(B_int, dtype=float)
    nu = np.asarray(nu, dtype=float)
    N = B.shape[0]
    if bits is None:
        bits = action_bits(N)
    bits = np.atleast_2d(bits)
    if order is None:
        order = _topological_order(B, B_int)
    return _k.all_means(B, B_int, nu, np.ascontiguousarray(bits, dtype=np.int8), np.asarray(order, dtype=np.int64))


@dataclass(frozen=True, eq=False)
class CausalSEM:
    """A causal bandit: linear Gaussian SEM with soft interventions on any subset of the N nodes.

    Parameters
    ----------
    B : array (N, N)
        Observational weights, ``B[i, j]`` = weight of i -> j; zero diagonal.
    B_int : array (N, N)
        Interventional weights (column j used when node j is intervened on); zero diagonal.
    nu : array (N,), optional
        Known noise means (default all ones, the paper's runs).
    sigma : array (N,), optional
        Noise standard deviations, > 0 (default all ones). The learner knows them
        (docs/topics/causal.md#known-differences-from-the-paper, sigma known).

    Attributes
    ----------
    rewards : numpy.ndarray (2^N,)
        Expected reward r(a) = [mu_a]_{N-1} of every action index.
    order : numpy.ndarray (N,)
        A topological order of the union graph of B and B_int.

    Examples
    --------
    >>> inst = CausalSEM([[0, 1.0], [0, 0]], [[0, -0.5], [0, 0]])
    >>> inst.rewards.tolist(), inst.optimal_actions().tolist()
    ([2.0, 0.5, 2.0, 0.5], [0, 2])
    """

    B: np.ndarray
    B_int: np.ndarray
    nu: np.ndarray = None
    sigma: np.ndarray = None
    rewards: np.ndarray = field(init=False, repr=False)
    order: np.ndarray = field(init=False, repr=False)

    def __post_init__(self):
        B = check_array("B", self.B, ndim=2)
        N = B.shape[0]
        if B.shape != (N, N) or not 2 <= N <= MAX_NODES:
            raise ValueError(f"B must be square with 2 <= N <= {MAX_NODES} nodes, got shape {B.shape}")
        B_int = check_array("B_int", self.B_int, shape=(N, N))
        for name, m in (("B", B), ("B_int", B_int)):
            if np.any(np.diag(m) != 0):
                raise ValueError(f"{name} must have a zero diagonal (no self loops)")
        nu = np.ones(N) if self.nu is None else check_array("nu", self.nu, shape=(N,))
        sigma = np.ones(N) if self.sigma is None else check_array("sigma", self.sigma, shape=(N,))
        if np.any(sigma <= 0):
            raise ValueError(f"sigma must be > 0 entrywise, got minimum {sigma.min()}")
        order = _topological_order(B, B_int)
        for name, val in (("B", B), ("B_int", B_int), ("nu", nu), ("sigma", sigma)):
            val = val.copy()
            val.setflags(write=False)
            object.__setattr__(self, name, val)
        order.setflags(write=False)
        object.__setattr__(self, "order", order)
        r = expected_means(B, B_int, nu, order=order)[:, N - 1]
        r.setflags(write=False)
        object.__setattr__(self, "rewards", r)

    @property
    def n_nodes(self) -> int:
        return int(self.B.shape[0])

    @property
    def n_actions(self) -> int:
        return 2 ** self.n_nodes

    def means(self, index=None) -> np.ndarray:
        """mu_a for the given action indices (all when omitted), shape (K, N)."""
        bits = action_bits(self.n_nodes, np.atleast_1d(np.arange(self.n_actions) if index is None else index))
        return expected_means(self.B, self.B_int, self.nu, bits, self.order)

    def mixed(self, bits) -> np.ndarray:
        """B_a for one bit vector: column j from B_int if bits[j] else from B."""
        b = np.asarray(bits)
        if b.shape != (self.n_nodes,):
            raise ValueError(f"bits must have shape ({self.n_nodes},), got {b.shape}")
        return np.where(b[None, :] == 1, self.B_int, self.B)

    def optimal_actions(self, tol: float = OPTIMAL_TOL) -> np.ndarray:
        """Indices with r(a) > max r - tol (the authors' optimality test)."""
        tol = check_real("tol", tol, minimum=0.0)
        return np.flatnonzero(np.abs(self.rewards.max() - self.rewards) < tol) if tol > 0 else \
            np.flatnonzero(self.rewards == self.rewards.max())

    def parents(self, state: int) -> np.ndarray:
        """0/1 adjacency of B (state 0) or B_int (state 1): ``A[i, j] = 1`` iff i -> j."""
        check_int("state", state, minimum=0, maximum=1)
        return ((self.B_int if state else self.B) != 0).astype(np.int8)

    def sample(self, actions, rng: np.random.Generator) -> np.ndarray:
        """One observation X per action index (pure numpy; the kernels draw their own noise).

        Parameters
        ----------
        actions : array of int, shape (T,)
        rng : numpy.random.Generator

        Returns
        -------
        numpy.ndarray (T, N)
        """
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"rng must be a numpy Generator, got {type(rng).__name__}")
        bits = action_bits(self.n_nodes, np.atleast_1d(actions))
        eps = self.nu[None, :] + self.sigma[None, :] * rng.standard_normal((bits.shape[0], self.n_nodes))
        return self.substitute(bits, eps)

    def substitute(self, bits, eps) -> np.ndarray:
        """X solving X = B_a^T X + eps row by row (forward substitution in topological order)."""
        bits = np.atleast_2d(bits)
        eps = np.atleast_2d(np.asarray(eps, dtype=float))
        X = np.zeros_like(eps)
        for j in self.order:
            col = np.where(bits[:, j:j + 1] == 1, self.B_int[:, j][None, :], self.B[:, j][None, :])
            X[:, j] = eps[:, j] + np.einsum("ti,ti->t", col, X)
        return X


def _random_weights(N: int, rng: np.random.Generator) -> np.ndarray:
    exist = rng.integers(0, 2, size=(N, N))
    sign = 2 * rng.integers(0, 2, size=(N, N)) - 1
    return np.triu(rng.uniform(0.5, 2.0, size=(N, N)), k=1) * exist * sign


def random_instance(n_nodes: int = 10, rng=None, sigma: float = 1.0, nu: float = 1.0,
                    max_redraws: int = 10_000) -> CausalSEM:
    """The authors' random causal bandit (docs/topics/causal.md#instances) [paper's code, exact law].

    B and B_int are drawn independently: each entry above the diagonal exists with probability 1/2,
    has magnitude U[0.5, 2] and a fair random sign; the pair is redrawn until every non-root
    column differs between B and B_int. Nodes 0..N-1 are then a topological order (the learner is
    not told).

    Parameters
    ----------
    n_nodes : int
        N, 2..16 (paper: 10).
    rng : numpy.random.Generator or numpy.random.SeedSequence
        Randomness (a SeedSequence from :mod:`theorylab.core.seeding` is turned into a PCG64 generator).
    sigma, nu : float
        Common noise standard deviation (> 0) and mean (paper: 1, 1).
    max_redraws : int
        Guard against an endless rejection loop.

    Returns
    -------
    CausalSEM
        The instance, with ``nu`` and ``sigma`` constant vectors and upper-triangular B, B_int.

    Examples
    --------
    >>> from theorylab.core.seeding import seed_sequence
    >>> inst = random_instance(5, seed_sequence(0, "doc"))
    >>> inst.n_actions, bool(np.all(np.tril(inst.B) == 0))
    (32, True)
    """
    N = check_int("n_nodes", n_nodes, minimum=2, maximum=MAX_NODES)
    rng = _generator(rng)
    s = check_positive("sigma", sigma)
    m = check_real("nu", nu)
    check_int("max_redraws", max_redraws, minimum=1)
    for _ in range(max_redraws):
        B = _random_weights(N, rng)
        BI = _random_weights(N, rng)
        if all(not np.array_equal(B[:, n], BI[:, n]) for n in range(1, N)):
            return CausalSEM(B, BI, np.full(N, m), np.full(N, s))
    raise RuntimeError(f"no admissible instance in {max_redraws} redraws")  # pragma: no cover (p ~ 2^-N per try)


def _generator(rng) -> np.random.Generator:
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, np.random.SeedSequence):
        return np.random.default_rng(rng)
    raise TypeError(f"rng must be a numpy Generator or SeedSequence, got {type(rng).__name__}")


def change_graph(inst: CausalSEM, n_col: int, rng, max_redraws: int = 1000) -> tuple[CausalSEM, np.ndarray]:
    """The authors' change model: redraw columns of nodes the optimal actions agree on.

    Col = nodes whose bit is the same in every optimal action (within :data:`OPTIMAL_TOL`). Pick
    ``n_col`` nodes of Col uniformly WITH replacement, give each a fresh column (each i < n a parent
    w.p. 1/2, magnitude U[0.5, 2], random sign), written into B if the optimal actions do not intervene
    on n, else into B_int (so the change hits the mechanism the optimum uses); redraw from the
    pre-change matrices until the old optimal actions are strictly worse than the new maximum.

    Corrections to the authors' code (docs/topics/causal.md#non-stationarity): the exit test is the
    strict inequality max_{a in old optima} r_new(a) < max_a r_new(a) (their float ``==`` test is
    the same event); an empty Col raises ValueError instead of looping forever; a redraw budget
    guards changes that can never reach the reward.

    Parameters
    ----------
    inst : CausalSEM
        Upper-triangular instance (index order topological, as :func:`random_instance` makes).
    n_col : int
        Number of column draws (>= 1; duplicates possible).
    rng : numpy.random.Generator or SeedSequence

    Returns
    -------
    (CausalSEM, numpy.ndarray)
        The changed instance and the sorted distinct changed nodes.

    Examples
    --------
    >>> from theorylab.core.seeding import seed_sequence
    >>> inst = random_instance(6, seed_sequence(1, "doc"))
    >>> new, nodes = change_graph(inst, 1, seed_sequence(2, "doc"))
    >>> bool(new.rewards[inst.optimal_actions()].max() < new.rewards.max())
    True
    """
    if not isinstance(inst, CausalSEM):
        raise TypeError(f"inst must be a CausalSEM, got {type(inst).__name__}")
    k = check_int("n_col", n_col, minimum=1)
    check_int("max_redraws", max_redraws, minimum=1)
    rng = _generator(rng)
    if np.any(np.tril(inst.B) != 0) or np.any(np.tril(inst.B_int) != 0):
        raise ValueError("inst: change_graph needs strictly upper-triangular B and B_int")
    N = inst.n_nodes
    opt = inst.optimal_actions()
    bits = action_bits(N, opt)
    col = np.flatnonzero(np.all(bits == bits[0], axis=0))
    if col.size == 0:
        raise ValueError("inst: no node has the same bit in every optimal action (empty changeable set)")
    k = min(k, col.size)
    for _ in range(max_redraws):
        B, BI = inst.B.copy(), inst.B_int.copy()
        picked = rng.choice(col, k)
        for n in picked:
            exist = np.zeros(N)
            exist[:n] = rng.integers(0, 2, size=n)
            sign = 2 * rng.integers(0, 2, size=N) - 1
            w = rng.uniform(0.5, 2.0, size=N) * exist * sign
            if bits[0, n] == 0:
                B[:, n] = w
            else:
                BI[:, n] = w
        new = CausalSEM(B, BI, inst.nu, inst.sigma)
        if new.rewards[opt].max() < new.rewards.max():
            return new, np.unique(picked)
    raise ValueError(f"inst: no change made the old optimum suboptimal in {max_redraws} redraws")
