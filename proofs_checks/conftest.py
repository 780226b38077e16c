"""Shared harness of the proofs checks: each topic file sets ``TOPIC``; every test that takes ``claim``
runs once per claim of that topic, and the fixtures give the quick-size result as is and as broken by
the claim's documented ``breaks``."""

import pytest

from theorylab.core import registry


def pytest_generate_tests(metafunc):
    if "claim" in metafunc.fixturenames:
        claims = registry.claims(metafunc.module.TOPIC)
        metafunc.parametrize("claim", claims, ids=[c.id for c in claims])


@pytest.fixture
def quick_result(claim):
    """The claim at quick size, seed 0."""
    return claim.run("quick", seed=0)


@pytest.fixture
def broken_result(claim):
    """The claim at quick size, seed 0, with its deliberate break applied (every claim must have one)."""
    assert claim.breaks, f"{claim.id} documents no break"
    return claim.run("quick", seed=0, **claim.breaks)
