"""deploy: register the new task definition, bring it up on the idle colour, prove it healthy,
switch the listener, bake, and switch back by itself if the new colour fails under traffic."""

from dataclasses import dataclass

from ims_deploy.errors import ROLLED_BACK, NotSwitched, Stuck, UsageError
from ims_deploy.fleet import Colour, Fleet, short_name
from ims_deploy.outcome import Outcome


@dataclass(frozen=True)
class DeployOptions:
    task_definition: dict | None = None  # keyword arguments for register_task_definition
    registered_task_definition: str | None = None  # or an existing revision (ARN or family:revision)
    stable_timeout: float = 900
    health_timeout: float = 600
    bake_seconds: float = 300
    test_listener_arn: str | None = None
    health_url: str | None = None
    scale_down_old: bool = False
    new_family: bool = False  # allow a family other than the one the services run


def deploy(fleet: Fleet, options: DeployOptions) -> Outcome:
    snapshot = fleet.snapshot()
    live, idle = snapshot.live(), snapshot.idle()
    fleet.log.step("plan", f"live is {live.name} ({short_name(live.task_definition)}, "
                           f"{live.desired_count} task(s)); deploying to {idle.name}")
    task_definition = _task_definition(fleet, options, live, idle)
    count = max(live.desired_count, 1)
    try:
        fleet.scale_like(idle, live)
        fleet.update_service(idle, task_definition=task_definition, desired_count=count)
        if options.test_listener_arn:  # before any health polling: the idle colour must be checked
            fleet.point_test_listener(options.test_listener_arn, idle, live)
        fleet.wait_stable(idle, options.stable_timeout)
        fleet.wait_healthy(idle, count, options.health_timeout)
        if options.health_url:
            fleet.wait_http_ok(options.health_url, options.health_timeout)
        fleet.switch_to(idle, wanted=count)
    except NotSwitched as exc:
        raise NotSwitched(f"{exc}; traffic stays on {live.name}") from None
    if options.test_listener_arn:  # the test listener goes on naming the idle colour: now the old one
        fleet.point_test_listener(options.test_listener_arn, live, idle)

    details = {"live": idle.name, "previous": live.name, "task_definition": task_definition}
    if not _bake(fleet, new=idle, old=live, wanted=count, seconds=options.bake_seconds):
        return Outcome("deploy", "rolled_back",
                       f"{idle.name} did not finish its bake; traffic is back on {live.name}",
                       ROLLED_BACK, {**details, "live": live.name, "previous": idle.name})
    if options.scale_down_old:
        fleet.scale_to_zero(live)
    return Outcome("deploy", "switched",
                   f"{idle.name} is live with {short_name(task_definition)}; {live.name} kept for rollback"
                   if not options.scale_down_old else
                   f"{idle.name} is live with {short_name(task_definition)}; {live.name} scaled to 0",
                   details=details)


def _task_definition(fleet: Fleet, options: DeployOptions, live: Colour, idle: Colour) -> str:
    """The ARN to deploy: the given registered revision, or the rendered template, registered."""
    if options.registered_task_definition:
        registered = fleet.aws.read("ecs", "describe_task_definition",
                                    taskDefinition=options.registered_task_definition)["taskDefinition"]
        _check_family(registered["family"], "task definition", live, options.new_family)
        _check_container(registered, idle)
        return registered["taskDefinitionArn"]
    _check_family(options.task_definition["family"], "template", live, options.new_family)
    _check_container(options.task_definition, idle)
    return _register(fleet, options.task_definition)


def _check_family(family: str, source: str, live: Colour, allowed: bool) -> None:
    """A new family is a new series of revisions: rollback cannot compare across it, and it is far
    more often a typo or the wrong template than intended. Only with --new-family."""
    current = short_name(live.task_definition).rsplit(":", 1)[0]
    if family != current and not allowed:
        raise UsageError(f"the {source}'s family {family} differs from {current}, which the services run; "
                         f"pass --new-family to start a new family")


def _register(fleet: Fleet, request: dict) -> str:
    planned = {"taskDefinition": {"taskDefinitionArn": f"{request['family']}:<new revision>"}}
    response = fleet.aws.change("ecs", "register_task_definition", dry_run_result=planned, **request)
    arn = response["taskDefinition"]["taskDefinitionArn"]
    if not fleet.aws.dry_run:
        fleet.log.step("register", f"task definition {short_name(arn)}")
    return arn


def _bake(fleet: Fleet, *, new: Colour, old: Colour, wanted: int, seconds: float) -> bool:
    """Watch the new colour under real traffic; False if it failed and traffic went back, or if
    a rollback beside this deploy moved the traffic."""
    if fleet.aws.dry_run:
        fleet.log.step("bake", f"would watch {new.name} for {seconds:.0f}s and switch back to "
                               f"{old.name} if its targets turn unhealthy")
        return True
    if seconds > 0:
        fleet.log.step("bake", f"watching {new.name} for {seconds:.0f}s")
    deadline = fleet.clock.monotonic() + seconds
    while fleet.pause_until(deadline):
        if not _still_live(fleet, new):
            return False
        health = fleet.health(new, wanted)
        if health.unhealthy or health.healthy == 0:
            fleet.log.step("bake", f"{new.name} targets {health.summary()}; switching back to {old.name}")
            try:
                fleet.switch_to(old, reason="rollback")
            except NotSwitched as exc:
                raise Stuck(f"{new.name} turned unhealthy while baking and traffic cannot go back: "
                            f"{exc}; the listener stays on {new.name}") from None
            return False
    if not _still_live(fleet, new):  # read again right before the caller may scale the old colour down
        return False
    if seconds > 0:
        fleet.log.step("bake", f"{new.name} stayed healthy for {seconds:.0f}s")
    return True


def _still_live(fleet: Fleet, new: Colour) -> bool:
    """A rollback run while this deploy bakes moves the listener back: the bake is over then, and
    the old colour, live again, must never be scaled down."""
    if fleet.forwards_to(new):
        return True
    fleet.log.step("bake", f"the listener no longer forwards to {new.name} (rolled back); stopping the bake")
    return False


def _check_container(task_definition: dict, idle: Colour) -> None:
    """ECS would reject the service update anyway; say so before registering a revision."""
    name, port = idle.container
    for container in task_definition["containerDefinitions"]:
        if container.get("name") == name:
            ports = {m.get("containerPort") for m in container.get("portMappings", [])}
            if port in ports:
                return
            raise UsageError(f"container {name!r} in the template does not map port {port}, "
                             f"which the {idle.name} target group sends to")
    raise UsageError(f"the template has no container {name!r}, which the {idle.name} target group sends to")
