"""Command line: `ims-deploy [--region R] [--dry-run] [--json] deploy|rollback|status|migrate ...`."""

import argparse
import json
import os
import sys
from typing import Mapping, Sequence

import boto3

from ims_deploy import __version__
from ims_deploy.aws import Aws
from ims_deploy.deploy import DeployOptions, deploy
from ims_deploy.errors import INTERRUPTED, OK, PIPE_CLOSED, DeployError, UsageError
from ims_deploy.fleet import Fleet
from ims_deploy.log import StepLog
from ims_deploy.migrate import MigrateOptions, migrate, read_terraform_outputs
from ims_deploy.outcome import Outcome
from ims_deploy.probe import AwsProbe, Clock, Probe, SystemClock
from ims_deploy.rollback import rollback
from ims_deploy.status import format_status, status
from ims_deploy.template import load_task_definition, parse_vars

TARGET_FLAGS = {  # flag -> environment variable it defaults from
    "--cluster": "IMS_CLUSTER",
    "--service-blue": "IMS_SERVICE_BLUE",
    "--service-green": "IMS_SERVICE_GREEN",
    "--listener-arn": "IMS_LISTENER_ARN",
}


def main(argv: Sequence[str] | None = None, *, session: boto3.Session | None = None,
         probe: Probe | None = None, clock: Clock | None = None,
         environ: Mapping[str, str] | None = None) -> int:
    """Run one command and return its exit code. `session`, `probe` and `clock` default to the
    real AWS session, AwsProbe and the system clock; tests pass their own (see probe.py)."""
    try:
        code = _run(argv, session, probe, clock, os.environ if environ is None else environ)
        sys.stdout.flush()  # here, not at interpreter exit, where a closed pipe is only a traceback
        return code
    except BrokenPipeError:
        # The reader of stdout has gone (`ims-deploy --json status | head`): what it wanted it has.
        # Point stdout at /dev/null so that Python's own flush at exit does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return PIPE_CLOSED


def _run(argv: Sequence[str] | None, session: boto3.Session | None, probe: Probe | None,
         clock: Clock | None, environ: Mapping[str, str]) -> int:
    try:
        args = _parse_args(argv, environ)
    except SystemExit as exc:  # argparse has printed the usage error (or --help)
        return exc.code if isinstance(exc.code, int) else 2
    clock = clock or SystemClock()
    log = StepLog(clock)
    aws = Aws(session or boto3.Session(), args.region or environ.get("AWS_REGION"), args.dry_run, log)
    fleet = Fleet(aws, probe or AwsProbe(aws), clock, log, cluster=args.cluster,
                  services={"blue": args.service_blue, "green": args.service_green},
                  listener_arn=args.listener_arn, poll_interval=args.poll_interval)
    try:
        if args.command == "migrate":  # a one-off task: no colours, no listener
            outcome = migrate(aws, clock, log, _migrate_options(args, environ))
        elif args.command == "status":
            doc = status(fleet)
            print(json.dumps(doc, indent=2) if args.json else format_status(doc))
            return OK
        else:
            outcome = _deploy(fleet, args, environ) if args.command == "deploy" else _rollback(fleet, args)
    except DeployError as exc:
        outcome = Outcome(args.command, "failed", str(exc), exc.exit_code)
    except KeyboardInterrupt:
        outcome = Outcome(args.command, "interrupted",
                          "interrupted; run `ims-deploy status` to see where traffic is", INTERRUPTED)
    if args.dry_run and outcome.exit_code == OK:
        outcome.result, outcome.message = "planned", "dry run, nothing changed"
    _report(outcome, args.json)
    return outcome.exit_code


def _deploy(fleet: Fleet, args: argparse.Namespace, environ: Mapping[str, str]) -> Outcome:
    if args.task_definition:
        if args.var:
            raise UsageError("--var only applies to --template; --task-definition deploys a registered revision")
        source = {"registered_task_definition": args.task_definition}
    else:
        source = {"task_definition": load_task_definition(args.template, environ, parse_vars(args.var))}
    options = DeployOptions(
        **source,
        stable_timeout=args.stable_timeout,
        health_timeout=args.health_timeout,
        bake_seconds=args.bake_seconds,
        test_listener_arn=args.test_listener_arn,
        health_url=args.health_url,
        scale_down_old=args.scale_down_old,
        new_family=args.new_family,
    )
    return deploy(fleet, options)


def _migrate_options(args: argparse.Namespace, environ: Mapping[str, str]) -> MigrateOptions:
    placement = read_terraform_outputs(args.terraform_outputs)
    if args.task_definition:
        if args.var:
            raise UsageError("--var only applies to --template; --task-definition runs a registered revision")
        return MigrateOptions(placement, registered_task_definition=args.task_definition,
                              timeout=args.timeout, poll_interval=args.poll_interval)
    # Terraform's values win over the shell's: a variable left from another environment never gets in.
    variables = {**environ, **placement.variables}
    return MigrateOptions(placement, task_definition=load_task_definition(args.template, variables, parse_vars(args.var)),
                          timeout=args.timeout, poll_interval=args.poll_interval)


def _rollback(fleet: Fleet, args: argparse.Namespace) -> Outcome:
    return rollback(fleet, to_revision=args.to_revision, stable_timeout=args.stable_timeout,
                    health_timeout=args.health_timeout)


def _report(outcome: Outcome, as_json: bool) -> None:
    if as_json:
        print(json.dumps(outcome.as_json(), indent=2))
    elif outcome.exit_code == OK:
        print(outcome.message)
    if outcome.exit_code != OK:
        print(f"error: {outcome.message}", file=sys.stderr)


def _parser(environ: Mapping[str, str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ims-deploy", description="Blue-green deploy, rollback and status of the IMS API on ECS.",
        epilog="exit codes: 0 ok, 2 usage/config, 3 AWS error, 4 not switched, "
               "5 rolled back while baking, 6 baking failed and could not roll back, 7 migration task failed, "
               "141 stdout closed by its reader")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _global_options(parser, defaults=True)

    # The global options are accepted after the command too (`deploy --dry-run`); there they
    # default to SUPPRESS, so that leaving them out keeps what was given before the command.
    target = argparse.ArgumentParser(add_help=False)
    _global_options(target, defaults=False)
    for flag, variable in TARGET_FLAGS.items():
        target.add_argument(flag, default=environ.get(variable), help=f"(default: ${variable})")

    waits = argparse.ArgumentParser(add_help=False)
    waits.add_argument("--stable-timeout", type=seconds, default=900.0,
                       help="seconds to wait for the ECS service to become stable (default 900)")
    waits.add_argument("--health-timeout", type=seconds, default=600.0,
                       help="seconds to wait for healthy targets / the health URL (default 600)")
    waits.add_argument("--poll-interval", type=positive_seconds, default=10.0,
                       help="seconds between checks (default 10)")

    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    dep = commands.add_parser("deploy", parents=[target, waits], help="release a new task definition")
    _task_definition_source(dep, "ecs/task-definition-template.json",
                            "task definition template with ${VAR} placeholders, rendered and registered",
                            "deploy an already registered revision instead of rendering the template",
                            "template variable, overriding the environment (repeatable)")
    dep.add_argument("--bake-seconds", type=seconds, default=300.0,
                     help="seconds to watch the new colour after switching (default 300)")
    dep.add_argument("--test-listener-arn", help="listener pointed at the new colour before switching")
    dep.add_argument("--health-url", help="URL that must answer 2xx (through the test listener) before switching")
    dep.add_argument("--scale-down-old", action="store_true",
                     help="scale the old colour to 0 after baking (rollback then has to scale it up)")
    dep.add_argument("--new-family", action="store_true",
                     help="allow a task definition whose family differs from the one the services run")

    back = commands.add_parser("rollback", parents=[target, waits], help="send traffic back to the previous release")
    back.add_argument("--to-revision", metavar="ARN_OR_REV",
                      help="task definition ARN, family:revision or revision number to roll back to")

    commands.add_parser("status", parents=[target, waits], help="show live colour, revisions, health")

    # `migrate` runs no colour and no listener: only the global options, and Terraform's outputs.
    only_globals = argparse.ArgumentParser(add_help=False)
    _global_options(only_globals, defaults=False)
    mig = commands.add_parser("migrate", parents=[only_globals],
                              help="run the migrations and the role grant as a one-off task; wait for its exit code")
    mig.add_argument("--terraform-outputs", required=True, metavar="FILE",
                     help="`terraform output -json` of the environment: cluster, subnets, security group, variables")
    _task_definition_source(mig, "ecs/migrate-task-definition-template.json",
                            "migration task definition template, rendered with Terraform's variables and registered",
                            "run an already registered migration task definition instead",
                            "template variable (IMAGE_URI, APP_VERSION), overriding Terraform's (repeatable)")
    mig.add_argument("--timeout", type=seconds, default=1800.0,
                     help="seconds to wait for the task to stop (default 1800); it is left running after")
    mig.add_argument("--poll-interval", type=positive_seconds, default=10.0,
                     help="seconds between checks (default 10)")
    mig.set_defaults(**{flag[2:].replace("-", "_"): None for flag in TARGET_FLAGS})
    return parser


def _task_definition_source(command: argparse.ArgumentParser, template: str, template_help: str,
                            registered_help: str, var_help: str) -> None:
    """--template (rendered with --var) or --task-definition (a registered revision), never both."""
    source = command.add_mutually_exclusive_group()
    source.add_argument("--template", default=template, help=template_help)
    source.add_argument("--task-definition", metavar="ARN_OR_REV", help=registered_help)
    command.add_argument("--var", action="append", default=[], metavar="KEY=VALUE", help=var_help)


def _global_options(parser: argparse.ArgumentParser, *, defaults: bool) -> None:
    def default(value):
        return value if defaults else argparse.SUPPRESS

    parser.add_argument("--region", default=default(None),
                        help="AWS region (default: AWS_REGION / the AWS config)")
    parser.add_argument("--dry-run", action="store_true", default=default(False),
                        help="read the current state and print the changing AWS calls instead of making them")
    parser.add_argument("--json", action="store_true", default=default(False),
                        help="print the result as JSON on stdout")


def _parse_args(argv: Sequence[str] | None, environ: Mapping[str, str]) -> argparse.Namespace:
    parser = _parser(environ)
    args = parser.parse_args(argv)
    missing = [f"{flag} (or ${variable})" for flag, variable in TARGET_FLAGS.items()
               if args.command != "migrate" and not getattr(args, flag[2:].replace("-", "_"))]
    if missing:
        parser.error("missing " + ", ".join(missing))
    return args


def seconds(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def positive_seconds(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value
