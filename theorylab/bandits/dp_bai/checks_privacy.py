"""Evaluate functions of the privacy claims (checks P1-P4, docs/topics/dp_bai.md#privacy)."""

from __future__ import annotations

import numpy as np

from theorylab.bandits.dp_bai.audit import histogram_audit, replay_privacy_loss, two_arm_exact_loss
from theorylab.bandits.dp_bai.instances import random_linear_instance, unstructured_instance
from theorylab.bandits.dp_bai.plans import default_schedule
from theorylab.core.claims import Evidence, by_size, deterministic_evidence
from theorylab.core.seeding import seed_sequence

__all__ = ["eval_replay", "eval_two_arm", "eval_histogram"]


def _neighbour(rng, x, row: bool):
    xp = x.copy()
    t = int(rng.integers(x.shape[0]))
    if row:
        xp[t] = rng.random(x.shape[1])
        return xp
    k = int(rng.integers(x.shape[1]))
    xp[t, k] = 1.0 - round(x[t, k]) if rng.random() < 0.7 else rng.random()
    return xp


def eval_replay(size="quick", n_jobs=1, seed=0, noise_factor=1.0, reuse_samples=False, epsilon=None):
    """P1/P4: max shift-coupling privacy loss over random tables, neighbours and noise draws.

    Cases: unstructured K = 4 and linear (K = 5, d = 3) instances; time-indexed tables with one-entry
    neighbours, arm-indexed tables, and whole-row neighbours (time indexing). loss / epsilon must be <= 1.

    Parameters
    ----------
    size : {"quick", "full"}
        Check size.
    n_jobs : int
        Parallel workers.
    seed : int
        Master seed.
    noise_factor : float
        Multiplies the engine's Laplace scale (1 = production; the claim's break).
    reuse_samples : bool
        Reuse samples across phases (a non-private variant, for tests).
    epsilon : float, optional
        Privacy parameter (default per size).

    Returns
    -------
    Evidence
        Measurement, interval, bound, reps and details for the claim's verdict.
    """
    trials = by_size(size, 60, 600)
    rng = np.random.default_rng(seed_sequence(seed, "dp_bai.privacy_replay"))
    insts = [unstructured_instance([0.7, 0.5, 0.3, 0.2]), random_linear_instance(5, 3, 1)]
    worst, cases, changed_max = 0.0, 0, 0
    for inst in insts:
        M = len(default_schedule(inst.K, inst.rank)) - 1
        for mode in ("time", "arm", "row"):
            for _ in range(trials):
                T = int(rng.integers(4, 40)) * M * inst.rank
                shape = (T, inst.K) if mode != "arm" else (inst.K, T)
                x = (rng.random(shape) < 0.5).astype(float) if rng.random() < 0.5 else rng.random(shape)
                xp = _neighbour(rng, x, mode == "row")
                Z = rng.laplace(size=(1, M, inst.K))
                eps = float(np.exp(rng.uniform(np.log(0.05), np.log(5.0)))) if epsilon is None else epsilon
                r = replay_privacy_loss(inst, "dp_bai", T, eps, x, xp, Z, "arm" if mode == "arm" else "time",
                                        noise_factor, reuse_samples)
                worst = max(worst, r["loss"] / eps)
                changed_max = max(changed_max, r["changed_releases"])
                cases += 1
    return deterministic_evidence(worst, 1.0 + 1e-9, cases, rule="upper", max_changed_releases=changed_max,
                                  method="exact shift coupling; measured = worst privacy loss / epsilon over cases "
                                         "(epsilon log-uniform in [0.05, 5] unless fixed)")


def eval_two_arm(size="quick", n_jobs=1, seed=0, noise_factor=1.0, epsilon=1.0):
    """P2: exact worst-case log-likelihood ratio of the two-arm, one-phase mechanism over budgets.

    The Laplace scale is read off the production engine's releases (:func:`audit.engine_laplace_scale`);
    ``noise_factor`` is passed to the engine, so the break changes the engine's noise itself.

    Parameters
    ----------
    size : {"quick", "full"}
        Check size.
    n_jobs : int
        Parallel workers.
    seed : int
        Master seed.
    noise_factor : float
        Multiplies the engine's Laplace scale (1 = production; the claim's break).
    epsilon : float
        Privacy parameter.

    Returns
    -------
    Evidence
        Measurement, interval, bound, reps and details for the claim's verdict.
    """
    budgets = by_size(size, [2, 10, 60, 200], [2, 10, 60, 200, 1000, 4000])
    res = [two_arm_exact_loss(T, epsilon, noise_factor, seed) for T in budgets]
    loss = max(r["loss"] for r in res)
    return deterministic_evidence(loss, epsilon * (1 + 1e-12), len(budgets), rule="upper",
                                  method="closed-form Laplace-difference CDF at the engine's measured scale",
                                  per_budget=[r["loss"] for r in res], engine_scale=[r["scale"] for r in res])


def eval_histogram(size="quick", n_jobs=1, seed=0, noise_factor=1.0, reuse_samples=False, epsilon=1.0):
    """P3: Bonferroni Clopper-Pearson lower bound of max_o log P(o|x)/P(o|x') must not exceed epsilon.

    Parameters
    ----------
    size : {"quick", "full"}
        Check size.
    n_jobs : int
        Parallel workers.
    seed : int
        Master seed.
    noise_factor : float
        Multiplies the engine's Laplace scale (1 = production; the claim's break).
    reuse_samples : bool
        Reuse samples across phases (a non-private variant, for tests).
    epsilon : float
        Privacy parameter.

    Returns
    -------
    Evidence
        Measurement, interval, bound, reps and details for the claim's verdict.
    """
    runs = by_size(size, 20000, 200000)
    r = histogram_audit(30, epsilon, runs, seed, noise_factor, reuse_samples)
    return Evidence(measured=r["lcb"], ci_low=r["lcb"], ci_high=r["lcb"], bound=epsilon, reps=2 * runs, rule="upper",
                    details={"method": "MC transcript histograms; measured = 95% (Bonferroni) lower confidence "
                                       "bound of the largest log-ratio", "point_max_log_ratio": r["max_log_ratio"],
                             "outcomes": r["outcomes"]})
