"""The proofs-check harness (proofs_checks/conftest.py + claim_harness.py), run on fixture topics.

Each test copies the harness into a temporary ``proofs_checks/`` beside topic files that register a
fixture topic, runs pytest on it in a subprocess and reads the per-test outcomes from its JUnit XML.
"""

import os
import shutil
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEMO_IDS = ("demo.mean_upper", "demo.error_probability",
            "demo.power_law_exponent_of_a_deliberately_long_claim_identifier", "demo.lower_bound",
            "demo.odd_sum_identity")

WEAK_CLAIMS = '''
from theorylab.core.claims import Break, Claim, Evidence


def eval_inert(size="quick", n_jobs=1, seed=0, factor=1.0):
    # the "break" multiplies nothing the verdict reads
    return Evidence(0.5, 0.4, 0.6, 1.0, 10, "upper")


def eval_loose(size="quick", n_jobs=1, seed=0, factor=1.0):
    m = 0.01 * factor
    return Evidence(m, m - 0.005, m + 0.005, 1.0, 10, "upper")


def eval_thin_margin(size="quick", n_jobs=1, seed=0, factor=1.0):
    m = 0.5 * factor
    return Evidence(m, m - 0.1, m + 0.1, 1.0, 10, "upper")


def _break(margin=5.0):
    return Break("factor", 1000.0, "the measured value, times f", "algorithm", "f; production 1; stronger = larger",
                 margin, "made up")


CLAIMS = [
    Claim("weak.inert_break", "T", "1", "x <= 1", "upper", eval_inert, calibration="none: toy",
          deliberate_break=_break()),
    Claim("weak.loose_bound", "T", "2", "x <= 1", "upper", eval_loose, calibration="none: toy",
          deliberate_break=_break(200.0)),
    Claim("weak.loose_but_says_sanity", "T", "3", "x <= 1", "sanity", eval_loose, calibration="none: toy",
          deliberate_break=_break(200.0)),
    Claim("weak.margin_too_weak", "T", "4", "x <= 1", "upper", eval_thin_margin, calibration="none: toy",
          deliberate_break=_break(1.5)),
]
'''


def _topic_file(topic, package, ids):
    return textwrap.dedent(f'''
        """Proofs checks of the fixture topic {topic!r}: no explicit harness imports (the conftest adds them)."""
        from theorylab.core import registry

        registry.TOPICS.setdefault({topic!r}, {package!r})
        TOPIC = {topic!r}
        CLAIM_IDS = {tuple(ids)!r}
    ''')


def run_harness(root, files, *args):
    pc = root / "proofs_checks"
    pc.mkdir()
    for name in ("conftest.py", "claim_harness.py"):
        shutil.copy(ROOT / "proofs_checks" / name, pc / name)
    for name, text in files.items():
        path = pc / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (root / "pytest.ini").write_text("[pytest]\nmarkers =\n    slow: slow\naddopts = -p no:cacheprovider\n")
    xml = root / "out.xml"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(pc)]))
    res = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", f"--junitxml={xml}",
                          str(pc), *args], cwd=root, capture_output=True, text=True, env=env)
    outcomes = {}
    for case in ET.parse(xml).getroot().iter("testcase"):
        kids = [k for k in case if k.tag in ("failure", "error", "skipped")]
        module = case.get("classname").rsplit(".", 1)[-1]
        outcomes[module, case.get("name")] = (kids[0].tag if kids else "passed",
                                              kids[0].get("message", "") if kids else "")
    return res, outcomes


@pytest.fixture(scope="module")
def harness(tmp_path_factory):
    """One pytest run (slow tests included: the fixture claims take milliseconds) over four topic files."""
    weak_ids = ("weak.inert_break", "weak.loose_bound", "weak.loose_but_says_sanity", "weak.margin_too_weak")
    files = {
        "test_demo.py": _topic_file("demo", "tests.demo_topic", DEMO_IDS),
        "test_demo_changed.py": _topic_file("demo", "tests.demo_topic", DEMO_IDS[1:] + ("demo.retired_claim",)),
        "test_demo_unpinned.py": _topic_file("demo", "tests.demo_topic", DEMO_IDS).replace("CLAIM_IDS = ", "_X = "),
        "weak_topic/__init__.py": "", "weak_topic/claims.py": WEAK_CLAIMS,
        "test_weak.py": _topic_file("weak", "weak_topic", weak_ids),
    }
    return run_harness(tmp_path_factory.mktemp("harness"), files, "-m", "slow or not slow")


def test_harness_passes_a_sound_topic_and_adds_every_harness_test(harness):
    res, out = harness
    assert res.returncode == 1  # the unsound files below fail
    demo = {name: v for (mod, name), v in out.items() if mod == "test_demo"}
    assert demo["test_claim_ids_are_pinned"][0] == "passed"
    for cid in DEMO_IDS:
        for test in ("test_claim_holds_at_quick_size", "test_claim_is_violated_when_deliberately_broken",
                     "test_loose_claim_says_sanity", "test_claim_belongs_to_its_topic",
                     "test_claim_is_violated_at_its_break_margin", "test_claim_holds_at_full_size"):
            assert demo[f"{test}[{cid}]"] == ("passed", ""), (test, cid, demo.get(f"{test}[{cid}]"))
    assert all(status == "passed" for status, _ in demo.values())


def test_removing_or_adding_a_claim_fails_until_claim_ids_change(harness):
    status, message = harness[1]["test_demo_changed", "test_claim_ids_are_pinned"]
    assert status == "failure"
    assert "removed ['demo.retired_claim']" in message and "added ['demo.mean_upper']" in message
    assert "change CLAIM_IDS in proofs_checks/test_demo_changed.py" in message and "reason" in message


def test_missing_claim_ids_fails(harness):
    status, message = harness[1]["test_demo_unpinned", "test_claim_ids_are_pinned"]
    assert status == "failure" and "must define CLAIM_IDS" in message


def test_harness_catches_an_inert_break_a_loose_bound_and_a_wrong_margin(harness):
    out = {name: v[0] for (mod, name), v in harness[1].items() if mod == "test_weak"}
    assert out["test_claim_ids_are_pinned"] == "passed"
    assert out["test_claim_is_violated_when_deliberately_broken[weak.inert_break]"] == "failure"
    assert out["test_claim_is_violated_when_deliberately_broken[weak.loose_bound]"] == "passed"
    assert out["test_loose_claim_says_sanity[weak.loose_bound]"] == "failure"
    assert "sanity" in harness[1]["test_weak", "test_loose_claim_says_sanity[weak.loose_bound]"][1]
    assert out["test_loose_claim_says_sanity[weak.loose_but_says_sanity]"] == "passed"
    assert out["test_loose_claim_says_sanity[weak.inert_break]"] == "passed"
    assert out["test_claim_is_violated_at_its_break_margin[weak.margin_too_weak]"] == "failure"
    assert out["test_claim_is_violated_at_its_break_margin[weak.loose_bound]"] == "passed"


def test_ci_configuration_runs_every_doctest_and_the_pepit_cross_check():
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10: the tomli dependency
        import tomli as tomllib

    conf = tomllib.loads((ROOT / "pyproject.toml").read_text())
    ini = conf["tool"]["pytest"]["ini_options"]
    assert "theorylab" in ini["testpaths"] and "proofs_checks" in ini["testpaths"]
    assert "--doctest-modules" in ini["addopts"].split()
    assert any(dep.lower().startswith("pepit") for dep in conf["project"]["optional-dependencies"]["test"])
