"""DP-BAI: fixed-budget differentially private best-arm identification in linear bandits.

Chen, Karthik, Chee, Tan, "Fixed-Budget Differentially Private Best Arm Identification", ICLR 2024
(arXiv 2401.09073). Items tagged [RECON] follow our reconstruction of details of the paper that could not
be verified; each such choice is stated in the docstring of the function that makes it.
"""

ALGORITHMS = {
    "dp_bai": "DP-BAI: Max-Det phases + Laplace noise on phase means (Chen et al. 2024, Alg. 1) [RECON schedule]",
    "max_det_halving": "DP-BAI without noise (epsilon = inf): non-private Max-Det halving",
    "dp_od": "DP-OD: OD-LinBAI with Laplace noise on per-arm phase means, then OLS [RECON, docs/topics/dp_bai.md#dp-od]",
    "od_linbai": "OD-LinBAI (Yang & Tan 2022): G-optimal design (Frank-Wolfe) + elimination",
    "dp_sh": "DP Sequential Halving: Laplace on per-phase means, features ignored [OURS, docs/topics/dp_bai.md#baselines]",
    "dp_sr": "DP Successive Rejects: fresh samples per phase, Laplace on phase means, features ignored [OURS, docs/topics/dp_bai.md#baselines]",
    "sequential_halving": "Sequential Halving (Karnin et al. 2013), from theorylab.bandits.algorithms",
    "successive_rejects": "Successive Rejects (Audibert et al. 2010), from theorylab.bandits.algorithms",
}
INSTANCES = {
    "linear": "any arm features + theta with means in [0,1], Bernoulli or Beta rewards",
    "unstructured": "K-armed instance with identity features",
    "soare_dp": "SOARE-DP(d, K, omega): nearly-collinear arms, means in [0.1, 0.9] [OURS]",
    "random_unstructured": "random means in [0.05, 0.95] with a unique best",
    "random_linear": "random sphere features with a constant coordinate",
    "hard_one_hard_arm": "H1: Delta_2 = delta, other gaps 0.25 (docs/topics/dp_bai.md#hard-families)",
    "hard_linear_gaps": "H2: Delta_i = 0.25 (i-1)/(K-1) (docs/topics/dp_bai.md#hard-families)",
    "hard_polynomial": "H3: Delta_i = 0.25 (i/K)^alpha (docs/topics/dp_bai.md#hard-families)",
}
