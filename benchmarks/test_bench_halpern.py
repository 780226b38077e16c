"""Speed target of the VR-Halpern kernels (run with ``pytest benchmarks``; not part of CI).

Target (issue: halpern, item 7): one epoch of Algorithm 1 (n component evaluations, with its minibatch
PAGE steps, full refreshes and simplex projections) on the policeman-and-burglar game, n = 500, within
1.5x of one full operator evaluation (A^T y, -A x) by numpy/BLAS. Measured 1.13-1.27 on the shared
2-core machine (about 66 us per epoch vs 52 us for BLAS).
"""

import numpy as np

from theorylab.optim.bench import bench_halpern_epoch
from theorylab.optim.instances import policeman_burglar
from theorylab.optim.vr_halpern import page_halpern


def test_halpern_epoch_within_1p5x_of_blas_full_evaluation():
    result = bench_halpern_epoch()
    assert result["ratio_vs_blas"] <= 1.5, result


def test_page_halpern_matrix_game_throughput(benchmark):
    pb = policeman_burglar(500)
    page_halpern(pb, 3, seed=0, eta=0.01)
    benchmark(page_halpern, pb, 2000, seed=0, eta=0.01, record_at=[2000])
