"""ARCHITECTURE.md is the newcomer's map: every file, folder and test it names must exist, so a
rename that forgets the map fails here instead of misleading the next reader. And no file cites
design notes kept outside the repository: the repository's documents stand alone."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAP = ROOT / "ARCHITECTURE.md"
# where a path in the map may start: the repository, the API package, its tests, the SPA's sources
BASES = (ROOT, ROOT / "backend", ROOT / "backend" / "ims", ROOT / "backend" / "tests", ROOT / "frontend",
         ROOT / "frontend" / "src", ROOT / "frontend" / "e2e")
SEARCHED = (ROOT / "backend" / "ims", ROOT / "backend" / "tests", ROOT / "frontend" / "src", ROOT / "frontend" / "e2e")
FILE = re.compile(r"^[\w./-]+\.(py|ts|tsx|md)$")
FOLDER = re.compile(r"^[\w./-]+/$")
TEST_NAME = re.compile(r"^test_\w+$")

NAMED = sorted({token for token in re.findall(r"`([^`\n]+)`", MAP.read_text())})


def _located(path: str) -> Path | None:
    return next((base / path for base in BASES if (base / path).exists()), None)


def _anywhere(name: str) -> bool:
    return any(True for base in SEARCHED for _ in base.rglob(name))


def _test_sources() -> str:
    return "\n".join(path.read_text() for path in (ROOT / "backend" / "tests").rglob("test_*.py"))


@pytest.mark.parametrize("token", [t for t in NAMED if FILE.match(t.split("::")[0]) or FOLDER.match(t)])
def test_every_file_and_folder_the_map_names_exists(token):
    path, _, test = token.partition("::")
    if "/" in path.rstrip("/"):
        found = _located(path)
        assert found is not None, f"ARCHITECTURE.md names {path}, which is not in the repository"
        if test:
            assert re.search(rf"^def {test}\(", found.read_text(), re.M), f"{found} has no test {test}"
    else:
        assert _located(path) or _anywhere(path.rstrip("/")), f"ARCHITECTURE.md names {path}, which is nowhere"


@pytest.mark.parametrize("name", [t for t in NAMED if TEST_NAME.match(t)])
def test_every_test_the_map_names_exists(name):
    assert re.search(rf"^def {name}\(", _test_sources(), re.M), f"ARCHITECTURE.md names {name}, no test has that name"


def test_the_map_names_files_and_tests():
    """The checks above read something: a map whose names stopped matching the patterns would pass empty."""
    assert sum(1 for t in NAMED if FILE.match(t.split("::")[0])) > 40
    assert sum(1 for t in NAMED if TEST_NAME.match(t)) >= 3


# The design notes kept outside the repository, cited by section or file name: no reader of it can follow one.
OUTSIDE_REFERENCE = re.compile("DESIGN" + r"(\.md|\s*§)")


def test_no_file_cites_a_document_outside_the_repository():
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    texts = [ROOT / name for name in listed.decode().split("\0")
             if name.endswith((".py", ".ts", ".tsx", ".md", ".tf", ".sh", ".yml", ".json", ".toml"))]
    citing = [str(path.relative_to(ROOT)) for path in texts
              if path.is_file() and OUTSIDE_REFERENCE.search(path.read_text(errors="ignore"))]
    assert len(texts) > 100 and citing == []
