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

__all__ = ["TrueTopologyFit", "random_rounds", "fit_true_topology", "ols_errors", "bound_terms_batch"]


@dataclass(frozen=True)
class TrueTopologyFit:
    """OLS on the true parent sets: weights and per-node bound terms for both states, per-action quantities.

    Built by :func:`fit_true_topology`; N nodes, K = 2^N actions. The per-action fields are None when it was
    called with ``actions=False``.

    Attributes
    ----------
    W : tuple of 2 numpy.ndarray of float, shape (N, N)
        OLS weights of state 0 (observational) and state 1 (interventional), W[s][i, j] for i -> j.
    lam : tuple of 2 numpy.ndarray of float, shape (N,)
        lambda_max(Sigma(i)) = sigma_i^2 lambda_max((Z^T Z)^{-1}) per node, per state (0 without parents).
    npar : tuple of 2 numpy.ndarray of int64, shape (N,)
        Parent counts per node, per state.
    reward_hat : numpy.ndarray of float, shape (K,) or None
        [mu_hat_a]_N, the plug-in reward estimate of every action.
    c_norm : numpy.ndarray of float, shape (K,) or None
        ||(I - B_hat_a)^{-1}[:, N]||_2 (Theorem 1's first factor).
    mu_hat_norm : numpy.ndarray of float, shape (K,) or None
        ||mu_hat_a||_2 (the authors' plug-in for ||mu_a||).
    sigma_bar_parents : numpy.ndarray of float, shape (K,) or None
        Sigma-bar_a with p_i = the parent count (p_i = N if the fit used ``dof_n=True``).
    sum_lam, max_lam : numpy.ndarray of float, shape (K,) or None
        Sum and maximum of lam_i over the nodes under action a.
    ok : numpy.ndarray of bool, shape (K,) or None
        Whether I - B_hat_a is invertible (the other per-action values are meaningless where False).
    """

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
    """``n_rounds`` uniformly random actions (each bit a fair coin) and their observations (X, bits).

    Parameters
    ----------
    inst : CausalSEM
        The system to sample (N nodes).
    n_rounds : int
        Number of rounds T (>= 1).
    rng : numpy.random.Generator
        Source of the actions and of the noise.

    Returns
    -------
    X : numpy.ndarray of float, shape (T, N)
        One observation of every node per round.
    bits : numpy.ndarray of int8, shape (T, N)
        The rounds' action bits (bits[t, n] = 1 if node n was intervened on).
    """
    T = check_int("n_rounds", n_rounds, minimum=1)
    acts = rng.integers(0, inst.n_actions, size=T)
    return inst.sample(acts, rng), action_bits(inst.n_nodes, acts)


def fit_true_topology(inst: CausalSEM, X, bits, n_max: int = 100, dof_n: bool = False,
                      actions: bool = True) -> TrueTopologyFit:
    """Weights on the true parent sets (first ``n_max`` relevant samples) and the bound terms of every action.

    With ``actions=False`` only the weights and per-node terms are computed (per-action fields None).

    Parameters
    ----------
    inst : CausalSEM
        The system; its true parent sets ``inst.parents(s)`` are the topology, its nu and sigma are known.
    X : array_like of float, shape (T, N)
        Observations, e.g. from :func:`random_rounds`.
    bits : array_like of int, shape (T, N)
        Action bits of the rounds.
    n_max : int, default 100
        Relevant samples per sub-graph (node, state), the first ones (the authors' cap).
    dof_n : bool, default False
        Sigma-bar with p_i = N (the supplement) instead of the parent count (the authors' code).
    actions : bool, default True
        Also compute the per-action terms of all 2^N actions.

    Returns
    -------
    TrueTopologyFit
        Weights and per-node terms of both states, and (if ``actions``) the per-action quantities.
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

    Parameters
    ----------
    Z : array_like of float, shape (m, p)
        Fixed design (full column rank).
    noise : array_like of float, shape (m, R)
        One noise vector e per column.

    Returns
    -------
    numpy.ndarray of float, shape (R, p)
        Row r: Delta_r = (Z^T Z)^{-1} Z^T e_r, the OLS error for noise column r.
    """
    return _ols_errors(np.ascontiguousarray(Z, dtype=float), np.ascontiguousarray(noise, dtype=float))


@njit(cache=True)
def _bound_terms(Xs, bitss, nus, sigmas, par0, par1, acts, n_max):
    R, _, N = Xs.shape
    out = np.empty((R, 3))
    start = np.zeros(N, dtype=np.int64)
    A = np.empty((N, N))
    inv = np.empty((N, N))
    for r in range(R):
        W0, l0, p0 = _k.estimate_weights(Xs[r], bitss[r], nus[r], sigmas[r], 0, start, n_max, par0[r])
        W1, l1, p1 = _k.estimate_weights(Xs[r], bitss[r], nus[r], sigmas[r], 1, start, n_max, par1[r])
        sb = 0.0
        for j in range(N):
            bit = (acts[r] >> (N - 1 - j)) & 1
            for i in range(N):
                A[i, j] = (1.0 if i == j else 0.0) - (W1[i, j] if bit else W0[i, j])
            p = p1[j] if bit else p0[j]
            if p > 0:
                sb += np.sqrt(p * (p + 2.0)) * (l1[j] if bit else l0[j])
        if _k._invert(A, inv):
            mu = inv.T @ nus[r]
            out[r, 0] = mu[N - 1]
            out[r, 1] = np.sqrt(np.sum(inv[:, N - 1] ** 2))
        else:
            out[r, 0] = -np.inf
            out[r, 1] = np.inf
        out[r, 2] = sb
    return out


def bound_terms_batch(instances, Xs, bitss, actions, n_max: int = 100) -> np.ndarray:
    """One kernel call over repetitions: OLS on the true parent sets and Theorem 1's terms of one action each.

    Run r: weights of both states of ``instances[r]`` from its data ``Xs[r]``, ``bitss[r]`` (first
    ``n_max`` relevant samples, the production ``estimate_weights``), then for action ``actions[r]`` the
    reward estimate, ||(I - B_hat_a)^{-1}[:, N]|| and Sigma-bar_a (per-node dof), exactly as
    :func:`fit_true_topology` gives them for that action, without evaluating the other 2^N - 1 actions.

    Parameters
    ----------
    instances : sequence of CausalSEM
        Same number of nodes.
    Xs : array (R, T, N)
        Observations of each run.
    bitss : array (R, T, N)
        Action bits of each run's rounds.
    actions : array of int (R,)
        The checked action of each run.
    n_max : int
        Relevant samples per sub-graph.

    Returns
    -------
    numpy.ndarray, shape (R, 3)
        Columns: [mu_hat_a]_N, ||(I - B_hat_a)^{-1}[:, N]||, Sigma-bar_a (inf / -inf if I - B_hat_a is singular).

    Examples
    --------
    >>> from theorylab.bandits.causal.instances import random_instance
    >>> rng = np.random.default_rng(0)
    >>> inst = random_instance(4, rng)
    >>> X, bits = random_rounds(inst, 80, rng)
    >>> out = bound_terms_batch([inst], X[None], bits[None], [5])
    >>> bool(np.isclose(out[0, 0], fit_true_topology(inst, X, bits).reward_hat[5]))
    True
    """
    n_max = check_int("n_max", n_max, minimum=1)
    Xs = np.ascontiguousarray(Xs, dtype=float)
    bitss = np.ascontiguousarray(bitss, dtype=np.int8)
    acts = np.ascontiguousarray(actions, dtype=np.int64)
    if Xs.ndim != 3 or bitss.shape != Xs.shape or acts.shape != (Xs.shape[0],) or len(instances) != Xs.shape[0]:
        raise ValueError("Xs and bitss must be (R, T, N) and actions, instances of length R")
    nus = np.ascontiguousarray([i.nu for i in instances])
    sgs = np.ascontiguousarray([i.sigma for i in instances])
    par0 = np.ascontiguousarray([i.parents(0) for i in instances], dtype=np.int8)
    par1 = np.ascontiguousarray([i.parents(1) for i in instances], dtype=np.int8)
    return _bound_terms(Xs, bitss, nus, sgs, par0, par1, acts, n_max)
