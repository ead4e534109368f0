"""rollback: the deployment guide's two paths in one command.

Without --to-revision, traffic goes back to the idle colour, which still runs the previous
release (scaled up first if a deploy scaled it down). With --to-revision, the idle colour is
updated to that revision, proven healthy, then switched to. Either way it only ever moves to an
older revision (a newer one of the live family is refused), so running it twice changes nothing
the second time.
"""

import re

from ims_deploy.errors import NotSwitched, UsageError
from ims_deploy.fleet import Fleet, short_name
from ims_deploy.outcome import Outcome

REVISION = re.compile(r"(?:.*:task-definition/)?(?P<family>[^:/]+):(?P<revision>\d+)$")


def rollback(fleet: Fleet, *, to_revision: str | None, stable_timeout: float,
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
            return _nothing(f"nothing to roll back: {live.name} is live with "
                            f"{short_name(live.task_definition)} and {idle.name} has "
                            f"{short_name(target)}, which is not older", live.name)
    if _same(target, live.task_definition):
        return _nothing(f"nothing to roll back: {live.name} is live and already runs {short_name(target)}",
                        live.name)

    fleet.log.step("plan", f"live is {live.name} ({short_name(live.task_definition)}); "
                           f"rolling back to {idle.name} with {short_name(target)}")
    count, wanted = max(live.desired_count, 1), idle.desired_count
    try:
        fleet.scale_like(idle, live)
        if not _same(target, idle.task_definition) or idle.desired_count == 0:
            fleet.update_service(idle, task_definition=None if _same(target, idle.task_definition) else target,
                                 desired_count=count)
            wanted = count
            fleet.wait_stable(idle, stable_timeout)
            fleet.wait_healthy(idle, count, health_timeout)
        fleet.switch_to(idle, reason="rollback", wanted=wanted)
    except NotSwitched as exc:
        raise NotSwitched(f"{exc}; traffic stays on {live.name}") from None
    return Outcome("rollback", "switched",
                   f"{idle.name} is live again with {short_name(target)}; "
                   f"{live.name} keeps {short_name(live.task_definition)} for a roll-forward",
                   details={"live": idle.name, "previous": live.name, "task_definition": target})


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
