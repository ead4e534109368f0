"""deploy through the CLI against the moto environment."""

from conftest import image

from ims_deploy import errors


def test_good_deploy_switches_traffic_to_the_idle_colour(env, cli):
    result = cli("deploy", "--var", f"IMAGE={image('v2')}")

    assert result.code == errors.OK, result.err
    assert env.live_colour() == "green"
    assert env.task_definition_of("green") == "ims-backend:2"
    assert env.image_of("ims-backend:2") == image("v2")
    assert env.service("green")["desiredCount"] == 2  # scaled to the live colour's count
    assert env.task_definition_of("blue") == "ims-backend:1"  # untouched, ready for rollback
    assert env.service("blue")["desiredCount"] == 2
    assert "green is live with ims-backend:2" in result.out
    for step in ("plan:", "register:", "update:", "stable:", "health:", "switch:", "bake:"):
        assert step in result.err
    assert "Traceback" not in result.err


def test_deploy_renders_the_template_from_the_environment(env, cli, monkeypatch):
    monkeypatch.setenv("IMAGE", image("from-env"))
    monkeypatch.setenv("APP_ENV", 'quote" and \\ backslash')

    result = cli("deploy")

    assert result.code == errors.OK, result.err
    td = env.ecs.describe_task_definition(taskDefinition="ims-backend:2")["taskDefinition"]
    container = td["containerDefinitions"][0]
    assert container["image"] == image("from-env")
    assert {"name": "APP_ENV", "value": 'quote" and \\ backslash'} in container["environment"]
    assert td["executionRoleArn"].endswith("role/ims-prod-task-execution")


def test_second_deploy_goes_back_to_blue(env, cli):
    assert cli("deploy", "--var", f"IMAGE={image('v2')}").code == errors.OK
    result = cli("deploy", "--var", f"IMAGE={image('v3')}")

    assert result.code == errors.OK, result.err
    assert env.live_colour() == "blue"
    assert env.task_definition_of("blue") == "ims-backend:3"
    assert env.task_definition_of("green") == "ims-backend:2"


def test_deploy_whose_targets_never_become_healthy_does_not_switch(env, cli):
    env.probe.never_healthy.add(image("broken"))

    result = cli("deploy", "--var", f"IMAGE={image('broken')}")

    assert result.code == errors.NOT_SWITCHED
    assert env.live_colour() == "blue"
    assert "green targets not healthy after 60s" in result.err
    assert "Target.ResponseCodeMismatch" in result.err
    assert "traffic stays on blue" in result.err
    assert "Traceback" not in result.err
    assert not any(c == "elbv2.ModifyListener" for c in result.calls)
    # the waiting was real polling at --poll-interval, on the injected clock, never a real sleep
    assert env.clock.sleeps and max(env.clock.sleeps) <= 5
    assert 60 <= sum(env.clock.sleeps) <= 65


def test_deploy_whose_service_never_stabilises_does_not_switch(env, cli):
    env.probe.never_stable.add(image("stuck"))

    result = cli("deploy", "--var", f"IMAGE={image('stuck')}")

    assert result.code == errors.NOT_SWITCHED
    assert "green service not stable after 120s: in_progress" in result.err
    assert env.live_colour() == "blue"


def test_failure_while_baking_switches_traffic_back(env, cli):
    env.probe.fail_under_traffic.add(image("v2-leaky"))

    result = cli("deploy", "--var", f"IMAGE={image('v2-leaky')}")

    assert result.code == errors.ROLLED_BACK
    assert env.live_colour() == "blue"
    assert "switching back to blue" in result.err
    assert "rollback: listener now forwards to blue" in result.err
    assert "traffic is back on blue" in result.err


def test_failure_while_baking_never_switches_to_a_colour_without_healthy_targets(env, cli):
    env.probe.never_healthy.add(image("v1"))  # blue has gone bad too: nothing to go back to
    env.probe.fail_under_traffic.add(image("v2-leaky"))

    result = cli("deploy", "--var", f"IMAGE={image('v2-leaky')}")

    assert result.code == errors.STUCK
    assert env.live_colour() == "green"
    assert "refusing to switch to blue" in result.err


def test_health_url_is_checked_through_the_test_listener_before_switching(env, cli):
    env.elbv2.modify_listener(ListenerArn=env.test_listener_arn,
                              DefaultActions=[{"Type": "forward", "TargetGroupArn": env.target_groups["blue"]}])
    env.probe.http_status = 503

    result = cli("deploy", "--var", f"IMAGE={image('v2')}", "--test-listener-arn", env.test_listener_arn,
                 "--health-url", "http://ims-prod.example:8080/api/health")

    assert result.code == errors.NOT_SWITCHED
    assert "GET http://ims-prod.example:8080/api/health not healthy after 60s: HTTP 503" in result.err
    assert env.forwards_to(env.test_listener_arn) == env.target_groups["green"]
    assert env.live_colour() == "blue"

    env.probe.http_status = 200
    assert cli("deploy", "--var", f"IMAGE={image('v2')}", "--test-listener-arn", env.test_listener_arn,
               "--health-url", "http://ims-prod.example:8080/api/health").code == errors.OK
    assert env.live_colour() == "green"


def test_scale_down_old_sets_the_previous_colour_to_zero_after_baking(env, cli):
    result = cli("deploy", "--var", f"IMAGE={image('v2')}", "--scale-down-old")

    assert result.code == errors.OK, result.err
    assert env.live_colour() == "green"
    assert env.service("blue")["desiredCount"] == 0


def test_json_output_describes_the_result(env, cli):
    result = cli("deploy", "--var", f"IMAGE={image('v2')}", as_json=True)

    assert result.code == errors.OK
    doc = result.json()
    assert doc["result"] == "switched"
    assert doc["live"] == "green" and doc["previous"] == "blue"
    assert doc["task_definition"].endswith("task-definition/ims-backend:2")


def test_unset_template_variables_are_listed_and_nothing_is_registered(env, cli, monkeypatch):
    monkeypatch.delenv("APP_ENV")

    result = cli("deploy")

    assert result.code == errors.USAGE
    assert "template variables not set: APP_ENV, IMAGE" in result.err
    assert len(env.revisions()) == 1
    assert result.mutating == []


def test_template_whose_container_does_not_match_the_target_group_is_refused(env, cli, tmp_path):
    template = tmp_path / "td.json"
    template.write_text('{"family": "ims-backend", "containerDefinitions": '
                        '[{"name": "web", "image": "x", "portMappings": [{"containerPort": 8000}]}]}')

    result = cli("deploy", "--template", str(template))

    assert result.code == errors.USAGE
    assert "no container 'api'" in result.err
    assert result.mutating == []


def test_flags_default_from_the_environment(env, capsys, monkeypatch):
    monkeypatch.setenv("IMS_CLUSTER", env.cluster)
    monkeypatch.setenv("IMS_SERVICE_BLUE", env.services["blue"])
    monkeypatch.setenv("IMS_SERVICE_GREEN", env.services["green"])
    monkeypatch.setenv("IMS_LISTENER_ARN", env.listener_arn)
    monkeypatch.setenv("IMAGE", image("v2"))
    from conftest import TEMPLATE

    result = env.run("deploy", "--template", str(TEMPLATE), "--poll-interval", "1", "--bake-seconds", "3",
                     capsys=capsys)

    assert result.code == errors.OK, result.err
    assert env.live_colour() == "green"


def test_an_already_registered_revision_can_be_deployed_without_the_template(env, cli):
    arn = env.ecs.register_task_definition(
        family="ims-backend", networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256", memory="512",
        containerDefinitions=[{"name": "api", "image": image("v2-migrated"),
                               "portMappings": [{"containerPort": 8000}]}],
    )["taskDefinition"]["taskDefinitionArn"]

    result = cli("deploy", "--task-definition", arn)

    assert result.code == errors.OK, result.err
    assert env.live_colour() == "green"
    assert env.task_definition_of("green") == "ims-backend:2"
    assert len(env.revisions()) == 2  # nothing new registered
    assert "ecs.RegisterTaskDefinition" not in result.calls


def _no_listener_names_green(env):
    """Health checks as on AWS, and a test listener that names only the live colour."""
    env.probe.checks_need_a_listener = True
    env.elbv2.modify_listener(ListenerArn=env.test_listener_arn,
                              DefaultActions=[{"Type": "forward", "TargetGroupArn": env.target_groups["blue"]}])


def test_idle_target_group_without_health_checks_is_explained(env, cli):
    _no_listener_names_green(env)

    result = cli("deploy", "--var", f"IMAGE={image('v2')}")

    assert result.code == errors.NOT_SWITCHED
    assert "2 unused: Target.NotInUse" in result.err
    assert "put the target group behind a test listener" in result.err
    assert env.live_colour() == "blue"


def test_test_listener_is_pointed_at_the_new_colour_before_health_polling(env, cli):
    _no_listener_names_green(env)

    result = cli("deploy", "--var", f"IMAGE={image('v2')}", "--test-listener-arn", env.test_listener_arn)

    assert result.code == errors.OK, result.err
    assert env.live_colour() == "green"
    lines = result.err.splitlines()
    first_test_listener = next(i for i, line in enumerate(lines) if "test-listener:" in line)
    first_health = next(i for i, line in enumerate(lines) if "health:" in line)
    assert first_test_listener < first_health
    assert "unused" not in result.err
    # after the switch the test listener names the idle colour again, the live one at weight 0
    assert env.weights(env.test_listener_arn) == {env.target_groups["blue"]: 1, env.target_groups["green"]: 0}


def test_with_a_test_listener_later_deploys_bakes_and_rollbacks_find_the_idle_colour_checked(env, cli):
    env.probe.checks_need_a_listener = True  # the Terraform layout: the test listener names green
    deploy = ("deploy", "--test-listener-arn", env.test_listener_arn, "--var")

    assert cli(*deploy, f"IMAGE={image('v2')}").code == errors.OK
    assert cli(*deploy, f"IMAGE={image('v3')}").code == errors.OK
    assert env.live_colour() == "blue"

    # the old colour is still health-checked, so traffic can go back to it
    result = cli("rollback")
    assert result.code == errors.OK, result.err
    assert env.live_colour() == "green" and env.task_definition_of("green") == "ims-backend:2"

    # and a release that fails under traffic is switched back, not left stuck
    env.probe.fail_under_traffic.add(image("v4-leaky"))
    result = cli(*deploy, f"IMAGE={image('v4-leaky')}")
    assert result.code == errors.ROLLED_BACK, result.err
    assert env.live_colour() == "green"
    assert set(env.weights(env.test_listener_arn)) == set(env.target_groups.values())
