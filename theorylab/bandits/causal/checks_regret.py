"""Evaluate function of the regret-ordering claim: CSL-UCB against Vanilla UCB on random instances.

The paper's experiment (100 random instances, N = 10, T = 1500) compares CSL-UCB with Vanilla UCB,
GOLEM-MAB and LinSEM-TS; the claim checks the ordering against Vanilla UCB, the baseline that ignores
the graph (docs/topics/causal.md#claims). The comparison with LinSEM-TS is reported in the topic note,
not claimed: in our runs the known-graph LinSEM-TS has the lower regret.
"""

from __future__ import annotations


from theorylab.bandits.causal.algorithms import CSL_DEFAULTS, run_algorithm
from theorylab.bandits.causal.instances import random_instance
from theorylab.core.claims import Evidence, by_size
from theorylab.core.seeding import repetition_seeds, seed_sequence
from theorylab.core.stats import t_interval

__all__ = ["eval_regret_vs_ucb"]


def eval_regret_vs_ucb(size="quick", n_jobs=1, seed=0, n_es=CSL_DEFAULTS["n_es"], variant="final"):
    """Mean over instances of pseudo-regret(CSL-UCB) / pseudo-regret(Vanilla UCB) at the horizon; <= 1.

    One run of each algorithm per instance (independent streams), Student-t interval over instances
    (n - 1 df). Quick: N = 7 (128 actions, so Vanilla UCB needs 128 rounds to try each once), T = 500,
    20 instances; full: the paper's N = 10, T = 1500, 100 instances. ``n_es`` is CSL-UCB's minimum sample
    count per sub-graph before it exploits (the break makes it explore at random for most of the horizon).

    Parameters
    ----------
    size : {"quick", "full"}, default "quick"
        Run size, as above.
    n_jobs : int, default 1
        Unused (one kernel call per algorithm; kept for the claim interface).
    seed : int, default 0
        Master seed of the instances and of both algorithms' runs.
    n_es : int, default CSL_DEFAULTS["n_es"] (20)
        CSL-UCB's forced-exploration sample count per sub-graph.
    variant : {"final", "paper_era"}, default "final"
        CSL-UCB variant (docs/topics/causal.md#variants).

    Returns
    -------
    theorylab.core.claims.Evidence
        Rule ``upper``, bound 1: the mean per-instance ratio of the pseudo-regrets at T with its Student-t
        95% interval; ``details`` adds both mean regrets and the optimal-action shares of the last 100 rounds.
    """
    N, T, R = by_size(size, (7, 500, 20), (10, 1500, 100))
    insts = [random_instance(N, seed_sequence(seed, "causal.regret.instances", i)) for i in range(R)]
    csl = run_algorithm("csl_ucb", insts, repetition_seeds(seed, "causal.regret.csl", R), T, variant=variant,
                        n_es=n_es)
    ucb = run_algorithm("vanilla_ucb", insts, repetition_seeds(seed, "causal.regret.ucb", R), T)
    a, b = csl.pseudo_regret[:, -1], ucb.pseudo_regret[:, -1]
    ratio = a / b
    iv = t_interval(ratio)
    return Evidence(measured=iv.estimate, ci_low=iv.low, ci_high=iv.high, bound=1.0, reps=R, rule="upper",
                    details={"method": "Student-t over instances (n - 1 df) of the per-instance regret ratio",
                             "variant": variant, "N": N, "T": T, "mean_regret_csl": float(a.mean()),
                             "mean_regret_ucb": float(b.mean()),
                             "optimal_share_last_100_csl": float(csl.optimal[:, -100:].mean()),
                             "optimal_share_last_100_ucb": float(ucb.optimal[:, -100:].mean())})
