"""If the API is compromised, what can it do to the database? It connects as an application role that
may read and write the application's rows but not change or drop its tables; migrations run as the
owner (MIGRATION_DATABASE_URL). In production a remote database must be reached with certificate
verification (sslmode=verify-full). Real PostgreSQL; the role is this run's own and dropped after."""
from __future__ import annotations

import os
import subprocess
import sys

import psycopg2
import pytest

from ims.config import BACKEND_DIR, ConfigError, build_settings
from ims.production_guards import check_production
from tests.conftest import _admin
from tests.settings_builders import production

ROLE = f"ims_app_{os.getpid()}"


def flask(database_url: str, *args: str, **environ) -> subprocess.CompletedProcess:
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp"), "LOG_LEVEL": "WARNING",
           "DATABASE_URL": database_url, **environ}
    return subprocess.run([sys.executable, "-m", "flask", "--app", "ims", *args], cwd=BACKEND_DIR, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def app_role(app, database_url):
    result = flask(database_url, "grant-app-role", ROLE, "--password-env", "IMS_APP_DB_PASSWORD",
                   IMS_APP_DB_PASSWORD="app-role-password-1")
    assert result.returncode == 0, result.stderr
    try:
        yield database_url.replace("postgresql://postgres@", f"postgresql://{ROLE}@")
    finally:
        db_name = database_url.rsplit("/", 1)[1]
        _admin(f"REVOKE ALL ON DATABASE {db_name} FROM {ROLE}")
        connection = psycopg2.connect(database_url)
        connection.autocommit = True
        connection.cursor().execute(f"DROP OWNED BY {ROLE}")
        connection.close()
        _admin(f"DROP ROLE IF EXISTS {ROLE}")


def run_as(url: str, sql: str):
    connection = psycopg2.connect(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            rows = cursor.fetchall() if cursor.description else None
        connection.commit()
        return rows
    finally:
        connection.close()


def test_the_application_role_reads_and_writes_rows_but_cannot_change_the_schema(app_role, world, figures):
    assert run_as(app_role, "SELECT count(*) FROM users")[0][0] > 0
    run_as(app_role, "INSERT INTO sites (name, created_at, data_version) VALUES ('Role test', now(), 1)")
    run_as(app_role, "UPDATE sites SET data_version = data_version + 1 WHERE name = 'Role test'")
    run_as(app_role, "DELETE FROM sites WHERE name = 'Role test'")
    refused = []
    for statement in ("ALTER TABLE interactions ADD COLUMN stolen text", "DROP TABLE audit_events",
                      "TRUNCATE interactions", "CREATE TABLE loot (x int)", "ALTER TABLE users DISABLE TRIGGER ALL",
                      "UPDATE alembic_version SET version_num = 'x'"):
        with pytest.raises(psycopg2.Error) as error:
            run_as(app_role, statement)
        assert error.value.pgcode == "42501" or "must be owner" in str(error.value), statement  # insufficient_privilege
        refused.append(statement.split()[0])
    figures.update(dml_allowed=4, ddl_refused=len(refused))


def test_the_api_works_as_the_application_role_and_migrations_use_the_owner(app_role, database_url, world):
    # `flask db upgrade` with the app role as DATABASE_URL and the owner as MIGRATION_DATABASE_URL
    result = flask(app_role, "db", "upgrade", MIGRATION_DATABASE_URL=database_url)
    assert result.returncode == 0, result.stderr
    denied = flask(app_role, "db", "downgrade", "0003_finder_covering_indexes")  # without the owner the role cannot drop anything
    assert denied.returncode != 0 and "must be owner of" in denied.stderr  # InsufficientPrivilege


@pytest.mark.parametrize("environ, accepted", [
    ({"DB_SSLMODE": "require"}, False),
    ({"DB_SSLMODE": "verify-ca"}, False),
    ({"DB_SSLMODE": ""}, False),
    ({"DB_SSLMODE": "verify-full"}, True),
    ({"DB_HOST": "127.0.0.1"}, True),  # a database on the same host never crosses a network
], ids=["require", "verify-ca", "no sslmode", "verify-full", "loopback"])
def test_production_requires_a_verified_tls_connection_to_a_remote_database(environ, accepted):
    settings = build_settings(production(**environ))
    if accepted:
        check_production(settings)
        if environ.get("DB_SSLMODE") == "verify-full":
            assert "sslrootcert=/etc/ssl/certs/rds-global-bundle.pem" in settings["SQLALCHEMY_DATABASE_URI"]
    else:
        with pytest.raises(ConfigError, match="sslmode=verify-full"):
            check_production(settings)
