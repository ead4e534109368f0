"""status through the CLI."""

from conftest import image

from ims_deploy import errors


def test_status_shows_live_colour_revisions_and_health(env, cli):
    assert cli("deploy", "--var", f"IMAGE={image('v2')}").code == errors.OK

    result = cli("status")

    assert result.code == errors.OK
    assert "live colour is green" in result.out
    assert "* green  ims-prod-api-green" in result.out
    assert "ims-backend:2" in result.out and "ims-backend:1" in result.out
    assert "ims-prod-green: 2/2 healthy" in result.out
    assert "recent deployments:" in result.out
    assert result.mutating == []


def test_status_json_is_machine_readable(env, cli):
    env.probe.never_healthy.add(image("v1"))

    for argv in (("status", "--json"), ("status",)):
        as_json = argv == ("status",)
        result = cli(*argv, as_json=as_json)
        assert result.code == errors.OK
        doc = result.json()
        assert doc["live"] == "blue"
        blue = doc["colours"]["blue"]
        assert blue["task_definition"] == "ims-backend:1"
        assert blue["target_health"]["healthy"] == 0
        assert {t["state"] for t in blue["target_health"]["targets"]} == {"unhealthy"}
        assert doc["colours"]["green"]["desired_count"] == 0
        assert doc["recent_deployments"][0]["task_definition"] == "ims-backend:1"


def test_status_reports_a_listener_that_splits_traffic(env, cli):
    tgs = env.target_groups
    env.elbv2.modify_listener(ListenerArn=env.listener_arn, DefaultActions=[{
        "Type": "forward", "ForwardConfig": {"TargetGroups": [
            {"TargetGroupArn": tgs["blue"], "Weight": 90}, {"TargetGroupArn": tgs["green"], "Weight": 10}]}}])

    result = cli("status")

    assert result.code == errors.OK
    assert "live colour is unclear (blue=90, green=10)" in result.out
    deploy = cli("deploy", "--var", f"IMAGE={image('v2')}")
    assert deploy.code == errors.NOT_SWITCHED
    assert "splits traffic between blue, green" in deploy.err
    assert deploy.mutating == []
