"""linear: misspecified sparse linear bandits with query access.

Dong & Yang, "Does Sparsity Help in Learning Misspecified Linear Bandits?", ICML 2023 (arXiv 2303.16998),
with the baselines of Lattimore, Szepesvari & Weisz (ICML 2020) and Du et al. (ICLR 2020). The paper's
body could not be read: its algorithm and constants are reconstructed and every guarantee checked here
is derived in the topic note, docs/topics/linear.md (which also lists what is not built yet).
"""

ALGORITHMS = {
    "sparse_net": "SparseNet: supports x eps-net x greedy actions, then best_empirical / consistent_optimistic / "
                  "seq_optimistic selection (Dong & Yang 2023, claim 1) [reconstruction; bound derived]",
    "design_ls": "G-optimal design (Frank-Wolfe) + least squares, greedy action (Lattimore, Szepesvari & Weisz 2020) "
                 "[standard; constants derived]",
    "good_feature_probe": "basis probes + hard thresholding to s coordinates under good features [ours; bound derived]",
    "exhaustive": "query every action, best empirical mean [ours, unstructured baseline]",
    "successive_elimination": "successive elimination over all K actions with an anytime radius, ignoring the "
                              "features [ours, unstructured noisy baseline]",
    "phased_elimination": "PhasedElimG: phased elimination with Frank-Wolfe G-optimal designs on the active set "
                          "(Lattimore & Szepesvari 2020; LSW20) [standard; phase lengths ours]",
    "linucb": "LinUCB / OFUL with the self-normalised radius, rank-one width updates; optional eps sqrt(t) "
              "misspecification bonus (Abbasi-Yadkori et al. 2011; Li et al. 2010) [standard]",
    "neural_ucb": "NeuralUCB with diagonal U on theorylab.nn (Zhou, Li & Gu 2020) [standard; demonstration only]",
    "neural_eps_greedy": "epsilon-greedy on a theorylab.nn MLP, constant epsilon [ours; demonstration only]",
}
INSTANCES = {
    "random_sparse": "RANDSPARSE(K, d, s, eps, kind): unit sphere features, s-sparse theta*, max |eta| = eps exactly "
                     "(kinds uniform / trap / sign) [ours]",
    "adversarial_design": "eta = -eps sign(<phi(b), V^-1 phi(a)>) on a design's support, +eps at the probe b [derived]",
    "jl_needle": "Du et al. / LSW20 needle among gamma-coherent Rademacher vectors, optional zero padding "
                 "(sparse embedding) [standard; constants derived]",
    "reed_solomon": "RS(q, s, r): subset needle from polynomials of degree <= r over GF(q), eps = Delta r / s "
                    "[derived, ours]",
    "separation": "SEP(d, eps): basis + one probe action; DesignLS loses eps sqrt(d-1)/2 [derived]",
    "sparse_feature": "K unit features, each on a random s_feat-subset of coordinates; SparseNet's query count "
                      "C(d, s)|net| is attained on them [ours]",
    "positive_orthant": "well-specified features and theta* with nonnegative entries; greedy LinUCB locks onto its "
                        "first action [ours]",
    "smooth": "SMOOTH(K, d, s, eps, omega): RANDSPARSE features with eta(a) = eps sin(<w, phi(a)>), ||w|| = omega "
              "[ours; the neural demonstration]",
}
