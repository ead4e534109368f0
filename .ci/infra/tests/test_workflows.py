"""GitHub Actions workflows: actionlint (with shellcheck), and the pipelines as the deployment guide
orders them: triggers, tests before every deploy, the guide's secrets, production only from
release branches, installs before credentials, no install scripts, no unpinned installs."""
import json
import os
import re
import subprocess
import sys

import pytest
import yaml

from conftest import ROOT, run, tool

WORKFLOWS = ROOT / ".github" / "workflows"
FILES = sorted(WORKFLOWS.glob("*.yml"))
DEPLOY = "./.github/workflows/deploy-environment.yml"
TESTS = "./.github/workflows/tests.yml"

# Deployment guide, "CI/CD Pipeline" > "GitHub Actions Setup" > "Configure GitHub Secrets".
GUIDE_SECRETS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "ECR_REPOSITORY_FRONTEND",
                 "ECR_REPOSITORY_BACKEND", "ECS_CLUSTER", "ECS_SERVICE_FRONTEND", "ECS_SERVICE_BACKEND",
                 "TERRAFORM_STATE_BUCKET")
CREDENTIALS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEPLOY_ROLE_ARN")
INSTALL = re.compile(r"\b(?:pip3? install|python3? -m pip install|npm (?:ci|install|i)\b|yarn\b|pnpm\b|"
                     r"make (?:\S+-)?install|make frontend-build|make test)")

# The guide's pipelines: workflow, trigger branches, GitHub environment, test stages, backend rollout.
PIPELINES = {
    "dev-deploy.yml": (["feature/**"], "development", {"integration": False, "browser": False}, "rolling"),
    "staging-deploy.yml": (["main"], "staging", {"integration": True, "browser": False}, "rolling"),
    "prod-deploy.yml": (["release/**"], "production", {"integration": True, "browser": True}, "blue-green"),
}


def _load(name: str) -> dict:
    document = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    document["on"] = document.pop(True, document.get("on"))  # YAML 1.1 reads `on:` as True
    return document


def _steps(name: str):
    """(workflow, job id, index, step) of every step of every job."""
    for job_id, job in _load(name)["jobs"].items():
        for index, step in enumerate(job.get("steps", [])):
            yield name, job_id, index, step


def _job_using(workflow: dict, path: str) -> tuple[str, dict]:
    (found,) = [(job_id, job) for job_id, job in workflow["jobs"].items() if job.get("uses") == path]
    return found


def _needs(job: dict) -> list[str]:
    needs = job.get("needs", [])
    return [needs] if isinstance(needs, str) else list(needs)


def _bash(script: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-e", "-c", script], capture_output=True, text=True, timeout=30,
                          env={"PATH": "/usr/bin:/bin", **env}, check=False)


# ---------------------------------------------------------------- lint and pinning


def test_the_guides_workflows_exist():
    names = {p.name for p in FILES}
    assert {"ci.yml", "dev-deploy.yml", "staging-deploy.yml", "prod-deploy.yml"} <= names


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_actionlint_passes(path):
    tool("shellcheck")  # actionlint runs it on every `run:` script when it is on PATH
    result = run([tool("actionlint"), "-no-color", str(path)])
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_rollout_script_passes_shellcheck():
    result = run([tool("shellcheck"), "--severity=style", str(ROOT / "ecs" / "rolling-update.sh")])
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_actions_are_pinned_to_a_commit(path):
    for ref in re.findall(r"uses:\s*([^\s#]+)", path.read_text(encoding="utf-8")):
        if ref.startswith("./"):
            continue
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", ref), f"{path.name}: {ref} is not pinned to a full SHA"


def test_every_action_the_guide_names_is_pinned_or_said_to_be_unused():
    """The conformance table and DEPLOYMENT.md may call an action of the guide's snippets pinned only
    when a workflow uses it; one no workflow uses is said to be unused (the registry login is the
    guide's own CLI line instead of aws-actions/amazon-ecr-login)."""
    guide = (ROOT / ".ci" / "infra" / "guide" / "deployment-guide.md").read_text(encoding="utf-8")
    named = set(re.findall(r"uses:\s*([\w.-]+/[\w.-]+)@", guide))
    assert "aws-actions/amazon-ecr-login" in named
    used = {ref.split("@")[0] for path in FILES for ref in re.findall(r"uses:\s*([^\s#]+)", path.read_text(encoding="utf-8"))}
    (row,) = [line for line in (ROOT / "docs" / "deployment-conformance.md").read_text(encoding="utf-8").splitlines()
              if "amazon-ecr-login@v1" in line]
    doc = (ROOT / "docs" / "DEPLOYMENT.md").read_text(encoding="utf-8")
    for action in sorted(named):
        if action in used:
            assert action in row, f"{action} is used but the conformance row does not say it is pinned"
        else:
            assert f"`{action}` is not used" in row, f"{action}: the conformance row calls it pinned; no workflow uses it"
            assert f"`{action}` is not used" in doc, action
    (push,) = [s for _, _, _, s in _steps("deploy-environment.yml") if s.get("name", "").startswith("Push the images")]
    assert re.search(r"aws ecr get-login-password --region \S+ \\\s*\| docker login --username AWS --password-stdin",
                     push["run"])


def test_the_push_step_reuses_a_tag_already_in_ecr():
    """Static half of the re-run drill (test_rerun_deploy.py runs the step): every image is pushed through
    ecs/push-image.sh, never by a bare `docker push`, and the script checks the tag before pushing."""
    (push,) = [s for _, _, _, s in _steps("deploy-environment.yml") if s.get("name", "").startswith("Push the images")]
    assert 'bash ecs/push-image.sh "$BACKEND_IMAGE"' in push["run"]
    assert 'bash ecs/push-image.sh "$FRONTEND_IMAGE"' in push["run"]
    assert not [line for _, text in _scripts() for line in text.splitlines() if re.match(r"\s*docker push\b", line)]
    script = (ROOT / "ecs" / "push-image.sh").read_text(encoding="utf-8")
    assert script.index("aws ecr describe-images") < script.index('docker push "$image"')
    result = run([tool("shellcheck"), "--severity=style", str(ROOT / "ecs" / "push-image.sh"),
                  str(ROOT / "ecs" / "frontend-task-definition.sh")])
    assert result.returncode == 0, result.stdout + result.stderr


# ---------------------------------------------------------------- tests before every deploy


def test_ci_runs_every_test_stage():
    ci = _load("ci.yml")
    assert "push" in ci["on"] and "pull_request" in ci["on"]
    _, job = _job_using(ci, TESTS)
    assert job["with"] == {"integration": True, "browser": True}


def test_the_test_stages_run_the_make_targets_with_postgres_and_redis():
    tests = _load("tests.yml")
    jobs = tests["jobs"]
    runs = {job_id: " ".join(str(s.get("run", "")) for s in job["steps"]) for job_id, job in jobs.items()}
    unit = [job_id for job_id, job in jobs.items() if "if" not in job]
    assert {"make test-frontend", "make test-deploy-tool", "make test-infra"} <= {
        target for job_id in unit for target in re.findall(r"make [\w-]+", runs[job_id])}
    assert jobs["backend"]["if"] == "inputs.integration" and "make test-backend" in runs["backend"]
    assert jobs["e2e"]["if"] == "inputs.browser" and "make test-e2e" in runs["e2e"]
    for job_id in ("backend", "e2e"):
        services = jobs[job_id]["services"]
        assert services["postgres"]["image"] == "postgres:15" and services["redis"]["image"] == "redis:7"
    assert any("terraform fmt -check -recursive" in str(s.get("run", "")) for s in jobs["infra"]["steps"])


@pytest.mark.parametrize("name", PIPELINES)
def test_deploy_workflows_trigger_and_environment(name):
    branches, environment, _, strategy = PIPELINES[name]
    workflow = _load(name)
    assert workflow["on"]["push"]["branches"] == branches
    assert "workflow_run" not in workflow["on"]  # a deploy started by CI's end would not gate on it
    _, deploy = _job_using(workflow, DEPLOY)
    assert deploy["with"]["github-environment"] == environment
    assert deploy["with"]["strategy"] == strategy
    assert deploy["secrets"] == "inherit"


def test_dev_pipeline_has_the_guides_pull_request_trigger_and_skips_deploying_forks():
    workflow = _load("dev-deploy.yml")
    assert workflow["on"]["pull_request"]["branches"] == ["main"]
    _, deploy = _job_using(workflow, DEPLOY)
    assert "github.event.pull_request.head.repo.full_name == github.repository" in deploy["if"]


@pytest.mark.parametrize("name", PIPELINES)
def test_deploy_needs_the_guides_test_stages(name):
    """A failing test stops the deploy: the deploy job needs the job running the stages the guide
    names for the environment (unit; + integration; + browser)."""
    _, _, stages, _ = PIPELINES[name]
    workflow = _load(name)
    tests_id, tests = _job_using(workflow, TESTS)
    _, deploy = _job_using(workflow, DEPLOY)
    assert tests_id in _needs(deploy)
    given = tests.get("with", {})
    assert {stage: bool(given.get(stage, False)) for stage in stages} == stages
    assert not re.search(r"always\(\)|failure\(\)|cancelled\(\)", str(deploy.get("if", "")))  # would run past failed tests


def test_every_deploy_step_runs_after_its_tests_in_the_same_run():
    """No deploy job outside the reusable deploy workflow, which only the pipelines above call."""
    for path in FILES:
        workflow = _load(path.name)
        for job_id, job in workflow["jobs"].items():
            if job.get("uses") == DEPLOY:
                assert path.name in PIPELINES, f"{path.name}:{job_id} deploys"
    assert set(_load("deploy-environment.yml")["on"]) == {"workflow_call"}


# ---------------------------------------------------------------- the guide's secrets


def test_the_guides_secrets_are_declared_and_used():
    text = (WORKFLOWS / "deploy-environment.yml").read_text(encoding="utf-8")
    workflow = _load("deploy-environment.yml")
    declared = workflow["on"]["workflow_call"]["secrets"]
    job = workflow["jobs"]["deploy"]
    scripts = "\n".join(str(s.get("run", "")) for s in job["steps"])
    for name in GUIDE_SECRETS:
        assert name in declared, name
        assert text.count(f"secrets.{name} }}}}") >= 1 and f"secrets.{name}" in str(job), name
        if name not in CREDENTIALS:
            assert job["env"][name] == f"${{{{ secrets.{name} }}}}", name
            assert re.search(rf'\$\{{?{name}\b', scripts), f"{name} is never used by a step"
    (keys,) = [s for s in job["steps"] if "aws-access-key-id" in s.get("with", {})]
    assert keys["uses"].startswith("aws-actions/configure-aws-credentials@")
    assert keys["with"] == {"aws-access-key-id": "${{ secrets.AWS_ACCESS_KEY_ID }}",
                            "aws-secret-access-key": "${{ secrets.AWS_SECRET_ACCESS_KEY }}",
                            "aws-region": "${{ secrets.AWS_REGION }}"}
    # The bucket secret is checked against backend/<env>.hcl, which init uses (test_state_and_accounts.py).
    assert 'terraform init -reconfigure -backend-config="backend/${ENV}.hcl"' in scripts
    assert '"$TERRAFORM_STATE_BUCKET" != "$BUCKET"' in scripts


def test_oidc_is_the_alternative_to_access_keys():
    steps = _load("deploy-environment.yml")["jobs"]["deploy"]["steps"]
    credentials = [s for s in steps if str(s.get("uses", "")).startswith("aws-actions/configure-aws-credentials@")]
    assert sorted(s["if"] for s in credentials) == ["env.AWS_AUTH == 'keys'", "env.AWS_AUTH == 'oidc'"]
    (oidc,) = [s for s in credentials if "role-to-assume" in s["with"]]
    assert oidc["with"]["role-to-assume"] == "${{ secrets.AWS_DEPLOY_ROLE_ARN }}"


def test_missing_secrets_are_named_before_anything_runs():
    steps = _load("deploy-environment.yml")["jobs"]["deploy"]["steps"]
    script = steps[0]["run"]
    ok = {name: "x" for name in GUIDE_SECRETS if name not in CREDENTIALS}
    with_keys = _bash(script, **ok, HAS_ACCESS_KEYS="true", HAS_ROLE="false", HAS_SMOKE_PASSWORD="true",
                      GITHUB_ENV="/dev/null", GITHUB_ENVIRONMENT_NAME="production")
    assert with_keys.returncode == 0, with_keys.stdout
    missing = _bash(script, **{**ok, "ECS_SERVICE_FRONTEND": ""}, HAS_ACCESS_KEYS="false", HAS_ROLE="false",
                    HAS_SMOKE_PASSWORD="false", GITHUB_ENV="/dev/null", GITHUB_ENVIRONMENT_NAME="production")
    assert missing.returncode == 1
    assert "for the production environment" in missing.stdout
    assert "ECS_SERVICE_FRONTEND" in missing.stdout and "AWS_ACCESS_KEY_ID" in missing.stdout
    assert "SMOKE_PASSWORD" in missing.stdout  # the smoke test after the switch needs it
    assert "ECS_CLUSTER" not in missing.stdout


def test_secrets_that_disagree_with_terraform_stop_the_deploy():
    (step,) = [s for s in _load("deploy-environment.yml")["jobs"]["deploy"]["steps"]
               if s.get("name", "").startswith("Environment outputs")]
    assert "agree ECS_CLUSTER" in step["run"] and "agree ECR_REPOSITORY_FRONTEND" in step["run"]
    assert "agree ECS_SERVICE_FRONTEND" in step["run"] and "agree ECS_SERVICE_BACKEND" in step["run"]


# ---------------------------------------------------------------- production only from release branches


def _ref_checks() -> list[tuple[str, dict, dict]]:
    prod = _load("prod-deploy.yml")
    guard = prod["jobs"]["release-branch"]
    (shared,) = [s for s in _load("deploy-environment.yml")["jobs"]["ref"]["steps"]]
    _, deploy = _job_using(prod, DEPLOY)
    return [("release-branch job", guard["steps"][0], {}),
            ("deploy-environment ref job", shared, {"ALLOWED": deploy["with"]["allowed-refs"]})]


@pytest.mark.parametrize("ref, allowed", [
    ("refs/heads/release/2.4", True), ("refs/heads/release/2.4/hotfix", True), ("refs/heads/main", False),
    ("refs/heads/feature/release/x", False), ("refs/tags/release/1", False), ("refs/pull/7/merge", False),
])
def test_production_deploys_only_from_release_branches(ref, allowed):
    for where, step, env in _ref_checks():
        result = _bash(step["run"], REF=ref, **env)
        assert (result.returncode == 0) == allowed, f"{where}: {ref}: {result.stdout}{result.stderr}"


def test_every_production_job_waits_for_the_branch_check():
    prod = _load("prod-deploy.yml")
    assert "workflow_dispatch" in prod["on"]  # allowed, but only from release/** (checked above)
    for job_id, job in prod["jobs"].items():
        if job_id != "release-branch":
            assert "release-branch" in _needs(job), job_id
    deploy_workflow = _load("deploy-environment.yml")
    assert "ref" in _needs(deploy_workflow["jobs"]["deploy"])


def test_staging_deploys_only_from_main():
    _, deploy = _job_using(_load("staging-deploy.yml"), DEPLOY)
    assert deploy["with"]["allowed-refs"] == "refs/heads/main"


# ---------------------------------------------------------------- installs: before credentials, pinned, no scripts


def _credentials_index(job: dict) -> int | None:
    for index, step in enumerate(job.get("steps", [])):
        if str(step.get("uses", "")).startswith("aws-actions/configure-aws-credentials@"):
            return index
    return None


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_nothing_is_installed_once_credentials_are_in_the_job(path):
    for job_id, job in _load(path.name)["jobs"].items():
        first = _credentials_index(job)
        if first is None:
            continue
        for step in job["steps"][first:]:
            script = str(step.get("run", ""))
            assert not INSTALL.search(script), f"{path.name}:{job_id}: '{step.get('name')}' installs after credentials"
            assert not str(step.get("uses", "")).startswith(("actions/setup-", "hashicorp/setup-")), step


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_credentials_reach_only_the_credentials_step(path):
    workflow = _load(path.name)
    assert not any(f"secrets.{n}" in str(workflow.get("env", {})) for n in CREDENTIALS)
    for job_id, job in workflow["jobs"].items():
        assert not any(f"secrets.{n}" in str(job.get("env", {})) for n in CREDENTIALS), job_id
        for step in job.get("steps", []):
            if str(step.get("uses", "")).startswith("aws-actions/configure-aws-credentials@"):
                continue
            text = str(step.get("env", {})) + str(step.get("run", "")) + str(step.get("with", {}))
            text = re.sub(r"secrets\.\w+ != ''", "", text)  # whether one is set, not its value
            assert not any(f"secrets.{n}" in text for n in CREDENTIALS), f"{job_id}: {step.get('name')}"


def _scripts() -> list[tuple[str, str]]:
    found = [(f"{name}:{job}", str(step.get("run", ""))) for path in FILES for name, job, _, step in _steps(path.name)]
    return found + [("Makefile", (ROOT / "Makefile").read_text(encoding="utf-8"))]


def test_npm_never_runs_install_scripts():
    commands = [(where, line) for where, text in _scripts() for line in text.splitlines()
                if re.search(r"\bnpm (?:ci|install|i)\b", line)]
    assert commands, "no npm install found: the check would pass vacuously"
    for where, line in commands:
        assert "--ignore-scripts" in line, f"{where}: {line.strip()}"


def test_pip_installs_only_pinned_hash_checked_wheels_in_the_deploy():
    commands = [(where, line) for where, text in _scripts() if not where == "Makefile"
                for line in text.splitlines() if re.search(r"\bpip3? install\b", line)]
    assert commands, "no pip install found: the check would pass vacuously"
    for where, line in commands:
        assert re.search(r"--require-hashes\b.*-r \S+\.lock\b", line), f"{where}: {line.strip()}"
        assert "--only-binary=:all:" in line, f"{where}: builds from source run setup code: {line.strip()}"
        assert not re.search(r"install[^|]*\s\.{1,2}/", line), f"{where}: installs a local directory"


def test_the_deploy_lock_pins_every_package_with_a_hash_and_agrees_with_the_tools_lock():
    deploy = (ROOT / "ecs" / "requirements-deploy.lock").read_text(encoding="utf-8")
    entries = re.split(r"\n(?=[A-Za-z])", deploy.strip())
    pins = {}
    for entry in entries:
        requirement = entry.split()[0]
        assert re.fullmatch(r"[A-Za-z0-9_.\-]+==[\w.]+", requirement), requirement
        assert re.search(r"--hash=sha256:[0-9a-f]{64}", entry), f"{requirement} has no hash"
        name, version = requirement.split("==")
        pins[name.lower()] = version
    assert "boto3" in pins
    full = dict(line.lower().split("==") for line in (ROOT / "ecs" / "requirements.lock").read_text().split()
                if "==" in line)
    assert {name: full.get(name) for name in pins} == pins


# ---------------------------------------------------------------- what the deploy job does


def test_deploy_builds_pushes_and_rolls_out_both_images():
    job = _load("deploy-environment.yml")["jobs"]["deploy"]
    scripts = "\n".join(str(s.get("run", "")) for s in job["steps"])
    assert "docker build -t interaction-mgmt-frontend:latest -f docker/frontend/Dockerfile" in scripts
    assert "docker build -t interaction-mgmt-backend:latest -f docker/backend/Dockerfile" in scripts
    assert 'FRONTEND_IMAGE=${ECR_REPOSITORY_FRONTEND}:${VERSION}-${ENV}-${GIT_HASH}' in scripts
    assert 'BACKEND_IMAGE=${ECR_REPOSITORY_BACKEND}:${VERSION}-${ENV}-${GIT_HASH}' in scripts
    assert 'bash ecs/push-image.sh "$FRONTEND_IMAGE"' in scripts and 'bash ecs/push-image.sh "$BACKEND_IMAGE"' in scripts
    assert 'bash ecs/rolling-update.sh "$ECS_CLUSTER" "$ECS_SERVICE_FRONTEND"' in scripts
    assert 'bash ecs/rolling-update.sh "$ECS_CLUSTER" "$ECS_SERVICE_BACKEND"' in scripts
    for step in ('terraform workspace select -or-create', "terraform plan -var-file=", "terraform apply tfplan",
                 "ecs/task-definition-template.json", "ecs/migrate-task-definition-template.json",
                 '--task-definition "$MIGRATE_TASK_DEFINITION_ARN"'):
        assert step in scripts, step
    # migrations run as the owner from their own task definition, never as the API's least-privilege role
    assert "containerOverrides" not in scripts
    migrate = json.loads((ROOT / "ecs" / "migrate-task-definition-template.json").read_text(encoding="utf-8")
                         .replace("${STORAGE_GIB}", "21"))
    command = " ".join(migrate["containerDefinitions"][0]["command"])
    assert "db upgrade" in command and "grant-app-role" in command
    names = [s.get("name", "") for s in job["steps"]]
    assert names.index("Build the images (docker/frontend/Dockerfile, docker/backend/Dockerfile)") < \
        _credentials_index(job)


def _deploy_tool_call() -> str:
    """The `python -m ims_deploy … deploy` command with its continuation lines."""
    text = (WORKFLOWS / "deploy-environment.yml").read_text(encoding="utf-8")
    lines = []
    for line in text[text.index("python -m ims_deploy --region"):].splitlines():
        lines.append(line)
        if not line.rstrip().endswith("\\"):
            break
    return "\n".join(lines)


def test_blue_green_deploys_the_migrated_revision_through_the_test_listener():
    call = _deploy_tool_call()
    assert re.search(r"python -m ims_deploy --region \S+ deploy\s+\\\s+--cluster", call)
    assert '--service-blue "$ECS_SERVICE_BACKEND"' in call and '--service-green "$ECS_SERVICE_GREEN"' in call
    assert '--task-definition "$TASK_DEFINITION_ARN"' in call  # the revision the migrations ran with
    assert "--template" not in call  # which would register a second, identical revision
    assert '--test-listener-arn "$ALB_TEST_LISTENER_ARN"' in call
    assert "--scale-down-old" in call  # the guide's 2-6 tasks: a second set only while deploying
    (step,) = [s for s in _load("deploy-environment.yml")["jobs"]["deploy"]["steps"]
               if "python -m ims_deploy --region" in str(s.get("run", "")) and " rollback " not in str(s.get("run", ""))]
    assert step["env"]["PYTHONPATH"] == "ecs" and step["if"] == "inputs.strategy == 'blue-green'"


def test_migrations_run_as_the_manual_paths_command_placed_by_terraforms_outputs():
    """One task in the private app subnets behind the tasks' security group, its exit code checked,
    before either backend rollout; the same `ims_deploy migrate` docs/DEPLOYMENT.md gives by hand."""
    steps = _load("deploy-environment.yml")["jobs"]["deploy"]["steps"]
    (index,) = [i for i, s in enumerate(steps) if "python -m ims_deploy migrate" in str(s.get("run", ""))]
    run = steps[index]["run"]
    assert '--terraform-outputs "$RUNNER_TEMP/outputs.json"' in run
    assert '--task-definition "$MIGRATE_TASK_DEFINITION_ARN"' in run
    assert steps[index]["env"]["PYTHONPATH"] == "ecs" and "if" not in steps[index]  # every strategy
    rollouts = [i for i, s in enumerate(steps) if s.get("name", "").startswith(("Backend rolling update",
                                                                                "Backend blue-green switch"))]
    assert len(rollouts) == 2 and index < min(rollouts)


def test_the_deploy_install_line_installs_the_lock_and_the_tool_runs_from_the_checkout(tmp_path):
    """The workflow's own install step, run in a fresh venv: every hash matches, no source build
    is needed, and `python -m ims_deploy` works from the checkout with nothing else installed."""
    (step,) = [s for s in _load("deploy-environment.yml")["jobs"]["deploy"]["steps"]
               if "requirements-deploy.lock" in str(s.get("run", ""))]
    venv = tmp_path / "venv"
    subprocess.run(["python3", "-m", "venv", str(venv)], check=True, timeout=120)
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path)}
    installed = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=ROOT, env=env, capture_output=True,
                               text=True, timeout=300, check=False)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    tool_help = subprocess.run(["bash", "-c", "python -m ims_deploy deploy --help"], cwd=ROOT,
                               env={**env, "PYTHONPATH": "ecs"}, capture_output=True, text=True, timeout=60,
                               check=False)
    assert tool_help.returncode == 0, tool_help.stderr
    assert "--task-definition" in tool_help.stdout and "--new-family" in tool_help.stdout


# ---------------------------------------------------------------- smoke test after every deploy


def _deploy_step(name: str) -> tuple[int, dict]:
    """Index and body of the deploy job's step whose name starts with `name`."""
    steps = _load("deploy-environment.yml")["jobs"]["deploy"]["steps"]
    (found,) = [(index, step) for index, step in enumerate(steps) if step.get("name", "").startswith(name)]
    return found


def _stubs(tmp_path, **scripts: str) -> str:
    """A PATH whose first directory holds the given commands as small bash scripts."""
    stubs = tmp_path / "bin"
    stubs.mkdir(exist_ok=True)
    for name, body in scripts.items():
        (stubs / name).write_text(f"#!/bin/bash\n{body}\n", encoding="utf-8")
        (stubs / name).chmod(0o755)
    return f"{stubs}:/usr/bin:/bin"


def _run_step(step: dict, path: str, **env: str) -> subprocess.CompletedProcess:
    """A step's script as Actions runs it (bash -e -o pipefail), from the checkout."""
    return subprocess.run(["bash", "-e", "-o", "pipefail", "-c", step["run"]], cwd=ROOT, capture_output=True,
                          text=True, timeout=30, env={"PATH": path, **env}, check=False)


def test_every_deploy_smoke_tests_both_services_after_the_switch(tmp_path):
    index, smoke = _deploy_step("Smoke test")
    rollouts = [_deploy_step(name)[0] for name in ("Backend rolling update", "Backend blue-green switch",
                                                   "Frontend rolling update", "Hashed static assets")]
    assert index > max(rollouts) and "if" not in smoke  # every environment, after the switch and the SPA
    assert smoke["env"]["SMOKE_PASSWORD"] == "${{ secrets.SMOKE_PASSWORD }}"
    assert "SMOKE_PASSWORD" in _load("deploy-environment.yml")["on"]["workflow_call"]["secrets"]
    (tmp_path / "outputs.json").write_text(json.dumps(
        {"spa_config": {"value": {"REACT_APP_API_URL": "https://api.example.com"}}}), encoding="utf-8")
    record = tmp_path / "make-args"
    env = {"RUNNER_TEMP": str(tmp_path), "PUBLIC_BASE_URL": "https://app.example.com", "RECORD": str(record)}
    passed = _run_step(smoke, _stubs(tmp_path, make='printf "%s\\n" "$@" > "$RECORD"; echo "smoke test passed"'), **env)
    assert passed.returncode == 0, passed.stderr
    assert record.read_text().split("\n")[:4] == [
        "--no-print-directory", "smoke", "BASE_URL=https://api.example.com", "FRONTEND_URL=https://app.example.com"]
    assert (tmp_path / "smoke.txt").read_text() == "smoke test passed\n"  # for the run's summary
    failed = _run_step(smoke, _stubs(tmp_path, make='echo "smoke test FAILED: sign in"; exit 2'), **env)
    assert failed.returncode != 0  # through the pipe into tee
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^smoke:.*\n(?:\t.*\n)*\t@PYTHONPATH=smoke \$\(PYTHON\) -m ims_smoke$", makefile, re.M)


def test_a_failed_smoke_test_rolls_production_back_with_the_deploy_tool(tmp_path):
    smoke_index, _ = _deploy_step("Smoke test")
    index, rollback = _deploy_step("Roll production back")
    assert index == smoke_index + 1
    assert rollback["if"] == "failure() && steps.smoke.outcome == 'failure' && inputs.strategy == 'blue-green'"
    assert rollback["env"]["PYTHONPATH"] == "ecs"
    calls = tmp_path / "calls"
    path = _stubs(tmp_path, python='echo "python $*" >> "$CALLS"',
                  aws='echo "aws $*" >> "$CALLS"; [[ "$*" != *describe-services* ]] || echo "$PREVIOUS"')
    result = _run_step(rollback, path, CALLS=str(calls), PREVIOUS="arn:frontend:7", ENV="prod",
                       AWS_REGION="us-east-1", ECS_CLUSTER="c", ECS_SERVICE_BACKEND="api-blue",
                       ECS_SERVICE_GREEN="api-green", ALB_LISTENER_ARN="arn:listener",
                       ECS_SERVICE_FRONTEND="frontend", FRONTEND_PREVIOUS_TASK_DEFINITION_ARN="arn:frontend:7")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = calls.read_text().splitlines()
    assert lines[0] == ("python -m ims_deploy --region us-east-1 rollback --cluster c --service-blue api-blue "
                        "--service-green api-green --listener-arn arn:listener")
    assert "aws ecs update-service --cluster c --service frontend --task-definition arn:frontend:7" in lines[1]
    # the tool takes exactly these arguments
    tool_help = subprocess.run([sys.executable, "-m", "ims_deploy", "rollback", "--help"], cwd=ROOT, text=True,
                               capture_output=True, env={**os.environ, "PYTHONPATH": "ecs"}, timeout=60, check=False)
    assert tool_help.returncode == 0, tool_help.stderr
    for flag in ("--cluster", "--service-blue", "--service-green", "--listener-arn"):
        assert flag in tool_help.stdout, flag

