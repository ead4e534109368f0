"""A deploy re-run on the same commit: the workflow's own push step, run twice with the real AWS CLI
against a moto server holding the two ECR repositories as Terraform creates them (immutable tags,
KMS, scan on push), and a stand-in `docker` whose push is ECR's `put-image` of a fresh manifest
(every build is a new image). Also the guide's `aws ecr create-repository` against those
repositories, and the frontend's manual deploy command of docs/DEPLOYMENT.md."""
import json
import os
import re
import subprocess
from pathlib import Path

import boto3
import pytest
import requests
import yaml

from conftest import ROOT, TERRAFORM, guide_line, load_hcl, tool, unwrap
from test_docs import conformance_rows
from test_guide_cli import Environment, provision

REGION = "us-east-1"
REGISTRY = f"123456789012.dkr.ecr.{REGION}.amazonaws.com"
TAG = "1.4.0-prod-0a1b2c3d"
WORKFLOW = ROOT / ".github" / "workflows" / "deploy-environment.yml"
DOC = ROOT / "docs" / "DEPLOYMENT.md"

# The docker CLI as far as the push step uses it; every call is logged to $DOCKER_LOG.
FAKE_DOCKER = r"""#!/usr/bin/env bash
set -euo pipefail
echo "$*" >> "$DOCKER_LOG"
case "$1" in
  login) cat >/dev/null; echo "Login Succeeded" ;;
  push|pull)
    image="$2" tag="${2##*:}" repository="${2%:*}"; repository="${repository#*/}"
    if [ "$1" = pull ]; then
      aws ecr batch-get-image --repository-name "$repository" --image-ids "imageTag=${tag}" \
        --query 'images[0].imageId.imageDigest' --output text | grep -q '^sha256:'
      exit
    fi
    # A rebuild is a new image: a layer (and so a digest) nobody pushed before.
    layer="sha256:$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')"
    manifest="$(printf '{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":1,"digest":"%s"},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":1,"digest":"%s"}]}' \
      "$layer" "$layer")"
    if ! aws ecr put-image --repository-name "$repository" --image-tag "$tag" --image-manifest "$manifest" >/dev/null; then
      echo "tag invalid: The image tag '${tag}' already exists in the '${repository}' repository and cannot be overwritten because the repository is immutable." >&2
      exit 1
    fi ;;
  *) echo "unexpected docker $*" >&2; exit 1 ;;
esac
"""


def _push_step() -> str:
    steps = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["deploy"]["steps"]
    (step,) = [s for s in steps if s.get("name", "").startswith("Push the images to ECR")]
    return step["run"]


class Registry:
    """moto's ECR with the repositories Terraform creates, and the push step's environment."""

    def __init__(self, endpoint: str, workdir: Path):
        self.ecr = boto3.client("ecr", region_name=REGION, endpoint_url=endpoint,
                                aws_access_key_id="testing", aws_secret_access_key="testing")
        bin_dir = workdir / "bin"
        bin_dir.mkdir()
        (bin_dir / "docker").write_text(FAKE_DOCKER)
        (bin_dir / "docker").chmod(0o755)
        self.log = workdir / "docker.log"
        self.env = {
            "PATH": f"{bin_dir}{os.pathsep}{Path(tool('aws')).parent}{os.pathsep}/usr/bin:/bin",
            "HOME": str(workdir), "AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": REGION, "AWS_REGION": REGION,
            "AWS_CONFIG_FILE": str(workdir / "aws-config"), "AWS_SHARED_CREDENTIALS_FILE": str(workdir / "creds"),
            "AWS_PAGER": "", "DOCKER_LOG": str(self.log),
            "ECR_REPOSITORY_BACKEND": f"{REGISTRY}/interaction-mgmt/backend",
            "ECR_REPOSITORY_FRONTEND": f"{REGISTRY}/interaction-mgmt/frontend",
            "BACKEND_IMAGE": f"{REGISTRY}/interaction-mgmt/backend:{TAG}",
            "FRONTEND_IMAGE": f"{REGISTRY}/interaction-mgmt/frontend:{TAG}",
        }

    def create_repositories_as_terraform_does(self) -> None:
        (body,) = load_hcl(TERRAFORM / "modules" / "ecr" / "main.tf")["resource"][0]["aws_ecr_repository"].values()
        for name in ("interaction-mgmt/backend", "interaction-mgmt/frontend"):
            self.ecr.create_repository(repositoryName=name, imageTagMutability=unwrap(body["image_tag_mutability"]),
                                       imageScanningConfiguration={"scanOnPush": True},
                                       encryptionConfiguration={"encryptionType": "KMS"})

    def attempt(self) -> tuple[subprocess.CompletedProcess, list[str]]:
        """One run of the workflow's push step (bash as GitHub runs it); the docker calls it made."""
        self.log.write_text("")
        result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", _push_step()],
                                cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=120, check=False)
        return result, self.log.read_text().splitlines()

    def digests(self) -> dict[str, list[str]]:
        return {name: sorted(i["imageDigest"] for i in self.ecr.describe_images(repositoryName=name)["imageDetails"]
                             if TAG in i.get("imageTags", []))
                for name in ("interaction-mgmt/backend", "interaction-mgmt/frontend")}


@pytest.fixture
def registry(moto_server, tmp_path) -> Registry:
    requests.post(f"{moto_server}/moto-api/reset", timeout=30).raise_for_status()
    return Registry(moto_server, tmp_path)


def test_a_rerun_on_the_same_commit_reuses_the_pushed_images(registry):
    registry.create_repositories_as_terraform_does()
    first, first_calls = registry.attempt()
    assert first.returncode == 0, first.stdout + first.stderr
    assert [c.split()[0] for c in first_calls] == ["login", "push", "push"]
    pushed = registry.digests()
    assert all(len(digests) == 1 for digests in pushed.values()), pushed
    assert pushed["interaction-mgmt/backend"] != pushed["interaction-mgmt/frontend"]  # two builds, two images

    # Re-run: the job rebuilt both images (new digests) and must not fail on the immutable tags.
    again, again_calls = registry.attempt()
    assert again.returncode == 0, f"a re-run fails at the push:\n{again.stdout}{again.stderr}"
    assert not [c for c in again_calls if c.startswith("push")], again_calls
    # the images ECS will run are those of the first attempt, pulled so the assets step copies them
    assert [c for c in again_calls if c.startswith("pull")] == [
        f"pull {registry.env['BACKEND_IMAGE']}", f"pull {registry.env['FRONTEND_IMAGE']}"]
    assert registry.digests() == pushed
    assert f"{registry.env['BACKEND_IMAGE']} is already in ECR ({pushed['interaction-mgmt/backend'][0]})" in again.stdout


def test_an_attempt_that_pushed_one_image_pushes_only_the_other(registry):
    registry.create_repositories_as_terraform_does()
    subprocess.run(["docker", "push", registry.env["BACKEND_IMAGE"]], env=registry.env, check=True, timeout=60)
    result, calls = registry.attempt()
    assert result.returncode == 0, result.stdout + result.stderr
    assert [c for c in calls if c.startswith(("push", "pull"))] == [
        f"pull {registry.env['BACKEND_IMAGE']}", f"push {registry.env['FRONTEND_IMAGE']}"]


def test_the_push_stops_on_an_error_other_than_a_missing_tag(registry):
    """No repository (or no access): the step fails and says why, and pushes nothing."""
    result, calls = registry.attempt()
    assert result.returncode != 0
    assert "RepositoryNotFoundException" in result.stderr
    assert "cannot tell whether" in result.stderr
    assert not [c for c in calls if c.startswith("push")]


def test_the_assets_come_from_the_image_in_ecr():
    steps = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["deploy"]["steps"]
    (assets,) = [s for s in steps if "docker cp spa-assets" in str(s.get("run", ""))]
    assert 'docker create --name spa-assets "$FRONTEND_IMAGE"' in assets["run"]


def test_the_rerun_is_documented_with_its_command():
    section = DOC.read_text(encoding="utf-8").split("<!-- day two: re-run -->", 1)[1].split("<!-- day two:", 1)[0]
    assert "_To be written._" not in section
    assert "gh run rerun" in section and "--failed" in section
    assert "is already in ECR" in section and "not pushed again" in section
    assert "bash ecs/push-image.sh" in section


# ---------------------------------------------------------------- the guide's ECR setup lines


def test_ecr_create_repository_is_no_harmless_extra(registry):
    """After the apply the guide's line fails and changes nothing; run before the apply it creates a
    repository Terraform does not own, and Terraform's own CreateRepository then fails, so the apply
    does. The conformance rows say so instead of "works as written … harmless"."""
    lines = [guide_line(f"aws ecr create-repository --repository-name interaction-mgmt/{r}")
             for r in ("frontend", "backend")]

    def run(line: str) -> subprocess.CompletedProcess:
        return subprocess.run(["bash", "-c", line], env=registry.env, capture_output=True, text=True, timeout=60,
                              check=False)

    registry.create_repositories_as_terraform_does()
    for line in lines:
        result = run(line)
        assert result.returncode != 0 and "RepositoryAlreadyExistsException" in result.stderr, result.stderr
    settings = registry.ecr.describe_repositories()["repositories"]
    assert {r["imageTagMutability"] for r in settings} == {"IMMUTABLE"}

    requests.post(registry.env["AWS_ENDPOINT_URL"] + "/moto-api/reset", timeout=30).raise_for_status()
    for line in lines:
        assert run(line).returncode == 0
    with pytest.raises(registry.ecr.exceptions.RepositoryAlreadyExistsException):
        registry.create_repositories_as_terraform_does()

    rows = conformance_rows()
    for line in lines:
        verdict = rows[line]
        assert verdict.startswith("instead: ") and "harmless" not in verdict, verdict
        assert "RepositoryAlreadyExistsException" in verdict and "apply" in verdict, verdict


# ---------------------------------------------------------------- the frontend's manual deploy


def _documented_frontend_deploy() -> str:
    (line,) = [line.strip() for line in DOC.read_text(encoding="utf-8").splitlines()
               if "ecs/frontend-task-definition.sh" in line and line.strip().startswith("bash ecs/rolling-update.sh")]
    return line


def test_the_frontend_manual_deploy_is_one_command_that_registers_and_rolls_out(moto_server, tmp_path):
    """docs/DEPLOYMENT.md's command with its placeholders filled in, run with the real AWS CLI against
    an environment as Terraform leaves it. moto starts no tasks and keeps a service's deployment on
    its first revision, so the last check of rolling-update.sh reports the service as rolled back;
    everything before it is AWS's answer."""
    requests.post(f"{moto_server}/moto-api/reset", timeout=30).raise_for_status()
    aws = Environment("prod", moto_server, tmp_path)
    provision(aws)
    service = aws.services["frontend"]
    aws.client("ecs").update_service(cluster=aws.cluster, service=service, desiredCount=0)
    line = _documented_frontend_deploy()
    image = f"{REGISTRY}/interaction-mgmt/frontend:{TAG}"
    filled = re.sub(r"<cluster_name>", aws.cluster, line)
    filled = filled.replace("<frontend_service_name>", service).replace("<frontend_image>", image)
    assert "<" not in filled, filled
    result = subprocess.run(["bash", "-c", filled], cwd=ROOT, capture_output=True, text=True, timeout=300,
                            env={**aws.cli_env, "PATH": f"{Path(tool('aws')).parent}{os.pathsep}{aws.cli_env['PATH']}"})
    described = aws.client("ecs").describe_services(cluster=aws.cluster, services=[service])["services"][0]
    revision = described["taskDefinition"]
    definition = aws.client("ecs").describe_task_definition(taskDefinition=revision)["taskDefinition"]
    assert revision.endswith(":2") and definition["containerDefinitions"][0]["image"] == image, result.stderr
    assert f"runs {revision.replace(':2', ':1')}, not {revision}" in result.stderr  # moto's frozen deployment
    assert json.dumps(definition["containerDefinitions"][0].get("environment", [])) == json.dumps(
        aws.client("ecs").describe_task_definition(taskDefinition=revision.replace(":2", ":1"))["taskDefinition"]
        ["containerDefinitions"][0].get("environment", []))
