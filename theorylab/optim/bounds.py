"""The bounds checked by the VR-Halpern claims, one plain function per theorem.

Provenance tags (docs/topics/halpern.md#claims): [paper] stated in the cited paper, [verified] checked by PEP, [recalled]
from memory of the paper, [ours] our own empirical envelope.
"""

from __future__ import annotations

import math

import numpy as np

from theorylab.core.validate import check_int, check_positive

__all__ = ["lieder_bound", "cocoercive_halpern_bound", "feg_bound", "eag_bound", "page_envelope",
           "page_envelope_constant", "spec_page_cost", "vr_forb_rate", "EAG_CONSTANT", "PAGE_ENVELOPE_C1"]

EAG_CONSTANT = 260.0  # Yoon & Ryu (2021) EAG-C constant [recalled]
#: Envelope constant of Algorithm 1 in units of 1/(eta L) [ours, calibrated]: 1.1 x the largest upper 95% limit
#: of max_k E||F(x_k)|| (k+4)/(L D) on calibration instances and seeds disjoint from the checked ones
#: (:func:`theorylab.optim.claims.calibrate_page_envelope`), rounded up to 0.05 (observed limit 2).
PAGE_ENVELOPE_C1 = 2.2


def _k(k):
    k = np.asarray(k, dtype=float)
    if np.any(k < 0):
        raise ValueError(f"k must be >= 0, got {k.min()}")
    return k


def lieder_bound(k, D: float = 1.0):
    """Lieder (2021, Thm 2.1): Halpern with lambda_k = 1/(k+2) on nonexpansive T gives ||x_k - T x_k|| <= 2D/(k+1).

    Tight (T = -x at even k; PEP value (2/(k+1))^2). [paper, verified]

    Parameters
    ----------
    k : int or array_like
        Iteration(s).
    D : float
        ||x0 - x*||.

    Returns
    -------
    float or ndarray
        2D/(k+1).

    Examples
    --------
    >>> float(lieder_bound(3, D=2.0))
    1.0
    """
    return 2.0 * check_positive("D", D) / (_k(k) + 1.0)


def cocoercive_halpern_bound(k, L: float, D: float):
    """Halpern on T = I - (2/L)F, F (1/L)-cocoercive: ||F(x_k)|| <= L D/(k+1) (docs/topics/halpern.md#claim-cocoercive_halpern, tight). [derived, verified]

    Parameters
    ----------
    k : int or array_like
        Iteration(s).
    L : float
        Cocoercivity constant.
    D : float
        ||x0 - x*||.

    Returns
    -------
    float or ndarray
        L D/(k+1).
    """
    return check_positive("L", L) * check_positive("D", D) / (_k(k) + 1.0)


def feg_bound(k, L: float, D: float):
    """Lee & Kim (2021, FEG, monotone case): ||F(z_k)|| <= 2 L D / k for k >= 1. [paper, verified by PEP relaxation]

    Parameters
    ----------
    k : int or array_like
        Iteration(s).
    L : float
        Lipschitz constant.
    D : float
        ||z0 - z*||.

    Returns
    -------
    float or ndarray
        2 L D / k.
    """
    k = _k(k)
    if np.any(k < 1):
        raise ValueError("feg_bound needs k >= 1")
    return 2.0 * check_positive("L", L) * check_positive("D", D) / k


def eag_bound(k, eta: float, D: float):
    """Yoon & Ryu (2021, EAG-C, eta <= 1/(8L)): ||F(z_k)|| <= sqrt(260) D / (eta (k+1)). [recalled constant]

    Parameters
    ----------
    k : int or array_like
        Iteration(s).
    eta : float
        Step.
    D : float
        ||z0 - z*||.

    Returns
    -------
    float or ndarray
        sqrt(260) D / (eta (k+1)).
    """
    return math.sqrt(EAG_CONSTANT) * check_positive("D", D) / (check_positive("eta", eta) * (_k(k) + 1.0))


def page_envelope_constant(eta: float, L: float) -> float:
    """C_1 = 2.2 / (eta L): our envelope for Algorithm 1 (:data:`PAGE_ENVELOPE_C1`, calibrated). [ours]

    >>> round(page_envelope_constant(1.0, 1.0), 2)
    2.2

    Parameters
    ----------
    eta : float
        Step.
    L : float
        On-average cocoercivity constant.

    Returns
    -------
    float
        C_1 = 2.2 / (eta L).
    """
    return PAGE_ENVELOPE_C1 / (check_positive("eta", eta) * check_positive("L", L))


def page_envelope(k, eta: float, L: float, D: float):
    """E||F(x_k)|| <= C_1 L D / (k+4) for Algorithm 1 with C_1 = :func:`page_envelope_constant` [paper shape, ours constant].

    Parameters
    ----------
    k : int or array_like
        Iteration(s).
    eta : float
        Step.
    L : float
        On-average cocoercivity constant.
    D : float
        ||x0 - x*||.

    Returns
    -------
    float or ndarray
        C_1 L D / (k+4).
    """
    return page_envelope_constant(eta, L) * L * check_positive("D", D) / (_k(k) + 4.0)


def spec_page_cost(n: int, K: int) -> float:
    """Our asymptotic cost formula 2 n ln n + 6 sqrt(n) K for K iterations of Algorithm 1 [derived].

    Overestimates the exact expectation (:func:`theorylab.optim.vr_halpern.page_expected_calls`) by ~25% at
    n = 400 (the late phase costs 4n/(sqrt(n)+5) + 2b(1-p) < 6 sqrt(n) per iteration).

    Parameters
    ----------
    n : int
        Components.
    K : int
        Iterations.

    Returns
    -------
    float
        2 n ln n + 6 sqrt(n) K.
    """
    n = check_int("n", n, minimum=1)
    K = check_int("K", K, minimum=0)
    return 2.0 * n * math.log(n) + 6.0 * math.sqrt(n) * K


def vr_forb_rate(gamma: float, p: float, mu: float = 1.0) -> float:
    """Per-iteration decay rate of ``ln ||v_t - u*||`` guaranteed for VR-FoRB on a ``mu``-strongly monotone problem.

    Alacaoglu & Malitsky (2022), VR-FoRB with a loopless snapshot refreshed with probability ``p`` and step
    ``gamma <= sqrt(p (1 - p)) / (2 L)``: a Lyapunov function of ``E||v_t - u*||^2`` contracts by
    ``1 - min(gamma mu, p) / 2`` per iteration, i.e. ``ln ||v_t - u*||`` falls by at least
    ``min(gamma mu, p) / 4``. [recalled form of the theorem; constant reconstruction]

    Parameters
    ----------
    gamma : float
        Step.
    p : float
        Snapshot probability.
    mu : float
        Strong monotonicity.

    Returns
    -------
    float
        min(gamma mu, p)/4, the per-iteration decay of ln ||v_t - u*||.

    Examples
    --------
    >>> vr_forb_rate(0.01, 0.5)
    0.0025
    """
    g = check_positive("gamma", gamma)
    q = check_positive("p", p)
    if q > 1:
        raise ValueError(f"p must be in (0, 1], got {p}")
    return float(min(g * check_positive("mu", mu), q) / 4.0)
