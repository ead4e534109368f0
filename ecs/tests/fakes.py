"""Test doubles for the deploy tool's seam (ims_deploy.probe): the things moto does not model.

moto keeps services, task definitions, target groups and listeners, but runs no tasks and no
load-balancer health checks. ScriptedProbe stands in for both, answering from the moto state as
AWS would under a scenario: a target group has one target per desired task of the service
attached to it, and the image that service runs decides whether those targets pass.
FakeClock makes every wait instant while keeping the tool's timeouts meaningful.
"""

from ims_deploy.probe import IN_PROGRESS, STABLE, Target


class FakeClock:
    def __init__(self):
        self.now = 1000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class ScriptedProbe:
    def __init__(self, env):
        self.env = env
        self.never_healthy: set[str] = set()  # images whose targets always fail health checks
        self.fail_under_traffic: set[str] = set()  # healthy until the live listener sends them traffic
        self.never_stable: set[str] = set()  # images whose ECS deployment never settles
        # As on AWS: the ALB health-checks only target groups that some listener names (at any
        # weight); the targets of any other group report 'unused'. Off by default, so that tests
        # about other things need no test listener.
        self.checks_need_a_listener = False
        self.max_targets: int | None = None  # tasks that ever register (None: one per desired task)
        self.http_status = 200
        self.urls: list[str] = []

    def target_health(self, target_group_arn: str) -> list[Target]:
        service = self._service_behind(target_group_arn)
        image = self.env.image_of(service["taskDefinition"])
        failing = image in self.never_healthy or (
            image in self.fail_under_traffic and self.env.live_target_group() == target_group_arn)
        state, reason = ("unhealthy", "Target.ResponseCodeMismatch") if failing else ("healthy", "")
        if self.checks_need_a_listener and target_group_arn not in self.env.named_by_a_listener():
            state, reason = "unused", "Target.NotInUse"
        registered = service["desiredCount"] if self.max_targets is None else min(self.max_targets,
                                                                                 service["desiredCount"])
        return [Target(f"10.0.1.{10 + i}", 8000, state, reason) for i in range(registered)]

    def service_state(self, cluster: str, service: str) -> str:
        svc = self.env.ecs.describe_services(cluster=cluster, services=[service])["services"][0]
        return IN_PROGRESS if self.env.image_of(svc["taskDefinition"]) in self.never_stable else STABLE

    def http_ok(self, url: str) -> tuple[bool, str]:
        self.urls.append(url)
        return 200 <= self.http_status < 300, f"HTTP {self.http_status}"

    def _service_behind(self, target_group_arn: str) -> dict:
        for colour in ("blue", "green"):
            service = self.env.service(colour)
            if service["loadBalancers"][0]["targetGroupArn"] == target_group_arn:
                return service
        raise AssertionError(f"no service behind {target_group_arn}")


class CallRecorder:
    """Every AWS operation the tool makes through its session, as `service.Operation`."""

    def __init__(self, session):
        self.calls: list[str] = []
        session.events.register("before-call", self._record)

    def _record(self, model, **_):
        self.calls.append(f"{model.service_model.service_name}.{model.name}")

    def mutating(self) -> list[str]:
        return [c for c in self.calls if not c.split(".", 1)[1].startswith(("Describe", "List", "Get"))]
