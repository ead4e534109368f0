"""What a fresh worker would otherwise pay on its first requests, paid before it takes any.

gunicorn runs `warm` in each worker after the app is loaded and before the worker accepts a
connection (`post_worker_init` in gunicorn.conf.py); readiness (`/api/health/ready`) runs it again
when it did not complete, e.g. because the database was down at start. It opens the database pool
(one connection per request thread) and the Redis connection, reads the time-zone database's zone
names (a scan of tens of milliseconds the first edit would pay), sends itself one request (the URL
map's matcher is built on the first), and runs the statements of the hot path once against site 0, which holds nothing: the principal, the site's generation, the Finder's
page and count for the default query, a search and a filter, one record. SQLAlchemy then holds
their compiled forms in the engine's statement cache, which every later request of any thread
reuses, so a first Finder request opens no connection and compiles none of its statements.
"""
from __future__ import annotations

import logging
import time

from flask import Flask

from .extensions import db
from .timeutil import timezone_names, valid_timezones

log = logging.getLogger(__name__)

WARM = "ims_warm"  # app.extensions[WARM]: what the warm-up did, once it completed
NO_SITE = 0  # site ids start at 1: every statement below reads nothing


def finder_queries() -> tuple[dict, ...]:
    """Query strings of the Finder whose statements are warmed: the default page, a search, a filter."""
    from .interactions.fields import INTERACTION_TYPES

    return ({}, {"search": "warm"}, {"type": list(INTERACTION_TYPES[:2]), "start_from": "2024-01-01",
                                     "start_to": "2024-12-31", "sort": "title"})


def warm(app: Flask, connections: int = 1) -> dict | None:
    """Warm this app (at most once); returns what was done, or None when it could not finish (logged;
    the process still serves, and readiness tries again)."""
    if not _is_ims(app):
        return None
    if WARM in app.extensions:
        return app.extensions[WARM]
    started = time.perf_counter()
    try:
        with app.app_context():
            opened = _open_pool(connections)
            cache = app.extensions["ims_cache"].ping()
            _run_hot_statements(app)
        # one request through the whole WSGI stack: the URL map's matcher is built on the first match,
        # and every before/after-request hook (headers, compression, the access line) runs once
        app.test_client().get("/api/health", headers={"X-Request-ID": "warm-up"})
    except Exception as exc:  # noqa: BLE001 - a cold start is slower, never fatal
        log.warning("warm-up did not complete (%s: %s); first requests will pay for it", type(exc).__name__, exc)
        return None
    done = {"connections": opened, "cache": cache, "seconds": round(time.perf_counter() - started, 3)}
    app.extensions[WARM] = done
    log.info("warmed: %s database connections, cache %s, hot statements compiled in %.2f s",
             opened, "up" if cache else "down", done["seconds"])
    return done


def is_warm(app: Flask) -> bool:
    return WARM in app.extensions


def _is_ims(app) -> bool:
    return isinstance(app, Flask) and "ims_cache" in getattr(app, "extensions", {})


def _open_pool(connections: int) -> int:
    """Check out `connections` connections at once (the pool opens each), then return them to it."""
    engine = db.engine
    size = getattr(engine.pool, "size", lambda: connections)()
    held = []
    try:
        for _ in range(max(1, min(connections, size))):
            held.append(engine.connect())
    finally:
        for connection in held:
            connection.close()
    return len(held)


def _run_hot_statements(app: Flask) -> None:
    from .auth import principal
    from .interactions import queries
    from .interactions.schemas import FinderQuerySchema
    from .sites import generation

    config = app.config
    valid_timezones()  # the set of zone names a record's timezone is checked against: a scan of the tz database
    timezone_names()
    try:
        principal.load_rows(user_id=0)
        generation.stored(NO_SITE)
        schema = FinderQuerySchema()
        for args in finder_queries():
            query = schema.load(args)
            queries.find(NO_SITE, query, cap=config["FINDER_COUNT_CAP"], search_cap=config["FINDER_SEARCH_COUNT_CAP"],
                         count_budget_ms=config["FINDER_COUNT_BUDGET_MS"],
                         statement_timeout_ms=config["FINDER_STATEMENT_TIMEOUT_MS"])
            # site 0 has no rows, so `find` needed no count; a site with rows counts as a page does, over
            # the few candidates the filters name or over the whole site
            budget = config["FINDER_COUNT_BUDGET_MS"] if queries.search_words(query.search) else None
            for candidates in ([0], None):
                queries.count_capped(queries.apply_filters(queries.in_site(NO_SITE), query, candidates),
                                     config["FINDER_COUNT_CAP"], budget)
        queries.fetch_one(NO_SITE, 0)
    finally:
        db.session.remove()  # closes the session: nothing was written, nothing stays open
