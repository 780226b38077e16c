"""Sweep tasks of the VR-Halpern topic: each returns one row per seed (claims, figures and TOML sweeps).

- ``curve``: residual history of one algorithm on one instance (columns ``res_j``, ``ep_j`` = epochs,
  ``it_j`` = iteration) -- Figure 1 and the T1 claims.
- ``scaling``: oracle calls until the residual first drops below eps = L D / R (T3, sqrt(n) figure).
- ``resolvent``: Algorithm 2's exact resolvent residual ||x_k - J_{eta F}(x_k)|| / eta (T2).
- ``forb``: Algorithm 3's inner error ||v_t - u*|| (T2 inner linear rate).
- ``pep``: PEP worst case vs the closed form (deterministic; the same row for every seed).

Every task runs all the seeds of a cell in ONE kernel call: the seeds become stream states through
:func:`theorylab.core.seeding.check_seeds` and :func:`theorylab.core.streams.init_states`, and the
batched entry points of :mod:`theorylab.optim.vr_halpern` (``*_runs``) return the stacked runs. A seed's
row does not depend on the other seeds of the chunk (tested). Deterministic methods are run once per
cell and their row repeated for every seed.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

import inspect

from theorylab.core.seeding import check_seeds
from theorylab.core.streams import init_states
from theorylab.core.schema import Choice, Int, IntList, Real, RealList, Schema
from theorylab.core.sweep import SweepTask
from theorylab.optim.halpern import check_anchor
from theorylab.optim import halpern as det
from theorylab.optim import pep as pep_mod
from theorylab.optim import vr_halpern as vr
from theorylab.optim.instances import INSTANCE_BUILDERS, named_instance, policeman_burglar_matrix

__all__ = ["CURVE_TASK", "SCALING_TASK", "RESOLVENT_TASK", "FORB_TASK", "PEP_TASK", "build_instance",
           "paper_settings", "ALGORITHM_NAMES", "CURVE_SCHEMA", "SCALING_SCHEMA", "RESOLVENT_SCHEMA", "FORB_SCHEMA",
           "PEP_SCHEMA"]

ALGORITHM_NAMES = ("halpern", "eg", "eag", "feg", "vr_eg", "page_halpern", "inexact_halpern")
_INSTANCE_KEYS = ("n", "d", "seed", "low", "mono")


def _instance_cached():
    cache: dict = {}

    def build(params):
        """The instance named by ``params["instance"]`` with its ``inst_*`` arguments (cached).

        Parameters
        ----------
        params : dict
            Sweep parameters: ``instance`` plus optional ``inst_<argument>`` entries.

        Returns
        -------
        Problem
            The instance (the same object for the same parameters).
        """
        kw = {k: params[f"inst_{k}"] for k in _INSTANCE_KEYS if f"inst_{k}" in params}
        key = (params["instance"], tuple(sorted(kw.items())))
        if key not in cache:
            if len(cache) > 8:
                cache.clear()
            cache[key] = named_instance(params["instance"], **kw)
        return cache[key]

    return build


build_instance = _instance_cached()


def paper_settings(instance: str, problem) -> dict:
    """Step sizes of the authors' scripts (docs/topics/halpern.md#algorithms) [code], by instance name.

    Parameters
    ----------
    instance : str
        ``policeman_burglar`` or ``ouyang_xu_qp``.
    problem : Problem
        The built instance (for its size and norms).

    Returns
    -------
    dict
        Algorithm name -> keyword arguments (steps, p, batch size, inner scale).
    """
    if instance == "policeman_burglar":
        A = policeman_burglar_matrix(problem.n)
        a2, af = float(np.linalg.norm(A, 2)), float(np.linalg.norm(A, "fro"))
        n = problem.n
        p = 1.0 / n
        return {"eg": dict(eta=5.0 / a2), "eag": dict(eta=5.0 / a2), "vr_eg": dict(tau=3.0 * math.sqrt(p) / af, p=p),
                "page_halpern": dict(eta=5.0 / af, batch_size=int(math.isqrt(n))),
                "inexact_halpern": dict(eta=math.sqrt(n) / af, p=p,
                                        gamma=5.0 * math.sqrt(p * (1 - p)) / (math.sqrt(n) + 1.0), inner_scale=0.05)}
    if instance == "ouyang_xu_qp":
        n = problem.n
        return {"eg": dict(eta=0.5), "eag": dict(eta=0.3), "vr_eg": dict(tau=0.01, p=1.0 / n),
                "page_halpern": dict(eta=0.3, batch_size=int(math.isqrt(n))),
                "inexact_halpern": dict(eta=math.sqrt(n), p=1.0 / n, gamma=0.001, inner_scale=0.05)}
    raise ValueError(f"no paper settings for instance {instance!r}")


def _calls_per_iteration(alg, problem, kw):
    n = problem.n
    if alg in ("eg", "eag", "feg"):
        return 2.0 * n
    if alg == "halpern":
        return float(n)
    if alg == "vr_eg":
        return 2.0 + kw.get("p", 1.0 / n) * n
    if alg == "page_halpern":
        b = kw.get("batch_size", int(math.isqrt(n)))
        p = 4.0 / (math.sqrt(n) + 5.0)
        return p * n + (1 - p) * 2 * b
    return float(n)  # inexact: handled separately


def _inexact_iterations(n, budget_calls, inner_scale, p):
    calls, k = 0.0, 0
    while calls < budget_calls and k < 10_000_000:
        M = max(1, int(inner_scale * n * math.log(k + 2.0)))
        calls += n + M * (2.0 + p * n)
        k += 1
    return k


def _algo_kwargs(params, problem):
    alg = params["algorithm"]
    kw = {}
    if params.get("settings", "default") == "paper":
        kw.update(paper_settings(params["instance"], problem).get(alg, {}))
    for key in ("eta", "tau", "p", "gamma", "inner_scale", "batch_size"):
        if key in params:
            kw[key] = params[key]
    if "eta_scale" in params:
        base = kw.get("eta", 1.0 / problem.L if alg == "page_halpern" else None)
        if base is not None:
            kw["eta"] = base * float(params["eta_scale"])
    if "anchor" in params:
        kw["anchor"] = tuple(float(a) for a in params["anchor"])
    if alg == "page_halpern":
        for key in ("refresh", "calls_per_sample", "update"):
            if key in params:
                kw[key] = params[key]
    if alg == "inexact_halpern" and "snapshot" in params:
        kw["snapshot"] = params["snapshot"]
    return kw


def _cell_states(seeds) -> np.ndarray:
    """The stream states of a cell's seeds (one SeedSequence per row)."""
    return init_states(check_seeds(seeds))


def _repeat(h, R):
    """A deterministic run's History as a stacked batch of R identical runs."""
    return vr.Histories(h.iterations, np.repeat(h.residual[None], R, axis=0), np.repeat(h.calls[None], R, axis=0),
                        h.n, np.repeat(h.x_final[None], R, axis=0), np.repeat(h.iterates[None], R, axis=0))


def run_algorithm(alg, problem, K, states, kw, record_at, max_calls=None, eta_res=1.0, save=False):
    """Every run of a batch of one algorithm (by name) in one call; returns the stacked Histories.

    Parameters
    ----------
    alg : str
        One of :data:`ALGORITHM_NAMES`.
    problem : Problem
        The instance.
    K : int
        Iterations.
    states : numpy.ndarray of uint64, shape (R,)
        One stream state per run (:func:`theorylab.core.streams.init_states`); a deterministic method
        runs once and is repeated R times.
    kw : dict
        Algorithm keyword arguments (steps, anchor, ...).
    record_at : numpy.ndarray of int64
        Recorded iterations.
    max_calls : int, optional
        Oracle budget per run.
    eta_res : float
        Step of the recorded natural residual.
    save : bool
        Keep the recorded iterates (Algorithms 1 and 2).

    Returns
    -------
    theorylab.optim.vr_halpern.Histories
        R stacked runs.
    """
    kw = dict(kw)
    R = int(states.size)
    if alg == "halpern":
        eta = kw.pop("eta", 2.0 / problem.L_F)
        return _repeat(det.halpern(problem, K, eta=eta, record_at=record_at, eta_res=eta_res, max_calls=max_calls,
                                   **{k: v for k, v in kw.items() if k == "anchor"}), R)
    if alg == "eg":
        return _repeat(det.extragradient(problem, K, eta=kw.get("eta", 0.5 / problem.L_F), record_at=record_at,
                                         eta_res=eta_res, max_calls=max_calls), R)
    if alg == "eag":
        return _repeat(det.eag(problem, K, eta=kw.get("eta", 1.0 / (8 * problem.L_F)), record_at=record_at,
                               eta_res=eta_res, max_calls=max_calls, **{k: v for k, v in kw.items() if k == "anchor"}), R)
    if alg == "feg":
        return _repeat(det.feg(problem, K, record_at=record_at, max_calls=max_calls,
                               **{k: v for k, v in kw.items() if k in ("anchor",)}), R)
    if alg == "vr_eg":
        return vr.vr_eg_runs(problem, K, states, record_at=record_at, eta_res=eta_res, max_calls=max_calls, **kw)
    if alg == "page_halpern":
        return vr.page_halpern_runs(problem, K, states, record_at=record_at, eta_res=eta_res, max_calls=max_calls,
                                    save_iterates=save, **kw)
    if alg == "inexact_halpern":
        return vr.inexact_halpern_runs(problem, K, states, record_at=record_at, eta_res=eta_res, max_calls=max_calls,
                                       save_iterates=save, **kw)
    raise ValueError(f"algorithm must be one of {ALGORITHM_NAMES}, got {alg!r}")


MAX_ITERATIONS = 10**7   # ours: iterations K per run (1e7 iterations of a small instance take minutes)
MAX_COMPONENTS = 10**5   # ours: components n (instances hold n blocks)
_ANCHOR = RealList("anchor schedule (a, b, p): lambda_k = a / (k + b)^p", default=None, min_len=3, max_len=3,
                   minimum=0.0)
_CURVE_INSTANCES = ("policeman_burglar", "ouyang_xu_qp", "cocoercive_family", "coordinate_split_game",
                    "finite_sum_monotone", "random_monotone", "random_cocoercive", "negation")
_PAGE_ONLY = ("refresh", "calls_per_sample", "update", "batch_size")
_ALG_OPTIONS = {"eta": ("halpern", "eg", "eag", "page_halpern", "inexact_halpern"),
                "tau": ("vr_eg",), "p": ("vr_eg", "inexact_halpern"), "gamma": ("inexact_halpern",),
                "inner_scale": ("inexact_halpern",), "snapshot": ("inexact_halpern",),
                "anchor": ("halpern", "eag", "feg", "page_halpern", "inexact_halpern"),
                **{k: ("page_halpern",) for k in _PAGE_ONLY}}

# ------------------------------------------------------------------ curve
CURVE_SCHEMA = Schema({
    "algorithm": Choice("algorithm", ALGORITHM_NAMES),
    "instance": Choice("instance", _CURVE_INSTANCES),
    "inst_n": Int("instance: components n", default=None, minimum=1, maximum=MAX_COMPONENTS),
    "inst_d": Int("instance: dimension d", default=None, minimum=1, maximum=4096),
    "inst_seed": Int("instance: seed", default=None, minimum=0),
    "inst_low": Real("instance (cocoercive_family): smallest eigenvalue scale", default=None, minimum=0.0),
    "inst_mono": Real("instance (finite_sum_monotone): monotone part weight", default=None, minimum=0.0),
    "K": Int("iterations; exactly one of K / budget_epochs", default=None, minimum=1, maximum=MAX_ITERATIONS),
    "budget_epochs": Real("oracle budget in epochs (n calls each)", default=None, minimum=0.0, strict_min=True,
                          maximum=1e6),
    "points": Int("recorded points of the curve", default=50, minimum=3, maximum=10_000),
    "settings": Choice("step sizes: ours or the authors' scripts", ("default", "paper"), default="default"),
    "spacing": Choice("spacing of the recorded iterations", ("linear", "geometric"), default="linear"),
    "eta": Real("step size", default=None, minimum=0.0, strict_min=True),
    "tau": Real("vr_eg step size", default=None, minimum=0.0, strict_min=True),
    "p": Real("snapshot probability in (0, 1)", default=None, minimum=0.0, maximum=1.0, strict_min=True,
              strict_max=True),
    "gamma": Real("inexact_halpern inner step", default=None, minimum=0.0, strict_min=True),
    "inner_scale": Real("inexact_halpern inner-iteration multiplier", default=None, minimum=0.0, strict_min=True),
    "batch_size": Int("page_halpern mini-batch b", default=None, minimum=1, maximum=MAX_COMPONENTS),
    "eta_scale": Real("multiplier of the step size", default=None, minimum=0.0, strict_min=True),
    "anchor": _ANCHOR,
    "refresh": Choice("page_halpern full-refresh rule", ("schedule", "always"), default=None),
    "calls_per_sample": Int("page_halpern oracle calls counted per sample", default=None, minimum=0, maximum=8),
    "update": Choice("page_halpern update form", ("code", "classic"), default=None),
    "snapshot": Choice("inexact_halpern snapshot rule", ("inner", "outer"), default=None),
    "eta_res": Real("step of the natural residual", default=1.0, minimum=0.0, strict_min=True),
})


def _check_instance(params, name):
    builder = INSTANCE_BUILDERS[name]
    accepted = set(inspect.signature(builder).parameters)
    for key in sorted(k for k in params if k.startswith("inst_")):
        if key[5:] not in accepted:
            raise ValueError(f"parameter '{key}' has no meaning for instance {name!r} (it takes {sorted(accepted)})")


def _check_curve(params):
    _check_instance(params, params["instance"])
    if ("budget_epochs" in params) == ("K" in params):
        raise ValueError("parameter 'K': exactly one of 'K' (iterations) and 'budget_epochs' must be given")
    alg = params["algorithm"]
    for key, owners in _ALG_OPTIONS.items():
        if key in params and alg not in owners:
            raise ValueError(f"parameter '{key}' has no meaning for algorithm {alg!r} (only {list(owners)})")
    if "anchor" in params:
        try:
            check_anchor(params["anchor"])
        except ValueError as exc:
            raise ValueError(f"parameter 'anchor': {exc}") from None
    if params.get("settings") == "paper" and params["instance"] not in ("policeman_burglar", "ouyang_xu_qp"):
        raise ValueError(f"parameter 'settings': no paper settings for instance {params['instance']!r}")


def _curve_setup(params):
    problem = build_instance(params)
    alg = params["algorithm"]
    kw = _algo_kwargs(params, problem)
    points = int(params.get("points", 50))
    max_calls = None
    if "budget_epochs" in params:
        budget = float(params["budget_epochs"]) * problem.n
        max_calls = int(budget)
        if alg == "inexact_halpern":
            K = _inexact_iterations(problem.n, budget, kw.get("inner_scale", 0.05), kw.get("p", 1.0 / problem.n))
        else:
            K = int(math.ceil(1.3 * budget / _calls_per_iteration(alg, problem, kw))) + 2
    else:
        K = int(params["K"])
    rec = det.record_points(K, points, geometric=params.get("spacing", "linear") == "geometric")
    return problem, alg, kw, K, rec, max_calls


def _curve_run(params, seeds):
    problem, alg, kw, K, rec, max_calls = _curve_setup(params)
    states = _cell_states(seeds)
    hs = run_algorithm(alg, problem, K, states, kw, rec, max_calls, params.get("eta_res", 1.0))
    R, m = states.size, rec.size
    cols = {"D": np.full(R, problem.D), "L": np.full(R, problem.L), "L_F": np.full(R, problem.L_F),
            "n_comp": np.full(R, problem.n)}
    epochs = hs.epochs
    for j in range(m):
        cols[f"it_{j}"] = np.full(R, int(rec[j]))
        cols[f"res_{j}"] = hs.residual[:, j].astype(float)
        cols[f"ep_{j}"] = epochs[:, j].astype(float)
    return pd.DataFrame(cols)


CURVE_TASK = SweepTask(_curve_run, _check_curve, "halpern.curve", CURVE_SCHEMA,
                       memory=lambda p: 8.0 * (p.get("inst_n") or 500) * (p.get("inst_d") or 10) * 40,
                       width=lambda p: 3 * p.get("points", 50) + 4)


# ------------------------------------------------------------------ scaling (T3)
SCALING_SCHEMA = Schema({
    "algorithm": Choice("algorithm", ("page_halpern", "halpern")),
    "n": Int("components n", minimum=1, maximum=MAX_COMPONENTS),
    "R": Real("target eps = L D / R", minimum=0.0, strict_min=True, maximum=MAX_ITERATIONS / 4),
    "d": Int("dimension", default=10, minimum=1, maximum=4096),
    "inst_seed": Int("instance seed", default=0, minimum=0),
    "refresh": Choice("page_halpern full-refresh rule", ("schedule", "always"), default="schedule"),
})


def _check_scaling(params):
    pass


def _scaling_run(params, seeds):
    n, d, R = int(params["n"]), int(params.get("d", 10)), float(params["R"])
    problem = build_instance({"instance": "cocoercive_family", "inst_n": n, "inst_d": d,
                              "inst_seed": int(params.get("inst_seed", 0))})
    eps = problem.L * problem.D / R
    K = int(4 * R) + 50
    rec = np.arange(K + 1, dtype=np.int64)
    states = _cell_states(seeds)
    if params["algorithm"] == "halpern":
        hs = _repeat(det.halpern(problem, K, eta=2.0 / problem.L_F, record_at=rec, eta_res=1.0), states.size)
    else:
        hs = vr.page_halpern_runs(problem, K, states, record_at=rec, refresh=params.get("refresh", "schedule"))
    below = hs.residual <= eps                      # nan (not reached) compares False
    hit = below.any(axis=1)
    first = np.argmax(below, axis=1)
    calls = np.where(hit, hs.calls[np.arange(states.size), first].astype(float), np.nan)
    return pd.DataFrame({"calls_to_eps": calls, "iters_to_eps": np.where(hit, first, -1).astype(np.int64),
                         "eps": eps, "L": problem.L, "L_F": problem.L_F, "D": problem.D})


SCALING_TASK = SweepTask(_scaling_run, _check_scaling, "halpern.scaling", SCALING_SCHEMA,
                         memory=lambda p: 8.0 * (4 * p["R"] + 51) * 3 + 8.0 * p["n"] * p.get("d", 10) ** 2,
                         width=lambda p: 6)


# ------------------------------------------------------------------ resolvent residual of Algorithm 2 (T2)
RESOLVENT_SCHEMA = Schema({
    "n": Int("components n", minimum=2, maximum=MAX_COMPONENTS),
    "d": Int("dimension", default=10, minimum=1, maximum=4096),
    "K": Int("outer iterations", minimum=10, maximum=MAX_ITERATIONS),
    "inst_seed": Int("instance seed", default=0, minimum=0),
    "inner_scale": Real("inner-iteration multiplier", default=8.0, minimum=0.0, strict_min=True),
    "points": Int("recorded points", default=40, minimum=3, maximum=10_000),
    "anchor": RealList("anchor schedule (a, b, p)", default=[1.0, 2.0, 1.0], min_len=3, max_len=3, minimum=0.0),
})


def _check_resolvent(params):
    if "anchor" in params:
        try:
            check_anchor(params["anchor"])
        except ValueError as exc:
            raise ValueError(f"parameter 'anchor': {exc}") from None


def _resolvent_run(params, seeds):
    n, d, K = int(params["n"]), int(params.get("d", 10)), int(params["K"])
    problem = build_instance({"instance": "finite_sum_monotone", "inst_n": n, "inst_d": d,
                              "inst_seed": int(params.get("inst_seed", 0))})
    eta = math.sqrt(n) / problem.L
    rec = det.record_points(K, int(params.get("points", 40)), geometric=True)
    anchor = tuple(float(a) for a in params.get("anchor", (1.0, 2.0, 1.0)))
    Jm = np.linalg.inv(np.eye(problem.d) + eta * problem.operator.matrix)
    shift = Jm @ (eta * problem.operator.offset)
    states = _cell_states(seeds)
    hs = vr.inexact_halpern_runs(problem, K, states, inner_scale=float(params.get("inner_scale", 8.0)), anchor=anchor,
                                 record_at=rec, save_iterates=True)
    X = hs.iterates                                   # (R, m, d)
    r = np.linalg.norm(X - (X @ Jm.T + shift), axis=2) / eta
    R = states.size
    cols = {"eta": np.full(R, eta), "D": np.full(R, problem.D)}
    epochs = hs.epochs
    for j in range(rec.size):
        cols[f"it_{j}"] = np.full(R, int(rec[j]))
        cols[f"rres_{j}"] = r[:, j]
        cols[f"ep_{j}"] = epochs[:, j].astype(float)
    return pd.DataFrame(cols)


RESOLVENT_TASK = SweepTask(_resolvent_run, _check_resolvent, "halpern.resolvent", RESOLVENT_SCHEMA,
                           memory=lambda p: 8.0 * p["n"] * p.get("d", 10) ** 2 * 2,
                           width=lambda p: 3 * p.get("points", 40) + 2)


# ------------------------------------------------------------------ Algorithm 3 inner errors (T2 inner)
FORB_SCHEMA = Schema({
    "n": Int("components n", minimum=2, maximum=MAX_COMPONENTS),
    "d": Int("dimension", default=10, minimum=1, maximum=4096),
    "M": Int("inner iterations", minimum=10, maximum=MAX_ITERATIONS),
    "inst_seed": Int("instance seed", default=0, minimum=0),
    "gamma_scale": Real("multiplier of the inner step gamma", default=1.0, minimum=0.0, strict_min=True),
    "snapshot": Choice("snapshot rule", ("inner", "outer"), default="inner"),
    "points": Int("recorded points", default=30, minimum=3, maximum=10_000),
})


def _check_forb(params):
    pass


def _forb_run(params, seeds):
    n, d, M = int(params["n"]), int(params.get("d", 10)), int(params["M"])
    problem = build_instance({"instance": "finite_sum_monotone", "inst_n": n, "inst_d": d,
                              "inst_seed": int(params.get("inst_seed", 0))})
    eta, p, gamma = vr._forb_defaults(problem, None, None, None)
    gamma *= float(params.get("gamma_scale", 1.0))
    center = problem.x0 + 1.0
    u_star = vr.exact_resolvent(problem, center, eta)
    rec = det.record_points(M, int(params.get("points", 30)))
    states = _cell_states(seeds)
    _, calls, errs = vr.vr_forb_runs(problem, center, M, states, eta=eta, p=p, gamma=gamma,
                                     snapshot=params.get("snapshot", "inner"), u_star=u_star, record_at=rec)
    R = states.size
    cols = {"calls": calls.astype(np.int64), "gamma": np.full(R, gamma), "p": np.full(R, p)}
    for j in range(rec.size):
        cols[f"t_{j}"] = np.full(R, int(rec[j]))
        cols[f"err_{j}"] = errs[:, j]
    return pd.DataFrame(cols)


FORB_TASK = SweepTask(_forb_run, _check_forb, "halpern.forb", FORB_SCHEMA,
                      memory=lambda p: 8.0 * p["n"] * p.get("d", 10) ** 2 * 2, width=lambda p: 2 * p.get("points", 30) + 3)


# ------------------------------------------------------------------ PEP
PEP_SCHEMA = Schema({
    "method": Choice("method", ("halpern", "cocoercive_halpern", "feg", "page_deterministic")),
    "k": Int("iterations of the PEP", minimum=1, maximum=60),
    "anchor": _ANCHOR,
})


def _check_pep(params):
    if "anchor" in params:
        try:
            check_anchor(params["anchor"])
        except ValueError as exc:
            raise ValueError(f"parameter 'anchor': {exc}") from None


def _pep_run(params, seeds):
    k = int(params["k"])
    anchor = params.get("anchor")
    fn = {"halpern": pep_mod.halpern_pep, "cocoercive_halpern": pep_mod.cocoercive_halpern_pep,
          "feg": pep_mod.feg_pep, "page_deterministic": pep_mod.page_deterministic_pep}[params["method"]]
    res = fn(k, anchor=tuple(anchor)) if anchor is not None else fn(k)
    # A PEP is deterministic: every repetition repeats the one solve, with the record of how it was solved
    # (a value is trustworthy only when ``certified``: optimal status and residuals within pep.RESIDUAL_TOL).
    row = {"value": res.value, "bound": res.bound, "status": res.status, "solver": res.solver,
           "certified": bool(res.certified), "primal_residual": res.primal_residual,
           "dual_residual": res.dual_residual, "gap": res.gap}
    return pd.DataFrame([row] * len(seeds))


PEP_TASK = SweepTask(_pep_run, _check_pep, "halpern.pep", PEP_SCHEMA, width=lambda p: 8)
