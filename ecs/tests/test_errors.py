"""Every failure ends with one clear line and a distinct exit code, never a traceback."""

from conftest import image

from ims_deploy import errors


def assert_one_clear_line(result, *fragments):
    assert "Traceback" not in result.err + result.out
    error_lines = [line for line in result.err.splitlines() if line.startswith("error: ")]
    assert len(error_lines) == 1, result.err
    for fragment in fragments:
        assert fragment in error_lines[0]


def test_unknown_cluster_is_an_aws_error(env, cli, capsys):
    env.cluster = "ims-nope"

    for command in ("deploy", "rollback", "status"):
        result = cli(command, "--var", f"IMAGE={image('v2')}") if command == "deploy" else cli(command)
        assert result.code == errors.AWS
        assert_one_clear_line(result, "ecs describe-services failed", "ClusterNotFoundException")
        assert result.mutating == []


def test_unknown_listener_is_an_aws_error(env, cli):
    env.listener_arn = env.listener_arn[:-4] + "0000"

    result = cli("status")

    assert result.code == errors.AWS
    assert_one_clear_line(result, "elbv2 describe-listeners failed", "ListenerNotFound")


def test_unknown_service_is_a_configuration_error(env, cli):
    env.services["green"] = "ims-prod-api-purple"

    result = cli("rollback")

    assert result.code == errors.USAGE
    assert_one_clear_line(result, "green service 'ims-prod-api-purple' not found in cluster 'ims-prod'")


def test_listener_forwarding_to_neither_colour_is_a_configuration_error(env, cli):
    env.listener_arn = env.test_listener_arn
    env.elbv2.modify_listener(ListenerArn=env.test_listener_arn, DefaultActions=[{"Type": "fixed-response",
                              "FixedResponseConfig": {"StatusCode": "503"}}])

    result = cli("deploy", "--var", f"IMAGE={image('v2')}")

    assert result.code == errors.USAGE
    assert_one_clear_line(result, "forwards to no target group")


def test_failures_are_reported_in_json_too(env, cli):
    env.ecs.delete_service(cluster=env.cluster, service=env.services["green"], force=True)

    result = cli("deploy", "--var", f"IMAGE={image('v2')}", as_json=True)

    assert result.code == errors.USAGE
    assert result.json()["result"] == "failed"
    assert result.json()["exit_code"] == errors.USAGE


def test_missing_target_flags_are_a_usage_error(env, capsys):
    result = env.run("status", capsys=capsys)

    assert result.code == errors.USAGE
    assert "missing --cluster (or $IMS_CLUSTER)" in result.err
    assert result.calls == []


def test_bad_flag_values_are_a_usage_error(env, cli):
    assert cli("status", "--poll-interval", "0").code == errors.USAGE
    assert cli("deploy", "--var", "no-equals-sign").code == errors.USAGE


def test_no_credentials_is_a_clear_aws_error(env, cli, monkeypatch, tmp_path):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")

    result = cli("status")

    assert result.code == errors.AWS
    assert_one_clear_line(result, "Unable to locate credentials")
