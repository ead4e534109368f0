"""GitHub Actions workflows: actionlint (with shellcheck), triggers, approvals, pinning, OIDC."""
import re

import pytest
import yaml

from conftest import ROOT, run, tool

WORKFLOWS = ROOT / ".github" / "workflows"
FILES = sorted(WORKFLOWS.glob("*.yml"))


def _load(name: str) -> dict:
    document = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    document["on"] = document.pop(True, document.get("on"))  # YAML 1.1 reads `on:` as True
    return document


def test_the_guides_workflows_exist():
    names = {p.name for p in FILES}
    assert {"ci.yml", "dev-deploy.yml", "staging-deploy.yml", "prod-deploy.yml"} <= names


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_actionlint_passes(path):
    tool("shellcheck")  # actionlint runs it on every `run:` script when it is on PATH
    result = run([tool("actionlint"), "-no-color", str(path)])
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_actions_are_pinned_to_a_commit(path):
    for ref in re.findall(r"uses:\s*([^\s#]+)", path.read_text(encoding="utf-8")):
        if ref.startswith("./"):
            continue
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", ref), f"{path.name}: {ref} is not pinned to a full SHA"


def test_ci_runs_the_make_targets_with_postgres_and_redis_services():
    ci = _load("ci.yml")
    assert "push" in ci["on"] and "pull_request" in ci["on"]
    text = (WORKFLOWS / "ci.yml").read_text(encoding="utf-8")
    for target in ("test-backend", "test-frontend", "test-e2e", "test-infra", "test-deploy-tool"):
        assert f"make {target}" in text, target
    for job in ("backend", "e2e"):
        services = ci["jobs"][job]["services"]
        assert services["postgres"]["image"] == "postgres:15" and services["redis"]["image"] == "redis:7"


@pytest.mark.parametrize("name, branch, environment, strategy", [
    ("dev-deploy.yml", "feature/**", "development", "rolling"),
    ("staging-deploy.yml", "main", "staging", "rolling"),
    ("prod-deploy.yml", "release/**", "production", "blue-green"),
])
def test_deploy_workflows_trigger_and_environment(name, branch, environment, strategy):
    workflow = _load(name)
    assert workflow["on"]["push"]["branches"] == [branch]
    assert workflow["permissions"]["id-token"] == "write"
    job = workflow["jobs"]["deploy"]
    assert job["uses"] == "./.github/workflows/deploy-environment.yml"
    assert job["with"]["github-environment"] == environment
    assert job["with"]["strategy"] == strategy


def test_shared_deploy_builds_tags_applies_migrates_deploys_and_publishes():
    text = (WORKFLOWS / "deploy-environment.yml").read_text(encoding="utf-8")
    workflow = _load("deploy-environment.yml")
    job = workflow["jobs"]["deploy"]
    assert job["environment"]["name"] == "${{ inputs.github-environment }}"
    assert workflow["permissions"]["id-token"] == "write"
    assert "role-to-assume: ${{ secrets.AWS_DEPLOY_ROLE_ARN }}" in text
    assert 'IMAGE_TAG=${VERSION}-${ENV}-${GIT_HASH}' in text
    for step in ('terraform init -backend-config="backend/${ENV}.hcl"', "terraform workspace select -or-create",
                 "terraform plan -var-file=", "terraform apply tfplan", "ecs/task-definition-template.json",
                 '"flask","--app","ims","db","upgrade"', "aws s3 sync", "aws cloudfront create-invalidation"):
        assert step in text, step
    assert "pip install ./ecs" in text
    assert re.search(r"python -m ims_deploy --region \S+ deploy\s+\\\s+--cluster", text)
    for flag in ("--service-blue", "--service-green", "--listener-arn"):
        assert flag in text


def _deploy_tool_call() -> str:
    """The `python -m ims_deploy … deploy` command with its continuation lines."""
    text = (WORKFLOWS / "deploy-environment.yml").read_text(encoding="utf-8")
    lines = []
    for line in text[text.index("python -m ims_deploy --region"):].splitlines():
        lines.append(line)
        if not line.rstrip().endswith("\\"):
            break
    return "\n".join(lines)


def test_blue_green_deploys_the_migrated_revision_through_the_test_listener_and_keeps_both_colours():
    call = _deploy_tool_call()
    assert '--task-definition "$TASK_DEFINITION_ARN"' in call  # the revision the migrations ran with
    assert "--template" not in call  # which would register a second, identical revision
    assert '--test-listener-arn "$ALB_TEST_LISTENER_ARN"' in call
    assert "--scale-down-old" not in call  # App Auto Scaling keeps both colours between min and max
    text = (WORKFLOWS / "deploy-environment.yml").read_text(encoding="utf-8")
    assert "ALB_TEST_LISTENER_ARN=$(out alb_test_listener_arn)" in text


def test_ci_checks_terraform_formatting_where_the_binary_is_installed():
    steps = _load("ci.yml")["jobs"]["infra"]["steps"]
    assert any(str(s.get("uses", "")).startswith("hashicorp/setup-terraform@") for s in steps)
    assert any("terraform fmt -check -recursive" in str(s.get("run", "")) for s in steps)
