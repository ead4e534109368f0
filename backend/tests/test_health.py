"""Liveness and readiness, including a real PostgreSQL outage on a throwaway cluster."""
from __future__ import annotations

import time

from flask_migrate import upgrade

from ims import create_app
from tests.builders import login
from tests.conftest import settings_for
from tests.local_http import closed_port


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
    answer = login(client, "editor", "whatever-it-is")
    assert answer.status_code == 503
    assert answer.get_json()["error"]["code"] == "service_unavailable"
    assert answer.headers["Retry-After"] == "5"


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
