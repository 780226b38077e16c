"""Where each topic lives and what it offers (claims, figures, sweep tasks, benchmarks).

A topic is a package with the rooms of DESIGN.md. The registry imports a room only when asked,
so ``theorylab list`` stays fast and a broken topic does not break the others.
Each room exposes one module-level name:

- ``claims.CLAIMS``: list of :class:`theorylab.core.claims.Claim`
- ``experiments.FIGURES``: list of :class:`theorylab.core.figures.Figure`
- ``experiments.SWEEP_TASKS``: dict ``name ->`` :class:`theorylab.core.sweep.SweepTask` (with its
  parameter schema; its ``name`` is ``<topic>.<name>``, the key of its seeds)
- ``bench.BENCHMARKS``: dict ``name -> callable(**kw) -> dict``
- package ``__init__``: ``ALGORITHMS`` and ``INSTANCES``, dicts ``name -> one-line description``
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["TOPICS", "PLANNED", "topic_names", "room", "claims", "figures", "sweep_tasks", "benchmarks",
           "find_claim", "find_figure", "catalogue"]

TOPICS: dict[str, str] = {
    "classic": "theorylab.bandits",
    "dp_bai": "theorylab.bandits.dp_bai",
    "halpern": "theorylab.optim",
    "games": "theorylab.games",
    "linear": "theorylab.bandits.linear",
    "tallying": "theorylab.bandits.tallying",
    "causal": "theorylab.bandits.causal",
}
PLANNED: dict[str, str] = {
}


def topic_names(available_only: bool = True) -> list[str]:
    """Topic names in CLI order; with ``available_only`` only those whose package imports.

    Parameters
    ----------
    available_only : bool
        Only topics whose package imports.

    Returns
    -------
    list of str
        Topic names in CLI order.
    """
    names = list(TOPICS)
    if not available_only:
        return names + list(PLANNED)
    return [n for n in names if _package(n) is not None]


def _package(topic: str) -> ModuleType | None:
    if topic not in TOPICS:
        if topic in PLANNED:
            raise ValueError(f"topic {topic!r} is planned but not implemented yet; available: {topic_names()}")
        raise ValueError(f"unknown topic {topic!r}; expected one of {list(TOPICS)}")
    try:
        return importlib.import_module(TOPICS[topic])
    except ModuleNotFoundError as exc:
        if exc.name and TOPICS[topic].startswith(exc.name):
            return None
        raise


def room(topic: str, name: str) -> ModuleType | None:
    """Import ``<topic package>.<name>`` or return None if the topic has no such room yet.

    Parameters
    ----------
    topic : str
        Topic name.
    name : str
        Module name inside the topic package (``claims``, ``experiments``, ...).

    Returns
    -------
    module or None
        The imported module, or None if the topic has no such module.
    """
    if _package(topic) is None:
        return None
    full = f"{TOPICS[topic]}.{name}"
    try:
        return importlib.import_module(full)
    except ModuleNotFoundError as exc:
        if exc.name == full:
            return None
        raise


def _collect(attr: str, room_name: str, topic: str | None, default):
    topics = [topic] if topic else topic_names()
    out = {} if isinstance(default, dict) else []
    for t in topics:
        mod = room(t, room_name)
        value = getattr(mod, attr, default) if mod is not None else default
        out.update(value) if isinstance(out, dict) else out.extend(value)
    return out


def claims(topic: str | None = None) -> list:
    """All claims of ``topic`` (or of every available topic).

    Parameters
    ----------
    topic : str, optional
        A topic name (default: every available topic).

    Returns
    -------
    list of Claim
        The claims, in declaration order.
    """
    return _collect("CLAIMS", "claims", topic, [])


def figures(topic: str | None = None) -> list:
    """All figures of ``topic`` (or of every available topic).

    Parameters
    ----------
    topic : str, optional
        A topic name (default: every available topic).

    Returns
    -------
    list of Figure
        The figures, in declaration order.
    """
    return _collect("FIGURES", "experiments", topic, [])


def sweep_tasks(topic: str | None = None) -> dict:
    """Sweep task functions, keyed ``<topic>.<name>``.

    Parameters
    ----------
    topic : str, optional
        A topic name (default: every available topic).

    Returns
    -------
    dict
        ``<topic>.<name>`` -> SweepTask.
    """
    import dataclasses

    topics = [topic] if topic else topic_names()
    out = {}
    for t in topics:
        mod = room(t, "experiments")
        for name, task in (getattr(mod, "SWEEP_TASKS", {}) if mod else {}).items():
            full = f"{t}.{name}"
            if getattr(task, "name", full) != full:  # a task without its own name gets its registry key
                task = dataclasses.replace(task, name=full)
            out[full] = task
    return out


def benchmarks(topic: str | None = None) -> dict:
    """Benchmarks, keyed by their short name (unique across topics).

    Parameters
    ----------
    topic : str, optional
        A topic name (default: every available topic).

    Returns
    -------
    dict
        Short name -> benchmark function.
    """
    return _collect("BENCHMARKS", "bench", topic, {})


def find_claim(name: str) -> list:
    """Claims whose id equals ``name`` or starts with ``name + '.'``.

    Parameters
    ----------
    name : str
        A claim id, or a prefix ending at a dot boundary (``games`` or ``games.reduction_bound``).

    Returns
    -------
    list of Claim
        The matching claims; ValueError naming the topic's list command if none.
    """
    topic = name.split(".", 1)[0]
    found = [c for c in claims(topic) if c.id == name or c.id.startswith(name + ".")]
    if not found:
        raise ValueError(f"no claim named {name!r}; run `theorylab list {topic}` to see the claims")
    return found


def find_figure(name: str) -> list:
    """Figures whose id equals ``name`` or starts with ``name + '.'``.

    Parameters
    ----------
    name : str
        A figure id or a prefix ending at a dot boundary.

    Returns
    -------
    list of Figure
        The matching figures; ValueError if none.
    """
    topic = name.split(".", 1)[0]
    found = [f for f in figures(topic) if f.id == name or f.id.startswith(name + ".")]
    if not found:
        raise ValueError(f"no figure named {name!r}; run `theorylab list {topic}` to see the figures")
    return found


def catalogue(topic: str) -> dict:
    """Everything a topic offers, for ``theorylab list``.

    Parameters
    ----------
    topic : str
        Topic name.

    Returns
    -------
    dict
        Algorithms, instances, claims, figures, sweep tasks and benchmarks with their one-line descriptions.
    """
    pkg = _package(topic)
    return {
        "algorithms": dict(getattr(pkg, "ALGORITHMS", {})),
        "instances": dict(getattr(pkg, "INSTANCES", {})),
        "claims": [(c.id, f"{c.paper}, {c.theorem} [{c.tag}]") for c in claims(topic)],
        "figures": [(f.id, f"{f.title} [{f.tag}]") for f in figures(topic)],
        "sweep_tasks": sorted(sweep_tasks(topic)),
        "sweep_params": {k: t.schema.describe() for k, t in sorted(sweep_tasks(topic).items())},
        "benchmarks": sorted(benchmarks(topic)),
    }
