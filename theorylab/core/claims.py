"""Executable claims: a stated bound, a simulation that measures it, and a verdict on an interval.

A :class:`Claim` names a paper and theorem, states the bound in one line, and carries an
``evaluate(size, n_jobs, seed, **overrides) -> Evidence`` function. :meth:`Claim.run` times it and
applies the verdict rule to the confidence interval, never to the point estimate:

- ``upper``   (measured <= bound):  holds if ci_high <= bound, violated if ci_low > bound;
- ``lower``   (measured >= bound):  holds if ci_low >= bound, violated if ci_high < bound;
- ``within``  (bound_low <= measured <= bound_high, e.g. a fitted slope): holds if the interval lies
  inside, violated if it lies wholly outside, inconclusive otherwise;
- ``equal``   (deterministic identity): holds if |measured - bound| <= tol * max(1, |bound|).

Anything else is ``inconclusive``. Every claim carries exactly one :class:`Break`: a keyword of
``evaluate`` that changes one named thing in the production path (the algorithm's defining ingredient
or the bound's constant); the proofs checks run it and expect ``violated``, so every claim is shown
able to fail. Every claim also says where each threshold of ours comes from (``calibration``).

Examples
--------
>>> def evaluate(size="quick", n_jobs=1, seed=0, shift=0.0):
...     return Evidence(1.0 + shift, 0.5 + shift, 1.5 + shift, bound=2.0, reps=7, rule="upper")
>>> brk = Break("shift", 5.0, changes="the measured mean, shifted by s", target="algorithm",
...             scale="shift s; production s = 0; stronger = larger", margin=0.6,
...             margin_source="scan s in {0.2, 0.4, 0.6}, quick, seed 0: first violated at 0.6")
>>> claim = Claim("demo.mean", "Demo 2020", "Thm 1", "mean <= 2", "upper", evaluate,
...               calibration="none: the bound is the theorem's", deliberate_break=brk)
>>> claim.run("quick").verdict, claim.run("quick", **claim.breaks).verdict
('holds', 'violated')
"""

from __future__ import annotations

import inspect
import math
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from theorylab.core.validate import check_choice, check_int

__all__ = ["KINDS", "TAGS", "SIZES", "RULES", "RULE_SYMBOLS", "CALIBRATION_SOURCES", "Break", "Evidence",
           "ClaimResult", "Claim", "decide", "claim_ratio", "JSON_FIELDS", "EXTRA_JSON_FIELDS", "by_size",
           "deterministic_evidence"]

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
#: Prefixes of ``Claim.calibration``: a threshold from theory, from a recorded calibration run (seeds and
#: instances disjoint from the checked ones), or none of ours (the bound and its constant are the paper's).
CALIBRATION_SOURCES = ("theory", "calibration", "none")
#: Keywords every ``evaluate`` takes; a break cannot be one of them.
EVALUATE_KEYWORDS = ("size", "n_jobs", "seed")


def _text(owner: str, name: str, value) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{owner}.{name} must be a non-empty string, got {value!r}")
    return value


def _number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


@dataclass(frozen=True)
class Break:
    """The one deliberate break of a claim: exactly one named thing in the production path.

    Parameters
    ----------
    override : str
        Keyword argument of the claim's ``evaluate`` that applies the break; it must have a default
        (the production value) and must not be ``size``, ``n_jobs`` or ``seed``.
    value : object
        Strength used by the proofs check (``claim.run("quick", **{override: value})`` must be violated);
        never equal to the production default.
    changes : str
        The one thing it changes, named as in the algorithm or the bound (e.g. "UCB1's exploration
        bonus, multiplied by c").
    target : str
        ``"algorithm"`` (the algorithm's defining ingredient) or ``"bound"`` (the bound's constant).
    scale : str
        The documented strength scale and where production sits on it (e.g. "bonus multiplier c;
        production c = 1; stronger = smaller").
    margin : float
        The weakest strength on ``scale`` (in the units of ``override``) at which the quick check reads
        ``violated``; the slow proofs check runs ``claim.run("quick", **{override: margin})`` and expects
        ``violated``.
    margin_source : str
        How ``margin`` was measured: the strengths scanned, seed and size (reproducible).

    Examples
    --------
    >>> b = Break("bonus", 0.1, changes="UCB1's exploration bonus, times c", target="algorithm",
    ...           scale="bonus multiplier c; production c = 1; stronger = smaller", margin=0.3,
    ...           margin_source="scan c in {0.5, 0.3, 0.2, 0.1}, quick, seed 0: first violated at 0.3")
    >>> b.record()["margin"], b.record()["target"]
    (0.3, 'algorithm')
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
            _text("Break", name, getattr(self, name))
        if not self.override.isidentifier():
            raise ValueError(f"Break.override must be a keyword name, got {self.override!r}")
        if self.override in EVALUATE_KEYWORDS:
            raise ValueError(f"Break.override {self.override!r} is a run setting, not a break; expected a keyword "
                             f"other than {EVALUATE_KEYWORDS}")
        if not _number(self.margin) or not math.isfinite(float(self.margin)):
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
        Confidence interval for ``measured`` (equal to it for deterministic quantities); ``ci_low <= ci_high``.
    bound : float
        The bound (``upper``/``lower``/``equal``) or the lower end of the admissible range (``within``).
    reps : int
        Independent repetitions behind the interval (1 for deterministic checks), at least 1.
    rule : str
        One of ``upper``, ``lower``, ``within``, ``equal``.
    bound_high : float, optional
        Upper end of the admissible range, required for ``within`` (``bound <= bound_high``) and refused
        for the other rules.
    tol : float
        Relative tolerance for ``equal`` (non-negative).
    details : dict
        Anything else worth keeping (interval method, level, instance, per-point values).

    Examples
    --------
    >>> Evidence(0.9, 0.8, 1.0, bound=0.5, reps=20, rule="within", bound_high=1.5).bound_high
    1.5
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
        check_int("reps", self.reps, minimum=1)
        for name in ("measured", "ci_low", "ci_high", "bound"):
            if not _number(getattr(self, name)) and not hasattr(getattr(self, name), "__float__"):
                raise TypeError(f"Evidence.{name} must be a number, got {getattr(self, name)!r}")
        if self.ci_low > self.ci_high:  # False when either is NaN: a NaN interval is left to decide()
            raise ValueError(f"Evidence: ci_low {self.ci_low} exceeds ci_high {self.ci_high}")
        if self.rule == "within":
            if self.bound_high is None:
                raise ValueError("bound_high is required for the 'within' rule")
            if self.bound > self.bound_high:
                raise ValueError(f"Evidence: the range [bound, bound_high] = [{self.bound}, {self.bound_high}] "
                                 f"is empty")
        elif self.bound_high is not None:
            raise ValueError(f"bound_high is only for the 'within' rule, got bound_high={self.bound_high} "
                             f"with rule {self.rule!r}")
        if not _number(self.tol) or not self.tol >= 0:
            raise ValueError(f"Evidence.tol must be a non-negative number, got {self.tol!r}")
        if not isinstance(self.details, dict):
            raise TypeError(f"Evidence.details must be a dict, got {type(self.details).__name__}")


def by_size(size: str, quick, full):
    """The ``quick`` or the ``full`` value of a size-dependent setting.

    Parameters
    ----------
    size : str
        ``"quick"`` or ``"full"``.
    quick, full : object
        The two values.

    Returns
    -------
    object
        ``quick`` when ``size == "quick"``, else ``full``.

    Examples
    --------
    >>> by_size("quick", 100, 10_000)
    100
    """
    check_choice("size", size, SIZES)
    return quick if size == "quick" else full


def deterministic_evidence(measured: float, bound: float, reps: int, rule: str = "upper",
                           bound_high: float | None = None, tol: float = 1e-9, **details) -> Evidence:
    """Evidence for an exactly computed quantity: a degenerate interval at ``measured``.

    Parameters
    ----------
    measured, bound : float
        The computed value and the bound (lower end of the range for ``within``).
    reps : int
        The instances (or exact solves) behind it.
    rule, bound_high, tol
        As in :class:`Evidence`.
    **details
        Kept in ``Evidence.details`` with ``interval="deterministic"`` added.

    Returns
    -------
    Evidence

    Examples
    --------
    >>> ev = deterministic_evidence(0.5, 1.0, reps=3, instance="ring")
    >>> ev.ci_low, ev.ci_high, ev.details["interval"]
    (0.5, 0.5, 'deterministic')
    """
    m = float(measured)
    return Evidence(m, m, m, float(bound), int(reps), rule, bound_high=bound_high, tol=tol,
                    details=dict(details, interval="deterministic"))


def claim_ratio(ev: Evidence) -> float:
    """The ``ratio`` column: how the point estimate sits against the bound.

    - ``upper`` (<=): measured / bound, at most 1 when the estimate satisfies the bound;
    - ``lower`` (>=): measured / bound, at least 1 when the estimate satisfies the bound;
    - ``within`` (in): signed position in the range, (measured - centre) / half-width, in [-1, 1] when
      the estimate lies inside (-1 at the low end, +1 at the high end);
    - ``equal`` (=): |measured - bound| / (tol max(1, |bound|)), at most 1 when equal within tolerance.

    NaN (shown ``-``) when it has no such reading: a bound <= 0 for ``upper``/``lower`` (a quotient by
    a negative bound reverses its sense), an empty or infinite range, a zero tolerance. The verdict
    never uses the ratio; it reads the interval.

    Parameters
    ----------
    ev : Evidence
        The evidence.

    Returns
    -------
    float
        The ratio column (nan where it has no reading).

    Examples
    --------
    >>> claim_ratio(Evidence(2.0, 1.9, 2.1, 4.0, 5, "upper"))
    0.5
    >>> claim_ratio(Evidence(0.75, 0.7, 0.8, 0.5, 5, "within", bound_high=1.0))
    0.0
    """
    m, b = float(ev.measured), float(ev.bound)
    if ev.rule == "within":
        half = (float(ev.bound_high) - b) / 2.0
        if not (0 < half < math.inf):
            return float("nan")
        return float((m - (b + half)) / half)
    if ev.rule == "equal":
        scale = ev.tol * max(1.0, abs(b))
        return float(abs(m - b) / scale) if scale > 0 else float("nan")
    return float(m / b) if 0 < b < math.inf else float("nan")


def decide(ev: Evidence) -> str:
    """Verdict for a piece of evidence; see the module docstring for the rules.

    Parameters
    ----------
    ev : Evidence
        The evidence.

    Returns
    -------
    str
        ``holds``, ``violated`` or ``inconclusive``.

    Examples
    --------
    >>> decide(Evidence(1.0, 0.8, 1.2, 1.1, 10, "upper"))
    'inconclusive'
    """
    lo, hi, b = float(ev.ci_low), float(ev.ci_high), float(ev.bound)
    if any(math.isnan(v) for v in (lo, hi, b, float(ev.measured))):
        return "inconclusive"
    if ev.rule == "upper":
        return "holds" if hi <= b else ("violated" if lo > b else "inconclusive")
    if ev.rule == "lower":
        return "holds" if lo >= b else ("violated" if hi < b else "inconclusive")
    if ev.rule == "within":
        bh = float(ev.bound_high)
        if math.isnan(bh):
            return "inconclusive"
        if b <= lo and hi <= bh:
            return "holds"
        if hi < b or lo > bh:
            return "violated"
        return "inconclusive"
    # equal: a deterministic identity, judged on the computed value
    return "holds" if abs(float(ev.measured) - b) <= ev.tol * max(1.0, abs(b)) else "violated"


@dataclass(frozen=True)
class ClaimResult:
    """One row of ``theorylab check``: a claim's measurement, its bound and the verdict.

    Parameters
    ----------
    id, paper, theorem, statement : str
        The claim's identity, as declared.
    measured, bound, ratio : float
        Point estimate, bound, and the ratio column.
    ci_low, ci_high : float
        The interval the verdict reads.
    verdict : str
        ``holds``, ``violated`` or ``inconclusive``.
    reps : int
        Independent repetitions behind the interval.
    seconds : float
        Wall time.
    kind, tag, constant, rule : str
        Claim kind, provenance of the statement and of the constant, rule name.
    bound_high : float or None
        Upper end of a range bound.
    calibration : str
        Source of every threshold of ours.
    break_margin : dict
        The deliberate break's record.
    details : dict
        Everything else the evaluation reported.
    """

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
        """The JSON report's row: the twelve fields of DESIGN.md, then :data:`EXTRA_JSON_FIELDS`.

        Non-finite floats become JSON-safe (NaN -> null, +-inf -> +-1e308); ``rule`` is its symbol.
        """
        out = {k: _jsonable(getattr(self, k)) for k in JSON_FIELDS}
        for k in EXTRA_JSON_FIELDS:
            v = getattr(self, k)
            out[k] = RULE_SYMBOLS[v] if k == "rule" else _jsonable(v)
        return out


def _jsonable(v):
    """A JSON-safe copy: numpy scalars and arrays to Python, NaN to None, +-inf to +-1e308."""
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if hasattr(v, "tolist") and not isinstance(v, (str, bytes)):
        return _jsonable(v.tolist())
    if isinstance(v, float) and not math.isfinite(v):
        return None if math.isnan(v) else (1e308 if v > 0 else -1e308)
    return v


def _keyword_params(fn) -> tuple[dict[str, inspect.Parameter], bool]:
    params = inspect.signature(fn).parameters
    named = {n: p for n, p in params.items()
             if p.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)}
    return named, any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())


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
        Theorem / proposition label in that paper (or a derived result with its note anchor, e.g. ``"Theorem R (derived; docs/topics/games.md#the-reduction)"``).
    statement : str
        One line of mathematics.
    kind : str
        ``upper``, ``lower``, ``rate``, ``identity``, ``privacy``, or ``sanity`` when the bound is loose
        by more than 10x at the checked size (the proofs checks refuse a loose claim of another kind).
    evaluate : callable
        ``evaluate(size, n_jobs, seed, **overrides) -> Evidence``; it takes ``size``, ``n_jobs`` and
        ``seed`` as keywords and the break's ``override`` as a keyword with a default.
    tag : str
        Provenance of the statement: ``paper``, ``derived``, ``reconstruction`` or ``ours``.
    constant : str
        Provenance of the constant in the bound (``"ours"`` when the paper's is unknown and only the
        shape is checked).
    calibration : str
        Required. Where every threshold of ours comes from: ``"theory: ..."``, or ``"calibration: ..."``
        naming the run (seeds and instances disjoint from the checked ones) that set it, or
        ``"none: ..."`` when the bound and its constant are the paper's. Never a value read off the
        checked data.
    deliberate_break : Break
        Required. The one documented break; :attr:`breaks` gives it as the overrides mapping the proofs
        checks pass to :meth:`run` (they expect ``violated``).

    Raises
    ------
    ValueError, TypeError
        Naming the field: an unknown kind/tag/constant, a missing or unprefixed calibration, a missing
        break, a break override that is not a keyword of ``evaluate`` with a default, or a break value
        equal to that default (a break that changes nothing).

    Examples
    --------
    >>> def evaluate(size="quick", n_jobs=1, seed=0, c=1.0):
    ...     return deterministic_evidence(0.5 * c, 1.0, reps=1)
    >>> brk = Break("c", 3.0, "the constant c of the bound's left side", "bound", "c; production 1; stronger = larger",
    ...             2.5, "scan c in {1.5, 2, 2.5}, quick, seed 0: first violated at 2.5")
    >>> Claim("demo.half", "Demo", "Lemma 1", "c/2 <= 1", "identity", evaluate, calibration="none: exact",
    ...       deliberate_break=brk).run(**{"c": 2.5}).verdict
    'violated'
    >>> Claim("demo.half", "Demo", "Lemma 1", "c/2 <= 1", "identity", evaluate, calibration="tuned",
    ...       deliberate_break=brk)
    Traceback (most recent call last):
    ...
    ValueError: claim demo.half: calibration must read 'theory: ...', 'calibration: ...' or 'none: ...' with the source after the colon, got 'tuned'
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
        _text("Claim", "id", self.id)
        topic, _, name = self.id.partition(".")
        if not topic or not name or any(ch.isspace() for ch in self.id):
            raise ValueError(f"Claim.id must be '<topic>.<name>' without spaces, got {self.id!r}")
        for name in ("paper", "theorem", "statement"):
            _text(f"claim {self.id}", name, getattr(self, name))
        check_choice("kind", self.kind, KINDS)
        check_choice("tag", self.tag, TAGS)
        check_choice("constant", self.constant, TAGS)
        self._check_calibration()
        if not callable(self.evaluate):
            raise TypeError(f"claim {self.id}: evaluate must be callable, got {type(self.evaluate).__name__}")
        if not isinstance(self.deliberate_break, Break):
            raise TypeError(f"claim {self.id}: deliberate_break must be a Break, got "
                            f"{type(self.deliberate_break).__name__}")
        self._check_evaluate_signature()

    def _check_calibration(self):
        cal = self.calibration
        if not isinstance(cal, str) or not cal.strip():
            raise ValueError(f"claim {self.id}: calibration must say where each threshold comes from")
        prefix, colon, rest = cal.partition(":")
        if prefix.strip() not in CALIBRATION_SOURCES or not colon or not rest.strip():
            raise ValueError(f"claim {self.id}: calibration must read 'theory: ...', 'calibration: ...' or "
                             f"'none: ...' with the source after the colon, got {cal!r}")

    def _check_evaluate_signature(self):
        named, var_kw = _keyword_params(self.evaluate)
        missing = [k for k in EVALUATE_KEYWORDS if k not in named and not var_kw]
        if missing:
            raise ValueError(f"claim {self.id}: evaluate must take the keywords {EVALUATE_KEYWORDS}, "
                             f"missing {missing}")
        brk = self.deliberate_break
        if brk.override not in named:
            raise ValueError(f"claim {self.id}: break override {brk.override!r} is not a keyword of evaluate "
                             f"(keywords: {sorted(set(named) - set(EVALUATE_KEYWORDS))})")
        default = named[brk.override].default
        if default is inspect.Parameter.empty:
            raise ValueError(f"claim {self.id}: break override {brk.override!r} needs a default in evaluate "
                             f"(the production value)")
        for what, v in (("value", brk.value), ("margin", brk.margin)):
            try:
                same = bool(v == default)
            except (TypeError, ValueError):  # arrays and the like: not comparable to one default
                same = False
            if same:
                raise ValueError(f"claim {self.id}: Break.{what} {v!r} equals the production default of "
                                 f"{brk.override!r}; a break must change something")

    @property
    def breaks(self) -> dict[str, Any]:
        """The break as ``{override: value}``, ready for ``claim.run("quick", **claim.breaks)``."""
        return {self.deliberate_break.override: self.deliberate_break.value}

    @property
    def margin_break(self) -> dict[str, Any]:
        """The break at its recorded margin, ``{override: margin}`` (the slow proofs check runs it)."""
        return {self.deliberate_break.override: self.deliberate_break.margin}

    @property
    def topic(self) -> str:
        return self.id.split(".", 1)[0]

    def run(self, size: str = "quick", n_jobs: int = 1, seed: int = 0, **overrides) -> ClaimResult:
        """Run the simulation at ``size`` and return the verdict row.

        Parameters
        ----------
        size : str
            ``"quick"`` (seconds, CI) or ``"full"`` (the paper-size check).
        n_jobs, seed : int
            Workers and master seed, passed to ``evaluate``.
        **overrides
            Keywords of ``evaluate`` (the break); recorded in ``details["overrides"]``.
        """
        check_choice("size", size, SIZES)
        named, var_kw = _keyword_params(self.evaluate)
        unknown = sorted(k for k in overrides if k not in named and not var_kw)
        if unknown:
            raise TypeError(f"claim {self.id}: unknown override(s) {unknown}; evaluate accepts "
                            f"{sorted(set(named) - set(EVALUATE_KEYWORDS))}")
        t0 = time.perf_counter()
        ev = self.evaluate(size=size, n_jobs=n_jobs, seed=seed, **overrides)
        seconds = time.perf_counter() - t0
        if not isinstance(ev, Evidence):
            raise TypeError(f"claim {self.id}: evaluate returned {type(ev).__name__}, expected Evidence")
        return ClaimResult(
            id=self.id, paper=self.paper, theorem=self.theorem, statement=self.statement,
            measured=float(ev.measured), bound=float(ev.bound), ratio=claim_ratio(ev),
            ci_low=float(ev.ci_low), ci_high=float(ev.ci_high), verdict=decide(ev), reps=int(ev.reps),
            seconds=round(seconds, 3), kind=self.kind, tag=self.tag, constant=self.constant,
            rule=ev.rule, bound_high=None if ev.bound_high is None else float(ev.bound_high),
            calibration=self.calibration, break_margin=self.deliberate_break.record(),
            details=dict(ev.details, overrides=sorted(overrides)),
        )
