"""The warm-up (`ims.warmup`, run by gunicorn in each worker before it accepts a connection): a fresh
app's first Finder request then opens no database connection and compiles none of its statements —
what a cold worker's first users would otherwise wait for in the minute after a deploy."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
import uuid

import pytest
from sqlalchemy import event
from sqlalchemy.engine.default import CACHE_MISS

from ims import create_app, warmup
from ims.extensions import db
from ims.timeutil import timezone_names, valid_timezones
from tests.builders import headers_for, make_interaction, make_site, make_user
from tests.conftest import settings_for


@pytest.fixture
def fresh(app, database_url):
    """A new app (its own engine: an empty pool and statement cache), as a new worker has; `app` (the
    suite's) empties the tables afterwards."""
    app = create_app(settings_for(database_url, REDIS_KEY_PREFIX=f"ims-test-warm-{uuid.uuid4().hex[:8]}:"))
    yield app
    with app.app_context():
        db.engine.dispose()


class FirstRequest:
    """Connections the pool opens and statements compiled afresh while the app serves a request in this
    thread (the app's e-mail delivery polls the outbox in a thread of its own)."""

    def __init__(self, app):
        self.thread = threading.get_ident()
        with app.app_context():
            self.engine = db.engine
        self.connections_opened, self.compiled = 0, []
        event.listen(self.engine.pool, "connect", self._connected)
        event.listen(self.engine, "after_cursor_execute", self._executed)

    def _connected(self, *_):
        if threading.get_ident() == self.thread:
            self.connections_opened += 1

    def _executed(self, conn, cursor, statement, parameters, context, executemany):
        if threading.get_ident() == self.thread and context.cache_hit is CACHE_MISS:
            self.compiled.append(statement.split(" FROM ")[0][:80])

    def close(self):
        event.remove(self.engine.pool, "connect", self._connected)
        event.remove(self.engine, "after_cursor_execute", self._executed)


def _site_with_records():
    site = make_site("Harbour")
    user = make_user("ana", {site: "editor"})
    for i in range(30):  # more than a page: the Finder also counts
        make_interaction(site, user, title=f"Budget review {i}", type="Meeting",
                         start_datetime=datetime(2024, 5, 1, 9, tzinfo=timezone.utc) + timedelta(days=i))
    db.session.commit()
    return site, user


@pytest.mark.parametrize("params", [{}, {"search": "budget"}, {"type": ["Meeting", "Call"], "start_from": "2024-01-01",
                                                               "start_to": "2024-12-31", "sort": "title"}],
                         ids=["default", "search", "filter"])
def test_a_warmed_apps_first_finder_request_opens_no_connection_and_compiles_nothing(fresh, params):
    site, user = _site_with_records()
    done = warmup.warm(fresh, connections=3)
    assert done is not None and done["connections"] == 3 and done["cache"] is True
    with fresh.app_context():  # the pool is open before the first request (the mail thread may hold one)
        assert db.engine.pool.checkedin() + db.engine.pool.checkedout() >= 3
    first = FirstRequest(fresh)
    try:
        response = fresh.test_client().get("/api/interactions", query_string=params, headers=headers_for(user, site))
    finally:
        first.close()
    assert response.status_code == 200 and response.headers["X-Cache"] == "MISS"
    assert response.get_json()["items"]
    assert first.connections_opened == 0
    assert first.compiled == []


def test_the_warm_up_reads_the_zone_names_an_edit_checks_its_timezone_against(fresh):
    valid_timezones.cache_clear()  # process-wide: as in a worker that has served nothing yet
    timezone_names.cache_clear()
    assert warmup.warm(fresh) is not None
    assert valid_timezones.cache_info().currsize == 1 and "Europe/London" in valid_timezones()
    assert timezone_names.cache_info().currsize == 1


def test_without_the_warm_up_the_first_request_pays_for_both(fresh):
    """The same request on a cold app: what the test above proves the warm-up saves."""
    site, user = _site_with_records()
    first = FirstRequest(fresh)
    try:
        response = fresh.test_client().get("/api/interactions", headers=headers_for(user, site))
    finally:
        first.close()
    assert response.status_code == 200
    assert first.connections_opened >= 1
    assert first.compiled  # the principal, the generation, the page and the count


def test_readiness_completes_a_warm_up_the_worker_could_not_finish(fresh):
    assert not warmup.is_warm(fresh)  # e.g. the database was down when the worker started
    response = fresh.test_client().get("/api/health/ready")
    assert response.status_code == 200
    assert warmup.is_warm(fresh)


def test_the_warm_up_leaves_other_wsgi_apps_alone():
    def plain(environ, start_response):  # e.g. the benchmark's floor app under the same gunicorn settings
        return []

    assert warmup.warm(plain) is None
