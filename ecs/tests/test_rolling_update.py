"""The workflow's frontend rollout, run as the workflow runs it: the real AWS CLI, jq and
ecs/rolling-update.sh against the moto server.

moto starts no tasks and leaves a service's deployments on the revision it was created with, so
the services here want 0 tasks (which `aws ecs wait services-stable` accepts at once) and end
exactly as a service does after the deployment circuit breaker rolled it back: stable, on the
old revision. That is the case the script exists to catch."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ECS = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent  # the venv's `aws`
REPOSITORY = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/interaction-mgmt/frontend"


def shell(script: str, **variables: str) -> subprocess.CompletedProcess:
    process_env = {**os.environ, **variables, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=process_env,
                          cwd=ECS, timeout=300, check=False)


def frontend_service(env, containers: list[dict]) -> None:
    env.ecs.register_task_definition(
        family="ims-frontend", networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256", memory="512",
        containerDefinitions=containers)
    env.ecs.create_service(cluster=env.cluster, serviceName="ims-prod-frontend", taskDefinition="ims-frontend:1",
                           desiredCount=0, launchType="FARGATE")


# The workflow's "Frontend rolling update" step (and the manual deploy's command), with its variables.
ROLLOUT = """set -euo pipefail
ARN="$(bash frontend-task-definition.sh "$ECS_CLUSTER" "$ECS_SERVICE_FRONTEND" "$FRONTEND_IMAGE")"
bash rolling-update.sh "$ECS_CLUSTER" "$ECS_SERVICE_FRONTEND" "$ARN"
"""


def test_frontend_rollout_registers_the_new_image_and_fails_when_the_service_stays_on_the_old(env, tmp_path):
    sidecar = {"name": "log-router", "image": "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0",
               "memory": 64, "essential": False}
    frontend_service(env, [sidecar, {"name": "web", "image": f"{REPOSITORY}:1.0.0-prod-aaaa", "memory": 256,
                                     "environment": [{"name": "REACT_APP_API_URL", "value": "https://api.example"}]}])

    result = shell(ROLLOUT, ECS_CLUSTER=env.cluster, ECS_SERVICE_FRONTEND="ims-prod-frontend",
                   FRONTEND_IMAGE=f"{REPOSITORY}:1.0.1-prod-bbbb", TMP=str(tmp_path))

    service = env.ecs.describe_services(cluster=env.cluster, services=["ims-prod-frontend"])["services"][0]
    assert service["taskDefinition"].endswith(":task-definition/ims-frontend:2")
    containers = env.ecs.describe_task_definition(taskDefinition="ims-frontend:2")["taskDefinition"][
        "containerDefinitions"]
    assert [c["image"] for c in containers] == [sidecar["image"], f"{REPOSITORY}:1.0.1-prod-bbbb"]
    assert containers[1]["environment"] == [{"name": "REACT_APP_API_URL", "value": "https://api.example"}]
    # the service settled on its old deployment, as after a circuit-breaker rollback
    assert result.returncode == 1, result.stderr
    assert "ims-prod-frontend runs arn:aws:ecs:eu-west-1:123456789012:task-definition/ims-frontend:1, not " \
           "arn:aws:ecs:eu-west-1:123456789012:task-definition/ims-frontend:2: the circuit breaker rolled it back" \
           in result.stderr


def test_frontend_rollout_refuses_to_guess_the_container(env, tmp_path):
    frontend_service(env, [{"name": "a", "image": "nginx:1", "memory": 64},
                           {"name": "b", "image": "busybox:1", "memory": 64}])

    result = shell(ROLLOUT, ECS_CLUSTER=env.cluster, ECS_SERVICE_FRONTEND="ims-prod-frontend",
                   FRONTEND_IMAGE=f"{REPOSITORY}:1.0.1-prod-bbbb", TMP=str(tmp_path))

    assert result.returncode != 0
    assert f"no container runs an image of {REPOSITORY}" in result.stderr
    assert len(env.ecs.list_task_definitions(familyPrefix="ims-frontend")["taskDefinitionArns"]) == 1


@pytest.mark.parametrize("argv", [[], ["only-a-cluster"]])
def test_rolling_update_wants_its_three_arguments(argv):
    result = subprocess.run(["bash", str(ECS / "rolling-update.sh"), *argv], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 2
    assert "usage:" in result.stderr
