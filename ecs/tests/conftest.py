"""A whole fake production environment on a moto server: VPC, subnets, ALB with a live and a test
listener, blue and green target groups, an ECS cluster with one service per colour.

The server listens on a free port for the whole session; every client (the tool's, the tests',
the AWS CLI's and the tool's own process when a test runs it as a command) reaches it through
AWS_ENDPOINT_URL, and each test starts from an empty server."""

import json
import logging
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from fakes import CallRecorder, FakeClock, ScriptedProbe
from ims_deploy.cli import main

REGION = "eu-west-1"
TEMPLATE = Path(__file__).parent / "fixtures" / "task-definition.json"
DIMENSION = "ecs:service:DesiredCount"
REPO = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/ims-backend"


@dataclass
class Result:
    code: int
    out: str
    err: str
    calls: list[str]
    mutating: list[str]

    def json(self) -> dict:
        return json.loads(self.out)


@dataclass
class FakeEnv:
    ecs: object
    elbv2: object
    cluster: str
    services: dict
    target_groups: dict
    listener_arn: str
    test_listener_arn: str
    probe: ScriptedProbe = field(init=False)
    clock: FakeClock = field(default_factory=FakeClock)

    # -- what AWS looks like now

    def service(self, colour: str) -> dict:
        return self.ecs.describe_services(cluster=self.cluster, services=[self.services[colour]])["services"][0]

    def task_definition_of(self, colour: str) -> str:
        """`family:revision` the colour's service runs."""
        return self.service(colour)["taskDefinition"].split("/")[-1]

    def image_of(self, task_definition: str) -> str:
        td = self.ecs.describe_task_definition(taskDefinition=task_definition)["taskDefinition"]
        return td["containerDefinitions"][0]["image"]

    def weights(self, listener_arn: str) -> dict[str, int]:
        """Target group ARN -> weight in the listener's forward action (the ALB checks them all)."""
        actions = self.elbv2.describe_listeners(ListenerArns=[listener_arn])["Listeners"][0]["DefaultActions"]
        (action,) = [a for a in actions if a["Type"] == "forward"]
        groups = action.get("ForwardConfig", {}).get("TargetGroups")
        if not groups:
            return {action["TargetGroupArn"]: 1}
        return {g["TargetGroupArn"]: g.get("Weight", 1) for g in groups}

    def forwards_to(self, listener_arn: str) -> str:
        (arn,) = [arn for arn, weight in self.weights(listener_arn).items() if weight > 0]
        return arn

    def named_by_a_listener(self) -> set[str]:
        return {arn for listener in (self.listener_arn, self.test_listener_arn) for arn in self.weights(listener)}

    def live_target_group(self) -> str:
        return self.forwards_to(self.listener_arn)

    def live_colour(self) -> str:
        live = self.live_target_group()
        return next(c for c, arn in self.target_groups.items() if arn == live)

    def revisions(self) -> list[str]:
        return self.ecs.list_task_definitions(familyPrefix="ims-backend")["taskDefinitionArns"]

    def state(self) -> dict:
        """Everything a deploy or rollback could change, to compare before/after."""
        return {
            "live": self.live_target_group(),
            "test": self.forwards_to(self.test_listener_arn),
            "revisions": self.revisions(),
            "services": {c: (self.task_definition_of(c), self.service(c)["desiredCount"]) for c in self.services},
        }

    # -- running the tool

    def target_flags(self) -> list[str]:
        return ["--cluster", self.cluster, "--service-blue", self.services["blue"],
                "--service-green", self.services["green"], "--listener-arn", self.listener_arn]

    def run(self, *argv: str, capsys) -> Result:
        session = boto3.Session(region_name=REGION)
        recorder = CallRecorder(session)
        code = main(list(argv), session=session, probe=self.probe, clock=self.clock)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err, recorder.calls, recorder.mutating())


def _build(ecs, elbv2, ec2) -> FakeEnv:
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"{REGION}{az}")
               ["Subnet"]["SubnetId"] for i, az in ((1, "a"), (2, "b"))]
    sg = ec2.create_security_group(GroupName="ims-api", Description="API tasks", VpcId=vpc)["GroupId"]
    alb = elbv2.create_load_balancer(Name="ims-prod", Subnets=subnets, SecurityGroups=[sg])
    alb_arn = alb["LoadBalancers"][0]["LoadBalancerArn"]
    tgs = {
        colour: elbv2.create_target_group(
            Name=f"ims-prod-{colour}", Protocol="HTTP", Port=8000, VpcId=vpc, TargetType="ip",
            HealthCheckPath="/api/health")["TargetGroups"][0]["TargetGroupArn"]
        for colour in ("blue", "green")
    }
    listener = elbv2.create_listener(LoadBalancerArn=alb_arn, Protocol="HTTP", Port=80,
                                     DefaultActions=[{"Type": "forward", "TargetGroupArn": tgs["blue"]}])
    test_listener = elbv2.create_listener(LoadBalancerArn=alb_arn, Protocol="HTTP", Port=8080,
                                          DefaultActions=[{"Type": "forward", "TargetGroupArn": tgs["green"]}])
    ecs.create_cluster(clusterName="ims-prod")
    ecs.register_task_definition(**_initial_task_definition())
    services = {}
    for colour, count in (("blue", 2), ("green", 0)):
        services[colour] = f"ims-prod-api-{colour}"
        ecs.create_service(
            cluster="ims-prod", serviceName=services[colour], taskDefinition="ims-backend:1",
            desiredCount=count, launchType="FARGATE",
            loadBalancers=[{"targetGroupArn": tgs[colour], "containerName": "api", "containerPort": 8000}],
            networkConfiguration={"awsvpcConfiguration": {"subnets": subnets, "securityGroups": [sg]}},
        )
    return FakeEnv(ecs=ecs, elbv2=elbv2, cluster="ims-prod", services=services, target_groups=tgs,
                   listener_arn=listener["Listeners"][0]["ListenerArn"],
                   test_listener_arn=test_listener["Listeners"][0]["ListenerArn"])


def _initial_task_definition() -> dict:
    return {
        "family": "ims-backend", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"],
        "cpu": "256", "memory": "512",
        "containerDefinitions": [{"name": "api", "image": f"{REPO}:v1", "essential": True,
                                  "portMappings": [{"containerPort": 8000}]}],
    }


@pytest.fixture(scope="session")
def moto_url():
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no request log in the tool's stderr
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def env(monkeypatch, moto_url):
    # moto's own reset endpoint: every test starts from an empty AWS
    urllib.request.urlopen(urllib.request.Request(f"{moto_url}/moto-api/reset", method="POST"), timeout=30).close()
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_url)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SECURITY_TOKEN", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    for name in ("IMS_CLUSTER", "IMS_SERVICE_BLUE", "IMS_SERVICE_GREEN", "IMS_LISTENER_ARN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("LOG_LEVEL", "INFO")
    monkeypatch.setenv("EXECUTION_ROLE_ARN", "arn:aws:iam::123456789012:role/ims-prod-task-execution")
    fake = _build(boto3.client("ecs", region_name=REGION), boto3.client("elbv2", region_name=REGION),
                  boto3.client("ec2", region_name=REGION))
    fake.probe = ScriptedProbe(fake)
    return fake


@pytest.fixture
def cli(env, capsys):
    """Run `ims-deploy` through main(argv): cli("deploy", "--var", "IMAGE=...", dry_run=True)."""

    def run(command: str, *extra: str, dry_run: bool = False, as_json: bool = False) -> Result:
        argv = (["--dry-run"] if dry_run else []) + (["--json"] if as_json else []) + [command]
        argv += env.target_flags() + ["--poll-interval", "5"]
        if command == "deploy":
            argv += ["--bake-seconds", "60", "--stable-timeout", "120", "--health-timeout", "60"]
            if "--task-definition" not in extra and "--template" not in extra:
                argv += ["--template", str(TEMPLATE)]
        return env.run(*argv, *extra, capsys=capsys)

    return run


@pytest.fixture
def scaling(env):
    """Both colours as App Auto Scaling targets, 2 to 6 tasks, as terraform/modules/api_service makes them:
    (register(colour, min, max), of(colour) -> (min, max))."""
    client = boto3.client("application-autoscaling", region_name=REGION)

    def register(colour: str, minimum: int, maximum: int) -> None:
        client.register_scalable_target(ServiceNamespace="ecs", ScalableDimension=DIMENSION,
                                        ResourceId=f"service/{env.cluster}/{env.services[colour]}",
                                        MinCapacity=minimum, MaxCapacity=maximum)

    def of(colour: str) -> tuple[int, int]:
        (target,) = client.describe_scalable_targets(
            ServiceNamespace="ecs", ScalableDimension=DIMENSION,
            ResourceIds=[f"service/{env.cluster}/{env.services[colour]}"])["ScalableTargets"]
        return target["MinCapacity"], target["MaxCapacity"]

    register("blue", 2, 6)
    register("green", 2, 6)
    return register, of


def image(tag: str) -> str:
    return f"{REPO}:{tag}"
