"""Migrations build the schema on SQLite and PostgreSQL, go down and up again, and the database
itself enforces the data model's constraints."""
from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys

import psycopg2
import pytest
import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from psycopg2 import errors

from ims import create_app
from ims.config import BACKEND_DIR
from ims.interactions.trash import deleted_interactions
from ims.interactions.fields import FIELDS
from ims.interactions.models import Interaction
from tests.conftest import CREATE_DATABASE, PG_ADMIN_DSN, _admin, settings_for

MIG_DB = f"ims_mig_{os.getpid()}"
# The newest revision in migrations/versions: every upgrade must end there.
def _head_revision() -> str:
    config = Config()
    config.set_main_option("script_location", str(BACKEND_DIR / "migrations"))
    return ScriptDirectory.from_config(config).get_current_head()


HEAD = _head_revision()
TABLES = {"sites", "users", "site_memberships", "interactions", "audit_events", "invitations", "deleted_interactions",
          "email_changes", "revoked_tokens", "alembic_version"}


def flask_db(database_url: str, *args: str) -> subprocess.CompletedProcess:
    """Run `flask --app ims db …` as an operator would, configured only through the environment."""
    environ = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp"),
               "DATABASE_URL": database_url, "LOG_LEVEL": "WARNING"}
    return subprocess.run([sys.executable, "-m", "flask", "--app", "ims", "db", *args], cwd=BACKEND_DIR,
                          env=environ, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def pg_url():
    """A fresh PostgreSQL database of this module's own, migrated with `flask db upgrade`."""
    _admin(f"DROP DATABASE IF EXISTS {MIG_DB}")
    _admin(CREATE_DATABASE.format(MIG_DB))
    url = PG_ADMIN_DSN.rsplit("/", 1)[0] + f"/{MIG_DB}"
    result = flask_db(url, "upgrade")
    assert result.returncode == 0, result.stderr
    yield url
    _admin(f"DROP DATABASE IF EXISTS {MIG_DB} WITH (FORCE)")


def pg_query(url: str, sql: str) -> list[tuple]:
    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    connection.close()
    return rows


def pg_tables(url: str) -> set[str]:
    return {name for (name,) in pg_query(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}


def test_upgrade_on_a_fresh_sqlite_file(tmp_path):
    path = tmp_path / "fresh.sqlite3"
    result = flask_db(f"sqlite:///{path}", "upgrade")
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(path) as connection:
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert tables >= TABLES
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD,)]
        # The same CHECK constraints hold in the embedded database.
        connection.execute("INSERT INTO sites (name, created_at) VALUES ('HQ', '2026-01-01')")
        with pytest.raises(sqlite3.IntegrityError, match="ck_interactions_end_after_start"):
            connection.execute(
                "INSERT INTO interactions (site_id, title, type, lead, start_datetime, end_datetime, timezone, "
                "created_at, updated_at) VALUES (1, 't', 'Call', 'l', '2026-01-02 10:00:00', "
                "'2026-01-02 09:00:00', 'UTC', '2026-01-01', '2026-01-01')")


def test_upgrade_on_a_fresh_postgresql_database(pg_url):
    assert pg_tables(pg_url) >= TABLES
    assert pg_query(pg_url, "SELECT version_num FROM alembic_version") == [(HEAD,)]


def test_trigram_search_index_exists_on_postgresql(pg_url):
    assert pg_query(pg_url, "SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'") == [("pg_trgm",)]
    [(definition,)] = pg_query(pg_url, "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_interactions_search_trgm'")
    assert "USING gin" in definition and "gin_trgm_ops" in definition


def test_downgrade_to_base_and_upgrade_again_on_postgresql(pg_url):
    app = create_app(settings_for(pg_url))
    with app.app_context():
        downgrade(revision="base")
        assert pg_tables(pg_url) == {"alembic_version"}
        assert pg_query(pg_url, "SELECT count(*) FROM pg_indexes WHERE indexname LIKE 'ix_interactions%'") == [(0,)]
        upgrade()
    assert pg_tables(pg_url) >= TABLES
    assert pg_query(pg_url, "SELECT version_num FROM alembic_version") == [(HEAD,)]


def test_upgrade_keeps_the_keys_rows_have_and_marks_rows_without_keys_stale(pg_url):
    app = create_app(settings_for(pg_url))
    with app.app_context():
        downgrade(revision="0012_no_secrets_at_rest")
        with psycopg2.connect(pg_url) as connection, connection.cursor() as cursor:
            cursor.execute("INSERT INTO sites (name, created_at) VALUES ('Keys', now()) RETURNING id")
            site = cursor.fetchone()[0]
            for title, key in (("Keyed", "keyed"), ("Written without keys", "")):
                cursor.execute("INSERT INTO interactions (site_id, title, title_key, type, lead, start_datetime, "
                               "end_datetime, timezone, created_at, updated_at) VALUES (%s, %s, %s, 'Call', 'Ana', "
                               "now(), now(), 'UTC', now(), now())", (site, title, key))
        connection.close()
        upgrade()
        try:
            assert dict(pg_query(pg_url, "SELECT title, keys_digest FROM interactions")) == {
                "Keyed": "before-0014", "Written without keys": None}
            # a write that does not store the digest of its fields (the previous release's) is stale
            with psycopg2.connect(pg_url) as connection, connection.cursor() as cursor:
                cursor.execute("UPDATE interactions SET lead = 'Zoë' WHERE title = 'Keyed'")
            connection.close()
            assert pg_query(pg_url, "SELECT keys_digest FROM interactions WHERE title = 'Keyed'") == [(None,)]
        finally:
            with psycopg2.connect(pg_url) as connection, connection.cursor() as cursor:
                cursor.execute("DELETE FROM interactions; DELETE FROM sites")
            connection.close()


# ---------------------------------------------------------------- constraints in PostgreSQL

def test_the_migrated_tables_hold_what_the_field_list_declares(pg_url):
    """The migrations write their own DDL; the model derives its columns and CHECK constraints from the
    field list. They must agree: every field's length, default and choices (in order) are in the
    database, and the model declares no CHECK constraint the migrations did not create."""
    for table in (Interaction.__table__, deleted_interactions):
        columns = {name: (length, default) for name, length, default in pg_query(pg_url, (
            "SELECT column_name, character_maximum_length, column_default FROM information_schema.columns "
            f"WHERE table_name = '{table.name}'"))}
        for field in FIELDS:
            length, default = columns[field.name]
            assert length == (field.max_length or None), (table.name, field.name)
            stored = None if field.stored_default is None else f"'{field.stored_default}'::character varying"
            assert default == stored, (table.name, field.name)
    checks = dict(pg_query(pg_url, "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                                   "WHERE conrelid = 'interactions'::regclass AND contype = 'c'"))
    declared = {c.name for c in Interaction.__table__.constraints if isinstance(c, sa.CheckConstraint)}
    assert declared == set(checks)
    for field in FIELDS:
        if field.choices:
            assert tuple(re.findall(r"'([^']*)'", checks[f"ck_interactions_{field.name}"])) == field.choices


INTERACTION = ("INSERT INTO interactions (site_id, title, type, lead, start_datetime, end_datetime, timezone, "
               "created_at, updated_at) VALUES (%(site)s, %(title)s, %(type)s, 'Amelia Hart', %(start)s, %(end)s, "
               "'Europe/Berlin', now(), now())")
GOOD = {"title": "Budget review", "type": "Meeting", "start": "2026-03-02T10:00:00+01:00",
        "end": "2026-03-02T11:00:00+01:00"}


class Transaction:
    """A cursor in a transaction holding one site and one user."""

    def __init__(self, connection):
        self.cursor = connection.cursor()
        self.site_id = self.insert("INSERT INTO sites (name, created_at) VALUES ('Headquarters', now()) RETURNING id")
        self.user_id = self.insert("INSERT INTO users (username, email, display_name) "
                                   "VALUES ('amelia', 'a@example.com', 'Amelia') RETURNING id")

    def execute(self, sql: str, params=None) -> None:
        self.cursor.execute(sql, params)

    def insert(self, sql: str, params=None):
        self.cursor.execute(sql, params)
        return self.cursor.fetchone()[0] if self.cursor.description else None


@pytest.fixture
def cursor(pg_url):
    """Rolled back afterwards, so each test starts from the empty migrated schema."""
    connection = psycopg2.connect(pg_url)
    yield Transaction(connection)
    connection.rollback()
    connection.close()


def test_a_valid_interaction_is_accepted(cursor):
    cursor.execute(INTERACTION + " RETURNING version, location", {"site": cursor.site_id, **GOOD})
    assert cursor.cursor.fetchone() == (1, "")


@pytest.mark.parametrize("override, error, constraint", [
    ({"end": "2026-03-02T09:59:00+01:00"}, errors.CheckViolation, "ck_interactions_end_after_start"),
    ({"type": "Party"}, errors.CheckViolation, "ck_interactions_type"),
    ({"title": None}, errors.NotNullViolation, None),
    ({"site": 999999}, errors.ForeignKeyViolation, None),
], ids=["end before start", "unknown type", "null title", "unknown site"])
def test_interaction_constraints_are_enforced(cursor, override, error, constraint):
    with pytest.raises(error) as raised:
        cursor.execute(INTERACTION, {"site": cursor.site_id, **GOOD, **override})
    if constraint:
        assert raised.value.diag.constraint_name == constraint


def test_duplicate_membership_is_refused(cursor):
    membership = "INSERT INTO site_memberships (user_id, site_id, role) VALUES (%s, %s, %s)"
    cursor.execute(membership, (cursor.user_id, cursor.site_id, "viewer"))
    with pytest.raises(errors.UniqueViolation) as raised:
        cursor.execute(membership, (cursor.user_id, cursor.site_id, "editor"))
    assert raised.value.diag.constraint_name == "uq_site_memberships_user_site"


def test_unknown_role_is_refused(cursor):
    with pytest.raises(errors.CheckViolation):
        cursor.execute("INSERT INTO site_memberships (user_id, site_id, role) VALUES (%s, %s, 'owner')",
                       (cursor.user_id, cursor.site_id))


def test_duplicate_username_is_refused(cursor):
    with pytest.raises(errors.UniqueViolation):
        cursor.execute("INSERT INTO users (username, email, display_name) VALUES ('amelia', 'b@example.com', 'B')")


def test_upgrade_forgets_the_audit_content_of_records_purged_before_it(tmp_path):
    path = tmp_path / "purged.sqlite3"
    assert flask_db(f"sqlite:///{path}", "upgrade", "0006_finder_shapes").returncode == 0
    with sqlite3.connect(path) as connection:
        connection.execute("INSERT INTO sites (name, created_at) VALUES ('HQ', '2026-01-01')")
        connection.execute(
            "INSERT INTO interactions (id, site_id, title, type, lead, start_datetime, end_datetime, timezone, "
            "created_at, updated_at) VALUES (7, 1, 'Kept', 'Call', 'l', '2026-01-02 10:00:00', "
            "'2026-01-02 11:00:00', 'UTC', '2026-01-01', '2026-01-01')")
        for entity_type, entity_id, changes in (("interaction", 7, '{"title": "Kept"}'),
                                                ("interaction", 8, '{"title": "Purged secret"}'),
                                                ("invitation", 8, '{"email": "a@example.com"}')):
            connection.execute("INSERT INTO audit_events (occurred_at, action, site_id, entity_type, entity_id, "
                               "changes) VALUES ('2026-01-01', 'create', 1, ?, ?, ?)",
                               (entity_type, entity_id, changes))
    assert flask_db(f"sqlite:///{path}", "upgrade").returncode == 0
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT entity_type, entity_id, action, changes FROM audit_events ORDER BY id").fetchall()
    assert rows == [("interaction", 7, "create", '{"title": "Kept"}'), ("interaction", 8, "create", '{"purged": true}'),
                    ("invitation", 8, "create", '{"email": "a@example.com"}')]
