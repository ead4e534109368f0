"""Rollback drills, one per moment of a deploy: before its switch, during its bake, after the
bake with the previous colour at 0, and after two deploys. At each, `rollback` leaves traffic on
the previous release; the colour taking traffic is raised to the live count and proven healthy
before the listener moves, the bad colour goes to 0 after; the listener never forwards to a
target group without a healthy target; and the time it took is printed."""

import pytest
from conftest import TEMPLATE, image
from timeline import Timeline

from ims_deploy import errors


@pytest.fixture
def drill(env, scaling):
    register, _ = scaling
    register("green", 0, 6)  # idle outside a deploy, as production leaves it
    return Timeline(env)


def command(env, name: str, *extra: str) -> list[str]:
    argv = [name, *env.target_flags(), "--poll-interval", "5", *extra]
    if name == "deploy":
        argv += ["--template", str(TEMPLATE), "--bake-seconds", "60", "--stable-timeout", "120",
                 "--health-timeout", "60"]
    return argv


def deployed(env, drill, tag: str, *extra: str) -> None:
    result = drill.run(*command(env, "deploy", "--var", f"IMAGE={image(tag)}", *extra))
    assert result.code == errors.OK, result.err


def autoscaled(env, colour: str, count: int) -> None:
    """What App Auto Scaling does to the live colour under load."""
    env.ecs.update_service(cluster=env.cluster, service=env.services[colour], desiredCount=count)


def assert_took_time(result) -> None:
    assert "] elapsed: rollback took " in result.err
    assert "(rollback took " in result.out


def test_rollback_before_the_switch_keeps_the_previous_release_and_stops_the_new_one(env, drill):
    rollbacks = []
    drill.when(lambda: env.live_colour() == "blue" and env.service("green")["desiredCount"] > 0,
               lambda: rollbacks.append(drill.run(*command(env, "rollback"))))

    deploy = drill.run(*command(env, "deploy", "--var", f"IMAGE={image('v2')}", "--scale-down-old"))

    (rollback,) = rollbacks
    assert rollback.code == errors.OK, rollback.err
    assert env.live_colour() == "blue", "the deploy switched to the release that was rolled back"
    assert deploy.code == errors.NOT_SWITCHED, deploy.err
    drill.assert_never_dark()
    drill.assert_order(("update", "green", 2), ("update", "green", 0))
    assert ("switch", "green") not in [(e.kind, e.colour) for e in drill.events]
    assert env.service("blue")["desiredCount"] == 2 and env.service("green")["desiredCount"] == 0
    assert "blue stays live with ims-backend:1; green (ims-backend:2) scaled to 0" in rollback.out
    assert_took_time(rollback)


def test_rollback_during_the_bake_switches_back_and_the_deploy_never_scales_it_down(env, drill):
    rollbacks = []
    drill.when(lambda: env.live_colour() == "green",
               lambda: rollbacks.append(drill.run(*command(env, "rollback"))))

    deploy = drill.run(*command(env, "deploy", "--var", f"IMAGE={image('v2')}", "--scale-down-old"))

    (rollback,) = rollbacks
    assert rollback.code == errors.OK, rollback.err
    drill.assert_never_dark()
    assert env.live_colour() == "blue" and env.service("blue")["desiredCount"] == 2
    assert deploy.code == errors.ROLLED_BACK, deploy.err
    assert "the listener no longer forwards to green (rolled back)" in deploy.err
    drill.assert_order(("switch", "green"), ("health", "blue", 2), ("switch", "blue"), ("update", "green", 0))
    assert env.service("green")["desiredCount"] == 0
    assert_took_time(rollback)


def test_rollback_after_the_bake_scales_the_previous_colour_up_before_switching(env, drill, scaling):
    _, scaling_of = scaling
    deployed(env, drill, "v2", "--scale-down-old")
    autoscaled(env, "green", 3)
    assert env.service("blue")["desiredCount"] == 0
    drill.events.clear()

    rollback = drill.run(*command(env, "rollback"))

    assert rollback.code == errors.OK, rollback.err
    drill.assert_never_dark()
    drill.assert_order(("scaling", "blue", 2), ("update", "blue", 3), ("health", "blue", 3), ("switch", "blue"),
                       ("scaling", "green", 0), ("update", "green", 0))
    assert env.live_colour() == "blue" and env.task_definition_of("blue") == "ims-backend:1"
    assert scaling_of("green") == (0, 6) and env.service("green")["desiredCount"] == 0
    assert "blue is live again with ims-backend:1; green keeps ims-backend:2 at 0 tasks" in rollback.out
    assert_took_time(rollback)


def test_rollback_after_two_deploys_raises_the_previous_colour_to_the_live_count(env, drill):
    deployed(env, drill, "v2")
    deployed(env, drill, "v3")  # blue runs 3 and is live; green keeps 2 at its minimum of 2 tasks
    autoscaled(env, "blue", 4)
    drill.events.clear()

    rollback = drill.run(*command(env, "rollback"))

    assert rollback.code == errors.OK, rollback.err
    drill.assert_never_dark()
    drill.assert_order(("update", "green", 4), ("health", "green", 4), ("switch", "green"), ("update", "blue", 0))
    assert env.live_colour() == "green" and env.task_definition_of("green") == "ims-backend:2"
    assert env.service("green")["desiredCount"] == 4 and env.service("blue")["desiredCount"] == 0
    assert_took_time(rollback)

    again = drill.run(*command(env, "rollback"))  # nothing older on blue now: changes nothing
    assert again.code == errors.OK and "nothing to roll back" in again.out
    two_back = drill.run(*command(env, "rollback", "--to-revision", "1"))
    assert two_back.code == errors.OK, two_back.err
    drill.assert_never_dark()
    assert env.live_colour() == "blue" and env.task_definition_of("blue") == "ims-backend:1"
    assert env.service("blue")["desiredCount"] == 4 and env.service("green")["desiredCount"] == 0
