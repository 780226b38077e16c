"""The bounds checked by the linear topic's claims, one plain function each.

Provenance tags follow docs/topics/linear.md#claims: ``derived`` bounds are proved in the topic note for the
algorithm or instance exactly as implemented; ``standard`` results come from the cited prior work; the
paper's own theorem statements and constants could not be read (arXiv 2303.16998, body unavailable).
"""

from __future__ import annotations

import math

import numpy as np

from theorylab.bandits.linear.nets import n_supports
from theorylab.core.validate import check_int, check_real

__all__ = ["sparsenet_error_bound", "sparsenet_query_bound", "design_prediction_bound", "separation_error",
           "lsw20_decision_reference", "needle_success_bound", "rs_query_lower_bound", "jl_failure_bound",
           "good_feature_error_bound", "phased_regret_bound", "oful_regret_shape"]


def sparsenet_error_bound(eps: float, eps_net: float, eps_stat: float = 0.0) -> float:
    """SparseNet's decision error bound r(a*) - r(a_hat) <= 2 eps + 2 eps_net + 2 eps_stat.

    Dong & Yang 2023, claim 1 of the arXiv v1 abstract in shape (O(eps)-optimal action); the constant is
    [derived] in docs/topics/linear.md#sparsenet for all three selection modes, with
    probability >= 1 - p over the noise (deterministic when noiseless, eps_stat = 0).

    Parameters
    ----------
    eps, eps_net, eps_stat : float >= 0

    Returns
    -------
    float

    Examples
    --------
    >>> sparsenet_error_bound(0.05, 0.05)
    0.2
    """
    eps = check_real("eps", eps, minimum=0.0)
    eps_net = check_real("eps_net", eps_net, minimum=0.0)
    eps_stat = check_real("eps_stat", eps_stat, minimum=0.0)
    return 2.0 * (eps + eps_net + eps_stat)


def sparsenet_query_bound(d: int, s: int, net_size: int, K: int, m: int = 1) -> int:
    """Q <= m min(K, C(d, s) |net|): SparseNet queries at most the distinct greedy actions, m times each.

    [derived] docs/topics/linear.md#sparsenet; the O((d/eps)^s) of the arXiv v1 abstract follows from
    |net| <= (sqrt(s)/eps + 2)^s.

    Parameters
    ----------
    d : int >= 1
        Dimension.
    s : int >= 1
        Sparsity (support size enumerated).
    net_size : int >= 1
        |net|, the realised number of net points.
    K : int >= 1
        Number of actions.
    m : int >= 1
        Queries per queried action.

    Returns
    -------
    int
        The bound on the total number of queries.

    Examples
    --------
    >>> sparsenet_query_bound(10, 2, 100, 10**6)
    4500
    """
    d = check_int("d", d, minimum=1)
    s = check_int("s", s, minimum=1)
    net_size = check_int("net_size", net_size, minimum=1)
    K = check_int("K", K, minimum=1)
    m = check_int("m", m, minimum=1)
    return m * min(K, n_supports(d, s) * net_size)


def design_prediction_bound(eps: float, g: float, N: int, n: int, sigma: float = 0.0, K: int = 1,
                            p: float = 0.05, bias_scale: float = 1.0, noise_scale: float = 1.0) -> float:
    """DesignLS prediction bound beta = eps + eps sqrt(g N / n) + sigma sqrt(2 g log(2K/p) / n).

    For every action b, |r(b) - <phi(b), theta_hat>| <= beta (simultaneously over b with probability
    >= 1 - p; deterministic when sigma = 0). Lattimore, Szepesvari & Weisz 2020 [standard argument],
    constants [derived] in docs/topics/linear.md#designls: the bias term is bounded by
    Cauchy-Schwarz and V_n >= n V(pi).

    Parameters
    ----------
    eps : float >= 0
    g : float > 0
        g(pi) of the design.
    N, n : int
        Total queries and budget scale (n_a = ceil(n pi(a))).
    sigma : float >= 0
    K : int
        Number of actions (union bound).
    p : float in (0, 1)
    bias_scale : float
        Multiplier of the amplification term eps sqrt(g N / n) (1 in the bound; other values only for the
        deliberate break of the claim).
    noise_scale : float
        Multiplier of the noise term (1 in the bound; other values only for the noisy claim's break).

    Returns
    -------
    float

    Examples
    --------
    >>> round(design_prediction_bound(0.1, 4.0, 8, 8), 12)
    0.3
    """
    eps = check_real("eps", eps, minimum=0.0)
    g = check_real("g", g, minimum=0.0, strict_min=True)
    N = check_int("N", N, minimum=1)
    n = check_int("n", n, minimum=1)
    sigma = check_real("sigma", sigma, minimum=0.0)
    noise = sigma * math.sqrt(2.0 * g * math.log(2.0 * K / p) / n) if sigma > 0 else 0.0
    return eps + bias_scale * eps * math.sqrt(g * N / n) + noise_scale * noise


def separation_error(d: int, eps: float) -> float:
    """err(DesignLS) on SEP(d, eps) with the uniform design on the basis: exactly eps sqrt(d-1)/2.

    [derived] docs/topics/linear.md#separation-instance: theta_hat = (alpha - eps, -eps, ..., -eps) and
    <x, theta_hat> = eps sqrt(d-1) > alpha - eps, so DesignLS outputs x and loses alpha = eps sqrt(d-1)/2.
    Shows that the eps sqrt(d) amplification of Lattimore, Szepesvari & Weisz 2020 is attained.

    Parameters
    ----------
    d : int >= 2
        Dimension of SEP(d, eps).
    eps : float >= 0
        Misspecification level.

    Returns
    -------
    float
        eps sqrt(d - 1) / 2.

    Examples
    --------
    >>> separation_error(5, 0.1)
    0.1
    """
    d = check_int("d", d, minimum=2)
    eps = check_real("eps", eps, minimum=0.0)
    return eps * math.sqrt(d - 1) / 2.0


def lsw20_decision_reference(d: int, eps: float) -> float:
    """2 eps (1 + sqrt(d)): the standard decision-error level of design + least squares (reference only).

    Szepesvari's RL theory notes (LSPI with a G-optimal core set at gamma = 0) [standard]; reported beside the
    exact separation value, not checked.

    Parameters
    ----------
    d : int >= 1
        Dimension.
    eps : float
        Misspecification level.

    Returns
    -------
    float
        2 eps (1 + sqrt(d)).

    Examples
    --------
    >>> round(lsw20_decision_reference(4, 0.1), 12)
    0.6
    """
    return 2.0 * eps * (1.0 + math.sqrt(check_int("d", d, minimum=1)))


def needle_success_bound(Q: int, m: int) -> float:
    """Yao bound: P(a learner outputs the needle after Q noiseless queries) <= (Q + 1) / m, needle uniform.

    Before it queries the needle every observed reward is 0, so a deterministic learner's first Q queries
    do not depend on the needle; it finds it among them with probability Q/m and can guess one more action
    [derived; Du et al. 2020 and Lattimore, Szepesvari & Weisz 2020 use the same argument]
    (docs/topics/linear.md#needle-lower-bounds). Randomised learners: average over their seeds.

    Parameters
    ----------
    Q : int >= 0
        Queries made.
    m : int >= 1
        Number of actions (needle positions).

    Returns
    -------
    float
        min(1, (Q + 1) / m).

    Examples
    --------
    >>> needle_success_bound(9, 100)
    0.1
    """
    Q = check_int("Q", Q, minimum=0)
    m = check_int("m", m, minimum=1)
    return min(1.0, (Q + 1) / m)


def rs_query_lower_bound(q: int, r: int) -> float:
    """Queries any learner needs on RS(q, s, r) for success probability >= 1/2 at error < Delta: q^(r+1)/2 - 1.

    [derived] from :func:`needle_success_bound` with m = q^(r+1) (docs/topics/linear.md#needle-lower-bounds).

    Parameters
    ----------
    q : int >= 2
        Field size of RS(q, s, r).
    r : int >= 0
        Overlap parameter (polynomial degree).

    Returns
    -------
    float
        q^(r+1) / 2 - 1.

    Examples
    --------
    >>> rs_query_lower_bound(5, 1)
    11.5
    """
    q = check_int("q", q, minimum=2)
    r = check_int("r", r, minimum=0)
    return q ** (r + 1) / 2.0 - 1.0


def jl_failure_bound(m: int) -> float:
    """P(m Rademacher vectors in dimension ceil(8 ln m / gamma^2) are not gamma-coherent) <= 1/m^2.

    Hoeffding: P(|<v_i, v_j>| > gamma) <= 2 exp(-k gamma^2 / 2), union over m(m-1)/2 pairs, then
    k >= 8 ln m / gamma^2 [derived; the constant 8 matches the Johnson-Lindenstrauss folklore used by
    Lattimore, Szepesvari & Weisz 2020] (docs/topics/linear.md#jl-needle).

    Parameters
    ----------
    m : int >= 2
        Number of vectors.

    Returns
    -------
    float
        1 / m^2.

    Examples
    --------
    >>> jl_failure_bound(10)
    0.01
    """
    m = check_int("m", m, minimum=2)
    return 1.0 / m**2


def good_feature_error_bound(eps: float, tau: float, s: int) -> float:
    """GoodFeatureProbe's decision error bound 2 (eps + sqrt(5 s) tau), l2-normalised features, noiseless.

    [ours algorithm, derived bound] docs/topics/linear.md#goodfeatureprobe: after hard thresholding
    ||theta_s - theta*||_2 <= sqrt(5 s) tau with tau = (eps + eps_stat) / c0.

    Parameters
    ----------
    eps : float >= 0
        Misspecification level.
    tau : float >= 0
        Per-coordinate estimation error (eps + eps_stat) / c0.
    s : int >= 1
        Sparsity.

    Returns
    -------
    float
        2 (eps + sqrt(5 s) tau).

    Examples
    --------
    >>> round(good_feature_error_bound(0.1, 0.1, 5), 12)
    1.2
    """
    eps = check_real("eps", eps, minimum=0.0)
    tau = check_real("tau", tau, minimum=0.0)
    s = check_int("s", s, minimum=1)
    return 2.0 * (eps + math.sqrt(5.0 * s) * tau)


def phased_regret_bound(played, gap_max: float) -> np.ndarray:
    """PhasedElimG regret on its noise event: sum_l n_l min(gap_max, 8 eps_l), eps_l = 2^-l (n_1 with gap_max).

    [derived; docs/topics/linear.md#phasedelimg] On the event that |<phi(a), theta_hat_l - theta*>| <= eps_l for
    every active a in every phase (well specified; probability >= 1 - sum_l p / (l (l + 1)) >= 1 - p with the
    phase lengths of :func:`theorylab.bandits.linear.phased.phase_lengths`), the best action is never
    eliminated and every a kept after phase l has gap <= max_b <phi(b) - phi(a), theta_hat_l> + 2 eps_l
    <= 4 eps_l, so each round of phase l + 1 costs at most 4 eps_l = 8 eps_{l+1}.

    Parameters
    ----------
    played : int array (R, L)
        Rounds played by each run in phases 1..L (``PhasedResult.info["played"]``).
    gap_max : float >= 0
        max_a (max r - r(a)), the cost of a round of phase 1.

    Returns
    -------
    float array (R,)

    Examples
    --------
    >>> phased_regret_bound(np.array([[10, 20, 40]]), 1.0).tolist()
    [70.0]
    """
    n = np.asarray(played, dtype=float)
    if n.ndim != 2 or n.shape[1] < 1 or np.any(n < 0):
        raise ValueError(f"played must be a nonnegative (runs, phases) array, got shape {n.shape}")
    gap_max = check_real("gap_max", gap_max, minimum=0.0)
    per_round = np.minimum(gap_max, 8.0 * 2.0 ** -np.arange(1, n.shape[1] + 1))
    per_round[0] = gap_max
    return n @ per_round


def oful_regret_shape(T, d: int, lam: float = 1.0, S: float = 1.0, L: float = 1.0, sigma: float = 1.0,
                      p: float = 0.05) -> np.ndarray:
    """T-dependence of the OFUL regret bound, sqrt(T d log(lam + T L / d)) (sqrt(lam) S + sigma sqrt(2 log(1/p) + d log(1 + T L / (lam d)))).

    Abbasi-Yadkori, Pal & Szepesvari 2011, Theorem 3 (with its leading constant 4 omitted; the form as
    recorded in our planning notes, constant from memory) [standard]. Its log-log slope in T is 1/2 plus the
    slope of the log factors, which is the bound of the LinUCB regret-slope claim.

    Parameters
    ----------
    T : array_like of int >= 1
    d : int >= 1
    lam, S, L, sigma : float > 0
    p : float in (0, 1)

    Returns
    -------
    float array

    Examples
    --------
    >>> bool(oful_regret_shape([100, 400], 5)[1] / oful_regret_shape([100, 400], 5)[0] > 2)
    True
    """
    T = np.asarray(T, dtype=float)
    d = check_int("d", d, minimum=1)
    if np.any(T < 1):
        raise ValueError("T must be >= 1")
    return np.sqrt(T * d * np.log(lam + T * L / d)) * (math.sqrt(lam) * S + sigma * np.sqrt(
        2 * math.log(1 / p) + d * np.log(1 + T * L / (lam * d))))
