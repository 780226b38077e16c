"""The ``theorylab bench`` table: one aligned row per benchmark (name, measured, unit, reference, ratio, target).

A benchmark returns a flat dict of numbers (all of it goes to ``--json``). The table reads six of them,
by naming convention, so a benchmark added later needs no change here:

- the unit comes from the key's suffix: ``<what>_per_s`` is ``<what>/s``; ``_s`` / ``_seconds`` /
  ``seconds`` is ``s``; ``_ms``, ``_us``, ``_ns`` likewise;
- ``ratio``: the first key named ``ratio`` / ``speedup`` or starting with ``ratio_`` / ``speedup_``;
- ``reference``: the key the ratio names (``speedup_vs_reference`` -> ``reference_rounds_per_s``,
  ``ratio_vs_blas`` -> ``blas_*``), else a key containing ``reference``; else, when there is a ratio,
  the second key of the measured unit;
- ``measured``: the first key of the reference's unit that is not the reference (without a reference:
  the first ``_per_s`` key, else the first timed key); never a target, compile or first-call time;
- ``target``: a key named ``target`` or starting with ``target``; shown with its unit when it has one
  (``target_rounds_per_s``: a throughput target), bare when it is a target for the ratio.

A benchmark can also name them itself with a ``"table"`` entry: ``{"measured": key, "reference": key,
"ratio": key, "target": key}`` (any subset); the entry is not printed.

Examples
--------
>>> r = {"rounds_per_s": 2.0e6, "reference_rounds_per_s": 1.0e4, "speedup_vs_reference": 200.0,
...      "compile_s": 0.5, "target_speedup": 100.0}
>>> s = summarize("demo", r)
>>> s["measured"], s["unit"], s["reference"], s["ratio"], s["target"]
(2000000.0, 'rounds/s', 10000.0, 200.0, 100.0)
>>> print(format_table([s]))
name      measured  unit      reference  ratio  target
------------------------------------------------------
demo         2e+06  rounds/s      1e+04    200     100
"""

from __future__ import annotations

import math
import re
from typing import Sequence

from theorylab.core.check_table import fmt_value

__all__ = ["summarize", "format_table", "unit_of", "COLUMNS"]

COLUMNS = ("name", "measured", "unit", "reference", "ratio", "target")
_NOT_MEASURED = ("compile", "cold", "first_call", "target", "estimate")


def unit_of(key: str) -> str | None:
    """The unit a key's suffix names, or None.

    Parameters
    ----------
    key : str

    Returns
    -------
    str or None

    Examples
    --------
    >>> unit_of("block_runs_per_s"), unit_of("epoch_s"), unit_of("nn_step_us"), unit_of("ratio")
    ('runs/s', 's', 'us', None)
    """
    m = re.fullmatch(r"(?:.*_)?([A-Za-z]+)_per_s", key)
    if m:
        return f"{m.group(1)}/s"
    if key == "seconds" or key.endswith("_seconds") or re.search(r"_seconds_", key):
        return "s"
    for unit in ("ms", "us", "ns", "s"):
        if key.endswith("_" + unit):
            return unit
    return None


def _scalar(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _is_ratio(key: str) -> bool:
    return key in ("ratio", "speedup") or key.startswith(("ratio_", "speedup_"))


def _reference_for(ratio_key: str | None, timed: dict) -> str | None:
    if ratio_key:
        m = re.search(r"_(?:vs|to)_([A-Za-z]+)", ratio_key)
        if m:
            word = m.group(1)
            for k in timed:
                if k.startswith(word + "_") or f"_{word}_" in k:
                    return k
    return next((k for k in timed if "reference" in k), None)


def summarize(name: str, result: dict) -> dict:
    """The table row of one benchmark result (values None where the result has no such entry).

    Parameters
    ----------
    name : str
        The benchmark's registry name.
    result : dict
        What the benchmark returned.

    Returns
    -------
    dict
        Keys :data:`COLUMNS`, ``target_unit`` (None for a ratio target) and ``keys``: which result keys
        filled measured, reference, ratio, target.

    Examples
    --------
    >>> s = summarize("t", {"T": 1000, "block_runs_per_s": 500.0, "per_step_runs_per_s": 5.0, "ratio": 100.0})
    >>> s["keys"]
    {'measured': 'block_runs_per_s', 'reference': 'per_step_runs_per_s', 'ratio': 'ratio', 'target': None}
    """
    if not isinstance(result, dict):
        raise TypeError(f"benchmark {name!r} must return a dict, got {type(result).__name__}")
    declared = result.get("table") if isinstance(result.get("table"), dict) else {}
    timed = {k: unit_of(k) for k, v in result.items() if _scalar(v) and unit_of(k)}
    measurable = [k for k in timed if not k.startswith(_NOT_MEASURED)]
    ratio = declared.get("ratio") or next((k for k, v in result.items() if _is_ratio(k) and _scalar(v)), None)
    reference = declared.get("reference") or _reference_for(ratio, {k: u for k, u in timed.items() if k in measurable})
    measured = declared.get("measured")
    if measured is None:
        pool = [k for k in measurable if k != reference]
        if reference is not None:
            pool = [k for k in pool if timed[k] == timed[reference]] or pool
        else:
            pool = [k for k in pool if k.endswith("_per_s")] or pool
        measured = pool[0] if pool else None
    if reference is None and ratio is not None and measured is not None and "table" not in result:
        reference = next((k for k in measurable if k != measured and timed[k] == timed[measured]), None)
    target = declared.get("target") or next((k for k, v in result.items() if k.startswith("target") and _scalar(v)),
                                            None)
    keys = {"measured": measured, "reference": reference, "ratio": ratio, "target": target}
    row = {c: (result.get(keys[c]) if keys.get(c) else None) for c in ("measured", "reference", "ratio", "target")}
    unit = declared.get("unit") or (unit_of(measured) if measured else None)
    target_unit = unit_of(target) if target else None
    return {"name": name, "measured": row["measured"], "unit": unit, "reference": row["reference"],
            "ratio": row["ratio"], "target": row["target"], "target_unit": target_unit, "keys": keys}


def _cell(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    return fmt_value(v) if _scalar(v) else str(v)


def format_table(rows: Sequence[dict]) -> str:
    """The aligned table of :func:`summarize` rows: a header, a rule and one line per benchmark.

    Parameters
    ----------
    rows : sequence of dict

    Returns
    -------
    str

    Examples
    --------
    >>> print(format_table([summarize("x", {"epoch_s": 0.25})]).splitlines()[-1])
    x         0.25  s               -      -       -
    """
    cells = []
    for r in rows:
        row = [str(r["name"])] + [_cell(r.get(c)) for c in COLUMNS[1:]]
        if r.get("target_unit") and row[-1] != "-":
            row[-1] += " " + r["target_unit"]
        cells.append(row)
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(COLUMNS)]
    widths[0] = max(widths[0], 8)
    widths[1] = max(widths[1], 8)
    align = ["<", ">", "<", ">", ">", ">"]

    def line(values):
        return "  ".join(f"{v:{a}{w}}" for v, a, w in zip(values, align, widths)).rstrip()

    header = line(COLUMNS)
    return "\n".join([header, "-" * len(header)] + [line(row) for row in cells])
