"""ecs/rotate-secret.sh, run as an operator runs it: the real AWS CLI and jq against the moto server's
Secrets Manager and ECS. Every `aws` command line is recorded (a wrapper ahead of the real CLI on PATH),
so the order of writes and restarts is checked, and that no secret value ever appears on one."""

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import boto3
import pytest
from moto.ec2.models.elastic_network_interfaces import NetworkInterface
from moto.ecs.models import ecs_backends

ECS = Path(__file__).resolve().parents[1]
AWS = Path(sys.executable).parent / "aws"
APP_SECRET = "interaction-management-prod/backend"
DB_SECRET = "interaction-management-prod/database-app"
OLD_KEY = "a" * 20 + "OldSigningKey0123456789" + "b" * 21
OLD_PASSWORD = "OldRolePassword0123456789abcdefghijklmno"


@pytest.fixture
def rotation(env, tmp_path, monkeypatch):
    """The prod secrets as Terraform and the operators left them, and a runner for the script."""
    # moto's run-task reads an attribute its network interfaces lack
    monkeypatch.setattr(NetworkInterface, "private_dns_name", "ip-10-0-1-9.eu-west-1.compute.internal", raising=False)
    # a one-off task stops at once (moto's tasks otherwise pass through four states, one per describe)
    urllib.request.urlopen(urllib.request.Request(
        f"{os.environ['AWS_ENDPOINT_URL']}/moto-api/state-manager/set-transition", method="POST",
        data=json.dumps({"model_name": "ecs::task", "transition": {"progression": "immediate"}}).encode()),
        timeout=30).close()
    for service in ecs_backends["123456789012"]["eu-west-1"].services.values():  # moto starts no task
        service.running_count, service.pending_count = service.desired_count, 0
    sm = boto3.client("secretsmanager", region_name="eu-west-1")
    sm.create_secret(Name=APP_SECRET, SecretString=json.dumps({
        "SECRET_KEY": OLD_KEY, "REDIS_URL": "rediss://:token@cache:6379/0", "AUTH0_CLIENT_SECRET": "",
        "SENDGRID_API_KEY": "SG.old-key"}))
    sm.create_secret(Name=DB_SECRET, SecretString=json.dumps({"username": "ims_app", "password": OLD_PASSWORD}))
    log = tmp_path / "aws-calls"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "aws").write_text(f'#!/bin/sh\necho "$*" >> {log}\nexec {AWS} "$@"\n')
    (bin_dir / "aws").chmod(0o755)

    def run(command: str, stdin: str = "") -> subprocess.CompletedProcess:
        log.write_text("")
        process_env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
                       "APP_SECRET_ID": APP_SECRET, "DB_APP_SECRET_ID": DB_SECRET, "ECS_CLUSTER": env.cluster,
                       "ECS_SERVICES": f"{env.services['blue']} {env.services['green']}"}
        result = subprocess.run(["bash", "ecs/rotate-secret.sh", command], input=stdin, capture_output=True,
                                text=True, env=process_env, cwd=ECS.parent, timeout=240, check=False)
        result.calls = [line.split(" --")[0] for line in log.read_text().splitlines()]
        result.lines = log.read_text()
        return result

    run.sm = sm
    return run


def current(sm, secret_id: str) -> dict:
    return json.loads(sm.get_secret_value(SecretId=secret_id, VersionStage="AWSCURRENT")["SecretString"])


def test_sendgrid_key_is_merged_into_the_app_secret_then_the_running_colour_restarts(env, rotation):
    result = rotation("sendgrid", stdin="SG.new-key-0123\n")

    assert result.returncode == 0, result.stderr
    secret = current(rotation.sm, APP_SECRET)
    assert secret["SENDGRID_API_KEY"] == "SG.new-key-0123"
    assert secret["SECRET_KEY"] == OLD_KEY and secret["REDIS_URL"].startswith("rediss://")  # the rest kept
    assert secret["SECRET_KEY_FALLBACKS"] == ""  # the key the task definition names is now there
    assert result.calls.index("secretsmanager put-secret-value") < result.calls.index("ecs update-service")
    assert f"ecs update-service --cluster ims-prod --service {env.services['blue']} --force-new-deployment" \
        in result.lines
    assert env.services["green"] + " --force-new-deployment" not in result.lines  # 0 tasks: nothing to restart
    assert "SG.new-key" not in result.lines and "SG.old-key" not in result.lines
    assert "ims-prod-api-blue: 2 task(s) replaced" in result.stdout


def test_sendgrid_rotation_refuses_what_is_not_a_key(rotation):
    result = rotation("sendgrid", stdin="\n")
    assert result.returncode == 1 and "nothing changed" in result.stderr
    assert current(rotation.sm, APP_SECRET)["SENDGRID_API_KEY"] == "SG.old-key"
    assert "secretsmanager put-secret-value" not in result.calls


def test_secret_key_is_announced_as_a_fallback_before_tasks_sign_with_it(rotation):
    result = rotation("secret-key")

    assert result.returncode == 0, result.stderr
    secret = current(rotation.sm, APP_SECRET)
    new_key = secret["SECRET_KEY"]
    assert new_key != OLD_KEY and len(new_key) == 64 and new_key.isalnum()
    assert secret["SECRET_KEY_FALLBACKS"] == OLD_KEY
    versions = rotation.sm.list_secret_version_ids(SecretId=APP_SECRET, IncludeDeprecated=True)["Versions"]
    announced = [json.loads(rotation.sm.get_secret_value(SecretId=APP_SECRET, VersionId=v["VersionId"])["SecretString"])
                 for v in versions]
    assert {"SECRET_KEY": OLD_KEY, "SECRET_KEY_FALLBACKS": new_key}.items() <= next(
        s for s in announced if s.get("SECRET_KEY_FALLBACKS") == new_key).items()
    # put (announce), roll, put (switch), roll
    writes = [c for c in result.calls if c in ("secretsmanager put-secret-value", "ecs update-service")]
    assert writes == ["secretsmanager put-secret-value", "ecs update-service"] * 2
    assert new_key not in result.lines and OLD_KEY not in result.lines

    ended = rotation("end-overlap")
    assert ended.returncode == 0, ended.stderr
    assert current(rotation.sm, APP_SECRET) == {**secret, "SECRET_KEY_FALLBACKS": ""}


def test_db_password_moves_to_the_other_role_only_after_the_task_set_it(env, rotation):
    migrate = {"family": "ims-migrate", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"],
               "cpu": "1024", "memory": "2048", "executionRoleArn": "arn:aws:iam::123456789012:role/exec",
               "containerDefinitions": [{"name": "migrate", "image": "backend:v1", "essential": True, "memory": 2048,
                                         "command": ["sh", "-c", "flask --app ims db upgrade"],
                                         "secrets": [{"name": "APP_DB_PASSWORD", "valueFrom": "x:password::"}]}]}
    env.ecs.register_task_definition(**migrate)

    result = rotation("db-password")

    assert result.returncode == 0, result.stderr
    secret = current(rotation.sm, DB_SECRET)
    assert secret["username"] == "ims_app_b" and secret["password"] != OLD_PASSWORD and len(secret["password"]) == 40
    step = env.ecs.describe_task_definition(taskDefinition="ims-migrate-rotate-db")["taskDefinition"]
    container = step["containerDefinitions"][0]
    arn = rotation.sm.describe_secret(SecretId=DB_SECRET)["ARN"]
    assert container["command"] == ["flask", "--app", "ims", "grant-app-role", "--role-env", "APP_DB_USER",
                                    "--password-env", "APP_DB_PASSWORD"]
    assert sorted((s["name"], s["valueFrom"]) for s in container["secrets"]) == [
        ("APP_DB_PASSWORD", f"{arn}:password:AWSPENDING:"), ("APP_DB_USER", f"{arn}:username:AWSPENDING:")]
    order = [c for c in result.calls if c in ("ecs run-task", "secretsmanager update-secret-version-stage",
                                              "ecs update-service")]
    assert order == ["ecs run-task"] + ["secretsmanager update-secret-version-stage"] * 2 + ["ecs update-service"]
    stages = rotation.sm.describe_secret(SecretId=DB_SECRET)["VersionIdsToStages"]
    assert not [v for v, labels in stages.items() if "AWSPENDING" in labels]
    assert secret["password"] not in result.lines
    assert "--network-configuration" in result.lines and "subnet-" in result.lines  # the service's own network
    assert result.stdout.splitlines() == [
        result.stdout.splitlines()[0], "the API's database secret names ims_app_b now",
        "ims-prod-api-blue: 2 task(s) replaced; all read the new value",
        "ims-prod-api-green: no tasks; it reads the new value when it starts",
        "every task connects as ims_app_b; ims_app keeps its old password until the next rotation"]

    back = rotation("db-password")  # the next rotation returns to ims_app, with a new password
    assert back.returncode == 0, back.stderr
    assert current(rotation.sm, DB_SECRET)["username"] == "ims_app"


def test_db_password_stays_when_the_task_fails(env, rotation, monkeypatch):
    env.ecs.register_task_definition(
        family="ims-migrate", networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="1024", memory="2048",
        containerDefinitions=[{"name": "migrate", "image": "backend:v0", "essential": True, "memory": 2048}])
    backend = ecs_backends["123456789012"]["eu-west-1"]
    original = backend.run_task

    def failing(*args, **kwargs):  # the role could not be set (an image without --role-env, say)
        tasks = original(*args, **kwargs)
        for task in tasks:
            task.containers[0].exitCode = 2
        return tasks
    monkeypatch.setattr(backend, "run_task", failing)

    result = rotation("db-password")

    assert result.returncode == 1 and "nothing changed: the API still connects as ims_app" in result.stderr
    assert current(rotation.sm, DB_SECRET) == {"username": "ims_app", "password": OLD_PASSWORD}
    assert "ecs update-service" not in result.calls
    stages = rotation.sm.describe_secret(SecretId=DB_SECRET)["VersionIdsToStages"]
    assert not [v for v, labels in stages.items() if "AWSPENDING" in labels]
