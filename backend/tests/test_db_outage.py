"""The database going away: dropped connections are replaced without a failed request, and with
PostgreSQL down a signed-in user still reads cached Finder pages, marked as possibly stale."""
from __future__ import annotations

import uuid

import psycopg2
import redis
from flask_migrate import upgrade

from ims import create_app
from ims.auth import tokens
from ims.db_outage import STALE_HEADER
from ims.extensions import db
from ims.sites import provisioning
from tests.builders import bearer, headers_for, interaction_body
from tests.conftest import PG_ADMIN_DSN, REDIS_URL, settings_for
from tests.servers import bounded_until


def _terminate_backends(database: str) -> int:
    connection = psycopg2.connect(PG_ADMIN_DSN)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                           "WHERE datname = %s AND pid <> pg_backend_pid()", (database,))
            return cursor.fetchone()[0]
    finally:
        connection.close()


def _backends(database: str) -> int:
    connection = psycopg2.connect(PG_ADMIN_DSN)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                           (database,))
            return cursor.fetchone()[0]
    finally:
        connection.close()


def test_terminated_backends_are_replaced_without_a_failed_request(client, world):
    headers = {**headers_for(world.editor, world.hq), "Cache-Control": "no-cache"}
    assert client.get("/api/interactions", headers=headers).status_code == 200
    database = db.engine.url.database
    db.session.remove()
    assert _terminate_backends(database) >= 1
    assert bounded_until(lambda: _backends(database) == 0), "the backends did not end"
    answers = [client.get("/api/interactions", headers=headers).status_code for _ in range(3)]
    answers.append(client.post("/api/interactions", json=interaction_body(), headers=headers).status_code)
    assert answers == [200, 200, 200, 201]


def test_cached_pages_are_served_while_postgres_is_down_and_say_so(throwaway_postgres):
    settings = settings_for(throwaway_postgres.url, REDIS_KEY_PREFIX=f"ims-test-dbdown-{uuid.uuid4().hex}:")
    app = create_app(settings)
    other_worker = create_app(settings).test_client()  # has not met the outage itself
    with app.app_context():
        upgrade()
        site = provisioning.ensure_site("Outage site")
        user = provisioning.ensure_user("reader", email="reader@example.com", password=None, site=site, role="editor")
        db.session.commit()
        token, _ = tokens.issue_local_token(user.id)
    headers = bearer(token, site)
    client = app.test_client()
    assert client.post("/api/interactions", json=interaction_body(title="Before the outage"),
                       headers=headers).status_code == 201
    first = client.get("/api/interactions", headers=headers)
    assert first.headers["X-Cache"] == "MISS" and STALE_HEADER not in first.headers

    throwaway_postgres.stop()
    refused = client.post("/api/interactions", json=interaction_body(), headers=headers)
    assert refused.status_code == 503
    cached = client.get("/api/interactions", headers=headers)
    assert cached.status_code == 200 and cached.headers["X-Cache"] == "HIT"
    assert cached.headers[STALE_HEADER] == "database-unavailable"
    assert [i["title"] for i in cached.get_json()["items"]] == ["Before the outage"]
    from_other_worker = other_worker.get("/api/interactions", headers=headers)
    assert from_other_worker.headers["X-Cache"] == "HIT"
    assert from_other_worker.headers[STALE_HEADER] == "database-unavailable"
    me = client.get("/api/auth/me", headers=headers)
    assert me.status_code == 200 and me.headers[STALE_HEADER] == "database-unavailable"
    assert client.get("/api/interactions", query_string={"search": "never cached"}, headers=headers).status_code == 503

    throwaway_postgres.start()
    assert bounded_until(lambda: STALE_HEADER not in client.get("/api/health").headers), "the mark did not clear"
    assert STALE_HEADER not in other_worker.get("/api/interactions", headers=headers).headers
    assert client.post("/api/interactions", json=interaction_body(), headers=headers).status_code == 201
    connection = redis.Redis.from_url(REDIS_URL)
    for key in connection.scan_iter(match=app.config["REDIS_KEY_PREFIX"] + "*"):
        connection.delete(key)
