"""The formal results behind CSL-UCB as plain functions (docs/topics/causal.md#bounds).

Source: the proof supplement of the ICASSP 2024 precursor (Peng, Zhang, Mitra), which the TSP 2025
paper builds on; the TSP body could not be read, so every statement is tagged by where it was read.
All three results assume "no causal error" (the estimated parent set contains the true parents and no
non-ancestor) and OLS on a fixed design, Delta_i ~ N(0, Sigma_a(i)), Sigma_a(i) = sigma_i^2 (Z^T Z)^{-1}.

- :func:`lemma1_moment_bound` - Lemma 1 [paper, supp. eqs. (22)-(31); p-form derived];
- :func:`lemma2_radius`, :func:`lemma2_tail`, :func:`lemma2_valid` - Lemma 2 and its validity
  range [paper, supp. eqs. (32)-(46)];
- :func:`theorem1_bound` - Theorem 1, the uncertainty bound U(a) [paper, supp. eqs. (47)-(55)];
- :func:`perturbation_gap` - the exact identity behind Theorem 1 [derived];
- :func:`kl_change_statistic` - the change detector's statistic, a Gaussian KL divergence [derived
  from the authors' code].
"""

from __future__ import annotations

import math

import numpy as np

from theorylab.core.validate import check_array, check_choice, check_int, check_open_unit, check_positive

__all__ = ["lemma1_moment_bound", "sigma_bar", "lemma2_radius", "lemma2_tail", "lemma2_valid", "theorem1_bound",
           "perturbation_gap", "kl_change_statistic", "DELTA_DEFAULT"]

DELTA_DEFAULT = 0.05  # authors' prob_error


def lemma1_moment_bound(m: int, p: int, lam_max: float) -> float:
    """Lemma 1: E ||Delta_i||^m <= m! sqrt(4p/(p+2)) (lam_max (p+2)/4)^{m/2} for m >= 2.

    Delta_i ~ N(0, Sigma) in R^p with lambda_max(Sigma) = lam_max. The supplement states it with
    p = N; the proof (chi-square moments and (p+2k-2)/k^2 <= (p+2)/4 for k >= 2) holds for any p >= 1
    [paper, ICASSP supp. Lemma 1; p-form derived].

    Parameters
    ----------
    m : int
        Moment order (>= 2).
    p : int
        Dimension of Delta_i (>= 1), e.g. the number of parents of node i.
    lam_max : float
        lambda_max(Sigma), the largest eigenvalue of Delta_i's covariance (> 0).

    Returns
    -------
    float
        The upper bound m! sqrt(4p/(p+2)) (lam_max (p+2)/4)^{m/2} on E ||Delta_i||_2^m.

    Examples
    --------
    >>> round(lemma1_moment_bound(2, 1, 1.0), 6)   # E X^2 = 1 <= 2 sqrt(4/3) 3/4 = sqrt(3)
    1.732051
    """
    m = check_int("m", m, minimum=2)
    p = check_int("p", p, minimum=1)
    lam = check_positive("lam_max", lam_max)
    return float(math.factorial(m) * math.sqrt(4 * p / (p + 2)) * (lam * (p + 2) / 4) ** (m / 2))


def _terms(lams, npar, n_nodes, dof):
    lam = check_array("lams", lams, ndim=1)
    if np.any(lam < 0):
        raise ValueError("lams must be nonnegative")
    npar = np.asarray(check_array("npar", npar, shape=lam.shape), dtype=np.int64)
    N = check_int("n_nodes", n_nodes, minimum=1)
    check_choice("dof", dof, ("parents", "N"))
    p = np.where(npar > 0, N if dof == "N" else npar, 0).astype(float)
    return lam, p, N


def sigma_bar(lams, npar, n_nodes: int, dof: str = "parents") -> float:
    """Sigma-bar = sum_i sqrt(p_i (p_i + 2)) lam_i over nodes with parents (p_i = N for ``dof="N"``).

    Parameters
    ----------
    lams : array_like of float, shape (N,)
        lams[i] = lambda_max(Sigma_a(i)), the largest eigenvalue of node i's OLS-error covariance
        sigma_i^2 (Z^T Z)^{-1} (>= 0; ignored for nodes without parents).
    npar : array_like of int, shape (N,)
        Number of (estimated) parents of each node; nodes with npar[i] = 0 contribute nothing.
    n_nodes : int
        N, the number of nodes in the graph (>= 1).
    dof : {"parents", "N"}, default "parents"
        Dimension p_i of Delta_i: ``"parents"`` uses p_i = npar[i] (the authors' code), ``"N"`` uses p_i = N
        (the supplement's statement).

    Returns
    -------
    float
        Sigma-bar (>= 0), the variance proxy in Lemma 2's sub-Gaussian tail; 0 if no node has parents.
    """
    lam, p, _ = _terms(lams, npar, n_nodes, dof)
    return float(np.sum(np.sqrt(p * (p + 2)) * np.where(p > 0, lam, 0.0)))


def lemma2_radius(lams, npar, n_nodes: int, delta: float = DELTA_DEFAULT, dof: str = "parents") -> float:
    """Lemma 2's radius xi(delta) = 2 sqrt(Sigma-bar ln(2N/delta)).

    P(sigma_max(Delta B_a) >= xi(delta)) <= delta [paper, ICASSP supp. Lemma 2, with p_i = N: xi =
    2 (N^2 + 2N)^{1/4} sqrt(ln(2N/delta) sum_i lam_i)]; ``dof="parents"`` is the authors' code
    (equally valid, docs/topics/causal.md#bounds). lams[i] = lambda_max(Sigma_a(i)).

    Parameters
    ----------
    lams : array_like of float, shape (N,)
        lams[i] = lambda_max(Sigma_a(i)), the largest eigenvalue of node i's OLS-error covariance
        sigma_i^2 (Z^T Z)^{-1} (>= 0; ignored for nodes without parents).
    npar : array_like of int, shape (N,)
        Number of (estimated) parents of each node; nodes with npar[i] = 0 contribute nothing.
    n_nodes : int
        N, the number of nodes in the graph (>= 1).
    delta : float, default DELTA_DEFAULT (0.05)
        Failure probability, in (0, 1).
    dof : {"parents", "N"}, default "parents"
        Dimension p_i of Delta_i: ``"parents"`` uses p_i = npar[i] (the authors' code), ``"N"`` uses p_i = N
        (the supplement's statement).

    Returns
    -------
    float
        xi(delta) >= 0, the radius that sigma_max(Delta B_a) exceeds with probability at most delta
        (valid only when :func:`lemma2_valid` is True).

    Examples
    --------
    >>> r = lemma2_radius([0.0, 0.01, 0.02], [0, 1, 2], 3, 0.05, dof="N")
    >>> bool(abs(r - 2 * 15 ** 0.25 * math.sqrt(math.log(120) * 0.03)) < 1e-12)
    True
    """
    check_open_unit("delta", delta)
    sb = sigma_bar(lams, npar, n_nodes, dof)
    return float(2.0 * math.sqrt(sb * math.log(2 * n_nodes / delta)))


def lemma2_tail(xi: float, lams, npar, n_nodes: int, dof: str = "parents") -> float:
    """Supplement eq. (44): P(sigma_max(Delta B_a) >= xi) <= 2N exp(-xi^2 / (4 Sigma-bar)), inside the validity range.

    Parameters
    ----------
    xi : float
        Threshold on the spectral norm sigma_max(Delta B_a).
    lams : array_like of float, shape (N,)
        lams[i] = lambda_max(Sigma_a(i)), the largest eigenvalue of node i's OLS-error covariance
        sigma_i^2 (Z^T Z)^{-1} (>= 0; ignored for nodes without parents).
    npar : array_like of int, shape (N,)
        Number of (estimated) parents of each node; nodes with npar[i] = 0 contribute nothing.
    n_nodes : int
        N, the number of nodes in the graph (>= 1).
    dof : {"parents", "N"}, default "parents"
        Dimension p_i of Delta_i: ``"parents"`` uses p_i = npar[i] (the authors' code), ``"N"`` uses p_i = N
        (the supplement's statement).

    Returns
    -------
    float
        The tail bound min(1, 2N exp(-xi^2 / (4 Sigma-bar))), in [0, 1]; 0.0 when Sigma-bar = 0 (no node has
        parents, so Delta B_a = 0).
    """
    sb = sigma_bar(lams, npar, n_nodes, dof)
    return float(min(1.0, 2 * n_nodes * math.exp(-float(xi) ** 2 / (4 * sb)))) if sb > 0 else 0.0


def lemma2_valid(lams, npar, n_nodes: int, delta: float = DELTA_DEFAULT, dof: str = "parents") -> bool:
    """Is xi(delta) inside the range where eq. (44) holds: xi <= Sigma-bar / max_i R_i, R_i^2 = lam_i (p_i+2)/4?

    Equivalently 4 ln(2N/delta) <= Sigma-bar / max_i R_i^2; for p_i = N this is
    ln(2N/delta) <= sqrt(N/(N+2)) sum lam / max lam [paper, supp. eq. (45); consequence derived].

    Parameters
    ----------
    lams : array_like of float, shape (N,)
        lams[i] = lambda_max(Sigma_a(i)), the largest eigenvalue of node i's OLS-error covariance
        sigma_i^2 (Z^T Z)^{-1} (>= 0; ignored for nodes without parents).
    npar : array_like of int, shape (N,)
        Number of (estimated) parents of each node; nodes with npar[i] = 0 contribute nothing.
    n_nodes : int
        N, the number of nodes in the graph (>= 1).
    delta : float, default DELTA_DEFAULT (0.05)
        Failure probability, in (0, 1).
    dof : {"parents", "N"}, default "parents"
        Dimension p_i of Delta_i: ``"parents"`` uses p_i = npar[i] (the authors' code), ``"N"`` uses p_i = N
        (the supplement's statement).

    Returns
    -------
    bool
        True if 4 ln(2N/delta) <= Sigma-bar / max_i R_i^2 (also True when every R_i = 0), i.e. Lemma 2's
        radius may be used at this delta.

    Examples
    --------
    >>> lemma2_valid([1.0] * 10, [10] * 10, 10, dof="N"), lemma2_valid([1.0] + [0.01] * 9, [10] * 10, 10, dof="N")
    (True, False)
    """
    check_open_unit("delta", delta)
    lam, p, N = _terms(lams, npar, n_nodes, dof)
    r2 = np.where(p > 0, lam * (p + 2) / 4, 0.0)
    if r2.max() <= 0:
        return True
    return bool(4 * math.log(2 * N / delta) <= sigma_bar(lams, npar, n_nodes, dof) / r2.max())


def theorem1_bound(c_norm: float, radius: float, mu_norm: float) -> float:
    """Theorem 1: U(a) = ||(I - B_hat_a)^{-1}[:, N]||_2 * xi_a(delta) * ||mu_a||_2.

    P(|[mu_hat_a - mu_a]_N| >= U(a)) <= delta under Lemma 2's assumptions, with the TRUE mu_a
    [paper, ICASSP supp. Thm. 1]; the authors' final code plugs in mu_hat_a (not covered by the theorem).

    Parameters
    ----------
    c_norm : float
        ||(I - B_hat_a)^{-1}[:, N]||_2, the norm of the last column of the estimated total-effect matrix.
    radius : float
        xi_a(delta), Lemma 2's radius (see :func:`lemma2_radius`).
    mu_norm : float
        ||mu_a||_2, the norm of the node-mean vector under action a.

    Returns
    -------
    float
        U(a) = c_norm * radius * mu_norm, the confidence width on the reward-node mean [mu_hat_a]_N.

    Examples
    --------
    >>> theorem1_bound(2.0, 0.5, 3.0)
    3.0
    """
    return float(c_norm) * float(radius) * float(mu_norm)


def perturbation_gap(B_a, B_hat_a, nu) -> dict:
    """The exact identity mu_hat - mu = (I - B_hat)^{-T} Delta^T mu and its Cauchy-Schwarz bound [derived].

    Returns ``identity_error`` (max abs difference of the two sides), ``error`` = |[mu_hat - mu]_N| and
    ``bound`` = ||(I - B_hat)^{-1}[:, N]|| sigma_max(Delta) ||mu|| (error <= bound always).

    Parameters
    ----------
    B_a : array_like of float, shape (N, N)
        True weighted adjacency matrix under action a (B[j, i] = weight of edge j -> i); I - B_a invertible.
    B_hat_a : array_like of float, shape (N, N)
        Estimated adjacency matrix; I - B_hat_a invertible.
    nu : array_like of float, shape (N,)
        Exogenous noise means; mu solves (I - B_a)^T mu = nu, mu_hat = (I - B_hat_a)^{-T} nu.

    Returns
    -------
    dict of str to float
        ``identity_error``, ``error`` and ``bound`` as above (the last node is the reward node N).

    Examples
    --------
    >>> g = perturbation_gap(np.array([[0, 1.0], [0, 0]]), np.array([[0, 1.1], [0, 0]]), np.ones(2))
    >>> g["identity_error"] < 1e-12, g["error"] <= g["bound"]
    (True, True)
    """
    B = check_array("B_a", B_a, ndim=2)
    Bh = check_array("B_hat_a", B_hat_a, shape=B.shape)
    nu = check_array("nu", nu, shape=(B.shape[0],))
    I = np.eye(B.shape[0])
    mu = np.linalg.solve((I - B).T, nu)
    C_hat = np.linalg.inv(I - Bh)
    mu_hat = C_hat.T @ nu
    D = Bh - B
    rhs = C_hat.T @ D.T @ mu
    err = abs(mu_hat[-1] - mu[-1])
    bound = np.linalg.norm(C_hat[:, -1]) * np.linalg.norm(D, 2) * np.linalg.norm(mu)
    return {"identity_error": float(np.max(np.abs(mu_hat - mu - rhs))), "error": float(err), "bound": float(bound)}


def kl_change_statistic(residuals, sigma: float) -> float:
    """The sub-graph change statistic D = ln(sigma/s) + (m^2 + s^2)/(2 sigma^2) - 1/2.

    m, s: mean and population standard deviation of the window's residuals. D is exactly
    KL(N(m, s^2) || N(0, sigma^2)) >= 0 (the authors' ``det_change_col``; docs/topics/causal.md#change-detection)
    [derived]. +inf for a degenerate window (s = 0).

    Parameters
    ----------
    residuals : array_like of float, shape (w,)
        The window's OLS residuals of one node (w >= 1).
    sigma : float
        Reference noise standard deviation of that node (> 0).

    Returns
    -------
    float
        D >= 0, the Gaussian KL divergence of the window's fitted N(m, s^2) from N(0, sigma^2); ``math.inf``
        if s = 0.

    Examples
    --------
    >>> kl_change_statistic([-1.0, 1.0], 1.0)
    0.0
    """
    e = check_array("residuals", residuals, ndim=1, min_size=1)
    sg = check_positive("sigma", sigma)
    m, s = float(e.mean()), float(e.std())
    if s == 0.0:
        return math.inf
    return float(math.log(sg / s) + (m * m + s * s) / (2 * sg * sg) - 0.5)
