"""Readiness: whether this process can serve the API now, which the load balancer's health check asks.

Liveness (`/api/health`) only says the process answers; ECS restarts a container that fails it.
Readiness says the API can do its job: the database answers as the API's own role, that role may
read and write every application table, and the schema is at least at the revision this code was
written for. A task that is not ready leaves the load balancer (and a deploy never switches to it),
but is not restarted: a restart creates no role and runs no migration.

A schema *ahead* of this code is ready: during a blue-green deploy the previous release keeps serving
on the migrated schema (expand, then contract), and after a rollback it serves there again. Redis is
not checked: the API serves without it (principals are then read from PostgreSQL).

The verdict is kept for READINESS_CACHE_SECONDS per process, so the load balancer's checks cost at
most one connection and two catalogue queries per process and interval; the reason a process is not
ready goes to its log, never into the public answer.
"""
from __future__ import annotations

import functools
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import Flask, current_app
from sqlalchemy import exc

from . import warmup
from .extensions import db

log = logging.getLogger(__name__)

READINESS_CACHE_SECONDS = 2.0
ROW_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"  # what `flask grant-app-role` grants (ims.dbroles)
GRANT_HINT = "run `flask grant-app-role` as the owner"
MIGRATE_HINT = "run the migrations (`flask db upgrade`, then `flask grant-app-role`)"

# Application tables the connected role may not read and write (the schema version is the migrations'
# to move; the role only reads it).
TABLES_WITHOUT_ROW_PRIVILEGES = sa.text("""
    SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname <> 'alembic_version'
      AND NOT has_table_privilege(c.oid, :privileges)
    ORDER BY c.relname""").bindparams(privileges=ROW_PRIVILEGES)
SCHEMA_REVISIONS = sa.text("SELECT version_num FROM alembic_version")


@dataclass(frozen=True)
class Verdict:
    ready: bool
    reason: str = ""


@dataclass(frozen=True)
class ExpectedSchema:
    """The code's head revision(s), and every revision before them: a database at one of those is behind."""
    heads: frozenset[str]
    older: frozenset[str]

    def judge(self, applied: set[str]) -> Verdict:
        if not applied:
            return Verdict(False, f"the database has no schema version; {MIGRATE_HINT}")
        if applied & self.older and not applied & self.heads:
            return Verdict(False, f"the schema is at {', '.join(sorted(applied))}, this release needs "
                                  f"{', '.join(sorted(self.heads))}; {MIGRATE_HINT}")
        return Verdict(True)  # at the head, or ahead of it (a newer release migrated: expand and contract)


@functools.lru_cache(maxsize=None)
def expected_schema(migrations: Path) -> ExpectedSchema:
    script = ScriptDirectory(str(migrations))
    heads = frozenset(script.get_heads())
    every = {revision.revision for head in heads for revision in script.iterate_revisions(head, "base")}
    return ExpectedSchema(heads, frozenset(every - heads))


def _judge_database(expected: ExpectedSchema) -> Verdict:
    try:
        with db.engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                refused = connection.execute(TABLES_WITHOUT_ROW_PRIVILEGES).scalars().all()
                if refused:
                    return Verdict(False, f"the API's database role may not read and write {', '.join(refused)}; "
                                          f"{GRANT_HINT}")
            applied = set(connection.execute(SCHEMA_REVISIONS).scalars())
    except exc.DBAPIError as error:
        code = getattr(error.orig, "pgcode", None)
        if code == "42P01" or "no such table" in str(error.orig):  # undefined_table: never migrated
            return Verdict(False, f"the database has no schema version table; {MIGRATE_HINT}")
        if code == "42501":  # insufficient_privilege
            return Verdict(False, f"the API's database role may not read the schema version; {GRANT_HINT}")
        first_line = str(error.orig).strip().splitlines()[0] if str(error.orig).strip() else type(error.orig).__name__
        return Verdict(False, f"the database does not answer as the API's role: {first_line}")
    except exc.SQLAlchemyError as error:
        return Verdict(False, f"the database does not answer: {type(error).__name__}")
    return expected.judge(applied)


class Readiness:
    """One per app: the last verdict, kept for a moment, and the reason logged when it changes."""

    def __init__(self, app: Flask):
        self._app = app
        self._lock = threading.Lock()
        self._verdict: Verdict | None = None
        self._until = 0.0

    def verdict(self) -> Verdict:
        with self._lock:  # one check at a time; the others wait for its answer
            if self._verdict is None or time.monotonic() >= self._until:
                self._remember(_judge_database(expected_schema(self._migrations())))
                if self._verdict.ready and not warmup.is_warm(self._app):
                    self._warm()
            return self._verdict

    def _warm(self) -> None:
        """The worker's own warm-up did not finish (e.g. the database was down then): finish it before
        answering ready. Process work, not the request's: it runs outside the request, in a thread of
        its own, and the answer waits for it."""
        worker = threading.Thread(target=warmup.warm, args=(self._app,), name="ims-warmup", daemon=True)
        worker.start()
        worker.join(timeout=float(self._app.config.get("WARMUP_TIMEOUT_SECONDS", 10)))

    def _migrations(self) -> Path:
        return Path(self._app.extensions["migrate"].directory)

    def _remember(self, verdict: Verdict) -> None:
        if verdict != self._verdict:
            if verdict.ready:
                log.info("ready: the database answers as the API's role and the schema is current")
            else:
                log.warning("not ready: %s", verdict.reason)
        self._verdict = verdict
        self._until = time.monotonic() + float(self._app.config.get("READINESS_CACHE_SECONDS",
                                                                    READINESS_CACHE_SECONDS))


def readiness() -> Readiness:
    """This app's Readiness, made on first use."""
    found = current_app.extensions.get("ims_readiness")
    if found is None:
        found = current_app.extensions.setdefault("ims_readiness", Readiness(current_app._get_current_object()))
    return found
