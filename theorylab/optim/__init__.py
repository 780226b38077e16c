"""VR-Halpern topic (``theorylab ... halpern``): Cai, Alacaoglu & Diakonikolas, "Variance Reduced Halpern
Iteration for Finite-Sum Monotone Inclusions", ICLR 2024 (arXiv 2310.02987).

Rooms: operators.py (finite-sum operators in block layout), projections.py (J_{eta G}), instances.py,
primitives.py + kernels.py (numba operator primitives and algorithm loops), halpern.py (deterministic
Halpern / EG / EAG / FEG), vr_halpern.py (Algorithms 1-3 and VR-EG), algorithms.py (every algorithm's
entry point in one place), reference.py (slow numpy twins
for tests), pep.py (performance estimation), bounds.py, tasks.py (sweep tasks), claims.py,
experiments.py, bench.py.
"""

from theorylab.optim.instances import INSTANCE_NAMES

ALGORITHMS = {
    "halpern": "Halpern iteration x_{k+1} = x0/(k+2) + (k+1)/(k+2) T x_k, T = J(I - eta F) (Halpern 1967; Lieder 2021)",
    "cocoercive_halpern": "Halpern on T = I - (2/L) F for (1/L)-cocoercive F (Diakonikolas 2020)",
    "extragradient": "projected extragradient, constant step (Korpelevich 1976)",
    "eag": "extra-anchored gradient EAG-C (Yoon & Ryu 2021)",
    "feg": "fast extragradient FEG, monotone case (Lee & Kim 2021)",
    "vr_eg": "loopless SVRG extragradient (Alacaoglu & Malitsky 2022)",
    "page_halpern": "Algorithm 1: Halpern with a PAGE-type variance-reduced estimator (Cai et al. 2024)",
    "inexact_halpern": "Algorithm 2: inexact Halpern on the resolvent, inner solver Algorithm 3 (Cai et al. 2024)",
    "vr_forb": "Algorithm 3: VR forward-reflected-backward for the resolvent subproblem (Alacaoglu & Malitsky 2022)",
}
INSTANCES = dict(INSTANCE_NAMES)

__all__ = ["ALGORITHMS", "INSTANCES"]
