"""The games topic's algorithms in one room: every entry point of :data:`theorylab.games.ALGORITHMS`.

The algorithms live in the topic's domain modules (the design keeps them: normal-form learners, LP and
Nash solvers, Markov-game evaluation, SparseCCE, V-learning); this module re-exports their public entry
points, so that ``theorylab.games.algorithms`` is where a reader of another topic looks first, and
:data:`ENTRY_POINTS` says which function (and which selecting argument) runs each named algorithm.

========================  ====================================================  ===========================
algorithm                 entry point                                           module
========================  ====================================================  ===========================
hedge, regret_matching,   ``selfplay(game, learner=<name>, horizon, ...)``      :mod:`~theorylab.games.learners`
regret_matching_plus,
optimistic_hedge,
follow_the_leader
cce_lp, ce_lp             ``solve_cce(game)``, ``solve_ce(game)``               :mod:`~theorylab.games.equilibria`
lemke_howson,             ``lemke_howson(game)``, ``support_enumeration(game)`` :mod:`~theorylab.games.equilibria`
support_enumeration
markov_best_response      ``best_response(markov_game, policy, i)``             :mod:`~theorylab.games.markov`
aggregating_deviation     ``cce_gaps(game, mixture, kind="general")``           :mod:`~theorylab.games.sparse_cce`
sparse_cce_extraction     ``extract_nash(game, mixture)``                       :mod:`~theorylab.games.sparse_cce`
markov_cce                ``markov_cce(markov_game)``                           :mod:`~theorylab.games.markov_cce`
multiplayer_extraction    ``multiplayer_extract(game, strategies)``             :mod:`~theorylab.games.sparse_cce_multi`
v_learning                ``vlearning(...)``, ``vlearning_runs(..., seeds)``    :mod:`~theorylab.games.vlearning`
========================  ====================================================  ===========================

Provenance of each algorithm: :data:`theorylab.games.ALGORITHMS` and docs/topics/games.md#algorithms.

Examples
--------
>>> from theorylab.games.algorithms import ENTRY_POINTS, entry_point
>>> fn, fixed = entry_point("optimistic_hedge")
>>> fn.__name__, fixed
('selfplay', {'learner': 'optimistic_hedge'})
"""

from __future__ import annotations

from theorylab.games.equilibria import lemke_howson, solve_ce, solve_cce, support_enumeration
from theorylab.games.learners import regret_against_sequence, selfplay
from theorylab.games.markov import best_response
from theorylab.games.markov_cce import markov_cce
from theorylab.games.sparse_cce import cce_gaps, extract_nash
from theorylab.games.sparse_cce_multi import multiplayer_extract
from theorylab.games.vlearning import vlearning, vlearning_runs

__all__ = ["ENTRY_POINTS", "entry_point", "selfplay", "regret_against_sequence", "solve_cce", "solve_ce",
           "lemke_howson", "support_enumeration", "best_response", "cce_gaps", "extract_nash", "markov_cce",
           "multiplayer_extract", "vlearning", "vlearning_runs"]

#: Algorithm name (a key of :data:`theorylab.games.ALGORITHMS`) -> (function name in this module, the
#: keyword arguments that select the algorithm).
ENTRY_POINTS = {
    **{name: ("selfplay", {"learner": name}) for name in
       ("hedge", "regret_matching", "regret_matching_plus", "optimistic_hedge", "follow_the_leader")},
    "cce_lp": ("solve_cce", {}),
    "ce_lp": ("solve_ce", {}),
    "lemke_howson": ("lemke_howson", {}),
    "support_enumeration": ("support_enumeration", {}),
    "markov_best_response": ("best_response", {}),
    "aggregating_deviation": ("cce_gaps", {"kind": "general"}),
    "sparse_cce_extraction": ("extract_nash", {}),
    "markov_cce": ("markov_cce", {}),
    "multiplayer_extraction": ("multiplayer_extract", {}),
    "v_learning": ("vlearning", {}),
}


def entry_point(name: str):
    """The function that runs algorithm ``name`` and the keyword arguments that select it.

    Parameters
    ----------
    name : str
        A key of :data:`theorylab.games.ALGORITHMS`.

    Returns
    -------
    function : callable
    fixed : dict
        Keyword arguments to pass with it (e.g. ``{"learner": "hedge"}``).

    Raises
    ------
    ValueError
        For an unknown name (the message lists the known ones).

    Examples
    --------
    >>> entry_point("cce_lp")[0].__name__
    'solve_cce'
    """
    if name not in ENTRY_POINTS:
        raise ValueError(f"unknown games algorithm {name!r}; known: {', '.join(ENTRY_POINTS)}")
    fn, fixed = ENTRY_POINTS[name]
    return globals()[fn], dict(fixed)
