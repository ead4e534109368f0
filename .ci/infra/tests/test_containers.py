"""Container images and the local stack: hadolint, checkov, the Compose schema, the SPA's start-up script."""
import json
import os
import re
import shlex
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml
from docker.utils.build import exclude_paths

from conftest import ROOT, run, tool

DOCKERFILES = [ROOT / "docker" / "backend" / "Dockerfile", ROOT / "docker" / "frontend" / "Dockerfile"]
COMPOSE = ROOT / "docker-compose.local.yml"
CONFIG_SCRIPT = ROOT / "docker" / "frontend" / "10-write-app-config.envsh"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: p.parent.name)
def test_hadolint_passes(dockerfile):
    result = run([tool("hadolint"), "--failure-threshold", "info", str(dockerfile)])
    assert result.returncode == 0, result.stdout + result.stderr


def test_checkov_passes_on_the_dockerfiles():
    result = run([tool("checkov"), "-d", "docker", "--framework", "dockerfile", "-o", "json",
                  "--skip-download", "--soft-fail"])
    report = json.loads(result.stdout)
    reports = report if isinstance(report, list) else [report]
    failed = [c["check_id"] + " " + c["file_path"] for r in reports for c in r["results"].get("failed_checks", [])]
    assert not failed, failed


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: p.parent.name)
def test_images_are_multi_stage_non_root_with_a_health_check(dockerfile):
    text = dockerfile.read_text(encoding="utf-8")
    assert len(re.findall(r"^FROM ", text, re.M)) >= 2
    users = re.findall(r"^USER\s+(\S+)", text, re.M)
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    assert re.search(r"^HEALTHCHECK ", text, re.M)


def test_backend_image_serves_gunicorn_and_leaves_migrations_to_a_separate_command():
    text = DOCKERFILES[0].read_text(encoding="utf-8")
    assert 'CMD ["gunicorn", "-c", "gunicorn.conf.py", "ims:create_app()"]' in text
    assert "/api/health" in text
    assert "db upgrade" not in text.split("CMD [")[-1]
    assert "-c requirements.lock" in text


def test_frontend_image_health_spa_fallback_caching_and_headers():
    conf = (ROOT / "docker" / "frontend" / "nginx.conf.template").read_text(encoding="utf-8")
    assert "location = /health" in conf
    assert "alias /var/lib/app-config/config.js;" in conf
    assert "try_files $uri $uri/ /index.html" in conf
    assert "max-age=31536000, immutable" in conf
    assert re.search(r"location = /config\.js \{[^}]*no-cache", conf)
    # add_header in a location drops the server-level ones, so each such location repeats them all.
    scopes = [re.split(r"^\s*location ", conf, maxsplit=1, flags=re.M)[0]]
    scopes += re.findall(r"^\s*location [^{]+\{[^}]*\}", conf, re.M)
    for scope in (s for s in scopes if "add_header" in s):
        for header in ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"):
            assert header in scope, f"{header} missing in: {scope.splitlines()[0]}"
    csp = re.search(r'set \$csp "([^"]+)"', conf).group(1)
    script_src = re.search(r"script-src ([^;]+)", csp).group(1)
    assert "unsafe-inline" not in script_src and "frame-ancestors 'none'" in csp
    # Only the script's exports may be substituted at start; nginx's own $variables must survive.
    assert set(re.findall(r"\$\{(\w+)\}", conf)) == {"APP_CSP_CONNECT_SRC", "APP_CSP_FRAME_SRC"}


def test_config_script_passes_shellcheck():
    result = run([tool("shellcheck"), "--shell=sh", str(CONFIG_SCRIPT)])
    assert result.returncode == 0, result.stdout


def test_config_script_writes_runtime_config_and_csp_origins(tmp_path):
    target = tmp_path / "config.js"
    env = {"PATH": os.environ["PATH"], "APP_CONFIG_FILE": str(target),
           "REACT_APP_API_URL": 'https://api.example.com/v1"quoted\\',
           "REACT_APP_AUTH0_DOMAIN": "tenant.eu.auth0.com",
           "REACT_APP_AUTH0_CLIENT_ID": "client-123",
           "REACT_APP_AUTH0_AUDIENCE": "https://api.example.com"}
    script = f'. "{CONFIG_SCRIPT}" >/dev/null; printf "%s\\n%s" "$APP_CSP_CONNECT_SRC" "$APP_CSP_FRAME_SRC"'
    result = subprocess.run(["sh", "-c", script], env=env, capture_output=True, text=True, check=True)
    connect, frame = result.stdout.splitlines()
    assert connect.split() == ["'self'", "https://api.example.com", "https://tenant.eu.auth0.com"]
    assert frame.split() == ["'self'", "https://tenant.eu.auth0.com"]
    text = target.read_text(encoding="utf-8")
    prefix = "window.__APP_CONFIG__ = "
    assert text.startswith(prefix)
    config = json.loads(text[len(prefix):].strip().rstrip(";"))
    assert config == {**{key: env[key] for key in ("REACT_APP_API_URL", "REACT_APP_AUTH0_DOMAIN",
                                                   "REACT_APP_AUTH0_CLIENT_ID", "REACT_APP_AUTH0_AUDIENCE")},
                      "NODE_ENV": "production"}


def test_config_script_with_nothing_set_means_same_origin(tmp_path):
    target = tmp_path / "config.js"
    env = {"PATH": os.environ["PATH"], "APP_CONFIG_FILE": str(target)}
    subprocess.run(["sh", "-c", f'. "{CONFIG_SCRIPT}" >/dev/null'], env=env, check=True)
    config = json.loads(target.read_text(encoding="utf-8").split("=", 1)[1].strip().rstrip(";"))
    assert config.pop("NODE_ENV") == "production"
    assert set(config.values()) == {""}


def test_config_script_passes_node_env_and_refuses_a_wrong_one(tmp_path):
    target = tmp_path / "config.js"
    base = {"PATH": os.environ["PATH"], "APP_CONFIG_FILE": str(target)}
    subprocess.run(["sh", "-c", f'. "{CONFIG_SCRIPT}" >/dev/null'], env={**base, "NODE_ENV": "development"}, check=True)
    assert '"NODE_ENV": "development"' in target.read_text(encoding="utf-8")
    # As the image's entrypoint sources it (set -e): a wrong NODE_ENV stops the container, config.js is gone.
    result = subprocess.run(["sh", "-ec", f'. "{CONFIG_SCRIPT}"; echo served'], env={**base, "NODE_ENV": "prod"},
                            capture_output=True, text=True)
    assert result.returncode != 0 and "served" not in result.stdout
    assert "NODE_ENV must be development or production" in result.stderr
    assert not target.exists()


def test_compose_file_validates_against_the_compose_spec(compose):
    schema = json.loads((ROOT / ".ci" / "infra" / "compose-spec.schema.json").read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(compose), key=lambda e: e.path)
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_compose_has_the_four_services_and_a_one_shot_migration(compose):
    services = compose["services"]
    assert {"postgres", "redis", "migrate", "backend", "frontend"} <= set(services)
    assert services["migrate"]["command"] == ["flask", "--app", "ims", "db", "upgrade"]
    assert services["migrate"].get("restart") == "no"
    backend_deps = services["backend"]["depends_on"]
    assert backend_deps["migrate"]["condition"] == "service_completed_successfully"
    assert backend_deps["postgres"]["condition"] == "service_healthy"
    assert backend_deps["redis"]["condition"] == "service_healthy"
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["frontend"]["depends_on"]["backend"]["condition"] == "service_healthy"


def test_every_long_running_compose_service_has_a_healthcheck(compose):
    for name, service in compose["services"].items():
        if name != "migrate":
            assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"


def test_compose_backend_gets_the_guides_variables(compose):
    environment = compose["services"]["backend"]["environment"]
    for name in ("APP_ENV", "LOG_LEVEL", "SECRET_KEY", "DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_PASSWORD",
                 "REDIS_HOST", "REDIS_PORT", "AUTH0_DOMAIN", "AUTH0_AUDIENCE", "AUTH0_CLIENT_ID",
                 "AUTH0_CLIENT_SECRET", "SENDGRID_API_KEY", "CORS_ORIGINS"):
        assert name in environment, name


def test_env_example_lists_every_variable_of_the_guide():
    names = set(re.findall(r"^([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(encoding="utf-8"), re.M))
    guide = {"APP_ENV", "LOG_LEVEL", "SECRET_KEY", "DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_PASSWORD",
             "DB_SSLMODE", "REDIS_HOST", "REDIS_PORT", "REDIS_TLS", "AUTH0_DOMAIN", "AUTH0_AUDIENCE",
             "AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET", "SENDGRID_API_KEY", "SENDGRID_FROM_EMAIL", "AWS_SSM_PATH",
             "AWS_SECRET_ID", "CORS_ORIGINS", "LOGIN_RATE_LIMIT", "CACHE_TTL_SECONDS", "PUBLIC_BASE_URL",
             "REACT_APP_API_URL", "REACT_APP_AUTH0_DOMAIN", "REACT_APP_AUTH0_CLIENT_ID", "REACT_APP_AUTH0_AUDIENCE",
             "AWS_REGION"}
    assert guide <= names, sorted(guide - names)


# ---------------------------------------------------------------- what enters a build, what compose runs

WORKFLOWS = ROOT / ".github" / "workflows"
# Paths of the host that must never reach an image, wherever they are in the context.
HOST_STATE = {"node_modules", ".venv", ".git", ".env", "__pycache__"}


def _builds() -> set[tuple[str, str]]:
    """(context, Dockerfile) of every image build: compose's `build:` and the workflows' `docker build`."""
    found = set()
    for service in yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))["services"].values():
        if "build" in service:
            found.add((service["build"].get("context", "."), service["build"].get("dockerfile", "Dockerfile")))
    for path in WORKFLOWS.glob("*.yml"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if re.match(r"\s*docker build ", line):
                words = shlex.split(line.strip())
                found.add((words[-1], words[words.index("-f") + 1]))
    return found


def _copied(dockerfile: Path) -> list[str]:
    """Sources of the Dockerfile's COPY instructions that read the build context (not --from)."""
    sources = []
    for line in dockerfile.read_text(encoding="utf-8").splitlines():
        if line.startswith("COPY ") and "--from=" not in line:
            words = [w for w in line.split()[1:] if not w.startswith("--")]
            sources += words[:-1]
    return sources


def test_every_build_has_a_context_whose_dockerignore_is_in_place():
    builds = _builds()
    assert {("docker/backend/Dockerfile"), ("docker/frontend/Dockerfile")} <= {d for _, d in builds}, builds
    for context, _ in builds:
        assert (ROOT / context / ".dockerignore").is_file(), f"build context {context!r} has no .dockerignore"


@pytest.mark.parametrize("context, dockerfile", sorted(_builds()), ids=lambda v: str(v))
def test_the_build_context_sends_what_the_dockerfile_copies_and_no_host_state(context, dockerfile, tmp_path):
    """The context as docker-py computes it from .dockerignore (the Docker CLI's pattern rules), over a
    copy of the tracked tree with the host's state planted in it: a node_modules at the root and in
    frontend/, virtualenvs, .git, .env files, bytecode."""
    ignore = ROOT / context / ".dockerignore"
    assert ignore.is_file(), f"build context {context!r} has no .dockerignore"
    patterns = [line.strip() for line in ignore.read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.strip().startswith("#")]
    tracked = subprocess.run(["git", "ls-files", "--", context], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.splitlines()
    planted = ["node_modules/left-pad/index.js", "frontend/node_modules/react/index.js", "backend/.venv/bin/python",
               ".venv/pyvenv.cfg", ".git/config", ".env", "frontend/.env.local", "backend/ims/__pycache__/app.pyc",
               "frontend/dist/index.html", "terraform/terraform.tfstate"]
    base = ROOT / context
    for relative in [str((ROOT / p).relative_to(base)) for p in tracked] + planted:
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).touch()
    sent = exclude_paths(str(tmp_path), patterns, dockerfile=dockerfile)

    leaked = sorted(p for p in sent if HOST_STATE & set(Path(p).parts) or p.startswith((".env", "frontend/dist")))
    assert not leaked, f"{context}: the build would receive {leaked}"
    assert "terraform/terraform.tfstate" not in sent
    missing = [f"{source}: {p}" for source in _copied(ROOT / dockerfile)
               for p in tracked if (p == source.rstrip("/") or p.startswith(source.rstrip("/") + "/")) and p not in sent]
    assert not missing, f"{dockerfile} copies files the context leaves out: {missing}"


def test_compose_builds_the_images_it_runs_under_the_guides_names(compose):
    """`docker-compose … up` after the guide's two `docker build` lines runs those images, built from the
    working tree by this very `up` (pull_policy: build), never an older image left under the name."""
    guide_tags = dict(re.findall(r"docker build -t (interaction-mgmt-(\w+):latest) -f docker/\w+/Dockerfile",
                                 (ROOT / ".ci" / "infra" / "guide" / "deployment-guide.md").read_text(encoding="utf-8")))
    assert set(guide_tags.values()) == {"frontend", "backend"}
    built = {}
    for name, service in compose["services"].items():
        if "build" in service:
            assert service.get("pull_policy") == "build", f"{name} runs whatever {service['image']} is there"
            built[service["image"]] = service["build"]["dockerfile"]
    assert built == {tag: f"docker/{part}/Dockerfile" for tag, part in guide_tags.items()}
    for name, service in compose["services"].items():
        if "build" not in service and service["image"] in built:
            assert service.get("pull_policy") == "never", f"{name} could pull {service['image']} from a registry"


def _read_by_the_app_and_compose() -> set[str]:
    names = set()
    for path in [*(ROOT / "backend" / "ims").rglob("*.py"), ROOT / "backend" / "gunicorn.conf.py"]:
        text = path.read_text(encoding="utf-8")
        names |= set(re.findall(r"""\b(?:env|environ)(?:\.get\(|\[)\s*["']([A-Z][A-Z0-9_]+)["']""", text))
        names |= set(re.findall(r"""\b_\w+\(env,\s*["']([A-Z][A-Z0-9_]+)["']""", text))
    names |= set(re.findall(r"(?<!\$)\$\{([A-Z][A-Z0-9_]+)", COMPOSE.read_text(encoding="utf-8")))
    names |= set(re.findall(r"\$\{(REACT_APP_\w+|NODE_ENV)", CONFIG_SCRIPT.read_text(encoding="utf-8")))
    return names


def test_env_example_lists_every_variable_the_app_and_compose_read():
    """Set (NAME=…) or, for the tuning ones, commented out with the default (# NAME=…)."""
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(encoding="utf-8"), re.M))
    read = _read_by_the_app_and_compose()
    assert {"AWS_REGION", "DB_HOST", "GUNICORN_WORKERS", "POSTGRES_HOST_PORT", "REACT_APP_API_URL"} <= read
    assert not read - listed, f".env.example does not list {sorted(read - listed)}"
