"""Faults found by running the tool as an operator does: as a command, against a moto server.

Each test runs `python -m ims_deploy` in its own process (or, where the scripted target health is
needed, through main(argv)); the AWS CLI lines a dry run prints are pasted into a real shell and
run with the real AWS CLI against the same server."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REGION, TEMPLATE, image

from ims_deploy import errors

BIN = Path(sys.executable).parent  # the venv holding the tool, awscli's `aws` and moto


def run_tool(env, *argv, stdout=subprocess.PIPE, extra_env=None):
    """`python -m ims_deploy ARGV` as a separate process, reaching moto through AWS_ENDPOINT_URL."""
    process_env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", **(extra_env or {})}
    return subprocess.run([sys.executable, "-m", "ims_deploy", *argv], stdout=stdout, stderr=subprocess.PIPE,
                          text=True, env=process_env, timeout=120, check=False)


def template_with(tmp_path, **changes) -> Path:
    """The fixture template with top-level fields replaced and/or extra environment entries."""
    document = json.loads(TEMPLATE.read_text())
    extra_environment = changes.pop("environment", [])
    document.update(changes)
    document["containerDefinitions"][0]["environment"] += extra_environment
    path = tmp_path / "task-definition.json"
    path.write_text(json.dumps(document, indent=2))
    return path


def would_call(stderr: str, command: str) -> str:
    """The AWS CLI line a dry run printed for `command` (e.g. 'ecs register-task-definition')."""
    lines = [line.split("would call ", 1)[1] for line in stderr.splitlines()
             if f"would call aws {command} " in line]
    assert len(lines) == 1, stderr
    return lines[0]


def paste(line: str) -> subprocess.CompletedProcess:
    """Run a printed command line through a real shell, as an operator pasting it would."""
    process_env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(["bash", "-c", line], capture_output=True, text=True, env=process_env,
                          timeout=120, check=False)


# ---------------------------------------------------------------- --dry-run lines can be pasted


def test_dry_run_lines_run_unchanged_in_a_shell_with_the_real_aws_cli(env, tmp_path):
    awkward = """it's "quoted" $HOME `date` \\ back; rm -rf /tmp/x & echo"""
    template = template_with(tmp_path, environment=[{"name": "GREETING", "value": "${GREETING}"}])

    result = run_tool(env, "--dry-run", "deploy", *env.target_flags(), "--template", str(template),
                      "--var", f"IMAGE={image('v2')}", "--var", f"GREETING={awkward}")

    assert result.returncode == errors.OK, result.stderr
    assert env.revisions()[-1].endswith(":1")  # the dry run registered nothing
    registered = paste(would_call(result.stderr, "ecs register-task-definition"))
    assert registered.returncode == 0, registered.stderr
    task = env.ecs.describe_task_definition(taskDefinition="ims-backend:2")["taskDefinition"]
    container = task["containerDefinitions"][0]
    assert container["image"] == image("v2")
    assert {"name": "GREETING", "value": awkward} in container["environment"]
    assert task["requiresCompatibilities"] == ["FARGATE"] and task["cpu"] == "256"

    switched = paste(would_call(result.stderr, "elbv2 modify-listener"))
    assert switched.returncode == 0, switched.stderr
    assert env.live_target_group() == env.target_groups["green"]


# ---------------------------------------------------------------- global options after the command


@pytest.mark.parametrize("command", ["deploy", "rollback", "status"])
def test_global_options_are_accepted_after_the_command_too(env, command):
    before = env.state()
    extra = ["--template", str(TEMPLATE), "--var", f"IMAGE={image('v2')}"] if command == "deploy" else []

    result = run_tool(env, command, "--dry-run", "--json", "--region", REGION, *env.target_flags(), *extra)

    assert result.returncode == errors.OK, result.stderr
    doc = json.loads(result.stdout)
    assert (doc.get("command"), doc.get("result")) in {("deploy", "planned"), ("rollback", "planned")} \
        or doc.get("live") == "blue"
    assert env.state() == before


def test_global_options_before_and_after_the_command_agree(env):
    before = run_tool(env, "--json", "status", *env.target_flags())
    after = run_tool(env, "status", "--json", *env.target_flags())

    assert before.returncode == after.returncode == errors.OK
    assert json.loads(before.stdout) == json.loads(after.stdout)


# ---------------------------------------------------------------- health is counted against what is wanted


def test_health_counts_the_tasks_that_were_wanted_not_those_that_registered(env, cli):
    env.probe.max_targets = 1  # of the two tasks wanted, only one ever registers with the ALB

    deploy = cli("deploy", "--var", f"IMAGE={image('v2')}")
    status = cli("status")

    assert deploy.code == errors.NOT_SWITCHED
    assert "green targets not healthy after 60s: 1/2 healthy" in deploy.err
    assert "1/1 healthy" not in deploy.err
    assert env.live_colour() == "blue"
    assert "ims-prod-blue: 1/2 healthy (1 not registered)" in status.out


# ---------------------------------------------------------------- rollback only goes back


def test_rollback_to_a_newer_revision_is_refused(env, cli):
    for tag in ("v2", "v3"):
        assert cli("deploy", "--var", f"IMAGE={image(tag)}").code == errors.OK  # blue runs 3, green 2
    assert cli("rollback", "--to-revision", "1").code == errors.OK  # green runs 1 and is live
    before = env.state()

    for newer in ("3", "ims-backend:2"):
        result = cli("rollback", "--to-revision", newer)

        assert result.code == errors.USAGE, result.err
        assert "is newer than the live ims-backend:1" in result.err
        assert result.mutating == []
        assert env.state() == before


# ---------------------------------------------------------------- template variables


def test_a_misspelt_var_is_an_error_not_silently_ignored(env, cli, monkeypatch):
    monkeypatch.setenv("IMAGE", image("v1"))  # the environment would otherwise fill ${IMAGE} in
    before = env.state()

    result = cli("deploy", "--var", f"IMAGEE={image('v2')}")

    assert result.code == errors.USAGE
    assert "--var IMAGEE: the template has no ${IMAGEE} (did you mean IMAGE?)" in result.err
    assert result.mutating == []
    assert env.state() == before


def test_var_with_an_already_registered_revision_is_an_error(env, cli):
    result = cli("deploy", "--task-definition", "ims-backend:1", "--var", "IMAGE=x")

    assert result.code == errors.USAGE
    assert "--var only applies to --template" in result.err
    assert result.mutating == []


# ---------------------------------------------------------------- family changes need saying so


def test_a_template_of_another_family_is_refused_unless_asked_for(env, cli, tmp_path):
    template = template_with(tmp_path, family="ims-api")
    before = env.state()

    refused = cli("deploy", "--template", str(template), "--var", f"IMAGE={image('v2')}")

    assert refused.code == errors.USAGE
    assert ("the template's family ims-api differs from ims-backend, which the services run; "
            "pass --new-family to start a new family") in refused.err
    assert refused.mutating == []
    assert env.state() == before
    assert env.ecs.list_task_definitions(familyPrefix="ims-api")["taskDefinitionArns"] == []

    allowed = cli("deploy", "--template", str(template), "--var", f"IMAGE={image('v2')}", "--new-family")

    assert allowed.code == errors.OK, allowed.err
    assert env.task_definition_of("green") == "ims-api:1"


def test_a_registered_revision_of_another_family_is_refused_too(env, cli, tmp_path):
    other = json.loads(TEMPLATE.read_text())
    other.update(family="ims-api", executionRoleArn="arn:aws:iam::123456789012:role/x")
    other["containerDefinitions"][0].update(image=image("v2"), environment=[])
    env.ecs.register_task_definition(**other)

    result = cli("deploy", "--task-definition", "ims-api:1")

    assert result.code == errors.USAGE
    assert "family ims-api differs from ims-backend" in result.err
    assert result.mutating == []


# ---------------------------------------------------------------- output into a closed pipe


def test_json_status_into_a_closed_pipe_ends_quietly(env):
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone, as `head` has after its lines
    try:
        result = run_tool(env, "--json", "status", *env.target_flags(), stdout=write_end)
    finally:
        os.close(write_end)

    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr, result.stderr
    assert "BrokenPipeError" not in result.stderr
    assert result.returncode == errors.PIPE_CLOSED


def test_json_status_piped_to_head_prints_no_traceback(env):
    flags = " ".join(f"'{flag}'" for flag in env.target_flags())
    process_env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(["bash", "-c", f"set -o pipefail; '{sys.executable}' -m ims_deploy --json status "
                                           f"{flags} | head -n 2"],
                            capture_output=True, text=True, env=process_env, timeout=120, check=False)

    assert result.stdout.splitlines()[0] == "{"
    assert re.search(r"Traceback|Exception ignored|BrokenPipe", result.stderr) is None, result.stderr
