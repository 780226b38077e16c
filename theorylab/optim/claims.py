"""Executable claims of the VR-Halpern topic (``theorylab check halpern``).

Deterministic bounds (T0, T0', T0'') are checked on every iteration of several random and worst-case
instances (rule ``upper`` on the maximum ratio, no interval needed). Stochastic claims (T1, T2, T3)
run through the sweep tasks of :mod:`theorylab.optim.tasks` with seeds derived from the claim's
parameters, and decide on 95% intervals (t intervals over seeds, or percentile bootstrap over seeds
for fitted slopes/exponents). PEP claims solve the SDPs of :mod:`theorylab.optim.pep`.
Every claim documents its ``breaks`` (a deliberately broken algorithm or bound).
"""

from __future__ import annotations

import numpy as np

from theorylab.core.claims import Claim, Evidence
from theorylab.core.stats import slope_fit, t_interval
from theorylab.core.sweep import run_cells
from theorylab.optim import bounds, pep
from theorylab.optim.halpern import cocoercive_halpern, eag, feg, halpern
from theorylab.optim.instances import (coordinate_split_game, negation, random_cocoercive, random_monotone,
                                       random_nonexpansive)
from theorylab.optim.tasks import CURVE_TASK, FORB_TASK, RESOLVENT_TASK, SCALING_TASK
from theorylab.optim.vr_halpern import page_expected_calls

__all__ = ["CLAIMS"]

CAI = "Cai, Alacaoglu & Diakonikolas 2024"
_BIG = 1e300


def _pick(size, quick, full):
    return quick if size == "quick" else full


def _finite(x):
    x = np.asarray(x, dtype=float)
    return np.where(np.isfinite(x), x, _BIG)


def _det(value, bound, rule="upper", **details):
    return Evidence(float(value), float(value), float(value), float(bound), 1, rule, details=details)


# ------------------------------------------------------------------ T0, T0', T0''
def _lieder(size, n_jobs, seed, anchor=(1.0, 2.0, 1.0), bound_scale=1.0):
    K = _pick(size, 200, 2000)
    ks = np.arange(1, K + 1)
    worst, where = 0.0, None
    for s in range(_pick(size, 8, 30)):
        for rot in (False, True):
            pb = random_nonexpansive(1 + (2 * s) % 20, seed=seed + s, rotation=rot)
            h = halpern(pb, K, eta=1.0, anchor=anchor)
            r = _finite(h.residual[1:] / (bound_scale * bounds.lieder_bound(ks, pb.D)))
            if r.max() > worst:
                worst, where = float(r.max()), (pb.d, rot, int(ks[r.argmax()]))
    return _det(worst, 1.0 + 1e-9, details_instance=where, K=K, measure="max_k ||x_k - T x_k|| (k+1) / (2D)")


def _lieder_tight(size, n_jobs, seed, bound_scale=1.0):
    K = _pick(size, 200, 5000)
    h = halpern(negation(), K, eta=2.0)
    ks = np.arange(0, K + 1, 2)
    ratio = (2 * h.residual[ks]) / (bound_scale * bounds.lieder_bound(ks, 1.0))  # ||x - Tx|| = 2 ||F(x)||
    ev = _det(float(np.mean(ratio)), 1.0, rule="equal", K=K, max_deviation=float(np.max(np.abs(ratio - 1))))
    return Evidence(ev.measured, ev.ci_low, ev.ci_high, 1.0, 1, "equal", tol=1e-9, details=ev.details)


def _coco(size, n_jobs, seed, anchor=(1.0, 2.0, 1.0), bound_scale=1.0):
    K = _pick(size, 200, 2000)
    ks = np.arange(K + 1)
    worst = 0.0
    probs = [negation()] + [random_cocoercive(1 + (2 * s) % 20, seed=seed + s) for s in range(_pick(size, 8, 30))]
    for pb in probs:
        h = cocoercive_halpern(pb, K, anchor=anchor)
        worst = max(worst, float(_finite(h.residual / (bound_scale * bounds.cocoercive_halpern_bound(ks, pb.L, pb.D))).max()))
    return _det(worst, 1.0 + 1e-9, K=K, measure="max_k ||F(x_k)|| (k+1) / (L D)")


def _monotone_set(size, seed):
    out = []
    for s in range(_pick(size, 6, 20)):
        for sk in (0.0, 1.0, 10.0):
            out.append(random_monotone(2 + (2 * s) % 20, seed=seed + s, skew_weight=sk))
    return out


def _feg(size, n_jobs, seed, eta_scale=1.0, bound_scale=1.0):
    K = _pick(size, 200, 2000)
    ks = np.arange(1, K + 1)
    worst = 0.0
    for pb in _monotone_set(size, seed):
        h = feg(pb, K, eta_scale=eta_scale)
        worst = max(worst, float(_finite(h.residual[1:] / (bound_scale * bounds.feg_bound(ks, pb.L_F, pb.D))).max()))
    return _det(worst, 1.0 + 1e-9, K=K, measure="max_k ||F(z_k)|| k / (2 L D)")


def _eag(size, n_jobs, seed, eta_scale=1.0):
    K = _pick(size, 200, 2000)
    ks = np.arange(K + 1)
    worst = 0.0
    for pb in _monotone_set(size, seed):
        eta = 1.0 / (8.0 * pb.L_F)
        h = eag(pb, K, eta=eta * eta_scale)
        worst = max(worst, float(_finite(h.residual / bounds.eag_bound(ks, eta, pb.D)).max()))
    return _det(worst, 1.0 + 1e-9, K=K, measure="max_k ||F(z_k)|| eta (k+1) / (sqrt(260) D)")


# ------------------------------------------------------------------ T1: Algorithm 1
def _curve_matrix(df, prefix, count):
    cols = [j for j in range(count) if f"{prefix}_{j}" in df]
    return np.array([df[f"it_{j}"].iloc[0] for j in cols]), df[[f"{prefix}_{j}" for j in cols]].to_numpy()


def _page_curves(size, n_jobs, seed, **extra):
    K, reps = _pick(size, (2000, 20), (20000, 100))
    params = dict(instance="cocoercive_family", inst_n=_pick(size, 100, 400), inst_d=10, algorithm="page_halpern",
                  K=K, points=30, spacing="geometric", **extra)
    df = run_cells(CURVE_TASK, [params], reps, seed, n_jobs)
    its, R = _curve_matrix(df, "res", 30)
    return params, df, its, R


def _slope_of_mean(x, Y, log_x=True):
    return slope_fit(x, Y.mean(axis=0), log_x=log_x, log_y=True).slope


def _boot_slope(x, Y, seed, log_x=True, n_boot=400):
    rng = np.random.default_rng(seed)
    reps = Y.shape[0]
    est = _slope_of_mean(x, Y, log_x)
    boots = [_slope_of_mean(x, Y[rng.integers(0, reps, reps)], log_x) for _ in range(n_boot)]
    lo, hi = np.quantile(boots, [0.025, 0.975])
    return est, float(lo), float(hi)


def _page_slope(size, n_jobs, seed, anchor=(2.0, 4.0, 1.0)):
    params, df, its, R = _page_curves(size, n_jobs, seed, anchor=list(anchor))
    sel = its >= its.max() / 10
    est, lo, hi = _boot_slope(its[sel] + 4.0, _finite(R[:, sel]), seed)
    return Evidence(est, lo, hi, -1.1, len(df), "within", bound_high=-0.9,
                    details=dict(params, measure="log-log slope of mean ||F(x_k)|| vs k+4 over the last decade",
                                 interval="bootstrap over seeds 95%"))


def _page_envelope(size, n_jobs, seed, anchor=(2.0, 4.0, 1.0), bound_scale=1.0):
    params, df, its, R = _page_curves(size, n_jobs, seed, anchor=list(anchor))
    L, D = float(df["L"].iloc[0]), float(df["D"].iloc[0])
    scaled = _finite(R * (its + 4.0) / (L * D))
    means = scaled.mean(axis=0)
    j = int(np.argmax(means[1:])) + 1
    iv = t_interval(scaled[:, j])
    C1 = bounds.page_envelope_constant(1.0 / L, L) * bound_scale
    return Evidence(iv.estimate, iv.low, iv.high, C1, len(df), "upper",
                    details=dict(params, worst_k=int(its[j]), C1="2.5/(eta L) [ours; observed limit 2/(eta L)]",
                                 final_mean=float(means[-1]), interval="t 95%"))


def _page_cost(size, n_jobs, seed, calls_per_sample=2):
    n, K, reps = _pick(size, (400, 3000, 20), (1024, 20000, 100))
    params = dict(instance="cocoercive_family", inst_n=n, inst_d=10, algorithm="page_halpern", K=K, points=3,
                  calls_per_sample=int(calls_per_sample))
    df = run_cells(CURVE_TASK, [params], reps, seed, n_jobs)
    its, E = _curve_matrix(df, "ep", 3)
    expected = page_expected_calls(n, K) / n
    iv = t_interval(E[:, -1] / expected)
    return Evidence(iv.estimate, iv.low, iv.high, 0.95, reps, "within", bound_high=1.05,
                    details=dict(params, expected_epochs=expected, spec_formula_epochs=bounds.spec_page_cost(n, K) / n,
                                 measure="realised calls / E[calls] = sum_k p_k n + (1-p_k) 2b", interval="t 95%"))


# ------------------------------------------------------------------ T2: Algorithms 2 and 3
def _inexact_slope(size, n_jobs, seed, anchor=(1.0, 2.0, 1.0)):
    K, reps = _pick(size, (300, 10), (3000, 40))
    params = dict(n=32, d=10, K=K, inner_scale=8.0, anchor=list(anchor))
    df = run_cells(RESOLVENT_TASK, [params], reps, seed, n_jobs)
    its, R = _curve_matrix(df, "rres", 40)
    sel = its >= its.max() / 10
    est, lo, hi = _boot_slope(its[sel] + 1.0, _finite(R[:, sel]), seed)
    return Evidence(est, lo, hi, -1.1, reps, "within", bound_high=-0.9,
                    details=dict(params, measure="log-log slope of mean ||x_k - J_{eta F}(x_k)||/eta, eta = sqrt(n)/L",
                                 inner="M_k = floor(8 n ln(k+2)) [ours]", interval="bootstrap over seeds 95%"))


def _forb_rate(size, n_jobs, seed, gamma_scale=1.0):
    M, reps = _pick(size, (3000, 10), (20000, 40))
    params = dict(n=32, d=10, M=M, gamma_scale=float(gamma_scale))
    df = run_cells(FORB_TASK, [params], reps, seed, n_jobs)
    cols = [j for j in range(30) if f"t_{j}" in df]
    ts = np.array([df[f"t_{j}"].iloc[0] for j in cols], dtype=float)
    E = np.minimum(_finite(df[[f"err_{j}" for j in cols]].to_numpy()), _BIG) + 1e-300
    keep = E.mean(axis=0) > 1e-9 * E[:, 0].mean()  # before the round-off floor
    keep[:3] = True
    est, lo, hi = _boot_slope(ts[keep] / 32.0, E[:, keep], seed, log_x=False)
    return Evidence(est, lo, hi, 0.0, reps, "upper",
                    details=dict(params, measure="slope of ln E||v_t - u*|| per epoch (t/n), above 1e-9 x the start; "
                                                 "linear rate iff < 0",
                                 interval="bootstrap over seeds 95%"))


# ------------------------------------------------------------------ T3: the sqrt(n) improvement
def _scaling(size, n_jobs, seed, algorithm, refresh="schedule", bound_scale=1.0):
    ns, R, reps = _pick(size, ([64, 256, 1024], 4500, 6), ([256, 1024, 4096, 16384], 25000, 20))
    reps = reps if algorithm == "page_halpern" else 2
    cells = [dict(algorithm=algorithm, n=n, R=R, d=10, refresh=refresh) for n in ns]
    df = run_cells(SCALING_TASK, cells, reps, seed, n_jobs)
    C = np.array([_finite(df[df["n"] == n]["calls_to_eps"].to_numpy()) for n in ns]).T  # (reps, len(ns))
    x = np.asarray(ns, dtype=float)
    est = slope_fit(x, C.mean(axis=0), log_x=True, log_y=True).slope
    rng = np.random.default_rng(seed)
    boots = [slope_fit(x, C[rng.integers(0, reps, reps)].mean(axis=0), log_x=True, log_y=True).slope
             for _ in range(400)]
    lo, hi = (float(v) for v in np.quantile(boots, [0.025, 0.975]))
    lo_b, hi_b = (0.4, 0.65) if algorithm == "page_halpern" else (0.9, 1.1)
    lo_b, hi_b = lo_b * bound_scale, hi_b * bound_scale
    return Evidence(est, lo, hi, lo_b, reps, "within", bound_high=hi_b,
                    details=dict(ns=ns, R=R, mean_calls=C.mean(axis=0).tolist(), refresh=refresh,
                                 measure="log-log slope of E[calls to ||F|| <= L D / R] vs n (cocoercive family, d = 10)",
                                 interval="bootstrap over seeds 95%"))


def _scaling_vr(size, n_jobs, seed, refresh="schedule"):
    return _scaling(size, n_jobs, seed, "page_halpern", refresh=refresh)


def _scaling_det(size, n_jobs, seed, bound_scale=1.0):
    return _scaling(size, n_jobs, seed, "halpern", bound_scale=bound_scale)


def _negative_control(size, n_jobs, seed, bound_scale=1.0):
    ns = _pick(size, [8, 32, 128], [16, 64, 256, 1024])
    games = [coordinate_split_game(n, seed=seed) for n in ns]
    ratios = [g.L / g.L_F for g in games]
    fit = slope_fit(ns, ratios, log_x=True, log_y=True)
    lo, hi = min(fit.low, fit.slope), max(fit.high, fit.slope)
    return Evidence(fit.slope, lo, hi, 0.4 * bound_scale, 1, "within", bound_high=0.6 * bound_scale,
                    details=dict(ns=ns, L_over_LF=ratios, measure="log-log slope of L / L_F vs n",
                                 interval="OLS t 95% over n"))


# ------------------------------------------------------------------ PEP
def _pep_claim(fn, ks_quick, ks_full, rule, tol=1e-6):
    def evaluate(size, n_jobs, seed, anchor=None, bound_scale=1.0):
        ks = _pick(size, ks_quick, ks_full)
        ratios = []
        for k in ks:
            res = fn(k) if anchor is None else fn(k, anchor=tuple(anchor))
            ratios.append(res.value / (bound_scale * res.bound))
        worst = float(max(ratios, key=lambda r: abs(r - 1.0)) if rule == "equal" else max(ratios))
        details = dict(ks=list(ks), ratios=ratios, solver="CLARABEL")
        if rule == "equal":
            return Evidence(worst, worst, worst, 1.0, 1, "equal", tol=tol, details=details)
        return _det(worst, 1.0 + tol, **details)
    return evaluate


CLAIMS = [
    Claim("halpern.lieder_bound", "Lieder 2021", "Thm 2.1 (T0)",
          "||x_k - T x_k|| <= 2 ||x0 - x*|| / (k+1) for Halpern, lambda_k = 1/(k+2), T nonexpansive",
          "upper", _lieder, tag="paper", constant="paper", breaks={"anchor": (1.0, 2.0, 2.0)}),
    Claim("halpern.lieder_tight", "Lieder 2021", "Thm 2.1 tightness (T0)",
          "T(x) = -x, x0 = 1: ||x_k - T x_k|| = 2/(k+1) at every even k", "identity", _lieder_tight,
          tag="paper", constant="paper", breaks={"bound_scale": 0.5}),
    Claim("halpern.cocoercive_halpern", "Diakonikolas 2020", "spec 3.0 (T0')",
          "Halpern on I - (2/L)F, F (1/L)-cocoercive: ||F(x_k)|| <= L ||x0 - x*|| / (k+1)", "upper", _coco,
          tag="derived", constant="derived", breaks={"anchor": (1.0, 2.0, 2.0)}),
    Claim("halpern.feg_rate", "Lee & Kim 2021", "FEG, monotone case (T0'')",
          "||F(z_k)|| <= 2 L ||z0 - z*|| / k for FEG with step 1/L, beta_k = 1/(k+1)", "upper", _feg,
          tag="paper", constant="paper", breaks={"eta_scale": 3.0}),
    Claim("halpern.eag_rate", "Yoon & Ryu 2021", "EAG-C rate (T0'')",
          "||F(z_k)||^2 <= 260 ||z0 - z*||^2 / (eta^2 (k+1)^2), eta = 1/(8L)", "upper", _eag,
          tag="paper", constant="reconstruction", breaks={"eta_scale": 12.0}),
    Claim("halpern.page_slope", CAI, "Thm (Alg. 1), rate shape (T1a)",
          "Alg. 1 on an on-average cocoercive finite sum: E||F(x_k)|| = Theta(1/k), slope in [-1.1, -0.9]",
          "rate", _page_slope, tag="paper", constant="ours", breaks={"anchor": (2.0, 4.0, 2.0)}),
    Claim("halpern.page_envelope", CAI, "Thm (Alg. 1), envelope (T1b)",
          "E||F(x_k)|| (k+4) / (L D) <= C_1 = 2.5/(eta L) for Alg. 1, eta = 1/L", "upper", _page_envelope,
          tag="reconstruction", constant="ours", breaks={"anchor": (4.0, 4.0, 1.0)}),
    Claim("halpern.page_cost", CAI, "Alg. 1 oracle accounting (T1c)",
          "realised calls of Alg. 1 = sum_k p_k n + (1-p_k) 2b within 5%", "identity", _page_cost,
          tag="derived", constant="derived", breaks={"calls_per_sample": 1}),
    Claim("halpern.inexact_halpern_slope", CAI, "Thm (Alg. 2), rate shape (T2)",
          "Alg. 2 + 3: E||x_k - J_{eta F}(x_k)|| / eta = Theta(1/k), slope in [-1.1, -0.9]", "rate",
          _inexact_slope, tag="paper", constant="ours", breaks={"anchor": (1.0, 2.0, 2.0)}),
    Claim("halpern.vr_forb_linear", "Alacaoglu & Malitsky 2022", "VR-FoRB linear rate (T2 inner)",
          "Alg. 3 on the 1-strongly monotone resolvent subproblem: ln E||v_t - u*|| decreases linearly",
          "rate", _forb_rate, tag="paper", constant="ours", breaks={"gamma_scale": 60.0}),
    Claim("halpern.sqrt_n_vr", CAI, "sqrt(n) improvement, Alg. 1 (T3)",
          "calls of Alg. 1 to reach eps grow like n^{1/2} (exponent in [0.4, 0.65]) when L ~ L_F", "rate",
          _scaling_vr, tag="paper", constant="ours", breaks={"refresh": "always"}),
    Claim("halpern.sqrt_n_deterministic", CAI, "sqrt(n) improvement, baseline (T3)",
          "calls of deterministic Halpern to reach eps grow like n (exponent in [0.9, 1.1])", "rate",
          _scaling_det, tag="paper", constant="ours", breaks={"bound_scale": 0.5}),
    Claim("halpern.negative_control", CAI, "L_F <= L <= sqrt(n) L_F (reviews; spec 2, 7)",
          "coordinate-split bilinear game: L / L_F grows like n^{1/2} (exponent in [0.4, 0.6]), so VR cannot gain sqrt(n)",
          "rate", _negative_control, tag="derived", constant="ours", breaks={"bound_scale": 0.5}),
    Claim("halpern.pep_halpern", "Lieder 2021", "Thm 2.1 via PEP",
          "PEP worst case of ||x_k - T x_k||^2 equals (2/(k+1))^2 to 1e-6 relative", "identity",
          _pep_claim(pep.halpern_pep, [1, 2, 3, 5, 10], list(range(1, 21)), "equal"),
          tag="paper", constant="paper", breaks={"anchor": (1.0, 2.0, 2.0)}),
    Claim("halpern.pep_cocoercive", "Diakonikolas 2020", "spec 3.0 via PEP",
          "PEP worst case of ||F(x_k)||^2 for Halpern on I - 2F/L equals L^2 D^2/(k+1)^2", "identity",
          _pep_claim(pep.cocoercive_halpern_pep, [1, 2, 5, 10], list(range(1, 21)), "equal"),
          tag="derived", constant="derived", breaks={"anchor": (1.0, 2.0, 2.0)}),
    Claim("halpern.pep_feg", "Lee & Kim 2021", "FEG rate via PEP relaxation",
          "PEP (monotone + Lipschitz pairwise) value of ||F(z_k)||^2 <= 4 L^2 D^2 / k^2", "upper",
          _pep_claim(pep.feg_pep, [2, 3, 5], [2, 3, 5, 10, 15], "upper"),
          tag="paper", constant="paper", breaks={"bound_scale": 0.5}),
]
