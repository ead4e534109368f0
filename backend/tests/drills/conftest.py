"""Shared pieces of the reliability and security drills: figures, envelope checks, a database
fingerprint, the API behind the load balancer. The throwaway servers they run against are in
tests/servers.py."""
from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path

import pytest

from ims import create_app
from ims.extensions import db
from tests.conftest import settings_for
from tests.servers import ServedApp

FIGURES: dict[str, dict] = {}


@pytest.fixture
def figures(request):
    """A dict the drill fills with what it tried and what held; printed and written at the end of the run."""
    entry = FIGURES.setdefault(request.node.name, {})
    return entry


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not FIGURES:
        return
    path = Path(config._tmp_path_factory.getbasetemp()) / "drill-figures.json"
    path.write_text(json.dumps(FIGURES, indent=2, sort_keys=True))
    terminalreporter.section("reliability drill figures")
    for name, values in sorted(FIGURES.items()):
        terminalreporter.write_line(f"{name}: {json.dumps(values, sort_keys=True)}")
    terminalreporter.write_line(f"(written to {path})")


@pytest.fixture
def slow_hashing(app, monkeypatch) -> dict:
    """Argon2 at t=2, 16 MiB: each check takes long enough that two dozen guesses are all in flight at
    once. Users made afterwards get such hashes; the settings are returned for an app a drill serves."""
    settings = {"ARGON2_TIME_COST": 2, "ARGON2_MEMORY_COST": 16 * 1024}
    for name, value in settings.items():
        monkeypatch.setitem(app.config, name, value)
    return settings


@pytest.fixture
def serve_behind_the_alb(app, database_url):
    """Serve the API as the task definition runs it, one trusted proxy (the ALB) in front, with extra
    settings: `with serve_behind_the_alb(ARGON2_TIME_COST=2) as server:`. A request then comes from the
    last address of its `X-Forwarded-For` ("spoofed, real", as the ALB writes it)."""
    @contextmanager
    def serve(**settings):
        served = create_app(settings_for(database_url, TRUSTED_PROXY_HOPS=1,
                                         REDIS_KEY_PREFIX=app.config["REDIS_KEY_PREFIX"] + "alb:", **settings))
        with ServedApp(served) as server:
            yield server
    return serve


@pytest.fixture
def behind_the_alb(serve_behind_the_alb):
    with serve_behind_the_alb() as server:
        yield server


def assert_envelope(response, status: int | None = None) -> dict:
    """An error in the one envelope (`{"error": {"code", "message", "details"}}`); returns the error object."""
    if status is not None:
        assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert 400 <= response.status_code < 500, response.status_code
    body = response.get_json(silent=True)
    assert isinstance(body, dict) and set(body) == {"error"}, response.get_data(as_text=True)[:300]
    error = body["error"]
    assert set(error) == {"code", "message", "details"} and error["code"] and error["message"]
    assert isinstance(error["details"], dict)
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and "psycopg2" not in text and "sqlalchemy" not in text.lower()
    return error


def interactions_fingerprint() -> tuple[int, str]:
    """Row count and a checksum over every stored interaction column: equal before and after = unchanged."""
    db.session.remove()
    count, digest = db.session.execute(db.text(
        "SELECT count(*), md5(coalesce(string_agg(i::text, '|' ORDER BY id), '')) FROM interactions i"
    )).one()
    db.session.remove()
    return count, digest
