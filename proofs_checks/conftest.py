"""Shared harness of the proofs checks.

Each ``proofs_checks/test_<topic>.py`` sets ``TOPIC`` and ``CLAIM_IDS`` (the tuple of that topic's
claim ids, pinned). Every such module runs every test of :mod:`claim_harness` (they are added to the
module here, so a harness test added later reaches every topic without editing its file; importing
them explicitly is harmless). A harness test that takes ``claim`` runs once per claim of ``TOPIC``;
the fixtures give the quick-size result as is and as broken by the claim's deliberate break.
"""

import pytest

import claim_harness
from theorylab.core import registry

_QUICK_RESULTS: dict = {}


class TopicModule(pytest.Module):
    """A proofs-check module: when it sets ``TOPIC``, every harness test is collected in it."""

    def collect(self):
        mod = self.obj
        if hasattr(mod, "TOPIC"):
            for name in claim_harness.HARNESS_TESTS:
                if not hasattr(mod, name):
                    setattr(mod, name, getattr(claim_harness, name))
        return super().collect()


def pytest_pycollect_makemodule(module_path, parent):
    if module_path.name.startswith("test_") and module_path.suffix == ".py":
        return TopicModule.from_parent(parent, path=module_path)
    return None


def pytest_generate_tests(metafunc):
    if "claim" in metafunc.fixturenames:
        claims = registry.claims(metafunc.module.TOPIC)
        metafunc.parametrize("claim", claims, ids=[c.id for c in claims])


@pytest.fixture
def quick_result(claim):
    """The claim at quick size, seed 0 (run once per session, shared by the tests that read it)."""
    if claim.id not in _QUICK_RESULTS:
        _QUICK_RESULTS[claim.id] = claim.run("quick", seed=0)
    return _QUICK_RESULTS[claim.id]


@pytest.fixture
def broken_result(claim):
    """The claim at quick size, seed 0, with its deliberate break at ``Break.value``."""
    return claim.run("quick", seed=0, **claim.breaks)


@pytest.fixture
def margin_result(claim):
    """The claim at quick size, seed 0, with its deliberate break at the recorded ``Break.margin``."""
    return claim.run("quick", seed=0, **claim.margin_break)
