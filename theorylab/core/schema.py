"""Declarative parameter schemas of sweep tasks: one table per task, used for validation, seeds,
the manifest and ``theorylab list``.

A :class:`Schema` maps each parameter name to a :class:`Field` (its kind, range, default and a
one-line description). :meth:`Schema.clean` refuses unknown keys, missing required keys, wrong types
(``"no"`` for a bool, ``0.5`` for an int) and out-of-range values with one line naming the field,
and returns the *canonical* parameters: integral floats given for an int become ints, ints given for
a real become floats, the TOML float ``inf`` given for an "or inf" field becomes the string ``"inf"``.
Seeds are derived from the canonical parameters with the defaults filled in (:meth:`Schema.seed_params`),
so ``horizon = 1000`` and ``horizon = 1000.0`` draw the same numbers.

Example
-------
>>> s = Schema({"horizon": Int("rounds T", minimum=1), "fast": Bool("fast path", default=True)})
>>> s.clean({"horizon": 1000.0})
{'horizon': 1000}
>>> s.seed_params({"horizon": 1000})
{'fast': True, 'horizon': 1000}
>>> s.clean({"fast": "no", "horizon": 3})
Traceback (most recent call last):
...
TypeError: parameter 'fast' must be true or false, got 'no' of type str
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np

__all__ = ["Field", "Schema", "Int", "Real", "Bool", "Choice", "Text", "IntList", "RealList", "RealMatrix",
           "RealOrInf", "REQUIRED"]


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED = _Required()


def _show(value) -> str:
    text = " ".join(repr(value).split())  # one line, whatever the value
    return text if len(text) <= 60 else text[:57] + "..."


def _bound_text(f: "Field") -> str:
    parts = []
    if f.minimum is not None:
        parts.append(f"{'>' if f.strict_min else '>='} {f.minimum:g}")
    if f.maximum is not None:
        parts.append(f"{'<' if f.strict_max else '<='} {f.maximum:g}")
    return " and ".join(parts)


@dataclass(frozen=True)
class Field:
    """One parameter of a sweep task.

    Parameters
    ----------
    kind : {"int", "real", "bool", "choice", "text", "int_list", "real_list", "real_matrix", "real_or_inf"}
    doc : str
        One-line description (shown by ``theorylab list``).
    default : object
        The value used when the key is absent; :data:`REQUIRED` for a mandatory key; ``None`` for an
        optional key without a default (absent means "the task's own rule").
    minimum, maximum : float, optional
        Range of the value (of every entry for lists); ``strict_min`` / ``strict_max`` make it open.
    choices : tuple of str, optional
        The allowed names (kind ``choice``).
    min_len, max_len : int
        Length range of a list.
    """

    kind: str
    doc: str
    default: Any = None
    minimum: float | None = None
    maximum: float | None = None
    strict_min: bool = False
    strict_max: bool = False
    choices: tuple = ()
    min_len: int = 1
    max_len: int | None = None
    increasing: bool = False

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    # ----------------------------------------------------------------- one value
    def _number(self, name: str, value, integer: bool):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
            want = "an integer" if integer else "a real number"
            raise TypeError(f"parameter '{name}' must be {want}, got {_show(value)} of type {type(value).__name__}")
        if integer:
            if not isinstance(value, numbers.Integral):
                if not (math.isfinite(float(value)) and float(value).is_integer()):
                    raise TypeError(f"parameter '{name}' must be an integer, got {_show(value)}")
                value = int(value)
            value = int(value)
        else:
            value = float(value)
            if not math.isfinite(value):
                raise ValueError(f"parameter '{name}' must be finite, got {value}")
        lo, hi = self.minimum, self.maximum
        if (lo is not None and (value < lo or (self.strict_min and value == lo))) or \
                (hi is not None and (value > hi or (self.strict_max and value == hi))):
            raise ValueError(f"parameter '{name}' must be {_bound_text(self)}, got {value}")
        return value

    def clean(self, name: str, value):
        """The canonical form of ``value``; raises TypeError/ValueError naming ``name``."""
        kind = self.kind
        if kind == "int":
            return self._number(name, value, True)
        if kind == "real":
            return self._number(name, value, False)
        if kind == "bool":
            if not isinstance(value, (bool, np.bool_)):
                raise TypeError(f"parameter '{name}' must be true or false, got {_show(value)} of type "
                                f"{type(value).__name__}")
            return bool(value)
        if kind in ("choice", "text"):
            if not isinstance(value, str):
                raise TypeError(f"parameter '{name}' must be a string, got {_show(value)} of type {type(value).__name__}")
            if kind == "choice" and value not in self.choices:
                raise ValueError(f"parameter '{name}' must be one of {list(self.choices)}, got {_show(value)}")
            return value
        if kind == "real_or_inf":
            if isinstance(value, str):
                if value.lower() in ("inf", "infinity"):
                    return "inf"
                raise ValueError(f"parameter '{name}' must be a positive number or 'inf', got {_show(value)}")
            if isinstance(value, (float, np.floating)) and math.isinf(value) and value > 0:
                return "inf"
            return self._number(name, value, False)
        if kind in ("int_list", "real_list"):
            return self._list(name, value, kind == "int_list")
        if kind == "real_matrix":
            rows = self._sequence(name, value)
            out = [Field("real_list", self.doc, minimum=self.minimum, maximum=self.maximum)._list(f"{name}[{i}]", r, False)
                   for i, r in enumerate(rows)]
            if len({len(r) for r in out}) > 1:
                raise ValueError(f"parameter '{name}' must be a rectangular matrix, got rows of lengths "
                                 f"{sorted({len(r) for r in out})}")
            return out
        raise ValueError(f"unknown field kind {kind!r}")  # pragma: no cover - schema authoring error

    def _sequence(self, name: str, value) -> list:
        if isinstance(value, np.ndarray):
            value = value.tolist()
        if not isinstance(value, (list, tuple)):
            raise TypeError(f"parameter '{name}' must be a list, got {_show(value)} of type {type(value).__name__}")
        if len(value) < self.min_len or (self.max_len is not None and len(value) > self.max_len):
            hi = "" if self.max_len is None else f" and at most {self.max_len}"
            raise ValueError(f"parameter '{name}' must have at least {self.min_len}{hi} entries, got {len(value)}")
        return list(value)

    def _list(self, name: str, value, integer: bool) -> list:
        items = self._sequence(name, value)
        out = [self._number(f"{name}[{k}]", v, integer) for k, v in enumerate(items)]
        if self.increasing and any(b <= a for a, b in zip(out, out[1:])):
            raise ValueError(f"parameter '{name}' must be strictly increasing, got {_show(out)}")
        return out

    def describe(self) -> str:
        """``kind, range, default: doc`` on one line."""
        kind = {"real_or_inf": "real or 'inf'", "choice": "one of " + "|".join(self.choices)}.get(self.kind, self.kind)
        rng = _bound_text(self)
        if self.kind.endswith("_list"):
            rng = (f"entries {rng}" if rng else "") + (", increasing" if self.increasing else "")
        dflt = "required" if self.required else ("optional" if self.default is None else f"default {self.default!r}")
        return ", ".join(p for p in (kind, rng, dflt) if p) + f": {self.doc}"


def Int(doc: str, default=REQUIRED, minimum=None, maximum=None) -> Field:
    """An integer field (integral floats are accepted and canonicalised to int).

    Parameters
    ----------
    doc : str
        One-line description (shown by ``theorylab list``).
    default : object
        Default value (``REQUIRED``: the parameter must be given).
    minimum, maximum : number, optional
        Inclusive bounds.

    Returns
    -------
    Field
        The field, for a task's :class:`Schema`.
    """
    return Field("int", doc, default, minimum, maximum)


def Real(doc: str, default=REQUIRED, minimum=None, maximum=None, strict_min=False, strict_max=False) -> Field:
    """A finite real field.

    Parameters
    ----------
    doc : str
        One-line description (shown by ``theorylab list``).
    default : object
        Default value (``REQUIRED``: the parameter must be given).
    minimum, maximum : number, optional
        Inclusive bounds.
    strict_min, strict_max : bool
        Open instead of closed ends.

    Returns
    -------
    Field
        The field, for a task's :class:`Schema`.
    """
    return Field("real", doc, default, minimum, maximum, strict_min, strict_max)


def RealOrInf(doc: str, default=REQUIRED, minimum=0.0, strict_min=True) -> Field:
    """A positive real or the string ``"inf"`` (TOML ``inf`` is accepted and stored as ``"inf"``).

    Parameters
    ----------
    doc : str
        One-line description (shown by ``theorylab list``).
    default : object
        Default value (``REQUIRED``: the parameter must be given).
    minimum : float
        Lower bound.
    strict_min : bool
        Open lower end.

    Returns
    -------
    Field
        The field, for a task's :class:`Schema`.
    """
    return Field("real_or_inf", doc, default, minimum, None, strict_min)


def Bool(doc: str, default=REQUIRED) -> Field:
    """``true`` or ``false`` only (never a string).

    Parameters
    ----------
    doc : str
        One-line description (shown by ``theorylab list``).
    default : object
        Default value (``REQUIRED``: the parameter must be given).

    Returns
    -------
    Field
        The field, for a task's :class:`Schema`.
    """
    return Field("bool", doc, default)


def Choice(doc: str, choices, default=REQUIRED) -> Field:
    """One name out of ``choices``.

    Parameters
    ----------
    doc : str
        One-line description (shown by ``theorylab list``).
    choices : sequence of str
        Allowed names.
    default : object
        Default value (``REQUIRED``: the parameter must be given).

    Returns
    -------
    Field
        The field, for a task's :class:`Schema`.
    """
    return Field("choice", doc, default, choices=tuple(choices))


def Text(doc: str, default=REQUIRED) -> Field:
    """A free string (validated by the task, e.g. an instance name).

    Parameters
    ----------
    doc : str
        One-line description (shown by ``theorylab list``).
    default : object
        Default value (``REQUIRED``: the parameter must be given).

    Returns
    -------
    Field
        The field, for a task's :class:`Schema`.
    """
    return Field("text", doc, default)


def IntList(doc: str, default=REQUIRED, minimum=None, maximum=None, min_len=1, max_len=None, increasing=False) -> Field:
    """A non-empty list of integers.

    Parameters
    ----------
    doc : str
        One-line description (shown by ``theorylab list``).
    default : object
        Default value (``REQUIRED``: the parameter must be given).
    minimum, maximum : number, optional
        Inclusive bounds.
    min_len, max_len : int
        Length bounds.
    increasing : bool
        Require strictly increasing entries.

    Returns
    -------
    Field
        The field, for a task's :class:`Schema`.
    """
    return Field("int_list", doc, default, minimum, maximum, min_len=min_len, max_len=max_len, increasing=increasing)


def RealList(doc: str, default=REQUIRED, minimum=None, maximum=None, min_len=1, max_len=None) -> Field:
    """A non-empty list of finite reals.

    Parameters
    ----------
    doc : str
        One-line description (shown by ``theorylab list``).
    default : object
        Default value (``REQUIRED``: the parameter must be given).
    minimum, maximum : number, optional
        Inclusive bounds.
    min_len, max_len : int
        Length bounds.

    Returns
    -------
    Field
        The field, for a task's :class:`Schema`.
    """
    return Field("real_list", doc, default, minimum, maximum, min_len=min_len, max_len=max_len)


def RealMatrix(doc: str, default=REQUIRED, minimum=None, maximum=None, min_len=1, max_len=None) -> Field:
    """A rectangular list of lists of finite reals.

    Parameters
    ----------
    doc : str
        One-line description (shown by ``theorylab list``).
    default : object
        Default value (``REQUIRED``: the parameter must be given).
    minimum, maximum : number, optional
        Inclusive bounds.
    min_len, max_len : int
        Length bounds.

    Returns
    -------
    Field
        The field, for a task's :class:`Schema`.
    """
    return Field("real_matrix", doc, default, minimum, maximum, min_len=min_len, max_len=max_len)


@dataclass(frozen=True)
class Schema:
    """The parameters of one sweep task: ``{name: Field}``.

    Parameters
    ----------
    fields : mapping of str to Field
        The task's parameters by name.
    """

    fields: Mapping[str, Field] = field(default_factory=dict)

    def clean(self, params: Mapping) -> dict:
        """Canonical copy of ``params`` (same keys, cleaned values); refuses unknown/missing/bad keys."""
        if not isinstance(params, Mapping):
            raise TypeError(f"task parameters must be a table, got {type(params).__name__}")
        unknown = sorted(str(k) for k in params if k not in self.fields)
        if unknown:
            raise ValueError(f"unknown parameter '{unknown[0]}'; expected some of {sorted(self.fields)}")
        missing = [k for k, f in self.fields.items() if f.required and k not in params]
        if missing:
            raise ValueError(f"parameter '{missing[0]}' is required ({self.fields[missing[0]].doc})")
        return {k: self.fields[k].clean(k, v) for k, v in params.items()}

    def seed_params(self, clean: Mapping) -> dict:
        """``clean`` with every default filled in: the identity of a cell for its seeds."""
        out = {k: f.default for k, f in self.fields.items() if not f.required and f.default is not None}
        out.update(clean)
        return out

    def describe(self) -> list[tuple[str, str]]:
        """``[(name, one-line description)]`` in declaration order."""
        return [(k, f.describe()) for k, f in self.fields.items()]

    def as_dict(self) -> dict:
        """JSON-able form for the manifest."""
        return {k: f.describe() for k, f in self.fields.items()}
