"""What a drill saw, in order: each change the tool made (a service's task count or revision, a
colour's autoscaling range, the live listener's target) and each target-health reading it took;
and after every change, whether the live listener still forwarded to a target group with a
healthy target. A drill can also run a command at a chosen moment of another one (a rollback
while a deploy waits or bakes), the way an operator or a workflow would beside it."""

import contextlib
import io
from dataclasses import dataclass
from typing import Callable

import boto3
from conftest import REGION, Result

from ims_deploy.cli import main


@dataclass(frozen=True)
class Event:
    kind: str  # update (value: desired count), scaling (minimum), switch, health (healthy targets)
    colour: str
    value: int | None = None

    def __str__(self) -> str:
        return f"{self.kind} {self.colour}" + ("" if self.value is None else f" {self.value}")


class Timeline:
    def __init__(self, env):
        self.env = env
        self.events: list[Event] = []
        self.dark: list[str] = []  # "after <change>: listener on <colour>, no healthy target"
        self._read_health = env.probe.target_health
        self._sleep = env.clock.sleep
        self._triggers: list[tuple[Callable[[], bool], Callable[[], None]]] = []
        env.probe.target_health = self._observed_health
        env.clock.sleep = self._observed_sleep

    # ------------------------------------------------------------------ running commands

    def run(self, *argv: str) -> Result:
        """`ims-deploy argv` through main(), watched; its output captured apart, so that a command
        run in the middle of another keeps its own."""
        session = boto3.Session(region_name=REGION)
        session.events.register("before-parameter-build", self._before_change)
        session.events.register("after-call", self._after_change)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(argv), session=session, probe=self.env.probe, clock=self.env.clock)
        return Result(code, out.getvalue(), err.getvalue(), [], [])

    def when(self, condition: Callable[[], bool], action: Callable[[], None]) -> None:
        """Run `action` once, at the first health reading or pause at which `condition` holds."""
        self._triggers.append((condition, action))

    # ------------------------------------------------------------------ asserting

    def assert_order(self, *expected: tuple) -> None:
        """The events (kind, colour[, value]) happened in this order, others in between."""
        position = 0
        for wanted in expected:
            event = Event(*wanted)
            try:
                position = self.events.index(event, position) + 1
            except ValueError:
                raise AssertionError(f"no `{event}` after `{self.events[position - 1] if position else 'start'}`"
                                     f" in: {', '.join(map(str, self.events))}") from None

    def assert_never_dark(self) -> None:
        self._check("the end")
        assert not self.dark, "the listener forwarded to a target group without healthy targets: " + \
            "; ".join(self.dark)

    # ------------------------------------------------------------------ watching

    def _colour_of_group(self, arn: str) -> str:
        return next(c for c, group in self.env.target_groups.items() if group == arn)

    def _colour_of_service(self, name: str) -> str:
        return next(c for c, service in self.env.services.items() if name.endswith(service))

    def _observed_health(self, target_group_arn: str):
        self._fire()
        targets = self._read_health(target_group_arn)
        self.events.append(Event("health", self._colour_of_group(target_group_arn),
                                 sum(t.state == "healthy" for t in targets)))
        return targets

    def _observed_sleep(self, seconds: float) -> None:
        self._sleep(seconds)
        self._fire()

    def _fire(self) -> None:
        for trigger in list(self._triggers):
            condition, action = trigger
            if condition():
                self._triggers.remove(trigger)
                action()

    def _before_change(self, params, model, **_) -> None:
        if model.name == "UpdateService":
            self.events.append(Event("update", self._colour_of_service(params["service"]),
                                     params.get("desiredCount")))
        elif model.name == "RegisterScalableTarget":
            self.events.append(Event("scaling", self._colour_of_service(params["ResourceId"]),
                                     params["MinCapacity"]))
        elif model.name == "ModifyListener" and params["ListenerArn"] == self.env.listener_arn:
            (action,) = [a for a in params["DefaultActions"] if a["Type"] == "forward"]
            groups = action.get("ForwardConfig", {}).get("TargetGroups") or [action]
            (live,) = [g["TargetGroupArn"] for g in groups if g.get("Weight", 1) > 0]
            self.events.append(Event("switch", self._colour_of_group(live)))

    def _after_change(self, model, **_) -> None:
        if not model.name.startswith(("Describe", "List", "Get")):
            self._check(f"after {model.name}")

    def _check(self, moment: str) -> None:
        live = self.env.live_target_group()
        if not any(t.state == "healthy" for t in self._read_health(live)):
            self.dark.append(f"{moment}: listener on {self._colour_of_group(live)}, no healthy target")
