"""Two ECS services (blue, green), each behind its own target group, and the ALB listener whose
default action forwards to the live one: reading that state, changing it, and waiting on it."""

from dataclasses import dataclass

from ims_deploy.aws import Aws
from ims_deploy.errors import NotSwitched, UsageError
from ims_deploy.log import StepLog
from ims_deploy.probe import FAILED, STABLE, Clock, Probe, Target

COLOURS = ("blue", "green")
DESIRED_COUNT = "ecs:service:DesiredCount"  # App Auto Scaling's dimension of an ECS service


@dataclass(frozen=True)
class Colour:
    name: str
    service: str
    target_group_arn: str
    task_definition: str
    desired_count: int
    running_count: int
    container: tuple[str, int]  # the (containerName, containerPort) the target group sends to
    raw: dict  # the describe_services entry, for status


@dataclass(frozen=True)
class Health:
    targets: list[Target]
    wanted: int  # tasks the service wants: each should be a healthy target

    @property
    def healthy(self) -> int:
        return sum(t.state == "healthy" for t in self.targets)

    @property
    def unhealthy(self) -> int:
        return sum(t.state.startswith("unhealthy") for t in self.targets)

    def ready(self) -> bool:
        """All wanted targets are healthy and none fails its checks (draining ones are leaving)."""
        return self.healthy >= max(self.wanted, 1) and self.unhealthy == 0

    def summary(self) -> str:
        """`1/2 healthy (1 not registered)`: counted against the tasks wanted, not the targets
        that happen to be registered, so a task that never reached the ALB shows."""
        counts: dict[str, int] = {}
        for target in self.targets:
            counts[target.state] = counts.get(target.state, 0) + 1
        reasons = sorted({t.reason for t in self.targets if t.reason and t.state != "healthy"})
        text = f"{self.healthy}/{self.wanted} healthy"
        others = [f"{n} {state}" for state, n in sorted(counts.items()) if state != "healthy"]
        missing = self.wanted - len(self.targets)
        if missing > 0:
            others.append(f"{missing} not registered")
        if others:
            text += " (" + ", ".join(others) + (": " + ", ".join(reasons) if reasons else "") + ")"
        return text


@dataclass(frozen=True)
class Snapshot:
    colours: dict[str, Colour]
    listener_actions: list[dict]
    weights: dict[str, int]  # target group ARN -> weight of the listener's forward action

    def colour_of(self, target_group_arn: str) -> str | None:
        return next((c.name for c in self.colours.values() if c.target_group_arn == target_group_arn), None)

    def live(self) -> Colour:
        forwarded = [arn for arn, weight in self.weights.items() if weight > 0]
        if not forwarded:
            raise UsageError("the listener's default action forwards to no target group")
        if len(forwarded) > 1:
            names = ", ".join(self.colour_of(a) or short_name(a) for a in forwarded)
            raise NotSwitched(f"the listener splits traffic between {names}; settle it before deploying")
        name = self.colour_of(forwarded[0])
        if name is None:
            raise UsageError(
                f"the listener forwards to {short_name(forwarded[0])}, which neither service is attached to"
            )
        return self.colours[name]

    def idle(self) -> Colour:
        live = self.live()
        return next(c for c in self.colours.values() if c.name != live.name)


class Fleet:
    def __init__(self, aws: Aws, probe: Probe, clock: Clock, log: StepLog, *, cluster: str,
                 services: dict[str, str], listener_arn: str, poll_interval: float):
        self.aws = aws
        self.probe = probe
        self.clock = clock
        self.log = log
        self.cluster = cluster
        self.services = services
        self.listener_arn = listener_arn
        self.poll_interval = poll_interval

    # ------------------------------------------------------------------ reading

    def snapshot(self) -> Snapshot:
        response = self.aws.read("ecs", "describe_services", cluster=self.cluster,
                                 services=[self.services[c] for c in COLOURS])
        found = {svc["serviceName"]: svc for svc in response["services"] if svc["status"] != "INACTIVE"}
        colours = {}
        for name in COLOURS:
            service = self.services[name]
            if service not in found:
                raise UsageError(f"{name} service {service!r} not found in cluster {self.cluster!r}")
            colours[name] = _colour(name, found[service])
        if colours["blue"].target_group_arn == colours["green"].target_group_arn:
            raise UsageError("blue and green services are attached to the same target group")
        actions = self._listener(self.listener_arn)["DefaultActions"]
        return Snapshot(colours, actions, forward_weights(actions))

    def _listener(self, arn: str) -> dict:
        return self.aws.read("elbv2", "describe_listeners", ListenerArns=[arn])["Listeners"][0]

    def scaling(self, colour: Colour) -> tuple[int, int] | None:
        """(min, max) of the colour's App Auto Scaling target, or None if it is not autoscaled."""
        response = self.aws.read("application-autoscaling", "describe_scalable_targets", ServiceNamespace="ecs",
                                 ResourceIds=[self._resource_id(colour)], ScalableDimension=DESIRED_COUNT)
        targets = response["ScalableTargets"]
        return (targets[0]["MinCapacity"], targets[0]["MaxCapacity"]) if targets else None

    def _resource_id(self, colour: Colour) -> str:
        return f"service/{self.cluster}/{colour.service}"

    def forwards_to(self, colour: Colour) -> bool:
        """Whether the listener sends all its traffic to `colour` right now (read afresh: a
        rollback run beside a deploy may have moved it)."""
        weights = forward_weights(self._listener(self.listener_arn)["DefaultActions"])
        return [arn for arn, weight in weights.items() if weight > 0] == [colour.target_group_arn]

    def health(self, colour: Colour, wanted: int | None = None) -> Health:
        """Target health of a colour, against `wanted` tasks (default: its desired count)."""
        return Health(self.probe.target_health(colour.target_group_arn),
                      colour.desired_count if wanted is None else wanted)

    # ------------------------------------------------------------------ changing

    def update_service(self, colour: Colour, *, task_definition: str | None = None,
                       desired_count: int | None = None) -> None:
        params: dict = {"cluster": self.cluster, "service": colour.service}
        changes = []
        if task_definition is not None:
            params["taskDefinition"] = task_definition
            changes.append(short_name(task_definition))
        if desired_count is not None:
            params["desiredCount"] = desired_count
            changes.append(f"{desired_count} task(s)")
        self.aws.change("ecs", "update_service", **params)
        self._done("update", f"{colour.name} service {colour.service} -> {', '.join(changes)}")

    def set_scaling(self, colour: Colour, minimum: int, maximum: int) -> None:
        self.aws.change("application-autoscaling", "register_scalable_target", ServiceNamespace="ecs",
                        ResourceId=self._resource_id(colour), ScalableDimension=DESIRED_COUNT,
                        MinCapacity=minimum, MaxCapacity=maximum)
        self._done("scaling", f"{colour.name} service autoscales between {minimum} and {maximum} task(s)")

    def scale_like(self, colour: Colour, live: Colour) -> None:
        """Give `colour`, about to take traffic, the live colour's autoscaling range: a colour that
        an earlier deploy scaled down has a minimum of 0, and would be scaled in to nothing."""
        wanted = self.scaling(live)
        if wanted and self.scaling(colour) != wanted:
            self.set_scaling(colour, *wanted)

    def scale_to_zero(self, colour: Colour) -> None:
        """Stop the colour's tasks for good: its autoscaling minimum to 0 first, or App Auto
        Scaling would raise the count straight back to the minimum."""
        current = self.scaling(colour)
        if current and current[0] != 0:
            self.set_scaling(colour, 0, current[1])
        self.update_service(colour, desired_count=0)

    def switch_to(self, colour: Colour, *, reason: str = "switch", wanted: int | None = None) -> None:
        """Point the listener at `colour`, only if it has a healthy target right now: the listener
        is never left on a target group with nothing to serve."""
        if not self.aws.dry_run:
            health = self.health(colour, wanted)
            if health.healthy == 0:
                raise NotSwitched(f"refusing to switch to {colour.name}: {health.summary()}")
        self._forward(self.listener_arn, colour)
        self._done(reason, f"listener now forwards to {colour.name} ({short_name(colour.target_group_arn)})")

    def point_test_listener(self, listener_arn: str, colour: Colour, other: Colour) -> None:
        """Send the test listener's requests to `colour` and keep `other` in its forward action
        at weight 0. The ALB health-checks every target group some listener names, whatever its
        weight, so both colours stay checked whichever one the production listener serves: the
        new colour before the switch, and the old one while baking and for a later rollback."""
        actions = self._listener(listener_arn)["DefaultActions"]
        self.aws.change("elbv2", "modify_listener", ListenerArn=listener_arn,
                        DefaultActions=forward_weighted(actions, colour.target_group_arn,
                                                        other.target_group_arn))
        self._done("test-listener", f"test listener forwards to {colour.name} "
                                    f"({other.name} kept at weight 0)")

    def _done(self, step: str, message: str) -> None:
        """Log a change that was made; under --dry-run the printed call already says it all."""
        if not self.aws.dry_run:
            self.log.step(step, message)

    def _forward(self, listener_arn: str, colour: Colour) -> None:
        actions = self._listener(listener_arn)["DefaultActions"]
        self.aws.change("elbv2", "modify_listener", ListenerArn=listener_arn,
                        DefaultActions=forward_only_to(actions, colour.target_group_arn))

    # ------------------------------------------------------------------ waiting

    def wait_stable(self, colour: Colour, timeout: float) -> None:
        def check() -> tuple[bool, str]:
            state = self.probe.service_state(self.cluster, colour.service)
            if state == FAILED:
                raise NotSwitched(f"{colour.name} deployment failed (ECS rolled it back or stopped it)")
            return state == STABLE, state

        if self._wait("stable", f"{colour.name} service", "stable", timeout, check):
            self.log.step("stable", f"{colour.name} service {colour.service} is stable")

    def wait_healthy(self, colour: Colour, expected: int, timeout: float) -> None:
        last = None

        def check() -> tuple[bool, str]:
            nonlocal last
            health = self.health(colour, expected)
            if health.summary() != last:  # a line per change, not per poll
                last = health.summary()
                self.log.step("health", f"{colour.name} targets {last}")
            if any(t.state == "unused" for t in health.targets):
                last += "; 'unused' targets get no health checks: put the target group behind a test listener"
            return health.ready(), last

        self._wait("health", f"{colour.name} targets", "healthy", timeout, check)

    def wait_http_ok(self, url: str, timeout: float) -> None:
        def check() -> tuple[bool, str]:
            return self.probe.http_ok(url)

        if self._wait("health-url", f"GET {url}", "healthy", timeout, check):
            self.log.step("health-url", f"GET {url} answers 2xx")

    def _wait(self, step: str, subject: str, condition: str, timeout: float, check) -> bool:
        """Poll check() -> (done, detail) until done; NotSwitched once `timeout` has passed.
        Under --dry-run only says what it would wait for, and returns False."""
        if self.aws.dry_run:
            self.log.step(step, f"would wait up to {timeout:.0f}s for {subject} to be {condition}")
            return False
        deadline = self.clock.monotonic() + timeout
        while True:
            done, detail = check()
            if done:
                return True
            if not self.pause_until(deadline):
                raise NotSwitched(f"{subject} not {condition} after {timeout:.0f}s: {detail}")

    def pause_until(self, deadline: float) -> bool:
        """Sleep one poll interval (never past the deadline); False once the deadline has passed."""
        remaining = deadline - self.clock.monotonic()
        if remaining <= 0:
            return False
        self.clock.sleep(min(self.poll_interval, remaining))
        return True


def _colour(name: str, service: dict) -> Colour:
    balancers = [lb for lb in service.get("loadBalancers", []) if lb.get("targetGroupArn")]
    if len(balancers) != 1:
        raise UsageError(f"{name} service {service['serviceName']} must be attached to exactly one "
                         f"target group (found {len(balancers)})")
    lb = balancers[0]
    return Colour(
        name=name,
        service=service["serviceName"],
        target_group_arn=lb["targetGroupArn"],
        task_definition=service["taskDefinition"],
        desired_count=service["desiredCount"],
        running_count=service.get("runningCount", 0),
        container=(lb.get("containerName", ""), lb.get("containerPort", 0)),
        raw=service,
    )


def forward_weights(actions: list[dict]) -> dict[str, int]:
    weights: dict[str, int] = {}
    for action in actions:
        if action["Type"] != "forward":
            continue
        if action.get("TargetGroupArn"):
            weights[action["TargetGroupArn"]] = 1
        for group in action.get("ForwardConfig", {}).get("TargetGroups", []):
            weights[group["TargetGroupArn"]] = group.get("Weight", 1)
    return weights


def forward_only_to(actions: list[dict], target_group_arn: str) -> list[dict]:
    """The listener's actions with the forward action sending everything to one target group;
    other actions (authentication, say) are kept as they are."""
    result = []
    for action in actions:
        if action["Type"] == "forward":
            action = {"Type": "forward", "TargetGroupArn": target_group_arn,
                      **({"Order": action["Order"]} if "Order" in action else {})}
        result.append(action)
    return result


def forward_weighted(actions: list[dict], target_group_arn: str, standby_arn: str) -> list[dict]:
    """Like forward_only_to, but the forward action also names `standby_arn` at weight 0: it
    gets no requests, yet the load balancer keeps health-checking its targets."""
    result = []
    for action in actions:
        if action["Type"] == "forward":
            action = {"Type": "forward",
                      "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": target_group_arn, "Weight": 1},
                                                         {"TargetGroupArn": standby_arn, "Weight": 0}]},
                      **({"Order": action["Order"]} if "Order" in action else {})}
        result.append(action)
    return result


def short_name(arn: str) -> str:
    """`ims-backend:42` for a task definition ARN, `ims-blue` for a target group ARN."""
    if ":task-definition/" in arn:
        return arn.split(":task-definition/", 1)[1]
    if ":targetgroup/" in arn:
        return arn.split(":targetgroup/", 1)[1].split("/")[0]
    return arn
