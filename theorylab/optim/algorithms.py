"""The halpern topic's algorithms in one room: every entry point of :data:`theorylab.optim.ALGORITHMS`.

The deterministic methods live in :mod:`theorylab.optim.halpern`, the stochastic ones (Algorithms 1-3 of
Cai, Alacaoglu & Diakonikolas, ICLR 2024, and VR-EG) in :mod:`theorylab.optim.vr_halpern`; this module
re-exports them, so that ``theorylab.optim.algorithms`` is where a reader of another topic looks first.
:data:`ENTRY_POINTS` names the single-run function of each algorithm and :data:`BATCHED` the entry point
that runs a batch of seeds in one kernel call (the stochastic ones).

==================  ============================  ===============================  ========================
algorithm           one run                       a batch of seeds                 module
==================  ============================  ===============================  ========================
halpern             ``halpern(problem, K)``       (deterministic)                  :mod:`~theorylab.optim.halpern`
cocoercive_halpern  ``cocoercive_halpern``        (deterministic)                  :mod:`~theorylab.optim.halpern`
extragradient       ``extragradient``             (deterministic)                  :mod:`~theorylab.optim.halpern`
eag                 ``eag``                       (deterministic)                  :mod:`~theorylab.optim.halpern`
feg                 ``feg``                       (deterministic)                  :mod:`~theorylab.optim.halpern`
page_halpern        ``page_halpern`` (Alg. 1)     ``page_halpern_runs``            :mod:`~theorylab.optim.vr_halpern`
inexact_halpern     ``inexact_halpern`` (Alg. 2)  ``inexact_halpern_runs``         :mod:`~theorylab.optim.vr_halpern`
vr_forb             ``vr_forb`` (Alg. 3)          ``vr_forb_runs``                 :mod:`~theorylab.optim.vr_halpern`
vr_eg               ``vr_eg``                     ``vr_eg_runs``                   :mod:`~theorylab.optim.vr_halpern`
==================  ============================  ===============================  ========================

Provenance of each algorithm: :data:`theorylab.optim.ALGORITHMS` and docs/topics/halpern.md#algorithms.

Examples
--------
>>> from theorylab.optim.algorithms import ENTRY_POINTS, BATCHED
>>> ENTRY_POINTS["page_halpern"].__name__, BATCHED["page_halpern"].__name__
('page_halpern', 'page_halpern_runs')
"""

from __future__ import annotations

from theorylab.optim.halpern import History, cocoercive_halpern, eag, extragradient, feg, halpern
from theorylab.optim.vr_halpern import (Histories, inexact_halpern, inexact_halpern_runs, page_halpern,
                                        page_halpern_runs, vr_eg, vr_eg_runs, vr_forb, vr_forb_runs)

__all__ = ["ENTRY_POINTS", "BATCHED", "History", "Histories", "halpern", "cocoercive_halpern", "extragradient",
           "eag", "feg", "page_halpern", "inexact_halpern", "vr_forb", "vr_eg", "page_halpern_runs",
           "inexact_halpern_runs", "vr_forb_runs", "vr_eg_runs"]

#: Algorithm name (a key of :data:`theorylab.optim.ALGORITHMS`) -> its single-run entry point.
ENTRY_POINTS = {"halpern": halpern, "cocoercive_halpern": cocoercive_halpern, "extragradient": extragradient,
                "eag": eag, "feg": feg, "page_halpern": page_halpern, "inexact_halpern": inexact_halpern,
                "vr_forb": vr_forb, "vr_eg": vr_eg}

#: Stochastic algorithm name -> the entry point that runs a batch of seeds in one kernel call.
BATCHED = {"page_halpern": page_halpern_runs, "inexact_halpern": inexact_halpern_runs, "vr_forb": vr_forb_runs,
           "vr_eg": vr_eg_runs}
