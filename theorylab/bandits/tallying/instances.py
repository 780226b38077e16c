"""Weighted tallying bandit instances (Malik, Igoe, Li, Singh, ICML 2023; docs/topics/tallying.md#model).

At step t the learner plays a_t and suffers a loss with mean f_{a_t}(x_t), where the weighted tally

    x_t = sum_{i} lw_i 1[a_{t-i} = a_t],   i = 0..m,

counts the played arm's own recent plays. The lag weights ``lw`` encode the lag convention, which the
readable text of the paper does not settle (docs/topics/tallying.md#lag-convention):

- ``include_current=True``: lags 0..m-1 with weights w_0..w_{m-1}, lw = (w_0, w_1, .., w_{m-1}, 0);
  x in [w_0, W]; playing an arm from cold gives tallies P_1, .., P_m = W (m plays to full tally).
- ``include_current=False``: lags 1..m with weights w_0..w_{m-1}, lw = (0, w_0, .., w_{m-1});
  x in [0, W]; from cold the tallies are 0, P_1, .., P_m = W (m + 1 plays to full tally).

Plays before t = 1 do not exist (cold start). Every part of the topic (warm-up, comparators, block fast
path, kernels, properties) reads the convention from ``lag_weights`` only, so one switch drives all.
The lower-bound constructions live in :mod:`theorylab.bandits.tallying.hard_instances`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from theorylab.bandits.tallying.families import FAMILY_CODES, check_family_params, family_loss, weight_profile
from theorylab.core.validate import check_array, check_choice, check_int, check_real

__all__ = ["NOISE_CODES", "WTBInstance", "make_instance", "sequential_cumsum", "REOReport", "reo_check",
           "learning_curve_instance", "satiation_instance", "inverted_u_instance", "random_reo_instance", "EXACT_MAX_M", "resolve_weights"]

NOISE_CODES = {"bernoulli": 0, "gaussian": 1, "deterministic": 2}
EXACT_MAX_M = 16


def sequential_cumsum(values) -> np.ndarray:
    """Left-to-right running sums in float64, in the order the kernels add lag weights.

    numpy's ``sum`` uses pairwise summation, which can differ in the last bit from a loop; every tally
    of the topic is summed left to right so that the full tally is bit-identical everywhere.

    Parameters
    ----------
    values : sequence of float
        Terms, e.g. lag weights, in the order they are added.

    Returns
    -------
    numpy.ndarray of float64, shape (len(values),)
        out[i] = (((values[0] + values[1]) + ...) + values[i]).

    Examples
    --------
    >>> sequential_cumsum([0.5, 0.25, 0.25]).tolist()
    [0.5, 0.75, 1.0]
    """
    out = np.empty(len(values))
    acc = 0.0
    for i, v in enumerate(values):
        acc = acc + float(v)
        out[i] = acc
    return out


@dataclass(frozen=True, eq=False)
class WTBInstance:
    """A weighted tallying bandit: K arms, memory m, weights, per-arm loss families and a noise law.

    Build it with :func:`make_instance` (validated). Attributes are plain arrays the kernels take.

    Attributes
    ----------
    weights : float array (m,)
        w_0..w_{m-1} > 0; w_i weighs the i-th most recent lag of the window.
    include_current : bool
        Lag convention (module docstring).
    codes : int array (K,)
        Family code of each arm.
    params : float array (K, 4)
        Row a: the parameters of arm a's family, zero-padded
        (:func:`~theorylab.bandits.tallying.families.check_family_params`).
    table : float array (K, n)
        Rows of the ``table`` family (a single zero column otherwise).
    noise : str
        ``bernoulli`` (loss in {0, 1}), ``gaussian`` (mean + sigma N(0, 1), not clipped) or
        ``deterministic`` (the loss is its mean).
    sigma : float
        Scale of the Gaussian noise (0 for the other laws).
    name : str
        Label, e.g. ``learning_curve(K=5,m=10,seed=0)``.
    info : dict
        Metadata of the constructor, e.g. ``best`` (the index of a*) and ``family``.
    """

    weights: np.ndarray
    include_current: bool
    codes: np.ndarray
    params: np.ndarray
    table: np.ndarray
    noise: str
    sigma: float
    name: str
    info: dict = field(default_factory=dict)

    @property
    def K(self) -> int:
        return int(self.codes.size)

    @property
    def m(self) -> int:
        return int(self.weights.size)

    @property
    def lag_weights(self) -> np.ndarray:
        """lw (m + 1,): the weight of lag i = 0..m in the tally (module docstring)."""
        lw = np.zeros(self.m + 1)
        if self.include_current:
            lw[: self.m] = self.weights
        else:
            lw[1:] = self.weights
        return lw

    @property
    def cold_tallies(self) -> np.ndarray:
        """Tallies of the 1st, .., (m + 1)-th consecutive play of an arm from cold (last one = W)."""
        return sequential_cumsum(self.lag_weights)

    @property
    def W(self) -> float:
        """Full tally, summed left to right over ``lag_weights``."""
        return float(self.cold_tallies[-1])

    @property
    def warmup(self) -> int:
        """Number of plays from cold before the tally is full: m - 1 (include_current) or m."""
        return self.m - 1 if self.include_current else self.m

    @property
    def min_tally(self) -> float:
        return float(self.lag_weights[0])

    @property
    def noise_code(self) -> int:
        return NOISE_CODES[self.noise]

    def loss(self, arm: int, x) -> np.ndarray:
        """Mean loss f_arm(x) (numpy)."""
        arm = check_int("arm", arm, minimum=0, maximum=self.K - 1)
        return family_loss(int(self.codes[arm]), self.params[arm], self.table[arm], x, self.W)

    @property
    def full_means(self) -> np.ndarray:
        """mu_a = f_a(W), the repeated-exposure loss of each arm."""
        return np.array([float(self.loss(a, self.W)) for a in range(self.K)])

    @property
    def mu_star(self) -> float:
        return float(self.full_means.min())

    def prefix_losses(self) -> np.ndarray:
        """(K, m + 2): row a holds 0, then the cumulative loss of the first 1..m+1 plays of a from cold."""
        out = np.zeros((self.K, self.m + 2))
        tallies = self.cold_tallies
        for a in range(self.K):
            out[a, 1:] = sequential_cumsum(self.loss(a, tallies))
        return out

    def achievable_tallies(self) -> np.ndarray:
        """Every tally value the played arm can have (exact enumeration, m <= 16), sorted."""
        if self.m > EXACT_MAX_M:
            raise ValueError(f"achievable_tallies enumerates 2^m lag sets; m = {self.m} > {EXACT_MAX_M}")
        lw = self.lag_weights
        lags = [i for i in range(1, self.m + 1) if lw[i] > 0]
        vals = set()
        for bits in itertools.product((0, 1), repeat=len(lags)):
            acc = lw[0]
            for b, i in zip(bits, lags):
                if b:
                    acc = acc + lw[i]
            vals.add(acc)
        return np.array(sorted(vals))

    def kernel_arrays(self) -> tuple:
        """(lag_weights, codes, params, table, W, noise_code, sigma): what every kernel takes."""
        return (self.lag_weights, self.codes.astype(np.int64), self.params, self.table, self.W,
                self.noise_code, float(self.sigma))

    def relabel(self, perm) -> "WTBInstance":
        """The same instance with arm ``perm[j]`` renamed j (for equivariance tests)."""
        perm = check_array("perm", perm, ndim=1, dtype=np.int64)
        if sorted(perm.tolist()) != list(range(self.K)):
            raise ValueError(f"perm must be a permutation of 0..{self.K - 1}, got {perm.tolist()}")
        return WTBInstance(self.weights, self.include_current, self.codes[perm], self.params[perm],
                           self.table[perm], self.noise, self.sigma, self.name + "-relabelled", dict(self.info))


def make_instance(weights, families, params, include_current: bool = True, noise: str = "bernoulli",
                  sigma: float = 0.0, table=None, name: str = "wtb", info: dict | None = None) -> WTBInstance:
    """Validated :class:`WTBInstance`.

    Parameters
    ----------
    weights : array (m,)
        Positive weights w_0..w_{m-1}.
    families : sequence of str, length K >= 1
        Family name per arm (:data:`theorylab.bandits.tallying.families.FAMILY_CODES`).
    params : sequence of K parameter rows
        Row a has the entries its family needs (see :mod:`theorylab.bandits.tallying.families`).
    include_current : bool
        Lag convention (module docstring).
    noise : {"bernoulli", "gaussian", "deterministic"}
    sigma : float
        Gaussian noise scale (> 0 for ``gaussian``).
    table : array (K, n), optional
        Values of the ``table`` family.
    name : str, default "wtb"
        Label of the instance (figure captions, RunResult).
    info : dict, optional
        Free metadata copied into ``WTBInstance.info`` (the constructors store ``best`` there).

    Returns
    -------
    WTBInstance
        The instance; the means are clipped into [0, 1] by the families, so every mean is a valid
        Bernoulli parameter.

    Examples
    --------
    >>> inst = make_instance([1.0, 1.0], ["linear", "linear"], [[0.6, -0.4], [0.5, 0.0]])
    >>> inst.cold_tallies.tolist(), inst.full_means.round(12).tolist()
    ([1.0, 2.0, 2.0], [0.2, 0.5])
    """
    w = check_array("weights", weights, ndim=1, min_size=1)
    if np.any(w <= 0):
        raise ValueError(f"weights must all be > 0, got minimum {w.min()}")
    if not isinstance(include_current, (bool, np.bool_)):
        raise TypeError(f"include_current must be a bool, got {include_current!r}")
    if isinstance(families, str) or not hasattr(families, "__len__") or len(families) < 1:
        raise TypeError(f"families must be a non-empty sequence of family names, got {families!r}")
    K = len(families)
    if not hasattr(params, "__len__") or len(params) != K:
        raise ValueError(f"params must have one row per arm (K = {K}), got {params!r}")
    codes = np.array([FAMILY_CODES[check_choice("families", f, FAMILY_CODES)] for f in families], dtype=np.int64)
    par = np.array([check_family_params(f, p) for f, p in zip(families, params)])
    if table is None:
        if "table" in families:
            raise ValueError("table is required when an arm uses the 'table' family")
        tab = np.zeros((K, 1))
    else:
        tab = check_array("table", table, ndim=2)
        if tab.shape[0] != K:
            raise ValueError(f"table must have K = {K} rows, got shape {tab.shape}")
    check_choice("noise", noise, NOISE_CODES)
    sigma = check_real("sigma", sigma, minimum=0.0)
    if noise == "gaussian" and sigma <= 0:
        raise ValueError(f"sigma must be > 0 for gaussian noise, got {sigma}")
    # family_loss clips into [0, 1], so every mean is a valid Bernoulli parameter
    return WTBInstance(w.astype(float), bool(include_current), codes, par, tab, noise, sigma, str(name),
                       dict(info or {}))


@dataclass(frozen=True)
class REOReport:
    """Result of :func:`reo_check`: the repeated-exposure-optimal arm and the slack of each form.

    ``per_step_margin``: min over a != a* and tallies x on the grid of f_a(x) - mu*, and over x of
    f_{a*}(x) - mu* (>= 0 means the per-step form holds). ``exact_margin``: the same over the exactly
    enumerated achievable tallies (None when m > 16).

    Attributes
    ----------
    best : int
        a* = argmin_a f_a(W) (lowest index on ties).
    mu_star : float
        mu* = f_{a*}(W).
    per_step_margin : float
        Worst slack over the tally grid (see above), minus ``margin`` for a != a*.
    exact_margin : float or None
        The same over the achievable tallies; None when m > ``EXACT_MAX_M``.
    holds : bool
        ``exact_margin >= 0`` when it exists (it is decisive), else ``per_step_margin >= 0`` (up to 1e-12).
    """

    best: int
    mu_star: float
    per_step_margin: float
    exact_margin: float | None
    holds: bool


def reo_check(inst: WTBInstance, margin: float = 0.0, grid: int = 1000) -> REOReport:
    """Check Repeated Exposure Optimality in the per-step form (docs/topics/tallying.md#reo).

    The per-step form [ours: the paper's formal definition was not readable]: some arm a* has
    f_{a*}(W) <= f_a(x) for every arm a and every tally x the arm can have. Checked on a grid of
    ``grid`` points of [min tally, W] plus the endpoints, and exactly on the achievable tallies when
    m <= 16. It implies the sequence form OPT_seq(T) >= T mu* (tested by the DP of
    :mod:`theorylab.bandits.tallying.exact`).

    Parameters
    ----------
    inst : WTBInstance
        The instance to check.
    margin : float
        Required slack for arms a != a* (the generators use 0.02).
    grid : int
        Points (>= 2) of the evenly spaced tally grid on [min tally, W] for the per-step form.

    Returns
    -------
    REOReport
        ``holds`` is True when both forms hold with ``margin`` for a != a* (and 0 for a*).

    Examples
    --------
    >>> inst = learning_curve_instance(3, 4, seed=1)
    >>> reo_check(inst, margin=0.02).holds
    True
    """
    if not isinstance(inst, WTBInstance):
        raise TypeError(f"inst must be a WTBInstance, got {type(inst).__name__}")
    margin = check_real("margin", margin, minimum=0.0)
    grid = check_int("grid", grid, minimum=2)
    mu = inst.full_means
    best = int(np.argmin(mu))
    xs = np.concatenate([np.linspace(inst.min_tally, inst.W, grid), [inst.min_tally, inst.W]])
    exact = inst.achievable_tallies() if inst.m <= EXACT_MAX_M else None

    def slack(points):
        worst = np.inf
        for a in range(inst.K):
            req = 0.0 if a == best else margin
            worst = min(worst, float(inst.loss(a, points).min()) - mu[best] - req)
        return worst

    # the grid covers tallies no history reaches (e.g. for the step family): the exact form is decisive
    per_step = slack(xs)
    ex = slack(exact) if exact is not None else None
    holds = (ex >= -1e-12) if ex is not None else per_step >= -1e-12
    return REOReport(best, float(mu[best]), float(per_step), None if ex is None else float(ex), bool(holds))


def resolve_weights(m, weights, gamma, seed):
    """Weights from a profile name (:func:`weight_profile`) or an explicit array of length m.

    Parameters
    ----------
    m : int
        Memory, the required number of weights.
    weights : str or array of float, shape (m,)
        A name of :data:`~theorylab.bandits.tallying.families.WEIGHT_PROFILES` or the weights.
    gamma : float
        Rate of the ``exponential`` profile (unused otherwise).
    seed : int
        Seed of the ``random`` profile (unused otherwise).

    Returns
    -------
    numpy.ndarray of float, shape (m,)
        w_0..w_{m-1} (an explicit array is returned as validated, not checked for positivity here;
        :func:`make_instance` does that).

    Examples
    --------
    >>> resolve_weights(3, "linear", 0.8, 0).round(3).tolist()
    [1.0, 0.667, 0.333]
    """
    if isinstance(weights, str):
        return weight_profile(weights, m, gamma=gamma, seed=seed)
    w = check_array("weights", weights, ndim=1)
    if w.size != m:
        raise ValueError(f"weights must have m = {m} entries, got {w.size}")
    return w


def _best_position(K, rng, best):
    if best is None:
        return int(rng.integers(K))
    return check_int("best", best, minimum=0, maximum=K - 1)


def learning_curve_instance(K: int, m: int, weights="unweighted", include_current: bool = True, seed: int = 0,
                            best: int | None = None, noise: str = "bernoulli", gamma: float = 0.8,
                            sigma: float = 0.0) -> WTBInstance:
    """Learning-curve instance (family A): f_a(u) = c_a + b_a exp(-3 u).

    a* has (c, b) = (0.15, 0.8): worst when fresh, best when practised. Other arms draw c ~ U[0.3, 0.6],
    b ~ U[0.1, 0.4] (seeded), so myopic learners prefer them. REO holds with margin >= 0.11. a* sits at
    a seeded random index unless ``best`` is given (results must not depend on labels). [ours: constants]

    Parameters
    ----------
    K, m : int
        Arms (>= 2) and memory (>= 1).
    weights : str or array of float, shape (m,), default "unweighted"
        Weight profile name (:func:`~theorylab.bandits.tallying.families.weight_profile`, seeded by ``seed``)
        or the weights.
    include_current : bool, default True
        Lag convention (module docstring).
    seed : int, default 0
        Seed (>= 0) of the instance: the other arms' parameters and the position of a*.
    best : int, optional
        Index of a* (default: drawn uniformly from ``seed``).
    noise : {"bernoulli", "gaussian", "deterministic"}, default "bernoulli"
        Noise law.
    gamma : float, default 0.8
        Rate of the ``exponential`` weight profile.
    sigma : float, default 0.0
        Gaussian noise scale (> 0 with ``noise="gaussian"``).

    Returns
    -------
    WTBInstance
        K ``exp_curve`` arms; ``info`` holds ``best`` (the index of a*) and ``family`` ("A").

    Examples
    --------
    >>> inst = learning_curve_instance(5, 10, seed=0, best=2)
    >>> int(np.argmin(inst.full_means))
    2
    """
    K = check_int("K", K, minimum=2)
    m = check_int("m", m, minimum=1)
    seed = check_int("seed", seed, minimum=0)
    rng = np.random.default_rng(seed)
    b = _best_position(K, rng, best)
    params = [[rng.uniform(0.3, 0.6), rng.uniform(0.1, 0.4), 1 / 3] for _ in range(K)]
    params[b] = [0.15, 0.8, 1 / 3]
    return make_instance(resolve_weights(m, weights, gamma, seed), ["exp_curve"] * K, params, include_current, noise,
                         sigma=sigma, name=f"learning_curve(K={K},m={m},seed={seed})", info={"best": b, "family": "A"})


def satiation_instance(K: int, m: int, weights="unweighted", include_current: bool = True, seed: int = 0,
                       best: int | None = None, noise: str = "bernoulli", gamma: float = 0.8) -> WTBInstance:
    """a* learns (family A, as above) while the others satiate (family B: c_a + s_a u, c_a ~ U[0.22, 0.35],
    s_a ~ U[0.1, 0.4]): fresh they beat fresh a*, practised a* beats all. REO margin >= 0.03. [ours]

    Parameters
    ----------
    K, m : int
        Arms (>= 2) and memory (>= 1).
    weights : str or array of float, shape (m,), default "unweighted"
        Weight profile name (:func:`~theorylab.bandits.tallying.families.weight_profile`, seeded by ``seed``)
        or the weights.
    include_current : bool, default True
        Lag convention (module docstring).
    seed : int, default 0
        Seed (>= 0) of the instance: the other arms' parameters and the position of a*.
    best : int, optional
        Index of a* (default: drawn uniformly from ``seed``).
    noise : {"bernoulli", "gaussian", "deterministic"}, default "bernoulli"
        Noise law.
    gamma : float, default 0.8
        Rate of the ``exponential`` weight profile.

    Returns
    -------
    WTBInstance
        a* ``exp_curve``, the others ``satiation`` with p = 1; ``info`` holds ``best`` and ``family`` ("A+B").

    Examples
    --------
    >>> inst = satiation_instance(4, 5, seed=0, best=1)
    >>> int(np.argmin(inst.full_means)), bool(reo_check(inst, margin=0.02).holds)
    (1, True)
    """
    K = check_int("K", K, minimum=2)
    m = check_int("m", m, minimum=1)
    seed = check_int("seed", seed, minimum=0)
    rng = np.random.default_rng(seed)
    b = _best_position(K, rng, best)
    fams = ["satiation"] * K
    params = [[rng.uniform(0.22, 0.35), rng.uniform(0.1, 0.4), 1.0] for _ in range(K)]
    fams[b], params[b] = "exp_curve", [0.15, 0.8, 1 / 3]
    return make_instance(resolve_weights(m, weights, gamma, seed), fams, params, include_current, noise,
                         name=f"satiation(K={K},m={m},seed={seed})", info={"best": b, "family": "A+B"})


def inverted_u_instance(K: int, m: int, weights="unweighted", include_current: bool = True, seed: int = 0,
                        best: int | None = None, noise: str = "bernoulli", gamma: float = 0.8) -> WTBInstance:
    """a* learns (family A, as in :func:`learning_curve_instance`) while the others follow mere exposure
    then wear-out (family C: c_a + s_a (u - u0_a)^2, c_a ~ U[0.22, 0.35], s_a ~ U[0.3, 0.8],
    u0_a ~ U[0.2, 0.8]): each is at its best at an intermediate exposure u0_a, where it beats fresh
    a*, and worse at full tally; practised a* (mu* = 0.15 + 0.8 e^-3 = 0.19) beats every arm at every
    exposure, so REO holds with margin >= 0.03. Panel (c) of R1 [ours: constants].

    Parameters
    ----------
    K, m : int
        Arms and memory.
    weights : str or array
        Weight profile name or the weights (default unweighted, as in RQ1).
    include_current : bool
        Lag convention.
    seed : int
        Seed of the instance (parameters and the position of a*).
    best : int, optional
        Index of a* (default: seeded random).
    noise : str
        Noise law: ``bernoulli`` (default), ``gaussian`` or ``deterministic``.
    gamma : float
        Rate of the ``exponential`` profile.

    Returns
    -------
    WTBInstance
        a* ``exp_curve``, the others ``inverted_u``; ``info`` holds ``best`` and ``family`` ("A+C").

    Examples
    --------
    >>> inst = inverted_u_instance(5, 10, seed=0, best=3)
    >>> int(np.argmin(inst.full_means)), bool(reo_check(inst, margin=0.02).holds)
    (3, True)
    """
    K = check_int("K", K, minimum=2)
    m = check_int("m", m, minimum=1)
    seed = check_int("seed", seed, minimum=0)
    rng = np.random.default_rng(seed)
    b = _best_position(K, rng, best)
    fams = ["inverted_u"] * K
    params = [[rng.uniform(0.22, 0.35), rng.uniform(0.3, 0.8), rng.uniform(0.2, 0.8)] for _ in range(K)]
    fams[b], params[b] = "exp_curve", [0.15, 0.8, 1 / 3]
    return make_instance(resolve_weights(m, weights, gamma, seed), fams, params, include_current, noise,
                         name=f"inverted_u(K={K},m={m},seed={seed})", info={"best": b, "family": "A+C"})


def random_reo_instance(K: int, m: int, seed: int, weights="random", include_current: bool = True,
                        noise: str = "bernoulli", margin: float = 0.02, sigma: float = 0.0) -> WTBInstance:
    """A random REO instance from families A-D (property tests): a* a learning curve with a random
    (c, b, kappa); others from A-D with their minimum over u in [0, 1] above mu* + ``margin``. [ours]

    Parameters
    ----------
    K : int
        Arms (>= 1).
    m : int
        Memory (>= 1).
    seed : int
        Seed (>= 0) of everything random: a*'s index and curve, the other arms' families and parameters,
        and the ``random`` weights.
    weights : str or array of float, shape (m,), default "random"
        Weight profile name or the weights (gamma 0.8 for ``exponential``).
    include_current : bool, default True
        Lag convention.
    noise : {"bernoulli", "gaussian", "deterministic"}, default "bernoulli"
        Noise law.
    margin : float, default 0.02
        Least gap between mu* and the minimum of every other arm's loss over u in [0, 1] (a further
        U[0, 0.3] is added per arm).
    sigma : float, default 0.0
        Gaussian noise scale (> 0 with ``noise="gaussian"``).

    Returns
    -------
    WTBInstance
        An instance satisfying REO (per-step form) with slack >= ``margin``; ``info["best"]`` is a*.

    Examples
    --------
    >>> inst = random_reo_instance(4, 3, seed=7)
    >>> bool(reo_check(inst, margin=0.02).holds), int(np.argmin(inst.full_means)) == inst.info["best"]
    (True, True)
    """
    K = check_int("K", K, minimum=1)
    m = check_int("m", m, minimum=1)
    seed = check_int("seed", seed, minimum=0)
    rng = np.random.default_rng(seed)
    b = int(rng.integers(K))
    c_star = rng.uniform(0.05, 0.3)
    kappa = rng.uniform(0.1, 0.5)
    bb = rng.uniform(0.0, 0.6)
    mu_star = c_star + bb * np.exp(-1.0 / kappa)
    fams, params = [], []
    for a in range(K):
        if a == b:
            fams.append("exp_curve")
            params.append([c_star, bb, kappa])
            continue
        lo = mu_star + margin + rng.uniform(0.0, 0.3)   # the arm's minimum over u in [0, 1]
        kind = int(rng.integers(4))
        if kind == 0:
            fams.append("exp_curve"); params.append([lo, rng.uniform(0, 0.3), rng.uniform(0.1, 0.5)])
        elif kind == 1:
            fams.append("satiation"); params.append([lo, rng.uniform(0, 0.3), float(rng.integers(1, 3))])
        elif kind == 2:
            fams.append("inverted_u"); params.append([lo, rng.uniform(0, 0.3), rng.uniform(0.2, 0.8)])
        else:
            s = rng.uniform(-0.3, 0.3)
            fams.append("linear"); params.append([lo - min(s, 0.0), s])
    return make_instance(resolve_weights(m, weights, 0.8, seed), fams, params, include_current, noise, sigma=sigma,
                         name=f"random_reo(K={K},m={m},seed={seed})", info={"best": b})
