"""Executable claims: a stated bound, a simulation that measures it, and a verdict on an interval.

A :class:`Claim` names a paper and theorem, states the bound in one line, and carries an
``evaluate(size, n_jobs, seed, **overrides) -> Evidence`` function. :meth:`Claim.run` times it and
applies the verdict rule to the confidence interval, never to the point estimate:

- ``upper``   (measured <= bound):  holds if ci_high <= bound, violated if ci_low > bound;
- ``lower``   (measured >= bound):  holds if ci_low >= bound, violated if ci_high < bound;
- ``within``  (bound_low <= measured <= bound_high, e.g. a fitted slope): holds if the interval lies
  inside, violated if it lies wholly outside, inconclusive otherwise;
- ``equal``   (deterministic identity): holds if |measured - bound| <= tol * max(1, |bound|).

Anything else is ``inconclusive``. ``overrides`` let a test break the algorithm or the bound on
purpose (each claim documents the ones it accepts) so that every claim is shown able to fail.
"""

from __future__ import annotations

import inspect
import math
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from theorylab.core.validate import check_choice

__all__ = ["KINDS", "TAGS", "SIZES", "RULES", "RULE_SYMBOLS", "Break", "Evidence", "ClaimResult", "Claim", "decide",
           "claim_ratio", "JSON_FIELDS", "EXTRA_JSON_FIELDS", "by_size", "deterministic_evidence"]

#: ``sanity``: the bound is loose by more than 10x at the checked size, so the claim can only catch gross
#: errors; it says so in its kind rather than passing for a sharp check.
KINDS = ("upper", "lower", "rate", "identity", "privacy", "sanity")
TAGS = ("paper", "derived", "reconstruction", "ours")
SIZES = ("quick", "full")
RULES = ("upper", "lower", "within", "equal")
VERDICTS = ("holds", "violated", "inconclusive")
RULE_SYMBOLS = {"upper": "<=", "lower": ">=", "within": "in", "equal": "="}
JSON_FIELDS = ("id", "paper", "theorem", "statement", "measured", "bound", "ratio",
               "ci_low", "ci_high", "verdict", "reps", "seconds")
#: Fields the JSON report carries after the twelve of DESIGN.md (``rule`` as a symbol of RULE_SYMBOLS).
EXTRA_JSON_FIELDS = ("rule", "bound_high", "kind", "tag", "constant", "calibration", "break_margin")
BREAK_TARGETS = ("algorithm", "bound")


@dataclass(frozen=True)
class Break:
    """The one deliberate break of a claim: exactly one named thing in the production path.

    Parameters
    ----------
    override : str
        Keyword argument of the claim's ``evaluate`` that applies the break.
    value : object
        Strength used by the proofs check (``claim.run("quick", **{override: value})`` must be violated).
    changes : str
        The one thing it changes, named as in the algorithm or the bound (e.g. "UCB1's exploration
        bonus, multiplied by c").
    target : str
        ``"algorithm"`` (the algorithm's defining ingredient) or ``"bound"`` (the bound's constant).
    scale : str
        The documented strength scale and where production sits on it (e.g. "bonus multiplier c;
        production c = 1; stronger = smaller").
    margin : float
        The weakest strength on ``scale`` at which the quick check reads ``violated`` (recorded).
    margin_source : str
        How ``margin`` was measured: the strengths scanned, seed and size (reproducible).
    """

    override: str
    value: Any
    changes: str
    target: str
    scale: str
    margin: float
    margin_source: str

    def __post_init__(self):
        check_choice("target", self.target, BREAK_TARGETS)
        for name in ("override", "changes", "scale", "margin_source"):
            if not isinstance(getattr(self, name), str) or not getattr(self, name).strip():
                raise ValueError(f"Break.{name} must be a non-empty string")
        if not isinstance(self.margin, (int, float)) or not math.isfinite(float(self.margin)):
            raise ValueError(f"Break.margin must be a finite number, got {self.margin!r}")

    def record(self) -> dict[str, Any]:
        """The ``break_margin`` field of the JSON report."""
        return {"override": self.override, "value": _jsonable(self.value), "changes": self.changes,
                "target": self.target, "scale": self.scale, "margin": float(self.margin),
                "source": self.margin_source}


@dataclass(frozen=True)
class Evidence:
    """What a claim's simulation measured.

    Parameters
    ----------
    measured : float
        Point estimate (mean regret, error probability, fitted slope, ...).
    ci_low, ci_high : float
        Confidence interval for ``measured`` (equal to it for deterministic quantities).
    bound : float
        The bound (``upper``/``lower``/``equal``) or the lower end of the admissible range (``within``).
    reps : int
        Independent repetitions behind the interval (1 for deterministic checks).
    rule : str
        One of ``upper``, ``lower``, ``within``, ``equal``.
    bound_high : float, optional
        Upper end of the admissible range for ``within``.
    tol : float
        Relative tolerance for ``equal``.
    details : dict
        Anything else worth keeping (interval method, level, instance, per-point values).
    """

    measured: float
    ci_low: float
    ci_high: float
    bound: float
    reps: int
    rule: str
    bound_high: float | None = None
    tol: float = 1e-9
    details: dict = field(default_factory=dict)

    def __post_init__(self):
        check_choice("rule", self.rule, RULES)
        if self.rule == "within" and self.bound_high is None:
            raise ValueError("bound_high is required for the 'within' rule")


def by_size(size: str, quick, full):
    """The ``quick`` or the ``full`` value of a size-dependent setting.

    >>> by_size("quick", 100, 10_000)
    100
    """
    check_choice("size", size, SIZES)
    return quick if size == "quick" else full


def deterministic_evidence(measured: float, bound: float, reps: int, rule: str = "upper",
                           bound_high: float | None = None, tol: float = 1e-9, **details) -> Evidence:
    """Evidence for an exactly computed quantity: a degenerate interval at ``measured``.

    ``reps`` counts the instances (or exact solves) behind it; ``details`` are kept with
    ``interval="deterministic"`` added.

    >>> deterministic_evidence(0.5, 1.0, reps=3).ci_high
    0.5
    """
    m = float(measured)
    return Evidence(m, m, m, float(bound), int(reps), rule, bound_high=bound_high, tol=tol,
                    details=dict(details, interval="deterministic"))


def claim_ratio(ev: Evidence) -> float:
    """The ``ratio`` column: how the point estimate sits against the bound.

    ``upper``/``lower``: measured / bound (at most 1, at least 1 when the estimate satisfies the bound).
    ``within``: signed position in the admissible range, (measured - centre) / half-width, in [-1, 1]
    when the estimate lies inside. ``equal``: |measured - bound| / (tol max(1, |bound|)), at most 1 when
    equal within the tolerance. NaN when the bound (or range) is degenerate.
    """
    if ev.rule == "within":
        half = (ev.bound_high - ev.bound) / 2.0
        return float((ev.measured - (ev.bound + half)) / half) if half > 0 else float("nan")
    if ev.rule == "equal":
        return float(abs(ev.measured - ev.bound) / (ev.tol * max(1.0, abs(ev.bound))))
    return float(ev.measured / ev.bound) if ev.bound != 0 else float("nan")


def decide(ev: Evidence) -> str:
    """Verdict for a piece of evidence; see the module docstring for the rules."""
    lo, hi, b = ev.ci_low, ev.ci_high, ev.bound
    if any(isinstance(v, float) and math.isnan(v) for v in (lo, hi, b, ev.measured)):
        return "inconclusive"
    if ev.rule == "upper":
        return "holds" if hi <= b else ("violated" if lo > b else "inconclusive")
    if ev.rule == "lower":
        return "holds" if lo >= b else ("violated" if hi < b else "inconclusive")
    if ev.rule == "within":
        bh = ev.bound_high
        if b <= lo and hi <= bh:
            return "holds"
        if hi < b or lo > bh:
            return "violated"
        return "inconclusive"
    # equal
    return "holds" if abs(ev.measured - b) <= ev.tol * max(1.0, abs(b)) else "violated"


@dataclass(frozen=True)
class ClaimResult:
    """One row of ``theorylab check``: a claim's measurement, its bound and the verdict."""

    id: str
    paper: str
    theorem: str
    statement: str
    measured: float
    bound: float
    ratio: float
    ci_low: float
    ci_high: float
    verdict: str
    reps: int
    seconds: float
    kind: str = "upper"
    tag: str = "paper"
    constant: str = "paper"
    rule: str = "upper"
    bound_high: float | None = None
    calibration: str = ""
    break_margin: dict | None = None
    details: dict = field(default_factory=dict)

    def row(self) -> dict[str, Any]:
        """The JSON report's row: the twelve fields of DESIGN.md, then :data:`EXTRA_JSON_FIELDS`."""
        out = {k: _jsonable(getattr(self, k)) for k in JSON_FIELDS}
        for k in EXTRA_JSON_FIELDS:
            v = getattr(self, k)
            out[k] = RULE_SYMBOLS[v] if k == "rule" else (v if isinstance(v, dict) else _jsonable(v))
        return out


def _jsonable(v):
    if isinstance(v, float) and not math.isfinite(v):
        return None if math.isnan(v) else (1e308 if v > 0 else -1e308)
    if hasattr(v, "item"):
        return v.item()
    return v


@dataclass(frozen=True)
class Claim:
    """A stated bound made executable.

    Parameters
    ----------
    id : str
        Dotted identifier, ``<topic>.<name>``.
    paper : str
        Short citation, e.g. ``"Auer, Cesa-Bianchi, Fischer 2002"``.
    theorem : str
        Theorem / proposition label in that paper (or ``"spec U3 [derived]"``).
    statement : str
        One line of mathematics.
    kind : str
        ``upper``, ``lower``, ``rate``, ``identity`` or ``privacy``.
    evaluate : callable
        ``evaluate(size, n_jobs, seed, **overrides) -> Evidence``.
    tag : str
        Provenance of the statement: ``paper``, ``derived``, ``reconstruction`` or ``ours``.
    constant : str
        Provenance of the constant in the bound (``"ours"`` when the paper's is unknown and only the
        shape is checked).
    calibration : str
        Where every threshold of ours comes from: ``"theory: ..."``, or ``"calibration: ..."`` naming
        the run (seeds and instances disjoint from the checked ones) that set it, or ``"none: ..."``
        when the bound and its constant are the paper's. Never a value read off the checked data.
    deliberate_break : Break
        The one documented break; :attr:`breaks` gives it as the overrides mapping the proofs checks
        pass to :meth:`run` (they expect ``violated``).
    """

    id: str
    paper: str
    theorem: str
    statement: str
    kind: str
    evaluate: Callable[..., Evidence]
    tag: str = "paper"
    constant: str = "paper"
    calibration: str = ""
    deliberate_break: Break | None = None

    def __post_init__(self):
        check_choice("kind", self.kind, KINDS)
        check_choice("tag", self.tag, TAGS)
        check_choice("constant", self.constant, TAGS)
        if not isinstance(self.calibration, str) or not self.calibration.strip():
            raise ValueError(f"claim {self.id}: calibration must say where each threshold comes from")
        if not self.calibration.split(":", 1)[0] in ("theory", "calibration", "none"):
            raise ValueError(f"claim {self.id}: calibration must start with 'theory:', 'calibration:' or 'none:'")
        if not isinstance(self.deliberate_break, Break):
            raise TypeError(f"claim {self.id}: deliberate_break must be a Break")
        params = inspect.signature(self.evaluate).parameters
        if self.deliberate_break.override not in params:
            raise ValueError(f"claim {self.id}: break override {self.deliberate_break.override!r} is not a "
                             f"keyword of evaluate")

    @property
    def breaks(self) -> dict[str, Any]:
        """The break as ``{override: value}``, ready for ``claim.run("quick", **claim.breaks)``."""
        return {self.deliberate_break.override: self.deliberate_break.value}

    @property
    def topic(self) -> str:
        return self.id.split(".", 1)[0]

    def run(self, size: str = "quick", n_jobs: int = 1, seed: int = 0, **overrides) -> ClaimResult:
        """Run the simulation at ``size`` and return the verdict row."""
        check_choice("size", size, SIZES)
        t0 = time.perf_counter()
        ev = self.evaluate(size=size, n_jobs=n_jobs, seed=seed, **overrides)
        seconds = time.perf_counter() - t0
        return ClaimResult(
            id=self.id, paper=self.paper, theorem=self.theorem, statement=self.statement,
            measured=float(ev.measured), bound=float(ev.bound), ratio=claim_ratio(ev),
            ci_low=float(ev.ci_low), ci_high=float(ev.ci_high), verdict=decide(ev), reps=int(ev.reps),
            seconds=round(seconds, 3), kind=self.kind, tag=self.tag, constant=self.constant,
            rule=ev.rule, bound_high=ev.bound_high, calibration=self.calibration,
            break_margin=self.deliberate_break.record(), details=dict(ev.details, overrides=sorted(overrides)),
        )
