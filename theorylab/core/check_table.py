"""The ``theorylab check`` table: one aligned row per claim, readable without the source.

Columns: ``id``, ``kind``, ``measured`` (the point estimate), ``rule`` (``<=`` upper bound, ``>=`` lower
bound, ``in`` a range, ``=`` an identity), ``bound`` (a range as ``[lo, hi]``), so that ``measured rule
bound`` reads as the statement checked (``0.93 <= 2``), ``ratio`` (see
:data:`RATIO_HELP`), ``95% CI``, ``verdict``, ``tag/constant`` (provenance of the statement and of the
bound's constant), ``reps`` and ``seconds``. The id column is as wide as the longest id of the claims
checked, so a long id never shifts the other columns; rows are printed as the claims finish.
``wide=True`` adds two indented lines under each row: the statement with its theorem and paper, then
the claim's deliberate break (what it changes, its value and recorded margin) and its calibration source.

Examples
--------
>>> from theorylab.core.claims import ClaimResult
>>> r = ClaimResult("demo.x", "Toy 2020", "Thm 1", "x <= 2", 1.0, 2.0, 0.5, 0.8, 1.2, "holds", 50, 0.01,
...                 tag="paper", constant="ours", rule="upper")
>>> table = CheckTable(["demo.x"], ["paper/ours"])
>>> print(table.header().splitlines()[0])
id      kind         measured  rule  bound                       ratio     95% CI                      verdict       tag/constant      reps   seconds
>>> print(table.row(r))
demo.x  upper               1   <=   2                           0.5       [0.8, 1.2]                  holds         paper/ours          50      0.01
"""

from __future__ import annotations

import math
from typing import Iterable, Sequence

from theorylab.core.claims import RULE_SYMBOLS, ClaimResult

__all__ = ["CheckTable", "RATIO_HELP", "HELP_TEXT", "fmt_value", "fmt_bound", "fmt_interval", "provenance"]

#: What the ``ratio`` column means for each rule (shown by ``theorylab check --help`` and the README).
RATIO_HELP = """\
ratio, by rule (the verdict never reads it; it reads the CI):
  <=  upper bound   measured / bound; <= 1 when the estimate satisfies the bound (0.5: at half the bound)
  >=  lower bound   measured / bound; >= 1 when the estimate satisfies the bound
  in  range [lo,hi] (measured - centre) / half-width; -1 at lo, 0 at the centre, +1 at hi, |ratio| > 1 outside
  =   identity      |measured - bound| / (tol max(1, |bound|)); <= 1 when equal within the tolerance
  -   no reading: a bound <= 0 under <= or >=, an empty or infinite range"""

#: The legend of the whole table, for ``theorylab check --help``.
HELP_TEXT = f"""\
columns:
  id            claim id, <topic>.<name>
  kind          upper, lower, rate, identity, privacy; sanity = bound loose by more than 10x at this size
  rule, bound   <= (upper), >= (lower), in (range, shown [lo, hi]), = (identity) and the bound itself
  measured      point estimate of the simulation (or the exact value for deterministic checks)
  ratio         see below
  95% CI        two-sided interval behind the verdict (Clopper-Pearson for probabilities, Student-t for
                means, regression t on n-2 df for slopes, Bonferroni-simultaneous for a max/min over rows)
  verdict       holds: the whole CI on the right side of the bound; violated: wholly on the wrong side;
                inconclusive: otherwise (= rules compare the exact value within the tolerance)
  tag/constant  provenance of the statement / of the bound's constant: paper, derived, reconstruction, ours
  reps, seconds independent repetitions behind the CI; wall time of the check
--wide adds the statement, theorem and paper, the deliberate break (what it changes, value, recorded
margin) and the calibration source under each row.

{RATIO_HELP}"""

_GAP = "  "
_NUM = 11      # widest "%.4g" of a float: "-1.234e+100"
_PAIR = 2 * _NUM + 4


def fmt_value(v) -> str:
    """A number with 4 significant digits; ``-`` for None and NaN.

    >>> fmt_value(0.000123456), fmt_value(float("nan")), fmt_value(7)
    ('0.0001235', '-', '7')

    Parameters
    ----------
    v : float or None
        The number.

    Returns
    -------
    str
        Four significant digits, or ``-``.
    """
    if v is None:
        return "-"
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int):
        return str(v)
    v = float(v)
    if math.isnan(v):
        return "-"
    return f"{v:.4g}"


def fmt_interval(low, high) -> str:
    """``[low, high]``.

    >>> fmt_interval(0.1, 0.25)
    '[0.1, 0.25]'

    Parameters
    ----------
    low, high : float
        Interval ends.

    Returns
    -------
    str
        ``[low, high]``.
    """
    return f"[{fmt_value(low)}, {fmt_value(high)}]"


def fmt_bound(rule: str, bound, bound_high=None) -> str:
    """The bound column: the bound, or ``[lo, hi]`` for a range.

    >>> fmt_bound("within", -0.6, -0.4), fmt_bound("upper", 0.05)
    ('[-0.6, -0.4]', '0.05')

    Parameters
    ----------
    rule : str
        ``upper``, ``lower``, ``range`` or ``equal``.
    bound : float
        The bound (or the range's low end).
    bound_high : float, optional
        The range's high end.

    Returns
    -------
    str
        The bound column.
    """
    return fmt_interval(bound, bound_high) if rule == "within" else fmt_value(bound)


def provenance(tag: str, constant: str) -> str:
    """The ``tag/constant`` column.

    >>> provenance("derived", "ours")
    'derived/ours'

    Parameters
    ----------
    tag : str
        Statement provenance.
    constant : str
        Constant provenance.

    Returns
    -------
    str
        ``tag/constant``.
    """
    return f"{tag}/{constant}"


def _show(v) -> str:
    return fmt_value(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v)


def _wrap(prefix: str, text: str, width: int) -> list[str]:
    """``prefix + text``, continued on lines indented under the text when longer than ``width``."""
    words, lines, line = text.split(), [], prefix
    indent = " " * len(prefix)
    for w in words:
        if len(line) + len(w) + 1 > width and line.strip():
            lines.append(line.rstrip())
            line = indent
        line += w + " "
    lines.append(line.rstrip())
    return lines


class CheckTable:
    """Fixed-width table of :class:`~theorylab.core.claims.ClaimResult` rows.

    Parameters
    ----------
    ids : sequence of str
        The ids of the claims that will be printed (sets the id column's width before any claim runs).
    provenances : sequence of str, optional
        Their ``tag/constant`` strings (sets that column's width); see :func:`provenance`.
    wide : bool
        Add the statement, theorem, break and calibration lines under each row.
    width : int
        Line width at which the ``wide`` lines wrap.
    """

    def __init__(self, ids: Sequence[str], provenances: Sequence[str] = (), wide: bool = False, width: int = 120):
        ids = list(ids)
        self.id_width = max([len("id")] + [len(i) for i in ids])
        self.prov_width = max([len("tag/constant")] + [len(p) for p in provenances])
        self.wide = bool(wide)
        self.width = int(width)
        # measured, rule, bound read as a sentence: "0.93 <= 2", "-0.51 in [-0.6, -0.4]"
        self._cols = [("id", self.id_width, "<"), ("kind", 8, "<"), ("measured", _NUM, ">"), ("rule", 4, "^"),
                      ("bound", _PAIR, "<"), ("ratio", 8, "<"), ("95% CI", _PAIR, "<"), ("verdict", 12, "<"),
                      ("tag/constant", self.prov_width, "<"), ("reps", 8, ">"), ("seconds", 8, ">")]

    @classmethod
    def for_claims(cls, claims: Iterable, wide: bool = False) -> "CheckTable":
        """A table sized for ``claims`` (objects with ``id``, ``tag`` and ``constant``)."""
        claims = list(claims)
        return cls([c.id for c in claims], [provenance(c.tag, c.constant) for c in claims], wide=wide)

    def _line(self, cells: Sequence[str]) -> str:
        parts = [f"{c:{align}{w}}" for c, (_, w, align) in zip(cells, self._cols)]
        return _GAP.join(parts).rstrip()

    def header(self) -> str:
        """The column names and a rule under them."""
        names = self._line([name for name, _, _ in self._cols])
        return names + "\n" + "-" * len(names)

    def cells(self, r: ClaimResult) -> list[str]:
        """The row's cells, unpadded, in column order."""
        return [r.id, r.kind, fmt_value(r.measured), RULE_SYMBOLS.get(r.rule, r.rule),
                fmt_bound(r.rule, r.bound, r.bound_high), fmt_value(r.ratio), fmt_interval(r.ci_low, r.ci_high),
                r.verdict, provenance(r.tag, r.constant), str(int(r.reps)), f"{r.seconds:.2f}"]

    def row(self, r: ClaimResult) -> str:
        """One claim's row (and, when ``wide``, its indented detail lines)."""
        lines = [self._line(self.cells(r))]
        if self.wide:
            lines += self.details(r)
        return "\n".join(lines)

    def details(self, r: ClaimResult) -> list[str]:
        """The ``wide`` lines: statement with theorem and paper; break and calibration."""
        out = _wrap("    ", f"{r.statement}  [{r.theorem}; {r.paper}]", self.width)
        b = r.break_margin
        if b:
            brk = (f"break ({b['target']}): {b['changes']}; {b['override']} = {_show(b['value'])} in the proofs "
                   f"check, violated from {_show(b['margin'])} on ({b['scale']})")
            out += _wrap("    ", brk, self.width)
        if r.calibration:
            out += _wrap("    ", f"calibration: {r.calibration}", self.width)
        return out

    @staticmethod
    def summary(results: Sequence[ClaimResult]) -> str:
        """``N claims: a holds, b violated, c inconclusive`` and a one-line pointer to the legend."""
        counts = {v: sum(r.verdict == v for r in results) for v in ("holds", "violated", "inconclusive")}
        noun = "claim" if len(results) == 1 else "claims"
        return (f"{len(results)} {noun}: {counts['holds']} holds, {counts['violated']} violated, "
                f"{counts['inconclusive']} inconclusive\n"
                "rule <= upper, >= lower, in range, = identity; the verdict reads the 95% CI; "
                "`theorylab check --help` explains ratio and every column")
