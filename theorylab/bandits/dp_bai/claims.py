"""Executable claims of the dp_bai topic (Chen, Karthik, Chee, Tan, ICLR 2024; spec Sections 5 and 8).

Privacy (Theorem: DP-BAI is epsilon-DP) is checked three ways; the error bounds are the spec's derived
Propositions A/B (the paper's constants are unverified); the rate, knee and lower-bound checks test the
shape H_BAI + H_pri/epsilon with our constants (``constant="ours"``). Every claim carries ``breaks``:
overrides that break the mechanism, the algorithm or the bound and make the claim ``violated``.
"""

from __future__ import annotations

from theorylab.bandits.dp_bai.checks_privacy import eval_histogram, eval_replay, eval_two_arm
from theorylab.bandits.dp_bai.checks_rates import (eval_l1, eval_u3, eval_u4, eval_u5_knee, eval_u5_slope_large,
                                                   eval_u5_slope_small)
from theorylab.bandits.dp_bai.checks_utility import eval_u1, eval_u2, eval_u6, eval_vs_dp_od
from theorylab.core.claims import Claim

__all__ = ["CLAIMS", "PAPER"]

PAPER = "Chen, Karthik, Chee, Tan 2024 (ICLR), arXiv 2401.09073"

CLAIMS = [
    Claim("dp_bai.privacy_replay", PAPER, "Thm (DP-BAI is eps-DP); spec 3.5, P1/P4",
          "shift-coupling privacy loss / eps <= 1 on every (table, one-entry or whole-row neighbour, noise)",
          "privacy", eval_replay, tag="derived", constant="paper", breaks={"noise_factor": 0.5}),
    Claim("dp_bai.privacy_two_arm_exact", PAPER, "Thm (DP-BAI is eps-DP); spec P2",
          "max |log P(o|x)/P(o|x')| <= eps, exact via the Laplace-difference CDF (K = 2, one phase)",
          "privacy", eval_two_arm, tag="derived", constant="paper", breaks={"noise_factor": 0.5}),
    Claim("dp_bai.privacy_histogram", PAPER, "Thm (DP-BAI is eps-DP); spec P3",
          "95% lower bound of max_o log P(o|x)/P(o|x') <= eps (Monte-Carlo transcripts, worst-case flip)",
          "privacy", eval_histogram, tag="derived", constant="paper", breaks={"noise_factor": 0.5}),
    Claim("dp_bai.error_bound_unstructured", PAPER, "spec Prop. A (U1)",
          "P_err <= sum_p s_p [e^{1/4} e^{-T/(8 M H_BAI)} + e^{eps/4}/2 e^{-eps T/(8 M H_pri)}] (a_i = e_i)",
          "upper", eval_u1, tag="derived", constant="derived", breaks={"noise_factor": 1000.0}),
    Claim("dp_bai.error_bound_linear", PAPER, "spec Prop. B (U2)",
          "P_err <= sum_p s_p [e^{-n_p D_p^2/(8 d_p)} + e^{d_p/3 - eps n_p D_p/8}], D_p = Delta_(s_{p+1}+1)",
          "upper", eval_u2, tag="derived", constant="derived", breaks={"noise_factor": 1000.0}),
    Claim("dp_bai.exponential_decay", PAPER, "Thm (upper bound), spec U3",
          "-d log P_err / dT >= 1 / (8 M (H_BAI + H_pri/eps))  (weighted LS slope, eps = 0.1)",
          "rate", eval_u3, tag="derived", constant="derived", breaks={"noise_factor": 30.0}),
    Claim("dp_bai.rate_scaling", PAPER, "Thm (upper bound), spec U4",
          "kappa = e_hat M (H_BAI + H_pri/eps): max/min over instances x eps in {0.01..10} <= 20",
          "rate", eval_u4, tag="reconstruction", constant="ours", breaks={"complexity_form": "privacy_only"}),
    Claim("dp_bai.knee_slope_small_eps", PAPER, "Thms (upper + lower), spec U5",
          "d log e_hat / d log eps = 1 +- 0.2 for eps <= eps*/8, eps* = H_pri/H_BAI",
          "rate", eval_u5_slope_small, tag="reconstruction", constant="ours", breaks={"expected_slope": 0.0}),
    Claim("dp_bai.knee_slope_large_eps", PAPER, "Thms (upper + lower), spec U5",
          "d log e_hat / d log eps = 0 +- 0.2 for eps >= 10 eps*",
          "rate", eval_u5_slope_large, tag="reconstruction", constant="ours", breaks={"expected_slope": 1.0}),
    Claim("dp_bai.knee_location", PAPER, "Thms (upper + lower), spec U5",
          "knee b/a of e_hat = 1/(a + b/eps) within a factor 4 of eps* = H_pri/H_BAI",
          "rate", eval_u5_knee, tag="reconstruction", constant="ours", breaks={"noise_factor": 100.0}),
    Claim("dp_bai.nonprivate_limit", PAPER, "spec U6",
          "P_err(DP-BAI, eps = 1e9) - P_err(Max-Det halving) in [-0.01, 0.01] (same seeds)",
          "identity", eval_u6, tag="derived", constant="ours", breaks={"noise_factor": 1e11}),
    Claim("dp_bai.lower_bound_sanity", PAPER, "Thm (minimax lower bound), spec L1",
          "e_hat (H_BAI + H_pri/eps) <= 2 for DP-BAI, DP-SH, DP-OD at eps in {0.01, 0.1} (hard family)",
          "lower", eval_l1, tag="reconstruction", constant="ours", breaks={"noise_factor": 0.0}),
    Claim("dp_bai.beats_dp_od", PAPER, "Sec. 5 experiment (DP-BAI vs DP-OD, via reviews)",
          "P_err(DP-BAI) / P_err(DP-OD) <= 1/2 at eps = 0.1, T = 5000 on SOARE-DP(3, 100, 0.5) [OURS instance]",
          "upper", eval_vs_dp_od, tag="reconstruction", constant="ours", breaks={"noise_factor": 4.0}),
]
