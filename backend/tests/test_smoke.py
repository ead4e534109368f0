"""The post-deploy smoke test (`make smoke`, smoke/ims_smoke) run as a deploy runs it, in a process of its
own against the API behind a real socket: it passes on a healthy stack and leaves nothing behind, and
each threshold that fails (p95 bound, sign-in, the SPA, readiness) makes it exit non-zero."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ims import create_app
from ims.extensions import db
from ims.interactions.models import Interaction
from tests.conftest import settings_for
from tests.local_http import closed_port
from tests.servers import ServedApp

ROOT = Path(__file__).resolve().parents[2]
SMOKE = ROOT / "smoke"
PASSWORD = "smoke-password-1"
CHECK_LINE = re.compile(r"^  (ok|FAIL|skip) +(\S+(?: \S+)*)  ", re.M)
# docs/DEPLOYMENT.md, "Smoke test": the one-off task's overrides, a jq program given the password as $p
DOCUMENTED_OVERRIDES = re.compile(r"""--overrides "\$\(jq -n --arg p "\$SMOKE_PASSWORD" '([^']+)'\)"$""", re.M)


@pytest.fixture
def spa_dist(tmp_path):
    """A built SPA as the smoke test sees one: index.html with the root element and a hashed script."""
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "index-0a1b2c.js").write_text("console.log('ims');\n")
    (tmp_path / "index.html").write_text('<!doctype html><html><head><script src="/config.js"></script>'
                                         '<script type="module" src="/assets/index-0a1b2c.js"></script></head>'
                                         '<body><div id="root"></div></body></html>\n')
    return tmp_path


def documented_task_command() -> list[str]:
    """The command docs/DEPLOYMENT.md has the migration task run to make the smoke account, with the
    password filled in by jq as there; checked to name the migration task definition's container."""
    (program,) = DOCUMENTED_OVERRIDES.findall((ROOT / "docs" / "DEPLOYMENT.md").read_text(encoding="utf-8"))
    rendered = subprocess.run(["jq", "-n", "--arg", "p", PASSWORD, program], capture_output=True, text=True,
                              timeout=30, check=True)
    (override,) = json.loads(rendered.stdout)["containerOverrides"]
    template = (ROOT / "ecs" / "migrate-task-definition-template.json").read_text(encoding="utf-8")
    assert override["name"] in re.findall(r'"name": "([^"$]+)",\s*"image"', template)
    return override["command"]


@pytest.fixture
def smoke_account(app):
    """Made by the documented one-off command: `flask create-user`, an editor of the smoke site only."""
    command = documented_task_command()
    assert command[:3] == ["flask", "--app", "ims"]
    result = app.test_cli_runner().invoke(args=command[3:])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "user 'smoke-test' is editor at 'Smoke test'"  # what the task's log says


def served(database_url: str, spa_dist: Path) -> ServedApp:
    return ServedApp(create_app(settings_for(database_url, SPA_DIST=str(spa_dist))))


def smoke(base_url: str, **settings: str) -> tuple[int, str, dict[str, str]]:
    """Exit code, report and each check's outcome of `python -m ims_smoke`, as `make smoke` runs it."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(SMOKE), "BASE_URL": base_url,
           "SMOKE_PASSWORD": PASSWORD, **settings}
    result = subprocess.run([sys.executable, "-m", "ims_smoke"], env=env, capture_output=True, text=True,
                            timeout=60, check=False)
    report = result.stdout + result.stderr
    return result.returncode, report, {name: outcome for outcome, name in CHECK_LINE.findall(report)}


def test_smoke_test_passes_on_a_healthy_stack_and_leaves_no_interaction(app, database_url, spa_dist, smoke_account):
    with served(database_url, spa_dist) as server:
        code, report, outcomes = smoke(server.url)
    assert code == 0, report
    assert outcomes == dict.fromkeys(
        ["api health", "api readiness", "frontend index", "frontend assets", "sign in", "create", "read", "search",
         "delete", "sign out", "p95 latency"], "ok"), report
    assert "smoke test passed" in report
    assert db.session.execute(db.select(db.func.count(Interaction.id))).scalar_one() == 0


def test_an_impossible_p95_bound_fails_the_smoke_test(app, database_url, spa_dist, smoke_account):
    with served(database_url, spa_dist) as server:
        code, report, outcomes = smoke(server.url, SMOKE_P95_MS="0")
    assert code == 1, report
    assert outcomes["p95 latency"] == "FAIL" and outcomes["search"] == "ok"
    assert "smoke test FAILED: p95 latency" in report


def test_a_wrong_password_fails_sign_in_and_skips_the_round_trip(app, database_url, spa_dist, smoke_account):
    with served(database_url, spa_dist) as server:
        code, report, outcomes = smoke(server.url, SMOKE_PASSWORD="not-the-password")
    assert code == 1, report
    assert outcomes["sign in"] == "FAIL" and "HTTP 401" in report
    assert outcomes["create"] == outcomes["delete"] == "skip"


def test_an_account_outside_the_smoke_site_fails_sign_in(app, database_url, spa_dist, smoke_account):
    with served(database_url, spa_dist) as server:
        code, report, outcomes = smoke(server.url, SMOKE_SITE="Headquarters")
    assert code == 1, report
    assert outcomes["sign in"] == "FAIL" and "not a member of the site 'Headquarters'" in report


def test_an_spa_that_is_not_served_fails_the_frontend_check(app, database_url, tmp_path, smoke_account):
    with served(database_url, tmp_path) as server:  # no index.html: the API answers 404 at /
        code, report, outcomes = smoke(server.url)
    assert code == 1, report
    assert outcomes["frontend index"] == "FAIL" and outcomes["frontend assets"] == "skip"
    assert outcomes["api health"] == outcomes["delete"] == "ok"


def test_an_unreachable_database_fails_readiness_and_sign_in(spa_dist):
    with served(f"postgresql://postgres@127.0.0.1:{closed_port()}/ims", spa_dist) as server:
        code, report, outcomes = smoke(server.url)
    assert code == 1, report
    assert outcomes["api readiness"] == "FAIL" and "HTTP 503" in report
    assert outcomes["sign in"] == "FAIL"


def test_an_api_that_does_not_answer_fails_without_a_traceback():
    code, report, outcomes = smoke(f"http://127.0.0.1:{closed_port()}")
    assert code == 1, report
    assert outcomes["api health"] == "FAIL" and "no answer" in report
    assert "Traceback" not in report


def test_missing_settings_stop_it_before_any_request():
    code, report, _ = smoke("", SMOKE_PASSWORD="")
    assert code == 2
    assert "BASE_URL" in report and "SMOKE_PASSWORD" in report
