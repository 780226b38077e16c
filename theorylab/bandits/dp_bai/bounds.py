"""Error-probability bounds for DP-BAI as plain functions (docs/topics/dp_bai.md#proposition-a).

The paper's constants could not be verified (docs/topics/dp_bai.md#what-differs-from-the-paper), so the deterministic bounds
here are the ones DERIVED for the algorithm exactly as implemented (schedule of docs/topics/dp_bai.md#dp-bai):

- :func:`unstructured_error_bound` - Proposition A [DERIVED], a_i = e_i:
  P_err <= sum_p s_p [ e^{1/4} exp(-T / (8 M H_BAI)) + (1/2) e^{eps/4} exp(-eps T / (8 M H_pri)) ].
- :func:`unstructured_error_bound_closed` - its closed form
  2K (e^{1/4} + e^{eps/4} / 2) exp(-T / (8 M (H_BAI + H_pri / eps))).
- :func:`linear_error_bound` - Proposition B [DERIVED, loose], any features: union over phases of
  s_p [exp(-n_p D^2 / (8 d_p)) + exp(d_p / 3 - eps n_p D / 8)], D = Delta_{(s_{p+1}+1)}, evaluated at
  the worst d_p = min(s_p, d_0) and n_p = floor(T / (M d_p)).
- :func:`rate_lower_bound` - the exponent 1 / (8 M (H_BAI + H_pri/eps)) implied by Proposition A.
"""

from __future__ import annotations

import math

import numpy as np

from theorylab.bandits.dp_bai.instances import LinearBAIInstance, complexities
from theorylab.bandits.dp_bai.plans import default_schedule
from theorylab.core.validate import check_int

__all__ = ["unstructured_error_bound", "unstructured_error_bound_closed", "linear_error_bound", "rate_lower_bound",
           "complexity"]


def _eps(epsilon) -> float:
    e = float(epsilon)
    if not e > 0:
        raise ValueError(f"epsilon must be > 0 (or inf), got {epsilon!r}")
    return e


def complexity(inst: LinearBAIInstance, epsilon: float) -> float:
    """H_BAI + H_pri / epsilon (the paper's complexity; H_pri/eps = 0 for eps = inf).

    Parameters
    ----------
    inst : LinearBAIInstance
        The instance.
    epsilon : float
        Privacy parameter.

    Returns
    -------
    float
        H_BAI + H_pri / epsilon.
    """
    hb, hp = inst.complexities()
    e = _eps(epsilon)
    return hb + (0.0 if math.isinf(e) else hp / e)


def unstructured_error_bound(means, budget: int, epsilon: float) -> float:
    """Proposition A [DERIVED, docs/topics/dp_bai.md#proposition-a]: error bound of DP-BAI/DP-SH with a_i = e_i.

    Parameters
    ----------
    means : array_like
        Arm means.
    budget : int
        T.
    epsilon : float
        Privacy parameter.

    Returns
    -------
    float
        Proposition A's bound (may exceed 1).

    Examples
    --------
    >>> b1 = unstructured_error_bound([0.7, 0.5, 0.3], 4000, 1.0)
    >>> b2 = unstructured_error_bound([0.7, 0.5, 0.3], 8000, 1.0)
    >>> b2 < b1
    True
    """
    mu = np.asarray(means, dtype=float)
    T = check_int("budget", budget, minimum=1)
    e = _eps(epsilon)
    K = mu.size
    hb, hp = complexities(mu)
    sizes = default_schedule(K, K)
    M = len(sizes) - 1
    term = math.exp(0.25) * math.exp(-T / (8 * M * hb))
    if not math.isinf(e):
        term += 0.5 * math.exp(e / 4) * math.exp(-e * T / (8 * M * hp)) if e < 700 else 0.0
    return float(sum(sizes[:-1]) * term)


def unstructured_error_bound_closed(means, budget: int, epsilon: float) -> float:
    """Closed form of Proposition A: 2K (e^{1/4} + e^{eps/4}/2) exp(-T / (8 M (H_BAI + H_pri/eps))).

    Parameters
    ----------
    means : array_like
        Arm means.
    budget : int
        T.
    epsilon : float
        Privacy parameter.

    Returns
    -------
    float
        Proposition A's closed form 2K (e^(1/4) + e^(eps/4)/2) exp(-T/(8 M (H_BAI + H_pri/eps))).
    """
    mu = np.asarray(means, dtype=float)
    T = check_int("budget", budget, minimum=1)
    e = _eps(epsilon)
    K = mu.size
    hb, hp = complexities(mu)
    M = len(default_schedule(K, K)) - 1
    if math.isinf(e):
        return float(2 * K * math.exp(0.25) * math.exp(-T / (8 * M * hb)))
    return float(2 * K * (math.exp(0.25) + math.exp(e / 4) / 2) * math.exp(-T / (8 * M * (hb + hp / e))))


def linear_error_bound(inst: LinearBAIInstance, budget: int, epsilon: float, schedule=None) -> float:
    """Proposition B [DERIVED, loose, docs/topics/dp_bai.md#proposition-b]: error bound of DP-BAI on a linear instance.

    Phase p eliminates the best arm only if an arm with gap >= Delta_{(s_{p+1}+1)} (sorted gaps)
    beats it; for such an arm, mu_hat_a - mu_hat_1 + Delta_a = sum_j c_j (sampling error) +
    sum_j c_j xi_j with |c_j| <= 2 (Max-Det, |beta| <= 1), giving
    exp(-n_p D^2 / (8 d_p)) + exp(d_p/3 - eps n_p D / 8); union over <= s_p arms and the phases.

    Parameters
    ----------
    inst : LinearBAIInstance
        The instance.
    budget : int
        T.
    epsilon : float
        Privacy parameter.
    schedule : sequence of int, optional
        Phase sizes (default the reconstructed schedule).

    Returns
    -------
    float
        Proposition B's bound (may exceed 1).
    """
    T = check_int("budget", budget, minimum=1)
    e = _eps(epsilon)
    sizes = list(schedule) if schedule is not None else default_schedule(inst.K, inst.rank)
    M = len(sizes) - 1
    gaps = np.sort(inst.gaps)
    total = 0.0
    for p in range(M):
        dp = min(sizes[p], inst.rank)
        n = T // (M * dp)
        if n < 1:
            return math.inf
        D = gaps[sizes[p + 1]]
        term = math.exp(-n * D * D / (8 * dp))
        if not math.isinf(e):
            term += math.exp(min(dp / 3 - e * n * D / 8, 700.0))
        total += sizes[p] * term
    return float(total)


def rate_lower_bound(inst: LinearBAIInstance, epsilon: float) -> float:
    """Error exponent guaranteed by Proposition A: 1 / (8 M (H_BAI + H_pri / eps)) [DERIVED, unstructured].

    Parameters
    ----------
    inst : LinearBAIInstance
        The instance.
    epsilon : float
        Privacy parameter.

    Returns
    -------
    float
        The exponent 1/(8 M (H_BAI + H_pri/epsilon)).
    """
    M = len(default_schedule(inst.K, inst.rank)) - 1
    return 1.0 / (8 * M * complexity(inst, epsilon))
