"""`ims-deploy migrate`: the migrations and the role grant as one one-off task, placed from Terraform's
outputs, against the moto server; the documented `aws ecs run-task` line with the real AWS CLI.

moto starts no container, so a fixture makes each task's `migrate` container end as its image tag
says (`…:exit-3` exits 3, `…:cannot-pull` never starts, anything else exits 0). moto also wants a
container-level memory the Fargate template (task-level memory) does not set; the fixture lets it be.
Describing a task moves it one state on (RUNNING … STOPPED), as the tool's polling would see."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from conftest import REGION
from moto.ecs import models as moto_ecs
from moto.moto_api import state_manager

from ims_deploy import errors

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "ecs" / "migrate-task-definition-template.json"
REPOSITORY = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/interaction-mgmt/backend"
BIN = Path(sys.executable).parent  # the venv's `aws`


@pytest.fixture
def containers_end_as_tagged(monkeypatch):
    run_task = moto_ecs.EC2ContainerServiceBackend.run_task

    def run_and_end(self, *args, **kwargs):
        tasks = run_task(self, *args, **kwargs)
        for task in tasks:
            for container in task.containers:
                tag = (container.image or "").rsplit(":", 1)[-1]
                if tag.startswith("exit-"):
                    container.exitCode = int(tag.removeprefix("exit-"))
                elif tag == "cannot-pull":
                    container.exitCode = None
                    task.stopped_reason = "CannotPullContainerError: pull image manifest has been retried 5 times"
        return tasks

    def fargate_resources(task_definition):
        return {"CPU": 0, "MEMORY": 0, "PORTS": [], "PORTS_UDP": []}

    monkeypatch.setattr(moto_ecs.EC2ContainerServiceBackend, "run_task", run_and_end)
    monkeypatch.setattr(moto_ecs.EC2ContainerServiceBackend, "_calculate_task_resource_requirements",
                        staticmethod(fargate_resources))


@pytest.fixture
def terraform(env, tmp_path, containers_end_as_tagged):
    """The environment's `terraform output -json`: private app subnets and a task security group of their
    own (not the services'), and the task definition variables."""
    ec2 = boto3.client("ec2", region_name=REGION)
    vpc = ec2.describe_vpcs(Filters=[{"Name": "cidr", "Values": ["10.0.0.0/16"]}])["Vpcs"][0]["VpcId"]
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})  # as terraform/modules/network
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"{REGION}{az}")
               ["Subnet"]["SubnetId"] for i, az in ((11, "a"), (12, "b"))]
    group = ec2.create_security_group(GroupName="ims-prod-tasks", Description="one-off tasks", VpcId=vpc)["GroupId"]
    variables = {
        "ENVIRONMENT": "prod", "AWS_REGION": REGION, "APP_ENV": "production", "LOG_LEVEL": "WARNING",
        "TASK_ROLE_ARN": "arn:aws:iam::123456789012:role/ims-prod-task",
        "EXECUTION_ROLE_ARN": "arn:aws:iam::123456789012:role/ims-prod-execution-from-terraform",
        "DB_HOST": "ims-prod.abc.eu-west-1.rds.amazonaws.com", "DB_PORT": "5432", "DB_NAME": "ims",
        "DB_SECRET_ARN": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds-owner",
        "DB_APP_SECRET_ARN": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-app",
        "APP_SECRET_ARN": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:backend", "REDIS_CLUSTER": "true",
    }
    outputs = {"ecs_cluster_name": env.cluster, "private_app_subnet_ids": subnets,
               "ecs_task_security_group_id": group, "task_definition_variables": variables}
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps({name: {"sensitive": False, "type": "string", "value": value}
                                for name, value in outputs.items()}))
    return {"path": path, "subnets": subnets, "group": group, **outputs}


def run_migrate(env, terraform, capsys, *extra, tag="1.4.0-prod-abcd1234"):
    """`ims-deploy migrate` rendering the real template with Terraform's outputs (or running `extra`'s
    --task-definition)."""
    source = [] if "--task-definition" in extra else [
        "--template", str(TEMPLATE), "--var", f"IMAGE_URI={REPOSITORY}:{tag}", "--var", f"APP_VERSION={tag}"]
    return env.run("migrate", "--terraform-outputs", str(terraform["path"]), "--poll-interval", "5", *source,
                   *extra, capsys=capsys)


def in_a_shell(line: str) -> subprocess.CompletedProcess:
    """A command line run as an operator would paste it, with the real AWS CLI."""
    return subprocess.run(["bash", "-c", line], capture_output=True, text=True, timeout=120, check=False,
                          env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"})


def network_of(task: dict) -> tuple[str, list[str]]:
    """The subnet moto placed a task's network interface in, and that interface's security groups."""
    details = {d["name"]: d["value"] for d in task["attachments"][0]["details"]}
    eni = boto3.client("ec2", region_name=REGION).describe_network_interfaces(
        NetworkInterfaceIds=[details["networkInterfaceId"]])["NetworkInterfaces"][0]
    return details["subnetId"], [g["GroupId"] for g in eni["Groups"]]


@pytest.fixture
def sent(monkeypatch):
    """The parameters of every call the tool sends, as `(operation, params)`."""
    calls = []
    original = boto3.Session.client

    def client(self, *args, **kwargs):
        made = original(self, *args, **kwargs)
        made.meta.events.register("provide-client-params.*.*",
                                  lambda params, model, **_: calls.append((model.name, dict(params))))
        return made

    monkeypatch.setattr(boto3.Session, "client", client)
    return calls


def test_migrate_runs_one_task_where_terraform_says_and_waits_for_its_exit_code(env, terraform, capsys, sent):
    result = run_migrate(env, terraform, capsys)

    assert result.code == errors.OK, result.err
    (request,) = [params for operation, params in sent if operation == "RunTask"]
    assert request["cluster"] == env.cluster and request["launchType"] == "FARGATE" and request["count"] == 1
    assert request["networkConfiguration"] == {"awsvpcConfiguration": {
        "subnets": terraform["subnets"], "securityGroups": [terraform["group"]], "assignPublicIp": "DISABLED"}}
    registered = env.ecs.describe_task_definition(taskDefinition=request["taskDefinition"])["taskDefinition"]
    assert registered["family"] == "interaction-management-prod-migrate"
    assert registered["containerDefinitions"][0]["image"] == f"{REPOSITORY}:1.4.0-prod-abcd1234"
    # Terraform's value, not the one the shell still held from elsewhere (the env fixture sets it)
    assert registered["executionRoleArn"].endswith("ims-prod-execution-from-terraform")
    # moto placed the task's network interface in a Terraform subnet, behind the tasks' security group
    (task_arn,) = env.ecs.list_tasks(cluster=env.cluster)["taskArns"]
    subnet, groups = network_of(env.ecs.describe_tasks(cluster=env.cluster, tasks=[task_arn])["tasks"][0])
    assert subnet in terraform["subnets"] and groups == [terraform["group"]]
    assert "wait: task is STOPPED" in result.err
    assert "migrations and the role grant done in prod (interaction-management-prod-migrate:1, exit code 0)" \
        in result.out


def test_a_migration_that_exits_non_zero_fails_the_command_and_says_where_its_log_is(env, terraform, capsys):
    result = run_migrate(env, terraform, capsys, tag="exit-3")

    assert result.code == errors.MIGRATION_FAILED
    (task_arn,) = env.ecs.list_tasks(cluster=env.cluster)["taskArns"]
    assert f"the migrations failed (exit code 3); logs: /ecs/interaction-management-backend, stream " \
           f"prod-migrate/migrate/{task_arn.rsplit('/', 1)[-1]}" in result.err


def test_a_migration_task_that_never_starts_fails_the_command(env, terraform, capsys):
    result = run_migrate(env, terraform, capsys, tag="cannot-pull")

    assert result.code == errors.MIGRATION_FAILED
    assert "the migrations failed (never ran: CannotPullContainerError" in result.err


def test_a_migration_still_running_at_the_timeout_fails_and_is_left_running(env, terraform, capsys):
    state_manager.set_transition("ecs::task", {"progression": "manual", "times": 10**6})
    try:
        result = run_migrate(env, terraform, capsys, "--timeout", "60")
    finally:
        state_manager.unset_transition("ecs::task")

    assert result.code == errors.MIGRATION_FAILED
    assert "still RUNNING after 60s; it was left running" in result.err
    assert "ecs.StopTask" not in result.calls


def test_outputs_without_the_network_stop_before_anything_runs(env, terraform, capsys):
    outputs = json.loads(terraform["path"].read_text())
    del outputs["private_app_subnet_ids"]
    terraform["path"].write_text(json.dumps(outputs))

    result = run_migrate(env, terraform, capsys)

    assert result.code == errors.USAGE
    assert "lacks the output(s) private_app_subnet_ids" in result.err
    assert result.mutating == []


def test_dry_run_prints_a_run_task_line_that_runs_as_it_is_with_the_real_aws_cli(env, terraform, capsys):
    registered = run_migrate(env, terraform, capsys)
    assert registered.code == errors.OK, registered.err
    revision = "interaction-management-prod-migrate:1"

    result = run_migrate(env, terraform, capsys, "--dry-run", "--task-definition", revision)

    assert result.code == errors.OK and result.mutating == []
    (line,) = [line.split("would call ", 1)[1] for line in result.err.splitlines() if "would call aws ecs run-task" in line]
    pasted = in_a_shell(line)
    assert pasted.returncode == 0, pasted.stderr
    subnet, groups = network_of(json.loads(pasted.stdout)["tasks"][0])
    assert subnet in terraform["subnets"] and groups == [terraform["group"]]


def test_the_documented_run_task_line_carries_the_network_configuration(env, terraform, capsys):
    """docs/DEPLOYMENT.md's `aws ecs run-task` line, its placeholders filled from the outputs."""
    assert run_migrate(env, terraform, capsys).code == errors.OK  # registers the migration revision
    documented = re.search(r"^ *(aws ecs run-task .*)$", (ROOT / "docs" / "DEPLOYMENT.md").read_text(), re.M)
    assert documented, "docs/DEPLOYMENT.md has no `aws ecs run-task` line"
    line = documented.group(1)
    for placeholder, value in {"<ecs_cluster_name>": env.cluster, "<env>": "prod",
                               "<private_app_subnet_ids>": ",".join(terraform["subnets"]),
                               "<ecs_task_security_group_id>": terraform["group"]}.items():
        line = line.replace(placeholder, value)
    assert "<" not in line and "…" not in line, line
    ran = in_a_shell(line)
    assert ran.returncode == 0, ran.stderr
    subnet, groups = network_of(json.loads(ran.stdout)["tasks"][0])
    assert subnet in terraform["subnets"] and groups == [terraform["group"]]
