"""The default Probe reads what AWS reports; moto can show the shapes it parses."""

import boto3
from conftest import REGION

from ims_deploy.aws import Aws
from ims_deploy.log import StepLog
from ims_deploy.probe import FAILED, IN_PROGRESS, AwsProbe


def aws_probe(env):
    return AwsProbe(Aws(boto3.Session(region_name=REGION), REGION, dry_run=False, log=StepLog(env.clock)))


def test_target_health_comes_from_the_load_balancer(env):
    env.elbv2.register_targets(TargetGroupArn=env.target_groups["blue"],
                               Targets=[{"Id": "10.0.1.5", "Port": 8000}])

    targets = aws_probe(env).target_health(env.target_groups["blue"])

    assert [(t.id, t.port, t.state) for t in targets] == [("10.0.1.5", 8000, "healthy")]


def test_service_with_a_rollout_in_progress_is_not_stable(env):
    # moto leaves every rollout IN_PROGRESS with no running tasks, which is why tests use a fake probe
    assert aws_probe(env).service_state(env.cluster, env.services["blue"]) == IN_PROGRESS


def test_missing_service_counts_as_failed(env):
    assert aws_probe(env).service_state(env.cluster, "ims-prod-api-gone") == FAILED


def test_health_url_that_cannot_be_reached_is_not_ok(env):
    ok, detail = aws_probe(env).http_ok("http://127.0.0.1:9/api/health")
    assert not ok and detail
