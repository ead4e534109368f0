"""Liveness and readiness, including a real PostgreSQL outage on a throwaway cluster."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from flask_migrate import upgrade

from ims import create_app
from tests.conftest import settings_for
from tests.local_http import closed_port

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def test_liveness_reports_status_and_version(client):
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "version": "1.0.0"}


def test_readiness_reports_database_and_cache_with_latencies(client):
    response = client.get("/api/health/db")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok" and body["database"]["latency_ms"] >= 0
    assert body["cache"] == {"status": "ok", "kind": "redis", "latency_ms": body["cache"]["latency_ms"]}
    assert body["cache"]["latency_ms"] >= 0


def test_unreachable_database_is_503_while_liveness_stays_up():
    app = create_app(settings_for(f"postgresql://postgres@127.0.0.1:{closed_port()}/ims"))
    client = app.test_client()
    readiness = client.get("/api/health/db")
    assert readiness.status_code == 503
    body = readiness.get_json()
    assert body["status"] == "down"
    assert body["database"] == {"status": "down", "latency_ms": None, "error": "OperationalError"}
    assert body["cache"]["status"] == "ok"
    assert client.get("/api/health").status_code == 200
    login = client.post("/api/auth/login", json={"username": "editor", "password": "whatever-it-is"})
    assert login.status_code == 503
    assert login.get_json()["error"]["code"] == "service_unavailable"
    assert login.headers["Retry-After"] == "5"


class ThrowawayPostgres:
    """A private cluster in a temporary directory on a free port (never the shared one on 5432)."""

    def __init__(self):
        self.port = closed_port()
        self.dir = Path(tempfile.mkdtemp(prefix="ims-pg-"))
        self.data = self.dir / "data"
        if os.geteuid() == 0:  # initdb refuses to run as root
            shutil.chown(self.dir, "postgres", "postgres")
        self._run(PG_BIN / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8")

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *map(str, args)], check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(PG_BIN / "pg_ctl", "-D", self.data, "-l", self.dir / "server.log", "-o", options, "-w", "start")

    def stop(self) -> None:
        self._run(PG_BIN / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def throwaway_postgres():
    cluster = ThrowawayPostgres()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.remove()


def readiness_until(client, status: int, attempts: int = 50):
    """Poll /api/health/db until it answers `status` (bounded); returns the last response."""
    for _ in range(attempts):
        response = client.get("/api/health/db")
        if response.status_code == status:
            break
        time.sleep(0.1)
    return response


def test_readiness_follows_a_database_outage_without_restarting_the_app(throwaway_postgres):
    app = create_app(settings_for(throwaway_postgres.url))
    with app.app_context():
        upgrade()
    client = app.test_client()
    assert client.get("/api/health/db").status_code == 200

    throwaway_postgres.stop()
    down = client.get("/api/health/db")
    assert down.status_code == 503
    assert down.get_json()["database"]["status"] == "down"
    assert client.get("/api/health").status_code == 200

    throwaway_postgres.start()
    up = readiness_until(client, 200)
    assert up.status_code == 200
    assert up.get_json()["database"]["status"] == "ok"
