"""Shared harness of the proofs checks.

Each ``proofs_checks/test_<topic>.py`` sets ``TOPIC`` and ``CLAIM_IDS`` (the tuple of that topic's
claim ids, pinned). Every such module runs every test of :mod:`claim_harness` (they are added to the
module here, so a harness test added later reaches every topic without editing its file; importing
them explicitly is harmless). A harness test that takes ``claim`` runs once per claim of ``TOPIC``;
the fixtures give the quick-size result as is and as broken by the claim's deliberate break.

The quick-size runs are the cost of these checks (one numba kernel call of 10-25 s for some causal
claims) and each is one serial computation, while CI has two cores. So the first fixture a module's test
asks for computes every quick-size result the module's *selected* tests need (as is, broken, at the
margin), one claim per task on ``PREFETCH_JOBS`` workers (:func:`theorylab.core.parallel.run_tasks`,
like ``theorylab report --claim-jobs``), and the tests read them back. A claim's numbers depend on its
seed only, so the results are those of the serial runs; the variants of one claim run in one task, in
order, so a claim's per-process caches (e.g. the full-graph learners of causal.graph_learning_savings,
which its break does not touch) serve its break as they did serially. An error of a claim is raised by
the tests that read that result, as if they had run it.
"""

import pytest

import claim_harness
from theorylab.core import registry

#: Workers of the quick-size prefetch (1: every result is computed serially when a test first asks for it).
PREFETCH_JOBS = 2

#: Fixture name -> the keyword overrides of ``claim.run("quick", seed=0, ...)`` it reads.
VARIANTS = {
    "quick_result": lambda claim: {},
    "broken_result": lambda claim: claim.breaks,
    "margin_result": lambda claim: claim.margin_break,
}

_RESULTS: dict = {}        # (claim id, fixture name) -> ClaimResult, or the exception its run raised
_PREFETCHED: set = set()   # modules whose selected tests' results were computed


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


def _wanted(session, module) -> list:
    """(claim, fixture names) of every claim the selected tests of ``module`` read a quick result of."""
    wanted: dict = {}
    for item in session.items:
        if getattr(item, "module", None) is not module or not hasattr(item, "callspec"):
            continue
        claim = item.callspec.params.get("claim")
        names = [n for n in VARIANTS if n in item.fixturenames]
        if claim is not None and names:
            entry = wanted.setdefault(claim.id, (claim, []))[1]
            entry.extend(n for n in names if n not in entry)
    return list(wanted.values())


def _prefetch(request) -> None:
    module = request.module
    if module in _PREFETCHED:
        return
    _PREFETCHED.add(module)
    jobs = [(claim, [(n, VARIANTS[n](claim)) for n in names]) for claim, names in _wanted(request.session, module)
            if any((claim.id, n) not in _RESULTS for n in names)]
    if PREFETCH_JOBS > 1 and len(jobs) > 1:
        from theorylab.core.parallel import run_tasks

        try:
            done = run_tasks(claim_harness.run_quick_variants, jobs, PREFETCH_JOBS)
        except Exception:  # noqa: BLE001 - e.g. a result that cannot be pickled: the tests run them one by one
            return
        for (claim, variants), results in zip(jobs, done):
            _RESULTS.update({(claim.id, name): r for (name, _), r in zip(variants, results)})


def _result(request, claim, name: str):
    _prefetch(request)
    key = (claim.id, name)
    if key not in _RESULTS:  # not prefetched (serial, or a test outside the selection): run it here
        _RESULTS[key] = claim_harness.run_quick_variants(claim, [(name, VARIANTS[name](claim))])[0]
    result = _RESULTS[key]
    if isinstance(result, BaseException):
        raise result
    return result


@pytest.fixture
def quick_result(claim, request):
    """The claim at quick size, seed 0 (run once per session, shared by the tests that read it)."""
    return _result(request, claim, "quick_result")


@pytest.fixture
def broken_result(claim, request):
    """The claim at quick size, seed 0, with its deliberate break at ``Break.value``."""
    return _result(request, claim, "broken_result")


@pytest.fixture
def margin_result(claim, request):
    """The claim at quick size, seed 0, with its deliberate break at the recorded ``Break.margin``."""
    return _result(request, claim, "margin_result")


@pytest.fixture
def quick_result_of(request):
    """``quick_result_of(claim_id)``: the session's quick-size result of any claim (for a module's own tests)."""
    def get(claim_id: str):
        (claim,) = registry.find_claim(claim_id)
        return _result(request, claim, "quick_result")
    return get
