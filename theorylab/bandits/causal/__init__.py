"""Causal bandits on linear SEMs: CSL-UCB with asymmetric graph-error control (topic ``causal``).

Peng, Zhang, Mitra, "Asymmetric Graph Error Control with Low Complexity in Causal Bandits",
IEEE Trans. Signal Processing 73 (2025) 1792-1807, arXiv 2408.11240; the formal results come from the
proof supplement of the ICASSP 2024 precursor. What is built, what follows the authors' code and what
is our reconstruction: docs/topics/causal.md.
"""

ALGORITHMS = {
    "sub_graph_learner": "CSL-UCB's graph learner: KSG edge scores, delete highest-score edges until acyclic, "
                         "OLS weights (authors' learn_topo / est_wt)",
}
INSTANCES = {
    "random": "the authors' random causal bandit: N nodes, B and B_int upper triangular, edge w.p. 1/2, "
              "|w| ~ U[0.5, 2], random sign, every non-root column differs",
    "sem": "any CausalSEM(B, B_int, nu, sigma) whose union graph is a DAG",
    "changed": "change_graph(inst, n_col): the authors' non-stationarity model (strict exit test, empty-set guard)",
}
