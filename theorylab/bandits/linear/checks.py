"""Evaluate functions of the linear topic's claims (each ``evaluate(size, n_jobs, seed, **override) -> Evidence``).

Every evaluate function runs the production entry points of :mod:`theorylab.bandits.linear.algorithms`
on instances of :mod:`theorylab.bandits.linear.instances` and compares with a function of
:mod:`theorylab.bandits.linear.bounds`. Run seeds come from ``repetition_seeds(seed, <claim key>, reps)``;
instance seeds are fixed per claim and recorded in the evidence. Noiseless checks are exact for every run,
so their evidence is deterministic (``reps`` counts the runs). See docs/topics/linear.md#claims.
"""

from __future__ import annotations

import numpy as np

from theorylab.bandits.linear import bounds
from theorylab.bandits.linear.algorithms import (design_ls, g_optimal_design, good_feature_probe, span_coordinates,
                                                 sparse_net)
from theorylab.bandits.linear.linucb import linucb
from theorylab.bandits.linear.instances import (adversarial_design_instance, jl_dimension, max_coherence,
                                                rademacher_family, random_sparse_instance, reed_solomon_needle,
                                                separation_instance, MISSPEC_KINDS)
from theorylab.core.claims import by_size, deterministic_evidence, Evidence
from theorylab.core.seeding import repetition_seeds, seed_sequence
from theorylab.core.stats import clopper_pearson

__all__ = ["needle_runs", "top_bias_probes", "eval_sparsenet_error", "eval_sparsenet_noisy", "eval_design_prediction", "eval_separation", "eval_needle_yao",
           "eval_good_feature_probe", "eval_jl_coherence", "eval_oful_coverage", "T1_MODES"]

#: SparseNet configurations checked by T1: (mode, net kind).
T1_MODES = (("seq_optimistic", "ball"), ("consistent_optimistic", "ball"), ("best_empirical", "direction"),
            ("best_empirical", "ball"))


def eval_sparsenet_error(size="quick", n_jobs=1, seed=0, tau_scale=1.0):
    """T1 noiseless: max over instances, modes and runs of err / (2 eps + 2 eps_net) <= 1 (eps_net = eps).

    RANDSPARSE instances of every kind (instance seeds 100..), d = 8, s = 2, eps = 0.05; each run breaks
    ties with its own seed. ``tau_scale`` multiplies the threshold tau = eps + eps_net of the optimistic
    test (the break: a looser test accepts candidates whose greedy action is far from optimal).

    Parameters
    ----------
    size : {"quick", "full"}
    n_jobs : int
        Unused (one process).
    seed : int
        Master seed of the run seeds.
    tau_scale : float
        Multiplier of the optimism threshold tau (1 in production; the break).

    Returns
    -------
    Evidence

    Examples
    --------
    >>> from theorylab.bandits.linear.claims import CLAIMS
    >>> [c.id for c in CLAIMS if c.evaluate is eval_sparsenet_error]
    ['linear.sparsenet_error']
    """
    n_inst, K, d, reps = by_size(size, (4, 300, 8, 4), (10, 2000, 10, 20))
    s, eps = 2, 0.05
    worst, per_mode, runs = 0.0, {}, 0
    for kind in MISSPEC_KINDS:
        for i in range(n_inst):
            inst = random_sparse_instance(K, d, s, eps, kind=kind, seed=100 + i)
            seeds = repetition_seeds(seed, {"claim": "linear.sparsenet_error", "kind": kind, "i": i}, reps)
            for mode, net in T1_MODES:
                tau = tau_scale * 2 * eps if mode != "best_empirical" else None
                res = sparse_net(inst, s, seeds, mode=mode, net_kind=net, tau=tau)
                ratio = float(res.errors.max()) / bounds.sparsenet_error_bound(eps, eps)
                key = f"{mode}/{net}"
                per_mode[key] = max(per_mode.get(key, 0.0), ratio)
                worst = max(worst, ratio)
                runs += res.runs
    return deterministic_evidence(worst, 1.0, runs, rule="upper", per_mode_max_ratio=per_mode, K=K, d=d, s=s,
                                  eps=eps, instances=f"random_sparse x {MISSPEC_KINDS}, instance seeds 100..{99 + n_inst}")


def eval_sparsenet_noisy(size="quick", n_jobs=1, seed=0, sample_scale=1.0):
    """T1 noisy: P(err > 2 eps + 2 eps_net + 2 eps_stat) <= p = 0.05, with m queries per action from the union bound.

    RANDSPARSE instances of every kind (instance seeds 500..; K = 300, d = 6, s = 2, eps = 0.05), Gaussian noise
    sigma = 0.5, eps_net = eps_stat = eps; modes seq_optimistic (ball) and best_empirical (direction). Violations
    are pooled over instances and modes (each run's violation probability is at most p, so the pooled count is
    stochastically below Binomial(n, p)); Clopper-Pearson 95%. ``sample_scale`` multiplies m (the break).

    Parameters
    ----------
    size : {"quick", "full"}
    n_jobs : int
        Unused (one process).
    seed : int
        Master seed of the run seeds.
    sample_scale : float
        Multiplier of m, the queries per action (1 in production; the break).

    Returns
    -------
    Evidence

    Examples
    --------
    >>> from theorylab.bandits.linear.claims import CLAIMS
    >>> [c.id for c in CLAIMS if c.evaluate is eval_sparsenet_noisy]
    ['linear.sparsenet_noisy']
    """
    n_inst, reps = by_size(size, (2, 100), (10, 1000))
    s, eps, sigma, p = 2, 0.05, 0.5, 0.05
    bound = bounds.sparsenet_error_bound(eps, eps, eps)
    viol, runs, rows = 0, 0, []
    for kind in MISSPEC_KINDS:
        for i in range(n_inst):
            inst = random_sparse_instance(300, 6, s, eps, kind=kind, seed=500 + i, sigma=sigma)
            seeds = repetition_seeds(seed, {"claim": "linear.sparsenet_noisy", "kind": kind, "i": i}, reps)
            for mode, net in (("seq_optimistic", "ball"), ("best_empirical", "direction")):
                res = sparse_net(inst, s, seeds, mode=mode, net_kind=net, p=p, sample_scale=sample_scale)
                k = int(np.count_nonzero(res.errors > bound + 1e-12))
                viol += k
                runs += res.runs
                rows.append({"kind": kind, "i": i, "mode": mode, "violations": k, "m": res.info["m"],
                             "max_err": float(res.errors.max())})
    iv = clopper_pearson(viol, runs)
    return Evidence(iv.estimate, iv.low, iv.high, p, runs, "upper",
                    details={"interval": "clopper-pearson 95%", "violations": viol, "bound": bound, "rows": rows})


def top_bias_probes(phi, design, n, count):
    """The ``count`` actions b with the largest bias amplification sum_a n_a |<phi(b), V_n^{-1} phi(a)>| of a design.

    Parameters
    ----------
    phi : float array (K, d)
    design : Design
    n : int
        Budget scale of the allocation n_a = ceil(n pi(a)).
    count : int

    Returns
    -------
    int64 array (count,)

    Examples
    --------
    >>> import numpy as np
    >>> from theorylab.bandits.linear.design import g_optimal_design
    >>> phi = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]])
    >>> top_bias_probes(phi, g_optimal_design(phi), 2, 1).tolist()
    [2]
    """
    supp = design.support
    counts = np.maximum(np.ceil(n * design.weights[supp] - 1e-9), 1)
    Vn = (phi[supp].T * counts) @ phi[supp]
    coef = phi @ np.linalg.solve(Vn, phi[supp].T)          # (K, |supp|)
    amp = (np.abs(coef) * counts).sum(axis=1)
    return np.argsort(-amp, kind="stable")[:count]


def eval_design_prediction(size="quick", n_jobs=1, seed=0, bias_scale=1.0):
    """T3 noiseless: max_b |r(b) - <phi(b), theta_hat>| / beta <= 1 on adversarial misspecification.

    Frank-Wolfe designs (tol 0.01) on random sphere features (instance seed 7); for the ``probes`` actions with
    the largest amplification sum_a n_a |<phi(b), V_n^{-1} phi(a)>| the adversarial eta of
    :func:`adversarial_design_instance` is built. ``bias_scale`` multiplies the amplification term of beta
    (the break: 0 gives the well-specified-style bound eps).

    Parameters
    ----------
    size : {"quick", "full"}
    n_jobs : int
        Unused (one process).
    seed : int
        Master seed of the run seeds.
    bias_scale : float
        Multiplier of the bound's amplification term (1 in production; the break).

    Returns
    -------
    Evidence

    Examples
    --------
    >>> from theorylab.bandits.linear.claims import CLAIMS
    >>> [c.id for c in CLAIMS if c.evaluate is eval_design_prediction]
    ['linear.design_prediction']
    """
    shapes, probes = by_size(size, (((60, 4), (200, 8), (300, 10)), 4), (((60, 4), (200, 8), (400, 12), (1000, 20)), 12))
    eps = 0.05
    worst, rows, runs = 0.0, [], 0
    for K, d in shapes:
        base = random_sparse_instance(K, d, 2, eps, seed=7)
        des = g_optimal_design(base.features)
        n = int(des.support.size)
        for b in top_bias_probes(base.features, des, n, probes):
            inst = adversarial_design_instance(base.features, base.theta, eps, des.weights, int(b))
            res = design_ls(inst, repetition_seeds(seed, {"claim": "linear.design_prediction", "K": K}, 1), design=des)
            beta = bounds.design_prediction_bound(eps, des.g, res.info["N"], res.info["n"], bias_scale=bias_scale)
            ratio = float(res.info["max_pred_error"].max()) / beta
            worst = max(worst, ratio)
            rows.append({"K": K, "d": d, "probe": int(b), "g": des.g, "ratio": ratio})
            runs += 1
    return deterministic_evidence(worst, 1.0, runs, rule="upper", eps=eps, rows=rows)


def eval_separation(size="quick", n_jobs=1, seed=0, probe_weight=0.0):
    """T4: err(DesignLS)/(eps sqrt(d-1)/2) = 1 exactly on SEP(d, 0.02), uniform design on the basis, noiseless.

    measured = the ratio furthest from 1 over d; SparseNet (s = 1, best_empirical, direction net) is run on
    the same instances and its error recorded (bound 4 eps). ``probe_weight`` moves design weight w onto the
    probe action x (the break: production w = 0).

    Parameters
    ----------
    size : {"quick", "full"}
    n_jobs : int
        Unused (one process).
    seed : int
        Master seed of the run seeds.
    probe_weight : float
        Design weight moved onto the probe action (0 in production; the break).

    Returns
    -------
    Evidence

    Examples
    --------
    >>> from theorylab.bandits.linear.claims import CLAIMS
    >>> [c.id for c in CLAIMS if c.evaluate is eval_separation]
    ['linear.separation']
    """
    ds = by_size(size, (5, 9, 17, 33, 65), (5, 9, 17, 33, 65, 129, 257))
    eps = 0.02
    ratios, sparse_err = [], []
    for d in ds:
        inst = separation_instance(d, eps)
        w = np.r_[np.full(d, (1.0 - probe_weight) / d), probe_weight]
        seeds = repetition_seeds(seed, {"claim": "linear.separation", "d": d}, 2)
        res = design_ls(inst, seeds, design=w)
        ratios.append(float(res.errors.max()) / bounds.separation_error(d, eps))
        sparse_err.append(float(sparse_net(inst, 1, seeds, mode="best_empirical").errors.max()))
    far = int(np.argmax(np.abs(np.array(ratios) - 1.0)))
    return deterministic_evidence(ratios[far], 1.0, 2 * len(ds), rule="equal", tol=1e-9, d=list(ds), ratios=ratios,
                                  sparse_net_err_over_eps=[e / eps for e in sparse_err], eps=eps)


def _needle_counts(succ, queries, m):
    """max over Q of #{needles found with <= Q distinct queries} / (Q + 1), for one algorithm and seed."""
    found = np.zeros(m + 1)
    np.add.at(found, np.minimum(queries[succ], m), 1)
    cum = np.cumsum(found)
    return float(np.max(cum / (np.arange(m + 1) + 1.0)))


def needle_runs(q: int, s: int, r: int, reps: int, seed: int, delta: float = 0.8) -> dict:
    """Every needle position of RS(q, s, r): per algorithm, (success (reps, m) bool, distinct queries (reps, m)).

    Algorithms: SparseNet seq_optimistic (ball net), SparseNet best_empirical (direction net), DesignLS (one
    Frank-Wolfe design for all positions: the design depends on the features only). Noiseless.

    Parameters
    ----------
    q, s, r : int
        Shape of RS(q, s, r).
    reps : int
        Runs (seeds) per needle position, shared by all positions.
    seed : int
        Master seed.
    delta : float
        Needle reward.

    Returns
    -------
    dict
        algorithm name -> (success bool (reps, m), distinct queries int (reps, m)).

    Examples
    --------
    >>> out = needle_runs(3, 2, 1, 1, 0)
    >>> sorted(out), out["design_ls"][0].shape
    (['design_ls', 'sparse_net/best', 'sparse_net/seq'], (1, 9))
    """
    m = q ** (r + 1)
    des = g_optimal_design(span_coordinates(reed_solomon_needle(q, s, r, 0, delta).features))
    seeds = repetition_seeds(seed, {"claim": "linear.needle_yao", "q": q, "s": s, "r": r}, reps)
    algs = {
        "sparse_net/seq": lambda inst: sparse_net(inst, s, seeds, mode="seq_optimistic"),
        "sparse_net/best": lambda inst: sparse_net(inst, s, seeds, mode="best_empirical"),
        "design_ls": lambda inst: design_ls(inst, seeds, design=des),
    }
    out = {}
    for name, run in algs.items():
        succ = np.zeros((reps, m), dtype=bool)
        nq = np.zeros((reps, m), dtype=np.int64)
        for i in range(m):
            res = run(reed_solomon_needle(q, s, r, i, delta))
            succ[:, i] = res.actions == i
            nq[:, i] = res.distinct
        out[name] = (succ, nq)
    return out


def eval_needle_yao(size="quick", n_jobs=1, seed=0, bound_scale=1.0):
    """T5/T6: for every algorithm and seed, #{needles output after <= Q distinct queries} <= (Q + 1) for all Q.

    Reed-Solomon needles RS(q, s, r) with Delta = 0.8, one instance per needle position (all m of them),
    noiseless; algorithms SparseNet (seq_optimistic, ball net; best_empirical, direction net) and DesignLS.
    measured = max over (instance, algorithm, seed, Q) of the count / (Q + 1), i.e. the empirical success
    frequency over (Q + 1)/m. ``bound_scale`` multiplies the bound (Q + 1)/m (the break).

    Parameters
    ----------
    size : {"quick", "full"}
    n_jobs : int
        Unused (one process).
    seed : int
        Master seed of the run seeds.
    bound_scale : float
        Multiplier of the bound (Q + 1)/m (1 in production; the break).

    Returns
    -------
    Evidence

    Examples
    --------
    >>> from theorylab.bandits.linear.claims import CLAIMS
    >>> [c.id for c in CLAIMS if c.evaluate is eval_needle_yao]
    ['linear.needle_yao']
    """
    shapes, reps = by_size(size, (((5, 2, 1), (7, 2, 1), (11, 2, 1)), 3), (((5, 2, 1), (11, 2, 1), (5, 3, 2), (7, 3, 1),
                                                                       (7, 3, 2)), 6))
    worst, rows, runs = 0.0, [], 0
    for q, s, r in shapes:
        m = q ** (r + 1)
        for name, (succ, nq) in needle_runs(q, s, r, reps, seed).items():
            val = max(_needle_counts(succ[k], nq[k], m) for k in range(reps)) / bound_scale
            rows.append({"instance": f"RS({q},{s},{r})", "m": m, "algorithm": name, "max_count_over_Q_plus_1": val,
                         "success_rate": float(succ.mean()), "mean_distinct_queries": float(nq.mean())})
            worst = max(worst, val)
            runs += reps * m
    return deterministic_evidence(worst, 1.0, runs, rule="upper", rows=rows, delta=0.8)


def eval_good_feature_probe(size="quick", n_jobs=1, seed=0, extra_kept=0):
    """T9 noiseless: max err / (2 (eps + sqrt(5 s) tau)) <= 1 for GoodFeatureProbe, tau = eps / c0.

    RANDSPARSE instances with the basis among the actions (every kind, instance seeds 200..; K = 200, d = 10,
    s = 2, eps = 0.05) and the separation instances SEP(d, 0.1) (s = 1), whose basis probes carry -eps on every
    off-support coordinate. ``extra_kept`` keeps that many coordinates beyond s in the hard threshold (the
    break: thresholding is the step that removes the eps sqrt(d) amplification).

    Parameters
    ----------
    size : {"quick", "full"}
    n_jobs : int
        Unused (one process).
    seed : int
        Master seed of the run seeds.
    extra_kept : int
        Coordinates kept beyond s (0 in production; the break).

    Returns
    -------
    Evidence

    Examples
    --------
    >>> from theorylab.bandits.linear.claims import CLAIMS
    >>> [c.id for c in CLAIMS if c.evaluate is eval_good_feature_probe]
    ['linear.good_feature_probe']
    """
    n_inst, seps, reps = by_size(size, (4, (65, 257), 3), (20, (65, 129, 257), 10))
    worst, rows, runs = 0.0, [], 0
    cases = [(random_sparse_instance(200, 10, 2, 0.05, kind=k, seed=200 + i, basis_scale=1.0), 2)
             for k in MISSPEC_KINDS for i in range(n_inst)]
    cases += [(separation_instance(d, 0.1), 1) for d in seps]
    for j, (inst, s) in enumerate(cases):
        res = good_feature_probe(inst, s, repetition_seeds(seed, {"claim": "linear.gfp", "case": j}, reps),
                                 keep=s + extra_kept)
        bound = bounds.good_feature_error_bound(inst.eps, res.info["tau"], s)
        ratio = float(res.errors.max()) / bound
        worst = max(worst, ratio)
        rows.append({"instance": inst.name, "d": inst.d, "ratio": ratio})
        runs += res.runs
    return deterministic_evidence(worst, 1.0, runs, rule="upper", rows=rows)


def eval_jl_coherence(size="quick", n_jobs=1, seed=0, dimension_constant=8.0):
    """T7: P(m Rademacher vectors in k = ceil(c ln m / gamma^2) dims are not gamma-coherent) <= 1/m^2, c = 8.

    m = 10, gamma = 0.5 (k = 74); failures counted over independent families drawn by
    :func:`rademacher_family` (the generator of :func:`jl_needle`); Clopper-Pearson 95% interval.
    ``dimension_constant`` replaces the 8 of :func:`jl_dimension` (the break).

    Parameters
    ----------
    size : {"quick", "full"}
    n_jobs : int
        Unused (one process).
    seed : int
        Master seed of the run seeds.
    dimension_constant : float
        The constant of k = ceil(c ln m / gamma^2) (8 in production; the break).

    Returns
    -------
    Evidence

    Examples
    --------
    >>> from theorylab.bandits.linear.claims import CLAIMS
    >>> [c.id for c in CLAIMS if c.evaluate is eval_jl_coherence]
    ['linear.jl_coherence']
    """
    draws = by_size(size, 2000, 20000)
    m, gamma = 10, 0.5
    # production: the dimension rule of jl_needle; the break replaces its constant 8
    k = jl_dimension(m, gamma) if dimension_constant == 8.0 else \
        max(1, int(np.ceil(dimension_constant * np.log(m) / gamma**2)))
    rng = np.random.default_rng(seed_sequence(seed, "linear.jl_coherence"))
    fails = sum(max_coherence(rademacher_family(m, k, rng)) > gamma for _ in range(draws))
    iv = clopper_pearson(int(fails), draws)
    return Evidence(iv.estimate, iv.low, iv.high, bounds.jl_failure_bound(m), draws, "upper",
                    details={"interval": "clopper-pearson 95%", "failures": int(fails), "m": m, "gamma": gamma,
                             "k": k})


def eval_oful_coverage(size="quick", n_jobs=1, seed=0, radius_scale=1.0):
    """T10: P(||theta_hat_t - theta*||_{V_t} <= sqrt(beta_t) for every round t <= T) >= 1 - p, p = 0.05.

    Well-specified RANDSPARSE instance (K = 50, d = 5, s = 5, eps = 0, sigma = 0.5, instance seed 300), LinUCB
    with the self-normalised radius of OFUL (lambda = 1, S = 1); Clopper-Pearson 95% interval on the fraction
    of covered runs. ``radius_scale`` multiplies the radius (the break).

    Parameters
    ----------
    size : {"quick", "full"}
    n_jobs : int
        Unused (one process).
    seed : int
        Master seed of the run seeds.
    radius_scale : float
        Multiplier of LinUCB's radius (1 in production; the break).

    Returns
    -------
    Evidence

    Examples
    --------
    >>> from theorylab.bandits.linear.claims import CLAIMS
    >>> [c.id for c in CLAIMS if c.evaluate is eval_oful_coverage]
    ['linear.oful_coverage']
    """
    runs, horizon = by_size(size, (200, 1000), (2000, 5000))
    inst = random_sparse_instance(50, 5, 5, 0.0, seed=300, sigma=0.5)
    res = linucb(inst, horizon, repetition_seeds(seed, "linear.oful_coverage", runs), record_coverage=True,
                 radius_scale=radius_scale)
    k = int(res.covered.sum())
    iv = clopper_pearson(k, runs)
    return Evidence(iv.estimate, iv.low, iv.high, 0.95, runs, "lower",
                    details={"interval": "clopper-pearson 95%", "covered": k, "horizon": horizon, "p": 0.05,
                             "mean_regret": float(res.regret[:, -1].mean())})
