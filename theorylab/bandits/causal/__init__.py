"""Causal bandits on linear SEMs: CSL-UCB with asymmetric graph-error control (topic ``causal``).

Peng, Zhang, Mitra, "Asymmetric Graph Error Control with Low Complexity in Causal Bandits",
IEEE Trans. Signal Processing 73 (2025) 1792-1807, arXiv 2408.11240; the formal results come from the
proof supplement of the ICASSP 2024 precursor. What is built, what follows the authors' code and what
is our reconstruction: docs/topics/causal.md.
"""

ALGORITHMS = {
    "csl_ucb": "CSL-UCB (Peng, Zhang, Mitra 2025): sub-graph learning + rescaled Theorem-1 bonus, change detector; "
               "variant='paper_era' (oracle ||mu_a||, 0.2 r (1+cos)) or 'final' (authors' last commit)",
    "vanilla_ucb": "UCB over all 2^N actions (authors' baseline; windowed means when non-stationary)",
    "linsem_ts": "LinSEM-TS (Varici et al. 2023) told the true parent sets (authors' baseline)",
    "sub_graph_learner": "CSL-UCB's graph learner: KSG edge scores, delete highest-score edges until acyclic, "
                         "OLS weights (authors' learn_topo / est_wt)",
    "golem": "GOLEM-EV (Ng et al. 2020) by Adam: defined on theorylab.nn (DAG penalty with a Frechet-derivative "
             "gradient), run by a fused numba kernel pinned to it; threshold 0.3 post-processing",
    "dagma": "DAGMA-linear (Bello et al. 2022), our numpy/numba reconstruction: least squares, lambda1 0.03, log-det "
             "acyclicity, central path mu 1 -> 1e-4, s = (1, .9, .8, .7, .6), threshold 0.3",
    "golem_mab": "GOLEM-MAB (authors' baseline): 300 rounds of no intervention, 300 of full intervention, GOLEM "
                 "graphs, commit to argmax mu_hat; full-vector LLR detector (window 20, threshold 20) restarts it",
}
INSTANCES = {
    "random": "the authors' random causal bandit: N nodes, B and B_int upper triangular, edge w.p. 1/2, "
              "|w| ~ U[0.5, 2], random sign, every non-root column differs",
    "sem": "any CausalSEM(B, B_int, nu, sigma) whose union graph is a DAG",
    "changed": "change_graph(inst, n_col): the authors' non-stationarity model (strict exit test, empty-set guard)",
}
