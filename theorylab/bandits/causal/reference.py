"""Plain numpy references of the causal kernels, kept for the tests (docs/topics/causal.md#testing).

- :func:`ksg_mi` - KSG-2 with scipy's digamma and full sorts (same numbers as the kernel);
- :func:`learn_topology`, :func:`estimate_weights` - the sub-graph learner with networkx's cycle test
  and numpy least squares (same output as the kernel for the same tie-break priority);
- :func:`vanilla_ucb` - UCB over 2^N actions with a numpy Generator (same distribution as the kernel);
- :func:`mean_by_inverse` - mu_a = (I - B_a^T)^{-1} nu by a dense inverse, as the authors' code computes it;
- :func:`linsem_ucb_indices` - LinSEM-UCB's optimistic rewards by dense inverses (same numbers as the kernel).
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
from scipy.special import digamma

from theorylab.bandits.causal.instances import CausalSEM, action_bits

__all__ = ["ksg_mi", "relevant_rows", "learn_topology", "estimate_weights", "vanilla_ucb", "mean_by_inverse",
           "linsem_ucb_indices"]


def ksg_mi(u, v, k=5, quirk=False):
    """KSG second variant; ``quirk`` drops the nearest of the k nearest joint neighbours (authors' selection).

    Kraskov, Stoegbauer, Grassberger (2004), estimator 2, with max-norm joint distances; numpy twin of
    :func:`theorylab.bandits.causal.kernels.ksg_mi`.

    Parameters
    ----------
    u, v : array_like of float, shape (M,)
        Paired samples (M > k).
    k : int, default 5
        Number of nearest joint neighbours (stable sort: ties go to the lower index).
    quirk : bool, default False
        True: use only neighbours 2..k of the k nearest (psi(k) kept), as the authors' code does.

    Returns
    -------
    float
        The estimate psi(k) - 1/k - <psi(n_u) + psi(n_v)> + psi(M) of I(u; v) in nats (can be negative).
    """
    u = np.asarray(u, float)
    v = np.asarray(v, float)
    M = u.size
    acc = 0.0
    for i in range(M):
        dx = np.abs(u - u[i])
        dy = np.abs(v - v[i])
        d = np.maximum(dx, dy)
        d[i] = np.inf
        nb = np.argsort(d, kind="stable")[:k]
        if quirk:
            nb = nb[1:]
        ex, ey = dx[nb].max(), dy[nb].max()
        others = np.arange(M) != i
        acc += digamma(np.sum((dx <= ex) & others)) + digamma(np.sum((dy <= ey) & others))
    return float(digamma(k) - 1.0 / k - acc / M + digamma(M))


def relevant_rows(bits, node, state, start, n_max):
    """Rounds t >= start with bits[t, node] == state, the first n_max.

    Parameters
    ----------
    bits : array_like of int, shape (T, N)
        Action bits of each round.
    node : int
        Column of ``bits`` to match.
    state : int
        Bit value (0 or 1) to match.
    start : int
        First round considered.
    n_max : int
        Maximum number of rounds returned.

    Returns
    -------
    numpy.ndarray of int, shape (m,), m <= n_max
        The matching round indices in increasing order.
    """
    rows = start + np.flatnonzero(np.asarray(bits)[start:, node] == state)
    return rows[:n_max]


def _fit(X, rows, nu_n, node, cand, k, weight, quirk):
    N = X.shape[1]
    w = np.zeros(N)
    s = np.full(N, -np.inf)
    P = np.flatnonzero(cand)
    if P.size == 0:
        return w, s
    Z = X[rows][:, P]
    y = X[rows, node] - nu_n
    b = np.linalg.lstsq(Z, y, rcond=None)[0]
    e = y - Z @ b
    w[P] = b
    for q, p in enumerate(P):
        pen = math.inf if b[q] == 0 else -weight * math.log(abs(b[q]))
        s[p] = ksg_mi(e, Z[:, q], k, quirk) + pen
    return w, s


def learn_topology(X, bits, nu, state, priority, start=None, n_max=100, k=5, weight=1.0, quirk=False):
    """Numpy twin of :func:`theorylab.bandits.causal.kernels.learn_topology` (networkx cycle test).

    From the complete directed graph, repeatedly delete the live edge p -> n with the highest score
    KSG-MI(residual of n, X_p) - weight ln|w_pn| (exact ties: smallest ``priority``) and refit column n,
    until the graph is acyclic.

    Parameters
    ----------
    X : array_like of float, shape (T, N)
        Node values of rounds 0..T-1 (column N-1 is the reward node).
    bits : array_like of int, shape (T, N)
        Action bits of each round (bits[t, n] = 1 if node n was intervened on in round t).
    nu : array_like of float, shape (N,)
        Known noise means (subtracted from each node's value before the fit).
    state : int
        0 (observational) or 1 (interventional): the state whose sub-graph is learnt; node n uses the
        rounds with bits[t, n] == state.
    priority : array_like of float, shape (N * N,) or (N, N)
        Tie-break priority of edge p -> n at p * N + n (smaller is deleted first).
    start : array_like of int, shape (N,), optional
        Per-node first usable round (default all 0; the change detector moves it forward).
    n_max : int, default 100
        At most the first n_max relevant rounds per node are used (the authors' cap).
    k : int, default 5
        KSG neighbour count.
    weight : float, default 1.0
        Weight of the -ln|w| edge-size term in the score.
    quirk : bool, default False
        The authors' KSG neighbour selection (see :func:`ksg_mi`).

    Returns
    -------
    numpy.ndarray of int8, shape (N, N)
        The learnt adjacency (adj[p, n] = 1 for an edge p -> n), a DAG (the kernel also returns the number of
        deletions; this twin does not).
    """
    X = np.asarray(X, float)
    N = X.shape[1]
    start = np.zeros(N, int) if start is None else np.asarray(start)
    adj = np.ones((N, N), dtype=np.int8) - np.eye(N, dtype=np.int8)
    S = np.full((N, N), -np.inf)
    rows = [relevant_rows(bits, n, state, int(start[n]), n_max) for n in range(N)]
    for n in range(N):
        _, S[:, n] = _fit(X, rows[n], nu[n], n, adj[:, n], k, weight, quirk)
    prio = np.asarray(priority, float).reshape(N, N)
    while not nx.is_directed_acyclic_graph(nx.DiGraph(adj)):
        live = adj != 0
        best = S[live].max()
        cand = np.argwhere(live & (S == best))
        p, n = min(cand, key=lambda pn: prio[pn[0], pn[1]])
        adj[p, n] = 0
        _, S[:, n] = _fit(X, rows[n], nu[n], n, adj[:, n], k, weight, quirk)
    return adj


def estimate_weights(X, bits, nu, sigma, state, adj, start=None, n_max=100):
    """Numpy twin of the weight kernel: (W, lam, npar).

    Twin of :func:`theorylab.bandits.causal.kernels.estimate_weights`, by numpy least squares.

    Parameters
    ----------
    X : array_like of float, shape (T, N)
        Node values of rounds 0..T-1 (column N-1 is the reward node).
    bits : array_like of int, shape (T, N)
        Action bits of each round (bits[t, n] = 1 if node n was intervened on in round t).
    nu : array_like of float, shape (N,)
        Known noise means (subtracted from each node's value before the fit).
    sigma : array_like of float, shape (N,)
        Known noise standard deviations.
    state : int
        0 (observational) or 1 (interventional): the state whose sub-graph is learnt; node n uses the
        rounds with bits[t, n] == state.
    adj : array_like of int, shape (N, N)
        Fixed topology (adj[p, n] != 0 for an edge p -> n).
    start : array_like of int, shape (N,), optional
        Per-node first usable round (default all 0; the change detector moves it forward).
    n_max : int, default 100
        At most the first n_max relevant rounds per node are used (the authors' cap).

    Returns
    -------
    W : numpy.ndarray of float, shape (N, N)
        OLS weights, W[p, n] for p -> n (0 off the topology).
    lam : numpy.ndarray of float, shape (N,)
        sigma_n^2 / lambda_min(Z^T Z) = sigma_n^2 lambda_max((Z^T Z)^{-1}) for node n's design Z (0 without
        parents), the lams input of :mod:`theorylab.bandits.causal.bounds`.
    npar : numpy.ndarray of int, shape (N,)
        Number of parents of each node in ``adj``.
    """
    X = np.asarray(X, float)
    N = X.shape[1]
    start = np.zeros(N, int) if start is None else np.asarray(start)
    W = np.zeros((N, N))
    lam = np.zeros(N)
    npar = np.zeros(N, int)
    for n in range(N):
        P = np.flatnonzero(np.asarray(adj)[:, n])
        npar[n] = P.size
        if P.size == 0:
            continue
        rows = relevant_rows(bits, n, state, int(start[n]), n_max)
        Z = X[rows][:, P]
        W[P, n] = np.linalg.lstsq(Z, X[rows, n] - nu[n], rcond=None)[0]
        lam[n] = sigma[n] ** 2 / np.linalg.eigvalsh(Z.T @ Z)[0]
    return W, lam, npar


def mean_by_inverse(B, B_int, nu, index):
    """mu_a by the dense inverse (I - B_a^T)^{-1} nu (the authors' ``exp_reward``).

    Parameters
    ----------
    B, B_int : array_like of float, shape (N, N)
        Observational and interventional weights (B[i, j] = weight of i -> j); column j of B_a is from
        ``B_int`` when a intervenes on node j.
    nu : array_like of float, shape (N,)
        Noise means.
    index : int
        Action index in [0, 2^N) (bits MSB = node 0, see :func:`~theorylab.bandits.causal.instances.action_bits`).

    Returns
    -------
    numpy.ndarray of float, shape (N,)
        mu_a, the mean of every node under action a (mu_a[N-1] is the expected reward).
    """
    N = len(nu)
    a = action_bits(N, index)
    Ba = np.where(a[None, :] == 1, np.asarray(B_int), np.asarray(B))
    return np.linalg.inv(np.eye(N) - Ba.T) @ np.asarray(nu, float)


def vanilla_ucb(inst: CausalSEM, horizon: int, rng: np.random.Generator, c: float = 1.0):
    """UCB over all actions with a numpy Generator: arm t for t < K, then mean + c sqrt(ln t / n), random ties.

    Parameters
    ----------
    inst : CausalSEM
        The causal bandit; its K = 2^N actions are the arms, the reward is the last node's value.
    horizon : int
        Rounds T.
    rng : numpy.random.Generator
        Source of the samples and of the tie-breaks.
    c : float, default 1.0
        Exploration coefficient.

    Returns
    -------
    acts : numpy.ndarray of int, shape (T,)
        Action index played in each round.
    rew : numpy.ndarray of float, shape (T,)
        Observed reward (value of node N-1) in each round.
    """
    K = inst.n_actions
    sums = np.zeros(K)
    cnt = np.zeros(K)
    acts = np.empty(horizon, int)
    rew = np.empty(horizon)
    for t in range(horizon):
        if t < K:
            a = t
        else:
            idx = sums / cnt + c * np.sqrt(math.log(t) / cnt)
            a = int(rng.choice(np.flatnonzero(idx == idx.max())))
        x = inst.sample([a], rng)[0, -1]
        sums[a] += x
        cnt[a] += 1
        acts[t], rew[t] = a, x
    return acts, rew


def csl_ucb(inst: CausalSEM, horizon: int, rng: np.random.Generator, variant: str = "final", n_es: int = 20,
            n_max: int = 100, f_graph: int = 50, f_est: int = 20, delta: float = 0.05, k: int = 5,
            weight: float = 1.0, guard_sign: bool = True):
    """CSL-UCB, stationary, written out round by round on the numpy pieces above (the kernel's twin).

    Same decisions as :func:`theorylab.bandits.causal.bandit_kernels.csl_ucb_batch`; the random draws
    come from a numpy Generator, so the two agree in distribution, not number for number. Returns
    (actions, realised rewards).
    """
    N, K = inst.n_nodes, inst.n_actions
    all_bits = action_bits(N)
    X = np.zeros((horizon, N))
    bits = np.zeros((horizon, N), dtype=np.int8)
    nsample = np.zeros((2, N), int)
    learn = True
    kappa = 0.2 if variant == "paper_era" else 0.5
    true_norm = np.linalg.norm(inst.means(), axis=1)
    coef_init = None
    topo = [None, None]
    acts = np.empty(horizon, int)
    a_cur = 0
    log_term = math.log(2 * N / delta)
    for t in range(horizon):
        if nsample.min() < n_es:
            a_cur = int(rng.integers(0, K))
        else:
            if learn or t % f_graph == 0:
                topo = [learn_topology(X[:t], bits[:t], inst.nu, s, rng.permutation(N * N), n_max=n_max, k=k,
                                       weight=weight) for s in (0, 1)]
            if learn or t % f_est == 0:
                fits = [estimate_weights(X[:t], bits[:t], inst.nu, inst.sigma, s, topo[s], n_max=n_max)
                        for s in (0, 1)]
                learn = False
                r_hat = np.full(K, -np.inf)
                U = np.zeros(K)
                for a in range(K):
                    b = all_bits[a]
                    Wa = np.where(b[None, :] == 1, fits[1][0], fits[0][0])
                    try:
                        C = np.linalg.inv(np.eye(N) - Wa)
                    except np.linalg.LinAlgError:
                        continue
                    mu_hat = C.T @ inst.nu
                    r_hat[a] = mu_hat[-1]
                    sb = sum(math.sqrt(fits[b[j]][2][j] * (fits[b[j]][2][j] + 2)) * fits[b[j]][1][j] for j in range(N))
                    norm = true_norm[a] if variant == "paper_era" else np.linalg.norm(mu_hat)
                    U[a] = np.linalg.norm(C[:, -1]) * 2 * math.sqrt(sb * log_term) * norm
                if coef_init is None:
                    top = abs(r_hat.max()) if guard_sign else r_hat.max()
                    coef_init = kappa * top / U[np.isfinite(U)].max() if U[np.isfinite(U)].max() > 0 else kappa
                    coef = coef_init
                else:
                    coef = coef_init * (1 + math.cos(math.pi * t / horizon)) * (0.5 if variant == "final" else 1.0)
                idx = r_hat + coef * U
                a_cur = int(rng.choice(np.flatnonzero(idx == idx.max())))
        bits[t] = all_bits[a_cur]
        X[t] = inst.substitute(bits[t][None, :], (inst.nu + inst.sigma * rng.standard_normal(N))[None, :])[0]
        nsample[bits[t], np.arange(N)] += 1
        acts[t] = a_cur
    return acts, X[:, -1].copy()


def linsem_ucb_indices(W0, W1, nu, lam0, lam1, beta):
    """LinSEM-UCB's optimistic reward of every action by dense inverses (docs/topics/causal.md#linsem-ucb).

    mu_hat(a) + ||(I - W_a)^{-1}[:, N-1]|| ||mu_hat_a|| beta sqrt(sum_i lam_{i, a_i}), W_a column i from
    ``W1`` if a_i = 1 else from ``W0``.

    Parameters
    ----------
    W0, W1 : array (N, N)
        Estimated weights of the two states.
    nu : array (N,)
        Noise means.
    lam0, lam1 : array (N,)
        lambda_max(V^{-1}) per node for each state (0 without parents).
    beta : float
        Confidence radius.

    Returns
    -------
    numpy.ndarray, shape (2^N,)

    Examples
    --------
    >>> W = np.array([[0.0, 2.0], [0.0, 0.0]])
    >>> linsem_ucb_indices(W, W, [1.0, 1.0], [0.0, 0.0], [0.0, 0.0], 1.0).tolist()   # lam = 0: mu_hat_N = 3
    [3.0, 3.0, 3.0, 3.0]
    """
    W0, W1 = np.asarray(W0, float), np.asarray(W1, float)
    N = W0.shape[0]
    out = np.empty(2**N)
    for k, bits in enumerate(action_bits(N)):
        Wa = np.where(bits[None, :] == 1, W1, W0)
        C = np.linalg.inv(np.eye(N) - Wa)
        mu = C.T @ np.asarray(nu, float)
        lam = np.where(bits == 1, lam1, lam0)
        out[k] = mu[-1] + np.linalg.norm(C[:, -1]) * np.linalg.norm(mu) * beta * math.sqrt(lam.sum())
    return out
