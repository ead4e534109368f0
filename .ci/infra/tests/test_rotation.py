"""The rotation runbook the Checkov skips point to exists: every skip comment that sends the reader to
docs/DEPLOYMENT.md names a heading there that has been written, and the commands it names exist. The
commands themselves run against moto in ecs/tests/test_rotate_secret.py."""
import re

from conftest import ROOT, TERRAFORM

DOC = (ROOT / "docs" / "DEPLOYMENT.md").read_text(encoding="utf-8")
SKIP = re.compile(r"#checkov:skip=(?P<check>\w+):(?P<reason>.*)")


def skips() -> list[tuple[str, str, str]]:
    return [(path.relative_to(ROOT).as_posix(), m["check"], m["reason"])
            for path in TERRAFORM.rglob("*.tf") for m in SKIP.finditer(path.read_text(encoding="utf-8"))]


def section(heading: str) -> str:
    match = re.search(rf"^### {re.escape(heading)}\n(.*?)(?=^#{{2,3}} |\Z)", DOC, re.M | re.S)
    assert match, f"docs/DEPLOYMENT.md has no section '### {heading}'"
    return match.group(1)


def test_secrets_without_a_rotation_lambda_point_to_a_written_runbook_and_its_command():
    rotation_skips = [(path, reason) for path, check, reason in skips() if check == "CKV2_AWS_57"]
    assert len(rotation_skips) == 2, rotation_skips  # the app secret and the database-app secret
    runbook = section("Rotate secrets")
    assert "_To be written._" not in runbook
    for path, reason in rotation_skips:
        assert 'docs/DEPLOYMENT.md, "Rotate secrets"' in reason, f"{path}: {reason}"
        [command] = re.findall(r"ecs/rotate-secret(?:\.sh)?(?: [\w-]+)?", reason)
        script = ROOT / "ecs" / "rotate-secret.sh"
        assert script.exists(), command
        subcommand = command.split(" ")[1] if " " in command else None
        if subcommand:
            assert re.search(rf"^  {subcommand}\) ", script.read_text(encoding="utf-8"), re.M), command
            assert f"ecs/rotate-secret.sh {subcommand}" in runbook, command
    for subcommand in ("sendgrid", "secret-key", "end-overlap", "db-password"):
        assert f"    ecs/rotate-secret.sh {subcommand}" in runbook, f"no command line for {subcommand}"


def test_every_skip_that_cites_the_deployment_doc_names_a_section_that_exists():
    for path, check, reason in skips():
        if "docs/DEPLOYMENT.md" in reason:
            named = re.findall(r'docs/DEPLOYMENT\.md, "([^"]+)"', reason)
            assert named, f"{path} {check}: say which section of docs/DEPLOYMENT.md ({reason})"
            for heading in named:
                assert "_To be written._" not in section(heading), f"{path} {check}: '{heading}' is empty"
