"""Executable claims of the causal topic (Peng, Zhang, Mitra, IEEE TSP 2025; ICASSP 2024 proof supplement).

The formal results are the supplement's Lemma 1, Lemma 2 and Theorem 1 (the uncertainty bound that
drives CSL-UCB); the change detector's false-alarm check is ours (the paper's threshold, our level);
the regret ordering against Vanilla UCB is the paper's experiment at a smaller quick size. Proposition 1
is checked through its use by the edge score (its oracle quantities are not observable); the full
algorithm's false-alarm rate is checked against a level calibrated on disjoint instances and seeds.
What each claim runs, its break and the measured numbers: docs/topics/causal.md#claims.
"""

from __future__ import annotations

from theorylab.bandits.causal.checks_bounds import (eval_detector_false_alarm, eval_lemma1, eval_lemma2,
                                                    eval_theorem1)
from theorylab.bandits.causal.checks_change import eval_detection_delay, eval_false_alarm_rate
from theorylab.bandits.causal.checks_prop1 import eval_prop1_mi_gap
from theorylab.bandits.causal.checks_regret import eval_regret_vs_ucb
from theorylab.bandits.causal.learning import eval_graph_learning_savings
from theorylab.core.claims import Break, Claim

__all__ = ["CLAIMS", "PAPER"]

PAPER = "Peng, Zhang, Mitra 2025 (IEEE TSP 73), arXiv 2408.11240; ICASSP 2024 supplement"

CLAIMS = [
    Claim("causal.lemma1_moments", PAPER, "Lemma 1 (supp. eqs. (22)-(31))",
          "max over designs, m in {2,4,6,8}: E||Delta_i||^m / [m! sqrt(4p/(p+2)) (lam_max (p+2)/4)^{m/2}] <= 1",
          "upper", eval_lemma1, tag="paper", constant="paper",
          calibration="none: the Lemma's bound and constant; the designs are real sub-graph designs of random "
                      "instances (true parents), noise redrawn",
          deliberate_break=Break(
              override="constant_scale", value=0.4, changes="the Lemma's constant m! sqrt(4p/(p+2)), multiplied by c",
              target="bound", scale="constant multiplier c; production c = 1; stronger = smaller",
              margin=0.55, margin_source="scan c in {0.7, 0.6, 0.55, 0.5, 0.4}, quick, seed 0: holds at 0.7, "
                                         "inconclusive at 0.6, first violated at 0.55")),
    Claim("causal.lemma2_tail", PAPER, "Lemma 2 (supp. eqs. (32)-(46))",
          "(1-delta)-quantile of sigma_max(Delta B_a) / [2 sqrt(ln(2N/delta) sum_i sqrt(p_i(p_i+2)) lam_i)] <= 1, "
          "delta = 0.05, N = 10",
          "upper", eval_lemma2, tag="paper", constant="paper",
          calibration="none: the Lemma's radius with the authors' per-node dof p_i (valid by the same proof); "
                      "the validity condition of supp. eq. (45) is reported, it held in 0/400 quick cases",
          deliberate_break=Break(
              override="radius_scale", value=0.05, changes="the Lemma's radius xi(delta), multiplied by c",
              target="bound", scale="radius multiplier c; production c = 1; stronger = smaller",
              margin=0.13, margin_source="scan c in {0.2, 0.15, 0.13, 0.1}, quick, seed 0: holds at 0.2, "
                                         "inconclusive at 0.15, first violated at 0.13")),
    Claim("causal.theorem1_coverage", PAPER, "Theorem 1 (supp. eqs. (47)-(55))",
          "(1-delta)-quantile of |[mu_hat_a - mu_a]_N| / U(a) <= 1, U with the true ||mu_a||, true topology, "
          "delta = 0.05",
          "sanity", eval_theorem1, tag="paper", constant="paper",
          calibration="none: the theorem's U(a) with the authors' per-node dof; loose by about 160x at the "
                      "checked size (quantile 0.006), hence kind 'sanity'",
          deliberate_break=Break(
              override="radius_scale", value=0.002, changes="the radius xi_a(delta) inside U(a), multiplied by c",
              target="bound", scale="radius multiplier c; production c = 1; stronger = smaller",
              margin=0.005, margin_source="scan c in {0.01, 0.006, 0.005, 0.003}, quick, seed 0: holds at 0.01, "
                                          "inconclusive at 0.006, first violated at 0.005")),
    Claim("causal.detector_false_alarm", PAPER, "sub-graph change detection (authors' code: window 20, tau_cd = 2)",
          "no change: 0.99-quantile of D / tau_cd <= 1, i.e. P(D > 2) <= 0.01 per window, D the KL statistic",
          "upper", eval_detector_false_alarm, tag="ours", constant="ours",
          calibration="theory: under no change 2 w D is asymptotically chi-square(2) (a Gaussian GLR), so "
                      "P(D > 2) ~ exp(-40) at w = 20; the level 0.01 is ours and loose on purpose (estimated "
                      "weights, w = 20 is far from asymptotic)",
          deliberate_break=Break(
              override="window", value=2, changes="the detector's window length w_cd",
              target="algorithm", scale="window length w; production w = 20; stronger = smaller",
              margin=3, margin_source="scan w in {10, 6, 5, 4, 3}, quick, seed 0: holds down to 4, "
                                      "first violated at 3")),
    Claim("causal.regret_vs_vanilla_ucb", PAPER, "Sec. VI stationary experiment (regret figure; authors' sim_main.py)",
          "mean over random instances of R_T(CSL-UCB, final) / R_T(Vanilla UCB) <= 1 (pseudo-regret; quick N = 7, T = 500)",
          "upper", eval_regret_vs_ucb, tag="reconstruction", constant="ours",
          calibration="none: the bound 1 is the ordering itself (no constant); instance law and constants are "
                      "the authors', the quick size is ours",
          deliberate_break=Break(
              override="n_es", value=150,
              changes="CSL-UCB's minimum samples per sub-graph N_ES before it exploits (random exploration)",
              target="algorithm", scale="N_ES; production 20; stronger = larger",
              margin=90, margin_source="scan N_ES in {20, 70, 80, 90}, quick, seed 0: holds at 20 (0.42), "
                                       "inconclusive at 70 and 80, first violated at 90")),
    Claim("causal.detection_delay", PAPER, "sub-graph change detection (authors' code; scenario ours)",
          "one change (authors' change model) at t_c: median over runs playing the old optimum of the "
          "detection delay <= w_cd = 20 rounds",
          "upper", eval_detection_delay, tag="reconstruction", constant="ours",
          calibration="theory: a run that keeps playing the old optimum samples the changed sub-graph every round, "
                      "so after w_cd rounds its window holds only post-change residuals; the bound w_cd is that "
                      "refresh time, not fitted (quick: 19 eligible runs of 24, median delay 2)",
          deliberate_break=Break(
              override="tau_cd", value=1000.0, changes="the detector's threshold tau_cd",
              target="algorithm", scale="threshold tau_cd; production 2; stronger = larger",
              margin=100.0, margin_source="scan tau_cd in {5, 10, 20, 50, 100, 200, 500, 1000}, quick, seed 0: "
                                          "holds at 2, inconclusive 5-50, first violated at 100")),
    # --- graph-learning sample savings (structure-learning comparison; docs/topics/causal.md#claims) ---
    Claim("causal.graph_learning_savings", PAPER,
          "abstract: 'significantly fewer samples' to learn the causal structure (v1: '67% fewer'); "
          "structure-learning comparison, protocol reconstructed",
          "same budget n = 50 rounds, N = 10: max over L in {GOLEM, DAGMA} of mean_instances "
          "[FNR(sub-graph learner) - FNR(L)] <= 0 (the sub-graph learner misses fewer true edges)",
          "upper", eval_graph_learning_savings, tag="reconstruction", constant="ours",
          calibration="calibration: the budget n = 50 was chosen from an exploration on 6-8 other instances "
                      "(master seed 99, keys 'c6.explore*', disjoint from the checked seeds and instances): "
                      "FNR sub-graph / GOLEM / DAGMA = 0.041 / 0.142 / 0.143 at n = 50 (8 instances), 0.017 / 0.057 / "
                      "0.082 at "
                      "n = 100, 0.010 / 0.048 / 0.069 at n = 200, but 0.043 / 0.021 / 0.035 at n = 400, where "
                      "the ordering reverses; the bound 0 is the ordering itself",
          deliberate_break=Break(
              override="weight", value=0.0,
              changes="the log-weight penalty w of the sub-graph learner's edge score I(residual; X_p) - w ln|b_p| "
                      "(the asymmetric graph-error control that protects strong edges)",
              target="algorithm", scale="penalty weight w; production w = 1; stronger = smaller",
              margin=0.05, margin_source="scan w in {0.5, 0.25, 0.1, 0.05, 0.02, 0}, quick, seed 0: holds down to "
                                          "0.25, inconclusive at 0.1, first violated at 0.05")),
    Claim("causal.prop1_mi_gap", PAPER, "Proposition 1 (supp. eqs. (8)-(21)), as used by the edge score",
          "two-node instances 0 -> 1, child intervened on in a random half of the rounds: mean over instances of "
          "I_KSG(R_0; X_1) - I_KSG(R_1; X_0) >= 0 (a wrongly included non-ancestor leaves a dependent residual, a "
          "true parent an independent one)",
          "lower", eval_prop1_mi_gap, tag="paper", constant="paper",
          calibration="theory: with no causal error the residual of a true parent is the node's noise, so "
                      "I(R_1; X_0) = 0 (Prop. 1's zero case); the bound 0 is that zero, no fitted threshold",
          deliberate_break=Break(
              override="fit_scale", value=0.0,
              changes="the OLS coefficient that forms the residual R = y - c Z b_hat, multiplied by c",
              target="algorithm", scale="coefficient multiplier c; production c = 1; stronger = smaller",
              margin=0.15, margin_source="scan c in {1, 0.8, 0.6, 0.4, 0.2, 0.15, 0.1, 0.05, 0}, quick, seed 0: "
                                         "holds down to 0.6, inconclusive at 0.4 and 0.2, first violated at 0.15")),
    Claim("causal.false_alarm_rate", PAPER, "sub-graph change detection in CSL-UCB (authors' code; scenario ours)",
          "no change, N = 10, T = 1000: share of runs whose detector fires in (t_static, T) <= 0.256 = FA_LEVEL "
          "(twice the calibrated Clopper-Pearson upper limit)",
          "upper", eval_false_alarm_rate, tag="reconstruction", constant="ours",
          calibration="calibration: 400 stationary runs on disjoint instances and seeds (master seed 1, keys "
                      "causal.false_alarm.calibration.*; checks_change.py): 38 false-alarm runs, CP 95% upper "
                      "limit 0.128; level = 2 x 0.128 (ours). Theory (known weights) gives < 2e-4 per run, which "
                      "the algorithm misses: its false alarms come from weight estimation error",
          deliberate_break=Break(
              override="tau_cd", value=0.5, changes="the detector's threshold tau_cd",
              target="algorithm", scale="threshold tau_cd; production 2; stronger = smaller",
              margin=0.5, margin_source="scan tau_cd in {2, 1, 0.5}, quick, seed 0: holds at 2 (13/100), "
                                       "inconclusive at 1 (22/100), first violated at 0.5 (68/100)")),
]
