"""One signed-in user making the database work as hard as they can: `Cache-Control: no-cache` on every
Finder request, twenty different uncached searches at once, and parallel exports, all released together
over real sockets. Each is bounded per user; beyond the bound the answer is a 429 with Retry-After."""
from __future__ import annotations

import types

import psycopg2
import pytest
import requests

from ims import user_limits
from tests.builders import headers_for, make_interaction
from tests.servers import ServedApp, together_while_locked

CALLERS = 20


def assert_refused(response) -> None:
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited" and int(response.headers["Retry-After"]) >= 1


@pytest.fixture
def served(app, world):
    make_interaction(world.hq, world.editor, title="Budget review")
    with ServedApp(app) as server:
        yield server, headers_for(world.viewer, world.hq)


def test_no_cache_does_not_bypass_the_finder_cache_at_will(served, app, monkeypatch, figures):
    server, headers = served
    monkeypatch.setitem(app.config, "FINDER_BYPASS_PER_MINUTE", 5)
    # One minute window for the whole test: crossing a minute boundary would grant a second allowance.
    monkeypatch.setattr(user_limits, "time", types.SimpleNamespace(time=lambda: 60.0 * 29_000_000))
    url = f"{server.url}/api/interactions"
    requests.get(url, headers=headers, timeout=30)  # the page is cached
    answers = [requests.get(url, headers={**headers, "Cache-Control": "no-cache"}, timeout=30) for _ in range(CALLERS)]
    assert {a.status_code for a in answers} == {200}
    misses = [a.headers["X-Cache"] for a in answers].count("MISS")
    assert misses == 5, [a.headers["X-Cache"] for a in answers]
    figures.update(no_cache_requests=CALLERS, allowed_to_bypass=5, served_from_cache=CALLERS - misses)


def test_concurrent_uncached_searches_per_user_are_bounded(served, app, database_url, figures):
    server, headers = served
    limit = app.config["FINDER_CONCURRENT_PER_USER"]
    answers = together_while_locked(database_url, CALLERS, lambda s, n: s.get(
        f"{server.url}/api/interactions", params={"search": f"term{n}"}, headers=headers, timeout=60))
    statuses = [a.status_code for a in answers]
    refused = [a for a in answers if a.status_code == 429]
    for response in refused:
        assert_refused(response)
    assert len(refused) == CALLERS - limit and statuses.count(200) + statuses.count(503) == limit, statuses
    again = requests.get(f"{server.url}/api/interactions", params={"search": "after"}, headers=headers, timeout=30)
    assert again.status_code == 200  # the slots were given back
    figures.update(simultaneous_searches=CALLERS, admitted=limit, refused_429=len(refused))


def test_concurrent_exports_per_user_are_bounded(served, app, database_url, figures):
    server, headers = served
    limit = app.config["EXPORT_CONCURRENT_PER_USER"]
    callers = 6
    answers = together_while_locked(database_url, callers, lambda s, n: s.get(
        f"{server.url}/api/interactions/export", headers=headers, timeout=60))
    refused = [a for a in answers if a.status_code == 429]
    for response in refused:
        assert_refused(response)
    assert len(refused) == callers - limit, [a.status_code for a in answers]
    again = requests.get(f"{server.url}/api/interactions/export", headers=headers, timeout=30)
    assert again.status_code == 200 and b"Budget review" in again.content
    figures.update(simultaneous_exports=callers, admitted=limit, refused_429=len(refused),
                   export_timeout_s=app.config["EXPORT_TIMEOUT_SECONDS"])




def test_concurrent_spreadsheet_reads_per_user_are_bounded(app, world, database_url, figures):
    """An editor sends six files at once: IMPORT_CONCURRENT_PER_USER are read (each waits on the table
    while it looks for duplicates), the rest are refused with 429 and store nothing."""
    limit, callers = app.config["IMPORT_CONCURRENT_PER_USER"], 6
    body = "Subject,Type,Owner,Start,End\r\n" + "Budget call,Call,Amelia,2026-03-02T10:00:00Z,2026-03-02T11:00:00Z\r\n"
    headers = headers_for(world.editor, world.hq)
    with ServedApp(app) as server:
        def upload(session, n):
            return session.post(f"{server.url}/api/imports", headers=headers, timeout=60,
                                files={"file": (f"file-{n}.csv", body.encode(), "text/csv")})

        answers = together_while_locked(database_url, callers, upload)
        refused = [a for a in answers if a.status_code == 429]
        for response in refused:
            assert_refused(response)
        assert len(refused) == callers - limit and [a.status_code for a in answers].count(201) == limit, \
            [a.status_code for a in answers]
        connection = psycopg2.connect(database_url)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM imports")
                assert cursor.fetchone()[0] == limit
        finally:
            connection.close()
        assert upload(requests, callers).status_code == 201  # the slots were given back
    figures.update(simultaneous_uploads=callers, admitted=limit, refused_429=len(refused))
