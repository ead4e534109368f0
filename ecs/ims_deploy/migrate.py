"""migrate: run the database migrations and the API role's grant as a one-off ECS task, placed where
Terraform says one-off tasks go, and wait for its exit code.

Every place the task runs comes from `terraform output -json` (cluster, the private app subnets, the
tasks' security group, no public IP), so the command cannot be given a half-filled network
configuration. The task definition is either rendered from ecs/migrate-task-definition-template.json
(variables from the outputs' `task_definition_variables`, plus `--var IMAGE_URI=… APP_VERSION=…`) and
registered, or an already registered revision. A task that stops with anything but exit code 0, or
never starts, fails the command."""

import json
from dataclasses import dataclass

from ims_deploy.aws import Aws
from ims_deploy.errors import MIGRATION_FAILED, DeployError, UsageError
from ims_deploy.fleet import short_name
from ims_deploy.log import StepLog
from ims_deploy.outcome import Outcome
from ims_deploy.probe import Clock

CONTAINER = "migrate"  # the container of ecs/migrate-task-definition-template.json
NETWORK_OUTPUTS = ("ecs_cluster_name", "private_app_subnet_ids", "ecs_task_security_group_id")


class MigrationFailed(DeployError):
    exit_code = MIGRATION_FAILED


@dataclass(frozen=True)
class Placement:
    """Where Terraform says a one-off task runs."""
    environment: str
    cluster: str
    subnets: list[str]
    security_groups: list[str]
    variables: dict[str, str]  # the task definition templates' variables

    def network_configuration(self) -> dict:
        return {"awsvpcConfiguration": {"subnets": self.subnets, "securityGroups": self.security_groups,
                                        "assignPublicIp": "DISABLED"}}


@dataclass(frozen=True)
class MigrateOptions:
    placement: Placement
    task_definition: dict | None = None  # keyword arguments for register_task_definition
    registered_task_definition: str | None = None  # or an existing revision (ARN or family[:revision])
    timeout: float = 1800
    poll_interval: float = 10


def read_terraform_outputs(path: str) -> Placement:
    """The placement from a file `terraform output -json` wrote (or `/dev/stdin`, `<(…)`)."""
    try:
        with open(path, encoding="utf-8") as handle:
            outputs = json.load(handle)
    except OSError as exc:
        raise UsageError(f"cannot read Terraform outputs {path}: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path} is not `terraform output -json`: {exc}") from None
    if not isinstance(outputs, dict):
        raise UsageError(f"{path} is not `terraform output -json`: expected an object")
    values = {name: entry.get("value") for name, entry in outputs.items() if isinstance(entry, dict)}
    missing = [name for name in (*NETWORK_OUTPUTS, "task_definition_variables") if not values.get(name)]
    if missing:
        raise UsageError(f"{path} lacks the output(s) {', '.join(missing)}: run `terraform apply` in the "
                         f"environment's workspace first")
    variables = {key: str(value) for key, value in values["task_definition_variables"].items()}
    subnets = values["private_app_subnet_ids"]
    return Placement(environment=variables.get("ENVIRONMENT", "?"), cluster=values["ecs_cluster_name"],
                     subnets=list(subnets) if isinstance(subnets, list) else [subnets],
                     security_groups=[values["ecs_task_security_group_id"]], variables=variables)


def migrate(aws: Aws, clock: Clock, log: StepLog, options: MigrateOptions) -> Outcome:
    placement = options.placement
    log.step("plan", f"environment {placement.environment}: one-off task in cluster {placement.cluster}, "
                     f"subnets {','.join(placement.subnets)}, security group {','.join(placement.security_groups)}, "
                     f"no public IP")
    task_definition = _task_definition(aws, log, options)
    response = aws.change("ecs", "run_task", dry_run_result={"tasks": [], "failures": []},
                          cluster=placement.cluster, taskDefinition=task_definition, launchType="FARGATE",
                          count=1, startedBy="ims-deploy-migrate",
                          networkConfiguration=placement.network_configuration())
    if aws.dry_run:
        return Outcome("migrate", "planned", "dry run, nothing changed")
    if response.get("failures") or not response.get("tasks"):
        reasons = "; ".join(f"{f.get('arn', '')} {f.get('reason', '')}".strip() for f in response.get("failures", []))
        raise MigrationFailed(f"ECS started no task: {reasons or 'no reason given'}")
    task_arn = response["tasks"][0]["taskArn"]
    log.step("run", f"task {task_arn.rsplit('/', 1)[-1]} of {short_name(task_definition)} started")
    task = _wait_stopped(aws, clock, log, placement.cluster, task_arn, options)
    details = {"task_arn": task_arn, "task_definition": task_definition}
    container = next((c for c in task.get("containers", []) if c.get("name") == CONTAINER), {})
    exit_code = container.get("exitCode")
    if exit_code != 0:
        why = f"exit code {exit_code}" if exit_code is not None else \
            f"never ran: {task.get('stoppedReason') or container.get('reason') or 'no reason given'}"
        raise MigrationFailed(f"the migrations failed ({why}); {_logs(aws, task_definition, task_arn)}")
    return Outcome("migrate", "migrated",
                   f"migrations and the role grant done in {placement.environment} "
                   f"({short_name(task_definition)}, exit code 0)", details={**details, "task_exit_code": 0})


def _task_definition(aws: Aws, log: StepLog, options: MigrateOptions) -> str:
    if options.registered_task_definition:
        registered = aws.read("ecs", "describe_task_definition",
                              taskDefinition=options.registered_task_definition)["taskDefinition"]
        _check_container(registered)
        log.step("task-definition", f"{short_name(registered['taskDefinitionArn'])} runs "
                                    f"{registered['containerDefinitions'][0].get('image')}")
        return registered["taskDefinitionArn"]
    _check_container(options.task_definition)
    family = options.task_definition["family"]
    registered = aws.change("ecs", "register_task_definition", dry_run_result=None, **options.task_definition)
    if registered is None:  # dry run
        return f"{family}:<new revision>"
    arn = registered["taskDefinition"]["taskDefinitionArn"]
    log.step("register", f"task definition {short_name(arn)}")
    return arn


def _check_container(task_definition: dict) -> None:
    names = [c.get("name") for c in task_definition["containerDefinitions"]]
    if CONTAINER not in names:
        raise UsageError(f"task definition {task_definition['family']} has no container {CONTAINER!r} "
                         f"(it has {', '.join(map(str, names))}): is it the migration task definition?")


def _wait_stopped(aws: Aws, clock: Clock, log: StepLog, cluster: str, task_arn: str,
                  options: MigrateOptions) -> dict:
    deadline = clock.monotonic() + options.timeout
    last = None
    while True:
        described = aws.read("ecs", "describe_tasks", cluster=cluster, tasks=[task_arn])
        if not described.get("tasks"):
            raise MigrationFailed(f"task {task_arn} is gone: ECS no longer describes it")
        task = described["tasks"][0]
        if task.get("lastStatus") != last:
            last = task.get("lastStatus")
            log.step("wait", f"task is {last}")
        if last == "STOPPED":
            return task
        if clock.monotonic() >= deadline:
            raise MigrationFailed(f"task {task_arn} still {last} after {options.timeout:.0f}s; it was left "
                                  f"running (aws ecs describe-tasks --cluster {cluster} --tasks {task_arn})")
        clock.sleep(options.poll_interval)


def _logs(aws: Aws, task_definition: str, task_arn: str) -> str:
    """Where the task's output is: the awslogs group and stream of its container."""
    containers = aws.read("ecs", "describe_task_definition",
                          taskDefinition=task_definition)["taskDefinition"]["containerDefinitions"]
    options = next((c for c in containers if c.get("name") == CONTAINER), {}).get("logConfiguration", {}) \
        .get("options", {})
    if "awslogs-group" not in options:
        return "its container has no awslogs configuration"
    stream = f"{options.get('awslogs-stream-prefix', '')}/{CONTAINER}/{task_arn.rsplit('/', 1)[-1]}"
    return f"logs: {options['awslogs-group']}, stream {stream}"
