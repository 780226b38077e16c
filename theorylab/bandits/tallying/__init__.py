"""Weighted tallying bandits: WTB-SE, complete policy regret with exact optima, lower-bound instances.

Malik, Igoe, Li, Singh, "Weighted Tallying Bandits: Overcoming Intractability via Repeated Exposure
Optimality", ICML 2023 (arXiv 2305.02955). Only the paper's abstract was readable, so the algorithm's
schedule, the REO form, the lag convention and every instance are our reconstruction; the topic note
docs/topics/tallying.md says what is the paper's and what is ours.
"""

ALGORITHMS = {
    "wtb_se": "successive elimination with burn-in blocks (Malik et al. 2023) [reconstruction: schedule, radius]",
    "wtb_se_known_m": "WTB-SE with M = m (known-memory oracle)",
    "wtb_se_anytime": "WTB-SE with the doubling trick on phases T_k = 2^k (unknown horizon) [reconstruction]",
    "plain_se": "successive elimination without burn-in, round-robin (key ablation)",
    "ucb1": "UCB1, loss form (Auer, Cesa-Bianchi, Fischer 2002)",
    "exp3": "EXP3, loss form (Auer et al. 2002)",
    "batched_exp3": "mini-batched EXP3, blocks of T^(1/3) (Arora, Dekel, Tewari 2012)",
    "swa": "sliding-window average, loss form (Levine, Crammer, Mannor 2017); misspecified here",
    "raw_ucb": "RAW-UCB with geometric windows, loss form (Seznec et al. 2020); misspecified here",
    "fewa": "FEWA on geometric windows, loss form (Seznec et al. 2019); misspecified here",
    "tb_etc_periodic": "TB-ETC-periodic: explore-then-commit over periodic schedules [ours: a stand-in for the "
                       "COLT 2022 tallying-bandit algorithm, never that algorithm]",
    "fixed_best": "always a* = argmin_a f_a(W) (oracle line)",
    "fixed_myopic": "always argmin_a f_a(first-play tally) (oracle line: ignores exposure)",
    "uniform": "uniformly random arm each step (upper reference)",
}
INSTANCES = {
    "learning_curve": "family A: a* learns (worst fresh, best practised) [ours: constants]",
    "satiation": "a* learns, the others satiate (families A + B) [ours]",
    "inverted_u": "a* learns, the others peak at intermediate exposure (families A + C) [ours]",
    "random_reo": "random REO instance from families A-D (property tests) [ours]",
    "hidden_practice": "lower-bound instance 7.1, Omega(mK) [ours]",
    "unknown_memory": "lower-bound pair 7.2, Omega(M) [ours]",
    "password": "instance 7.3 without REO: weights 2^-i, loss 0 on rotations of a secret [ours]",
    "near_tie": "instance 7.4: m = 1, one arm sqrt(K/T)/4 better [ours]",
}
