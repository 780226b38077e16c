"""Evaluate functions of the causal claims: Lemma 1, Lemma 2, Theorem 1 and the change detector's false alarms.

Every check draws fresh instances from the authors' generator (N = 10) and uniformly random actions,
fits the sub-graphs with the production OLS kernels and compares with the supplement's bound
(docs/topics/causal.md#claims). Probabilities P(ratio >= 1) <= delta are checked in their quantile
form: the (1 - delta)-quantile of ratio = measured / bound is <= 1 (equivalent for continuous
ratios, and it shows how loose the bound is); its interval is the distribution-free order-statistic
interval (binomial, exact).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats as _st

from theorylab.bandits.causal import kernels as _k
from theorylab.bandits.causal.bounds import (DELTA_DEFAULT, kl_change_statistic, lemma1_moment_bound, lemma2_radius,
                                             lemma2_valid, theorem1_bound)
from theorylab.bandits.causal.instances import action_bits, random_instance
from theorylab.bandits.causal.simulate import fit_true_topology, ols_errors, random_rounds
from theorylab.core.claims import Evidence, by_size
from theorylab.core.seeding import seed_sequence
from theorylab.core.stats import t_interval

__all__ = ["quantile_interval", "eval_lemma1", "eval_lemma2", "eval_theorem1", "eval_detector_false_alarm",
           "N_NODES", "ROUNDS"]

N_NODES = 10   # the paper's runs
ROUNDS = 200   # random rounds: about 100 relevant samples per sub-graph, the authors' n_max = 100


def quantile_interval(x, q: float, alpha: float = 0.05):
    """Sample q-quantile and its exact distribution-free (1 - alpha) order-statistic interval.

    The interval [x_(l), x_(u)] uses binomial(n, q) ranks, l = F^{-1}(alpha/2) and u = F^{-1}(1 - alpha/2) + 1,
    so it covers the population q-quantile with probability >= 1 - alpha for continuous data.

    Parameters
    ----------
    x : array_like of float
        Samples (n >= 2), flattened.
    q : float
        Quantile level, in (0, 1).
    alpha : float, default 0.05
        One minus the coverage of the interval.

    Returns
    -------
    est : float
        The sample q-quantile (``method="inverted_cdf"``).
    lo, hi : float
        The interval's ends, an order statistic each; -inf / +inf where the needed rank falls outside 1..n.

    Examples
    --------
    >>> est, lo, hi = quantile_interval(np.arange(1000.0), 0.5)
    >>> lo < est < hi
    True
    """
    x = np.sort(np.asarray(x, dtype=float))
    n = x.size
    if n < 2 or not 0 < q < 1:
        raise ValueError(f"need >= 2 samples and 0 < q < 1, got n = {n}, q = {q}")
    lo_rank = int(_st.binom.ppf(alpha / 2, n, q))            # P(Bin < lo_rank) <= alpha/2
    hi_rank = int(_st.binom.ppf(1 - alpha / 2, n, q)) + 1
    est = float(np.quantile(x, q, method="inverted_cdf"))
    lo = -math.inf if lo_rank < 1 else float(x[lo_rank - 1])
    hi = math.inf if hi_rank > n else float(x[hi_rank - 1])
    return est, lo, hi


def _quantile_evidence(ratios, delta, reps, **details):
    est, lo, hi = quantile_interval(ratios, 1 - delta)
    return Evidence(measured=est, ci_low=lo, ci_high=hi, bound=1.0, reps=reps, rule="upper",
                    details=dict(details, method=f"(1 - delta)-quantile of measured/bound, delta = {delta}, "
                                                  "exact order-statistic 95% interval",
                                 exceed_fraction=float(np.mean(np.asarray(ratios) >= 1.0)),
                                 median_ratio=float(np.median(ratios))))


def _rng(seed, key, i):
    return np.random.default_rng(seed_sequence(seed, key, i))


def _column_design(inst, X, bits, node, state, n_max=100):
    P = np.flatnonzero(inst.parents(state)[:, node])
    rows = _k.relevant_rows(np.ascontiguousarray(bits, dtype=np.int8), node, state, 0, n_max)
    return P, X[rows][:, P]


def eval_lemma1(size="quick", n_jobs=1, seed=0, constant_scale=1.0):
    """Lemma 1: max over designs and m in {2, 4, 6, 8} of E||Delta_i||^m / bound, Monte-Carlo over noise.

    Fixed designs Z = the first 100 relevant samples of real sub-graphs (state 0 and 1 of a few random
    instances, true parents); Delta = OLS error for fresh noise (production ``ols`` kernel). Each cell's
    mean gets a Student-t interval (R - 1 df) at level 1 - 0.05/cells (Bonferroni over the max).
    ``constant_scale`` multiplies the Lemma's constant (the break).

    Parameters
    ----------
    size : {"quick", "full"}, default "quick"
        Run size, via :func:`theorylab.core.claims.by_size`; quick: 2 instances, 4000 noise draws per
        design; full: 6 and 40000.
    n_jobs : int, default 1
        Accepted for the claims interface; unused (the loop runs serially).
    seed : int, default 0
        Root seed; every repetition's Generator comes from ``seed_sequence(seed, key, i)``.
    constant_scale : float, default 1.0
        Factor on :func:`~theorylab.bandits.causal.bounds.lemma1_moment_bound` (< 1 makes the claim fail).

    Returns
    -------
    Evidence
        rule ``"upper"``, bound 1: ``measured`` = the largest mean ratio E||Delta_i||^m / bound over all
        (design, m) cells, ``ci_low``/``ci_high`` = the maxima of the cells' interval ends, ``reps`` = noise
        draws per design; ``details`` holds the worst cell (instance, state, node, p, m, ratio).
    """
    n_inst = by_size(size, 2, 6)
    R = by_size(size, 4000, 40000)
    moments = (2, 4, 6, 8)
    cells = []
    for i in range(n_inst):
        rng = _rng(seed, "causal.lemma1.instances", i)
        inst = random_instance(N_NODES, rng)
        X, bits = random_rounds(inst, ROUNDS, rng)
        for s in (0, 1):
            for n in range(1, N_NODES):
                P, Z = _column_design(inst, X, bits, n, s)
                if P.size == 0 or Z.shape[0] <= P.size:
                    continue
                cells.append((i, s, n, Z, inst.sigma[n]))
    rows, ratios, lows, highs = [], [], [], []
    level = 0.05 / (len(cells) * len(moments))
    for c, (i, s, n, Z, sg) in enumerate(cells):
        rng = _rng(seed, "causal.lemma1.noise", c)
        D = ols_errors(Z, sg * rng.standard_normal((Z.shape[0], R)))
        norm = np.linalg.norm(D, axis=1)
        lam = sg**2 / np.linalg.eigvalsh(Z.T @ Z)[0]
        for m in moments:
            b = constant_scale * lemma1_moment_bound(m, Z.shape[1], lam)
            iv = t_interval(norm**m / b, alpha=level)
            ratios.append(iv.estimate)
            lows.append(iv.low)
            highs.append(iv.high)
            rows.append({"instance": i, "state": s, "node": n, "p": int(Z.shape[1]), "m": m,
                         "ratio": iv.estimate})
    j = int(np.argmax(ratios))
    return Evidence(measured=ratios[j], ci_low=max(lows), ci_high=max(highs), bound=1.0, reps=R, rule="upper",
                    details={"method": f"max over {len(ratios)} (design, m) cells of mean ||Delta||^m / bound; "
                                       f"t intervals at Bonferroni level {level:.2e}",
                             "worst": rows[j], "designs": len(cells), "noise_draws_per_design": R})


def _lemma2_draw(inst, X, bits, rng):
    N = inst.n_nodes
    a = action_bits(N, int(rng.integers(0, inst.n_actions)))
    D = np.zeros((N, N))
    lams = np.zeros(N)
    npar = np.zeros(N, dtype=np.int64)
    for j in range(N):
        P, Z = _column_design(inst, X, bits, j, int(a[j]))
        if P.size == 0:
            continue
        D[P, j] = ols_errors(Z, inst.sigma[j] * rng.standard_normal((Z.shape[0], 1)))[0]
        lams[j] = inst.sigma[j] ** 2 / np.linalg.eigvalsh(Z.T @ Z)[0]
        npar[j] = P.size
    return D, lams, npar


def eval_lemma2(size="quick", n_jobs=1, seed=0, radius_scale=1.0, delta=DELTA_DEFAULT, dof="parents"):
    """Lemma 2: P(sigma_max(Delta B_a) >= xi_a(delta)) <= delta, as the (1 - delta)-quantile of sigma_max / xi.

    Per repetition: a fresh instance, 200 random rounds, a uniformly random action a; the column errors
    are OLS errors on the true parents' designs with independent fresh noise per column (the Lemma's
    independence assumption). Reports how often the supplement's validity condition held and the
    exceedance in each case. ``radius_scale`` multiplies xi (the break).

    Parameters
    ----------
    size : {"quick", "full"}, default "quick"
        Run size, via :func:`theorylab.core.claims.by_size`; quick: 400 repetitions, full: 4000.
    n_jobs : int, default 1
        Accepted for the claims interface; unused (the loop runs serially).
    seed : int, default 0
        Root seed; every repetition's Generator comes from ``seed_sequence(seed, key, i)``.
    radius_scale : float, default 1.0
        Factor on xi(delta) (< 1 makes the claim fail).
    delta : float, default DELTA_DEFAULT (0.05)
        Lemma 2's failure probability.
    dof : {"parents", "N"}, default "parents"
        Dimension convention of :func:`~theorylab.bandits.causal.bounds.lemma2_radius`.

    Returns
    -------
    Evidence
        rule ``"upper"``, bound 1: ``measured`` = the sample (1 - delta)-quantile of the ratio with its exact 95%
        order-statistic interval; ``details`` adds ``exceed_fraction`` (share of ratios >= 1), ``median_ratio``
        and ``validity_fraction`` / ``by_validity`` (count and exceedances where
        :func:`~theorylab.bandits.causal.bounds.lemma2_valid` holds or fails).
    """
    reps = by_size(size, 400, 4000)
    ratios, valid = [], []
    for i in range(reps):
        rng = _rng(seed, "causal.lemma2", i)
        inst = random_instance(N_NODES, rng)
        X, bits = random_rounds(inst, ROUNDS, rng)
        D, lams, npar = _lemma2_draw(inst, X, bits, rng)
        xi = radius_scale * lemma2_radius(lams, npar, N_NODES, delta, dof)
        ratios.append(np.linalg.norm(D, 2) / xi)
        valid.append(lemma2_valid(lams, npar, N_NODES, delta, dof))
    r, v = np.asarray(ratios), np.asarray(valid)
    split = {name: {"count": int(mask.sum()), "exceed": int((r[mask] >= 1).sum())}
             for name, mask in (("validity_holds", v), ("validity_fails", ~v))}
    return _quantile_evidence(r, delta, reps, validity_fraction=float(v.mean()), by_validity=split, dof=dof)


def eval_theorem1(size="quick", n_jobs=1, seed=0, radius_scale=1.0, delta=DELTA_DEFAULT):
    """Theorem 1: P(|[mu_hat_a - mu_a]_N| >= U(a)) <= delta, as the (1 - delta)-quantile of |error| / U(a).

    End to end: fresh instance, 200 random rounds, OLS on the true topology from the same data for every
    sub-graph (columns are NOT independent here, unlike the Lemma), one random action; U with the true
    ||mu_a|| (the theorem). Also reports the exceedance with the plug-in ||mu_hat_a|| the authors' final
    code uses. ``radius_scale`` multiplies xi (the break).

    Parameters
    ----------
    size : {"quick", "full"}, default "quick"
        Run size, via :func:`theorylab.core.claims.by_size`; quick: 400 repetitions, full: 4000.
    n_jobs : int, default 1
        Accepted for the claims interface; unused (the loop runs serially).
    seed : int, default 0
        Root seed; every repetition's Generator comes from ``seed_sequence(seed, key, i)``.
    radius_scale : float, default 1.0
        Factor on xi(delta) (< 1 makes the claim fail).
    delta : float, default DELTA_DEFAULT (0.05)
        Theorem 1's failure probability.

    Returns
    -------
    Evidence
        rule ``"upper"``, bound 1: ``measured`` = the sample (1 - delta)-quantile of the ratio with its exact 95%
        order-statistic interval; ``details`` adds ``exceed_fraction`` (share of ratios >= 1), ``median_ratio``
        and ``plug_in_exceed_fraction`` / ``plug_in_quantile`` for U with ||mu_hat_a||.
    """
    reps = by_size(size, 400, 4000)
    N = N_NODES
    ratios, plug = [], []
    for i in range(reps):
        rng = _rng(seed, "causal.theorem1", i)
        inst = random_instance(N, rng)
        X, bits = random_rounds(inst, ROUNDS, rng)
        f = fit_true_topology(inst, X, bits)
        a = int(rng.integers(0, inst.n_actions))
        xi = radius_scale * 2.0 * math.sqrt(f.sigma_bar_parents[a] * math.log(2 * N / delta))
        err = abs(f.reward_hat[a] - inst.rewards[a])
        u_true = theorem1_bound(f.c_norm[a], xi, float(np.linalg.norm(inst.means(a)[0])))
        u_plug = theorem1_bound(f.c_norm[a], xi, f.mu_hat_norm[a])
        ratios.append(err / u_true if u_true > 0 else (0.0 if err == 0 else math.inf))
        plug.append(err / u_plug if u_plug > 0 else (0.0 if err == 0 else math.inf))
    return _quantile_evidence(ratios, delta, reps,
                              plug_in_exceed_fraction=float(np.mean(np.asarray(plug) >= 1.0)),
                              plug_in_quantile=float(np.quantile(plug, 1 - delta)))


def eval_detector_false_alarm(size="quick", n_jobs=1, seed=0, window=20, threshold=2.0, level=0.01):
    """Sub-graph change detector without a change: P(D > tau_cd) <= level, as the (1 - level)-quantile of D / tau_cd.

    Per repetition: fresh instance, 200 random rounds, weights on the true topology (first 100 relevant
    samples, the authors' cap), then ``window`` fresh rounds of one random sub-graph (n, s) from the
    SAME system; D = KL statistic of the residuals (docs/topics/causal.md#change-detection).
    ``window`` is the detector's window length (authors: 20; the break shortens it).

    Parameters
    ----------
    size : {"quick", "full"}, default "quick"
        Run size, via :func:`theorylab.core.claims.by_size`; quick: 1500 repetitions, full: 20000.
    n_jobs : int, default 1
        Accepted for the claims interface; unused (the loop runs serially).
    seed : int, default 0
        Root seed; every repetition's Generator comes from ``seed_sequence(seed, key, i)``.
    window : int, default 20
        Detector window length (rounds of the sub-graph's residuals).
    threshold : float, default 2.0
        Detection threshold tau_cd on the KL statistic (authors' value).
    level : float, default 0.01
        Target false-alarm probability.

    Returns
    -------
    Evidence
        rule ``"upper"``, bound 1: ``measured`` = the sample (1 - level)-quantile of the ratio with its exact 95%
        order-statistic interval; ``details`` adds ``exceed_fraction`` (share of ratios >= 1), ``median_ratio``
        and the settings ``window``, ``threshold``, ``level``.
    """
    reps = by_size(size, 1500, 20000)
    N = N_NODES
    ratios = []
    for i in range(reps):
        rng = _rng(seed, "causal.detector_false_alarm", i)
        inst = random_instance(N, rng)
        X, bits = random_rounds(inst, ROUNDS, rng)
        f = fit_true_topology(inst, X, bits, actions=False)
        n, s = int(rng.integers(0, N)), int(rng.integers(0, 2))
        acts = rng.integers(0, inst.n_actions, size=window)
        b = action_bits(N, acts)
        b[:, n] = s
        eps = inst.nu[None, :] + inst.sigma[None, :] * rng.standard_normal((window, N))
        Xw = inst.substitute(b, eps)
        W = f.W[s]
        resid = Xw[:, n] - Xw @ W[:, n] - inst.nu[n]
        ratios.append(kl_change_statistic(resid, inst.sigma[n]) / threshold)
    return _quantile_evidence(ratios, level, reps, window=window, threshold=threshold, level=level)
