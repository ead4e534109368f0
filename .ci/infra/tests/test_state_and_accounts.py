"""State tied to its environment, and one AWS account per environment.

Terraform refuses to run unless the state bucket (backend/<env>.hcl), the workspace, the tfvars and
the credentials' account are all one environment's. Without a Terraform binary, the three places
that refuse are evaluated here from the HCL itself, as Terraform evaluates them: the backend's
`allowed_account_ids`, the provider's `allowed_account_ids` (with the tfvars' values) and every
`precondition` of the root module. The deploy workflow's own check runs with stub `aws` and
`terraform` commands.
"""
import functools
import itertools
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, TERRAFORM, load_hcl, module_files, unwrap
from hcl_names import evaluate, resources

ENVIRONMENTS = ["dev", "staging", "prod"]
GITHUB_ENVIRONMENTS = {"dev": "development", "staging": "staging", "prod": "production"}


@functools.cache
def _tfvars(env: str) -> dict:
    return {k: unwrap(v) for k, v in load_hcl(TERRAFORM / "environments" / f"{env}.tfvars").items()}


@functools.cache
def _backend(env: str) -> dict:
    return {k: unwrap(v) for k, v in load_hcl(TERRAFORM / "backend" / f"{env}.hcl").items()}


def _account(env: str) -> str:
    """The environment's account: the one its tfvars name (a placeholder until set)."""
    return _tfvars(env).get("aws_account_id", f"<no aws_account_id in {env}.tfvars>")


def _values(raw) -> list:
    raw = unwrap(raw)
    return [unwrap(item) for item in raw] if isinstance(raw, list) else [raw]


def _condition(expression: str, scope: dict) -> bool:
    """A precondition of `a == b` terms joined by &&; anything else cannot be checked here."""
    terms = [term.strip() for term in expression.split("&&")]
    result = True
    for term in terms:
        match = re.fullmatch(r"(.+?)\s*==\s*(.+)", term)
        assert match, f"precondition term {term!r} is not a comparison this check can evaluate"
        left, right = (_operand(side.strip(), scope) for side in match.groups())
        result = result and left == right
    return result


def _operand(text: str, scope: dict):
    if text == "data.aws_caller_identity.current.account_id":
        return scope["caller"]
    return evaluate("${" + text + "}", scope)


@functools.cache
def _provider() -> dict:
    (provider,) = [unwrap(p)["aws"] for p in load_hcl(TERRAFORM / "versions.tf")["provider"]]
    return provider


@functools.cache
def _preconditions() -> list[tuple[str, str, str]]:
    """(resource, condition without its ${ }, error message) of every precondition in the root module."""
    found = []
    for path in module_files(TERRAFORM):
        for entry in load_hcl(path).get("resource", []):
            for kind, instances in entry.items():
                for label, body in instances.items():
                    for lifecycle in body.get("lifecycle", []):
                        for check in lifecycle.get("precondition", []):
                            condition = unwrap(check["condition"])
                            found.append((f"{kind}.{label}", condition[2:-1], unwrap(check["error_message"])))
    return found


def refusals(backend_env: str, workspace: str, tfvars_env: str, caller: str) -> list[str]:
    """What stops `terraform init -backend-config=backend/<backend_env>.hcl`, `workspace select
    <workspace>` and `plan -var-file=environments/<tfvars_env>.tfvars` with credentials of `caller`."""
    found = []
    backend = _backend(backend_env)
    if "allowed_account_ids" in backend and caller not in _values(backend["allowed_account_ids"]):
        found.append(f"backend/{backend_env}.hcl: Invalid account ID: AWS account ID not allowed: {caller}")
    scope = {"var": dict(_tfvars(tfvars_env)), "workspace": workspace, "caller": caller}
    if "allowed_account_ids" in _provider():
        allowed = [evaluate(v, scope) for v in _values(_provider()["allowed_account_ids"])]
        if caller not in allowed:
            found.append(f"provider: AWS account ID not allowed: {caller}")
    for resource, condition, message in _preconditions():
        if not _condition(condition, scope):
            found.append(f"{resource}: {evaluate(message, scope)}")
    return found


COMBINATIONS = list(itertools.product(ENVIRONMENTS, repeat=4))


@pytest.mark.parametrize("backend_env, workspace, tfvars_env, credentials_env", COMBINATIONS,
                         ids=["-".join(c) for c in COMBINATIONS])
def test_terraform_runs_only_when_state_workspace_tfvars_and_account_are_one_environment(
        backend_env, workspace, tfvars_env, credentials_env):
    """After `init` for dev, `workspace new prod` and a prod plan must not reach the dev state or account."""
    found = refusals(backend_env, workspace, tfvars_env, _account(credentials_env))
    if len({backend_env, workspace, tfvars_env, credentials_env}) == 1:
        assert not found, found
    else:
        assert found, (f"state of {backend_env}, workspace {workspace}, {tfvars_env}.tfvars and "
                       f"{credentials_env}'s credentials: nothing refuses")


def test_each_environment_has_its_own_account_bucket_and_backend_file():
    accounts = {env: _tfvars(env).get("aws_account_id") for env in ENVIRONMENTS}
    assert all(re.fullmatch(r"[0-9]{12}", str(a)) for a in accounts.values()), accounts
    assert len(set(accounts.values())) == len(ENVIRONMENTS), f"environments share an account: {accounts}"
    for env in ENVIRONMENTS:
        backend = _backend(env)
        assert backend["bucket"] == f"interaction-mgmt-tfstate-{env}"
        assert _values(backend.get("allowed_account_ids")) == [accounts[env]], env


def test_names_without_an_environment_are_why_each_environment_needs_its_own_account():
    """The guide's names (log groups, ECR repositories, topic, dashboard) carry no environment: two
    environments in one account would collide on them at the second apply. So the accounts differ."""
    names = {}
    for env in ENVIRONMENTS:
        for resource in resources(_tfvars(env), env):
            if resource.kind in {"aws_cloudwatch_log_group", "aws_ecr_repository", "aws_sns_topic",
                                 "aws_cloudwatch_dashboard"}:
                key = "dashboard_name" if resource.kind == "aws_cloudwatch_dashboard" else "name"
                names.setdefault((resource.kind, resource.attribute(key)), set()).add(env)
    shared = sorted(name for name, envs in names.items() if len(envs) > 1)
    assert ("aws_sns_topic", "InteractionManagementAlarms") in shared  # the reason, as computed
    accounts = {env: _tfvars(env).get("aws_account_id") for env in ENVIRONMENTS}
    assert None not in accounts.values() and len(set(accounts.values())) == len(ENVIRONMENTS), (accounts, shared)


# ---------------------------------------------------------------- the deploy workflow's credentials


def _init_step() -> dict:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "deploy-environment.yml").read_text(encoding="utf-8"))
    job = workflow["jobs"]["deploy"]
    assert job["environment"]["name"] == "${{ inputs.github-environment }}"  # the environment's secrets
    (step,) = [s for s in job["steps"] if "terraform init" in str(s.get("run", ""))]
    return step


def _run_init(tmp_path: Path, env: str, caller: str, bucket: str) -> tuple[subprocess.CompletedProcess, str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    log = tmp_path / "terraform.log"
    (bin_dir / "aws").write_text(f'#!/bin/sh\n[ "$*" = "sts get-caller-identity --query Account --output text" ] && echo {caller}\n')
    (bin_dir / "terraform").write_text(f'#!/bin/sh\necho "$*" >> {log}\n')
    for stub in bin_dir.iterdir():
        stub.chmod(0o755)
    step = _init_step()
    result = subprocess.run(
        ["bash", "-e", "-c", step["run"]], cwd=ROOT / step.get("working-directory", "."), capture_output=True,
        text=True, timeout=30, check=False,
        env={"PATH": f"{bin_dir}{os.pathsep}/usr/bin:/bin", "ENV": env, "TERRAFORM_STATE_BUCKET": bucket,
             "GITHUB_ENVIRONMENT_NAME": GITHUB_ENVIRONMENTS[env]})
    return result, log.read_text() if log.exists() else ""


def test_the_deploy_initialises_the_environments_own_state_with_its_own_credentials(tmp_path):
    result, calls = _run_init(tmp_path, "prod", _account("prod"), "interaction-mgmt-tfstate-prod")
    assert result.returncode == 0, result.stdout + result.stderr
    assert calls.splitlines() == ["init -reconfigure -backend-config=backend/prod.hcl",
                                  "workspace select -or-create prod"]


@pytest.mark.parametrize("env, other", [("prod", "dev"), ("staging", "prod"), ("dev", "staging")])
def test_the_deploy_refuses_credentials_of_another_environments_account(tmp_path, env, other):
    """One IAM user's keys stored for the whole repository reach every environment: refused."""
    result, calls = _run_init(tmp_path, env, _account(other), f"interaction-mgmt-tfstate-{env}")
    assert result.returncode != 0, f"{env} deployed with {other}'s credentials"
    assert f"set the {GITHUB_ENVIRONMENTS[env]} environment's own credentials" in result.stdout
    assert calls == ""


def test_the_deploy_refuses_a_state_bucket_secret_of_another_environment(tmp_path):
    result, calls = _run_init(tmp_path, "prod", _account("prod"), "interaction-mgmt-tfstate-dev")
    assert result.returncode != 0
    assert "TERRAFORM_STATE_BUCKET" in result.stdout and calls == ""
