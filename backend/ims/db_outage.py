"""How the API copes with the database going away.

- No pre-ping round trip per checkout: a pooled connection is checked with a zero-timeout
  poll of its socket instead (a server that ended the session, restarted or had the backend
  terminated has sent its goodbye and closed, so the socket is readable); SQLAlchemy then
  replaces that connection before use, and its own disconnect handling recycles the pool
  when a statement meets a dead server.
- While the database is unreachable the process remembers it (`is_down`), so responses
  served from the cache can say they may be stale and that writes are paused; a background
  probe clears the mark once the database answers again. The mark is shared through the
  cache (`SHARED_MARK_KEY`, read with each principal), so every worker and task says the
  same while one of them is probing.
"""
from __future__ import annotations

import logging
import select
import threading

import sqlalchemy as sa
from flask import Flask, Response, current_app, g, request
from sqlalchemy import event, exc

from .extensions import db

log = logging.getLogger(__name__)

STALE_HEADER = "X-Data-Stale"
SHARED_MARK_KEY = "database-unreachable"
PROBE_INTERVAL_SECONDS = 1.0
SHARED_MARK_SECONDS = 5  # outlives a few probes, and a prober that died with its process


def _dead_socket(dbapi_connection) -> bool:
    fileno = getattr(dbapi_connection, "fileno", None)
    if fileno is None:  # SQLite: nothing to check
        return False
    if getattr(dbapi_connection, "closed", 0):
        return True
    poller = select.poll()
    poller.register(fileno(), select.POLLIN | select.POLLERR | select.POLLHUP)
    # An idle PostgreSQL session has nothing to read; anything there is a termination notice or EOF.
    return bool(poller.poll(0))


def check_on_checkout(dbapi_connection, connection_record, connection_proxy) -> None:
    # A new connection is alive, whatever its handshake may have left unread (as the pre-ping,
    # the check skips it); SQLAlchemy empties `info` whenever it connects afresh.
    if not connection_record.info.get("ims_used"):
        connection_record.info["ims_used"] = True
        return
    if _dead_socket(dbapi_connection):
        raise exc.DisconnectionError("the server closed this pooled connection")


class DatabaseState:
    def __init__(self, app: Flask):
        self._app = app
        self._down = threading.Event()
        self._lock = threading.Lock()
        self._probe: threading.Thread | None = None

    def is_down(self) -> bool:
        return self._down.is_set()

    def mark_down(self) -> None:
        with self._lock:
            if self._down.is_set():
                return
            self._down.set()
            log.warning("database unreachable: cached reads continue, writes are paused")
            self._probe = threading.Thread(target=self._wait_for_recovery, name="ims-db-probe", daemon=True)
            self._probe.start()

    def _answers(self) -> bool:
        try:
            with self._app.app_context(), db.engine.connect() as connection:
                connection.execute(sa.text("SELECT 1"))
            return True
        except exc.SQLAlchemyError:
            return False

    def _share(self, down: bool) -> None:
        cache = self._app.extensions["ims_cache"]
        if down:
            cache.set(SHARED_MARK_KEY, b"1", SHARED_MARK_SECONDS)
        else:
            cache.delete(SHARED_MARK_KEY)

    def _wait_for_recovery(self) -> None:
        stopped = threading.Event()
        while True:
            self._share(True)
            if self._answers():
                break
            stopped.wait(PROBE_INTERVAL_SECONDS)
        self._down.clear()
        self._share(False)
        log.warning("database reachable again: writes resume")


def means_database_down(error: BaseException) -> bool:
    """Lost or refused connections and server shutdowns, as opposed to one statement failing."""
    if not isinstance(error, exc.DBAPIError):
        return False
    code = getattr(error.orig, "pgcode", None)
    return error.connection_invalidated or code in {"57P01", "57P02", "57P03"} or (
        code is None and type(error.orig).__name__ == "OperationalError")


def note_if_database_down(error: BaseException) -> None:
    if means_database_down(error):
        state(current_app).mark_down()


def state(app: Flask) -> DatabaseState:
    return app.extensions["ims_database_state"]


def install(app: Flask) -> None:
    app.extensions["ims_database_state"] = database_state = DatabaseState(app)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            event.listen(db.engine, "checkout", check_on_checkout)

    @app.after_request
    def say_when_stale(response: Response) -> Response:
        down = database_state.is_down() or g.get("database_down_elsewhere", False)
        if down and request.path.startswith("/api/"):
            response.headers[STALE_HEADER] = "database-unavailable"
        return response
