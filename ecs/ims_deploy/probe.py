"""The seam between the deploy logic and the world it waits on.

The deployer never reads target health, service stability, the health URL or the time directly;
it asks a Probe and a Clock. The defaults below ask AWS, HTTP and the system clock. Tests pass a
Probe that answers from a scripted scenario (moto runs no health checks and starts no tasks) and
a Clock whose sleep only advances a counter; everything else in the tool runs unchanged.
"""

import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Protocol

STABLE, IN_PROGRESS, FAILED = "stable", "in_progress", "failed"


@dataclass(frozen=True)
class Target:
    id: str
    port: int | None
    state: str  # the ALB's: initial, healthy, unhealthy, unused, draining, unavailable
    reason: str = ""


class Probe(Protocol):
    def target_health(self, target_group_arn: str) -> list[Target]: ...

    def service_state(self, cluster: str, service: str) -> str:
        """STABLE, IN_PROGRESS or FAILED (the deployment circuit breaker gave up)."""

    def http_ok(self, url: str) -> tuple[bool, str]:
        """Whether GET url answers 2xx, and a short description of the answer."""


class Clock(Protocol):
    def monotonic(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class AwsProbe:
    """Target health from the load balancer, stability the way `aws ecs wait services-stable`
    judges it, and the health URL over plain HTTP."""

    def __init__(self, aws, http_timeout: float = 5.0):
        self._aws = aws
        self._http_timeout = http_timeout

    def target_health(self, target_group_arn: str) -> list[Target]:
        response = self._aws.read("elbv2", "describe_target_health", TargetGroupArn=target_group_arn)
        return [
            Target(
                id=item["Target"]["Id"],
                port=item["Target"].get("Port"),
                state=item["TargetHealth"]["State"],
                reason=item["TargetHealth"].get("Reason", ""),
            )
            for item in response["TargetHealthDescriptions"]
        ]

    def service_state(self, cluster: str, service: str) -> str:
        response = self._aws.read("ecs", "describe_services", cluster=cluster, services=[service])
        if not response["services"]:
            return FAILED
        svc = response["services"][0]
        deployments = svc.get("deployments", [])
        if any(d.get("rolloutState") == "FAILED" for d in deployments if d["status"] == "PRIMARY"):
            return FAILED
        settled = len(deployments) == 1 and deployments[0].get("rolloutState", "COMPLETED") == "COMPLETED"
        if settled and svc["runningCount"] == svc["desiredCount"]:
            return STABLE
        return IN_PROGRESS

    def http_ok(self, url: str) -> tuple[bool, str]:
        if not url.startswith(("http://", "https://")):  # never file:// or custom schemes
            return False, f"not an http(s) URL: {url}"
        try:
            # the scheme is checked above: bandit B310 (file:// and custom schemes) cannot apply
            with urllib.request.urlopen(url, timeout=self._http_timeout) as response:  # noqa: S310 # nosec B310
                return 200 <= response.status < 300, f"HTTP {response.status}"
        except urllib.error.HTTPError as exc:
            return False, f"HTTP {exc.code}"
        except (urllib.error.URLError, OSError) as exc:
            return False, str(getattr(exc, "reason", exc))
