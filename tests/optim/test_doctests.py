"""The examples in the halpern topic's bounds, PEP and claims docstrings run and give the shown output."""

import doctest
import importlib

import pytest

MODULES = ["bounds", "pep", "claims"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    mod = importlib.import_module(f"theorylab.optim.{name}")
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0
