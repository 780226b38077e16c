"""Pure-exploration algorithms for misspecified sparse linear bandits, on a batch of runs.

Every entry point takes an instance from :mod:`theorylab.bandits.linear.instances` and a batch of seeds
(``numpy.random.SeedSequence``, one per run, from :func:`theorylab.core.seeding.repetition_seeds`) and
returns a :class:`PureExplorationResult` with one entry per run:

- :func:`sparse_net`: SparseNet (support enumeration x explicit net x greedy actions, then selection among
  the greedy actions), the O((d/eps)^s)-query algorithm behind claim 1 of Dong & Yang (ICML 2023, arXiv
  v1 abstract) [reconstruction: the paper's algorithm box could not be read; guarantee derived];
- :func:`design_ls`: G-optimal design + least squares (Lattimore, Szepesvari & Weisz, ICML 2020; book
  eq. (21.3)), the eps sqrt(d) baseline [standard, constants derived];
- :func:`good_feature_probe`: basis probes + hard thresholding under "good" features [ours];
- :func:`exhaustive`: query every action, keep the best empirical one [ours, unstructured baseline];
- :func:`successive_elimination`: successive elimination over all K actions, ignoring the features
  [ours, the unstructured noisy baseline].

Exact ties are broken by per-run random priorities (:mod:`theorylab.bandits.linear.draws`).
See docs/topics/linear.md for the model and every reconstruction choice.
"""

from __future__ import annotations

from theorylab.bandits.linear.design import (Design, design_g, design_ls, g_optimal_design, span_coordinates,
                                             spanning_subset)
from theorylab.bandits.linear.elimination import successive_elimination
from theorylab.bandits.linear.probes import basis_actions, exhaustive, good_feature_probe
from theorylab.bandits.linear.results import TIE_TOL, PureExplorationResult, argmax_ties, sample_size
from theorylab.bandits.linear.sparsenet import SPARSENET_MODES, SparseNetScan, sparse_net, sparsenet_scan

__all__ = ["SPARSENET_MODES", "PureExplorationResult", "Design", "SparseNetScan", "sparsenet_scan", "sparse_net",
           "sample_size", "span_coordinates", "spanning_subset", "design_g", "g_optimal_design", "design_ls",
           "good_feature_probe", "basis_actions", "exhaustive", "successive_elimination", "argmax_ties", "TIE_TOL"]
