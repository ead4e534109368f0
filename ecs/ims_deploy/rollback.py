"""rollback: back to the previous release in one command, safe at every moment of a deploy.

Without --to-revision, traffic goes back to the idle colour, which still has the previous
release; with --to-revision, the idle colour first gets that revision. Either way the colour
about to take traffic gets the live colour's autoscaling range and task count and is proven
healthy, then the listener switches, then the bad colour is scaled to 0. So the listener never
forwards to a target group without healthy targets, whether the previous colour still runs (a
deploy's bake), idles at its minimum, or was scaled to 0 after the bake. Before a deploy's
switch traffic is still on the previous release: rollback then scales the new colour to 0, and a
deploy still running can no longer switch to it. It only ever moves to an older revision, so
running it twice changes nothing the second time. The time it took is printed, whatever the end.
"""

import re

from ims_deploy.errors import AwsError, NotSwitched, UsageError
from ims_deploy.fleet import Colour, Fleet, short_name
from ims_deploy.outcome import Outcome

REVISION = re.compile(r"(?:.*:task-definition/)?(?P<family>[^:/]+):(?P<revision>\d+)$")


def rollback(fleet: Fleet, *, to_revision: str | None, stable_timeout: float,
             health_timeout: float) -> Outcome:
    try:
        outcome = _roll_back(fleet, to_revision, stable_timeout, health_timeout)
    finally:  # on failure too: how long traffic was in doubt is what the incident report needs
        seconds = round(fleet.log.elapsed())
        fleet.log.step("elapsed", f"rollback took {seconds}s")
    outcome.message += f" (rollback took {seconds}s)"
    outcome.details["elapsed_seconds"] = seconds
    return outcome


def _roll_back(fleet: Fleet, to_revision: str | None, stable_timeout: float,
               health_timeout: float) -> Outcome:
    snapshot = fleet.snapshot()
    live, idle = snapshot.live(), snapshot.idle()

    if to_revision:
        target = _resolve(fleet, to_revision, live.task_definition)
        if _newer(target, live.task_definition):
            raise UsageError(f"--to-revision {short_name(target)} is newer than the live "
                             f"{short_name(live.task_definition)}: rollback only goes back; "
                             f"use `deploy --task-definition {short_name(target)}` to move forward")
    else:
        target = idle.task_definition
        if not _older(target, live.task_definition):
            if idle.desired_count > 0 and not _same(target, live.task_definition):
                return _stop_new_colour(fleet, live, idle)
            return _nothing(f"nothing to roll back: {live.name} is live with "
                            f"{short_name(live.task_definition)} and {idle.name} has "
                            f"{short_name(target)}, which is not older", live.name)
    if _same(target, live.task_definition):
        return _nothing(f"nothing to roll back: {live.name} is live and already runs {short_name(target)}",
                        live.name)

    count = max(live.desired_count, 1)
    fleet.log.step("plan", f"live is {live.name} ({short_name(live.task_definition)}, {live.desired_count} "
                           f"task(s)); rolling back to {idle.name} with {short_name(target)}")
    try:
        fleet.scale_like(idle, live)
        new_revision = not _same(target, idle.task_definition)
        if new_revision or idle.desired_count < count:  # at 0 after a bake, or at its minimum
            fleet.update_service(idle, task_definition=target if new_revision else None, desired_count=count)
            fleet.wait_stable(idle, stable_timeout)
        fleet.wait_healthy(idle, count, health_timeout)
        fleet.switch_to(idle, reason="rollback", wanted=count)
    except NotSwitched as exc:
        raise NotSwitched(f"{exc}; traffic stays on {live.name}") from None
    try:
        fleet.scale_to_zero(live)
    except AwsError as exc:  # traffic is back already: the message must not read as a failed rollback
        raise AwsError(f"{idle.name} is live again with {short_name(target)}, but {live.name} still runs: "
                       f"{exc}") from None
    return Outcome("rollback", "switched",
                   f"{idle.name} is live again with {short_name(target)}; {live.name} keeps "
                   f"{short_name(live.task_definition)} at 0 tasks for a roll-forward",
                   details={"live": idle.name, "previous": live.name, "task_definition": target})


def _stop_new_colour(fleet: Fleet, live: Colour, idle: Colour) -> Outcome:
    """Before a deploy's switch (or after a deploy that never switched or switched back) the
    previous release is still live and the new one runs on the idle colour: stopping it is the
    whole rollback, and a deploy still waiting on it finds nothing healthy to switch to."""
    fleet.log.step("plan", f"{live.name} is live with {short_name(live.task_definition)}, the previous "
                           f"release; stopping {idle.name}, which runs the newer {short_name(idle.task_definition)}")
    fleet.scale_to_zero(idle)
    return Outcome("rollback", "stopped",
                   f"{live.name} stays live with {short_name(live.task_definition)}; {idle.name} "
                   f"({short_name(idle.task_definition)}) scaled to 0 before any switch",
                   details={"live": live.name, "stopped": idle.name, "task_definition": live.task_definition})


def _nothing(message: str, live: str) -> Outcome:
    return Outcome("rollback", "nothing_to_do", message, details={"live": live})


def _resolve(fleet: Fleet, text: str, live_task_definition: str) -> str:
    """A full ARN, `family:revision`, or a bare revision number of the live colour's family."""
    if text.isdigit():
        text = f"{_parse(live_task_definition)[0]}:{text}"
    elif not REVISION.match(text):
        raise UsageError(f"--to-revision wants a task definition ARN, family:revision or a number, got {text!r}")
    response = fleet.aws.read("ecs", "describe_task_definition", taskDefinition=text)
    return response["taskDefinition"]["taskDefinitionArn"]


def _parse(arn: str) -> tuple[str, int]:
    match = REVISION.match(arn)
    if not match:
        raise UsageError(f"cannot read a revision from task definition {arn!r}")
    return match["family"], int(match["revision"])


def _same(a: str, b: str) -> bool:
    return _parse(a) == _parse(b)


def _newer(candidate: str, current: str) -> bool:
    """Whether `candidate` is a later revision of the same family (another family: not comparable,
    as after a deploy with --new-family, and an explicit --to-revision of it is allowed)."""
    (family, revision), (current_family, current_revision) = _parse(candidate), _parse(current)
    return family == current_family and revision > current_revision


def _older(candidate: str, current: str) -> bool:
    (family, revision), (current_family, current_revision) = _parse(candidate), _parse(current)
    if family != current_family:
        raise UsageError(f"the colours run different families ({short_name(candidate)}, "
                         f"{short_name(current)}); say which revision with --to-revision")
    return revision < current_revision
