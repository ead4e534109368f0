"""--dry-run reads the real state, prints the changing calls as AWS CLI commands, makes none."""

from conftest import image

from ims_deploy import errors


def test_dry_run_deploy_prints_the_calls_and_changes_nothing(env, cli):
    before = env.state()

    result = cli("deploy", "--var", f"IMAGE={image('v2')}", dry_run=True)

    assert result.code == errors.OK, result.err
    assert result.mutating == []
    assert env.state() == before
    assert "would call aws ecs register-task-definition --family ims-backend" in result.err
    assert ("would call aws ecs update-service --cluster ims-prod --service ims-prod-api-green "
            "--task-definition 'ims-backend:<new revision>' --desired-count 2") in result.err
    assert "would call aws elbv2 modify-listener --listener-arn " + env.listener_arn in result.err
    assert env.target_groups["green"] in result.err
    assert "dry run, nothing changed" in result.out


def test_dry_run_rollback_prints_the_switch_and_changes_nothing(env, cli):
    assert cli("deploy", "--var", f"IMAGE={image('v2')}", "--scale-down-old").code == errors.OK
    before = env.state()

    result = cli("rollback", dry_run=True)

    assert result.code == errors.OK, result.err
    assert result.mutating == []
    assert env.state() == before
    assert "would call aws ecs update-service --cluster ims-prod --service ims-prod-api-blue --desired-count 2" \
        in result.err
    assert "would call aws elbv2 modify-listener" in result.err


def test_dry_run_status_only_reads(env, cli):
    result = cli("status", dry_run=True)

    assert result.code == errors.OK
    assert result.mutating == []
    assert "live colour is blue" in result.out


def test_dry_run_deploy_points_the_test_listener_before_waiting_for_health(env, cli):
    before = env.state()

    result = cli("deploy", "--var", f"IMAGE={image('v2')}", "--test-listener-arn", env.test_listener_arn,
                 dry_run=True)

    assert result.code == errors.OK, result.err
    assert result.mutating == []
    assert env.state() == before
    test_call = result.err.index("would call aws elbv2 modify-listener --listener-arn " + env.test_listener_arn)
    assert test_call < result.err.index("would wait up to 60s for green targets to be healthy")
    assert '"Weight":0' in result.err.replace(" ", "")
