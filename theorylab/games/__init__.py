"""Markov games and SparseCCE: Foster, Golowich & Kakade, "Hardness of Independent Learning and Sparse
Equilibrium Computation in Markov Games", ICML 2023 (arXiv 2303.12287). CLI topic ``games``.

The paper is theory only; this package makes its objects computable at small scale: normal-form games and exact equilibrium gaps (:mod:`.normal_form`), LP/Nash
solvers (:mod:`.equilibria`), no-regret learners in numba (:mod:`.learners`, :mod:`.kernels`), tabular Markov
games and exact evaluation (:mod:`.markov`), V-learning (:mod:`.vlearning`), the SparseCCE -> Nash reduction
with its derived bound (:mod:`.sparse_cce`, :mod:`.bounds`), claims, figures and benchmarks.
:mod:`.algorithms` reaches every algorithm's entry point in one place, :mod:`.instances` every game,
:mod:`.reference` the slow pure-numpy twins used by the tests.
"""

ALGORITHMS = {
    "hedge": "Hedge / multiplicative weights, fixed or anytime step (Freund & Schapire 1997)",
    "regret_matching": "regret matching (Hart & Mas-Colell 2000)",
    "regret_matching_plus": "regret matching+ (Tammelin 2014)",
    "optimistic_hedge": "optimistic Hedge (Syrgkanis et al. 2015; Daskalakis, Fishelson & Golowich 2021)",
    "follow_the_leader": "follow the leader (deliberately broken, not no-regret; used by claim breaks)",
    "cce_lp": "coarse correlated equilibrium by LP (cvxpy/HiGHS), optional welfare maximisation",
    "ce_lp": "correlated equilibrium by LP (cvxpy/HiGHS)",
    "lemke_howson": "bimatrix Nash by Lemke-Howson with lexicographic ratio test",
    "support_enumeration": "bimatrix Nash by tolerance-aware support enumeration",
    "markov_best_response": "best response to Markov play by backward induction (docs/topics/games.md#exact-evaluation)",
    "aggregating_deviation": "optimal history-dependent deviation vs a sparse mixture in G(M,H) (docs/topics/games.md#exact-evaluation)",
    "sparse_cce_extraction": "Nash pair from a sparse CCE of G(M,H), Markov product components (derived Theorem R, docs/topics/games.md#the-reduction)",
    "markov_cce": "dense correlated Markov CCE/CE by per-state LPs + backward induction (baseline, docs/topics/games.md#baselines)",
    "multiplayer_extraction": "m-player SparseCCE extraction and exact gaps (derived, docs/topics/games.md#the-reduction)",
    "v_learning": "V-learning with certified policy (Jin et al. 2021; constants recalled)",
}

INSTANCES = {
    "random_game": "n-player game with i.i.d. Uniform[0,1] payoffs",
    "shapley": "Shapley's 3x3 game (1964): unique uniform NE, Hedge cycles",
    "matching_pennies": "matching pennies in [0,1]",
    "rps": "rock-paper-scissors rescaled to [0,1]",
    "coordination": "3x3 pure coordination game (strict pure NE; control)",
    "prisoners_dilemma": "prisoner's dilemma in [0,1]",
    "repeated_game": "G(M,H): one-state H-step Markov game with rewards M/H (docs/topics/games.md#the-reduction)",
    "random_markov_game": "tabular Markov game, Dirichlet transitions, Uniform[0,1/H] rewards",
}
