"""Static checks run as tests: bandit finds no medium/high issue, ruff finds no error of the pyflakes
kind, no secret is committed, and every dependency is pinned by a lock file."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
BANDIT_TARGETS = [REPO / "backend" / "ims", REPO / "ecs" / "ims_deploy"]

SECRET_PATTERNS = {
    "private key": re.compile(r"-----BEGIN (?:RSA |EC |OPENSSH |DSA |PGP )?PRIVATE KEY-----"),
    "AWS access key id": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "AWS secret key": re.compile(r"aws_secret_access_key\s*[=:]\s*['\"]?[A-Za-z0-9/+]{40}"),
    "SendGrid key": re.compile(r"\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36}\b"),
    "Slack token": re.compile(r"\bxox[abpr]-[A-Za-z0-9-]{10,}"),
    "JWT": re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,}"),
}
# Documented fakes: moto's and the AWS documentation's example credentials used by the tests.
ALLOWED = {"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}

LOCKS = {
    "backend/requirements.lock": "backend/pyproject.toml",
    "ecs/requirements.lock": "ecs/pyproject.toml",
    ".ci/infra/requirements.lock": None,
    "load-tests/requirements.lock": "load-tests/requirements.txt",
}


def test_bandit_finds_no_medium_or_high_issue(figures):
    result = subprocess.run(
        [sys.executable, "-m", "bandit", "-q", "-r", *map(str, BANDIT_TARGETS), "-f", "json", "-ll"],
        capture_output=True, text=True, timeout=120)
    report = json.loads(result.stdout)
    findings = [f"{r['issue_severity']} {r['test_id']} {r['filename']}:{r['line_number']} {r['issue_text']}"
                for r in report["results"]]
    figures.update(files=len(report["metrics"]) - 1, medium_or_high=len(findings))
    assert not findings, "\n".join(findings)


# Every Python tree of the repository: the API, the deploy tool, the benchmark, the smoke test, CI's checks.
RUFF_TARGETS = ["backend", "ecs", "load-tests", "smoke", ".ci"]


def test_ruff_finds_no_unused_import_undefined_name_or_syntax_error(figures):
    """Pyflakes' checks (F: unused imports and variables, undefined or redefined names, shadowing) and
    syntax errors (E9), the kind of mistake that hides a dead import or a test that tests nothing."""
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--select", "E9,F", "--output-format", "json",
         *RUFF_TARGETS], cwd=REPO, capture_output=True, text=True, timeout=120)
    findings = [f"{f['code']} {Path(f['filename']).relative_to(REPO)}:{f['location']['row']} {f['message']}"
                for f in json.loads(result.stdout)]
    figures.update(ruff_findings=len(findings))
    assert result.returncode in (0, 1), result.stderr
    assert not findings, "\n".join(findings)


def tracked_files() -> list[Path]:
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True, timeout=60)
    return [REPO / name for name in listed.stdout.decode().split("\0") if name]


def test_no_secrets_are_committed(figures):
    hits, scanned = [], 0
    for path in tracked_files():
        if not path.is_file() or path.stat().st_size > 2_000_000 or path.name == "package-lock.json":
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        scanned += 1
        for kind, pattern in SECRET_PATTERNS.items():
            for match in pattern.finditer(text):
                if match.group(0) not in ALLOWED and not any(a in match.group(0) for a in ALLOWED):
                    hits.append(f"{path.relative_to(REPO)}: {kind}: {match.group(0)[:24]}…")
    figures.update(files_scanned=scanned, patterns=len(SECRET_PATTERNS), secrets_found=len(hits))
    assert not hits, "\n".join(hits)


def direct_dependencies(manifest: Path) -> list[str]:
    text = manifest.read_text()
    if manifest.suffix == ".toml":
        import tomllib

        project = tomllib.loads(text)["project"]
        specs = list(project.get("dependencies", []))
        for extra in project.get("optional-dependencies", {}).values():
            specs += extra
    else:
        specs = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [re.split(r"[\[<>=~!; ]", spec.strip(), maxsplit=1)[0] for spec in specs]


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@pytest.mark.parametrize("lock, manifest", LOCKS.items())
def test_python_dependencies_are_pinned(lock, manifest):
    path = REPO / lock
    assert path.is_file(), f"{lock} is missing: every Python environment of the project installs from a lock"
    pinned = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line or line.startswith(("-", "--")):
            continue
        assert re.fullmatch(r"[A-Za-z0-9_.\-\[\],]+==[^=\s]+", line), f"{lock}: not pinned with ==: {line}"
        pinned[normalise(line.split("==")[0].split("[")[0])] = line
    if manifest:
        missing = [d for d in direct_dependencies(REPO / manifest) if normalise(d) not in pinned and d != "ims"]
        assert not missing, f"{lock} lacks direct dependencies of {manifest}: {missing}"


def test_frontend_dependencies_are_locked():
    package = json.loads((REPO / "frontend" / "package.json").read_text())
    lock = json.loads((REPO / "frontend" / "package-lock.json").read_text())
    packages = lock["packages"]
    for group in ("dependencies", "devDependencies"):
        for name in package.get(group, {}):
            entry = packages.get(f"node_modules/{name}")
            assert entry and entry.get("version"), f"package-lock.json lacks {name}"
    unpinned = [name for name, entry in packages.items() if name and not entry.get("link") and
                not re.fullmatch(r"\d+\.\d+\.\d+(?:[-+][\w.\-]+)?", entry.get("version", ""))]
    assert not unpinned, unpinned[:10]
    unverified = [name for name, entry in packages.items()
                  if name and not entry.get("link") and not entry.get("integrity")]
    assert not unverified, unverified[:10]
