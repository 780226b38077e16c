"""The examples in the tallying docstrings run and give what they show."""

import doctest
import importlib

import pytest

MODULES = ["algorithms", "instances", "hard_instances", "exact", "bounds", "families", "tasks"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    mod = importlib.import_module(f"theorylab.bandits.tallying.{name}")
    result = doctest.testmod(mod, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
