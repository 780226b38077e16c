"""The Examples of the causal modules run and give what they show."""

import doctest
import importlib

import pytest

MODULES = ["instances", "learning", "bounds", "algorithms", "golem_ops", "golem", "checks_bounds"]


@pytest.mark.parametrize("name", MODULES)
def test_examples(name):
    mod = importlib.import_module(f"theorylab.bandits.causal.{name}")
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0, result
