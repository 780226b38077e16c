"""The examples in the games docstrings run and give the shown output."""

import doctest
import importlib

import pytest

MODULES = ["normal_form", "equilibria", "learners", "markov", "markov_cce", "sparse_cce", "bounds", "vlearning", "claims"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    mod = importlib.import_module(f"theorylab.games.{name}")
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
