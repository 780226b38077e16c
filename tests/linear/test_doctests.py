"""The examples in the linear topic's docstrings run and give the printed values."""

import doctest
import importlib

import pytest

MODULES = ["instances", "needles", "nets", "results", "sparsenet", "design", "probes", "linucb", "phased", "bounds", "draws", "kernels",
           "reference",
           "checks", "claims", "elimination", "tasks", "checks_regret", "checks_queries", "figure_queries",
           "figure_regret", "experiments"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    mod = importlib.import_module(f"theorylab.bandits.linear.{name}")
    result = doctest.testmod(mod, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
