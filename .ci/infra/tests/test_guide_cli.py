"""The deployment guide's AWS CLI commands, run as written with the real AWS CLI (awscli from
PyPI) against a moto server holding the resources Terraform creates, named as Terraform names
them for each environment (hcl_names.py evaluates the HCL with the environment's tfvars).

Only the <placeholders> of a guide line are filled in, the way an engineer would paste values
from `terraform output`; the endpoint comes from AWS_ENDPOINT_URL, so no flag is added.
"""
import json
import os
import shlex
import shutil
import subprocess
import time
from pathlib import Path

import boto3
import pytest
import requests

from conftest import ROOT, TERRAFORM, guide_line, load_hcl, tool, unwrap
from hcl_names import resources

ENVIRONMENTS = ["dev", "staging", "prod"]
REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's account


def terraform_names(env: str) -> dict[str, str]:
    """{"module.alb.aws_lb.this": name, ...} for the resources the CLI commands look up."""
    tfvars = {k: unwrap(v) for k, v in load_hcl(TERRAFORM / "environments" / f"{env}.tfvars").items()}
    named = {}
    for resource in resources(tfvars, env):
        for attribute in ("name", "identifier", "replication_group_id", "family", "dashboard_name"):
            value = resource.attribute(attribute) if attribute in resource.body else None
            if isinstance(value, str):
                named.setdefault(str(resource), value)
    return named


class Environment:
    """moto holding one environment as Terraform would have created it, and the CLI pointed at it."""

    def __init__(self, env: str, endpoint: str, workdir: Path):
        self.env, self.endpoint, self.workdir = env, endpoint, workdir
        self.names = terraform_names(env)
        self.cli_env = {
            "PATH": os.environ["PATH"], "HOME": str(workdir), "AWS_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": REGION,
            "AWS_CONFIG_FILE": str(workdir / "aws-config"), "AWS_SHARED_CREDENTIALS_FILE": str(workdir / "aws-credentials"),
            "AWS_PAGER": "", "LC_ALL": "C.UTF-8",
        }

    def client(self, service: str):
        return boto3.client(service, region_name=REGION, endpoint_url=self.endpoint,
                            aws_access_key_id="testing", aws_secret_access_key="testing")

    def name(self, resource: str) -> str:
        return self.names[resource]

    def run(self, line: str, **values) -> subprocess.CompletedProcess:
        """A guide line through bash (its quoting is the guide's), with <placeholders> filled in."""
        for key, value in values.items():
            line = line.replace(f"<{key}>", shlex.quote(str(value)))
        assert "<" not in line.replace("< ecs/", ""), f"unfilled placeholder in: {line}"
        if line.startswith("aws rds "):
            # awscli 1.x (the PyPI one) pins `rds` in us-east-1 to rds.amazonaws.com unless --endpoint-url
            # is given; AWS CLI 2, which the guide asks for, honours AWS_ENDPOINT_URL there as well.
            line += ' --endpoint-url "$AWS_ENDPOINT_URL"'
        aws = tool("aws")
        return subprocess.run(["bash", "-c", line], cwd=self.workdir, capture_output=True, text=True,
                              env={**self.cli_env, "PATH": f"{Path(aws).parent}{os.pathsep}{self.cli_env['PATH']}"})

    def ok(self, line: str, **values) -> dict:
        result = self.run(line, **values)
        assert result.returncode == 0, f"{line}\n{result.stderr}"
        return json.loads(result.stdout) if result.stdout.strip().startswith("{") else {}


@pytest.fixture(params=ENVIRONMENTS)
def aws(request, moto_server, tmp_path) -> Environment:
    requests.post(f"{moto_server}/moto-api/reset", timeout=30).raise_for_status()
    # The guide's relative paths (file://ecs/..., file://cloudwatch/...) are from the project root.
    for relative in ("ecs/task-definition-template.json", "ecs/migrate-task-definition-template.json",
                     "cloudwatch/dashboard.json"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / relative, tmp_path / relative)
    environment = Environment(request.param, moto_server, tmp_path)
    provision(environment)
    return environment


def provision(aws: Environment) -> None:
    """What `terraform apply` leaves behind, as far as the guide's commands look at it."""
    n = aws.name
    ec2, elbv2, ecs, iam = aws.client("ec2"), aws.client("elbv2"), aws.client("ecs"), aws.client("iam")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{16 * i}.0/20", AvailabilityZone=f"{REGION}{zone}")
               ["Subnet"]["SubnetId"] for i, zone in enumerate("ab")]
    group = ec2.create_security_group(GroupName=n("module.alb.aws_security_group.alb"), Description="alb",
                                      VpcId=vpc)["GroupId"]
    alb = elbv2.create_load_balancer(Name=n("module.alb.aws_lb.this"), Subnets=subnets, SecurityGroups=[group],
                                     Type="application")["LoadBalancers"][0]["LoadBalancerArn"]
    groups = {}
    for key, label in (("blue", 'aws_lb_target_group.colour["blue"]'), ("green", 'aws_lb_target_group.colour["green"]'),
                       ("frontend", "aws_lb_target_group.frontend")):
        groups[key] = elbv2.create_target_group(
            Name=n(f"module.alb.{label}"), Protocol="HTTP", Port=8080 if key == "frontend" else 8000, VpcId=vpc,
            TargetType="ip", HealthCheckPath="/health" if key == "frontend" else "/api/health/ready",
        )["TargetGroups"][0]["TargetGroupArn"]
    listener = elbv2.create_listener(LoadBalancerArn=alb, Protocol="HTTP", Port=80, DefaultActions=[
        {"Type": "forward", "TargetGroupArn": groups["blue"]}])["Listeners"][0]["ListenerArn"]
    cluster = n("module.api_service.aws_ecs_cluster.this")
    ecs.create_cluster(clusterName=cluster)
    roles = {}
    for key, label in (("task", "module.api_service.aws_iam_role.task"),
                       ("execution", "module.api_service.module.service_base.module.execution_role.aws_iam_role.execution")):
        roles[key] = iam.create_role(RoleName=n(label), AssumeRolePolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                    "Principal": {"Service": "ecs-tasks.amazonaws.com"}}]}))["Role"]["Arn"]
    bootstrap = ecs.register_task_definition(
        family=n("module.api_service.aws_ecs_task_definition.bootstrap"), requiresCompatibilities=["FARGATE"],
        networkMode="awsvpc", cpu="256", memory="512",
        containerDefinitions=[{"name": "backend", "image": "bootstrap", "portMappings": [{"containerPort": 8000}]}],
    )["taskDefinition"]["taskDefinitionArn"]
    services = {}
    for key, label, port, container in (
            ("blue", 'module.api_service.aws_ecs_service.colour["blue"]', 8000, "backend"),
            ("green", 'module.api_service.aws_ecs_service.colour["green"]', 8000, "backend"),
            ("frontend", "module.frontend.aws_ecs_service.frontend", 8080, "frontend")):
        services[key] = n(label)
        ecs.create_service(cluster=cluster, serviceName=services[key], taskDefinition=bootstrap, launchType="FARGATE",
                           desiredCount=0 if key == "green" else 1, loadBalancers=[
                               {"targetGroupArn": groups[key], "containerName": container, "containerPort": port}],
                           networkConfiguration={"awsvpcConfiguration": {"subnets": subnets, "securityGroups": [group]}})
    tfvars = {k: unwrap(v) for k, v in load_hcl(TERRAFORM / "environments" / f"{aws.env}.tfvars").items()}
    aws.client("rds").create_db_instance(
        DBInstanceIdentifier=n("module.database.aws_db_instance.this"), Engine="postgres",
        DBInstanceClass=tfvars["db_instance_class"], AllocatedStorage=tfvars["db_allocated_storage"],
        MultiAZ=tfvars["multi_az_database"], MasterUsername="ims", MasterUserPassword="not-a-real-password")
    group_id = n("module.cache.aws_elasticache_replication_group.this")
    member = f"{group_id}-0001-001" if tfvars["cache_cluster_mode"] else f"{group_id}-001"
    aws.client("elasticache").create_cache_cluster(CacheClusterId=member, Engine="redis", NumCacheNodes=1,
                                                    CacheNodeType=tfvars["cache_instance_class"])
    logs = aws.client("logs")
    log_group = n("module.api_service.module.service_base.aws_cloudwatch_log_group.this")
    logs.create_log_group(logGroupName=log_group)
    logs.create_log_stream(logGroupName=log_group, logStreamName=f"{aws.env}/backend/0123abcd")
    now = int(time.time() * 1000)  # CloudWatch Logs refuses events older than 14 days
    logs.put_log_events(logGroupName=log_group, logStreamName=f"{aws.env}/backend/0123abcd", logEvents=[
        {"timestamp": now - 1000, "message": '{"level": "ERROR", "logger": "ims", "message": "boom"}'},
        {"timestamp": now, "message": '{"level": "INFO", "logger": "ims.access", "status": 200}'}])
    aws.vpc, aws.subnets, aws.alb, aws.listener, aws.groups = vpc, subnets, alb, listener, groups
    aws.cluster, aws.services, aws.roles, aws.member, aws.log_group = cluster, services, roles, member, log_group


# ---------------------------------------------------------------- Infrastructure Verification

def test_infrastructure_verification_commands(aws):
    vpcs = aws.ok(guide_line("aws ec2 describe-vpcs"), vpc_id=aws.vpc)
    assert [v["VpcId"] for v in vpcs["Vpcs"]] == [aws.vpc]
    subnets = aws.ok(guide_line("aws ec2 describe-subnets"), vpc_id=aws.vpc)
    assert {s["SubnetId"] for s in subnets["Subnets"]} == set(aws.subnets)
    db = aws.ok(guide_line("aws rds describe-db-instances --db-instance-identifier <rds_identifier>"), rds_identifier=aws.name("module.database.aws_db_instance.this"))
    assert db["DBInstances"][0]["DBInstanceIdentifier"] == aws.name("module.database.aws_db_instance.this")
    cache = aws.ok(guide_line("aws elasticache describe-cache-clusters"), cache_cluster_id=aws.member)
    assert cache["CacheClusters"][0]["CacheClusterId"] == aws.member
    clusters = aws.ok(guide_line("aws ecs describe-clusters"), cluster_name=aws.cluster)
    assert clusters["clusters"][0]["clusterName"] == aws.cluster and not clusters["failures"]
    lbs = aws.ok(guide_line("aws elbv2 describe-load-balancers"), lb_name=aws.name("module.alb.aws_lb.this"))
    assert lbs["LoadBalancers"][0]["LoadBalancerArn"] == aws.alb


# ---------------------------------------------------------------- Amazon ECR Setup

def test_ecr_setup_commands_create_the_repositories_terraform_names(aws):
    for repository in ("frontend", "backend"):
        created = aws.ok(guide_line(f"aws ecr create-repository --repository-name interaction-mgmt/{repository}"))
        assert created["repository"]["repositoryName"] == aws.name(f"module.ecr_{repository}.aws_ecr_repository.this")
    login = aws.run(guide_line("aws ecr get-login-password --region us-east-1 |").split(" | ")[0])
    assert login.returncode == 0 and login.stdout.strip(), login.stderr


# ---------------------------------------------------------------- Deploying to ECS

def test_render_register_update_and_monitor_the_backend(aws):
    variables = {
        "ENVIRONMENT": aws.env, "AWS_REGION": REGION,
        "IMAGE_URI": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/interaction-mgmt/backend:1.2.0-{aws.env}-abc1234",
        "APP_VERSION": f"1.2.0-{aws.env}-abc1234", "TASK_ROLE_ARN": aws.roles["task"],
        "EXECUTION_ROLE_ARN": aws.roles["execution"], "CPU": "2048", "MEMORY": "4096", "STORAGE_GIB": "50",
        "APP_ENV": "staging", "LOG_LEVEL": "INFO", "DB_HOST": "db.internal", "DB_PORT": "5432", "DB_NAME": "interactions",
        "DB_SECRET_ARN": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:rds-owner",
        "DB_APP_SECRET_ARN": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:db-app",
        "APP_SECRET_ARN": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:backend",
        "REDIS_CLUSTER": "false", "REDIS_KEY_PREFIX": "ims:", "FORWARDED_ALLOW_IPS": "10.0.0.0/20,10.0.16.0/20", "AUTH0_DOMAIN": "",
        "AUTH0_AUDIENCE": "", "AUTH0_CLIENT_ID": "", "SENDGRID_FROM_EMAIL": "no-reply@example.com",
        "CORS_ORIGINS": "https://app.example.com", "PUBLIC_BASE_URL": "https://app.example.com",
        "LOGIN_RATE_LIMIT": "10/minute", "CACHE_TTL_SECONDS": "60", "GUNICORN_WORKERS": "4",
    }
    render = subprocess.run(["bash", "-c", guide_line("envsubst < ecs/task-definition-template.json")],
                            cwd=aws.workdir, env={**os.environ, **variables}, capture_output=True, text=True)
    assert render.returncode == 0, render.stderr
    assert "${" not in (aws.workdir / "ecs" / "task-definition.json").read_text()
    registered = aws.ok(guide_line("aws ecs register-task-definition --cli-input-json file://ecs/task-definition.json"))
    definition = registered["taskDefinition"]
    assert definition["family"] == aws.name("module.api_service.aws_ecs_task_definition.bootstrap")
    assert definition["revision"] == 2 and definition["ephemeralStorage"] == {"sizeInGiB": 50}

    service = aws.services["blue"]
    update = guide_line("aws ecs update-service --cluster <cluster_name> --service <service_name>")
    updated = aws.ok(update, cluster_name=aws.cluster, service_name=service,
                     task_definition_family=definition["family"], task_definition_revision=definition["revision"])
    revision = f'{definition["family"]}:{definition["revision"]}'
    assert updated["service"]["taskDefinition"].endswith(revision)
    described = aws.ok(guide_line("aws ecs describe-services --cluster <cluster_name> --services <service_name>"),
                       cluster_name=aws.cluster, service_name=service)
    assert described["services"][0]["taskDefinition"].endswith(revision)
    # The migration task (owner credentials) renders and registers the same way.
    subprocess.run(["bash", "-c", "envsubst < ecs/migrate-task-definition-template.json > ecs/migrate.json"],
                   cwd=aws.workdir, env={**os.environ, **variables}, check=True)
    migrate = aws.ok("aws ecs register-task-definition --cli-input-json file://ecs/migrate.json")["taskDefinition"]
    assert migrate["family"] == f"interaction-management-{aws.env}-migrate"
    assert "grant-app-role --role-env APP_DB_USER" in migrate["containerDefinitions"][0]["command"][2]
    frontend = aws.ok(guide_line("aws ecs describe-services --cluster <cluster_name> --services <service_name>"),
                      cluster_name=aws.cluster, service_name=f"interaction-management-{aws.env}-frontend")
    assert frontend["services"][0]["loadBalancers"][0]["targetGroupArn"] == aws.groups["frontend"]


def test_manual_deployment_command_does_not_exist_and_update_service_does_its_job(aws):
    """`aws ecs deploy` is a CodeDeploy-only command of AWS CLI v2 and takes no --cli-input-json."""
    (aws.workdir / "deploy.json").write_text(json.dumps({"cluster": aws.cluster, "service": aws.services["blue"]}))
    result = aws.run(guide_line("aws ecs deploy --cli-input-json file://deploy.json"))
    assert result.returncode != 0 and "invalid choice" in result.stderr.lower()
    replacement = guide_line("aws ecs update-service --cluster <cluster> --service <service> --task-definition <task-def> --force-new-deployment")
    assert aws.ok(replacement, cluster=aws.cluster, service=aws.services["blue"],
                  **{"task-def": aws.name("module.api_service.aws_ecs_task_definition.bootstrap")})["service"]


# ---------------------------------------------------------------- Blue-green switch and rollback

def test_listener_switch_to_green_and_back(aws):
    switch = guide_line("aws elbv2 modify-listener --listener-arn <listener-arn> --default-actions Type=forward,TargetGroupArn=<green-target-group-arn>")
    aws.ok(switch, **{"listener-arn": aws.listener, "green-target-group-arn": aws.groups["green"]})
    listener = aws.client("elbv2").describe_listeners(ListenerArns=[aws.listener])["Listeners"][0]
    assert listener["DefaultActions"][0]["TargetGroupArn"] == aws.groups["green"]
    back = guide_line("aws elbv2 modify-listener --listener-arn <listener-arn> --default-actions Type=forward,TargetGroupArn=<previous-target-group-arn>")
    aws.ok(back, **{"listener-arn": aws.listener, "previous-target-group-arn": aws.groups["blue"]})
    listener = aws.client("elbv2").describe_listeners(ListenerArns=[aws.listener])["Listeners"][0]
    assert listener["DefaultActions"][0]["TargetGroupArn"] == aws.groups["blue"]
    names = [aws.name('module.alb.aws_lb_target_group.colour["blue"]'),
             aws.name('module.alb.aws_lb_target_group.colour["green"]'), aws.name("module.alb.aws_lb_target_group.frontend")]
    groups = aws.ok("aws elbv2 describe-target-groups --names <blue> <green> <frontend>",
                    blue=names[0], green=names[1], frontend=names[2])
    by_name = {g["TargetGroupName"]: g for g in groups["TargetGroups"]}
    assert [by_name[name]["TargetGroupArn"] for name in names] == [aws.groups[k] for k in ("blue", "green", "frontend")]
    assert [by_name[name]["HealthCheckPath"] for name in names] == ["/api/health/ready", "/api/health/ready", "/health"]


# ---------------------------------------------------------------- Monitoring and logs

def test_dashboard_goes_up_from_the_committed_file(aws):
    aws.ok(guide_line("aws cloudwatch put-dashboard --dashboard-name InteractionManagementSystem"))
    stored = aws.client("cloudwatch").get_dashboard(DashboardName="InteractionManagementSystem")
    assert json.loads(stored["DashboardBody"]) == json.loads((ROOT / "cloudwatch" / "dashboard.json").read_text())
    assert stored["DashboardName"] == aws.name("module.monitoring.aws_cloudwatch_dashboard.this")


def test_alarm_topic_and_subscription(aws):
    created = aws.ok(guide_line("aws sns create-topic --name InteractionManagementAlarms"))
    assert created["TopicArn"].endswith(":" + aws.name("module.monitoring.aws_sns_topic.alarms"))
    aws.ok(guide_line("aws sns subscribe --topic-arn <topic-arn>"), **{"topic-arn": created["TopicArn"]})
    subscriptions = aws.client("sns").list_subscriptions_by_topic(TopicArn=created["TopicArn"])["Subscriptions"]
    assert [(s["Protocol"], s["Endpoint"]) for s in subscriptions] == [("email", "alerts@example.com")]


def test_log_commands_read_the_backend_log_group(aws):
    events = aws.ok(guide_line("aws logs get-log-events --log-group-name /ecs/interaction-management-backend"),
                    **{"log-stream-id": f"{aws.env}/backend/0123abcd"})
    assert len(events["events"]) == 2
    errors = aws.ok(guide_line("aws logs filter-log-events --log-group-name /ecs/interaction-management-backend"))
    assert [json.loads(e["message"])["level"] for e in errors["events"]] == ["ERROR"]


# ---------------------------------------------------------------- Rollback Procedures and Command Reference

def test_rollback_commands(aws):
    family = aws.name("module.api_service.aws_ecs_task_definition.bootstrap")
    previous = guide_line("aws ecs update-service --cluster <cluster> --service <service> --task-definition <previous-task-definition>")
    rolled = aws.ok(previous, cluster=aws.cluster, service=aws.services["blue"], **{"previous-task-definition": f"{family}:1"})
    assert rolled["service"]["taskDefinition"].endswith(f"{family}:1")
    instance = aws.name("module.database.aws_db_instance.this")
    restore = guide_line("aws rds restore-db-instance-to-point-in-time")
    restored = aws.ok(restore, **{"db-instance": instance, "timestamp": "2026-01-01T00:00:00Z"})
    assert restored["DBInstance"]["DBInstanceIdentifier"] == f"{instance}-restore"


def test_command_reference_lines(aws):
    described = aws.ok(guide_line("aws rds describe-db-instances --db-instance-identifier <db-instance>"),
                       **{"db-instance": aws.name("module.database.aws_db_instance.this")})
    assert len(described["DBInstances"]) == 1
    events = aws.ok(guide_line("aws logs get-log-events --log-group-name <log-group>"),
                    **{"log-group": aws.log_group, "stream": f"{aws.env}/backend/0123abcd"})
    assert events["events"]
    topic = aws.client("sns").create_topic(Name="InteractionManagementAlarms")["TopicArn"]
    alarm = guide_line("aws cloudwatch put-metric-alarm")
    aws.ok(alarm, name=f"interaction-management-{aws.env}-blue-unhealthy-targets", metric="UnHealthyHostCount",
           namespace="AWS/ApplicationELB", value=0, operator="GreaterThanThreshold", periods=3, seconds=60,
           statistic="Maximum", actions=topic)
    stored = aws.client("cloudwatch").describe_alarms()["MetricAlarms"]
    assert [(a["MetricName"], a["AlarmActions"]) for a in stored] == [("UnHealthyHostCount", [topic])]
