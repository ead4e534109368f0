"""Readiness (`/api/health/ready`, the load balancer's health check) on real PostgreSQL: 503 while this
process cannot serve the API (the database does not answer as the API's role, the role may not read
and write the tables, the schema is behind the code), 200 once it can, with liveness up throughout."""
from __future__ import annotations

import logging
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

import ims
from ims import create_app
from ims.dbroles import grant_application_role
from ims.extensions import db
from tests.conftest import CREATE_DATABASE, _admin, settings_for
from tests.servers import bounded_until

READY = "/api/health/ready"
NOT_READY = {"status": "unavailable"}
MIGRATIONS = Path(ims.__file__).resolve().parent.parent / "migrations"


@dataclass
class FreshDatabase:
    url: str
    role: str  # a role of this test's own, dropped with the database

    def as_role(self) -> str:
        return self.url.replace("postgresql://postgres@", f"postgresql://{self.role}@")


@pytest.fixture
def fresh_database():
    suffix = f"{os.getpid()}_{uuid.uuid4().hex[:6]}"
    name = f"ims_ready_{suffix}"
    _admin(CREATE_DATABASE.format(name))
    try:
        yield FreshDatabase(f"postgresql://postgres@127.0.0.1:5432/{name}", f"ims_ready_app_{suffix}")
    finally:
        _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")  # its grants and default privileges go with it
        _admin(f"DROP ROLE IF EXISTS ims_ready_app_{suffix}")


@pytest.fixture
def readiness_log(caplog):
    """What the process logs about its readiness (create_app replaces the root handlers, so attach here)."""
    logger = logging.getLogger("ims.readiness")
    logger.addHandler(caplog.handler)
    with caplog.at_level(logging.WARNING, logger="ims.readiness"):
        yield caplog
    logger.removeHandler(caplog.handler)


def api_on(url: str, **settings):
    """An API process on `url` whose verdict is never reused, so each request checks afresh."""
    return create_app(settings_for(url, **{"READINESS_CACHE_SECONDS": 0, **settings}))


def migrate(app, revision: str = "head") -> None:
    with app.app_context():
        upgrade(revision=revision)
        db.engine.dispose()  # the migration's connections are the owner's, and not for the test's app


def test_ready_when_the_schema_is_current_and_the_role_may_read_and_write(client):
    answer = client.get(READY)
    assert answer.status_code == 200
    assert answer.get_json() == {"status": "ready"}


def test_not_ready_while_the_migrations_are_behind_the_code(fresh_database, readiness_log):
    api = api_on(fresh_database.url)
    client = api.test_client()

    never_migrated = client.get(READY)
    assert never_migrated.status_code == 503 and never_migrated.get_json() == NOT_READY
    assert "no schema version table" in readiness_log.text

    script = ScriptDirectory(str(MIGRATIONS))
    head = script.get_current_head()
    previous = script.get_revision(head).down_revision
    migrate(api, previous)
    behind = client.get(READY)
    assert behind.status_code == 503 and behind.get_json() == NOT_READY
    assert f"the schema is at {previous}, this release needs {head}; run the migrations" in readiness_log.text
    assert previous not in behind.get_data(as_text=True)  # the reason is for the log, not the public
    assert client.get("/api/health").status_code == 200  # liveness: ECS keeps the task running

    migrate(api)
    assert client.get(READY).status_code == 200


def test_ready_on_a_schema_a_newer_release_has_migrated(fresh_database):
    """The previous release keeps serving while a deploy's migrations run, and again after a rollback."""
    api = api_on(fresh_database.url)
    migrate(api)
    with api.app_context():
        db.session.execute(sa.text("UPDATE alembic_version SET version_num = '9999_from_a_newer_release'"))
        db.session.commit()
    assert api.test_client().get(READY).status_code == 200


def test_not_ready_until_the_apps_database_role_exists_and_may_read_and_write(fresh_database, readiness_log):
    owner = api_on(fresh_database.url)
    migrate(owner)
    api = api_on(fresh_database.as_role())  # DB_USER: the least-privilege role the API runs as
    client = api.test_client()

    missing = client.get(READY)
    assert missing.status_code == 503 and missing.get_json() == NOT_READY
    assert f'role "{fresh_database.role}" does not exist' in readiness_log.text
    assert fresh_database.role not in missing.get_data(as_text=True)
    assert client.get("/api/health").status_code == 200

    _admin(f"CREATE ROLE {fresh_database.role} LOGIN")  # there, but `flask grant-app-role` never ran
    ungranted = client.get(READY)
    assert ungranted.status_code == 503 and ungranted.get_json() == NOT_READY
    assert "may not read and write" in readiness_log.text and "grant-app-role" in readiness_log.text

    with owner.app_context():
        grant_application_role(fresh_database.role, None)
    assert client.get(READY).status_code == 200


def test_not_ready_while_the_database_is_stopped(throwaway_postgres):
    api = api_on(throwaway_postgres.url)
    migrate(api)
    client = api.test_client()
    assert client.get(READY).status_code == 200

    throwaway_postgres.stop()
    down = client.get(READY)
    assert down.status_code == 503 and down.get_json() == NOT_READY
    assert client.get("/api/health").status_code == 200

    throwaway_postgres.start()
    assert bounded_until(lambda: client.get(READY).status_code == 200)


def test_the_verdict_is_kept_for_a_moment_per_process(database_url, app):
    api = create_app(settings_for(database_url, READINESS_CACHE_SECONDS=60))
    checks = []

    def count_checks(connection, cursor, statement, *args):
        if "alembic_version" in statement:  # the mail delivery thread queries too; count only the checks
            checks.append(statement)

    with api.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", count_checks)
    client = api.test_client()
    assert [client.get(READY).status_code for _ in range(5)] == [200] * 5
    assert len(checks) == 2  # one check (privileges, then the schema version) answered all five
