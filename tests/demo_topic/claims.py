"""Toy claims of the fixture topic, one per verdict rule, each with one break and a recorded margin.

The margins were measured with the scan recorded in each ``margin_source`` (quick size, seed 0):
``python -c "from tests.demo_topic.claims import CLAIMS; ..."`` running ``claim.run("quick", **{override: v})``.
"""

from __future__ import annotations

import numpy as np

from theorylab.core.claims import Break, Claim, Evidence, by_size, deterministic_evidence
from theorylab.core.seeding import seed_sequence
from theorylab.core.stats import clopper_pearson, slope_fit, t_interval

LONG_ID = "demo.power_law_exponent_of_a_deliberately_long_claim_identifier"


def _rng(seed, key):
    return np.random.default_rng(seed_sequence(seed, key))


def eval_mean(size="quick", n_jobs=1, seed=0, shift=0.0):
    """Mean of N(1 + shift, 1) samples, Student-t interval, against the bound 2."""
    x = _rng(seed, "demo.mean_upper").normal(1.0 + shift, 1.0, by_size(size, 200, 2000))
    iv = t_interval(x)
    return Evidence(iv.estimate, iv.low, iv.high, 2.0, iv.n, "upper", details={"interval": "t"})


def eval_error(size="quick", n_jobs=1, seed=0, p=0.02):
    """Frequency of Bernoulli(p) events, Clopper-Pearson interval, against the bound 0.05."""
    n = by_size(size, 2000, 20000)
    k = int(_rng(seed, "demo.error_probability").binomial(n, p))
    iv = clopper_pearson(k, n)
    return Evidence(iv.estimate, iv.low, iv.high, 0.05, n, "upper", details={"interval": "clopper-pearson"})


def eval_slope(size="quick", n_jobs=1, seed=0, exponent=-0.5):
    """Log-log slope of 3 x^exponent with 5% multiplicative noise, in [-0.6, -0.4]."""
    x = np.geomspace(10, 1e4, by_size(size, 8, 16))
    y = 3 * x**exponent * np.exp(_rng(seed, LONG_ID).normal(0, 0.05, x.size))
    fit = slope_fit(x, y, log_x=True, log_y=True)
    return Evidence(fit.slope, fit.low, fit.high, -0.6, fit.n, "within", bound_high=-0.4,
                    details={"interval": "ols-t", "dof": fit.dof})


def eval_lower(size="quick", n_jobs=1, seed=0, scale=1.0):
    """Mean of Exp(scale) samples, Student-t interval, at least 0.5."""
    x = _rng(seed, "demo.lower_bound").exponential(scale, by_size(size, 400, 4000))
    iv = t_interval(x)
    return Evidence(iv.estimate, iv.low, iv.high, 0.5, iv.n, "lower", details={"interval": "t"})


def eval_identity(size="quick", n_jobs=1, seed=0, constant=2.0):
    """sum_{k=1}^n (2k - 1) = n^2, the constant 2 being the one named thing."""
    n = by_size(size, 50, 500)
    total = float(sum(constant * k - 1 for k in range(1, n + 1)))
    return deterministic_evidence(total, float(n * n), reps=1, rule="equal", n=n)


CLAIMS = [
    Claim("demo.mean_upper", "Toy 2020", "Prop 1", "E[X] <= 2 for X ~ N(1, 1)", "upper", eval_mean, tag="ours",
          constant="ours", calibration="none: the bound 2 is the toy statement's",
          deliberate_break=Break("shift", 3.0, "the sampled mean, shifted by s", "algorithm",
                                 "shift s; production s = 0; stronger = larger", 1.3,
                                 "scan s in {1.0, 1.1, 1.2, 1.3}, quick, seed 0: first violated at 1.3")),
    Claim("demo.error_probability", "Toy 2020", "Prop 2", "P(event) <= 0.05", "upper", eval_error, tag="ours",
          constant="ours", calibration="none: the bound 0.05 is the toy statement's",
          deliberate_break=Break("p", 0.2, "the event probability p", "algorithm",
                                 "probability p; production p = 0.02; stronger = larger", 0.07,
                                 "scan p in {0.05, 0.06, 0.07}, quick, seed 0: first violated at 0.07")),
    Claim(LONG_ID, "Toy 2020", "Prop 3", "d ln y / d ln x in [-0.6, -0.4]", "rate", eval_slope, tag="ours",
          constant="ours", calibration="theory: the exponent is -1/2 exactly; +-0.1 is the toy tolerance",
          deliberate_break=Break("exponent", -1.0, "the power-law exponent of y", "algorithm",
                                 "exponent; production -0.5; stronger = further from -0.5", -0.65,
                                 "scan exponent in {-0.6, -0.65}, quick, seed 0: first violated at -0.65")),
    Claim("demo.lower_bound", "Toy 2020", "Prop 4", "E[X] >= 0.5 for X ~ Exp(1)", "lower", eval_lower,
          tag="ours", constant="ours", calibration="none: the bound 0.5 is the toy statement's",
          deliberate_break=Break("scale", 0.2, "the exponential scale", "algorithm",
                                 "scale; production 1; stronger = smaller", 0.4,
                                 "scan scale in {0.5, 0.45, 0.4}, quick, seed 0: first violated at 0.4")),
    Claim("demo.odd_sum_identity", "Toy 2020", "Lemma 5", "sum_{k<=n} (2k - 1) = n^2", "identity", eval_identity,
          tag="ours", constant="ours", calibration="none: an exact identity",
          deliberate_break=Break("constant", 2.5, "the constant 2 in 2k - 1", "bound",
                                 "constant c; production c = 2; stronger = further from 2", 2.01,
                                 "scan c in {2.01}, quick, seed 0: violated at 2.01")),
]
