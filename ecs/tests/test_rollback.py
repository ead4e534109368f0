"""rollback through the CLI: back to the previous colour, or to a named revision, idempotently."""

from conftest import image

from ims_deploy import errors


def deployed(env, cli, tag="v2", *extra):
    result = cli("deploy", "--var", f"IMAGE={image(tag)}", *extra)
    assert result.code == errors.OK, result.err
    return result


def test_rollback_restores_the_previous_colour(env, cli):
    deployed(env, cli)
    assert env.live_colour() == "green"

    result = cli("rollback")

    assert result.code == errors.OK, result.err
    assert env.live_colour() == "blue"
    assert "blue is live again with ims-backend:1" in result.out
    assert "rollback: listener now forwards to blue" in result.err
    # blue still ran the previous release at full count: an instant switch, then green stops,
    # keeping the bad release's revision for a roll-forward with `deploy --task-definition`
    assert env.task_definition_of("green") == "ims-backend:2"
    assert env.service("green")["desiredCount"] == 0
    assert result.mutating == ["elbv2.ModifyListener", "ecs.UpdateService"]


def test_second_rollback_changes_nothing_and_says_so(env, cli):
    deployed(env, cli)
    assert cli("rollback").code == errors.OK
    before = env.state()

    result = cli("rollback")

    assert result.code == errors.OK
    assert "nothing to roll back: blue is live with ims-backend:1 and green has ims-backend:2" in result.out
    assert result.mutating == []
    assert env.state() == before


def test_rollback_before_any_deploy_changes_nothing(env, cli):
    result = cli("rollback", as_json=True)

    assert result.code == errors.OK
    assert result.json()["result"] == "nothing_to_do"
    assert result.json()["elapsed_seconds"] == 0
    assert result.mutating == []


def test_rollback_scales_the_previous_colour_up_when_a_deploy_scaled_it_down(env, cli):
    deployed(env, cli, "v2", "--scale-down-old")
    assert env.service("blue")["desiredCount"] == 0

    result = cli("rollback")

    assert result.code == errors.OK, result.err
    assert env.live_colour() == "blue"
    assert env.service("blue")["desiredCount"] == 2
    assert env.task_definition_of("blue") == "ims-backend:1"
    assert "stable: blue service" in result.err


def test_rollback_to_a_revision_updates_the_idle_colour_then_switches(env, cli):
    deployed(env, cli, "v2")
    deployed(env, cli, "v3")  # blue runs 3, green runs 2
    assert env.live_colour() == "blue"

    result = cli("rollback", "--to-revision", "1")

    assert result.code == errors.OK, result.err
    assert env.live_colour() == "green"
    assert env.task_definition_of("green") == "ims-backend:1"
    assert env.task_definition_of("blue") == "ims-backend:3"


def test_rollback_to_a_revision_accepts_family_revision_and_arn(env, cli):
    deployed(env, cli, "v2")
    arn = env.ecs.describe_task_definition(taskDefinition="ims-backend:1")["taskDefinition"]["taskDefinitionArn"]

    assert cli("rollback", "--to-revision", "ims-backend:1").code == errors.OK
    assert env.live_colour() == "blue"

    again = cli("rollback", "--to-revision", arn)
    assert again.code == errors.OK
    assert "blue is live and already runs ims-backend:1" in again.out
    assert again.mutating == []


def test_rollback_to_an_unknown_revision_is_a_clear_error(env, cli):
    result = cli("rollback", "--to-revision", "ims-backend:99")

    assert result.code == errors.AWS
    assert "ecs describe-task-definition failed" in result.err
    assert "Traceback" not in result.err


def test_rollback_refuses_a_colour_without_healthy_targets(env, cli):
    deployed(env, cli)
    env.probe.never_healthy.add(image("v1"))

    result = cli("rollback")

    assert result.code == errors.NOT_SWITCHED
    assert "blue targets not healthy after 600s: 0/2 healthy" in result.err
    assert "traffic stays on green" in result.err
    assert "elapsed: rollback took 600s" in result.err  # the wait, on the test's clock
    assert env.live_colour() == "green" and env.service("green")["desiredCount"] == 2
    assert result.mutating == []
