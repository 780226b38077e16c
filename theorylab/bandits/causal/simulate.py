"""Data for the bound checks: random-action rounds on an SEM and the OLS fit on the true topology.

This is the setting of the supplement's Lemma 1, Lemma 2 and Theorem 1 (no causal error): the learner
is given the true parent sets and estimates the weights of every sub-graph (node, state) from the
relevant samples (docs/topics/causal.md#bounds). ``fit_true_topology`` runs the same kernels CSL-UCB
uses (:func:`theorylab.bandits.causal.kernels.estimate_weights`, ``action_terms``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from theorylab.bandits.causal import kernels as _k
from theorylab.bandits.causal.instances import CausalSEM, action_bits
from theorylab.core.validate import check_int

__all__ = ["TrueTopologyFit", "random_rounds", "fit_true_topology", "ols_errors"]


@dataclass(frozen=True)
class TrueTopologyFit:
    """OLS on the true parent sets: weights and per-node bound terms for both states, per-action quantities."""

    W: tuple            # (W_state0, W_state1), each (N, N)
    lam: tuple          # lambda_max(Sigma(i)) per node, per state
    npar: tuple         # parent counts per node, per state
    reward_hat: np.ndarray   # (2^N,) [mu_hat_a]_N
    c_norm: np.ndarray       # ||(I - B_hat_a)^{-1}[:, N]||
    mu_hat_norm: np.ndarray  # ||mu_hat_a||
    sigma_bar_parents: np.ndarray  # Sigma-bar with p_i = estimated parent count
    sum_lam: np.ndarray
    max_lam: np.ndarray
    ok: np.ndarray           # I - B_hat_a invertible


def random_rounds(inst: CausalSEM, n_rounds: int, rng: np.random.Generator):
    """``n_rounds`` uniformly random actions (each bit a fair coin) and their observations (X, bits)."""
    T = check_int("n_rounds", n_rounds, minimum=1)
    acts = rng.integers(0, inst.n_actions, size=T)
    return inst.sample(acts, rng), action_bits(inst.n_nodes, acts)


def fit_true_topology(inst: CausalSEM, X, bits, n_max: int = 100, dof_n: bool = False,
                      actions: bool = True) -> TrueTopologyFit:
    """Weights on the true parent sets (first ``n_max`` relevant samples) and the bound terms of every action.

    With ``actions=False`` only the weights and per-node terms are computed (per-action fields None).
    """
    N = inst.n_nodes
    st = np.zeros(N, dtype=np.int64)
    X = np.ascontiguousarray(X)
    b = np.ascontiguousarray(bits, dtype=np.int8)
    out = [_k.estimate_weights(X, b, inst.nu, inst.sigma, s, st, n_max, inst.parents(s)) for s in (0, 1)]
    (W0, l0, p0), (W1, l1, p1) = out
    if not actions:
        return TrueTopologyFit((W0, W1), (l0, l1), (p0, p1), *([None] * 7))
    r, cn, mn, sb, sl, ml, ok = _k.action_terms(W0, W1, inst.nu, l0, l1, p0, p1, dof_n)
    return TrueTopologyFit((W0, W1), (l0, l1), (p0, p1), r, cn, mn, sb, sl, ml, ok)


@njit(cache=True)
def _ols_errors(Z, E):
    R = E.shape[1]
    out = np.empty((R, Z.shape[1]))
    for r in range(R):
        out[r] = _k.ols(Z, E[:, r].copy())
    return out


def ols_errors(Z, noise):
    """OLS estimation errors Delta = b_hat - b for each noise column (fixed design Z, responses Z b + e).

    Uses the production OLS kernel; the error does not depend on b, so it is fitted on y = e.
    """
    return _ols_errors(np.ascontiguousarray(Z, dtype=float), np.ascontiguousarray(noise, dtype=float))
