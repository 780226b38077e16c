"""Evaluate function of the Proposition 1 claim: the residual of a true parent is independent of it, the
residual of a wrongly included non-ancestor is not (docs/topics/causal.md#claims).

Proposition 1 (ICASSP 2024 supplement, eqs. (8)-(21)) bounds I(R_i; X_j) for a non-ancestor j used as a
regressor of node i by an intrinsic-error part plus a causal-error part; with no causal error (only true
parents as regressors) the residual is the node's noise, independent of every regressor, so I = 0. The
edge score of CSL-UCB (KSG mutual information of the OLS residual with each candidate, minus ln|b|) rests
on that gap. The bound's oracle quantities (sigma_E1, sigma_E2, rho_E) are not observable, so the claim
checks the Proposition's use [spec 5.4]: on two-node instances 0 -> 1 whose child is intervened on in a
random half of the rounds (a Gaussian mixture, the setting where the wrong direction's MI is positive),
the KSG MI of the wrong-direction residual exceeds the true-direction one.
"""

from __future__ import annotations

import numpy as np

from theorylab.bandits.causal import kernels as _k
from theorylab.bandits.causal.instances import CausalSEM, action_bits
from theorylab.core.claims import Evidence, by_size
from theorylab.core.seeding import seed_sequence
from theorylab.core.stats import t_interval

__all__ = ["eval_prop1_mi_gap", "residual_mi"]

K_NN = 5


def residual_mi(X, rows, node, parent, nu_n, fit_scale=1.0, k=K_NN):
    """KSG MI between the OLS residual of ``node`` on the single regressor ``parent`` and that regressor.

    The residual is y - c Z b_hat with y = X[rows, node] - nu_n, Z = X[rows, parent], b_hat the production
    OLS kernel's fit and c = ``fit_scale`` (1 in production; at c = 1 this is the MI part of the edge score
    of :func:`theorylab.bandits.causal.kernels.fit_column`).

    Parameters
    ----------
    X : array (T, N)
        Observations.
    rows : array of int
        The relevant rounds.
    node, parent : int
        The regressed node and its regressor.
    nu_n : float
        Known noise mean of ``node``.
    fit_scale : float
        c, the multiplier of the fitted coefficient in the residual (the claim's break: c < 1).
    k : int
        KSG neighbours.

    Returns
    -------
    float
        The KSG-2 estimate (production kernel).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x0 = rng.normal(1, 1, 400); X = np.c_[x0, 1.5 * x0 + rng.normal(1, 1, 400)]
    >>> abs(residual_mi(X, np.arange(400), 1, 0, 1.0)) < 0.05      # true parent: independent residual
    True
    """
    X = np.ascontiguousarray(X, dtype=float)
    rows = np.asarray(rows, dtype=np.int64)
    y = X[rows, node] - nu_n
    z = np.ascontiguousarray(X[rows, parent])
    b = _k.ols(np.ascontiguousarray(z[:, None]), np.ascontiguousarray(y))
    return float(_k.ksg_mi(np.ascontiguousarray(y - fit_scale * b[0] * z), z, k, False))


def _instance(rng):
    """Two nodes, 0 -> 1 in both states, weights of the authors' law (|b| in U[0.5, 2], random sign)."""
    b = rng.uniform(0.5, 2.0, 2) * (2 * rng.integers(0, 2, 2) - 1)
    return CausalSEM(np.array([[0.0, b[0]], [0.0, 0.0]]), np.array([[0.0, b[1]], [0.0, 0.0]]), np.ones(2), np.ones(2))


def eval_prop1_mi_gap(size="quick", n_jobs=1, seed=0, fit_scale=1.0):
    """Mean over instances of I_KSG(R_0; X_1) - I_KSG(R_1; X_0) >= 0, Student-t interval (R - 1 df).

    Per instance: n uniformly random actions (each bit a fair coin), so node 1 follows B in half of the
    rounds and B_int in the other half; node 0 (the root) is regressed on its child X_1 over the rows of
    its state 0 (the wrong direction: a mixture), node 1 on its true parent X_0 over the rows of its state
    0 (no causal error: R_1 is the noise). ``fit_scale`` multiplies the fitted coefficient in both residuals
    (the break: c = 0 uses the raw response, so the regression no longer removes the parent's part).

    Parameters
    ----------
    size : str
        ``"quick"`` (40 instances, 200 rounds) or ``"full"`` (400, 400).
    n_jobs : int
        Unused (one process; kept for the claim interface).
    seed : int
        Master seed (instances and rounds from ``seed_sequence(seed, "causal.prop1", i)``).
    fit_scale : float
        c; production 1.

    Returns
    -------
    theorylab.core.claims.Evidence
        Rule ``lower``, bound 0.
    """
    R, n = by_size(size, (40, 200), (400, 400))
    gaps = np.empty(R)
    wrong = np.empty(R)
    true = np.empty(R)
    for i in range(R):
        rng = np.random.default_rng(seed_sequence(seed, "causal.prop1", i))
        inst = _instance(rng)
        acts = rng.integers(0, inst.n_actions, size=n)
        X = inst.sample(acts, rng)
        bits = np.ascontiguousarray(action_bits(2, acts), dtype=np.int8)
        wrong[i] = residual_mi(X, _k.relevant_rows(bits, 0, 0, 0, n), 0, 1, 1.0, fit_scale)
        true[i] = residual_mi(X, _k.relevant_rows(bits, 1, 0, 0, n), 1, 0, 1.0, fit_scale)
        gaps[i] = wrong[i] - true[i]
    iv = t_interval(gaps)
    return Evidence(measured=iv.estimate, ci_low=iv.low, ci_high=iv.high, bound=0.0, reps=R, rule="lower",
                    details={"method": "mean MI gap over instances, Student-t 95% interval, R - 1 df",
                             "rounds": n, "instances": R, "mean_mi_wrong_direction": float(wrong.mean()),
                             "mean_mi_true_parent": float(true.mean()),
                             "share_wrong_above_true": float(np.mean(gaps > 0)), "fit_scale": fit_scale})
