"""The deployment guide's git and cd lines, run as written in a clone of this repository."""
import os
import subprocess

from conftest import ROOT, TERRAFORM, guide_line

CLONE = "interaction-management-system"


def _git(*args: str, cwd, env) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, timeout=120)


def test_the_guides_clone_pull_and_cd_lines_run_in_a_clone(tmp_path):
    """`cd interaction-management-system`, `git pull origin main`, `cd <project_root>`,
    `GIT_HASH=$(git rev-parse --short HEAD)` and `cd terraform`, against an origin with a main branch."""
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "GIT_CONFIG_NOSYSTEM": "1"}
    origin = tmp_path / "origin"
    _git("clone", "--quiet", "--depth", "1", f"file://{ROOT}", str(origin), cwd=tmp_path, env=env)
    _git("branch", "-M", "main", cwd=origin, env=env)
    _git("clone", "--quiet", str(origin), CLONE, cwd=tmp_path, env=env)
    script = "\n".join([
        guide_line(f"cd {CLONE}"),
        guide_line("git pull origin main"),
        guide_line("cd <project_root>").replace("<project_root>", str(tmp_path / CLONE)),
        guide_line("GIT_HASH=$(git rev-parse --short HEAD)"),
        'echo "GIT_HASH=${GIT_HASH}"',
        guide_line("cd terraform"),
        "pwd",
    ])
    result = subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=origin, env=env, capture_output=True,
                          text=True, check=True).stdout.strip()
    assert f"GIT_HASH={head}" in result.stdout
    assert result.stdout.strip().endswith(f"{CLONE}/terraform")


def test_the_guides_plan_line_with_env_set_names_the_environments_tfvars():
    """`terraform plan -var-file="environments/${env}.tfvars"` once the shell has `env=prod` (the plan
    itself needs a Terraform binary: a stub prints the arguments the shell gives it)."""
    script = "\n".join(["env=prod", 'terraform() { printf "%s\\n" "$@"; }',
                        guide_line('terraform plan -var-file="environments/${env}.tfvars"')])
    result = subprocess.run(["bash", "-e", "-c", script], cwd=TERRAFORM, capture_output=True, text=True,
                            timeout=30, check=True)
    assert result.stdout.split() == ["plan", "-var-file=environments/prod.tfvars", "-out=tfplan"]
    assert (TERRAFORM / "environments" / "prod.tfvars").is_file()
