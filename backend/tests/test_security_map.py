"""docs/SECURITY.md is the list of security rules and the drill guarding each: every finding has its
section, every section names at least one drill, and every drill it names exists."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "SECURITY.md"
FINDINGS = 16
DRILL_FILE = re.compile(r"`(backend/tests/drills/[\w/]+\.py)(?:::\w+)?`")
TEST = re.compile(r"`(?:[\w/.]*::)?(test_\w+)(?:\[[^`]*\])?`")
# where a named test may live besides the drills: the API's other tests and the infra checks
TEST_SOURCES = (ROOT / "backend" / "tests", ROOT / ".ci" / "infra" / "tests")


def _sections() -> dict[int, str]:
    parts = re.split(r"^<!-- finding (\d+) -->$", DOC.read_text(), flags=re.M)
    return {int(number): body for number, body in zip(parts[1::2], parts[2::2])}


def test_every_finding_has_a_written_section():
    sections = _sections()
    assert sorted(sections) == list(range(1, FINDINGS + 1))
    unwritten = [n for n, body in sections.items() if "_To be written._" in body or "**Rule.**" not in body]
    assert not unwritten, f"sections without their rule: {unwritten}"


@pytest.mark.parametrize("number", range(1, FINDINGS + 1))
def test_each_rule_names_drills_that_exist(number):
    """A section names its drill modules and the tests in them that guard the rule."""
    section = _sections()[number]
    files = sorted(set(DRILL_FILE.findall(section)))
    assert files, f"section {number} names no drill module"
    missing = [path for path in files if not (ROOT / path).is_file()]
    assert not missing, f"section {number} names drill modules that do not exist: {missing}"
    tests = set(TEST.findall(section))
    assert tests, f"section {number} names no test"
    sources = "\n".join(path.read_text() for base in TEST_SOURCES for path in base.rglob("test_*.py"))
    unknown = [name for name in sorted(tests) if not re.search(rf"^def {name}\(", sources, re.M)]
    assert not unknown, f"section {number} names tests that do not exist: {unknown}"
